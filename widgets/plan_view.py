"""The running emergency plan of the selected event, its tasks, and the event's SLA timers.

The header names the plan and its state; a table lists every task with its owner, state and
deadline (late ones in red, in words: "12 min late"); buttons below approve or close the plan,
disabled with the reason when they cannot be used (a mandatory task still open, a role without the
right). Above it, the event's SLA timers (acknowledge, dispatch, on scene), each in words and
coloured by state, so a breach escalates visibly.

Translation context: ``PlanView``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets import theme
from widgets.confirm_button import ConfirmButton
from widgets.values import PanelAction as PanelAction
from widgets.values import TaskRow as TaskRow
from widgets.values import TimerLine as TimerLine
from widgets.values import Urgency as Urgency

_COLOURS = {
    Urgency.CALM: theme.TEXT,
    Urgency.AT_RISK: theme.WARNING,
    Urgency.LATE: theme.ALARM,
    Urgency.DONE: theme.OK,
    Urgency.ENDED: theme.TEXT_DIM,
}


class PlanView(QWidget):
    """Plan, tasks and SLA timers of one event.

    Signals:
        action_requested(str): the user triggered the plan action with this key.
    """

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = QLabel(QCoreApplication.translate("PlanView", "Plan and SLA"), self)
        self._title.setObjectName("sectionTitle")
        self._timers = QLabel(self)
        self._timers.setObjectName("planTimers")
        self._timers.setWordWrap(True)
        self._header = QLabel(self)
        self._header.setObjectName("planHeader")
        self._header.setWordWrap(True)
        self._table = QTableWidget(0, 4, self)
        self._table.setObjectName("planTasks")
        self._table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("PlanView", "Task"),
                QCoreApplication.translate("PlanView", "Owner"),
                QCoreApplication.translate("PlanView", "State"),
                QCoreApplication.translate("PlanView", "Due"),
            ]
        )
        self._table.verticalHeader().hide()
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # A task's words are what the officer works from: a long one wraps onto a second line of its
        # row instead of being cut ("Isolate the main: close the…", officer review). A plan has a
        # few dozen tasks at most, so the rows' heights are cheap to fit.
        self._table.setWordWrap(True)
        self._table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._buttons = QGridLayout()
        self._why_not = QLabel(self)
        self._why_not.setObjectName("planWhyNot")
        self._why_not.setWordWrap(True)
        self._why_not.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self._action_buttons: dict[str, ConfirmButton] = {}
        self._actions: list[PanelAction] = []
        self._rows: list[TaskRow] = []
        top = QHBoxLayout()
        top.addWidget(self._title, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._timers)
        layout.addWidget(self._header)
        layout.addWidget(self._table, 1)
        layout.addLayout(self._buttons)
        layout.addWidget(self._why_not)
        self._filler = QWidget(self)  # takes the height while no task table is shown
        layout.addWidget(self._filler, 1)
        for label in (self._title, self._timers, self._header, self._why_not):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.set_plan("", [], [])
        self.set_timers([])

    # -- public API ---------------------------------------------------------------------------

    def set_timers(self, lines: Sequence[TimerLine]) -> None:
        """The event's SLA timers, one per line; nothing shown when there are none."""
        if not lines:
            self._timers.setText(QCoreApplication.translate("PlanView", "No SLA timer running"))
            self._timers.setStyleSheet(f"color: {theme.TEXT_DIM};")
            return
        html = "<br>".join(
            f'<span style="color:{_COLOURS[line.urgency]}; font-weight:'
            f'{"bold" if line.urgency in (Urgency.LATE, Urgency.AT_RISK) else "normal"}">'
            f"{_escape(line.text)}</span>"
            for line in lines
        )
        self._timers.setStyleSheet("")
        self._timers.setText(html)

    def timers_text(self) -> str:
        return self._timers.text()

    def set_plan(self, header: str, rows: Sequence[TaskRow], actions: Sequence[PanelAction]) -> None:
        """Show a plan: its header (name, state, who activated), its tasks and its actions.

        An empty header means the event has no plan: the table hides and the header says so.
        """
        self._header.setText(
            header or QCoreApplication.translate("PlanView", "No plan running for this event")
        )
        self._table.setVisible(bool(header))
        self._filler.setVisible(not header)
        rows = list(rows)
        if rows != self._rows:
            self._rows = rows
            self._table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                title = (
                    row.title
                    if row.mandatory
                    else QCoreApplication.translate("PlanView", "{task} (optional)").format(task=row.title)
                )
                for c, text in enumerate((title, row.owner, row.state, row.due)):
                    item = self._table.item(r, c)
                    if item is None:
                        item = QTableWidgetItem()
                        self._table.setItem(r, c, item)
                    item.setText(text)
                    colour = _COLOURS[row.urgency] if c >= 2 else theme.TEXT
                    item.setForeground(QColor(colour))
        self._set_actions(list(actions))

    def task_rows(self) -> list[TaskRow]:
        return list(self._rows)

    def header_text(self) -> str:
        return self._header.text()

    def action_button(self, key: str) -> ConfirmButton | None:
        return self._action_buttons.get(key)

    def why_not_text(self) -> str:
        return self._why_not.text() if self._why_not.isVisibleTo(self) else ""

    # -- internals ----------------------------------------------------------------------------

    def _set_actions(self, actions: list[PanelAction]) -> None:
        if [a.key for a in actions] != [a.key for a in self._actions]:
            for button in self._action_buttons.values():
                self._buttons.removeWidget(button)
                button.deleteLater()
            self._action_buttons = {}
            for i, a in enumerate(actions):
                button = ConfirmButton(a.text, a.critical, self)
                button.setObjectName(f"plan-{a.key}")
                button.triggered.connect(lambda key=a.key: self._on_action_triggered(key))
                self._buttons.addWidget(button, 0, i)
                self._action_buttons[a.key] = button
        for a in actions:
            button = self._action_buttons[a.key]
            button.set_action(a.text, a.critical)
            button.setEnabled(a.enabled)
            button.setToolTip(a.reason)
        self._actions = actions
        reasons = [f"{a.text}: {a.reason}" for a in actions if not a.enabled and a.reason]
        self._why_not.setText("\n".join(reasons))
        self._why_not.setVisible(bool(reasons))

    def _on_action_triggered(self, key: str) -> None:
        action = next((a for a in self._actions if a.key == key), None)
        if action is not None and action.enabled:
            self.action_requested.emit(key)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
