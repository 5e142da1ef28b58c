"""Startup: seconds from launching ``cockpit --demo`` to its first live frame (issue 7 ``startup``).

Each run is a new process (Python, Qt, the embedded city, the websocket, the snapshot, five screens):
the time from just before the launch to the first frame that painted live sensor data. The first
run is the coldest this machine allows without dropping the OS caches (which needs root and would
disturb other work); the median of the rest is reported beside it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _once() -> float:
    exe = Path(sys.executable).parent / "cockpit"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t0 = time.time()
    proc = subprocess.run(
        [str(exe), "--demo", "--screens", "5", "--windowed", "--quit-after", "6"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("cockpit: first live frame at "):
            return float(line.rsplit(" ", 1)[1]) - t0
    raise RuntimeError(f"no live frame within 6 s:\n{proc.stderr[-2000:]}")


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    runs = [_once() for _ in range(2 if quick else 5)]
    return {"startup": {"first_live_frame_s": runs[0], "warm_median_s": statistics.median(runs[1:])}}


if __name__ == "__main__":
    print(run(quick=True))
