"""The view-models of issue 18's panel kinds, in plain Python: a real Situation fed with protocol
messages, frames as the wall presenter makes them, states checked as plain values."""

from __future__ import annotations

import dataclasses
import struct

import msgspec
import numpy as np

from cockpit.model.plans import load_builtin_plans
from cockpit.model.thresholds import Limits
from cockpit.present.panels.bars import BarsModel
from cockpit.present.panels.card import CardModel
from cockpit.present.panels.history import HistoryModel, excursions
from cockpit.present.panels.loop import LoopModel
from cockpit.present.panels.map import MapModel
from cockpit.present.panels.profile import ProfileModel
from cockpit.present.panels.ranking import RankingModel
from cockpit.present.panels.runway_plan import RunwayPlanModel
from cockpit.present.panels.timeline import TimelineModel
from cockpit.present.runway_spec import Panel, PanelKind, Selector
from cockpit.protocol.messages import Event, Plan, PlanTask, SensorInfo, SensorSeries
from tests.present.support import NOW, Feed, context
from widgets.values import TileLevel

HOUR = 3_600_000


def info(id: int, name: str, kind: str, **kw: object) -> SensorInfo:
    base: dict[str, object] = dict(id=id, name=name, kind=kind, unit="", district="jiangbei", lon=106.6, lat=29.6)
    base.update(kw)
    return SensorInfo(**base)  # type: ignore[arg-type]


def panel(kind: PanelKind, **kw: object) -> Panel:
    return Panel(kind=kind, at=(0, 0, 6, 4), title={"en": "T", "zh_CN": "T"}, **kw)  # type: ignore[arg-type]


def event(feed: Feed, id: str, type: str, theme: str, attrs: dict[str, str | float], **kw: object) -> Event:
    ev = feed.event(id, type=type, theme=theme, **kw)  # type: ignore[arg-type]
    return msgspec.structs.replace(ev, attrs=attrs)


# ------------------------------------------------------------------------------------------ bars


def test_bars_show_each_site_against_the_50_percent_line_with_its_state_in_words() -> None:
    feed = Feed()
    ctx = context(situation=feed.situation)
    sites = [
        info(1, "jiangbei-site_load-001", "site_load", unit="%", warn=50.0, alarm=85.0, groups=["waste_sites"],
             names={"en": "Tieshanping disposal site", "zh_CN": "铁山坪消纳场"}),
        info(2, "nanan-site_load-002", "site_load", unit="%", warn=50.0, alarm=85.0, groups=["waste_sites"]),
    ]  # fmt: skip
    feed.apply(feed.catalog(*sites), feed.batch({1: 56.0, 2: 24.0}))
    model = BarsModel(panel(PanelKind.BARS, sensors=Selector(groups=["waste_sites"])), ctx)
    state = model.update(feed.situation, feed.frame())
    assert state is not None
    assert state.scale == (0.0, 100.0)
    assert [m.label for m in state.marks] == ["warning 50 %", "alarm 85 %"]
    first, second = state.bars
    assert first.label == "Tieshanping disposal site"  # the backend's own name for the site
    assert (first.text, first.level, first.note) == ("56.0 %", TileLevel.WARNING, "over 50 %")
    assert second.label == "Jiangbei 2" and second.level is TileLevel.NORMAL and second.note == ""
    stale = model.update(feed.situation, feed.frame(live=False))
    assert stale is not None and all(b.level is TileLevel.STALE for b in stale.bars)


# ------------------------------------------------------------------------------------------ card


def test_the_card_shows_the_runways_event_with_its_facts_in_the_walls_language() -> None:
    feed = Feed()
    attrs: dict[str, str | float] = {
        "plate": "渝A·5K327",
        "route": "Guanyinqiao → Tieshanping",
        "route.zh_CN": "观音桥 → 铁山坪",
        "caught_at": float(NOW - 60_000),
        "overload_pct": 35.0,
    }
    feed.apply(event(feed, "E1", "waste_shedding", "waste", attrs, severity=2))
    feed.apply(feed.event("E2", type="waterlogging", theme="flood", severity=1))  # another runway's
    spec = panel(PanelKind.CARD, fields=["plate", "route", "caught_at", "overload_pct", "camera"], key_fields=["plate"])
    for lang, route in (("en", "Guanyinqiao → Tieshanping"), ("zh_CN", "观音桥 → 铁山坪")):
        ctx = context()
        ctx = dataclasses.replace(ctx, lang=lang) if lang != "en" else ctx
        model = CardModel(spec, ctx, theme="waste")
        state = model.update(feed.situation, feed.frame())
        assert state is not None and state.card is not None
        assert state.card.event_id == "E1"
        facts = {f.label: f.value for f in state.card.fields}
        assert facts[ctx.names.attribute("route")] == route
        assert state.card.fields[0].emphasis and not state.card.fields[1].emphasis
        assert len(facts) == 4  # no camera fact on this event: nothing made up
    ctx = context()
    model = CardModel(spec, ctx, theme="waste")
    card = model.update(feed.situation, feed.frame())
    assert card is not None and card.card is not None
    facts = {f.label: f.value for f in card.card.fields}
    assert facts["Plate"] == "渝A·5K327" and facts["Overloaded by (%)"] == "35 %"
    assert facts["Caught"].count(":") == 2  # a time of day
    model.choose()
    assert ctx.selection.chosen == "E1"


