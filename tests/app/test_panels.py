"""Runway panels driven through a real Situation fed with protocol messages (no backend, no network)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from cockpit.app import panels as panels_mod
from cockpit.app.commands import CommandTracker, Phase
from cockpit.app.panels import (
    CLICK_GUARD_S,
    CommandSender,
    DispatchPanelPresenter,
    EventsPanel,
    Frame,
    IndicatorPanel,
    MapPanel,
    Selection,
    TilesPanel,
    TrendPanel,
    sensor_title,
)
from cockpit.app.runway_spec import Panel, PanelKind, Selector, load_runway
from cockpit.app.runway_view import RunwayView, pinned_alarms
from cockpit.model import Situation
from cockpit.protocol.events import CommandAcked, DataReceived
from cockpit.protocol.messages import (
    Command,
    CommandAck,
    CommandKind,
    DataMessage,
    Dispatch,
    Event,
    Geometry,
    Overlay,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    Unit,
)
from widgets.dispatch_button import CommandLevel
from widgets.event_list import EventColumn
from widgets.vital_tile import TileLevel

RUNWAYS = Path(__file__).resolve().parents[2] / "assets" / "runways"
NOW = 1_700_000_000_000
"""Server ms of the test's "now"; events and samples are placed around it."""
TTL = 10_000


# ------------------------------------------------------------------------------------- helpers


class Feed:
    """A Situation and the protocol messages that build it, with seq/prev kept per stream."""

    def __init__(self) -> None:
        self.situation = Situation()
        self._seq: dict[str, int] = {}

    def _stamp(self, stream: str) -> dict[str, int]:
        prev = self._seq.get(stream, 0)
        self._seq[stream] = prev + 1
        return {"seq": prev + 1, "prev": prev}

    def apply(self, *messages: DataMessage) -> None:
        self.situation.apply([DataReceived(tuple(messages))])

    def event(
        self,
        id: str,
        *,
        severity: int = 3,
        state: str = "new",
        theme: str = "flood",
        district: str = "jiangbei",
        type: str = "waterlogging",
        age_s: int = 0,
        active: bool = True,
        recommended: tuple[str, ...] = (),
        lon: float = 106.55,
        lat: float = 29.56,
    ) -> Event:
        return Event(
            stream="events",
            **self._stamp("events"),
            ts=NOW,
            id=id,
            type=type,
            severity=severity,
            time=NOW - age_s * 1000,
            lon=lon,
            lat=lat,
            district=district,
            state=state,
            theme=theme,
            recommended=list(recommended),
            active=active,
        )

    def catalog(self, *infos: SensorInfo) -> SensorCatalog:
        return SensorCatalog(stream="sensors", **self._stamp("sensors"), ts=NOW, sensors=list(infos))

    def batch(self, values: dict[int, float], *, ts: int = NOW, ttl_ms: int = TTL) -> SensorBatch:
        ids = np.array(list(values), dtype="<u4").tobytes()
        vals = np.array(list(values.values()), dtype="<f4").tobytes()
        return SensorBatch(
            stream="sensors", **self._stamp("sensors"), ts=ts, ttl_ms=ttl_ms, ids=ids, values=vals
        )

    def unit(self, id: str, *, status: str = "available", event_id: str = "") -> Unit:
        return Unit(
            stream="dispatch",
            **self._stamp("dispatch"),
            ts=NOW,
            id=id,
            name=id,
            kind="drainage_crew",
            district="jiangbei",
            status=status,
            lon=106.55,
            lat=29.57,
            event_id=event_id,
        )

    def dispatch(self, command_id: str, event_id: str, unit_id: str, state: str) -> Dispatch:
        return Dispatch(
            stream="dispatch",
            **self._stamp("dispatch"),
            ts=NOW,
            command_id=command_id,
            event_id=event_id,
            unit_id=unit_id,
            state=state,
        )

    def overlay(self, id: str, kind: str, *, active: bool = True, label: str = "") -> Overlay:
        ring = [[106.50, 29.50], [106.52, 29.50], [106.52, 29.52], [106.50, 29.52], [106.50, 29.50]]
        return Overlay(
            stream="overlays",
            **self._stamp("overlays"),
            ts=NOW,
            id=id,
            kind=kind,
            active=active,
            geometry=Geometry(type="Polygon", coordinates=[ring]),
            label=label,
        )

    def frame(
        self, *, live: bool = True, now: int = NOW + 1000, sample: bool = True, slow: bool = True
    ) -> Frame:
        return Frame(
            changes=self.situation.take_changes(),
            live=live,
            server_now_ms=now,
            sample=sample,
            slow=slow,
        )


