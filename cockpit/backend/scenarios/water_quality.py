"""Water quality (治水, shared/domain.md scenario 6) on the Jialing between Jingkou and Chaotianmen.

Seven monitoring sections along the river report dissolved oxygen, each with its place on the river
(``river_km`` from the upstream end). At the Ciqikou section it has been under 5 mg/L (class III)
for three days: the backend keeps a week of hourly values for every section (the ``series`` stream,
protocol §5.11) and names the two treatment plants upstream whose outfalls run high as suspects.

Every 16 minutes (``CYCLE_S``), at 2:00, a patrol finds an oil slick at km 9.6; it was traced
upstream in 15 minutes to a storm-drain outfall, and drifts down towards the Liangtuo drinking-water
intake at km 19.5, where it is predicted to arrive 6 hours after it was found. The event carries
the slick's position and the predicted arrival; the map shows the slick. Until 15:00 of the cycle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cockpit.backend.scenarios.base import (
    HOUR_MS,
    Scenario,
    ScenarioHost,
    SensorSpec,
    SeriesSpec,
    along,
    cycle,
    diurnal,
)
from cockpit.protocol.messages import EventState, Geometry

THEME = "water_quality"
CYCLE_S = 960.0
SLICK_AT_S = 120.0
SLICK_UNTIL_S = 900.0
SLICK_FOUND_KM = 9.6
ARRIVAL_H = 6.0
"""The slick reaches the intake this long after it was found."""
DO_LOW_WARN = 5.0
"""Class III surface water (GB 3838-2002): dissolved oxygen at least 5 mg/L."""
DO_LOW_ALARM = 3.0
"""Class IV: at least 3 mg/L."""
COD_LIMIT = 50.0
"""Class 1A effluent of a treatment plant (GB 18918-2002): COD at most 50 mg/L."""
EXCURSION_H = 77
"""Hours the Ciqikou section has been under 5 mg/L when the city starts: three days and five hours."""
HISTORY_H = 7 * 24

JIALING = (
    (106.38, 29.625), (106.41, 29.615), (106.43, 29.603), (106.445, 29.59), (106.46, 29.582),
    (106.475, 29.579), (106.49, 29.577), (106.505, 29.576), (106.52, 29.575), (106.54, 29.574),
    (106.56, 29.572), (106.575, 29.57), (106.588, 29.566),
)  # fmt: skip
"""The Jialing of assets/geo/rivers.geojson, upstream first."""


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    en: str
    zh: str
    km: float
    normal: float
    """Dissolved oxygen (mg/L) on an ordinary day."""
    intake: bool = False


SECTIONS = (
    Section("jingkou", "Jingkou", "井口", 1.0, 7.4),
    Section("shuangbei", "Shuangbei", "双碑", 5.0, 7.1),
    Section("ciqikou", "Ciqikou", "磁器口", 9.0, 6.9),
    Section("shimen", "Shimen", "石门", 13.0, 6.6),
    Section("hualongqiao", "Hualongqiao", "化龙桥", 17.0, 6.9),
    Section("liangtuo", "Liangtuo intake", "梁沱取水口", 19.5, 7.0, intake=True),
    Section("chaotianmen", "Chaotianmen", "朝天门", 21.5, 7.2),
)
"""The monitoring sections, upstream first (named by place: "Ciqikou", the Ciqikou section)."""
EXCURSION = "ciqikou"
LOW_NOW = {"ciqikou": 4.3, "shimen": 5.5}
"""Dissolved oxygen since the excursion began: Ciqikou under the limit, Shimen below it recovering."""


@dataclass(frozen=True, slots=True)
class Plant:
    code: str
    en: str
    zh: str
    km: float
    cod: float
    """Outfall COD (mg/L) now."""
    cod_before: float
    """Before the excursion."""


PLANTS = (
    Plant("jingkou_wwtp", "Jingkou WWTP", "井口污水厂", 2.5, 47.0, 38.0),
    Plant("shuangbei_wwtp", "Shuangbei WWTP", "双碑污水厂", 6.8, 56.0, 41.0),
    Plant("shimen_wwtp", "Shimen WWTP", "石门污水厂", 14.0, 31.0, 30.0),
)
SUSPECTS = ("shuangbei_wwtp", "jingkou_wwtp")
"""Upstream of the excursion, outfalls up since it began: the two the system names."""
TRACED_TO = ("storm-drain outfall at km 7.9 (Shuangbei)", "双碑7.9公里处雨水排口")


def _district(km: float) -> str:
    return "shapingba" if km <= 12 else "yuzhong"


def _point(km: float, offset: float = 0.0) -> tuple[float, float]:
    lon, lat = along(JIALING, km)
    return lon, lat + offset


class WaterQuality(Scenario):
    """The river's sections, its treatment plants, the excursion and the slick (module docstring)."""

    name = THEME

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self._rng = np.random.default_rng([seed, 6])
        for i, s in enumerate(SECTIONS):
            lon, lat = _point(s.km)
            self.specs.append(
                SensorSpec(
                    name=f"{_district(s.km)}-dissolved_oxygen-{i + 1:03d}",
                    kind="dissolved_oxygen",
                    unit="mg/L",
                    district=_district(s.km),
                    lon=lon,
                    lat=lat,
                    theme=THEME,
                    low_warn=DO_LOW_WARN,
                    low_alarm=DO_LOW_ALARM,
                    tags=("river_section", "intake") if s.intake else ("river_section",),
                    # The section out of range is the one the wall follows over days.
                    groups=("river_watch", "river_focus") if s.code == EXCURSION else ("river_watch",),
                    names={"en": s.en, "zh_CN": s.zh},
                    attrs={"river_km": s.km, "river": "jialing"},
                    ttl_ms=10_000,
                )
            )
        for i, p in enumerate(PLANTS):
            lon, lat = _point(p.km, 0.004)
            self.specs.append(
                SensorSpec(
                    name=f"{_district(p.km)}-outfall_cod-{i + 1:03d}",
                    kind="outfall_cod",
                    unit="mg/L",
                    district=_district(p.km),
                    lon=lon,
                    lat=lat,
                    theme=THEME,
                    warn=COD_LIMIT,
                    alarm=60.0,
                    tags=("treatment_plant", "suspect") if p.code in SUSPECTS else ("treatment_plant",),
                    groups=("river_outfalls",),
                    names={"en": p.en, "zh_CN": p.zh},
                    attrs={"river_km": p.km, "river": "jialing"},
                    ttl_ms=10_000,
                )
            )
        self._excursion = ""
        self._slick = -1
        self._slick_event = ""
        self._slick_km = -1.0

    # ------------------------------------------------------------------------------ values

    def values(self, t: float) -> np.ndarray:
        hour = 14.0 + t / 3600.0  # the demo's afternoon
        out = []
        for s in SECTIONS:
            base = LOW_NOW.get(s.code, s.normal)
            out.append(float(diurnal(np.array([hour]), base, 0.15)[0]) + float(self._rng.normal(0, 0.04)))
        for p in PLANTS:
            out.append(p.cod + float(self._rng.normal(0, 0.4)))
        return np.array(out)

    def series(self, host: ScenarioHost) -> list[SeriesSpec]:
        """A week of hourly values up to the current hour: the excursion visible as three days under
        the limit at Ciqikou, the suspects' outfalls up since it began."""
        now = host.ms()
        end = now - now % HOUR_MS
        start = end - (HISTORY_H - 1) * HOUR_MS
        hours = (start + HOUR_MS * np.arange(HISTORY_H)) / HOUR_MS
        since = end - EXCURSION_H * HOUR_MS
        times = start + HOUR_MS * np.arange(HISTORY_H)
        rng = np.random.default_rng([self.seed, 61])
        out = []
        for i, s in enumerate(SECTIONS):
            values = diurnal(hours, s.normal, 0.35) + rng.normal(0, 0.08, HISTORY_H)
            if s.code in LOW_NOW:
                low = diurnal(hours, LOW_NOW[s.code], 0.3) + rng.normal(0, 0.08, HISTORY_H)
                values = np.where(times >= since, low, values)
            if s.code == "shuangbei":
                values[40:43] = np.nan  # the station was down for three hours: drawn as a gap
            out.append(SeriesSpec(i, start, HOUR_MS, values))
        for j, p in enumerate(PLANTS):
            values = np.where(times >= since - 12 * HOUR_MS, p.cod, p.cod_before) + rng.normal(0, 0.8, HISTORY_H)
            out.append(SeriesSpec(len(SECTIONS) + j, start, HOUR_MS, values))
        return out

    # ------------------------------------------------------------------------------ events

    def tick(self, host: ScenarioHost, t: float) -> None:
        current = host.event(self._excursion) if self._excursion else host.open_event("do_excursion", THEME)
        if current is None or current.state == EventState.CLOSED:
            self._raise_excursion(host)
        else:
            self._excursion = current.id  # (a drill started from a recording brings it along)
        n, x = cycle(t, CYCLE_S), t % CYCLE_S
        slick = SLICK_AT_S <= x < SLICK_UNTIL_S
        if slick and self._slick != n:
            self._slick = n
            self._raise_slick(host, t - (x - SLICK_AT_S))
        km = self.slick_km(t) if slick else -1.0
        if slick and self._slick_event and abs(km - self._slick_km) >= 0.05:
            self._slick_km = km
            host.change_event(self._slick_event, attrs=self._slick_attrs(host, t))
        lon, lat = _point(max(km, 0.0))
        ahead = _point(max(km, 0.0) + 0.6)
        angle = math.degrees(math.atan2(ahead[1] - lat, ahead[0] - lon))
        length = 0.6 + 0.9 * min(1.0, (x - SLICK_AT_S) / 600.0) if slick else 0.6
        host.draw(
            "oil-slick",
            "oil_slick",
            slick,
            THEME,
            _district(max(km, 0.0)),
            _ellipse(lon, lat, 0.0045 * length, 0.0011, angle),
            f"Oil slick, {length:.1f} km",
            {"en": f"Oil slick, {length:.1f} km", "zh_CN": f"油膜 {length:.1f} 公里"},
        )

    def slick_km(self, t: float) -> float:
        """Where the slick is at second ``t`` of its cycle: drifting at the river's speed."""
        x = t % CYCLE_S
        speed = (SECTIONS[5].km - SLICK_FOUND_KM) / (ARRIVAL_H * 3600.0)
        return SLICK_FOUND_KM + speed * max(0.0, x - SLICK_AT_S)

    def _raise_excursion(self, host: ScenarioHost) -> None:
        s = next(x for x in SECTIONS if x.code == EXCURSION)
        suspects = [next(p for p in PLANTS if p.code == code) for code in SUSPECTS]
        lon, lat = _point(s.km)
        now = host.ms()
        since = now - now % HOUR_MS - EXCURSION_H * HOUR_MS
        attrs: dict[str, str | float] = {
            "section": f"{s.en} section",
            "section.zh_CN": f"{s.zh}断面",
            "river_km": s.km,
            "below_since_at": float(since),
            "limit": f"{DO_LOW_WARN:g} mg/L (class III)",
            "limit.zh_CN": f"{DO_LOW_WARN:g} mg/L（III类）",
        }
        for k, p in enumerate(suspects, 1):
            attrs[f"suspect_{k}"] = f"{p.en}, km {p.km:g}: COD {p.cod:g}, was {p.cod_before:g}"
            attrs[f"suspect_{k}.zh_CN"] = f"{p.zh}（{p.km:g}公里）：COD {p.cod:g}（原 {p.cod_before:g}）"
        ev = host.raise_event(
            "do_excursion",
            THEME,
            f"Dissolved oxygen under {DO_LOW_WARN:g} mg/L at the {s.en} section for 3 days",
            2,
            _district(s.km),
            lon,
            lat,
            source=self.specs[SECTIONS.index(s)].name,
            attrs=attrs,
            level="district",
        )
        # Known for three days: the district centre acknowledged it and runs its plan (the suspects
        # are being inspected); it is worked on, not new.
        host.change_event(ev.id, state=EventState.ACKNOWLEDGED, acked_by="district centre", acked_at=host.ms())
        host.start_plan(ev.id, "dissolved_oxygen", "district centre")
        self._excursion = ev.id

    def _slick_attrs(self, host: ScenarioHost, t: float) -> dict[str, str | float]:
        found = host.ms(t - (t % CYCLE_S - SLICK_AT_S))
        intake = SECTIONS[5]
        return {
            "river_km": round(self.slick_km(t), 2),
            "target_km": intake.km,
            "target": intake.en,
            "target.zh_CN": intake.zh,
            "eta_at": float(found + ARRIVAL_H * HOUR_MS),
            "found_at": float(found),
            "traced_to": TRACED_TO[0],
            "traced_to.zh_CN": TRACED_TO[1],
            "traced_in_min": 15.0,
        }

    def _raise_slick(self, host: ScenarioHost, t: float) -> None:
        lon, lat = _point(SLICK_FOUND_KM)
        ev = host.raise_event(
            "oil_slick",
            THEME,
            "Oil slick on the Jialing, drifting towards the Liangtuo intake",
            1,
            _district(SLICK_FOUND_KM),
            lon,
            lat,
            attrs=self._slick_attrs(host, t),
            level="district",
        )
        self._slick_event = ev.id
        self._slick_km = SLICK_FOUND_KM
        host.later(SLICK_UNTIL_S - SLICK_AT_S - 60.0, ev.id, EventState.CLOSED)


def _ellipse(lon: float, lat: float, rx: float, ry: float, angle_deg: float, n: int = 20) -> Geometry:
    a = math.radians(angle_deg)
    ring = []
    for k in range(n + 1):
        u = 2 * math.pi * (k % n) / n
        x, y = rx * math.cos(u), ry * math.sin(u)
        ring.append([round(lon + x * math.cos(a) - y * math.sin(a), 6), round(lat + x * math.sin(a) + y * math.cos(a), 6)])
    return Geometry(type="Polygon", coordinates=[ring])
