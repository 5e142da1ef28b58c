"""``cockpit-bench video``: camera tiles on the whole wall, in one process (issue 21; docs/benchmarks.md "Video").

Each run builds the real cockpit in this process, as ``cockpit --demo`` does: a demo city streaming
2,000 sensor values a second on loopback (its thread, as the embedded demo backend), the default
wall's five runways on five virtual screens and the console, and a sixth screen with the
benchmark's runway: ``video`` panels (one main-stream camera on the left, the sub-stream cameras in
4×4 grids on the right) whose cameras are in the city's catalog (stream ``cameras``) and are served
by the demo's RTSP server (GStreamer) on loopback. The video goes the product's whole way: catalog
→ model → ``VideoModel`` → ``VideoTiles`` → ``DecoderPool`` (two decoder processes) → the
``VideoTileWidget`` of each tile, on the wall's own frame timer. Each configuration runs in a
process of its own.

1. **pre-encoded**: 32 sub streams (640×360, 15 fps, 768 kbit/s) and one main stream (1920×1080,
   25 fps, 6 Mbit/s) streamed from H.264 clips without re-encoding, as cameras elsewhere would send
   them (clips made once by x264 in GStreamer, main profile, no B-frames, 2 s GOP, CBR; cached in
   ~/.cache/cockpit-bench/video). Each clip frame carries its index in the picture; the server logs
   when each frame was due, so camera-to-tile latency = paint time − due time, per frame, from the
   picture's own stamp.
2. **live encoder on the box**: 16 sub + 1 main encoded live by x264 (the demo's cameras), each
   frame stamped with its capture time: capture-to-paint latency.

Reported: the wall's frame interval p50/p99/max (its 16 ms frame timer, the whole wall), frames
painted against frames sent per stream, latency p50/p99, decode CPU per stream (the decoder
threads' own CPU time), the processes' CPU, and RSS (the wall's process and the decoders) once a
minute. ``COCKPIT_BENCH_VIDEO_S`` sets the window (default 60 s, 20 s with --quick),
``COCKPIT_BENCH_VIDEO_SUBS`` / ``COCKPIT_BENCH_VIDEO_LIVE_SUBS`` the sub streams of each run.
``python -m bench.video soak 30``: 32 + 1 pre-encoded for 30 minutes, memory and frame times only;
``python -m bench.video one SUBS MAINS LIVE(0|1) SECONDS``: one configuration. Where 32 + 1
pre-encoded misses a goal (:data:`GOALS`), the run tries 24, 16, 8 and 4 sub streams (+ 1 main) and
reports the largest configuration that meets every goal, as the issue asks.
"""

from __future__ import annotations

import asyncio
import csv
import json
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SUB = (640, 360, 15, 768)
MAIN = (1920, 1080, 25, 6000)
CITY_RATE = 2000.0
"""Sensor values a second of the demo city behind the wall (the embedded demo's rate)."""
RUNWAY = "bench_video"
WALL_RUNWAYS = ("overview", "forest_fire", "flood", "traffic", "water_supply")
"""The default wall's five runways, each on a screen of its own beside the benchmark's runway."""


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


def _serve_city(base_url: str, cameras: list[Any], url_q: Any, stop: Any) -> None:
    """The demo city with the benchmark's cameras in its catalog, on loopback (a child process)."""
    from cockpit.app.embedded import PREWARM_S
    from cockpit.backend.city import City
    from cockpit.backend.server import DemoBackend, now_ms
    from cockpit.backend.streams import Hub
    from cockpit.protocol.admission import Limits

    async def main() -> None:
        city = City(Hub(), seed=1, rate=CITY_RATE)
        city.time_origin_ms = now_ms() - int(PREWARM_S * 1000)
        city.add_cameras(base_url, cameras=cameras)
        city.advance(PREWARM_S)
        backend = DemoBackend(city, speed=1.0, limits=Limits())
        await backend.start()
        url_q.put(backend.url)
        while not stop.is_set():
            await asyncio.sleep(0.2)
        await backend.stop()

    asyncio.run(main())


