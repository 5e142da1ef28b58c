"""Event list for the wall: one row per event, newest first, unacknowledged rows flash.

Translation context: ``EventListView``.
"""

from __future__ import annotations

import enum
import itertools
from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from widgets import theme
from widgets._table import AckTableView, fill_column, runs
from widgets.errors import DuplicateEventIdError
from widgets.severity import (
    paint_severity_icon,
    severity_color,
    severity_name,
    severity_text_color,
)
from widgets.values import EventRow as EventRow
from widgets.values import Severity as Severity

FLASH_INTERVAL_MS = 500
"""Length of one flash phase. Lit 500 ms, dark 500 ms: 1 flash per second, well under the
3 flashes per second photosensitivity limit (WCAG 2.3.1)."""

_MAX_DIFF_BLOCKS = 64
"""Above this many separate insert/remove blocks a model reset is cheaper for the view."""

_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class EventColumn(enum.IntEnum):
    """Columns of the list, left to right."""

    SEVERITY = 0
    TIME = 1
    TITLE = 2
    DISTRICT = 3
    STATE = 4
    ACK = 5
    DISPATCH = 6


_FITTED = (EventColumn.DISTRICT, EventColumn.STATE, EventColumn.DISPATCH)
"""The columns as wide as their widest text (the title stretches)."""


def _header_text(column: EventColumn) -> str:
    if column is EventColumn.SEVERITY:
        return QCoreApplication.translate("EventListView", "Level")
    if column is EventColumn.TIME:
        return QCoreApplication.translate("EventListView", "Time")
    if column is EventColumn.TITLE:
        return QCoreApplication.translate("EventListView", "Event")
    if column is EventColumn.DISTRICT:
        return QCoreApplication.translate("EventListView", "District")
    if column is EventColumn.STATE:
        return QCoreApplication.translate("EventListView", "State")
    if column is EventColumn.ACK:
        return QCoreApplication.translate("EventListView", "Ack")
    return QCoreApplication.translate("EventListView", "Dispatch")


def _ack_text(acknowledged: bool) -> str:
    if acknowledged:
        return QCoreApplication.translate("EventListView", "Ack'd")
    return QCoreApplication.translate("EventListView", "NEW")