def test_the_card_says_there_is_nothing_when_its_runway_has_no_open_event() -> None:
    feed, ctx = Feed(), context()
    feed.apply(feed.event("E2", type="waterlogging", theme="flood"))
    state = CardModel(panel(PanelKind.CARD), ctx, theme="waste").update(feed.situation, feed.frame())
    assert state is not None and state.card is None and state.placeholder == "No open event"


# ------------------------------------------------------------------------------------------ profile


def river(feed: Feed) -> None:
    stations = [
        info(10 + i, f"shapingba-dissolved_oxygen-00{i + 1}", "dissolved_oxygen", unit="mg/L", low_warn=5.0, low_alarm=3.0,
             groups=["river_watch"], tags=["intake"] if km == 19.5 else [], attrs={"river_km": km}, names={"en": name})
        for i, (km, name) in enumerate(((9.0, "Ciqikou"), (1.0, "Jingkou"), (19.5, "Liangtuo intake")))
    ]  # fmt: skip
    stations.append(info(20, "x-dissolved_oxygen-009", "dissolved_oxygen", groups=["river_watch"]))  # no place on the river
    feed.apply(feed.catalog(*stations), feed.batch({10: 4.3, 11: 7.4, 12: 7.0, 20: 6.0}))


def test_the_profile_orders_stations_by_their_place_and_counts_down_to_the_intake() -> None:
    feed, ctx = Feed(), context()
    river(feed)
    eta = NOW + 1000 + (5 * 60 + 42) * 60_000
    slick = {"river_km": 9.6, "target": "Liangtuo intake", "target_km": 19.5, "eta_at": float(eta)}
    feed.apply(event(feed, "S1", "oil_slick", "water_quality", slick, severity=1))
    spec = panel(PanelKind.PROFILE, sensors=Selector(groups=["river_watch"]), events=Selector(types=["oil_slick"]))
    state = ProfileModel(spec, ctx, "water_quality").update(feed.situation, feed.frame())
    assert state is not None
    assert [(s.km, s.label) for s in state.stations] == [(1.0, "Jingkou"), (9.0, "Ciqikou"), (19.5, "Liangtuo intake")]
    assert [s.intake for s in state.stations] == [False, False, True]
    assert state.stations[1].level is TileLevel.WARNING and state.stations[1].text == "4.3"
    assert [m.label for m in state.marks] == ["low warning 5 mg/L", "low alarm 3 mg/L"]
    (drift,) = state.drifts
    assert (drift.km, drift.target_km, drift.countdown) == (9.6, 19.5, "5 h 42 min")
    assert "reaches Liangtuo intake at" in drift.caption
    assert state.span == (1.0, 19.5)
    late = ProfileModel(spec, ctx, "water_quality").update(feed.situation, feed.frame(now=eta + 60_000))
    assert late is not None and late.drifts[0].countdown.startswith("due since")


def test_the_profile_waits_for_data_before_it_blames_the_stations() -> None:
    # Before the catalog comes there is no station at all: "no station carries river_km" would
    # blame the backend's data (seen on a packaged wall in its first seconds).
    feed, ctx = Feed(), context()
    spec = panel(PanelKind.PROFILE, sensors=Selector(groups=["river_watch"]))
    model = ProfileModel(spec, ctx, "water_quality")
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.empty == "No data yet"
    feed.apply(feed.catalog(info(20, "x-dissolved_oxygen-009", "dissolved_oxygen", groups=["river_watch"])))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.empty == "No station with a place on the river (river_km)"


# ------------------------------------------------------------------------------------------ history


