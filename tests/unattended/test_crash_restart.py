"""Issue 19, "Crash and restart": ``kill -9`` with commands pending, then a restart.

The first cockpit (the real ``cockpit`` program, with a few lines that click "acknowledge" on some
alarms once a trigger file appears) sends its commands while the backend's answers are held back by
a fault proxy: the backend applies them, the cockpit never hears so. It is killed with SIGKILL. The
second cockpit, on the same data folder, resends the outbox's commands with their ids: the backend
answers ``duplicate`` and applies each exactly once. It also opens with the console as it was and,
until the backend answers, the last recorded situation.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pytest

from cockpit.backend.faultproxy import Direction
from cockpit.record.last_known import last_known_state
from cockpit.service.session import load_session
from tests.unattended.helpers import (
    BackendThread,
    CountingCity,
    live_status,
    offscreen_env,
    start_cockpit,
    status,
    wait_for,
)

pytestmark = pytest.mark.slow

CLICKER = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from cockpit.app import wiring
from cockpit.feed import ConnectionState

count, trigger, argv = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
original_start = wiring.Cockpit.start


def start(self):
    original_start(self)
    timer = QTimer(self.console)

    def click():
        if not trigger.exists() or self.feed.state is not ConnectionState.LIVE:
            return
        timer.stop()
        alarms = [e for e in self.situation.open_events() if not e.acked_by][:count]
        self.ctx.selection.choose(alarms[-1].id)  # the officer's selection, kept across the crash
        for e in alarms:
            command = self.alarms.acknowledge(e.id, e.occurrence)  # what the Acknowledge button makes
            self.send(command)  # and how the composition root sends it
            print("clicked", command.id, e.id, flush=True)

    timer.timeout.connect(click)
    timer.start(100)


if __name__ == "__main__":  # spawned helper processes (camera decoders) import this file too
    wiring.Cockpit.start = start
    from cockpit.app.main import main

    sys.exit(main(argv))
"""


def pending_in_journal(path: Path) -> set[str]:
    pending: set[str] = set()
    for line in path.read_text().splitlines()[1:]:
        entry = json.loads(line)
        if entry["op"] == "command":
            pending.add(entry["command"]["id"])
        elif entry["op"] == "done":
            pending.discard(entry["id"])
    return pending


def test_kill_9_with_commands_pending_then_restart_applies_each_once(tmp_path: Path) -> None:
    city = CountingCity()
    backend = BackendThread(city)
    data, rec, log = tmp_path / "data", tmp_path / "rec", tmp_path / "cockpit.log"
    env = offscreen_env(tmp_path)
    args = [
        "--backend",
        backend.proxy.url,
        "--kiosk",
        "--screens",
        "2",
        "--data-dir",
        str(data),
        "--record",
        str(rec),
    ]
    trigger = tmp_path / "click-now"
    script = tmp_path / "clicker.py"
    script.write_text(CLICKER)
    try:
        first = start_cockpit(["3", str(trigger), *args], env, log, exe=[sys.executable, str(script)])
        wait_for(lambda: live_status(data, first.pid), 120, "the first cockpit to be live", first)
        wait_for(
            lambda: len(city.state.events) >= 3 and list(rec.glob("*.mcap")), 60, "events and a recording"
        )
        backend.run(lambda: backend.proxy.half_open(Direction.DOWN))  # answers are held back from now
        trigger.touch()
        clicked = wait_for(
            lambda: (
                [line.split()[1:] for line in log.read_text().splitlines() if line.startswith("clicked ")][:3]
                if log.read_text().count("clicked ") >= 3
                else None
            ),
            30,
            "three acknowledgements",
            first,
        )
        ids = {c for c, _ in clicked}
        wait_for(lambda: all(city.handled[c] == 1 for c in ids), 30, "the backend to apply them")
        wait_for(lambda: pending_in_journal(data / "outbox.jsonl") == ids, 10, "the outbox to hold them")
        wait_for(
            lambda: (load_session(data) or None) and load_session(data).selected_event == clicked[-1][1],
            15,
            "the session saved",
        )  # type: ignore[union-attr]

        # The recorder's last state snapshot has reached the disk (written out every 2 s, frames or
        # not): the restarted wall shows it until the backend answers.
        wait_for(lambda: last_known_state(rec), 30, "a state snapshot on disk", first)
        first.send_signal(signal.SIGKILL)  # kill -9: nothing is finished, nothing is flushed
        first.wait(30)
        assert pending_in_journal(data / "outbox.jsonl") == ids  # the journal survived the kill

        backend.run(backend.proxy.clear)
        backend.run(backend.proxy.cut)
        second = start_cockpit(args, env, log)
        try:
            wait_for(lambda: live_status(data, second.pid), 120, "the restarted cockpit to be live", second)
            wait_for(lambda: not pending_in_journal(data / "outbox.jsonl"), 60, "the outbox to drain", second)
            for c in ids:  # resent with the same id: answered "duplicate", applied once
                results = city.results[c]
                assert len(results) >= 2 and results[1:] == ["duplicate"] * (len(results) - 1), results
            assert all(city.state.events[e].acked_by for _, e in clicked)
            text = log.read_text()
            assert "did not stop in order" in text  # the run log noticed the kill
            assert "console restored: tab 0, event " + clicked[-1][1] in text
            assert "showing the last known situation of" in text
            sample = wait_for(
                lambda: (s := status(data)) is not None and s.outbox_commands == 0 and s,
                10,
                "the status",
                second,
            )
            assert sample.unclean_exits == 1 and sample.pid == second.pid
            assert sample.first_live_frame_s is not None
            print(f"restart to first live frame: {sample.first_live_frame_s:.2f} s")
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(60) == 0, log.read_text()[-3000:]
    finally:
        backend.stop()
