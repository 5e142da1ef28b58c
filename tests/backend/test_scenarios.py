"""The demo city's later scenarios (docs/demo.md) happen on the scenario clock as the runways need:
construction waste, water quality, 12345 requests and a street's boards."""

from __future__ import annotations

import numpy as np

from cockpit.backend.city import City
from cockpit.backend.scenarios import all_scenarios
from cockpit.backend.scenarios.waste import CAMERA_ID
from cockpit.backend.streams import Hub
from cockpit.protocol.messages import EventState, SensorBatch, SensorSeries, Stream

ORIGIN = 1_800_000_000_000


def city(seed: int = 1) -> City:
    c = City(Hub(), seed=seed, rate=300, sensors_per_kind=3, event_rate=0)
    c.time_origin_ms = ORIGIN
    return c


def events(c: City, etype: str) -> list:  # type: ignore[type-arg]
    return [e for e in c.state.events.values() if e.type == etype]


def value(c: City, name: str) -> float:
    row = next(i for i, s in enumerate(c.sensors) if s.name == name)
    return float(c.values[row])


def test_the_later_scenarios_sensors_follow_the_citys_own_with_names_groups_and_places() -> None:
    c = city()
    own = [s for s in c.sensors[: c._n_city]]
    assert all(s.kind in {"water_level", "rain_gauge", "road_speed", "pipe_pressure", "fire_terminal", "congestion",
                          "air_temperature", "wind_speed", "fire_risk", "repair_progress", "rating"} for s in own)  # fmt: skip
    later = c.sensors[c._n_city :]
    assert len(later) == sum(len(sc.specs) for sc in all_scenarios(1))
    assert [s.id for s in c.sensors] == list(range(1, len(c.sensors) + 1))
    sites = [s for s in later if s.kind == "site_load"]
    assert len(sites) == 4 and all(s.names["zh_CN"].endswith("消纳场") and s.warn == 50.0 for s in sites)
    sections = [s for s in later if s.kind == "dissolved_oxygen"]
    assert [s.attrs["river_km"] for s in sections] == sorted(s.attrs["river_km"] for s in sections)
    assert sum("intake" in s.tags for s in sections) == 1
    assert {s.attrs["step"] for s in later if s.kind == "loop_count"} == {"found", "routed", "handled", "reported", "evaluated"}


def test_the_camera_catches_the_truck_and_a_disposal_site_passes_50_percent() -> None:
    c = city()
    c.add_cameras("rtsp://127.0.0.1:1")
    c.advance(99)
    assert not events(c, "waste_shedding")
    c.advance(2)
    (alert,) = events(c, "waste_shedding")
    assert alert.attrs["plate"] == "渝A·5K327" and alert.attrs["route.zh_CN"] == "观音桥 → 铁山坪"
    assert alert.attrs["source_site"] == "Guanyinqiao metro site"
    assert alert.attrs["sent_at"] - alert.attrs["caught_at"] == 40_000  # city management has it in under a minute
    assert alert.cameras == [CAMERA_ID] and alert.level == "district"
    assert alert.recommended and alert.recommended[0].startswith("jiangbei-enforcement_team")
    assert alert.plans == ["waste_truck_shedding"]
    assert value(c, "jiangbei-site_load-002") < 50.0
    c.advance(150)
    assert value(c, "jiangbei-site_load-002") >= 50.0
    (half,) = events(c, "disposal_half_full")
    assert half.plans == ["disposal_site_match"] and "Nanshan" in half.attrs["match_to"]
    routes = {o.label for o in c.state.overlays.values() if o.kind == "truck_route"}
    assert "渝A·5K327" in routes


