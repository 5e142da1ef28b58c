"""``cockpit status``: what it says and its exit status, from the files a wall leaves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import msgspec

from cockpit.service.health import HealthSample, StatusFile
from cockpit.service.runs import RunRecord, RunsFile
from cockpit.service.status import EXIT_LIVE, EXIT_NOT_LIVE, EXIT_NOT_RUNNING, EXIT_STALE, describe

NOW = 1_800_000_000.0


def sample(**kw: object) -> HealthSample:
    base: dict[str, object] = {"time": NOW - 1, "pid": os.getpid(), "started": NOW - 3600, "url": "ws://b:1"}
    base.update(kw)
    return HealthSample(**base)  # type: ignore[arg-type]


def running() -> RunsFile:
    return RunsFile(starts=3, watchdog_restarts=1, unclean_exits=1, current=RunRecord(pid=os.getpid(), started=NOW - 3600))


def test_live_wall() -> None:
    code, lines = describe(sample(link="live", frame_p50_ms=16.6, frame_p99_ms=18.0, frame_max_ms=30.0, frames=9), running(), NOW)
    text = "\n".join(lines)
    assert code == EXIT_LIVE
    assert "link     live: ws://b:1" in text and "p99 18.0 ms" in text
    assert "1 by the watchdog, 1 unclean, 3 starts" in text


def test_offline_wall_says_since_when() -> None:
    since = NOW - 3600
    code, lines = describe(sample(link="offline", offline_since=since, link_detail="cannot reach ws://b:1"), running(), NOW)
    assert code == EXIT_NOT_LIVE
    clock = time.strftime("%H:%M:%S", time.localtime(since))
    assert any(line.startswith("link     OFFLINE since") and clock in line and "(60 min)" in line for line in lines), lines


def test_a_wall_that_stopped_reporting_is_called_not_responding() -> None:
    code, lines = describe(sample(link="live", time=NOW - 60), running(), NOW)
    assert code == EXIT_STALE and any("NOT RESPONDING" in line for line in lines)


def test_not_running_when_the_run_ended_or_its_process_is_gone() -> None:
    assert describe(None, RunsFile(starts=1), NOW)[0] == EXIT_NOT_RUNNING
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = RunsFile(starts=1, current=RunRecord(pid=int(dead.stdout), started=NOW - 10))
    code, lines = describe(sample(), gone, NOW)
    assert code == EXIT_NOT_RUNNING and "did not stop in order" in lines[0]


def test_the_command_reads_the_data_folder(tmp_path: Path) -> None:
    StatusFile(tmp_path).write(sample(link="live", time=time.time()))
    (tmp_path / "runs.json").write_bytes(msgspec.json.encode(running()))
    proc = subprocess.run(
        [sys.executable, "-m", "cockpit.app.main", "status", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == EXIT_LIVE, proc.stdout + proc.stderr
    assert proc.stdout.startswith("cockpit: running") and f"(from {tmp_path})" in proc.stdout
    as_json = subprocess.run(
        [sys.executable, "-m", "cockpit.app.main", "status", "--data-dir", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert msgspec.json.decode(as_json.stdout)["sample"]["link"] == "live"
