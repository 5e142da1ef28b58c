"""The wall's health: one sample a second, frame times, offline time, the status file.

The GUI thread fills a :class:`HealthSample` once a second (cockpit/app/service.py) and hands it to
:class:`StatusFile` (``<data dir>/status.json``, read by ``cockpit status``) and to the metrics
endpoint (cockpit/service/metrics.py), which serves the newest sample from its own thread. Nothing
here looks at Qt: the app passes plain values in.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

import msgspec
import numpy as np

from cockpit.audit.files import SyncPolicy, write_atomically

log = logging.getLogger(__name__)

STATUS_FILE = "status.json"
RUNS_FILE = "runs.json"
STATUS_EVERY_S = 2.0
"""How often the status file is rewritten; ``cockpit status`` calls one older than 5 periods stale."""


class HealthSample(msgspec.Struct, kw_only=True):
    """The wall's health at one instant (every time is Unix seconds; every age is seconds)."""

    time: float
    pid: int
    started: float
    version: str = ""
    link: str = "offline"
    """The link's state: connecting, resyncing, live, stale, offline (cockpit.feed.ConnectionState)."""
    link_detail: str = ""
    url: str = ""
    offline_since: float | None = None
    """When the link last stopped being live (or the start, if it never was); None while live."""
    data_age_s: float | None = None
    """Age of the newest sensor value on the wall (server time), None before any."""
    last_rx: float | None = None
    """When the last frame arrived from the backend."""
    first_live_frame_s: float | None = None
    """Seconds from the process start to the first frame that painted live data."""
    frames: int = 0
    frame_p50_ms: float | None = None
    frame_p99_ms: float | None = None
    frame_max_ms: float | None = None
    """Frame intervals over the last minute (a long frame shows as a long interval)."""
    reconnects: int = 0
    outbox_commands: int = 0
    outbox_audits: int = 0
    outbox_command_limit: int = 0
    outbox_audit_limit: int = 0
    recording: bool = False
    recording_dir: str = ""
    recording_disk_bytes: int = 0
    recording_error: str = ""
    starts: int = 0
    watchdog_restarts: int = 0
    unclean_exits: int = 0
    last_ending: str = ""
    rss_bytes: int | None = None
    kiosk: bool = False
    problems: list[str] = msgspec.field(default_factory=list)


class FrameClock:
    """Intervals between frames over a sliding window, for p50/p99/max (one array store per frame).

    Args:
        size: Intervals kept (3,600: a minute at 60 Hz).
    """

    def __init__(self, size: int = 3600) -> None:
        self._ring = np.zeros(size, dtype=np.float64)
        self._n = 0
        self._last = 0.0
        self.frames = 0

    def tick(self, now: float) -> None:
        """A frame ran at ``now`` (monotonic seconds)."""
        if self._last:
            self._ring[self._n % len(self._ring)] = now - self._last
            self._n += 1
        self._last = now
        self.frames += 1

    def percentiles_ms(self) -> tuple[float, float, float] | None:
        """(p50, p99, max) in ms over the window, or None before two frames."""
        n = min(self._n, len(self._ring))
        if not n:
            return None
        p50, p99 = np.percentile(self._ring[:n], [50, 99])
        return float(p50) * 1000, float(p99) * 1000, float(self._ring[:n].max()) * 1000


class OfflineClock:
    """Since when the link has not been live: the start, or the moment it last stopped being live."""

    def __init__(self, now: float) -> None:
        self.since: float | None = now

    def observe(self, live: bool, now: float) -> float | None:
        """Tell it the link's state at ``now``; returns since when it has been down (None: live)."""
        if live:
            self.since = None
        elif self.since is None:
            self.since = now
        return self.since


class StatusFile:
    """Writes samples to ``<folder>/status.json`` (atomically, not forced to disk: it is a status)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATUS_FILE
        self.problem = ""
        self._enc = msgspec.json.Encoder()

    def write(self, sample: HealthSample) -> None:
        try:
            write_atomically(self.path, self._enc.encode(sample), SyncPolicy.NEVER)
            self.problem = ""
        except OSError as exc:
            if not self.problem:
                log.error("status file %s not written: %s", self.path, exc)
            self.problem = str(exc)

    def remove(self) -> None:
        """The wall stopped in order: no status is left to look current."""
        with contextlib.suppress(OSError):
            self.path.unlink()


def read_status(folder: Path) -> HealthSample | None:
    """The last sample written into ``folder``, or None (none, or unreadable)."""
    try:
        return msgspec.json.decode((folder / STATUS_FILE).read_bytes(), type=HealthSample)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None


def folder_bytes(folder: Path, pattern: str = "*.mcap") -> int:
    """Bytes taken by the files matching ``pattern`` in ``folder`` (0 if it cannot be read)."""
    total = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.is_file() and Path(entry.name).match(pattern):
                with contextlib.suppress(OSError):
                    total += entry.stat().st_size
    return total


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int | None:
    """This process's resident memory (Linux), None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None
