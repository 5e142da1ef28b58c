"""A bars panel: the sensors' bars against their limit lines (widgets/bar_gauges.py)."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.bars import BarsModel, BarsState
from widgets.bar_gauges import BarGaugesWidget


class BarsPanelView(PaintedPanelView):
    def __init__(self, model: BarsModel, title: str) -> None:
        self.model = model
        self.bars = BarGaugesWidget()
        super().__init__("bars", title, self.bars)

    def show_state(self, state: BarsState) -> None:
        lo, hi = state.scale
        if hi > lo:
            self.bars.set_scale(lo, hi)
        self.bars.set_marks(state.marks)
        self.bars.set_bars(state.bars)
