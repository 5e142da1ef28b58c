"""One runway on one screen: header, link status, the pinned alarm banner and the panel grid."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

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

PINNED_SEVERITIES = (1, 2)
"""Unacknowledged events of these levels are pinned in the banner of every screen."""


def tr(text: str) -> str:
    return QCoreApplication.translate("RunwayView", text)


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

        top = QHBoxLayout()
        self.title = QLabel(spec.title_in(lang))
        self.title.setObjectName("wallTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        self.mode_badge = QLabel()
        self.mode_badge.setObjectName("modeBadge")
        self.mode_badge.setVisible(False)
        top.addWidget(self.mode_badge)
        self.clock = QLabel()
        self.clock.setFont(font)
        top.addWidget(self.clock)
        outer.addLayout(top)

        self.status = ConnectionStatusWidget()
        outer.addWidget(self.status)
        self.banner = AlarmBannerWidget(max_pinned=2)
        self.banner.set_collapse_when_empty(False)
        self.banner.set_external_flash(True)
        outer.addWidget(self.banner)

        grid = QGridLayout()
        grid.setSpacing(14)
        for c in range(spec.grid.columns):
            grid.setColumnStretch(c, 1)
        for r in range(spec.grid.rows):
            grid.setRowStretch(r, 1)
        self.panels: list[PanelBase] = []
        for p in spec.panels:
            panel = build_panel(p, lang, self.selection, sender, spec.center, risk_points)
            c, r, w, h = p.at
            grid.addWidget(panel.widget, r, c, h, w)
            self.panels.append(panel)
        outer.addLayout(grid, 1)
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
        for panel in self.panels:
            panel.update(frame, situation)
        if frame.slow:
            self.clock.setText(time.strftime("%H:%M:%S"))
            # "No unacknowledged alarms" is a claim about the city: with the link down it cannot
            # be made, so an empty banner folds away instead of showing an all-clear.
            self.banner.set_collapse_when_empty(not frame.live)
            self.banner.set_pinned(pinned)

    def set_flash_phase(self, lit: bool) -> None:
        self.banner.set_flash_phase(lit)

    def mark_commands_changed(self) -> None:
        for panel in self.panels:
            if isinstance(panel, EventsPanel):
                panel.mark_dirty()
            elif isinstance(panel, DispatchPanelPresenter):
                panel.refresh()

    def apply_text_size(self, px: float) -> None:
        """Size all text from one base height in pixels (the wall's legible size for its screen)."""
        base = QFont(self.font())
        base.setPixelSize(max(8, round(px)))
        self.setFont(base)
        big = QFont(base)
        big.setPixelSize(max(10, round(px * 1.4)))
        big.setBold(True)
        self.title.setFont(big)
        self.clock.setFont(big)
        for panel in self.panels:
            panel.apply_text_size(px)

    def set_mode(self, text: str) -> None:
        """An unmistakable marking such as DEMO, REPLAY or DRILL; empty hides it."""
        self.mode_badge.setText(text)
        self.mode_badge.setVisible(bool(text))


def pinned_alarms(situation: Situation) -> list[AlarmRow]:
    """Unacknowledged high-severity events, most severe and newest first, for every banner."""
    rows = []
    for e in situation.open_events():
        if e.state is not EventState.NEW or int(e.severity) not in PINNED_SEVERITIES:
            continue
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
            )
        )
    return rows


def screen_window_flags() -> Qt.WindowType:
    return Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window
