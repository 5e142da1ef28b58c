"""What each video tile shows, worked out once per wall frame, with no Qt (docs/video.md).

:class:`VideoTiles` is the view-model of a wall's camera tiles. The app tells it which camera each
tile has (:meth:`~VideoTiles.set_camera`), each tile's size and whether it is on a screen
(:meth:`~VideoTiles.set_geometry`); once per wall frame :meth:`~VideoTiles.frame` polls the
:class:`~cockpit.video.pool.DecoderPool`, takes the newest frame of each visible tile and returns a
:class:`TileView` per tile. It alone decides what is decoded: a tile off screen decodes nothing, a
small tile the camera's sub stream, a large one its main stream (:func:`stream_for`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cockpit.model.situation import CameraRecord
from cockpit.video.health import REASON_TEXT, Health, HealthView, Reason, reason_and_detail
from cockpit.video.pool import DecoderPool
from cockpit.video.urls import StreamKind

MAIN_ABOVE_WIDTH = 800
"""A tile wider than this decodes the main stream: a 640×360 sub stream would be scaled up."""


def stream_for(camera: CameraRecord, width: int) -> tuple[StreamKind, str]:
    """Which of the camera's streams a tile ``width`` pixels wide decodes, and its URL."""
    if width > MAIN_ABOVE_WIDTH or not camera.sub_url:
        return StreamKind.MAIN, camera.main_url
    return StreamKind.SUB, camera.sub_url


def age_text(age_s: float | None) -> str:
    """The age of a frame as a tile shows it: tenths under 10 s, then whole seconds and minutes."""
    if age_s is None or math.isnan(age_s):
        return ""
    if age_s < 10:
        return f"{age_s:.1f} s"
    if age_s < 120:
        return f"{age_s:.0f} s"
    return f"{age_s / 60:.0f} min"


@dataclass(frozen=True, slots=True)
class TileView:
    """One tile at one wall frame."""

    camera_id: str
    caption: str
    health: Health
    reason: Reason = Reason.NONE
    detail: str = ""
    age_s: float | None = None
    image: np.ndarray | None = None
    """A new frame to draw (BGRA); None: keep the one shown."""
    stream: StreamKind | None = None
    decode_errors: int = 0
    recorded: bool = True
    """False in a replay: the slot's camera is known, its video was not recorded."""
    still_s: float | None = None
    """How long the picture has not changed."""

    @property
    def reason_text(self) -> str:
        return REASON_TEXT[self.reason]


@dataclass(slots=True)
class _Tile:
    camera: CameraRecord | None = None
    width: int = 0
    height: int = 0
    on_screen: bool = False
    decoding: str = ""
    """The URL being decoded for it ("": nothing)."""
    stream: StreamKind | None = None


