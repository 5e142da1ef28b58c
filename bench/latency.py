"""Latency under load: frames, feed-to-frame, click-to-ack (issue 7 ``latency`` and ``dispatch``).

``cockpit-backend --rate 50000`` runs in its own process; the real cockpit (offscreen, five runway
screens, qasync on the GUI thread) takes its feed. Measured in the app, on one wall clock:

- ``frame_p99_ms``: intervals between the wall's frame-timer ticks; ``timer_floor_p99_ms`` is the same
  for a bare 16 ms QTimer on the same loop in the same run, before the wall starts: the machine's floor;
- ``feed_to_pixel_p99_ms``: for each frame that applied new data, the wall-clock time at that frame's
  update minus the newest server ``ts`` it applied (the backend stamps ``ts`` when it publishes);
  the repaint Qt then does is not included;
- ``click_to_ack_p99_ms``: acknowledge commands sent through the same path a click takes
  (the panel's command sender → the feed's outbox → the socket), to the ack arriving in the sink.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

RATE = 50_000


def _start_backend() -> tuple[subprocess.Popen[str], str]:
    exe = Path(sys.executable).parent / "cockpit-backend"
    proc = subprocess.Popen(
        [str(exe), "--port", "0", "--rate", str(RATE), "--events-per-min", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("cockpit-backend: serving "):
        proc.kill()
        raise RuntimeError(f"backend did not start: {line!r}")
    return proc, line.split()[2]


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cockpit.app.wall import FRAME_MS
    from cockpit.app.wiring import Cockpit, freeze_startup_heap
    from cockpit.feed import ConnectionState, Identity
    from cockpit.present.wall_layout import virtual_screens
    from cockpit.protocol.events import CommandAcked
    from cockpit.protocol.ids import uuid7
    from cockpit.protocol.messages import Command, CommandKind

    seconds = 4.0 if quick else 12.0
    proc, url = _start_backend()
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    cockpit = Cockpit([url], Identity("bench", "bench", "operator"))
    cockpit.place(virtual_screens(5))
    cockpit.wall.show(full_screen=False)
    freeze_startup_heap()  # as cockpit/app/run.py does before the wall goes live
    ticks: list[float] = []
    lags: list[float] = []
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    original_frame = cockpit.frame

    def frame() -> None:
        ticks.append(time.perf_counter())
        before = cockpit.presenter.newest_ts
        original_frame()
        if cockpit.presenter.newest_ts > before:
            lags.append(time.time() * 1000 - cockpit.presenter.newest_ts)

    cockpit.frame_timer.timeout.disconnect()
    cockpit.frame_timer.timeout.connect(frame)
    original_sink = cockpit.feed.sink

    def sink(events: list[object]) -> None:
        now = time.perf_counter()
        for ev in events:
            if isinstance(ev, CommandAcked):
                answered.setdefault(ev.ack.id, now)
        original_sink(events)  # type: ignore[arg-type]

    cockpit.feed.sink = sink

    floor: list[float] = []

    async def timer_floor() -> None:
        """The machine's own floor, in the same run: a bare 16 ms QTimer on the same loop, the wall
        built but not started and the backend already streaming (to nobody)."""
        bare = QTimer()
        bare.setInterval(FRAME_MS)
        bare.timeout.connect(lambda: floor.append(time.perf_counter()))
        bare.start()
        await asyncio.sleep(seconds / 3)
        bare.stop()

    async def body() -> None:
        await timer_floor()
        cockpit.start()
        while not (cockpit.feed.state is ConnectionState.LIVE and cockpit.situation.events):
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)
        ticks.clear()
        lags.clear()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            event_id = next(iter(cockpit.situation.events))
            cid = uuid7(int(time.time() * 1000))
            sent[cid] = time.perf_counter()
            cockpit.send(Command(id=cid, kind=CommandKind.ACKNOWLEDGE, event_id=event_id))
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        await cockpit.stop()

    try:
        with loop:
            loop.run_until_complete(body())
    finally:
        cockpit.wall.close()
        proc.terminate()
        proc.wait(timeout=10)
    gaps = np.diff(np.array(ticks)) * 1000
    click = np.array([(answered[c] - t) * 1000 for c, t in sent.items() if c in answered])
    return {
        "latency": {
            "rate_updates_per_s": float(RATE),
            "frame_p99_ms": float(np.percentile(gaps, 99)),
            "frame_max_gap_ms": float(gaps.max()),
            "feed_to_pixel_p99_ms": float(np.percentile(lags, 99)),
            "feed_to_pixel_p50_ms": float(np.percentile(lags, 50)),
            "timer_floor_p99_ms": float(np.percentile(np.diff(np.array(floor)) * 1000, 99)),
        },
        "dispatch": {
            "click_to_ack_p99_ms": float(np.percentile(click, 99)),
            "click_to_ack_p50_ms": float(np.percentile(click, 50)),
            "commands": float(len(click)),
            "unanswered": float(len(sent) - len(click)),
        },
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
