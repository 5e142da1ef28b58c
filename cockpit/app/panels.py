"""Runway panels: each binds one widget to the situation through a runway file's selector.

A panel is updated once per painted frame with a :class:`Frame` (the model's changes since the
last frame and the link's state); it never listens to the feed. User intent leaves a panel as a
call on its :class:`Selection` or through the :class:`CommandSender` it was given.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import zip_longest
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGridLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cockpit.app.board import action_text, describe, dispatch_state_text
from cockpit.app.commands import CRITICAL_KINDS, CommandTracker, Tracked
from cockpit.app.names import (
    LEVEL_DOWN,
    LEVEL_UP,
    district_name,
    event_type_name,
    level_name,
    overlay_kind_name,
    role_name,
    sensor_kind_name,
    unit_label,
)
from cockpit.app.runway_spec import Panel, PanelKind, Selector
from cockpit.model import ChangeSet, EventRecord, Situation
from cockpit.model.roles import ROLES, may, rights
from cockpit.model.situation import OverlayRecord
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import Command, CommandKind, EventState, SensorInfo, UnitStatus
from widgets import theme
from widgets.dispatch_board import BoardLevel
from widgets.dispatch_button import CommandLevel, DispatchPanel, PanelAction
from widgets.event_list import EventColumn, EventListView, EventRow
from widgets.geo import DEMO_GEO_DIR, load_geojson
from widgets.map_view import LayerStyle, MapMarker, MapView
from widgets.severity import Severity as WidgetSeverity
from widgets.vital_tile import Thresholds, TileLevel, VitalSignTile, classify

log = logging.getLogger(__name__)

MAX_ROWS = 500
DECIMALS = {
    "pipe_pressure": 2,
    "water_level": 2,
    "congestion": 2,
    "repair_progress": 0,
    "rating": 0,
    "fire_risk": 1,
}
"""Digits after the point per sensor kind: enough to see a burst at 0.4 MPa move."""
HISTORY_POINTS = 600
TILE_PERIOD_S = 0.25
TREND_WINDOW_S = 120.0
CLICK_GUARD_S = 1.5
"""After a dispatch click, the button stays locked this long: a double click sends once."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Panels", text)


# ------------------------------------------------------------------------------------- texts


def event_state_text(state: EventState) -> str:
    return {
        EventState.NEW: tr("New"),
        EventState.ACKNOWLEDGED: tr("Acknowledged"),
        EventState.DISPATCHED: tr("Dispatched"),
        EventState.RESOLVED: tr("Resolved"),
        EventState.CLOSED: tr("Closed"),
    }[state]


# ------------------------------------------------------------------------------------- plumbing


@dataclass(slots=True)
class Frame:
    """What every panel gets once per painted frame."""

    changes: ChangeSet
    live: bool
    server_now_ms: int
    sample: bool
    """True once a second: time to add a point to trends and sparklines."""
    slow: bool
    """True twice a second: time to refresh ages and texts that change with the clock."""


class Selection(QObject):
    """The event an operator is working on, shared by a window's panels.

    Signals:
        changed(str): the selected event id.
    """

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.event_id: str | None = None

    def select(self, event_id: str) -> None:
        if event_id and event_id != self.event_id:
            self.event_id = event_id
            self.changed.emit(event_id)


@dataclass(slots=True)
class CommandSender:
    """Sends commands on the operator's behalf and remembers them."""

    tracker: CommandTracker
    send: Callable[[Command], None]
    on_sent: list[Callable[[], None]] = field(default_factory=list)
    role: str = "operator"
    """The operator's role; a viewer's wall shows commands disabled, with the reason."""
    blocked: str = ""
    """Why no command can be sent at all (a replay), in words; empty when commands go out."""
    before_send: list[Callable[[Command], None]] = field(default_factory=list)
    """Called with each command before it goes to the feed (the audit log records it)."""
    confirm_held: Callable[[str], bool] | None = None
    """Send a command the feed held back because it waited too long offline (the officer confirmed)."""
    discard_held: Callable[[str], bool] | None = None
    """Drop such a held command (the officer decided against it)."""

    @property
    def may_command(self) -> bool:
        """Whether the role may change anything at all."""
        return not self.blocked and bool(rights(self.role).may)

    def why_not(self, kind: str) -> str:
        """Why this operator may not send ``kind``, in words; "" when they may (roles table)."""
        if self.blocked:
            return self.blocked
        if may(self.role, kind):
            return ""
        allowed = [role_name(r.role) for r in ROLES.values() if kind in r.may]
        return tr("Your role ({role}) may not {action}; allowed: {allowed}").format(
            role=role_name(self.role), action=action_text(kind), allowed=", ".join(allowed) or "—"
        )

    def __call__(self, command: Command) -> None:
        log.info(
            "command %s %s event=%s unit=%s", command.id, command.kind, command.event_id, command.unit_id
        )
        self.tracker.submitted(command)
        for record in self.before_send:
            record(command)
        self.send(command)
        for callback in self.on_sent:
            callback()


