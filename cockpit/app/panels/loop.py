"""A loop panel: the closed loop's five steps by period (widgets/closed_loop.py)."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.loop import LoopModel, LoopState
from widgets.closed_loop import ClosedLoopWidget


class LoopPanelView(PaintedPanelView):
    def __init__(self, model: LoopModel, title: str) -> None:
        self.model = model
        self.loop = ClosedLoopWidget()
        super().__init__("loop", title, self.loop)

    def show_state(self, state: LoopState) -> None:
        self.loop.set_loop(state.periods, state.steps, state.late_total, state.empty)
