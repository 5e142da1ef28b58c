"""The wall's windows: one frameless full-screen window per screen (or one spanning a wall
controller's display), the operator console (on the desk monitor when the layout reserves one), and
placing runways on screens again after a hot-plug or a change of resolution.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtGui import QFont, QGuiApplication, QScreen
from PySide6.QtWidgets import QMainWindow, QWidget

from cockpit.app.console import ConsoleWindow
from cockpit.app.refused_view import RefusedView
from cockpit.app.runway_view import RunwayView, screen_window_flags
from cockpit.present.wall_layout import (
    Assignment,
    ScreenInfo,
    WallLayout,
    WallType,
    assign,
    desk_screen,
    mm_per_px,
    span_cells,
    wall_type,
)
from widgets.text_report import glyph_px

log = logging.getLogger(__name__)

FRAME_MS = 16
CONSOLE = "\0console"
"""The console's name in the wall's cadence (runway ids cannot hold a NUL)."""
"""The wall's steady frame period (60 Hz): the model is read once per frame, never per message."""
FLASH_MS = 500
"""All banners flash in step: one phase every 500 ms (1 Hz, under the 3 Hz limit)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Wall", text)


def cap_ratio(font: QFont) -> float:
    """Ink height of ``font``'s capitals per pixel of its size (0.74 for Noto Sans CJK SC): what
    turns a glyph height into a font size."""
    probe = QFont(font)
    probe.setPixelSize(200)
    probe.setBold(False)
    return glyph_px(probe, "H") / 200


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
        primary=screen == QGuiApplication.primaryScreen(),
    )


class ScreenWindow(QMainWindow):
    """A frameless window filling one screen, showing one runway (or why it cannot)."""

    def __init__(self, view: RunwayView | RefusedView, screen: ScreenInfo, rid: str, title: str) -> None:
        super().__init__(None, screen_window_flags())
        self.view = view
        self.screen_info = screen
        self.setObjectName(f"screen-{rid}")
        self.setWindowTitle(title)
        self.setCentralWidget(view)
        self.fit(screen)

    def fit(self, screen: ScreenInfo) -> None:
        """Move onto ``screen`` or follow its new resolution.

        The runway's text was sized for the screen just before; the layout learns of it only at the
        next turn of the event loop, and until then the window's minimum width is the one of the
        larger text, which would keep the window wider than a screen that became smaller.
        """
        self.screen_info = screen
        if (lay := self.layout()) is not None:
            lay.activate()
        self.setGeometry(QRect(screen.x, screen.y, screen.width, screen.height))


class SpanWindow(QMainWindow):
    """One frameless window over a wall controller's single large display, runways as tiles."""

    def __init__(self) -> None:
        super().__init__(None, screen_window_flags())
        self.setObjectName("span")
        self.setWindowTitle(tr("Cockpit · wall"))
        self.host = QWidget()
        self.setCentralWidget(self.host)

    def lay_out(self, display: ScreenInfo, placed: dict[str, tuple[RunwayView | RefusedView, ScreenInfo]]) -> None:
        self.setGeometry(QRect(display.x, display.y, display.width, display.height))
        self.host.resize(display.width, display.height)
        for view, cell in placed.values():  # absolute cells: each runway exactly on its panel
            view.setParent(self.host)
            view.setGeometry(QRect(cell.x - display.x, cell.y - display.y, cell.width, cell.height))
            view.show()


