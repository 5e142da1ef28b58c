"""A plan's tasks as a checklist the room can read: what, who, where it stands, by when.

Each row is a mark (✓ done, ! late, ▶ at risk, ✕ ended, • otherwise), the task and under it the agency,
and on the right its state and deadline in words, coloured by urgency (late in red: "12 min late").
Rows that do not fit are left out whole and counted. For the console's plan, with its buttons and
SLA timers, see :mod:`widgets.plan_view`.

Translation context: ``TaskChecklist``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.painted import PaintedWidget
from widgets.values import TaskRow, Urgency

URGENCY_COLOURS = {
    Urgency.CALM: theme.TEXT,
    Urgency.AT_RISK: theme.WARNING,
    Urgency.LATE: theme.ALARM,
    Urgency.DONE: theme.OK,
    Urgency.ENDED: theme.TEXT_DIM,
}


def mark_of(row: TaskRow) -> str:
    """The row's mark, by its urgency (the words beside it say the state)."""
    return {Urgency.DONE: "✓", Urgency.LATE: "!", Urgency.ENDED: "✕", Urgency.AT_RISK: "▶"}.get(row.urgency, "•")


class TaskChecklistWidget(PaintedWidget):
    """A plan's header line and its tasks.

    Signals:
        None. The checklist only displays (plans are activated and closed at the console).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._status = ""
        self._rows: tuple[TaskRow, ...] = ()
        self._current = True

    def set_plan(self, title: str, status: str, rows: Sequence[TaskRow]) -> None:
        """The plan's title, where it stands in words, and its tasks."""
        rows = tuple(rows)
        if (title, status, rows) != (self._title, self._status, self._rows):
            self._title, self._status, self._rows = title, status, rows
            self.update()

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def rows(self) -> tuple[TaskRow, ...]:
        return self._rows

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        detail, bold = self.detail_font(), self.detail_font(bold=True)
        line = QFontMetricsF(detail).height()
        dim = not self._current
        head = self.draw_text(p, room, self._title, bold, theme.STALE if dim else theme.TEXT)
        y = head.bottom()
        spare = QRectF(head.right() + line * 0.5, head.bottom() - line, room.right() - head.right() - line * 0.5, line)
        if self._status:
            status = self.draw_text(p, QRectF(room.left(), y, room.width(), room.bottom() - y), self._status, detail, theme.TEXT_DIM)
            y = status.bottom()
            spare = QRectF(status.right() + line * 0.5, status.bottom() - line, room.right() - status.right() - line * 0.5, line)
        y += line * 0.3
        mark_w = line * 1.1
        texts = [x for r in self._rows for x in (r.owner, f"{r.state} · {r.due}" if r.state else r.due)]
        side_w = min(room.width() * 0.4, max([self.one_line_width(detail, x) for x in texts] or [0.0]) + line * 0.3)
        title_w = room.width() - mark_w - side_w - line * 0.3
        shown = 0
        for row in self._rows:
            owner = row.owner if row.mandatory else QCoreApplication.translate("TaskChecklist", "{owner} · optional").format(owner=row.owner)
            due = f"{row.state} · {row.due}" if row.state else row.due
            side_h = self.text_height(detail, side_w, owner) + self.text_height(detail, side_w, due)
            h = max(self.text_height(detail, title_w, row.title), side_h)
            if y + h > room.bottom() + 0.5:
                break
            colour = theme.STALE if dim else URGENCY_COLOURS[row.urgency]
            self.draw_text(p, QRectF(room.left(), y, mark_w, line), mark_of(row), bold, colour)
            self.draw_text(p, QRectF(room.left() + mark_w, y, title_w, h), row.title, detail, theme.STALE if dim else theme.TEXT)
            right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            top = self.draw_text(p, QRectF(room.right() - side_w, y, side_w, h), owner, detail, theme.TEXT_DIM, right)
            self.draw_text(p, QRectF(room.right() - side_w, top.bottom(), side_w, h), due, detail, colour, right)
            y += h + line * 0.3
            shown += 1
        left = len(self._rows) - shown
        self.note_left_out(p, room, left, QCoreApplication.translate("TaskChecklist", "+{n} more tasks").format(n=left), spare)
        p.end()
