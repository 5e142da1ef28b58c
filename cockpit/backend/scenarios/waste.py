"""Construction-waste trucks (渣土, shared/domain.md scenario 5).

A roadside camera catches an overloaded truck shedding soil; the alert carries its plate, its route
and the site it came from, and reaches city management in under a minute. Four trucks run between
four construction sites and four disposal sites, their routes drawn on the map. The disposal sites
report their load; one of them passes 50 % during each cycle, and then a new site must be matched to
the construction sites that use it (an event with its plan).

Every 12 minutes (``CYCLE_S``): the camera's alert at 1:40, the site past 50 % at about 3:45.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cockpit.backend.scenarios.base import Scenario, ScenarioHost, SensorSpec, cycle
from cockpit.protocol.messages import EventState, Geometry

THEME = "waste"
CYCLE_S = 720.0
ALERT_AT_S = 100.0
"""Second of each cycle at which the camera catches the truck."""
REPORTED_AFTER_S = 40.0
"""How long the alert took to reach city management (it carries both times)."""
HALF = 50.0
"""At this load a disposal site needs a new site matched to its sources."""


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    en: str
    zh: str
    district: str
    lon: float
    lat: float


SOURCES = (
    Place("guanyinqiao", "Guanyinqiao metro site", "观音桥轨道交通工地", "jiangbei", 106.552, 29.603),
    Place("danzishi", "Danzishi riverside site", "弹子石滨江工地", "nanan", 106.610, 29.548),
    Place("shapingba_tod", "Shapingba station TOD site", "沙坪坝站TOD工地", "shapingba", 106.456, 29.559),
    Place("lijia", "Lijia housing site", "礼嘉住宅工地", "jiangbei", 106.600, 29.622),
)
SITES = (
    Place("huilongba", "Huilongba disposal site", "回龙坝消纳场", "shapingba", 106.405, 29.530),
    Place("tieshanping", "Tieshanping disposal site", "铁山坪消纳场", "jiangbei", 106.680, 29.612),
    Place("nanshan", "Nanshan disposal site", "南山消纳场", "nanan", 106.655, 29.497),
    Place("zhongliang", "Zhongliangshan disposal site", "中梁山消纳场", "shapingba", 106.392, 29.602),
)
LOADS = {"huilongba": 38.0, "tieshanping": 47.0, "nanshan": 24.0, "zhongliang": 31.0}
"""Each disposal site's load (%) at the start of a cycle."""
FILLING = "tieshanping"
"""The site that passes 50 % in each cycle (+8 points over the first 10 minutes)."""
MATCH_TO = "nanshan"
"""The site with room that the filling site's sources are matched to."""


@dataclass(frozen=True, slots=True)
class Truck:
    plate: str
    source: str
    site: str
    offset_s: float
    """Where in the cycle it starts its run."""


TRUCKS = (
    Truck("渝A·5K327", "guanyinqiao", "tieshanping", 0.0),
    Truck("渝B·2L816", "lijia", "tieshanping", 180.0),
    Truck("渝A·8M054", "danzishi", "nanshan", 360.0),
    Truck("渝D·3N291", "shapingba_tod", "huilongba", 540.0),
)
RUN_S = 480.0
"""A truck is on the road (its route on the map) for this long in each cycle."""

CAMERA = Place("tongmao_3", "Tongmao Avenue camera 3", "通茂大道3号摄像机", "jiangbei", 106.618, 29.609)
"""The roadside camera on the first truck's route."""
CAMERA_ID = "cam-jb-tongmao-3"
"""Its id among the demo's cameras (cockpit/backend/cameras/catalog.py): the alert names it in
``Event.cameras``, so a video panel linked to this theme's alarms shows the picture (§5.7)."""


def _place(code: str) -> Place:
    return next(p for p in (*SOURCES, *SITES) if p.code == code)


def _route(truck: Truck) -> list[list[float]]:
    a, b = _place(truck.source), _place(truck.site)
    # Roads are not straight lines: a bend halfway, off to one side.
    mx, my = (a.lon + b.lon) / 2, (a.lat + b.lat) / 2
    bend = [mx - (b.lat - a.lat) * 0.18, my + (b.lon - a.lon) * 0.18]
    points = [[a.lon, a.lat], bend, [b.lon, b.lat]]
    if truck is TRUCKS[0]:
        points.insert(2, [CAMERA.lon, CAMERA.lat])
    return [[round(x, 6), round(y, 6)] for x, y in points]


