"""A measurement, not a test: walls failing over from gateway A to a gateway B whose tails lag
behind them (issue 22; docs/benchmarks.md "city").

``python -m tests.gateway.failover_probe [WALLS] [LAG_S]`` from the repository root: a nats-server,
the demo city bridged into it, two gateways in this process and WALLS feeds live on A; B stops
following JetStream, A is stopped 3 s later, and B follows again LAG_S seconds after that. Prints
(JSON) how long until every wall was live on B, the snapshots the walls took after the failover,
and the seqs a wall was shown twice. The scenario of
``test_failover.py::test_a_wall_failing_over_to_a_gateway_behind_it_resumes_and_repeats_nothing``,
with more walls and a measured time.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

from cockpit.backend.gateway.publisher import RETRYABLE
from cockpit.backend.gateway.server import Gateway, GatewayConfig
from cockpit.feed import ConnectionState
from cockpit.feed.client import FeedEvent
from cockpit.protocol.events import DataReceived
from tests.gateway.conftest import NatsServer
from tests.gateway.support import Recorder, make_feed, start_bridge, stream_heads


class _Shown(Recorder):
    """Also every data seq received per stream, across snapshots (what the wall was shown)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, list[int]] = {}

    def __call__(self, events: list[FeedEvent]) -> None:
        super().__call__(events)
        for ev in events:
            if isinstance(ev, DataReceived):
                for m in ev.messages:
                    self.shown.setdefault(m.stream, []).append(m.seq)


async def _until(done: object, what: str, timeout_s: float = 240.0) -> None:
    t = time.monotonic()
    while not done():  # type: ignore[operator]
        await asyncio.sleep(0.01)
        if time.monotonic() - t > timeout_s:
            raise TimeoutError(what)


async def probe(walls: int, lag_s: float) -> dict[str, float]:
    store = Path(tempfile.mkdtemp()) / "store"
    store.mkdir(parents=True)
    nats = NatsServer(store)
    nats.start()
    bridge = await start_bridge(nats.url)
    gw_a, gw_b = Gateway(GatewayConfig([nats.url])), Gateway(GatewayConfig([nats.url]))
    await gw_a.start()
    await gw_b.start()
    recs = [_Shown() for _ in range(walls)]
    feeds = [
        make_feed([gw_a.url, gw_b.url], r, client_id=f"wall-{i}", operator=f"op-{i}")
        for i, r in enumerate(recs)
    ]

    def all_live_on(url: str) -> bool:
        return all(f.state is ConnectionState.LIVE and f.url == url for f in feeds)

    try:
        for f in feeds:
            f.start()
        await _until(lambda: all_live_on(gw_a.url), "live on A")
        for tail in gw_b.offered():  # B falls behind (and its watch does not restart it)
            await tail.stop()
            tail.progress_at = time.monotonic() + 3600
        await asyncio.sleep(3.0)
        snapshots_before = sum(len(r.snapshots) for r in recs)
        killed = time.monotonic()
        await gw_a.stop()
        live: float | None = None
        while time.monotonic() - killed < lag_s:  # B still behind
            if live is None and all_live_on(gw_b.url):
                live = time.monotonic() - killed
            await asyncio.sleep(0.01)
        for tail in gw_b.offered():  # B follows again and catches up
            for attempt in range(5):  # a loaded machine's NATS may answer late
                try:
                    await tail.start()
                    break
                except RETRYABLE:
                    if attempt == 4:
                        raise
        await _until(lambda: all_live_on(gw_b.url), "live on B")
        if live is None:
            live = time.monotonic() - killed
        bridge.running = False
        await _until(lambda: bridge.caught_up, "the bridge published everything")
        heads = await stream_heads(nats.url)
        await _until(
            lambda: all(all(f.cursors.get(s).seq == heads[s] for s in heads) for f in feeds), "caught up"
        )
        return {
            "walls": walls,
            "lag_s": lag_s,
            "all_live_on_b_s": round(live, 3),
            "snapshots_after_failover": sum(len(r.snapshots) for r in recs) - snapshots_before,
            "seqs_shown_twice": sum(len(s) - len(set(s)) for r in recs for s in r.shown.values()),
            "gaps": sum(f.counters.gaps for f in feeds),
        }
    finally:
        for f in feeds:
            await f.stop()
        await gw_b.stop()
        await gw_a.stop()
        await bridge.stop()
        nats.stop()


if __name__ == "__main__":
    args = [float(a) for a in sys.argv[1:]]
    print(json.dumps(asyncio.run(probe(int(args[0]) if args else 40, args[1] if len(args) > 1 else 4.0))))
