"""Protocol v1 as a machine-readable contract: an AsyncAPI 3.0 document and golden frames.

Both are generated from the message types in :mod:`cockpit.protocol.messages` (msgspec writes the JSON
Schemas), so they cannot drift from the code: ``docs/tools/gen_contract.py`` writes them to
``docs/contract/`` and a test checks that what is there is what the code makes, that the AsyncAPI
document validates against the official AsyncAPI 3.0 schema, and that the golden frames round-trip.

The schemas describe each message as decoded from MessagePack (docs/protocol.md §1): ``bin`` fields
appear as base64 strings (``contentEncoding: base64``) and are marked ``x-msgpack: bin``. No I/O here.
"""

from __future__ import annotations

import base64
import struct
import typing
from collections.abc import Iterable
from typing import Any, Final

import msgspec

from cockpit.protocol.codec import encode_frame
from cockpit.protocol.messages import (
    PROTOCOL_VERSION,
    AckResult,
    Audit,
    AuditAck,
    Camera,
    Catalog,
    CatalogEntry,
    CatalogKind,
    ClientMessage,
    Command,
    CommandAck,
    CommandKind,
    Dispatch,
    DispatchState,
    Event,
    EventState,
    Filter,
    Geometry,
    Heartbeat,
    Hello,
    LayerPoints,
    Level,
    Overlay,
    Plan,
    PlanTask,
    Plot,
    PlotBody,
    PlotKind,
    PlotStyle,
    Refused,
    Role,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    SensorSeries,
    ServerMessage,
    SnapshotBegin,
    SnapshotEnd,
    Stream,
    Subscribe,
    Subscribed,
    SubscribeMode,
    Subscription,
    Unit,
    UnitStatus,
    Welcome,
)

REF: Final = "#/components/schemas/{name}"
_ENUMS: Final[dict[tuple[str, str], list[str]]] = {
    ("Hello", "role"): [r.value for r in Role],
    ("Subscribed", "mode"): [m.value for m in SubscribeMode],
    ("Event", "state"): [s.value for s in EventState],
    ("Event", "level"): [lv.value for lv in Level],
    ("Unit", "status"): [s.value for s in UnitStatus],
    ("Dispatch", "state"): [s.value for s in DispatchState],
    ("Command", "kind"): [k.value for k in CommandKind],
    ("CommandAck", "result"): [r.value for r in AckResult],
    ("Subscription", "stream"): [s.value for s in Stream],
    ("Audit", "role"): [r.value for r in Role],
    ("CatalogEntry", "kind"): [k.value for k in CatalogKind],
    ("CatalogEntry", "level"): [lv.value for lv in Level],
    ("Plot", "kind"): [k.value for k in PlotKind],
    ("PlotBody", "kind"): [k.value for k in PlotKind],
}
"""Fields whose values v1 senders take from a fixed list (receivers still take unknown ones, §10)."""


def _tag(t: type[msgspec.Struct]) -> str:
    return str(t.__struct_config__.tag)


def _types(union: Any) -> list[type[msgspec.Struct]]:
    return list(typing.get_args(union))


def schemas() -> dict[str, Any]:
    """The JSON Schema of every message and of the maps inside them, by name."""
    every = list(dict.fromkeys(_types(ServerMessage) + _types(ClientMessage)))
    _, components = msgspec.json.schema_components(every, ref_template=REF)
    for name, schema in components.items():
        for field, prop in schema.get("properties", {}).items():
            if prop.get("contentEncoding") == "base64":
                prop["x-msgpack"] = "bin"
                prop["description"] = "MessagePack bin (shown base64 in JSON)"
            values = _ENUMS.get((name, field))
            if values is not None:
                prop["enum"] = values
        if name in ("SensorBatch",):
            schema["properties"]["ids"]["description"] = "MessagePack bin: N uint32 little-endian sensor ids (§5.2)"
            schema["properties"]["values"]["description"] = "MessagePack bin: N float32 little-endian values (§5.2)"
        if name == "Event":
            schema["properties"]["severity"].update(minimum=1, maximum=4)
        if name == "LayerPoints":
            props = schema["properties"]
            for field, text in (
                ("ids", "N uint32 little-endian point ids, unique within the layer"),
                ("lon", "N float64 little-endian longitudes (WGS 84)"),
                ("lat", "N float64 little-endian latitudes (WGS 84)"),
                ("level", "N uint8 risk levels 0..3 (empty: all 0)"),
                ("kind", "N uint16 little-endian indices into kinds (empty: no kind)"),
                ("removed", "uint32 little-endian ids removed before the additions"),
            ):
                props[field]["description"] = f"MessagePack bin: {text} (§5.9)"
    return components


def asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the websocket API, from the server's side."""
    components = schemas()
    server_types, client_types = _types(ServerMessage), _types(ClientMessage)
    messages: dict[str, Any] = {}
    for t in dict.fromkeys(server_types + client_types):
        doc = (t.__doc__ or "").strip().split("\n\n")[0]
        messages[_tag(t)] = {
            "name": _tag(t),
            "title": t.__name__,
            "summary": " ".join(doc.split()),
            "contentType": "application/msgpack",
            "payload": {"$ref": REF.format(name=t.__name__)},
        }

    def frame(types: Iterable[type[msgspec.Struct]], who: str) -> dict[str, Any]:
        return {
            "name": f"{who}Frame",
            "title": f"A frame the {who.lower()} sends",
            "summary": "One binary WebSocket message: a MessagePack array of messages (§2.1).",
            "contentType": "application/msgpack",
            "payload": {"type": "array", "items": {"oneOf": [{"$ref": REF.format(name=t.__name__)} for t in types]}},
        }

    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Cockpit protocol",
            "version": f"{PROTOCOL_VERSION}.0.0",
            "description": (
                "The contract between a cockpit (the video-wall client) and a district backend (the server): "
                "docs/protocol.md. Every WebSocket binary message is a MessagePack array of the messages below; "
                "the schemas describe them as decoded (bin fields as base64). Generated from "
                "cockpit/protocol/messages.py by docs/tools/gen_contract.py."
            ),
        },
        "defaultContentType": "application/msgpack",
        "servers": {
            "district": {
                "host": "district.example:8443",
                "protocol": "wss",
                "description": "A district backend or gateway; the URL and path are set per deployment (§1).",
            }
        },
        "channels": {
            "cockpit": {
                "address": "/",
                "title": "One WebSocket connection per cockpit",
                "messages": {
                    "serverFrame": frame(server_types, "Server"),
                    "clientFrame": frame(client_types, "Client"),
                },
            }
        },
        "operations": {
            "sendServerFrame": {
                "action": "send",
                "channel": {"$ref": "#/channels/cockpit"},
                "summary": "The server sends welcome or refused, subscription answers, snapshots, data, heartbeats and acks.",
                "messages": [{"$ref": "#/channels/cockpit/messages/serverFrame"}],
            },
            "receiveClientFrame": {
                "action": "receive",
                "channel": {"$ref": "#/channels/cockpit"},
                "summary": "The server receives hello, subscribe, commands, audit records and heartbeats.",
                "messages": [{"$ref": "#/channels/cockpit/messages/clientFrame"}],
            },
        },
        "components": {"schemas": components, "messages": messages},
    }


# ------------------------------------------------------------------------------------ golden frames

T0: Final = 1767258000000
EPOCH: Final = "7f3a9c2e41d0"
_CMD: Final = "019b78cb-cacc-7f31-a7ab-27591db3a33e"


_PLOT: Final = "019b78cc-1f20-7d42-9c6e-5b0f3a2d8e11"
_FIRE_LINE: Final = [[106.44212, 29.55301], [106.44498, 29.55562], [106.44851, 29.55633], [106.45102, 29.55490]]


