"""The audit trail viewer: every operator action this cockpit recorded, newest first, and a check of
the hash chain on demand.

Translation context: ``AuditView``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
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
from widgets.values import AuditRow as AuditRow

MAX_ROWS = 1000
"""The viewer keeps this many newest records; the file keeps them all."""


class AuditView(QWidget):
    """Table of recorded actions and the chain's verification verdict.

    Signals:
        verify_requested(): the officer asked for the whole chain to be checked.
    """

    verify_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = QLabel(self)
        self._path.setObjectName("auditPath")
        self._path.setWordWrap(True)
        self._verdict = QLabel(self)
        self._verdict.setObjectName("auditVerdict")
        self._verdict.setWordWrap(True)
        self._verify = QPushButton(QCoreApplication.translate("AuditView", "Verify the chain"), self)
        self._verify.setObjectName("auditVerify")
        self._table = QTableWidget(0, 6, self)
        self._table.setObjectName("auditTable")
        self._table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("AuditView", "#"),
                QCoreApplication.translate("AuditView", "Time"),
                QCoreApplication.translate("AuditView", "Operator"),
                QCoreApplication.translate("AuditView", "Role"),
                QCoreApplication.translate("AuditView", "Action"),
                QCoreApplication.translate("AuditView", "Details"),
            ]
        )
        self._table.verticalHeader().hide()
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setWordWrap(False)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(self._path, 1)
        top.addWidget(self._verify)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._verdict)
        layout.addWidget(self._table, 1)
        self._rows: list[AuditRow] = []
        self._verify.clicked.connect(self._on_verify_clicked)
        self.set_verdict("", ok=True)

    # -- public API ---------------------------------------------------------------------------

    def set_source(self, text: str) -> None:
        """Where the trail is kept, in words (or why there is none)."""
        self._path.setText(text)

    def add_rows(self, rows: Sequence[AuditRow]) -> None:
        """Add records (oldest first, as written); the table shows the newest on top."""
        if not rows:
            return
        self._rows = (self._rows + list(rows))[-MAX_ROWS:]
        shown = self._rows[::-1]
        self._table.setRowCount(len(shown))
        for r, row in enumerate(shown):
            cells = (str(row.seq), row.time_text, row.operator, row.role, row.action, row.details)
            for c, text in enumerate(cells):
                item = self._table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self._table.setItem(r, c, item)
                item.setText(text)

    def rows(self) -> list[AuditRow]:
        return list(self._rows)

    def set_verifying(self, busy: bool) -> None:
        self._verify.setEnabled(not busy)
        if busy:
            self._verdict.setText(QCoreApplication.translate("AuditView", "Verifying the chain…"))
            self._verdict.setStyleSheet(f"color: {theme.TEXT_DIM};")

    def set_verdict(self, text: str, ok: bool) -> None:
        """The last verification's result in words; a break is shown in red."""
        self._verdict.setText(text)
        self._verdict.setVisible(bool(text))
        colour = theme.OK if ok else theme.ALARM
        self._verdict.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def verdict_text(self) -> str:
        return self._verdict.text()

    def verify_button(self) -> QPushButton:
        return self._verify

    # -- slots --------------------------------------------------------------------------------

    def _on_verify_clicked(self) -> None:
        self.verify_requested.emit()
