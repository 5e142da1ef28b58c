"""The runway panels' view-models, in plain Python: a real Situation fed with protocol messages, no Qt."""

from __future__ import annotations

import time

import numpy as np
import pytest

from cockpit.present.frame import Liveness
from cockpit.present.panels.dispatch import DispatchModel
from cockpit.present.panels.events import EventsModel
from cockpit.present.panels.map import MapModel, Reach, covering
from cockpit.present.panels.tiles import TilesModel
from cockpit.present.panels.trend import TrendModel
from cockpit.present.runway_spec import Panel, PanelKind, Selector
from cockpit.protocol.messages import CommandKind
from tests.present.support import LEVELS, NOW, RAIN, TTL, Feed, answer, context, names_of, sensor
from widgets.values import TileLevel, Tone


@pytest.fixture
def feed() -> Feed:
    return Feed()


# ------------------------------------------------------------------------------------- events

FLOOD_EVENTS = Panel(
    kind=PanelKind.EVENTS,
    at=(0, 0, 6, 4),
    title={"en": "Flood events"},
    events=Selector(themes=["flood"], districts=["jiangbei", "yuzhong"]),
)


def feed_flood_events(feed: Feed) -> None:
    feed.apply(
        feed.event("a-jb-sev3", severity=3, age_s=1),
        feed.event("b-yz-sev1", severity=1, district="yuzhong", age_s=30),
        feed.event("c-traffic-sev1", severity=1, theme="traffic", type="congestion"),
        feed.event("d-nanan-sev2", severity=2, district="nanan"),
        feed.event("e-resolved", severity=2, state="resolved"),
        feed.event("f-closed", severity=1, state="closed"),
        feed.event("g-cleared", severity=2, district="yuzhong", active=False, age_s=5),
        feed.event("h-acked-sev2-older", severity=2, state="acknowledged", age_s=60),
    )


def test_events_list_matching_open_events_most_severe_first(feed: Feed) -> None:
    model = EventsModel(FLOOD_EVENTS, context(), "Flood events")
    feed_flood_events(feed)
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.rows is not None
    assert [r.id for r in state.rows] == ["b-yz-sev1", "g-cleared", "h-acked-sev2-older", "a-jb-sev3"]
    texts = {r.id: r.state_text for r in state.rows}
    assert texts["g-cleared"] == "Cleared, unacknowledged"
    assert texts["a-jb-sev3"] == "New"
    assert texts["h-acked-sev2-older"] == "Acknowledged"
    feed.apply(
        feed.event("b-yz-sev1", severity=1, district="yuzhong", state="resolved", age_s=30),
        feed.event("a-jb-sev3", severity=3, state="closed", age_s=1),
    )
    state = model.update(feed.situation, feed.frame(slow=False))
    assert state is not None and state.rows is not None
    assert [r.id for r in state.rows] == ["g-cleared", "h-acked-sev2-older"]
    assert model.update(feed.situation, feed.frame(slow=False)) is None, "nothing changed: nothing to paint"


def test_events_title_counts_when_current_and_says_as_of_when_not(feed: Feed) -> None:
    model = EventsModel(FLOOD_EVENTS, context(), "Flood events")
    state = model.update(feed.situation, feed.frame(live=False))
    assert state is not None and state.title == "Flood events: no data yet"
    feed_flood_events(feed)
    state = model.update(feed.situation, feed.frame(live=True))
    assert state is not None and state.title == "Flood events (4 open)" and state.current
    state = model.update(feed.situation, feed.frame(live=False))
    assert state is not None and state.title is not None and not state.current
    as_of = time.strftime("%H:%M:%S", time.localtime(NOW / 1000))
    assert state.title == f"Flood events as of {as_of}: not live (4 open)"


def test_events_acknowledge_makes_one_command_and_never_a_second_while_pending(feed: Feed) -> None:
    ctx = context()
    model = EventsModel(FLOOD_EVENTS, ctx, "Flood events")
    feed_flood_events(feed)
    model.update(feed.situation, feed.frame())
    command = model.acknowledge(feed.situation, "a-jb-sev3")
    assert command is not None and (command.kind, command.event_id) == (CommandKind.ACKNOWLEDGE, "a-jb-sev3")
    assert model.acknowledge(feed.situation, "a-jb-sev3") is None, "a pending command is never sent twice"
    assert model.acknowledge(feed.situation, "h-acked-sev2-older") is None, "already acknowledged"