class _EventTableModel(QAbstractTableModel):
    """Table model over a list of ``EventRow``; updates by diffing on ids."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._index_of: dict[str, int] = {}
        self._flash_lit = False
        self._unacked_span: tuple[int, int] | None = None

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(EventColumn)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        r = index.row()
        row = self._rows[r]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, EventColumn(index.column()))
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(r)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(r)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title
        if role == _ROW_ROLE:
            return row
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header_text(EventColumn(section))
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- our interface ------------------------------------------------------------------------

    @staticmethod
    def _display(row: EventRow, column: EventColumn) -> str:
        if column is EventColumn.SEVERITY:
            return severity_name(row.severity)
        if column is EventColumn.TIME:
            return row.time_text
        if column is EventColumn.TITLE:
            return row.title
        if column is EventColumn.DISTRICT:
            return row.district
        if column is EventColumn.STATE:
            return row.state_text
        if column is EventColumn.ACK:
            return _ack_text(row.acknowledged)
        return row.dispatch_text

    def row_at(self, r: int) -> EventRow:
        return self._rows[r]

    def text_at(self, r: int, column: EventColumn) -> str:
        """The text row ``r`` shows in ``column``."""
        return self._display(self._rows[r], column)

    def row_of(self, event_id: str) -> int | None:
        return self._index_of.get(event_id)

    def is_lit(self, r: int) -> bool:
        """Whether row ``r`` currently shows its severity colour."""
        return self._flash_lit and not self._rows[r].acknowledged

    def background(self, r: int) -> QColor:
        if self.is_lit(r):
            return severity_color(self._rows[r].severity)
        return QColor(theme.BG_ROW_ALT if r % 2 else theme.BG_PANEL)

    def foreground(self, r: int) -> QColor:
        if self.is_lit(r):
            return severity_text_color(self._rows[r].severity)
        return QColor(theme.TEXT)

    @property
    def flash_lit(self) -> bool:
        return self._flash_lit

    def has_unacknowledged(self) -> bool:
        return self._unacked_span is not None

    def set_flash_lit(self, lit: bool) -> None:
        if lit == self._flash_lit:
            return
        self._flash_lit = lit
        if self._unacked_span is not None:
            first, last = self._unacked_span
            self.dataChanged.emit(
                self.index(first, 0),
                self.index(last, len(EventColumn) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    def set_rows(self, rows: Sequence[EventRow]) -> None:
        """Replace the rows, emitting the smallest practical set of model change signals.

        Surviving rows keep their model indexes (so selection and scroll position survive) as
        long as their relative order is unchanged; otherwise the model is reset.

        Raises:
            DuplicateEventIdError: Two rows share an id; the model is left unchanged.
        """
        new_rows = list(rows)
        new_index_of = {row.id: i for i, row in enumerate(new_rows)}
        if len(new_index_of) != len(new_rows):
            counts = Counter(row.id for row in new_rows)
            dups = sorted(event_id for event_id, n in counts.items() if n > 1)
            raise DuplicateEventIdError(f"duplicate event ids: {dups!r}")

        if not self._apply_diff(new_rows, new_index_of):
            self.beginResetModel()
            self._rows = new_rows
            self._index_of = new_index_of
            self.endResetModel()
        self._unacked_span = self._find_unacked_span()

    def _apply_diff(self, new_rows: list[EventRow], new_index_of: dict[str, int]) -> bool:
        old_rows = self._rows
        removed = [i for i, row in enumerate(old_rows) if row.id not in new_index_of]
        survivors_new_pos = [new_index_of[row.id] for row in old_rows if row.id in new_index_of]
        if any(b <= a for a, b in itertools.pairwise(survivors_new_pos)):
            return False  # reordered
        inserted = [i for i, row in enumerate(new_rows) if row.id not in self._index_of]
        remove_runs = list(runs(removed))
        insert_runs = list(runs(inserted))
        if len(remove_runs) + len(insert_runs) > _MAX_DIFF_BLOCKS:
            return False
        if (removed or inserted) and len(removed) == len(old_rows):
            return False  # nothing survives: a reset is simpler and as cheap

        root = QModelIndex()
        for first, last in reversed(remove_runs):
            self.beginRemoveRows(root, first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        for first, last in insert_runs:
            self.beginInsertRows(root, first, last)
            self._rows[first:first] = new_rows[first : last + 1]
            self.endInsertRows()
        # Ids now match new_rows position by position; report changed contents.
        changed = [i for i, (a, b) in enumerate(zip(self._rows, new_rows, strict=True)) if a != b]
        self._rows = new_rows
        self._index_of = new_index_of
        last_col = len(EventColumn) - 1
        for first, last in runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_col))
        return True

    def _find_unacked_span(self) -> tuple[int, int] | None:
        first = next((i for i, r in enumerate(self._rows) if not r.acknowledged), None)
        if first is None:
            return None
        last = next(i for i in range(len(self._rows) - 1, -1, -1) if not self._rows[i].acknowledged)
        return first, last


class _EventRowDelegate(QStyledItemDelegate):
    """Paints a whole cell cheaply: background (flash or selection), severity icon, text."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        model = cast(_EventTableModel, index.model())
        r = index.row()
        row = model.row_at(r)
        rect = QRect(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lit = model.is_lit(r)
        bg = model.background(r)
        if selected and not lit:
            bg = QColor(theme.BG_SELECTED)
        painter.save()
        painter.fillRect(rect, bg)

        font = QFont(option.font)
        column = EventColumn(index.column())
        if column in (EventColumn.TITLE, EventColumn.ACK) and not row.acknowledged:
            font.setBold(True)
        painter.setFont(font)
        fm = QFontMetrics(font)
        pad = max(4, fm.height() // 3)
        text_rect = rect.adjusted(pad, 0, -pad, 0)

        if column is EventColumn.SEVERITY:
            icon_side = round(rect.height() * 0.72)
            icon = QRectF(
                rect.left() + pad,
                rect.top() + (rect.height() - icon_side) / 2,
                icon_side,
                icon_side,
            )
            paint_severity_icon(painter, icon, row.severity)
            text_rect.setLeft(round(icon.right()) + pad)

        painter.setPen(model.foreground(r))
        text = str(model.data(index, Qt.ItemDataRole.DisplayRole))
        elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, text_rect.width()))
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            elided,
        )

        if selected:
            # Outline instead of fill so a selected row still visibly flashes.
            lw = max(2, fm.height() // 8)
            outline = QColor(theme.SELECTION_OUTLINE)
            painter.fillRect(QRect(rect.left(), rect.top(), rect.width(), lw), outline)
            painter.fillRect(QRect(rect.left(), rect.bottom() - lw + 1, rect.width(), lw), outline)
            if column is EventColumn.SEVERITY:
                painter.fillRect(QRect(rect.left(), rect.top(), lw * 2, rect.height()), outline)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(fm.horizontalAdvance(str(index.data())) + fm.height(), round(fm.height() * 1.7))


class EventListView(QWidget):
    """List of events, newest first as given, with flashing unacknowledged rows.

    Unacknowledged rows alternate between their severity colour and the normal background,
    driven by one shared timer that runs only while such rows exist. Acknowledged rows are
    steady. Every row also shows its level as icon shape + numeral + name and an "Ack" column,
    so nothing depends on colour or motion alone.

    Selection follows the event id across ``set_rows``. The user acknowledges the current row
    with a double-click or the Space key.

    Signals:
        selection_changed(str): The selected event id changed (by the user, by
            ``select_event`` or because ``set_rows`` removed the selected event); ``""`` when
            nothing is selected. Not emitted when the id stays the same.
        row_clicked(str): The user clicked this event's row (even the one already selected: a
            click is a choice).
        acknowledge_requested(str): The user asked to acknowledge this unacknowledged event.
            The list does not change by itself; the owner updates the row via ``set_rows``.
    """

    selection_changed = Signal(str)
    row_clicked = Signal(str)
    acknowledge_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = _EventTableModel(self)
        self._not_current = ""
        self._table = AckTableView(
            lambda: self._not_current or QCoreApplication.translate("EventListView", "No active events"), self
        )
        self._table.setObjectName("eventTable")
        self._table.setModel(self._model)
        self._table.setItemDelegate(_EventRowDelegate(self._table))
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setShowGrid(False)
        self._table.setWordWrap(False)
        self._table.setCornerButtonEnabled(False)
        self._table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._table.verticalHeader().hide()
        self._table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self._table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The title takes the room the other columns leave, but never less than its widest text:
        # see fill_column (kept by _fit_columns, on new rows and when the viewport resizes).
        self._table.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._table)

        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)

        self._updating = False
        self._last_selected: str | None = None
        selection_model = self._table.selectionModel()
        selection_model.selectionChanged.connect(self._on_table_selection_changed)
        self._table.doubleClicked.connect(self._on_table_double_clicked)
        self._table.clicked.connect(self._on_table_clicked)
        self._table.ack_key_pressed.connect(self._on_table_ack_key_pressed)
        self._apply_metrics()

    # -- public API ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[EventRow]) -> None:
        """Show ``rows`` in the given order (the caller sorts, newest first).

        Unchanged rows are not repainted; rows whose relative order is unchanged keep their
        place, so the selection and the scroll position survive. Cheap for thousands of rows.

        Args:
            rows: The complete list of events to show.

        Raises:
            DuplicateEventIdError: Two rows share an id; the list is left unchanged.
        """
        before = self._last_selected
        self._updating = True
        try:
            self._model.set_rows(rows)
            self._fit_columns()
            if before is not None:
                r = self._model.row_of(before)
                if r is None:
                    self._table.selectionModel().clear()
                elif not self._table.selectionModel().isRowSelected(r, QModelIndex()):
                    self._select_row(r, scroll=False)
        finally:
            self._updating = False
        self._update_flash_timer()
        self._sync_selection()

    def selected_event_id(self) -> str | None:
        """Return the id of the selected event, or None."""
        rows = self._table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._model.row_at(rows[0].row()).id

    def select_event(self, event_id: str | None) -> bool:
        """Select (and scroll to) the event ``event_id``; None clears the selection.

        Args:
            event_id: Id of a listed event, or None.

        Returns:
            True if the event is listed (or None was given), False if it is not; then the
            selection is unchanged.
        """
        if event_id is None:
            self._table.selectionModel().clear()
            return True
        r = self._model.row_of(event_id)
        if r is None:
            return False
        self._select_row(r, scroll=True)
        return True

    def row_count(self) -> int:
        """Return the number of rows shown."""
        return self._model.rowCount()

    def event_ids(self) -> list[str]:
        """Return the ids of the rows in display order."""
        return [self._model.row_at(r).id for r in range(self._model.rowCount())]

    @property
    def flash_phase(self) -> bool:
        """True while unacknowledged rows show their severity colour ("lit")."""
        return self._model.flash_lit

    def is_flashing(self) -> bool:
        """Return whether the shared flash timer is running (unacknowledged rows exist)."""
        return self._flash_timer.isActive()

    def row_background(self, event_id: str) -> QColor | None:
        """Return the background colour event ``event_id`` has now, ignoring selection.

        Args:
            event_id: Id of a listed event.

        Returns:
            The colour, or None if the event is not listed.
        """
        r = self._model.row_of(event_id)
        return None if r is None else self._model.background(r)

    # -- internals ----------------------------------------------------------------------------

    def _select_row(self, r: int, *, scroll: bool) -> None:
        index = self._model.index(r, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self._table.selectionModel().setCurrentIndex(index, flags)
        if scroll:
            self._table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _sync_selection(self) -> None:
        current = self.selected_event_id()
        if current != self._last_selected:
            self._last_selected = current
            self.selection_changed.emit(current or "")

    def _update_flash_timer(self) -> None:
        if self._model.has_unacknowledged() and not self._not_current:  # nothing old flashes as new
            if not self._flash_timer.isActive():
                # Start lit so a new alarm shows at once.
                self._model.set_flash_lit(True)
                self._flash_timer.start()
        else:
            self._flash_timer.stop()
            self._model.set_flash_lit(False)

    def _request_ack(self, r: int) -> None:
        row = self._model.row_at(r)
        if not row.acknowledged:
            self.acknowledge_requested.emit(row.id)

    def _apply_metrics(self) -> None:
        fm = QFontMetrics(self.font())
        h = fm.height()
        self._table.verticalHeader().setDefaultSectionSize(round(h * 1.7))
        pad = 2 * max(4, h // 3)
        name_w = max(fm.horizontalAdvance(severity_name(s)) for s in Severity)
        widths = {
            EventColumn.SEVERITY: round(h * 1.7 * 0.72) + name_w + 2 * pad,
            EventColumn.TIME: fm.horizontalAdvance("88:88:88") + pad,
            EventColumn.DISTRICT: fm.horizontalAdvance("M" * 7) + pad,
            EventColumn.STATE: fm.horizontalAdvance("M" * 5) + pad,  # widened to its widest state
            EventColumn.ACK: max(fm.horizontalAdvance(_ack_text(a)) for a in (True, False)) + 2 * pad,
            EventColumn.DISPATCH: fm.horizontalAdvance("M" * 5) + pad,  # widened to its widest text
        }
        header = self._table.horizontalHeader()
        for column, width in widths.items():
            header.resizeSection(column, max(width, fm.horizontalAdvance(_header_text(column))))
        self._floors = {c: header.sectionSize(c) for c in _FITTED}
        self._title_need = 0
        self._advance: dict[str, int] = {}
        self._fit_columns()

    def _fit_columns(self) -> None:
        """District, state and dispatch as wide as their widest value, never narrower than for a
        usual one (officer review: a unit's name and state were cut); the event's title stretches
        into what is left. Widths are cached per text: thousands of rows share a few dozen."""
        fm = QFontMetrics(self.font())
        pad = 2 * max(4, fm.height() // 3) + 2  # the delegate's padding on both sides, and a pixel each
        header, advance, model = self._table.horizontalHeader(), self._advance, self._model
        if len(advance) > 4096:  # a shift's dispatch texts: keep the cache small
            advance.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        bfm = QFontMetrics(bold)  # unacknowledged titles are bold: measure every title so
        title = 0
        for text in {model.text_at(r, EventColumn.TITLE) for r in range(model.rowCount())}:
            w = advance.get("\0" + text)
            if w is None:
                w = advance["\0" + text] = bfm.horizontalAdvance(text) + pad
            title = max(title, w)
        for column, floor in self._floors.items():
            width = floor
            for text in {model.text_at(r, column) for r in range(model.rowCount())}:
                w = advance.get(text)
                if w is None:
                    w = advance[text] = fm.horizontalAdvance(text) + pad
                width = max(width, w)
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        self._title_need = title
        fill_column(self._table, EventColumn.TITLE, title)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table.viewport() and event.type() == QEvent.Type.Resize:
            fill_column(self._table, EventColumn.TITLE, self._title_need)
        return False

    def set_column_visible(self, column: EventColumn, visible: bool) -> None:
        """Show or hide a column, e.g. to give the event text room in a narrow panel."""
        self._table.setColumnHidden(column, not visible)

    def is_column_visible(self, column: EventColumn) -> bool:
        return not self._table.isColumnHidden(column)

    # -- slots --------------------------------------------------------------------------------

    def _on_flash_timer_timeout(self) -> None:
        self._model.set_flash_lit(not self._model.flash_lit)

    def _on_table_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        if not self._updating:
            self._sync_selection()

    def set_not_current(self, reason: str) -> None:
        """What an empty list says while its data is not current ("" for the usual "No active
        events"): with the link down, an empty list is no all-clear."""
        if reason != self._not_current:
            self._not_current = reason
            self._update_flash_timer()
            self._table.viewport().update()

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_clicked.emit(self._model.row_at(index.row()).id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._request_ack(index.row())

    def _on_table_ack_key_pressed(self, r: int) -> None:
        self._request_ack(r)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_metrics()
