"""Decoding real RTSP from the demo's camera server over loopback (issue 21, "Done when")."""

from __future__ import annotations

import logging
import time

import pytest

from cockpit.backend.cameras.rtsp import DemoCameraServer
from cockpit.video.health import Health, Reason
from cockpit.video.pool import DecoderPool
from cockpit.video.stamp import stamp_age_ms
from cockpit.video.tiles import TileView, VideoTiles
from cockpit.video.urls import StreamKind
from tests.video.conftest import PASSWORD, camera, start_server, wait_for

pytestmark = pytest.mark.slow


def run(tiles: VideoTiles, views: dict[str, TileView]) -> None:
    views.update(tiles.frame())


def test_frames_reach_the_tile_with_their_capture_time(
    camera_server: DemoCameraServer, pool: DecoderPool
) -> None:
    tiles = VideoTiles(pool, lang="en")
    tiles.set_camera("t1", camera(camera_server.base_url, "cam1"))
    tiles.set_geometry("t1", 480, 270, on_screen=True)
    views: dict[str, TileView] = {}
    frames = []

    def step() -> None:
        run(tiles, views)
        if views["t1"].image is not None:
            meta = pool._streams["t1"].ring.newest_meta()  # type: ignore[union-attr]
            frames.append((views["t1"].image.shape, meta.stamp if meta else None))

    wait_for(lambda: len(frames) >= 10, 20, step)
    v = views["t1"]
    assert v.health is Health.LIVE and v.caption == "Camera cam1" and v.stream is StreamKind.SUB
    shape, stamp = frames[-1]
    assert shape == (270, 480, 4)  # scaled to the tile in the worker
    assert stamp is not None and stamp_age_ms(stamp, time.monotonic_ns() // 1_000_000) < 2000
    assert v.age_s is not None and v.age_s < 1.0


def test_a_large_tile_decodes_the_main_stream(camera_server: DemoCameraServer, pool: DecoderPool) -> None:
    tiles = VideoTiles(pool)
    tiles.set_camera("big", camera(camera_server.base_url, "cam1"))
    tiles.set_geometry("big", 1280, 720, on_screen=True)
    views: dict[str, TileView] = {}
    wait_for(
        lambda: views.get("big") is not None and views["big"].image is not None, 20, lambda: run(tiles, views)
    )
    assert tiles.decoding() == {"big": StreamKind.MAIN}
    assert views["big"].image is not None and views["big"].image.shape == (720, 1280, 4)


def test_a_tile_off_screen_decodes_nothing(camera_server: DemoCameraServer, pool: DecoderPool) -> None:
    tiles = VideoTiles(pool)
    tiles.set_camera("t1", camera(camera_server.base_url, "cam1"))
    tiles.set_geometry("t1", 320, 180, on_screen=True)
    views: dict[str, TileView] = {}
    wait_for(
        lambda: views.get("t1") is not None and views["t1"].health is Health.LIVE,
        20,
        lambda: run(tiles, views),
    )
    assert camera_server.sessions() == 1
    tiles.set_geometry("t1", 320, 180, on_screen=False)
    assert pool.keys == frozenset() and tiles.decoding() == {}
    wait_for(lambda: camera_server.sessions() == 0, 10)  # the decoder hung up: nothing is decoded
    run(tiles, views)
    assert views["t1"].health is Health.OFF and views["t1"].image is None
    # A tile that was never on screen never connects.
    tiles.set_camera("t2", camera(camera_server.base_url, "cam2"))
    tiles.set_geometry("t2", 320, 180, on_screen=False)
    time.sleep(1.0)
    assert camera_server.sessions() == 0 and pool.keys == frozenset()


def test_a_frozen_picture_is_marked_frozen_within_2_s_and_recovers(
    camera_server: DemoCameraServer, pool: DecoderPool
) -> None:
    tiles = VideoTiles(pool)
    tiles.set_camera("t1", camera(camera_server.base_url, "cam2"))
    tiles.set_geometry("t1", 320, 180, on_screen=True)
    views: dict[str, TileView] = {}
    wait_for(
        lambda: views.get("t1") is not None and views["t1"].health is Health.LIVE,
        20,
        lambda: run(tiles, views),
    )
    time.sleep(1.0)
    run(tiles, views)
    assert views["t1"].health is Health.LIVE  # a moving picture is not frozen
    camera_server.freeze("/cam2/sub")
    took = wait_for(lambda: views["t1"].health is Health.FROZEN, 5, lambda: run(tiles, views))
    assert took <= 2.0
    assert views["t1"].age_s is not None and views["t1"].age_s < 1.0  # frames still come: it is the picture
    assert ("Camera cam2", "picture frozen") in tiles.take_console()
    camera_server.freeze("/cam2/sub", on=False)
    wait_for(lambda: views["t1"].health is Health.LIVE, 5, lambda: run(tiles, views))


def test_a_stalled_stream_is_no_signal_within_2_s_and_recovers(
    camera_server: DemoCameraServer, pool: DecoderPool
) -> None:
    tiles = VideoTiles(pool)
    tiles.set_camera("t1", camera(camera_server.base_url, "cam3"))
    tiles.set_geometry("t1", 320, 180, on_screen=True)
    views: dict[str, TileView] = {}
    wait_for(
        lambda: views.get("t1") is not None and views["t1"].health is Health.LIVE,
        20,
        lambda: run(tiles, views),
    )
    camera_server.stall("/cam3/sub")
    took = wait_for(lambda: views["t1"].health is Health.NO_SIGNAL, 5, lambda: run(tiles, views))
    assert took <= 2.0
    camera_server.stall("/cam3/sub", on=False)
    wait_for(lambda: views["t1"].health is Health.LIVE, 20, lambda: run(tiles, views))


def test_a_killed_camera_is_no_signal_within_2_s_and_reconnects_by_itself(
    gst_ready: None, pool: DecoderPool
) -> None:
    server = start_server()
    port = server.port
    tiles = VideoTiles(pool)
    tiles.set_camera("t1", camera(server.base_url, "cam1"))
    tiles.set_geometry("t1", 320, 180, on_screen=True)
    views: dict[str, TileView] = {}
    try:
        wait_for(
            lambda: views.get("t1") is not None and views["t1"].health is Health.LIVE,
            20,
            lambda: run(tiles, views),
        )
        server.kill()
        took = wait_for(lambda: views["t1"].health is Health.NO_SIGNAL, 5, lambda: run(tiles, views))
        assert took <= 2.0
        # Reconnecting fails while it is down, and says why.
        wait_for(lambda: views["t1"].reason is Reason.REFUSED, 10, lambda: run(tiles, views))
        assert (
            views["t1"].health is Health.NO_SIGNAL
            and views["t1"].age_s is not None
            and views["t1"].age_s >= 1.5
        )
        server = start_server(port)
        wait_for(lambda: views["t1"].health is Health.LIVE, 30, lambda: run(tiles, views))
        assert pool.health("t1").reconnects >= 1
    finally:
        server.stop()


def test_bad_url_refused_connection_and_codec_each_say_why_and_the_wall_goes_on(
    camera_server: DemoCameraServer, pool: DecoderPool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    base = camera_server.base_url
    tiles = VideoTiles(pool)
    tiles.set_camera("good", camera(base, "cam1"))
    tiles.set_camera("bad_url", camera("http://127.0.0.1:1", "camx"))
    tiles.set_camera("refused", camera("rtsp://127.0.0.1:1", "camy"))
    tiles.set_camera("codec", camera(base, "mjpeg", main=False))
    tiles.set_camera("auth", camera(base, "cam2", credential="nobody"))
    for key in ("good", "bad_url", "refused", "codec", "auth"):
        tiles.set_geometry(key, 320, 180, on_screen=True)
    views: dict[str, TileView] = {}
    wait_for(
        lambda: (
            views.get("codec") is not None
            and views["codec"].health is Health.UNREACHABLE
            and views["refused"].health is Health.UNREACHABLE
            and views["good"].health is Health.LIVE
        ),
        20,
        lambda: run(tiles, views),
    )
    assert views["bad_url"].health is Health.UNREACHABLE and views["bad_url"].reason is Reason.BAD_URL
    assert "scheme 'http'" in views["bad_url"].detail
    assert views["refused"].reason is Reason.REFUSED and views["refused"].reason_text == "connection refused"
    assert views["codec"].reason is Reason.CODEC and "codec mjpeg is not supported" in views["codec"].detail
    assert views["auth"].reason is Reason.NO_CREDENTIAL
    console = dict(tiles.take_console())
    assert console["Camera camy"].startswith("unreachable: connection refused")
    assert console["Camera mjpeg"].startswith("unreachable: unsupported codec")
    assert "connection refused" in caplog.text and "unsupported codec" in caplog.text
    # The wall goes on: the good tile keeps getting frames.
    got = []
    wait_for(
        lambda: len(got) >= 5,
        10,
        lambda: (run(tiles, views), got.append(1) if views["good"].image is not None else None),
    )
    assert views["good"].health is Health.LIVE


def test_a_wrong_password_says_auth_and_credentials_never_reach_a_log(
    camera_server: DemoCameraServer, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    from cockpit.video.urls import CameraSecrets, Credential

    caplog.set_level(logging.DEBUG)
    wrong = "wrong-" + PASSWORD
    pool = DecoderPool(
        workers=1,
        secrets=CameraSecrets({"site-cams": Credential("wall", PASSWORD), "bad": Credential("wall", wrong)}),
    )
    try:
        tiles = VideoTiles(pool)
        tiles.set_camera("ok", camera(camera_server.base_url, "cam1"))
        tiles.set_camera("no", camera(camera_server.base_url, "cam2", credential="bad"))
        tiles.set_geometry("ok", 320, 180, on_screen=True)
        tiles.set_geometry("no", 320, 180, on_screen=True)
        views: dict[str, TileView] = {}
        wait_for(
            lambda: (
                views.get("no") is not None
                and views["no"].reason is Reason.AUTH
                and views["ok"].health is Health.LIVE
            ),
            20,
            lambda: run(tiles, views),
        )
        assert views["no"].health is Health.UNREACHABLE
        assert "401" in views["no"].detail
    finally:
        pool.shutdown()
    out, err = capfd.readouterr()
    for text in (caplog.text, out, err, str(tiles.take_console()), views["no"].detail):
        for secret in (PASSWORD, wrong, "pa55"):
            assert secret not in text
    assert "Camera cam2" in caplog.text  # the failure was logged, without the secret