def sensor(
    id: int,
    name: str,
    *,
    kind: str = "rain_gauge",
    district: str = "jiangbei",
    unit: str = "mm/h",
    warn: float | None = None,
    alarm: float | None = None,
    lon: float = 106.55,
    lat: float = 29.56,
) -> SensorInfo:
    return SensorInfo(
        id=id, name=name, kind=kind, unit=unit, district=district, lon=lon, lat=lat, warn=warn, alarm=alarm
    )


RAIN = [
    sensor(1, "jiangbei-rain_gauge-001"),
    sensor(2, "jiangbei-rain_gauge-002"),
    sensor(3, "jiangbei-rain_gauge-003"),
    sensor(4, "yuzhong-rain_gauge-001", district="yuzhong"),
    sensor(5, "yuzhong-rain_gauge-002", district="yuzhong"),
    sensor(6, "nanan-rain_gauge-001", district="nanan"),
]
LEVELS = [
    sensor(10, "jiangbei-water_level-001", kind="water_level", unit="m", warn=2.0, alarm=3.0),
    sensor(11, "jiangbei-water_level-002", kind="water_level", unit="m", warn=2.0, alarm=4.0),
    sensor(12, "yuzhong-water_level-001", kind="water_level", unit="m", district="yuzhong", warn=1.5),
]


class Sent(list[Command]):
    """Commands a CommandSender handed to the link."""


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
def sender(sent: Sent) -> CommandSender:
    return CommandSender(tracker=CommandTracker(), send=sent.append)


@pytest.fixture
def feed() -> Feed:
    return Feed()


def names_of(situation: Situation, rows: list[int | None]) -> list[str | None]:
    return [None if r is None else situation.sensors.infos[r].name for r in rows]


def state_texts(panel: EventsPanel) -> dict[str, str]:
    table = panel.view.findChild(QTableView, "eventTable")
    model = table.model()
    return {
        eid: model.index(r, EventColumn.STATE).data(Qt.ItemDataRole.DisplayRole)
        for r, eid in enumerate(panel.view.event_ids())
    }


# ------------------------------------------------------------------------------------- events


@pytest.fixture
def events_panel(qtbot: QtBot, sender: CommandSender) -> Iterator[tuple[EventsPanel, Selection]]:
    spec = Panel(
        kind=PanelKind.EVENTS,
        at=(0, 0, 6, 4),
        title={"en": "Flood events"},
        events=Selector(themes=["flood"], districts=["jiangbei", "yuzhong"]),
    )
    selection = Selection()
    panel = EventsPanel(spec, "en", selection, sender)
    qtbot.addWidget(panel.widget)
    yield panel, selection


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


def test_events_panel_lists_matching_open_events_most_severe_first(
    events_panel: tuple[EventsPanel, Selection], feed: Feed
) -> None:
    panel, _ = events_panel
    feed_flood_events(feed)
    panel.update(feed.frame(), feed.situation)

    # Severity first, then newest first within a level; other themes and districts stay out.
    assert panel.view.event_ids() == ["b-yz-sev1", "g-cleared", "h-acked-sev2-older", "a-jb-sev3"]
    texts = state_texts(panel)
    assert texts["g-cleared"] == "Cleared, unacknowledged"
    assert texts["a-jb-sev3"] == "New"
    assert texts["h-acked-sev2-older"] == "Acknowledged"

    # Resolving and closing drops an event from the list on the next frame.
    feed.apply(
        feed.event("b-yz-sev1", severity=1, district="yuzhong", state="resolved", age_s=30),
        feed.event("a-jb-sev3", severity=3, state="closed", age_s=1),
    )
    panel.update(feed.frame(slow=False), feed.situation)
    assert panel.view.event_ids() == ["g-cleared", "h-acked-sev2-older"]


