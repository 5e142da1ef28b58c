"""One runway on one screen: header, link status, the pinned alarm banner and the panel grid."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from cockpit.app.panels import PanelView, build_view
from cockpit.app.panels.base import DETAIL_RATIO as DETAIL_RATIO
from cockpit.app.site_map import SiteMap
from cockpit.present.frame import WallState
from cockpit.present.runway import RunwayModel
from cockpit.present.runway_spec import PanelKind
from widgets.alarm_banner import AlarmBannerWidget
from widgets.status_bar import ConnectionStatusWidget

SLA_STYLE = "background: #e0342b; color: #ffffff; font-weight: bold; padding: 2px 10px; border-radius: 4px;"
"""The SLA badge: the alarm red, white bold text (the words say what is late)."""
BANNER_TEXT_FACTOR = 1.1
"""The banner draws its row text at 1.1–1.2 × its font (widgets/alarm_banner.py)."""


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
        model: The runway's view-models.
        site_map: The site's map data (layers, basemap, home extent).
    """

    def __init__(self, model: RunwayModel, site_map: SiteMap) -> None:
        super().__init__()
        self.model = model
        spec = self.spec = model.spec
        lang = model.ctx.lang
        self.setObjectName(f"runway-{spec.id}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 14)
        outer.setSpacing(8)

        self.mode_marking = QLabel()
        self.mode_marking.setObjectName("modeMarking")
        self.mode_marking.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mode_marking.setStyleSheet(MODE_MARKING_STYLE)
        self.mode_marking.setVisible(False)

        top = QHBoxLayout()
        self.title = QLabel(model.title)
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
        self.panels: list[PanelView] = []
        for panel_model in model.panels:
            view = build_view(panel_model, lang, site_map, spec.center)
            self.grid.add(view, panel_model.spec.at)
            self.panels.append(view)
        outer.addWidget(self.grid, 1)
        self._wall: WallState | None = None
        self.not_live = tr("not live")

    def panel(self, kind: PanelKind) -> PanelView | None:
        """The first panel of a kind (tests and the console use this)."""
        return next((p for p in self.panels if p.model.spec.kind is kind), None)

    # ----------------------------------------------------------------------------- per frame

    def show_wall(self, wall: WallState) -> None:
        """The wall's shared state (on this screen's slow moments): status, SLA, banner, band."""
        self._wall = wall
        link = wall.link
        self.status.set_status(link.label, link.level, link.age_s, link.detail)
        self.set_sla(wall.sla)
        current = wall.liveness.current
        self.banner.set_not_current("" if current else f"{wall.as_of} · {self.not_live}")
        # During a flood the wall keeps one pinned line and says what the flood is made of.
        self.banner.set_flood(wall.flood.flooding, wall.flood.count, 10, wall.flood_groups)
        self.banner.set_max_pinned(1 if wall.flood.flooding else 2)
        self.banner.set_pinned(list(wall.pinned))
        self.set_mode_marking(wall.marking)
        for view in self.panels:
            view.set_current(current, wall.as_of)

    def set_clock(self, text: str) -> None:
        """Show the time; a label is only touched when its second turns."""
        if self.clock.text() != text:
            self.clock.setText(text)

    def set_flash_phase(self, lit: bool) -> None:
        self.banner.set_flash_phase(lit)

    def apply_text_size(self, px: float) -> None:
        """Size the wall's type for its reading distance (docs/architecture.md, "Wall type").

        ``px`` is the height that reads from the back of the room (distance / 200). Key elements
        get it in full: the title and clock, the mode marking, the pinned alarms, the tile values,
        the dispatch button and the map's district names and severe-event labels. Details
        (captions, column headers, the status line, list rows) get :data:`DETAIL_RATIO` of it.
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
        hides it. It cannot be overlooked from across the room."""
        if text != self.mode_marking.text():
            self.mode_marking.setText(text)
            # Never clipped: the status line gives way to it, not the other way round.
            self.mode_marking.setMinimumWidth(self.mode_marking.sizeHint().width() if text else 1)
        self.mode_marking.setVisible(bool(text))

    def set_mode(self, text: str) -> None:
        """An unmistakable marking such as DEMO; empty hides it."""
        self.mode_badge.setText(text)
        self.mode_badge.setVisible(bool(text))


MODE_MARKING_STYLE = (
    "QLabel#modeMarking { background: #b0127a; color: white; font-weight: bold; padding: 6px; "
    "border: 3px solid white; letter-spacing: 2px; }"
)
"""Magenta: no severity, link or theme colour uses it, so the band never reads as an alarm."""


def screen_window_flags() -> Qt.WindowType:
    return Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window