def test_history_marks_three_days_under_the_limit_and_ends_at_the_live_value() -> None:
    feed, ctx = Feed(), context()
    river(feed)
    start = NOW - 167 * HOUR
    values = [6.8 if h < 167 - 77 else 4.4 for h in range(168)]
    values[10:13] = [float("nan")] * 3
    series = SensorSeries(stream="series", seq=1, prev=0, ts=NOW, sensor=10, start=start, step_ms=HOUR,
                          values=struct.pack(f"<{len(values)}f", *values))  # fmt: skip
    feed.apply(series)
    spec = panel(PanelKind.HISTORY, sensors=Selector(names=["shapingba-dissolved_oxygen-001"]), days=7)
    state = HistoryModel(spec, ctx).update(feed.situation, feed.frame(now=NOW))
    assert state is not None and state.empty == ""
    (curve,) = state.curves
    assert curve.hours[0] == -167.0 and curve.hours[-1] == 0.0 and curve.values[-1] == np.float32(4.3)
    (span,) = state.spans
    assert span.label == "3 d 5 h under 5 mg/L" and not span.alarm
    assert state.now_text == "4.3 mg/L"
    assert len(state.ticks) >= 7
    no = HistoryModel(panel(PanelKind.HISTORY, sensors=Selector(names=["shapingba-dissolved_oxygen-002"])), ctx)
    empty = no.update(feed.situation, feed.frame(now=NOW))
    assert empty is not None and empty.curves == () and empty.empty == "No history from the backend"


def test_a_short_dip_is_not_an_excursion_and_a_gap_does_not_end_one() -> None:
    limits = Limits(low_warn=5.0, low_alarm=3.0)
    hours = np.arange(-10.0, 1.0)
    dip = np.array([6, 6, 4.5, 6, 6, 6, 6, 6, 6, 6, 6], dtype=float)
    assert excursions(hours, dip, limits) == []
    long = np.array([6, 4, 4, np.nan, 2.5, 4, 4, 6, 6, 6, 6], dtype=float)
    assert excursions(hours, long, limits) == [(-9.0, -3.0, True, True)]


# ------------------------------------------------------------------------------------------ plan


def test_the_plan_panel_previews_the_recommended_plan_then_follows_the_running_one() -> None:
    feed, ctx = Feed(), context()
    ev = msgspec.structs.replace(feed.event("S1", type="oil_slick", theme="water_quality"), plans=["oil_slick_intake"])
    feed.apply(ev)
    model = RunwayPlanModel(panel(PanelKind.PLAN), ctx, load_builtin_plans(), "water_quality")
    state = model.update(feed.situation, feed.frame())
    assert state is not None and not state.running
    assert state.title == "Oil slick: close the intake, switch source"
    assert state.status == "recommended · not activated"
    assert state.tasks[0].title == "Close the intake before the slick arrives" and state.tasks[0].due == "within 3 h"
    plan = Plan(stream="dispatch", seq=1, prev=0, ts=NOW, id="P1", plan_type="oil_slick_intake", event_id="S1",
                title="x", state="active", activated_by="li", activated_at=NOW,
                tasks=[PlanTask(id="close_intake", title="Close", owner="water_company", state="done", deadline=NOW + HOUR, done_at=NOW),
                       PlanTask(id="switch_source", title="Switch", owner="water_company", state="pending", deadline=NOW + 2 * HOUR)])  # fmt: skip
    feed.apply(plan)
    running = model.update(feed.situation, feed.frame())
    assert running is not None and running.running
    assert running.status == "active · 1 of 2 tasks done"
    assert [t.title for t in running.tasks] == ["Close the intake before the slick arrives", "Switch the waterworks to its other source"]


# ------------------------------------------------------------------------------------------ loop


def loop_sensors(feed: Feed) -> None:
    infos, values, sid = [], {}, 100
    for district, scale in (("yuzhong", 1.0), ("jiangbei", 2.0)):
        for step in ("found", "routed", "handled", "reported", "evaluated"):
            for period in ("shift", "day"):
                for kind, value, limits in (
                    ("loop_count", 10.0 * scale, {}),
                    ("loop_median", 6.0 * scale, {"warn": 10.0, "alarm": 15.0}),
                    ("loop_late", 1.0 if step == "handled" else 0.0, {"warn": 1.0, "alarm": 5.0}),
                ):
                    sid += 1
                    infos.append(info(sid, f"{district}-{kind}-{sid:03d}", kind, district=district, groups=["citizen_loop"],
                                      attrs={"step": step, "period": period}, **limits))  # fmt: skip
                    values[sid] = value
    feed.apply(feed.catalog(*infos), feed.batch(values))


def test_the_loop_adds_up_areas_takes_the_median_of_their_medians_and_counts_the_late() -> None:
    feed, ctx = Feed(), context()
    loop_sensors(feed)
    state = LoopModel(panel(PanelKind.LOOP, sensors=Selector(groups=["citizen_loop"])), ctx).update(feed.situation, feed.frame())
    assert state is not None and state.periods == ("This shift", "Today")
    assert [s.name for s in state.steps] == ["Found", "Routed", "Handled", "Reported back", "Evaluated"]
    handled = state.steps[2].cells[1]
    assert handled.count == "30" and handled.median == "9 min" and handled.late == 2
    assert handled.median_level is TileLevel.WARNING  # jiangbei's 12 min is over its target
    assert handled.late_level is TileLevel.WARNING
    assert state.late_total == "2 late today"