def test_events_panel_cleared_event_once_acknowledged_shows_its_state(
    events_panel: tuple[EventsPanel, Selection], feed: Feed
) -> None:
    panel, _ = events_panel
    feed.apply(feed.event("g", severity=2, active=False))
    panel.update(feed.frame(), feed.situation)
    assert state_texts(panel) == {"g": "Cleared, unacknowledged"}
    feed.apply(feed.event("g", severity=2, active=False, state="acknowledged"))
    panel.update(feed.frame(), feed.situation)
    assert state_texts(panel) == {"g": "Acknowledged"}


def test_events_panel_title_counts_open_events_when_live_and_says_link_down(
    events_panel: tuple[EventsPanel, Selection], feed: Feed
) -> None:
    panel, _ = events_panel
    panel.update(feed.frame(live=False), feed.situation)
    assert panel.title.text() == "Flood events: no data yet, link down"

    feed_flood_events(feed)
    panel.update(feed.frame(live=True), feed.situation)
    assert panel.title.text() == "Flood events (4 open)"

    panel.update(feed.frame(live=False), feed.situation)
    title = panel.title.text()
    assert title.startswith("Flood events as of ")
    assert title.endswith("link down, not live (4 open)")
    assert time.strftime("%H:%M:%S", time.localtime(NOW / 1000)) in title


def test_events_panel_acknowledge_sends_an_acknowledge_command(
    qtbot: QtBot, events_panel: tuple[EventsPanel, Selection], feed: Feed, sender: CommandSender, sent: Sent
) -> None:
    panel, _ = events_panel
    feed_flood_events(feed)
    panel.update(feed.frame(), feed.situation)

    panel.view.acknowledge_requested.emit("a-jb-sev3")
    assert [(c.kind, c.event_id) for c in sent] == [(CommandKind.ACKNOWLEDGE, "a-jb-sev3")]
    assert sender.tracker.commands[sent[0].id].phase is Phase.QUEUED

    # A real double-click on a row acknowledges that row's event.
    panel.widget.resize(900, 500)
    with qtbot.waitExposed(panel.widget):  # a context manager: it waits for the show inside
        panel.widget.show()
    table = panel.view.findChild(QTableView, "eventTable")
    r = panel.view.event_ids().index("g-cleared")
    pos = table.visualRect(table.model().index(r, EventColumn.TITLE)).center()
    # QTest's double click lacks the press before it; an item view wants both, as a mouse sends.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert [(c.kind, c.event_id) for c in sent][1:] == [(CommandKind.ACKNOWLEDGE, "g-cleared")]
    assert len({c.id for c in sent}) == 2


def test_events_panel_selection_flows_both_ways(
    events_panel: tuple[EventsPanel, Selection], feed: Feed
) -> None:
    panel, selection = events_panel
    feed_flood_events(feed)
    panel.update(feed.frame(), feed.situation)
    # Nothing was selected: the most severe event is.
    assert selection.event_id == "b-yz-sev1"
    assert panel.view.selected_event_id() == "b-yz-sev1"

    selection.select("a-jb-sev3")  # e.g. a map marker click
    assert panel.view.selected_event_id() == "a-jb-sev3"

    panel.view.select_event("g-cleared")  # the operator picks a row
    assert selection.event_id == "g-cleared"

    # The selected event closes: the list loses it, the shared selection keeps working on it.
    feed.apply(feed.event("g-cleared", severity=2, district="yuzhong", state="closed"))
    panel.update(feed.frame(), feed.situation)
    assert "g-cleared" not in panel.view.event_ids()
    assert selection.event_id == "g-cleared"


# ------------------------------------------------------------------------------------- tiles


def tiles_panel(qtbot: QtBot, sensors: Selector) -> TilesPanel:
    panel = TilesPanel(Panel(kind=PanelKind.TILES, at=(0, 0, 4, 2), sensors=sensors), "en")
    qtbot.addWidget(panel.widget)
    return panel


def test_tiles_bind_by_names_in_the_selector_order(qtbot: QtBot, feed: Feed) -> None:
    panel = tiles_panel(
        qtbot, Selector(names=["yuzhong-rain_gauge-002", "no-such-sensor", "jiangbei-rain_gauge-001"])
    )
    assert len(panel.tiles) == 3
    feed.apply(feed.catalog(*RAIN))
    panel.update(feed.frame(), feed.situation)
    rows = [t.row for t in panel.tiles]
    assert names_of(feed.situation, rows) == ["yuzhong-rain_gauge-002", "jiangbei-rain_gauge-001", None]


