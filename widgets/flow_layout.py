"""A layout that puts its items side by side and wraps them onto the next row when they do not fit.

A wall screen's header (the DRILL band, the link status, the SLA badge) must never be cut, whatever
the type size: when a larger scale leaves no room on one row, the next item starts a new row and
everything below moves down once, at the scale's change, never while the wall runs.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Items left to right, wrapping to new rows; height for width.

    Args:
        parent: The widget it lays out.
        spacing: Pixels between items and between rows.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._trailing: QLayoutItem | None = None
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def set_trailing(self, widget: QWidget) -> None:
        """Pin ``widget`` to the right end of the first row (a wall header's clock)."""
        self.addChildWidget(widget)
        self._trailing = QWidgetItem(widget)
        self.invalidate()

    def set_gap(self, spacing: int) -> None:
        self._spacing = spacing
        self.invalidate()

    # -- QLayout -------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def _all(self) -> list[QLayoutItem]:
        return [*self._items, *([self._trailing] if self._trailing is not None else [])]

    def count(self) -> int:
        return len(self._all())

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        items = self._all()
        return items[index] if 0 <= index < len(items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if 0 <= index < len(self._items):
            return self._items.pop(index)
        if index == len(self._items) and self._trailing is not None:
            item, self._trailing = self._trailing, None
            return item
        return None

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
        for item in self._all():
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # -- internals -----------------------------------------------------------------------------

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self._spacing
        trailing = self._trailing if self._trailing is not None and not self._trailing.isEmpty() else None
        t_size = trailing.sizeHint() if trailing is not None else QSize(0, 0)
        first_right = area.right() + 1 - (t_size.width() + gap if trailing is not None else 0)
        x, y, row_h = area.x(), area.y(), t_size.height()
        right = first_right
        row: list[tuple[QLayoutItem, QSize]] = []
        rows: list[tuple[int, int, list[tuple[QLayoutItem, QSize]]]] = []
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            room = right - area.x()
            width = min(hint.width(), room) if not row else hint.width()
            if row and x + width > right:
                rows.append((y, row_h, row))
                x, y, row_h, row, right = area.x(), y + row_h + gap, 0, [], area.right() + 1
                width = min(hint.width(), area.width())
            width = min(width, right - x)
            height = item.heightForWidth(width) if item.hasHeightForWidth() else hint.height()
            size = QSize(width, height)
            row.append((item, size))
            x += size.width() + gap
            row_h = max(row_h, size.height())
        if row or trailing is not None:
            rows.append((y, row_h, row))
        if apply:
            for n, (top, height, items) in enumerate(rows):
                left = area.x()
                for item, size in items:  # vertically centred in their row
                    item.setGeometry(QRect(QPoint(left, top + (height - size.height()) // 2), size))
                    left += size.width() + gap
                if n == 0 and trailing is not None:
                    trailing.setGeometry(
                        QRect(QPoint(area.right() + 1 - t_size.width(), top + (height - t_size.height()) // 2), t_size)
                    )
        bottom = rows[-1][0] + rows[-1][1] if rows else area.y()
        return bottom - rect.y() + m.bottom()
