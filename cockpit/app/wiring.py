"""Builds the cockpit and makes every signal connection in one place.

Data flows one way: feed → model → (once per frame) wall → runway panels → widgets. User intent
flows back as widget signals → panels → command sender → feed outbox.
"""

from __future__ import annotations

import gc
import logging
import ssl
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from cockpit.app.audit_ui import AuditPresenter
from cockpit.app.commands import CommandTracker
from cockpit.app.login import refusal_words
from cockpit.app.names import counters_text
from cockpit.app.panels import CommandSender
from cockpit.app.replay_ui import attach_replay_controls, recording_text
from cockpit.app.runway_spec import load_runways, runway_files
from cockpit.app.wall import Wall
from cockpit.app.wall_layout import WallLayout, load_layout
from cockpit.audit.chain import AuditAction
from cockpit.audit.forward import forward_to
from cockpit.audit.log import Actor, AuditError, AuditLog, action_for_command, command_details
from cockpit.feed import ConnectionState, FeedClient, FeedEvent, Identity, OutboxProblem
from cockpit.model import Situation
from cockpit.protocol.messages import Command, Filter, Welcome
from cockpit.protocol.tokens import fingerprint
from cockpit.record.reader import Recording
from cockpit.record.recorder import Recorder, Retention
from cockpit.record.replay import ReplaySource
from cockpit.record.snapshot import StateMirror, StateSnapshot, take_snapshot
from widgets.audit_view import AuditView
from widgets.geo import synthetic_risk_points
from widgets.status_bar import LinkLevel

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
RUNWAYS_DIR = ASSETS / "runways"
DEFAULT_LAYOUT = ASSETS / "walls" / "default.yaml"
RISK_POINTS = 330_000


def tr(text: str) -> str:
    return QCoreApplication.translate("Cockpit", text)


def state_label(state: ConnectionState) -> str:
    return {
        ConnectionState.CONNECTING: tr("Connecting"),
        ConnectionState.RESYNCING: tr("Resynchronising"),
        ConnectionState.LIVE: tr("Live"),
        ConnectionState.STALE: tr("Stale: no data"),
        ConnectionState.OFFLINE: tr("Offline"),
    }[state]


LINK_LEVEL = {
    ConnectionState.LIVE: LinkLevel.OK,
    ConnectionState.RESYNCING: LinkLevel.DEGRADED,
    ConnectionState.CONNECTING: LinkLevel.DEGRADED,
    ConnectionState.STALE: LinkLevel.DOWN,
    ConnectionState.OFFLINE: LinkLevel.DOWN,
}


def freeze_startup_heap() -> None:
    """Collect once, then exclude everything built so far from later garbage collections.

    The ~160,000 objects of a built wall (modules, widgets, map layers, the demo city) live as
    long as the process. A full collection stops every thread, the GUI thread included, and walked
    them all: 44-71 ms of CPU in the middle of a frame; frozen, 5 ms (docs/reliability.md).
    Call it once the wall is built, before it goes live.
    """
    gc.collect()
    gc.freeze()


