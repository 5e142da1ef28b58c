"""A dispatch panel: the target event, one big send button, the command's state and the actions."""

from __future__ import annotations

from cockpit.app.panels.base import PanelFrame
from cockpit.present.panels.dispatch import DispatchModel, DispatchState
from cockpit.present.wall_layout import WallType
from widgets.dispatch_button import DispatchPanel


class DispatchPanelView(PanelFrame):
    """Shows a :class:`DispatchModel`; the panel's signals are connected by the wiring."""

    def __init__(self, model: DispatchModel, title: str) -> None:
        self.model = model
        self.panel = DispatchPanel()
        super().__init__("dispatch", title, self.panel)

    def apply_wall_type(self, sizes: WallType) -> None:
        # The send button's text is the key element; the rest is secondary.
        super().apply_wall_type(sizes)
        self.panel.set_button_text_px(sizes.key_px)

    def content_min_height(self, width: int) -> int:
        # The event's row, the command's state in a row of its own and a send button of two lines
        # of key type: what the panel's shorter forms need (widgets/dispatch_button.py _fit_wall).
        if self.wall_sizes is None:
            return 0
        sec, key = self.wall_sizes.secondary_px, self.wall_sizes.key_px
        return round(2 * sec * 1.45 + 2 * key * 1.45 + key * 0.4 + sec * 0.9)

    def show_state(self, state: DispatchState) -> None:
        self.panel.set_placeholder("" if state.event_id else state.event_text)
        self.panel.set_target(
            state.event_text if state.event_id else "", state.unit_text, state.send_enabled, state.unit_short
        )
        self.panel.set_command_state(state.state_text, state.tone, state.state_short)
        self.panel.set_actions(state.actions)
