"""How this wall's earlier runs ended, kept across restarts (``<data dir>/runs.json``).

Each start marks the file "running" with its pid; an orderly stop marks it "clean". A start that
finds the mark of a run that never stopped knows that run died: killed (``kill -9``, out of memory,
power), crashed, or stopped by systemd's watchdog. The in-process watchdog (cockpit/service/watchdog.py)
marks its own exits "watchdog" before it ends the process. The counts are what ``cockpit status``
and the metrics report as restarts.

The file is small JSON, replaced atomically on every change. It is locked for the run (one cockpit
per data folder, like the outbox): a second cockpit on the same folder gets no run log, and says so.
"""

from __future__ import annotations

import enum
import logging
import os
from pathlib import Path

import msgspec

from cockpit.audit.files import FileLock, InUse, SyncPolicy, write_atomically

log = logging.getLogger(__name__)


class Ending(enum.Enum):
    """How a run ended."""

    CLEAN = "clean"
    """An orderly quit: a signal, the console closed, ``--quit-after``."""
    WATCHDOG = "watchdog"
    """The in-process watchdog ended it: its GUI thread was stuck."""
    UNCLEAN = "unclean"
    """It never said: killed, crashed, stopped by systemd's watchdog, or the machine lost power."""


class RunRecord(msgspec.Struct, kw_only=True):
    pid: int
    started: float
    """Unix time."""
    ended: float = 0.0
    ending: Ending | None = None
    detail: str = ""


class RunsFile(msgspec.Struct, kw_only=True):
    format: str = "cockpit-runs"
    v: int = 1
    starts: int = 0
    watchdog_restarts: int = 0
    """Runs ended by the in-process watchdog (a hung GUI thread)."""
    unclean_exits: int = 0
    """Runs that ended without saying how (killed, crashed, systemd's watchdog)."""
    current: RunRecord | None = None
    """The run in progress (or, found at start, one that died)."""
    last: RunRecord | None = None
    """The run before this one, with how it ended."""


_DECODER = msgspec.json.Decoder(RunsFile)


class RunLog:
    """This run's entry in ``runs.json``.

    Args:
        path: The file (``<data dir>/runs.json``).
        now: Unix time of this start.
    """

    def __init__(self, path: Path, now: float) -> None:
        self.path = path
        self.problem = ""
        self._lock: FileLock | None = None
        self.data = RunsFile()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(path)
        except (InUse, OSError) as exc:
            self.problem = f"run log {path} not kept: {exc}"
            log.warning("%s", self.problem)
            return
        self.data = read_runs(path)
        previous = self.data.current
        if previous is not None:  # it never said how it ended
            self.data.unclean_exits += 1
            previous.ending = Ending.UNCLEAN
            previous.detail = previous.detail or "killed, crashed or stopped by systemd's watchdog"
            self.data.last = previous
            log.warning("the previous run (pid %d) did not stop in order: %s", previous.pid, previous.detail)
        self.data.starts += 1
        self.data.current = RunRecord(pid=os.getpid(), started=now)
        self._write()

    @property
    def previous(self) -> RunRecord | None:
        return self.data.last

    def end(self, ending: Ending, now: float, detail: str = "") -> None:
        """This run ends ``ending`` (call once, last; the watchdog calls it from its thread)."""
        if self._lock is None or self.data.current is None:
            return
        run = self.data.current
        run.ended, run.ending, run.detail = now, ending, detail
        if ending is Ending.WATCHDOG:
            self.data.watchdog_restarts += 1
        self.data.last, self.data.current = run, None
        self._write()
        self._lock.release()
        self._lock = None

    def _write(self) -> None:
        try:
            write_atomically(self.path, msgspec.json.encode(self.data), SyncPolicy.ALWAYS)
        except OSError as exc:
            self.problem = f"run log {self.path} not written: {exc}"
            log.error("%s", self.problem)


def read_runs(path: Path) -> RunsFile:
    """The file's contents; empty counts if it is missing or damaged (logged)."""
    try:
        return _DECODER.decode(path.read_bytes())
    except FileNotFoundError:
        return RunsFile()
    except (OSError, msgspec.DecodeError) as exc:
        log.warning("run log %s unreadable (%s): counting from zero", path, exc)
        return RunsFile()
