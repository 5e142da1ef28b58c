"""The short soak (issue 8, "Soak"): 2 M messages and 200 k Qt signal emits through the real wiring.

``bench/soak.py --quick`` runs the firehose backend and the cockpit as child processes, so that a
crash (PySide6's ``bool_dealloc`` abort, a segfault) is a failed test with its output, not a dead
test run. The long form (100 M messages, 10 M emits) runs by hand: ``python -m bench.soak``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.test_wall_under_faults import report

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(1800)  # about a minute on an idle machine; several on a shared, busy one
def test_short_soak_does_not_crash_lose_data_or_grow(tmp_path: Path) -> None:
    out = tmp_path / "soak.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.soak",
            "--quick",
            "--screens",
            "1",
            "--sample-s",
            "2",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1700,
    )
    assert out.exists(), f"the soak wrote no figures (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    figures = json.loads(out.read_text())
    assert not figures["crashed"], (
        f"the cockpit crashed (exit {figures['exit_code']}):\n{figures['stderr_tail']}"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert figures["messages"] >= 2_000_000 and figures["emits"] >= 200_000
    assert figures["gaps"] == 0 and figures["malformed"] == 0 and figures["reconnects"] == 0
    # Generous: a leak of a few hundred bytes per message would show as hundreds of MB here.
    assert figures["rss_growth_pct"] < 50, f"RSS grew {figures['rss_growth_pct']} % after warm-up"
    report("soak_short", {k: v for k, v in figures.items() if k != "samples"})
