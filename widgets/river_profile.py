"""A river from upstream (left) to downstream (right): its stations' readings against their limits,
the intake, and what drifts on it with its predicted arrival, counting down.

From the top: one line per drifting thing, where it goes in words and how long until it arrives at
key size ("Oil slick reaches Liangtuo intake at 02:13, in  5 h 42 min"); the readings as a profile, each station a dot in its level's colour with its value
over it, the limits as dashed lines labelled at the right; the river as a band with the stations,
the intake (a square) and the drifting thing (a dark blot with an arrow to its target) at their
kilometres; the stations' names under it, alternating between two rows so long names keep apart.

Translation context: ``RiverProfile``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.painted import LEVEL_COLOURS, SEVERITY_COLOURS, PaintedWidget
from widgets.values import Drift, Mark, Station, TileLevel

RIVER = "#3e5b74"
"""The river's colour on the maps (cockpit/app/panels/map.py): the same water everywhere."""
SLICK = "#2a2420"


class RiverProfileWidget(PaintedWidget):
    """A river profile.

    Signals:
        drift_clicked(str): the officer clicked a drifting thing (its event id).
    """

    drift_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._span = (0.0, 1.0)
        self._marks: tuple[Mark, ...] = ()
        self._unit = ""
        self._stations: tuple[Station, ...] = ()
        self._drifts: tuple[Drift, ...] = ()
        self._empty = ""
        self._current = True
        self._drift_boxes: list[tuple[QRectF, str]] = []
        self._x_range = (0.0, 1.0)
        """The pixels the river's stretch spans, from the last layout."""

    def set_profile(
        self,
        span: tuple[float, float],
        marks: Sequence[Mark],
        unit: str,
        stations: Sequence[Station],
        drifts: Sequence[Drift],
        empty: str = "",
    ) -> None:
        """Everything at once: the stretch of river (km), the limits, the stations and the drifts."""
        new = (span, tuple(marks), unit, tuple(stations), tuple(drifts), empty)
        if new != (self._span, self._marks, self._unit, self._stations, self._drifts, self._empty):
            self._span, self._marks, self._unit, self._stations, self._drifts, self._empty = new
            self.update()

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def stations(self) -> tuple[Station, ...]:
        return self._stations

    def drifts(self) -> tuple[Drift, ...]:
        return self._drifts

    def x_of(self, km: float) -> float:
        """Where kilometre ``km`` is drawn (widget pixels), as of the last paint's layout."""
        lo, hi = self._span
        left, right = self._x_range
        return left + (right - left) * (km - lo) / (hi - lo or 1.0)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        for box, event_id in self._drift_boxes:
            if box.contains(event.position()):
                self.drift_clicked.emit(event_id)
                break
        super().mouseReleaseEvent(event)

    def least_height(self, width: float) -> float:
        """Room for the profile: the values over the dots, a line of plot, the river and the two
        rows of names, under every line of what drifts."""
        line = QFontMetricsF(self.detail_font()).height()
        if not self._stations:
            return line
        # every drift's line, as paintEvent lays them out: the profile goes under them
        drifts = sum(self._drift_row(drift, width)[1] + line * 0.2 for drift in self._drifts)
        return line * 6.1 + drifts

    def _drift_row(self, drift: Drift, width: float) -> tuple[float, float]:
        """A drift's row in ``width``: the caption's width beside its countdown, and the row's height."""
        line = QFontMetricsF(self.detail_font()).height()
        kfm = QFontMetricsF(self.key_font())
        count_w = kfm.horizontalAdvance(drift.countdown) + line * 0.5 if drift.countdown else 0.0
        caption = self.text_height(self.detail_font(bold=True), width - count_w, drift.caption)
        return width - count_w, max(kfm.height() if drift.countdown else 0.0, caption)

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        self._drift_boxes = []
        detail, bold, key = self.detail_font(), self.detail_font(bold=True), self.key_font()
        dfm = QFontMetricsF(detail)
        line = dfm.height()
        dim = not self._current
        if not self._stations:
            self.draw_text(p, room, self._empty or QCoreApplication.translate("RiverProfile", "No stations"), detail, theme.TEXT_DIM)
            p.end()
            return
        top = room.top()
        for drift in self._drifts:  # what drifts: where it goes in words, how long until at key size
            colour = theme.STALE if dim else SEVERITY_COLOURS[drift.severity]
            caption_w, h = self._drift_row(drift, room.width())
            if top + h > room.top() + room.height() / 2:
                self._left_out += 1
                continue
            cap = self.draw_text(p, QRectF(room.left(), top, caption_w, h), drift.caption, bold, colour,
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter))  # fmt: skip
            if drift.countdown:
                self.draw_text(p, QRectF(cap.right() + line * 0.4, top, room.width() - caption_w, h), drift.countdown, key, colour,
                               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), key=True)  # fmt: skip
            top += h + line * 0.2
        names_h = 2 * line  # two alternating rows of names, one line each
        river_h = line * 0.9
        # The limits' labels get a column of their own on the right: they never cover a station.
        marks_w = max([dfm.horizontalAdvance(m.label) for m in self._marks] or [0.0]) + line * 0.5
        margin = line * 1.2
        self._x_range = (room.left() + margin, room.right() - max(margin, marks_w))
        plot_top = top + line * 1.6  # room for the values over the dots
        plot = QRectF(room.left(), plot_top, room.width(), room.bottom() - names_h - river_h - line * 0.5 - plot_top)
        if plot.height() < line:
            self.draw_text(p, QRectF(room.left(), top, room.width(), room.bottom() - top),
                           QCoreApplication.translate("RiverProfile", "Too small for the profile"), detail, theme.TEXT_DIM, fitted=False)  # fmt: skip
            p.end()
            return
        values = [s.value for s in self._stations if s.value is not None] + [m.value for m in self._marks]
        lo_v, hi_v = min(values or [0.0]), max(values or [1.0])
        spread = (hi_v - lo_v) or 1.0
        lo_v, hi_v = max(0.0, lo_v - 0.2 * spread), hi_v + 0.1 * spread

        def y_of(v: float) -> float:
            return plot.bottom() - plot.height() * min(1.0, max(0.0, (v - lo_v) / (hi_v - lo_v)))

        # The limits, dashed across the river's stretch, labelled in the column on the right.
        below = -1e9  # labels of limits close together are stacked, never drawn over each other
        for mark in sorted(self._marks, key=lambda m: -m.value):
            limit = QColor(theme.SEVERITY_RED if mark.alarm else theme.SEVERITY_YELLOW)
            y = y_of(mark.value)
            p.setPen(QPen(limit, 2.0, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(self._x_range[0], y), QPointF(self._x_range[1], y))
            w = dfm.horizontalAdvance(mark.label) + 2
            label_top = max(y - line / 2, below)
            if label_top + line > room.bottom() + 0.5:
                self._left_out += 1
                continue
            self.draw_text(p, QRectF(room.right() - w, label_top, w, line), mark.label, detail, limit)
            below = label_top + line
        # The profile: a line through the stations' readings, each a dot with its value.
        points = [(self.x_of(s.km), y_of(s.value), s) for s in self._stations if s.value is not None]
        if len(points) > 1:
            p.setPen(QPen(QColor(theme.STALE if dim else theme.TEXT_DIM), 2.0))
            p.drawPolyline(QPolygonF([QPointF(x, y) for x, y, _ in points]))
        placed: list[QRectF] = []
        r = line * 0.28
        for x, y, s in points:
            dot = QColor(LEVEL_COLOURS[TileLevel.STALE if dim else s.level])
            p.setPen(QPen(QColor(theme.BG_PANEL), 2.0))
            p.setBrush(dot if s.level is not TileLevel.NORMAL else QColor(theme.TEXT))
            p.drawEllipse(QPointF(x, y), r, r)
            bfm = QFontMetricsF(bold)
            w = bfm.horizontalAdvance(s.text) + 4
            box = QRectF(x - w / 2, y - r - bfm.height() * 1.05, w, bfm.height())
            if not any(box.intersects(b) for b in placed) and box.top() >= top:
                placed.append(box)
                self.draw_text(p, box, s.text, bold, dot if s.level is not TileLevel.NORMAL else theme.TEXT, int(Qt.AlignmentFlag.AlignCenter))
        # The river, its stations, the intake, and what drifts.
        band = QRectF(self._x_range[0] - line * 0.6, plot.bottom() + line * 0.3, self._x_range[1] - self._x_range[0] + line * 1.2, river_h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(RIVER))
        p.drawRoundedRect(band, river_h / 2, river_h / 2)
        self._arrow(p, band)
        for s in self._stations:
            x = self.x_of(s.km)
            if s.intake:
                size = river_h * 1.1
                p.setPen(QPen(QColor(theme.TEXT), 2.0))
                p.setBrush(QColor(theme.SEVERITY_BLUE))
                p.drawRect(QRectF(x - size / 2, band.center().y() - size / 2, size, size))
            else:
                p.setPen(QPen(QColor(theme.TEXT), 2.0))
                p.drawLine(QPointF(x, band.top()), QPointF(x, band.bottom()))
        for drift in self._drifts:
            self._paint_drift(p, band, drift, dim)
        # Names, one line each, alternating between two rows so long names keep apart.
        left_out = 0
        rows: list[list[QRectF]] = [[], []]
        for i, s in enumerate(self._stations):
            x = self.x_of(s.km)
            font = bold if s.intake else detail
            w = self.one_line_width(font, s.label) + 2
            box = QRectF(min(max(room.left(), x - w / 2), room.right() - w), band.bottom() + line * 0.1 + (i % 2) * line, w, line)
            if box.bottom() > room.bottom() + 0.5 or any(box.intersects(b) for b in rows[i % 2]):
                left_out += 1
                continue
            rows[i % 2].append(box.adjusted(-line * 0.3, 0, line * 0.3, 0))
            self.draw_text(p, box, s.label, font, theme.TEXT if s.intake else theme.TEXT_DIM, int(Qt.AlignmentFlag.AlignHCenter))
        self._left_out += left_out
        p.end()

    def _arrow(self, p: QPainter, band: QRectF) -> None:
        """Which way the river flows: a chevron at the downstream end."""
        y, x, h = band.center().y(), band.right() - band.height(), band.height() * 0.35
        p.setPen(QPen(QColor(theme.TEXT_DIM), 2.0))
        p.drawPolyline(QPolygonF([QPointF(x - h, y - h), QPointF(x, y), QPointF(x - h, y + h)]))

    def _paint_drift(self, p: QPainter, band: QRectF, drift: Drift, dim: bool) -> None:
        x, y = self.x_of(drift.km), band.center().y()
        colour = QColor(theme.STALE if dim else SEVERITY_COLOURS[drift.severity])
        if drift.target_km is not None:
            tx = self.x_of(drift.target_km)
            p.setPen(QPen(colour, 3.0, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, band.top() - band.height() * 0.4), QPointF(tx, band.top() - band.height() * 0.4))
            head = band.height() * 0.4
            p.drawPolyline(
                QPolygonF([QPointF(tx - head, band.top() - head * 2), QPointF(tx, band.top() - head), QPointF(tx - head, band.top())])
            )
        blot = QPainterPath()
        w, h = band.height() * 2.2, band.height() * 1.1
        blot.addEllipse(QRectF(x - w / 2, y - h / 2, w, h))
        p.setPen(QPen(colour, 3.0))
        p.setBrush(QColor(SLICK))
        p.drawPath(blot)
        self._drift_boxes.append((QRectF(x - w / 2, y - h / 2, w, h).adjusted(-6, -6, 6, 6), drift.id))
