"""A trend panel: pyqtgraph curves, downsampled and clipped to view, with labelled limit lines."""

from __future__ import annotations

import html
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem, QLabel, QVBoxLayout

from cockpit.app.panels.base import PanelFrame
from cockpit.present.panels.trend import TREND_WINDOW_S, TrendBinding, TrendModel, TrendState
from cockpit.present.wall_layout import WallType
from widgets import theme

TREND_COLOURS = ("#c9ced6", "#7fa7c9", "#b9a36a", "#8fb39a", "#b48aa8", "#8a9099")


class TrendPanelView(PanelFrame):
    def __init__(self, model: TrendModel, title: str, seconds_ago: str) -> None:
        self.model = model
        self.plot = pg.PlotWidget(background=theme.BG_PANEL)
        super().__init__("trend", title, self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        # The series are named above the plot, not in a legend over it: on a low wall panel a
        # legend inside the plot covers the very curves it names.
        self.legend = QLabel()
        self.legend.setObjectName("trendLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.plot.getAxis("bottom").setLabel(seconds_ago)
        # Each new point repaints the plot, and the axes replayed their tick labels each time: Qt
        # keeps them as pixmaps instead, redrawn only when the ticks change.
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.legend_px = 16
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, self.legend)
        self.curves: list[Any] = []
        self.lines: list[Any] = []

    def apply_wall_type(self, sizes: WallType) -> None:
        super().apply_wall_type(sizes)
        px = sizes.secondary_px * 2
        font = QFont(self.font())
        font.setPixelSize(sizes.secondary_px)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)
        self.legend_px = round(px * 0.5)
        self._relabel()

    def _relabel(self) -> None:
        cached = QGraphicsItem.CacheMode.DeviceCoordinateCache  # text laid out once, as for the axes
        font = QFont(self.font())
        font.setPixelSize(self.legend_px)
        for line in self.lines:
            line.label.setFont(font)
            line.label.textItem.setCacheMode(cached)

    def show_state(self, state: TrendState) -> None:
        if state.binding is not None:
            self._bind(state.binding)
        if state.series is not None:
            for curve, (t, y) in zip(self.curves, state.series, strict=False):
                curve.setData(t, y, connect="finite")

    def _bind(self, b: TrendBinding) -> None:
        self.plot.clear()
        self.curves, self.lines = [], []
        names = []
        for i, name in enumerate(b.names):
            colour = TREND_COLOURS[i % len(TREND_COLOURS)]
            names.append(f'<span style="color:{colour}">━━ {html.escape(name)}</span>')
            curve = self.plot.plot([], [], pen=pg.mkPen(colour, width=3))
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves.append(curve)
        for lim in b.limits:
            colour = theme.SEVERITY_RED if lim.alarm else theme.SEVERITY_YELLOW
            # High limits label below their line, low ones above: never clipped by the plot's edge.
            anchor = (1, 1) if lim.low else (1, 0)
            line = pg.InfiniteLine(
                pos=lim.value,
                angle=0,
                pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                label=lim.label,
                labelOpts={
                    "position": 0.97,
                    "color": colour,
                    "anchors": [anchor, anchor],
                    "fill": pg.mkBrush(QColor(theme.BG_PANEL)),  # readable over the curves
                },
            )
            self.plot.addItem(line)
            self.lines.append(line)
        self.legend.setText("&nbsp;&nbsp; ".join(names))
        # A fixed window: moving the range every second repaints both axes (the costliest paint
        # on the wall in a py-spy profile of bench/latency.py).
        self.plot.setXRange(-TREND_WINDOW_S, 0, padding=0.02)
        self._relabel()
