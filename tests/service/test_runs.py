"""The run log: a clean stop, a process that died, a watchdog ending, across real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cockpit.service.runs import Ending, RunLog, read_runs


def die_without_saying(path: Path) -> None:
    """A real process starts a run and is killed (os._exit: no clean-up, like kill -9)."""
    code = (
        "import os, pathlib, time\n"
        "from cockpit.service.runs import RunLog\n"
        f"RunLog(pathlib.Path({str(path)!r}), time.time())\n"
        "os._exit(9)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 9


def test_clean_then_killed_then_watchdog(tmp_path: Path) -> None:
    path = tmp_path / "runs.json"
    first = RunLog(path, 1000.0)
    assert first.previous is None and first.data.starts == 1
    first.end(Ending.CLEAN, 1010.0)
    assert read_runs(path).current is None

    die_without_saying(path)
    third = RunLog(path, 2000.0)
    runs = third.data
    assert runs.starts == 3 and runs.unclean_exits == 1 and runs.watchdog_restarts == 0
    assert third.previous is not None and third.previous.ending is Ending.UNCLEAN
    third.end(Ending.WATCHDOG, 2030.0, "GUI thread stuck 20 s")

    fourth = RunLog(path, 2040.0)
    assert fourth.data.watchdog_restarts == 1 and fourth.data.unclean_exits == 1
    assert fourth.previous is not None and fourth.previous.ending is Ending.WATCHDOG
    assert fourth.previous.detail == "GUI thread stuck 20 s"


def test_a_second_cockpit_on_the_same_folder_keeps_no_log(tmp_path: Path) -> None:
    path = tmp_path / "runs.json"
    first = RunLog(path, 1.0)
    second = RunLog(path, 2.0)
    assert "in use" in second.problem
    second.end(Ending.CLEAN, 3.0)  # does nothing to the first's file
    assert read_runs(path).current is not None
    first.end(Ending.CLEAN, 4.0)


def test_a_damaged_file_counts_from_zero(tmp_path: Path) -> None:
    path = tmp_path / "runs.json"
    path.write_text("{not json")
    log = RunLog(path, 5.0)
    assert log.data.starts == 1 and log.problem == ""
    log.end(Ending.CLEAN, 6.0)
