"""``cockpit supervise``: restarts a wall that ends, backs off in a crash loop, stops it in order."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from cockpit.service.supervisor import RestartPolicy, Supervisor, wall_command
from tests.conftest import TIME_SCALE

CHILD = """
import os, signal, sys, time
log = sys.argv[1]
with open(log, "a") as f:
    f.write(f"{os.getpid()} {os.environ.get('COCKPIT_WATCHDOG_S')}\\n")
runs = len(open(log).read().splitlines())
if runs < 3:
    os._exit(70)  # as a wall ended by its watchdog
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
time.sleep(60)
sys.exit(5)
"""


def test_policy_backs_off_in_a_crash_loop_and_forgives_a_long_run() -> None:
    p = RestartPolicy(delay_s=1, max_delay_s=8, healthy_after_s=60)
    assert [p.next_delay(2) for _ in range(5)] == [1, 2, 4, 8, 8]
    assert p.next_delay(3600) == 1


def test_options_are_the_cockpits_own_arguments() -> None:
    assert wall_command(["--kiosk"])[-1] == "--kiosk" and wall_command(["--kiosk"])[0] == sys.executable
    assert wall_command(["/opt/other", "-x"]) == ["/opt/other", "-x"]


def test_restarts_the_child_until_it_runs_then_stops_it_in_order(tmp_path: Path) -> None:
    log = tmp_path / "runs"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    sup = Supervisor([sys.executable, str(script), str(log)], RestartPolicy(0.05, 0.2), watchdog_s=12)
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(sup.run()))
    thread.start()
    deadline = time.monotonic() + 30 * TIME_SCALE
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 3):
        time.sleep(0.05)
    time.sleep(0.5)  # the third run has installed its SIGTERM handler
    lines = log.read_text().splitlines()
    assert len(lines) == 3 and all(line.endswith(" 12") for line in lines)  # COCKPIT_WATCHDOG_S passed
    sup.stop()
    thread.join(30)
    assert result == [0] and sup.starts == 3  # SIGTERM reached the child, which stopped in order


def test_the_command_stops_its_wall_on_sigterm(tmp_path: Path) -> None:
    log = tmp_path / "runs"
    script = tmp_path / "child.py"
    script.write_text(CHILD.replace("runs < 3", "runs < 1"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cockpit.app.main", "supervise", "--restart-delay", "0.1", "--",
         sys.executable, str(script), str(log)],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30 * TIME_SCALE
    while time.monotonic() < deadline and not log.exists():
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "SIGTERM received: stopping the wall" in err
