"""The video panel in the Qt shell: built from a runway file, fed by the view-model, pinning by menu."""

from __future__ import annotations

from pathlib import Path

import msgspec
from pytestqt.qtbot import QtBot

from cockpit.app.panels import VideoPanelView, build_view
from cockpit.app.video_binder import VideoTileBinder
from cockpit.backend.cameras.catalog import CREDENTIAL
from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.present.runway import RunwayModel
from cockpit.present.runway_spec import PanelKind, desk_board, load_runway
from cockpit.protocol.messages import Filter, Stream
from cockpit.video.tiles import VideoTiles
from tests.present.support import Feed, context
from widgets.video_tile import TileLook

RUNWAYS = Path(__file__).resolve().parents[2] / "assets" / "runways"


def test_the_flood_desk_boards_video_panel_shows_its_cameras_and_pins_by_menu(qtbot: QtBot) -> None:
    feed = Feed()
    city = City(Hub(epoch="e1"), seed=1, rate=200)
    city.add_cameras("rtsp://127.0.0.1:1", credential=CREDENTIAL)  # nothing listens: nothing decoded here
    feed.apply(*city.snapshot(Stream.CAMERAS, Filter()))
    ctx = context(situation=feed.situation)
    tiles = VideoTiles(None, "en")  # no decoding: which camera is where, and what the tile says
    ctx.video = tiles
    # The wall's flood runway shows one camera, large enough to read from the room (issue 15); its
    # desk board (the console's "Flood · details" tab) shows the others, four at a time.
    flood = load_runway(RUNWAYS / "flood.yaml")
    wall_video = next(p for p in flood.panels if p.kind is PanelKind.VIDEO)
    assert wall_video.video is not None and wall_video.video.grid == 1
    spec = desk_board(flood)
    assert spec is not None
    runway = RunwayModel(spec, ctx, lambda t: t, on_wall=False, desk=True)
    model = next(p for p in runway.panels if p.spec.kind is PanelKind.VIDEO)
    view = build_view(model, "en", None, None)
    assert isinstance(view, VideoPanelView) and len(view.tiles) == 4
    qtbot.addWidget(view)
    binder = VideoTileBinder(tiles)
    for key, tile in zip(model.tile_keys, view.tiles, strict=True):
        binder.bind(key, tile)
    state = model.update(feed.situation, feed.frame())
    assert state is not None
    view.show_state(state)
    binder.frame()
    captions = [t.caption for t in view.tiles]
    assert captions == [
        "Jialing riverbank",
        "Underpass north portal",
        "Underpass south portal",
        "Yuzhong river gauge",
    ]
    assert all(t.look is TileLook.NOT_RECORDED for t in view.tiles)  # no pool: the replay's look
    with qtbot.waitSignal(view.pin_requested) as pinned:
        view.pin_requested.emit(2, "cam-sp-watchtower")
    tile, camera = pinned.args
    changes = model.pin(tile, camera, 1000)
    assert any(c.camera == "cam-sp-watchtower" and c.why == "pinned" for c in changes)
    state = model.update(feed.situation, feed.frame())
    assert state is not None
    view.show_state(state)
    binder.frame()
    assert view.tiles[2].caption == "Gele Mountain watchtower"
    assert "1 pinned" in view.title.text() and "page 1 of 2" in view.title.text()
    assert msgspec.structs.asdict(changes[0])["panel"] == "flood.desk/0"  # the desk board's first panel
