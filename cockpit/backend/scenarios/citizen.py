"""Citizen requests on the 12345 hotline (民呼我为, shared/domain.md scenario 7) and their closed loop.

A request is **found** (the call becomes a ticket), **routed** to the nearest team of the right kind
(an enforcement team for noise and parking, a grid worker for the rest), **handled** (the team's
job is done), **reported back** (photos, and the citizen is told automatically) and **evaluated**
(the citizen's rating), then closed. Each step's time travels in the event's ``attrs``
(``found_at`` … ``evaluated_at``, with ``deadline_at``), so the wall can draw a request's timeline.

The demo compresses a request's evening (20:17 to 23:02 in the city's report) into minutes of the
scenario clock: routed after 30–60 s, handled when its unit's job completes (45 s later), reported
back 20 s after that, evaluated a minute later. One request in five is routed late and misses its
deadline. The first request of every 10-minute cycle is the story's noise complaint in Yuzhong.

The loop's figures for the shift and the day (counts, median times, late requests per step) and
each street's five-colour handling rating are indicators like any other, per district: sensors with
``attrs`` ``step`` and ``period`` (``loop_count``, ``loop_median``, ``loop_late``) and
``handling_rating`` (1 best … 5 worst).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from cockpit.backend.scenarios.base import Scenario, ScenarioHost, SensorSpec
from cockpit.protocol.messages import EventState

THEME = "citizen"
CYCLE_S = 600.0
STEPS = ("found", "routed", "handled", "reported", "evaluated")
"""The closed loop's five steps (shared/domain.md), in order."""
PERIODS = ("shift", "day")
DEADLINE_S = 150.0
"""Found → handled, on the compressed clock."""
REPORT_AFTER_S = 20.0
EVALUATE_AFTER_S = 60.0

DISTRICT_CENTRES = {
    "yuzhong": (106.568, 29.553),
    "jiangbei": (106.574, 29.606),
    "nanan": (106.644, 29.500),
    "shapingba": (106.456, 29.541),
}
WEIGHT = {"yuzhong": 1.0, "jiangbei": 1.2, "nanan": 0.9, "shapingba": 1.1}
"""Each district's share of the calls."""


@dataclass(frozen=True, slots=True)
class Kind:
    type: str
    title: str
    unit: str


KINDS = (
    Kind("noise_complaint", "12345: noise at night from a construction site", "enforcement_team"),
    Kind("garbage_uncollected", "12345: garbage not collected for two days", "grid_worker"),
    Kind("road_damage", "12345: pothole on the pavement", "grid_worker"),
    Kind("street_light_out", "12345: street lights out along a lane", "grid_worker"),
    Kind("illegal_parking", "12345: cars parked on the pavement", "enforcement_team"),
)

STREETS: dict[str, tuple[tuple[str, str, str, float], ...]] = {
    "yuzhong": (
        ("jiefangbei", "Jiefangbei street", "解放碑街道", 1.0),
        ("chaotianmen", "Chaotianmen street", "朝天门街道", 2.0),
        ("shangqingsi", "Shangqingsi street", "上清寺街道", 2.0),
    ),
    "jiangbei": (
        ("guanyinqiao", "Guanyinqiao street", "观音桥街道", 1.0),
        ("wulidian", "Wulidian street", "五里店街道", 3.0),
        ("dashiba", "Dashiba street", "大石坝街道", 2.0),
    ),
    "nanan": (
        ("nanping", "Nanping street", "南坪街道", 2.0),
        ("tongyuanju", "Tongyuanju street", "铜元局街道", 4.0),
        ("danzishi", "Danzishi street", "弹子石街道", 3.0),
    ),
    "shapingba": (
        ("xiaolongkan", "Xiaolongkan street", "小龙坎街道", 2.0),
        ("ciqikou", "Ciqikou street", "磁器口街道", 1.0),
        ("tianxingqiao", "Tianxingqiao street", "天星桥街道", 5.0),
    ),
}
"""Three streets per district with their handling rating at the start (1 best … 5 worst)."""

