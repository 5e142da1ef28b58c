"""Issue 6, "Done when": gateways die and nats-server restarts; cockpits lose and repeat nothing."""

from __future__ import annotations

import asyncio
import time

import pytest

from cockpit.backend.gateway.server import Gateway, GatewayConfig
from cockpit.feed import ConnectionState
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind
from tests.gateway.conftest import NatsServer
from tests.gateway.support import (
    GatewayProcess,
    Recorder,
    assert_exactly_once,
    make_feed,
    settle,
    start_bridge,
)
from tests.helpers import city_digest, wait_until


@pytest.mark.slow
def test_three_cockpits_fail_over_to_a_second_gateway_when_one_is_killed(nats_server: NatsServer) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        gw_a, gw_b = GatewayProcess(nats_server.url), GatewayProcess(nats_server.url)
        await gw_a.start()
        await gw_b.start()
        recs = [Recorder() for _ in range(3)]
        feeds = [make_feed([gw_a.url, gw_b.url], r, client_id=f"wall-{i}") for i, r in enumerate(recs)]
        try:
            for f in feeds:
                f.start()
            await wait_until(
                lambda: all(f.state is ConnectionState.LIVE for f in feeds), what="all live on A"
            )
            assert all(f.url == gw_a.url for f in feeds)
            city = bridge.city
            await wait_until(
                lambda: any(e.recommended and e.state == "new" for e in city.state.events.values())
            )
            ev = next(e for e in city.state.events.values() if e.recommended and e.state == "new")
            cmd = Command(
                id=uuid7(int(time.time() * 1000)),
                kind=CommandKind.DISPATCH,
                event_id=ev.id,
                unit_id=ev.recommended[0],
            )
            feeds[0].send_command(cmd)
            await wait_until(lambda: bool(recs[0].acks), what="the dispatch's ack")
            assert recs[0].acks[0].result == AckResult.ACCEPTED
            await asyncio.sleep(1.0)

            gw_a.kill()  # SIGKILL: the connections just die
            await wait_until(
                lambda: all(f.url == gw_b.url and f.state is ConnectionState.LIVE for f in feeds),
                timeout=20,
                what="all three live on gateway B",
            )
            await asyncio.sleep(1.5)  # the city goes on; B serves it
            heads = await settle(bridge, feeds, nats_server.url)
            for feed, rec in zip(feeds, recs, strict=True):
                assert feed.counters.reconnects >= 1
                assert sorted(s.stream for s in rec.snapshots) == sorted(feed.cursors.positions), (
                    "one snapshot per stream: the second gateway resumed; it did not resend snapshots"
                )
                assert feed.counters.gaps == 0 and feed.counters.duplicates == 0
                assert_exactly_once(rec, heads)
                assert rec.model.digest() == city_digest(city)
            assert city.state.dispatches[cmd.id].unit_id == ev.recommended[0]
        finally:
            for f in feeds:
                await f.stop()
            gw_a.stop()
            gw_b.stop()
            await bridge.stop()

    asyncio.run(body())


@pytest.mark.slow
def test_a_nats_server_restart_is_survived_without_loss(nats_server: NatsServer) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        gw = GatewayProcess(nats_server.url)
        await gw.start()
        rec = Recorder()
        feed = make_feed([gw.url], rec)
        try:
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            await asyncio.sleep(1.0)
            before = {s: p.seq for s, p in feed.cursors.positions.items()}
            epochs = {s: p.epoch for s, p in feed.cursors.positions.items()}

            await asyncio.to_thread(nats_server.stop)
            await asyncio.sleep(1.0)  # the city goes on; the bridge holds its messages
            await asyncio.to_thread(nats_server.start)

            await wait_until(
                lambda: feed.cursors.get("sensors").seq > before["sensors"] + 50,
                timeout=30,
                what="data flowing again after the restart",
            )
            heads = await settle(bridge, [feed], nats_server.url)
            assert {s: p.epoch for s, p in feed.cursors.positions.items()} == epochs
            assert sorted(s.stream for s in rec.snapshots) == sorted(feed.cursors.positions), (
                "one snapshot per stream: same store, same epochs, nothing had to be snapshotted again"
            )
            assert feed.counters.gaps == 0 and feed.counters.duplicates == 0
            assert_exactly_once(rec, heads)
            assert rec.model.digest() == city_digest(bridge.city)
        finally:
            await feed.stop()
            gw.stop()
            await bridge.stop()

    asyncio.run(body())


@pytest.mark.slow
def test_a_wall_failing_over_to_a_gateway_behind_it_resumes_and_repeats_nothing(
    nats_server: NatsServer,
) -> None:
    """Issue 22: the second gateway's tails are behind the wall's position (it was starved, say).
    The wall resumes there at once and gets what follows its seq when the tail has it: no snapshot
    of the older state, no message seen twice."""

    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        gw_a, gw_b = Gateway(GatewayConfig([nats_server.url])), Gateway(GatewayConfig([nats_server.url]))
        await gw_a.start()
        await gw_b.start()
        rec = Recorder()
        feed = make_feed([gw_a.url, gw_b.url], rec)
        try:
            feed.start()
            await wait_until(
                lambda: feed.state is ConnectionState.LIVE and feed.url == gw_a.url, what="live on A"
            )
            for tail in gw_b.offered():  # B stops following JetStream (and its watch does not notice)
                await tail.stop()
                tail.progress_at = time.monotonic() + 3600
            behind = gw_b.tails["sensors"].seq
            await wait_until(
                lambda: feed.cursors.get("sensors").seq > behind + 50, what="the wall ahead of B"
            )
            await gw_a.stop()
            await wait_until(
                lambda: feed.state is ConnectionState.LIVE and feed.url == gw_b.url,
                timeout=20,
                what="live on B",
            )
            assert gw_b.stats.resumed_ahead >= 1 and gw_b.stats.snapshots == 0
            for tail in gw_b.offered():
                await tail.start()
            heads = await settle(bridge, [feed], nats_server.url)
            assert sorted(s.stream for s in rec.snapshots) == sorted(feed.cursors.positions), (
                "no snapshot again"
            )
            assert feed.counters.gaps == 0 and feed.counters.duplicates == 0
            assert_exactly_once(rec, heads)
            assert rec.model.digest() == city_digest(bridge.city)
        finally:
            await feed.stop()
            await gw_b.stop()
            await gw_a.stop()
            await bridge.stop()

    asyncio.run(body())
