"""A trend panel: the series a selector names against their labelled limits, drawn for the wall
(:class:`~widgets.trend_chart.TrendChart`: few ticks, large labels, each limit on its own row)."""

from __future__ import annotations

from cockpit.app.panels.base import PanelFrame
from cockpit.present.panels.trend import TREND_WINDOW_S, TrendModel, TrendState
from cockpit.present.wall_layout import WallType
from widgets.trend_chart import Limit, TrendChart


class TrendPanelView(PanelFrame):
    def __init__(self, model: TrendModel, title: str) -> None:
        self.model = model
        self.chart = TrendChart(TREND_WINDOW_S)
        self.chart.setObjectName("trendChart")
        super().__init__("trend", title, self.chart)

    def apply_wall_type(self, sizes: WallType) -> None:
        super().apply_wall_type(sizes)
        self.chart.set_type_size(sizes.secondary_px)

    def content_min_height(self, width: int) -> int:
        # The legend (one or two rows at this width), a plot a line and a half high, the time labels.
        return round(self.chart.least_height(width)) if self.wall_sizes else 0

    def set_current(self, current: bool, as_of: str) -> None:
        super().set_current(current, as_of)
        self.chart.set_dim(not current)

    def show_state(self, state: TrendState) -> None:
        if state.binding is not None:
            b = state.binding
            limits = [Limit(lim.value, lim.label, lim.alarm) for lim in b.limits]
            self.chart.set_series(b.names, b.unit, limits, b.heading)
        if state.end is not None:
            self.chart.set_end_label(*state.end)
        if state.series is not None:
            self.chart.set_data(state.series)
