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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import msgspec
import numpy as np

from cockpit.backend.cameras.catalog import DemoCamera
from cockpit.backend.demo_catalog import demo_catalog, unit_names
from cockpit.backend.plans_engine import PlanRefused, PlansEngine
from cockpit.backend.plot_desk import PlotDesk
from cockpit.backend.risk_points import RiskPoints, risk_catalog
from cockpit.backend.scenarios import Scenario, all_scenarios
from cockpit.backend.scenarios.base import Attrs
from cockpit.backend.streams import Hub
from cockpit.model.alarms import MAX_SHELVE_MS, ONE_SHOT, Alarm, Refusal
from cockpit.model.centres import level_down, level_up
from cockpit.model.plans import PlanLibrary, load_builtin_plans
from cockpit.model.thresholds import LimitColumns, Limits
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import (
    PLOT_COMMANDS,
    AckResult,
    Camera,
    Catalog,
    Command,
    CommandAck,
    CommandKind,
    DataMessage,
    Dispatch,
    DispatchState,
    Event,
    EventState,
    Filter,
    Geometry,
    Level,
    Overlay,
    Plan,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    SensorSeries,
    Stream,
    Unit,
    UnitStatus,
)
from cockpit.protocol.server import check_command


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
    scaled: bool = True
    """Field sensors multiply with ``--rate``; city-wide indicators stay a fixed few."""
    per_district: int = 0
    """A fixed count per district (indicators); 0 uses the city's count per kind."""


SENSOR_KINDS: tuple[SensorKind, ...] = (
    SensorKind("water_level", "flood", "m", 2.1, 0.02, warn=3.0, alarm=3.5),
    SensorKind("rain_gauge", "flood", "mm/h", 1.0, 0.3, warn=30.0, alarm=50.0),
    SensorKind("road_speed", "traffic", "km/h", 42.0, 3.0, low_warn=20.0, low_alarm=10.0),
    SensorKind("pipe_pressure", "water", "MPa", 0.42, 0.005, low_warn=0.30, low_alarm=0.22),
    SensorKind("fire_terminal", "fire", "°C", 31.0, 0.4, warn=55.0, alarm=70.0, ttl_ms=10000),
    # Indicators: one or two per district, not scaled by --rate.
    SensorKind("congestion", "traffic", "", 1.43, 0.03, warn=1.8, alarm=2.2, scaled=False, per_district=1),
    SensorKind(
        "air_temperature", "fire", "°C", 37.2, 0.2, warn=39.0, alarm=40.0, scaled=False, per_district=1
    ),
    SensorKind("wind_speed", "fire", "m/s", 3.5, 0.4, warn=8.0, alarm=12.0, scaled=False, per_district=1),
    SensorKind("fire_risk", "fire", "", 3.2, 0.02, warn=3.5, alarm=4.5, scaled=False, per_district=1),
    SensorKind("repair_progress", "water", "%", 0.0, 0.0, scaled=False, per_district=1),
    SensorKind("rating", "", "", 2.0, 0.0, scaled=False, per_district=1, ttl_ms=60000),
)
_KIND = {k.kind: k for k in SENSOR_KINDS}

# The sensors the demo city wants on its wall, by backend-given group (protocol §5.2): runway files
# select ``groups: [flood_watch]`` and never name a sensor, so they work against any district.
# (district, kind, ordinal) -> groups.
SENSOR_GROUPS: dict[tuple[str, str, int], tuple[str, ...]] = {
    ("yuzhong", "congestion", 0): ("vital_signs",),
    ("jiangbei", "water_level", 0): ("vital_signs", "flood_watch"),
    ("nanan", "pipe_pressure", 0): ("vital_signs", "water_watch"),
    ("shapingba", "fire_terminal", 0): ("vital_signs",),
    ("jiangbei", "water_level", 1): ("flood_watch",),
    ("yuzhong", "water_level", 0): ("flood_watch",),
    ("jiangbei", "rain_gauge", 0): ("flood_watch",),
    ("yuzhong", "rain_gauge", 0): ("flood_watch",),
    ("shapingba", "air_temperature", 0): ("forest_park",),
    ("shapingba", "wind_speed", 0): ("forest_park",),
    ("shapingba", "fire_risk", 0): ("forest_park",),
    ("yuzhong", "road_speed", 0): ("key_roads",),
    ("jiangbei", "road_speed", 0): ("key_roads",),
    ("nanan", "pipe_pressure", 1): ("water_watch",),
    ("nanan", "repair_progress", 0): ("water_watch",),
}
SENSOR_TAGS: dict[tuple[str, str, int], tuple[str, ...]] = {
    ("jiangbei", "water_level", 0): ("underpass",),
    ("shapingba", "fire_terminal", 0): ("forest_park",),
}
"""Free words on a sensor (protocol §5.2 ``tags``): the underpass gauge the flood scenario floods."""

# What kind of unit answers what kind of event; the first kind is recommended first.
UNIT_KINDS: dict[str, tuple[str, ...]] = {
    "flood": ("drainage_crew", "traffic_police"),
    "fire": ("fire_engine", "forest_crew"),
    "traffic": ("traffic_police",),
    "water": ("water_repair", "traffic_police"),
    "citizen": ("enforcement_team", "grid_worker"),
    "waste": ("enforcement_team", "traffic_police"),
    "water_quality": ("environment_team", "river_crew"),
}
BASE_UNIT_KINDS: tuple[str, ...] = (
    "drainage_crew",
    "enforcement_team",
    "fire_engine",
    "forest_crew",
    "grid_worker",
    "traffic_police",
    "water_repair",
)
"""The unit kinds of the city's first scenarios, made from the city's own random sequence; the later
scenarios' kinds (ecology-environment enforcement, river crews) are made from their own."""
SCENARIO_UNIT_KINDS: tuple[str, ...] = ("environment_team", "river_crew")

EVENT_OF_KIND = {
    "water_level": ("waterlogging", "flood", "Water level over limit"),
    "rain_gauge": ("rainstorm", "flood", "Rainfall over limit"),
    "road_speed": ("congestion", "traffic", "Traffic jam"),
    "pipe_pressure": ("pipe_burst", "water", "Suspected water-main burst"),
    "fire_terminal": ("fire", "fire", "Fire alarm"),
    "congestion": ("congestion_index", "traffic", "Congestion index over limit"),
    "air_temperature": ("heat", "fire", "High temperature"),
    "wind_speed": ("high_wind", "fire", "High wind"),
    "fire_risk": ("fire_risk", "fire", "Forest fire risk high"),
}

BACKGROUND_EVENTS = (
    ("noise_complaint", "citizen", "12345 noise complaint", 4),
    ("railing_damaged", "flood", "River railing washed away", 3),
    ("waste_truck", "waste", "Overloaded waste truck shedding soil", 3),
    ("traffic_accident", "traffic", "Traffic accident", 2),
    ("illegal_parking", "traffic", "Illegal parking blocks lane", 4),
)

WIDE_EFFECT_TYPES = frozenset(etype for etype, _, _ in EVENT_OF_KIND.values())
"""Sensor-raised event types: at severity 1–2 they affect a whole area and start at district level."""

AGENCY_UNITS: dict[str, str] = {
    "power_crew": "Power repair crew",
    "telecom_crew": "Telecom repair crew",
    "ambulance": "Ambulance",
}
"""Units of the agencies plans call on besides the responders (power, telecom, 120)."""

