"""Binds the camera tiles' view-model (:class:`cockpit.video.tiles.VideoTiles`) to tile widgets.

Once per wall frame :meth:`VideoTileBinder.frame` reads each tile's size and whether it is on a
screen, lets the view-model decide what to decode, and puts each tile's view on its widget: the new
frame if there is one, the camera's name, the frame's age, and what is wrong in words. It makes no
``connect()`` call: reading a few geometries a frame costs less than a signal per resize.

Translation context: ``VideoTiles``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cockpit.video.health import Health, Reason, detail_beyond
from cockpit.video.tiles import TileView, VideoTiles, age_text
from widgets.video_tile import TileLook, VideoTileWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("VideoTiles", text)


def reason_words(reason: Reason) -> str:
    """Why a camera cannot be reached, in the wall's language."""
    return {
        Reason.NONE: "",
        Reason.BAD_URL: tr("bad URL"),
        Reason.REFUSED: tr("connection refused"),
        Reason.AUTH: tr("not authorised (user or password rejected)"),
        Reason.TIMEOUT: tr("timed out"),
        Reason.NOT_FOUND: tr("stream not found on the camera"),
        Reason.CODEC: tr("unsupported codec"),
        Reason.NO_CREDENTIAL: tr("credential missing from the site's camera secrets"),
        Reason.ENDED: tr("stream ended"),
        Reason.NETWORK: tr("network error"),
        Reason.OTHER: tr("error"),
    }[reason]


def show(widget: VideoTileWidget, view: TileView) -> None:
    """Put one tile's view on its widget."""
    widget.set_caption(view.caption)
    if view.image is not None:
        widget.set_image(view.image)
    age = age_text(view.age_s)
    h = view.health
    if not view.recorded:
        widget.set_image(None)
        widget.set_status(
            TileLook.NOT_RECORDED,
            tr("video not recorded"),
            tr("replay: which camera was here is recorded, its video is not"),
        )
    elif not view.camera_id:
        widget.set_image(None)
        widget.set_status(TileLook.EMPTY, tr("no camera"))
    elif h is Health.OFF:
        widget.set_image(None)
        widget.set_status(TileLook.EMPTY, "")
    elif h is Health.CONNECTING:
        widget.set_status(TileLook.CONNECTING, tr("connecting…"))
    elif h is Health.LIVE:
        widget.set_status(TileLook.LIVE, "", "", age)
    elif h is Health.NO_SIGNAL:
        why = reason_words(view.reason) or tr("no new frame")
        widget.set_status(
            TileLook.NO_SIGNAL,
            tr("NO SIGNAL"),
            tr("last picture {age} old · {why} · reconnecting").format(age=age, why=why),
            age,
        )
    elif h is Health.FROZEN:
        widget.set_status(
            TileLook.FROZEN,
            tr("FROZEN"),
            tr("picture unchanged for {s}").format(s=age_text(view.still_s)),
            age,
        )
    else:
        detail, extra = reason_words(view.reason), detail_beyond(view.reason, view.detail)
        if extra:
            detail = f"{detail}: {extra}" if detail else extra
        widget.set_status(TileLook.UNREACHABLE, tr("CAMERA UNREACHABLE"), detail)


class VideoTileBinder:
    """The tile widgets of one wall and the view-model that feeds them.

    Args:
        tiles: The view-model (it owns the decoder pool).
    """

    def __init__(self, tiles: VideoTiles) -> None:
        self.tiles = tiles
        self.widgets: dict[str, VideoTileWidget] = {}

    def bind(self, key: str, widget: VideoTileWidget) -> None:
        self.widgets[key] = widget

    def unbind(self, key: str) -> None:
        self.widgets.pop(key, None)
        self.tiles.remove(key)

    def frame(self, now: float | None = None) -> dict[str, TileView]:
        """Once per wall frame: geometry in, views out onto the widgets."""
        for key, w in self.widgets.items():
            self.tiles.set_geometry(key, w.width(), w.height(), w.on_screen())
        views = self.tiles.frame(now)
        for key, view in views.items():
            widget = self.widgets.get(key)
            if widget is not None:
                show(widget, view)
        return views
