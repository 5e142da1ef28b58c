"""Screenshot of camera tiles in every state, from the demo's real RTSP server (docs/video.md).

Run under Xvfb:  xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/tools/video_screenshot.py OUT.png
Four tiles: live, frozen (the server repeats one picture), no signal (the server stalls), and a
camera whose codec the wall does not decode.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from cockpit.app.video_binder import VideoTileBinder
from cockpit.backend.cameras.rtsp import DemoCameraServer, Mount
from cockpit.model.situation import CameraRecord
from cockpit.video.health import Health
from cockpit.video.pool import DecoderPool
from cockpit.video.tiles import VideoTiles
from widgets.theme import apply_theme
from widgets.video_tile import VideoTileWidget


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    apply_theme(app, "Noto Sans CJK SC", 1.0)
    server = DemoCameraServer(
        [
            Mount("/a/sub", 640, 360, 15, 600, "smpte"),
            Mount("/b/sub", 640, 360, 15, 600, "ball"),
            Mount("/c/sub", 640, 360, 15, 600, "smpte75"),
            Mount("/d/sub", 320, 240, 10, 0, "ball", codec="mjpeg"),
        ]
    )
    server.start()
    pool = DecoderPool()
    binder = VideoTileBinder(VideoTiles(pool, lang="en"))
    win = QWidget()
    win.setWindowTitle("Camera tiles")
    grid = QGridLayout(win)
    grid.setSpacing(4)
    names = {
        "a": ("Underpass north portal", "下穿道北口"),
        "b": ("Underpass south portal", "下穿道南口"),
        "c": ("Jialing riverbank", "嘉陵江堤岸"),
        "d": ("Gele Mountain watchtower", "歌乐山瞭望塔"),
    }
    for i, (key, (en, zh)) in enumerate(names.items()):
        url = f"{server.base_url}/{key}/sub"
        cam = CameraRecord(
            key, zh, (("en", en),), 0, 0, "", "", url, url, "", "mjpeg" if key == "d" else "h264", (), "fixed"
        )
        tile = VideoTileWidget()
        grid.addWidget(tile, i // 2, i % 2)
        binder.bind(key, tile)
        binder.tiles.set_camera(key, cam)
    win.resize(1280, 740)
    win.show()

    def run(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            binder.frame()
            time.sleep(0.02)

    run(6.0)
    server.freeze("/b/sub")
    server.stall("/c/sub")
    run(4.5)
    views = binder.frame()
    states = {k: v.health for k, v in views.items()}
    print(states)
    ok = states == {"a": Health.LIVE, "b": Health.FROZEN, "c": Health.NO_SIGNAL, "d": Health.UNREACHABLE}
    win.grab().save(out)
    binder.tiles.close()
    pool.shutdown()
    server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "video-tiles.png"))
