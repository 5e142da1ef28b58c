"""One runway on one screen: header, link status, the pinned alarm banner and the panel grid."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from cockpit.app.names import district_name, event_type_name
from cockpit.app.panels import (
    CommandSender,
    DispatchPanelPresenter,
    EventsPanel,
    Frame,
    PanelBase,
    Selection,
    TilesPanel,
    build_panel,
)
from cockpit.app.runway_spec import PanelKind, RunwaySpec
from cockpit.model import Situation
from cockpit.protocol.messages import EventState
from widgets.alarm_banner import AlarmBannerWidget
from widgets.alarm_list import AlarmRow
from widgets.severity import Severity as WidgetSeverity
from widgets.status_bar import ConnectionStatusWidget

SLA_STYLE = "background: #e0342b; color: #ffffff; font-weight: bold; padding: 2px 10px; border-radius: 4px;"
"""The SLA badge: the alarm red, white bold text (the words say what is late)."""
DETAIL_RATIO = 0.5
"""Details are half the key elements' height: 20 mm, legible from 4 m, when the keys read from 8 m."""
BANNER_TEXT_FACTOR = 1.1
"""The banner draws its row text at 1.1–1.2 × its font (widgets/alarm_banner.py)."""

PINNED_SEVERITIES = (1, 2)
"""Unacknowledged events of these levels are pinned in the banner of every screen."""


def tr(text: str) -> str:
    return QCoreApplication.translate("RunwayView", text)


