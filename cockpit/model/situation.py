"""The live situation: events, sensors, units, dispatches, overlays and cameras, with no Qt (docs/architecture.md).

:meth:`Situation.apply` takes the feed's events as they come, frame by frame. Views do not listen
per change: once per painted frame they call :meth:`Situation.take_changes` and get one consistent
:class:`ChangeSet` of everything that changed since the last frame.
"""

from __future__ import annotations

import enum
import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from cockpit.model.catalog import NameCatalog
from cockpit.model.layers import PointLayers
from cockpit.model.plots import PlotRecord
from cockpit.model.sensors import SensorTable
from cockpit.model.sla import Timeline
from cockpit.protocol.events import (
    Connected,
    DataReceived,
    SnapshotReceived,
)
from cockpit.protocol.messages import (
    Camera,
    Catalog,
    DataMessage,
    Dispatch,
    DispatchState,
    Event,
    EventState,
    LayerPoints,
    Overlay,
    Plan,
    Plot,
    SensorBatch,
    SensorCatalog,
    SensorSeries,
    Severity,
    Stream,
    Unit,
    UnitStatus,
)

log = logging.getLogger(__name__)


E = TypeVar("E", bound=enum.Enum)


def _enum(kind: type[E], value: object, default: E) -> E:
    try:
        return kind(value)
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event as the cockpit knows it."""

    id: str
    type: str
    severity: Severity
    time_ms: int
    lon: float
    lat: float
    district: str
    state: EventState
    title: str
    theme: str
    source: str
    recommended: tuple[str, ...]
    seq: int
    active: bool = True
    occurrence: int = 1
    acked_by: str = ""
    acked_at: int = 0
    shelved_until: int = 0
    """0: not shelved; >0: until this server time (ms); -1: one-shot, until it clears."""
    shelved_by: str = ""
    shelve_reason: str = ""
    suppressed: str = ""
    out_of_service: str = ""
    level: str = "street"
    plans: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str | float], ...] = ()
    cameras: tuple[str, ...] = ()
    """Ids of the cameras that see it, best view first (§5.7)."""

    @property
    def acknowledged(self) -> bool:
        return self.state is not EventState.NEW

    @property
    def open(self) -> bool:
        return self.state not in (EventState.RESOLVED, EventState.CLOSED)

    @classmethod
    def from_message(cls, m: Event) -> EventRecord:
        return cls(
            id=m.id,
            type=m.type,
            severity=_enum(Severity, m.severity, Severity.BLUE if m.severity > 4 else Severity.RED),
            time_ms=m.time,
            lon=m.lon,
            lat=m.lat,
            district=m.district,
            state=_enum(EventState, m.state, EventState.NEW),
            title=m.title,
            theme=m.theme,
            source=m.source,
            recommended=tuple(m.recommended),
            seq=m.seq,
            active=m.active,
            occurrence=m.occurrence,
            acked_by=m.acked_by,
            acked_at=m.acked_at,
            shelved_until=m.shelved_until,
            shelved_by=m.shelved_by,
            shelve_reason=m.shelve_reason,
            suppressed=m.suppressed,
            out_of_service=m.out_of_service,
            level=m.level,
            plans=tuple(m.plans),
            attrs=tuple(sorted(m.attrs.items())),
            cameras=tuple(m.cameras),
        )


@dataclass(frozen=True, slots=True)
class UnitRecord:
    id: str
    name: str
    kind: str
    district: str
    status: UnitStatus
    lon: float
    lat: float
    event_id: str
    names: tuple[tuple[str, str], ...] = ()
    """(language, name) pairs: the unit's own name in each language the backend gave (§5.3)."""

    @classmethod
    def from_message(cls, m: Unit) -> UnitRecord:
        return cls(
            m.id,
            m.name,
            m.kind,
            m.district,
            _enum(UnitStatus, m.status, UnitStatus.OUT_OF_SERVICE),
            m.lon,
            m.lat,
            m.event_id,
            tuple(sorted(m.names.items())),
        )

    def name_in(self, lang: str) -> str:
        """The unit's own name in ``lang``, else its ``name``, else its id (§5.3)."""
        return next((n for lg, n in self.names if lg == lang and n), "") or self.name or self.id


