"""Commands through gateways: deduplicated by Nats-Msg-Id, refused by role and by district."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats

from cockpit.backend.gateway.layout import COMMANDS_STREAM
from cockpit.backend.gateway.server import Access, Gateway, GatewayConfig
from cockpit.backend.nats_bridge import NatsBridge
from cockpit.feed import ConnectionState, FeedClient
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind, Filter, Geometry, Plot, PlotBody
from tests.gateway.conftest import NatsServer
from tests.gateway.support import Recorder, make_feed, settle, start_bridge
from tests.helpers import city_digest, wait_until


@asynccontextmanager
async def gateways(nats_url: str, n: int = 1, access: Access | None = None) -> AsyncIterator[list[Gateway]]:
    gws = [
        Gateway(GatewayConfig([nats_url], server_id=f"gw-{i}", heartbeat_ms=300, access=access or Access()))
        for i in range(n)
    ]
    for gw in gws:
        await gw.start()
    try:
        yield gws
    finally:
        for gw in gws:
            await gw.stop()


async def commands_stored(nats_url: str) -> int:
    nc = await nats.connect(nats_url)
    try:
        return int((await nc.jetstream().stream_info(COMMANDS_STREAM)).state.messages)
    finally:
        await nc.close()


async def live(feed: FeedClient) -> None:
    feed.start()
    await wait_until(lambda: feed.state is ConnectionState.LIVE, timeout=20, what="live")


def dispatch_for(bridge: NatsBridge, district: str | None = None) -> Command:
    ev = next(
        e
        for e in bridge.city.state.events.values()
        if e.recommended and e.state == "new" and (district is None or e.district == district)
    )
    return Command(
        id=uuid7(int(time.time() * 1000)),
        kind=CommandKind.DISPATCH,
        event_id=ev.id,
        unit_id=ev.recommended[0],
    )


def test_a_command_resent_through_another_gateway_is_applied_once(nats_server: NatsServer) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        async with gateways(nats_server.url, 2) as (gw_a, gw_b):
            rec_a, rec_b = Recorder(), Recorder()
            feed_a, feed_b = make_feed([gw_a.url], rec_a), make_feed([gw_b.url], rec_b, client_id="wall-2")
            try:
                await live(feed_a)
                await live(feed_b)
                await wait_until(
                    lambda: any(e.recommended and e.state == "new" for e in bridge.city.state.events.values())
                )
                bridge.running = False  # hold the city still: the unit stays free for the test
                cmd = dispatch_for(bridge)
                feed_a.send_command(cmd)
                await wait_until(lambda: bool(rec_a.acks), what="first ack")
                feed_b.send_command(cmd)  # the same id again, through the other gateway
                await wait_until(lambda: bool(rec_b.acks), what="second ack")
                feed_a.send_command(cmd)  # and once more through the first
                await wait_until(lambda: len(rec_a.acks) == 2, what="third ack")

                assert rec_a.acks[0].result == AckResult.ACCEPTED
                for dup in (rec_b.acks[0], rec_a.acks[1]):
                    assert dup.result == AckResult.DUPLICATE and dup.original == AckResult.ACCEPTED
                assert bridge.city.applied == 1
                assert await commands_stored(nats_server.url) == 1, "JetStream kept one copy"
                assert gw_a.stats.duplicates + gw_b.stats.duplicates == 2
                # The result comes back on the dispatch stream to both walls.
                heads = await settle(bridge, [feed_a, feed_b], nats_server.url)
                assert heads
                for rec in (rec_a, rec_b):
                    assert rec.model.dispatches[cmd.id].unit_id == cmd.unit_id
            finally:
                await feed_a.stop()
                await feed_b.stop()
        await bridge.stop()

    asyncio.run(body())


def test_a_viewer_command_is_refused_and_never_reaches_the_city(nats_server: NatsServer) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        async with gateways(nats_server.url) as (gw,):
            rec = Recorder()
            feed = make_feed([gw.url], rec, operator="visitor", role="viewer")
            try:
                await live(feed)
                await wait_until(
                    lambda: any(e.recommended and e.state == "new" for e in bridge.city.state.events.values())
                )
                feed.send_command(dispatch_for(bridge))
                await wait_until(lambda: bool(rec.acks), what="an answer")
                assert rec.acks[0].result == AckResult.REJECTED and rec.acks[0].reason == "forbidden"
                assert await commands_stored(nats_server.url) == 0
                assert bridge.city.applied == 0
            finally:
                await feed.stop()
        await bridge.stop()

    asyncio.run(body())


def test_a_district_operator_sees_and_commands_only_its_district(nats_server: NatsServer) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        access = Access({"officer-jb": ("jiangbei",)})
        async with gateways(nats_server.url, access=access) as (gw,):
            rec = Recorder()
            feed = make_feed([gw.url], rec, operator="officer-jb")
            try:
                await live(feed)
                city = bridge.city
                await wait_until(
                    lambda: (
                        {"jiangbei", "yuzhong"}
                        <= {
                            e.district
                            for e in city.state.events.values()
                            if e.recommended and e.state == "new"
                        }
                    ),
                    timeout=30,
                    what="new events in jiangbei and yuzhong",
                )
                bridge.running = False

                def jiangbei() -> dict[str, str]:
                    return {k: e.state for k, e in city.state.events.items() if e.district == "jiangbei"}

                await wait_until(lambda: bridge.caught_up, what="the bridge published everything")
                await wait_until(
                    lambda: {k: e.state.value for k, e in rec.model.events.items()} == jiangbei(),
                    what="the model holds exactly the jiangbei events",
                )
                assert {u.district for u in rec.model.units.values()} == {"jiangbei"}
                elsewhere = dispatch_for(bridge, "yuzhong")
                feed.send_command(elsewhere)
                await wait_until(lambda: bool(rec.acks), what="an answer")
                assert rec.acks[0].result == AckResult.REJECTED and rec.acks[0].reason == "forbidden"
                assert bridge.city.applied == 0
                home = dispatch_for(bridge, "jiangbei")
                feed.send_command(home)
                await wait_until(lambda: len(rec.acks) == 2, what="a second answer")
                assert rec.acks[1].result == AckResult.ACCEPTED and bridge.city.applied == 1
            finally:
                await feed.stop()
        await bridge.stop()

    asyncio.run(body())


def test_a_gateway_started_late_loads_latest_values_from_the_bucket(nats_server: NatsServer) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        await wait_until(
            lambda: bridge.publisher is not None and bridge.publisher.published > 300,
            what="the city has published",
        )
        await asyncio.sleep(2.5)  # at least two checkpoints into the KV bucket
        async with gateways(nats_server.url) as (gw,):
            assert gw.stats.kv_entries > 0, "started from the bucket, not from the first message"
            assert all(
                t.view.seq > 0 for t in gw.offered() if t.stream not in ("overlays", "cameras", "plots")
            )  # no cameras in this city, nothing drawn
            rec = Recorder()
            feed = make_feed([gw.url], rec)
            try:
                await live(feed)
                await settle(bridge, [feed], nats_server.url)
                assert rec.model.digest() == city_digest(bridge.city)
            finally:
                await feed.stop()
        await bridge.stop()

    asyncio.run(body())


def _plot(event_id: str, pid: str, lon: float = 106.5) -> PlotBody:
    line = [[lon, 29.55], [lon + 0.005, 29.553]]
    return PlotBody(
        id=pid, kind="fire_line", geometry=Geometry(type="LineString", coordinates=line), event_id=event_id
    )


def _cmd(kind: CommandKind, **fields: object) -> Command:
    return Command(id=uuid7(int(time.time() * 1000)), kind=kind, **fields)  # type: ignore[arg-type]


def test_plots_are_drawn_edited_and_deleted_through_the_gateway(nats_server: NatsServer) -> None:
    """§5.10/§7.10 through NATS: plot commands reach the district's backend and their answers the
    wall (a stale edit ``plot_conflict``, an edit of a deleted plot ``plot_deleted``); the plots come
    back on the ``plots`` stream; a wall that connects later gets the drawn plot and not the deleted
    one; an operator of one district cannot draw on another district's event."""

    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        access = Access({"officer-jb": ("jiangbei",)})
        async with gateways(nats_server.url, access=access) as (gw,):
            rec, rec_jb = Recorder(), Recorder()
            feed = make_feed([gw.url], rec)
            feed_jb = make_feed([gw.url], rec_jb, operator="officer-jb", client_id="wall-jb")
            late = None
            try:
                await live(feed)
                await live(feed_jb)
                assert "plots" in gw.epochs and "commands.plots" in gw.core_config.capabilities
                city = bridge.city
                await wait_until(
                    lambda: (
                        {"jiangbei", "yuzhong"}
                        <= {e.district for e in city.state.events.values() if e.state == "new"}
                    ),
                    timeout=30,
                    what="open events in jiangbei and yuzhong",
                )
                bridge.running = False  # events stay open
                ev = next(
                    e for e in city.state.events.values() if e.state == "new" and e.district == "yuzhong"
                )

                async def answer(c: Command, r: Recorder = rec, f: FeedClient = feed) -> tuple[str, str]:
                    n = len(r.acks)
                    f.send_command(c)
                    await wait_until(lambda: len(r.acks) > n, what=f"the answer to {c.kind}")
                    return str(r.acks[-1].result), r.acks[-1].reason

                assert await answer(_cmd(CommandKind.PLOT_CREATE, plot=_plot(ev.id, "p-kept"))) == (
                    "accepted",
                    "",
                )
                assert await answer(_cmd(CommandKind.PLOT_CREATE, plot=_plot(ev.id, "p-gone", 106.51))) == (
                    "accepted",
                    "",
                )
                moved = _plot(ev.id, "p-kept", 106.52)
                assert await answer(_cmd(CommandKind.PLOT_EDIT, plot=moved, base=1)) == ("accepted", "")
                assert (await answer(_cmd(CommandKind.PLOT_EDIT, plot=moved, base=1)))[1] == "plot_conflict"
                assert await answer(_cmd(CommandKind.PLOT_DELETE, ref="p-gone", base=1)) == ("accepted", "")
                gone = _plot(ev.id, "p-gone", 106.53)
                assert (await answer(_cmd(CommandKind.PLOT_EDIT, plot=gone, base=1)))[1] == "plot_deleted"
                assert (await answer(_cmd(CommandKind.PLOT_DELETE, ref="p-gone", base=2)))[
                    1
                ] == "plot_deleted"
                # The jiangbei officer may not draw on, edit or delete yuzhong's plots (§3.1).
                for c in (
                    _cmd(CommandKind.PLOT_CREATE, plot=_plot(ev.id, "p-jb")),
                    _cmd(CommandKind.PLOT_EDIT, plot=_plot(ev.id, "p-kept", 106.54), base=2),
                ):
                    assert await answer(c, rec_jb, feed_jb) == ("rejected", "forbidden")

                await wait_until(lambda: bridge.caught_up, what="the bridge published everything")
                await wait_until(lambda: set(rec.model.plots) == {"p-kept"}, what="the plots on the wall")
                assert rec.model.plots["p-kept"].version == 2
                snap = gw.tails["plots"].view.snapshot(Filter())
                held = [(p.id, p.active) for p in snap if isinstance(p, Plot)]
                assert held == [("p-kept", True)] and len(snap) == 1, "a deleted plot leaves the view"
                assert not rec_jb.model.plots, "yuzhong's plots are not the jiangbei wall's"
                late_rec = Recorder()
                late = make_feed([gw.url], late_rec, client_id="wall-late")
                await live(late)
                await wait_until(lambda: bool(late_rec.model.plots), what="the late wall's plots")
                assert set(late_rec.model.plots) == {"p-kept"} and late_rec.model.plots["p-kept"].version == 2
                assert rec.model.digest() == late_rec.model.digest() == city_digest(city)
            finally:
                await feed.stop()
                await feed_jb.stop()
                if late is not None:
                    await late.stop()
        await bridge.stop()

    asyncio.run(body())
