"""Record: what recording costs the GUI thread at 50,000 sensor updates a second (issue 5 ``record``).

Sensor values arrive as columnar batches (protocol §5.2), so 50 k updates/s is 50 frames a second
of 1,000 values each, plus events and heartbeats. The frames of a synthetic session are made first
(bench/recording_gen.py); then the recorder's tap is timed alone on them, with its state snapshots,
chunk flushes and segment finishing, and its CPU time is divided by the seconds of session recorded.
The live pipeline (session and model) runs beside it for the snapshots but is not counted.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.recording_gen import Pipeline, frames

UPDATES_PER_S = 50_000


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    seconds = 120.0 if quick else 600.0
    session = list(frames(seconds, UPDATES_PER_S))
    directory = Path(tempfile.mkdtemp(prefix="cockpit-bench-record-"))
    try:
        from cockpit.record.recorder import Recorder

        pipeline = Pipeline(None)
        recorder = Recorder(directory, state=pipeline.state, segment_s=300)
        spent = 0.0
        for frame, t in session:
            t0 = time.process_time()
            recorder.tap(frame, t)
            spent += time.process_time() - t0
            pipeline.receive(frame, t)
        t0 = time.process_time()
        recorder.close()
        spent += time.process_time() - t0
        size = sum(p.stat().st_size for p in directory.glob("*.mcap"))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return {
        "record": {
            "cpu_share_at_50k": spent / seconds,
            "tap_us_per_frame": spent / len(session) * 1e6,
            "bytes_per_update": size / (seconds * UPDATES_PER_S),
            "mb_per_hour": size / seconds * 3600 / 1e6,
        }
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
