"""The demo city's names for its codes, in English and Chinese: what it sends on the ``catalog``
stream (protocol §5.8) like any district.

:data:`VOCABULARY` (event types, kinds of sensor, unit and overlay, levels, themes) is also the
cockpit's fallback for a backend that sends no catalog at all (cockpit/present/names.py): common
words, never place names. The demo's places (districts and centres) are sent by the demo alone.
"""

from __future__ import annotations

from typing import Final

from cockpit.protocol.messages import CatalogEntry, CatalogKind

Names = tuple[str, str]
"""(English, Chinese)."""

VOCABULARY: Final[dict[CatalogKind, dict[str, Names]]] = {
    CatalogKind.EVENT_TYPE: {
        "waterlogging": ("Waterlogging", "内涝积水"),
        "rainstorm": ("Rainstorm", "暴雨"),
        "congestion": ("Traffic jam", "交通拥堵"),
        "pipe_burst": ("Water-main burst", "供水爆管"),
        "fire": ("Fire alarm", "火警"),
        "noise_complaint": ("Noise complaint (12345)", "噪声投诉（12345）"),
        "railing_damaged": ("River railing damaged", "河道护栏损坏"),
        "waste_truck": ("Waste truck shedding soil", "渣土车抛洒"),
        "traffic_accident": ("Traffic accident", "交通事故"),
        "illegal_parking": ("Illegal parking", "违法停车"),
        "congestion_index": ("Congestion index over limit", "拥堵指数超限"),
        "heat": ("High temperature", "高温"),
        "high_wind": ("High wind", "大风"),
        "fire_risk": ("Forest fire risk high", "森林火险等级高"),
        "road_closure": ("Road closed automatically", "道路已自动封闭"),
        "signal_plan_change": ("Signal plan changed", "信号配时已调整"),
    },
    CatalogKind.SENSOR_KIND: {
        "water_level": ("Water level", "水位"),
        "rain_gauge": ("Rainfall", "雨量"),
        "road_speed": ("Road speed", "道路车速"),
        "pipe_pressure": ("Pipe pressure", "管网压力"),
        "fire_terminal": ("Fire terminal", "消防终端"),
        "congestion": ("Congestion index", "拥堵指数"),
        "air_temperature": ("Air temperature", "气温"),
        "wind_speed": ("Wind speed", "风速"),
        "fire_risk": ("Fire-risk level", "火险等级"),
        "repair_progress": ("Repair progress", "抢修进度"),
        "rating": ("Handling rating", "处置评级"),
    },
    CatalogKind.UNIT_KIND: {
        "drainage_crew": ("Drainage crew", "排水抢险队"),
        "traffic_police": ("Traffic police", "交警"),
        "fire_engine": ("Fire engine", "消防车"),
        "forest_crew": ("Forest fire crew", "森林消防队"),
        "water_repair": ("Water repair crew", "供水抢修队"),
        "enforcement_team": ("Enforcement team", "执法队"),
        "grid_worker": ("Grid worker", "网格员"),
        "power_crew": ("Power repair crew", "电力抢修队"),
        "telecom_crew": ("Telecom repair crew", "通信抢修队"),
        "ambulance": ("Ambulance", "救护车"),
    },
    CatalogKind.OVERLAY_KIND: {
        "fire_spread": ("Projected fire spread", "预测火势蔓延"),
        "inundation": ("Inundation area", "淹没范围"),
        "road_closure": ("Road closed", "道路封闭"),
        "affected_area": ("Affected area", "影响范围"),
        "signal_plan": ("Signal plan changed", "信号配时已调整"),
    },
    CatalogKind.LEVEL: {
        "street": ("street centre", "街道中心"),
        "district": ("district centre", "区级中心"),
        "city": ("city centre", "市级中心"),
    },
    CatalogKind.THEME: {
        "flood": ("Flood and waterlogging", "防汛内涝"),
        "fire": ("Forest fire", "森林防灭火"),
        "traffic": ("Traffic", "交通"),
        "water": ("Water supply", "供水"),
        "citizen": ("Citizen requests", "民呼我为"),
    },
}
"""Common words for common codes, in both languages."""

DECIMALS: Final[dict[str, int]] = {
    "pipe_pressure": 2,
    "water_level": 2,
    "congestion": 2,
    "repair_progress": 0,
    "rating": 0,
    "fire_risk": 1,
}
"""Digits after the point per sensor kind: enough to see a burst at 0.4 MPa move."""

DISTRICTS: Final[dict[str, Names]] = {
    "yuzhong": ("Yuzhong", "渝中"),
    "jiangbei": ("Jiangbei", "江北"),
    "nanan": ("Nan'an", "南岸"),
    "shapingba": ("Shapingba", "沙坪坝"),
}
"""The demo's four districts."""

GROUPS: Final[dict[str, Names]] = {
    "vital_signs": ("Vital signs", "生命体征"),
    "flood_watch": ("Flood watch", "汛情监测"),
    "forest_park": ("Forest park", "森林公园"),
    "key_roads": ("Key roads", "重点道路"),
    "water_watch": ("Water-main watch", "管网监测"),
}
"""The sensor groups the demo puts its scenario sensors in (protocol §5.2)."""

LAYERS: Final[dict[str, Names]] = {
    "risk_points": ("Risk points", "风险点"),
}


def _entry(
    kind: CatalogKind, code: str, names: Names, level: str = "", district: str = "", parent: str = ""
) -> CatalogEntry:
    return CatalogEntry(
        kind=kind.value,
        code=code,
        names={"en": names[0], "zh_CN": names[1]},
        level=level,
        district=district,
        parent=parent,
        decimals=DECIMALS.get(code) if kind is CatalogKind.SENSOR_KIND else None,
    )


def unit_names(kind: str, number: int, district: str) -> dict[str, str]:
    """A demo unit's own name in both languages: "Fire engine 1 (Shapingba)", "沙坪坝消防车 1"."""
    en, zh = VOCABULARY[CatalogKind.UNIT_KIND].get(kind, (kind, kind))
    place_en, place_zh = DISTRICTS.get(district, (district, district))
    return {"en": f"{en} {number} ({place_en})", "zh_CN": f"{place_zh}{zh} {number}"}


def demo_catalog() -> list[CatalogEntry]:
    """Every name the demo city sends on its ``catalog`` stream."""
    out = [_entry(kind, code, names) for kind, table in VOCABULARY.items() for code, names in table.items()]
    out += [_entry(CatalogKind.DISTRICT, code, names) for code, names in DISTRICTS.items()]
    out += [_entry(CatalogKind.GROUP, code, names) for code, names in GROUPS.items()]
    out += [_entry(CatalogKind.LAYER, code, names) for code, names in LAYERS.items()]
    out.append(_entry(CatalogKind.CENTRE, "city", ("City operations centre", "市城市运行管理中心"), level="city"))
    for code, (en, zh) in DISTRICTS.items():
        out.append(
            _entry(
                CatalogKind.CENTRE,
                code,
                (f"{en} district centre", f"{zh}区城市运行管理中心"),
                level="district",
                district=code,
                parent="city",
            )
        )
    return out
