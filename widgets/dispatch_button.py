"""Dispatch panel: the selected event, the recommended unit and one big send button.

Translation context: ``DispatchPanel``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from widgets import theme
from widgets.confirm_button import SETTLE_MS, ConfirmButton
from widgets.text_report import set_role
from widgets.values import PanelAction as PanelAction
from widgets.values import TextRole
from widgets.values import Tone as Tone

CLICK_GUARD_MS = 1500
"""After a click the send button stays locked until the owner shows the new target state, or this long."""
ACTIONS_SETTLE_MS = 600
"""A changed set of action buttons appears after this long without further change."""

_STATE_STYLE: dict[Tone, str] = {
    Tone.IDLE: f"color: {theme.TEXT_DIM}; background: transparent;",
    Tone.PENDING: f"color: {theme.TEXT}; background: transparent; font-weight: bold;",
    Tone.DONE: f"color: {theme.OK}; background: transparent; font-weight: bold;",
    Tone.UNKNOWN: f"color: #000000; background: {theme.WARNING}; font-weight: bold; border-radius: 4px;",
    Tone.FAILED: f"color: #ffffff; background: {theme.ALARM}; font-weight: bold; border-radius: 4px;",
    Tone.ENDED: f"color: {theme.TEXT_DIM}; background: transparent;",
    Tone.HELD: f"color: #000000; background: {theme.WARNING}; font-weight: bold; border-radius: 4px;",
}


def balanced_lines(text: str, room: float, width: Callable[[str], float]) -> list[str]:
    """``text`` in as few lines as fit ``room`` when broken at spaces, as evenly long as they can
    be with that many (a word longer than the room has a line of its own)."""

    def wrap(limit: float) -> list[str]:
        lines: list[str] = []
        for word in text.split(" "):
            if lines and width(f"{lines[-1]} {word}") <= limit:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines

    fewest = wrap(room)
    if len(fewest) <= 1:
        return fewest
    lo, hi = max(width(w) for w in text.split(" ")), room  # the narrowest limit giving as few lines
    if lo >= hi:
        return fewest
    for _ in range(24):
        mid = (lo + hi) / 2
        if len(wrap(mid)) <= len(fewest):
            hi = mid
        else:
            lo = mid
    return wrap(hi)


class DispatchPanel(QWidget):
    """Shows what will be sent where, and sends it with one click.

    The button is locked for :data:`CLICK_GUARD_MS` from the moment it is clicked, and a click within
    :data:`SETTLE_MS` of its text changing does nothing: a double click, or a click aimed at what the
    button said a moment ago, never sends twice or sends something else. Otherwise the owner
    decides with ``set_target(..., enabled)`` (a command on its way keeps it disabled).

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
        self._placeholder = ""
        self._text_changed_at = 0.0
        self._button_px = 0
        self._busy = False
        self._level = Tone.IDLE
        self._state_beside: str | None = None
        """Where the command's state is: "beside" the event, "under-event", or "under-button"."""
        self._send_texts = ("", "")
        """The send button's text, and its shorter form for a wall panel too low for the first."""
        self._state_texts = ("", "")
        """The command's state, and its shorter form."""

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
        # A click does not take the keyboard focus (Tab still reaches it): a clicked button that then
        # disables or goes passes the focus on, and the scrolling column it sits in jumped to
        # wherever the focus landed, taking the event it acts on out of sight (officer review).
        self._button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._state = QLabel(self)
        self._state.setObjectName("dispatchState")
        self._state.setWordWrap(True)
        self._state.setTextFormat(Qt.TextFormat.PlainText)

        self._actions: list[PanelAction] = []
        self._pending_actions: list[PanelAction] = []
        self._action_buttons: dict[str, ConfirmButton] = {}
        self._action_columns = 2
        self._action_grid = QGridLayout()
        self._action_grid.setContentsMargins(0, 0, 0, 0)
        self._action_grid.setColumnStretch(0, 1)
        self._action_grid.setColumnStretch(1, 1)
        self._guard = QTimer(self)
        self._guard.setSingleShot(True)
        self._guard.setInterval(CLICK_GUARD_MS)
        self._guard.timeout.connect(self._on_guard_timeout)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(ACTIONS_SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)
        self._why_not = QLabel(self)
        self._why_not.setObjectName("dispatchWhyNot")
        self._why_not.setWordWrap(True)
        self._why_not.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self._why_not.hide()

        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        self._top = QHBoxLayout()
        self._top.setContentsMargins(0, 0, 0, 0)
        self._top.addWidget(self._event, 1)
        layout.addLayout(self._top)
        layout.addWidget(self._button)
        layout.addWidget(self._state)
        layout.addLayout(self._action_grid)
        layout.addWidget(self._why_not)
        layout.addStretch(1)

        self._button.clicked.connect(self._on_button_clicked)
        self._apply_metrics()
        self.set_target("", "", False)
        self.set_command_state("", Tone.IDLE)

    # -- public API ---------------------------------------------------------------------------

    def set_target(self, event_text: str, unit_text: str, enabled: bool, short_unit: str = "") -> None:
        """Show the event and the unit the button would send.

        Args:
            event_text: One-line summary of the selected event, "" if none is selected.
            unit_text: Recommended unit, e.g. "Fire Engine 3"; "" if there is none.
            enabled: Whether dispatching is allowed now (the owner decides, e.g. False without
                a recommendation or without a connection).
            short_unit: A shorter way to say ``unit_text`` (e.g. without "another unit:"), used on a
                wall panel too low for the button's text in full; "": the same.
        """
        self._event.setText(event_text or self._placeholder or QCoreApplication.translate("DispatchPanel", "No event selected"))
        self._event.setStyleSheet(f"color: {theme.TEXT if event_text else theme.TEXT_DIM};")
        texts = tuple(
            QCoreApplication.translate("DispatchPanel", "Send {unit} →").format(unit=unit)
            if unit
            else QCoreApplication.translate("DispatchPanel", "No unit recommended")
            for unit in (unit_text, short_unit or unit_text)
        )
        if texts[0] != self._send_texts[0]:
            self._text_changed_at = time.monotonic()  # a click now was aimed at what was there before
        self._send_texts = (texts[0], texts[1])
        self._target_enabled = enabled
        self._fit_wall()
        self._update_button()

    def set_placeholder(self, text: str) -> None:
        """What the event line says when there is no target, e.g. "No open forest-fire events"."""
        self._placeholder = text

    def event_text(self) -> str:
        """The event line as shown."""
        return self._event.text()

    def set_command_state(self, text: str, level: Tone, short: str = "") -> None:
        """Show the state of the last command, in words and colour (the words carry the meaning).

        Args:
            text: State text, already translated, e.g. "Fire engine 1: Sent, awaiting confirmation".
            level: Decides the colour.
            short: A shorter form (e.g. without the unit's name), used on a wall panel too low for
                the text in full; "": the same.
        """
        self._level = level
        self._state_texts = (text, short or text)
        self._state.setVisible(bool(text))
        self._state.setStyleSheet(_STATE_STYLE[level] + " padding: 4px;")
        self._fit_wall()
        self._update_button()

    def set_actions(self, actions: Sequence[PanelAction]) -> None:
        """Show these actions under the main button, two to a row, in the given order.

        Buttons never move under the pointer: while the same actions stay, each keeps its place and
        only its text and state change. A different set of actions replaces the buttons only after
        :data:`ACTIONS_SETTLE_MS` without further change; until then the old buttons stay where
        they are, disabled, so a click aimed at them cannot land on a newcomer.
        """
        actions = list(actions)
        if actions == self._actions and not self._settle.isActive():
            return
        if [a.key for a in actions] == [a.key for a in self._actions] and not self._settle.isActive():
            self._show_actions(actions)
            return
        self._pending_actions = actions
        if not self._action_buttons:  # nothing there to be clicked by mistake: show them now
            self._on_settle_timeout()
            return
        for button in self._action_buttons.values():
            button.setEnabled(False)
        self._settle.start()

    def _on_settle_timeout(self) -> None:
        actions = self._pending_actions
        for button in self._action_buttons.values():
            self._action_grid.removeWidget(button)
            button.deleteLater()
        self._action_buttons = {}
        for a in actions:
            button = ConfirmButton(a.text, a.critical, self)
            button.setObjectName(f"action-{a.key}")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # as the send button's, for the same reason
            button.triggered.connect(lambda key=a.key: self._on_action_triggered(key))
            self._action_buttons[a.key] = button
        self._actions = []
        self._show_actions(actions)
        self._lay_out_actions()

    def _lay_out_actions(self) -> None:
        """Two actions to a row where both fit whole, else one: a button never cuts its text."""
        buttons = list(self._action_buttons.values())
        room = self.contentsRect().width()
        widest = max((b.sizeHint().width() for b in buttons), default=0)
        spacing = max(0, self._action_grid.horizontalSpacing())
        columns = 2 if 2 * widest + spacing <= room else 1
        if columns == self._action_columns and all(self._action_grid.indexOf(b) >= 0 for b in buttons):
            return
        self._action_columns = columns
        for b in buttons:
            self._action_grid.removeWidget(b)
        for i, b in enumerate(buttons):
            self._action_grid.addWidget(b, i // columns, i % columns)

    def _show_actions(self, actions: list[PanelAction]) -> None:
        for a in actions:
            button = self._action_buttons[a.key]
            button.set_action(a.text, a.critical)
            button.setEnabled(a.enabled)
            button.setToolTip(a.reason)
        self._actions = actions
        refused = [a for a in actions if not a.enabled and a.reason]
        if len(refused) > 1 and len({a.reason for a in refused}) == 1 and len(refused) == len(actions):
            reasons = [refused[0].reason]  # one reason for all (a replay, a viewer): said once
        else:
            reasons = [f"{a.text}: {a.reason}" for a in refused]
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
        """Return the button's text (as one line, however it is broken on a wall)."""
        return self._button.text().replace("\n", " ")

    def least_height(self) -> int:
        """The height the panel's content takes at its width as shown now."""
        layout = self._layout
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(self.width())
        return layout.totalMinimumSize().height()

    def command_level(self) -> Tone:
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
        set_role(self._button, TextRole.KEY if self._button_px else TextRole.SECONDARY)
        # On a wall the command's state shares the event's row: a row of height is worth more
        # there than at the desk, where it reads under the button.
        self._state_beside = None
        self._place_state()
        self._heading.setVisible(not self._button_px)
        self._apply_metrics()
        self._update_action_visibility()

    def _place_state(self) -> None:
        """At a desk the command's state reads under the button. On a wall it shares the event's
        row where both fit it on one line each (a row of height is worth more there); else it
        takes a row of its own under the event, rather than squeeze the event into a narrow
        column of three lines ("Fire alarm / · / Hill Town")."""
        beside = False
        if self._button_px and self._state.text():
            gap = self._layout.spacing() + 8  # the padding of the state's style
            need = QFontMetrics(self._event.font()).horizontalAdvance(self._event.text())
            need += QFontMetrics(self._state.font()).horizontalAdvance(self._state.text()) + gap + 16
            beside = need <= self.contentsRect().width()
        where = "beside" if beside else ("under-event" if self._button_px else "under-button")
        if where == self._state_beside:
            return
        self._state_beside = where
        self._layout.removeWidget(self._state)
        self._top.removeWidget(self._state)
        if where == "beside":
            self._top.addWidget(self._state, 0, Qt.AlignmentFlag.AlignRight)
        elif where == "under-event":
            self._layout.insertWidget(self._layout.indexOf(self._button), self._state)
        else:
            self._layout.insertWidget(self._layout.indexOf(self._button) + 1, self._state)

    def _apply_metrics(self) -> None:
        base = self.font()
        self._event.setFont(theme.scaled_font(base, 1.0 if self._button_px else 1.2, bold=True))
        button_font = theme.scaled_font(base, 1.5, bold=True)
        if self._button_px:
            button_font.setPixelSize(self._button_px)
        self._button.setFont(button_font)
        self._state.setFont(theme.scaled_font(base, 1.0 if self._button_px else 1.1))
        self._fit_wall()

    def _fit_button_text(self) -> None:
        """The button's text keeps its size (on a wall it must read from the back of the room; at
        the desk "Send another unit: Enforcement team 2 (Hill Town) →" was cut at both ends, officer
        review): one too long for the button's width is broken into as few lines as fit, balanced,
        and the button grows to hold them ("Send another unit: Fire engine 2 (Hill Town) →" takes
        three on a half-screen wall panel; two cut it on both sides)."""
        font = QFont(self._button.font())
        if self._button_px:
            font.setPixelSize(self._button_px)
            if font != self._button.font():
                self._button.setFont(font)
        fm = QFontMetrics(font)
        text = self._button.text().replace("\n", " ")
        room = self._button.width() - 2 * self._button_margin()
        shown = "\n".join(balanced_lines(text, room, fm.horizontalAdvance)) if room > 0 else text
        if shown != self._button.text():
            self._button.setText(shown)
        lines = shown.count("\n") + 1
        if self._button_px:  # on a wall, where the text is already large, just room around it
            self._button.setMinimumHeight(round(fm.height() * lines + self._button_px * 0.4))
        else:  # a tall target at a desk
            self._button.setMinimumHeight(round(fm.height() * max(2.4, lines + 0.6)))

    def _fit_wall(self) -> None:
        """Show the state and the send button in full where the panel has the height; on a wall
        panel too low for them (an event and a state of two lines each over a three-line button),
        first the state's shorter form, then the button's: every word shown is whole, never a
        line cut at the panel's bottom (officer review: "Send another unit: Fire engine 2
        (Hill Town) →" lost its last line under a two-line state)."""
        forms = [(0, 0)]
        if self._button_px:
            forms += [(1, 0), (1, 1)]
        for i, (state, send) in enumerate(forms):
            if i and self._state_texts[state] == self._state.text() and self._send_texts[send] == self.button_text():
                continue
            if self._state_texts[state] != self._state.text():
                self._state.setText(self._state_texts[state])
            if self._send_texts[send] != self.button_text():
                self._button.setText(self._send_texts[send])
            self._fit_button_text()
            self._place_state()
            if self.least_height() <= self.height():
                return

    def _button_margin(self) -> int:
        """The room the style keeps around a push button's text on each side."""
        return max(8, round((self._button_px or QFontMetrics(self._button.font()).height()) * 0.2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_wall()
        self._lay_out_actions()

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
        if (time.monotonic() - self._text_changed_at) * 1000 < SETTLE_MS:
            return
        # Lock before emitting: the second half of a double click lands on a locked button.
        self._busy = True
        self._update_button()
        self._guard.start()
        self.dispatch_requested.emit()

    def _on_guard_timeout(self) -> None:
        self._busy = False
        self._update_button()
