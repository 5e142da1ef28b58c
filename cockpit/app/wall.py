"""The wall: one frameless full-screen window per screen, the operator console, hot-plug.

Every runway view is fed from one frame timer: the model's changes are taken once per frame and
fanned out to all views, so every screen shows the same consistent instant.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.app.board import board_rows
from cockpit.app.cadence import SLOW_S, Cadence
from cockpit.app.names import district_name, event_type_name
from cockpit.app.panels import (
    CommandSender,
    DispatchPanelPresenter,
    Frame,
    MapPanel,
    Selection,
    new_command_id,
)
from cockpit.app.plans_ui import (
    PlanPresenter,
    builtin_plans,
    builtin_sla,
    duration_text,
    plan_title,
)
from cockpit.app.runway_spec import Panel, PanelKind, RunwayError, RunwaySpec
from cockpit.app.runway_view import (
    DETAIL_RATIO,
    MODE_MARKING_STYLE,
    RunwayView,
    pinned_alarms,
    screen_window_flags,
)
from cockpit.app.wall_layout import (
    Assignment,
    ScreenInfo,
    WallLayout,
    assign,
    legible_text_px,
    span_cells,
    text_height_mm,
)
from cockpit.feed import ConnectionState
from cockpit.model import Situation
from cockpit.model.alarms import AlarmBoard, AlarmKpis, AlarmView, ConsoleScope, FloodState
from cockpit.model.sla import breached, sla_timers
from cockpit.protocol.messages import Command, CommandKind
from widgets.alarm_list import AlarmListView, AlarmRow
from widgets.dispatch_board import DispatchBoard
from widgets.map_view import RenderPacer
from widgets.plan_view import PlanView
from widgets.severity import Severity as WidgetSeverity
from widgets.shelve_form import ShelveForm
from widgets.status_bar import ConnectionStatusWidget, LinkLevel

log = logging.getLogger(__name__)

FRAME_MS = 16
CONSOLE = "\0console"
"""The console's name in the wall's cadence (runway ids cannot hold a NUL)."""
"""The wall's steady frame period (60 Hz): the model is read once per frame, never per message."""
FLASH_MS = 500
"""All banners flash in step: one phase every 500 ms (1 Hz, under the 3 Hz limit)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Wall", text)


def screen_info(screen: QScreen) -> ScreenInfo:
    g = screen.geometry()
    return ScreenInfo(
        screen.name(),
        screen.manufacturer(),
        screen.model(),
        screen.serialNumber(),
        g.x(),
        g.y(),
        g.width(),
        g.height(),
    )


class ScreenWindow(QMainWindow):
    """A frameless window filling one screen, showing one runway."""

    def __init__(self, view: RunwayView, screen: ScreenInfo) -> None:
        super().__init__(None, screen_window_flags())
        self.view = view
        self.screen_info = screen
        self.setObjectName(f"screen-{view.spec.id}")
        self.setWindowTitle(view.spec.id)
        self.setCentralWidget(view)
        self.setGeometry(QRect(screen.x, screen.y, screen.width, screen.height))


class SpanWindow(QMainWindow):
    """One frameless window over a wall controller's single large display, runways as tiles."""

    def __init__(self) -> None:
        super().__init__(None, screen_window_flags())
        self.setObjectName("span")
        self.setWindowTitle(tr("Cockpit · wall"))
        self.host = QWidget()
        self.setCentralWidget(self.host)

    def lay_out(self, display: ScreenInfo, placed: dict[str, tuple[RunwayView, ScreenInfo]]) -> None:
        self.setGeometry(QRect(display.x, display.y, display.width, display.height))
        self.host.resize(display.width, display.height)
        for view, cell in placed.values():  # absolute cells: each runway exactly on its panel
            view.setParent(self.host)
            view.setGeometry(QRect(cell.x - display.x, cell.y - display.y, cell.width, cell.height))
            view.show()