def test_any_event_can_be_chosen_and_every_list_follows(feed: Feed) -> None:
    """Issue 14 case 4: non-alarm events (an accident, a 12345 report) are selectable everywhere."""
    ctx = context()
    flood = EventsModel(FLOOD_EVENTS, ctx, "Flood events")
    console = EventsModel(Panel(kind=PanelKind.EVENTS, at=(0, 0, 1, 1)), ctx, "Every open event")
    feed_flood_events(feed)
    feed.apply(feed.event("acc", severity=2, theme="traffic", type="traffic_accident", district="shapingba"))
    frame = feed.frame()
    assert flood.update(feed.situation, frame).selected == "b-yz-sev1"  # type: ignore[union-attr]
    console.update(feed.situation, frame)
    console.choose("acc")  # a click on the accident, at the console or on a wall banner
    frame = feed.frame(slow=False)
    state = console.update(feed.situation, frame)
    assert state is not None and state.selected == "acc"
    # The flood list cannot show the accident: it keeps its own first event.
    flood_state = flood.update(feed.situation, frame)
    assert flood_state is not None and flood_state.selected == "b-yz-sev1"


# ------------------------------------------------------------------------------------- tiles


def tiles(sensors: Selector, feed: Feed | None = None) -> TilesModel:
    """Tiles named in the feed's backend's words (its catalog)."""
    ctx = context(situation=feed.situation if feed is not None else None)
    return TilesModel(Panel(kind=PanelKind.TILES, at=(0, 0, 4, 2), sensors=sensors), ctx)


def test_tiles_bind_by_names_in_the_selector_order(feed: Feed) -> None:
    model = tiles(Selector(names=["yuzhong-rain_gauge-002", "no-such-sensor", "jiangbei-rain_gauge-001"]))
    assert len(model.tiles) == 3
    feed.apply(feed.catalog(*RAIN))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.bindings is not None
    assert names_of(feed.situation, [t.row for t in model.tiles]) == ["yuzhong-rain_gauge-002", "jiangbei-rain_gauge-001", None]
    assert state.bindings[2].title == "No sensor"


def test_tiles_bind_by_kind_taking_districts_in_turn_up_to_the_limit(feed: Feed) -> None:
    model = tiles(Selector(kinds=["rain_gauge"], districts=["jiangbei", "yuzhong"], limit=3), feed)
    feed.apply(feed.catalog(*LEVELS, *RAIN))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.bindings is not None
    assert [b.title for b in state.bindings] == ["Rainfall · Jiangbei", "Rainfall · Yuzhong", "Rainfall · Jiangbei 2"]


def test_tiles_show_values_and_turn_stale_after_ttl_or_when_not_current(feed: Feed) -> None:
    model = tiles(Selector(kinds=["rain_gauge"], districts=["jiangbei", "yuzhong"], limit=2))
    feed.apply(feed.catalog(*RAIN))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and [r.level for r in state.readings or []] == [TileLevel.NO_DATA] * 2

    def levels(**kw: object) -> list[TileLevel]:
        s = model.update(feed.situation, feed.frame(**kw))  # type: ignore[arg-type]
        assert s is not None and s.readings is not None
        return [r.level for r in s.readings]

    feed.apply(feed.batch({1: 12.5, 4: 3.25}, ts=NOW, ttl_ms=TTL))
    assert levels(now=NOW + 1000) == [TileLevel.NORMAL] * 2
    assert levels(now=NOW + TTL) == [TileLevel.NORMAL] * 2  # at ts + ttl: still fresh
    assert levels(now=NOW + TTL + 1) == [TileLevel.STALE] * 2
    feed.apply(feed.batch({1: 13.0}, ts=NOW + 20_000))
    assert levels(now=NOW + 21_000) == [TileLevel.NORMAL, TileLevel.STALE]
    assert levels(now=NOW + 21_000, live=False) == [TileLevel.STALE] * 2
    assert levels(now=NOW + 21_000, liveness=Liveness.DRILL_PAUSED) == [TileLevel.STALE] * 2


