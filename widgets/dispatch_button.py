"""Dispatch panel: the selected event, the recommended unit and one big send button.

Translation context: ``DispatchPanel``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from widgets import theme
from widgets.confirm_button import ConfirmButton


class CommandLevel(enum.Enum):
    """State of the last dispatch command; colours the state line."""

    IDLE = "idle"
    """Nothing sent yet; dim text."""
    PENDING = "pending"
    """Sent, waiting for the outcome; the button stays locked."""
    OK = "ok"
    """Confirmed; muted green."""
    FAILED = "failed"
    """Rejected or timed out; red label, white bold text."""


_STATE_STYLE: dict[CommandLevel, str] = {
    CommandLevel.IDLE: f"color: {theme.TEXT_DIM}; background: transparent;",
    CommandLevel.PENDING: f"color: {theme.TEXT}; background: transparent; font-weight: bold;",
    CommandLevel.OK: f"color: {theme.OK}; background: transparent; font-weight: bold;",
    CommandLevel.FAILED: (
        f"color: #ffffff; background: {theme.ALARM}; font-weight: bold; border-radius: 4px;"
    ),
}


@dataclass(frozen=True, slots=True)
class PanelAction:
    """One more thing the officer can do with the selected event, besides the main dispatch.

    Attributes:
        key: Identifies the action in ``action_requested``.
        text: The button's text, e.g. "Activate plan: water-main burst (14 tasks)".
        enabled: Whether it can be done now.
        reason: Why not, when disabled; shown under the buttons (a disabled button is never
            left unexplained).
        critical: Needs one confirmation click (see ``ConfirmButton``).
    """

    key: str
    text: str
    enabled: bool = True
    reason: str = ""
    critical: bool = False


class DispatchPanel(QWidget):
    """Shows what will be sent where, and sends it with one click.

    The button is locked from the moment it is clicked (so a double-click or a slow reply
    cannot dispatch twice) until the owner reports an outcome with ``set_command_state`` at a
    level other than PENDING, or calls ``set_busy(False)``. It is also disabled while
    ``set_target(..., enabled=False)``.

    Below the main button, ``set_actions`` shows further actions (acknowledge, activate a plan,
    escalate, …), critical ones with one confirmation.

    Signals:
        dispatch_requested(): The user clicked the send button for the current target.
        action_requested(str): The user triggered the action with this key.
    """

    dispatch_requested = Signal()
    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target_enabled = False
        self._button_px = 0
        self._busy = False
        self._level = CommandLevel.IDLE

        self._heading = QLabel(QCoreApplication.translate("DispatchPanel", "Selected event"), self)
        self._heading.setObjectName("dispatchHeading")
        self._heading.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self._event = QLabel(self)
        self._event.setObjectName("dispatchEvent")
        self._event.setWordWrap(True)
        self._event.setTextFormat(Qt.TextFormat.PlainText)
        self._button = QPushButton(self)
        self._button.setObjectName("dispatchButton")
        self._button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._button.setAutoDefault(False)
        self._state = QLabel(self)
        self._state.setObjectName("dispatchState")
        self._state.setWordWrap(True)
        self._state.setTextFormat(Qt.TextFormat.PlainText)

        self._actions: list[PanelAction] = []
        self._action_buttons: dict[str, ConfirmButton] = {}
        self._action_grid = QGridLayout()
        self._action_grid.setContentsMargins(0, 0, 0, 0)
        self._why_not = QLabel(self)
        self._why_not.setObjectName("dispatchWhyNot")
        self._why_not.setWordWrap(True)
        self._why_not.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self._why_not.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(self._event)
        layout.addWidget(self._button)
        layout.addWidget(self._state)
        layout.addLayout(self._action_grid)
        layout.addWidget(self._why_not)
        layout.addStretch(1)

        self._button.clicked.connect(self._on_button_clicked)
        self._apply_metrics()
        self.set_target("", "", False)
        self.set_command_state("", CommandLevel.IDLE)

    # -- public API ---------------------------------------------------------------------------

    def set_target(self, event_text: str, unit_text: str, enabled: bool) -> None:
        """Show the event and the unit the button would send.

        Args:
            event_text: One-line summary of the selected event, "" if none is selected.
            unit_text: Recommended unit, e.g. "Fire Engine 3"; "" if there is none.
            enabled: Whether dispatching is allowed now (the owner decides, e.g. False without
                a recommendation or without a connection).
        """
        self._event.setText(event_text or QCoreApplication.translate("DispatchPanel", "No event selected"))
        self._event.setStyleSheet(f"color: {theme.TEXT if event_text else theme.TEXT_DIM};")
        if unit_text:
            text = QCoreApplication.translate("DispatchPanel", "Send {unit} →").format(unit=unit_text)
        else:
            text = QCoreApplication.translate("DispatchPanel", "No unit recommended")
        self._button.setText(text)
        self._fit_button_text()
        self._target_enabled = enabled
        self._update_button()

    def set_command_state(self, text: str, level: CommandLevel) -> None:
        """Show the state of the last command; any level but PENDING unlocks the button.

        Args:
            text: State text, already translated, e.g. "Sent, awaiting confirmation".
            level: Decides the colour; PENDING locks, other levels unlock the button.
        """
        self._level = level
        self._state.setText(text)
        self._state.setVisible(bool(text))
        self._state.setStyleSheet(_STATE_STYLE[level] + " padding: 4px;")
        self._busy = level is CommandLevel.PENDING
        self._update_button()

    def set_actions(self, actions: Sequence[PanelAction]) -> None:
        """Show these actions under the main button, two to a row, in the given order."""
        actions = list(actions)
        if actions == self._actions:
            return
        keys = [a.key for a in actions]
        if keys != [a.key for a in self._actions]:
            for button in self._action_buttons.values():
                self._action_grid.removeWidget(button)
                button.deleteLater()
            self._action_buttons = {}
            for i, a in enumerate(actions):
                button = ConfirmButton(a.text, a.critical, self)
                button.setObjectName(f"action-{a.key}")
                button.triggered.connect(lambda key=a.key: self._on_action_triggered(key))
                self._action_grid.addWidget(button, i // 2, i % 2)
                self._action_buttons[a.key] = button
        for a in actions:
            button = self._action_buttons[a.key]
            button.set_action(a.text, a.critical)
            button.setEnabled(a.enabled)
            button.setToolTip(a.reason)
        self._actions = actions
        reasons = [f"{a.text}: {a.reason}" for a in actions if not a.enabled and a.reason]
        self._why_not.setText("\n".join(reasons))
        self._update_action_visibility()

    def _update_action_visibility(self) -> None:
        for button in self._action_buttons.values():
            button.setVisible(not self._button_px)
        self._why_not.setVisible(not self._button_px and bool(self._why_not.text()))

    def panel_actions(self) -> list[PanelAction]:
        """Return the actions shown."""
        return list(self._actions)

    def action_button(self, key: str) -> ConfirmButton | None:
        """Return the button of the action ``key``, if shown."""
        return self._action_buttons.get(key)

    def set_busy(self, busy: bool) -> None:
        """Lock (True) or unlock (False) the send button regardless of the command state."""
        self._busy = busy
        self._update_button()

    def is_busy(self) -> bool:
        """Return whether the button is locked by a command in flight."""
        return self._busy

    def is_dispatch_enabled(self) -> bool:
        """Return whether clicking the button would emit ``dispatch_requested``."""
        return self._button.isEnabled()

    def button_text(self) -> str:
        """Return the button's text."""
        return self._button.text()

    def command_level(self) -> CommandLevel:
        """Return the command level shown."""
        return self._level

    def command_text(self) -> str:
        """Return the command state text shown."""
        return self._state.text()

    # -- internals ----------------------------------------------------------------------------

    def _update_button(self) -> None:
        self._button.setEnabled(self._target_enabled and not self._busy)

    def set_button_text_px(self, px: int) -> None:
        """Wall mode: the send button's text at ``px`` (sized for the reading distance), the rest
        at the panel's font, no heading, and no action row (the console offers the actions).
        0 goes back to the desk layout."""
        self._button_px = max(0, px)
        self._heading.setVisible(not self._button_px)
        self._apply_metrics()
        self._update_action_visibility()

    def _apply_metrics(self) -> None:
        base = self.font()
        self._event.setFont(theme.scaled_font(base, 1.0 if self._button_px else 1.2, bold=True))
        button_font = theme.scaled_font(base, 1.5, bold=True)
        if self._button_px:
            button_font.setPixelSize(self._button_px)
        self._button.setFont(button_font)
        self._fit_button_text()
        # A tall target at a desk; on a wall, where the text is already large, just room around it.
        factor = 1.2 if self._button_px else 2.4
        self._button.setMinimumHeight(round(QFontMetrics(button_font).height() * factor))
        self._state.setFont(theme.scaled_font(base, 1.0 if self._button_px else 1.1))

    def _fit_button_text(self) -> None:
        """On a wall, shrink the button's text to its width rather than clip it (never below the
        panel's own font size)."""
        if not self._button_px:
            return
        font = QFont(self._button.font())
        font.setPixelSize(self._button_px)
        room = self._button.width() - 24
        need = QFontMetrics(font).horizontalAdvance(self._button.text())
        if room > 0 and need > room:
            floor = self.fontInfo().pixelSize()
            font.setPixelSize(max(floor, int(self._button_px * room / need)))
        if font != self._button.font():
            self._button.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_button_text()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_metrics()

    # -- slots --------------------------------------------------------------------------------

    def _on_action_triggered(self, key: str) -> None:
        action = next((a for a in self._actions if a.key == key), None)
        if action is not None and action.enabled:
            self.action_requested.emit(key)

    def _on_button_clicked(self) -> None:
        if not self._target_enabled or self._busy:
            return
        # Lock before emitting: a synchronous handler may already report the outcome.
        self._busy = True
        self._update_button()
        self.dispatch_requested.emit()
