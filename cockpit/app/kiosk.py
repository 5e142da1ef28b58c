"""Kiosk mode (``cockpit --kiosk``): the wall's screens cannot be closed, shrunk or pointed at.

- A wall window refuses to be closed from outside (Alt+F4 under a window manager, ``xdotool
  windowclose``: the window system's close request) and
  goes back to full screen when something minimises or un-full-screens it; only the cockpit's own
  orderly quit closes it (:meth:`KioskGuard.release`).
- The pointer is hidden while it is over a wall screen (an override cursor, so that widgets that set
  their own, like the map's hand, stay hidden too) and shown again over the console.
- The console stays an ordinary window: the officers work there. It is moved to a monitor that no
  runway uses (the desk monitor) when it would open over a runway.

Keys that belong to the X server (Ctrl+Alt+F1 to change virtual terminal, Ctrl+Alt+Backspace) are
switched off by the kiosk session itself (packaging/linux/kiosk-session); the cockpit has no key that
quits or leaves full screen.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QWidget

from cockpit.app.wall import Wall

log = logging.getLogger(__name__)


class KioskGuard(QObject):
    """Guards the wall's windows (call :meth:`apply` after every placement; wiring.py connects it)."""

    def __init__(self, wall: Wall, full_screen: bool = True) -> None:
        super().__init__()
        self.wall = wall
        self.full_screen = full_screen
        """Whether the wall's windows are full screen (a windowed test wall is not put back)."""
        self.releasing = False
        self._guarded: set[int] = set()
        self._hidden = False
        self.refused_closes = 0

    def windows(self) -> list[QWidget]:
        out: list[QWidget] = list(self.wall.windows.values())
        if self.wall.span is not None:
            out.append(self.wall.span)
        return out

    def apply(self) -> None:
        """Guard every wall window (new ones after a hot-plug too); hide the pointer if it is on one."""
        for window in self.windows():
            if id(window) not in self._guarded:
                window.installEventFilter(self)
                self._guarded.add(id(window))
        self.console_to_free_screen()
        self._pointer_over_wall(self._under_pointer())

    def console_to_free_screen(self) -> None:
        """Put the console on a monitor no runway uses (the officers' desk monitor) if it sits on a
        wall screen: with no window manager it would open at 0,0, over the first runway."""
        app = QGuiApplication.instance()
        if not isinstance(app, QGuiApplication):
            return
        walls = [w.frameGeometry() for w in self.windows() if w.isVisible()]
        console = self.wall.console
        if not any(console.frameGeometry().intersects(r) for r in walls):
            return
        for screen in app.screens():
            if not any(screen.geometry().intersects(r) for r in walls):
                console.setGeometry(screen.availableGeometry())
                log.info("kiosk: the console is on %s, the monitor no runway uses", screen.name())
                return

    def release(self) -> None:
        """The cockpit is quitting: windows may close, the pointer comes back."""
        self.releasing = True
        self._pointer_over_wall(False)

    def _under_pointer(self) -> bool:
        pos = QCursor.pos()
        return any(w.isVisible() and w.frameGeometry().contains(pos) for w in self.windows())

    def _pointer_over_wall(self, over: bool) -> None:
        over = over and not self.releasing
        if over and not self._hidden:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self._hidden = True
        elif not over and self._hidden:
            QGuiApplication.restoreOverrideCursor()
            self._hidden = False

    @property
    def pointer_hidden(self) -> bool:
        return self._hidden

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # Only a close from outside (the window system: a window manager's Alt+F4, xdotool) is
        # refused; the wall closes its own windows when a screen goes away (a hot-plug).
        if kind == QEvent.Type.Close and event.spontaneous() and not self.releasing:
            event.ignore()
            self.refused_closes += 1
            log.warning("kiosk: a wall window was asked to close; it stays")
            return True
        if kind == QEvent.Type.Enter:
            self._pointer_over_wall(True)
        elif kind == QEvent.Type.Leave:
            self._pointer_over_wall(self._under_pointer())
        elif kind == QEvent.Type.WindowStateChange and self.full_screen and not self.releasing:
            assert isinstance(watched, QWidget)
            if not watched.isFullScreen():
                log.warning("kiosk: a wall window left full screen; it goes back")
                QTimer.singleShot(0, watched, watched.showFullScreen)
        return False
