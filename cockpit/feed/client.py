"""The live feed: an asyncio websocket client driving a sans-I/O :class:`ClientSession`.

It connects, subscribes, resumes after every drop with jittered exponential backoff, keeps an outbox
of commands until each is answered, and hands every protocol event to one ``sink`` callable, once per
received frame. It runs on whatever loop it is started on: in the app, the Qt loop through qasync.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import ipaddress
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import msgspec
import websockets
from websockets.asyncio.client import ClientConnection, connect

from cockpit.protocol.codec import Problem
from cockpit.protocol.events import (
    CommandAcked,
    Connected,
    FrameProblem,
    GapDetected,
    HandshakeRefused,
    SessionEvent,
    StreamUnavailable,
)
from cockpit.protocol.messages import DEFAULT_MAX_FRAME_BYTES, Command, Filter, Stream
from cockpit.protocol.session import ClientSession, Counters, Cursors, SessionState

log = logging.getLogger(__name__)

TRANSPORT_SIZE_FACTOR = 4
"""The transport closes a connection only on frames this many times the protocol limit; frames in
between are refused and counted by the protocol core, and the connection goes on (§2.2)."""


class ConnectionState(enum.Enum):
    """What the wall shows about its link (§6)."""

    CONNECTING = "connecting"
    RESYNCING = "resyncing"
    LIVE = "live"
    STALE = "stale"
    OFFLINE = "offline"


class CommandState(enum.Enum):
    """Where a command is between the click and the server's answer."""

    QUEUED = "queued"
    """Not sent: no connection. It goes out when one is up."""
    SENT = "sent"
    ANSWERED = "answered"
    NO_RESPONSE = "no_response"
    """No answer after every try (§7.4)."""
    EXPIRED = "expired"
    """Not sent: the backend came back in another epoch, so the command's target may be gone."""


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
class CommandProgress:
    """A feed-level event: a command's delivery state changed."""

    command: Command
    state: CommandState
    tries: int


@dataclass(frozen=True, slots=True)
class StateChanged:
    """A feed-level event: the connection state changed."""

    state: ConnectionState
    detail: str


FeedEvent = SessionEvent | CommandProgress | StateChanged


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


@dataclass(slots=True)
class Backoff:
    """Jittered exponential backoff ("full jitter")."""

    base_s: float = 0.2
    cap_s: float = 8.0
    attempt: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_delay(self) -> float:
        ceiling = min(self.cap_s, self.base_s * (2**self.attempt))
        self.attempt += 1
        return self.rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.attempt = 0


@dataclass(slots=True)
class _Pending:
    command: Command
    tries: int = 0
    sent_at: float = 0.0
    state: CommandState = CommandState.QUEUED


