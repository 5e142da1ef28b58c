"""One runway on one screen: header, link status, the pinned alarm banner and the panel grid."""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from cockpit.app.panels import PanelView, build_view
from cockpit.app.site_map import SiteMap
from cockpit.present.frame import Liveness, WallState
from cockpit.present.runway import RunwayModel
from cockpit.present.runway_spec import PanelKind
from cockpit.present.wall_layout import WallType
from widgets.alarm_banner import AlarmBannerWidget
from widgets.flow_layout import FlowLayout
from widgets.status_bar import ConnectionStatusWidget
from widgets.text_report import set_role
from widgets.values import TextRole

log = logging.getLogger(__name__)

INHERITS_WALL_FONT = "inheritsWallFont"
"""Marks a widget whose font the runway view gave it (set again when the wall type changes)."""
SLA_STYLE = "background: #e0342b; color: #ffffff; font-weight: bold; padding: 2px 10px; border-radius: 4px;"
"""The SLA badge: the alarm red, white bold text (the words say what is late)."""

def tr(text: str) -> str:
    return QCoreApplication.translate("RunwayView", text)


class LineLabel(QLabel):
    """A word-wrapping label that asks for the width of its text on one line (a wrapping QLabel
    asks for less, and would wrap where there is room)."""

    def sizeHint(self) -> QSize:
        fm = QFontMetricsF(self.font())
        m = self.contentsMargins()
        width = math.ceil(fm.horizontalAdvance(self.text()) + m.left() + m.right() + 2 * self.margin() + 2)
        return QSize(width, self.heightForWidth(width))


