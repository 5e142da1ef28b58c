"""Issue 14's cases 2 and 3 against the real demo backend in its own process, as the officer met them:
the backend killed and started again without its state (no ghost alarm may stay "Live"), and the
backend stopped with SIGSTOP while a dispatch is on its way (no local give-up, no second engine)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from cockpit.app.wiring import Cockpit
from cockpit.feed import ConnectionState, Identity
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.messages import CommandKind, EventState, UnitStatus
from tests.app.test_wall import dispose, run_on_qt_loop
from tests.helpers import wait_until

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BackendProcess:
    """``cockpit-backend`` in a process of its own, on a port that survives its restarts."""

    def __init__(self, port: int, tmp: Path) -> None:
        self.port = port
        self.log = tmp / "backend.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "cockpit.backend.main", "--port", str(self.port), "--speed", "4", "--heartbeat-ms", "300"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise AssertionError(f"the backend did not listen; see {self.log}")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    b = BackendProcess(free_port(), tmp_path)
    b.start()
    yield b
    if b.proc is not None:
        b.signal(signal.SIGCONT)
        b.kill()


@pytest.fixture
def cockpit(qapp: QApplication, backend: BackendProcess, tmp_path: Path) -> Iterator[Cockpit]:
    c = Cockpit([backend.url], Identity("officer-loop", "officer-5", "operator"), outbox_path=tmp_path / "outbox.jsonl")
    c.place(virtual_screens(2, 1600, 900))
    c.wall.show(full_screen=False)
    yield c
    dispose(c)


def test_a_backend_restarted_without_its_state_leaves_no_ghost_alarm(
    qapp: QApplication, cockpit: Cockpit, backend: BackendProcess
) -> None:
    console = cockpit.console

    async def body() -> None:
        cockpit.start()
        await wait_until(lambda: console.alarms.row_count() >= 3, timeout=60, what="alarms at the console")
        before = set(console.alarms.alarm_ids())
        old_epoch = cockpit.situation.epochs.get("events")
        backend.kill()
        await wait_until(lambda: cockpit.source.state is not ConnectionState.LIVE, what="the link noticed")
        backend.start()  # a new epoch: the demo city starts again from nothing
        await wait_until(
            lambda: cockpit.source.state is ConnectionState.LIVE and cockpit.situation.epochs.get("events") != old_epoch,
            timeout=60,
            what="live again, in the new epoch",
        )
        await asyncio.sleep(1.0)  # a few frames and a slow moment
        listed = set(console.alarms.alarm_ids())
        assert listed <= set(cockpit.situation.events), "every listed alarm is one the backend has"
        assert not (listed & before - set(cockpit.situation.events)), "no alarm of the old epoch is left"
        assert "restarted without its state" in console.status.text()
        await cockpit.stop()

    run_on_qt_loop(qapp, body)


def test_a_dispatch_sent_into_a_stopped_backend_is_never_shown_failed_and_never_sent_twice(
    qapp: QApplication, cockpit: Cockpit, backend: BackendProcess, qtbot: QtBot
) -> None:
    console = cockpit.console
    sit = cockpit.situation

    def candidate() -> str | None:
        for e in sit.open_events():
            if e.state is EventState.NEW and any(
                u in sit.units and sit.units[u].status is UnitStatus.AVAILABLE for u in e.recommended
            ):
                return e.id
        return None

    async def body() -> None:
        cockpit.start()
        await wait_until(lambda: cockpit.source.state is ConnectionState.LIVE and candidate() is not None, timeout=60)
        button = console.dispatch.panel.findChild(QPushButton, "dispatchButton")
        assert button is not None

        def ready() -> bool:
            eid = candidate()
            if eid is None:
                return False
            cockpit.ctx.selection.choose(eid)
            return console.dispatch.model.event_id == eid and button.isEnabled()

        await wait_until(ready, timeout=30, what="a dispatch ready to send")
        eid = console.dispatch.model.event_id
        assert eid is not None
        backend.signal(signal.SIGSTOP)  # the backend freezes: its socket stays open, nothing answers
        await asyncio.sleep(0.6)  # the officer reads the button
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        (rec,) = [r for r in cockpit.book.records.values() if r.command.kind == CommandKind.DISPATCH]
        seen: set[CommandStatus] = set()
        t_end = time.monotonic() + 15  # longer than three tries of 3 s
        while time.monotonic() < t_end:
            seen.add(rec.status)
            assert cockpit.book.why_not(CommandKind.DISPATCH, eid), "a second engine must never be offered"
            row = console.board.row_of(rec.command.id)
            assert row is None or ("no response" not in row.state and "failed" not in row.state.lower())
            await asyncio.sleep(0.25)
        assert CommandStatus.UNANSWERED not in seen, "tries into a stalled link do not count"
        assert cockpit.source.state is not ConnectionState.LIVE, "the stall is shown"
        backend.signal(signal.SIGCONT)
        await wait_until(lambda: rec.command.id in sit.dispatches, timeout=60, what="the backend's word")
        await wait_until(
            lambda: (r := console.board.row_of(rec.command.id)) is not None and "no response" not in r.state,
            what="the board follows the backend",
        )
        dispatches = [r for r in cockpit.book.records.values() if r.command.kind == CommandKind.DISPATCH]
        assert len(dispatches) == 1, "one engine"
        assert rec.status in (CommandStatus.SENT, CommandStatus.ACCEPTED)
        await cockpit.stop()

    run_on_qt_loop(qapp, body)
