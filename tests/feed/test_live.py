"""The feed against the real demo backend on loopback websockets (issue 2, "Done when")."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field

import msgspec
import pytest

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, CommandStatus, CommandUpdate, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.filters import matches
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind, Heartbeat, Stream
from tests.helpers import city_digest, wait_until

IDENTITY = Identity("test-cockpit", "officer-1", "operator", token="s3cret")


@dataclass
class Recorder:
    """A sink that feeds a model and remembers what it saw."""

    model: Situation = field(default_factory=Situation)
    seqs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    snapshots: list[SnapshotReceived] = field(default_factory=list)
    progress: list[CommandUpdate] = field(default_factory=list)

    def __call__(self, events: list[FeedEvent]) -> None:
        self.model.apply(events)
        for ev in events:
            if isinstance(ev, DataReceived):
                for m in ev.messages:
                    self.seqs[m.stream].append(m.seq)
            elif isinstance(ev, SnapshotReceived):
                self.snapshots.append(ev)
                self.seqs[ev.stream].clear()
                self.seqs[ev.stream].append(ev.seq)
            elif isinstance(ev, CommandUpdate):
                self.progress.append(ev)


def make_backend(seed: int = 5, epoch: str | None = None, heartbeat_ms: int = 300) -> DemoBackend:
    city = City(Hub(epoch=epoch), seed=seed, rate=600, event_rate=240, sensors_per_kind=4)
    return DemoBackend(city, heartbeat_ms=heartbeat_ms, speed=4)


def make_feed(url: str, rec: Recorder) -> FeedClient:
    return FeedClient([url], IDENTITY, rec, backoff=Backoff(base_s=0.05, cap_s=0.3))


async def live_pair(seed: int = 5, heartbeat_ms: int = 300) -> tuple[DemoBackend, Recorder, FeedClient]:
    """A started demo backend and a feed that is live on it, recording into a model."""
    backend = make_backend(seed=seed, heartbeat_ms=heartbeat_ms)
    await backend.start()
    rec = Recorder()
    feed = make_feed(backend.url, rec)
    feed.start()
    await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
    return backend, rec, feed


def caught_up(feed: FeedClient, backend: DemoBackend) -> bool:
    return feed.state is ConnectionState.LIVE and all(
        feed.cursors.get(s).seq == backend.hub.logs[s].seq and feed.cursors.get(s).epoch == backend.epoch
        for s in backend.hub.logs
    )


def assert_exactly_once(rec: Recorder, backend: DemoBackend) -> None:
    """Since its last snapshot, the client saw every seq of every stream once, in order."""
    for stream, log in backend.hub.logs.items():
        seen = rec.seqs[stream]
        assert seen == list(range(seen[0], log.seq + 1)), f"{stream}: lost or duplicated messages"


async def settle(feed: FeedClient, backend: DemoBackend) -> None:
    backend.running = False  # freeze the city, then let the client drain what is in flight
    await wait_until(lambda: caught_up(feed, backend), what="client caught up with the backend")


def dispatch_one(feed: FeedClient, backend: DemoBackend) -> Command:
    ev = next(e for e in backend.city.state.events.values() if e.recommended and e.state == "new")
    cmd = Command(
        id=uuid7(int(time.time() * 1000)),
        kind=CommandKind.DISPATCH,
        event_id=ev.id,
        unit_id=ev.recommended[0],
    )
    feed.send_command(cmd)
    return cmd


def test_backend_restart_same_epoch_loses_and_duplicates_nothing() -> None:
    async def body() -> None:
        backend, rec, feed = await live_pair()
        await wait_until(lambda: any(e.recommended for e in backend.city.state.events.values()))
        dispatch_one(feed, backend)
        await asyncio.sleep(0.5)
        port, city = backend.port, backend.city

        await backend.stop(abort=True)  # like a crash: no closing handshake
        await wait_until(lambda: feed.state is not ConnectionState.LIVE, what="feed noticed the drop")
        city.advance(20.0)  # the backend's world goes on while the link is down
        backend = DemoBackend(city, heartbeat_ms=300, speed=4)
        await backend.start(port=port)
        await asyncio.sleep(0.8)
        await settle(feed, backend)

        assert len(rec.snapshots) == len(Stream), "a same-epoch restart must resume, not re-snapshot"
        assert_exactly_once(rec, backend)
        assert rec.model.digest() == city_digest(city)
        assert feed.counters.gaps == 0 and feed.counters.duplicates == 0
        assert feed.counters.reconnects >= 1
        await feed.stop()
        await backend.stop()

    asyncio.run(body())


def test_backend_restart_new_epoch_takes_snapshot_and_matches() -> None:
    async def body() -> None:
        backend, rec, feed = await live_pair(seed=6)
        await asyncio.sleep(0.5)
        old_events = set(rec.model.events)
        port = backend.port
        await backend.stop(abort=True)

        backend = make_backend(seed=7)  # state lost: new epoch, a different city
        await backend.start(port=port)
        await wait_until(lambda: caught_up(feed, backend), what="resynced to the new epoch")
        await asyncio.sleep(0.5)
        await settle(feed, backend)

        assert len(rec.snapshots) == 2 * len(Stream)
        assert all(s.epoch == backend.epoch for s in rec.snapshots[len(Stream) :])
        assert_exactly_once(rec, backend)
        assert rec.model.digest() == city_digest(backend.city)
        assert not (old_events & set(rec.model.events)), "events of the lost epoch must be gone"
        await feed.stop()
        await backend.stop()

    asyncio.run(body())


def test_stalled_connection_shows_stale_within_two_heartbeats_then_recovers() -> None:
    async def body() -> None:
        backend, _rec, feed = await live_pair(heartbeat_ms=500)
        backend.stalled = True
        await wait_until(lambda: feed.state is ConnectionState.STALE, what="stale")
        stale_at = next(t for t, s in reversed(feed.transitions) if s is ConnectionState.STALE)
        silent_for = (stale_at - feed.last_rx_wall_ms) / 1000
        assert silent_for <= 2 * 0.5, f"stale shown after {silent_for:.3f} s of silence"
        backend.stalled = False
        await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live again")
        assert feed.counters.reconnects == 0, "a stall must recover on the same connection"
        await feed.stop()
        await backend.stop()

    asyncio.run(body())


def test_command_resent_after_disconnect_is_applied_once() -> None:
    async def body() -> None:
        backend, rec, feed = await live_pair(seed=8)
        await wait_until(lambda: any(e.recommended for e in backend.city.state.events.values()))
        backend.running = False
        backend.stalled = True  # the backend applies the command, but its ack never leaves
        cmd = dispatch_one(feed, backend)
        await wait_until(lambda: cmd.id in backend.city.state.dispatches, what="command applied")
        port, city = backend.port, backend.city
        await backend.stop(abort=True)
        assert [c.id for c in feed.outbox] == [cmd.id], "unanswered command must stay in the outbox"

        backend = DemoBackend(city, heartbeat_ms=300, speed=4)
        await backend.start(port=port)
        await wait_until(lambda: any(p.status in (CommandStatus.ACCEPTED, CommandStatus.REJECTED) for p in rec.progress), what="ack")
        await settle(feed, backend)
        sent = [p for p in rec.progress if p.status is CommandStatus.SENT]
        assert len(sent) == 2, "sent once, then once more after the reconnect"
        acks = [a for a in city._acks.values() if a.id == cmd.id]
        assert len(acks) == 1 and acks[0].result == AckResult.ACCEPTED
        unit = city.state.units[cmd.unit_id]
        assert unit.event_id == cmd.event_id
        assert sum(1 for d in city.state.dispatches.values() if d.unit_id == cmd.unit_id) == 1
        assert list(rec.model.dispatches) == [cmd.id]
        assert rec.model.digest() == city_digest(city)
        await feed.stop()
        await backend.stop()

    asyncio.run(body())


def test_malformed_unknown_and_oversized_frames_are_counted_and_stream_goes_on() -> None:
    async def body() -> None:
        backend, rec, feed = await live_pair(seed=9)
        before = feed.counters.messages
        await backend.send_raw(b"\xc1 not msgpack")
        await backend.send_raw(msgspec.msgpack.encode([{"t": "from_the_future", "x": 1}]))
        await backend.send_raw(msgspec.msgpack.encode({"t": "hb"}))  # not an array
        big = encode_frame([Heartbeat(ts=1)]) + b"\x00" * (1 << 20)
        await backend.send_raw(big)  # over the 1 MiB protocol limit, under the transport's
        await wait_until(lambda: feed.counters.oversized == 1, what="oversized counted")
        assert feed.counters.malformed == 2
        assert feed.counters.unknown == 1
        await wait_until(lambda: feed.counters.messages > before + 20, what="stream goes on")
        assert feed.state is ConnectionState.LIVE
        assert feed.counters.reconnects == 0
        await settle(feed, backend)
        assert_exactly_once(rec, backend)
        await feed.stop()
        await backend.stop()

    asyncio.run(body())


def test_dead_backend_is_reported_offline_with_reason_and_retried() -> None:
    async def body() -> None:
        rec = Recorder()
        feed = make_feed("ws://127.0.0.1:9", rec)  # nothing listens on the discard port
        feed.start()
        await wait_until(
            lambda: (
                feed.counters.reconnects >= 2
                and feed.state is ConnectionState.OFFLINE
                and "retry in" in feed.detail
            ),
            what="offline with a retry announced, after retries",
        )
        assert "127.0.0.1:9" in feed.detail
        assert ConnectionState.CONNECTING in {s for _, s in feed.transitions}
        await feed.stop()

    asyncio.run(body())


def test_token_never_appears_in_identity_repr() -> None:
    assert "s3cret" not in repr(IDENTITY)
    assert Stream.EVENTS in {"events"}


def test_server_that_never_welcomes_is_given_up_after_the_handshake_timeout() -> None:
    from websockets.asyncio.server import ServerConnection, serve

    async def mute(ws: ServerConnection) -> None:
        async for _ in ws:
            pass  # takes the hello, never answers

    async def body() -> None:
        async with serve(mute, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            rec = Recorder()
            feed = FeedClient(
                [f"ws://127.0.0.1:{port}"],
                IDENTITY,
                rec,
                backoff=Backoff(base_s=0.05, cap_s=0.1),
                handshake_timeout_s=2.0,
            )
            feed.start()
            await wait_until(lambda: "no welcome" in feed.detail, what="handshake given up")
            connecting = next(t for t, s in feed.transitions if s is ConnectionState.CONNECTING)
            first_give_up = next(t for t, s in feed.transitions if s is ConnectionState.OFFLINE and t > connecting)
            # Not dropped early as "silent": the handshake got its full time.
            assert first_give_up - connecting >= 2000
            assert feed.counters.reconnects == 0 or feed.state is not ConnectionState.LIVE
            await feed.stop()

    asyncio.run(body())


def test_filtered_subscription_gets_only_its_district_with_no_false_gaps() -> None:
    from cockpit.protocol.messages import Filter

    async def body() -> None:
        backend = make_backend(seed=12)
        await backend.start()
        rec = Recorder()
        feed = FeedClient(
            [backend.url],
            IDENTITY,
            rec,
            backoff=Backoff(base_s=0.05, cap_s=0.3),
            subscriptions={s.value: Filter(districts=["jiangbei"]) for s in Stream},
        )
        feed.start()
        await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
        await asyncio.sleep(1.0)
        port, city = backend.port, backend.city
        await backend.stop(abort=True)  # resume a filtered stream across a restart too
        city.advance(10.0)
        backend = DemoBackend(city, heartbeat_ms=300, speed=4)
        await backend.start(port=port)
        await asyncio.sleep(0.8)
        backend.running = False
        f = Filter(districts=["jiangbei"])

        def last_matching(stream: str) -> int:
            return max(
                (e.seq for e in backend.hub.logs[stream].since(0) if matches(f, e.district, e.theme)),
                default=0,
            )

        await wait_until(
            lambda: all(feed.cursors.get(s).seq >= last_matching(s) for s in backend.hub.logs),
            what="filtered client caught up",
        )
        m = rec.model
        assert m.events and {e.district for e in m.events.values()} == {"jiangbei"}
        assert {u.district for u in m.units.values()} == {"jiangbei"}
        assert {i.district for i in m.sensors.infos} == {"jiangbei"}
        want = {
            k: v
            for k, v in city_digest(city)["events"].items()
            if city.state.events[k].district == "jiangbei"
        }
        assert m.digest()["events"] == want
        assert feed.counters.gaps == 0 and feed.counters.duplicates == 0
        assert len(rec.snapshots) == len(Stream)
        await feed.stop()
        await backend.stop()

    asyncio.run(body())


def test_command_queued_before_a_new_epoch_expires_instead_of_hitting_another_event() -> None:
    async def body() -> None:
        backend, rec, feed = await live_pair(seed=13)
        await wait_until(lambda: any(e.recommended for e in backend.city.state.events.values()))
        await asyncio.sleep(0.3)
        port = backend.port
        await backend.stop(abort=True)
        await wait_until(lambda: feed.state is not ConnectionState.LIVE, what="link down")
        ev = next(e for e in rec.model.events.values() if e.recommended)
        cmd = Command(
            id=uuid7(int(time.time() * 1000)),
            kind=CommandKind.DISPATCH,
            event_id=ev.id,
            unit_id=ev.recommended[0],
        )
        feed.send_command(cmd)  # queued while offline, stamped with the epoch on screen
        assert feed.outbox[0].epoch == backend.epoch
        backend = make_backend(seed=13)  # same seed, same event ids, but a new epoch: state was lost
        await backend.start(port=port)
        await wait_until(lambda: any(p.status is CommandStatus.EXPIRED for p in rec.progress), what="expired")
        assert feed.outbox == []
        assert cmd.id not in backend.city.state.dispatches
        assert not any(p.status is CommandStatus.SENT for p in rec.progress)
        await feed.stop()
        await backend.stop()

    asyncio.run(body())


def test_plain_ws_to_another_machine_is_refused_unless_allowed() -> None:
    from cockpit.feed.client import check_url

    for ok in ("ws://127.0.0.1:8765", "ws://localhost:1", "ws://[::1]:9", "wss://city.example:443"):
        check_url(ok)
    for bad in ("ws://10.1.2.3:8765", "ws://backend.district.local/feed"):
        with pytest.raises(ValueError, match="token would travel in clear"):
            FeedClient([bad], IDENTITY, lambda evs: None)
        check_url(bad, allow_insecure=True)
    with pytest.raises(ValueError, match="not a ws:// or wss:// URL"):
        check_url("http://127.0.0.1:8765")


def test_a_forged_command_from_a_viewer_is_refused_by_the_backend() -> None:
    import websockets

    from cockpit.protocol.codec import decode_server_frame
    from cockpit.protocol.messages import CommandAck, Hello

    async def body() -> None:
        backend = make_backend(seed=14)
        await backend.start()
        await wait_until(lambda: any(e.recommended for e in backend.city.state.events.values()))
        ev = next(e for e in backend.city.state.events.values() if e.recommended)
        async with websockets.connect(backend.url, compression=None, proxy=None) as ws:
            await ws.send(encode_frame([Hello(v=1, client_id="x", operator="v", role="viewer")]))
            await ws.recv()  # welcome
            # A hand-made frame, as a tampered client would send it, bypassing any UI.
            forged = Command(
                id=uuid7(int(time.time() * 1000)),
                kind=CommandKind.DISPATCH,
                event_id=ev.id,
                unit_id=ev.recommended[0],
            )
            await ws.send(encode_frame([forged]))
            ack = None
            while ack is None:
                for m in decode_server_frame(await ws.recv(), 1 << 22).messages:
                    if isinstance(m, CommandAck):
                        ack = m
        assert ack.result == AckResult.REJECTED and ack.reason == "forbidden"
        assert forged.id not in backend.city.state.dispatches
        await backend.stop()

    asyncio.run(body())
