"""Display names for the codes that arrive on the wire, in the operator's language.

Unknown codes fall back to what the backend sent (an event's own ``title``, a unit's ``name``), and
then to the code itself, so a new event type still shows.
"""

from __future__ import annotations

from cockpit.model import UnitRecord
from cockpit.present.i18n import QT_TRANSLATE_NOOP, Translate
from cockpit.protocol.messages import SensorInfo
from cockpit.protocol.session import Counters

_DISTRICTS: dict[str, str] = {
    "yuzhong": QT_TRANSLATE_NOOP("Names", "Yuzhong"),
    "jiangbei": QT_TRANSLATE_NOOP("Names", "Jiangbei"),
    "nanan": QT_TRANSLATE_NOOP("Names", "Nan'an"),
    "shapingba": QT_TRANSLATE_NOOP("Names", "Shapingba"),
}
_EVENT_TYPES: dict[str, str] = {
    "waterlogging": QT_TRANSLATE_NOOP("Names", "Waterlogging"),
    "rainstorm": QT_TRANSLATE_NOOP("Names", "Rainstorm"),
    "congestion": QT_TRANSLATE_NOOP("Names", "Traffic jam"),
    "pipe_burst": QT_TRANSLATE_NOOP("Names", "Water-main burst"),
    "fire": QT_TRANSLATE_NOOP("Names", "Fire alarm"),
    "noise_complaint": QT_TRANSLATE_NOOP("Names", "Noise complaint (12345)"),
    "railing_damaged": QT_TRANSLATE_NOOP("Names", "River railing damaged"),
    "waste_truck": QT_TRANSLATE_NOOP("Names", "Waste truck shedding soil"),
    "traffic_accident": QT_TRANSLATE_NOOP("Names", "Traffic accident"),
    "illegal_parking": QT_TRANSLATE_NOOP("Names", "Illegal parking"),
    "congestion_index": QT_TRANSLATE_NOOP("Names", "Congestion index over limit"),
    "heat": QT_TRANSLATE_NOOP("Names", "High temperature"),
    "high_wind": QT_TRANSLATE_NOOP("Names", "High wind"),
    "fire_risk": QT_TRANSLATE_NOOP("Names", "Forest fire risk high"),
    "road_closure": QT_TRANSLATE_NOOP("Names", "Road closed automatically"),
    "signal_plan_change": QT_TRANSLATE_NOOP("Names", "Signal plan changed"),
}
_SENSOR_KINDS: dict[str, str] = {
    "water_level": QT_TRANSLATE_NOOP("Names", "Water level"),
    "rain_gauge": QT_TRANSLATE_NOOP("Names", "Rainfall"),
    "road_speed": QT_TRANSLATE_NOOP("Names", "Road speed"),
    "pipe_pressure": QT_TRANSLATE_NOOP("Names", "Pipe pressure"),
    "fire_terminal": QT_TRANSLATE_NOOP("Names", "Fire terminal"),
    "congestion": QT_TRANSLATE_NOOP("Names", "Congestion index"),
    "air_temperature": QT_TRANSLATE_NOOP("Names", "Air temperature"),
    "wind_speed": QT_TRANSLATE_NOOP("Names", "Wind speed"),
    "fire_risk": QT_TRANSLATE_NOOP("Names", "Fire-risk level"),
    "repair_progress": QT_TRANSLATE_NOOP("Names", "Repair progress"),
    "rating": QT_TRANSLATE_NOOP("Names", "Handling rating"),
}
_LEVELS: dict[str, str] = {
    "street": QT_TRANSLATE_NOOP("Names", "street centre"),
    "district": QT_TRANSLATE_NOOP("Names", "district centre"),
    "city": QT_TRANSLATE_NOOP("Names", "city centre"),
}
_ROLES: dict[str, str] = {
    "viewer": QT_TRANSLATE_NOOP("Names", "viewer"),
    "operator": QT_TRANSLATE_NOOP("Names", "duty officer"),
    "supervisor": QT_TRANSLATE_NOOP("Names", "supervisor"),
    "trainer": QT_TRANSLATE_NOOP("Names", "trainer"),
}
_UNIT_KINDS: dict[str, str] = {
    "drainage_crew": QT_TRANSLATE_NOOP("Names", "Drainage crew"),
    "traffic_police": QT_TRANSLATE_NOOP("Names", "Traffic police"),
    "fire_engine": QT_TRANSLATE_NOOP("Names", "Fire engine"),
    "forest_crew": QT_TRANSLATE_NOOP("Names", "Forest fire crew"),
    "water_repair": QT_TRANSLATE_NOOP("Names", "Water repair crew"),
    "enforcement_team": QT_TRANSLATE_NOOP("Names", "Enforcement team"),
    "grid_worker": QT_TRANSLATE_NOOP("Names", "Grid worker"),
}
_OVERLAY_KINDS: dict[str, str] = {
    "fire_spread": QT_TRANSLATE_NOOP("Names", "Projected fire spread"),
    "inundation": QT_TRANSLATE_NOOP("Names", "Inundation area"),
    "road_closure": QT_TRANSLATE_NOOP("Names", "Road closed"),
    "affected_area": QT_TRANSLATE_NOOP("Names", "Affected area"),
    "signal_plan": QT_TRANSLATE_NOOP("Names", "Signal plan changed"),
}


