"""A tiles or indicator panel: vital-sign tiles on a grid."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from cockpit.app.panels.base import PanelFrame
from cockpit.present.panels.tiles import TilesModel, TilesState
from cockpit.present.wall_layout import WallType
from widgets.vital_tile import VitalSignTile


class TilesPanelView(PanelFrame):
    def __init__(self, model: TilesModel, title: str) -> None:
        self.model = model
        host = QWidget()
        super().__init__(model.spec.kind.value, title, host)
        grid = self.grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        n = len(model.tiles)
        columns = model.spec.columns or (1 if n == 1 else 2 if n <= 4 else 3)
        self.tiles = [VitalSignTile() for _ in range(n)]
        for i, tile in enumerate(self.tiles):
            tile.setMinimumSize(120, 60)
            grid.addWidget(tile, i // columns, i % columns)

    def apply_wall_type(self, sizes: WallType) -> None:
        # Values are key elements; titles, units and states are secondary.
        super().apply_wall_type(sizes)
        self.grid.setSpacing(max(6, round(sizes.secondary_px * 0.3)))
        for tile in self.tiles:
            tile.set_type_sizes(sizes.key_px, sizes.secondary_px)

    def show_state(self, state: TilesState) -> None:
        if state.bindings is not None:
            for tile, b in zip(self.tiles, state.bindings, strict=True):
                tile.set_title(b.title)
                tile.set_unit(b.unit, b.decimals)
                tile.set_limit_lines(b.limits)
        if state.readings is not None:
            for tile, r in zip(self.tiles, state.readings, strict=True):
                tile.set_reading(r.value, r.age_s, r.level, r.low)
        if state.histories is not None:
            for tile, h in zip(self.tiles, state.histories, strict=True):
                if h is not None:
                    tile.set_history(h)