@dataclass(frozen=True, slots=True)
class DispatchRecord:
    command_id: str
    event_id: str
    unit_id: str
    state: DispatchState
    reason: str
    ts: int

    @classmethod
    def from_message(cls, m: Dispatch) -> DispatchRecord:
        return cls(
            m.command_id,
            m.event_id,
            m.unit_id,
            _enum(DispatchState, m.state, DispatchState.FAILED),
            m.reason,
            m.ts,
        )


@dataclass(frozen=True, slots=True)
class PlanTaskRecord:
    id: str
    title: str
    owner: str
    state: str
    deadline: int
    mandatory: bool
    unit_id: str
    done_at: int

    @property
    def open(self) -> bool:
        return self.state not in ("done", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A running emergency plan and its tasks (§5.6)."""

    id: str
    plan_type: str
    event_id: str
    title: str
    state: str
    activated_by: str
    activated_at: int
    tasks: tuple[PlanTaskRecord, ...]
    approved_by: str
    closed_by: str
    closed_at: int
    ts: int

    @classmethod
    def from_message(cls, m: Plan) -> PlanRecord:
        return cls(
            m.id,
            m.plan_type,
            m.event_id,
            m.title,
            m.state,
            m.activated_by,
            m.activated_at,
            tuple(
                PlanTaskRecord(t.id, t.title, t.owner, t.state, t.deadline, t.mandatory, t.unit_id, t.done_at)
                for t in m.tasks
            ),
            m.approved_by,
            m.closed_by,
            m.closed_at,
            m.ts,
        )

    def open_mandatory(self) -> list[PlanTaskRecord]:
        return [t for t in self.tasks if t.mandatory and t.open]


@dataclass(frozen=True, slots=True)
class OverlayRecord:
    """A backend-drawn shape: fire spread, inundation, a road closure, an affected area (§5.5)."""

    id: str
    kind: str
    geometry_type: str
    coordinates: Any
    theme: str
    district: str
    label: str
    event_id: str
    ts: int
    labels: tuple[tuple[str, str], ...] = ()
    """The label per language (§5.5)."""

    @classmethod
    def from_message(cls, m: Overlay) -> OverlayRecord:
        return cls(
            m.id,
            m.kind,
            m.geometry.type,
            m.geometry.coordinates,
            m.theme,
            m.district,
            m.label,
            m.event_id,
            m.ts,
            tuple(sorted(m.labels.items())),
        )

    def label_in(self, lang: str) -> str:
        """The label in ``lang`` if the backend gave one, else ""."""
        return dict(self.labels).get(lang, "")

    def geojson(self) -> dict[str, Any]:
        return {"type": self.geometry_type, "coordinates": self.coordinates}


@dataclass(frozen=True, slots=True)
class CameraRecord:
    """A camera of the catalog (§5.7). Its stream URLs carry no credentials: ``credential`` names
    the site secret that holds them (cockpit/video/urls.py)."""

    id: str
    name: str
    names: tuple[tuple[str, str], ...]
    lon: float
    lat: float
    district: str
    theme: str
    main_url: str
    sub_url: str
    credential: str
    codec: str
    watches: tuple[str, ...]
    kind: str

    @classmethod
    def from_message(cls, m: Camera) -> CameraRecord:
        return cls(
            m.id,
            m.name,
            tuple(sorted(m.names.items())),
            m.lon,
            m.lat,
            m.district,
            m.theme,
            m.main_url,
            m.sub_url,
            m.credential,
            m.codec,
            tuple(m.watches),
            m.kind,
        )

    def name_in(self, lang: str) -> str:
        """The name in ``lang`` if the catalog has it, else the camera's default name."""
        return dict(self.names).get(lang) or self.name


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    """One sensor's history (§5.11): ``values[i]`` was sampled at ``start_ms + i * step_ms`` (NaN:
    none). Kept as the bytes that came, read as numpy when a chart asks."""

    sensor: int
    start_ms: int
    step_ms: int
    raw: bytes

    @classmethod
    def from_message(cls, m: SensorSeries) -> SeriesRecord | None:
        """The record, or None for a malformed one (values not whole float32s, no step)."""
        if len(m.values) % 4 or m.step_ms <= 0:
            return None
        return cls(m.sensor, m.start, m.step_ms, m.values)

    @property
    def values(self) -> np.ndarray:
        return np.frombuffer(self.raw, dtype="<f4").astype(np.float64)

    @property
    def times_ms(self) -> np.ndarray:
        return self.start_ms + self.step_ms * np.arange(len(self.raw) // 4, dtype=np.int64)


@dataclass(slots=True)
class ChangeSet:
    """What changed since the last :meth:`Situation.take_changes` (ids, or whole streams)."""

    events: set[str] = field(default_factory=set)
    units: set[str] = field(default_factory=set)
    dispatches: set[str] = field(default_factory=set)
    plans: set[str] = field(default_factory=set)
    overlays: set[str] = field(default_factory=set)
    cameras: set[str] = field(default_factory=set)
    series: set[int] = field(default_factory=set)
    """Sensor ids whose history changed (§5.11)."""
    plots: set[str] = field(default_factory=set)
    """Plots drawn, changed or deleted (§5.10)."""
    sensors: bool = False
    catalog: bool = False
    """The sensor descriptions changed (§5.2)."""
    names: bool = False
    """The district's names changed (§5.8): everything shown with a name is shown again."""
    layers: set[str] = field(default_factory=set)
    """Point layers that changed (§5.9)."""
    replaced: set[str] = field(default_factory=set)
    """Streams replaced by a snapshot: redraw everything from them."""
    new_epoch: set[str] = field(default_factory=set)
    """Streams the backend restarted without their state: what was derived from them is void."""
    updates: int = 0
    """Data messages and sensor values applied."""
    newest_ts: int = 0
    """The largest server ``ts`` applied: what the wall is showing up to."""

    def __bool__(self) -> bool:
        return bool(
            self.events
            or self.units
            or self.dispatches
            or self.plans
            or self.overlays
            or self.cameras
            or self.series
            or self.plots
            or self.sensors
            or self.catalog
            or self.names
            or self.layers
            or self.replaced
            or self.new_epoch
        )


MAX_CLOSED_EVENTS = 10_000
"""Closed events the wall keeps; older closed ones are forgotten (they are history on the backend).

Nothing on the wall lists a closed event, yet every one the feed ever sent was kept: about 850 bytes
each with its SLA times and alarm count (a wall running for months at the demo city's ~500 events an
hour would grow ~10 MiB a day; issue 19). 10,000 is days of a centre's events, and at most ~9 MiB.
"""


class Situation:
    """Everything the wall shows, kept up to date from the feed."""

    def __init__(self) -> None:
        self.events: dict[str, EventRecord] = {}
        self._closed: deque[str] = deque()
        """Ids of closed events, in the order they were seen closed (for ``MAX_CLOSED_EVENTS``)."""
        self.units: dict[str, UnitRecord] = {}
        self.dispatches: dict[str, DispatchRecord] = {}
        self.plans: dict[str, PlanRecord] = {}
        self.overlays: dict[str, OverlayRecord] = {}
        self.cameras: dict[str, CameraRecord] = {}
        self.series: dict[int, SeriesRecord] = {}
        """Sensor id → its history (§5.11)."""
        self.malformed_series = 0
        """Series dropped because their values were not whole float32s (counted, never raised)."""
        self.plots: dict[str, PlotRecord] = {}
        """What the centres drew on the map, by plot id; deleted ones are not kept (§5.10)."""
        self.timeline = Timeline()
        """When each event was raised, acknowledged, dispatched and reached: for SLA timers."""
        self._open: list[EventRecord] | None = None  # open_events(), until the events change
        self.sensors = SensorTable()
        self.catalog = NameCatalog()
        """The district's names for its codes (§5.8)."""
        self.layers = PointLayers()
        """The district's point layers: its risk points (§5.9)."""
        self.clock_offset_ms = 0
        self.epochs: dict[str, str] = {}
        """Each stream's epoch as of the last snapshot (§4.2)."""
        self._changes = ChangeSet()

    # ------------------------------------------------------------------------------ input

    def _forget_closed(self, ch: ChangeSet) -> None:
        """Forget the oldest closed events beyond ``MAX_CLOSED_EVENTS`` (they are announced as
        changed, with no record, as after a snapshot that no longer holds them)."""
        while len(self._closed) > MAX_CLOSED_EVENTS:
            event_id = self._closed.popleft()
            rec = self.events.get(event_id)
            if rec is None or rec.state is not EventState.CLOSED:
                continue  # gone already, or not closed after all: nothing to forget
            del self.events[event_id]
            self.timeline.forget(event_id)
            ch.events.add(event_id)

    def apply(self, events: Iterable[object]) -> None:
        """Apply feed events; anything that is not about the situation is ignored."""
        for ev in events:
            if isinstance(ev, DataReceived):
                self._apply_messages(ev.messages)
            elif isinstance(ev, SnapshotReceived):
                self._apply_snapshot(ev)
            elif isinstance(ev, Connected):
                self.clock_offset_ms = ev.clock_offset_ms

    def _apply_snapshot(self, ev: SnapshotReceived) -> None:
        old = self.epochs.get(ev.stream)
        if old is not None and old != ev.epoch:
            self._changes.new_epoch.add(ev.stream)
            if ev.stream == Stream.EVENTS:
                self.timeline.new_events_epoch()
            elif ev.stream == Stream.DISPATCH:
                self.timeline.new_dispatch_epoch()
        self.epochs[ev.stream] = ev.epoch
        if ev.stream == Stream.EVENTS:
            self._changes.events.update(self.events)
            self.events.clear()
            self._closed.clear()
            self._open = None
        elif ev.stream == Stream.DISPATCH:
            self._changes.units.update(self.units)
            self._changes.dispatches.update(self.dispatches)
            self._changes.plans.update(self.plans)
            self.units.clear()
            self.dispatches.clear()
            self.plans.clear()
        elif ev.stream == Stream.SENSORS:
            self.sensors.clear()
            self._changes.catalog = True
        elif ev.stream == Stream.OVERLAYS:
            self._changes.overlays.update(self.overlays)
            self.overlays.clear()
        elif ev.stream == Stream.SERIES:
            self._changes.series.update(self.series)
            self.series.clear()
        elif ev.stream == Stream.PLOTS:
            self._changes.plots.update(self.plots)
            self.plots.clear()
        elif ev.stream == Stream.CATALOG:
            self.catalog.clear()
            self.catalog.apply(())  # a snapshot, even an empty one: this backend names its codes
            self._changes.names = True
        elif ev.stream == Stream.CAMERAS:
            self._changes.cameras.update(self.cameras)
            self.cameras.clear()
        elif ev.stream == Stream.LAYERS:
            self._changes.layers.update(self.layers.layers)
            self.layers.clear()
        self._changes.replaced.add(ev.stream)
        self._apply_messages(ev.messages)

    def _apply_messages(self, messages: Iterable[DataMessage]) -> None:
        ch = self._changes
        # Consecutive sensor batches with the same sample time and ttl (a frame's, typically) are
        # written in one step: per-batch numpy calls were the largest cost of a flooded feed.
        ids: list[bytes] = []
        values: list[bytes] = []
        group = (0, 0)
        for m in messages:
            if m.ts > ch.newest_ts:
                ch.newest_ts = m.ts
            if isinstance(m, SensorBatch):
                if ids and (m.ts, m.ttl_ms) != group:
                    ch.updates += self.sensors.apply_batches(ids, values, *group)
                    ids, values = [], []
                group = (m.ts, m.ttl_ms)
                ids.append(m.ids)
                values.append(m.values)
                ch.sensors = True
                continue
            if ids:  # in order: a catalog after a batch must not be applied before it
                ch.updates += self.sensors.apply_batches(ids, values, *group)
                ids, values = [], []
            ch.updates += 1
            if isinstance(m, Event):
                prev = self.events.get(m.id)
                rec = self.events[m.id] = EventRecord.from_message(m)
                self.timeline.on_event(m)
                ch.events.add(m.id)
                self._open = None
                if rec.state is EventState.CLOSED and (prev is None or prev.state is not EventState.CLOSED):
                    self._closed.append(m.id)
                    if len(self._closed) > MAX_CLOSED_EVENTS:
                        self._forget_closed(ch)
            elif isinstance(m, Unit):
                self.units[m.id] = UnitRecord.from_message(m)
                ch.units.add(m.id)
            elif isinstance(m, Dispatch):
                self.dispatches[m.command_id] = DispatchRecord.from_message(m)
                self.timeline.on_dispatch(m)
                ch.dispatches.add(m.command_id)
            elif isinstance(m, Plan):
                self.plans[m.id] = PlanRecord.from_message(m)
                self.timeline.on_plan(m)
                ch.plans.add(m.id)
            elif isinstance(m, SensorCatalog):
                self.sensors.add_catalog(m.sensors)
                ch.catalog = True
            elif isinstance(m, Overlay):
                if m.active:
                    self.overlays[m.id] = OverlayRecord.from_message(m)
                else:
                    self.overlays.pop(m.id, None)
                ch.overlays.add(m.id)
            elif isinstance(m, Catalog):
                self.catalog.apply(m.entries)
                ch.names = True
            elif isinstance(m, Camera):
                if m.active:
                    self.cameras[m.id] = CameraRecord.from_message(m)
                else:
                    self.cameras.pop(m.id, None)
                ch.cameras.add(m.id)
            elif isinstance(m, SensorSeries):
                record = SeriesRecord.from_message(m)
                if record is None:
                    self.malformed_series += 1
                    log.warning("sensor_series of sensor %d dropped: %d value bytes, step %d ms", m.sensor, len(m.values), m.step_ms)
                    continue
                self.series[m.sensor] = record
                ch.series.add(m.sensor)
            elif isinstance(m, LayerPoints):
                self.layers.apply(m)
                ch.layers.add(m.layer)
            elif isinstance(m, Plot):
                if m.active:
                    self.plots[m.id] = PlotRecord.from_message(m)
                else:
                    self.plots.pop(m.id, None)
                ch.plots.add(m.id)
        if ids:
            ch.updates += self.sensors.apply_batches(ids, values, *group)

    # ------------------------------------------------------------------------------ output

    def take_changes(self) -> ChangeSet:
        """Everything changed since the last call; call once per painted frame."""
        changes, self._changes = self._changes, ChangeSet()
        return changes

    def server_now(self, local_wall_ms: int) -> int:
        """The server's clock now, from the offset measured at the handshake."""
        return local_wall_ms + self.clock_offset_ms

    def open_events(self) -> list[EventRecord]:
        """Open events, most severe first, then newest first. Do not modify the list.

        Every panel on every screen asks for this in the same frame; it is sorted once per change
        of the events, not once per caller.
        """
        if self._open is None:
            evs = [e for e in self.events.values() if e.open]
            evs.sort(key=lambda e: (int(e.severity), -e.time_ms, e.id))
            self._open = evs
        return self._open

    def dispatches_for(self, event_id: str) -> list[DispatchRecord]:
        return [d for d in self.dispatches.values() if d.event_id == event_id]

    def plans_for(self, event_id: str) -> list[PlanRecord]:
        return [p for p in self.plans.values() if p.event_id == event_id]

    def plots_for(self, event_id: str) -> list[PlotRecord]:
        """The event's plots, oldest first."""
        return sorted((p for p in self.plots.values() if p.event_id == event_id), key=lambda p: (p.created, p.id))

    def digest(self) -> dict[str, object]:
        """A plain comparable form of the whole state, for tests and the soak."""
        return {
            "events": {k: (v.state.value, v.severity.value, v.title) for k, v in self.events.items()},
            "units": {k: (v.status.value, v.event_id) for k, v in self.units.items()},
            "dispatches": {k: (v.state.value, v.unit_id) for k, v in self.dispatches.items()},
            "overlays": {k: (v.kind, v.label) for k, v in self.overlays.items()},
            "plots": {k: (v.version, v.kind, v.geometry_type, repr(v.coordinates)) for k, v in self.plots.items()},
            "sensors": self.sensors.digest(),
        }

    def names_digest(self) -> dict[str, list[tuple[str, str]]]:
        """The district's names (§5.8) in a plain comparable form."""
        return {f"{e.kind}:{e.code}": sorted(e.names.items()) for e in self.catalog}
