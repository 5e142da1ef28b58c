"""The closed loop of a centre's work: five steps in a row, and for each period how many reached
each step, how long it took (median) and how many are late.

Found → routed → handled → reported back → evaluated, left to right with arrows between; a row per
period (this shift, today) with the count in bold and "6 min · 3 late" beside or under it, all at
the detail size: the panel is read from a few metres, the banner from the back of the room. The
day's late total closes it where there is a line to spare (each cell says its own). A median over
its target and late requests are coloured and said in words. A total of the late ones closes it.

Translation context: ``ClosedLoop``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.painted import LEVEL_COLOURS, PaintedWidget
from widgets.values import LoopStep, TileLevel

CENTRE = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)


class ClosedLoopWidget(PaintedWidget):
    """The loop's steps by period.

    Signals:
        None. The loop only displays.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._periods: tuple[str, ...] = ()
        self._steps: tuple[LoopStep, ...] = ()
        self._total = ""
        self._empty = ""
        self._current = True

    def set_loop(self, periods: Sequence[str], steps: Sequence[LoopStep], total: str = "", empty: str = "") -> None:
        new = (tuple(periods), tuple(steps), total, empty)
        if new != (self._periods, self._steps, self._total, self._empty):
            self._periods, self._steps, self._total, self._empty = new
            self.update()

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def steps(self) -> tuple[LoopStep, ...]:
        return self._steps

    def least_height(self, width: float) -> float:
        """The steps' names and one period's row (or, narrow, the periods and one step's row)."""
        line = QFontMetricsF(self.detail_font()).height()
        if not self._steps or self._empty:
            return line
        head = self._head_height(width)
        return (head if head is not None else line * 1.2) + line * 1.15

    def _head_height(self, width: float) -> float | None:
        """The steps' names' height side by side in ``width``; None when too narrow for that."""
        bold = self.detail_font(bold=True)
        line = QFontMetricsF(self.detail_font()).height()
        label_w = max([self.one_line_width(bold, name) for name in self._periods] or [0.0]) + line * 0.5
        n = len(self._steps)
        col_w = (width - label_w - line * 0.6 * (n - 1)) / n
        if max(self.one_line_width(bold, word) for s in self._steps for word in s.name.split()) > col_w:
            return None
        return max(self.text_height(bold, col_w, s.name) for s in self._steps)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        detail, bold = self.detail_font(), self.detail_font(bold=True)
        line = QFontMetricsF(detail).height()
        dim = not self._current
        if not self._steps or self._empty:
            self.draw_text(p, room, self._empty or QCoreApplication.translate("ClosedLoop", "No figures"), detail, theme.TEXT_DIM)
            p.end()
            return
        label_w = max([self.one_line_width(bold, name) for name in self._periods] or [0.0]) + line * 0.5
        gap = line * 0.6  # room for the arrows between steps
        n = len(self._steps)
        col_w = (room.width() - label_w - gap * (n - 1)) / n
        widest = max(self.one_line_width(bold, word) for s in self._steps for word in s.name.split())
        if widest > col_w:  # too narrow for the steps side by side: a step a row, a period a column
            self._paint_table(p, room, dim)
            p.end()
            return
        head_h = max(self.text_height(bold, col_w, s.name) for s in self._steps)
        if head_h + line * 1.15 > room.height() + 0.5:  # no room for a row under the names: say so
            self.note_left_out(p, room, len(self._periods), QCoreApplication.translate("ClosedLoop", "+{n} more").format(n=len(self._periods)))
            p.end()
            return
        # The steps' names, and arrows from each to the next.
        for i, step in enumerate(self._steps):
            x = room.left() + label_w + i * (col_w + gap)
            self.draw_text(p, QRectF(x, room.top(), col_w, head_h), step.name, bold, theme.TEXT, CENTRE)
            if i:
                self._arrow(p, x - gap, x, room.top() + line * 0.55)
        y = room.top() + head_h + line * 0.15
        total_h = 0.0  # the total of the late ones goes under the periods only where there is room
        left_out = 0
        for k, period in enumerate(self._periods):
            cells = [step.cells[k] if k < len(step.cells) else None for step in self._steps]
            subs = []
            for cell in cells:
                if cell is None:
                    subs.append("")
                    continue
                late = QCoreApplication.translate("ClosedLoop", "{n} late").format(n=cell.late) if cell.late is not None else ""
                subs.append(" · ".join(x for x in (cell.median, late) if x and x != "—"))
            counts = [c.count if c is not None else "—" for c in cells]
            # The count and its figures on one line where the column has the width, else two.
            one_line = all(
                self.one_line_width(bold, f"{n} ") + self.one_line_width(detail, f"· {sub}" if sub else "") <= col_w
                for n, sub in zip(counts, subs, strict=True)
            )
            h = line if one_line else line + max(self.text_height(detail, col_w, sub) for sub in subs)
            if y + h > room.bottom() - total_h + 0.5:
                left_out += 1
                continue
            p.setPen(QPen(QColor(theme.BORDER), 1.0))
            p.drawLine(QPointF(room.left(), y - line * 0.15), QPointF(room.right(), y - line * 0.15))
            self.draw_text(p, QRectF(room.left(), y, label_w, line), period, bold, theme.TEXT_DIM)
            for i, cell in enumerate(cells):
                x = room.left() + label_w + i * (col_w + gap)
                level = TileLevel.NORMAL
                if cell is not None:
                    level = max((cell.median_level, cell.late_level if cell.late else TileLevel.NORMAL), key=_rank)
                colour = theme.STALE if dim else (LEVEL_COLOURS[level] if level in (TileLevel.WARNING, TileLevel.ALARM) else theme.TEXT_DIM)
                sub_font = bold if level is TileLevel.ALARM else detail
                count_colour = theme.STALE if dim else theme.TEXT
                if one_line:
                    sub = f"· {subs[i]}" if subs[i] else ""
                    cw, sw = self.one_line_width(bold, f"{counts[i]} "), self.one_line_width(sub_font, sub)
                    x0 = x + (col_w - cw - sw) / 2
                    self.draw_text(p, QRectF(x0, y, cw + 1, line), counts[i], bold, count_colour)
                    if sub:
                        self.draw_text(p, QRectF(x0 + cw, y, sw + 1, line), sub, sub_font, colour)
                else:
                    self.draw_text(p, QRectF(x, y, col_w, line), counts[i], bold, count_colour, CENTRE)
                    self.draw_text(p, QRectF(x, y + line, col_w, h - line), subs[i], sub_font, colour, CENTRE)
            y += h + line * 0.2
        if self._total and not left_out and y - line * 0.2 + line <= room.bottom() + 0.5:
            self.draw_text(p, QRectF(room.left(), room.bottom() - line, room.width(), line), self._total, bold,
                           theme.STALE if dim else theme.ALARM, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))  # fmt: skip
        # Periods with no room are said, never silently left out: under the rows, or in the corner
        # above the periods' names.
        spare = QRectF(room.left(), room.top(), label_w, line)
        self.note_left_out(p, room, left_out, QCoreApplication.translate("ClosedLoop", "+{n} more").format(n=left_out), spare)
        p.end()

    def _paint_table(self, p: QPainter, room: QRectF, dim: bool) -> None:
        """The loop in a narrow panel: the steps down, the periods across."""
        detail, bold = self.detail_font(), self.detail_font(bold=True)
        line = QFontMetricsF(detail).height()
        name_w = max(self.one_line_width(bold, s.name) for s in self._steps) + line * 0.5
        col_w = (room.width() - name_w) / max(1, len(self._periods))
        if line * 2.35 > room.height() + 0.5:  # no room for a step's row under the periods: say so
            self.note_left_out(p, room, len(self._steps), QCoreApplication.translate("ClosedLoop", "+{n} more").format(n=len(self._steps)))
            return
        for k, period in enumerate(self._periods):
            self.draw_text(p, QRectF(room.left() + name_w + k * col_w, room.top(), col_w, line), period, bold, theme.TEXT_DIM, CENTRE)
        y = room.top() + line * 1.2
        left_out = 0
        for step in self._steps:
            texts = []
            for k in range(len(self._periods)):
                cell = step.cells[k] if k < len(step.cells) else None
                if cell is None:
                    texts.append(("—", TileLevel.NO_DATA))
                    continue
                late = QCoreApplication.translate("ClosedLoop", "{n} late").format(n=cell.late) if cell.late is not None else ""
                level = max((cell.median_level, cell.late_level if cell.late else TileLevel.NORMAL), key=_rank)
                texts.append((" · ".join(x for x in (cell.count, cell.median, late) if x and x != "—") or cell.count, level))
            h = max([self.text_height(bold, name_w - line * 0.5, step.name)] + [self.text_height(detail, col_w, t) for t, _ in texts])
            if left_out or y + h > room.bottom() + 0.5:
                left_out += 1
                continue
            self.draw_text(p, QRectF(room.left(), y, name_w - line * 0.5, h), step.name, bold, theme.TEXT)
            for k, (text, level) in enumerate(texts):
                colour = theme.STALE if dim else (LEVEL_COLOURS[level] if level in (TileLevel.WARNING, TileLevel.ALARM) else theme.TEXT)
                self.draw_text(p, QRectF(room.left() + name_w + k * col_w, y, col_w, h), text, detail, colour, CENTRE)
            y += h + line * 0.2
        # Steps with no room are said, never silently left out: under the rows, or in the corner
        # beside the periods' names.
        spare = QRectF(room.left(), room.top(), name_w - line * 0.5, line)
        self.note_left_out(p, room, left_out, QCoreApplication.translate("ClosedLoop", "+{n} more").format(n=left_out), spare)

    @staticmethod
    def _arrow(p: QPainter, x0: float, x1: float, y: float) -> None:
        h = (x1 - x0) * 0.25
        p.setPen(QPen(QColor(theme.TEXT_DIM), 2.0))
        p.drawLine(QPointF(x0 + h, y), QPointF(x1 - h, y))
        p.drawPolyline(QPolygonF([QPointF(x1 - 2 * h, y - h), QPointF(x1 - h, y), QPointF(x1 - 2 * h, y + h)]))


_ORDER = {TileLevel.NO_DATA: 0, TileLevel.NORMAL: 1, TileLevel.STALE: 2, TileLevel.WARNING: 3, TileLevel.ALARM: 4}


def _rank(level: TileLevel) -> int:
    return _ORDER[level]