def alarm_row(view: AlarmView) -> AlarmRow:
    """One alarm of the board as the list widget draws it (ISA-18.2 flags, the seen occurrence)."""
    e, a = view.record, view.alarm
    return AlarmRow(
        id=e.id,
        severity=WidgetSeverity(int(e.severity)),
        time_text=time.strftime("%H:%M:%S", time.localtime(e.time_ms / 1000)),
        source=district_name(e.district),
        message=event_type_name(e.type, e.title),
        active=a.active,
        acknowledged=a.acknowledged,
        shelved=view.display.value == "shelved",
        suppressed=bool(a.suppressed),
        out_of_service=bool(a.out_of_service),
        acked_by=a.acked_by,
        occurrence=a.occurrence,
    )


def flood_detail(flood: FloodState, groups: int = 3) -> str:
    """The flood's largest groups, e.g. "Waterlogging ×5 Jiangbei · Traffic jam ×3 Yuzhong"."""
    return " · ".join(
        f"{event_type_name(g.type, g.type)} ×{g.count} {district_name(g.district)}" for g in flood.groups[:groups]
    )


def kpi_text(k: AlarmKpis, flood: FloodState) -> str:
    """The console's alarm KPIs in words (EEMUA 191 figures in brackets)."""
    lines = [
        tr("Alarm rate: {n10} in the last 10 min (acceptable: ≤ 1), {nh} in the last hour (≤ 6)").format(
            n10=k.rate_10min, nh=k.rate_hour
        ),
        tr("Time in flood: {pct:.1f} % of the last 24 h").format(pct=k.time_in_flood_pct),
        tr("Flood now: {state}").format(
            state=tr("yes, {n} alarms in 10 min: {groups}").format(n=flood.count, groups=flood_detail(flood))
            if flood.flooding
            else tr("no")
        ),
        tr("Top bad actors: {list}").format(
            list=", ".join(f"{src} ({n})" for src, n in k.bad_actors[:5]) or tr("none")
        ),
        tr("Chattering: {list}").format(list=", ".join(f"{tag} ({n}/min)" for tag, n in k.chattering[:5]) or tr("none")),
        tr("Stale (active and unacknowledged over 24 h): {n}").format(n=len(k.stale)),
    ]
    return "\n".join(lines)


