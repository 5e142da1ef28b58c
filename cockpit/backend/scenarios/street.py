"""A street centre's four boards (shared/domain.md): party building, economy, public services, and
safety and law, for Jiefangbei street in Yuzhong, with its enterprises under three-colour management.

Each board's indicators are sensors in a group of their own (``street_party``, ``street_economy``,
``street_services``, ``street_safety``) so the boards' runway files pick them by group. Enterprises
are rated red (inspected every quarter), yellow (once a year) or green (not routinely); the three
classes are drawn on the map as point overlays (``enterprise_red``, ``enterprise_yellow``,
``enterprise_green``), each labelled with its class and its rule, so colour is never the only sign.
"""

from __future__ import annotations

import random

import numpy as np

from cockpit.backend.scenarios.base import Scenario, ScenarioHost, SensorSpec
from cockpit.protocol.messages import Geometry

DISTRICT = "yuzhong"
CENTRE = (106.574, 29.557)
"""Jiefangbei, on the Yuzhong peninsula."""

# (group, theme, kind, unit, base, drift per hour, warn, alarm, low_warn, low_alarm)
INDICATORS: tuple[tuple[str, str, str, str, float, float, float | None, float | None, float | None, float | None], ...] = (
    ("street_party", "party", "party_members_serving", "", 126.0, 6.0, None, None, None, None),
    ("street_party", "party", "volunteer_hours", "h", 2340.0, 18.0, None, None, None, None),
    ("street_party", "party", "party_activities", "", 14.0, 0.0, None, None, None, None),
    ("street_party", "party", "grid_workers_on_duty", "", 38.0, 0.0, None, None, 30.0, 20.0),
    ("street_economy", "economy", "market_entities", "", 8950.0, 2.0, None, None, None, None),
    ("street_economy", "economy", "retail_growth", "%", 6.2, 0.0, None, None, 0.0, -5.0),
    ("street_economy", "economy", "office_vacancy", "%", 14.5, 0.0, 20.0, 30.0, None, None),
    ("street_economy", "economy", "new_businesses", "", 86.0, 1.0, None, None, None, None),
    ("street_safety", "safety", "hazards_open", "", 7.0, 0.0, 10.0, 20.0, None, None),
    ("street_safety", "safety", "red_uninspected", "", 3.0, 0.0, 1.0, 5.0, None, None),
    ("street_safety", "safety", "disputes_mediated", "", 42.0, 0.5, None, None, None, None),
    ("street_safety", "safety", "petitions_open", "", 5.0, 0.0, 8.0, 12.0, None, None),
    ("street_services", "citizen", "elderly_meals", "", 412.0, 20.0, None, None, None, None),
    ("street_services", "citizen", "service_centre_visits", "", 236.0, 15.0, None, None, None, None),
)

COMMUNITIES = (
    ("xiaoshizi", "Xiaoshizi community", "小什字社区", 410.0),
    ("jiaochangkou", "Jiaochangkou community", "较场口社区", 355.0),
    ("minshenglu", "Minsheng Road community", "民生路社区", 298.0),
    ("bayilu", "Bayi Road community", "八一路社区", 262.0),
    ("dajingxiang", "Dajingxiang community", "大井巷社区", 188.0),
    ("renhejie", "Renhe Street community", "人和街社区", 141.0),
)
"""Volunteer hours this month per community (party building board)."""

ENTERPRISES = {"red": 8, "yellow": 19, "green": 33}
"""Enterprises of Jiefangbei street per class."""
CLASS_WORDS = {
    "red": ("Red · inspect each quarter", "红色 · 每季度检查"),
    "yellow": ("Yellow · inspect once a year", "黄色 · 每年检查一次"),
    "green": ("Green · no routine inspection", "绿色 · 不作常规检查"),
}


class StreetBoards(Scenario):
    """The street's indicators and its enterprises (module docstring)."""

    name = "street"
    period_s = 2.0

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self._noise = np.random.default_rng([seed, 8])
        lon, lat = CENTRE
        for i, (group, theme, kind, unit, *_rest) in enumerate(INDICATORS):
            warn, alarm, low_warn, low_alarm = _rest[2:]
            self.specs.append(
                SensorSpec(
                    name=f"{DISTRICT}-{kind}-001",
                    kind=kind,
                    unit=unit,
                    district=DISTRICT,
                    lon=lon + 0.002 * (i % 4),
                    lat=lat,
                    theme=theme,
                    warn=warn,
                    alarm=alarm,
                    low_warn=low_warn,
                    low_alarm=low_alarm,
                    groups=(group,),
                    attrs={"street": "jiefangbei"},
                    ttl_ms=30_000,
                )
            )
        for i, (code, en, zh, _hours) in enumerate(COMMUNITIES):
            self.specs.append(
                SensorSpec(
                    name=f"{DISTRICT}-community_volunteer_hours-{i + 1:03d}",
                    kind="community_volunteer_hours",
                    unit="h",
                    district=DISTRICT,
                    lon=lon - 0.004 + 0.002 * i,
                    lat=lat + 0.003,
                    theme="party",
                    groups=("street_party_communities",),
                    names={"en": en, "zh_CN": zh},
                    attrs={"community": code, "street": "jiefangbei"},
                    ttl_ms=30_000,
                )
            )
        rng = random.Random(f"street/{seed}")
        self.enterprises: dict[str, list[list[float]]] = {
            cls: [
                [round(lon + rng.uniform(-0.0065, 0.0095), 6), round(lat + rng.uniform(-0.004, 0.0065), 6)]
                for _ in range(n)
            ]
            for cls, n in ENTERPRISES.items()
        }  # inside Jiefangbei street (assets/geo/streets.geojson)
        self._drawn = False

    def values(self, t: float) -> np.ndarray:
        hours = t / 3600.0
        out = [base + drift * hours for _g, _th, _k, _u, base, drift, *_ in INDICATORS]
        out += [h + 2.0 * hours for _c, _en, _zh, h in COMMUNITIES]
        return np.array(out) + self._noise.normal(0, 0.0, len(out))

    def tick(self, host: ScenarioHost, t: float) -> None:
        if self._drawn:
            return
        self._drawn = True
        for cls, points in self.enterprises.items():
            en, zh = CLASS_WORDS[cls]
            host.draw(
                f"enterprises-{cls}",
                f"enterprise_{cls}",
                True,
                "safety",
                DISTRICT,
                Geometry(type="MultiPoint", coordinates=points),
                f"{en} ({len(points)})",
                {"en": f"{en} ({len(points)})", "zh_CN": f"{zh}（{len(points)}家）"},
            )
