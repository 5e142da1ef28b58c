"""Pieces the list widgets share: row-run grouping for diffs, a table view with an ack key, and the
width of a table's text column."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QTableView, QWidget

from widgets import theme


def runs(indices: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Yield ``(first, last)`` for each run of consecutive integers in sorted ``indices``."""
    it = iter(indices)
    try:
        first = last = next(it)
    except StopIteration:
        return
    for i in it:
        if i == last + 1:
            last = i
        else:
            yield first, last
            first = last = i
    yield first, last


def fill_column(table: QTableView, column: int, need: int) -> None:
    """Give ``column`` what the other columns leave of the viewport, and never less than ``need``
    (its widest text): a table too narrow for its rows scrolls sideways instead of cutting the
    text the officer works from (a stretched column was squeezed to "Traffic ac…" by wide ones)."""
    header = table.horizontalHeader()
    others = sum(
        header.sectionSize(c) for c in range(header.count()) if c != column and not header.isSectionHidden(c)
    )
    width = max(need, table.viewport().width() - others)
    if header.sectionSize(column) != width:
        header.resizeSection(column, width)


class AckTableView(QTableView):
    """QTableView that reports the acknowledge key and paints a hint when the list is empty.

    Args:
        empty_text: Returns the (translated) hint shown when there are no rows.
        parent: Parent widget.

    Signals:
        ack_key_pressed(int): Space was pressed on the current row (the row number).
    """

    ack_key_pressed = Signal(int)

    def __init__(self, empty_text: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        if event.key() == Qt.Key.Key_Space and current.isValid():
            self.ack_key_pressed.emit(current.row())
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor(theme.TEXT_DIM))
            painter.drawText(self.viewport().rect(), int(Qt.AlignmentFlag.AlignCenter), self._empty_text())
            painter.end()
