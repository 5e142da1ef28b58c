"""The wall as an unattended service: watchdog, readiness, health, kiosk, around one :class:`Cockpit`.

:class:`WallService` is built by ``run.py`` when the cockpit runs for real (not for a screenshot)
and attached by the composition root (:meth:`cockpit.app.wiring.Cockpit.attach_service`, which
connects the frame timer to :meth:`WallService.on_frame`):

- every frame: the frame clock (p99), the in-process watchdog's beat and systemd's ``WATCHDOG=1``
  (at most twice per period), so a GUI thread stuck for longer than the watchdog's time is restarted;
- once a second, on the GUI thread: a :class:`~cockpit.service.health.HealthSample` for the metrics
  endpoint, the status file every 2 s (``cockpit status``) and systemd's ``STATUS=`` line;
- at the start: ``READY=1``, the run log (how the previous run ended), screen blanking off in kiosk
  mode; at an orderly stop: ``STOPPING=1``, the watchdog off, the run log marked clean, blanking back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication
from PySide6.QtGui import QGuiApplication

from cockpit.app.kiosk import KioskGuard
from cockpit.app.wiring import Cockpit
from cockpit.audit.log import AuditError
from cockpit.feed import ConnectionState
from cockpit.feed.outbox import MAX_AUDITS, MAX_COMMANDS
from cockpit.record.last_known import last_known_state
from cockpit.record.snapshot import snapshot_events
from cockpit.service import ServiceError
from cockpit.service.display import Inhibitor, inhibit_blanking
from cockpit.service.health import (
    RUNS_FILE,
    STATUS_EVERY_S,
    FrameClock,
    HealthSample,
    StatusFile,
    folder_bytes,
    rss_bytes,
)
from cockpit.service.metrics import MetricsServer
from cockpit.service.notify import Notifier
from cockpit.service.runs import Ending, RunLog
from cockpit.service.session import SessionState, load_session, save_session
from cockpit.service.watchdog import HangWatchdog, end_hung_process

log = logging.getLogger(__name__)

SAMPLE_EVERY_S = 1.0
SESSION_EVERY_S = 3.0
"""The console's geometry, tab and selection are saved this often when they changed."""
DISK_EVERY_S = 30.0
"""The recording folder is measured this often (a directory scan)."""
SYSTEMD_SHARE = 2 / 3
"""Under systemd the in-process watchdog fires at this share of ``WatchdogSec``: first, so the hang is
explained (stacks, counted) before systemd's own watchdog would kill the process unexplained."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Service", text)


def package_version() -> str:
    try:
        return version("cockpit")
    except PackageNotFoundError:  # a PyInstaller bundle without metadata
        return ""


def watchdog_timeout(requested_s: float | None, notifier: Notifier | None) -> float | None:
    """The in-process watchdog's timeout: ``--watchdog-s``; else a share of systemd's; else none."""
    if requested_s is not None:
        return requested_s if requested_s > 0 else None
    if notifier is not None and notifier.watchdog_s is not None:
        return notifier.watchdog_s * SYSTEMD_SHARE
    return None


class WallService:
    """Runs around a cockpit: see the module docstring.

    Args:
        data_dir: Where the run log, the status file and hang reports go; None: none (tests).
        kiosk: Kiosk mode (cockpit/app/kiosk.py), screens kept on.
        full_screen: The wall's windows are full screen (kiosk puts them back if they leave it).
        metrics: (host, port) of the metrics endpoint, or None.
        watchdog_s: The in-process watchdog's timeout (:func:`watchdog_timeout`), or None.
        notifier: systemd's notification socket (:meth:`Notifier.from_env`), or None.
        started: Unix time of the process start (first-live-frame time is measured from it).

    A metrics endpoint that cannot be opened (its port in use) is logged and shown on the console;
    the wall runs on without it.
    """

    def __init__(
        self,
        cockpit: Cockpit,
        data_dir: Path | None,
        *,
        kiosk: bool = False,
        full_screen: bool = True,
        metrics: tuple[str, int] | None = None,
        watchdog_s: float | None = None,
        notifier: Notifier | None = None,
        started: float | None = None,
    ) -> None:
        self.cockpit = cockpit
        self.data_dir = data_dir
        self.kiosk = KioskGuard(cockpit.wall, full_screen) if kiosk else None
        self.notifier = notifier
        self.started = started if started is not None else time.time()
        self.frames = FrameClock()
        self.latest: HealthSample | None = None
        self.version = package_version()
        self.metrics: MetricsServer | None = None
        if metrics is not None:
            try:
                self.metrics = MetricsServer(*metrics, lambda: self.latest)
            except ServiceError as exc:  # the wall runs on without its metrics, and says so
                log.error("%s", exc)
                cockpit.add_problem(tr("no metrics: {error}").format(error=exc))
        self.watchdog = HangWatchdog(watchdog_s, self._on_hang) if watchdog_s else None
        self.runs: RunLog | None = None
        self.status: StatusFile | None = None
        self.blanking: Inhibitor | None = None
        self._task: asyncio.Task[None] | None = None
        self._disk_bytes = 0
        self._disk_at = -DISK_EVERY_S
        self._status_at = -STATUS_EVERY_S
        self._stopping = False
        self._outbox_full_text = ""
        self._session: SessionState | None = None
        self._session_at = 0.0
        self.restored_from: float | None = None
        """When the last known situation shown at the start was recorded (Unix s), if one was."""

    # --------------------------------------------------------------------------- lifecycle

    def restore(self, last_known: bool = True) -> None:
        """Before the feed starts: the console as it was (geometry, tab, selected event) and, with
        ``last_known``, the last recorded situation on every screen until the backend answers."""
        c = self.cockpit
        console = c.wall.console
        if self.data_dir is not None:
            saved = load_session(self.data_dir)
            if saved is not None:
                if saved.console_geometry:
                    console.restoreGeometry(QByteArray.fromBase64(saved.console_geometry.encode("ascii")))
                if 0 <= saved.console_tab < console.tabs.count():
                    console.tabs.setCurrentIndex(saved.console_tab)
                if saved.selected_event:
                    c.ctx.selection.choose(saved.selected_event)
                self._session = saved
                log.info("console restored: tab %d, event %s", saved.console_tab, saved.selected_event or "none")
        if last_known and c.recorder is not None and c.feed is not None:
            snapshot = last_known_state(c.recorder.directory)
            if snapshot is not None:
                events = snapshot_events(snapshot)
                c.situation.clock_offset_ms = snapshot.clock_offset_ms
                c.situation.apply(events)
                c.mirror.apply(events)
                self.restored_from = snapshot.wall_ms / 1000
                log.info(
                    "showing the last known situation of %s until the backend answers",
                    time.strftime("%H:%M:%S", time.localtime(self.restored_from)),
                )

    def _save_session(self) -> None:
        if self.data_dir is None:
            return
        console = self.cockpit.wall.console
        state = SessionState(
            console_geometry=bytes(console.saveGeometry().toBase64().data()).decode("ascii"),
            console_tab=console.tabs.currentIndex(),
            selected_event=self.cockpit.ctx.selection.chosen or "",
        )
        if state != self._session:
            save_session(self.data_dir, state)
            self._session = state

    def start(self) -> None:
        """On the running loop, once the wall is shown: run log, watchdog, sampling, ``READY=1``."""
        if self.data_dir is not None:
            self.runs = RunLog(self.data_dir / RUNS_FILE, time.time())
            self.status = StatusFile(self.data_dir)
            if self.runs.problem:
                self.cockpit.add_problem(self.runs.problem)
        if self.kiosk is not None:
            self.kiosk.apply()
            app = QGuiApplication.instance()
            platform = app.platformName() if isinstance(app, QGuiApplication) else ""
            self.blanking = inhibit_blanking(platform)
        if self.watchdog is not None:
            self.watchdog.start()
            log.info(
                "watchdog: the process ends if the GUI thread is stuck for %.0f s", self.watchdog.timeout_s
            )
        self._task = asyncio.get_running_loop().create_task(self._sample_loop(), name="health")
        if self.notifier is not None:
            self.notifier.ready(f"wall up; {len(self.cockpit.wall.views)} runways")

    def stopping(self) -> None:
        """An orderly stop begins: the frame loop stops, which is no hang."""
        if self._stopping:
            return
        self._stopping = True
        if self.watchdog is not None:
            self.watchdog.stop()
        if self.notifier is not None:
            self.notifier.stopping("stopping: finishing the recording, the drill report, the outbox")
        if self.kiosk is not None:
            self.kiosk.release()

    def close(self) -> None:
        """The cockpit has stopped in order: mark the run clean and put the screens back."""
        self.stopping()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._save_session()
        if self.metrics is not None:
            self.metrics.close()
        if self.blanking is not None:
            self.blanking.restore()
        if self.status is not None:
            self.status.remove()
        if self.runs is not None:
            self.runs.end(Ending.CLEAN, time.time())
        if self.notifier is not None:
            self.notifier.close()

    # --------------------------------------------------------------------------- per frame

    def on_frame(self) -> None:
        """The wall's frame timer fired (connected in wiring.py): the GUI thread is alive."""
        now = time.monotonic()
        self.frames.tick(now)
        if self.watchdog is not None:
            self.watchdog.beat(now)
        if self.notifier is not None:
            self.notifier.watchdog(now)

    def on_windows_shown(self) -> None:
        """The wall was (re)placed on its screens: guard the new windows in kiosk mode."""
        if self.kiosk is not None and not self._stopping:
            self.kiosk.apply()

    # --------------------------------------------------------------------------- health

    async def _sample_loop(self) -> None:
        while True:
            try:
                self.sample()
            except Exception:  # health must never take the wall down; it is logged loudly
                log.exception("health sample failed")
            await asyncio.sleep(SAMPLE_EVERY_S)

    def sample(self) -> HealthSample:
        """Take a health sample now (on the GUI thread), publish it and write the status file when due."""
        c = self.cockpit
        now, mono = time.time(), time.monotonic()
        feed = c.source
        presenter = c.presenter
        server_now = c.situation.server_now(int(now * 1000))
        recorder = c.recorder
        if recorder is not None:  # a silent link's last seconds reach the disk too
            recorder.flush_due(int(now * 1000))
        if recorder is not None and mono - self._disk_at >= DISK_EVERY_S:
            self._disk_bytes = folder_bytes(recorder.directory)
            self._disk_at = mono
        self._outbox_policy()
        frames = self.frames.percentiles_ms()
        runs = self.runs.data if self.runs is not None else None
        is_feed = c.feed is not None
        last = runs.last if runs is not None else None
        sample = HealthSample(
            time=now,
            pid=os.getpid(),
            started=self.started,
            version=self.version,
            link=feed.state.value,
            link_detail=c.feed.detail if c.feed is not None else "",
            url=feed.url,
            offline_since=presenter.offline.since if feed.state is not ConnectionState.LIVE else None,
            data_age_s=(server_now - presenter.newest_ts) / 1000 if presenter.newest_ts else None,
            last_rx=feed.last_rx_wall_ms / 1000 if feed.last_rx_wall_ms else None,
            first_live_frame_s=c.first_live_frame_at - self.started if c.first_live_frame_at else None,
            frames=self.frames.frames,
            frame_p50_ms=frames[0] if frames else None,
            frame_p99_ms=frames[1] if frames else None,
            frame_max_ms=frames[2] if frames else None,
            reconnects=feed.counters.reconnects,
            outbox_commands=len(feed.outbox),
            outbox_audits=c.feed.audit_backlog if c.feed is not None else 0,
            outbox_command_limit=MAX_COMMANDS if is_feed else 0,
            outbox_audit_limit=MAX_AUDITS if is_feed else 0,
            recording=recorder is not None and recorder.status.recording,
            recording_dir=str(recorder.directory) if recorder is not None else "",
            recording_disk_bytes=self._disk_bytes,
            recording_error=(recorder.status.error if recorder is not None else c.record_error),
            starts=runs.starts if runs is not None else 0,
            watchdog_restarts=runs.watchdog_restarts if runs is not None else 0,
            unclean_exits=runs.unclean_exits if runs is not None else 0,
            last_ending=last.ending.value if last is not None and last.ending is not None else "",
            rss_bytes=rss_bytes(),
            kiosk=self.kiosk is not None,
            problems=list(c.problems),
        )
        self.latest = sample
        if mono - self._session_at >= SESSION_EVERY_S:
            self._session_at = mono
            self._save_session()
        if self.status is not None and mono - self._status_at >= STATUS_EVERY_S:
            self._status_at = mono
            self.status.write(sample)
            if self.notifier is not None:
                self.notifier.status(_status_line(sample))
        return sample

    def _outbox_policy(self) -> None:
        """The outbox's bounds (cockpit/feed/outbox.py): a full outbox blocks new commands, with the
        reason on every command button, until the backend answers some; audit records turned away
        while it was full are queued from the audit log once half the backlog has drained."""
        c = self.cockpit
        feed = c.feed
        if feed is None:
            return
        book = c.book
        if feed.outbox_full and not book.blocked:
            book.blocked = self._outbox_full_text = tr(
                "the outbox is full: {n} commands wait for the backend; new commands can be sent once it answers"
            ).format(n=MAX_COMMANDS)
            log.error("%s", book.blocked)
        elif not feed.outbox_full and self._outbox_full_text and book.blocked == self._outbox_full_text:
            book.blocked = self._outbox_full_text = ""
        forwarder = c.forwarder
        if forwarder is not None and forwarder.behind and feed.audit_backlog < MAX_AUDITS // 2:
            try:
                queued = forwarder.catch_up()
            except AuditError as exc:
                log.error("audit records not queued from the log: %s", exc)
            else:
                log.info("audit: %d records queued from the log after the outbox drained", queued)

    # --------------------------------------------------------------------------- the watchdog

    def _on_hang(self, silent_s: float) -> None:
        """On the watchdog's thread: the GUI thread has been stuck for ``silent_s``."""
        report = None
        if self.data_dir is not None:
            report = self.data_dir / f"hang-{time.strftime('%Y%m%dT%H%M%S')}.txt"

        def count() -> None:
            if self.runs is not None:
                self.runs.end(
                    Ending.WATCHDOG, time.time(), f"GUI thread stuck {silent_s:.0f} s; stacks in {report}"
                )

        end_hung_process(silent_s, report, count)


def _status_line(s: HealthSample) -> str:
    if s.link == "live":
        age = f", data {s.data_age_s:.1f} s old" if s.data_age_s is not None else ""
        return f"live: {s.url}{age}"
    since = time.strftime(" since %H:%M:%S", time.localtime(s.offline_since)) if s.offline_since else ""
    return f"{s.link}{since}: {s.link_detail}"
