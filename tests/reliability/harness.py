"""What the fault suite shares: an exactly-once sink, a backend on its own thread, settling."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent, StateChanged
from cockpit.protocol.events import DataReceived, SnapshotReceived

IDENTITY = Identity("fault-suite", "officer-9", "operator", token="f4ult")
T = TypeVar("T")


@dataclass
class SeqSink:
    """Wraps a feed's sink and records, per stream, every seq handed to it (since its last snapshot).

    Counting here, at the FeedClient sink, is counting what the model is given: a seq seen twice
    was applied twice, a seq missing was lost.
    """

    inner: Callable[[list[FeedEvent]], None] | None = None
    seqs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    snapshots: list[SnapshotReceived] = field(default_factory=list)
    states: list[tuple[int, ConnectionState]] = field(default_factory=list)
    """(wall ms, state) of every state change."""

    def __call__(self, events: list[FeedEvent]) -> None:
        for ev in events:
            if isinstance(ev, DataReceived):
                for m in ev.messages:
                    self.seqs[m.stream].append(m.seq)
            elif isinstance(ev, SnapshotReceived):
                self.snapshots.append(ev)
                self.seqs[ev.stream] = [ev.seq]
            elif isinstance(ev, StateChanged) and (not self.states or self.states[-1][1] is not ev.state):
                self.states.append((time.time_ns() // 1_000_000, ev.state))
        if self.inner is not None:
            self.inner(events)

    def assert_exactly_once(self, backend: DemoBackend) -> int:
        """Every seq of every stream since the snapshot arrived once, in order. Returns how many."""
        total = 0
        for stream, stream_log in backend.hub.logs.items():
            seen = self.seqs[stream]
            assert seen, f"{stream}: nothing received"
            expected = list(range(seen[0], stream_log.seq + 1))
            if seen != expected:
                dup = len(seen) - len(set(seen))
                lost = sorted(set(expected) - set(seen))[:10]
                raise AssertionError(f"{stream}: {dup} duplicated, lost {lost}... ({len(seen)} seen)")
            total += len(seen) - 1
        return total


def make_city(seed: int = 5) -> City:
    return City(Hub(), seed=seed, rate=600, event_rate=240, sensors_per_kind=4)


def make_backend(city: City, heartbeat_ms: int = 300) -> DemoBackend:
    return DemoBackend(city, heartbeat_ms=heartbeat_ms, speed=4)


def caught_up(feed: FeedClient, backend: DemoBackend) -> bool:
    return feed.state is ConnectionState.LIVE and all(
        feed.cursors.get(s).seq == backend.hub.logs[s].seq and feed.cursors.get(s).epoch == backend.epoch
        for s in backend.hub.logs
    )


class LoopThread:
    """An asyncio loop on its own thread, for a backend (and proxy) that must not share the GUI
    thread's loop, as the embedded demo backend does not (cockpit/app/embedded.py)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fault-backend", daemon=True)
        self._thread.start()

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the thread's loop and await its result from another loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()
