"""The persistent outbox and audit delivery, against the real demo backend over loopback websockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cockpit.audit import Actor, AuditAction, AuditLog, SyncPolicy, forward_to, to_message, verify_file
from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, CommandStatus, CommandUpdate, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent, OutboxProblem
from cockpit.feed.outbox import Outbox, Restored
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandAck, CommandKind
from tests.helpers import wait_until

IDENTITY = Identity("test-cockpit", "officer-1", "operator", token="s3cret")


class Sink:
    """Remembers every command's states in order, and the outbox problems reported."""

    def __init__(self) -> None:
        self.states: dict[str, list[CommandStatus]] = {}
        self.problems: list[str] = []

    def __call__(self, events: list[FeedEvent]) -> None:
        for ev in events:
            if isinstance(ev, CommandUpdate):
                self.states.setdefault(ev.command.id, []).append(ev.status)
            elif isinstance(ev, OutboxProblem):
                self.problems.append(ev.detail)

    def last(self, command_id: str) -> CommandStatus | None:
        return self.states.get(command_id, [None])[-1]


class Backend:
    """A demo city that outlives its servers (same epoch), with a log of the commands it received."""

    def __init__(self) -> None:
        self.city = City(Hub(), seed=3, rate=200, event_rate=240, sensors_per_kind=2)
        self.city.advance(60)
        self.received: list[str] = []
        self.acks: dict[str, list[CommandAck]] = {}
        handle: Callable[..., CommandAck] = self.city.handle_command

        def spy(command: Command, *args: Any) -> CommandAck:
            self.received.append(command.id)
            ack = handle(command, *args)
            self.acks.setdefault(command.id, []).append(ack)
            return ack

        self.city.handle_command = spy  # type: ignore[method-assign,assignment]
        self.server: DemoBackend | None = None
        self.port = 0

    async def up(self) -> DemoBackend:
        self.server = DemoBackend(self.city, heartbeat_ms=300, speed=1)
        await self.server.start(port=self.port)
        self.port = self.server.port
        return self.server

    async def down(self) -> None:
        assert self.server is not None
        await self.server.stop(abort=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def events(self, n: int) -> list[str]:
        return sorted(self.city.state.events)[:n]


def feed_on(url: str, sink: Sink, outbox: Path | None, **kw: Any) -> FeedClient:
    return FeedClient(
        [url],
        IDENTITY,
        sink,
        backoff=Backoff(base_s=0.05, cap_s=0.2),
        outbox_path=outbox,
        outbox_sync=SyncPolicy.NEVER,
        **kw,
    )


def reload(path: Path) -> Restored:
    """What a new cockpit would find in the outbox at ``path``."""
    store = Outbox(path, SyncPolicy.NEVER)
    try:
        return store.load()
    finally:
        store.close()


def acknowledge(event_id: str) -> Command:
    return Command(id=uuid7(int(time.time() * 1000)), kind=CommandKind.ACKNOWLEDGE, event_id=event_id)


async def backend_that_is_down() -> Backend:
    """A backend with a known port that is not listening yet."""
    backend = Backend()
    await backend.up()
    await backend.down()
    return backend


def test_commands_queued_offline_go_out_in_order_once_each_when_the_backend_is_up(tmp_path: Path) -> None:
    async def body() -> None:
        backend = await backend_that_is_down()
        sink = Sink()
        feed = feed_on(backend.url, sink, tmp_path / "outbox.jsonl", command_timeout_s=30)
        feed.start()
        commands = [acknowledge(e) for e in backend.events(8)]
        for c in commands:
            feed.send_command(c)
        assert all(sink.states[c.id] == [CommandStatus.QUEUED] for c in commands), "queued, not sent"
        assert feed.outbox == commands

        await backend.up()
        await wait_until(
            lambda: all(sink.last(c.id) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED) for c in commands), what="answers"
        )
        assert backend.received == [c.id for c in commands], "sent in the order they were issued, once each"
        assert all(acks[0].result == AckResult.ACCEPTED for acks in backend.acks.values())
        assert feed.outbox == []
        await feed.stop()
        feed.close_outbox()
        await backend.down()

    asyncio.run(body())


