"""The camera tile widget and the binder's words for each health (widgets/video_tile.py)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from cockpit.app.video_binder import show
from cockpit.video.health import Health, Reason
from cockpit.video.tiles import TileView
from widgets.values import TextRole
from widgets.video_tile import TileLook, VideoTileWidget


def test_a_frame_is_drawn_without_a_copy_and_the_caption_and_age_are_shown(qtbot: QtBot) -> None:
    tile = VideoTileWidget()
    qtbot.addWidget(tile)
    tile.resize(320, 180)
    tile.show()
    image = np.zeros((180, 320, 4), np.uint8)
    image[..., 2] = 255  # red in BGRA
    show(tile, TileView("c1", "Underpass north portal", Health.LIVE, age_s=0.12, image=image))
    assert tile.has_image and tile.look is TileLook.LIVE and tile.age_text == "0.1 s"
    assert tile.caption == "Underpass north portal"
    shot = tile.grab().toImage()
    assert shot.pixelColor(160, 40).red() == 255 and shot.pixelColor(160, 40).green() == 0


def test_each_health_has_its_words(qtbot: QtBot) -> None:
    tile = VideoTileWidget()
    qtbot.addWidget(tile)
    show(tile, TileView("c1", "cam", Health.NO_SIGNAL, Reason.REFUSED, age_s=12.0))
    assert tile.look is TileLook.NO_SIGNAL and tile.headline == "NO SIGNAL"
    assert (
        tile.detail == "last picture 12 s old · connection refused · reconnecting" and tile.age_text == "12 s"
    )
    show(tile, TileView("c1", "cam", Health.FROZEN, age_s=0.05, still_s=3.4))
    assert tile.look is TileLook.FROZEN and tile.detail == "picture unchanged for 3.4 s"
    show(tile, TileView("c1", "cam", Health.UNREACHABLE, Reason.CODEC, "codec mjpeg is not supported"))
    assert (
        tile.headline == "CAMERA UNREACHABLE"
        and tile.detail == "unsupported codec: codec mjpeg is not supported"
    )
    show(tile, TileView("c1", "cam", Health.OFF, recorded=False))
    assert tile.look is TileLook.NOT_RECORDED and tile.headline == "video not recorded" and not tile.has_image
    show(tile, TileView("", "", Health.OFF))
    assert tile.look is TileLook.EMPTY and tile.headline == "no camera"


def test_the_tile_reports_its_size_visibility_and_clicks(qtbot: QtBot) -> None:
    tile = VideoTileWidget()
    qtbot.addWidget(tile)
    with qtbot.waitSignal(tile.visibility_changed) as shown:
        tile.show()
    assert shown.args == [True] and tile.on_screen()
    with qtbot.waitSignal(tile.resized) as resized:
        tile.resize(400, 225)
    assert resized.args == [400, 225]
    with qtbot.waitSignal(tile.clicked):
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tile.visibility_changed) as hidden:
        tile.hide()
    assert hidden.args == [False] and not tile.on_screen()


def test_a_wall_tile_reports_its_text_in_wall_type_and_keeps_the_state_above_the_caption(qtbot: QtBot) -> None:
    tile = VideoTileWidget()
    qtbot.addWidget(tile)
    tile.setFont(QFont("Noto Sans CJK SC"))
    tile.set_type_sizes(86, 43)
    tile.resize(640, 360)
    tile.show()
    show(tile, TileView("c1", "Underpass north portal", Health.NO_SIGNAL, Reason.REFUSED, age_s=12.0))
    tile.grab()
    items = {i.text: i for i in tile.text_items()}
    assert set(items) == {"NO SIGNAL", "last picture 12 s old · connection refused · reconnecting", "Underpass north portal", "12 s"}
    assert all(i.role is TextRole.SECONDARY and not i.clipped for i in items.values())
    assert items["NO SIGNAL"].glyph_px >= 0.7 * 43 - 1
    boxes = [QRectF(i.x, i.y, i.w, i.h) for i in items.values()]
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            assert not boxes[a].intersects(boxes[b])
    tile.resize(640, 110)  # too low for the state and the caption: the state is what matters
    tile.grab()
    texts = [i.text for i in tile.text_items()]
    assert texts == ["NO SIGNAL"]
