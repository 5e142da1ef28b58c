"""Protocol v1 message types (docs/protocol.md §3–§7).

Every message is a MessagePack map whose ``t`` key names its type. A websocket binary frame holds a
MessagePack *array* of messages (docs/protocol.md §2): batching is the normal case.

Unknown keys in a known message are ignored and unknown message types are counted and skipped, so a
backend may add fields and types without breaking older cockpits (§2.3).
"""

from __future__ import annotations

import enum
from typing import Any, Final

import msgspec

PROTOCOL_VERSION: Final = 1
"""The protocol version this module implements (§3.1)."""

DEFAULT_MAX_FRAME_BYTES: Final = 1 << 20
"""Largest frame either side accepts unless the server announces another limit (§2.2)."""

DEFAULT_HEARTBEAT_MS: Final = 1000
"""Heartbeat interval both sides use unless the server announces another one (§6)."""


class Stream(enum.StrEnum):
    """The data streams a client can subscribe to (§4)."""

    EVENTS = "events"
    SENSORS = "sensors"
    DISPATCH = "dispatch"
    OVERLAYS = "overlays"
    CAMERAS = "cameras"
    """The camera catalog (§5.7); added within v1 by the rule of §10."""
    CATALOG = "catalog"
    """The district's names for its own codes, per language (§5.8)."""
    SERIES = "series"
    """Sensors' history at a fixed step (days of hourly values), for charts over days (§5.11)."""
    LAYERS = "layers"
    """The district's feature layers: its risk points (§5.9)."""
    PLOTS = "plots"
    """What the centres draw on the map for an event: fire lines, zones, routes, posts (§5.10)."""


class Severity(enum.IntEnum):
    """Warning levels as used in China: 1 is the most severe (red) (§5.1)."""

    RED = 1
    ORANGE = 2
    YELLOW = 3
    BLUE = 4


class EventState(enum.StrEnum):
    """Where an event is in its closed loop (§5.1)."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    RESOLVED = "resolved"
    CLOSED = "closed"


class UnitStatus(enum.StrEnum):
    """A response unit's status (§5.3)."""

    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    RETURNING = "returning"
    OUT_OF_SERVICE = "out_of_service"


class DispatchState(enum.StrEnum):
    """Progress of one dispatch, reported on the ``dispatch`` stream (§5.4)."""

    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in _FINAL_DISPATCH_STATES


_FINAL_DISPATCH_STATES: Final = frozenset(
    {DispatchState.COMPLETED, DispatchState.FAILED, DispatchState.CANCELLED}
)


class CommandKind(enum.StrEnum):
    """What a command asks the backend to do (§7.1)."""

    DISPATCH = "dispatch"
    CANCEL = "cancel"
    ACKNOWLEDGE = "acknowledge"
    CLOSE = "close"
    SHELVE = "shelve"
    """Shelve an alarm (supervisor; ``note`` is the reason; ``until`` ms or 0 for one-shot) (§7.5)."""
    UNSHELVE = "unshelve"
    ESCALATE = "escalate"
    """Hand the event up one centre level (street → district → city) (§7.6)."""
    HAND_DOWN = "hand_down"
    """Hand the event down one centre level (§7.6)."""
    ACTIVATE_PLAN = "activate_plan"
    """Start the emergency plan ``ref`` for the event (§7.7)."""
    APPROVE_PLAN = "approve_plan"
    """A supervisor's second approval of plan instance ``ref`` that requires dual approval (§7.7)."""
    CLOSE_PLAN = "close_plan"
    """Close plan instance ``ref``; refused while a mandatory task is open (§7.7)."""
    PLOT_CREATE = "plot_create"
    """Draw a new plot (``plot``) for an event (§7.10)."""
    PLOT_EDIT = "plot_edit"
    """Replace plot ``plot.id`` as the officer changed it from version ``base`` (§7.10)."""
    PLOT_DELETE = "plot_delete"
    """Delete plot ``ref`` as the officer saw it at version ``base`` (§7.10)."""


PLOT_COMMANDS: Final = frozenset({CommandKind.PLOT_CREATE, CommandKind.PLOT_EDIT, CommandKind.PLOT_DELETE})
"""The commands that draw on the shared map (§7.10)."""