def test_tiles_bind_by_kind_taking_districts_in_turn_up_to_the_limit(qtbot: QtBot, feed: Feed) -> None:
    panel = tiles_panel(qtbot, Selector(kinds=["rain_gauge"], districts=["jiangbei", "yuzhong"], limit=3))
    assert len(panel.tiles) == 3
    feed.apply(feed.catalog(*LEVELS, *RAIN))
    panel.update(feed.frame(), feed.situation)
    rows = [t.row for t in panel.tiles]
    assert names_of(feed.situation, rows) == [
        "jiangbei-rain_gauge-001",
        "yuzhong-rain_gauge-001",
        "jiangbei-rain_gauge-002",
    ]
    infos = [feed.situation.sensors.infos[r] for r in rows if r is not None]
    assert [sensor_title(i) for i in infos] == [
        "Rainfall · Jiangbei",
        "Rainfall · Yuzhong",
        "Rainfall · Jiangbei 2",
    ]


def test_sensor_title_numbers_only_the_second_and_later() -> None:
    assert sensor_title(RAIN[0]) == "Rainfall · Jiangbei"
    assert sensor_title(RAIN[1]) == "Rainfall · Jiangbei 2"
    assert sensor_title(sensor(99, "jiangbei-rain_gauge-010")) == "Rainfall · Jiangbei 10"


def test_tiles_show_values_and_turn_stale_after_ttl_or_without_link(qtbot: QtBot, feed: Feed) -> None:
    panel = tiles_panel(qtbot, Selector(kinds=["rain_gauge"], districts=["jiangbei", "yuzhong"], limit=2))
    feed.apply(feed.catalog(*RAIN))
    panel.update(feed.frame(), feed.situation)
    assert [t.widget.level() for t in panel.tiles] == [TileLevel.NO_DATA] * 2

    feed.apply(feed.batch({1: 12.5, 4: 3.25}, ts=NOW, ttl_ms=TTL))
    panel.update(feed.frame(now=NOW + 1000), feed.situation)
    assert [t.widget.value_text() for t in panel.tiles] == ["12.5", "3.2"]
    assert [t.widget.level() for t in panel.tiles] == [TileLevel.NORMAL] * 2

    panel.update(feed.frame(now=NOW + TTL), feed.situation)  # at ts + ttl: still fresh
    assert [t.widget.level() for t in panel.tiles] == [TileLevel.NORMAL] * 2

    panel.update(feed.frame(now=NOW + TTL + 1), feed.situation)  # past ts + ttl: stale
    assert [t.widget.level() for t in panel.tiles] == [TileLevel.STALE] * 2
    assert panel.tiles[0].widget.value_text() == "12.5"  # the last value stays, greyed

    feed.apply(feed.batch({1: 13.0}, ts=NOW + 20_000))
    panel.update(feed.frame(now=NOW + 21_000), feed.situation)
    assert [t.widget.level() for t in panel.tiles] == [TileLevel.NORMAL, TileLevel.STALE]

    panel.update(feed.frame(now=NOW + 21_000, live=False), feed.situation)
    assert [t.widget.level() for t in panel.tiles] == [TileLevel.STALE] * 2


def test_tiles_classify_against_the_catalog_thresholds(qtbot: QtBot, feed: Feed) -> None:
    panel = tiles_panel(
        qtbot,
        Selector(names=["jiangbei-water_level-001", "jiangbei-water_level-002", "jiangbei-rain_gauge-001"]),
    )
    feed.apply(feed.catalog(*RAIN, *LEVELS))
    feed.apply(feed.batch({10: 3.5, 11: 2.5, 1: 1000.0}))
    panel.update(feed.frame(), feed.situation)
    assert [t.widget.level() for t in panel.tiles] == [TileLevel.ALARM, TileLevel.WARNING, TileLevel.NORMAL]
    assert panel.tiles[0].widget.value_text() == "3.50"  # water levels show centimetres
    assert panel.tiles[0].widget.thresholds().alarm == 3.0

    feed.apply(feed.batch({10: 1.0}, ts=NOW + 500))
    panel.update(feed.frame(), feed.situation)
    assert panel.tiles[0].widget.level() is TileLevel.NORMAL


# ------------------------------------------------------------------------------------- indicator