PIPE_MAINS_MM: dict[str, float] = {"nanan": 400.0, "yuzhong": 600.0, "jiangbei": 300.0, "shapingba": 800.0}
"""Diameter of each district's main that the pressure sensors watch: Nan'an's burst main is DN400."""

RISK_PERIOD_S = 30.0
"""Every 30 simulated seconds, inspections re-rate some risk points."""
RISK_CHANGES = 40

CATALOG_CHUNK = 2000
"""Catalog entries per message: 11,000 event types in two languages travel in six messages."""

SERIES_PERIOD_S = 3600.0
"""The scenarios' sensor history (hourly values) is published again every simulated hour."""

OVERLAY_PERIOD_S = 5.0
"""Overlays (fire spread, inundation, closures, affected area) are recomputed this often."""

OUT_OF_SERVICE: dict[str, str] = {
    "yuzhong-rain_gauge-001": "maintenance: rain gauge recalibration, work order WO-2291",
    "jiangbei-congestion-001": "maintenance: induction loops replaced on the interchange",
}
"""Demo sensors out of service: their alarms still fire, listed grey and counted (§7.5)."""

FLOODED_STATION: tuple[str, ...] = ("jiangbei-rain_gauge-001",)
"""Sensors at the Jiangbei underpass station; when the underpass floods they are flooded out."""
STATION_FLOODED_STORM = 0.6
"""Storm phase above which the underpass is flooded (the inundation overlay shows) and the
station's alarms are suppressed by design: the water-level alarm already covers the underpass."""
STATION_FLOODED_REASON = "station flooded out (Jiangbei underpass): consequential alarm suppressed by design"

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
    overlays: dict[str, Overlay] = field(default_factory=dict)
    """Active overlays only."""
    plans: dict[str, Plan] = field(default_factory=dict)
    """Plan instances, closed ones too (§5.6)."""
    cameras: dict[str, Camera] = field(default_factory=dict)
    """The camera catalog (§5.7): empty unless the demo serves cameras (:meth:`City.add_cameras`)."""
    series: dict[int, SensorSeries] = field(default_factory=dict)
    """The newest history of each sensor that has one, by sensor id (§5.11)."""


