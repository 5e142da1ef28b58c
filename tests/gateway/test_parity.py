"""Gateway parity: a district that integrates through NATS JetStream gets the demo's wall.

The gateway carries every stream a district backend offers (the core four, and the optional
``cameras``, ``catalog``, ``series`` and ``layers`` when the district has them), and keeps the cockpits' audit records
(§7.8) once each in JetStream. Everything against a real nats-server.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import msgspec
import nats
import numpy as np
import pytest
from nats.js.api import DeliverPolicy

from cockpit.audit import Actor, AuditAction, AuditLog, SyncPolicy, forward_to, to_message, verify_file
from cockpit.backend.gateway.jetstream import ensure_layout
from cockpit.backend.gateway.layout import AUDIT_STREAM, OPTIONAL_STREAMS, PREFIX, Retention, body_of
from cockpit.backend.gateway.server import Gateway, GatewayConfig
from cockpit.backend.server import DemoBackend
from cockpit.feed import ConnectionState
from cockpit.model import Situation
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import (
    Audit,
    Catalog,
    CatalogEntry,
    Command,
    CommandKind,
    Geometry,
    PlotBody,
    Stream,
)
from tests.gateway.conftest import NatsServer
from tests.gateway.support import Recorder, make_city, make_feed, settle, start_bridge
from tests.helpers import wait_until

_AUDIT = msgspec.msgpack.Decoder(Audit)


def _cameras(model: Situation) -> dict[str, tuple[object, ...]]:
    return {
        c.id: (
            c.name,
            c.names,
            c.lon,
            c.lat,
            c.district,
            c.theme,
            c.main_url,
            c.sub_url,
            c.credential,
            c.watches,
        )
        for c in model.cameras.values()
    }


def _series(model: Situation) -> dict[int, tuple[int, int, bytes]]:
    return {k: (r.start_ms, r.step_ms, r.raw) for k, r in model.series.items()}


def _layers(model: Situation) -> dict[str, tuple[bytes, ...]]:
    out: dict[str, tuple[bytes, ...]] = {}
    for code, layer in model.layers.layers.items():
        c = layer.columns()
        kinds = np.array([*layer.kinds, ""], dtype=object)[c.kind]  # -1: none
        out[code] = (
            c.ids.tobytes(),
            c.lon.tobytes(),
            c.lat.tobytes(),
            c.level.tobytes(),
            "/".join(kinds).encode(),
        )
    return out


def _plans(model: Situation) -> dict[str, tuple[object, ...]]:
    return {
        p.id: (p.state, p.event_id, tuple((t.id, t.state) for t in p.tasks)) for p in model.plans.values()
    }


@pytest.mark.slow
def test_a_wall_on_the_gateway_is_the_wall_the_demo_backend_gives(nats_server: NatsServer) -> None:
    """The same city served by the demo backend and, through NATS, by a gateway: two walls that
    subscribe to every stream end with the same state: events, units, dispatches, plans, overlays,
    sensors, the district's names in both languages, its cameras, its sensors' history, its risk points
    and what is drawn on its map."""

    async def body() -> None:
        city = make_city()
        city.add_cameras("rtsp://127.0.0.1:8554", credential="demo-cameras")
        bridge = await start_bridge(nats_server.url, city)
        demo = DemoBackend(city)
        demo.running = False  # the bridge advances the city; the demo backend only serves it
        await demo.start()
        gw = Gateway(GatewayConfig([nats_server.url]))
        await gw.start()
        on_demo, on_gateway = Recorder(), Recorder()
        feeds = [
            make_feed([demo.url], on_demo, client_id="wall-demo"),
            make_feed([gw.url], on_gateway, client_id="wall-gateway"),
        ]
        try:
            for f in feeds:
                f.start()
            await wait_until(lambda: all(f.state is ConnectionState.LIVE for f in feeds), what="both live")
            assert set(gw.epochs) == set(demo.epochs()) == {s.value for s in Stream}
            await wait_until(lambda: len(city.state.plans) >= 1 or len(city.state.events) >= 30, timeout=30)
            bridge.running = False
            ev = next(e for e in city.state.events.values() if e.state != "closed")
            line = Geometry(type="LineString", coordinates=[[106.5, 29.55], [106.505, 29.553]])
            drawn = PlotBody(
                id=uuid7(int(time.time() * 1000)), kind="fire_line", geometry=line, event_id=ev.id
            )
            feeds[1].send_command(
                Command(id=uuid7(int(time.time() * 1000)), kind=CommandKind.PLOT_CREATE, plot=drawn)
            )  # drawn through the gateway: the city's answer comes back through NATS
            await wait_until(lambda: bool(on_gateway.acks), what="the plot's answer")
            assert on_gateway.acks[0].result == "accepted"
            await settle(bridge, [feeds[1]], nats_server.url)
            await wait_until(
                lambda: all(feeds[0].cursors.get(s).seq == log.seq for s, log in city.hub.logs.items()),
                what="the demo wall caught up",
            )
            a, b = on_demo.model, on_gateway.model
            assert b.digest() == a.digest()
            assert _plans(b) == _plans(a)
            assert b.names_digest() == a.names_digest() and len(a.names_digest()) > 40
            assert b.catalog.offered and b.catalog.name("district", city.sensors[0].district, "zh_CN")
            assert _cameras(b) == _cameras(a) and len(a.cameras) >= 4
            assert all("@" not in c.main_url for c in b.cameras.values()), "no credentials on the wire"
            assert _series(b) == _series(a) and len(a.series) >= 3
            assert _layers(b) == _layers(a) and len(a.layers.layers["risk_points"].columns()) > 1000
            assert set(b.plots) == set(a.plots) == {drawn.id}
            assert feeds[1].counters.gaps == 0 and feeds[1].counters.duplicates == 0
        finally:
            for f in feeds:
                await f.stop()
            await gw.stop()
            await demo.stop()
            await bridge.stop()

    asyncio.run(body())


@pytest.mark.slow
def test_optional_streams_are_offered_only_once_the_district_has_them(nats_server: NatsServer) -> None:
    """A district without names gets no ``catalog`` epoch (its walls keep their fallback words,
    §5.8); when it creates the stream, the gateway offers it and its walls pick it up."""

    async def body() -> None:
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        await ensure_layout(js, Retention())  # the core streams only
        gw = Gateway(GatewayConfig([nats_server.url]))
        await gw.start()
        rec = Recorder()
        feed = make_feed([gw.url], rec)
        try:
            assert set(gw.epochs) == {"events", "sensors", "dispatch", "overlays"}
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live without names")
            assert not rec.model.catalog.offered

            await ensure_layout(js, Retention(), optional=OPTIONAL_STREAMS)
            entry = CatalogEntry(
                kind="district", code="lakeside", names={"en": "Lakeside", "zh_CN": "湖滨区"}
            )
            names = Catalog(stream=Stream.CATALOG, seq=0, prev=0, ts=1, entries=[entry])
            await js.publish(f"{PREFIX}.catalog._._", body_of(names), headers={"Nats-Msg-Id": "names-1"})
            await wait_until(
                lambda: rec.model.catalog.name("district", "lakeside", "zh_CN") == "湖滨区",
                timeout=20,
                what="the names on the wall",
            )
            assert set(gw.epochs) == {s.value for s in Stream}
            assert feed.state is ConnectionState.LIVE and feed.counters.gaps == 0
        finally:
            await feed.stop()
            await gw.stop()
            await nc.close()

    asyncio.run(body())


async def _held_records(nats_url: str) -> list[tuple[str, Audit]]:
    """Every message of the audit stream: (subject, record) for records, refusals left out."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(AUDIT_STREAM)
        out: list[tuple[str, Audit]] = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            msg = await js.get_msg(AUDIT_STREAM, seq)
            if msg.subject.startswith(f"{PREFIX}.audit.record."):
                out.append((msg.subject, _AUDIT.decode(msg.data or b"")))
        return out
    finally:
        await nc.close()


