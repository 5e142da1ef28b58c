"""A button that sends with one click, or, for a critical action, with one click and one confirmation.

A critical action (activating a 14-task emergency plan, calling off a unit en route, handing an
event down) must not go out on a stray click, but a modal dialog on a wall console hides the
situation behind it. So the first click *arms* the button in place: it turns amber and counts down
("Confirm: Hand down? 4 s"); a second click within that time triggers. Three things keep a stray
click from confirming:

- a click that lands within :data:`SETTLE_MS` of the button changing (armed, retexted, enabled) does
  nothing: the second half of a double-click never confirms what its first half armed;
- when the time runs out the button says so ("Not confirmed: timed out") for :data:`EXPIRED_MS`,
  and clicks in that time do nothing, so a late second click never silently re-arms;
- the button's size does not change when it arms: its size hint covers both texts, so its
  neighbours never move under the pointer.

Translation context: ``ConfirmButton``.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QCoreApplication, QSize, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QPushButton, QWidget

from widgets import theme

ARM_MS = 5000
"""How long an armed critical button waits for its confirmation click."""
SETTLE_MS = 500
"""A click this soon after the button changed is ignored: it was aimed at what was there before."""
EXPIRED_MS = 1500
"""How long a timed-out confirmation stays on the button (clicks do nothing meanwhile)."""

_ARMED_STYLE = f"background: {theme.WARNING}; color: #000000; font-weight: bold;"
_EXPIRED_STYLE = f"background: {theme.BG_INPUT}; color: {theme.TEXT_DIM}; font-style: italic;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConfirmButton", text)


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
        self._armed_at = 0.0
        """Monotonic time the button armed (0: not armed)."""
        self._expired_until = 0.0
        self._changed_at = time.monotonic()
        self._hint: QSize | None = None
        self.setAutoDefault(False)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick_timeout)
        self.clicked.connect(self._on_clicked)

    # -- public API ---------------------------------------------------------------------------

    def set_action(self, text: str, critical: bool) -> None:
        """Change what the button does; an armed button falls back first."""
        if text != self._text or critical != self._critical:
            self.disarm()
            self._text, self._critical = text, critical
            self.setText(text)
            self._changed()
            self.updateGeometry()

    def is_critical(self) -> bool:
        return self._critical

    def is_armed(self) -> bool:
        """True while a critical button waits for its confirmation click."""
        return self._armed_at > 0

    def seconds_left(self) -> int:
        """Whole seconds left to confirm (0 when not armed); the button shows the same number."""
        if not self._armed_at:
            return 0
        return max(0, math.ceil(ARM_MS / 1000 - (time.monotonic() - self._armed_at)))

    def disarm(self) -> None:
        """Drop a pending confirmation (the target changed, or the action went away)."""
        if self._armed_at or self._expired_until:
            self._armed_at = self._expired_until = 0.0
            self._tick.stop()
            self._show_normal()

    def setEnabled(self, enabled: bool) -> None:  # Qt override: an armed button disarms
        if not enabled:
            self.disarm()
        if enabled != self.isEnabled():
            self._changed()
        super().setEnabled(enabled)

    def sizeHint(self) -> QSize:
        # As wide as the armed text needs (in bold), armed or not, worked out in the calm state:
        # arming never moves the neighbours.
        if (self._armed_at or self._expired_until) and self._hint is not None:
            return self._hint
        hint = super().sizeHint()
        if self._critical:
            bold = QFont(self.font())
            bold.setBold(True)
            longest = max(
                QFontMetrics(bold).horizontalAdvance(self._armed_text(ARM_MS // 1000)),
                QFontMetrics(bold).horizontalAdvance(_tr("Not confirmed: timed out")),
            )
            extra = longest - self.fontMetrics().horizontalAdvance(self._text)
            hint.setWidth(hint.width() + max(0, extra))
        self._hint = hint
        return hint

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint() if self._critical else super().minimumSizeHint()

    # -- internals ----------------------------------------------------------------------------

    def _changed(self) -> None:
        self._changed_at = time.monotonic()

    def _settling(self) -> bool:
        return (time.monotonic() - self._changed_at) * 1000 < SETTLE_MS

    def _armed_text(self, seconds: int) -> str:
        return _tr("Confirm: {action}? {n} s").format(action=self._text, n=seconds)

    def _show_normal(self) -> None:
        self.setText(self._text)
        self.setStyleSheet("")
        self._changed()

    def _on_tick_timeout(self) -> None:
        now = time.monotonic()
        if self._expired_until:
            if now >= self._expired_until:
                self._expired_until = 0.0
                self._tick.stop()
                self._show_normal()
            return
        if not self._armed_at:
            self._tick.stop()
            return
        if (now - self._armed_at) * 1000 >= ARM_MS:
            # Timed out: say so on the button, and let no click act on it for a moment.
            self._armed_at = 0.0
            self._expired_until = now + EXPIRED_MS / 1000
            self.setText(_tr("Not confirmed: timed out"))
            self.setStyleSheet(_EXPIRED_STYLE)
            self._changed()
            return
        text = self._armed_text(self.seconds_left())
        if text != self.text():
            self.setText(text)

    def _on_clicked(self) -> None:
        if self._settling() or self._expired_until:
            return  # aimed at what the button was a moment ago
        if not self._critical:
            self.triggered.emit()
            return
        if not self._armed_at:
            self._armed_at = time.monotonic()
            self.setText(self._armed_text(ARM_MS // 1000))
            self.setStyleSheet(_ARMED_STYLE)
            self._changed()
            self._tick.start()
            return
        self.disarm()
        self.triggered.emit()