def test_indicator_binds_the_named_sensor(qtbot: QtBot, feed: Feed) -> None:
    spec = Panel(kind=PanelKind.INDICATOR, at=(0, 0, 2, 2), indicator="jiangbei-water_level-002")
    panel = IndicatorPanel(spec, "en")
    qtbot.addWidget(panel.widget)
    assert len(panel.tiles) == 1
    feed.apply(feed.catalog(*RAIN, *LEVELS), feed.batch({1: 9.0, 10: 1.0, 11: 4.25}))
    panel.update(feed.frame(), feed.situation)
    (tile,) = panel.tiles
    assert tile.row is not None
    assert feed.situation.sensors.infos[tile.row].name == "jiangbei-water_level-002"
    assert tile.widget.value_text() == "4.25"
    assert tile.widget.level() is TileLevel.ALARM


# ------------------------------------------------------------------------------------- trend


def trend_panel(qtbot: QtBot) -> TrendPanel:
    spec = Panel(
        kind=PanelKind.TREND,
        at=(0, 0, 6, 3),
        sensors=Selector(names=["jiangbei-water_level-002", "jiangbei-water_level-001"]),
    )
    panel = TrendPanel(spec, "en")
    qtbot.addWidget(panel.widget)
    return panel


def test_trend_binds_selected_sensors_with_limit_lines(qtbot: QtBot, feed: Feed) -> None:
    panel = trend_panel(qtbot)
    feed.apply(feed.catalog(*RAIN, *LEVELS))
    panel.update(feed.frame(), feed.situation)
    assert names_of(feed.situation, list(panel.rows)) == [
        "jiangbei-water_level-002",
        "jiangbei-water_level-001",
    ]
    assert len(panel.curves) == 2
    assert len(panel.plot.getPlotItem().listDataItems()) == 2
    lines = [i for i in panel.plot.getPlotItem().items if isinstance(i, pg.InfiniteLine)]
    # warn 2.0 is shared and drawn once; alarms 4.0 and 3.0 each get a line.
    assert sorted(line.value() for line in lines) == [2.0, 3.0, 4.0]
    assert all(line.angle == 0 for line in lines)


def test_trend_by_kind_respects_the_limit(qtbot: QtBot, feed: Feed) -> None:
    spec = Panel(kind=PanelKind.TREND, at=(0, 0, 6, 3), sensors=Selector(kinds=["water_level"], limit=2))
    panel = TrendPanel(spec, "en")
    qtbot.addWidget(panel.widget)
    feed.apply(feed.catalog(*RAIN, *LEVELS))
    panel.update(feed.frame(), feed.situation)
    assert names_of(feed.situation, list(panel.rows)) == [
        "jiangbei-water_level-001",
        "jiangbei-water_level-002",
    ]
    assert len(panel.plot.getPlotItem().listDataItems()) == 2


def test_trend_appends_a_point_per_live_fresh_sample(qtbot: QtBot, feed: Feed) -> None:
    panel = trend_panel(qtbot)
    feed.apply(feed.catalog(*LEVELS))
    panel.update(feed.frame(), feed.situation)
    assert [len(h) for h in panel.history] == [0, 0]  # no value yet: nothing to plot

    feed.apply(feed.batch({11: 1.5, 10: 0.5}, ts=NOW))
    panel.update(feed.frame(now=NOW + 1000), feed.situation)
    assert [list(h) for h in panel.history] == [[1.5], [0.5]]
    assert list(panel.curves[0].getOriginalDataset()[1]) == [1.5]

    panel.update(feed.frame(now=NOW + 1100, sample=False), feed.situation)
    panel.update(feed.frame(now=NOW + 2000, live=False), feed.situation)
    panel.update(feed.frame(now=NOW + TTL + 1), feed.situation)
    # No values while down or stale: one gap marker each, so the line is broken, never bridged.
    assert [len(h) for h in panel.history] == [2, 2]
    assert all(np.isnan(h[-1]) for h in panel.history)

    feed.apply(feed.batch({11: 1.75}, ts=NOW + 12_000))
    panel.update(feed.frame(now=NOW + 13_000), feed.situation)
    first = list(panel.history[0])
    assert first[0] == 1.5 and np.isnan(first[1]) and first[2] == 1.75
    assert len(panel.history[1]) == 2  # the other sensor is still stale: no new point, no second gap


# ------------------------------------------------------------------------------------- map


