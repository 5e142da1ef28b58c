"""The operator console: an ordinary window at the desk. It lays out the console's widgets and puts
the view-models' states on them; its widgets' signals are connected by the wiring."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.app.panels.dispatch import DispatchPanelView
from cockpit.app.panels.events import EventsPanelView
from cockpit.app.runway_view import MODE_MARKING_STYLE, RunwayView
from cockpit.present.console import AlarmsState, ConsoleModel
from cockpit.present.frame import WallState
from cockpit.present.panels.plans import PlanState
from cockpit.present.wall_layout import Assignment
from widgets.alarm_list import AlarmListView
from widgets.dispatch_board import DispatchBoard
from widgets.plan_view import PlanView
from widgets.shelve_form import ShelveForm
from widgets.status_bar import ConnectionStatusWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("Console", text)


def _scrolling(content: QWidget) -> QScrollArea:
    """A column that scrolls when the window is too low for its least heights, never squeezes."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class ConsoleWindow(QMainWindow):
    """The operator console: its alarms and events, dispatch, plan and board; which runway is on
    which screen; the runways with no screen in tabs of their own, and every runway's desk board
    (what its wall board leaves out) in a tab after them."""

    def __init__(self, model: ConsoleModel) -> None:
        super().__init__()
        self.model = model
        self.setObjectName("console")
        self.setWindowTitle(tr("Cockpit · operator console"))
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        host = QWidget()
        page = QVBoxLayout(host)
        # The link status heads the page, over both columns: it never scrolls away with a column
        # (an active plan's tasks scrolled it off the left one), and it is never shortened there
        # ("gaps …"): what does not fit on its line wraps onto the next (officer review).
        self.status = ConnectionStatusWidget()
        self.status.setObjectName("consoleLinkStatus")
        self.status.set_wrap(True)
        page.addWidget(self.status)
        columns = QHBoxLayout()
        page.addLayout(columns, 1)
        # Nothing on the console is squeezed below what it needs to be read and clicked (a replay's
        # dock once crushed the alarm list to one row and its buttons to dashed bars): each column
        # scrolls instead, and the lists keep a least number of rows.
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)

        # The desk's own lists: the alarms it is annunciated, and every open event (an accident,
        # a 12345 report, a trainer's inject: anything the wall pins can be worked on here).
        self.lists = lists = QSplitter(Qt.Orientation.Vertical)
        lists.setChildrenCollapsible(False)
        alarms_host = QWidget()
        alarms_layout = QVBoxLayout(alarms_host)
        alarms_layout.setContentsMargins(0, 0, 0, 0)
        alarms_title = QLabel(tr("Alarms"))
        alarms_title.setObjectName("sectionTitle")
        alarms_layout.addWidget(alarms_title)
        self.alarms = AlarmListView()
        alarms_layout.addWidget(self.alarms, 1)
        lists.addWidget(alarms_host)
        self.events = EventsPanelView(model.events, narrow=False)
        lists.addWidget(self.events)
        lists.setStretchFactor(0, 3)
        lists.setStretchFactor(1, 2)
        right_layout.addWidget(lists, 1)
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
        self.shelving = ""
        """The event the shelve form is open for."""
        right_layout.addWidget(self.shelve_form)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        right_layout.addWidget(self.notice)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.dispatch = DispatchPanelView(model.dispatch, "")
        layout.addWidget(self.dispatch)
        self.plan_view = PlanView()
        layout.addWidget(self.plan_view, 3)
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
        self.unnamed = QLabel()
        self.unnamed.setObjectName("unnamedCodes")
        self.unnamed.setStyleSheet("color: #e0b341;")
        self.unnamed.setWordWrap(True)
        self.unnamed.setVisible(False)
        layout.addWidget(self.unnamed)
        # The dispatch board has a pane of its own under the left column: inside the column an active
        # plan's tasks pushed it below the window (officer review). The column scrolls above it.
        self.board = DispatchBoard()
        self.left_panes = panes = QSplitter(Qt.Orientation.Vertical)
        panes.setChildrenCollapsible(False)
        panes.addWidget(_scrolling(left))
        panes.addWidget(self.board)
        panes.setStretchFactor(0, 3)
        panes.setStretchFactor(1, 1)
        columns.addWidget(panes, 2)
        columns.addWidget(_scrolling(right), 3)
        self._set_least_heights()
        self.tabs.addTab(host, tr("Wall"))
        self.kpis_view = QLabel()
        self.kpis_view.setObjectName("alarmKpis")
        self.kpis_view.setWordWrap(True)
        self.kpis_view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(self.kpis_view, tr("Alarm KPIs"))
        self.views: dict[str, RunwayView] = {}
        self.desks: dict[str, RunwayView] = {}
        """Desk board id → its view, in a tab for as long as the console lives."""

    def _set_least_heights(self) -> None:
        """The least height of each part, in lines of the console's type: lists keep rows to read
        and click, boards and plans a few lines, the dispatch block its button."""
        line = QFontMetrics(self.font()).height()
        self.alarms.setMinimumHeight(round(line * 11))
        self.events.setMinimumHeight(round(line * 8))
        self.plan_view.setMinimumHeight(round(line * 6))
        self.board.setMinimumHeight(round(line * 10))  # its title, header, four rows and buttons
        self.table.setMinimumHeight(round(line * 4.5))
        self.dispatch.setMinimumHeight(self.dispatch.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._set_least_heights()

    # ---------------------------------------------------------------------------- states

    def show_wall(self, wall: WallState) -> None:
        link = wall.link
        self.status.set_status(link.label, link.level, link.age_s, link.detail, link.shows_age)
        self.set_mode_marking(wall.marking)
        self.events.set_current(wall.liveness.current, wall.as_of)

    def show_alarms(self, state: AlarmsState) -> None:
        if state.rows is not None:
            with QSignalBlocker(self.alarms):  # new rows are not the officer choosing a row
                self.alarms.set_rows(state.rows)
        self.alarms.set_permissions(state.ack_why_not, state.shelve_why_not)
        self.alarms.set_not_current(state.not_current)
        # The list's selected row is the event the officer works on, or none: its Acknowledge names
        # and acts on that row, so a row left selected from before would act on another event than
        # the one the dispatch block beside it shows (officer review).
        chosen = state.selected if state.selected in self.alarms.alarm_ids() else None
        if self.alarms.selected_alarm_id() != chosen:
            with QSignalBlocker(self.alarms):  # showing the choice is not choosing
                self.alarms.select_alarm(chosen)
        if state.kpis is not None:
            self.kpis_view.setText(state.kpis)

    def show_plan(self, state: PlanState) -> None:
        self.plan_view.set_timers(list(state.timers))
        self.plan_view.set_plan(state.header, list(state.tasks), list(state.actions))

    def show_assignment(self, titles: dict[str, str], assignment: Assignment, screens: int) -> None:
        rows = [
            (titles.get(rid, rid), s.key, f"{s.width}×{s.height} @ {s.x},{s.y}")
            for rid, s in assignment.on_screen.items()
        ]
        rows += [(titles.get(rid, rid), tr("console"), "") for rid in assignment.on_console]
        if (desk := assignment.console_screen) is not None:
            rows.append((tr("this console (desk monitor)"), desk.key, f"{desk.width}×{desk.height} @ {desk.x},{desk.y}"))
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.summary.setText(
            tr("Runways on the wall: {placed} (screens: {screens}) · in this console: {console}").format(
                placed=len(assignment.on_screen), screens=screens, console=len(assignment.on_console)
            )
        )

    def open_shelve_form(self, event_id: str, target: str, why_not: str) -> None:
        self.shelving = event_id
        self.shelve_form.open_for(target, allowed=not why_not, why_not=why_not)
        self.shelve_form.setVisible(True)

    def close_shelve_form(self) -> str:
        """Close the form; returns the event it was open for."""
        event_id, self.shelving = self.shelving, ""
        self.shelve_form.setVisible(False)
        return event_id

    def set_mode_marking(self, text: str) -> None:
        """The same band as the wall's screens, above the console's tabs."""
        band = self.menuWidget()
        if not isinstance(band, QLabel):
            if not text:
                return
            band = QLabel()
            band.setObjectName("modeMarking")
            band.setAlignment(Qt.AlignmentFlag.AlignCenter)
            band.setStyleSheet(MODE_MARKING_STYLE)
            font = band.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            band.setFont(font)
            self.setMenuWidget(band)
        if band.text() != text:
            band.setText(text)
        band.setVisible(bool(text))

    def show_unnamed(self, text: str) -> None:
        """The codes shown as codes: the backend sent no name for them (protocol §5.8)."""
        self.unnamed.setText(text)
        self.unnamed.setVisible(bool(text))

    def show_problems(self, problems: Sequence[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def hold(self, view: RunwayView) -> None:
        """Show a runway that has no screen in a tab of its own (before the desk boards' tabs)."""
        if view.spec.id not in self.views:
            self.views[view.spec.id] = view
            first_desk = min((self.tabs.indexOf(d) for d in self.desks.values()), default=self.tabs.count())
            self.tabs.insertTab(first_desk, view, view.title.text())

    def add_desk(self, view: RunwayView) -> None:
        """Show a runway's desk board in a tab of its own, in desk type: it is never on a screen."""
        if view.spec.id not in self.desks:
            self.desks[view.spec.id] = view
            self.tabs.addTab(view, view.title.text())

    def release(self, view: RunwayView) -> None:
        if self.views.pop(view.spec.id, None) is not None:
            self.tabs.removeTab(self.tabs.indexOf(view))
