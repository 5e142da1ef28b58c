"""A button that sends with one click, or, for a critical action, with one click and one confirmation.

A critical action (activating a 14-task emergency plan, calling off a unit en route) must not go out
on a stray click, but a modal dialog on a wall console hides the situation behind it. So the first
click *arms* the button in place: it turns amber and reads "Confirm: …?" for a few seconds; a second
click within that time triggers, anything else (the time running out, ``disarm()``) lets it fall back.

Translation context: ``ConfirmButton``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from widgets import theme

ARM_MS = 5000
"""How long an armed critical button waits for its confirmation click."""

_ARMED_STYLE = f"background: {theme.WARNING}; color: #000000; font-weight: bold;"


class ConfirmButton(QPushButton):
    """One click for ordinary actions; click, then confirm, for critical ones.

    Signals:
        triggered(): the action should be carried out now (after the confirmation if critical).
    """

    triggered = Signal()

    def __init__(self, text: str = "", critical: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._text = text
        self._critical = critical
        self._armed = False
        self.setAutoDefault(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ARM_MS)
        self._timer.timeout.connect(self.disarm)
        self.clicked.connect(self._on_clicked)

    # -- public API ---------------------------------------------------------------------------

    def set_action(self, text: str, critical: bool) -> None:
        """Change what the button does; an armed button falls back first."""
        if text != self._text or critical != self._critical:
            self.disarm()
            self._text, self._critical = text, critical
            self.setText(text)

    def is_critical(self) -> bool:
        return self._critical

    def is_armed(self) -> bool:
        """True while a critical button waits for its confirmation click."""
        return self._armed

    def disarm(self) -> None:
        """Drop a pending confirmation (the time ran out, or the target changed)."""
        if self._armed:
            self._armed = False
            self._timer.stop()
            self.setText(self._text)
            self.setStyleSheet("")

    def setEnabled(self, enabled: bool) -> None:  # Qt override: an armed button disarms
        if not enabled:
            self.disarm()
        super().setEnabled(enabled)

    # -- slots --------------------------------------------------------------------------------

    def _on_clicked(self) -> None:
        if not self._critical:
            self.triggered.emit()
            return
        if not self._armed:
            self._armed = True
            self.setText(
                QCoreApplication.translate("ConfirmButton", "Confirm: {action}?").format(action=self._text)
            )
            self.setStyleSheet(_ARMED_STYLE)
            self._timer.start()
            return
        self.disarm()
        self.triggered.emit()
