"""Days of a few measurements, against their limits, with every stretch out of range marked.

"Dissolved oxygen over the week, the three-day excursion visible": the curves left to right from
days ago to now, a date under each midnight, the limits dashed and labelled, each stretch out of
range shaded in its level's colour with its length in words over it ("3 d 5 h under 5 mg/L"), and
the newest value above the right-hand end ("now 4.4 mg/L"). A gap in the history stays a gap.

Translation context: ``HistoryChart``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.painted import PaintedWidget
from widgets.values import Curve, Mark, Span

CURVE_COLOURS = ("#c9ced6", "#7fa7c9", "#b9a36a", "#8fb39a")
"""As the trend panels' (cockpit/app/panels/trend.py): calm, apart from the limits' colours."""


class HistoryChartWidget(PaintedWidget):
    """A chart over days.

    Signals:
        None. The chart only displays.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window_h = 168.0
        self._marks: tuple[Mark, ...] = ()
        self._curves: tuple[Curve, ...] = ()
        self._spans: tuple[Span, ...] = ()
        self._ticks: tuple[tuple[float, str], ...] = ()
        self._now_text = ""
        self._empty = ""
        self._current = True

    def set_history(
        self,
        days: int,
        marks: Sequence[Mark],
        curves: Sequence[Curve],
        spans: Sequence[Span],
        ticks: Sequence[tuple[float, str]] = (),
        now_text: str = "",
        empty: str = "",
    ) -> None:
        self._window_h = 24.0 * max(1, days)
        self._marks, self._curves, self._spans = tuple(marks), tuple(curves), tuple(spans)
        self._ticks, self._now_text, self._empty = tuple(ticks), now_text, empty
        self.update()

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def spans(self) -> tuple[Span, ...]:
        return self._spans

    def curves(self) -> tuple[Curve, ...]:
        return self._curves

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        detail, bold = self.detail_font(), self.detail_font(bold=True)
        dfm = QFontMetricsF(detail)
        line = dfm.height()
        dim = not self._current
        if not self._curves:
            self.draw_text(p, room, self._empty or QCoreApplication.translate("HistoryChart", "No history"), detail, theme.TEXT_DIM)
            p.end()
            return
        # The header: the newest value on the right, the curves' names on the left.
        now = QCoreApplication.translate("HistoryChart", "now {value}").format(value=self._now_text) if self._now_text else ""
        now_w = QFontMetricsF(bold).horizontalAdvance(now) + line * 0.4 if now else 0.0
        header_h = line if now else 0.0
        if now:
            self.draw_text(
                p, QRectF(room.right() - now_w, room.top(), now_w, header_h), now, bold,
                theme.STALE if dim else theme.TEXT, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            )  # fmt: skip
        top = room.top()
        if len(self._curves) > 1:  # a legend only where the panel's title cannot name the one curve
            legend = "   ".join(f"━ {c.label}" for c in self._curves)
            box = self.draw_text(p, QRectF(room.left(), top, room.width() - now_w, max(header_h, line * 2)), legend, detail, theme.TEXT_DIM)
            top = box.bottom()
        top = max(top, room.top() + header_h)
        values = [v for c in self._curves for v in c.values if not math.isnan(v)] + [m.value for m in self._marks]
        lo, hi = min(values), max(values)
        pad_v = (hi - lo) * 0.12 or 1.0
        lo, hi = max(0.0, lo - pad_v) if lo >= 0 else lo - pad_v, hi + pad_v
        axis_w = max(dfm.horizontalAdvance(f"{v:.0f}") for v in (lo, hi)) + line * 0.4
        plot = QRectF(room.left() + axis_w, top + line * 0.3, room.width() - axis_w - line * 0.3, 0.0)
        plot.setBottom(room.bottom() - line * 1.2)
        if plot.height() < line * 2 or plot.width() < line * 4:
            self.draw_text(p, room, self._empty or QCoreApplication.translate("HistoryChart", "Too small"), detail, theme.TEXT_DIM,
                           fitted=bool(self._empty))  # fmt: skip
            p.end()
            return

        def x_of(h: float) -> float:
            return plot.left() + plot.width() * (1.0 + h / self._window_h)

        def y_of(v: float) -> float:
            return plot.bottom() - plot.height() * (v - lo) / (hi - lo)

        # Spans out of range, behind everything, labelled over the plot.
        placed: list[QRectF] = []
        for span in self._spans:
            colour = QColor(theme.STALE if dim else (theme.SEVERITY_RED if span.alarm else theme.SEVERITY_YELLOW))
            fill = QColor(colour)
            fill.setAlphaF(0.18)
            x0, x1 = max(plot.left(), x_of(span.start_h)), min(plot.right(), x_of(span.end_h))
            p.fillRect(QRectF(x0, plot.top(), x1 - x0, plot.height()), fill)
            p.setPen(QPen(colour, 2.0))
            p.drawLine(QPointF(x0, plot.top()), QPointF(x0, plot.bottom()))
            # Over the span, reaching left past its start where the words need it.
            w = min(self.one_line_width(bold, span.label) + 2, plot.width() - line * 0.4)
            box = QRectF(max(plot.left() + line * 0.2, min(x0 + line * 0.2, plot.right() - w - line * 0.2)), plot.top() + line * 0.15, w, line)
            h = self.text_height(bold, w, span.label)
            box.setHeight(h)
            if not any(box.intersects(b) for b in placed) and h <= line * 2.2:
                placed.append(box)
                self.draw_text(p, box, span.label, bold, colour)
        # Grid and axis: the dates, two values.
        p.setPen(QPen(QColor(theme.BORDER), 1.0))
        p.drawRect(plot)
        last_right = -1e9
        for h, label in sorted(self._ticks):
            x = x_of(h)
            p.setPen(QPen(QColor(theme.BORDER), 1.0, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            w = dfm.horizontalAdvance(label) + 2
            box = QRectF(x - w / 2, plot.bottom() + line * 0.1, w, line)
            if box.left() >= last_right + line * 0.3 and box.left() >= room.left() and box.right() <= room.right():
                last_right = box.right()
                self.draw_text(p, box, label, detail, theme.TEXT_DIM, int(Qt.AlignmentFlag.AlignCenter))
        for v in (lo, hi):
            text = f"{v:.0f}"
            self.draw_text(
                p, QRectF(room.left(), y_of(v) - line / 2, axis_w - line * 0.3, line), text, detail, theme.TEXT_DIM,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            )  # fmt: skip
        for mark in self._marks:
            colour = QColor(theme.SEVERITY_RED if mark.alarm else theme.SEVERITY_YELLOW)
            y = y_of(mark.value)
            p.setPen(QPen(colour, 2.0, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            w = dfm.horizontalAdvance(mark.label) + 2
            box = QRectF(plot.left() + line * 0.3, y - line, w, line)
            if not any(box.intersects(b) for b in placed):
                placed.append(box)
                self.draw_text(p, box, mark.label, detail, colour)
        # The curves, gaps kept, and the newest value at the live end.
        for i, curve in enumerate(self._curves):
            colour = QColor(theme.STALE if dim else CURVE_COLOURS[i % len(CURVE_COLOURS)])
            path = QPainterPath()
            pen_down = False
            for h, v in zip(curve.hours, curve.values, strict=True):
                if math.isnan(v) or h < -self._window_h:
                    pen_down = False
                    continue
                pt = QPointF(x_of(h), y_of(v))
                if pen_down:
                    path.lineTo(pt)
                else:
                    path.moveTo(pt)
                    pen_down = True
            p.setPen(QPen(colour, 3.0))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        if self._curves[0].values and not math.isnan(self._curves[0].values[-1]) and self._curves[0].hours[-1] == 0.0:
            p.setPen(QPen(QColor(theme.BG_PANEL), 2.0))
            p.setBrush(QColor(theme.STALE if dim else CURVE_COLOURS[0]))
            p.drawEllipse(QPointF(x_of(0.0), y_of(self._curves[0].values[-1])), line * 0.25, line * 0.25)
        p.end()