class WasteTrucks(Scenario):
    """Trucks, disposal sites and the camera's alert (module docstring)."""

    name = THEME

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.specs = [
            SensorSpec(
                name=f"{site.district}-site_load-{i + 1:03d}",
                kind="site_load",
                unit="%",
                district=site.district,
                lon=site.lon,
                lat=site.lat,
                theme=THEME,
                warn=HALF,
                alarm=85.0,
                tags=("disposal_site",),
                groups=("waste_sites",),
                names={"en": site.en, "zh_CN": site.zh},
                attrs={"site": site.code},
                ttl_ms=10_000,
            )
            for i, site in enumerate(SITES)
        ]
        self._alerted = -1
        self._half = -1
        self._site_event = ""

    def load(self, code: str, t: float) -> float:
        base = LOADS[code]
        x = t % CYCLE_S
        if code == FILLING:
            return base + 8.0 * min(1.0, x / 600.0)
        return base + 0.5 * x / CYCLE_S  # the others fill slowly

    def values(self, t: float) -> np.ndarray:
        return np.array([self.load(site.code, t) for site in SITES])

    def tick(self, host: ScenarioHost, t: float) -> None:
        n, x = cycle(t, CYCLE_S), t % CYCLE_S
        for i, truck in enumerate(TRUCKS):
            on_road = (x - truck.offset_s) % CYCLE_S < RUN_S
            host.draw(
                f"waste-route-{i + 1}",
                "truck_route",
                on_road,
                THEME,
                _place(truck.source).district,
                Geometry(type="LineString", coordinates=_route(truck)),
                truck.plate,
                {"en": truck.plate, "zh_CN": truck.plate},
            )
        for p in SOURCES:
            host.draw(
                f"waste-source-{p.code}", "construction_site", True, THEME, p.district,
                Geometry(type="Point", coordinates=[p.lon, p.lat]), p.en, {"en": p.en, "zh_CN": p.zh},
            )  # fmt: skip
        if x >= ALERT_AT_S and self._alerted != n:
            self._alerted = n
            self._alert(host, t - (x - ALERT_AT_S))
        if self.load(FILLING, t) >= HALF and self._half != n:
            self._half = n
            self._site_half_full(host, t)

    def _alert(self, host: ScenarioHost, t: float) -> None:
        truck = TRUCKS[0]
        source, site = _place(truck.source), _place(truck.site)
        caught = host.ms(t)
        ev = host.raise_event(
            "waste_shedding",
            THEME,
            f"Overloaded truck {truck.plate} shedding soil",
            2,
            CAMERA.district,
            CAMERA.lon,
            CAMERA.lat,
            source=CAMERA.en,
            level="district",  # city management, in minutes
            cameras=(CAMERA_ID,),
            attrs={
                "plate": truck.plate,
                "route": f"{source.en.split(' ')[0]} → {site.en.split(' ')[0]}",
                "route.zh_CN": f"{source.zh[:3]} → {site.zh[:3]}",
                "source_site": source.en,
                "source_site.zh_CN": source.zh,
                "disposal_site": site.en,
                "disposal_site.zh_CN": site.zh,
                "camera": CAMERA.en,
                "camera.zh_CN": CAMERA.zh,
                "overload_pct": 35.0,
                "caught_at": float(caught),
                "sent_at": float(caught + REPORTED_AFTER_S * 1000),
            },
        )
        host.later(200.0, ev.id, EventState.ACKNOWLEDGED)  # city management takes it if nobody did
        host.later(560.0, ev.id, EventState.CLOSED)

    def _site_half_full(self, host: ScenarioHost, t: float) -> None:
        site, to = _place(FILLING), _place(MATCH_TO)
        users = [_place(tr.source) for tr in TRUCKS if tr.site == FILLING]
        ev = host.raise_event(
            "disposal_half_full",
            THEME,
            f"{site.en} at 50 %: match a new site",
            3,
            site.district,
            site.lon,
            site.lat,
            source=self.specs[[s.code for s in SITES].index(FILLING)].name,
            attrs={
                "site": site.en,
                "site.zh_CN": site.zh,
                "load_pct": round(self.load(FILLING, t), 1),
                "sources": ", ".join(u.en for u in users),
                "sources.zh_CN": "、".join(u.zh for u in users),
                "match_to": f"{to.en} ({self.load(MATCH_TO, t):.0f} %)",
                "match_to.zh_CN": f"{to.zh}（{self.load(MATCH_TO, t):.0f}%）",
            },
        )
        self._site_event = ev.id
        host.later(240.0, ev.id, EventState.ACKNOWLEDGED)
        host.later(480.0, ev.id, EventState.CLOSED)