def _si(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    return str(n)


class Names:
    """Codes in words for one wall (its language is the translator's).

    Args:
        translate: The translator (:mod:`cockpit.present.i18n`).
    """

    def __init__(self, translate: Translate) -> None:
        self.translate = translate

    def _t(self, table: dict[str, str], code: str, fallback: str) -> str:
        source = table.get(code)
        return self.translate("Names", source) if source else fallback

    def district(self, code: str) -> str:
        return self._t(_DISTRICTS, code, code)

    def event_type(self, code: str, title: str = "") -> str:
        """An event type's name; the event's own title where the type has none here."""
        return self._t(_EVENT_TYPES, code, title or code)

    def overlay_kind(self, code: str, label: str = "") -> str:
        return self._t(_OVERLAY_KINDS, code, label or code)

    def sensor_kind(self, code: str) -> str:
        return self._t(_SENSOR_KINDS, code, code)

    def sensor(self, info: SensorInfo, with_kind: bool = True, with_place: bool = True) -> str:
        """ "Rainfall · Jiangbei 3": kind, district and the sensor's number where there are several.

        Without the kind ("Jiangbei 3") where the panel's title already names it, or without the
        place where it names that: on a wall every character counts.
        """
        number = info.name.rsplit("-", 1)[-1].lstrip("0")
        suffix = f" {number}" if number.isdigit() and number != "1" else ""
        where = f"{self.district(info.district)}{suffix}"
        if not with_place:
            return self.sensor_kind(info.kind)
        return f"{self.sensor_kind(info.kind)} · {where}" if with_kind else where

    def level(self, level: str) -> str:
        return self._t(_LEVELS, level, level)

    def role(self, role: str) -> str:
        return self._t(_ROLES, role, role)

    def unit(self, unit: UnitRecord) -> str:
        """ "Fire engine 3 (Shapingba)" for a unit kind known here; else the backend's name for it."""
        if unit.kind not in _UNIT_KINDS:
            return unit.name or unit.id
        number = unit.id.rsplit("-", 1)[-1]
        return self.translate("Names", "{kind} {number} ({district})").format(
            kind=self._t(_UNIT_KINDS, unit.kind, unit.name), number=number, district=self.district(unit.district)
        )

    def counters(self, c: Counters) -> str:
        return self.translate("Names", "msgs {m} · malformed {bad} · gaps {gaps} · reconnects {rc}").format(
            m=_si(c.messages), bad=c.malformed + c.oversized + c.unknown, gaps=c.gaps, rc=c.reconnects
        )