class PlotKind(enum.StrEnum):
    """What a plot shows: the palette of emergency plotting symbols, in the style of GB/T 35649 (§5.10).

    Each kind has one geometry type (:data:`cockpit.protocol.plots.GEOMETRY_OF_KIND`).
    """

    FIRE_LINE = "fire_line"
    """The edge of the fire (火线): a line."""
    FIRE_ZONE = "fire_zone"
    """The burning or burnt area (火场): a polygon."""
    ISOLATION_BELT = "isolation_belt"
    """A firebreak cut or to be cut (隔离带): a line."""
    EVACUATION_ROUTE = "evacuation_route"
    """The way people leave (疏散路线): a line, in its direction of travel."""
    ASSEMBLY_POINT = "assembly_point"
    """Where evacuated people gather (集结点): a point."""
    COMMAND_POST = "command_post"
    """The forward command post (前指): a point."""
    WATER_SOURCE = "water_source"
    """Water crews should use: a pond, a hydrant, a tank (水源): a point."""
    ROAD_BLOCK = "road_block"
    """A road closed to traffic (路障): a point."""
    ADVANCE_ARROW = "advance_arrow"
    """A crew's direction of attack or advance (进攻方向): a line, drawn as an arrow."""
    TEXT = "text"
    """Free text on the map (文字标注): a point with its label."""


class AckResult(enum.StrEnum):
    """The server's answer to a command (§7.2)."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class Role(enum.StrEnum):
    """Operator roles, checked by the backend (§3.1)."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"


class Level(enum.StrEnum):
    """The three levels of operation centres; an event is held at one of them (§5.1)."""

    STREET = "street"
    DISTRICT = "district"
    CITY = "city"


class SubscribeMode(enum.StrEnum):
    """How the server will bring a subscription up to date (§4.2)."""

    RESUME = "resume"
    SNAPSHOT = "snapshot"


# --------------------------------------------------------------------------------------------------
# Handshake (§3)


class Hello(msgspec.Struct, tag="hello", tag_field="t", kw_only=True):
    """Client → server, first message on a connection (§3.1)."""

    v: int
    client_id: str
    operator: str
    role: str
    token: str = ""
    client_time: int = 0


class Welcome(msgspec.Struct, tag="welcome", tag_field="t", kw_only=True):
    """Server → client answer to :class:`Hello` (§3.2)."""

    v: int
    server_id: str
    epochs: dict[str, str]
    capabilities: list[str]
    server_time: int
    heartbeat_ms: int = DEFAULT_HEARTBEAT_MS
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES


class Refused(msgspec.Struct, tag="refused", tag_field="t", kw_only=True):
    """Server → client: the handshake or a subscription is refused; the server then closes (§3.3)."""

    code: str
    detail: str = ""


# --------------------------------------------------------------------------------------------------
# Subscriptions (§4)