def test_a_paused_drill_greys_the_tiles_as_paused_without_an_age(feed: Feed) -> None:
    """Officer review: in a paused drill the tiles said "STALE 0.1 s" although nothing was wrong but
    the drill's clock standing still. They are grey (not live) and say so as paused, not as an age;
    a value already past its time to live on the drill's clock is still stale with its age."""
    model = tiles(Selector(kinds=["rain_gauge"], districts=["jiangbei", "yuzhong"], limit=2))
    feed.apply(feed.catalog(*RAIN))
    model.update(feed.situation, feed.frame())
    feed.apply(feed.batch({1: 12.5, 4: 3.25}, ts=NOW, ttl_ms=TTL))
    feed.apply(feed.batch({1: 13.0}, ts=NOW + 20_000))
    state = model.update(feed.situation, feed.frame(now=NOW + 20_100, liveness=Liveness.DRILL_PAUSED))
    assert state is not None and state.readings is not None
    fresh, old = state.readings
    assert (fresh.level, fresh.paused) == (TileLevel.STALE, True), "grey, paused: not an age of 0.1 s"
    assert (old.level, old.paused) == (TileLevel.STALE, False), "past its time to live: stale, with its age"
    state = model.update(feed.situation, feed.frame(now=NOW + 20_100, liveness=Liveness.OFFLINE))
    assert state is not None and state.readings is not None
    assert [r.paused for r in state.readings] == [False, False], "a link down: stale with its age"
    state = model.update(feed.situation, feed.frame(now=NOW + 20_100, liveness=Liveness.DRILL))
    assert state is not None and state.readings is not None
    assert state.readings[0].level is TileLevel.NORMAL and not state.readings[0].paused


def test_tiles_classify_with_the_model_rule(feed: Feed) -> None:
    model = tiles(Selector(names=["jiangbei-water_level-001", "jiangbei-water_level-002", "jiangbei-rain_gauge-001"]))
    feed.apply(feed.catalog(*RAIN, *LEVELS))
    feed.apply(feed.batch({10: 3.5, 11: 2.5, 1: 1000.0}))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.readings is not None and state.bindings is not None
    assert [r.level for r in state.readings] == [TileLevel.ALARM, TileLevel.WARNING, TileLevel.NORMAL]
    assert state.bindings[0].decimals == 2 and state.bindings[0].limits == (2.0, 3.0)


def test_indicator_shows_the_first_sensor_its_selector_picks_by_group(feed: Feed) -> None:
    spec = Panel(kind=PanelKind.INDICATOR, at=(0, 0, 2, 2), sensors=Selector(kinds=["water_level"], groups=["watch"]))
    model = TilesModel(spec, context())
    assert len(model.tiles) == 1
    feed.apply(feed.catalog(*RAIN, *LEVELS), feed.batch({1: 9.0, 10: 1.0, 11: 4.25}))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.readings is not None
    assert names_of(feed.situation, [t.row for t in model.tiles]) == ["jiangbei-water_level-002"]
    assert state.readings[0].value == 4.25 and state.readings[0].level is TileLevel.ALARM


def test_tiles_select_by_tag_and_group_never_by_name(feed: Feed) -> None:
    tagged = tiles(Selector(tags=["underpass"], limit=2))
    grouped = tiles(Selector(groups=["watch", "nothing"], limit=2))
    # Lists within a selector are choices; the lists together must all hold.
    both = tiles(Selector(kinds=["rain_gauge"], groups=["watch"], limit=1))
    feed.apply(feed.catalog(*RAIN, *LEVELS))
    frame = feed.frame()
    for model in (tagged, grouped, both):
        model.update(feed.situation, frame)
    assert names_of(feed.situation, [t.row for t in tagged.tiles]) == ["jiangbei-water_level-001", None]
    assert names_of(feed.situation, [t.row for t in grouped.tiles]) == ["jiangbei-water_level-002", None]
    assert [t.row for t in both.tiles] == [None]


# ------------------------------------------------------------------------------------- trend


