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

    def show_state(self, state: DispatchState) -> None:
        self.panel.set_placeholder("" if state.event_id else state.event_text)
        self.panel.set_target(state.event_text if state.event_id else "", state.unit_text, state.send_enabled)
        self.panel.set_command_state(state.state_text, state.tone)
        self.panel.set_actions(state.actions)
