"""A drill with the demo cameras: the sandbox serves them over real RTSP, its events name them, and
a wall's decoder plays them with the drill's credential; a drill without cameras publishes none."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cockpit.backend.cameras.demo import serve_demo_cameras
from cockpit.backend.cameras.rtsp import unavailable
from cockpit.model.situation import Situation
from cockpit.protocol.events import SnapshotReceived
from cockpit.protocol.messages import Filter, Stream
from cockpit.record.drill import DrillSandbox
from cockpit.record.drill_script import load_drill
from cockpit.video.health import Health
from cockpit.video.pool import DecoderPool
from cockpit.video.tiles import TileView, VideoTiles
from cockpit.video.urls import CameraSecrets, Credential
from tests.helpers import wait_until
from tests.video.conftest import wait_for

pytestmark = pytest.mark.slow

SCRIPT = """\
id: camera_drill
title: {en: Camera drill}
start:
  scenario: {seed: 4, clock: 0, speed: 1, rate: 200, events_per_min: 0}
duration: 300
cameras: true
injects:
  - {at: 0.2, kind: event, name: named, type: vehicle_trapped, theme: flood, district: jiangbei,
     severity: 1, title: Car trapped, near: jiangbei-water_level-001, cameras: [cam-jb-underpass-s]}
  - {at: 0.4, kind: event, name: by rule, type: water_main_burst, theme: water, district: jiangbei,
     severity: 2, title: Water on the road, near: jiangbei-water_level-002}
"""


def _sandbox(tmp_path: Path, text: str, **kwargs: object) -> DrillSandbox:
    path = tmp_path / "drill.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return DrillSandbox(load_drill(path), **kwargs)  # type: ignore[arg-type]


async def _injected(box: DrillSandbox, n: int) -> list[str]:
    await wait_until(lambda: len(box.snapshot().injects) >= n, what=f"{n} injects")
    return [i.event_id for i in box.snapshot().injects]


def test_a_drill_serves_its_cameras_its_events_name_them_and_a_wall_plays_them(tmp_path: Path) -> None:
    import asyncio

    why = unavailable()
    assert not why, f"the demo camera server cannot run: {why} (scripts/setup --test installs it)"
    box = _sandbox(tmp_path, SCRIPT)
    box.start()
    try:
        cams = box.cameras
        assert cams is not None and cams.running, cams and cams.error
        named, by_rule = asyncio.run(_injected(box, 2))
        city = box.director.city if box.director else None
        assert city is not None and "cam-jb-underpass-s" in city.state.cameras
        assert city.state.events[named].cameras == ["cam-jb-underpass-s"]  # as the trainer named them
        assert "cam-jb-riverbank" in city.state.events[by_rule].cameras  # the camera that watches its sensor
        model = Situation()
        model.apply(
            [SnapshotReceived(Stream.CAMERAS, "e", 1, tuple(city.snapshot(Stream.CAMERAS, Filter())))]
        )
        pool = DecoderPool(
            workers=1, secrets=CameraSecrets({cams.credential: Credential(cams.user, cams.password)})
        )
        try:
            tiles = VideoTiles(pool, lang="en")
            tiles.set_camera("slot0", model.cameras["cam-jb-underpass-s"])
            tiles.set_geometry("slot0", 480, 270, True)
            views: dict[str, TileView] = {}
            wait_for(
                lambda: views.get("slot0") is not None and views["slot0"].health is Health.LIVE,
                20,
                lambda: views.update(tiles.frame()),
            )
            assert views["slot0"].caption.startswith("Underpass south")
            tiles.close()
        finally:
            pool.shutdown()
    finally:
        box.stop()
    assert not cams.running  # the sandbox started them, so it stopped them


def test_cameras_given_to_a_sandbox_outlive_it_and_a_drill_without_cameras_publishes_none(
    tmp_path: Path,
) -> None:
    import asyncio

    cams = serve_demo_cameras()
    assert cams.running, cams.error
    try:
        box = _sandbox(tmp_path, SCRIPT, cameras=cams)
        box.start()
        try:
            asyncio.run(_injected(box, 1))
            assert box.director is not None and box.director.city.state.cameras
        finally:
            box.stop()
        assert cams.running  # the drill session's: the next drill uses the same server
        plain = SCRIPT.replace("cameras: true\n", "").replace(", cameras: [cam-jb-underpass-s]", "")
        box = _sandbox(tmp_path, plain, cameras=cams)
        box.start()
        try:
            named, _ = asyncio.run(_injected(box, 2))
            city = box.director.city if box.director else None
            assert city is not None and not city.state.cameras and not city.state.events[named].cameras
        finally:
            box.stop()
    finally:
        cams.stop()