def test_trend_binds_sensors_with_each_limit_labelled_once(feed: Feed) -> None:
    model = TrendModel(
        Panel(kind=PanelKind.TREND, at=(0, 0, 6, 3), sensors=Selector(names=["jiangbei-water_level-002", "jiangbei-water_level-001"])),
        context(situation=feed.situation),
    )
    feed.apply(feed.catalog(*RAIN, *LEVELS))
    state = model.update(feed.situation, feed.frame(sample=False))
    assert state is not None and state.binding is not None
    # One unit for both: it goes on the axis; one kind: said once (untitled: before the names, which
    # name the places only: the flood wall's third name did not fit when each repeated the kind).
    assert state.binding.names == ["Jiangbei 2", "Jiangbei"]
    assert state.binding.heading == "Water level"
    assert state.binding.unit == "m"
    # warn 2.0 is shared and labelled once; alarms 4.0 and 3.0 each get a line of their own.
    assert [(line.value, line.label) for line in state.binding.limits] == [
        (2.0, "warning 2"),
        (4.0, "alarm 4"),
        (3.0, "alarm 3"),
    ]


def test_trend_appends_a_point_per_current_fresh_sample_and_gaps_otherwise(feed: Feed) -> None:
    model = TrendModel(
        Panel(kind=PanelKind.TREND, at=(0, 0, 6, 3), sensors=Selector(names=["jiangbei-water_level-002", "jiangbei-water_level-001"])),
        context(),
    )
    feed.apply(feed.catalog(*LEVELS))
    model.update(feed.situation, feed.frame())
    assert [len(h) for h in model.history] == [0, 0]
    feed.apply(feed.batch({11: 1.5, 10: 0.5}, ts=NOW))
    state = model.update(feed.situation, feed.frame(now=NOW + 1000))
    assert state is not None and state.series is not None
    assert [list(y) for _t, y in state.series] == [[1.5], [0.5]]
    assert model.update(feed.situation, feed.frame(now=NOW + 1100, sample=False)) is None
    model.update(feed.situation, feed.frame(now=NOW + 2000, live=False))
    model.update(feed.situation, feed.frame(now=NOW + TTL + 1))
    assert [len(h) for h in model.history] == [2, 2], "one gap marker each: broken, never bridged"
    assert all(np.isnan(h[-1]) for h in model.history)


def test_trend_says_now_only_when_live_else_what_its_right_edge_is(feed: Feed) -> None:
    """Officer review: a replay's trend ended at "now" (its right edge is the recorded instant) and
    a paused drill's too (its clock stands still). The edge is "now" only when live."""
    model = TrendModel(
        Panel(kind=PanelKind.TREND, at=(0, 0, 6, 3), sensors=Selector(names=["jiangbei-water_level-001"])),
        context(),
    )
    feed.apply(feed.catalog(*LEVELS), feed.batch({10: 0.5}, ts=NOW))
    at = time.strftime("%H:%M:%S", time.localtime((NOW + 1000) / 1000))

    def end(liveness: Liveness, sample: bool = True) -> tuple[str, ...] | None:
        state = model.update(feed.situation, feed.frame(now=NOW + 1000, liveness=liveness, sample=sample))
        assert state is not None
        return state.end

    assert end(Liveness.LIVE) == (), "live: the chart's own 'now'"
    assert end(Liveness.REPLAY) == (at,), "a replay: its recorded time"
    assert end(Liveness.REPLAY_PAUSED) == (f"paused {at}", "paused")
    assert end(Liveness.DRILL) == (at,)
    paused = end(Liveness.DRILL_PAUSED, sample=False)
    assert paused == (f"paused {at}", "paused"), "said at once, not at the next sample"
    assert end(Liveness.OFFLINE) == (at,)
    assert end(Liveness.LIVE, sample=False) == ()


# ------------------------------------------------------------------------------------- map

FLOOD_MAP = Panel(kind=PanelKind.MAP, at=(0, 0, 6, 6), overlays=["inundation", "road_closure"], events=Selector(themes=["flood"]))


def test_map_markers_for_matching_events_labelled_by_severity(feed: Feed) -> None:
    model = MapModel(FLOOD_MAP, context(), label_severity=2)
    feed.apply(
        feed.event("f1", severity=1),
        feed.event("f2", severity=2, type="rainstorm"),
        feed.event("f3", severity=3),
        feed.event("t1", severity=1, theme="traffic", type="congestion"),
        feed.event("f5-closed", severity=1, state="closed"),
    )
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.markers is not None
    assert {m.id: m.label for m in state.markers} == {"f1": "Waterlogging", "f2": "Rainstorm", "f3": ""}
    model.label_severity = 1  # on a wall screen only level 1 is named
    feed.apply(feed.event("f2", severity=2, type="rainstorm", state="acknowledged"))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.markers is not None
    assert {m.id: m.label for m in state.markers}["f2"] == ""


