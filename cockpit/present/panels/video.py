"""A ``video`` panel: one camera or a grid with pages, alarm-linked by the runway file's rule, pins
from the console; in a replay, the recorded cameras by name, "video not recorded" (docs/video.md).

The frames themselves do not pass through here: the app's binder puts each tile's newest frame on
its widget once per wall frame (cockpit/app/video_binder.py). This model says which camera each
tile has, which page is shown, and what changed for the recorder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.runway_spec import Panel
from cockpit.record.video import VideoSlot
from cockpit.video.panel import VideoPanelConfig, VideoPanelModel
from cockpit.video.slots import SlotWhy, VideoRule
from cockpit.video.tiles import VideoTiles


@dataclass(frozen=True, slots=True)
class CameraChoice:
    """A camera the officer can pin to a tile (the tile's menu)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class VideoState:
    page: int
    pages: int
    why: tuple[SlotWhy, ...]
    """Why each tile of the page shows its camera (pinned, alarm, default)."""
    choices: tuple[CameraChoice, ...]


def config_of(spec: Panel, panel_id: str) -> VideoPanelConfig:
    v = spec.video
    if v is None:
        return VideoPanelConfig(panel_id)
    rule = None
    if v.alarms is not None:
        a = v.alarms
        rule = VideoRule(tuple(a.themes), tuple(a.types), tuple(a.districts), a.max_severity, a.cameras)
    return VideoPanelConfig(panel_id, v.grid, tuple(v.themes), tuple(v.districts), tuple(v.cameras), rule)


class VideoModel:
    """A video panel's view-model.

    Args:
        spec: The runway file's panel.
        ctx: Shared presentation state (its ``video`` holds the wall's tiles).
        panel_id: Unique on the wall, e.g. ``flood/video-0``; recordings name slots by it.
    """

    def __init__(self, spec: Panel, ctx: Context, panel_id: str) -> None:
        self.spec = spec
        self.ctx = ctx
        tiles = ctx.video if ctx.video is not None else VideoTiles(None, ctx.lang)
        self.panel = VideoPanelModel(config_of(spec, panel_id), tiles)
        self.recorded: Mapping[tuple[str, int], VideoSlot] | None = None
        """Set by a replay (attributes down): the slots as recorded; nothing is decoded."""
        self.slot_changes: list[VideoSlot] = []
        """Changes since the recorder last took them (:meth:`take_slot_changes`)."""
        self._last: VideoState | None = None
        self._dirty = True

    @property
    def tile_keys(self) -> list[str]:
        return self.panel.tile_keys

    def update(self, situation: Situation, frame: Frame) -> VideoState | None:
        if self.recorded is not None:
            self.panel.show_recorded(self.recorded, situation.cameras)
        else:
            self.slot_changes += self.panel.update(situation, frame.changes, frame.server_now_ms)
        if frame.changes.cameras or frame.changes.replaced:
            self._dirty = True
        if not self._dirty and self._last is not None and self._last.page == self.panel.page:
            return None
        self._dirty = False
        names = sorted((c.name_in(self.ctx.lang), c.id) for c in situation.cameras.values())
        state = VideoState(
            self.panel.page,
            self.panel.pages,
            tuple(self.panel.why(i) for i in range(self.panel.per_page)),
            tuple(CameraChoice(cid, name) for name, cid in names),
        )
        if state == self._last:
            return None
        self._last = state
        return state

    # ------------------------------------------------------------------------------ intents

    def next_page(self) -> None:
        self.panel.next_page()
        self._dirty = True

    def pin(self, tile: int, camera_id: str, now_ms: int) -> list[VideoSlot]:
        """The officer pins a camera to a tile; the slot changes (also kept for the recorder)."""
        changes = self.panel.pin(tile, camera_id, now_ms)
        self.slot_changes += changes
        self._dirty = True
        return changes

    def unpin(self, tile: int, now_ms: int) -> list[VideoSlot]:
        changes = self.panel.unpin(tile, now_ms)
        self.slot_changes += changes
        self._dirty = True
        return changes

    def take_slot_changes(self) -> list[VideoSlot]:
        out, self.slot_changes = self.slot_changes, []
        return out

    def current_slots(self) -> list[VideoSlot]:
        """Every slot showing a camera now (for the recording's state snapshots)."""
        out = []
        for i, e in enumerate(self.panel.slots.entries):
            if e.camera_id:
                out.append(
                    VideoSlot(
                        panel=self.panel.config.panel_id,
                        slot=i,
                        camera=e.camera_id,
                        why=e.why.value,
                        event=e.event_id,
                    )
                )
        return out
