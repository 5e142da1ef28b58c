"""The event list as a wall shows it: a few rows in large type, painted, never scrolled or cut.

A table on a wall screen is read from 4 to 10 m: its header, grid, scroll bar and columns of detail
do not carry that far. This list paints whole rows in the type it is given (the wall's secondary
size): the level as icon and numeral, the event, then its district and time as far as they fit,
each whole or not at all. Rows that do not fit the panel's height are counted in a last row
("+12 more"), so nothing is scrolled out of sight without saying so. Unacknowledged rows flash as in
:class:`~widgets.event_list.EventListView`, whose signals and setters it shares, so a panel can hold
either.

Translation context: ``EventWallList``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.errors import DuplicateEventIdError
from widgets.severity import paint_severity_icon, severity_color, severity_text_color
from widgets.text_report import TextLog
from widgets.values import EventRow, TextItem, TextRole

FLASH_INTERVAL_MS = 500
"""One flash phase: 1 flash per second, as the wall's other lists."""
ROW_FACTOR = 1.55
"""A row's height in font sizes: a line of text with air, the icon as tall as the capitals' line."""


class EventWallList(QWidget):
    """Events in large type, most pressing first as given.

    Signals:
        selection_changed(str): The selected event changed ("" for none).
        row_clicked(str): The officer clicked this event's row.
        acknowledge_requested(str): The officer double-clicked an unacknowledged event's row.
    """

    selection_changed = Signal(str)
    row_clicked = Signal(str)
    acknowledge_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._selected: str | None = None
        self._not_current = ""
        self._px = 0
        self._lit = False
        self._log = TextLog()
        self._shown: list[tuple[QRectF, EventRow]] = []
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_INTERVAL_MS)
        self._flash.timeout.connect(self._on_flash_timeout)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    # -- public API ---------------------------------------------------------------------------

    def set_type_size(self, px: int) -> None:
        """The rows' font pixel size (0: the widget's font)."""
        if px != self._px:
            self._px = max(0, px)
            self.update()

    def set_rows(self, rows: Sequence[EventRow]) -> None:
        """Show ``rows`` in this order; the selection follows its event (or clears if it left).

        Raises:
            DuplicateEventIdError: Two rows share an id; the list is left unchanged.
        """
        new = list(rows)
        ids = [r.id for r in new]
        if len(set(ids)) != len(ids):
            dups = sorted({i for i in ids if ids.count(i) > 1})
            raise DuplicateEventIdError(f"duplicate event ids: {dups!r}")
        if new == self._rows:
            return
        self._rows = new
        if self._selected is not None and self._selected not in ids:
            self._selected = None
            self.selection_changed.emit("")
        self._update_flash()
        self.update()

    def set_not_current(self, note: str) -> None:
        """Grey and still while what is shown is not current; an empty list says ``note``."""
        if note != self._not_current:
            self._not_current = note
            self._update_flash()
            self.update()

    def set_column_visible(self, column: object, visible: bool) -> None:
        """Columns drop out by themselves when a row does not fit (kept for the table's callers)."""

    def select_event(self, event_id: str | None) -> bool:
        if event_id is None:
            self._select(None)
            return True
        if event_id not in self.event_ids():
            return False
        self._select(event_id)
        return True

    def selected_event_id(self) -> str | None:
        return self._selected

    def event_ids(self) -> list[str]:
        return [r.id for r in self._rows]

    def row_count(self) -> int:
        return len(self._rows)

    def shown_ids(self) -> list[str]:
        """The events that have a row on screen (the rest are counted in the last row)."""
        return [row.id for _, row in self._shown]

    def is_flashing(self) -> bool:
        return self._flash.isActive()

    def row_background(self, event_id: str) -> QColor | None:
        """The background the event's row has now (its severity's colour in the lit phase while
        unacknowledged), or None if it is not listed."""
        i = next((n for n, r in enumerate(self._rows) if r.id == event_id), None)
        if i is None:
            return None
        row = self._rows[i]
        if self._lit and not row.acknowledged and not self._not_current:
            return severity_color(row.severity)
        return QColor(theme.BG_ROW_ALT if i % 2 else theme.BG_PANEL)

    @property
    def flash_phase(self) -> bool:
        return self._lit

    def text_items(self) -> list[TextItem]:
        """What the last paint drew (the wall's self-check)."""
        return list(self._log.items)

    def sizeHint(self) -> QSize:
        h = self._font().pixelSize() or 16
        return QSize(h * 20, round(h * ROW_FACTOR * 4))

    # -- internals ----------------------------------------------------------------------------

    def _font(self, bold: bool = False) -> QFont:
        font = QFont(self.font())
        if self._px:
            font.setPixelSize(self._px)
        font.setBold(bold)
        return font

    def _select(self, event_id: str | None) -> None:
        if event_id != self._selected:
            self._selected = event_id
            self.update()
            self.selection_changed.emit(event_id or "")

    def _update_flash(self) -> None:
        if any(not r.acknowledged for r in self._rows) and not self._not_current:
            if not self._flash.isActive():
                self._lit = True
                self._flash.start()
        else:
            self._flash.stop()
            self._lit = False

    def _on_flash_timeout(self) -> None:
        self._lit = not self._lit
        self.update()

    def _row_at(self, pos: QPointF) -> EventRow | None:
        return next((row for rect, row in self._shown if rect.contains(pos)), None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and row is not None:
            self._select(row.id)
            self.row_clicked.emit(row.id)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position())
        if row is not None and not row.acknowledged:
            self.acknowledge_requested.emit(row.id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._log.clear()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect())
        p.fillRect(rect, QColor(theme.BG_PANEL))
        bold, normal = self._font(True), self._font(False)
        bfm, nfm = QFontMetricsF(bold), QFontMetricsF(normal)
        px = float(bold.pixelSize() if bold.pixelSize() > 0 else bfm.height() / 1.45)
        row_h = px * ROW_FACTOR
        pad = px * 0.35
        capacity = max(0, int(rect.height() // row_h))
        rows = self._rows
        self._shown = []
        if not rows:
            p.setFont(normal)
            p.setPen(QColor(theme.TEXT_DIM))
            text = self._not_current or QCoreApplication.translate("EventWallList", "No active events")
            self._log.draw(
                p, rect.adjusted(pad, 0, -pad, 0), int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text, TextRole.SECONDARY
            )
            p.end()
            return
        # Overflow: the last row says how many more there are instead of showing one.
        visible = rows if len(rows) <= capacity else rows[: max(0, capacity - 1)]
        more = len(rows) - len(visible)
        # Columns: the event always; then district and time, each only if it fits every row whole.
        icon_w = px * 1.2
        title_w = max((bfm.horizontalAdvance(r.title) for r in visible), default=0.0)
        district_w = max((nfm.horizontalAdvance(r.district) for r in visible), default=0.0)
        time_w = max((nfm.horizontalAdvance(r.time_text[:5]) for r in visible), default=0.0)
        room = rect.width() - pad * 2 - icon_w - pad
        show_district = title_w + pad * 1.5 + district_w <= room
        show_time = title_w + (pad * 1.5 + district_w if show_district else 0) + pad * 1.5 + time_w <= room
        dim = bool(self._not_current)
        for i, row in enumerate(visible):
            line = QRectF(rect.left(), rect.top() + i * row_h, rect.width(), row_h)
            self._shown.append((line, row))
            lit = self._lit and not row.acknowledged and not dim
            p.fillRect(line, self.row_background(row.id) or QColor(theme.BG_PANEL))
            colour = severity_text_color(row.severity) if lit else QColor(theme.STALE if dim else theme.TEXT)
            if row.id == self._selected:
                p.setPen(QPen(QColor(theme.SELECTION_OUTLINE), max(2.0, px * 0.08)))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(line.adjusted(1, 1, -1, -1))
            icon = QRectF(line.left() + pad, line.center().y() - icon_w / 2, icon_w, icon_w)
            p.setFont(normal)
            # No numeral: at row height it could not be read; the shape and colour tell the level.
            paint_severity_icon(p, icon, row.severity, numeral=False)
            x = icon.right() + pad
            baseline = line.center().y() + bfm.capHeight() / 2
            p.setPen(colour)
            p.setFont(bold if not row.acknowledged else normal)
            self._log.draw_at(p, QPointF(x, baseline), row.title, TextRole.SECONDARY, line)
            x += title_w + pad * 1.5
            p.setFont(normal)
            if show_district and row.district:
                self._log.draw_at(p, QPointF(x, baseline), row.district, TextRole.SECONDARY, line)
            if show_district:
                x += district_w + pad * 1.5
            if show_time and row.time_text:
                self._log.draw_at(p, QPointF(x, baseline), row.time_text[:5], TextRole.SECONDARY, line)
        if more:
            line = QRectF(rect.left(), rect.top() + len(visible) * row_h, rect.width(), row_h)
            p.setFont(bold)
            p.setPen(QColor(theme.TEXT_DIM))
            text = QCoreApplication.translate("EventWallList", "+{n} more on the console").format(n=more)
            if bfm.horizontalAdvance(text) > line.width() - 2 * pad:  # a narrow panel: the count alone
                text = QCoreApplication.translate("EventWallList", "+{n} more").format(n=more)
            self._log.draw_at(
                p, QPointF(line.left() + pad, line.center().y() + bfm.capHeight() / 2), text, TextRole.SECONDARY, line
            )
        p.end()