def map_panel(
    qtbot: QtBot, selection: Selection, *, sensors: Selector | None = None, layers: list[str] | None = None
) -> MapPanel:
    spec = Panel(
        kind=PanelKind.MAP,
        at=(0, 0, 6, 6),
        layers=layers or [],
        overlays=["inundation", "road_closure"],
        events=Selector(themes=["flood"]),
        sensors=sensors,
    )
    panel = MapPanel(spec, "en", selection, None, None)
    qtbot.addWidget(panel.widget)
    return panel


def test_map_markers_only_for_matching_events_with_labels_for_the_severe(qtbot: QtBot, feed: Feed) -> None:
    selection = Selection()
    panel = map_panel(qtbot, selection, layers=["districts"])
    feed.apply(
        feed.event("f1", severity=1),
        feed.event("f2", severity=2, type="rainstorm"),
        feed.event("f3", severity=3),
        feed.event("f4", severity=4),
        feed.event("t1", severity=1, theme="traffic", type="congestion"),
        feed.event("f5-closed", severity=1, state="closed"),
    )
    panel.update(feed.frame(), feed.situation)
    labels = {m.id: m.label for m in panel.map.markers()}
    assert labels == {"f1": "Waterlogging", "f2": "Rainstorm", "f3": "", "f4": ""}

    feed.apply(feed.event("f1", severity=1, state="resolved"))
    panel.update(feed.frame(), feed.situation)
    assert {m.id for m in panel.map.markers()} == {"f2", "f3", "f4"}


def test_map_marker_click_selects_the_event(qtbot: QtBot, feed: Feed) -> None:
    selection = Selection()
    panel = map_panel(qtbot, selection)
    feed.apply(feed.event("f1", severity=1), feed.event("f2", severity=2))
    panel.update(feed.frame(), feed.situation)
    with qtbot.waitSignal(selection.changed, timeout=1000) as blocker:
        panel.map.marker_clicked.emit("f2")
    assert blocker.args == ["f2"]
    assert selection.event_id == "f2"


def test_map_draws_listed_overlay_kinds_and_removes_inactive_ones(qtbot: QtBot, feed: Feed) -> None:
    panel = map_panel(qtbot, Selection())
    feed.apply(
        feed.overlay("ov-flood", "inundation", label="Inundation 1"),
        feed.overlay("ov-road", "road_closure"),
        feed.overlay("ov-fire", "fire_spread"),
    )
    panel.update(feed.frame(), feed.situation)
    assert sorted(panel.map.overlay_names()) == ["ov-flood", "ov-road"]

    feed.apply(feed.overlay("ov-flood", "inundation", active=False))
    panel.update(feed.frame(), feed.situation)
    assert panel.map.overlay_names() == ["ov-road"]

    feed.apply(feed.overlay("ov-fire", "fire_spread", active=False))
    panel.update(feed.frame(), feed.situation)
    assert panel.map.overlay_names() == ["ov-road"]


def test_map_sensor_dots_follow_levels(qtbot: QtBot, feed: Feed) -> None:
    sel = Selector(kinds=["water_level"])
    panel = map_panel(qtbot, Selection(), sensors=sel)
    feed.apply(feed.catalog(*RAIN, *LEVELS), feed.batch({10: 3.5, 11: 2.5, 1: 500.0}))
    renders = panel.map.render_count
    panel.update(feed.frame(), feed.situation)
    # 10 alarm, 11 warning, 12 never sampled (no dot); the rain gauge is not selected.
    assert sorted(panel.map.dots()) == [(1, "2.50"), (2, "3.50")]
    assert not [n for n in panel.map.overlay_names() if n.startswith("sensors-")]

    feed.apply(feed.batch({10: 0.5, 11: 0.5, 12: 0.1}))
    panel.update(feed.frame(), feed.situation)
    assert sorted(lv for lv, _ in panel.map.dots()) == [0, 0, 0]

    feed.apply(feed.batch({10: 9.0, 11: 9.0}))
    panel.update(feed.frame(live=False), feed.situation)  # no link: never red or yellow
    assert {lv for lv, _ in panel.map.dots()} == {0}
    # Live values never cost a re-render of the cached map.
    panel.map.grab()
    assert panel.map.render_count <= renders + 1


# ------------------------------------------------------------------------------------- dispatch


