"""Shared by the unattended-wall tests: cockpits as real processes, a backend on its own thread."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from cockpit.backend.city import City
from cockpit.backend.faultproxy import FaultProxy
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.protocol.messages import Command, CommandAck
from cockpit.service.health import HealthSample, read_status
from tests.conftest import TIME_SCALE

BIN = Path(sys.executable).parent
T = TypeVar("T")


def offscreen_env(tmp: Path, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp / "xdg-data"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        **extra,
    )


def start_cockpit(args: list[str], env: dict[str, str], log: Path, exe: list[str] | None = None) -> subprocess.Popen[str]:
    """``cockpit ARGS`` (or ``exe ARGS``) with stdout and stderr into ``log``."""
    with log.open("a") as out:  # the child has its own copy of the descriptor
        return subprocess.Popen(
            [*(exe or [str(BIN / "cockpit")]), *args], stdout=out, stderr=subprocess.STDOUT, env=env, text=True
        )


def wait_for(cond: Callable[[], T], timeout: float, what: str, proc: subprocess.Popen[str] | None = None) -> T:
    deadline = time.monotonic() + timeout * TIME_SCALE
    while True:
        value = cond()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the cockpit exited ({proc.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def status(data_dir: Path) -> HealthSample | None:
    return read_status(data_dir)


def live_status(data_dir: Path, pid: int | None = None) -> HealthSample | None:
    """The status file of a live wall (of process ``pid``, if given: a killed one leaves its file)."""
    s = read_status(data_dir)
    if s is None or (pid is not None and s.pid != pid):
        return None
    return s if s.link == "live" and s.first_live_frame_s is not None else None


class CountingCity(City):
    """Counts every command it is handed, by id, and what it answered."""

    def __init__(self) -> None:
        super().__init__(Hub(), seed=3, rate=400, event_rate=120, sensors_per_kind=4)
        self.handled: Counter[str] = Counter()
        self.results: dict[str, list[str]] = {}

    def handle_command(self, command: Command, role: str, operator: str = "") -> CommandAck:
        ack = super().handle_command(command, role, operator)
        self.handled[command.id] += 1
        self.results.setdefault(command.id, []).append(str(ack.result))
        return ack


class BackendThread:
    """A demo backend behind a fault proxy, on a thread with its own asyncio loop."""

    def __init__(self, city: City, port: int = 0) -> None:
        self.city = city
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="test-backend", daemon=True)
        self.thread.start()
        self.backend = DemoBackend(city, heartbeat_ms=300, speed=4)
        self.call(self.backend.start("127.0.0.1", port))
        self.proxy = FaultProxy(self.backend.url)
        self.call(self.proxy.start())

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def run(self, fn: Callable[[], T]) -> T:
        async def wrapped() -> T:
            return fn()

        return self.call(wrapped())

    def stop(self) -> None:
        self.call(self.proxy.stop())
        self.call(self.backend.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
