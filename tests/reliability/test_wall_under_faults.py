"""100 backend restarts and 100 connection cuts under the real wall (issue 8, "Faults").

The cockpit (:class:`cockpit.app.wiring.Cockpit`: feed, model, five runway screens and the console,
offscreen) runs on a qasync loop as the app does; the backend and the fault proxy run on their own
thread and loop, as the embedded demo backend does. Every seq handed to the feed's sink is counted:
none may be lost or duplicated, and at the end the model equals the backend's state.

The wall's largest frame gap (the longest time between two ticks of its 16 ms frame timer) is
measured and reported, not asserted: this machine is shared and noisy. Set ``COCKPIT_FIGURES`` to a
folder to have the figures written there as JSON (docs/reliability.md quotes them).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import os
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from cockpit.app.wiring import Cockpit, freeze_startup_heap
from cockpit.backend.faultproxy import FaultProxy
from cockpit.backend.restart_loop import RestartLoop
from cockpit.backend.server import DemoBackend
from cockpit.feed import Backoff, ConnectionState, FeedClient
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.messages import Stream
from tests.helpers import city_digest, wait_until
from tests.reliability.harness import (
    IDENTITY,
    LoopThread,
    SeqSink,
    caught_up,
    make_backend,
    make_city,
    qasync_sockets,
    where_stuck,
)

FAULTS = int(os.environ.get("COCKPIT_FAULTS", "100"))


class FrameGaps:
    """Times every tick of the wall's frame timer; the largest gap is the longest freeze."""

    def __init__(self) -> None:
        self.ticks: list[float] = []

    def __call__(self) -> None:
        self.ticks.append(time.monotonic())

    def figures(self, since: int = 0, until: int | None = None) -> dict[str, float]:
        """Gap figures over ticks ``since`` .. ``until`` (indices into :attr:`ticks`)."""
        ticks = self.ticks[since:until]
        gaps = sorted(b - a for a, b in itertools.pairwise(ticks))
        return {
            "frames": len(ticks),
            "largest_gap_ms": round(1000 * gaps[-1], 1),
            "p99_gap_ms": round(1000 * gaps[int(0.99 * (len(gaps) - 1))], 1),
            "median_gap_ms": round(1000 * gaps[len(gaps) // 2], 1),
            "gaps_over_100ms": sum(g > 0.1 for g in gaps),
        }


def report(name: str, figures: dict[str, object]) -> None:
    print(f"\n{name}: {json.dumps(figures)}")
    folder = os.environ.get("COCKPIT_FIGURES")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.json").write_text(json.dumps(figures, indent=2))


@pytest.fixture
def backend_thread() -> Iterator[LoopThread]:
    lt = LoopThread()
    yield lt
    lt.close()


def run_wall(
    app: QApplication,
    url: str,
    body: Callable[[Cockpit, SeqSink], Awaitable[None]],
    gaps: FrameGaps | None = None,
) -> FrameGaps:
    """Run ``body`` with a live wall on ``url``; returns the measured frame ticks."""
    gaps = gaps if gaps is not None else FrameGaps()

    async def main() -> None:
        c = Cockpit([url], IDENTITY)
        assert isinstance(c.feed, FeedClient), "a live wall, not a replay"
        c.feed.backoff = Backoff(base_s=0.05, cap_s=0.3)
        sink = SeqSink(c.feed.sink)
        c.feed.sink = sink
        c.place(virtual_screens(5, 1600, 900))
        c.wall.show(full_screen=False)
        freeze_startup_heap()  # as cockpit/app/run.py does before the wall goes live
        c.frame_timer.timeout.connect(gaps)
        try:
            c.start()
            await wait_until(lambda: c.feed.state is ConnectionState.LIVE, timeout=60, what="wall live")
            await body(c, sink)
        finally:
            await c.stop()
            c.wall.close()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            gc.unfreeze()  # the next test's objects are its own
            gc.collect()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return gaps


async def flowing(
    c: Cockpit,
    more: int = 10,
    what: str = "stream live",
    lt: LoopThread | None = None,
    backend: Callable[[], DemoBackend] | None = None,
) -> None:
    """Wait until the wall's feed is live and ``more`` messages came; say where it is stuck if not."""
    start = c.feed.counters.messages
    try:
        # Generous: the machine is shared, and this checks what arrives, not how fast.
        await wait_until(
            lambda: c.feed.state is ConnectionState.LIVE and c.feed.counters.messages > start + more,
            timeout=60,
        )
    except AssertionError:
        recent = list(c.feed.transitions)[-6:]
        probed = (
            await where_stuck(lt, c.feed.url, backend() if backend is not None else None)
            if lt is not None
            else ""
        )
        raise AssertionError(
            f"{what}: feed {c.feed.state.value}, {c.feed.detail}, {c.feed.counters}, recent states {recent}; "
            f"{probed}; {qasync_sockets()}"
        ) from None


async def settle_and_check(lt: LoopThread, c: Cockpit, sink: SeqSink, backend: DemoBackend) -> int:
    """Freeze the city, wait for the wall's feed to catch up, check exactly-once and the model."""
    backend.running = False
    feed = c.feed
    assert isinstance(feed, FeedClient)
    await wait_until(lambda: caught_up(feed, backend), timeout=60, what="caught up")

    async def digest() -> dict[str, object]:
        return city_digest(backend.city)

    applied = sink.assert_exactly_once(backend)
    assert len(sink.snapshots) == len(Stream), "same-epoch faults must resume, never re-snapshot"
    assert c.feed.counters.gaps == 0 and c.feed.counters.duplicates == 0
    assert c.situation.digest() == await lt.run(digest())
    return applied


@pytest.mark.slow
@pytest.mark.timeout(1200)  # under a minute on an idle machine
def test_hundred_backend_restarts_lose_and_duplicate_nothing(
    qapp: QApplication, backend_thread: LoopThread
) -> None:
    lt = backend_thread
    rng = random.Random(8)

    async def start() -> RestartLoop:
        backend = make_backend(make_city(seed=21))
        await backend.start()
        return RestartLoop(backend)

    restarts = asyncio.run_coroutine_threadsafe(start(), lt.loop).result(10)
    outcome: dict[str, object] = {}
    gaps = FrameGaps()

    async def body(c: Cockpit, sink: SeqSink) -> None:
        # A baseline first: the same wall and stream for 5 s without faults.
        await flowing(c, 10, "live before the restarts", lt, lambda: restarts.backend)
        outcome["baseline_from"] = len(gaps.ticks)
        await asyncio.sleep(5.0)
        outcome["baseline_to"] = len(gaps.ticks)
        t0 = time.monotonic()
        for _ in range(FAULTS):
            await flowing(c, rng.randint(0, 60), "stream live between restarts", lt, lambda: restarts.backend)
            await lt.run(restarts.restart(down_s=rng.choice([0.0, 0.0, 0.05, 0.2])))
        await flowing(c, 10, "live after the last restart", lt, lambda: restarts.backend)
        outcome["seconds"] = round(time.monotonic() - t0, 1)
        outcome["messages_applied_once"] = await settle_and_check(lt, c, sink, restarts.backend)
        outcome["reconnects"] = c.feed.counters.reconnects
        assert c.feed.counters.reconnects >= FAULTS

    run_wall(qapp, restarts.backend.url, body, gaps)
    asyncio.run_coroutine_threadsafe(restarts.backend.stop(), lt.loop).result(10)
    assert restarts.restarts == FAULTS
    since, until = int(outcome.pop("baseline_from")), int(outcome.pop("baseline_to"))  # type: ignore[call-overload]
    baseline = {f"baseline_{k}": v for k, v in gaps.figures(since, until).items()}
    report("restarts", {"restarts": FAULTS, **outcome, **gaps.figures(until), **baseline})


@pytest.mark.slow
@pytest.mark.timeout(1200)  # under a minute on an idle machine
def test_hundred_connection_cuts_lose_and_duplicate_nothing(
    qapp: QApplication, backend_thread: LoopThread
) -> None:
    lt = backend_thread
    rng = random.Random(9)

    async def start() -> tuple[DemoBackend, FaultProxy]:
        backend = make_backend(make_city(seed=22))
        await backend.start()
        proxy = FaultProxy(backend.url)
        await proxy.start()
        return backend, proxy

    backend, proxy = asyncio.run_coroutine_threadsafe(start(), lt.loop).result(10)
    outcome: dict[str, object] = {}

    async def cut() -> int:
        return proxy.cut()

    async def body(c: Cockpit, sink: SeqSink) -> None:
        t0 = time.monotonic()
        cuts = 0
        while cuts < FAULTS:
            # Cut at random moments: mid-handshake, mid-resume, mid-stream.
            if rng.random() < 0.7:
                await flowing(c, rng.randint(0, 60), "stream live between cuts", lt)
            else:
                await asyncio.sleep(rng.uniform(0.0, 0.05))
            cuts += 1 if await lt.run(cut()) else 0
        await flowing(c, 10, "live after the last cut")
        outcome["seconds"] = round(time.monotonic() - t0, 1)
        outcome["messages_applied_once"] = await settle_and_check(lt, c, sink, backend)
        outcome["reconnects"] = c.feed.counters.reconnects
        assert c.feed.counters.reconnects >= FAULTS

    gaps = run_wall(qapp, proxy.url, body)

    async def stop() -> None:
        await proxy.stop()
        await backend.stop()

    asyncio.run_coroutine_threadsafe(stop(), lt.loop).result(10)
    report("cuts", {"cuts": FAULTS, **outcome, **gaps.figures()})
