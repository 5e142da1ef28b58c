"""A seeded, deterministic simulated city for the demo backend.

The city lives in simulated time: :meth:`City.advance` moves it forward and publishes what changed
into a :class:`~cockpit.backend.streams.Hub`. The same seed and the same sequence of calls give the
same city, so tests can compare a cockpit's model with the city's state.

Scenarios follow shared/domain.md: a storm raises rain gauges and floods an underpass, a water main
bursts, a forest-park fire trips fire-alarm terminals, a morning jam slows an interchange; grid workers
and the 12345 hotline report smaller events throughout.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np

from cockpit.backend.streams import Hub, matches
from cockpit.protocol.messages import (
    AckResult,
    Command,
    CommandAck,
    CommandKind,
    DataMessage,
    Dispatch,
    DispatchState,
    Event,
    EventState,
    Filter,
    Role,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    Stream,
    Unit,
    UnitStatus,
)


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: str
    lon: float
    lat: float


DISTRICTS: tuple[District, ...] = (
    District("yuzhong", "渝中区 Yuzhong", 106.568, 29.553),
    District("jiangbei", "江北区 Jiangbei", 106.574, 29.606),
    District("nanan", "南岸区 Nan'an", 106.644, 29.500),
    District("shapingba", "沙坪坝区 Shapingba", 106.456, 29.541),
)


@dataclass(frozen=True, slots=True)
class SensorKind:
    kind: str
    theme: str
    unit: str
    base: float
    noise: float
    warn: float | None = None
    alarm: float | None = None
    low_warn: float | None = None
    low_alarm: float | None = None
    ttl_ms: int = 5000


SENSOR_KINDS: tuple[SensorKind, ...] = (
    SensorKind("water_level", "flood", "m", 2.1, 0.02, warn=3.0, alarm=3.5),
    SensorKind("rain_gauge", "flood", "mm/h", 1.0, 0.3, warn=30.0, alarm=50.0),
    SensorKind("road_speed", "traffic", "km/h", 42.0, 3.0, low_warn=20.0, low_alarm=10.0),
    SensorKind("pipe_pressure", "water", "MPa", 0.42, 0.005, low_warn=0.30, low_alarm=0.22),
    SensorKind("fire_terminal", "fire", "°C", 31.0, 0.4, warn=55.0, alarm=70.0, ttl_ms=10000),
)
_KIND = {k.kind: k for k in SENSOR_KINDS}

# What kind of unit answers what kind of event; the first kind is recommended first.
UNIT_KINDS: dict[str, tuple[str, ...]] = {
    "flood": ("drainage_crew", "traffic_police"),
    "fire": ("fire_engine", "forest_crew"),
    "traffic": ("traffic_police",),
    "water": ("water_repair", "traffic_police"),
    "citizen": ("enforcement_team", "grid_worker"),
}

EVENT_OF_KIND = {
    "water_level": ("waterlogging", "flood", "Water level over limit"),
    "rain_gauge": ("rainstorm", "flood", "Rainfall over limit"),
    "road_speed": ("congestion", "traffic", "Traffic jam"),
    "pipe_pressure": ("pipe_burst", "water", "Suspected water-main burst"),
    "fire_terminal": ("fire", "fire", "Fire alarm"),
}

BACKGROUND_EVENTS = (
    ("noise_complaint", "citizen", "12345 noise complaint", 4),
    ("railing_damaged", "flood", "River railing washed away", 3),
    ("waste_truck", "citizen", "Overloaded waste truck shedding soil", 3),
    ("traffic_accident", "traffic", "Traffic accident", 2),
    ("illegal_parking", "traffic", "Illegal parking blocks lane", 4),
)

# Simulated seconds from dispatch to each next state (compressed so a demo shows the whole loop).
DISPATCH_TIMELINE: tuple[tuple[DispatchState, float], ...] = (
    (DispatchState.DISPATCHED, 1.0),
    (DispatchState.ACKNOWLEDGED, 3.0),
    (DispatchState.EN_ROUTE, 6.0),
    (DispatchState.ON_SCENE, 20.0),
    (DispatchState.COMPLETED, 45.0),
)
_UNIT_STATUS_OF = {
    DispatchState.DISPATCHED: UnitStatus.DISPATCHED,
    DispatchState.ACKNOWLEDGED: UnitStatus.ACKNOWLEDGED,
    DispatchState.EN_ROUTE: UnitStatus.EN_ROUTE,
    DispatchState.ON_SCENE: UnitStatus.ON_SCENE,
}


@dataclass(slots=True)
class _Job:
    command_id: str
    event_id: str
    unit_id: str
    started: float
    step: int = 0
    state: DispatchState = DispatchState.ACCEPTED


@dataclass(slots=True)
class CityState:
    """Everything a client's model should end up equal to."""

    events: dict[str, Event] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    dispatches: dict[str, Dispatch] = field(default_factory=dict)