class City:
    """The simulated city.

    Args:
        hub: Where changes are published.
        seed: Makes the city deterministic.
        rate: Sensor updates per simulated second (load-test knob).
        sensors_per_kind: Sensors of each kind per district (at least).
        event_rate: Background events per simulated minute.
        tick_hz: Sensor batches per simulated second.
        plans: The emergency plans it recommends and runs (default: ``assets/plans``).
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
        plans: PlanLibrary | None = None,
        risk_points: int = 20_000,
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
        self.applied = 0
        """Commands applied (first copies only): a duplicate never adds to it."""
        # Drill injects (cockpit/backend/injects.py) act through these three; all empty when live.
        self.silent_units: set[str] = set()
        """Units that do not respond: sent their dispatches, they never acknowledge or move."""
        self.sensor_faults: dict[int, float] = {}
        """Failed sensors by row: NaN goes silent (stale), any other value is read instead."""
        self.weather: dict[str, float] = {}
        """Set by a drill: a scenario phase (``storm``) or the value of an indicator kind."""
        self._open_alarm: dict[int, str] = {}  # sensor id → event id while its alarm stands
        self._alarm_event: dict[int, str] = {}  # sensor id → its alarm's event: a re-fire reuses it
        self._timed_shelves: set[str] = set()  # events with a timed shelf, checked for expiry
        self._suppressed: dict[str, str] = {}  # sensor name → why its alarms are suppressed now
        self.out_of_service = dict(OUT_OF_SERVICE)
        """Sensor name → why it is out of service (its alarms are listed grey, §7.5)."""
        self.max_shelve_ms = MAX_SHELVE_MS
        """The longest timed shelf granted (``shelve_too_long`` beyond it, §7.5)."""
        self._cursor = 0
        self._next_tick = 0.0
        self._next_event = self._draw_event_gap()
        self._next_overlay = 0.0
        self._street_work: list[tuple[float, str, EventState]] = []
        self.scenarios: list[Scenario] = all_scenarios(seed)
        """The later scenarios (cockpit/backend/scenarios/): waste trucks, water quality, 12345
        requests, a street's boards. Their sensors follow the city's own in the table."""
        self._scenario_rows: list[np.ndarray] = []
        self._scenario_next: list[float] = [0.0] * len(self.scenarios)
        self._series_at = -math.inf
        self._make_sensors(sensors_per_kind)
        self._make_units()
        self._publish_catalog()
        # The risk layer draws from its own generators: the city's random sequence stays as it was.
        self.risk = RiskPoints.generate(risk_points, seed)
        self._risk_rng = np.random.default_rng([seed, 331])
        self._next_risk = RISK_PERIOD_S
        for msg in self.risk.messages(np.arange(len(self.risk.ids)), 0):
            self.hub.publish(Stream.LAYERS, msg, msg.district, "")
        # Plans draw from their own generators, so the city's own random sequence stays as it was.
        self._plan_rng = random.Random(f"plans/{seed}")
        self.plans = PlansEngine(plans if plans is not None else load_builtin_plans(), self, seed)
        self._make_agency_units()
        self._make_scenario_units()
        self.plots = PlotDesk(hub, lambda: self.state.events)
        """The plots drawn on the shared map, per event (§5.10)."""

    # ------------------------------------------------------------------------------ set-up

    def _make_sensors(self, per_kind: int) -> None:
        per_tick = max(1, math.ceil(self.rate / self.tick_hz))
        scaled = [k for k in SENSOR_KINDS if k.scaled]
        per_kind = max(per_kind, math.ceil(per_tick / (len(DISTRICTS) * len(scaled))))
        infos: list[SensorInfo] = []
        groups: list[tuple[str, str]] = []
        ordinal: list[int] = []
        sid = 1
        for d in DISTRICTS:
            for k in SENSOR_KINDS:
                for i in range(k.per_district or per_kind):
                    ordinal.append(i)
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
                            tags=list(SENSOR_TAGS.get((d.code, k.kind, i), ())),
                            groups=list(SENSOR_GROUPS.get((d.code, k.kind, i), ())),
                        )
                    )
                    groups.append((d.code, k.theme))
                    sid += 1
        self._n_city = len(infos)
        """The city's own sensors come first; the later scenarios' follow and report on their own."""
        base = [_KIND[s.kind].base for s in infos]
        noise = [_KIND[s.kind].noise for s in infos]
        ttl = [_KIND[s.kind].ttl_ms for s in infos]
        for sc in self.scenarios:
            rows = []
            for spec in sc.specs:
                rows.append(len(infos))
                infos.append(spec.info(sid))
                groups.append((spec.district, spec.theme))
                ordinal.append(-1)
                base.append(0.0)
                noise.append(0.0)
                ttl.append(spec.ttl_ms)
                sid += 1
            self._scenario_rows.append(np.array(rows, dtype=np.int64))
        self.sensors = infos
        self._ordinal = np.array(ordinal, dtype=np.int32)
        n = len(infos)
        self.sensor_ids = np.array([s.id for s in infos], dtype="<u4")
        self._base = np.array(base, dtype=np.float64)
        self._noise = np.array(noise, dtype=np.float64)
        self._offset = np.zeros(n)  # scenario-driven displacement from base
        self.values = self._base.copy().astype(np.float32)
        self.value_ts = np.zeros(n, dtype=np.int64)
        self._ttl = np.array(ttl, dtype=np.int64)
        # Indices of each (district, theme, ttl) group: one SensorBatch per group per tick.
        keys = [(g[0], g[1], int(self._ttl[i])) for i, g in enumerate(groups)]
        self._group_keys = sorted(set(keys))
        key_index = {k: j for j, k in enumerate(self._group_keys)}
        self._group_of = np.array([key_index[k] for k in keys], dtype=np.int32)
        self._district_of = [s.district for s in infos]
        self._kind_of = [s.kind for s in infos]
        district = np.array(self._district_of)
        kind = np.array(self._kind_of)
        first = self._ordinal == 0

        def mask(k: str, districts: tuple[str, ...] = (), only_first: bool = False) -> np.ndarray:
            m = kind == k
            if districts:
                m &= np.isin(district, districts)
            if only_first:
                m &= first
            result: np.ndarray = m
            return result

        # The wall's rule, in one place (cockpit/model/thresholds.py): the backend raises an alarm
        # exactly when the wall's tiles and dots turn red.
        self._limits = LimitColumns([Limits.of(info) for info in infos])
        self._alarm_open = np.zeros(n, dtype=bool)
        self._first = first
        self._masks = {
            "rain": mask("rain_gauge", ("jiangbei", "yuzhong")),
            "level": mask("water_level", ("jiangbei",)),
            "burst": mask("pipe_pressure", ("nanan",), True),
            "jam": mask("road_speed", ("yuzhong",)),
            "congestion": mask("congestion", ("yuzhong", "jiangbei")),
            "fire": mask("fire_terminal", ("shapingba",), True),
            "fire_weather": mask("air_temperature", ("shapingba",)) | mask("wind_speed", ("shapingba",)),
            "fire_risk": mask("fire_risk", ("shapingba",)),
            "repair": mask("repair_progress", ("nanan",)),
            "rating": mask("rating"),
        }
        self._rating_base = {"yuzhong": 1.0, "jiangbei": 2.0, "nanan": 3.0, "shapingba": 2.0}
        self._per_tick = min(per_tick, self._n_city)
        for d in DISTRICTS:  # one catalog per district and theme, so filters apply to it too
            for theme in sorted({s.theme for s in infos}):
                mine = [s for s in infos if s.district == d.code and s.theme == theme]
                for lo in range(0, len(mine), 2000):
                    self.hub.publish_catalog(d.code, theme, mine[lo : lo + 2000])

    def _publish_catalog(self) -> None:
        """The demo's names for its codes, on the ``catalog`` stream like any district's (§5.8)."""
        self.catalog = demo_catalog() + risk_catalog()
        for lo in range(0, len(self.catalog), CATALOG_CHUNK):
            msg = Catalog(stream=Stream.CATALOG, seq=0, prev=0, ts=0, entries=self.catalog[lo : lo + CATALOG_CHUNK])
            self.hub.publish(Stream.CATALOG, msg, "", "")

    def _make_units(self) -> None:
        kinds = BASE_UNIT_KINDS
        for d in DISTRICTS:
            for kind in kinds:
                for i in range(2):
                    uid = f"{d.code}-{kind}-{i + 1}"
                    names = unit_names(kind, i + 1, d.code)
                    unit = Unit(
                        stream=Stream.DISPATCH,
                        seq=0,
                        prev=0,
                        ts=0,
                        id=uid,
                        name=names["en"],
                        names=names,
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
            self.plans.tick()
            self._tick_street_work()
            self._tick_alarms()
            self._tick_scenarios()
            if self.now >= self._next_overlay:
                self._tick_overlays()
                self._next_overlay += OVERLAY_PERIOD_S
            if self.now >= self._next_risk:
                self._tick_risk()
                self._next_risk += RISK_PERIOD_S
            while self._next_event <= self.now:
                self._background_event()
                self._next_event += self._draw_event_gap()
            self._next_tick += 1.0 / self.tick_hz
        self.now = end

    def _tick_risk(self) -> None:
        """Inspections re-rate a few risk points: the layer changes like any stream (§5.9)."""
        rows = self.risk.relevel(self._risk_rng, RISK_CHANGES)
        for msg in self.risk.messages(rows, 0):
            self.hub.publish(Stream.LAYERS, msg, msg.district, "")

    def _draw_event_gap(self) -> float:
        return self._rng.expovariate(self.event_rate / 60.0) if self.event_rate > 0 else math.inf

    def scenario(self, t: float) -> dict[str, float]:
        """The scenario clock's phases at simulated second ``t``, each 0..1 (docs/demo.md)."""
        phases = {
            "storm": max(0.0, math.sin(2 * math.pi * t / 600.0)),  # a storm every 10 minutes
            "burst": 1.0 if 160.0 < t % 900.0 < 420.0 else 0.0,  # a main bursts every 15 minutes
            "repair": min(1.0, max(0.0, (t % 900.0 - 180.0) / 240.0)) if 180.0 < t % 900.0 < 420.0 else 0.0,
            "jam": max(0.0, math.sin(2 * math.pi * (t - 60) / 480.0)) ** 2,  # the morning jam
            "fire": 1.0 if 90.0 < t % 1200.0 < 240.0 else 0.0,
            "fire_growth": min(1.0, max(0.0, (t % 1200.0 - 90.0) / 150.0))
            if 90.0 < t % 1200.0 < 240.0
            else 0.0,
        }
        phases.update((k, v) for k, v in self.weather.items() if k in phases)  # a drill's weather
        return phases

    def _scenario_offset(self, t: float) -> np.ndarray:
        """Slow scenario drift: a storm over Jiangbei, a burst in Nan'an, a jam, a fire."""
        ph = self.scenario(t)
        m, first = self._masks, self._first
        off = np.zeros(len(self.sensors))
        off[m["rain"]] = ph["storm"] * np.where(first[m["rain"]], 60.0, 25.0)
        off[m["level"]] = ph["storm"] * np.where(first[m["level"]], 1.8, 0.6)
        off[m["burst"]] = -0.25 * ph["burst"]
        off[m["jam"]] = -ph["jam"] * np.where(first[m["jam"]], 36.0, 15.0)
        off[m["congestion"]] = 0.9 * ph["jam"]
        off[m["fire"]] = 55.0 * ph["fire"]
        off[m["fire_weather"]] = 1.5 * ph["fire"]
        off[m["fire_weather"] & (np.array(self._kind_of) == "air_temperature")] = 3.2 * ph["fire"]
        off[m["fire_risk"]] = 1.4 * ph["fire"]
        off[m["repair"]] = 100.0 * ph["repair"]
        for i in np.flatnonzero(m["rating"]):
            d = self._district_of[i]
            bad = (d == "jiangbei" and ph["storm"] > 0.7) or (d == "nanan" and ph["burst"] > 0)
            off[i] = self._rating_base[d] + (2.0 if bad else 0.0) - self._base[i]
        for kind, value in self.weather.items():  # a drill's weather: the indicators read it
            if kind in _KIND:
                sel = np.array(self._kind_of) == kind
                off[sel] = value - self._base[sel]
        return off

    def _tick_sensors(self) -> None:
        n = self._n_city
        lo = self._cursor
        idx = np.arange(lo, lo + self._per_tick) % n
        self._cursor = (lo + self._per_tick) % n
        if lo == 0 or self._per_tick >= n:
            self._offset = self._scenario_offset(self.now)
        noise = self._np.standard_normal(len(idx)) * self._noise[idx]
        vals = (self._base[idx] + self._offset[idx] + noise).astype(np.float32)
        if self.sensor_faults:  # a drill's failed sensors go silent or read their fault
            idx, vals = _apply_faults(self.sensor_faults, idx, vals)
            if not len(idx):
                return
        idx, vals = self._publish_values(idx, vals)
        self._check_thresholds(idx, vals)

    def _publish_values(self, idx: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Store and publish values of rows ``idx``: one batch per (district, theme, ttl) group.
        Returns the rows and values as published (sorted by group)."""
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
        return idx, vals

    # ------------------------------------------------------------------------------ later scenarios

    def _tick_scenarios(self) -> None:
        """Each later scenario reports its sensors and moves on, once per its period (simulated)."""
        if self.now >= self._series_at + SERIES_PERIOD_S:
            self._series_at = self.now
            self._publish_series()
        for k, sc in enumerate(self.scenarios):
            if self.now < self._scenario_next[k]:
                continue
            self._scenario_next[k] = self.now + sc.period_s
            rows = self._scenario_rows[k]
            vals = np.asarray(sc.values(self.now), dtype=np.float32)
            if self.sensor_faults:
                rows, vals = _apply_faults(self.sensor_faults, rows, vals)
            keep = ~np.isnan(vals)
            if keep.any():
                self._publish_values(rows[keep], vals[keep])
            sc.tick(self, self.now)

    def _publish_series(self) -> None:
        """The scenarios' history of their sensors, on the ``series`` stream (§5.11)."""
        for k, sc in enumerate(self.scenarios):
            rows = self._scenario_rows[k]
            for spec in sc.series(self):
                info = self.sensors[int(rows[spec.index])]
                msg = SensorSeries(
                    stream=Stream.SERIES,
                    seq=0,
                    prev=0,
                    ts=0,
                    sensor=info.id,
                    start=int(spec.start_ms),
                    step_ms=int(spec.step_ms),
                    values=np.asarray(spec.values, dtype="<f4").tobytes(),
                )
                self.state.series[info.id] = self.hub.publish(Stream.SERIES, msg, info.district, info.theme)

    def _make_scenario_units(self) -> None:
        """Two units of each of the later scenarios' kinds per district, from their own generator."""
        rng = random.Random(f"units/{self.seed}")
        for d in DISTRICTS:
            for kind in SCENARIO_UNIT_KINDS:
                for i in range(2):
                    names = unit_names(kind, i + 1, d.code)
                    self._put_unit(
                        Unit(
                            stream=Stream.DISPATCH,
                            seq=0,
                            prev=0,
                            ts=0,
                            id=f"{d.code}-{kind}-{i + 1}",
                            name=names["en"],
                            names=names,
                            kind=kind,
                            district=d.code,
                            status=UnitStatus.AVAILABLE,
                            lon=round(d.lon + rng.uniform(-0.02, 0.02), 5),
                            lat=round(d.lat + rng.uniform(-0.02, 0.02), 5),
                        )
                    )

    # What a scenario may do in the city (cockpit/backend/scenarios/base.py, ScenarioHost).

    def event(self, event_id: str) -> Event | None:
        return self.state.events.get(event_id)

    def open_event(self, etype: str, theme: str) -> Event | None:
        found = [
            e for e in self.state.events.values() if e.type == etype and e.theme == theme and e.state != EventState.CLOSED
        ]
        return max(found, key=lambda e: e.time) if found else None

    def raise_event(
        self,
        etype: str,
        theme: str,
        title: str,
        severity: int,
        district: str,
        lon: float,
        lat: float,
        *,
        source: str = "",
        attrs: Attrs | None = None,
        level: str = "street",
        cameras: Sequence[str] = (),
    ) -> Event:
        """A scenario's new event, at its own place, with its facts and the cameras that caught it
        (those the city serves); published and returned."""
        self._event_counter += 1
        ev = Event(
            stream=Stream.EVENTS,
            seq=0,
            prev=0,
            ts=0,
            id=f"E{self.seed:02d}-{self._event_counter:06d}",
            type=etype,
            severity=severity,
            time=self.ms(),
            lon=round(lon, 5),
            lat=round(lat, 5),
            district=district,
            state=EventState.NEW,
            title=title,
            theme=theme,
            source=source,
            level=level,
            attrs=dict(attrs or {}),
            cameras=[c for c in cameras if c in self.state.cameras],
        )
        ev = _replace_event(ev, recommended=self._recommend(ev))
        ev = _replace_event(ev, plans=self.plans.recommend(ev))
        self._put_event(ev)
        return self.state.events[ev.id]

    def change_event(self, event_id: str, **changes: object) -> Event | None:
        """Publish a change to a scenario's event (never to a closed one: history stays as it was)."""
        ev = self.state.events.get(event_id)
        if ev is None or ev.state == EventState.CLOSED:
            return None
        self._put_event(_replace_event(ev, **changes))
        return self.state.events[event_id]

    def busy(self, event_id: str) -> bool:
        """Whether a unit or a plan is working on the event."""
        return any(j.event_id == event_id for j in self._jobs.values()) or self.plans.has_open(event_id)

    def later(self, after_s: float, event_id: str, state: str) -> None:
        """Let the centre that holds the event acknowledge or close it later, as street centres do
        with their own events (skipped while the cockpit has a unit or a plan on it)."""
        self._street_work.append((self.now + after_s, event_id, EventState(state)))
        self._street_work.sort()

    def draw(
        self,
        oid: str,
        kind: str,
        active: bool,
        theme: str,
        district: str,
        geometry: Geometry,
        label: str,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self._set_overlay(oid, kind, active, theme, district, geometry, label, labels=labels)

    def free_unit(self, kinds: Sequence[str], lon: float, lat: float, district: str) -> Unit | None:
        """The nearest available unit of ``kinds`` (the event's district first)."""
        busy = self.plans.busy_units()
        free = [
            u
            for u in self.state.units.values()
            if u.kind in kinds and u.status == UnitStatus.AVAILABLE and u.id not in busy
        ]
        free.sort(key=lambda u: (u.district != district, (u.lon - lon) ** 2 + (u.lat - lat) ** 2, u.id))
        return free[0] if free else None

    def start_plan(self, event_id: str, plan_type: str, operator: str) -> bool:
        ev = self.state.events.get(event_id)
        if ev is None:
            return False
        try:
            self.plans.activate(ev, plan_type, operator)
        except PlanRefused:
            return False
        return True

    def send_unit(self, event_id: str, unit_id: str) -> bool:
        """Route an event to a unit as the backend's own dispatch (the 12345 platform routes its
        requests itself): the same job and states as an officer's dispatch (§5.4)."""
        ev, unit = self.state.events.get(event_id), self.state.units.get(unit_id)
        if ev is None or unit is None or unit.status != UnitStatus.AVAILABLE:
            return False
        job = _Job(f"auto-{event_id}-{unit_id}", ev.id, unit.id, self.now)
        self._jobs[job.command_id] = job
        self._put_dispatch(job, DispatchState.ACCEPTED)
        self._put_unit(_replace_unit(unit, status=UnitStatus.DISPATCHED, event_id=ev.id))
        if ev.state in (EventState.NEW, EventState.ACKNOWLEDGED):
            self._put_event(_replace_event(ev, state=EventState.DISPATCHED))
        return True

    def _check_thresholds(self, idx: np.ndarray, vals: np.ndarray) -> None:
        # Vectorised: Python runs only for sensors whose alarm state changes (load-test rates
        # update 100,000 values a tick). NaN thresholds compare False.
        with np.errstate(invalid="ignore"):
            over = self._limits.alarm_mask(vals, idx)
            clear = ~self._limits.warning_mask(vals, idx)
        open_now = self._alarm_open[idx]
        for j in np.flatnonzero(over & ~open_now).tolist():
            i, v = int(idx[j]), float(vals[j])
            self._raise_alarm(self.sensors[i], v)
            self._alarm_open[i] = True
        # Hysteresis: an alarm stands until the value is back under its warning level. Returned
        # to normal, an unacknowledged event stays new (and on the wall) until someone acknowledges.
        for j in np.flatnonzero(open_now & ~over & clear).tolist():
            i = int(idx[j])
            self._alarm_open[i] = False
            ev_id = self._open_alarm.pop(self.sensors[i].id, "")
            ev2 = self.state.events.get(ev_id)
            if ev2 is None:
                continue
            if ev2.state == EventState.ACKNOWLEDGED:
                self._put_event(_replace_event(ev2, state=EventState.RESOLVED, active=False))
            elif ev2.state in (EventState.NEW, EventState.DISPATCHED):
                self._put_event(_replace_event(ev2, active=False))

    def _raise_alarm(self, info: SensorInfo, value: float) -> None:
        """``info`` crossed its alarm limit: the next occurrence of its alarm (§7.5).

        A sensor's alarm is one event for as long as that event is not closed: firing again makes
        a new occurrence of it (unacknowledged again, ``time`` of this firing, a shelf it has stays).
        Once closed, the event is history and the sensor's next alarm is a new event.
        """
        etype, theme, title = EVENT_OF_KIND[info.kind]
        text = f"{title}: {info.name} {value:.2f} {info.unit}".rstrip()
        flags = {
            "suppressed": self._suppressed.get(info.name, ""),
            "out_of_service": self.out_of_service.get(info.name, ""),
        }
        prev = self.state.events.get(self._alarm_event.get(info.id, ""))
        if prev is not None and prev.state != EventState.CLOSED:
            alarm = Alarm.of_event(_replace_event(prev, active=False)).fire()
            ev = _replace_event(
                prev,
                **{**alarm.wire_fields(), **flags},
                state=EventState.NEW,
                active=True,
                time=self.ms(),
                title=text,
            )
            ev = _replace_event(ev, recommended=self._recommend(ev))
        else:
            sev = 1 if info.kind in ("pipe_pressure", "fire_terminal") else 2
            ev = self._new_event(etype, theme, text, sev, info.district)
            ev = _replace_event(ev, lon=info.lon, lat=info.lat, source=info.name, **flags)
            self._alarm_event[info.id] = ev.id
        self._put_event(ev)
        self._open_alarm[info.id] = ev.id

    def _tick_alarms(self) -> None:
        """Ended timed shelves re-annunciate; the flooded-out station's alarms are suppressed by
        design while the underpass is flooded (§7.5, docs/demo.md)."""
        now = self.hub.now_ms()
        for eid in sorted(self._timed_shelves):
            ev = self.state.events[eid]
            alarm = Alarm.of_event(ev)
            ended = alarm.expire(now)
            if ended is not alarm:  # published again with shelved_until 0: shown again
                self._put_event(_replace_event(ev, **ended.wire_fields()))
        flooded = self.scenario(self.now)["storm"] > STATION_FLOODED_STORM
        reason = STATION_FLOODED_REASON if flooded else ""
        for name in FLOODED_STATION:
            if self._suppressed.get(name, "") != reason:
                self._suppressed[name] = reason
                self._flag_sensor_alarm(name, suppressed=reason)

    def set_out_of_service(self, sensor_name: str, reason: str) -> None:
        """Take a sensor out of service for ``reason`` (``""``: back in service); its alarm, if it
        has one open, is republished with the flag (§7.5)."""
        if reason:
            self.out_of_service[sensor_name] = reason
        else:
            self.out_of_service.pop(sensor_name, None)
        self._flag_sensor_alarm(sensor_name, out_of_service=reason)

    def _flag_sensor_alarm(self, sensor_name: str, **flags: str) -> None:
        ev = self.state.events.get(self._alarm_event.get(self._sensor(sensor_name).id, ""))
        if (
            ev is not None
            and ev.state != EventState.CLOSED
            and any(getattr(ev, k) != v for k, v in flags.items())
        ):
            self._put_event(_replace_event(ev, **flags))

    def _background_event(self) -> None:
        etype, theme, title, sev = self._rng.choice(BACKGROUND_EVENTS)
        district = self._rng.choice(DISTRICTS)
        ev = self._new_event(etype, theme, title, sev, district.code)
        self._put_event(ev)
        # Street centres handle their own small events: acknowledged within minutes, closed later,
        # unless this cockpit has taken them on (then they wait for it).
        self._street_work.append((self.now + self._rng.uniform(60, 180), ev.id, EventState.ACKNOWLEDGED))
        self._street_work.append((self.now + self._rng.uniform(240, 480), ev.id, EventState.CLOSED))
        self._street_work.sort()

    def _tick_street_work(self) -> None:
        while self._street_work and self._street_work[0][0] <= self.now:
            _, eid, target = self._street_work.pop(0)
            ev = self.state.events.get(eid)
            if ev is None or any(j.event_id == eid for j in self._jobs.values()) or self.plans.has_open(eid):
                continue
            if target == EventState.ACKNOWLEDGED and ev.state == EventState.NEW:
                self._put_event(
                    _replace_event(
                        ev,
                        state=EventState.ACKNOWLEDGED,
                        acked_by="street centre",
                        acked_at=self.hub.now_ms(),
                    )
                )
            elif target == EventState.CLOSED and ev.state in (EventState.ACKNOWLEDGED, EventState.RESOLVED):
                self._put_event(_replace_event(ev, state=EventState.CLOSED))

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
        ev = _replace_event(
            ev,
            recommended=self._recommend(ev),
            level=self._initial_level(etype, severity),
            attrs=self._event_attrs(etype, district),
        )
        return _replace_event(ev, plans=self.plans.recommend(ev))

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

    # ------------------------------------------------------------------------------ a recorded start

    def load_situation(
        self,
        *,
        clock: float,
        events: Iterable[Event],
        units: Iterable[Unit],
        dispatches: Iterable[Dispatch],
        overlays: Iterable[Overlay],
        sensors: Mapping[str, tuple[float, int]],
    ) -> list[str]:
        """Start, at scenario second ``clock``, from a situation recorded elsewhere (a drill that
        starts from a recording, cockpit/record/drill_start.py), instead of simulating up to it.

        Open events keep their states, levels and alarm flags (a standing alarm is not raised
        again); dispatches in progress go on from their recorded step. ``sensors`` maps a sensor
        name to its latest (value, sample ms); the simulation takes the values over from its next
        pass. Returns the sensor names this city does not have: they are left out.
        """
        self.now = self._next_tick = self._next_overlay = clock
        self._next_event = clock + self._draw_event_gap()
        self.state.events.clear()
        rows = {info.name: row for row, info in enumerate(self.sensors)}
        unknown = [name for name in sensors if name not in rows]
        for name, (value, ts) in sensors.items():
            if name in rows:
                self.values[rows[name]], self.value_ts[rows[name]] = value, ts
        for unit in units:
            self._put_unit(unit)
        steps = [state for state, _ in DISPATCH_TIMELINE]
        for d in dispatches:
            if not DispatchState(d.state).is_final and d.unit_id in self.state.units:
                step = steps.index(DispatchState(d.state)) + 1 if d.state in steps else 0
                after = DISPATCH_TIMELINE[step - 1][1] if step else 0.0
                job = _Job(d.command_id, d.event_id, d.unit_id, clock - after, step)
                self._jobs[d.command_id] = job
                self._put_dispatch(job, DispatchState(d.state), d.reason)
        for ev in events:
            self._put_event(ev)
            number = ev.id.rpartition("-")[2]
            self._event_counter = max(self._event_counter, int(number) if number.isdigit() else 0)
            row = rows.get(ev.source)
            if row is not None:
                sid = self.sensors[row].id
                self._alarm_event[sid] = ev.id
                if ev.active:
                    self._alarm_open[row], self._open_alarm[sid] = True, ev.id
        for overlay in overlays:
            self.state.overlays[overlay.id] = self.hub.publish(
                Stream.OVERLAYS, overlay, overlay.district, overlay.theme
            )
        return unknown

    # ------------------------------------------------------------------------------ cameras

    def add_cameras(
        self, base_url: str, cameras: Iterable[DemoCamera] | None = None, credential: str = ""
    ) -> None:
        """Publish the demo cameras, served at ``base_url`` (the demo's RTSP server), on the
        ``cameras`` stream (§5.7); from now on events name the cameras that see them.

        ``credential`` names the site secret the streams need (the URLs carry none).
        """
        from cockpit.backend.cameras.catalog import DEMO_CAMERAS

        names = {s.name: s for s in self.sensors}
        for cam in DEMO_CAMERAS if cameras is None else cameras:
            near = names.get(cam.watches[0]) if cam.watches else None
            d = next(x for x in DISTRICTS if x.code == cam.district)
            lon, lat = (near.lon, near.lat) if near is not None else cam.at or (d.lon, d.lat)
            msg = Camera(
                stream=Stream.CAMERAS,
                seq=0,
                prev=0,
                ts=0,
                id=cam.id,
                name=cam.name_zh,
                names={"zh_CN": cam.name_zh, "en": cam.name_en},
                lon=round(lon + cam.offset[0], 6),
                lat=round(lat + cam.offset[1], 6),
                district=cam.district,
                theme=cam.theme,
                active=True,
                main_url=f"{base_url}/{cam.id}/main",
                sub_url=f"{base_url}/{cam.id}/sub",
                credential=credential,
                watches=list(cam.watches),
                kind=cam.kind,
            )
            self.state.cameras[cam.id] = self.hub.publish(Stream.CAMERAS, msg, cam.district, cam.theme)

    def cameras_for(self, ev: Event) -> list[str]:
        """The cameras that see ``ev``: those watching its source sensor, else the nearest (up to
        two, within about 2 km) of its district and theme."""
        cams = self.state.cameras.values()
        watching = [c.id for c in cams if ev.source and ev.source in c.watches]
        if watching:
            return watching
        near = [
            ((c.lon - ev.lon) ** 2 + (c.lat - ev.lat) ** 2, c.id)
            for c in cams
            if c.district == ev.district and c.theme == ev.theme
        ]
        return [cid for dist, cid in sorted(near) if dist < 0.02**2][:2]

    # ------------------------------------------------------------------------------ overlays

    def _sensor(self, name: str) -> SensorInfo:
        return next(s for s in self.sensors if s.name == name)

    def _tick_overlays(self) -> None:
        ph = self.scenario(self.now)
        fire = self._sensor("shapingba-fire_terminal-001")
        grow = ph["fire_growth"]
        # Spread is elongated downwind (north-east on this hot afternoon) and grows with time.
        self._set_overlay(
            "fire-spread",
            "fire_spread",
            ph["fire"] > 0,
            "fire",
            "shapingba",
            _ellipse(
                fire.lon + 0.004 * grow,
                fire.lat + 0.003 * grow,
                0.003 + 0.012 * grow,
                0.002 + 0.007 * grow,
                35.0,
            ),
            f"Projected spread +30 min: {0.2 + 2.3 * grow:.1f} km²",
        )
        level = self._sensor("jiangbei-water_level-001")
        storm = ph["storm"]
        flooded = storm > 0.6
        self._set_overlay(
            "inundation-underpass",
            "inundation",
            flooded,
            "flood",
            "jiangbei",
            _ellipse(level.lon, level.lat, 0.002 + 0.006 * storm, 0.0015 + 0.004 * storm, -20.0),
            f"Inundation, depth up to {max(0.0, (storm - 0.6) * 1.2):.1f} m",
        )
        closed = storm > 0.78
        self._set_overlay(
            "closure-underpass",
            "road_closure",
            closed,
            "flood",
            "jiangbei",
            Geometry(
                type="LineString",
                coordinates=[[level.lon - 0.006, level.lat - 0.002], [level.lon + 0.006, level.lat + 0.002]],
            ),
            "Underpass closed by two signals",
            announce=("road_closure", "flood", "Underpass closed automatically (water level)", 3, "jiangbei"),
        )
        burst = self._sensor("nanan-pipe_pressure-001")
        self._set_overlay(
            "affected-burst",
            "affected_area",
            ph["burst"] > 0,
            "water",
            "nanan",
            _ellipse(burst.lon, burst.lat, 0.009, 0.006, 10.0),
            f"Affected area: about 3,200 households; repair {100 * ph['repair']:.0f} %",
        )
        yz = next(d for d in DISTRICTS if d.code == "yuzhong")
        jam = ph["jam"] > 0.5
        self._set_overlay(
            "signal-plan-yuzhong",
            "signal_plan",
            jam,
            "traffic",
            "yuzhong",
            Geometry(
                type="MultiPoint",
                coordinates=[
                    [yz.lon - 0.01, yz.lat + 0.004],
                    [yz.lon, yz.lat],
                    [yz.lon + 0.012, yz.lat - 0.003],
                ],
            ),
            "Signal plan B (peak) on 3 junctions",
            announce=("signal_plan_change", "traffic", "Signal plan B (peak) on 3 junctions", 4, "yuzhong"),
        )

    def _set_overlay(
        self,
        oid: str,
        kind: str,
        active: bool,
        theme: str,
        district: str,
        geometry: Geometry,
        label: str,
        announce: tuple[str, str, str, int, str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        current = self.state.overlays.get(oid)
        if not active:
            if current is not None:
                del self.state.overlays[oid]
                self.hub.publish(
                    Stream.OVERLAYS, msgspec.structs.replace(current, active=False), district, theme
                )
                ev = self.state.events.get(current.event_id)
                if ev is not None and ev.state == EventState.ACKNOWLEDGED:  # the closure is lifted
                    self._put_event(_replace_event(ev, state=EventState.CLOSED, active=False))
                elif ev is not None and ev.state == EventState.NEW:
                    self._put_event(_replace_event(ev, active=False))
            return
        if (
            current is not None
            and current.geometry == geometry
            and current.label == label
            and current.labels == dict(labels or {})
        ):
            return
        event_id = current.event_id if current is not None else ""
        if current is None and announce is not None:
            etype, etheme, title, sev, edistrict = announce
            ev = self._new_event(etype, etheme, title, sev, edistrict)
            self._put_event(ev)
            event_id = ev.id
            self._street_work.append((self.now + self._rng.uniform(60, 180), ev.id, EventState.ACKNOWLEDGED))
            self._street_work.sort()
        msg = Overlay(
            stream=Stream.OVERLAYS,
            seq=0,
            prev=0,
            ts=0,
            id=oid,
            kind=kind,
            active=True,
            geometry=geometry,
            theme=theme,
            district=district,
            label=label,
            event_id=event_id,
            labels=dict(labels or {}),
        )
        self.state.overlays[oid] = self.hub.publish(Stream.OVERLAYS, msg, district, theme)

    # ------------------------------------------------------------------------------ snapshots

    def snapshot(self, stream: str, f: Filter) -> list[DataMessage]:
        """The state of ``stream`` now, as data messages, for a subscription with filter ``f`` (§4.3)."""
        seq = self.hub.logs[stream].seq
        out: list[DataMessage] = []
        if stream == Stream.EVENTS:
            out.extend(e for e in self.state.events.values() if matches(f, e.district, e.theme, (e.level,)))
        elif stream == Stream.DISPATCH:
            out.extend(u for u in self.state.units.values() if matches(f, u.district, ""))
            for d in self.state.dispatches.values():
                ev = self.state.events.get(d.event_id)
                if matches(f, ev.district if ev else "", ""):
                    out.append(d)
            out.extend(
                p for p in self.state.plans.values() if matches(f, self._district_of_event(p.event_id), "")
            )
        elif stream == Stream.OVERLAYS:
            out.extend(o for o in self.state.overlays.values() if matches(f, o.district, o.theme))
        elif stream == Stream.CAMERAS:
            out.extend(c for c in self.state.cameras.values() if matches(f, c.district, c.theme))
        elif stream == Stream.SERIES:
            by_id = {s.id: s for s in self.sensors}
            out.extend(
                m
                for m in self.state.series.values()
                if matches(f, by_id[m.sensor].district, by_id[m.sensor].theme)
            )
        elif stream == Stream.LAYERS:
            allowed = [d for d, name in enumerate(self.risk.districts) if matches(f, name, "")]
            rows = np.flatnonzero(np.isin(self.risk.district, allowed)).astype(np.int64)
            out.extend(self.risk.messages(rows, self.ms(), seq))
        elif stream == Stream.PLOTS:
            out.extend(self.plots.snapshot(f))
        elif stream == Stream.CATALOG:  # names are not filtered: no district or theme key (§5.8)
            for lo in range(0, len(self.catalog), CATALOG_CHUNK):
                entries = self.catalog[lo : lo + CATALOG_CHUNK]
                out.append(Catalog(stream=stream, seq=seq, prev=0, ts=self.ms(), entries=entries))
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

    def handle_command(self, command: Command, role: str, operator: str = "") -> CommandAck:
        """Apply a command once; a repeated id gets ``duplicate`` and changes nothing (§7.3).

        ``operator`` is who sent it (the connection's hello): recorded as ``acked_by`` and
        ``shelved_by`` (§7.5).
        """
        first = self._acks.get(command.id)
        if first is not None:
            return CommandAck(
                id=command.id,
                result=AckResult.DUPLICATE,
                reason=first.reason,
                detail="this command id was already handled",
                original=first.result,
            )
        ack = self._apply(command, role, operator)
        self._acks[command.id] = ack
        self.applied += 1
        return ack

    def _reject(self, command: Command, reason: str, detail: str) -> CommandAck:
        return CommandAck(id=command.id, result=AckResult.REJECTED, reason=reason, detail=detail)

    def _apply(self, c: Command, role: str, operator: str = "") -> CommandAck:
        # The checks every command gets, the server core's own (§7.2): the gateway's command
        # processor path reaches here without that core, so the city asks it too.
        checked = check_command(c, role, self.hub.epoch)
        if checked is not None:
            return self._reject(c, *checked)
        ev = self.state.events.get(c.event_id)
        if c.kind == CommandKind.CANCEL:
            job = self._jobs.get(c.ref)
            if job is None:
                return self._reject(c, "unknown_command", f"no dispatch {c.ref!r} is in progress")
            self._finish_job(job, DispatchState.CANCELLED, "cancelled by operator")
            return CommandAck(id=c.id, result=AckResult.ACCEPTED)
        if c.kind in (CommandKind.APPROVE_PLAN, CommandKind.CLOSE_PLAN):
            return self._plan_command(c, operator)
        if c.kind in PLOT_COMMANDS:
            return self.plots.apply(c, operator or role)
        if ev is None:
            return self._reject(c, "unknown_event", f"no event {c.event_id!r}")
        if ev.state == EventState.CLOSED:
            return self._reject(c, "event_closed", f"event {ev.id} is closed")
        if c.kind in (CommandKind.ACKNOWLEDGE, CommandKind.SHELVE, CommandKind.UNSHELVE):
            return self._alarm_command(c, ev, role, operator)
        if c.kind in (CommandKind.ESCALATE, CommandKind.HAND_DOWN):
            return self._move_level(c, ev)
        if c.kind == CommandKind.ACTIVATE_PLAN:
            return self._plan_command(c, operator, ev)
        if c.kind == CommandKind.CLOSE:
            if any(j.event_id == ev.id for j in self._jobs.values()):
                return self._reject(c, "dispatch_open", "a dispatch for this event is still open")
            if self.plans.has_open(ev.id):
                return self._reject(c, "plan_open", f"a plan for {ev.id} is still open; close it first")
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

    def _alarm_command(self, c: Command, ev: Event, role: str, operator: str) -> CommandAck:
        """Acknowledge an occurrence, shelve or unshelve, by the model's state machine (§7.5)."""
        alarm, now, who = Alarm.of_event(ev), self.hub.now_ms(), operator or role
        if c.kind == CommandKind.ACKNOWLEDGE:
            result = alarm.acknowledge(c.occurrence, who, now)
        elif c.kind == CommandKind.SHELVE:
            result = alarm.shelve(role, who, c.note, c.until, now, self.max_shelve_ms)
        else:
            result = alarm.unshelve(role, now)
        if isinstance(result, Refusal):
            return self._reject(c, result.reason, f"{ev.id}: {result.detail}")
        changes = result.wire_fields()
        if c.kind == CommandKind.ACKNOWLEDGE and ev.state == EventState.NEW:
            if any(j.event_id == ev.id for j in self._jobs.values()):
                changes["state"] = EventState.DISPATCHED  # re-fired while a unit is on its way
            else:
                changes["state"] = EventState.ACKNOWLEDGED if ev.active else EventState.RESOLVED
        if any(getattr(ev, k) != v for k, v in changes.items()):
            self._put_event(_replace_event(ev, **changes))
        return CommandAck(id=c.id, result=AckResult.ACCEPTED)

    def _tick_jobs(self) -> None:
        for job in list(self._jobs.values()):
            while job.step < len(DISPATCH_TIMELINE):
                state, after = DISPATCH_TIMELINE[job.step]
                if self.now - job.started < after or (job.step and job.unit_id in self.silent_units):
                    break  # a silent unit (drill inject) is sent the job but never answers
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

    # ------------------------------------------------------------------------------ plans and levels

    def _make_agency_units(self) -> None:
        """Two units of each agency kind plans call on, per district (positions from the plans'
        generator, so the responders and events of a seed are the same as without them)."""
        for d in DISTRICTS:
            for kind in AGENCY_UNITS:
                for i in range(2):
                    names = unit_names(kind, i + 1, d.code)
                    unit = Unit(
                        stream=Stream.DISPATCH,
                        seq=0,
                        prev=0,
                        ts=0,
                        id=f"{d.code}-{kind}-{i + 1}",
                        name=names["en"],
                        names=names,
                        kind=kind,
                        district=d.code,
                        status=UnitStatus.AVAILABLE,
                        lon=round(d.lon + self._plan_rng.uniform(-0.02, 0.02), 5),
                        lat=round(d.lat + self._plan_rng.uniform(-0.02, 0.02), 5),
                    )
                    self._put_unit(unit)

    @staticmethod
    def _initial_level(etype: str, severity: int) -> str:
        """Street by default; a severe (1–2) event of wide effect starts at the district centre."""
        return Level.DISTRICT if severity <= 2 and etype in WIDE_EFFECT_TYPES else Level.STREET

    def _event_attrs(self, etype: str, district: str) -> dict[str, str | float]:
        """The facts plans select on (docs/plans.md): the burst main's diameter, blocked lanes, …"""
        if etype == "pipe_burst":
            return {"pipe_diameter_mm": PIPE_MAINS_MM[district], "pipe_material": "ductile iron"}
        if etype == "traffic_accident":
            return {"lanes_blocked": float(self._plan_rng.choice((0, 1, 1, 2)))}
        if etype == "waterlogging":
            return {"site": "underpass"}
        if etype == "fire":
            return {"site": "forest park"}
        return {}

    def _district_of_event(self, event_id: str) -> str:
        ev = self.state.events.get(event_id)
        return ev.district if ev is not None else ""

    def _move_level(self, c: Command, ev: Event) -> CommandAck:
        """Escalate one level up or hand down one level; refused at either end (§7.6)."""
        held = ev.level if ev.level in set(Level) else Level.STREET
        to = level_up(held) if c.kind == CommandKind.ESCALATE else level_down(held)
        if to is None and c.kind == CommandKind.ESCALATE:
            return self._reject(c, "top_level", f"{ev.id} is already held by the city centre, the top level")
        if to is None:
            return self._reject(
                c, "bottom_level", f"{ev.id} is already held by a street centre, the lowest level"
            )
        moved = _replace_event(ev, level=to)
        self._put_event(_replace_event(moved, plans=self.plans.recommend(moved)), left=ev.level)
        return CommandAck(id=c.id, result=AckResult.ACCEPTED)

    def _plan_command(self, c: Command, operator: str, ev: Event | None = None) -> CommandAck:
        """Activate, approve or close a plan (§7.7); the engine says why when it will not."""
        try:
            if ev is not None:
                self.plans.activate(ev, c.ref, operator)
            elif c.kind == CommandKind.APPROVE_PLAN:
                self.plans.approve(c.ref, operator)
            else:
                self.plans.close(c.ref, operator)
        except PlanRefused as refused:
            return self._reject(c, refused.reason, refused.detail)
        return CommandAck(id=c.id, result=AckResult.ACCEPTED)

    # The plans engine's view of the city (cockpit/backend/plans_engine.py, PlanHost).

    def plan_units(self) -> dict[str, Unit]:
        return self.state.units

    def put_plan_unit(self, unit: Unit) -> None:
        self._put_unit(unit)

    def put_plan(self, plan: Plan, district: str) -> None:
        self.state.plans[plan.id] = self.hub.publish(Stream.DISPATCH, plan, district, "")

    def plan_dispatched(self, event_id: str) -> None:
        """A plan's first task went out: the event counts as dispatched."""
        ev = self.state.events.get(event_id)
        if ev is not None and ev.state in (EventState.NEW, EventState.ACKNOWLEDGED):
            self._put_event(_replace_event(ev, state=EventState.DISPATCHED))

    def plan_closed(self, event_id: str) -> None:
        """A plan was closed with its mandatory tasks done: the event is resolved (unless closed)."""
        ev = self.state.events.get(event_id)
        if ev is not None and ev.state not in (EventState.RESOLVED, EventState.CLOSED):
            self._put_event(_replace_event(ev, state=EventState.RESOLVED))

    # ------------------------------------------------------------------------------ publishing

    def _put_event(self, ev: Event, left: str = "") -> None:
        """Publish ``ev``; ``left`` is the level it was just moved from, so that centres watching
        that level get this message too (§4.1)."""
        ev = self._settle_alarm(ev)
        if self.state.cameras and not ev.cameras:
            ev = _replace_event(ev, cameras=self.cameras_for(ev))
        levels = (ev.level, left) if left else (ev.level,)
        self.state.events[ev.id] = self.hub.publish(Stream.EVENTS, ev, ev.district, ev.theme, levels)

    def _settle_alarm(self, ev: Event) -> Event:
        """The alarm rules that hold whichever path changed the event (§7.5): a one-shot shelf
        ends when the alarm clears (or the event is resolved or closed); timed shelves are
        indexed for :meth:`_tick_alarms`."""
        if ev.shelved_until == ONE_SHOT and not Alarm.of_event(ev).active:
            ev = _replace_event(ev, shelved_until=0, shelved_by="", shelve_reason="")
        if ev.shelved_until > 0:
            self._timed_shelves.add(ev.id)
        else:
            self._timed_shelves.discard(ev.id)
        return ev

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


def _apply_faults(
    faults: dict[int, float], idx: np.ndarray, vals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The tick's sensor rows and values with failed sensors dropped (NaN) or reading their fault."""
    hit = np.flatnonzero(np.isin(idx, np.fromiter(faults, dtype=np.int64, count=len(faults))))
    if not len(hit):
        return idx, vals
    vals = vals.copy()
    vals[hit] = [faults[int(i)] for i in idx[hit]]  # only the failed few: no per-value loop
    keep = ~np.isnan(vals)
    return idx[keep], vals[keep]


def _ellipse(lon: float, lat: float, rx: float, ry: float, angle_deg: float, n: int = 24) -> Geometry:
    """A closed polygon approximating an ellipse (radii in degrees, rotated)."""
    a = math.radians(angle_deg)
    ring = []
    for k in range(n + 1):
        t = 2 * math.pi * (k % n) / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        ring.append(
            [
                round(lon + x * math.cos(a) - y * math.sin(a), 6),
                round(lat + x * math.sin(a) + y * math.cos(a), 6),
            ]
        )
    return Geometry(type="Polygon", coordinates=[ring])


def _replace_event(ev: Event, **changes: object) -> Event:
    import msgspec

    return msgspec.structs.replace(ev, **changes)


def _replace_unit(unit: Unit, **changes: object) -> Unit:
    import msgspec

    return msgspec.structs.replace(unit, **changes)