def test_map_overlays_come_and_go(feed: Feed) -> None:
    model = MapModel(FLOOD_MAP, context())
    feed.apply(feed.overlay("ov-flood", "inundation", label="Inundation 1"), feed.overlay("ov-road", "road_closure"), feed.overlay("ov-fire", "fire_spread"))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.overlays is not None
    assert sorted(k for k, v in state.overlays.items() if v is not None) == ["ov-flood", "ov-road"]
    feed.apply(feed.overlay("ov-flood", "inundation", active=False))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.overlays == {"ov-flood": None, "ov-road": state.overlays["ov-road"]}


def test_map_dots_follow_the_rule_and_go_grey_when_not_current(feed: Feed) -> None:
    model = MapModel(Panel(kind=PanelKind.MAP, at=(0, 0, 6, 6), sensors=Selector(kinds=["water_level"])), context())
    feed.apply(feed.catalog(*RAIN, *LEVELS), feed.batch({10: 3.5, 11: 2.5, 1: 500.0}))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.dots is not None
    assert sorted(zip(state.dots.level, state.dots.labels, strict=True)) == [(1, "2.50"), (2, "3.50")]
    feed.apply(feed.batch({10: 9.0, 11: 9.0}))
    state = model.update(feed.situation, feed.frame(live=False))
    assert state is not None and state.dots is not None and set(state.dots.level) == {0}
    assert state.current is False, "the map is told it is not current (greyed, nothing flashes)"


def test_a_map_reaches_its_own_alarms_and_shapes_and_says_so_only_when_that_changes(feed: Feed) -> None:
    """A map focused on a layer must still take in the panel's alarms (a fire alarm at a farmhouse
    2.5 km south of the forest park): the model says where they lie; yellow and blue events do not
    move the view."""
    model = MapModel(FLOOD_MAP, context())
    first = model.update(feed.situation, feed.frame())
    assert first is not None and first.reach == Reach(None)
    feed.apply(feed.event("f1", severity=1, lon=106.60, lat=29.40), feed.event("f3", severity=3, lon=107.5, lat=30.5))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.reach == Reach((106.60, 29.40, 106.60, 29.40))
    feed.apply(feed.event("f3", severity=3, lon=107.6, lat=30.6))  # markers change, the reach does not
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.markers is not None and state.reach is None
    feed.apply(feed.overlay("ov-flood", "inundation"), feed.overlay("ov-fire", "fire_spread"))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.reach == Reach((106.50, 29.40, 106.60, 29.52)), "its own kinds only"
    feed.apply(feed.overlay("ov-flood", "inundation", active=False), feed.event("f1", severity=1, state="closed"))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.reach == Reach(None)


def test_a_maps_view_is_its_focus_grown_to_take_in_its_reach() -> None:
    park = (106.40, 29.55, 106.45, 29.60)
    assert covering(park, None) == park
    assert covering(park, (106.42, 29.56, 106.43, 29.57)) == park, "inside: the focus as it is"
    w, s, e, n = covering(park, (106.43, 29.525, 106.43, 29.525)) or (0, 0, 0, 0)
    assert w < 106.40 and s < 29.525 < 29.60 < n and e > 106.45, "the farmhouse south of the park is in"
    assert 29.525 - s > 0.005, "with a margin: the alarm is not on the edge"
    only = covering(None, (117.1, 36.6, 117.1, 36.6))
    assert only is not None and only[2] - only[0] >= 0.01, "a single alarm is shown with room around it"


# ------------------------------------------------------------------------------------- dispatch


def dispatch_feed(feed: Feed) -> None:
    feed.apply(
        feed.unit("dc-1"),
        feed.unit("dc-2"),
        feed.unit("dc-3", status="out_of_service"),
        feed.event("e1", severity=1, recommended=("dc-3", "dc-1", "dc-2")),
        feed.event("e2", severity=2),
    )


def test_dispatch_sends_one_command_for_the_recommended_available_unit(feed: Feed) -> None:
    ctx = context()
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx)
    dispatch_feed(feed)
    ctx.selection.choose("e1")
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.send_enabled
    assert state.unit_text == "Drainage crew 1 (Jiangbei)"
    command = model.dispatch(feed.situation)
    assert command is not None and (command.kind, command.event_id, command.unit_id) == (CommandKind.DISPATCH, "e1", "dc-1")
    assert model.dispatch(feed.situation) is None, "the second half of a double click sends nothing"
    state = model.update(feed.situation, feed.frame())
    assert state is not None and not state.send_enabled and state.tone is Tone.PENDING