class PanelGrid(QWidget):
    """Lays panels on the runway file's grid exactly: cell sizes come from the screen, never from
    the panels' content, so a panel can neither push the window off its screen nor starve its
    neighbours. Content is designed to fit its cell (the wall tests check nothing clips)."""

    def __init__(self, columns: int, rows: int, spacing: int) -> None:
        super().__init__()
        self.columns, self.rows, self.spacing = columns, rows, spacing
        self.cells: list[tuple[QWidget, tuple[int, int, int, int]]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.no_room = QLabel(tr("No room for the panels at this type size"), self)
        """Said in the panels' place when not even the first of them fits (a --scale far beyond
        the design on a small screen): never a panel cut in half."""
        self.no_room.setObjectName("noRoom")
        self.no_room.setWordWrap(True)
        self.no_room.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.no_room.setVisible(False)

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

    def _cell(self, at: tuple[int, int, int, int]) -> QRect:
        sp = self.spacing
        cw = (self.width() + sp) / self.columns
        rh = (self.height() + sp) / self.rows
        c, r, w, h = at
        x0, y0 = round(c * cw), round(r * rh)
        x1, y1 = round((c + w) * cw) - sp, round((r + h) * rh) - sp
        return QRect(x0, y0, max(0, x1 - x0), max(0, y1 - y0))

    @staticmethod
    def _least(widget: QWidget, width: int) -> int:
        least = getattr(widget, "wall_min_height", None)
        return int(least(width)) if callable(least) else 0

    def _lay_out(self) -> None:
        """Each panel on its cells of the grid. Where the type is too large for a panel's cells
        (a --scale beyond the design), the panels are kept in the runway file's order while every
        panel kept has room for its text whole, growing into the cells of those that step aside;
        where none fits, the grid says so. At the design's own scale nothing moves."""
        def fits(on: list[bool]) -> tuple[bool, list[QRect]]:
            places = iter(self._grow([at for (_w, at), keep in zip(self.cells, on, strict=True) if keep]))
            cells = [self._cell(next(places)) if keep else QRect() for keep in on]
            ok = all(
                not keep or cell.height() >= self._least(widget, cell.width())
                for (widget, _at), cell, keep in zip(self.cells, cells, on, strict=True)
            )
            return ok, cells

        shown = [True] * len(self.cells)
        ok, cells = fits(shown)
        if not ok:  # in the file's order, each panel that still leaves every one kept room for its text
            shown = [False] * len(self.cells)
            for i in range(len(self.cells)):
                trial = [*shown[:i], True, *shown[i + 1 :]]
                if fits(trial)[0]:
                    shown = trial
            cells = fits(shown)[1]
        nothing = bool(self.cells) and not any(shown)
        if nothing:
            self.no_room.setGeometry(self.rect())
        if nothing != self.no_room.isVisibleTo(self):
            if nothing:
                log.warning("%s: no room for any panel at this type size", self.objectName())
            self.no_room.setVisible(nothing)
        for i, ((widget, _at), cell) in enumerate(zip(self.cells, cells, strict=True)):
            if shown[i]:
                widget.setGeometry(cell)
            if shown[i] != widget.isVisibleTo(self) and (self.isVisible() or not shown[i]):
                if not shown[i]:
                    log.warning("%s: no room at this type size; it is not shown", widget.objectName())
                widget.setVisible(shown[i])

    def _grow(self, spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
        """Each panel grown into the rows and columns beside it that no other panel takes (only
        when some panel stepped aside: a full grid stays as the file says)."""
        taken = {(c, r) for c0, r0, w, h in spans for c in range(c0, c0 + w) for r in range(r0, r0 + h)}
        if len(taken) == self.columns * self.rows:
            return spans
        out = [list(s) for s in spans]
        grown = True
        while grown:
            grown = False
            for span in out:
                c0, r0, w, h = span
                for dc, dr, dw, dh, new in (
                    (0, 0, 0, 1, [(c, r0 + h) for c in range(c0, c0 + w)]),
                    (0, -1, 0, 1, [(c, r0 - 1) for c in range(c0, c0 + w)]),
                    (0, 0, 1, 0, [(c0 + w, r) for r in range(r0, r0 + h)]),
                    (-1, 0, 1, 0, [(c0 - 1, r) for r in range(r0, r0 + h)]),
                ):
                    if all(0 <= c < self.columns and 0 <= r < self.rows and (c, r) not in taken for c, r in new):
                        taken.update(new)
                        span[:] = [c0 + dc, r0 + dr, w + dw, h + dh]
                        c0, r0, w, h = span
                        grown = True
        return [(s[0], s[1], s[2], s[3]) for s in out]


class RunwayView(QWidget):
    """The content of one runway; a screen window or a console tab holds it.

    The header has two rows: the title and the clock (key type; the title wraps rather than being
    cut), then the mode band, the link status, the SLA badge and the DEMO marking, which wrap onto
    further rows when a larger scale leaves them no room (:class:`~widgets.flow_layout.FlowLayout`).

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
        self.wall_type: WallType | None = None
        self.banner_lines = 2
        """Pinned-alarm lines the banner keeps room for (two; one where the type is too large)."""
        outer = self.outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 14)
        outer.setSpacing(8)

        # The header: the title, then what the wall is showing and how its link is, with the
        # clock pinned top right. Items wrap onto further rows when they do not fit: never cut.
        self.header = QWidget()
        self.header.setObjectName("wallHeader")
        header_policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        header_policy.setHeightForWidth(True)
        self.header.setSizePolicy(header_policy)
        self.flow = FlowLayout(self.header, spacing=14)
        self.title = LineLabel(model.title)
        self.title.setObjectName("wallTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.title.setFont(font)
        set_role(self.title, TextRole.KEY)
        self.flow.addWidget(self.title)
        self.clock = QLabel()
        self.clock.setObjectName("wallClock")
        self.clock.setFont(font)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        set_role(self.clock, TextRole.KEY)
        self.flow.set_trailing(self.clock)
        self.mode_badge = QLabel()
        self.mode_badge.setObjectName("modeBadge")
        self.mode_badge.setVisible(False)
        self.flow.addWidget(self.mode_badge)
        self.mode_marking = QLabel()
        self.mode_marking.setObjectName("modeMarking")
        self.mode_marking.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mode_marking.setStyleSheet(MODE_MARKING_STYLE)
        self.mode_marking.setFont(font)
        self.mode_marking.setVisible(False)
        set_role(self.mode_marking, TextRole.KEY)
        self.flow.addWidget(self.mode_marking)
        self.status = ConnectionStatusWidget()
        self.status.set_wrap(True)
        self.flow.addWidget(self.status)
        self.sla = QLabel()
        self.sla.setObjectName("slaBadge")
        self.sla.setStyleSheet(SLA_STYLE)
        self.sla.setVisible(False)
        self.flow.addWidget(self.sla)
        outer.addWidget(self.header)

        self.banner = AlarmBannerWidget(max_pinned=2)
        self.banner.set_collapse_when_empty(False)
        # Room for the most the wall shows (two pinned lines, or the flood line and one): the
        # panels below never move as alarms come and go.
        self.banner.set_reserved_lines(2)
        self.banner.set_external_flash(True)
        outer.addWidget(self.banner)

        self.grid = PanelGrid(spec.grid.columns, spec.grid.rows, spacing=14)
        self.grid.setObjectName(f"panels-{spec.id}")
        self.panels: list[PanelView] = []
        for panel_model in model.panels:
            view = build_view(panel_model, lang, site_map, spec.center, desk=model.desk)
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
        on_wall = self.wall_type is not None
        self.status.set_status(
            link.label, link.level, link.age_s, link.wall_detail if on_wall else link.detail, link.shows_age
        )
        # A replay on the wall: the REPLAY band says it, with its time and state, in key type; a
        # status line beside it would only take a header row from the panels.
        replay = wall.liveness in (Liveness.REPLAY, Liveness.REPLAY_PAUSED)
        self.status.setVisible(not (on_wall and replay))
        self.set_sla(wall.sla)
        current = wall.liveness.current
        self.banner.set_not_current("" if current else f"{wall.as_of} · {self.not_live}")
        # During a flood the wall keeps one pinned line and says what the flood is made of.
        self.banner.set_flood(wall.flood.flooding, wall.flood.count, 10, wall.flood_groups)
        self.banner.set_max_pinned(1 if wall.flood.flooding or self.banner_lines == 1 else 2)
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

    def apply_wall_type(self, sizes: WallType) -> None:
        """Size the wall's type for its reading distance (docs/architecture.md, "Wall type").

        Key text (the title and clock, the mode band, the pinned alarms, tile values, the dispatch
        button, district names and red-event labels) gets ``sizes.key_px``: glyphs distance / 200
        high. Everything else on the screen is secondary, ``sizes.secondary_px``: distance / 400.
        Margins and gaps follow the type, so a 4K panel looks like a 1080p one.
        """
        self.wall_type = sizes
        key, sec = sizes.key_px, sizes.secondary_px
        base = QFont(self.font())
        base.setPixelSize(sec)
        self.setFont(base)
        # An application style sheet stops fonts from reaching children on their own: every widget
        # that has no font of its own (or had this one) gets the screen's secondary type here.
        # The style sheet sets a widget's font when it is polished (first shown), over any set
        # before: polish first.
        for child in self.findChildren(QWidget):
            child.ensurePolished()
            if not child.testAttribute(Qt.WidgetAttribute.WA_SetFont) or child.property(INHERITS_WALL_FONT):
                child.setProperty(INHERITS_WALL_FONT, True)
                child.setFont(base)
        big = QFont(base)
        big.setPixelSize(key)
        big.setBold(True)
        for label in (self.title, self.clock, self.mode_marking):
            label.setFont(big)
        badge = QFont(base)
        badge.setBold(True)
        self.mode_badge.setFont(badge)
        self.sla.setFont(badge)
        self.status.setFont(base)
        gap = max(4, round(sec * 0.3))
        self.outer.setContentsMargins(round(sec * 0.4), round(sec * 0.2), round(sec * 0.4), round(sec * 0.3))
        self.outer.setSpacing(gap)
        self.flow.set_gap(round(sec * 0.5))
        self.grid.spacing = max(6, round(sec * 0.35))
        # Room for a second header row whatever is shown (the SLA badge comes and goes): the panels
        # below never move as it does.
        self.header.setMinimumHeight(round(QFontMetricsF(big).height() + gap + sec * 1.5))
        # Two pinned lines where they take less than a quarter of the screen; one at a larger scale.
        line = key * 1.32
        self.banner_lines = 2 if 2 * line <= 0.25 * (sizes.screen_height or self.window().height()) else 1
        self.banner.set_reserved_lines(self.banner_lines)
        self.banner.set_type_sizes(key, sec)
        self.banner.set_compact(True)
        for panel in self.panels:
            panel.apply_wall_type(sizes)

    def set_sla(self, text: str) -> None:
        """The wall-wide SLA escalation (red, beside the clock); empty hides it."""
        if text != self.sla.text():
            self.sla.setText(text)
        self.sla.setVisible(bool(text))

    def set_mode_marking(self, text: str) -> None:
        """A band under the title saying this is not the live city (REPLAY, DRILL, with details);
        empty hides it. Key type: it cannot be overlooked from across the room."""
        if text != self.mode_marking.text():
            self.mode_marking.setText(text)
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
