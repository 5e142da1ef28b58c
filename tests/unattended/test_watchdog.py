"""Issue 19: a hung frame loop is restarted by the watchdog.

The wall runs under ``cockpit supervise`` (the service manager where there is no systemd) with
``$NOTIFY_SOCKET`` pointing at this test's socket, as systemd's would. A few lines around the real
``cockpit`` make its frame loop hang once (``Cockpit.frame`` sleeps for an hour on the GUI thread) after
it went live. The test sees ``READY=1`` and the frame loop's ``WATCHDOG=1`` pings, then the pings
stop; the in-process watchdog writes the hung stacks and ends the process; the supervisor starts it
again; the new run is live and counts one watchdog restart.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cockpit.service.health import HealthSample
from cockpit.service.watchdog import EXIT_HUNG
from tests.conftest import TIME_SCALE
from tests.unattended.helpers import live_status, offscreen_env, wait_for

pytestmark = pytest.mark.slow

HANG_ONCE = """
import sys, time
from pathlib import Path
from cockpit.app import wiring

marker = Path(sys.argv[1])
original_frame = wiring.Cockpit.frame


def frame(self):
    original_frame(self)
    if self.first_live_frame_at and time.time() - self.first_live_frame_at > 4 and not marker.exists():
        marker.touch()
        print("hanging the GUI thread", flush=True)
        time.sleep(3600)  # stuck: no more frames, no more watchdog pings


if __name__ == "__main__":  # the camera decoders' spawned processes import this file too
    wiring.Cockpit.frame = frame
    from cockpit.app.main import main

    sys.exit(main(sys.argv[2:]))
"""


def test_a_hung_frame_loop_is_restarted_by_the_watchdog(tmp_path: Path) -> None:
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(0.2)
    script = tmp_path / "hang_once.py"
    script.write_text(HANG_ONCE)
    data, log = tmp_path / "data", tmp_path / "supervise.log"
    # As systemd would set them; the supervisor's --watchdog-s (3 s) is the in-process watchdog's time.
    env = offscreen_env(tmp_path, NOTIFY_SOCKET=str(tmp_path / "notify"), WATCHDOG_USEC="2000000")
    wall_args = ["--demo", "--screens", "2", "--windowed", "--data-dir", str(data), "--no-record"]
    with log.open("w") as out:
        sup = subprocess.Popen(
            [sys.executable, "-m", "cockpit.app.main", "supervise", "--watchdog-s", "3", "--restart-delay", "0.5", "--",
             sys.executable, str(script), str(tmp_path / "hung-once"), *wall_args],
            stdout=out, stderr=subprocess.STDOUT, env=env, text=True,
        )  # fmt: skip
    messages: list[tuple[float, str]] = []

    def drain() -> None:
        try:
            while True:
                messages.append((time.monotonic(), notify.recv(4096).decode()))
        except TimeoutError:
            pass

    def seen(text: str) -> int:
        drain()
        return sum(text in m for _, m in messages)

    try:
        wait_for(lambda: seen("READY=1") >= 1, 120, "the first run's READY=1", sup)
        wait_for(lambda: (tmp_path / "hung-once").exists(), 60, "the frame loop to hang", sup)
        hung_at = time.monotonic()
        pings_before = seen("WATCHDOG=1")
        assert pings_before >= 2, messages  # the frame loop fed the watchdog while it ran
        wait_for(lambda: seen("READY=1") >= 2, 120, "the second run's READY=1", sup)
        restarted_at = next(t for t, m in messages if "READY=1" in m and t > hung_at)
        # No ping came between the hang and the new run: the stuck loop could not feed the watchdog.
        assert not [m for t, m in messages if "WATCHDOG=1" in m and hung_at + 0.5 < t < restarted_at - 1]

        # The hung first run left its own status file saying live (starts=1): wait for the second's.
        def second_run_live() -> HealthSample | None:
            s = live_status(data)
            return s if s is not None and s.starts >= 2 else None

        sample = wait_for(second_run_live, 120, "the second run to be live", sup)
        assert sample.watchdog_restarts == 1 and sample.last_ending == "watchdog"
        reports = list(data.glob("hang-*.txt"))
        assert len(reports) == 1
        stacks = reports[0].read_text()
        assert "GUI thread was silent" in stacks
        assert 'hang_once.py", line' in stacks and "in frame" in stacks  # where the GUI thread was stuck
        text = log.read_text()
        assert f"with status {EXIT_HUNG} (its watchdog: the GUI thread was stuck)" in text
        wait_for(lambda: seen("WATCHDOG=1") > pings_before, 30 * TIME_SCALE, "pings from the new run", sup)
    finally:
        sup.send_signal(signal.SIGTERM)
        try:
            code = sup.wait(60)
        except subprocess.TimeoutExpired:
            sup.kill()
            code = sup.wait()
        notify.close()
    assert code == 0, log.read_text()[-3000:]
    assert "stopped in order after SIGTERM" in log.read_text()