def test_oxygen_is_out_of_range_for_three_days_with_two_suspects_and_the_slick_counts_down() -> None:
    c = city()
    c.advance(130)
    (excursion,) = events(c, "do_excursion")
    assert excursion.state == EventState.DISPATCHED  # acknowledged, its plan running: worked on
    assert {p.plan_type for p in c.state.plans.values()} == {"dissolved_oxygen"}
    assert "Shuangbei WWTP" in excursion.attrs["suspect_1"] and "Jingkou WWTP" in excursion.attrs["suspect_2"]
    history = c.state.series[next(s.id for s in c.sensors if s.name == "shapingba-dissolved_oxygen-003")]
    values = np.frombuffer(history.values, dtype="<f4")
    assert len(values) == 168 and history.step_ms == 3_600_000
    assert (values[-77:] < 5.0).all() and np.nanmean(values[:80]) > 6.0  # three days and five hours under 5 mg/L
    (slick,) = events(c, "oil_slick")
    eta_h = (slick.attrs["eta_at"] - slick.attrs["found_at"]) / 3_600_000
    assert eta_h == 6.0 and slick.attrs["target_km"] == 19.5 and slick.plans == ["oil_slick_intake"]
    km0 = slick.attrs["river_km"]
    c.advance(300)
    assert c.state.events[slick.id].attrs["river_km"] > km0  # it drifts downstream
    assert "oil-slick" in c.state.overlays and c.state.overlays["oil-slick"].labels["zh_CN"].startswith("油膜")
    published = [e.message for e in c.hub.logs[Stream.SERIES].since(0)]
    assert published and all(isinstance(m, SensorSeries) for m in published)


def test_a_12345_request_is_found_routed_handled_reported_back_evaluated_and_closed() -> None:
    c = city()
    c.advance(300)
    closed = [e for e in c.state.events.values() if e.theme == "citizen" and "evaluated_at" in e.attrs]
    assert closed, "a request went round the whole loop in five minutes"
    ev = closed[0]
    times = [ev.attrs[f"{step}_at"] for step in ("found", "routed", "handled", "reported", "evaluated")]
    assert times == sorted(times) and ev.state == EventState.CLOSED
    assert ev.attrs["photos"] == 3.0 and ev.attrs["citizen_told_at"] == ev.attrs["reported_at"]
    assert ev.attrs["routed_to"] and ev.attrs["evaluation"] in {"satisfied", "basically satisfied", "dissatisfied"}
    featured = [e for e in c.state.events.values() if e.type == "noise_complaint" and e.district == "yuzhong" and e.severity == 3]
    assert featured, "the story's noise complaint in Yuzhong"
    batches = [e.message for e in c.hub.logs[Stream.SENSORS].since(0) if isinstance(e.message, SensorBatch)]
    loop_ids = {s.id for s in c.sensors if s.kind == "loop_count"}
    sent = {int(i) for m in batches for i in np.frombuffer(m.ids, dtype="<u4")}
    assert loop_ids <= sent


def test_the_streets_enterprises_are_drawn_in_three_classes_with_their_rules() -> None:
    c = city()
    c.advance(5)
    classes = {o.kind: o for o in c.state.overlays.values() if o.kind.startswith("enterprise_")}
    assert set(classes) == {"enterprise_red", "enterprise_yellow", "enterprise_green"}
    assert [len(classes[k].geometry.coordinates) for k in ("enterprise_red", "enterprise_yellow", "enterprise_green")] == [8, 19, 33]
    assert "each quarter" in classes["enterprise_red"].label and "每季度" in classes["enterprise_red"].labels["zh_CN"]
    boards = {g for s in c.sensors for g in s.groups if g.startswith("street_")}
    assert boards == {"street_party", "street_party_communities", "street_economy", "street_services", "street_safety"}


def test_the_same_seed_makes_the_same_later_scenarios() -> None:
    a, b = city(3), city(3)
    a.advance(400)
    b.advance(400)
    assert {k: (e.type, e.state, sorted(e.attrs)) for k, e in a.state.events.items()} == {
        k: (e.type, e.state, sorted(e.attrs)) for k, e in b.state.events.items()
    }
