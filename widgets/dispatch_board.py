"""The dispatch board: every command this console sent, with where it is now.

One row per command, newest first: when it was issued, what it was, for which event and unit, and
its state in words (queued, sent, accepted, rejected with the reason, the unit's progress, completed,
failed, cancelled, no response). The colour follows the state, but the words always say it.

Below the table, actions for the selected row: cancel a dispatch that is still running (critical:
one confirmation), and for a command held back because it waited too long offline, send it anyway
or discard it.

Translation context: ``DispatchBoard``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets import theme
from widgets._table import fill_column
from widgets.confirm_button import ConfirmButton
from widgets.values import BoardRow as BoardRow
from widgets.values import Tone as Tone

_COLOURS = {
    Tone.IDLE: theme.TEXT_DIM,
    Tone.PENDING: theme.TEXT,
    Tone.DONE: theme.OK,
    Tone.UNKNOWN: theme.WARNING,
    Tone.FAILED: theme.ALARM,
    Tone.ENDED: theme.TEXT_DIM,
    Tone.HELD: theme.WARNING,
}


class _Column(enum.IntEnum):
    TIME = 0
    ACTION = 1
    EVENT = 2
    TARGET = 3
    STATE = 4


class DispatchBoard(QWidget):
    """The console's list of commands and their states.

    Signals:
        cancel_requested(str): cancel the dispatch command with this id (after the confirmation).
        send_held_requested(str): send this held command after all.
        discard_held_requested(str): drop this held command without sending it.
        stop_requested(str): stop sending this unanswered command (its outcome stays unknown).
    """

    cancel_requested = Signal(str)
    send_held_requested = Signal(str)
    discard_held_requested = Signal(str)
    stop_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BoardRow] = []
        self._title = QLabel(QCoreApplication.translate("DispatchBoard", "Dispatch board"), self)
        self._title.setObjectName("sectionTitle")
        self._summary = QLabel(self)
        self._summary.setObjectName("boardSummary")
        self._table = QTableWidget(0, len(_Column), self)
        self._table.setObjectName("boardTable")
        self._table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("DispatchBoard", "Time"),
                QCoreApplication.translate("DispatchBoard", "Action"),
                QCoreApplication.translate("DispatchBoard", "Event"),
                QCoreApplication.translate("DispatchBoard", "Unit / plan"),
                QCoreApplication.translate("DispatchBoard", "State"),
            ]
        )
        self._table.verticalHeader().hide()
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setWordWrap(False)
        header = self._table.horizontalHeader()
        # Every column as wide as its text, the state taking what is left but never less than its
        # own words: an event stretched to share the room with the state read "Water-main burst ·
        # …", and a stretched last column "Unit acknow…" (officer review). A board too narrow for
        # its rows scrolls sideways instead of cutting them (fill_column, kept on new rows and
        # when the viewport resizes).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_Column.STATE, QHeaderView.ResizeMode.Interactive)
        self._table.viewport().installEventFilter(self)
        self._cancel = ConfirmButton(
            QCoreApplication.translate("DispatchBoard", "Cancel dispatch"), critical=True, parent=self
        )
        self._cancel.setObjectName("boardCancel")
        self._send_held = QPushButton(QCoreApplication.translate("DispatchBoard", "Send anyway"), self)
        self._send_held.setObjectName("boardSendHeld")
        self._discard_held = QPushButton(QCoreApplication.translate("DispatchBoard", "Discard"), self)
        self._discard_held.setObjectName("boardDiscardHeld")
        self._stop = ConfirmButton(
            QCoreApplication.translate("DispatchBoard", "Stop sending"), critical=True, parent=self
        )
        self._stop.setObjectName("boardStop")
        self._stop.setToolTip(
            QCoreApplication.translate(
                "DispatchBoard", "The backend has not answered; it may still have acted. Stop sending it again?"
            )
        )
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self._summary, 1)
        actions.addWidget(self._send_held)
        actions.addWidget(self._discard_held)
        actions.addWidget(self._stop)
        actions.addWidget(self._cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._title)
        layout.addWidget(self._table, 1)
        layout.addLayout(actions)
        self._table.itemSelectionChanged.connect(self._update_actions)
        self._cancel.triggered.connect(self._on_cancel_triggered)
        self._send_held.clicked.connect(self._on_send_held_clicked)
        self._discard_held.clicked.connect(self._on_discard_held_clicked)
        self._stop.triggered.connect(self._on_stop_triggered)
        self._update_actions()

    # -- public API ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[BoardRow]) -> None:
        """Show ``rows`` in the given order; the selection (by id) survives.

        Only rows that changed are written. The board holds up to a shift's 200 commands and
        changed on every acknowledgement; rewriting every cell (three calls into Qt each) took
        7 % of the GUI thread under load. New commands on top shift the table's rows in Qt.
        """
        new = list(rows)
        if new == self._rows:
            return
        selected = self.selected_id()
        table = self._table
        table.blockSignals(True)
        try:
            before: list[BoardRow | None]
            added = _added_on_top([r.id for r in self._rows], [r.id for r in new])
            if added is None:  # reordered: write every row
                table.setRowCount(len(new))
                before = [None] * len(new)
            else:
                for _ in range(added):
                    table.insertRow(0)
                table.setRowCount(len(new))  # the oldest fall off the end
                before = [None] * added + list(self._rows[: len(new) - added])
            for r, (row, old) in enumerate(zip(new, before, strict=True)):
                if row != old:
                    self._write_row(r, row)
            self._rows = new
            table.clearSelection()
            if selected is not None:
                self.select(selected)
        finally:
            table.blockSignals(False)
        self._fit_state()
        self._update_actions()

    def _fit_state(self) -> None:
        table = self._table
        need = max(table.sizeHintForColumn(_Column.STATE), table.horizontalHeader().sectionSizeHint(_Column.STATE))
        fill_column(table, _Column.STATE, need)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_state()
        return False

    def _write_row(self, r: int, row: BoardRow) -> None:
        table = self._table
        cells = (row.time_text, row.action, row.event, row.target, row.state)
        for c, text in enumerate(cells):
            item = table.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                table.setItem(r, c, item)
            item.setText(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            colour = _COLOURS[row.tone] if c == _Column.STATE else theme.TEXT
            item.setForeground(QColor(colour))

    def rows(self) -> list[BoardRow]:
        return list(self._rows)

    def row_of(self, command_id: str) -> BoardRow | None:
        return next((r for r in self._rows if r.id == command_id), None)

    def select(self, command_id: str) -> bool:
        """Select the row of ``command_id``; False if it is not on the board."""
        for r, row in enumerate(self._rows):
            if row.id == command_id:
                self._table.selectRow(r)
                self._update_actions()
                return True
        return False

    def selected_id(self) -> str | None:
        r = self._table.currentRow()
        selected = self._table.selectionModel().selectedRows()
        if not selected or not 0 <= r < len(self._rows):
            return None
        return self._rows[selected[0].row()].id

    def cancel_button(self) -> ConfirmButton:
        return self._cancel

    # -- internals ----------------------------------------------------------------------------

    def _selected_row(self) -> BoardRow | None:
        cid = self.selected_id()
        return self.row_of(cid) if cid is not None else None

    def _update_actions(self) -> None:
        row = self._selected_row()
        self._cancel.setEnabled(row is not None and row.can_cancel)
        held = row is not None and row.tone is Tone.HELD
        self._send_held.setVisible(held)
        self._discard_held.setVisible(held)
        self._stop.setVisible(row is not None and row.can_stop)
        running = sum(r.tone is Tone.PENDING for r in self._rows)
        failed = sum(r.tone is Tone.FAILED for r in self._rows)
        held_n = sum(r.tone is Tone.HELD for r in self._rows)
        unknown = sum(r.tone is Tone.UNKNOWN for r in self._rows)
        parts = [QCoreApplication.translate("DispatchBoard", "{n} running").format(n=running)]
        if unknown:
            parts.append(
                QCoreApplication.translate("DispatchBoard", "{n} unanswered: do not repeat them").format(n=unknown)
            )
        if failed:
            parts.append(QCoreApplication.translate("DispatchBoard", "{n} need attention").format(n=failed))
        if held_n:
            parts.append(
                QCoreApplication.translate("DispatchBoard", "{n} held: confirm or discard").format(n=held_n)
            )
        self._summary.setText(" · ".join(parts))

    # -- slots --------------------------------------------------------------------------------

    def _on_cancel_triggered(self) -> None:
        row = self._selected_row()
        if row is not None and row.can_cancel:
            self.cancel_requested.emit(row.id)

    def _on_send_held_clicked(self) -> None:
        row = self._selected_row()
        if row is not None and row.tone is Tone.HELD:
            self.send_held_requested.emit(row.id)

    def _on_stop_triggered(self) -> None:
        row = self._selected_row()
        if row is not None and row.can_stop:
            self.stop_requested.emit(row.id)

    def _on_discard_held_clicked(self) -> None:
        row = self._selected_row()
        if row is not None and row.tone is Tone.HELD:
            self.discard_held_requested.emit(row.id)


def _added_on_top(old: list[str], new: list[str]) -> int | None:
    """How many rows ``new`` has on top of ``old`` (ids), when it is ``old`` with rows added above
    and the oldest dropped below; None if the rows were reordered otherwise."""
    if not old:
        return len(new)
    try:
        k = new.index(old[0])
    except ValueError:
        return None
    return k if new[k:] == old[: len(new) - k] else None
