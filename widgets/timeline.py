"""A replay timeline: event density as bars, alarms as marks, the playhead, a loop selection.

It takes plain values (times in ms since the epoch, counts per bucket, alarm times and levels) and
emits what the user wants: a click asks for a seek there, a drag selects a stretch to loop.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

ALARM_COLOURS = {1: QColor("#e8312a"), 2: QColor("#f39c12"), 3: QColor("#f1c40f"), 4: QColor("#3498db")}
DRAG_PX = 4
"""A press that moves less than this is a click (seek), not a drag (selection)."""


class TimelineWidget(QWidget):
    """Where a recording is busy, where its alarms are, and where playback is.

    Signals:
        seek_requested(float): the user clicked at this time (ms since the epoch).
        selection_changed(float, float): the user dragged out this stretch (start, end ms).
    """

    seek_requested = Signal(float)
    selection_changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setMinimumHeight(self.fontMetrics().height() + 56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(False)
        self._start = 0.0
        self._end = 1.0
        self._bucket_ms = 1.0
        self._counts: list[int] = []
        self._alarms: list[tuple[float, int]] = []
        self._position = 0.0
        self._selection: tuple[float, float] | None = None
        self._press_x: float | None = None
        self.setToolTip(self.tr("Click to jump there; drag to select a stretch to loop"))

    # ------------------------------------------------------------------------------ values

    def set_range(self, start_ms: float, end_ms: float) -> None:
        self._start, self._end = start_ms, max(end_ms, start_ms + 1)
        self.update()

    def set_density(self, bucket_ms: float, counts: Sequence[int]) -> None:
        """Events per bucket of ``bucket_ms``, the first bucket starting at the range's start."""
        self._bucket_ms = max(1.0, bucket_ms)
        self._counts = list(counts)
        self.update()

    def set_alarms(self, alarms: Sequence[tuple[float, int]]) -> None:
        """(time ms, level 1-4) of every alarm raised in the recording."""
        self._alarms = list(alarms)
        self.update()

    def set_position(self, ms: float) -> None:
        if ms != self._position:
            self._position = ms
            self.update()

    def set_selection(self, start_ms: float, end_ms: float) -> None:
        self._selection = (min(start_ms, end_ms), max(start_ms, end_ms))
        self.update()

    def clear_selection(self) -> None:
        self._selection = None
        self.update()

    # ------------------------------------------------------------------------------ reading back

    def position(self) -> float:
        return self._position

    def selection(self) -> tuple[float, float] | None:
        return self._selection

    def time_at(self, x: float) -> float:
        """The time under pixel column ``x``."""
        w = max(1, self.width() - 1)
        return self._start + (min(max(x, 0.0), w) / w) * (self._end - self._start)

    def x_of(self, ms: float) -> float:
        return (ms - self._start) / (self._end - self._start) * max(1, self.width() - 1)

    def sizeHint(self) -> QSize:
        return QSize(600, 64)

    # ------------------------------------------------------------------------------ input

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_x = event.position().x()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press_x is None:
            return
        x0, x1 = self._press_x, event.position().x()
        self._press_x = None
        if abs(x1 - x0) < DRAG_PX:
            self.seek_requested.emit(self.time_at(x1))
        else:
            a, b = sorted((self.time_at(x0), self.time_at(x1)))
            self.set_selection(a, b)
            self.selection_changed.emit(a, b)

    # ------------------------------------------------------------------------------ painting

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(0, 0, w, h, QColor("#1b2330"))
        label_h = self.fontMetrics().height()
        top_y = label_h + 16  # the clock labels, then the alarm marks, above the bars
        bars_h = h - top_y
        if self._selection is not None:
            a, b = (self.x_of(t) for t in self._selection)
            p.fillRect(QRectF(a, 0, max(1.0, b - a), h), QColor(80, 140, 220, 70))
        top = max(self._counts, default=0)
        if top:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#5d7391"))
            for i, n in enumerate(self._counts):
                if not n:
                    continue
                x0 = self.x_of(self._start + i * self._bucket_ms)
                x1 = self.x_of(self._start + (i + 1) * self._bucket_ms)
                bh = max(2.0, bars_h * n / top)
                p.drawRect(QRectF(x0, top_y + bars_h - bh, max(1.0, x1 - x0 - 0.5), bh))
        # Alarms as downward triangles along the top; the most severe drawn last, on top.
        for ms, level in sorted(self._alarms, key=lambda a: -a[1]):
            x = self.x_of(ms)
            colour = ALARM_COLOURS.get(level, ALARM_COLOURS[4])
            p.setPen(QPen(QColor("#000000"), 1))
            p.setBrush(colour)
            y = label_h + 2
            p.drawPolygon(QPolygonF([QPointF(x - 5, y), QPointF(x + 5, y), QPointF(x, y + 12)]))
        x = self.x_of(self._position)
        p.setPen(QPen(QColor("#ffffff"), 2))
        p.drawLine(QPointF(x, 0), QPointF(x, h))
        p.setPen(QColor("#c8d2e0"))
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        p.drawText(QRectF(4, 0, w / 2, label_h), left, _clock(self._start))
        p.drawText(QRectF(w / 2, 0, w / 2 - 4, label_h), right, _clock(self._end))
        p.end()


def _clock(ms: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ms / 1000))
