"""One event's closed loop, from report to closure: the five steps on a line, each reached or not,
with its time and what happened at it.

Across the top the event and its deadline in words ("Deadline 20:45 · handled in time"); below, a
node per step (filled when reached, hollow when not, red when late, with a ✓ or a !), the step's
name, its time (at key size where the panel is wide enough), and what happened ("Enforcement
team 2", "3 photos · citizen told 23:02", "satisfied").

Translation context: ``LoopTimeline``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.painted import SEVERITY_COLOURS, PaintedWidget
from widgets.values import Severity, TimelineStep

CENTRE = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
REACHED = "#8fb39a"


class LoopTimelineWidget(PaintedWidget):
    """An event's timeline.

    Signals:
        clicked(): the officer clicked the timeline (to work on its event).
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._steps: tuple[TimelineStep, ...] = ()
        self._deadline = ""
        self._severity: Severity | None = None
        self._current = True

    def set_timeline(self, title: str, steps: Sequence[TimelineStep], deadline: str = "", severity: Severity | None = None) -> None:
        new = (title, tuple(steps), deadline, severity)
        if new != (self._title, self._steps, self._deadline, self._severity):
            self._title, self._steps, self._deadline, self._severity = new
            self.update()

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def steps(self) -> tuple[TimelineStep, ...]:
        return self._steps

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self._steps:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def least_height(self, width: float) -> float:
        """The request's title and deadline, then the steps: side by side, the nodes, the names and
        the times (one under the other, the first step's row)."""
        detail, bold, key = self.detail_font(), self.detail_font(bold=True), self.key_font()
        line = QFontMetricsF(detail).height()
        head = self.text_height(bold, width, self._title) + self.text_height(detail, width, self._deadline)
        if not self._steps:
            return max(line, head)
        col_w = width / len(self._steps)
        if col_w < line * 6:
            return head + line * 0.3 + max(QFontMetricsF(bold).height(), self.text_height(bold, width * 0.6, self._steps[0].name))
        time_font = key if QFontMetricsF(key).horizontalAdvance("00:00") <= col_w * 0.92 else bold
        names = max(self.text_height(bold, col_w - line * 0.3, s.name) for s in self._steps)
        times = QFontMetricsF(time_font).height() if any(s.time_text for s in self._steps) else 0.0
        return head + line * (0.4 + 1.1 + 0.2) + names + times

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        detail, bold, key = self.detail_font(), self.detail_font(bold=True), self.key_font()
        line = QFontMetricsF(detail).height()
        dim = not self._current
        title_colour = theme.STALE if dim else (SEVERITY_COLOURS[self._severity] if self._severity is not None else theme.TEXT)
        head = self.draw_text(p, room, self._title, bold, title_colour)
        y = head.bottom()
        if self._deadline:
            late = not dim and any(s.late for s in self._steps)
            y = self.draw_text(p, QRectF(room.left(), y, room.width(), room.bottom() - y), self._deadline, bold if late else detail,
                               theme.ALARM if late else theme.TEXT_DIM).bottom()  # fmt: skip
        if not self._steps:
            p.end()
            return
        n = len(self._steps)
        col_w = room.width() / n
        if col_w < line * 6:  # too narrow for the steps side by side: one under the other
            self._paint_down(p, QRectF(room.left(), y + line * 0.3, room.width(), room.bottom() - y - line * 0.3), dim)
            p.end()
            return
        time_font = key if QFontMetricsF(key).horizontalAdvance("00:00") <= col_w * 0.92 else bold
        tline = QFontMetricsF(time_font).height()
        r = line * 0.55  # a mark (✓, !) of the detail size fits inside
        cy = y + line * 0.4 + r
        # The line through the nodes: solid as far as the loop has come.
        last = max((i for i, s in enumerate(self._steps) if s.reached), default=-1)
        x0, xn = room.left() + col_w / 2, room.left() + col_w * (n - 0.5)
        p.setPen(QPen(QColor(theme.BORDER), 3.0, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x0, cy), QPointF(xn, cy))
        if last > 0:
            p.setPen(QPen(QColor(theme.STALE if dim else REACHED), 4.0))
            p.drawLine(QPointF(x0, cy), QPointF(x0 + col_w * last, cy))
        for i, step in enumerate(self._steps):
            x = room.left() + col_w * (i + 0.5)
            colour = QColor(theme.STALE if dim else (theme.ALARM if step.late else REACHED))
            p.setPen(QPen(colour, 3.0))
            p.setBrush(colour if step.reached else QColor(theme.BG_PANEL))
            p.drawEllipse(QPointF(x, cy), r, r)
            mark = "!" if step.late else ("✓" if step.reached else "")
            if mark:
                self.draw_text(p, QRectF(x - r, cy - r, 2 * r, 2 * r), mark, bold,
                               theme.TEXT_ON_LIGHT if step.reached else colour, int(Qt.AlignmentFlag.AlignCenter))  # fmt: skip
            cell = QRectF(room.left() + col_w * i + line * 0.15, cy + r + line * 0.2, col_w - line * 0.3, 0.0)
            cell.setBottom(room.bottom())
            name = self.draw_text(p, cell, step.name, bold, theme.TEXT if step.reached and not dim else theme.TEXT_DIM, CENTRE)
            ty = name.bottom()
            if step.time_text:
                self.draw_text(p, QRectF(cell.left(), ty, cell.width(), tline), step.time_text, time_font,
                               theme.STALE if dim else (theme.ALARM if step.late else theme.TEXT), CENTRE,
                               key=time_font is key)  # fmt: skip
                ty += tline
            if step.detail and ty + line <= room.bottom() + 0.5:
                rest = QRectF(cell.left(), ty, cell.width(), room.bottom() - ty)
                if self.text_height(detail, cell.width(), step.detail) <= rest.height() + 0.5:
                    self.draw_text(p, rest, step.detail, detail, theme.TEXT_DIM, CENTRE)
                else:
                    self._left_out += 1
        if not any(s.reached for s in self._steps):
            self.draw_text(p, QRectF(room.left(), room.bottom() - line, room.width(), line),
                           QCoreApplication.translate("LoopTimeline", "No step reached yet"), detail, theme.TEXT_DIM)  # fmt: skip
        p.end()

    def _paint_down(self, p: QPainter, room: QRectF, dim: bool) -> None:
        """The steps one under the other: node, name (and what happened, on the same line where it
        fits) and time; the times at key size where the panel has the height for it."""
        detail, bold, key = self.detail_font(), self.detail_font(bold=True), self.key_font()
        line = QFontMetricsF(detail).height()
        r = line * 0.4
        node_w = 2 * r + line * 0.4
        gap = line * 0.4
        key_h = QFontMetricsF(key).height()
        roomy = room.height() >= len(self._steps) * key_h * 1.1 and room.width() >= QFontMetricsF(key).horizontalAdvance("00:00") * 2.5
        time_font = key if roomy else bold
        tfm = QFontMetricsF(time_font)
        time_w = tfm.horizontalAdvance("00:00") + line * 0.3
        text_w = room.width() - node_w - time_w
        y = room.top()
        centres: list[QPointF] = []
        for i, step in enumerate(self._steps):
            name_w = self.one_line_width(bold, step.name)
            inline = bool(step.detail) and name_w + gap + self.one_line_width(detail, step.detail) <= text_w
            name_h = self.text_height(bold, text_w, step.name)
            detail_h = 0.0 if inline or not step.detail else self.text_height(detail, text_w, step.detail)
            h = max(tfm.height(), name_h + detail_h)
            if y + h > room.bottom() + 0.5:
                self._left_out = len(self._steps) - i
                break
            colour = QColor(theme.STALE if dim else (theme.ALARM if step.late else REACHED))
            centres.append(QPointF(room.left() + r + 1, y + line / 2))
            p.setPen(QPen(colour, 3.0))
            p.setBrush(colour if step.reached else QColor(theme.BG_PANEL))
            p.drawEllipse(centres[-1], r, r)
            x = room.left() + node_w
            self.draw_text(p, QRectF(x, y, text_w, name_h), step.name, bold, theme.TEXT if step.reached and not dim else theme.TEXT_DIM)
            if inline:
                self.draw_text(p, QRectF(x + name_w + gap, y, text_w - name_w - gap, line), step.detail, detail, theme.TEXT_DIM)
            elif step.detail:
                self.draw_text(p, QRectF(x, y + name_h, text_w, detail_h), step.detail, detail, theme.TEXT_DIM)
            if step.time_text:
                self.draw_text(p, QRectF(room.right() - time_w, y, time_w, tfm.height()), step.time_text, time_font,
                               theme.STALE if dim else (theme.ALARM if step.late else theme.TEXT),
                               int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), key=time_font is key)  # fmt: skip
            y += h + line * 0.25
        p.setPen(QPen(QColor(theme.BORDER), 2.0, Qt.PenStyle.DashLine))
        for a, b in pairwise(centres):
            p.drawLine(QPointF(a.x(), a.y() + r), QPointF(b.x(), b.y() - r))