class ConsoleWindow(QMainWindow):
    """The operator console: which runway is on which screen, and the runways with no screen."""

    def __init__(self, sender: CommandSender, lang: str) -> None:
        super().__init__()
        self.setObjectName("console")
        self.setWindowTitle(tr("Cockpit · operator console"))
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        host = QWidget()
        columns = QHBoxLayout(host)
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = ConnectionStatusWidget()
        layout.addWidget(self.status)
        columns.addWidget(left, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(right, 3)
        # The desk's own alarm list and dispatch, for the officer at the console.
        self.selection = Selection()
        self.situation: Situation | None = None
        self.command_sender = sender
        alarms_title = QLabel(tr("Alarms"))
        alarms_title.setObjectName("sectionTitle")
        right_layout.addWidget(alarms_title)
        self.alarms = AlarmListView()
        right_layout.addWidget(self.alarms, 3)
        self.dispatch = DispatchPanelPresenter(
            Panel(kind=PanelKind.DISPATCH, at=(0, 0, 1, 1)), lang, self.selection, sender
        )
        right_layout.addWidget(self.dispatch.widget, 2)
        self.board = DispatchBoard()
        right_layout.addWidget(self.board, 2)
        self.board.cancel_requested.connect(self._on_board_cancel_requested)
        self.board.send_held_requested.connect(self._on_board_send_held_requested)
        self.board.discard_held_requested.connect(self._on_board_discard_held_requested)
        self._board_dirty = True
        self.alarms.selection_changed.connect(self._on_alarms_selection_changed)
        self.alarms.acknowledge_requested.connect(self._on_alarms_acknowledge_requested)
        self.alarms.shelve_requested.connect(self._on_alarms_shelve_requested)
        self.shelve_form = ShelveForm()
        self.shelve_form.set_choices(
            [tr("Sensor under maintenance"), tr("Known fault, repair ordered"), tr("Nuisance: chattering")],
            [
                (tr("until it clears"), 0),
                (tr("15 min"), 15),
                (tr("1 h"), 60),
                (tr("4 h"), 240),
                (tr("8 h"), 480),
            ],
        )
        self.shelve_form.setVisible(False)
        self._shelving = ""
        self.shelve_form.shelve_requested.connect(self._on_shelve_form_shelve_requested)
        self.shelve_form.cancelled.connect(self._on_shelve_form_cancelled)
        right_layout.addWidget(self.shelve_form)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        right_layout.addWidget(self.notice)
        self.selection.changed.connect(self._on_selection_changed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.plan_view = PlanView()
        self.plans = PlanPresenter(self.plan_view, self.selection, sender, lang, operator="")
        layout.addWidget(self.plan_view, 3)
        self.dispatch.plan_titles = lambda plan_type: plan_title(builtin_plans(), plan_type, lang)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr("Runway"), tr("Screen"), tr("Geometry")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.readability = QLabel()
        self.readability.setWordWrap(True)
        layout.addWidget(self.readability)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setStyleSheet("color: #ff6b5e; font-weight: bold;")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        self.tabs.addTab(host, tr("Wall"))
        self.scope = ConsoleScope("console", levels=frozenset({"district", "city"}))
        """Which alarms this console is annunciated: a city or district centre leaves the street
        centres' reports to them (the site configuration sets the district and level)."""
        self.alarm_board: AlarmBoard | None = None
        self.flood = FloodState(False, 0)
        self.kpis_view = QLabel()
        self.kpis_view.setObjectName("alarmKpis")
        self.kpis_view.setWordWrap(True)
        self.kpis_view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(self.kpis_view, tr("Alarm KPIs"))
        self.views: dict[str, RunwayView] = {}

    def show_assignment(self, titles: dict[str, str], assignment: Assignment, screens: int) -> None:
        rows = [
            (rid, s.key, f"{s.width}×{s.height} @ {s.x},{s.y}") for rid, s in assignment.on_screen.items()
        ]
        rows += [(rid, tr("console"), "") for rid in assignment.on_console]
        self.table.setRowCount(len(rows))
        for i, (rid, where, geom) in enumerate(rows):
            for j, text in enumerate((titles.get(rid, rid), where, geom)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.summary.setText(
            tr("{placed} runways on {screens} screens; {console} in this console").format(
                placed=len(assignment.on_screen), screens=screens, console=len(assignment.on_console)
            )
        )

    def update_frame(self, frame: Frame, situation: Situation, operator: str) -> None:
        self.situation = situation
        self.plans.operator = operator
        self.dispatch.update(frame, situation)
        self.plans.update(frame, situation)
        ch = frame.changes
        if self._board_dirty or ch.dispatches or ch.replaced or (frame.slow and ch.events):
            self._board_dirty = False
            self.board.set_rows(board_rows(self.command_sender.tracker, situation))
        board = self.alarm_board
        if board is None or board.events is not situation.events:
            board = self.alarm_board = AlarmBoard(situation.events, [self.scope])
        now = frame.server_now_ms
        # A snapshot replaced the events: every id is news to the board (occurrences it has counted
        # are not counted twice).
        board.update(situation.events.keys() if ch.replaced else ch.events, now)
        if ch.events or ch.replaced or frame.slow:
            views = board.rows(now)
            if ch.events or ch.replaced or [v.record.id for v in views] != self.alarms.alarm_ids():
                self.alarms.set_rows([alarm_row(v) for v in views])
            if self.selection.event_id is None and situation.open_events():
                self.selection.select(situation.open_events()[0].id)
        if frame.slow:
            self.alarms.set_not_current("" if frame.live else tr("No data: the link is down, alarms may be missing"))
            self.flood = board.flood()
            self.kpis_view.setText(kpi_text(board.kpis(), self.flood))

    def _on_alarms_selection_changed(self, event_id: str) -> None:
        if event_id:
            self.selection.select(event_id)

    def _on_selection_changed(self, event_id: str) -> None:
        if self.alarms.selected_alarm_id() != event_id:
            self.alarms.select_alarm(event_id)

    def commands_changed(self) -> None:
        """A command was sent or answered: the board is redrawn on the next frame."""
        self._board_dirty = True

    def _on_alarms_acknowledge_requested(self, event_id: str, occurrence: int) -> None:
        if self.command_sender.tracker.pending_for_event(event_id, CommandKind.ACKNOWLEDGE):
            return  # a pending command is never sent twice
        self.command_sender(
            Command(
                id=new_command_id(), kind=CommandKind.ACKNOWLEDGE, event_id=event_id, occurrence=occurrence
            )
        )

    def _on_board_send_held_requested(self, command_id: str) -> None:
        confirm = self.command_sender.confirm_held
        if confirm is not None and confirm(command_id):
            self._board_dirty = True

    def _on_board_discard_held_requested(self, command_id: str) -> None:
        discard = self.command_sender.discard_held
        if discard is not None and discard(command_id):
            self._board_dirty = True

    def _on_board_cancel_requested(self, command_id: str) -> None:
        situation = self.situation
        tracked = self.command_sender.tracker.commands.get(command_id)
        if tracked is None or self.command_sender.tracker.cancel_pending(command_id):
            return
        event_id = tracked.command.event_id
        if situation is not None and command_id in situation.dispatches:
            event_id = situation.dispatches[command_id].event_id
        self.command_sender(
            Command(
                id=new_command_id(), kind=CommandKind.CANCEL, event_id=event_id, ref=command_id, critical=True
            )
        )

    def _on_alarms_shelve_requested(self, event_id: str) -> None:
        situation = self.situation
        ev = situation.events.get(event_id) if situation is not None else None
        if ev is None:
            return
        self._shelving = event_id
        target = tr("Shelve: {event} · {district}").format(
            event=event_type_name(ev.type, ev.title), district=district_name(ev.district)
        )
        why = self.command_sender.why_not(CommandKind.SHELVE)
        self.shelve_form.open_for(target, allowed=not why, why_not=why)
        self.shelve_form.setVisible(True)

    def _on_shelve_form_shelve_requested(self, reason: str, minutes: int) -> None:
        event_id, self._shelving = self._shelving, ""
        self.shelve_form.setVisible(False)
        if not event_id or self.command_sender.why_not(CommandKind.SHELVE):
            return
        until = 0
        if minutes and self.situation is not None:
            until = self.situation.server_now(time.time_ns() // 1_000_000) + minutes * 60_000
        self.command_sender(
            Command(id=new_command_id(), kind=CommandKind.SHELVE, event_id=event_id, note=reason, until=until)
        )

    def _on_shelve_form_cancelled(self) -> None:
        self._shelving = ""
        self.shelve_form.setVisible(False)

    def set_mode_marking(self, text: str) -> None:
        """The same band as the wall's screens, above the console's tabs."""
        band = self.menuWidget()
        if not isinstance(band, QLabel):
            band = QLabel()
            band.setObjectName("modeMarking")
            band.setAlignment(Qt.AlignmentFlag.AlignCenter)
            band.setStyleSheet(MODE_MARKING_STYLE)
            font = band.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            band.setFont(font)
            self.setMenuWidget(band)
        band.setText(text)
        band.setVisible(bool(text))

    def show_problems(self, problems: Sequence[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def hold(self, view: RunwayView) -> None:
        """Show a runway that has no screen in a tab of its own."""
        if view.spec.id not in self.views:
            self.views[view.spec.id] = view
            self.tabs.addTab(view, view.title.text())

    def release(self, view: RunwayView) -> None:
        if self.views.pop(view.spec.id, None) is not None:
            self.tabs.removeTab(self.tabs.indexOf(view))


class Wall(QObject):
    """Builds the runway views, places them on screens and keeps them in step with the model.

    Args:
        runways: Loaded runway files.
        errors: Runway files that were refused; shown on the console, the wall starts anyway.
        layout: The wall layout.
        situation: The live model.
        sender: Sends the operator's commands.
        link: Returns the link's state, label level, age and detail for the status lines.
        lang: Language of titles.
        risk_points: The map's risk-point layer source.
    """

    def __init__(
        self,
        runways: Sequence[RunwaySpec],
        errors: Sequence[RunwayError],
        layout: WallLayout,
        situation: Situation,
        sender: CommandSender,
        link: Callable[[], tuple[ConnectionState, str, LinkLevel, str]],
        lang: str,
        risk_points: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        super().__init__()
        self.layout = layout
        self.situation = situation
        self.link = link
        self.views = {r.id: RunwayView(r, lang, sender, risk_points) for r in runways}
        # One pacer for every map on the wall: when their content changes together, they re-render
        # in successive frames instead of all in one late frame (widgets/map_view.py, RenderPacer).
        self.map_pacer = RenderPacer()
        for view in self.views.values():
            for panel in view.panels:
                if isinstance(panel, MapPanel):
                    panel.map.set_render_pacer(self.map_pacer)
        for view in self.views.values():
            if view.dispatch_panel is not None:
                view.dispatch_panel.plan_titles = lambda plan_type: plan_title(builtin_plans(), plan_type, lang)
        self.order = [r.id for r in runways]
        self.windows: dict[str, ScreenWindow] = {}
        self.span: SpanWindow | None = None
        self.text_scale = 1.0
        """The operator's --scale."""
        self.first_live_frame_at = 0.0
        """Wall-clock time of the first frame that showed live sensor data (startup benchmark)."""
        self.readability = ""
        self.console = ConsoleWindow(sender, lang)
        self.operator = ""
        self.problems = [str(e) for e in errors]
        loaded = {r.id for r in runways}
        refused = {e.path.stem for e in errors}
        for entry in layout.screens:
            if entry.runway not in loaded:
                why = (
                    tr("its file was refused")
                    if entry.runway in refused
                    else tr("no runway file has that id")
                )
                problem = tr("wall layout: runway {id} is not shown: {why}").format(id=entry.runway, why=why)
                self.problems.append(problem)
                log.error("%s", problem)
        self.console.show_problems(self.problems)
        self.assignment = Assignment({}, list(self.order), [])
        self.screens: list[ScreenInfo] = []
        self.frames = 0
        self.newest_ts = 0
        self._flash = False
        # Each screen's twice- and once-a-second work in a frame of its own (cockpit/app/cadence.py).
        self.cadence = Cadence([*self.views, CONSOLE], time.monotonic())
        # What every screen shows alike on its slow moments (pinned alarms, SLA badge, flood
        # groups): worked out once per change or half second, not once per screen's slot.
        self._shared: tuple[list[AlarmRow], str, str] = ([], "", "")
        self._shared_at = -SLOW_S
        self._shared_dirty = True
        self.timer = QTimer(self.console)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.frame)
        self.flash_timer = QTimer(self.console)
        self.flash_timer.setInterval(FLASH_MS)
        self.flash_timer.timeout.connect(self._on_flash_timer_timeout)
        sender.on_sent.append(self.commands_changed)

    # --------------------------------------------------------------------------- placement

    def place(self, screens: Sequence[ScreenInfo]) -> Assignment:
        """Put runways on ``screens`` (again, after a hot-plug); the rest go to the console."""
        self.screens = list(screens)
        if self.layout.spanning and screens:
            return self._place_spanning(screens)
        new = assign(self.layout, screens, self.order)
        for rid, view in self.views.items():
            screen = new.on_screen.get(rid)
            window = self.windows.get(rid)
            if screen is None:
                if window is not None:
                    window.takeCentralWidget()
                    window.close()
                    window.deleteLater()
                    del self.windows[rid]
                self.console.hold(view)
                continue
            self.console.release(view)
            self._size_text(view, screen)
            if window is None:
                window = ScreenWindow(view, screen)
                view.setVisible(True)  # a console tab that was not current left it hidden
                self.windows[rid] = window
            elif window.screen_info != screen:
                window.screen_info = screen
                window.setGeometry(QRect(screen.x, screen.y, screen.width, screen.height))
        self.assignment = new
        titles = {rid: v.title.text() for rid, v in self.views.items()}
        self.console.show_assignment(titles, new, len(screens))
        log.info(
            "wall: %s on screens; %s in the console",
            ", ".join(f"{r}→{s.key}" for r, s in new.on_screen.items()) or "nothing",
            ", ".join(new.on_console) or "nothing",
        )
        return new

    def _place_spanning(self, screens: Sequence[ScreenInfo]) -> Assignment:
        display = max(screens, key=lambda s: s.width * s.height)
        cells = span_cells(display, len(self.layout.screens), self.layout.tiles)
        new = assign(self.layout, cells, self.order)
        for rid in list(self.windows):  # per-screen windows give way to the one spanning window
            window = self.windows.pop(rid)
            window.takeCentralWidget()
            window.close()
            window.deleteLater()
        if self.span is None:
            self.span = SpanWindow()
        self.span.lay_out(display, {rid: (self.views[rid], cell) for rid, cell in new.on_screen.items()})
        for rid, view in self.views.items():
            if rid in new.on_screen:
                self.console.release(view)
                self._size_text(view, new.on_screen[rid])
                view.setVisible(True)
            else:
                self.console.hold(view)
        self.assignment = new
        titles = {rid: v.title.text() for rid, v in self.views.items()}
        self.console.show_assignment(titles, new, 1)
        log.info("wall: spanning %s with %d runways", display.key, len(new.on_screen))
        return new

    def _size_text(self, view: RunwayView, screen: ScreenInfo) -> None:
        need_px = legible_text_px(self.layout, screen.height)
        if self.layout.size_for_distance:
            px = need_px * self.text_scale
            view.apply_text_size(px)
            detail_px = px * DETAIL_RATIO
        else:
            px = view.fontInfo().pixelSize() * self.text_scale
            if self.text_scale != 1.0:
                view.apply_text_size(px)
            detail_px = px
        have_mm = text_height_mm(self.layout, px, screen.height)
        detail_mm = text_height_mm(self.layout, detail_px, screen.height)
        need_mm = self.layout.reading_distance_m * 1000 / 200
        self.readability = tr(
            'Wall type on a {diag:g}" panel: key elements {have:.0f} mm, details {detail:.0f} mm; '
            "from {dist:g} m text needs {need:.0f} mm"
        ).format(
            have=have_mm,
            detail=detail_mm,
            diag=self.layout.panel_diagonal_in,
            dist=self.layout.reading_distance_m,
            need=need_mm,
        )
        if have_mm + 0.5 < need_mm:
            self.readability += tr(" (too small for that distance: raise font_scale in the wall layout)")
        self.console.readability.setText(self.readability)

    def show(self, full_screen: bool = True) -> None:
        if self.span is not None and self.layout.spanning:
            if full_screen:
                self.span.showFullScreen()
            else:
                self.span.show()
        for window in self.windows.values():
            if full_screen:
                window.showFullScreen()
            else:
                window.show()
        self.console.show()

    def watch_screens(self, app: QGuiApplication) -> None:
        """Re-place runways when a screen is added or removed (hot-plug)."""
        app.screenAdded.connect(self._on_app_screens_changed)
        app.screenRemoved.connect(self._on_app_screens_changed)

    def _on_app_screens_changed(self, _screen: QScreen) -> None:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            QTimer.singleShot(0, self.console, lambda: self._replace_on(app))

    def _replace_on(self, app: QGuiApplication) -> None:
        self.place([screen_info(s) for s in app.screens()])
        self.show()

    # --------------------------------------------------------------------------- per frame

    def start(self) -> None:
        self.cadence = Cadence([*self.views, CONSOLE], time.monotonic())
        self.timer.start()
        self.flash_timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.flash_timer.stop()

    def close(self) -> None:
        """Stop and delete every window, in order: timers first, then the screens, then the console."""
        self.stop()
        if self.span is not None:
            self.span.close()
            self.span.deleteLater()
            self.span = None
        for window in self.windows.values():
            window.close()
            window.deleteLater()
        self.windows.clear()
        self.console.close()
        self.console.deleteLater()

    def commands_changed(self) -> None:
        for view in self.views.values():
            view.mark_commands_changed()
        self.console.commands_changed()

    def frame(self) -> None:
        """Take the model's changes once and show them on every screen."""
        self.frames += 1
        changes = self.situation.take_changes()
        self.newest_ts = max(self.newest_ts, changes.newest_ts)
        now = time.monotonic()
        due = self.cadence.due(now)
        any_slow = any(d.slow for d in due.values())
        state, label, level, detail = self.link()
        live = state is ConnectionState.LIVE
        server_now = self.situation.server_now(time.time_ns() // 1_000_000)
        self._shared_dirty |= bool(changes.events or changes.replaced or changes.plans or changes.dispatches)
        if any_slow and (self._shared_dirty or now - self._shared_at >= SLOW_S):
            flood = self.console.flood
            self._shared = (
                pinned_alarms(self.situation),
                self._sla_text(server_now),
                flood_detail(flood) if flood.flooding else "",
            )
            self._shared_at, self._shared_dirty = now, False
        pinned, sla, groups = self._shared
        age = (server_now - self.newest_ts) / 1000 if self.newest_ts else None
        flood = self.console.flood
        clock = time.strftime("%H:%M:%S")  # every screen's clock turns in the same frame
        for rid, view in self.views.items():
            d = due[rid]
            view.update_frame(Frame(changes, live, server_now, d.sample, d.slow), self.situation, pinned)
            view.set_clock(clock)
            if d.slow:
                view.status.set_status(label, level, age, detail)
                view.set_sla(sla)
                # During a flood the wall keeps one pinned line and says what the flood is made of.
                view.banner.set_flood(flood.flooding, flood.count, 10, groups)
                view.banner.set_max_pinned(1 if flood.flooding else 2)
        d = due[CONSOLE]
        frame = Frame(changes, live, server_now, d.sample, d.slow)
        self.console.update_frame(frame, self.situation, self.operator)
        if frame.live and changes.sensors and not self.first_live_frame_at:
            self.first_live_frame_at = time.time()
            log.info("first live frame painted")
        if d.slow:
            self.console.status.set_status(label, level, age, detail)

    def _sla_text(self, server_now: int) -> str:
        """The wall-wide SLA escalation, e.g. "SLA ✕3 · Water-main burst +4 min" (three timers late,
        the worst by four minutes; the console's plan view says which step); "" when nothing is late.
        Breaches escalate on every screen, never only in a list."""
        # Only open events can be late (a timer stops once its event is resolved or closed): a long
        # shift's thousands of finished events are not walked twice a second on the GUI thread.
        open_events = {e.id: e for e in self.situation.open_events()}
        late = breached(sla_timers(open_events, self.situation.timeline, builtin_sla(), server_now))
        if not late:
            return ""
        worst = late[0]
        ev = self.situation.events.get(worst.event_id)
        what = event_type_name(ev.type, ev.title) if ev is not None else worst.event_id
        return tr("SLA ✕{n} · {event} +{over}").format(n=len(late), event=what, over=duration_text(worst.over_ms))

    def _on_flash_timer_timeout(self) -> None:
        self._flash = not self._flash
        for view in self.views.values():
            view.set_flash_phase(self._flash)

    def set_mode(self, text: str) -> None:
        for view in self.views.values():
            view.set_mode(text)

    def set_mode_marking(self, text: str) -> None:
        """Mark every screen and the console as not the live city (REPLAY, DRILL, …); "" removes it."""
        for view in self.views.values():
            view.set_mode_marking(text)
        self.console.set_mode_marking(text)