def test_a_restarted_cockpit_sends_the_old_queued_commands_once(tmp_path: Path) -> None:
    async def body() -> None:
        backend = await backend_that_is_down()
        path = tmp_path / "outbox.jsonl"
        first_sink = Sink()
        first = feed_on(backend.url, first_sink, path)
        first.start()
        commands = [acknowledge(e) for e in backend.events(5)]
        for c in commands:
            first.send_command(c)
        await first.stop()  # the cockpit quits with five commands unsent
        first.close_outbox()

        sink = Sink()
        second = feed_on(backend.url, sink, path, command_timeout_s=30)
        second.start()
        assert [c.id for c in second.outbox] == [c.id for c in commands], "the same commands, same ids"
        assert all(sink.states[c.id] == [CommandStatus.QUEUED] for c in commands), "shown as queued at once"
        await backend.up()
        await wait_until(
            lambda: all(sink.last(c.id) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED) for c in commands), what="answers"
        )
        assert backend.received == [c.id for c in commands]
        assert sorted(backend.received) == sorted(set(backend.received)), "each sent once"
        await second.stop()
        second.close_outbox()

        third = feed_on(backend.url, Sink(), path)  # and nothing is left to send a third time
        assert third.outbox == []
        third.close_outbox()
        await backend.down()

    asyncio.run(body())


def test_a_command_sent_before_a_restart_and_resent_after_it_is_applied_once(tmp_path: Path) -> None:
    async def body() -> None:
        backend = Backend()
        server = await backend.up()
        path = tmp_path / "outbox.jsonl"
        first = feed_on(backend.url, Sink(), path)
        first.start()
        await wait_until(lambda: first.state is ConnectionState.LIVE, what="live")
        server.stalled = True  # the backend applies it, but its answer never leaves
        command = acknowledge(backend.events(1)[0])
        first.send_command(command)
        await wait_until(lambda: backend.received == [command.id], what="the backend got it")
        await first.stop()
        first.close_outbox()
        server.stalled = False

        sink = Sink()
        second = feed_on(backend.url, sink, path)
        second.start()
        await wait_until(lambda: sink.last(command.id) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED), what="answered")
        assert backend.received == [command.id, command.id]
        assert [a.result for a in backend.acks[command.id]] == [AckResult.ACCEPTED, AckResult.DUPLICATE]
        await second.stop()
        second.close_outbox()
        await backend.down()

    asyncio.run(body())


def test_an_old_command_is_held_for_confirmation_and_sent_or_dropped_as_the_officer_says(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        backend = await backend_that_is_down()
        path = tmp_path / "outbox.jsonl"
        a, b, c = (acknowledge(e) for e in backend.events(3))
        store = Outbox(path, SyncPolicy.NEVER)  # a cockpit that queued A and B a quarter of an hour ago
        store.load()
        store.add_command(a, time.time() - 900)
        store.add_command(b, time.time() - 890)
        store.add_command(c, time.time())
        store.close()

        sink = Sink()
        feed = feed_on(backend.url, sink, path, reconfirm_after_s=120)
        feed.start()
        await backend.up()
        await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
        assert sink.last(a.id) is CommandStatus.HELD
        assert feed.command_state(b.id) is CommandStatus.QUEUED, "B waits behind A"
        assert feed.command_state(c.id) is CommandStatus.QUEUED, "C waits behind A"
        assert backend.received == [], "nothing is sent while A waits for the officer"

        assert feed.confirm(a.id)
        await wait_until(lambda: sink.last(a.id) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED), what="A answered")
        assert sink.last(b.id) is CommandStatus.HELD, "B is just as old: asked about in turn"
        assert backend.received == [a.id]

        assert feed.discard(b.id)
        await wait_until(lambda: sink.last(c.id) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED), what="C answered")
        assert sink.last(b.id) is CommandStatus.DISCARDED
        assert backend.received == [a.id, c.id], "B never went out"
        assert not feed.confirm(b.id) and not feed.discard(b.id), "a discarded command is gone"
        await feed.stop()
        feed.close_outbox()
        assert reload(path).commands == [], "nothing left on disk"
        await backend.down()

    asyncio.run(body())