@pytest.fixture
def dispatch(
    qtbot: QtBot, feed: Feed, sender: CommandSender
) -> Iterator[tuple[DispatchPanelPresenter, Selection]]:
    selection = Selection()
    presenter = DispatchPanelPresenter(
        Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), "en", selection, sender
    )
    qtbot.addWidget(presenter.widget)
    feed.apply(
        feed.unit("dc-1"),
        feed.unit("dc-2"),
        feed.unit("dc-3", status="out_of_service"),
        feed.event("e1", severity=1, recommended=("dc-3", "dc-1", "dc-2")),
        feed.event("e2", severity=2),
    )
    selection.select("e1")
    presenter.update(feed.frame(), feed.situation)
    yield presenter, selection


def ack(tracker: CommandTracker, command: Command, result: str, reason: str = "") -> None:
    assert tracker.apply([CommandAcked(CommandAck(id=command.id, result=result, reason=reason))])


def test_dispatch_click_sends_one_command_for_the_recommended_available_unit(
    dispatch: tuple[DispatchPanelPresenter, Selection], sent: Sent
) -> None:
    presenter, _ = dispatch
    assert presenter.panel.is_dispatch_enabled()
    assert presenter.panel.button_text() == "Send Drainage crew 1 (Jiangbei) →"
    presenter.panel.dispatch_requested.emit()
    assert [(c.kind, c.event_id, c.unit_id) for c in sent] == [(CommandKind.DISPATCH, "e1", "dc-1")]
    assert presenter.panel.command_level() is CommandLevel.PENDING
    assert not presenter.panel.is_dispatch_enabled()

    presenter.panel.dispatch_requested.emit()  # the second half of a double click
    assert len(sent) == 1


