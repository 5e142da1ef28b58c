"""The live feed: an asyncio websocket client driving a sans-I/O :class:`ClientSession`.

It connects, subscribes, resumes after every drop with jittered exponential backoff, keeps an outbox
of commands until each is answered (on disk, :mod:`cockpit.feed.outbox`, so a restarted cockpit sends
them; one that waited too long is held for the officer to confirm), delivers audit records at least
once (§7.8), and hands every protocol event to one ``sink`` callable, once per received frame. It runs on whatever loop it is started on: in the app, the Qt loop through qasync.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import ssl
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from websockets.asyncio.client import ClientConnection, connect

from cockpit.audit.files import SyncPolicy
from cockpit.feed.outbox import MAX_AUDITS, MAX_COMMANDS, Outbox
from cockpit.protocol.codec import Problem
from cockpit.protocol.commands import (
    COMMAND_TIMEOUT_MS,
    COMMAND_TRIES,
    RECONFIRM_AFTER_MS,
    CommandQueue,
    CommandStatus,
    CommandUpdate,
)
from cockpit.protocol.events import (
    AuditAcked,
    CommandAcked,
    Connected,
    DataReceived,
    FrameProblem,
    GapDetected,
    HandshakeRefused,
    LivenessChanged,
    SessionEvent,
    SnapshotReceived,
    StreamUnavailable,
)
from cockpit.protocol.link import Backoff, ConnectionState
from cockpit.protocol.messages import DEFAULT_MAX_FRAME_BYTES, Audit, Command, Filter, Stream
from cockpit.protocol.server import CLOSE_GOING_AWAY, CLOSE_NORMAL
from cockpit.protocol.session import ClientSession, Counters, Cursors, SessionState

log = logging.getLogger(__name__)

READ_CHUNK_BYTES = 1 << 20
"""Bytes read from the socket per wakeup (asyncio's default is 256 KiB)."""


def set_read_chunk(transport: asyncio.BaseTransport, size: int = READ_CHUNK_BYTES) -> None:
    """Read up to ``size`` bytes per socket wakeup on ``transport``.

    Under qasync every wakeup of the read loop goes through Qt's event loop, which costs more than
    asyncio's own; with 1 MiB reads a flooded feed is woken a quarter as often. The ingest
    benchmark measured the transport alone under qasync at 1.5-3x with it (docs/benchmarks.md).
    ``max_size`` is the selector transport's read size; a transport without it is left alone.
    """
    if hasattr(transport, "max_size"):
        transport.max_size = size  # type: ignore[attr-defined]


TRANSITIONS_KEPT = 256
TRANSPORT_SIZE_FACTOR = 4
"""The transport closes a connection only on frames this many times the protocol limit; frames in
between are refused and counted by the protocol core, and the connection goes on (§2.2)."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who this cockpit is and who sits at it (§3.1)."""

    client_id: str
    operator: str
    role: str
    token: str = ""

    def __repr__(self) -> str:  # the token never reaches a log
        return f"Identity({self.client_id!r}, {self.operator!r}, {self.role!r})"


@dataclass(frozen=True, slots=True)
class OutboxProblem:
    """A feed-level event: the outbox file was damaged or cannot be written (the detail says what was
    kept and where the bad file's copy is). The app must show it: commands may be affected."""

    detail: str


FeedEvent = SessionEvent | CommandUpdate | OutboxProblem


def check_url(url: str, allow_insecure: bool = False) -> None:
    """Refuse URLs the feed must not use (see :class:`FeedClient`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ValueError(f"{url!r} is not a ws:// or wss:// URL")
    if parts.scheme == "ws" and not allow_insecure and not _is_loopback(parts.hostname):
        raise ValueError(
            f"{url} is plain ws:// to another machine: the operator's token would travel in clear; "
            "use wss:// (or allow insecure links explicitly)"
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class FeedClient:
    """A live feed from one of ``urls`` (tried in turn on failure).

    Args:
        urls: Backend websocket URLs, several for failover.
        identity: Who connects.
        sink: Called with every batch of events, on the loop, once per frame or state change.
        subscriptions: Stream name to filter; all streams unfiltered by default.
        backoff: Reconnect delays.
        command_timeout_s: Wait this long for an answer before sending a command again.
        command_tries: After this many sends that each waited ``command_timeout_s`` on a live link,
            a command is reported ``UNANSWERED`` and sent again less often until the backend answers
            (§7.4, :mod:`cockpit.protocol.commands`); sends into a stalled or cut link never count.
        handshake_timeout_s: Close a connection whose welcome has not come by then.
        reconnect_after_stale_s: Close and reconnect a connection silent for this long (it stays
            open through shorter stalls, which recover by themselves).
        allow_insecure: Allow plain ``ws://`` to a host that is not loopback.
        ssl_context: How ``wss://`` backends are verified (the site's CA bundle,
            :func:`cockpit.config.tls_context`); ``None``: the system's CAs.
        tap: Called with every received frame's raw bytes and the wall-clock ms it arrived, before
            the protocol core sees it (the recorder, cockpit/record). It must be cheap.
        outbox_path: Keep unanswered commands and undelivered audit records in this file
            (:mod:`cockpit.feed.outbox`; the app passes :func:`~cockpit.feed.outbox.default_outbox_path`),
            so a new feed on the same file sends them after a restart. ``None``: memory only.
        outbox_sync: When outbox writes are forced to disk.
        reconfirm_after_s: A queued command older than this is not sent when the link comes back
            but reported ``HELD`` until :meth:`confirm` or :meth:`discard`; ``None``: never held.

    Raises:
        ValueError: a URL is not ws:// or wss://, or is plain ws:// to another machine without
            ``allow_insecure`` (the operator's token would cross the network in clear).
    """

    def __init__(
        self,
        urls: Sequence[str],
        identity: Identity,
        sink: Callable[[list[FeedEvent]], None],
        *,
        subscriptions: dict[str, Filter] | None = None,
        backoff: Backoff | None = None,
        command_timeout_s: float = COMMAND_TIMEOUT_MS / 1000,
        command_tries: int = COMMAND_TRIES,
        handshake_timeout_s: float = 5.0,
        reconnect_after_stale_s: float = 15.0,
        allow_insecure: bool = False,
        ssl_context: ssl.SSLContext | None = None,
        tap: Callable[[bytes, int], None] | None = None,
        outbox_path: Path | None = None,
        outbox_sync: SyncPolicy = SyncPolicy.BACKGROUND,
        reconfirm_after_s: float | None = RECONFIRM_AFTER_MS / 1000,
    ) -> None:
        if not urls:
            raise ValueError("at least one backend URL is needed")
        for url in urls:
            check_url(url, allow_insecure)
        self.urls = list(urls)
        self.identity = identity
        self.sink = sink
        self.subscriptions = subscriptions or {s.value: Filter() for s in Stream}
        self.backoff = backoff or Backoff()
        self.handshake_timeout_s = handshake_timeout_s
        self.reconnect_after_stale_s = reconnect_after_stale_s
        self.ssl_context = ssl_context
        self.tap = tap
        self.cursors = Cursors()
        self.counters = Counters()
        self.state = ConnectionState.OFFLINE
        self.detail = "not started"
        self.transitions: deque[tuple[int, ConnectionState]] = deque(maxlen=TRANSITIONS_KEPT)
        """The link's recent changes of state, (wall-clock ms, state): for diagnostics and status."""
        self.refused = ""
        """``code: detail`` of the last handshake refusal (§3.3), until a welcome: why it is offline."""
        self.url = self.urls[0]
        self.last_rx_wall_ms = 0
        self.clock_offset_ms = 0
        self.epoch_changed_at = 0
        """Wall-clock ms when the backend was last found in a new epoch (it lost its state)."""
        self._session: ClientSession | None = None
        self._ws: ClientConnection | None = None
        self.commands = CommandQueue(
            timeout_ms=round(command_timeout_s * 1000),
            tries=command_tries,
            reconfirm_after_ms=None if reconfirm_after_s is None else round(reconfirm_after_s * 1000),
        )
        self._audits: dict[tuple[str, int], Audit] = {}
        self._audits_sent: set[tuple[str, int]] = set()  # on the current connection
        self._audits_capable = False  # the backend's welcome offered "audit" (§7.8)
        self.audit_overflow = False
        """Audit records were turned away (the outbox held MAX_AUDITS): they wait in the audit log."""
        self._store = Outbox(outbox_path, outbox_sync)
        restored = self._store.load()
        self.commands.restore((command, round(at * 1000)) for command, at in restored.commands)
        for record in restored.audits:
            self._audits[(record.chain, record.seq)] = record
        self._restored = bool(restored.commands)
        self._task: asyncio.Task[None] | None = None
        self._url_index = 0
        self._abandoned = ""  # why we dropped the current connection ourselves, if we did
        self._close_code = CLOSE_NORMAL  # how stop() closes the connection (§6)

    # ---------------------------------------------------------------------------- control

    def start(self) -> None:
        """Start connecting on the running loop.

        The first start reports what the outbox file held: each restored command as ``QUEUED``,
        and each problem with the file as an :class:`OutboxProblem`.
        """
        if self._restored or self._store.problems:
            events: list[FeedEvent] = [OutboxProblem(p) for p in self._store.problems]
            events += self.commands.take_updates()
            self._restored = False
            self._store.problems.clear()
            self._emit(events)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="feed")

    async def stop(self, going_away: bool = False) -> None:
        """Disconnect and stop; the outbox is kept.

        The connection is closed normally (§6): with 1000 when the operator quits, or 1001
        (``going_away``) when the cockpit is being shut down by the system; never 1011, which a
        server's operators would read as a fault.
        """
        self._close_code = CLOSE_GOING_AWAY if going_away else CLOSE_NORMAL
        if self._task is not None:
            # Cancel until it ends: on Python 3.11 a timeout inside a library can swallow a
            # cancellation that lands as it expires, and stop() must never hang (a test caught one).
            while not self._task.done():
                self._task.cancel()
                await asyncio.wait({self._task}, timeout=1.0)
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._set_state(ConnectionState.OFFLINE, "stopped")

    def send_command(self, command: Command) -> None:
        """Send ``command`` now if connected, else queue it; either way it is tracked to its answer
        (:class:`~cockpit.protocol.commands.CommandQueue`). A command id already queued is ignored."""
        if self.commands.status(command.id) is not None:
            return
        if len(self.commands) >= MAX_COMMANDS:  # the app blocks new commands before this (outbox_full)
            log.error("command %s (%s) refused: the outbox is full", command.id, command.kind)
            detail = (
                f"the outbox is full ({MAX_COMMANDS} commands wait for the backend): "
                f"command {command.id} ({command.kind}) was not sent"
            )
            self._emit(
                [
                    OutboxProblem(detail),
                    CommandUpdate(command, CommandStatus.DISCARDED, 0, "outbox_full", detail),
                ]
            )
            return
        now = self._wall_ms()
        command = self.commands.submit(command, now)
        self._store.add_command(command, now / 1000)
        self._pump()

    def confirm(self, command_id: str) -> bool:
        """The officer confirmed a ``HELD`` command: send it now (or when the link is up).

        Its age counts from now. Returns False if ``command_id`` is not held (answered, discarded).
        """
        now = self._wall_ms()
        if not self.commands.confirm(command_id, now):
            return False
        self._store.confirm_command(command_id, now / 1000)
        self._pump()
        return True

    def discard(self, command_id: str) -> bool:
        """The officer discarded a ``HELD`` command: it is never sent; the ones behind it go on.

        Returns False if ``command_id`` is not held.
        """
        if not self.commands.discard(command_id, self._wall_ms()):
            return False
        self._pump()
        return True

    def abandon(self, command_id: str) -> bool:
        """The officer stopped an ``UNANSWERED`` command being sent again (its outcome stays unknown
        until the backend says). Returns False if it is not unanswered."""
        if not self.commands.abandon(command_id):
            return False
        self._pump()
        return True

    def send_audit(self, record: Audit) -> bool:
        """Deliver an audit record at least once (§7.8): kept in the outbox until the backend has it.

        A record already queued (same chain and seq) is not queued again. Returns False when the
        outbox holds :data:`~cockpit.feed.outbox.MAX_AUDITS` records already: the caller keeps it
        (the audit log) and offers it again later.
        """
        key = (record.chain, record.seq)
        if key in self._audits:
            return True
        if len(self._audits) >= MAX_AUDITS:  # it stays in the audit log; forward.py queues it later
            if not self.audit_overflow:
                log.error(
                    "audit outbox full (%d records unacknowledged): new records wait in the audit log",
                    MAX_AUDITS,
                )
            self.audit_overflow = True
            return False
        self._audits[key] = record
        self._store.add_audit(record)
        self._send_audits()
        self._report_store_problems()
        return True

    @property
    def outbox_full(self) -> bool:
        """No new command can be kept: :data:`~cockpit.feed.outbox.MAX_COMMANDS` wait for answers."""
        return len(self.commands) >= MAX_COMMANDS

    def audit_high_water(self, chain: str) -> int:
        """The highest seq of audit chain ``chain`` ever queued for the backend (0: none)."""
        return self._store.high_water(chain)

    @property
    def audit_backlog(self) -> int:
        """Audit records the backend has not acknowledged yet."""
        return len(self._audits)

    def close_outbox(self) -> None:
        """Flush the outbox file and close it (after :meth:`stop`, when the cockpit quits)."""
        self._store.close()

    @property
    def outbox(self) -> list[Command]:
        """Commands not yet answered (held and unanswered ones included)."""
        return self.commands.pending()

    def command_state(self, command_id: str) -> CommandStatus | None:
        """Where a command in the outbox is; ``None`` if it is not (or no longer) there."""
        return self.commands.status(command_id)

    # ---------------------------------------------------------------------------- internals

    @staticmethod
    def _wall_ms() -> int:
        return time.time_ns() // 1_000_000

    def _emit(self, events: list[FeedEvent]) -> None:
        if events:
            try:
                self.sink(events)
            except Exception:  # a sink bug must not kill the feed; it is logged loudly
                log.exception("feed sink failed on %d events", len(events))

    def _set_state(self, state: ConnectionState, detail: str) -> None:
        if state is not self.state:
            log.info("feed %s: %s", state.value, detail)
            self.transitions.append((self._wall_ms(), state))
        self.state, self.detail = state, detail

    async def _run(self) -> None:
        first = True
        while True:
            if not first:
                self.counters.reconnects += 1
            first = False
            try:
                await self._connect_once()
            except asyncio.CancelledError:
                raise
            except websockets.ConnectionClosed as exc:
                self._on_closed(exc)
            except ssl.SSLCertVerificationError as exc:
                why = f"TLS: the backend's certificate is not trusted ({exc.verify_message})"
                self._set_state(ConnectionState.OFFLINE, f"{self.url}: {why}; check the site's CA bundle")
            except (OSError, websockets.InvalidHandshake, websockets.InvalidURI, TimeoutError) as exc:
                self._set_state(ConnectionState.OFFLINE, f"{self.url}: {exc or type(exc).__name__}")
            except Exception as exc:  # keep the feed alive whatever happens; log it loudly
                log.exception("feed failed unexpectedly")
                self._set_state(ConnectionState.OFFLINE, f"internal error: {exc!r}")
            finally:
                self._drop_session()
            delay = self.backoff.next_delay()
            self._url_index = (self._url_index + 1) % len(self.urls)
            self.detail = f"{self.detail}; retry in {delay:.1f} s"
            await asyncio.sleep(delay)

    def _on_closed(self, exc: websockets.ConnectionClosed) -> None:
        rcvd = exc.rcvd
        if (rcvd is not None and rcvd.code == 1009) or (exc.sent is not None and exc.sent.code == 1009):
            self.counters.oversized += 1
            self._emit([FrameProblem(Problem.OVERSIZED, "frame over the transport limit; reconnecting")])
        reason = f"closed ({rcvd.code} {rcvd.reason})" if rcvd is not None else "connection lost"
        if self._abandoned:
            reason = f"gave up: {self._abandoned}"
        self._set_state(ConnectionState.OFFLINE, f"{self.url}: {reason}")

    def _drop_session(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = None
        self._ws = None
        self._audits_sent.clear()
        self.commands.link_closed(self._wall_ms())
        self._emit(self._command_updates())

    async def _connect_once(self) -> None:
        self.url = self.urls[self._url_index]
        self._abandoned = ""
        self._set_state(ConnectionState.CONNECTING, self.url)
        session = ClientSession(
            client_id=self.identity.client_id,
            operator=self.identity.operator,
            role=self.identity.role,
            token=self.identity.token,
            subscriptions=self.subscriptions,
            cursors=self.cursors,
            counters=self.counters,
        )
        async with connect(
            self.url,
            compression=None,  # deflate cut batched throughput fourfold here
            max_size=DEFAULT_MAX_FRAME_BYTES * TRANSPORT_SIZE_FACTOR,
            proxy=None,
            ssl=self.ssl_context if self.url.startswith("wss:") else None,
            open_timeout=5,
            ping_interval=None,  # protocol heartbeats do this job (§6)
            close_timeout=1,
        ) as ws:
            self._ws, self._session = ws, session
            set_read_chunk(ws.transport)
            session.start(self._wall_ms())
            await self._flush()
            ticker = asyncio.create_task(self._tick_loop(session))
            try:
                async for data in ws:
                    now = self._wall_ms()
                    self.last_rx_wall_ms = now
                    frame = data if isinstance(data, bytes) else data.encode()
                    if self.tap is not None:
                        try:
                            self.tap(frame, now)
                        except Exception:  # a recorder bug must not cost the live feed
                            log.exception("feed tap failed")
                    session.receive_data(frame, now)
                    self._process(session.events_received())
                    await self._flush()
                    if session.state is SessionState.CLOSED:
                        return
            except asyncio.CancelledError:
                # Stopped: close normally ourselves; leaving the `async with` on a cancellation
                # would close with 1011 (internal error) (§6).
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1.5):
                        await ws.close(self._close_code, "cockpit stopped")
                raise
            finally:
                ticker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ticker

    async def _tick_loop(self, session: ClientSession) -> None:
        while True:
            delay = max(0.005, (session.next_deadline() - self._wall_ms()) / 1000)
            delay = min(delay, 0.25)  # also look at the outbox's timers
            await asyncio.sleep(delay)
            now = self._wall_ms()
            if session.handshake_overdue(now, int(self.handshake_timeout_s * 1000)):
                self._abandon(f"no welcome within {self.handshake_timeout_s:g} s")
                return
            if session.stale and session.silent_ms(now) > self.reconnect_after_stale_s * 1000:
                self._abandon(f"silent for {session.silent_ms(now) / 1000:.0f} s")
                return
            session.tick(now)
            self._process(session.events_received())
            self.commands.tick(now)
            self._emit(self._command_updates())
            await self._flush()

    def _abandon(self, reason: str) -> None:
        """Give up on this connection for ``reason``; the run loop reconnects and resumes."""
        self._abandoned = reason
        if self._ws is not None:
            self._ws.transport.abort()

    async def _flush(self) -> None:
        if self._session is None or self._ws is None:
            return
        for command in self.commands.take_to_send():
            self._session.send_command(command)
        for frame in self._session.data_to_send(self._wall_ms()):
            await self._ws.send(frame)

    def _process(self, events: list[SessionEvent]) -> None:
        if not events:
            return
        out: list[FeedEvent] = []
        for ev in events:
            out.append(ev)
            if isinstance(ev, Connected):
                self.refused = ""
                self.backoff.reset()
                old = self.cursors.get(Stream.EVENTS).epoch
                new = ev.welcome.epochs.get(Stream.EVENTS, "")
                if old and new and old != new:
                    self.epoch_changed_at = self._wall_ms()
                    log.warning("feed: %s restarted without its state (epoch %s → %s)", self.url, old, new)
                self.clock_offset_ms = ev.clock_offset_ms
                self._set_state(ConnectionState.RESYNCING, f"{self.url}: subscribing")
                # Commands of another epoch expire unsent; the rest go out again with their ids (§7.4).
                self.commands.link_opened(ev.welcome.epochs.get(Stream.EVENTS, ""), self._wall_ms())
                self._audits_capable = "audit" in ev.welcome.capabilities
                if self._audits and not self._audits_capable:
                    log.warning(
                        "feed: %s does not take audit records; %d kept for one that does",
                        self.url,
                        len(self._audits),
                    )
                self._send_audits()
            elif isinstance(ev, HandshakeRefused):
                self.refused = f"{ev.code}: {ev.detail}"
                self._set_state(ConnectionState.OFFLINE, f"refused: {ev.code}: {ev.detail}")
                self.backoff.attempt = max(self.backoff.attempt, 5)
            elif isinstance(ev, GapDetected):
                self._set_state(ConnectionState.RESYNCING, f"gap in {ev.stream}: resyncing")
            elif isinstance(ev, CommandAcked):
                self.commands.acked(ev.ack)
            elif isinstance(ev, (DataReceived, SnapshotReceived)):
                self.commands.observe(ev.messages)  # a dispatch whose ack was lost settles its command
            elif isinstance(ev, LivenessChanged):
                self.commands.set_live(not ev.stale, self._wall_ms())
            elif isinstance(ev, AuditAcked):
                key = (ev.ack.chain, ev.ack.seq)
                if self._audits.pop(key, None) is not None:
                    self._store.remove_audit(*key)
            elif isinstance(ev, StreamUnavailable):
                log.warning("feed: %s does not offer the %s stream", self.url, ev.stream)
            elif isinstance(ev, FrameProblem):
                log.warning("feed: dropped %s: %s", ev.problem.value, ev.detail)
        out += self._command_updates()
        self._emit(out)
        self._report_store_problems()
        self._update_state()

    def _update_state(self) -> None:
        session = self._session
        if session is None or session.state is not SessionState.OPEN:
            return
        if session.stale:
            self._set_state(
                ConnectionState.STALE, f"{self.url}: no data for {session.heartbeat_ms * 1.5:.0f} ms"
            )
        elif session.live_streams == session.subscribed_streams:
            self._set_state(ConnectionState.LIVE, self.url)
        else:
            self._set_state(ConnectionState.RESYNCING, f"{self.url}: catching up")

    def _command_updates(self) -> list[FeedEvent]:
        """The queue's news; what left the queue leaves the file too."""
        updates = self.commands.take_updates()
        for u in updates:
            if not u.status.pending:
                self._store.remove_command(u.command.id)
            elif u.status is CommandStatus.UNANSWERED and u.tries == self.commands.tries:
                log.warning(
                    "command %s (%s): no answer after %d tries; still sending",
                    u.command.id,
                    u.command.kind,
                    u.tries,
                )
            elif u.status is CommandStatus.HELD:
                log.warning(
                    "command %s (%s) held: it waited too long offline; it needs confirming",
                    u.command.id,
                    u.command.kind,
                )
            elif u.status is CommandStatus.EXPIRED:
                log.warning(
                    "command %s (%s event %s) not sent: the backend is in another epoch",
                    u.command.id,
                    u.command.kind,
                    u.command.event_id,
                )
        return list(updates)

    def _pump(self) -> None:
        """Report the queue's news and put what it releases on the connection."""
        self._emit(self._command_updates())
        self._report_store_problems()
        if self._ws is not None and self._session is not None:
            asyncio.get_running_loop().create_task(self._flush())

    def _send_audits(self) -> None:
        """Put every audit record the backend has not acknowledged on the current connection, once."""
        session = self._session
        if session is None or session.state is not SessionState.OPEN or not self._audits_capable:
            return
        fresh = [key for key in self._audits if key not in self._audits_sent]
        for key in fresh:
            session.send_audit(self._audits[key])
            self._audits_sent.add(key)
        if fresh and self._ws is not None:
            asyncio.get_running_loop().create_task(self._flush())

    def _report_store_problems(self) -> None:
        if self._store.problems:
            problems = [OutboxProblem(p) for p in self._store.problems]
            self._store.problems.clear()
            self._emit(list(problems))
