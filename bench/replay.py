"""Replay: seek time in a 1-hour recording, and the wall's frame rate while replaying at 60×.

A synthetic 1-hour session at 50,000 sensor updates a second (bench/recording_gen.py) is recorded
through the real recorder, in 10-minute segments with a state snapshot every 15 s. Then the real
cockpit (five runways, offscreen) replays it:

- ``seek_ms``: from the click to the first painted frame of the target instant: the seek (nearest
  snapshot, then the frames after it through the protocol core into the model) plus one wall frame
  and a synchronous repaint of every screen. Median and worst of 20 seeks to random instants.
- ``fps_at_60x``: wall frames per second while the replay plays at 60× on the GUI thread, and the
  share of replay ticks that could not keep up (playback then slows; the wall keeps painting).

On a machine shared with other work the wall-clock figures fall with the load; the CPU-time figures
(``seek_cpu_ms``, ``cpu_ms_per_frame_at_60x``: this process's CPU per seek and per painted frame,
including Qt's painting) do not, and 1000 / ``cpu_ms_per_frame_at_60x`` is the frame rate one free
core would give.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.recording_gen import make_recording


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    minutes = 10 if quick else 60
    directory = Path(tempfile.mkdtemp(prefix="cockpit-bench-replay-"))
    try:
        make_recording(directory, minutes * 60, 50_000, segment_s=600)
        return {"replay": {"recording_minutes": float(minutes), **_measure(directory, quick)}}
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _measure(directory: Path, quick: bool) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity
    from cockpit.present.wall_layout import virtual_screens
    from cockpit.record.reader import Recording

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    recording = Recording(directory)
    cockpit = Cockpit(["ws://127.0.0.1:1"], Identity("bench", "bench", "viewer"), replay=recording)
    wall = cockpit.wall
    cockpit.place(virtual_screens(5))
    wall.show(full_screen=False)
    source = cockpit.replay
    assert source is not None
    rng = random.Random(3)
    seeks = []
    seek_cpu = []
    for _ in range(8 if quick else 20):
        target = rng.randint(recording.start_ns, recording.end_ns)
        t0, c0 = time.perf_counter(), time.process_time()
        source.seek(target)
        cockpit.frame()
        for window in wall.windows.values():
            window.repaint()
        seeks.append((time.perf_counter() - t0) * 1000)
        seek_cpu.append((time.process_time() - c0) * 1000)
    ticks: list[float] = []
    cockpit.frame_timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    lagging = [0, 0]
    cpu = [0.0]

    async def body() -> float:
        cockpit.start()  # starts at the beginning, playing
        source.set_speed(60)
        await asyncio.sleep(1.0)
        ticks.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        position0 = source.position_ns
        end = t0 + (5.0 if quick else 15.0)
        while time.perf_counter() < end:
            await asyncio.sleep(0.1)
            lagging[0] += 1
            lagging[1] += int(source.lagging)
        elapsed = time.perf_counter() - t0
        cpu[0] = time.process_time() - c0
        speed = (source.position_ns - position0) / 1e9 / elapsed
        await cockpit.stop()
        return speed

    with loop:
        achieved = loop.run_until_complete(body())
    wall.close()
    gaps = np.diff(np.array(ticks)) * 1000 if len(ticks) > 2 else np.array([0.0])
    return {
        "seek_ms": statistics.median(seeks),
        "seek_max_ms": max(seeks),
        "seek_cpu_ms": statistics.median(seek_cpu),
        "fps_at_60x": len(ticks) / (ticks[-1] - ticks[0]) if len(ticks) > 1 else 0.0,
        "frame_p99_ms_at_60x": float(np.percentile(gaps, 99)),
        "cpu_ms_per_frame_at_60x": cpu[0] * 1000 / max(1, len(ticks)),
        "achieved_speed_at_60x": achieved,
        "lagging_share_at_60x": lagging[1] / max(1, lagging[0]),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
