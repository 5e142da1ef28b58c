"""Areas ranked by their five-colour rating: rank, area, and the rating as a swatch with its words.

The same five colours as the map's area ratings (green, blue, yellow, orange, red: 1 best … 5
worst), always beside their words ("4 · Orange"). An area without a current rating is grey, "no
data". When the panel is wide enough the list runs in two columns.

Translation context: ``RankingList``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.map_view import RATING_COLOURS
from widgets.painted import PaintedWidget
from widgets.values import RankRow

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)


class RankingListWidget(PaintedWidget):
    """A ranking of areas.

    Signals:
        None. The ranking only displays.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[RankRow, ...] = ()
        self._empty = ""
        self._current = True

    def set_rows(self, rows: Sequence[RankRow], empty: str = "") -> None:
        rows = tuple(rows)
        if (rows, empty) != (self._rows, self._empty):
            self._rows, self._empty = rows, empty
            self.update()

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def rows(self) -> tuple[RankRow, ...]:
        return self._rows

    def least_height(self, width: float) -> float:
        """One row, and a line for "+n more" under it when there are more."""
        line = QFontMetricsF(self.detail_font()).height()
        return line * (2.0 if len(self._rows) > 1 else 1.0)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        detail, bold = self.detail_font(), self.detail_font(bold=True)
        line = QFontMetricsF(detail).height()
        dim = not self._current
        if not self._rows:
            self.draw_text(p, room, self._empty or QCoreApplication.translate("RankingList", "No ratings"), detail, theme.TEXT_DIM)
            p.end()
            return
        rank_w = max(self.one_line_width(bold, f"{r.rank}.") for r in self._rows) + line * 0.4
        rating_w = max(self.one_line_width(bold, r.rating_text) for r in self._rows) + line * 1.3
        name_w = max(self.one_line_width(detail, r.label) for r in self._rows) + line * 0.6
        col_w = rank_w + name_w + rating_w
        columns = 2 if room.width() >= 2 * col_w + line and len(self._rows) * line * 1.25 > room.height() else 1
        width = (room.width() - line * (columns - 1)) / columns
        name_room = width - rank_w - rating_w - line * 0.3
        shown, col, y = 0, 0, room.top()
        for i, row in enumerate(self._rows):
            h = max(line, self.text_height(detail, name_room, row.label))
            more = len(self._rows) - i - 1
            if y + h > room.bottom() - (line if more and col == columns - 1 else 0.0) + 0.5:
                col, y = col + 1, room.top()  # the next column, or no room left
                if col >= columns or y + h > room.bottom() - (line if more and col == columns - 1 else 0.0) + 0.5:
                    break
            x = room.left() + col * (width + line)
            self.draw_text(p, QRectF(x, y, rank_w, line), f"{row.rank}.", bold, theme.TEXT_DIM, RIGHT)
            self.draw_text(p, QRectF(x + rank_w + line * 0.3, y, name_room, h), row.label, detail, theme.STALE if dim else theme.TEXT)
            sw = line * 0.75
            sx = x + width - rating_w
            colour = QColor(theme.STALE if dim or row.rating is None else RATING_COLOURS[row.rating])
            p.setPen(QPen(QColor("#0b0c0e"), 2.0))
            p.setBrush(colour)
            p.drawRect(QRectF(sx, y + (line - sw) / 2, sw, sw))
            self.draw_text(p, QRectF(sx + sw + line * 0.3, y, rating_w - sw - line * 0.3, line), row.rating_text, bold,
                           theme.STALE if dim or row.rating is None else colour)  # fmt: skip
            y += h + line * 0.25
            shown += 1
        left = len(self._rows) - shown
        self.note_left_out(p, room, left, QCoreApplication.translate("RankingList", "+{n} more").format(n=left))
        p.end()