@cache
def demo_risk_points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 330,000 synthetic risk points of the demo city (computed once)."""
    return synthetic_risk_points(RISK_POINTS, seed=0)


class Cockpit:
    """The whole cockpit: model, feed, runway wall, console and their connections.

    Args:
        urls: Backend websocket URLs.
        identity: Who is at the console.
        lang: Language of runway titles.
        runways_dir: Folder of runway files.
        layout: Wall layout; the default puts the five built-in runways on the first screens.
        record_dir: Record every received frame into this folder (docs/recording.md); None: do not.
        retention: How long recordings are kept.
        replay: Play this recording instead of a live feed; commands are disabled.
        audit_path: The hash-chained audit log of every operator action (docs/architecture.md,
            "Audit log"); None: none (tests).
        outbox_path: Keep unanswered commands here across restarts; None: in memory only.
        centre: Which centre this cockpit is, for the audit trail.
        subscriptions: Stream name → filter for this centre (docs/protocol.md §4.1); None: all.
    """

    def __init__(
        self,
        urls: Sequence[str],
        identity: Identity,
        lang: str = "en",
        runways_dir: Path = RUNWAYS_DIR,
        layout: WallLayout | None = None,
        allow_insecure: bool = False,
        ssl_context: ssl.SSLContext | None = None,
        record_dir: Path | None = None,
        retention: Retention | None = None,
        replay: Recording | None = None,
        audit_path: Path | None = None,
        outbox_path: Path | None = None,
        centre: str = "",
        subscriptions: dict[str, Filter] | None = None,
    ) -> None:
        self.situation = Situation()
        self.problems: list[str] = []
        """Things the officer must know that are not about the city: shown on the console in red."""
        self._refused = ""  # the backend's refusal now among the problems (docs/protocol.md §3.3)
        self.audit: AuditLog | None = None
        audit_problem = ""
        if audit_path is not None:
            try:
                self.audit = AuditLog(audit_path, Actor(identity.operator, identity.role, centre))
                self.problems += self.audit.problems
            except AuditError as exc:  # the wall runs on; the officer is told actions are not audited
                audit_problem = tr("audit log not written: {error}").format(error=exc)
                self.problems.append(audit_problem)
                log.error("audit log: %s", exc)
        self.tracker = CommandTracker()
        self.mirror = StateMirror()
        self.recorder: Recorder | None = None
        self.record_error = ""
        self.replay: ReplaySource | None = None
        self.feed: FeedClient | ReplaySource
        if replay is not None:
            self.replay = ReplaySource(replay, self._on_feed_events, on_clock=self._on_replay_clock)
            self.feed = self.replay
        else:
            if record_dir is not None:
                try:
                    self.recorder = Recorder(record_dir, retention=retention, state=self._recording_state)
                except OSError as exc:  # the wall runs on, and says it is not recording
                    self.record_error = tr("cannot record into {dir}: {error}").format(dir=record_dir, error=exc)
                    log.error("%s", self.record_error)
            self.feed = FeedClient(
                urls,
                identity,
                self._on_feed_events,
                allow_insecure=allow_insecure,
                ssl_context=ssl_context,
                tap=self.recorder.tap if self.recorder is not None else None,
                outbox_path=outbox_path,
                subscriptions=subscriptions,
            )
        self.sender = CommandSender(self.tracker, self.feed.send_command, role=identity.role)
        if isinstance(self.feed, FeedClient):
            self.sender.confirm_held = self._confirm_held
            self.sender.discard_held = self._discard_held
            if self.audit is not None:
                self.sender.before_send.append(self._audit_command)
                # The operator and role are the token's (app/login.py); of the token, only its fingerprint.
                login = {"login_fingerprint": fingerprint(identity.token)} if identity.token else {}
                self.audit.login(self.audit.actor, client_id=identity.client_id, **login)
                forward_to(self.audit, self.feed)  # at least once to the backend, deduped there
        if self.replay is not None:
            self.sender.blocked = tr("replay: nothing is sent")
        loaded = load_runways(runway_files(runways_dir))
        for error in loaded.errors:
            log.error("runway refused: %s", error)
        self.wall = Wall(
            loaded.runways,
            loaded.errors,
            layout or load_layout(DEFAULT_LAYOUT),
            self.situation,
            self.sender,
            self._link,
            lang,
            demo_risk_points,
        )
        self.wall.operator = identity.operator
        self.audit_view = AuditView()
        self.audit_presenter = AuditPresenter(self.audit_view, self.audit, audit_problem)
        self.wall.console.tabs.addTab(self.audit_view, tr("Audit trail"))
        self._show_problems()
        if self.replay is not None:
            self.replay_controls = attach_replay_controls(self.wall, self.replay)

    def _link(self) -> tuple[ConnectionState, str, LinkLevel, str]:
        feed = self.feed
        detail = counters_text(feed.counters)
        silent = (time.time_ns() // 1_000_000 - feed.last_rx_wall_ms) / 1000 if feed.last_rx_wall_ms else 0.0
        why = {
            ConnectionState.CONNECTING: tr("connecting to {url}"),
            ConnectionState.RESYNCING: tr("catching up with {url}"),
            ConnectionState.STALE: tr("{url} silent for {s} s"),
            ConnectionState.OFFLINE: tr("cannot reach {url}; retrying"),
        }.get(feed.state)
        if why is not None:  # the technical reason is in the log; the wall says it in words
            detail = f"{why.format(url=feed.url, s=f'{silent:.0f}')} · {detail}"
        if isinstance(feed, FeedClient) and feed.refused and feed.state is not ConnectionState.LIVE:
            refused = tr("refused by {url}").format(url=feed.url)
            detail = f"{refused}: {refusal_words(feed.refused)} · {counters_text(feed.counters)}"
        if feed.epoch_changed_at and time.time_ns() // 1_000_000 - feed.epoch_changed_at < 300_000:
            at = time.strftime("%H:%M:%S", time.localtime(feed.epoch_changed_at / 1000))
            notice = tr("backend restarted without its state at {time}; events reloaded").format(time=at)
            detail = f"{notice} · {detail}"
        recording = self._recording_text()
        if recording and feed.state is ConnectionState.LIVE:  # first, so it is never elided
            detail = f"{recording} · {detail}"
        elif recording:  # the link's trouble comes first; recording status right after it
            head, sep, rest = detail.partition(" · ")
            detail = f"{head} · {recording}{sep}{rest}"
        return feed.state, state_label(feed.state), LINK_LEVEL[feed.state], detail

    def _recording_text(self) -> str:
        if self.replay is not None:
            return ""  # the REPLAY band says what this is
        if self.recorder is None:
            return f"⚠ {self.record_error}" if self.record_error else tr("○ not recording")
        return recording_text(self.recorder.status)

    def _recording_state(self, welcome: Welcome | None, wall_ms: int) -> StateSnapshot | None:
        """The model's state for a recording snapshot; only when every stream is live (consistent)."""
        if not isinstance(self.feed, FeedClient) or self.feed.state is not ConnectionState.LIVE:
            return None
        return take_snapshot(
            self.mirror, self.situation.sensors, self.feed.cursors, welcome, wall_ms, self.situation.clock_offset_ms
        )

    def _on_replay_clock(self, offset_ms: int) -> None:
        self.situation.clock_offset_ms = offset_ms

    # ------------------------------------------------------------------------------ audit, outbox

    def _audit(self, action: str, details: dict[str, object]) -> None:
        if self.audit is None:
            return
        try:
            self.audit.record(action, details)
        except AuditError as exc:  # a full disk must not stop a dispatch; it must be seen
            problem = tr("audit log not written: {error}").format(error=exc)
            if problem not in self.problems:
                self.problems.append(problem)
                self._show_problems()
            log.error("audit: %s", exc)

    def _audit_command(self, command: Command) -> None:
        self._audit(action_for_command(command), command_details(command))

    def _confirm_held(self, command_id: str) -> bool:
        if not isinstance(self.feed, FeedClient) or not self.feed.confirm(command_id):
            return False
        self._audit(AuditAction.COMMAND_CONFIRMED, {"command_id": command_id})
        return True

    def _discard_held(self, command_id: str) -> bool:
        if not isinstance(self.feed, FeedClient) or not self.feed.discard(command_id):
            return False
        self._audit(AuditAction.COMMAND_DISCARDED, {"command_id": command_id})
        return True

    def _show_refusal(self, refused: str) -> None:
        """Put the backend's refusal on the console in words (a bad token needs the officer to log in
        again), replacing the previous one; a welcome clears it."""
        if self._refused:
            old = refusal_words(self._refused)
            self.problems = [p for p in self.problems if p != old]
        self._refused = refused
        if refused:
            self.problems.append(refusal_words(refused))
            log.error("backend refused this cockpit: %s", refused)
        self._show_problems()

    def _show_problems(self) -> None:
        self.wall.console.show_problems([*self.wall.problems, *self.problems])

    def _on_feed_events(self, events: list[FeedEvent]) -> None:
        # Per feed frame, not per message: the model applies batches; the wall paints on its own
        # frame timer.
        self.situation.apply(events)
        if isinstance(self.feed, FeedClient) and self.feed.refused != self._refused:
            self._show_refusal(self.feed.refused)
        outbox = [e.detail for e in events if isinstance(e, OutboxProblem)]
        if outbox:
            self.problems += [tr("outbox: {detail}").format(detail=d) for d in outbox]
            self._show_problems()
        if self.recorder is not None:
            self.mirror.apply(events)
        if self.tracker.apply(events):
            self.wall.commands_changed()

    def start(self) -> None:
        """Start the feed and the frame timers (on the running qasync loop)."""
        self.feed.start()
        self.wall.start()

    async def stop(self) -> None:
        self.wall.stop()
        await self.feed.stop()
        if self.recorder is not None:
            self.recorder.close()  # finish the open segment: nothing to recover next time
        if isinstance(self.feed, FeedClient):
            self.feed.close_outbox()
        if self.audit is not None:
            self.audit.close()
