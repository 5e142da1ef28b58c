"""A 30 s stall through the fault proxy (issue 8): stale within 2 heartbeats, then recovery unaided.

The proxy stops forwarding in both directions but keeps every socket open: the cockpit sees
silence, not a closed connection. The feed runs with its production settings (backoff, the
reconnect after 15 s of silence), so what is checked is what a wall would do.
"""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from cockpit.backend.faultproxy import FaultProxy
from cockpit.feed import ConnectionState, FeedClient
from cockpit.model import Situation
from tests.helpers import city_digest, wait_until
from tests.reliability.harness import IDENTITY, SeqSink, caught_up, make_backend, make_city
from tests.reliability.test_wall_under_faults import report

HEARTBEAT_MS = 500
STALL_S = float(os.environ.get("COCKPIT_STALL_S", "30"))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_thirty_second_stall_shows_stale_within_two_heartbeats_and_recovers_by_itself() -> None:
    async def main() -> None:
        backend = make_backend(make_city(seed=31), heartbeat_ms=HEARTBEAT_MS)
        await backend.start()
        proxy = FaultProxy(backend.url)
        await proxy.start()
        model = Situation()
        sink = SeqSink(model.apply)
        feed = FeedClient([proxy.url], IDENTITY, sink)  # production backoff and stale handling
        feed.start()
        await wait_until(lambda: feed.state is ConnectionState.LIVE, timeout=30, what="live")
        await asyncio.sleep(1.0)

        proxy.stall()
        stalled_at = time.time_ns() // 1_000_000
        await wait_until(lambda: feed.state is ConnectionState.STALE, what="stale")
        stale_at = next(t for t, s in feed.transitions if s is ConnectionState.STALE and t >= stalled_at)
        silent_ms = stale_at - feed.last_rx_wall_ms  # nothing has arrived since the stall began
        assert silent_ms <= 2 * HEARTBEAT_MS, f"stale shown after {silent_ms} ms of silence"
        await asyncio.sleep(STALL_S - (time.time_ns() // 1_000_000 - stalled_at) / 1000)
        during = [s for t, s in feed.transitions if t >= stalled_at]
        assert ConnectionState.LIVE not in during, "a stalled link must never look live"

        proxy.resume()
        resumed_at = time.monotonic()
        await wait_until(lambda: feed.state is ConnectionState.LIVE, timeout=60, what="live again by itself")
        recovered_s = time.monotonic() - resumed_at
        backend.running = False
        await wait_until(lambda: caught_up(feed, backend), timeout=60, what="caught up")
        applied = sink.assert_exactly_once(backend)
        assert model.digest() == city_digest(backend.city)
        assert feed.counters.gaps == 0
        report(
            "stall",
            {
                "stall_s": STALL_S,
                "heartbeat_ms": HEARTBEAT_MS,
                "silence_before_stale_ms": silent_ms,
                "states_during_stall": [s.value for s in during],
                "reconnects": feed.counters.reconnects,
                "live_again_after_resume_s": round(recovered_s, 2),
                "messages_applied_once": applied,
            },
        )
        await feed.stop()
        await proxy.stop()
        await backend.stop()

    asyncio.run(main())