class City:
    """The simulated city.

    Args:
        hub: Where changes are published.
        seed: Makes the city deterministic.
        rate: Sensor updates per simulated second (load-test knob).
        sensors_per_kind: Sensors of each kind per district (at least).
        event_rate: Background events per simulated minute.
        tick_hz: Sensor batches per simulated second.
    """

    def __init__(
        self,
        hub: Hub,
        *,
        seed: int = 1,
        rate: float = 2000.0,
        sensors_per_kind: int = 12,
        event_rate: float = 6.0,
        tick_hz: float = 10.0,
    ) -> None:
        self.hub = hub
        self.seed = seed
        self.rate = rate
        self.event_rate = event_rate
        self.tick_hz = tick_hz
        self.now = 0.0  # simulated seconds since start
        self.time_origin_ms = 0  # wall-clock ms of simulated second 0, set by the server
        self.state = CityState()
        self._rng = random.Random(seed)
        self._np = np.random.default_rng(seed)
        self._event_counter = 0
        self._jobs: dict[str, _Job] = {}
        self._acks: dict[str, CommandAck] = {}
        self._open_alarm: dict[int, str] = {}  # sensor id → event id while its alarm stands
        self._cursor = 0
        self._next_tick = 0.0
        self._next_event = self._draw_event_gap()
        self._make_sensors(sensors_per_kind)
        self._make_units()

    # ------------------------------------------------------------------------------ set-up

    def _make_sensors(self, per_kind: int) -> None:
        per_tick = max(1, math.ceil(self.rate / self.tick_hz))
        total_min = len(DISTRICTS) * len(SENSOR_KINDS) * per_kind
        per_kind = max(per_kind, math.ceil(per_tick / (len(DISTRICTS) * len(SENSOR_KINDS))))
        infos: list[SensorInfo] = []
        groups: list[tuple[str, str]] = []
        sid = 1
        for d in DISTRICTS:
            for k in SENSOR_KINDS:
                for i in range(per_kind):
                    lon = d.lon + self._rng.uniform(-0.03, 0.03)
                    lat = d.lat + self._rng.uniform(-0.025, 0.025)
                    infos.append(
                        SensorInfo(
                            id=sid,
                            name=f"{d.code}-{k.kind}-{i + 1:03d}",
                            kind=k.kind,
                            unit=k.unit,
                            district=d.code,
                            lon=round(lon, 5),
                            lat=round(lat, 5),
                            theme=k.theme,
                            warn=k.warn,
                            alarm=k.alarm,
                            low_warn=k.low_warn,
                            low_alarm=k.low_alarm,
                        )
                    )
                    groups.append((d.code, k.theme))
                    sid += 1
        assert len(infos) >= total_min
        self.sensors = infos
        n = len(infos)
        self.sensor_ids = np.array([s.id for s in infos], dtype="<u4")
        self._base = np.array([_KIND[s.kind].base for s in infos], dtype=np.float64)
        self._noise = np.array([_KIND[s.kind].noise for s in infos], dtype=np.float64)
        self._offset = np.zeros(n)  # scenario-driven displacement from base
        self.values = self._base.copy().astype(np.float32)
        self.value_ts = np.zeros(n, dtype=np.int64)
        self._ttl = np.array([_KIND[s.kind].ttl_ms for s in infos], dtype=np.int64)
        # Indices of each (district, theme, ttl) group: one SensorBatch per group per tick.
        keys = [(g[0], g[1], int(self._ttl[i])) for i, g in enumerate(groups)]
        self._group_keys = sorted(set(keys))
        key_index = {k: j for j, k in enumerate(self._group_keys)}
        self._group_of = np.array([key_index[k] for k in keys], dtype=np.int32)
        self._district_of = [s.district for s in infos]
        self._kind_of = [s.kind for s in infos]
        self._per_tick = min(per_tick, n)
        for d in DISTRICTS:  # one catalog per district and theme, so filters apply to it too
            for theme in sorted({k.theme for k in SENSOR_KINDS}):
                mine = [s for s in infos if s.district == d.code and s.theme == theme]
                for lo in range(0, len(mine), 2000):
                    self.hub.publish_catalog(d.code, theme, mine[lo : lo + 2000])

    def _make_units(self) -> None:
        kinds = sorted({k for ks in UNIT_KINDS.values() for k in ks})
        names = {
            "drainage_crew": "Drainage crew",
            "traffic_police": "Traffic police",
            "fire_engine": "Fire engine",
            "forest_crew": "Forest fire crew",
            "water_repair": "Water repair crew",
            "enforcement_team": "Enforcement team",
            "grid_worker": "Grid worker",
        }
        for d in DISTRICTS:
            for kind in kinds:
                for i in range(2):
                    uid = f"{d.code}-{kind}-{i + 1}"
                    unit = Unit(
                        stream=Stream.DISPATCH,
                        seq=0,
                        prev=0,
                        ts=0,
                        id=uid,
                        name=f"{names[kind]} {i + 1}",
                        kind=kind,
                        district=d.code,
                        status=UnitStatus.AVAILABLE,
                        lon=round(d.lon + self._rng.uniform(-0.02, 0.02), 5),
                        lat=round(d.lat + self._rng.uniform(-0.02, 0.02), 5),
                    )
                    self._put_unit(unit)

    # ------------------------------------------------------------------------------ time

    def ms(self, t: float | None = None) -> int:
        """Wall-clock milliseconds of simulated time ``t`` (default: now)."""
        return self.time_origin_ms + round((self.now if t is None else t) * 1000)

    def advance(self, seconds: float) -> None:
        """Move the city forward by ``seconds`` of simulated time, publishing every change."""
        end = self.now + seconds
        while self._next_tick <= end:
            self.now = self._next_tick
            self._tick_sensors()
            self._tick_jobs()
            while self._next_event <= self.now:
                self._background_event()
                self._next_event += self._draw_event_gap()
            self._next_tick += 1.0 / self.tick_hz
        self.now = end

    def _draw_event_gap(self) -> float:
        return self._rng.expovariate(self.event_rate / 60.0) if self.event_rate > 0 else math.inf

    def _scenario_offset(self, t: float) -> np.ndarray:
        """Slow scenario drift: a storm over Jiangbei, a burst in Nan'an, a jam, a fire."""
        off = np.zeros(len(self.sensors))
        storm = max(0.0, math.sin(2 * math.pi * t / 600.0))  # 10-minute storm cycle
        burst = 1.0 if (t % 900.0) > 300.0 and (t % 900.0) < 420.0 else 0.0
        jam = max(0.0, math.sin(2 * math.pi * (t + 120) / 480.0)) ** 2
        fire = 1.0 if (t % 1200.0) > 90.0 and (t % 1200.0) < 240.0 else 0.0
        for i, (d, k) in enumerate(zip(self._district_of, self._kind_of, strict=True)):
            first = i % 12 == 0  # the one sensor of a group the scenario hits hardest
            if k == "rain_gauge" and d in ("jiangbei", "yuzhong"):
                off[i] = storm * (60.0 if first else 25.0)
            elif k == "water_level" and d == "jiangbei":
                off[i] = storm * (1.8 if first else 0.6)
            elif k == "pipe_pressure" and d == "nanan" and first:
                off[i] = -0.25 * burst
            elif k == "road_speed" and d == "yuzhong":
                off[i] = -(36.0 if first else 15.0) * jam
            elif k == "fire_terminal" and d == "shapingba" and first:
                off[i] = 55.0 * fire
        return off

    def _tick_sensors(self) -> None:
        n = len(self.sensors)
        lo = self._cursor
        idx = np.arange(lo, lo + self._per_tick) % n
        self._cursor = (lo + self._per_tick) % n
        if lo == 0 or self._per_tick >= n:
            self._offset = self._scenario_offset(self.now)
        noise = self._np.standard_normal(len(idx)) * self._noise[idx]
        vals = (self._base[idx] + self._offset[idx] + noise).astype(np.float32)
        self.values[idx] = vals
        # Sample times are wall-clock, like every other ts, whatever the simulation's speed, so
        # staleness (ts + ttl) means the same on every backend.
        ts = self.hub.now_ms()
        self.value_ts[idx] = ts
        groups = self._group_of[idx]
        order = np.argsort(groups, kind="stable")
        idx, vals, groups = idx[order], vals[order], groups[order]
        bounds = np.flatnonzero(np.diff(groups)) + 1
        for part_idx, part_vals in zip(np.split(idx, bounds), np.split(vals, bounds), strict=True):
            district, theme, ttl = self._group_keys[int(self._group_of[part_idx[0]])]
            self.hub.publish_sensors(
                district, theme, ts, ttl, self.sensor_ids[part_idx].tobytes(), part_vals.tobytes()
            )
        self._check_thresholds(idx, vals)

    def _check_thresholds(self, idx: np.ndarray, vals: np.ndarray) -> None:
        for i, v in zip(idx.tolist(), vals.tolist(), strict=True):
            info = self.sensors[i]
            over = (info.alarm is not None and v >= info.alarm) or (
                info.low_alarm is not None and v <= info.low_alarm
            )
            sid = info.id
            if over and sid not in self._open_alarm:
                etype, theme, title = EVENT_OF_KIND[info.kind]
                sev = 1 if info.kind in ("pipe_pressure", "fire_terminal") else 2
                ev = self._new_event(
                    etype, theme, f"{title}: {info.name} {v:.2f} {info.unit}", sev, info.district
                )
                ev_lonlat = (info.lon, info.lat)
                self._put_event(_replace_event(ev, lon=ev_lonlat[0], lat=ev_lonlat[1], source=info.name))
                self._open_alarm[sid] = ev.id
            elif not over and sid in self._open_alarm:
                ev_id = self._open_alarm[sid]
                warn_clear = True
                if info.warn is not None and v >= info.warn:
                    warn_clear = False
                if info.low_warn is not None and v <= info.low_warn:
                    warn_clear = False
                if warn_clear:  # hysteresis: the alarm stands until the value is back under warning
                    del self._open_alarm[sid]
                    ev2 = self.state.events.get(ev_id)
                    if ev2 is not None and ev2.state == EventState.NEW:
                        self._put_event(_replace_event(ev2, state=EventState.RESOLVED))

    def _background_event(self) -> None:
        etype, theme, title, sev = self._rng.choice(BACKGROUND_EVENTS)
        district = self._rng.choice(DISTRICTS)
        ev = self._new_event(etype, theme, title, sev, district.code)
        self._put_event(ev)

    def _new_event(self, etype: str, theme: str, title: str, severity: int, district: str) -> Event:
        self._event_counter += 1
        d = next(x for x in DISTRICTS if x.code == district)
        eid = f"E{self.seed:02d}-{self._event_counter:06d}"
        ev = Event(
            stream=Stream.EVENTS,
            seq=0,
            prev=0,
            ts=0,
            id=eid,
            type=etype,
            severity=severity,
            time=self.ms(),
            lon=round(d.lon + self._rng.uniform(-0.03, 0.03), 5),
            lat=round(d.lat + self._rng.uniform(-0.025, 0.025), 5),
            district=district,
            state=EventState.NEW,
            title=title,
            theme=theme,
        )
        return _replace_event(ev, recommended=self._recommend(ev))

    def _recommend(self, ev: Event) -> list[str]:
        kinds = UNIT_KINDS.get(ev.theme, ("grid_worker",))
        free = [u for u in self.state.units.values() if u.kind in kinds and u.status == UnitStatus.AVAILABLE]
        free.sort(
            key=lambda u: (
                u.district != ev.district,
                kinds.index(u.kind),
                (u.lon - ev.lon) ** 2 + (u.lat - ev.lat) ** 2,
                u.id,
            )
        )
        return [u.id for u in free[:3]]

    # ------------------------------------------------------------------------------ snapshots

    def snapshot(self, stream: str, f: Filter) -> list[DataMessage]:
        """The state of ``stream`` now, as data messages, for a subscription with filter ``f`` (§4.3)."""
        seq = self.hub.logs[stream].seq
        out: list[DataMessage] = []
        if stream == Stream.EVENTS:
            out.extend(e for e in self.state.events.values() if matches(f, e.district, e.theme))
        elif stream == Stream.DISPATCH:
            out.extend(u for u in self.state.units.values() if matches(f, u.district, ""))
            for d in self.state.dispatches.values():
                ev = self.state.events.get(d.event_id)
                if matches(f, ev.district if ev else "", ""):
                    out.append(d)
        elif stream == Stream.SENSORS:
            keep = [i for i, s in enumerate(self.sensors) if matches(f, s.district, s.theme)]
            for lo in range(0, len(keep), 2000):
                infos = [self.sensors[i] for i in keep[lo : lo + 2000]]
                out.append(SensorCatalog(stream=stream, seq=seq, prev=0, ts=self.ms(), sensors=infos))
            sel = np.array(keep, dtype=np.int64)
            sel = sel[self.value_ts[sel] > 0]
            if len(sel):
                ts, ttl = self.value_ts[sel], self._ttl[sel]
                order = np.lexsort((ttl, ts))
                sel, ts, ttl = sel[order], ts[order], ttl[order]
                change = np.flatnonzero((np.diff(ts) != 0) | (np.diff(ttl) != 0)) + 1
                for part in np.split(np.arange(len(sel)), change):
                    for lo in range(0, len(part), 50_000):
                        chunk = part[lo : lo + 50_000]
                        out.append(
                            SensorBatch(
                                stream=stream,
                                seq=seq,
                                prev=0,
                                ts=int(ts[chunk[0]]),
                                ttl_ms=int(ttl[chunk[0]]),
                                ids=self.sensor_ids[sel[chunk]].tobytes(),
                                values=self.values[sel[chunk]].tobytes(),
                            )
                        )
        return out

    # ------------------------------------------------------------------------------ commands

    def handle_command(self, command: Command, role: str) -> CommandAck:
        """Apply a command once; a repeated id gets ``duplicate`` and changes nothing (§7.3)."""
        first = self._acks.get(command.id)
        if first is not None:
            return CommandAck(
                id=command.id,
                result=AckResult.DUPLICATE,
                reason=first.reason,
                detail="this command id was already handled",
                original=first.result,
            )
        ack = self._apply(command, role)
        self._acks[command.id] = ack
        return ack

    def _reject(self, command: Command, reason: str, detail: str) -> CommandAck:
        return CommandAck(id=command.id, result=AckResult.REJECTED, reason=reason, detail=detail)

    def _apply(self, c: Command, role: str) -> CommandAck:
        if role not in (Role.OPERATOR, Role.SUPERVISOR, Role.TRAINER):
            return self._reject(c, "forbidden", f"role {role!r} may not send commands")
        ev = self.state.events.get(c.event_id)
        if c.kind not in set(CommandKind):
            return self._reject(c, "unknown_kind", f"unknown command kind {c.kind!r}")
        if c.kind == CommandKind.CANCEL:
            job = self._jobs.get(c.ref)
            if job is None:
                return self._reject(c, "unknown_command", f"no dispatch {c.ref!r} is in progress")
            self._finish_job(job, DispatchState.CANCELLED, "cancelled by operator")
            return CommandAck(id=c.id, result=AckResult.ACCEPTED)
        if ev is None:
            return self._reject(c, "unknown_event", f"no event {c.event_id!r}")
        if ev.state == EventState.CLOSED:
            return self._reject(c, "event_closed", f"event {ev.id} is closed")
        if c.kind == CommandKind.ACKNOWLEDGE:
            if ev.state == EventState.NEW:
                self._put_event(_replace_event(ev, state=EventState.ACKNOWLEDGED))
            return CommandAck(id=c.id, result=AckResult.ACCEPTED)
        if c.kind == CommandKind.CLOSE:
            if any(j.event_id == ev.id for j in self._jobs.values()):
                return self._reject(c, "dispatch_open", "a dispatch for this event is still open")
            self._put_event(_replace_event(ev, state=EventState.CLOSED))
            return CommandAck(id=c.id, result=AckResult.ACCEPTED)
        if c.kind == CommandKind.DISPATCH:
            unit = self.state.units.get(c.unit_id)
            if unit is None:
                return self._reject(c, "unknown_unit", f"no unit {c.unit_id!r}")
            if unit.status != UnitStatus.AVAILABLE:
                return self._reject(c, "unit_busy", f"{unit.name} is {unit.status}")
            job = _Job(c.id, ev.id, unit.id, self.now)
            self._jobs[c.id] = job
            self._put_dispatch(job, DispatchState.ACCEPTED)
            self._put_unit(_replace_unit(unit, status=UnitStatus.DISPATCHED, event_id=ev.id))
            if ev.state in (EventState.NEW, EventState.ACKNOWLEDGED):
                self._put_event(_replace_event(ev, state=EventState.DISPATCHED))
            return CommandAck(id=c.id, result=AckResult.ACCEPTED)
        return self._reject(c, "unknown_kind", f"unknown command kind {c.kind!r}")

    def _tick_jobs(self) -> None:
        for job in list(self._jobs.values()):
            while job.step < len(DISPATCH_TIMELINE):
                state, after = DISPATCH_TIMELINE[job.step]
                if self.now - job.started < after:
                    break
                job.step += 1
                if state == DispatchState.COMPLETED:
                    self._finish_job(job, state, "")
                    break
                self._put_dispatch(job, state)
                unit = self.state.units[job.unit_id]
                self._put_unit(_replace_unit(unit, status=_UNIT_STATUS_OF[state]))

    def _finish_job(self, job: _Job, state: DispatchState, reason: str) -> None:
        del self._jobs[job.command_id]
        self._put_dispatch(job, state, reason)
        unit = self.state.units[job.unit_id]
        self._put_unit(_replace_unit(unit, status=UnitStatus.AVAILABLE, event_id=""))
        ev = self.state.events.get(job.event_id)
        if ev is not None and state == DispatchState.COMPLETED and ev.state != EventState.CLOSED:
            self._put_event(_replace_event(ev, state=EventState.RESOLVED))
        elif (
            ev is not None
            and ev.state == EventState.DISPATCHED
            and not any(j.event_id == ev.id for j in self._jobs.values())
        ):
            # The last unit was called off: the event is open again, waiting for a dispatch.
            self._put_event(_replace_event(ev, state=EventState.ACKNOWLEDGED))

    # ------------------------------------------------------------------------------ publishing

    def _put_event(self, ev: Event) -> None:
        self.state.events[ev.id] = self.hub.publish(Stream.EVENTS, ev, ev.district, ev.theme)

    def _put_unit(self, unit: Unit) -> None:
        self.state.units[unit.id] = self.hub.publish(Stream.DISPATCH, unit, unit.district, "")

    def _put_dispatch(self, job: _Job, state: DispatchState, reason: str = "") -> None:
        job.state = state
        ev = self.state.events.get(job.event_id)
        d = Dispatch(
            stream=Stream.DISPATCH,
            seq=0,
            prev=0,
            ts=0,
            command_id=job.command_id,
            event_id=job.event_id,
            unit_id=job.unit_id,
            state=state,
            reason=reason,
        )
        district = ev.district if ev is not None else ""
        self.state.dispatches[job.command_id] = self.hub.publish(Stream.DISPATCH, d, district, "")


def _replace_event(ev: Event, **changes: object) -> Event:
    import msgspec

    return msgspec.structs.replace(ev, **changes)


def _replace_unit(unit: Unit, **changes: object) -> Unit:
    import msgspec

    return msgspec.structs.replace(unit, **changes)
