"""A layout that puts its items side by side and wraps them onto the next row when they do not fit.

A wall screen's header (the DRILL band, the link status, the SLA badge) must never be cut, whatever
the type size: when a larger scale leaves no room on one row, the next item starts a new row and
everything below moves down once, at the scale's change, never while the wall runs.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping to new rows; height for width.

    Args:
        parent: The widget it lays out.
        spacing: Pixels between items and between rows.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def set_gap(self, spacing: int) -> None:
        self._spacing = spacing
        self.invalidate()

    # -- QLayout -------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # -- internals -----------------------------------------------------------------------------

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_h = area.x(), area.y(), 0
        gap = self._spacing
        row: list[tuple[QLayoutItem, QSize]] = []
        rows: list[tuple[int, int, list[tuple[QLayoutItem, QSize]]]] = []
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            width = min(hint.width(), area.width())
            height = item.heightForWidth(width) if item.hasHeightForWidth() else hint.height()
            size = QSize(width, height)
            if row and x + size.width() > area.right() + 1:
                rows.append((y, row_h, row))
                x, y, row_h, row = area.x(), y + row_h + gap, 0, []
            row.append((item, size))
            x += size.width() + gap
            row_h = max(row_h, size.height())
        if row:
            rows.append((y, row_h, row))
        if apply:
            for top, height, items in rows:
                left = area.x()
                for item, size in items:  # vertically centred in their row
                    item.setGeometry(QRect(QPoint(left, top + (height - size.height()) // 2), size))
                    left += size.width() + gap
        bottom = rows[-1][0] + rows[-1][1] if rows else area.y()
        return bottom - rect.y() + m.bottom()
