"""Dispatch panel: the selected event, the recommended unit and one big send button.

Translation context: ``DispatchPanel``.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from widgets import theme


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


class DispatchPanel(QWidget):
    """Shows what will be sent where, and sends it with one click.

    The button is locked from the moment it is clicked (so a double-click or a slow reply
    cannot dispatch twice) until the owner reports an outcome with ``set_command_state`` at a
    level other than PENDING, or calls ``set_busy(False)``. It is also disabled while
    ``set_target(..., enabled=False)``.

    Signals:
        dispatch_requested(): The user clicked the send button for the current target.
    """

    dispatch_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target_enabled = False
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

        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(self._event)
        layout.addWidget(self._button)
        layout.addWidget(self._state)
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

    def _apply_metrics(self) -> None:
        base = self.font()
        self._event.setFont(theme.scaled_font(base, 1.2, bold=True))
        button_font = theme.scaled_font(base, 1.5, bold=True)
        self._button.setFont(button_font)
        self._button.setMinimumHeight(round(QFontMetrics(button_font).height() * 2.4))
        self._state.setFont(theme.scaled_font(base, 1.1))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_metrics()

    # -- slots --------------------------------------------------------------------------------

    def _on_button_clicked(self) -> None:
        if not self._target_enabled or self._busy:
            return
        # Lock before emitting: a synchronous handler may already report the outcome.
        self._busy = True
        self._update_button()
        self.dispatch_requested.emit()
