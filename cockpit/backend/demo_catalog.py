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
        "waste_truck": ("Waste truck shedding soil (reported)", "渣土车抛洒（群众举报）"),
        "traffic_accident": ("Traffic accident", "交通事故"),
        "illegal_parking": ("Illegal parking", "违法停车"),
        "congestion_index": ("Congestion index over limit", "拥堵指数超限"),
        "heat": ("High temperature", "高温"),
        "high_wind": ("High wind", "大风"),
        "fire_risk": ("Forest fire risk high", "森林火险等级高"),
        "road_closure": ("Road closed automatically", "道路已自动封闭"),
        "signal_plan_change": ("Signal plan changed", "信号配时已调整"),
        "waste_shedding": ("Truck shedding soil (camera)", "渣土车抛洒（视频抓拍）"),
        "disposal_half_full": ("Disposal site past 50 %", "消纳场容量过半"),
        "do_excursion": ("Dissolved oxygen out of range", "溶解氧不达标"),
        "oil_slick": ("Oil slick on the river", "河面油污"),
        "garbage_uncollected": ("Garbage not collected", "垃圾未清运"),
        "road_damage": ("Road surface damaged", "路面破损"),
        "street_light_out": ("Street lights out", "路灯不亮"),
        "fish_kill": ("Dead fish reported", "发现死鱼"),
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
        "site_load": ("Disposal site load", "消纳场容量"),
        "dissolved_oxygen": ("Dissolved oxygen", "溶解氧"),
        "outfall_cod": ("Outfall COD", "排口化学需氧量"),
        "loop_count": ("Requests", "件数"),
        "loop_median": ("Median time", "用时中位数"),
        "loop_late": ("Late", "超时"),
        "handling_rating": ("Handling rating", "处置评级"),
        "party_members_serving": ("Party members serving", "今日服务党员"),
        "volunteer_hours": ("Volunteer hours, month", "本月志愿时长"),
        "party_activities": ("Branch activities, week", "本周支部活动"),
        "grid_workers_on_duty": ("Grid workers on duty", "在岗网格员"),
        "market_entities": ("Registered businesses", "市场主体"),
        "retail_growth": ("Retail sales growth", "社零增速"),
        "office_vacancy": ("Office vacancy", "楼宇空置率"),
        "new_businesses": ("New businesses, month", "本月新增主体"),
        "hazards_open": ("Hazards not yet fixed", "未整改隐患"),
        "red_uninspected": ("Red, not yet inspected", "红色企业未检"),
        "disputes_mediated": ("Disputes mediated", "本月调解纠纷"),
        "petitions_open": ("Petitions open", "未办结信访"),
        "elderly_meals": ("Meals for the elderly", "今日老年助餐"),
        "service_centre_visits": ("Service centre visits", "今日便民办件"),
        "community_volunteer_hours": ("Volunteer hours", "志愿服务时长"),
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
        "environment_team": ("Environment enforcement team", "生态环境执法队"),
        "river_crew": ("River emergency crew", "河道应急队"),
    },
    CatalogKind.OVERLAY_KIND: {
        "fire_spread": ("Projected fire spread", "预测火势蔓延"),
        "inundation": ("Inundation area", "淹没范围"),
        "road_closure": ("Road closed", "道路封闭"),
        "affected_area": ("Affected area", "影响范围"),
        "signal_plan": ("Signal plan changed", "信号配时已调整"),
        "truck_route": ("Waste-truck route", "渣土车路线"),
        "construction_site": ("Construction site", "建筑工地"),
        "oil_slick": ("Oil slick", "油污带"),
        "enterprise_red": ("Red enterprises: inspected each quarter", "红色企业：每季度检查"),
        "enterprise_yellow": ("Yellow enterprises: inspected once a year", "黄色企业：每年检查一次"),
        "enterprise_green": ("Green enterprises: no routine inspection", "绿色企业：不作常规检查"),
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
        "waste": ("Construction waste", "渣土管理"),
        "water_quality": ("Water quality", "治水"),
        "party": ("Party building", "党建引领"),
        "economy": ("Economy", "经济发展"),
        "safety": ("Safety and law", "平安法治"),
    },
    CatalogKind.ATTRIBUTE: {
        "plate": ("Plate", "车牌"),
        "route": ("Route", "路线"),
        "source_site": ("Source", "来源工地"),
        "disposal_site": ("Disposal site", "消纳场"),
        "camera": ("Camera", "抓拍摄像机"),
        "overload_pct": ("Overloaded by (%)", "超载（%）"),
        "caught_at": ("Caught", "抓拍"),
        "sent_at": ("Sent to city management", "推送城管"),
        "site": ("Site", "消纳场"),
        "load_pct": ("Load (%)", "容量（%）"),
        "sources": ("Sources using it", "使用该场的工地"),
        "match_to": ("Match to", "拟匹配"),
        "section": ("Section", "断面"),
        "river_km": ("River km", "河道公里数"),
        "below_since_at": ("Under the limit since", "低于限值起"),
        "limit": ("Limit", "限值"),
        "suspect_1": ("Suspect 1", "疑似来源一"),
        "suspect_2": ("Suspect 2", "疑似来源二"),
        "target": ("Intake", "取水口"),
        "target_km": ("Intake at km", "取水口公里数"),
        "eta_at": ("Predicted arrival", "预计到达"),
        "found_at": ("Found", "发现"),
        "traced_to": ("Traced to", "溯源至"),
        "traced_in_min": ("Traced in (min)", "溯源用时（分钟）"),
        "channel": ("Channel", "来源渠道"),
        "deadline_at": ("Deadline", "办理时限"),
        "routed_at": ("Routed", "派单"),
        "routed_to": ("Routed to", "派至"),
        "handled_at": ("Handled", "办结"),
        "reported_at": ("Reported back", "反馈"),
        "citizen_told_at": ("Citizen told", "告知市民"),
        "photos": ("Photos", "照片"),
        "evaluated_at": ("Evaluated", "评价"),
        "evaluation": ("Evaluation", "评价结果"),
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
    "site_load": 1,
    "dissolved_oxygen": 1,
    "outfall_cod": 0,
    "loop_count": 0,
    "loop_median": 0,
    "loop_late": 0,
    "handling_rating": 0,
    "party_members_serving": 0,
    "volunteer_hours": 0,
    "party_activities": 0,
    "grid_workers_on_duty": 0,
    "market_entities": 0,
    "new_businesses": 0,
    "hazards_open": 0,
    "red_uninspected": 0,
    "disputes_mediated": 0,
    "petitions_open": 0,
    "elderly_meals": 0,
    "service_centre_visits": 0,
    "community_volunteer_hours": 0,
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
    "waste_sites": ("Disposal sites", "消纳场"),
    "river_watch": ("River sections", "河流断面"),
    "river_outfalls": ("Treatment-plant outfalls", "污水厂排口"),
    "river_focus": ("Sections out of range", "超标断面"),
    "citizen_loop": ("12345 closed loop", "12345闭环"),
    "citizen_ratings": ("Streets' handling ratings", "街道处置评级"),
    "street_party": ("Street: party building", "街道：党建引领"),
    "street_party_communities": ("Communities' volunteer hours", "社区志愿服务"),
    "street_economy": ("Street: economy", "街道：经济发展"),
    "street_services": ("Street: public services", "街道：民生服务"),
    "street_safety": ("Street: safety and law", "街道：平安法治"),
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