class VideoTiles:
    """The camera tiles of a wall and what each decodes.

    Args:
        pool: The decoders; None in a replay (video is not recorded: nothing is decoded).
        lang: Camera names in this language where the catalog has it.
    """

    def __init__(self, pool: DecoderPool | None, lang: str = "en") -> None:
        self.pool = pool
        self.lang = lang
        self._tiles: dict[str, _Tile] = {}
        self._opened_size: dict[str, tuple[int, int]] = {}
        self._errors_told: dict[str, int] = {}
        self.console: list[tuple[str, str]] = []
        """(camera name, what happened) since the last :meth:`take_console`: for the console."""

    def set_camera(self, tile: str, camera: CameraRecord | None) -> None:
        """Put ``camera`` on ``tile`` (None empties it)."""
        t = self._tiles.setdefault(tile, _Tile())
        if t.camera != camera:
            t.camera = camera
            self._sync(tile, t)

    def set_geometry(self, tile: str, width: int, height: int, on_screen: bool) -> None:
        """The tile's drawable size and whether any of it is on a screen."""
        t = self._tiles.setdefault(tile, _Tile())
        if (t.width, t.height, t.on_screen) != (width, height, on_screen):
            t.width, t.height, t.on_screen = width, height, on_screen
            self._sync(tile, t)

    def remove(self, tile: str) -> None:
        t = self._tiles.pop(tile, None)
        if t is not None and t.decoding and self.pool is not None:
            self.pool.close(tile)

    def camera_of(self, tile: str) -> CameraRecord | None:
        t = self._tiles.get(tile)
        return t.camera if t is not None else None

    def decoding(self) -> dict[str, StreamKind]:
        """Tiles being decoded now, and which stream."""
        return {k: t.stream for k, t in self._tiles.items() if t.decoding and t.stream is not None}

    def take_console(self) -> list[tuple[str, str]]:
        out, self.console = self.console, []
        return out

    def frame(self, now: float | None = None) -> dict[str, TileView]:
        """Once per wall frame: every tile's view, with a new image where one was decoded."""
        pool = self.pool
        changed = pool.poll(now) if pool is not None else {}
        views: dict[str, TileView] = {}
        for key, t in self._tiles.items():
            cam = t.camera
            if cam is None:
                views[key] = TileView("", "", Health.OFF)
                continue
            caption = cam.name_in(self.lang)
            if pool is None:
                views[key] = TileView(cam.id, caption, Health.OFF, recorded=False)
                continue
            if not t.decoding:
                views[key] = TileView(cam.id, caption, Health.OFF)
                continue
            hv = pool.health(key)
            if key in changed:
                self._note(caption, changed[key])
            if hv.decode_errors > self._errors_told.get(key, 0):
                self._errors_told[key] = hv.decode_errors
                self.console.append((caption, f"{hv.decode_errors} decode errors so far"))
            frame = pool.take(key)
            views[key] = TileView(
                cam.id,
                caption,
                hv.health,
                hv.reason,
                hv.detail,
                hv.age_s,
                frame.image if frame is not None else None,
                t.stream,
                hv.decode_errors,
                still_s=hv.still_s,
            )
        return views

    def close(self) -> None:
        for key in list(self._tiles):
            self.remove(key)

    # ------------------------------------------------------------------------------ internals

    def _sync(self, key: str, t: _Tile) -> None:
        """Open, reopen or close the tile's decoder for its camera, size and visibility."""
        if self.pool is None:
            return
        cam = t.camera
        want = cam is not None and t.on_screen and t.width > 0 and t.height > 0
        if not want or cam is None:
            if t.decoding:
                self.pool.close(key)
                t.decoding, t.stream = "", None
            return
        kind, url = stream_for(cam, t.width)
        # Reopen for another camera or stream, or when the tile grew or shrank by more than a
        # tenth: frames are scaled to the tile in the worker, so the GUI draws them 1:1.
        size = (t.width, t.height)
        if t.decoding == url and t.stream == kind and self._close_enough(key, size):
            return
        self.pool.open(
            key,
            url,
            box=size,
            credential=cam.credential,
            codec=cam.codec,
            main=kind is StreamKind.MAIN,
            label=f"{cam.name_in('en')} ({cam.id}/{kind.value})",
        )
        self._opened_size[key] = size
        t.decoding, t.stream = url, kind

    def _close_enough(self, key: str, size: tuple[int, int]) -> bool:
        old = self._opened_size.get(key)
        return (
            old is not None
            and abs(old[0] - size[0]) <= old[0] // 10
            and abs(old[1] - size[1]) <= old[1] // 10
        )

    def _note(self, caption: str, view: HealthView) -> None:
        if view.health is Health.NO_SIGNAL:
            text = f"no signal ({REASON_TEXT[view.reason] or 'no new frame'}), reconnecting"
        elif view.health is Health.FROZEN:
            text = "picture frozen"
        elif view.health is Health.UNREACHABLE:
            text = f"unreachable: {reason_and_detail(view.reason, view.detail)}"
        elif view.health is Health.LIVE:
            text = "live"
        else:
            return
        self.console.append((caption, text))