def new_command_id() -> str:
    return uuid7(time.time_ns() // 1_000_000)


def events_matching(situation: Situation, sel: Selector | None) -> list[EventRecord]:
    events = situation.open_events()
    if sel is None:
        return events
    return [
        e
        for e in events
        if (not sel.districts or e.district in sel.districts)
        and (not sel.themes or e.theme in sel.themes)
        and (not sel.types or e.type in sel.types)
    ]


def sensors_matching(situation: Situation, sel: Selector | None) -> list[int]:
    """Rows of the sensor table the selector names, in the selector's order for names."""
    table = situation.sensors
    if sel is None:
        return []
    if sel.names:
        by_name = {info.name: row for row, info in enumerate(table.infos)}
        rows = [by_name[n] for n in sel.names if n in by_name]
    else:
        rows = [
            row
            for row, info in enumerate(table.infos)
            if (not sel.kinds or info.kind in sel.kinds)
            and (not sel.districts or info.district in sel.districts)
            and (not sel.themes or info.theme in sel.themes)
        ]
        if len(sel.districts) > 1:  # take from each named district in turn, not all from the first
            by_district = [[r for r in rows if table.infos[r].district == d] for d in sel.districts]
            rows = [r for group in zip_longest(*by_district) for r in group if r is not None]
    return rows[: sel.limit] if sel.limit else rows


def sensor_title(info: SensorInfo, with_kind: bool = True, with_place: bool = True) -> str:
    """ "Rainfall · Jiangbei 3": kind, district and the sensor's number where there are several.

    Without the kind ("Jiangbei 3") where the panel's title already names it: on a wall every
    character counts.
    """
    number = info.name.rsplit("-", 1)[-1].lstrip("0")
    suffix = f" {number}" if number.isdigit() and number != "1" else ""
    where = f"{district_name(info.district)}{suffix}"
    if not with_place:
        return sensor_kind_name(info.kind)
    return f"{sensor_kind_name(info.kind)} · {where}" if with_kind else where


class PanelBase:
    """A titled frame around one widget."""

    def __init__(self, spec: Panel, lang: str, content: QWidget) -> None:
        self.spec = spec
        self.widget = QWidget()
        self.widget.setObjectName(f"panel-{spec.kind.value}")
        # The runway file's grid decides the panel's size, not its content: a panel never pushes
        # the window off its screen (its content is designed to fit; tests check nothing clips).
        self.widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(self.widget)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.title = QLabel(spec.title.get(lang) or spec.title.get("en", ""))
        self.title.setObjectName("sectionTitle")
        self.title.setVisible(bool(self.title.text()))
        layout.addWidget(self.title)
        layout.addWidget(content, 1)
        self.content = content

    def update(self, frame: Frame, situation: Situation) -> None:
        raise NotImplementedError

    def apply_text_size(self, px: float) -> None:
        """Widgets follow the view's (detail) font; panels with key elements or their own text
        (plots) override this. ``px`` is the key-element height for the reading distance."""


# ------------------------------------------------------------------------------------- events


class EventsPanel(PanelBase):
    """The live event list of a runway, filtered by its selector."""

    def __init__(self, spec: Panel, lang: str, selection: Selection, sender: CommandSender) -> None:
        self.view = EventListView()
        super().__init__(spec, lang, self.view)
        # The state column already says who has acknowledged; narrow panels also drop dispatch
        # text so the event itself stays readable.
        self.view.set_column_visible(EventColumn.ACK, False)
        if spec.at[2] < 6:
            self.view.set_column_visible(EventColumn.DISPATCH, False)
        self.selection = selection
        self.sender = sender
        self.base_title = self.title.text() or tr("Live events")
        self.title.setVisible(True)
        self._dirty = True
        self._was_live = False
        self._events: list[EventRecord] = []
        self._newest_ts = 0
        self.view.selection_changed.connect(self._on_view_selection_changed)
        self.view.acknowledge_requested.connect(self._on_view_acknowledge_requested)
        selection.changed.connect(self._on_selection_changed)

    def mark_dirty(self) -> None:
        self._dirty = True

    def update(self, frame: Frame, situation: Situation) -> None:
        ch = frame.changes
        self._newest_ts = max(self._newest_ts, ch.newest_ts)
        # Rows change only with the data; the title also changes with the link. Rebuilding a
        # list on every half-second tick cost whole frames under load (bench/latency.py).
        rows_changed = self._dirty or ch.events or ch.units or ch.dispatches or ch.replaced
        if rows_changed:
            self._dirty = False
            self._events = events_matching(situation, self.spec.events)[:MAX_ROWS]
            self.view.set_rows([self._row(situation, e) for e in self._events])
        elif not frame.slow or frame.live == self._was_live:
            return
        self._was_live = frame.live
        events = self._events
        n = len(events)
        if frame.live:
            self.title.setText(tr("{title} ({n} open)").format(title=self.base_title, n=n))
        elif self._newest_ts:
            as_of = time.strftime("%H:%M:%S", time.localtime(self._newest_ts / 1000))
            self.title.setText(
                tr("{title} as of {time}: link down, not live ({n} open)").format(
                    title=self.base_title, time=as_of, n=n
                )
            )
        else:
            self.title.setText(tr("{title}: no data yet, link down").format(title=self.base_title))
        if self.selection.event_id is None and events:
            self.selection.select(events[0].id)
        elif self.selection.event_id and self.view.selected_event_id() != self.selection.event_id:
            self.view.select_event(self.selection.event_id)

    @staticmethod
    def _row(situation: Situation, ev: EventRecord) -> EventRow:
        units = [
            unit_label(situation.units[d.unit_id]) + " · " + dispatch_state_text(d.state)
            for d in situation.dispatches_for(ev.id)
            if d.unit_id in situation.units and not d.state.is_final
        ]
        state = (
            tr("Cleared, unacknowledged")
            if ev.state is EventState.NEW and not ev.active
            else event_state_text(ev.state)
        )
        return EventRow(
            id=ev.id,
            severity=WidgetSeverity(int(ev.severity)),
            time_text=time.strftime("%H:%M:%S", time.localtime(ev.time_ms / 1000)),
            title=event_type_name(ev.type, ev.title),
            district=district_name(ev.district),
            state_text=state,
            acknowledged=ev.acknowledged,
            dispatch_text=", ".join(units),
        )

    def _on_view_selection_changed(self, event_id: str) -> None:
        # "" means the selected row left the list (its event closed): keep working on that event;
        # the dispatch target never moves to another event behind the officer's back.
        if event_id:
            self.selection.select(event_id)

    def _on_selection_changed(self, event_id: str) -> None:
        if self.view.selected_event_id() != event_id:
            self.view.select_event(event_id)

    def _on_view_acknowledge_requested(self, event_id: str) -> None:
        self.sender(Command(id=new_command_id(), kind=CommandKind.ACKNOWLEDGE, event_id=event_id))


# ------------------------------------------------------------------------------------- tiles


@dataclass(slots=True)
class _Tile:
    widget: VitalSignTile
    row: int | None = None
    history: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY_POINTS))
    history_shown: bool = True
    """False while the sparkline lacks the newest points (see sample_tiles)."""