class Wall:
    """The wall's windows: one frameless window per screen (or one spanning window), the console,
    and which runway is where. It lays out; it holds no state of the city.

    Args:
        views: The runway views, in the order of the runway files.
        console: The operator console.
        layout: The wall layout.
        problems: What is wrong with the runway files and the layout, in words (the console says it).
        refused: The layout's runways whose files were refused: their screens say so.
    """

    def __init__(
        self,
        views: dict[str, RunwayView],
        console: ConsoleWindow,
        layout: WallLayout,
        problems: Sequence[str] = (),
        refused: dict[str, RefusedView] | None = None,
    ) -> None:
        self.layout = layout
        self.views = views
        self.refused = {rid: v for rid, v in (refused or {}).items() if rid not in views}
        self.console = console
        self.order = list(views)
        self.windows: dict[str, ScreenWindow] = {}
        self.span: SpanWindow | None = None
        self.text_scale = 1.0
        """The operator's --scale."""
        self.readability = ""
        self.problems = list(problems)
        self.assignment = Assignment({}, list(self.order), [])
        self.screens: list[ScreenInfo] = []
        self._console_fitted = False
        """Whether the console was put on the desk monitor (then it is shown maximised there)."""
        console.show_problems(self.problems)

    # --------------------------------------------------------------------------- placement

    def place(self, screens: Sequence[ScreenInfo]) -> Assignment:
        """Put runways on ``screens`` (again, after a hot-plug or a change of resolution); the rest
        go to the console, and the console to the desk monitor if the layout reserves one."""
        self.screens = list(screens)
        desk = desk_screen(self.layout, screens)
        if self.layout.spanning and any(s is not desk for s in screens):
            return self._place_spanning(screens, desk)
        if self.span is not None:  # the wall controller's display is gone: runways to the console
            self.span.close()
            self.span.deleteLater()
            self.span = None
        new = self._assign(screens, desk)
        for rid, view in self.views.items():
            screen = new.on_screen.get(rid)
            if screen is None:
                self._close_window(rid)
                self.console.hold(view)
                continue
            self.console.release(view)
            if self._show_on(rid, view, screen):
                view.setVisible(True)  # a console tab that was not current left it hidden
            # After the view is in its window: a new parent re-polishes it, and the style sheet
            # sets fonts again when it polishes.
            self._size_text(view, screen)
        for rid, refused in self.refused.items():
            screen = new.on_screen.get(rid)
            if screen is None:
                self._close_window(rid)
                continue
            self._show_on(rid, refused, screen)
            refused.apply_wall_type(self._wall_type(refused, screen))
        self.assignment = new
        self._place_console(new.console_screen)
        titles = {rid: v.title.text() for rid, v in self.views.items()}
        self.console.show_assignment(titles, new, sum(s is not new.console_screen for s in screens))
        log.info(
            "wall: %s on screens; %s in the console",
            ", ".join(f"{r}→{s.key}" for r, s in new.on_screen.items()) or "nothing",
            ", ".join(new.on_console) or "nothing",
        )
        return new

    def _assign(self, screens: Sequence[ScreenInfo], desk: ScreenInfo | None) -> Assignment:
        """The layout on these screens; a refused runway keeps its screen (to say why), never goes
        to the console."""
        new = assign(self.layout, screens, [*self.order, *self.refused])
        return Assignment(new.on_screen, [r for r in new.on_console if r in self.views], new.unused, desk)

    def _close_window(self, rid: str) -> None:
        window = self.windows.pop(rid, None)
        if window is not None:
            window.takeCentralWidget()
            window.close()
            window.deleteLater()

    def _show_on(self, rid: str, view: RunwayView | RefusedView, screen: ScreenInfo) -> bool:
        """Put ``view`` in a window on ``screen``; True if the window is new."""
        window = self.windows.get(rid)
        if window is None:
            self.windows[rid] = ScreenWindow(view, screen, rid, view.title.text())
            return True
        if window.screen_info != screen:
            window.fit(screen)
        return False

    def _place_console(self, desk: ScreenInfo | None) -> None:
        """Put the console on the desk monitor, unless the officers already keep it there.

        A console that lies within the desk monitor stays as they sized it (its saved geometry is
        restored at start); one elsewhere, or one the monitor no longer holds after a change of
        resolution, is fitted to the monitor and shown maximised.
        """
        if desk is None:
            self._console_fitted = False
            return
        rect = QRect(desk.x, desk.y, desk.width, desk.height)
        if not self.console.isVisible() or not rect.contains(self.console.frameGeometry()):
            self.console.setGeometry(rect)
            self._console_fitted = True
        log.info("wall: the console on %s, the desk monitor the layout reserves", desk.key)

    def _place_spanning(self, screens: Sequence[ScreenInfo], desk: ScreenInfo | None) -> Assignment:
        display = max((s for s in screens if s is not desk), key=lambda s: s.width * s.height)
        cells = span_cells(display, len(self.layout.screens), self.layout.tiles)
        new = self._assign(cells, desk)
        for rid in list(self.windows):  # per-screen windows give way to the one spanning window
            window = self.windows.pop(rid)
            window.takeCentralWidget()
            window.close()
            window.deleteLater()
        if self.span is None:
            self.span = SpanWindow()
        shown: dict[str, RunwayView | RefusedView] = {**self.views, **self.refused}
        self.span.lay_out(display, {rid: (shown[rid], cell) for rid, cell in new.on_screen.items()})
        for rid, refused in self.refused.items():
            if rid in new.on_screen:
                refused.apply_wall_type(self._wall_type(refused, new.on_screen[rid]))
        for rid, view in self.views.items():
            if rid in new.on_screen:
                self.console.release(view)
                self._size_text(view, new.on_screen[rid])
                view.setVisible(True)
            else:
                self.console.hold(view)
        self.assignment = new
        self._place_console(desk)
        titles = {rid: v.title.text() for rid, v in self.views.items()}
        self.console.show_assignment(titles, new, 1)
        log.info("wall: spanning %s with %d runways", display.key, len(new.on_screen))
        return new

    def _wall_type(self, view: QWidget, screen: ScreenInfo) -> WallType:
        ratio = cap_ratio(view.font())
        if self.layout.size_for_distance:
            return wall_type(self.layout, screen.height, ratio, self.text_scale)
        # Desk-sized type, e.g. a small wall read from a few metres: the font's, scaled.
        px = max(1, view.fontInfo().pixelSize())
        return WallType(
            round(px * 1.8 * self.text_scale),
            round(px * self.text_scale),
            px * 1.8 * self.text_scale * ratio,
            px * self.text_scale * ratio,
            mm_per_px(self.layout, screen.height),
            screen.height,
        )

    def _size_text(self, view: RunwayView, screen: ScreenInfo) -> None:
        """Give a runway on ``screen`` its wall type (docs/architecture.md, "Wall type")."""
        ratio = cap_ratio(view.font())
        sizes = self._wall_type(view, screen)
        view.apply_wall_type(sizes)
        key_mm = sizes.glyph_mm(sizes.key_px * ratio)
        sec_mm = sizes.glyph_mm(sizes.secondary_px * ratio)
        need = self.layout.reading_distance_m * 1000 / 200
        self.readability = tr(
            'Wall type on a {diag:g}" panel: key text {have:.0f} mm, secondary {detail:.0f} mm (capitals); '
            "from {dist:g} m key text needs {need:.0f} mm, secondary {half:.0f} mm"
        ).format(
            have=key_mm,
            detail=sec_mm,
            diag=self.layout.panel_diagonal_in,
            dist=self.layout.reading_distance_m,
            need=need,
            half=need / 2,
        )
        if key_mm + 0.5 < need:
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
        if self._console_fitted:
            self.console.showMaximized()  # fills the desk monitor (its work area under a window manager)
        else:
            self.console.show()

    def replace_on(self, screens: Sequence[QScreen]) -> None:
        """Re-place runways on the screens there are now (hot-plug) and show them."""
        self.place([screen_info(s) for s in screens])
        self.show()

    def close(self) -> None:
        """Close and delete every window, in order: the screens, then the console."""
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

    def set_mode(self, text: str) -> None:
        for view in [*self.views.values(), *self.console.desks.values()]:
            view.set_mode(text)