def test_dispatch_click_guard_holds_even_when_the_first_was_answered(
    dispatch: tuple[DispatchPanelPresenter, Selection],
    sent: Sent,
    sender: CommandSender,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    presenter, _ = dispatch
    presenter.panel.dispatch_requested.emit()
    ack(sender.tracker, sent[0], "accepted")  # nothing pending any more
    presenter.panel.dispatch_requested.emit()
    assert len(sent) == 1

    real = time.monotonic
    with monkeypatch.context() as m:
        m.setattr(panels_mod.time, "monotonic", lambda: real() + CLICK_GUARD_S + 0.1)
        presenter.panel.dispatch_requested.emit()
    assert len(sent) == 2
    assert sent[1].id != sent[0].id


def test_dispatch_not_sent_while_a_command_for_the_event_is_pending(
    dispatch: tuple[DispatchPanelPresenter, Selection], feed: Feed, sent: Sent, sender: CommandSender
) -> None:
    presenter, _ = dispatch
    sender.tracker.submitted(
        Command(id="other-console", kind=CommandKind.DISPATCH, event_id="e1", unit_id="dc-2")
    )
    presenter.update(feed.frame(), feed.situation)
    assert presenter.panel.is_busy()
    presenter.panel.dispatch_requested.emit()
    assert sent == []


def test_dispatch_nothing_sent_without_an_available_unit(
    dispatch: tuple[DispatchPanelPresenter, Selection], feed: Feed, sent: Sent
) -> None:
    presenter, selection = dispatch
    selection.select("e2")  # no recommendation
    assert presenter.panel.button_text() == "No unit recommended"
    assert not presenter.panel.is_dispatch_enabled()
    presenter.panel.dispatch_requested.emit()
    assert sent == []


def test_dispatch_rejection_shows_the_reason_as_failed(
    dispatch: tuple[DispatchPanelPresenter, Selection], feed: Feed, sent: Sent, sender: CommandSender
) -> None:
    presenter, _ = dispatch
    presenter.panel.dispatch_requested.emit()
    ack(sender.tracker, sent[0], "rejected", "unit_busy")
    presenter.update(feed.frame(), feed.situation)
    assert presenter.panel.command_level() is CommandLevel.FAILED
    assert "the unit is busy" in presenter.panel.command_text()
    assert presenter.panel.command_text() == "Drainage crew 1 (Jiangbei): rejected: the unit is busy"
    assert not presenter.panel.is_busy()


def test_dispatch_active_offers_another_unit(
    dispatch: tuple[DispatchPanelPresenter, Selection], feed: Feed, sent: Sent, sender: CommandSender
) -> None:
    presenter, _ = dispatch
    presenter.panel.dispatch_requested.emit()
    cmd = sent[0]
    ack(sender.tracker, cmd, "accepted")
    feed.apply(
        feed.dispatch(cmd.id, "e1", "dc-1", "en_route"),
        feed.unit("dc-1", status="en_route", event_id="e1"),
    )
    presenter.update(feed.frame(), feed.situation)
    assert presenter.panel.button_text() == "Send another unit: Drainage crew 2 (Jiangbei) →"
    assert presenter.panel.command_text() == "Drainage crew 1 (Jiangbei): En route"
    assert presenter.panel.command_level() is CommandLevel.OK

    # Once the dispatch is over, the button is a plain first dispatch again.
    feed.apply(feed.dispatch(cmd.id, "e1", "dc-1", "completed"), feed.unit("dc-1"))
    presenter.update(feed.frame(), feed.situation)
    assert presenter.panel.button_text() == "Send Drainage crew 1 (Jiangbei) →"


# ------------------------------------------------------------------------------------- runway view


def test_flood_runway_builds_all_panels(qtbot: QtBot, feed: Feed, sender: CommandSender) -> None:
    spec = load_runway(RUNWAYS / "flood.yaml")
    view = RunwayView(spec, "en", sender)
    qtbot.addWidget(view)
    assert [p.spec.kind for p in view.panels] == [p.kind for p in spec.panels]
    assert {type(p) for p in view.panels} == {MapPanel, TrendPanel, TilesPanel, EventsPanel}
    assert view.events_panel is not None and view.tiles_panel is not None
    assert view.dispatch_panel is None
    assert view.title.text() == "Flood and waterlogging"

    feed.apply(
        feed.catalog(*RAIN, *LEVELS),
        feed.batch({1: 5.0, 4: 6.0, 10: 3.5}),
        feed.event("f1", severity=1, theme="flood"),
        feed.event("t1", severity=1, theme="traffic"),
    )
    pinned = pinned_alarms(feed.situation)
    view.update_frame(feed.frame(), feed.situation, pinned)
    assert view.events_panel.view.event_ids() == ["f1"]
    assert view.selection.event_id == "f1"
    tiles = view.tiles_panel.tiles
    assert len(tiles) == 2  # the two rain gauges a wall panel has room for
    assert [t.widget.value_text() for t in tiles[:2]] == ["5.0", "6.0"]
    assert view.banner.pinned_ids() == ["f1", "t1"]  # every screen pins every theme's alarms
    trend = view.panel(PanelKind.TREND)
    assert isinstance(trend, TrendPanel) and len(trend.curves) == 3


def test_pinned_alarms_only_unacknowledged_severity_one_and_two(feed: Feed) -> None:
    feed.apply(
        feed.event("p1", severity=1, age_s=10),
        feed.event("p2", severity=2),
        feed.event("p2-cleared", severity=2, active=False, age_s=20),
        feed.event("acked", severity=1, state="acknowledged"),
        feed.event("dispatched", severity=2, state="dispatched"),
        feed.event("sev3", severity=3),
        feed.event("sev4", severity=4),
        feed.event("resolved", severity=1, state="resolved"),
        feed.event("closed", severity=2, state="closed"),
    )
    rows = pinned_alarms(feed.situation)
    assert [r.id for r in rows] == ["p1", "p2", "p2-cleared"]
    assert all(not r.acknowledged for r in rows)
    assert {r.id: r.active for r in rows} == {"p1": True, "p2": True, "p2-cleared": False}


def test_a_viewer_sees_dispatch_disabled_with_the_reason(qtbot: QtBot, feed: Feed) -> None:
    sent: list[Command] = []
    sender = CommandSender(tracker=CommandTracker(), send=sent.append, role="viewer")
    selection = Selection()
    presenter = DispatchPanelPresenter(
        Panel(kind=PanelKind.DISPATCH, at=(0, 0, 3, 3)), "en", selection, sender
    )
    qtbot.addWidget(presenter.widget)
    feed.apply(feed.unit("dc-1"), feed.event("e1", severity=1, recommended=("dc-1",)))
    selection.select("e1")
    presenter.update(feed.frame(), feed.situation)
    assert not presenter.panel.is_dispatch_enabled()
    assert "may not dispatch" in presenter.panel.command_text()
    presenter.panel.dispatch_requested.emit()
    assert sent == []