def test_dispatch_rejection_reads_in_words_and_unlocks(feed: Feed) -> None:
    ctx = context()
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx)
    dispatch_feed(feed)
    ctx.selection.choose("e1")
    model.update(feed.situation, feed.frame())
    command = model.dispatch(feed.situation)
    assert command is not None
    answer(ctx, command, "rejected", "unit_busy")
    state = model.update(feed.situation, feed.frame())
    assert state is not None
    assert state.state_text == "Drainage crew 1 (Jiangbei): rejected: the unit is busy"
    assert state.tone is Tone.FAILED and state.send_enabled


def test_dispatch_progress_comes_from_the_dispatch_stream_and_offers_another_unit(feed: Feed) -> None:
    ctx = context()
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx)
    dispatch_feed(feed)
    ctx.selection.choose("e1")
    model.update(feed.situation, feed.frame())
    command = model.dispatch(feed.situation)
    assert command is not None
    feed.apply(feed.dispatch(command.id, "e1", "dc-1", "en_route"), feed.unit("dc-1", status="en_route", event_id="e1"))
    state = model.update(feed.situation, feed.frame())
    assert state is not None
    assert state.state_text == "Drainage crew 1 (Jiangbei): En route", "the stream's word, before any ack"
    assert state.unit_text == "another unit: Drainage crew 2 (Jiangbei)"
    # The shorter forms a wall panel too low for these shows (widgets/dispatch_button.py _fit_wall).
    assert state.unit_short == "Drainage crew 2 (Jiangbei)"
    assert state.state_short == "En route"


def test_a_viewer_sees_dispatch_disabled_with_the_reason(feed: Feed) -> None:
    ctx = context(role="viewer")
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx)
    dispatch_feed(feed)
    ctx.selection.choose("e1")
    state = model.update(feed.situation, feed.frame())
    assert state is not None and not state.send_enabled
    assert "may not dispatch" in state.state_text
    assert model.dispatch(feed.situation) is None
    assert all(not a.enabled and a.reason for a in state.actions)


def test_a_runway_dispatch_block_serves_only_its_own_events(feed: Feed) -> None:
    """Issue 14 case 5: during a red fire alarm the forest screen offered a traffic accident's unit."""
    ctx = context()
    forest = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx, theme="fire", runway_title="forest-fire", on_wall=True)
    feed.apply(
        feed.unit("tp-2"),
        feed.unit("fe-1"),
        feed.event("acc", severity=1, theme="traffic", type="traffic_accident", recommended=("tp-2",)),
    )
    state = forest.update(feed.situation, feed.frame())
    assert state is not None and state.event_id == "" and not state.send_enabled
    assert state.event_text == "No open forest-fire events"
    ctx.selection.choose("acc")  # the officer works on the accident elsewhere
    forest.update(feed.situation, feed.frame())
    assert forest.state is not None and forest.state.event_id == "", "the forest screen never offers the accident"
    feed.apply(feed.event("fire", severity=1, theme="fire", type="fire", district="shapingba", recommended=("fe-1",)))
    state = forest.update(feed.situation, feed.frame())
    assert state is not None and state.event_id == "fire" and state.send_enabled
    command = forest.dispatch(feed.situation)
    assert command is not None and command.unit_id == "fe-1"


def test_critical_actions_are_marked_for_confirmation_and_come_in_fixed_order(feed: Feed) -> None:
    """Issue 14 case 1: the hand-down went out on the first click: every critical kind confirms."""
    ctx = context()
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx)
    feed.apply(feed.event("e1", severity=2))
    ctx.selection.choose("e1")
    state = model.update(feed.situation, feed.frame())
    assert state is not None
    assert [(a.key, a.critical) for a in state.actions] == [("ack", False), ("escalate", False), ("hand_down", True)]
    command = model.act(feed.situation, "hand_down")
    assert command is not None and command.critical and command.kind == CommandKind.HAND_DOWN