def test_a_command_that_waits_offline_past_the_limit_is_held(tmp_path: Path) -> None:
    async def body() -> None:
        backend = await backend_that_is_down()
        sink = Sink()
        feed = feed_on(backend.url, sink, None, reconfirm_after_s=0.2)
        feed.start()
        command = acknowledge(backend.events(1)[0])
        feed.send_command(command)
        await asyncio.sleep(0.4)  # the link stays down longer than the limit
        await backend.up()
        await wait_until(lambda: sink.last(command.id) is CommandStatus.HELD, what="held")
        assert backend.received == []
        await feed.stop()
        await backend.down()

    asyncio.run(body())


def test_a_damaged_outbox_is_reported_copied_and_what_is_readable_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    store = Outbox(path, SyncPolicy.NEVER)
    store.load()
    good = [acknowledge(f"E01-00000{i}") for i in range(3)]
    for c in good:
        store.add_command(c, time.time())
    store.close()
    lines = path.read_bytes().split(b"\n")
    lines.insert(2, b'{"op": "command", "at": 1, "command": {"t": "command", "id": 7')  # garbage
    damaged = b"\n".join(lines)
    path.write_bytes(damaged)

    sink = Sink()

    async def body() -> None:
        feed = feed_on("ws://127.0.0.1:9", sink, path)
        feed.start()
        assert [c.id for c in feed.outbox] == [c.id for c in good], "every readable command kept"
        await feed.stop()
        feed.close_outbox()

    asyncio.run(body())
    assert any("line 3" in p and "unreadable" in p for p in sink.problems), sink.problems
    copies = list(tmp_path.glob("outbox.jsonl.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == damaged
    assert any(copies[0].name in p for p in sink.problems), "the user is told where the copy is"
    assert reload(path).problems == [], "the rewritten outbox is clean"


def test_a_file_that_is_not_an_outbox_is_kept_and_nothing_is_sent_from_it(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    path.write_bytes(b"\x00\x01 not json at all\n")
    sink = Sink()

    async def body() -> None:
        feed = feed_on("ws://127.0.0.1:9", sink, path)
        feed.start()
        assert feed.outbox == []
        await feed.stop()
        feed.close_outbox()

    asyncio.run(body())
    assert any("not a cockpit outbox file" in p for p in sink.problems), sink.problems
    assert len(list(tmp_path.glob("outbox.jsonl.corrupt-*"))) == 1


def test_audit_records_reach_the_backend_exactly_once_across_a_disconnect(tmp_path: Path) -> None:
    async def body() -> None:
        backend = Backend()
        server = await backend.up()
        feed = feed_on(backend.url, Sink(), tmp_path / "outbox.jsonl")
        feed.start()
        await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
        log = AuditLog(
            tmp_path / "audit.jsonl", Actor("officer-1", "operator", "district"), sync=SyncPolicy.NEVER
        )
        assert forward_to(log, feed) == 0
        log.login(log.actor, client_id="test-cockpit", token="s3cret")
        for e in backend.events(2):
            log.record(AuditAction.ACKNOWLEDGE, {"event_id": e})
        await wait_until(lambda: feed.audit_backlog == 0, what="three records acknowledged")

        server.stalled = True  # the next two arrive, but their acknowledgements are lost in the cut
        log.record(AuditAction.DISPATCH, {"event_id": "E1", "unit_id": "U1"})
        log.record(AuditAction.ESCALATE, {"event_id": "E1"})
        await wait_until(lambda: len(server.audit.records) == 5, what="five records at the backend")
        for client in list(server.clients):
            client.ws.transport.abort()
        server.stalled = False
        log.record(AuditAction.DRILL_START, {"scenario": "flood"})  # made while reconnecting
        await wait_until(
            lambda: feed.audit_backlog == 0 and feed.counters.reconnects >= 1, what="backlog cleared"
        )

        chain = log.chain_id
        assert sorted(server.audit.records) == [(chain, seq) for seq in range(1, 7)], "each record once"
        assert server.audit.copies >= 8, "the two unacknowledged records really were sent again"
        assert server.audit.damaged == []
        local = verify_file(log.path).records
        assert [to_message(r) for r in local] == [server.audit.records[(chain, r.seq)] for r in local]
        assert "s3cret" not in str(server.audit.records)
        await feed.stop()
        feed.close_outbox()
        log.close()
        await backend.down()

    asyncio.run(body())


def test_audit_records_made_offline_reach_the_backend_after_a_restart(tmp_path: Path) -> None:
    async def body() -> None:
        backend = await backend_that_is_down()
        outbox, audit = tmp_path / "outbox.jsonl", tmp_path / "audit.jsonl"
        actor = Actor("officer-1", "supervisor", "city")
        first = feed_on(backend.url, Sink(), outbox)
        first.start()
        log = AuditLog(audit, actor, sync=SyncPolicy.NEVER)
        forward_to(log, first)
        log.record(AuditAction.SHELVE, {"event_id": "E1", "note": "maintenance"})
        await first.stop()
        first.close_outbox()
        # Written, but the cockpit stopped before queueing it for the backend:
        log.record(AuditAction.CLOSE_PLAN, {"plan": "P1"})
        log.close()

        second = feed_on(backend.url, Sink(), outbox)
        second.start()
        log = AuditLog(audit, actor, sync=SyncPolicy.NEVER)
        assert forward_to(log, second) == 1, "the record the outbox never saw is caught up"
        server = await backend.up()
        await wait_until(lambda: second.audit_backlog == 0, what="delivered")
        assert sorted(server.audit.records) == [(log.chain_id, 1), (log.chain_id, 2)]
        assert server.audit.copies == 2
        await second.stop()
        second.close_outbox()
        log.close()
        await backend.down()

    asyncio.run(body())


def test_a_forged_command_from_a_viewer_is_refused_and_audited_by_the_backend(tmp_path: Path) -> None:
    async def body() -> None:
        backend = Backend()
        server = await backend.up()
        sink = Sink()
        viewer = Identity("wall-9", "visitor", "viewer")
        feed = FeedClient([backend.url], viewer, sink, backoff=Backoff(base_s=0.05, cap_s=0.2))
        feed.start()
        await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
        event_id = backend.events(1)[0]
        unit = next(iter(backend.city.state.units))
        forged = Command(
            id=uuid7(int(time.time() * 1000)), kind=CommandKind.DISPATCH, event_id=event_id, unit_id=unit
        )
        feed.send_command(forged)
        await wait_until(lambda: sink.last(forged.id) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED), what="answered")
        # Refused by the server core before the city sees it (docs/protocol.md §7.2, §7.9).
        assert forged.id not in backend.acks
        refusal = server.audit.refusals[-1]
        assert (refusal.command_id, refusal.operator, refusal.role) == (forged.id, "visitor", "viewer")
        await feed.stop()
        await backend.down()

    asyncio.run(body())


def test_an_outbox_that_cannot_be_written_keeps_commands_in_memory_and_says_so() -> None:
    sink = Sink()

    async def body() -> None:
        feed = feed_on("ws://127.0.0.1:9", sink, Path("/proc/no-such/outbox.jsonl"))
        feed.start()
        command = acknowledge("E1")
        feed.send_command(command)
        assert feed.outbox == [command] and sink.last(command.id) is CommandStatus.QUEUED
        await feed.stop()
        feed.close_outbox()

    asyncio.run(body())
    assert any("/proc/no-such/outbox.jsonl" in p and "memory only" in p for p in sink.problems), sink.problems


def test_a_second_cockpit_on_the_same_outbox_does_not_share_it(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    first_sink, second_sink = Sink(), Sink()

    async def body() -> None:
        first = feed_on("ws://127.0.0.1:9", first_sink, path)
        first.start()
        first.send_command(acknowledge("E1"))
        second = feed_on("ws://127.0.0.1:9", second_sink, path)
        second.start()
        assert second.outbox == [], "the first cockpit's commands are its own to send"
        await first.stop()
        await second.stop()
        first.close_outbox()
        second.close_outbox()

    asyncio.run(body())
    assert first_sink.problems == []
    assert any("in use by another cockpit" in p for p in second_sink.problems), second_sink.problems
    assert len(reload(path).commands) == 1