MEDIAN_MIN = {"found": 2.0, "routed": 6.0, "handled": 95.0, "reported": 12.0, "evaluated": 38.0}
"""Median minutes from the step before (from the call, for ``found``)."""
MEDIAN_LIMITS = {
    "found": (5.0, 10.0),
    "routed": (10.0, 15.0),
    "handled": (120.0, 180.0),
    "reported": (20.0, 30.0),
    "evaluated": (60.0, 90.0),
}
"""Warning and alarm for each step's median time (the city's targets)."""
EVALUATIONS = (
    ("satisfied", "满意"),
    ("satisfied", "满意"),
    ("satisfied", "满意"),
    ("basically satisfied", "基本满意"),
    ("dissatisfied", "不满意"),
)


@dataclass(slots=True)
class _Request:
    event_id: str
    kind: Kind
    found: float
    route_at: float
    late: bool
    featured: bool
    attrs: dict[str, str | float] = field(default_factory=dict)
    routed: float | None = None
    handled: float | None = None
    reported: float | None = None
    evaluated: float | None = None


class CitizenRequests(Scenario):
    """The 12345 requests, their loop's indicators and the streets' ratings (module docstring)."""

    name = THEME

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self._rng = random.Random(f"citizen/{seed}")
        self._noise = np.random.default_rng([seed, 7])
        for d, (lon, lat) in DISTRICT_CENTRES.items():
            n = 0  # numbered per kind within the district, like every sensor: -001 … -010
            for step in STEPS:
                for period in PERIODS:
                    n += 1
                    for kind, unit, limits in (
                        ("loop_count", "", (None, None)),
                        ("loop_median", "min", MEDIAN_LIMITS[step]),
                        ("loop_late", "", (1.0, 5.0)),
                    ):
                        self.specs.append(
                            SensorSpec(
                                name=f"{d}-{kind}-{n:03d}",
                                kind=kind,
                                unit=unit,
                                district=d,
                                lon=lon,
                                lat=lat,
                                theme=THEME,
                                warn=limits[0],
                                alarm=limits[1],
                                groups=("citizen_loop",),
                                attrs={"step": step, "period": period},
                                ttl_ms=60_000,
                            )
                        )
            for i, (code, en, zh, _rating) in enumerate(STREETS[d]):
                self.specs.append(
                    SensorSpec(
                        name=f"{d}-handling_rating-{i + 1:03d}",
                        kind="handling_rating",
                        unit="",
                        district=d,
                        lon=lon + 0.01 * (i - 1),
                        lat=lat - 0.006,
                        theme=THEME,
                        warn=4.0,
                        alarm=5.0,
                        groups=("citizen_ratings",),
                        names={"en": en, "zh_CN": zh},
                        attrs={"area": code},
                        ttl_ms=60_000,
                    )
                )
        self._requests: dict[str, _Request] = {}
        self._next = 5.0
        self._cycle = -1

    # ------------------------------------------------------------------------------ indicators

    def values(self, t: float) -> np.ndarray:
        out = []
        shift_h = 3.0 + t / 3600.0  # the evening shift began at 17:00; the demo starts at 20:00
        day_h = 20.0 + t / 3600.0
        for d in DISTRICT_CENTRES:
            w = WEIGHT[d]
            for step_i, step in enumerate(STEPS):
                for period in PERIODS:
                    hours = shift_h if period == "shift" else day_h
                    found = w * 14.0 * hours
                    count = max(0.0, found - w * (2.0 + 9.0 * step_i) * (1.0 if period == "shift" else 1.4))
                    median = MEDIAN_MIN[step] * (0.9 + 0.1 * w) + float(self._noise.normal(0, 0.05))
                    late = 0.0 if step in ("found", "evaluated") else round(w * (3.0 if step == "handled" else 1.0))
                    late = late if period == "day" else max(0.0, late - 1.0)
                    out += [round(count), round(median, 1), late]
            for code, _en, _zh, rating in STREETS[d]:
                drift = 1.0 if code == "tongyuanju" and (t % 1200.0) > 600.0 else 0.0
                out.append(min(5.0, rating + drift))
        return np.array(out)

    # ------------------------------------------------------------------------------ requests

    def tick(self, host: ScenarioHost, t: float) -> None:
        n = int(t // CYCLE_S)
        if n != self._cycle and t % CYCLE_S >= 20.0:
            self._cycle = n
            self._new_request(host, t, featured=True)
        while t >= self._next:
            self._new_request(host, self._next, featured=False)
            self._next += self._rng.uniform(35.0, 70.0)
        for req in list(self._requests.values()):
            self._step(host, req, t)

    def _new_request(self, host: ScenarioHost, t: float, featured: bool) -> None:
        rng = self._rng
        if featured:
            kind, district = KINDS[0], "yuzhong"
            lon, lat = 106.574, 29.557  # by Jiefangbei, the story's noise complaint
        else:
            kind = rng.choice(KINDS)
            district = rng.choices(list(WEIGHT), weights=list(WEIGHT.values()))[0]
            cx, cy = DISTRICT_CENTRES[district]
            lon, lat = cx + rng.uniform(-0.025, 0.025), cy + rng.uniform(-0.02, 0.02)
        late = not featured and rng.random() < 0.2
        found = host.ms(t)
        attrs: dict[str, str | float] = {
            "channel": "12345 hotline",
            "channel.zh_CN": "12345热线",
            "found_at": float(found),
            "deadline_at": float(found + DEADLINE_S * 1000),
        }
        ev = host.raise_event(kind.type, THEME, kind.title, 4 if not featured else 3, district, lon, lat, attrs=attrs)
        route_after = rng.uniform(120.0, 140.0) if late else rng.uniform(30.0, 60.0)
        self._requests[ev.id] = _Request(ev.id, kind, t, t + route_after, late, featured, attrs)

    def _step(self, host: ScenarioHost, req: _Request, t: float) -> None:
        ev = host.event(req.event_id)
        if ev is None or ev.state == EventState.CLOSED:
            del self._requests[req.event_id]  # closed at the wall, or by us after its evaluation
            return
        if req.routed is None and (t >= req.route_at or host.busy(req.event_id)):
            unit = None
            if not host.busy(req.event_id):  # the wall may have sent someone already
                unit = host.free_unit((req.kind.unit,), ev.lon, ev.lat, ev.district)
                if unit is None or not host.send_unit(req.event_id, unit.id):
                    return  # no one free: try again next second (and be late)
            req.routed = t
            req.attrs["routed_at"] = float(host.ms(t))
            if unit is not None:
                req.attrs["routed_to"] = unit.names.get("en", unit.name)
                req.attrs["routed_to.zh_CN"] = unit.names.get("zh_CN", unit.name)
            host.change_event(req.event_id, attrs=dict(req.attrs))
        elif req.routed is not None and req.handled is None and ev.state == EventState.RESOLVED:
            req.handled = t
            req.attrs["handled_at"] = float(host.ms(t))
            host.change_event(req.event_id, attrs=dict(req.attrs))
        elif req.handled is not None and req.reported is None and t >= req.handled + REPORT_AFTER_S:
            req.reported = t
            at = float(host.ms(t))
            req.attrs.update({"reported_at": at, "citizen_told_at": at, "photos": 3.0})
            host.change_event(req.event_id, attrs=dict(req.attrs))
        elif req.reported is not None and req.evaluated is None and t >= req.reported + EVALUATE_AFTER_S:
            req.evaluated = t
            en, zh = EVALUATIONS[0] if req.featured else self._rng.choice(EVALUATIONS)
            req.attrs.update({"evaluated_at": float(host.ms(t)), "evaluation": en, "evaluation.zh_CN": zh})
            host.change_event(req.event_id, attrs=dict(req.attrs), state=EventState.CLOSED)