class PanelGrid(QWidget):
    """Lays panels on the runway file's grid exactly: cell sizes come from the screen, never from
    the panels' content, so a panel can neither push the window off its screen nor starve its
    neighbours. Content is designed to fit its cell (the wall tests check nothing clips)."""

    def __init__(self, columns: int, rows: int, spacing: int) -> None:
        super().__init__()
        self.columns, self.rows, self.spacing = columns, rows, spacing
        self.cells: list[tuple[QWidget, tuple[int, int, int, int]]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def add(self, widget: QWidget, at: tuple[int, int, int, int]) -> None:
        widget.setParent(self)
        self.cells.append((widget, at))
        self._lay_out()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def sizeHint(self) -> QSize:
        return QSize(800, 600)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()

    def _lay_out(self) -> None:
        sp = self.spacing
        cw = (self.width() + sp) / self.columns
        rh = (self.height() + sp) / self.rows
        for widget, (c, r, w, h) in self.cells:
            x0, y0 = round(c * cw), round(r * rh)
            x1, y1 = round((c + w) * cw) - sp, round((r + h) * rh) - sp
            widget.setGeometry(QRect(x0, y0, max(0, x1 - x0), max(0, y1 - y0)))


class RunwayView(QWidget):
    """The content of one runway; a screen window or a console tab holds it.

    Args:
        spec: The runway file.
        lang: Language for titles from the file.
        sender: Sends the operator's commands.
        risk_points: Supplies the map's risk-point layer (lon, lat, level), if any map wants it.
    """

    def __init__(
        self,
        spec: RunwaySpec,
        lang: str,
        sender: CommandSender,
        risk_points: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        super().__init__()
        self.spec = spec
        self.setObjectName(f"runway-{spec.id}")
        self.selection = Selection()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 14)
        outer.setSpacing(8)

        self.mode_marking = QLabel()
        self.mode_marking.setObjectName("modeMarking")
        self.mode_marking.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mode_marking.setStyleSheet(MODE_MARKING_STYLE)
        self.mode_marking.setVisible(False)

        top = QHBoxLayout()
        self.title = QLabel(spec.title_in(lang))
        self.title.setObjectName("wallTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.title.setFont(font)
        self.mode_marking.setFont(font)
        top.addWidget(self.title)
        # The link status shares the title's row: every line of height is worth a larger panel.
        self.status = ConnectionStatusWidget()
        top.addSpacing(24)
        top.addWidget(self.status, 1)
        top.addWidget(self.mode_marking, 2)  # in the header row: the panels keep their height
        self.mode_badge = QLabel()
        self.mode_badge.setObjectName("modeBadge")
        self.mode_badge.setVisible(False)
        top.addWidget(self.mode_badge)
        self.sla = QLabel()
        self.sla.setObjectName("slaBadge")
        self.sla.setStyleSheet(SLA_STYLE)
        self.sla.setVisible(False)
        top.addWidget(self.sla)
        # The header never widens the window past its screen: these give way (the title and the
        # clock do not).
        for label in (self.status, self.sla, self.mode_marking):
            label.setMinimumWidth(1)
        self.clock = QLabel()
        self.clock.setFont(font)
        top.addWidget(self.clock)
        outer.addLayout(top)

        self.banner = AlarmBannerWidget(max_pinned=2)
        self.banner.set_collapse_when_empty(False)
        # Room for the most the wall shows (two pinned lines, or the flood line and one): the
        # panels below never move as alarms come and go.
        self.banner.set_reserved_lines(2)
        self.banner.set_external_flash(True)
        outer.addWidget(self.banner)

        self.grid = PanelGrid(spec.grid.columns, spec.grid.rows, spacing=14)
        self.panels: list[PanelBase] = []
        for p in spec.panels:
            panel = build_panel(p, lang, self.selection, sender, spec.center, risk_points)
            self.grid.add(panel.widget, p.at)
            self.panels.append(panel)
        outer.addWidget(self.grid, 1)
        self.banner.alarm_clicked.connect(self.selection.select)

    # ----------------------------------------------------------------------------- access

    def panel(self, kind: PanelKind) -> PanelBase | None:
        """The first panel of a kind (tests and the console use this)."""
        return next((p for p in self.panels if p.spec.kind is kind), None)

    @property
    def events_panel(self) -> EventsPanel | None:
        p = self.panel(PanelKind.EVENTS)
        return p if isinstance(p, EventsPanel) else None

    @property
    def dispatch_panel(self) -> DispatchPanelPresenter | None:
        p = self.panel(PanelKind.DISPATCH)
        return p if isinstance(p, DispatchPanelPresenter) else None

    @property
    def tiles_panel(self) -> TilesPanel | None:
        p = self.panel(PanelKind.TILES)
        return p if isinstance(p, TilesPanel) else None

    # ----------------------------------------------------------------------------- per frame

    def update_frame(self, frame: Frame, situation: Situation, pinned: list[AlarmRow]) -> None:
        if frame.changes.events or frame.changes.replaced:
            selected = situation.events.get(self.selection.event_id or "")
            if selected is None or not selected.open:
                # Nobody chose: the wall works on the most severe open event of its theme (the
                # banner's first, on the overview), so no dispatch panel stands empty.
                theme = self.spec.theme
                candidates = [e for e in situation.open_events() if not theme or e.theme == theme]
                first = candidates[0].id if candidates else (pinned[0].id if pinned else None)
                if first is not None:
                    self.selection.select(first)
        for panel in self.panels:
            panel.update(frame, situation)
        if frame.slow:
            # "No unacknowledged alarms" is a claim about the city: with the link down it cannot
            # be made, so an empty banner folds away instead of showing an all-clear.
            self.banner.set_collapse_when_empty(not frame.live)
            self.banner.set_pinned(pinned)

    def set_clock(self, text: str) -> None:
        """Show the time; a label is only touched when its second turns."""
        if self.clock.text() != text:
            self.clock.setText(text)

    def set_flash_phase(self, lit: bool) -> None:
        self.banner.set_flash_phase(lit)

    def mark_commands_changed(self) -> None:
        for panel in self.panels:
            if isinstance(panel, EventsPanel):
                panel.mark_dirty()
            elif isinstance(panel, DispatchPanelPresenter):
                panel.refresh()

    def apply_text_size(self, px: float) -> None:
        """Size the wall's type for its reading distance (docs/architecture.md, "Wall type").

        ``px`` is the height that reads from the back of the room (distance / 200). Key elements
        get it in full: the title and clock, the mode marking, the pinned alarms, the tile values,
        the dispatch button and the map's district names and severe-event labels. Details
        (captions, column headers, the status line, list rows) get :data:`DETAIL_RATIO` of it:
        they are read by the officer who walks up to the wall or sits at the front desk.
        """
        detail = max(8, round(px * DETAIL_RATIO))
        base = QFont(self.font())
        base.setPixelSize(detail)
        self.setFont(base)
        big = QFont(base)
        big.setPixelSize(max(10, round(px)))
        big.setBold(True)
        self.title.setFont(big)
        self.clock.setFont(big)
        self.mode_marking.setFont(big)
        badge = QFont(base)
        badge.setBold(True)
        self.mode_badge.setFont(badge)
        self.sla.setFont(badge)
        banner = QFont(base)
        banner.setPixelSize(max(8, math.ceil(px / BANNER_TEXT_FACTOR)))
        self.banner.setFont(banner)
        self.banner.set_compact(True)
        for panel in self.panels:
            panel.apply_text_size(px)

    def set_sla(self, text: str) -> None:
        """The wall-wide SLA escalation (red, beside the clock); empty hides it."""
        if text != self.sla.text():
            self.sla.setText(text)
        self.sla.setVisible(bool(text))

    def set_mode_marking(self, text: str) -> None:
        """A band in the header saying this is not the live city (REPLAY, DRILL, with details); empty
        hides it. Unlike :meth:`set_mode` it cannot be overlooked from across the room."""
        if text != self.mode_marking.text():
            self.mode_marking.setText(text)
            # Never clipped: the status line gives way to it, not the other way round.
            self.mode_marking.setMinimumWidth(self.mode_marking.sizeHint().width() if text else 1)
        self.mode_marking.setVisible(bool(text))

    def set_mode(self, text: str) -> None:
        """An unmistakable marking such as DEMO, REPLAY or DRILL; empty hides it."""
        self.mode_badge.setText(text)
        self.mode_badge.setVisible(bool(text))


MODE_MARKING_STYLE = (
    "QLabel#modeMarking { background: #b0127a; color: white; font-weight: bold; padding: 6px; "
    "border: 3px solid white; letter-spacing: 2px; }"
)
"""Magenta: no severity, link or theme colour uses it, so the band never reads as an alarm."""


def pinned_alarms(situation: Situation) -> list[AlarmRow]:
    """Unacknowledged high-severity events, most severe and newest first, for every banner."""
    rows = []
    for e in situation.open_events():
        if e.state is not EventState.NEW or int(e.severity) not in PINNED_SEVERITIES:
            continue
        if e.shelved_until or e.suppressed or e.out_of_service:
            continue  # deliberately out of the officer's attention: listed on the console, not pinned
        rows.append(
            AlarmRow(
                id=e.id,
                severity=WidgetSeverity(int(e.severity)),
                time_text=time.strftime("%H:%M:%S", time.localtime(e.time_ms / 1000)),
                source=district_name(e.district),
                message=event_type_name(e.type, e.title),
                active=e.active,
                acknowledged=False,
            )
        )
    return rows


def alarm_rows(situation: Situation, operator: str) -> list[AlarmRow]:
    """Every open event as an alarm row (ISA-18.2 display states) for the console's list."""
    rows = []
    for e in situation.open_events():
        rows.append(
            AlarmRow(
                id=e.id,
                severity=WidgetSeverity(int(e.severity)),
                time_text=time.strftime("%H:%M:%S", time.localtime(e.time_ms / 1000)),
                source=district_name(e.district),
                message=event_type_name(e.type, e.title),
                active=e.active,
                acknowledged=e.state is not EventState.NEW,
                shelved=bool(e.shelved_until),
                suppressed=bool(e.suppressed),
                out_of_service=bool(e.out_of_service),
                acked_by=e.acked_by,
                occurrence=e.occurrence,
            )
        )
    return rows


def screen_window_flags() -> Qt.WindowType:
    return Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window