def golden_messages() -> dict[str, msgspec.Struct]:
    """One example of every message type, by its ``t``: each becomes a golden frame of one message.

    A few more examples, named ``<t>.<case>``, show the variants of one type (the plot commands, §7.10).
    """
    point = Geometry(type="LineString", coordinates=[[106.56964, 29.58741], [106.58164, 29.59141]])
    examples: list[msgspec.Struct] = [
        Hello(v=1, client_id="wall-jb-01", operator="li.wei", role="operator", token="<a JWT, §3.1>", client_time=T0),
        Welcome(
            v=1,
            server_id="district-lakeside",
            epochs={s.value: EPOCH for s in Stream},
            capabilities=["batch", "resume", "snapshot", "filters", "audit"],
            server_time=T0 + 12,
        ),
        Refused(code="token_expired", detail="the token of li.wei expired at 2026-01-01 08:00 UTC; ask for a new one"),
        Subscribe(
            streams=[
                Subscription(stream="events", filter=Filter(districts=["lakeside"], themes=["flood"]), epoch=EPOCH, seq=38)
            ]
        ),
        Subscribed(stream="events", epoch=EPOCH, mode="snapshot", seq=38, reason="first subscription"),
        SnapshotBegin(stream="events", epoch=EPOCH, seq=38),
        SnapshotEnd(stream="events", epoch=EPOCH, seq=38, count=1),
        Event(
            stream="events", seq=39, prev=38, ts=T0 + 300, id="E01-000006", type="waterlogging", severity=2,
            time=T0, lon=106.57564, lat=29.58941, district="lakeside", state="dispatched", title="Water level over limit",
            theme="flood", source="lakeside-water_level-001", recommended=["lakeside-drainage_crew-2"], level="district",
        ),
        SensorCatalog(
            stream="sensors", seq=1, prev=0, ts=T0,
            sensors=[SensorInfo(id=67, name="lakeside-water_level-001", kind="water_level", unit="m",
                                district="lakeside", lon=106.57564, lat=29.58941, theme="flood", warn=3.0, alarm=3.5)],
        ),
        SensorBatch(
            stream="sensors", seq=2, prev=1, ts=T0, ttl_ms=5000,
            ids=(67).to_bytes(4, "little"), values=b"\xe1\x7a\x74\x40",
        ),
        Unit(
            stream="dispatch", seq=82, prev=81, ts=T0, id="lakeside-drainage_crew-2", name="Drainage crew 2",
            kind="drainage_crew", district="lakeside", status="dispatched", lon=106.56008, lat=29.61932, event_id="E01-000006",
        ),
        Dispatch(
            stream="dispatch", seq=81, prev=80, ts=T0, command_id=_CMD, event_id="E01-000006",
            unit_id="lakeside-drainage_crew-2", state="accepted",
        ),
        Plan(
            stream="dispatch", seq=83, prev=82, ts=T0, id="P01-0001", plan_type="waterlogging", event_id="E01-000006",
            title="Waterlogging", state="active", activated_by="li.wei", activated_at=T0,
            tasks=[PlanTask(id="pump_out", title="Pump out the underpass", owner="water_company", state="dispatched",
                            deadline=T0 + 1_800_000, unit_id="lakeside-drainage_crew-2")],
        ),
        Overlay(
            stream="overlays", seq=67, prev=66, ts=T0, id="closure-underpass", kind="road_closure", active=False,
            geometry=point, theme="flood", district="lakeside", label="Underpass closed", event_id="E01-000008",
        ),
        Camera(
            stream="cameras", seq=12, prev=11, ts=T0, id="cam-jb-underpass-n", name="下穿道北口",
            names={"zh_CN": "下穿道北口", "en": "Underpass north portal"}, lon=106.58604, lat=29.59011,
            district="lakeside", theme="flood", active=True,
            main_url="rtsp://cams.lakeside.example:554/cam-jb-underpass-n/main",
            sub_url="rtsp://cams.lakeside.example:554/cam-jb-underpass-n/sub", credential="lakeside-cameras",
            watches=["lakeside-water_level-001", "lakeside-rain_gauge-001"],
        ),
        Catalog(
            stream="catalog", seq=3, prev=2, ts=T0,
            entries=[
                CatalogEntry(kind="district", code="lakeside", names={"zh_CN": "湖滨", "en": "Lakeside"}),
                CatalogEntry(kind="event_type", code="waterlogging", names={"zh_CN": "内涝积水", "en": "Waterlogging"}),
                CatalogEntry(kind="sensor_kind", code="water_level", names={"zh_CN": "水位", "en": "Water level"}, decimals=2),
                CatalogEntry(kind="centre", code="lakeside", names={"zh_CN": "湖滨区城市运行管理中心", "en": "Lakeside district centre"},
                             level="district", district="lakeside", parent="city"),
            ],
        ),
        SensorSeries(
            stream="series", seq=5, prev=4, ts=T0, sensor=412, start=T0 - 4 * 3_600_000, step_ms=3_600_000,
            values=struct.pack("<4f", 6.1, 5.4, float("nan"), 4.2),
        ),
        LayerPoints(
            stream="layers", seq=15, prev=14, ts=T0, layer="risk_points", district="lakeside",
            ids=struct.pack("<2I", 101, 102), lon=struct.pack("<2d", 106.57564, 106.58121),
            lat=struct.pack("<2d", 29.58941, 29.60012), level=bytes([0, 3]), kind=struct.pack("<2H", 0, 1),
            kinds=["gas_station_03", "slope_12"], removed=struct.pack("<I", 97),
        ),
        Heartbeat(ts=T0 + 1000),
        Command(id=_CMD, kind="dispatch", event_id="E01-000006", unit_id="lakeside-drainage_crew-2", critical=True, epoch=EPOCH),
        CommandAck(id=_CMD, result="duplicate", detail="this command id was already handled", original="accepted"),
        Audit(
            chain="9f86d081884c7d659a2feaa0c55ad015", seq=1, time="2026-01-01T09:00:00.300Z", operator="li.wei",
            role="operator", centre="lakeside", action="dispatch", details={"command_id": _CMD},
            prev="0" * 64, hash="1" * 64,
        ),
        AuditAck(chain="9f86d081884c7d659a2feaa0c55ad015", seq=1),
        Plot(
            stream="plots", seq=12, prev=11, ts=T0 + 4000, id=_PLOT, kind="fire_line", active=True,
            geometry=Geometry(type="LineString", coordinates=_FIRE_LINE), event_id="E01-000012",
            district="lakeside", theme="fire", version=2, author="li.wei", created=T0 + 1000, updated=T0 + 4000,
            label="Fire line 14:05", centre="lakeside", updated_by="zhang.min", updated_centre="city",
        ),
    ]
    out: dict[str, msgspec.Struct] = {_tag(type(m)): m for m in examples}
    body = PlotBody(
        id=_PLOT, kind="fire_line", geometry=Geometry(type="LineString", coordinates=_FIRE_LINE[:3]),
        event_id="E01-000012", label="Fire line 14:05", centre="lakeside",
    )
    edited = msgspec.structs.replace(
        body, geometry=Geometry(type="LineString", coordinates=_FIRE_LINE), style=PlotStyle(scale=1.5)
    )
    out["command.plot_create"] = Command(id="019b78cc-1f21-7a10-8f3e-0c4b2a9d7e61", kind="plot_create", plot=body, epoch=EPOCH)
    out["command.plot_edit"] = Command(
        id="019b78cc-2a08-7b31-a4c2-7d9e1f0b3c52", kind="plot_edit", plot=edited, base=1, epoch=EPOCH
    )
    out["command.plot_delete"] = Command(
        id="019b78cc-3b11-7c02-b5d3-8eaf20c14d63", kind="plot_delete", ref=_PLOT, base=2, epoch=EPOCH
    )
    out["command_ack.plot_conflict"] = CommandAck(
        id="019b78cc-2a08-7b31-a4c2-7d9e1f0b3c52", result="rejected", reason="plot_conflict",
        detail="zhang.min (city) changed it to version 2; this change was made on version 1",
    )
    return out


def golden_frame(message: msgspec.Struct) -> bytes:
    """The frame of one message (§2.1)."""
    return encode_frame([message])


def as_json(value: Any) -> Any:
    """A decoded MessagePack value as JSON: bin as base64 (as the schemas say)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value