class Filter(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Restricts a subscription to districts and themes; empty lists mean everything (§4.1)."""

    districts: list[str] = []
    themes: list[str] = []
    levels: list[str] = []
    """Centre levels (:class:`Level`) of the events wanted; empty means all (§4.1)."""


class Subscription(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One stream the client wants, and where it was if it is resuming (§4.1)."""

    stream: str
    filter: Filter = msgspec.field(default_factory=Filter)
    epoch: str = ""
    seq: int = 0


class Subscribe(msgspec.Struct, tag="subscribe", tag_field="t", kw_only=True):
    """Client → server: (re)subscribe to streams (§4.1)."""

    streams: list[Subscription]


class Subscribed(msgspec.Struct, tag="subscribed", tag_field="t", kw_only=True):
    """Server → client: how one subscription will be brought up to date (§4.2)."""

    stream: str
    epoch: str
    mode: str
    seq: int
    reason: str = ""


class SnapshotBegin(msgspec.Struct, tag="snapshot_begin", tag_field="t", kw_only=True):
    """Server → client: the state of ``stream`` as of ``seq`` follows (§4.3)."""

    stream: str
    epoch: str
    seq: int


class SnapshotEnd(msgspec.Struct, tag="snapshot_end", tag_field="t", kw_only=True):
    """Server → client: the snapshot is complete; ``count`` data messages were in it (§4.3)."""

    stream: str
    epoch: str
    seq: int
    count: int


# --------------------------------------------------------------------------------------------------
# Data (§5). Every data message carries stream, seq, prev and ts (§5.0).


class Event(msgspec.Struct, tag="event", tag_field="t", kw_only=True, omit_defaults=True):
    """An event on the ``events`` stream; a later message with the same id replaces it (§5.1).

    Fields that have their default are left out on the wire (most alarm fields most of the time),
    so an event costs no more for the fields it does not use.
    """

    stream: str
    seq: int
    prev: int
    ts: int
    id: str
    type: str
    severity: int
    time: int
    lon: float
    lat: float
    district: str
    state: str
    title: str = ""
    theme: str = ""
    source: str = ""
    recommended: list[str] = []
    active: bool = True
    """Whether the condition that raised the event is still present; false once it has returned
    to normal. A returned-to-normal event stays ``new`` until someone acknowledges it (§5.1)."""
    occurrence: int = 1
    """Counts the times this alarm has fired; an acknowledgement names the occurrence it saw and
    is rejected (``refired``) if the alarm has fired again since (§7.5)."""
    acked_by: str = ""
    acked_at: int = 0
    shelved_until: int = 0
    """0: not shelved. >0: shelved until this server time (ms). -1: one-shot, until it clears."""
    shelved_by: str = ""
    shelve_reason: str = ""
    suppressed: str = ""
    """Why the alarm is suppressed by design (e.g. its station is flooded out); still listed."""
    out_of_service: str = ""
    """Why its source is out of service for maintenance; still listed and counted."""
    level: str = "street"
    """The centre level that holds the event now (:class:`Level`)."""
    plans: list[str] = []
    """Plan types the backend recommends for this event (§7.7)."""
    attrs: dict[str, str | float] = {}
    """Facts about the event that plans select on, e.g. ``pipe_diameter_mm: 400`` (§5.1, docs/plans.md)."""
    cameras: list[str] = []
    """Ids of the cameras that see the event, best view first (§5.7); empty: none known."""


class SensorInfo(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Static description of one sensor (§5.2)."""

    id: int
    name: str
    kind: str
    unit: str
    district: str
    lon: float
    lat: float
    theme: str = ""
    warn: float | None = None
    alarm: float | None = None
    low_warn: float | None = None
    low_alarm: float | None = None
    tags: list[str] = []
    """Free words the backend attaches (what or where: ``underpass``, ``forest_park``); runway
    panels select on them (§5.2)."""
    groups: list[str] = []
    """Backend-given groups the sensor belongs to (``vital_signs``, ``flood_watch``): which sensors
    a district wants on its wall, so runway files never name a district's sensors (§5.2)."""
    names: dict[str, str] = {}
    """The sensor's own display name per language (``zh_CN``, ``en``): a station, a site, an area
    ("Ciqikou section", "磁器口断面"); empty: the wall names it by kind and district (§5.2)."""
    attrs: dict[str, str | float] = {}
    """Facts about the sensor that panels arrange it by, e.g. ``river_km: 9.4`` on a river station,
    ``step: routed`` and ``period: shift`` on a closed-loop indicator (§5.2, docs/runways.md)."""


class SensorCatalog(msgspec.Struct, tag="sensor_catalog", tag_field="t", kw_only=True):
    """Describes sensors on the ``sensors`` stream; sent before their first values (§5.2)."""

    stream: str
    seq: int
    prev: int
    ts: int
    sensors: list[SensorInfo]


class SensorBatch(msgspec.Struct, tag="sensor_batch", tag_field="t", kw_only=True):
    """Columnar sensor values: all sampled at ``ts``, all stale at ``ts + ttl_ms`` (§5.2).

    ``ids`` holds little-endian uint32 sensor ids and ``values`` little-endian float32 values, the
    same count of each. Per-value work in Python would be the ceiling; this form is read with
    ``numpy.frombuffer`` at 8 bytes an update.
    """

    stream: str
    seq: int
    prev: int
    ts: int
    ttl_ms: int
    ids: bytes
    values: bytes


class SensorSeries(msgspec.Struct, tag="sensor_series", tag_field="t", kw_only=True):
    """One sensor's history on the ``series`` stream: values at a fixed step from ``start`` (§5.11).

    A later series of the same ``sensor`` replaces the earlier one. ``values`` holds little-endian
    float32 values, NaN where there is none (the station was down), read with ``numpy.frombuffer``.
    """

    stream: str
    seq: int
    prev: int
    ts: int
    sensor: int
    """The sensor's id (a :class:`SensorInfo` on the ``sensors`` stream)."""
    start: int
    """Server ms of the first value."""
    step_ms: int
    values: bytes


class Unit(msgspec.Struct, tag="unit", tag_field="t", kw_only=True, omit_defaults=True):
    """A response unit's status on the ``dispatch`` stream (§5.3)."""

    stream: str
    seq: int
    prev: int
    ts: int
    id: str
    name: str
    kind: str
    district: str
    status: str
    lon: float
    lat: float
    event_id: str = ""
    names: dict[str, str] = {}
    """The unit's display name per language (``zh_CN``, ``en``); ``name`` where the wall's language
    has none (§5.3)."""


class Dispatch(msgspec.Struct, tag="dispatch", tag_field="t", kw_only=True):
    """Progress of one dispatch command on the ``dispatch`` stream (§5.4)."""

    stream: str
    seq: int
    prev: int
    ts: int
    command_id: str
    event_id: str
    unit_id: str
    state: str
    reason: str = ""


class PlanTask(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One task of a running emergency plan (§5.6)."""

    id: str
    title: str
    owner: str
    """The agency that does it: water company, traffic police, power, telecom, fire brigade, …"""
    state: str
    """``pending``, ``dispatched``, ``in_progress``, ``done``, ``failed`` or ``cancelled``."""
    deadline: int
    """Server time (ms) it must be done by; past it and not done, it is breached."""
    mandatory: bool = True
    unit_id: str = ""
    done_at: int = 0


class Plan(msgspec.Struct, tag="plan", tag_field="t", kw_only=True):
    """A running emergency plan (预案) on the ``dispatch`` stream; a later message with the same id
    replaces it (§5.6)."""

    stream: str
    seq: int
    prev: int
    ts: int
    id: str
    plan_type: str
    event_id: str
    title: str
    state: str
    """``awaiting_approval``, ``active`` or ``closed``."""
    activated_by: str
    activated_at: int
    tasks: list[PlanTask]
    approved_by: str = ""
    closed_by: str = ""
    closed_at: int = 0


class Geometry(msgspec.Struct, kw_only=True):
    """A GeoJSON geometry (RFC 7946 §3.1), WGS 84 lon/lat (§5.5)."""

    type: str
    coordinates: Any


class Overlay(msgspec.Struct, tag="overlay", tag_field="t", kw_only=True):
    """A shape the backend draws on the cockpit's maps, on the ``overlays`` stream (§5.5).

    A later message with the same id replaces it; ``active: false`` removes it.
    """

    stream: str
    seq: int
    prev: int
    ts: int
    id: str
    kind: str
    active: bool
    geometry: Geometry
    theme: str = ""
    district: str = ""
    label: str = ""
    event_id: str = ""
    labels: dict[str, str] = {}
    """The label per language (``zh_CN``, ``en``): a plate, a site's name; ``label`` where the
    wall's language has none (§5.5)."""


class Camera(msgspec.Struct, tag="camera", tag_field="t", kw_only=True, omit_defaults=True):
    """A camera of the catalog on the ``cameras`` stream (§5.7).

    A later message with the same id replaces it; ``active: false`` removes it. The stream URLs never
    carry credentials: ``credential`` names the entry of the site's secrets that holds them.
    """

    stream: str
    seq: int
    prev: int
    ts: int
    id: str
    name: str
    lon: float
    lat: float
    district: str
    active: bool
    main_url: str
    sub_url: str = ""
    """The camera's low-resolution stream for small tiles; ``""``: only the main stream."""
    names: dict[str, str] = {}
    """The name in the district's languages, by language code (``zh_CN``, ``en``); ``name`` is the
    one to use for a language not listed."""
    theme: str = ""
    credential: str = ""
    """Name of the site secret with the stream's user and password; ``""``: none needed."""
    codec: str = "h264"
    """The video codec of both streams (``h264``, ``h265``)."""
    watches: list[str] = []
    """What it sees: sensor names and place ids, e.g. ``lakeside-water_level-001``."""
    kind: str = "fixed"
    """``fixed``, ``ptz``, ``watchtower``, ``drone``, …: informational."""


class CatalogKind(enum.StrEnum):
    """What a catalog entry names (§5.8). Receivers ignore entries of kinds they do not know."""

    DISTRICT = "district"
    CENTRE = "centre"
    LEVEL = "level"
    EVENT_TYPE = "event_type"
    SENSOR_KIND = "sensor_kind"
    UNIT_KIND = "unit_kind"
    THEME = "theme"
    OVERLAY_KIND = "overlay_kind"
    GROUP = "group"
    LAYER = "layer"
    RISK_KIND = "risk_kind"
    ATTRIBUTE = "attribute"
    """A key of ``Event.attrs`` or ``SensorInfo.attrs`` (``plate``, ``source_site``, ``river_km``)."""


class CatalogEntry(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One code the district uses, with its display names (§5.8)."""

    kind: str
    """What the code is (:class:`CatalogKind`)."""
    code: str
    names: dict[str, str] = {}
    """Display name per language: ``zh_CN``, ``en`` (at least these two), any others."""
    active: bool = True
    """``false`` withdraws the code's entry."""
    level: str = ""
    """For a ``centre``: its level (:class:`Level`)."""
    district: str = ""
    """For a ``centre``: the district it serves ("" for the city centre)."""
    parent: str = ""
    """For a ``centre``: the code of the centre above it ("" for the city centre)."""
    decimals: int | None = None
    """For a ``sensor_kind``: digits after the point its values are shown with."""


class PlotStyle(msgspec.Struct, kw_only=True, omit_defaults=True):
    """How a plot departs from its symbol's standard look (§5.10); empty: the standard look."""

    colour: str = ""
    """``#rrggbb``; ``""``: the symbol's own colour. Colour is never a symbol's only mark."""
    scale: float = 1.0
    """Line width and icon size relative to the symbol's standard (0.5 to 3)."""


class PlotBody(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A plot as the officer drew it, inside a ``plot_create`` or ``plot_edit`` command (§7.10)."""

    id: str
    """The plot's id: a UUIDv7 the cockpit makes when the officer starts the drawing."""
    kind: str
    """:class:`PlotKind`."""
    geometry: Geometry
    """A GeoJSON ``Point``, ``LineString`` or ``Polygon`` in WGS 84, as the kind requires."""
    event_id: str = ""
    """The event it belongs to (required by ``plot_create``; an edit keeps the plot's)."""
    label: str = ""
    """The words drawn with it (at most 200 characters); required for ``text``."""
    symbol: str = ""
    """A variant of the kind's symbol in the site's palette; ``""``: the kind's standard symbol."""
    style: PlotStyle = msgspec.field(default_factory=PlotStyle)
    centre: str = ""
    """The centre the officer draws from (the cockpit's site centre), shown with the author."""


class Plot(msgspec.Struct, tag="plot", tag_field="t", kw_only=True, omit_defaults=True):
    """A plot on the shared map, on the ``plots`` stream (§5.10).

    A later message with the same id replaces it; ``active: false`` deletes it. ``version`` counts
    its accepted changes: an edit is made against a version and refused if the plot has moved on
    (§7.10).
    """

    stream: str
    seq: int
    prev: int
    ts: int
    id: str
    kind: str
    active: bool
    geometry: Geometry
    event_id: str
    district: str
    """The event's district (filter key)."""
    version: int
    """1 when created, one more with every accepted edit or delete."""
    author: str
    """Who drew it (the operator of the token that created it)."""
    created: int
    updated: int
    """Server times (ms) of its creation and of its latest change."""
    theme: str = ""
    """The event's theme (filter key)."""
    label: str = ""
    symbol: str = ""
    style: PlotStyle = msgspec.field(default_factory=PlotStyle)
    centre: str = ""
    """The centre it was drawn from."""
    updated_by: str = ""
    """Who made the latest change (the author for version 1)."""
    updated_centre: str = ""


class Catalog(msgspec.Struct, tag="catalog", tag_field="t", kw_only=True):
    """Names for the district's own codes on the ``catalog`` stream (§5.8); a later entry with the
    same kind and code replaces the earlier one."""

    stream: str
    seq: int
    prev: int
    ts: int
    entries: list[CatalogEntry]


class LayerPoints(msgspec.Struct, tag="layer_points", tag_field="t", kw_only=True, omit_defaults=True):
    """Points of a feature layer on the ``layers`` stream, in columns (§5.9): added or replaced by
    ``ids``, removed by ``removed``. 330,000 risk points travel in 14 messages of 25,000.

    ``ids`` holds N uint32 little-endian point ids (unique within the layer), ``lon`` and ``lat`` N
    float64 little-endian degrees (WGS 84), ``level`` N uint8 risk levels 0..3 (empty: all 0),
    ``kind`` N uint16 little-endian indices into ``kinds`` (empty: no kind); ``removed`` holds
    uint32 ids to remove, applied before the message's additions.
    """

    stream: str
    seq: int
    prev: int
    ts: int
    layer: str
    """The layer's code (named in the catalog as kind ``layer``, §5.8), e.g. ``risk_points``."""
    ids: bytes = b""
    lon: bytes = b""
    lat: bytes = b""
    level: bytes = b""
    kind: bytes = b""
    kinds: list[str] = []
    """The risk kinds ``kind`` indexes (codes named in the catalog as kind ``risk_kind``)."""
    removed: bytes = b""
    district: str = ""
    """The district of every point in the message (filter key, §4.1); "" when they are several."""


class Heartbeat(msgspec.Struct, tag="hb", tag_field="t", kw_only=True):
    """Either direction, every heartbeat interval when nothing else was sent (§6)."""

    ts: int


# --------------------------------------------------------------------------------------------------
# Commands (§7)


class Command(msgspec.Struct, tag="command", tag_field="t", kw_only=True, omit_defaults=True):
    """Client → server: an operator's command, identified by a client-made UUIDv7 (§7.1)."""

    id: str
    kind: str
    event_id: str = ""
    unit_id: str = ""
    ref: str = ""
    """For ``cancel``: the id of the dispatch command to cancel."""
    note: str = ""
    critical: bool = False
    occurrence: int = 0
    """For ``acknowledge``: the occurrence the operator saw (0: whatever is current)."""
    until: int = 0
    """For ``shelve``: server time (ms) the shelf ends; 0 for one-shot (until the alarm clears)."""
    epoch: str = ""
    """The ``events`` epoch the operator was looking at; a server in another epoch rejects the
    command with ``stale_epoch``, so a command queued before a backend lost its state can never
    act on a different event that reuses an id (§7.1)."""
    plot: PlotBody | None = None
    """For ``plot_create`` and ``plot_edit``: the plot as drawn (§7.10)."""
    base: int = 0
    """For ``plot_edit`` and ``plot_delete``: the plot's version the officer changed (§7.10)."""


class CommandAck(msgspec.Struct, tag="command_ack", tag_field="t", kw_only=True):
    """Server → client: the result of one command id (§7.2)."""

    id: str
    result: str
    reason: str = ""
    detail: str = ""
    original: str = ""
    """For ``duplicate``: the result the first copy of this id got."""


class Audit(msgspec.Struct, tag="audit", tag_field="t", kw_only=True):
    """Client → server: one record of the cockpit's hash-chained audit log, sent at least once (§7.8).

    ``chain`` and ``seq`` identify it: a copy the server already holds is acknowledged and ignored.
    ``hash`` is the record's SHA-256 as in the local file, so the server can check it arrived intact.
    """

    chain: str
    seq: int
    time: str
    operator: str
    role: str
    centre: str = ""
    action: str
    details: dict[str, Any] = {}
    prev: str
    hash: str


class AuditAck(msgspec.Struct, tag="audit_ack", tag_field="t", kw_only=True):
    """Server → client: the server holds audit record ``chain``/``seq`` (§7.8)."""

    chain: str
    seq: int


DataMessage = (
    Event | SensorCatalog | SensorBatch | Unit | Dispatch | Plan | Overlay | Camera | Catalog | SensorSeries | LayerPoints | Plot
)
"""Messages that belong to a stream and carry ``stream``, ``seq``, ``prev`` and ``ts``."""

ServerMessage = (
    Welcome
    | Refused
    | Subscribed
    | SnapshotBegin
    | SnapshotEnd
    | Event
    | SensorCatalog
    | SensorBatch
    | Unit
    | Dispatch
    | Plan
    | Overlay
    | Camera
    | Catalog
    | SensorSeries
    | LayerPoints
    | Plot
    | Heartbeat
    | CommandAck
    | AuditAck
)
"""Everything a server may send."""

ClientMessage = Hello | Subscribe | Command | Heartbeat | Audit
"""Everything a client may send."""

DATA_TYPES: Final = (
    Event, SensorCatalog, SensorBatch, Unit, Dispatch, Plan, Overlay, Camera, Catalog, SensorSeries, LayerPoints, Plot
)

STREAM_OF_TYPE: Final[dict[type[msgspec.Struct], Stream]] = {
    Event: Stream.EVENTS,
    SensorCatalog: Stream.SENSORS,
    SensorBatch: Stream.SENSORS,
    Unit: Stream.DISPATCH,
    Dispatch: Stream.DISPATCH,
    Plan: Stream.DISPATCH,
    Overlay: Stream.OVERLAYS,
    Camera: Stream.CAMERAS,
    Catalog: Stream.CATALOG,
    SensorSeries: Stream.SERIES,
    LayerPoints: Stream.LAYERS,
    Plot: Stream.PLOTS,
}