class _City:
    """The demo city behind the wall, in a process of its own, as a district's backend is: the
    wall's memory figures are the wall's. (In one process, as ``cockpit --demo`` runs it, the city's
    resume log, up to 400,000 messages a stream, grew the process by 5.5 MB a minute for half an
    hour: a 30-minute soak measured the city, not the wall.)"""

    def __init__(self, base_url: str, cameras: list[Any]) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self._q, self._stop = ctx.Queue(), ctx.Event()
        self._proc = ctx.Process(
            target=_serve_city, args=(base_url, cameras, self._q, self._stop), daemon=True
        )

    def start(self) -> str:
        import queue

        self._proc.start()
        for _ in range(180):  # its pre-warm, on a loaded machine
            try:
                return str(self._q.get(timeout=1.0))
            except queue.Empty:
                if not self._proc.is_alive():  # it died: say so now, not in three minutes
                    break
        self._proc.kill()
        raise RuntimeError(
            f"the benchmark's demo city did not start (exit code {self._proc.exitcode}; its traceback is above)"
        )

    @property
    def pid(self) -> int:
        return self._proc.pid or 0

    def stop(self) -> None:
        self._stop.set()
        self._proc.join(timeout=10)
        if self._proc.is_alive():
            self._proc.kill()


def _runway(folder: Path, subs: int, mains: int) -> None:
    """The benchmark's runway: the main camera on the left, the sub cameras in 4×4 grids."""
    panels = []
    if mains:
        panels.append(
            {"kind": "video", "at": [0, 0, 7, 8], "title": {"en": "Main stream"},
             "video": {"grid": 1, "cameras": [f"bench-main{i}" for i in range(mains)]}}
        )  # fmt: skip
    for g in range((subs + 15) // 16):
        ids = [f"bench-sub{i:02d}" for i in range(16 * g, min(subs, 16 * g + 16))]
        rows = 8 // max(1, (subs + 15) // 16)
        panels.append(
            {"kind": "video", "at": [7, g * rows, 5, rows], "title": {"en": f"Sub streams {g + 1}"},
             "video": {"grid": 4, "cameras": ids}}
        )  # fmt: skip
    spec = {"id": RUNWAY, "title": {"en": "Video benchmark"}, "panels": panels}
    (folder / f"{RUNWAY}.yaml").write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML


def measure(
    subs: int,
    mains: int,
    live: bool,
    window_s: float,
    warmup_s: float = 15.0,
    clip_s: int = 0,
    keep_frames: bool = True,
) -> dict[str, float]:
    """One run; the figures of :mod:`bench.video`'s docstring. ``clip_s`` shortens the clips (they
    end and the decoders reconnect), for a memory soak longer than a clip is worth encoding."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from cockpit.app.wiring import RUNWAYS_DIR, Cockpit, freeze_startup_heap
    from cockpit.backend.cameras.catalog import DemoCamera
    from cockpit.backend.cameras.rtsp import DemoCameraServer, Mount, make_clip
    from cockpit.backend.city import DISTRICTS
    from cockpit.feed import ConnectionState, Identity
    from cockpit.present.wall_layout import LayoutEntry, WallLayout, virtual_screens
    from cockpit.video.health import Health
    from widgets.video_tile import VideoTileWidget

    app = QApplication.instance() or QApplication(["bench"])
    seconds = clip_s or 60 * math.ceil((warmup_s + window_s + 45) / 60)  # whole minutes: cached clips reused
    work = Path(tempfile.mkdtemp(prefix="cockpit-bench-video-"))
    frame_log = str(work / "sends.csv")
    sub_ids = [f"bench-sub{i:02d}" for i in range(subs)]
    main_ids = [f"bench-main{i}" for i in range(mains)]
    mounts = []
    if live:
        mounts += [
            Mount(f"/{c}/sub", *SUB[:3], 500, "smpte" if i % 2 else "ball") for i, c in enumerate(sub_ids)
        ]
        mounts += [Mount(f"/{c}/main", *MAIN[:3], 4000, "smpte") for c in main_ids]
    else:
        sub_clip = make_clip(clip_dir() / f"sub-{seconds}s.mp4", *SUB, seconds * SUB[2])
        main_clip = make_clip(clip_dir() / f"main-{seconds}s.mp4", *MAIN, seconds * MAIN[2])
        mounts += [Mount(f"/{c}/sub", *SUB[:3], file=str(sub_clip)) for c in sub_ids]
        mounts += [Mount(f"/{c}/main", *MAIN[:3], file=str(main_clip)) for c in main_ids]
    server = DemoCameraServer(mounts, frame_log="" if live else frame_log)
    server.start()
    # Cameras of a theme no runway or alarm rule asks for: only the benchmark's runway shows them,
    # in the demo city's first district (the city publishes a camera in one of its districts).
    district = DISTRICTS[0].code
    cameras = [
        DemoCamera(c, c, c, district, "bench", (), (0.0, 0.0), at=(106.5, 29.6)) for c in sub_ids + main_ids
    ]
    city = _City(server.base_url, cameras)
    url = city.start()
    runways = work / "runways"
    runways.mkdir()
    _runway(runways, subs, mains)
    layout = WallLayout(screens=[LayoutEntry(runway=r) for r in (*WALL_RUNWAYS, RUNWAY)])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    cockpit = Cockpit([url], Identity("bench", "bench", "viewer"), "en", [runways, RUNWAYS_DIR], layout)
    cockpit.place(virtual_screens(len(layout.screens)))
    cockpit.wall.show(full_screen=False)
    freeze_startup_heap()  # as cockpit/app/run.py does before the wall goes live
    pool = cockpit.video_pool
    assert pool is not None
    tiles, binder = cockpit.video_tiles, cockpit.video_binder

    # The picture's own stamp of the frame each tile was last given, and when that tile painted it.
    pending: dict[str, int] = {}
    painted: list[tuple[str, int, int]] = []  # (mount path, stamp, paint end ns)
    measuring = False
    take = pool.take

    def take_noting(key: str) -> Any:
        frame = take(key)
        if frame is not None and frame.meta.stamp is not None:
            pending[key] = frame.meta.stamp
        return frame

    pool.take = take_noting  # type: ignore[method-assign]
    key_of: dict[int, str] = {}
    paint = VideoTileWidget.paintEvent

    def paint_noting(self: VideoTileWidget, event: Any) -> None:
        paint(self, event)
        key = key_of.get(id(self))
        stamp = pending.pop(key, None) if key is not None else None
        if key is not None and stamp is not None and measuring and keep_frames:
            painted.append((path_of.get(key, key), stamp, time.monotonic_ns()))

    VideoTileWidget.paintEvent = paint_noting  # type: ignore[method-assign]
    path_of: dict[str, str] = {}
    ticks: list[int] = []
    cockpit.frame_timer.timeout.connect(
        lambda: (
            ticks.append(time.monotonic_ns()) if measuring and (keep_frames or len(ticks) < 200_000) else None
        )
    )
    out: dict[str, float] = {}

    async def body() -> None:
        nonlocal measuring
        cockpit.start()
        deadline = time.monotonic() + 180

        def live() -> int:  # tiles whose stream has shown a frame (opening one takes seconds under load)
            return sum(pool.health(k).health is Health.LIVE for k in tiles.decoding())

        while not (
            cockpit.feed is not None and cockpit.feed.state is ConnectionState.LIVE and live() >= subs + mains
        ):
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {live()} of {subs + mains} tiles live after 180 s")
            await asyncio.sleep(0.1)
        await asyncio.sleep(warmup_s)
        for key, w in binder.widgets.items():
            key_of[id(w)] = key
            cam, kind = tiles.camera_of(key), tiles.decoding().get(key)
            if cam is not None and kind is not None:
                path_of[key] = f"{cam.id}/{kind.value}"
        keys = [k for k in binder.widgets if k in path_of]
        pids = [os.getpid(), *pool.worker_pids()]
        cpu0 = {p: _proc_cpu_s(p) for p in pids}
        server_cpu0 = _proc_cpu_s(server.pid) if server.pid else 0.0
        city_cpu0 = _proc_cpu_s(city.pid)
        rss0 = {p: _rss_mb(p) for p in pids}
        dec0 = {k: pool.stats(k).cpu_s for k in keys}
        skipped0 = sum(pool.stats(k).skipped for k in keys)
        t0_ns = time.monotonic_ns()
        measuring = True
        end_at = time.monotonic() + window_s
        rss_samples: list[tuple[float, float]] = []  # (GUI, decoders) MB, once a minute
        while time.monotonic() < end_at:
            rss_samples.append((_rss_mb(pids[0]), sum(_rss_mb(p) for p in pids[1:])))
            await asyncio.sleep(min(60.0, max(0.0, end_at - time.monotonic())))
        rss_samples.append((_rss_mb(pids[0]), sum(_rss_mb(p) for p in pids[1:])))
        measuring = False
        t1_ns = time.monotonic_ns()
        win = (t1_ns - t0_ns) / 1e9
        cpu = {p: (_proc_cpu_s(p) - cpu0[p]) / win * 100 for p in pids}
        dec = {k: (pool.stats(k).cpu_s - dec0[k]) / win * 100 for k in keys}
        gaps = np.diff(np.array(ticks)) / 1e6
        subs_k = [k for k in keys if path_of[k].endswith("/sub")]
        mains_k = [k for k in keys if path_of[k].endswith("/main")]
        out.update(
            {
                "window_s": win,
                "tiles_sub": float(len(subs_k)),
                "tiles_main": float(len(mains_k)),
                **{
                    f"{kind}_tile_{dim}": float(getattr(binder.widgets[ks[0]], dim)()) if ks else 0.0
                    for kind, ks in (("sub", subs_k), ("main", mains_k))
                    for dim in ("width", "height")
                },
                "wall_frame_p50_ms": _pct(list(gaps), 50),
                "wall_frame_p99_ms": _pct(list(gaps), 99),
                "wall_frame_max_ms": float(gaps.max()) if len(gaps) else float("nan"),
                "gui_cpu_pct": cpu[pids[0]],
                "workers_cpu_pct": sum(cpu[p] for p in pids[1:]),
                "server_cpu_pct": ((_proc_cpu_s(server.pid) - server_cpu0) / win * 100)
                if server.pid
                else 0.0,
                "city_cpu_pct": (_proc_cpu_s(city.pid) - city_cpu0) / win * 100,
                "packets_skipped_to_catch_up": float(sum(pool.stats(k).skipped for k in keys) - skipped0),
                "decode_cpu_per_sub_pct": float(np.mean([dec[k] for k in subs_k])) if subs_k else 0.0,
                "decode_cpu_per_main_pct": float(np.mean([dec[k] for k in mains_k])) if mains_k else 0.0,
                "rss_gui_start_mb": rss0[pids[0]],
                "rss_gui_end_mb": _rss_mb(pids[0]),
                "rss_workers_start_mb": sum(rss0[p] for p in pids[1:]),
                "rss_workers_end_mb": sum(_rss_mb(p) for p in pids[1:]),
                "rss_gui_after_warmup_growth_mb": rss_samples[-1][0] - rss_samples[0][0],
                "rss_workers_after_warmup_growth_mb": rss_samples[-1][1] - rss_samples[0][1],
                "rss_total_max_mb": max(g + w for g, w in rss_samples),
                "rss_samples": float(len(rss_samples)),
                "t0_ns": float(t0_ns),
                "t1_ns": float(t1_ns),
            }
        )
        for i, (g, w) in enumerate(rss_samples):
            out[f"rss_gui_mb_at_{i}"] = g
            out[f"rss_workers_mb_at_{i}"] = w
        await cockpit.stop()

    try:
        with loop:
            loop.run_until_complete(body())
    finally:
        VideoTileWidget.paintEvent = paint  # type: ignore[method-assign]
        asyncio.set_event_loop(None)
        cockpit.close()
        city.stop()
        server.stop()
    t0_ns, t1_ns = int(out.pop("t0_ns")), int(out.pop("t1_ns"))
    if not keep_frames:
        return out  # a soak: memory and frame times only
    win = out["window_s"]
    shown: dict[str, set[int]] = {p: set() for p in path_of.values()}
    for path, stamp, _ in painted:
        shown[path].add(stamp)
    if live:
        for kind in ("sub", "main"):
            lat = [((t // 1_000_000) - s) & 0xFFFFFFFF for p, s, t in painted if p.endswith(kind)]
            lat = [x for x in lat if x < 100_000]
            out[f"{kind}_capture_to_paint_p50_ms"] = _pct(lat, 50)
            out[f"{kind}_capture_to_paint_p99_ms"] = _pct(lat, 99)
        fps = {p: len(v) / win for p, v in shown.items()}
        out["sub_painted_fps_min"] = min((v for p, v in fps.items() if p.endswith("sub")), default=0.0)
        out["main_painted_fps_min"] = min((v for p, v in fps.items() if p.endswith("main")), default=0.0)
    else:
        due: dict[tuple[str, int], int] = {}
        with open(frame_log, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                due[(row["path"].lstrip("/"), int(row["n"]))] = int(row["due_ns"])
        lat_by: dict[str, list[float]] = {"sub": [], "main": []}
        for path, stamp, t in painted:
            d = due.get((path, stamp))
            if d is not None:
                lat_by["main" if path.endswith("main") else "sub"].append((t - d) / 1e6)
        for kind, lat in lat_by.items():
            out[f"{kind}_camera_to_tile_p50_ms"] = _pct(lat, 50)
            out[f"{kind}_camera_to_tile_p99_ms"] = _pct(lat, 99)
        # Frames sent in the window (due inside it, less 200 ms of slack at the end) against
        # frames painted of those.
        ratios, dropped = [], 0
        for path in shown:
            sent = {n for (p, n), d in due.items() if p == path and t0_ns <= d <= t1_ns - 200_000_000}
            got = sent & shown[path]
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


def _one(subs: int, mains: int, live: bool, window_s: float) -> dict[str, float]:
    """One configuration in a process of its own (a wall, its decoders and its memory each time)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "bench.video", "one", str(subs), str(mains), str(int(live)), str(window_s)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        timeout=window_s + 600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bench.video one {subs} {mains} {live}: {proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


GOALS = {
    "wall_frame_p99_ms": 33.0,
    "sub_camera_to_tile_p99_ms": 200.0,
    "main_camera_to_tile_p99_ms": 200.0,
    "sub_capture_to_paint_p99_ms": 250.0,
    "main_capture_to_paint_p99_ms": 250.0,
}
"""Issue 21's goals: a figure at most this (frames dropped: none, for the pre-encoded run)."""


def misses(result: dict[str, float], live: bool) -> list[str]:
    """The goals ``result`` misses, in words ([] where it meets every one). The wall's frame p99 is
    a goal of the pre-encoded run; the live run's is capture-to-paint."""
    out: list[str] = []
    for key, goal in GOALS.items():
        if key not in result or (live and key == "wall_frame_p99_ms"):
            continue
        value = result[key]
        if not value <= goal:  # a NaN (nothing measured) misses too
            out.append(f"{key} {value:.1f} > {goal:g}")
    if not live and result.get("frames_dropped", 1.0) > 0:
        out.append(f"frames_dropped {result.get('frames_dropped', float('nan')):.0f} > 0")
    return out


def run(quick: bool) -> dict[str, dict[str, float]]:
    """Both runs; where the pre-encoded run misses a goal, smaller configurations of it in turn
    (sub streams 24, 16, 8, 4, with the main stream) until one meets every goal: the largest that
    does is reported (``largest_meeting_goals``: its sub streams, 0 where none does)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    window = float(os.environ.get("COCKPIT_BENCH_VIDEO_S", "20" if quick else "60"))
    subs = int(os.environ.get("COCKPIT_BENCH_VIDEO_SUBS", "32"))
    live_subs = int(os.environ.get("COCKPIT_BENCH_VIDEO_LIVE_SUBS", "16"))
    out = {
        "video_preencoded": _one(subs, 1, False, window),
        "video_live": _one(live_subs, 1, True, window),
    }
    missed = misses(out["video_preencoded"], live=False)
    out["video_preencoded"]["goals_missed"] = float(len(missed))
    out["video_live"]["goals_missed"] = float(len(misses(out["video_live"], live=True)))
    largest = 0 if missed else subs
    if missed and not quick:
        for smaller in (n for n in (24, 16, 8, 4) if n < subs):
            result = _one(smaller, 1, False, window)
            out[f"video_preencoded_{smaller}"] = result
            if not misses(result, live=False):
                largest = smaller
                break
    out["largest_meeting_goals"] = {"preencoded_subs": float(largest), "preencoded_mains": 1.0 if largest else 0.0}
    return out


if __name__ == "__main__":
    import sys

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if sys.argv[1:2] == ["soak"]:
        print(json.dumps(soak(float(sys.argv[2]) if len(sys.argv) > 2 else 30.0), indent=1))
    elif sys.argv[1:2] == ["one"]:
        subs, mains, live, window = sys.argv[2:6]
        print(json.dumps(measure(int(subs), int(mains), live == "1", float(window))))
    else:
        print(json.dumps(run("--quick" in sys.argv), indent=1))