# ------------------------------------------------------------------------------------------ ranking


def test_the_ranking_lists_the_worst_first_with_each_areas_place_in_the_league() -> None:
    feed, ctx = Feed(), context()
    streets = [(1, "Jiefangbei street", 1.0), (2, "Tianxingqiao street", 5.0), (3, "Tongyuanju street", 4.0), (4, "Ciqikou street", 1.0)]
    infos = [info(200 + i, f"yuzhong-handling_rating-00{i}", "handling_rating", groups=["citizen_ratings"], names={"en": n})
             for i, n, _ in streets]  # fmt: skip
    infos.append(info(299, "yuzhong-handling_rating-009", "handling_rating", groups=["citizen_ratings"], names={"en": "Renhe street"}))
    feed.apply(feed.catalog(*infos), feed.batch({200 + i: v for i, _, v in streets}))
    state = RankingModel(panel(PanelKind.RANKING, sensors=Selector(groups=["citizen_ratings"])), ctx).update(
        feed.situation, feed.frame()
    )
    assert state is not None
    assert [(r.rank, r.label, r.rating_text) for r in state.rows] == [
        (4, "Tianxingqiao street", "5 · Red"),
        (3, "Tongyuanju street", "4 · Orange"),
        (1, "Ciqikou street", "1 · Green"),
        (2, "Jiefangbei street", "1 · Green"),
        (5, "Renhe street", "no data"),
    ]


# ------------------------------------------------------------------------------------------ timeline


def test_the_timeline_shows_a_closed_loop_from_report_to_closure_against_its_deadline() -> None:
    feed, ctx = Feed(), context()
    t0 = NOW - 3 * HOUR
    closed = {
        "found_at": float(t0), "deadline_at": float(t0 + 2 * HOUR), "routed_at": float(t0 + 120_000),
        "routed_to": "Enforcement team 2 (Yuzhong)", "handled_at": float(t0 + 2 * HOUR + 31 * 60_000),
        "reported_at": float(t0 + 2 * HOUR + 45 * 60_000), "citizen_told_at": float(t0 + 2 * HOUR + 45 * 60_000),
        "photos": 3.0, "evaluated_at": float(t0 + 2 * HOUR + 50 * 60_000), "evaluation": "satisfied",
        "channel": "12345 hotline",
    }  # fmt: skip
    feed.apply(event(feed, "R1", "noise_complaint", "citizen", closed, state="closed", severity=3))
    feed.apply(event(feed, "R2", "road_damage", "citizen", {"found_at": float(NOW)}, severity=4))
    model = TimelineModel(panel(PanelKind.TIMELINE), ctx, "citizen")
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.event_id == "R1"  # nobody chose: the newest closed loop
    assert [s.reached for s in state.steps] == [True] * 5
    assert state.steps[1].detail == "Enforcement team 2 (Yuzhong)"
    assert state.steps[2].late and not state.steps[1].late
    assert state.steps[3].detail.startswith("3 photos · citizen told")
    assert state.steps[4].detail == "satisfied"
    assert state.deadline.endswith("handled 31 min late")
    ctx.selection.choose("R2")
    chosen = model.update(feed.situation, feed.frame())
    assert chosen is not None and chosen.event_id == "R2"
    assert [s.reached for s in chosen.steps] == [True, False, False, False, False]


# ------------------------------------------------------------------------------------------ map


def test_a_map_names_every_markers_kind_when_asked_and_overlays_speak_the_walls_language() -> None:
    feed = Feed()
    feed.apply(feed.event("R1", type="noise_complaint", theme="citizen", severity=4))
    o = msgspec.structs.replace(feed.overlay("ent-red", "enterprise_red", label="Red (8)"), labels={"en": "Red (8)", "zh_CN": "红色（8家）"})
    feed.apply(o)
    spec = panel(PanelKind.MAP, events=Selector(), overlays=["enterprise_red"], event_labels="all")
    state = MapModel(spec, context(), label_severity=1).update(feed.situation, feed.frame())
    assert state is not None and state.markers is not None and state.markers[0].label == "Noise complaint (12345)"
    zh = dataclasses.replace(context(), lang="zh_CN")
    zh_state = MapModel(spec, zh, label_severity=1).update(feed.situation, feed.frame())
    assert zh_state is not None and zh_state.overlays is not None
    shape = zh_state.overlays["ent-red"]
    assert shape is not None and shape.feature["properties"]["label"] == "红色（8家）"
    quiet = MapModel(msgspec.structs.replace(spec, event_labels="severe"), context(), label_severity=1)
    q = quiet.update(feed.situation, feed.frame())
    assert q is not None and q.markers is not None and q.markers[0].label == ""