class TilesPanel(PanelBase):
    """Vital-sign tiles for the sensors a selector names; stale or unlinked values turn grey."""

    def __init__(self, spec: Panel, lang: str, count: int | None = None) -> None:
        grid_host = QWidget()
        super().__init__(spec, lang, grid_host)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        sel = spec.sensors
        n = count or (sel.limit if sel and sel.limit else (len(sel.names) if sel and sel.names else 4))
        columns = spec.columns or (1 if n == 1 else 2 if n <= 4 else 3)
        self.tiles = [_Tile(VitalSignTile()) for _ in range(n)]
        self._last_paint = 0.0
        for i, t in enumerate(self.tiles):
            t.widget.setMinimumSize(120, 60)
            grid.addWidget(t.widget, i // columns, i % columns)

    def apply_text_size(self, px: float) -> None:
        # Values are key elements (full height); titles and units follow the detail size.
        for tile in self.tiles:
            tile.widget.set_value_scale(px / max(1.0, tile.widget.fontInfo().pixelSize()))

    def update(self, frame: Frame, situation: Situation) -> None:
        ch = frame.changes
        if ch.catalog:
            self._bind(situation)
        if frame.sample:
            sample_tiles(self.tiles, situation, frame)
        now = time.monotonic()
        # Four times a second is as fast as a number can be read from across the room; repainting
        # every tile on every frame under load cost whole frames (bench/latency.py).
        if frame.slow or ch.catalog or (ch.sensors and now - self._last_paint >= TILE_PERIOD_S):
            self._last_paint = now
            update_tiles(self.tiles, situation, frame)

    def _bind(self, situation: Situation) -> None:
        rows = sensors_matching(situation, self.spec.sensors)
        padded: list[int | None] = [*rows, *([None] * len(self.tiles))]
        # A titled panel of one kind ("Rain gauges") names only the place on each tile; of one
        # place ("Weather at the forest park"), only the kind.
        shown = [situation.sensors.infos[r] for r in rows[: len(self.tiles)]]
        one_kind = len({i.kind for i in shown}) == 1
        one_place = len(shown) > 1 and len({(i.district, i.name.rsplit("-", 1)[-1]) for i in shown}) == 1
        titled = bool(self.spec.title)
        for tile, row in zip(self.tiles, padded, strict=False):
            bind_tile(
                tile, situation, row, with_kind=not (titled and one_kind), with_place=not (titled and one_place)
            )


def bind_tile(
    tile: _Tile, situation: Situation, row: int | None, with_kind: bool = True, with_place: bool = True
) -> None:
    if tile.row != row:
        tile.history.clear()
    tile.row = row
    if row is None:
        tile.widget.set_title(tr("No sensor"))
        return
    info = situation.sensors.infos[row]
    tile.widget.set_title(sensor_title(info, with_kind, with_place))
    tile.widget.set_unit(info.unit, DECIMALS.get(info.kind, 1))
    try:
        tile.widget.set_thresholds(info.warn, info.alarm, info.low_warn, info.low_alarm)
    except ValueError as exc:  # a backend's bad catalog entry: show the value, say why in the log
        log.warning("sensor %s: thresholds refused: %s", info.name, exc)
        tile.widget.set_thresholds(None, None, None, None)


def update_tiles(tiles: Sequence[_Tile], situation: Situation, frame: Frame) -> None:
    table = situation.sensors
    for t in tiles:
        if t.row is None or t.row >= len(table) or int(table.ts[t.row]) == 0:
            t.widget.set_reading(None, 0.0, True)
            continue
        ts = int(table.ts[t.row])
        value = float(table.values[t.row])
        age = max(0.0, (frame.server_now_ms - ts) / 1000)
        stale = not frame.live or frame.server_now_ms > int(table.stale_at[t.row])
        t.widget.set_reading(value, age, stale)
        if not t.history_shown:
            t.history_shown = True
            t.widget.set_history(np.fromiter(t.history, dtype=np.float64))


def sample_tiles(tiles: Sequence[_Tile], situation: Situation, frame: Frame) -> None:
    """Once a second each live value becomes a point of its tile's sparkline. The point is painted
    with the tile's next refresh: on its own, the sample frame (which also moves every trend) was
    one of the longest frames on the wall (bench/latency.py)."""
    table = situation.sensors
    for t in tiles:
        if t.row is None or t.row >= len(table) or int(table.ts[t.row]) == 0:
            continue
        if frame.live and frame.server_now_ms <= int(table.stale_at[t.row]):
            t.history.append(float(table.values[t.row]))
            t.history_shown = False


class IndicatorPanel(TilesPanel):
    """One value shown large (fire-risk level, repair progress)."""

    def __init__(self, spec: Panel, lang: str) -> None:
        super().__init__(spec, lang, count=1)

    def _bind(self, situation: Situation) -> None:
        row = next((r for r, i in enumerate(situation.sensors.infos) if i.name == self.spec.indicator), None)
        bind_tile(self.tiles[0], situation, row, with_kind=not self.spec.title)


# ------------------------------------------------------------------------------------- trend


TREND_COLOURS = ("#c9ced6", "#7fa7c9", "#b9a36a", "#8fb39a", "#b48aa8", "#8a9099")


class TrendPanel(PanelBase):
    """Trend curves (pyqtgraph) with warning and alarm lines; downsampled and clipped to view."""

    def __init__(self, spec: Panel, lang: str) -> None:
        self.plot = pg.PlotWidget(background=theme.BG_PANEL)
        super().__init__(spec, lang, self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        # The series are named above the plot, not in a legend over it: on a low wall panel a
        # legend inside the plot covers the very curves it names.
        self.legend = QLabel()
        self.legend.setObjectName("trendLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.plot.getAxis("bottom").setLabel(tr("seconds ago"))
        # Each new point repaints the plot, and the axes replayed their tick labels each time (wall
        # type, drawn as paths: the costliest paint left on the wall). Qt keeps them as pixmaps
        # instead, redrawn only when the ticks change.
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.legend_px = 16
        layout = self.widget.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, self.legend)
        self._limits: list[tuple[float | None, float | None, float | None, float | None]] = []
        self.rows: list[int] = []
        self.curves: list[Any] = []
        self.lines: list[Any] = []
        self.history: list[deque[float]] = []
        self.times: list[deque[float]] = []

    def apply_text_size(self, px: float) -> None:
        font = QFont(self.widget.font())
        font.setPixelSize(max(8, round(px * 0.5)))
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)
        self.legend_px = round(px * 0.5)
        self._relabel()

    def _relabel(self) -> None:
        cached = QGraphicsItem.CacheMode.DeviceCoordinateCache  # text laid out once, as for the axes
        font = QFont(self.widget.font())
        font.setPixelSize(self.legend_px)
        for line in self.lines:
            line.label.setFont(font)
            line.label.textItem.setCacheMode(cached)

    def update(self, frame: Frame, situation: Situation) -> None:
        if frame.changes.catalog:
            self._bind(situation)
        if not frame.sample or not self.rows:
            return
        table = situation.sensors
        now = frame.server_now_ms / 1000
        for i, row in enumerate(self.rows):
            fresh = (
                row < len(table)
                and int(table.ts[row])
                and frame.live
                and frame.server_now_ms <= int(table.stale_at[row])
            )
            if fresh:
                self.history[i].append(float(table.values[row]))
                self.times[i].append(now)
            elif self.history[i] and not np.isnan(self.history[i][-1]):
                # A gap (link down, stale value, backend restart) is drawn as a gap, never bridged.
                self.history[i].append(float("nan"))
                self.times[i].append(now)
            t = np.fromiter(self.times[i], dtype=np.float64) - now
            self.curves[i].setData(t, np.fromiter(self.history[i], dtype=np.float64), connect="finite")
        # A fixed window: moving the range every second repaints both axes, which under load was
        # the costliest paint on the wall (a py-spy profile of bench/latency.py).

    def _bind(self, situation: Situation) -> None:
        rows = sensors_matching(situation, self.spec.sensors)[: len(TREND_COLOURS)]
        infos = situation.sensors.infos
        limits = [(infos[r].warn, infos[r].alarm, infos[r].low_warn, infos[r].low_alarm) for r in rows]
        if rows == self.rows and limits == self._limits:
            return  # same sensors, same thresholds: keep the curves and their history
        self._limits = limits
        self.plot.clear()
        self.rows = rows
        self.curves, self.lines, self.history, self.times = [], [], [], []
        drawn_limits: set[float] = set()
        names = []
        for i, row in enumerate(rows):
            info = situation.sensors.infos[row]
            pen = pg.mkPen(TREND_COLOURS[i], width=3)
            name = sensor_title(info) + (f" ({info.unit})" if info.unit else "")
            names.append(f'<span style="color:{TREND_COLOURS[i]}">━━ {html.escape(name)}</span>')
            curve = self.plot.plot([], [], pen=pen)
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves.append(curve)
            self.history.append(deque(maxlen=HISTORY_POINTS))
            self.times.append(deque(maxlen=HISTORY_POINTS))
            for limit, colour, label, anchor in (
                # High limits label below their line, low ones above: never clipped by the plot's edge.
                (info.warn, theme.SEVERITY_YELLOW, tr("warning"), (1, 0)),
                (info.alarm, theme.SEVERITY_RED, tr("alarm"), (1, 0)),
                (info.low_warn, theme.SEVERITY_YELLOW, tr("low warning"), (1, 1)),
                (info.low_alarm, theme.SEVERITY_RED, tr("low alarm"), (1, 1)),
            ):
                if limit is None or limit in drawn_limits:
                    continue
                drawn_limits.add(limit)
                line = pg.InfiniteLine(
                    pos=limit,
                    angle=0,
                    pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                    label=f"{label} {limit:g}",
                    labelOpts={
                        "position": 0.97,
                        "color": colour,
                        "anchors": [anchor, anchor],
                        "fill": pg.mkBrush(QColor(theme.BG_PANEL)),  # readable over the curves
                    },
                )
                self.plot.addItem(line)
                self.lines.append(line)
        self.legend.setText("&nbsp;&nbsp; ".join(names))
        self.plot.setXRange(-TREND_WINDOW_S, 0, padding=0.02)
        self._relabel()


# ------------------------------------------------------------------------------------- map


@cache
def _geo_layer(name: str) -> dict[str, Any]:
    return load_geojson(DEMO_GEO_DIR / f"{name}.geojson")


LAYER_STYLES: dict[str, LayerStyle] = {
    "districts": LayerStyle(
        stroke="#6c747e", stroke_width=2.0, fill="#272b30", label_property="name", label_scale=2.0
    ),
    "forest_park": LayerStyle(
        stroke="#71907a",
        stroke_width=2.0,
        dashed=True,
        fill="#25302a",
        fill_opacity=0.9,
        label_property="name",
        label_scale=1.1,
    ),
    "rivers": LayerStyle(stroke="#3e5b74", stroke_width=6.0, label_property="name", min_label_zoom=13.0),
    "pipelines": LayerStyle(stroke="#a29779", stroke_width=2.0, dashed=True),
    "hv_lines": LayerStyle(
        stroke="#b4b9c0", stroke_width=1.5, label_property="name", label_scale=0.8, min_label_zoom=13.5
    ),
    "water_sources": LayerStyle(
        stroke="#0c0d0f",
        stroke_width=1.5,
        fill="#5b8fb8",
        point_radius=6.0,
        label_property="name",
        label_scale=0.9,
        min_label_zoom=14.0,
    ),
}

OVERLAY_STYLES: dict[str, LayerStyle] = {
    "fire_spread": LayerStyle(
        stroke=theme.SEVERITY_RED,
        stroke_width=3.0,
        fill=theme.SEVERITY_RED,
        fill_opacity=0.3,
        label_property="label",
        label_scale=1.0,
    ),
    "inundation": LayerStyle(
        stroke=theme.SEVERITY_BLUE,
        stroke_width=3.0,
        fill=theme.SEVERITY_BLUE,
        fill_opacity=0.3,
        label_property="label",
        label_scale=1.0,
    ),
    "road_closure": LayerStyle(
        stroke=theme.SEVERITY_ORANGE, stroke_width=8.0, dashed=True, label_property="label"
    ),
    "affected_area": LayerStyle(
        stroke=theme.SEVERITY_ORANGE,
        stroke_width=3.0,
        fill=theme.SEVERITY_ORANGE,
        fill_opacity=0.25,
        label_property="label",
        label_scale=1.0,
    ),
    "signal_plan": LayerStyle(
        stroke="#0c0d0f",
        stroke_width=2.0,
        fill=theme.SEVERITY_YELLOW,
        point_radius=9.0,
        label_property="label",
        label_scale=0.9,
    ),
}


_DOT_LEVEL = {TileLevel.WARNING: 1, TileLevel.ALARM: 2}


def dot_level(info: SensorInfo, v: float) -> int:
    """0 normal, 1 warning, 2 alarm: the same rule the tiles use (``widgets.vital_tile.classify``)."""
    try:
        limits = Thresholds(info.warn, info.alarm, info.low_warn, info.low_alarm)
    except ValueError:  # a bad catalog entry: show the value, claim no level
        return 0
    return _DOT_LEVEL.get(classify(v, False, limits), 0)


@dataclass(frozen=True, slots=True)
class _DotRows:
    """A map panel's sensor rows with their positions, limits (NaN: none) and decimals, as arrays."""

    rows: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    warn: np.ndarray
    alarm: np.ndarray
    low_warn: np.ndarray
    low_alarm: np.ndarray
    decimals: np.ndarray

    @classmethod
    def empty(cls) -> _DotRows:
        return cls.of([], [])

    @classmethod
    def of(cls, rows: Sequence[int], infos: Sequence[SensorInfo]) -> _DotRows:
        nan = float("nan")
        limits: list[list[float]] = []
        for row in rows:
            i = infos[row]
            given = (i.warn, i.alarm, i.low_warn, i.low_alarm)
            try:
                Thresholds(*given)
            except ValueError:  # a bad catalog entry: show the value, claim no level (as dot_level)
                given = (None, None, None, None)
            limits.append([nan if x is None else float(x) for x in given])
        lim = np.array(limits, dtype=np.float64).reshape(len(rows), 4)
        return cls(
            np.array(rows, dtype=np.int64),
            np.array([infos[r].lon for r in rows], dtype=np.float64),
            np.array([infos[r].lat for r in rows], dtype=np.float64),
            lim[:, 0],
            lim[:, 1],
            lim[:, 2],
            lim[:, 3],
            np.array([DECIMALS.get(infos[r].kind, 1) for r in rows], dtype=np.int64),
        )


class MapPanel(PanelBase):
    """A map of the runway's layers, its events as flashing markers and the backend's overlays."""

    def __init__(
        self,
        spec: Panel,
        lang: str,
        selection: Selection,
        center: tuple[float, float, float] | None,
        risk_points: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]] | None,
    ) -> None:
        # A wall's map is rarely panned: a narrow cached margin (1.44× the view, not 4×) makes each
        # re-render (ratings, overlays) about three times cheaper; a pan past it re-renders once.
        self.map = MapView(cache_margin=0.1)
        super().__init__(spec, lang, self.map)
        self.lang = lang
        self.selection = selection
        for name in spec.layers:
            if name in LAYER_STYLES:
                style = LAYER_STYLES[name]
                if lang != "zh_CN" and style.label_property == "name":
                    style = dataclasses.replace(style, label_property="name_en")
                try:
                    self.map.add_geojson_layer(name, _geo_layer(name), style)
                except (OSError, ValueError) as exc:
                    log.error("map layer %s cannot be shown: %s", name, exc)
            elif name == "risk_points" and risk_points is not None:
                self.map.set_risk_points(*risk_points())
            elif name != "ratings":
                log.error("runway %s: unknown map layer %r", spec.kind.value, name)
        self.center = center
        self._fitted = QSize()  # the view is fitted again whenever the map's size on screen changes
        self.label_severity = 2
        """Markers up to this severity carry their event's name."""
        self._overlay_ids: set[str] = set()
        self._markers_dirty = True
        # Derived from the sensor catalog, kept until it changes (SensorTable.generation): the
        # selector's rows and their limits for the dots, the rating sensors. Matching names over
        # thousands of sensors every second cost whole frames under load (bench/latency.py).
        self._catalog_key: tuple[int, int] = (0, -1)
        self._dots = _DotRows.empty()
        self._rating_rows: list[tuple[str, int]] = []
        self.map.marker_clicked.connect(self._on_map_marker_clicked)

    def apply_text_size(self, px: float) -> None:
        # District names (label_scale 2) and red-event labels are key elements: full height. At
        # that size only level 1 is named; the others keep their icon and numeral.
        self.map.set_marker_label_scale(px / max(1.0, self.map.fontInfo().pixelSize()))
        self.label_severity = 1

    def fit(self) -> None:
        if self.center is not None:
            self.map.set_view(*self.center)
        else:
            self.map.fit_bounds(106.43, 29.47, 106.70, 29.63)

    def update(self, frame: Frame, situation: Situation) -> None:
        ch = frame.changes
        if self._fitted != self.map.size() and self.map.width() > 200 and self.map.height() > 150:
            self._fitted = self.map.size()
            self.fit()
        if ch.events or ch.replaced or self._markers_dirty:
            self._markers_dirty = False
            events = events_matching(situation, self.spec.events) if self.spec.events is not None else []
            self.map.set_markers(
                [
                    MapMarker(
                        e.id,
                        e.lon,
                        e.lat,
                        WidgetSeverity(int(e.severity)),
                        # Names only for the severe: a label per marker would bury the map.
                        event_type_name(e.type, e.title) if int(e.severity) <= self.label_severity else "",
                        e.acknowledged,
                    )
                    for e in events[:400]
                ]
            )
        if ch.overlays or ch.replaced:
            self._update_overlays(situation)
        if self.spec.sensors is not None and frame.sample:
            self._update_sensor_points(frame, situation)
        if "ratings" in self.spec.layers and (ch.sensors or ch.catalog) and frame.slow:
            self._bind_catalog(situation)
            table = situation.sensors
            ratings = {
                district: round(float(table.values[row])) for district, row in self._rating_rows if int(table.ts[row])
            }
            self.map.set_area_ratings({k: min(5, max(1, v)) for k, v in ratings.items()})

    def _update_overlays(self, situation: Situation) -> None:
        wanted: dict[str, OverlayRecord] = {
            o.id: o for o in situation.overlays.values() if o.kind in self.spec.overlays
        }
        for oid in self._overlay_ids - wanted.keys():
            self.map.set_overlay(oid, None)
        for oid, o in wanted.items():
            # The backend's label is in the backend's language; a Chinese wall names the kind instead.
            label = o.label if self.lang == "en" and o.label else overlay_kind_name(o.kind, o.label)
            feature = {"type": "Feature", "properties": {"label": label}, "geometry": o.geojson()}
            try:
                self.map.set_overlay(oid, feature, OVERLAY_STYLES.get(o.kind))
            except ValueError as exc:  # a malformed shape from the backend: skip it, say why
                log.warning("overlay %s not drawn: %s", oid, exc)
        self._overlay_ids = set(wanted)

    def _bind_catalog(self, situation: Situation) -> None:
        """Re-derive what the panel takes from the sensor catalog, if the catalog changed."""
        table = situation.sensors
        key = (id(table), table.generation)
        if key == self._catalog_key:
            return
        self._catalog_key = key
        infos = table.infos
        rows = sensors_matching(situation, self.spec.sensors)[:300] if self.spec.sensors is not None else []
        self._dots = _DotRows.of(rows, infos)
        self._rating_rows = [(info.district, row) for row, info in enumerate(infos) if info.kind == "rating"]

    def _update_sensor_points(self, frame: Frame, situation: Situation) -> None:
        """The panel's sensors as dots: grey when normal or stale, yellow with its value on a
        warning, red with its value on an alarm. Painted above the map, so a refresh costs a
        repaint, never a re-render of the map."""
        self._bind_catalog(situation)
        table, d = situation.sensors, self._dots
        if not len(d.rows):
            self.map.set_dots([], [], [], [])
            return
        # The same rule as dot_level (widgets.vital_tile.classify), for all rows at once: NaN limits
        # (none, or a refused catalog entry) and NaN values compare False, i.e. level 0.
        sampled = table.ts[d.rows] != 0
        rows = d.rows[sampled]
        v = table.values[rows].astype(np.float64)
        alarm = (v >= d.alarm[sampled]) | (v <= d.low_alarm[sampled])
        warning = (v >= d.warn[sampled]) | (v <= d.low_warn[sampled])
        level = np.where(alarm, 2, np.where(warning, 1, 0))
        if not frame.live:
            level[:] = 0
        else:
            level[frame.server_now_ms > table.stale_at[rows]] = 0
        labels = [f"{x:.{n}f}" for x, n in zip(v.tolist(), d.decimals[sampled].tolist(), strict=True)]
        self.map.set_dots(d.lon[sampled].tolist(), d.lat[sampled].tolist(), level.tolist(), labels)

    def _on_map_marker_clicked(self, event_id: str) -> None:
        self.selection.select(event_id)


