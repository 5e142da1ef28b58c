"""The console's drawing panel (标绘): the palette and actions beside a map like the wall's, with the
plots, the officer's own changes and the drawing tool on it. It shows states; the wiring connects
its signals to the view-model's intents."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from cockpit.app.panels.map import MapPanelView
from cockpit.app.site_map import SiteMap
from cockpit.present.panels.map import MapState
from cockpit.present.panels.plotting import PlottingModel, PlottingState
from widgets.plot_controls import PlotControls
from widgets.plot_tool import PlotTool


class PlottingPanelView(QWidget):
    """Args:
    model: The drawing panel's view-model.
    site_map: The site's map data (the layers drawn under the drawings, in the wall's language).
    not_live: The words for a map whose data is not current.
    """

    def __init__(self, model: PlottingModel, site_map: SiteMap, not_live: str) -> None:
        super().__init__()
        self.setObjectName("plotting")
        self.model = model
        layout = QHBoxLayout(self)
        self.controls = PlotControls()
        layout.addWidget(self.controls, 2)
        self.map_panel = MapPanelView(model.map, "", site_map, None, not_live)
        self.map = self.map_panel.map
        self.plots = self.map_panel.plots
        self.tool = PlotTool(self.map)
        self.tool.symbol_anchor = self.plots.anchor_at  # a click on a pennant picks its command post
        layout.addWidget(self.map_panel, 5)

    def show_map(self, state: MapState | None) -> None:
        self.map_panel.show_state(state)

    def show_state(self, state: PlottingState) -> None:
        c = self.controls
        c.set_palette(state.palette, state.chosen)
        c.set_state(
            state.heading, state.why_not, state.notice, state.label,
            can_finish=state.can_finish, can_delete=state.can_delete, can_undo=state.can_undo,
            can_redo=state.can_redo, can_trace=state.can_trace, can_export=state.can_export,
        )  # fmt: skip
        c.set_drafts(state.drafts)
        self.plots.set_shapes(state.shapes)
        self.tool.set_enabled(not state.why_not)
        self.tool.set_drawing(state.drawing)
        self.tool.set_handles(state.handles)
        if state.focus is not None:  # the event drawn for changed: show it (and keep it on a resize)
            self.map_panel.center = state.focus
            self.map.set_view(*state.focus)