@pytest.mark.slow
def test_audit_records_are_kept_once_in_jetstream_through_two_gateways(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    """§7.8 through gateways: every copy is acknowledged once stored, each chain and seq is held once
    although the unacknowledged ones are sent again through another gateway, and a forged command
    refused as forbidden is recorded beside them."""

    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        gw_a, gw_b = Gateway(GatewayConfig([nats_server.url])), Gateway(GatewayConfig([nats_server.url]))
        await gw_a.start()
        await gw_b.start()
        feed = make_feed([gw_a.url, gw_b.url], Recorder())
        log = AuditLog(
            tmp_path / "audit.jsonl", Actor("officer-1", "operator", "district"), sync=SyncPolicy.NEVER
        )
        try:
            assert "audit" in gw_a.core_config.capabilities
            feed.start()
            await wait_until(
                lambda: feed.state is ConnectionState.LIVE and feed.url == gw_a.url, what="live on A"
            )
            forward_to(log, feed)
            log.login(log.actor, client_id="wall-1", token="s3cret")
            log.record(AuditAction.ACKNOWLEDGE, {"event_id": "E1"})
            await wait_until(lambda: feed.audit_backlog == 0, what="two records acknowledged")
            assert gw_a.stats.audit_stored == 2

            gw_a.stalled = True  # the next two are stored, but their acknowledgements are lost in the cut
            log.record(AuditAction.DISPATCH, {"event_id": "E1", "unit_id": "U1"})
            log.record(AuditAction.ESCALATE, {"event_id": "E1"})
            await wait_until(lambda: gw_a.stats.audit_stored == 4, what="four records stored")
            await gw_a.stop()  # the wall moves to B and sends the unacknowledged two again
            log.record(AuditAction.DRILL_START, {"scenario": "flood"})
            await wait_until(
                lambda: feed.audit_backlog == 0 and feed.url == gw_b.url,
                timeout=20,
                what="backlog cleared on B",
            )
            assert gw_b.stats.audit_copies >= 3 and gw_b.stats.audit_stored == 1, "B stored only the new one"

            held = await _held_records(nats_server.url)
            chain = log.chain_id
            assert sorted((r.chain, r.seq) for _, r in held) == [(chain, s) for s in range(1, 6)], "each once"
            assert len({subject for subject, _ in held}) == 5
            local = verify_file(log.path).records
            assert sorted((r.seq, r) for _, r in held) == [(r.seq, to_message(r)) for r in local]
            assert "s3cret" not in str(held)
            assert gw_b.stats.audit_damaged == 0
        finally:
            await feed.stop()
            log.close()
            await gw_b.stop()
            await gw_a.stop()
            await bridge.stop()

    asyncio.run(body())


@pytest.mark.slow
def test_a_forged_command_refused_by_the_gateway_is_recorded_in_the_audit_stream(
    nats_server: NatsServer,
) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        gw = Gateway(GatewayConfig([nats_server.url]))
        await gw.start()
        rec = Recorder()
        viewer = make_feed([gw.url], rec, operator="visitor", role="viewer", client_id="wall-9")
        nc = await nats.connect(nats_server.url)
        try:
            viewer.start()
            await wait_until(lambda: viewer.state is ConnectionState.LIVE, what="live")
            forged = Command(id=uuid7(int(time.time() * 1000)), kind=CommandKind.ACKNOWLEDGE, event_id="E-1")
            viewer.send_command(forged)
            await wait_until(lambda: bool(rec.acks), what="answered")
            assert rec.acks[0].reason == "forbidden"
            js = nc.jetstream()
            sub = await js.subscribe(f"{PREFIX}.audit.refused.>", deliver_policy=DeliverPolicy.ALL)
            msg = await sub.next_msg(timeout=10)
            refusal = msgspec.msgpack.decode(msg.data)
            assert (refusal["command_id"], refusal["operator"], refusal["role"]) == (
                forged.id,
                "visitor",
                "viewer",
            )
        finally:
            await nc.close()
            await viewer.stop()
            await gw.stop()
            await bridge.stop()

    asyncio.run(body())
