"""``cockpit-bench video``: camera tiles on this machine (issue 21; docs/benchmarks.md "Video").

Two runs, each a real wall window of :class:`widgets.video_tile.VideoTileWidget` tiles fed by
:class:`cockpit.video.tiles.VideoTiles` and the :class:`~cockpit.video.pool.DecoderPool` (two
decoder processes), from the demo's RTSP server (GStreamer) on loopback:

1. **pre-encoded**: 32 sub streams (640×360, 15 fps, 768 kbit/s) and one main stream (1920×1080,
   25 fps, 6 Mbit/s) streamed from H.264 clips without re-encoding, as cameras elsewhere would send
   them (clips made once by x264 in GStreamer, main profile, no B-frames, 2 s GOP, CBR; cached in
   ~/.cache/cockpit-bench/video). Each clip frame carries its index in the picture; the server logs when each frame was
   due, so camera-to-tile latency = paint time − due time, per frame, from the picture's own stamp.
2. **live encoder on the box**: 16 sub + 1 main encoded live by x264 (the demo's cameras), each
   frame stamped with its capture time: capture-to-paint latency.

Reported: wall frame interval p50/p99 (a 50 Hz timer: at least twice the fastest stream), frames
painted against frames sent per stream, latency p50/p99, decode CPU per stream (the decoder
threads' own CPU time), the processes' CPU, and RSS at the start and end of the window.
``COCKPIT_BENCH_VIDEO_S`` sets the window (default 60 s, 20 s with --quick).
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from pathlib import Path

import numpy as np

SUB = (640, 360, 15, 768)
MAIN = (1920, 1080, 25, 6000)
WALL = (1920, 1080)
GRID = 7
"""7×7 cells on 1920×1080 with the main stream on 3×3 of them: room for 40 sub tiles."""


def clip_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cockpit-bench" / "video"


def _proc_cpu_s(pid: int) -> float:
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def measure(
    subs: int,
    mains: int,
    live: bool,
    window_s: float,
    warmup_s: float = 10.0,
    clip_s: int = 0,
    keep_frames: bool = True,
) -> dict[str, float]:
    """One run; the figures of :mod:`bench.video`'s docstring. ``clip_s`` shortens the clips (they
    end and the decoders reconnect), for a memory soak longer than a clip is worth encoding."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from cockpit.backend.cameras.rtsp import DemoCameraServer, Mount, make_clip
    from cockpit.model.situation import CameraRecord
    from cockpit.video.pool import DecoderPool
    from cockpit.video.tiles import VideoTiles
    from widgets.video_tile import TileLook, VideoTileWidget

    app = QApplication.instance() or QApplication(["bench"])
    seconds = clip_s or int(warmup_s + window_s + 15)
    mounts = []
    work = Path(tempfile.mkdtemp(prefix="cockpit-bench-video-"))
    frame_log = str(work / "sends.csv")
    if live:
        mounts += [Mount(f"/sub{i}", *SUB[:3], 500, "smpte" if i % 2 else "ball") for i in range(subs)]
        mounts += [Mount(f"/main{i}", *MAIN[:3], 4000, "smpte") for i in range(mains)]
    else:
        sub_clip = make_clip(clip_dir() / f"sub-{seconds}s.mp4", *SUB, seconds * SUB[2])
        main_clip = make_clip(clip_dir() / f"main-{seconds}s.mp4", *MAIN, seconds * MAIN[2])
        mounts += [Mount(f"/sub{i}", *SUB[:3], file=str(sub_clip)) for i in range(subs)]
        mounts += [Mount(f"/main{i}", *MAIN[:3], file=str(main_clip)) for i in range(mains)]
    server = DemoCameraServer(mounts, frame_log="" if live else frame_log)
    server.start()
    pool = DecoderPool(workers=2)
    tiles = VideoTiles(pool)
    wall = QWidget()
    wall.setFixedSize(*WALL)
    cw, ch = WALL[0] // GRID, WALL[1] // GRID
    cells = [(c, r) for r in range(GRID) for c in range(GRID) if not (r < 3 and c < 3)]
    widgets: dict[str, VideoTileWidget] = {}
    painted: list[tuple[str, int, int]] = []  # (stream, stamp, paint end ns)
    pending: dict[str, int] = {}

    class Tile(VideoTileWidget):
        def __init__(self, key: str) -> None:
            super().__init__(wall)
            self.key = key

        def paintEvent(self, event: object) -> None:  # type: ignore[override]
            super().paintEvent(event)  # type: ignore[arg-type]
            stamp = pending.pop(self.key, None)
            if stamp is not None and measuring and keep_frames:
                painted.append((self.key, stamp, time.monotonic_ns()))

    def cam(key: str) -> CameraRecord:
        url = f"{server.base_url}/{key}"
        return CameraRecord(
            key, key, (), 0, 0, "", "", url, url if key.startswith("sub") else "", "", "h264", (), "fixed"
        )

    keys = [f"main{i}" for i in range(mains)] + [f"sub{i}" for i in range(subs)]
    for i, key in enumerate(keys):
        t = Tile(key)
        t.setMinimumSize(2, 2)
        if key == "main0":
            t.setGeometry(0, 0, 3 * cw, 3 * ch)
        else:
            c, r = cells[i - (1 if mains else 0)]
            t.setGeometry(c * cw, r * ch, cw, ch)
        widgets[key] = t
    wall.show()
    for key, t in widgets.items():
        tiles.set_camera(key, cam(key))
        tiles.set_geometry(key, t.width(), t.height(), True)
    ticks: list[int] = []
    measuring = False

    def tick() -> None:
        if measuring and (keep_frames or len(ticks) < 100_000):
            ticks.append(time.monotonic_ns())
        for key, view in tiles.frame().items():
            t = widgets[key]
            if view.image is not None:
                meta = pool._streams[key].ring.newest_meta()  # type: ignore[union-attr]
                if meta is not None and meta.stamp is not None:
                    pending[key] = meta.stamp
                t.set_image(view.image)
            t.set_status(TileLook.LIVE if view.health.value == "live" else TileLook.NO_SIGNAL, "", "", "")

    timer = QTimer()
    timer.setTimerType(timer.timerType().PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(20)
    end_at = time.monotonic() + warmup_s
    while time.monotonic() < end_at:
        app.processEvents()
        time.sleep(0.002)
    pids = [os.getpid(), *pool.worker_pids()]
    cpu0 = {p: _proc_cpu_s(p) for p in pids}
    server_cpu0 = _proc_cpu_s(server.pid) if server.pid else 0.0
    rss0 = {p: _rss_mb(p) for p in pids}
    dec0 = {k: pool.stats(k).cpu_s for k in keys}
    t0_ns = time.monotonic_ns()
    measuring = True
    end_at = time.monotonic() + window_s
    rss_samples: list[tuple[float, float]] = []  # (GUI, workers) MB
    next_sample = 0.0
    while time.monotonic() < end_at:
        app.processEvents()
        time.sleep(0.002)
        if time.monotonic() >= next_sample:  # the wall's memory, once a minute
            rss_samples.append((_rss_mb(pids[0]), sum(_rss_mb(p) for p in pids[1:])))
            next_sample = time.monotonic() + 60.0
    measuring = False
    t1_ns = time.monotonic_ns()
    win = (t1_ns - t0_ns) / 1e9
    cpu = {p: (_proc_cpu_s(p) - cpu0[p]) / win * 100 for p in pids}
    server_cpu = ((_proc_cpu_s(server.pid) - server_cpu0) / win * 100) if server.pid else 0.0
    rss1 = {p: _rss_mb(p) for p in pids}
    dec = {k: (pool.stats(k).cpu_s - dec0[k]) / win * 100 for k in keys}
    skipped = sum(pool.stats(k).skipped for k in keys)
    timer.stop()
    tiles.close()
    pool.shutdown()
    server.stop()
    wall.close()
    gaps = np.diff(np.array(ticks)) / 1e6
    out: dict[str, float] = {
        "window_s": win,
        "wall_frame_p50_ms": _pct(list(gaps), 50),
        "wall_frame_p99_ms": _pct(list(gaps), 99),
        "wall_frame_max_ms": float(gaps.max()) if len(gaps) else float("nan"),
        "gui_cpu_pct": cpu[pids[0]],
        "packets_skipped_to_catch_up": float(skipped),
        "workers_cpu_pct": sum(cpu[p] for p in pids[1:]),
        "server_cpu_pct": server_cpu,
        "decode_cpu_per_sub_pct": float(np.mean([dec[k] for k in keys if k.startswith("sub")]))
        if subs
        else 0.0,
        "decode_cpu_per_main_pct": float(np.mean([dec[k] for k in keys if k.startswith("main")]))
        if mains
        else 0.0,
        "rss_gui_start_mb": rss0[pids[0]],
        "rss_gui_end_mb": rss1[pids[0]],
        "rss_workers_start_mb": sum(rss0[p] for p in pids[1:]),
        "rss_workers_end_mb": sum(rss1[p] for p in pids[1:]),
        "rss_gui_after_warmup_growth_mb": rss_samples[-1][0] - rss_samples[0][0],
        "rss_workers_after_warmup_growth_mb": rss_samples[-1][1] - rss_samples[0][1],
        "rss_total_max_mb": max(g + w for g, w in rss_samples),
        "rss_samples": float(len(rss_samples)),
    }
    shown: dict[str, set[int]] = {k: set() for k in keys}
    for key, stamp, _ in painted:
        shown[key].add(stamp)
    if live:
        for kind in ("sub", "main"):
            lat = [((t // 1_000_000) - s) & 0xFFFFFFFF for k, s, t in painted if k.startswith(kind)]
            lat = [x for x in lat if x < 100_000]
            out[f"{kind}_capture_to_paint_p50_ms"] = _pct(lat, 50)
            out[f"{kind}_capture_to_paint_p99_ms"] = _pct(lat, 99)
        fps = {k: len(v) / win for k, v in shown.items()}
        out["sub_painted_fps_min"] = min((v for k, v in fps.items() if k.startswith("sub")), default=0.0)
        out["main_painted_fps_min"] = min((v for k, v in fps.items() if k.startswith("main")), default=0.0)
    else:
        due: dict[tuple[str, int], int] = {}
        with open(frame_log, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                due[(row["path"].lstrip("/"), int(row["n"]))] = int(row["due_ns"])
        lat_by: dict[str, list[float]] = {"sub": [], "main": []}
        for key, stamp, t in painted:
            d = due.get((key, stamp))
            if d is not None:
                lat_by["main" if key.startswith("main") else "sub"].append((t - d) / 1e6)
        for kind, lat in lat_by.items():
            out[f"{kind}_camera_to_tile_p50_ms"] = _pct(lat, 50)
            out[f"{kind}_camera_to_tile_p99_ms"] = _pct(lat, 99)
        # Frames sent in the window (due inside it, less one frame of slack at the end) against
        # frames painted of those.
        ratios, dropped = [], 0
        for key in keys:
            sent = {n for (k, n), d in due.items() if k == key and t0_ns <= d <= t1_ns - 200_000_000}
            got = sent & shown[key]
            dropped += len(sent) - len(got)
            if sent:
                ratios.append(len(got) / len(sent))
        out["shown_over_sent_min"] = min(ratios) if ratios else 0.0
        out["frames_dropped"] = float(dropped)
    return out


def soak(minutes: float) -> dict[str, float]:
    """32 + 1 pre-encoded for ``minutes``: RSS once a minute (``python -m bench.video soak 30``).
    Nothing is kept per frame (a first 30-minute run kept every painted frame's stamp for the
    latency figures: 0.9 M tuples, the 110 MB the GUI process grew by)."""
    out = measure(32, 1, live=False, window_s=minutes * 60, clip_s=120, keep_frames=False)
    return {
        k: v
        for k, v in out.items()
        if k.startswith(("rss", "window", "gui_cpu", "workers_cpu", "wall_frame"))
    }


class Wall:
    """The rest of the wall on the same box while the video is measured: the cockpit on its embedded
    demo city (five runways on five virtual screens and the console, 2,000 sensor updates a second),
    offscreen, in its own process. (The video panels are not in the runways yet: the video tiles are
    measured in the benchmark's own window beside it.)"""

    def __init__(self, seconds: float) -> None:
        import subprocess
        import sys

        data = tempfile.mkdtemp(prefix="cockpit-bench-wall-")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cockpit.app.main", "--demo", "--windowed", "--screens", "5",
             "--no-record", "--data-dir", data, "--quit-after", str(int(seconds))],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.cpu0 = 0.0

    def start_window(self) -> None:
        self.cpu0 = _proc_cpu_s(self.proc.pid)

    def cpu_pct(self, window_s: float) -> float:
        return (
            (_proc_cpu_s(self.proc.pid) - self.cpu0) / window_s * 100
            if self.proc.poll() is None
            else float("nan")
        )

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def run(quick: bool) -> dict[str, dict[str, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    window = float(os.environ.get("COCKPIT_BENCH_VIDEO_S", "20" if quick else "60"))
    subs = int(os.environ.get("COCKPIT_BENCH_VIDEO_SUBS", "32"))
    with_wall = os.environ.get("COCKPIT_BENCH_VIDEO_WALL", "1") != "0"
    out = {}
    for name, args in (("video_preencoded", (subs, 1, False)), ("video_live", (16, 1, True))):
        wall = Wall(window + 200) if with_wall else None
        try:
            if wall is not None:
                time.sleep(8.0)  # the wall's start-up (embedded city pre-warm, first frames)
                wall.start_window()
            t0 = time.monotonic()
            out[name] = measure(*args, window_s=window)
            if wall is not None:
                out[name]["rest_of_wall_cpu_pct"] = wall.cpu_pct(time.monotonic() - t0)
        finally:
            if wall is not None:
                wall.stop()
    return out


if __name__ == "__main__":
    import json
    import sys

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if sys.argv[1:2] == ["soak"]:
        print(json.dumps(soak(float(sys.argv[2]) if len(sys.argv) > 2 else 30.0), indent=1))
    else:
        print(json.dumps(run("--quick" in sys.argv), indent=1))