def test_an_action_the_panel_no_longer_offers_is_never_sent(feed: Feed) -> None:
    ctx = context()
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx)
    feed.apply(feed.event("e1", severity=2))
    ctx.selection.choose("e1")
    model.update(feed.situation, feed.frame())
    assert model.act(feed.situation, "close") is None, "close is not offered for a new event"
    assert model.act(feed.situation, "cancel:nothing") is None
    first = model.act(feed.situation, "ack")
    assert first is not None
    assert model.act(feed.situation, "ack") is None, "pending: never twice"


def test_sensor_titles_number_only_the_second_and_later() -> None:
    names = context(situation=Feed().situation).names
    assert names.sensor(RAIN[0]) == "Rainfall · Jiangbei"
    assert names.sensor(RAIN[1]) == "Rainfall · Jiangbei 2"
    assert names.sensor(sensor(99, "jiangbei-rain_gauge-010")) == "Rainfall · Jiangbei 10"


def test_a_map_draws_the_backends_point_layer_at_once_then_at_most_every_period(feed: Feed, monkeypatch: pytest.MonkeyPatch) -> None:
    import cockpit.present.panels.map as map_panel
    from tests.model.test_layers import points

    clock = [1000.0]
    monkeypatch.setattr(map_panel.time, "monotonic", lambda: clock[0])
    model = MapModel(Panel(kind=PanelKind.MAP, at=(0, 0, 6, 6), layers=["districts", "risk"]), context(situation=feed.situation))
    first = model.update(feed.situation, feed.frame())
    assert first is None or first.points is None  # no layer yet
    feed.apply(points([1, 2, 3], level=2))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.points is not None
    assert state.points.layer == "risk" and state.points.level.tolist() == [2, 2, 2] and state.points.note == ""
    feed.apply(points([4], seq=2))
    assert (s := model.update(feed.situation, feed.frame())) is None or s.points is None  # too soon: held
    clock[0] += map_panel.POINTS_PERIOD_S
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.points is not None and len(state.points.lon) == 4


def test_a_point_layer_kept_on_disk_says_since_when(feed: Feed) -> None:
    from tests.model.test_layers import points

    feed.apply(points([1, 2]))
    feed.situation.layers.saved_at_ms = NOW  # as DistrictCache.load leaves it
    model = MapModel(Panel(kind=PanelKind.MAP, at=(0, 0, 6, 6), layers=["risk"]), context(situation=feed.situation))
    state = model.update(feed.situation, feed.frame())
    when = time.strftime("%m-%d %H:%M", time.localtime(NOW / 1000))
    assert state is not None and state.points is not None and state.points.note == f"risk as of {when}, kept on disk"


def test_a_dispatch_keeps_the_panel_on_its_event_when_nobody_chose(feed: Feed) -> None:
    """With nobody choosing, the panel serves the most severe event; once the officer dispatches
    to it, a graver new alarm must not take the button: a second click a second later would send a
    unit to an event the officer never looked at (officer review of the merged wall)."""
    ctx = context()
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx)
    dispatch_feed(feed)
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.event_id == "e1" and ctx.selection.chosen is None
    command = model.dispatch(feed.situation)
    assert command is not None and command.event_id == "e1"
    assert ctx.selection.chosen == "e1", "acting on the event made it the officer's choice"
    answer(ctx, command, "accepted")
    feed.apply(feed.event("e3", severity=1, recommended=("dc-2",)))  # newer, as grave, unacknowledged
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.event_id == "e1", "the button stays on the event dispatched to"
    again = model.dispatch(feed.situation)
    assert again is None or again.event_id == "e1"


def test_a_resolved_event_offers_no_plan_to_activate(feed: Feed) -> None:
    """'Activate plan: Forest fire' was offered on an event already marked Resolved (officer review)."""
    import msgspec

    ctx = context()
    model = DispatchModel(Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), ctx, on_wall=False)
    feed.apply(msgspec.structs.replace(feed.event("e1", severity=1, state="acknowledged"), plans=["forest_fire"]))
    ctx.selection.choose("e1")
    state = model.update(feed.situation, feed.frame())
    assert state is not None and any(a.key == "plan:forest_fire" for a in state.actions)
    feed.apply(msgspec.structs.replace(feed.event("e1", severity=1, state="resolved"), plans=["forest_fire"]))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and not any(a.key.startswith("plan:") for a in state.actions)
    assert any(a.key == "close" for a in state.actions), "a resolved event is closed, not planned for"
