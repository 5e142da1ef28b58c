"""Display names for codes that arrive on the wire, translated (context ``Names``).

Unknown codes fall back to what the backend sent, so a new event type still shows.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from cockpit.model import UnitRecord
from cockpit.protocol.session import Counters

_DISTRICTS: dict[str, object] = {
    "yuzhong": QT_TRANSLATE_NOOP("Names", "Yuzhong"),
    "jiangbei": QT_TRANSLATE_NOOP("Names", "Jiangbei"),
    "nanan": QT_TRANSLATE_NOOP("Names", "Nan'an"),
    "shapingba": QT_TRANSLATE_NOOP("Names", "Shapingba"),
}
_EVENT_TYPES: dict[str, object] = {
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
_SENSOR_KINDS: dict[str, object] = {
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
_LEVELS: dict[str, object] = {
    "street": QT_TRANSLATE_NOOP("Names", "street centre"),
    "district": QT_TRANSLATE_NOOP("Names", "district centre"),
    "city": QT_TRANSLATE_NOOP("Names", "city centre"),
}
LEVEL_UP = {"street": "district", "district": "city"}
LEVEL_DOWN = {"city": "district", "district": "street"}
_ROLES: dict[str, object] = {
    "viewer": QT_TRANSLATE_NOOP("Names", "viewer"),
    "operator": QT_TRANSLATE_NOOP("Names", "duty officer"),
    "supervisor": QT_TRANSLATE_NOOP("Names", "supervisor"),
    "trainer": QT_TRANSLATE_NOOP("Names", "trainer"),
}
_UNIT_KINDS: dict[str, object] = {
    "drainage_crew": QT_TRANSLATE_NOOP("Names", "Drainage crew"),
    "traffic_police": QT_TRANSLATE_NOOP("Names", "Traffic police"),
    "fire_engine": QT_TRANSLATE_NOOP("Names", "Fire engine"),
    "forest_crew": QT_TRANSLATE_NOOP("Names", "Forest fire crew"),
    "water_repair": QT_TRANSLATE_NOOP("Names", "Water repair crew"),
    "enforcement_team": QT_TRANSLATE_NOOP("Names", "Enforcement team"),
    "grid_worker": QT_TRANSLATE_NOOP("Names", "Grid worker"),
}


_OVERLAY_KINDS: dict[str, object] = {
    "fire_spread": QT_TRANSLATE_NOOP("Names", "Projected fire spread"),
    "inundation": QT_TRANSLATE_NOOP("Names", "Inundation area"),
    "road_closure": QT_TRANSLATE_NOOP("Names", "Road closed"),
    "affected_area": QT_TRANSLATE_NOOP("Names", "Affected area"),
    "signal_plan": QT_TRANSLATE_NOOP("Names", "Signal plan changed"),
}


def _t(table: dict[str, object], code: str, fallback: str) -> str:
    source = table.get(code)
    return QCoreApplication.translate("Names", str(source)) if source else fallback


def district_name(code: str) -> str:
    return _t(_DISTRICTS, code, code)


def event_type_name(code: str, fallback: str) -> str:
    return _t(_EVENT_TYPES, code, fallback or code)


def overlay_kind_name(code: str, fallback: str) -> str:
    return _t(_OVERLAY_KINDS, code, fallback or code)


def sensor_kind_name(code: str) -> str:
    return _t(_SENSOR_KINDS, code, code)


def level_name(level: str) -> str:
    return _t(_LEVELS, level, level)


def role_name(role: str) -> str:
    return _t(_ROLES, role, role)


def unit_label(unit: UnitRecord) -> str:
    number = unit.id.rsplit("-", 1)[-1]
    kind = _t(_UNIT_KINDS, unit.kind, unit.name)
    if unit.kind not in _UNIT_KINDS:
        return unit.name
    return QCoreApplication.translate("Names", "{kind} {number} ({district})").format(
        kind=kind, number=number, district=district_name(unit.district)
    )


def _si(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    return str(n)


def counters_text(c: Counters) -> str:
    return QCoreApplication.translate(
        "Names", "msgs {m} · malformed {bad} · gaps {gaps} · reconnects {rc}"
    ).format(m=_si(c.messages), bad=c.malformed + c.oversized + c.unknown, gaps=c.gaps, rc=c.reconnects)
