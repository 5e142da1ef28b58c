"""Horizontal bars, one per measurement, against limit lines drawn across all of them.

"Disposal sites' load against the 50 % line": each row is a name, a bar on a shared scale, and the
value with its state in words ("56 % · over 50 %"): colour is never the only sign. The limits are
dashed lines across every bar, labelled once above them. A reading that is not current is grey.
All at the detail size: a bar's length reads from further than its digits.

Translation context: ``BarGauges``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.painted import LEVEL_COLOURS, PaintedWidget
from widgets.values import Bar, Mark, TileLevel

NORMAL_BAR = "#6f8aa6"
"""A normal bar: a calm blue-grey, so colour stays for what is wrong."""


class BarGaugesWidget(PaintedWidget):
    """Bars of several measurements on one scale.

    Signals:
        None. The bars only display.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: tuple[Bar, ...] = ()
        self._marks: tuple[Mark, ...] = ()
        self._scale = (0.0, 100.0)

    def set_scale(self, lo: float, hi: float) -> None:
        if not hi > lo:
            raise ValueError(f"scale {lo}..{hi} is empty")
        if (lo, hi) != self._scale:
            self._scale = (lo, hi)
            self.update()

    def set_marks(self, marks: Sequence[Mark]) -> None:
        marks = tuple(marks)
        if marks != self._marks:
            self._marks = marks
            self.update()

    def set_bars(self, bars: Sequence[Bar]) -> None:
        bars = tuple(bars)
        if bars != self._bars:
            self._bars = bars
            self.update()

    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def bar_fraction(self, i: int) -> float:
        """How much of the scale bar ``i`` fills (0..1)."""
        value = self._bars[i].value
        if value is None:
            return 0.0
        lo, hi = self._scale
        return min(1.0, max(0.0, (value - lo) / (hi - lo)))

    def least_height(self, width: float) -> float:
        """The marks' header, one bar, and a line for "+n more" under it when there are more."""
        line = QFontMetricsF(self.detail_font()).height()
        if not self._bars:
            return line
        header = line * 1.05 if self._marks else 0.0
        return header + line * 1.3 + (line if len(self._bars) > 1 else 0.0)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        detail, bold = self.detail_font(), self.detail_font(bold=True)
        dfm = QFontMetricsF(detail)
        line = dfm.height()
        if not self._bars:
            self.draw_text(p, room, QCoreApplication.translate("BarGauges", "No data"), detail, theme.TEXT_DIM)
            p.end()
            return
        pad = line * 0.3
        label_w = min(room.width() * 0.45, max(self.one_line_width(detail, b.label) for b in self._bars) + pad)
        values = [self._value_text(b) for b in self._bars]
        value_w = min(room.width() * 0.3, max(self.one_line_width(bold, v) for v in values) + pad)
        bar_left = room.left() + label_w + pad
        bar_right = room.right() - value_w - pad
        header_h = line * 1.05 if self._marks else 0.0
        top = room.top() + header_h
        rows: list[QRectF] = []
        for i, bar in enumerate(self._bars):
            h = max(line, self.text_height(detail, label_w, bar.label), self.text_height(bold, value_w, values[i])) + pad
            reserve = line if len(self._bars) - i - 1 > 0 else 0.0
            if top + h > room.bottom() - reserve + 0.5:
                break
            rows.append(QRectF(room.left(), top, room.width(), h))
            top += h
        lo, hi = self._scale

        def x_of(v: float) -> float:
            return bar_left + (bar_right - bar_left) * min(1.0, max(0.0, (v - lo) / (hi - lo)))

        for i, (bar, row) in enumerate(zip(self._bars, rows, strict=False)):
            colour = LEVEL_COLOURS[bar.level]
            self.draw_text(p, QRectF(row.left(), row.top(), label_w, row.height()), bar.label, detail, theme.TEXT)
            thick = min(line * 0.7, max(6.0, row.height() - 2 * pad))
            track = QRectF(bar_left, row.top() + (line - thick) / 2, bar_right - bar_left, thick)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(theme.BG_INPUT))
            p.drawRect(track)
            if bar.value is not None:
                p.setBrush(QColor(NORMAL_BAR if bar.level is TileLevel.NORMAL else colour))
                p.drawRect(QRectF(track.left(), track.top(), x_of(bar.value) - track.left(), thick))
            if bar.level is TileLevel.STALE:
                p.setPen(QPen(QColor(theme.STALE), 2.0, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(track)
            self.draw_text(
                p, QRectF(bar_right + pad, row.top(), value_w, row.height()), values[i], bold,
                colour if bar.level is not TileLevel.NORMAL else theme.TEXT, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
            )  # fmt: skip
        if rows:
            self._paint_marks(p, QRectF(bar_left, room.top(), bar_right - bar_left, rows[-1].bottom() - room.top()), header_h, x_of)
        left = len(self._bars) - len(rows)
        self.note_left_out(p, room, left, QCoreApplication.translate("BarGauges", "+{n} more").format(n=left))
        p.end()

    @staticmethod
    def _value_text(bar: Bar) -> str:
        """The value and, when it is not normal, its state in words: "56 % · over 50 %"."""
        return f"{bar.text} · {bar.note}" if bar.note else bar.text

    def _paint_marks(self, p: QPainter, area: QRectF, header_h: float, x_of: Callable[[float], float]) -> None:
        detail = self.detail_font()
        dfm = QFontMetricsF(detail)
        placed: list[QRectF] = []
        for mark in sorted(self._marks, key=lambda m: m.value):
            x = x_of(mark.value)
            colour = QColor(theme.SEVERITY_RED if mark.alarm else theme.SEVERITY_YELLOW)
            pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, area.top() + header_h), QPointF(x, area.bottom()))
            w = dfm.horizontalAdvance(mark.label) + 2
            left = min(max(area.left(), x - w / 2), area.right() - w)
            box = QRectF(left, area.top(), w, header_h)
            if any(box.intersects(b) for b in placed):
                continue  # the line is drawn; its label would cover another's
            placed.append(box)
            self.draw_text(p, box, mark.label, detail, colour, int(Qt.AlignmentFlag.AlignCenter))
