"""10,000 commands across 50 forced disconnects: each applied exactly once, each ends answered."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, CommandStatus, CommandUpdate, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.present.commands import CommandBook
from cockpit.present.i18n import untranslated
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind
from tests.helpers import wait_until
from widgets.values import Tone

COMMANDS = 10_000
DISCONNECTS = 50


@pytest.mark.slow
def test_ten_thousand_commands_across_fifty_disconnects_apply_exactly_once() -> None:
    async def body() -> None:
        city = City(Hub(), seed=21, rate=200, event_rate=600, sensors_per_kind=2)
        city.advance(120)  # plenty of events to acknowledge
        backend = DemoBackend(city, heartbeat_ms=300, speed=1)
        await backend.start()
        acks: dict[str, list[str]] = {}
        final: dict[str, CommandStatus] = {}
        book = CommandBook("operator", untranslated)  # what the console's dispatch board shows

        def sink(events: list[FeedEvent]) -> None:
            book.apply(events)
            for ev in events:
                if isinstance(ev, CommandAcked):
                    acks.setdefault(ev.ack.id, []).append(ev.ack.result)
                elif isinstance(ev, CommandUpdate) and ev.status in (
                    CommandStatus.ACCEPTED,
                    CommandStatus.REJECTED,
                    CommandStatus.UNANSWERED,
                    CommandStatus.EXPIRED,
                ):
                    final[ev.command.id] = ev.status

        feed = FeedClient(
            [backend.url], Identity("storm", "op", "operator"), sink, backoff=Backoff(base_s=0.02, cap_s=0.1)
        )
        feed.start()
        await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
        event_ids = sorted(city.state.events)
        rng = random.Random(7)
        ids: list[str] = []

        async def send_all() -> None:
            for i in range(COMMANDS):
                cid = uuid7(int(time.time() * 1000))
                ids.append(cid)
                command = Command(id=cid, kind=CommandKind.ACKNOWLEDGE, event_id=rng.choice(event_ids))
                feed.send_command(command)
                if i % 100 == 99:
                    await asyncio.sleep(0.01)

        async def disrupt() -> None:
            for _ in range(DISCONNECTS):
                await asyncio.sleep(rng.uniform(0.03, 0.12))
                # Hold the backend's answers a moment, then cut: commands it applied lose their
                # acks and must be resent, and must not be applied again.
                backend.stalled = True
                await asyncio.sleep(0.02)
                for client in list(backend.clients):
                    client.ws.transport.abort()  # a cut, no closing handshake
                backend.stalled = False

        await asyncio.gather(send_all(), disrupt())
        await wait_until(lambda: len(final) == COMMANDS, timeout=120, what="every command final")

        assert feed.counters.reconnects >= DISCONNECTS // 2, "the disconnects really happened"
        assert set(final.values()) == {CommandStatus.ACCEPTED}, "each ends answered, visibly"
        # Exactly once: the backend applied every id once, whatever was resent.
        assert city.applied == COMMANDS
        assert set(city._acks) == set(ids)
        resent = [cid for cid, results in acks.items() if AckResult.DUPLICATE in results]
        assert resent, "some acks were lost and their commands resent"
        assert all(city._acks[c].result == AckResult.ACCEPTED for c in resent)
        # Visibly: every row of the board is in a final state, none still "sent" or "queued".
        board = {row.id: row for row in book.board_rows(Situation())}
        assert not any(r.status.pending for r in book.records.values())
        assert {r.status for r in book.records.values()} == {CommandStatus.ACCEPTED}
        assert len(book.records) == COMMANDS
        assert board and all(row.tone is Tone.DONE for row in board.values())
        await feed.stop()
        await backend.stop()

    asyncio.run(body())
