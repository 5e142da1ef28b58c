"""The shelve form: why and for how long an alarm is taken off the officer's attention.

Shelving (ISA-18.2) needs a permission and a reason, and is one-shot (until the alarm clears) or
timed, up to a site maximum. The form sits in the console under the alarm list, not in a modal
dialog: the wall and the list stay visible while the supervisor fills it in. The "Shelve" button
stays disabled until a reason is given; without the right it is disabled with the reason shown.

Translation context: ``ShelveForm``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from widgets import theme


class ShelveForm(QWidget):
    """Reason and duration for shelving the selected alarm.

    Signals:
        shelve_requested(str, int): the reason and the minutes (0: until it clears); the owner
            knows which alarm it opened the form for.
        cancelled(): the officer closed the form without shelving.
    """

    shelve_requested = Signal(str, int)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = QLabel(self)
        self._target.setObjectName("shelveTarget")
        self._target.setWordWrap(True)
        self._reason = QComboBox(self)
        self._reason.setObjectName("shelveReason")
        self._reason.setEditable(True)
        self._reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        edit = self._reason.lineEdit()
        if edit is not None:  # always, for an editable combo box
            edit.setPlaceholderText(QCoreApplication.translate("ShelveForm", "Reason (required)"))
        self._duration = QComboBox(self)
        self._duration.setObjectName("shelveDuration")
        self._ok = QPushButton(QCoreApplication.translate("ShelveForm", "Shelve"), self)
        self._ok.setObjectName("shelveOk")
        self._cancel = QPushButton(QCoreApplication.translate("ShelveForm", "Cancel"), self)
        self._cancel.setObjectName("shelveCancel")
        self._why_not = QLabel(self)
        self._why_not.setObjectName("shelveWhyNot")
        self._why_not.setWordWrap(True)
        self._why_not.setStyleSheet(f"color: {theme.TEXT_DIM};")
        row = QHBoxLayout()
        row.addWidget(self._reason, 3)
        row.addWidget(self._duration, 1)
        row.addWidget(self._ok)
        row.addWidget(self._cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._target)
        layout.addLayout(row)
        layout.addWidget(self._why_not)
        self._allowed = False
        self._reason.editTextChanged.connect(self._update)
        self._ok.clicked.connect(self._on_ok_clicked)
        self._cancel.clicked.connect(self._on_cancel_clicked)
        self.set_choices([], [(QCoreApplication.translate("ShelveForm", "until it clears"), 0)])
        self.open_for("", allowed=False)

    # -- public API ---------------------------------------------------------------------------

    def set_choices(self, reasons: Sequence[str], durations: Sequence[tuple[str, int]]) -> None:
        """Common reasons to pick from (any text may be typed) and the durations offered, in
        minutes (0: one-shot, until the alarm clears); the site's maximum caps the list."""
        self._reason.clear()
        self._reason.addItems(list(reasons))
        self._reason.setCurrentIndex(-1)
        self._reason.setEditText("")
        self._duration.clear()
        for text, minutes in durations:
            self._duration.addItem(text, minutes)

    def open_for(self, target: str, allowed: bool, why_not: str = "") -> None:
        """Show the form for one alarm (its description in words); ``allowed`` False shows why."""
        self._target.setText(target)
        self._allowed = allowed
        self._why_not.setText(why_not)
        self._why_not.setVisible(bool(why_not))
        self._reason.setEditText("")
        self._update()

    def reason(self) -> str:
        return self._reason.currentText().strip()

    def set_reason(self, text: str) -> None:
        self._reason.setEditText(text)

    def minutes(self) -> int:
        value = self._duration.currentData()
        return int(value) if value is not None else 0

    def set_minutes(self, minutes: int) -> bool:
        index = self._duration.findData(minutes)
        if index < 0:
            return False
        self._duration.setCurrentIndex(index)
        return True

    def can_shelve(self) -> bool:
        return self._ok.isEnabled()

    # -- internals ----------------------------------------------------------------------------

    def _update(self) -> None:
        self._reason.setEnabled(self._allowed)
        self._duration.setEnabled(self._allowed)
        self._ok.setEnabled(self._allowed and bool(self.reason()))

    def _on_ok_clicked(self) -> None:
        if self._allowed and self.reason():
            self.shelve_requested.emit(self.reason(), self.minutes())

    def _on_cancel_clicked(self) -> None:
        self.cancelled.emit()
