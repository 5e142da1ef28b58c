"""A ``video`` panel of a runway, with no Qt: its grid, pages, slots and tiles (docs/video.md).

One camera, or a 2×2, 3×3 or 4×4 grid with pages. :class:`VideoPanelModel` keeps its
:class:`~cockpit.video.slots.VideoSlots` up to date from the situation once per wall frame (the
catalog gives the default cameras, new alarms bring theirs by the panel's rule) and puts the
current page's cameras on its tiles in :class:`~cockpit.video.tiles.VideoTiles`. Each change of a
slot comes back as a :class:`~cockpit.record.video.VideoSlot` for the recorder. In a replay the
recorded slots are shown instead (:meth:`VideoPanelModel.show_recorded`): the camera's name, its
video not recorded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cockpit.model.situation import CameraRecord, ChangeSet, Situation
from cockpit.protocol.messages import Stream
from cockpit.record.video import VideoSlot
from cockpit.video.slots import SlotWhy, VideoRule, VideoSlots
from cockpit.video.tiles import VideoTiles

GRIDS = (1, 2, 3, 4)
MAX_PAGES = 8


@dataclass(frozen=True, slots=True)
class VideoPanelConfig:
    """What a runway file says about a video panel."""

    panel_id: str
    grid: int = 1
    """1: one camera; 2, 3, 4: a grid of that many rows and columns."""
    themes: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    cameras: tuple[str, ...] = ()
    """Default cameras by id, in this order; empty: every camera of the themes and districts."""
    rule: VideoRule | None = None
    """Which alarms bring their cameras into the panel; None: none do."""

    def __post_init__(self) -> None:
        if self.grid not in GRIDS:
            raise ValueError(f"a video grid is 1, 2, 3 or 4 cameras a side, not {self.grid}")

    def selects(self, cam: CameraRecord) -> bool:
        if self.cameras:
            return cam.id in self.cameras
        return (not self.themes or cam.theme in self.themes) and (
            not self.districts or cam.district in self.districts
        )


class VideoPanelModel:
    """One video panel.

    Args:
        config: From the runway file.
        tiles: The wall's camera tiles (shared by every video panel of the wall).
    """

    def __init__(self, config: VideoPanelConfig, tiles: VideoTiles) -> None:
        self.config = config
        self.tiles = tiles
        self.per_page = config.grid * config.grid
        self.slots = VideoSlots(self.per_page * MAX_PAGES, config.rule)
        self.page = 0
        self._cameras: Mapping[str, CameraRecord] = {}

    @property
    def tile_keys(self) -> list[str]:
        return [f"{self.config.panel_id}/{i}" for i in range(self.per_page)]

    @property
    def pages(self) -> int:
        used = max((i for i, e in enumerate(self.slots.entries) if e.camera_id), default=-1) + 1
        return max(1, math.ceil(used / self.per_page))

    # ------------------------------------------------------------------------------ per frame

    def update(self, situation: Situation, changes: ChangeSet, now_ms: int) -> list[VideoSlot]:
        """Take the frame's changes; returns the slot changes to record."""
        self._cameras = situation.cameras
        if changes.cameras or Stream.CAMERAS in changes.replaced or not self.slots.defaults:
            order = [c for c in self.config.cameras if c in situation.cameras] if self.config.cameras else []
            if not order:
                order = sorted(c.id for c in situation.cameras.values() if self.config.selects(c))
            self.slots.set_defaults(order, now_ms)
        if changes.events:
            self.slots.on_events(
                (situation.events[e] for e in changes.events if e in situation.events), now_ms
            )
        self.page = min(self.page, self.pages - 1)
        self._show_page()
        return [self._record(c.slot, c.camera_id, c.why.value, c.event_id) for c in self.slots.take_changes()]

    # ------------------------------------------------------------------------------ intents

    def set_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        self._show_page()

    def next_page(self) -> None:
        self.set_page((self.page + 1) % self.pages)

    def pin(self, tile: int, camera_id: str, now_ms: int) -> list[VideoSlot]:
        """The console pins ``camera_id`` to tile ``tile`` of the page shown; the slot changes."""
        self.slots.pin(self.page * self.per_page + tile, camera_id, now_ms)
        self._show_page()
        return [self._record(c.slot, c.camera_id, c.why.value, c.event_id) for c in self.slots.take_changes()]

    def unpin(self, tile: int, now_ms: int) -> list[VideoSlot]:
        self.slots.unpin(self.page * self.per_page + tile, now_ms)
        self._show_page()
        return [self._record(c.slot, c.camera_id, c.why.value, c.event_id) for c in self.slots.take_changes()]

    def why(self, tile: int) -> SlotWhy:
        entries = self.slots.page(self.page, self.per_page)
        return entries[tile].why if tile < len(entries) else SlotWhy.EMPTY

    # ------------------------------------------------------------------------------ replay

    def show_recorded(
        self, recorded: Mapping[tuple[str, int], VideoSlot], cameras: Mapping[str, CameraRecord]
    ) -> None:
        """Show what a recording says was on this panel's slots (tiles' pool is None: not decoded)."""
        start = self.page * self.per_page
        for i, key in enumerate(self.tile_keys):
            rec = recorded.get((self.config.panel_id, start + i))
            cam = None
            if rec is not None and rec.camera:
                cam = cameras.get(rec.camera) or _named(rec)
            self.tiles.set_camera(key, cam)

    # ------------------------------------------------------------------------------ internals

    def _show_page(self) -> None:
        entries = self.slots.page(self.page, self.per_page)
        for i, key in enumerate(self.tile_keys):
            cid = entries[i].camera_id if i < len(entries) else None
            self.tiles.set_camera(key, self._cameras.get(cid) if cid else None)

    def _record(self, slot: int, camera_id: str | None, why: str, event_id: str) -> VideoSlot:
        cam = self._cameras.get(camera_id) if camera_id else None
        return VideoSlot(
            panel=self.config.panel_id,
            slot=slot,
            camera=camera_id or "",
            name=cam.name_in("en") if cam is not None else "",
            why=why,
            event=event_id,
        )


def _named(rec: VideoSlot) -> CameraRecord:
    """A stand-in catalog entry for a recorded camera the replay's catalog does not have."""
    return CameraRecord(
        rec.camera, rec.name or rec.camera, (), 0.0, 0.0, "", "", "", "", "", "h264", (), "fixed"
    )
