"""A tiles or indicator panel: vital-sign tiles on a grid that reflows to fit its panel."""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QGridLayout, QWidget

from cockpit.app.panels.base import PanelFrame
from cockpit.present.panels.tiles import TilesModel, TilesState
from cockpit.present.wall_layout import WallType
from widgets.vital_tile import VitalSignTile

log = logging.getLogger(__name__)


class TilesPanelView(PanelFrame):
    def __init__(self, model: TilesModel, title: str) -> None:
        self.model = model
        host = QWidget()
        super().__init__(model.spec.kind.value, title, host)
        grid = self.grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        n = len(model.tiles)
        self.host = host
        self.columns = model.spec.columns or (1 if n == 1 else 2 if n <= 4 else 3)
        self.tiles = [VitalSignTile() for _ in range(n)]
        self.shown = n
        """How many tiles fit the panel (the rest are left out, first ones first; see _reflow)."""
        self._typed = False
        self._layout_key: tuple[object, ...] = ()
        for i, tile in enumerate(self.tiles):
            tile.setMinimumSize(120, 60)
            grid.addWidget(tile, i // self.columns, i % self.columns)
        host.installEventFilter(self)

    def apply_wall_type(self, sizes: WallType) -> None:
        # Values are key elements; titles, units and states are secondary.
        super().apply_wall_type(sizes)
        self.grid.setSpacing(max(6, round(sizes.secondary_px * 0.3)))
        for tile in self.tiles:
            tile.set_type_sizes(sizes.key_px, sizes.secondary_px)
            tile.setMinimumSize(0, 0)
        self._typed = True
        self._reflow()

    def content_min_height(self, width: int) -> int:
        return math.ceil(self.tiles[0].typed_height(width)) if self.tiles else 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self._reflow()
        return False

    def _reflow(self) -> None:
        """Wall type: the most tiles that fit the panel whole, in the fewest columns that hold
        them (a column of wide tiles reads best). Tiles that do not fit are left out, the last
        first, and the log says so: their text would otherwise be cut."""
        if not self._typed:
            return
        w, h = self.host.width(), self.host.height()
        gap = self.grid.spacing()
        # Values count by their shape ("88.88"), not their digits: a new reading of the same length
        # changes nothing, a longer one may move a state under its value.
        shapes = tuple("".join("8" if c.isdigit() else c for c in t.value_text()) for t in self.tiles)
        key = (w, h, gap, tuple(t.title_text() for t in self.tiles), shapes)
        if key == self._layout_key or w <= 0 or h <= 0:
            return
        self._layout_key = key
        n = len(self.tiles)
        best: tuple[int, int] = (0, 1)
        asked = self.model.spec.columns
        for shown in range(n, 0, -1):
            # The file's columns first, if it names them; then the fewest that hold the tiles.
            for columns in ([asked] if asked else []) + [c for c in range(1, shown + 1) if c != asked]:
                width = (w - gap * (columns - 1)) / columns
                rows = math.ceil(shown / columns)
                tiles = self.tiles[:shown]
                if any(t.typed_width() > width for t in tiles):
                    continue
                need = max(t.typed_height(width) for t in tiles)
                if rows * need + gap * (rows - 1) <= h:
                    best = (shown, columns)
                    break
            if best[0]:
                break
        shown, columns = best if best[0] else (1, 1)  # not even one fits: the self-check says so
        if shown < n and shown != self.shown:
            log.warning(
                "tiles panel %r shows %d of its %d sensors: the rest do not fit at this type size",
                self.base_title,
                shown,
                n,
            )
        if (shown, columns) == (self.shown, self.columns) and self.grid.count() == shown:
            return
        self.shown, self.columns = shown, columns
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.setVisible(False)
        for i, tile in enumerate(self.tiles[:shown]):
            self.grid.addWidget(tile, i // columns, i % columns)
            tile.setVisible(True)

    def show_state(self, state: TilesState) -> None:
        if state.bindings is not None:
            for tile, b in zip(self.tiles, state.bindings, strict=True):
                tile.set_title(b.title)
                tile.set_unit(b.unit, b.decimals)
                tile.set_limit_lines(b.limits)
            self._reflow()
        if state.readings is not None:
            for tile, r in zip(self.tiles, state.readings, strict=True):
                tile.set_reading(r.value, r.age_s, r.level, r.low, r.paused)
            self._reflow()  # a first value, or a longer one, may need more room than "—" did
        if state.histories is not None:
            for tile, h in zip(self.tiles, state.histories, strict=True):
                if h is not None:
                    tile.set_history(h)
