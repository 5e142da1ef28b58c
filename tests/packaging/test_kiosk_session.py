"""The wall service's session script, run as the unit runs it, on a real X server (Xorg, dummy driver).

``packaging/linux/kiosk-session`` is the unit's ``ExecStart``: it must start X with the cockpit as its
only client, pass systemd's notification socket and watchdog on to the cockpit (which sends
``READY=1`` and the frame loop's ``WATCHDOG=1`` from under xinit, so ``NotifyAccess=all``), and, on
the SIGTERM systemd sends the main process (``KillMode=mixed``), end with the cockpit stopped in
order before X. Needs root (Xorg) and xinit (scripts/setup --test).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.xdisplay import DUMMY_CONF, free_display
from cockpit.service.runs import Ending, read_runs
from tests.unattended.helpers import live_status, wait_for

pytestmark = pytest.mark.slow
SESSION = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "kiosk-session"


def test_kiosk_session_runs_the_wall_under_x_and_stops_it_in_order(tmp_path: Path) -> None:
    assert os.geteuid() == 0, "Xorg needs root here (CI runs as root)"
    conf = tmp_path / "dummy.conf"
    conf.write_text(DUMMY_CONF)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(0.2)
    data, log = tmp_path / "data", tmp_path / "session.log"
    display = f":{free_display()}"
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(tmp_path / "xdg"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        # What the unit and /etc/default/cockpit-wall give it, pointed at this test's files:
        "NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "1",
        "COCKPIT_BIN": str(Path(sys.executable).parent / "cockpit"), "COCKPIT_DATA_DIR": str(data),
        "COCKPIT_ARGS": "--demo --no-record", "COCKPIT_VT": "", "COCKPIT_DISPLAY": display,
        "COCKPIT_X_ARGS": f"-config {conf} -logfile {tmp_path / 'xorg.log'}",
    }  # fmt: skip
    messages: list[str] = []

    def seen(text: str) -> bool:
        try:
            while True:
                messages.append(notify.recv(4096).decode())
        except TimeoutError:
            pass
        return any(text in m for m in messages)

    with log.open("w") as out:
        session = subprocess.Popen([str(SESSION)], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(lambda: seen("READY=1"), 120, "READY=1 from the cockpit under xinit", session)  # type: ignore[arg-type]
        wait_for(lambda: seen("WATCHDOG=1"), 30, "the frame loop's pings", session)  # type: ignore[arg-type]
        sample = wait_for(lambda: live_status(data), 60, "a live wall", session)  # type: ignore[arg-type]
        assert sample.kiosk
        xset = subprocess.run(["xset", "-display", display, "q"], capture_output=True, text=True, check=True)
        assert "timeout:  0" in xset.stdout  # never blanks
        keys = subprocess.run(["setxkbmap", "-display", display, "-query"], capture_output=True, text=True)
        assert "srvrkeys:none" in keys.stdout  # Ctrl+Alt+Fn and Ctrl+Alt+Backspace leave nothing
        session.send_signal(signal.SIGTERM)  # what systemd sends the main process on stop
        code = session.wait(60)
        stopping = seen("STOPPING=1")
    finally:
        if session.poll() is None:
            session.kill()
            session.wait()
        notify.close()
    text = log.read_text(errors="replace")
    runs = read_runs(data / "runs.json")
    assert runs.last is not None and runs.last.ending is Ending.CLEAN, text[-3000:]
    assert "SIGTERM received: stopping in order" in text  # passed on by the session script
    assert "connection broke" not in text  # X outlived the cockpit's orderly stop
    assert stopping
    assert code == 0  # the cockpit's own exit status
    time.sleep(0.5)
    assert not Path(f"/tmp/.X11-unix/X{display[1:]}").exists(), "X stopped after the cockpit"
