"""Fixtures for the video tests: the demo's real RTSP server on loopback, a real decoder pool."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from cockpit.backend.cameras.rtsp import DemoCameraServer, Mount, unavailable
from cockpit.model.situation import CameraRecord
from cockpit.video.pool import DecoderPool
from cockpit.video.urls import CameraSecrets, Credential

USER = "wall"
PASSWORD = "pa55-Wörd/+secret"
"""Characters that need quoting in a URL, to prove they are quoted (and never logged)."""

MOUNTS = (
    Mount("/cam1/sub", 640, 360, 15, 500, "smpte"),
    Mount("/cam1/main", 1280, 720, 25, 1500, "smpte"),
    Mount("/cam2/sub", 640, 360, 15, 500, "ball"),
    Mount("/cam3/sub", 640, 360, 15, 500, "smpte75"),
    Mount("/mjpeg/sub", 320, 240, 10, 0, "ball", codec="mjpeg"),
)


@pytest.fixture(scope="session")
def gst_ready() -> None:
    why = unavailable()
    assert not why, f"the demo camera server cannot run: {why} (scripts/setup --test installs it)"


def start_server(port: int = 0) -> DemoCameraServer:
    server = DemoCameraServer(MOUNTS, user=USER, password=PASSWORD, port=port)
    server.start()
    return server


@pytest.fixture
def camera_server(gst_ready: None) -> Iterator[DemoCameraServer]:
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def secrets() -> CameraSecrets:
    return CameraSecrets({"site-cams": Credential(USER, PASSWORD)})


@pytest.fixture
def pool(secrets: CameraSecrets) -> Iterator[DecoderPool]:
    p = DecoderPool(workers=2, secrets=secrets)
    yield p
    p.shutdown()


def camera(
    base: str, cid: str, *, credential: str = "site-cams", codec: str = "h264", main: bool = True
) -> CameraRecord:
    return CameraRecord(
        id=cid,
        name=f"{cid} 摄像机",
        names=(("en", f"Camera {cid}"),),
        lon=106.5,
        lat=29.6,
        district="jiangbei",
        theme="flood",
        main_url=f"{base}/{cid}/main" if main else f"{base}/{cid}/sub",
        sub_url=f"{base}/{cid}/sub",
        credential=credential,
        codec=codec,
        watches=(),
        kind="fixed",
    )


def wait_for(check: Callable[[], bool], timeout: float, step: Callable[[], None] | None = None) -> float:
    """Call ``step`` then ``check`` every 20 ms until it holds; the seconds it took. Fails on timeout."""
    t0 = time.monotonic()
    while True:
        if step is not None:
            step()
        if check():
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(0.02)
