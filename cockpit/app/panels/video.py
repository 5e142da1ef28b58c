"""A video panel: camera tiles on a grid, a page button, and a menu on each tile to pin a camera.

Frames reach the tiles through the wall's :class:`~cockpit.app.video_binder.VideoTileBinder`; this
view shows the panel's :class:`~cockpit.present.panels.video.VideoState` (page, why each tile shows
its camera) and says what the officer asked for. Connected in cockpit/app/wiring.py.

Signals:
    pin_requested(int, str): Pin camera (id) to tile (index on the page shown).
    unpin_requested(int): Let the tile's slot follow the rules again.
    next_page_requested(): Show the next page (from a tile's menu).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QMenu, QVBoxLayout, QWidget

from cockpit.app.panels.base import PanelFrame
from cockpit.present.panels.video import VideoModel, VideoState
from cockpit.present.wall_layout import WallType
from cockpit.video.slots import SlotWhy
from widgets.video_tile import VideoTileWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("VideoPanel", text)


class VideoPanelView(PanelFrame):
    pin_requested = Signal(int, str)
    unpin_requested = Signal(int)
    next_page_requested = Signal()

    def __init__(self, model: VideoModel, title: str) -> None:
        self.model = model
        host = QWidget()
        super().__init__(model.spec.kind.value, title, host)
        self.video_title = title
        outer = QVBoxLayout(host)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        n = model.panel.config.grid
        self.tiles = [VideoTileWidget() for _ in range(n * n)]
        for i, tile in enumerate(self.tiles):
            tile.setMinimumSize(80, 45)
            tile.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            grid.addWidget(tile, i // n, i % n)
        outer.addLayout(grid, 1)
        self._state: VideoState | None = None

    def apply_wall_type(self, sizes: WallType) -> None:
        # A tile's state ("NO SIGNAL"), its camera's name and the frame's age are secondary text.
        super().apply_wall_type(sizes)
        for tile in self.tiles:
            tile.set_type_sizes(sizes.key_px, sizes.secondary_px)

    def tile_menu(self, index: int, at: QPoint) -> None:
        """The officer's menu on a tile: pin any camera of the catalog to it, or unpin it."""
        state = self._state
        if state is None:
            return
        menu = QMenu(self)
        if state.pages > 1:
            menu.addAction(tr("Next page"), self.next_page_requested.emit)
        pinned = index < len(state.why) and state.why[index] is SlotWhy.PINNED
        if pinned:
            menu.addAction(tr("Unpin (follow alarms and defaults)"), lambda: self.unpin_requested.emit(index))
            menu.addSeparator()
        pin = menu.addMenu(tr("Pin camera to this tile"))
        for choice in state.choices:
            pin.addAction(choice.name, self._pinner(index, choice.id))
        menu.popup(self.tiles[index].mapToGlobal(at))

    def _pinner(self, index: int, camera_id: str) -> Callable[[], None]:
        return lambda: self.pin_requested.emit(index, camera_id)

    def show_state(self, state: VideoState) -> None:
        """Page and why the tiles show what they show go in the title: every pixel of height is
        the picture's."""
        self._state = state
        parts = [self.video_title]
        alarms = sum(1 for w in state.why if w is SlotWhy.ALARM)
        pins = sum(1 for w in state.why if w is SlotWhy.PINNED)
        if alarms:
            parts.append(tr("{n} by alarm").format(n=alarms))
        if pins:
            parts.append(tr("{n} pinned").format(n=pins))
        if state.pages > 1:
            parts.append(tr("page {n} of {total}").format(n=state.page + 1, total=state.pages))
        self.base_title = " · ".join(p for p in parts if p)
        self.set_current(self._current, "")
