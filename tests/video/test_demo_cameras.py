"""The demo's cameras end to end: catalog from the city, credential from a secrets file, real RTSP."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cockpit.audit.log import Actor, AuditLog
from cockpit.backend.cameras.demo import start_demo_cameras
from cockpit.backend.city import City
from cockpit.backend.main import write_camera_secrets
from cockpit.backend.streams import Hub
from cockpit.model.situation import Situation
from cockpit.protocol.events import SnapshotReceived
from cockpit.protocol.messages import Filter, Stream
from cockpit.video.health import Health
from cockpit.video.pool import DecoderPool
from cockpit.video.slots import VideoSlots
from cockpit.video.tiles import TileView, VideoTiles
from cockpit.video.urls import CameraSecrets
from tests.video.conftest import wait_for

pytestmark = pytest.mark.slow


def test_demo_cameras_decode_with_the_site_secret_and_no_password_reaches_a_log_or_the_audit_trail(
    gst_ready: None, tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    city = City(Hub(epoch="e1"), seed=1, rate=200)
    cams = start_demo_cameras(city)
    assert cams.server is not None, cams.error
    try:
        secrets_file = tmp_path / "cameras.toml"
        write_camera_secrets(str(secrets_file), cams.credential, cams.user, cams.password)
        assert secrets_file.stat().st_mode & 0o077 == 0
        secrets = CameraSecrets.load(secrets_file)
        model = Situation()
        model.apply(
            [SnapshotReceived(Stream.CAMERAS, "e1", 1, tuple(city.snapshot(Stream.CAMERAS, Filter())))]
        )
        cam = model.cameras["cam-sp-watchtower"]
        assert cam.credential == "demo-cameras" and "@" not in cam.main_url
        pool = DecoderPool(workers=1, secrets=secrets)
        try:
            tiles = VideoTiles(pool, lang="zh_CN")
            slots = VideoSlots(1, defaults=[cam.id])
            tiles.set_camera("slot0", model.cameras[slots.entries[0].camera_id or ""])
            tiles.set_geometry("slot0", 480, 270, True)
            views: dict[str, TileView] = {}
            wait_for(
                lambda: views.get("slot0") is not None and views["slot0"].health is Health.LIVE,
                20,
                lambda: views.update(tiles.frame()),
            )
            assert views["slot0"].caption == "歌乐山瞭望塔"
            # The console pins a camera; the audit trail records what it did, by camera id.
            audit = AuditLog(tmp_path / "audit.jsonl", Actor("li.wei", "operator", "jiangbei"))
            audit.record(
                "camera_pinned", {"slot": 0, "camera": cam.id, "name": cam.name, "url": cam.main_url}
            )
            audit.close()
        finally:
            pool.shutdown()
        out, err = capfd.readouterr()
        trail = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
        for text in (caplog.text, out, err, trail):
            assert cams.password not in text
        assert "cam-sp-watchtower" in trail
    finally:
        cams.stop()


def test_an_alarm_brings_its_cameras_into_the_video_slot_and_they_play(gst_ready: None) -> None:
    from cockpit.video.panel import VideoPanelConfig, VideoPanelModel
    from cockpit.video.slots import SlotWhy, VideoRule
    from cockpit.video.urls import Credential

    city = City(Hub(epoch="e1"), seed=1, rate=200)
    cams = start_demo_cameras(city)
    assert cams.server is not None, cams.error
    pool = DecoderPool(
        workers=1, secrets=CameraSecrets({cams.credential: Credential(cams.user, cams.password)})
    )
    try:
        model = Situation()
        model.apply(
            [SnapshotReceived(Stream.CAMERAS, "e1", 1, tuple(city.snapshot(Stream.CAMERAS, Filter())))]
        )
        tiles = VideoTiles(pool, lang="en")
        panel = VideoPanelModel(
            VideoPanelConfig(
                "flood/video", grid=1, cameras=("cam-yz-river",), rule=VideoRule(themes=("flood",))
            ),
            tiles,
        )
        panel.update(model, model.take_changes(), 0)
        (key,) = panel.tile_keys
        assert tiles.camera_of(key).id == "cam-yz-river"  # type: ignore[union-attr]
        city.advance(200.0)  # the storm: the underpass water level passes its limit
        model.apply([SnapshotReceived(Stream.EVENTS, "e1", 2, tuple(city.snapshot(Stream.EVENTS, Filter())))])
        changes = panel.update(model, model.take_changes(), 1000)
        cam = tiles.camera_of(key)
        assert cam is not None and cam.id in ("cam-jb-underpass-n", "cam-jb-underpass-s")
        assert panel.why(0) is SlotWhy.ALARM and any(c.why == "alarm" and c.camera == cam.id for c in changes)
        tiles.set_geometry(key, 640, 360, True)
        views: dict[str, TileView] = {}
        wait_for(
            lambda: views.get(key) is not None and views[key].image is not None,
            20,
            lambda: views.update(tiles.frame()),
        )
        assert views[key].health is Health.LIVE and views[key].caption.startswith("Underpass")
    finally:
        pool.shutdown()
        cams.stop()
