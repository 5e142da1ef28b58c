"""A history panel: days of the sensors' values, spans out of range marked (widgets/history_chart.py)."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.history import HistoryModel, HistoryState
from widgets.history_chart import HistoryChartWidget


class HistoryPanelView(PaintedPanelView):
    def __init__(self, model: HistoryModel, title: str) -> None:
        self.model = model
        self.chart = HistoryChartWidget()
        super().__init__("history", title, self.chart)

    def show_state(self, state: HistoryState) -> None:
        self.chart.set_history(state.days, state.marks, state.curves, state.spans, state.ticks, state.now_text, state.empty)
