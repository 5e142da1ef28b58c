"""File locks without fcntl (as on Windows), and the start-up path with fcntl absent (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cockpit.audit.files import FileLock, InUse

NO_FCNTL = "import sys\nsys.modules['fcntl'] = None  # as on Windows: `import fcntl` raises ImportError\n"
BIN = Path(sys.executable).parent


def run_without_fcntl(code: str, *args: str, timeout: float = 60, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_FCNTL + textwrap.dedent(code), *args],
        capture_output=True, text=True, timeout=timeout, check=False, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_fcntl_locks_are_exclusive_between_processes(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "outbox.jsonl")
    other = subprocess.run(
        [sys.executable, "-c", "import sys, pathlib; from cockpit.audit.files import FileLock, InUse\n"
         "try:\n    FileLock(pathlib.Path(sys.argv[1]))\nexcept InUse: sys.exit(3)", str(tmp_path / "outbox.jsonl")],
        check=False,
    )  # fmt: skip
    lock.release()
    assert other.returncode == 3


def test_without_fcntl_a_lock_is_held_by_a_live_process_only(tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    holder = subprocess.Popen(
        [sys.executable, "-c", NO_FCNTL + "import pathlib, time\nfrom cockpit.audit.files import FileLock\n"
         f"FileLock(pathlib.Path({str(target)!r}))\nprint('held', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        probe = """
            import pathlib, sys
            from cockpit.audit import files
            assert files._fcntl is None
            try:
                files.FileLock(pathlib.Path(sys.argv[1]))
            except files.InUse:
                sys.exit(3)
        """
        assert run_without_fcntl(probe, str(target)).returncode == 3  # the holder runs
    finally:
        holder.kill()
        holder.communicate()
    # The holder died without releasing (like kill -9): its lock is not held any more.
    assert run_without_fcntl(probe, str(target)).returncode == 0


def test_a_released_lock_can_be_taken_again(tmp_path: Path) -> None:
    first = FileLock(tmp_path / "x")
    with pytest.raises(InUse):
        FileLock(tmp_path / "x")
    first.release()
    FileLock(tmp_path / "x").release()


@pytest.mark.slow
def test_the_start_up_path_runs_without_fcntl(tmp_path: Path) -> None:
    """The whole cockpit starts, goes live, keeps its audit log and outbox and stops, with no fcntl."""
    shots = tmp_path / "shots"
    code = """
        import sys
        from cockpit.app.main import main
        code = main(sys.argv[1:])
        assert "fcntl" not in sys.modules or sys.modules["fcntl"] is None
        sys.exit(code)
    """
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = run_without_fcntl(
        code, "--demo", "--screenshot", str(shots), "--quit-after", "5", "--data-dir", str(tmp_path / "data"),
        "--record", str(tmp_path / "rec"), timeout=180, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "cockpit: first live frame at" in proc.stdout
    assert "in use" not in proc.stderr and "memory only" not in proc.stderr  # the locks worked
    assert (tmp_path / "data" / "audit.jsonl").read_text().count('"action"') >= 1
    assert list((tmp_path / "rec").glob("cockpit-*.mcap"))
    assert (shots / "console.png").exists()
