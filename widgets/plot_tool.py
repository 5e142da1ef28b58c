"""The drawing tool on a :class:`~widgets.map_view.MapView`: it reports the officer's mouse and keys as
positions on the map, and decides nothing else (the cockpit's edit model does).

It watches the map's events (an event filter) and takes only what is its own: a press on a vertex
handle and the drag that follows, a click while drawing, a double click, and the drawing keys. A drag
anywhere else is left to the map, which pans, so the officer can move the map while drawing.

Positions are WGS 84 (lon, lat); each comes with the *tolerance*, how far :data:`SNAP_PX` pixels are
there in degrees of latitude, so the edit model can snap and pick without knowing the zoom.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QApplication

from widgets.map_view import MapView
from widgets.plot_values import Handle

SNAP_PX = 12.0
"""How close the pointer must be to a vertex, a plot or a point to snap to it or pick it."""
GRAB_PX = 14.0
"""How close a press must be to a handle to grab it."""


class PlotTool(QObject):
    """The mouse and keys of one map, as drawing intents.

    Signals:
        clicked(float, float, float): A click (press and release in place): lon, lat, tolerance. The
            map gets the release too (its ``marker_clicked`` may follow).
        double_clicked(float, float, float): A double click while drawing.
        hovered(float, float, float): The pointer moved while drawing, no button down.
        vertex_grabbed(str, int): A press on a handle: the plot and the vertex.
        vertex_dragged(float, float, float): The grabbed vertex moved.
        vertex_dropped(float, float, float): The grabbed vertex was let go.
        finish_requested(): Enter.
        cancel_requested(): Escape.
        back_requested(): Backspace.
        delete_requested(): Delete.
        undo_requested(): Ctrl+Z.
        redo_requested(): Ctrl+Shift+Z or Ctrl+Y.
    """

    clicked = Signal(float, float, float)
    double_clicked = Signal(float, float, float)
    hovered = Signal(float, float, float)
    vertex_grabbed = Signal(str, int)
    vertex_dragged = Signal(float, float, float)
    vertex_dropped = Signal(float, float, float)
    finish_requested = Signal()
    cancel_requested = Signal()
    back_requested = Signal()
    delete_requested = Signal()
    undo_requested = Signal()
    redo_requested = Signal()

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self.view = view
        self._drawing = False
        self._enabled = True
        self._handles: list[Handle] = []
        self._press: QPointF | None = None
        self._moved = False
        self._grabbed = False
        self._after_double = False
        self.symbol_anchor: Callable[[QPointF], QPointF | None] | None = None
        """Where the point symbol under a widget position stands (:meth:`PlotLayer.anchor_at`):
        a click on a symbol, away from its point, selects it."""
        view.installEventFilter(self)
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # ------------------------------------------------------------------------------ attributes

    def set_drawing(self, drawing: bool) -> None:
        """Clicks place vertices (and are not the map's) while drawing; else they select."""
        if drawing != self._drawing:
            self._drawing = drawing
            self.view.setMouseTracking(drawing)
            self.view.setCursor(Qt.CursorShape.CrossCursor if drawing else Qt.CursorShape.OpenHandCursor)

    def set_enabled(self, enabled: bool) -> None:
        """A disabled tool reports nothing: the map is only a map (a viewer, a replay)."""
        self._enabled = enabled

    def set_handles(self, handles: Sequence[Handle]) -> None:
        self._handles = list(handles)

    @property
    def drawing(self) -> bool:
        return self._drawing

    # ------------------------------------------------------------------------------ positions

    def at(self, pos: QPointF) -> tuple[float, float, float]:
        """(lon, lat, tolerance) at widget position ``pos``."""
        lon, lat = self.view.widget_to_lonlat(pos)
        _, lat2 = self.view.widget_to_lonlat(QPointF(pos.x(), pos.y() + SNAP_PX))
        return lon, lat, abs(lat - lat2)

    def handle_at(self, pos: QPointF) -> Handle | None:
        best, best_d = None, GRAB_PX
        for h in self._handles:
            q = self.view.lonlat_to_widget(h.lon, h.lat)
            d = math.hypot(q.x() - pos.x(), q.y() - pos.y())
            if d <= best_d:
                best, best_d = h, d
        return best

    # ------------------------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.view or not self._enabled:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            return self._on_press(event)
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._on_move(event)
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            return self._on_release(event)
        if kind == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
            return self._on_double(event)
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._on_key(event)
        return False

    def _on_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self._after_double = False  # a double click's release that never came must not eat this one
        self._press, self._moved = event.position(), False
        handle = None if self._drawing else self.handle_at(event.position())
        if handle is not None:
            self._grabbed = True
            self.vertex_grabbed.emit(handle.plot_id, handle.index)
            return True
        return False  # the map may pan

    def _on_move(self, event: QMouseEvent) -> bool:
        pos = event.position()
        if self._grabbed:
            self.vertex_dragged.emit(*self.at(pos))
            return True
        if self._press is not None:
            if (pos - self._press).manhattanLength() >= QApplication.startDragDistance():
                self._moved = True  # a pan: the map's
            return False
        if self._drawing:
            self.hovered.emit(*self.at(pos))
        return False

    def _on_release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        pos, press = event.position(), self._press
        self._press = None
        if self._grabbed:
            self._grabbed = False
            self.vertex_dropped.emit(*self.at(pos))
            return True
        if self._after_double:
            self._after_double = False
            return True
        if press is None or self._moved:
            return False
        anchor = self.symbol_anchor(pos) if self.symbol_anchor is not None and not self._drawing else None
        self.clicked.emit(*self.at(anchor if anchor is not None else pos))
        # The map sees the release too: it ends the press it saw (else its next move would pan).
        # Whether a click on an event marker while drawing chooses the event is the edit model's
        # call (the map's marker_clicked goes there).
        return False

    def _on_double(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or not self._drawing:
            return False
        self._after_double = True
        self.double_clicked.emit(*self.at(event.position()))
        return True

    def _on_key(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
            return True
        if event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.redo_requested.emit()
            return True
        signal = {
            Qt.Key.Key_Return: self.finish_requested,
            Qt.Key.Key_Enter: self.finish_requested,
            Qt.Key.Key_Escape: self.cancel_requested,
            Qt.Key.Key_Backspace: self.back_requested,
            Qt.Key.Key_Delete: self.delete_requested,
        }.get(Qt.Key(event.key()))
        if signal is None:
            return False
        signal.emit()
        return True
