"""What a scenario is, and what it may ask of the city it runs in."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

import numpy as np

from cockpit.protocol.messages import Event, Geometry, SensorInfo, Unit

Attrs = Mapping[str, str | float]
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


@dataclass(frozen=True, slots=True)
class SensorSpec:
    """A sensor a scenario adds to the city (named ``<district>-<kind>-<nnn>`` like the others)."""

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
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    attrs: Attrs = field(default_factory=dict)
    ttl_ms: int = 5000

    def info(self, sensor_id: int) -> SensorInfo:
        return SensorInfo(
            id=sensor_id,
            name=self.name,
            kind=self.kind,
            unit=self.unit,
            district=self.district,
            lon=round(self.lon, 5),
            lat=round(self.lat, 5),
            theme=self.theme,
            warn=self.warn,
            alarm=self.alarm,
            low_warn=self.low_warn,
            low_alarm=self.low_alarm,
            tags=list(self.tags),
            groups=list(self.groups),
            names=dict(self.names),
            attrs=dict(self.attrs),
        )


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """One sensor's history (protocol §5.11): ``values`` at ``step_ms`` from ``start_ms``."""

    index: int
    """The sensor's index among the scenario's own sensors."""
    start_ms: int
    step_ms: int
    values: np.ndarray


class ScenarioHost(Protocol):
    """What a scenario may do in the city (cockpit/backend/city.py implements it)."""

    @property
    def now(self) -> float: ...

    def ms(self, t: float | None = None) -> int: ...

    def event(self, event_id: str) -> Event | None: ...

    def open_event(self, etype: str, theme: str) -> Event | None:
        """The newest event of this type and theme that is not closed (one a recorded start brought)."""
        ...

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
    ) -> Event: ...

    def change_event(self, event_id: str, **changes: object) -> Event | None: ...

    def busy(self, event_id: str) -> bool: ...

    def later(self, after_s: float, event_id: str, state: str) -> None: ...

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
    ) -> None: ...

    def free_unit(self, kinds: Sequence[str], lon: float, lat: float, district: str) -> Unit | None: ...

    def send_unit(self, event_id: str, unit_id: str) -> bool: ...

    def start_plan(self, event_id: str, plan_type: str, operator: str) -> bool:
        """Activate a plan for the event as the centre that holds it did; False if it would not."""
        ...


class Scenario:
    """A scenario of the demo city: its sensors, their values and history, its events and overlays.

    Subclasses set :attr:`name` and fill :attr:`specs`; the city numbers the sensors, calls
    :meth:`values` for them once a simulated second, :meth:`tick` likewise, and publishes
    :meth:`series` on the ``series`` stream.
    """

    name = "scenario"
    period_s = 1.0
    """How often (simulated seconds) the scenario's sensors report and it ticks."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.specs: list[SensorSpec] = []

    def values(self, t: float) -> np.ndarray:
        """The value of each of :attr:`specs` at scenario second ``t`` (NaN: it does not report)."""
        return np.full(len(self.specs), np.nan)

    def tick(self, host: ScenarioHost, t: float) -> None:
        """Move the scenario to second ``t``: raise, change or end its events and overlays."""

    def series(self, host: ScenarioHost) -> list[SeriesSpec]:
        """The history the scenario keeps for its sensors, as of now."""
        return []

    def index(self, name: str) -> int:
        return next(i for i, s in enumerate(self.specs) if s.name == name)


def phase(t: float, period: float, start: float, end: float) -> float:
    """0 before ``start`` and after ``end`` of each ``period``; rising 0 → 1 in between."""
    x = t % period
    if not start <= x < end:
        return 0.0
    return (x - start) / (end - start)


def cycle(t: float, period: float) -> int:
    """Which repetition of a ``period``-long cycle second ``t`` is in."""
    return int(t // period)


def along(line: Sequence[tuple[float, float]], km: float) -> tuple[float, float]:
    """The point ``km`` along a polyline of lon/lat (an equirectangular distance: a few km only)."""
    left = km
    for (x0, y0), (x1, y1) in pairwise(line):
        seg = _km(x0, y0, x1, y1)
        if left <= seg or (x1, y1) == line[-1]:
            f = min(1.0, left / seg) if seg else 0.0
            return x0 + (x1 - x0) * f, y0 + (y1 - y0) * f
        left -= seg
    return line[-1]


def length_km(line: Sequence[tuple[float, float]]) -> float:
    return sum(_km(x0, y0, x1, y1) for (x0, y0), (x1, y1) in pairwise(line))


def _km(x0: float, y0: float, x1: float, y1: float) -> float:
    dx = (x1 - x0) * 111.32 * math.cos(math.radians((y0 + y1) / 2))
    dy = (y1 - y0) * 110.57
    return math.hypot(dx, dy)


def diurnal(hours: np.ndarray, mean: float, swing: float) -> np.ndarray:
    """A daily cycle peaking mid-afternoon (dissolved oxygen follows photosynthesis)."""
    out: np.ndarray = mean + swing * np.sin(2 * np.pi * (hours % 24 - 9) / 24)
    return out