class FeedClient:
    """A live feed from one of ``urls`` (tried in turn on failure).

    Args:
        urls: Backend websocket URLs, several for failover.
        identity: Who connects.
        sink: Called with every batch of events, on the loop, once per frame or state change.
        subscriptions: Stream name to filter; all streams unfiltered by default.
        backoff: Reconnect delays.
        command_timeout_s: Wait this long for an answer before sending a command again.
        command_tries: Give up after this many sends that each waited ``command_timeout_s`` on a live
            connection, and report ``NO_RESPONSE`` (§7.4); resends after a reconnect do not count.
        handshake_timeout_s: Close a connection whose welcome has not come by then.
        reconnect_after_stale_s: Close and reconnect a connection silent for this long (it stays
            open through shorter stalls, which recover by themselves).
        allow_insecure: Allow plain ``ws://`` to a host that is not loopback.

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
        command_timeout_s: float = 3.0,
        command_tries: int = 3,
        handshake_timeout_s: float = 5.0,
        reconnect_after_stale_s: float = 15.0,
        allow_insecure: bool = False,
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
        self.command_timeout_s = command_timeout_s
        self.command_tries = command_tries
        self.handshake_timeout_s = handshake_timeout_s
        self.reconnect_after_stale_s = reconnect_after_stale_s
        self.cursors = Cursors()
        self.counters = Counters()
        self.state = ConnectionState.OFFLINE
        self.detail = "not started"
        self.url = self.urls[0]
        self.last_rx_wall_ms = 0
        self.clock_offset_ms = 0
        self.epoch_changed_at = 0
        """Wall-clock ms when the backend was last found in a new epoch (it lost its state)."""
        self._session: ClientSession | None = None
        self._ws: ClientConnection | None = None
        self._outbox: dict[str, _Pending] = {}
        self._task: asyncio.Task[None] | None = None
        self._url_index = 0
        self._abandoned = ""  # why we dropped the current connection ourselves, if we did

    # ---------------------------------------------------------------------------- control

    def start(self) -> None:
        """Start connecting on the running loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="feed")

    async def stop(self) -> None:
        """Disconnect and stop; the outbox is kept."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._set_state(ConnectionState.OFFLINE, "stopped")

    def send_command(self, command: Command) -> None:
        """Send ``command`` now if connected, else queue it; either way it is tracked to its answer.

        A command id already in the outbox is not sent again.
        """
        if command.id in self._outbox:
            return
        if not command.epoch:
            command = msgspec.structs.replace(command, epoch=self.cursors.get(Stream.EVENTS).epoch)
        pending = _Pending(command)
        self._outbox[command.id] = pending
        if not self._try_send(pending):
            self._emit([CommandProgress(command, CommandState.QUEUED, 0)])

    @property
    def outbox(self) -> list[Command]:
        """Commands not yet answered."""
        return [p.command for p in self._outbox.values()]

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
        if state is not self.state or detail != self.detail:
            if state is not self.state:
                log.info("feed %s: %s", state.value, detail)
            self.state, self.detail = state, detail
            self._emit([StateChanged(state, detail)])

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
            self._emit([StateChanged(self.state, self.detail)])
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
        for p in self._outbox.values():
            if p.state is CommandState.SENT:
                p.state = CommandState.QUEUED

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
            open_timeout=5,
            ping_interval=None,  # protocol heartbeats do this job (§6)
            close_timeout=1,
        ) as ws:
            self._ws, self._session = ws, session
            session.start(self._wall_ms())
            await self._flush()
            ticker = asyncio.create_task(self._tick_loop(session))
            try:
                async for data in ws:
                    now = self._wall_ms()
                    self.last_rx_wall_ms = now
                    session.receive_data(data if isinstance(data, bytes) else data.encode(), now)
                    self._process(session.events_received())
                    await self._flush()
                    if session.state is SessionState.CLOSED:
                        return
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
            self._retry_commands()
            await self._flush()

    def _abandon(self, reason: str) -> None:
        """Give up on this connection for ``reason``; the run loop reconnects and resumes."""
        self._abandoned = reason
        if self._ws is not None:
            self._ws.transport.abort()

    async def _flush(self) -> None:
        if self._session is None or self._ws is None:
            return
        for frame in self._session.data_to_send(self._wall_ms()):
            await self._ws.send(frame)

    def _process(self, events: list[SessionEvent]) -> None:
        if not events:
            return
        out: list[FeedEvent] = []
        for ev in events:
            out.append(ev)
            if isinstance(ev, Connected):
                self.backoff.reset()
                old = self.cursors.get(Stream.EVENTS).epoch
                new = ev.welcome.epochs.get(Stream.EVENTS, "")
                if old and new and old != new:
                    self.epoch_changed_at = self._wall_ms()
                    log.warning("feed: %s restarted without its state (epoch %s → %s)", self.url, old, new)
                self.clock_offset_ms = ev.clock_offset_ms
                self._set_state(ConnectionState.RESYNCING, f"{self.url}: subscribing")
                epoch_now = ev.welcome.epochs.get(Stream.EVENTS, "")
                for cid, p in list(self._outbox.items()):  # resend unanswered: same ids, one effect
                    if p.command.epoch and epoch_now and p.command.epoch != epoch_now:
                        del self._outbox[cid]
                        out.append(CommandProgress(p.command, CommandState.EXPIRED, p.tries))
                        log.warning(
                            "command %s (%s event %s) not sent: the backend is now in epoch %s, not %s",
                            cid,
                            p.command.kind,
                            p.command.event_id,
                            epoch_now,
                            p.command.epoch,
                        )
                    else:
                        # A send that a dropped connection cut short was no fair try: resend it
                        # without counting. Only a full timeout on a live link counts (§7.4).
                        self._try_send(p, out, count=p.tries == 0)
            elif isinstance(ev, HandshakeRefused):
                self._set_state(ConnectionState.OFFLINE, f"refused: {ev.code}: {ev.detail}")
                self.backoff.attempt = max(self.backoff.attempt, 5)
            elif isinstance(ev, GapDetected):
                self._set_state(ConnectionState.RESYNCING, f"gap in {ev.stream}: resyncing")
            elif isinstance(ev, CommandAcked):
                pending = self._outbox.pop(ev.ack.id, None)
                if pending is not None:
                    out.append(CommandProgress(pending.command, CommandState.ANSWERED, pending.tries))
            elif isinstance(ev, StreamUnavailable):
                log.warning("feed: %s does not offer the %s stream", self.url, ev.stream)
            elif isinstance(ev, FrameProblem):
                log.warning("feed: dropped %s: %s", ev.problem.value, ev.detail)
        self._emit(out)
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

    def _try_send(self, pending: _Pending, out: list[FeedEvent] | None = None, count: bool = True) -> bool:
        session = self._session
        if session is None or session.state is not SessionState.OPEN:
            return False
        session.send_command(pending.command)
        if count:
            pending.tries += 1
        pending.sent_at = time.monotonic()
        pending.state = CommandState.SENT
        event = CommandProgress(pending.command, CommandState.SENT, pending.tries)
        if out is None:
            self._emit([event])
            if self._ws is not None:
                asyncio.get_running_loop().create_task(self._flush())
        else:
            out.append(event)
        return True

    def _retry_commands(self) -> None:
        now = time.monotonic()
        for cid, p in list(self._outbox.items()):
            if p.state is not CommandState.SENT or now - p.sent_at < self.command_timeout_s:
                continue
            if p.tries >= self.command_tries:
                del self._outbox[cid]
                self._emit([CommandProgress(p.command, CommandState.NO_RESPONSE, p.tries)])
            else:
                self._try_send(p)