# ------------------------------------------------------------------------------------- dispatch


class DispatchPanelPresenter(PanelBase):
    """One-click dispatch of the selected event's recommended unit, with the command's state, and
    the event's other actions: acknowledge, activate a recommended plan, escalate or hand down,
    cancel a running dispatch, close. Actions the role may not take are shown disabled, with why."""

    def __init__(self, spec: Panel, lang: str, selection: Selection, sender: CommandSender) -> None:
        self.panel = DispatchPanel()
        super().__init__(spec, lang, self.panel)
        self.selection = selection
        self.sender = sender
        self.situation: Situation | None = None
        self.on_wall = False
        """On a wall screen: one line of event text, the button, the state; actions stay on the console."""
        self.plan_titles: Callable[[str], str] = lambda plan_type: plan_type
        """Plan type → its title in the operator's language (set by the wiring from the plan files)."""
        self._last_click = -CLICK_GUARD_S
        # Unlocks the button after the click guard; a child of the panel's widget, so it dies with
        # it (a functor single-shot could fire on a deleted panel).
        self._unlock = QTimer(self.widget)
        self._unlock.setSingleShot(True)
        self._unlock.setInterval(int(CLICK_GUARD_S * 1000) + 50)
        self._unlock.timeout.connect(self.refresh)
        self.panel.dispatch_requested.connect(self._on_panel_dispatch_requested)
        self.panel.action_requested.connect(self._on_panel_action_requested)
        selection.changed.connect(self._on_selection_changed)

    def apply_text_size(self, px: float) -> None:
        # The send button's text is the key element; the rest follows the view's detail size.
        self.panel.set_button_text_px(round(px))
        self.on_wall = True

    def update(self, frame: Frame, situation: Situation) -> None:
        self.situation = situation
        ch = frame.changes
        if frame.slow or ch.events or ch.units or ch.dispatches or ch.plans or ch.replaced:
            self.refresh()

    def _selected(self) -> EventRecord | None:
        situation = self.situation
        return situation.events.get(self.selection.event_id or "") if situation is not None else None

    def refresh(self) -> None:
        situation = self.situation
        panel = self.panel
        ev = self._selected()
        if situation is None or ev is None:
            panel.set_target("", "", False)
            panel.set_actions([])
            last = self.sender.tracker.latest_for_event(self.selection.event_id or "", CommandKind.DISPATCH)
            if situation is not None and last is not None:
                # The event is gone (a backend that lost its state): still say what became of the
                # command sent for it, never drop it without a word.
                panel.set_command_state(*self._command_text(situation, last))
            else:
                panel.set_command_state("", CommandLevel.IDLE)
            panel.set_busy(False)
            return
        uid = self._recommended_unit(situation, ev)
        event_text = f"{event_type_name(ev.type, ev.title)} · {district_name(ev.district)}"
        if not self.on_wall:  # the desk has room for where it came from and who holds it
            if ev.source:
                event_text = f"{event_text} · {ev.source}"
            event_text = f"{event_text} · {tr('held by the {level}').format(level=level_name(ev.level))}"
        unit_text = unit_label(situation.units[uid]) if uid else ""
        if uid and any(not d.state.is_final for d in situation.dispatches_for(ev.id)):
            unit_text = tr("another unit: {unit}").format(unit=unit_text)  # a deliberate second unit
        tracker = self.sender.tracker
        cooling = time.monotonic() - self._last_click < CLICK_GUARD_S
        panel.set_actions(self._actions(situation, ev))
        why_not = self.sender.why_not(CommandKind.DISPATCH)
        if why_not:
            # Shown, not hidden: the officer sees what would be sent and why it cannot be.
            panel.set_target(event_text, unit_text, False)
            panel.set_command_state(why_not, CommandLevel.IDLE)
            return
        panel.set_target(event_text, unit_text, uid is not None and ev.open and not cooling)
        text, level = self._command_text(situation, tracker.latest_for_event(ev.id, CommandKind.DISPATCH))
        panel.set_command_state(text, level)
        # After the state line (which unlocks on any final state): locked while a dispatch is pending.
        panel.set_busy(tracker.pending_for_event(ev.id, CommandKind.DISPATCH))

    def _actions(self, situation: Situation, ev: EventRecord) -> list[PanelAction]:
        tracker = self.sender.tracker
        actions: list[PanelAction] = []

        def add(key: str, kind: CommandKind, text: str, critical: bool = False, busy: bool = False) -> None:
            why = self.sender.why_not(kind)
            if not why and busy:
                why = tr("waiting for the answer to the last one")
            actions.append(PanelAction(key, text, not why, why, critical))

        if ev.state is EventState.NEW:
            add("ack", CommandKind.ACKNOWLEDGE, tr("Acknowledge"),
                busy=tracker.pending_for_event(ev.id, CommandKind.ACKNOWLEDGE))
        running = {p.plan_type for p in situation.plans_for(ev.id) if p.state != "closed"}
        for plan_type in ev.plans:
            if plan_type not in running:
                add(f"plan:{plan_type}", CommandKind.ACTIVATE_PLAN,
                    tr("Activate plan: {plan}").format(plan=self.plan_titles(plan_type)), critical=True,
                    busy=tracker.pending_for_event(ev.id, CommandKind.ACTIVATE_PLAN))
        up, down = LEVEL_UP.get(ev.level), LEVEL_DOWN.get(ev.level)
        if up is not None:
            add("escalate", CommandKind.ESCALATE, tr("Escalate to {level}").format(level=level_name(up)),
                busy=tracker.pending_for_event(ev.id, CommandKind.ESCALATE))
        if down is not None:
            add("hand_down", CommandKind.HAND_DOWN, tr("Hand down to {level}").format(level=level_name(down)),
                busy=tracker.pending_for_event(ev.id, CommandKind.HAND_DOWN))
        for d in situation.dispatches_for(ev.id):
            if not d.state.is_final:
                unit = situation.units.get(d.unit_id)
                who = unit_label(unit) if unit is not None else d.unit_id
                add(f"cancel:{d.command_id}", CommandKind.CANCEL, tr("Call off {unit}").format(unit=who),
                    critical=True, busy=tracker.cancel_pending(d.command_id))
        if ev.shelved_until:
            add("unshelve", CommandKind.UNSHELVE, tr("Unshelve"),
                busy=tracker.pending_for_event(ev.id, CommandKind.UNSHELVE))
        if ev.state is EventState.RESOLVED:
            add("close", CommandKind.CLOSE, tr("Close event"),
                busy=tracker.pending_for_event(ev.id, CommandKind.CLOSE))
        return actions

    @staticmethod
    def _recommended_unit(situation: Situation, ev: EventRecord) -> str | None:
        for uid in ev.recommended:
            unit = situation.units.get(uid)
            if unit is not None and unit.status is UnitStatus.AVAILABLE:
                return uid
        return None

    def _command_text(self, situation: Situation, t: Tracked | None) -> tuple[str, CommandLevel]:
        if t is None:
            return tr("Ready"), CommandLevel.IDLE
        unit = situation.units.get(t.command.unit_id)
        who = unit_label(unit) if unit is not None else t.command.unit_id
        line = describe(situation, t)
        if t.phase.pending:
            level = CommandLevel.PENDING
        else:
            level = {
                BoardLevel.DONE: CommandLevel.OK,
                BoardLevel.PENDING: CommandLevel.OK,
                BoardLevel.FAILED: CommandLevel.FAILED,
                BoardLevel.ENDED: CommandLevel.FAILED,
                BoardLevel.HELD: CommandLevel.PENDING,
            }[line.level]
        return tr("{unit}: {state}").format(unit=who, state=line.text), level

    def _on_selection_changed(self, _event_id: str) -> None:
        self.refresh()

    def _on_panel_action_requested(self, key: str) -> None:
        situation, ev = self.situation, self._selected()
        if situation is None or ev is None:
            return
        action, _, ref = key.partition(":")
        kind = {
            "ack": CommandKind.ACKNOWLEDGE,
            "plan": CommandKind.ACTIVATE_PLAN,
            "escalate": CommandKind.ESCALATE,
            "hand_down": CommandKind.HAND_DOWN,
            "cancel": CommandKind.CANCEL,
            "close": CommandKind.CLOSE,
            "unshelve": CommandKind.UNSHELVE,
        }[action]
        if self.sender.why_not(kind):
            return
        tracker = self.sender.tracker
        if (kind == CommandKind.CANCEL and tracker.cancel_pending(ref)) or (
            kind != CommandKind.CANCEL and tracker.pending_for_event(ev.id, kind)
        ):
            return  # a pending command is never sent twice
        self.sender(
            Command(
                id=new_command_id(),
                kind=kind,
                event_id=ev.id,
                ref=ref,
                occurrence=ev.occurrence if kind == CommandKind.ACKNOWLEDGE else 0,
                critical=kind in CRITICAL_KINDS,
            )
        )
        self.refresh()

    def _on_panel_dispatch_requested(self) -> None:
        if self.sender.why_not(CommandKind.DISPATCH):
            return  # the button is disabled for viewers; the backend refuses them too
        situation = self.situation
        ev = self._selected()
        if (
            situation is None
            or ev is None
            or self.sender.tracker.pending_for_event(ev.id, CommandKind.DISPATCH)
        ):
            return  # a pending dispatch is never sent twice
        if time.monotonic() - self._last_click < CLICK_GUARD_S:
            return  # the second half of a double click is not a second dispatch
        uid = self._recommended_unit(situation, ev)
        if uid is None:
            return
        self._last_click = time.monotonic()
        self.sender(Command(id=new_command_id(), kind=CommandKind.DISPATCH, event_id=ev.id, unit_id=uid))
        self.refresh()
        self._unlock.start()


# ------------------------------------------------------------------------------------- factory


def build_panel(
    spec: Panel,
    lang: str,
    selection: Selection,
    sender: CommandSender,
    center: tuple[float, float, float] | None,
    risk_points: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]] | None,
) -> PanelBase:
    kind = spec.kind
    if kind is PanelKind.EVENTS:
        return EventsPanel(spec, lang, selection, sender)
    if kind is PanelKind.TILES:
        return TilesPanel(spec, lang)
    if kind is PanelKind.INDICATOR:
        return IndicatorPanel(spec, lang)
    if kind is PanelKind.TREND:
        return TrendPanel(spec, lang)
    if kind is PanelKind.MAP:
        return MapPanel(spec, lang, selection, center, risk_points)
    if kind is PanelKind.DISPATCH:
        return DispatchPanelPresenter(spec, lang, selection, sender)
    raise ValueError(f"panel kind {kind.value!r} has no widget yet")
