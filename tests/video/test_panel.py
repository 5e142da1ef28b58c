"""The video panel's view-model: grid, pages, defaults, alarm-linked cameras, pins, replay."""

from __future__ import annotations

from cockpit.backend.cameras.catalog import CREDENTIAL
from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.model.situation import Situation
from cockpit.protocol.events import SnapshotReceived
from cockpit.protocol.messages import Filter, Stream
from cockpit.record.video import VideoSlot
from cockpit.video.health import Health
from cockpit.video.panel import VideoPanelConfig, VideoPanelModel
from cockpit.video.slots import SlotWhy, VideoRule
from cockpit.video.tiles import VideoTiles


def situation_at(city: City) -> Situation:
    model = Situation()
    for stream in (Stream.CAMERAS, Stream.EVENTS):
        model.apply([SnapshotReceived(stream, "e1", 1, tuple(city.snapshot(stream, Filter())))])
    return model


def test_defaults_alarms_pins_and_pages() -> None:
    city = City(Hub(epoch="e1"), seed=1, rate=200)
    city.add_cameras("rtsp://127.0.0.1:8554", credential=CREDENTIAL)
    model = situation_at(city)
    tiles = VideoTiles(None, lang="en")  # nothing decoded: this test is about which camera goes where
    panel = VideoPanelModel(
        VideoPanelConfig("flood/video", grid=2, themes=("flood",), rule=VideoRule(themes=("flood",))), tiles
    )
    changes = panel.update(model, model.take_changes(), 1000)
    shown = [tiles.camera_of(k) for k in panel.tile_keys]
    assert [c.id if c else None for c in shown] == [
        "cam-jb-riverbank",
        "cam-jb-underpass-n",
        "cam-jb-underpass-s",
        "cam-yz-river",
    ]
    assert {(c.slot, c.camera, c.why) for c in changes} >= {(0, "cam-jb-riverbank", "default")}
    assert panel.pages == 1
    city.advance(200.0)  # the storm's alarms name the underpass cameras
    model.apply([SnapshotReceived(Stream.EVENTS, "e1", 2, tuple(city.snapshot(Stream.EVENTS, Filter())))])
    changes = panel.update(model, model.take_changes(), 2000)
    assert panel.why(0) is SlotWhy.ALARM and tiles.camera_of(panel.tile_keys[0]).id in (
        "cam-jb-underpass-n",
        "cam-jb-underpass-s",
    )  # type: ignore[union-attr]
    assert any(c.why == "alarm" and c.event for c in changes)
    pinned = panel.pin(3, "cam-sp-watchtower", 3000)
    assert (
        VideoSlot(
            panel="flood/video",
            slot=3,
            camera="cam-sp-watchtower",
            name="Gele Mountain watchtower",
            why="pinned",
        )
        in pinned
    )
    assert tiles.camera_of(panel.tile_keys[3]).id == "cam-sp-watchtower"  # type: ignore[union-attr]
    assert panel.pages == 2  # the pinned camera pushed a default onto a second page
    panel.next_page()
    assert panel.page == 1 and tiles.camera_of(panel.tile_keys[0]) is not None
    panel.next_page()
    assert panel.page == 0


def test_one_camera_panel_and_replay_shows_names_with_no_video() -> None:
    city = City(Hub(epoch="e1"), seed=1, rate=200)
    city.add_cameras("rtsp://127.0.0.1:8554")
    model = situation_at(city)
    tiles = VideoTiles(None)
    panel = VideoPanelModel(
        VideoPanelConfig("fire/video", grid=1, cameras=("cam-sp-watchtower", "cam-sp-pond")), tiles
    )
    panel.update(model, model.take_changes(), 0)
    assert [tiles.camera_of(k).id for k in panel.tile_keys] == ["cam-sp-watchtower"]  # type: ignore[union-attr]
    assert panel.pages == 2
    recorded = {
        ("fire/video", 0): VideoSlot(
            panel="fire/video", slot=0, camera="cam-gone", name="Old tower", why="pinned"
        )
    }
    panel.show_recorded(recorded, model.cameras)
    view = tiles.frame()[panel.tile_keys[0]]
    assert view.caption == "Old tower" and view.recorded is False and view.health is Health.OFF
