"""The sans-I/O client session (docs/protocol.md §8); the server side is :mod:`cockpit.protocol.server`.

A session is one connection's protocol state. It has no socket, no event loop and no clock: the caller
passes bytes in with :meth:`ClientSession.receive_data`, the time in with every call, and then must

1. call :meth:`~ClientSession.events_received` and act on the events, and
2. call :meth:`~ClientSession.data_to_send` and write each returned frame to the connection.

The caller also calls :meth:`~ClientSession.tick` no later than :meth:`~ClientSession.next_deadline`
so heartbeats go out and silence is noticed.

What outlives a connection, the stream positions and the counters, lives in :class:`Cursors` and
:class:`Counters`, which the caller keeps and hands to the next session to resume (§4.2).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from cockpit.protocol.codec import (
    Decoded,
    DecodeIssue,
    Problem,
    decode_server_frame,
    encode_frames,
)
from cockpit.protocol.events import (
    AuditAcked,
    CommandAcked,
    Connected,
    DataReceived,
    FrameProblem,
    GapDetected,
    GapKind,
    HandshakeRefused,
    LivenessChanged,
    SessionEvent,
    SnapshotReceived,
    StreamSynced,
    StreamUnavailable,
)
from cockpit.protocol.messages import (
    DATA_TYPES,
    DEFAULT_HEARTBEAT_MS,
    DEFAULT_MAX_FRAME_BYTES,
    PROTOCOL_VERSION,
    Audit,
    AuditAck,
    ClientMessage,
    Command,
    CommandAck,
    DataMessage,
    Filter,
    Heartbeat,
    Hello,
    Refused,
    SensorBatch,
    ServerMessage,
    SnapshotBegin,
    SnapshotEnd,
    Subscribe,
    Subscribed,
    SubscribeMode,
    Subscription,
    Welcome,
)

MIN_FRAME_BYTES = 64 * 1024
MAX_FRAME_BYTES = 4 * 1024 * 1024
"""Bounds on the frame limit a server may announce (§2.2)."""

STALE_FACTOR = 1.5
"""The feed is stale after this many heartbeat intervals of silence (§6): within two, as required."""


@dataclass(slots=True)
class Position:
    """Where a client is in one stream: the epoch and the last seq applied (§4.2)."""

    epoch: str = ""
    seq: int = 0


@dataclass(slots=True)
class Cursors:
    """Stream positions that outlive connections, so a reconnect resumes where it stopped."""

    positions: dict[str, Position] = field(default_factory=dict)

    def get(self, stream: str) -> Position:
        return self.positions.setdefault(stream, Position())


@dataclass(slots=True)
class Counters:
    """Feed counters that outlive connections (§8.3)."""

    frames: int = 0
    bytes: int = 0
    messages: int = 0
    malformed: int = 0
    oversized: int = 0
    unknown: int = 0
    gaps: int = 0
    duplicates: int = 0
    snapshots: int = 0
    reconnects: int = 0


class SessionState(enum.Enum):
    """Where a connection is in its life (§3)."""

    IDLE = "idle"
    HANDSHAKE = "handshake"
    OPEN = "open"
    CLOSED = "closed"


class _StreamState(enum.Enum):
    WAITING = "waiting"  # subscribe sent, no Subscribed yet: data is from an old subscription
    SNAPSHOT = "snapshot"  # between Subscribed(snapshot)/SnapshotBegin and SnapshotEnd
    LIVE = "live"


@dataclass(slots=True)
class _Stream:
    filter: Filter
    state: _StreamState = _StreamState.WAITING
    snapshot_epoch: str = ""
    snapshot_seq: int = 0
    snapshot: list[DataMessage] = field(default_factory=list)
    issues_at_begin: int = 0  # the session's decode issues when the snapshot began


class ClientSession:
    """The client side of one protocol v1 connection.

    Args:
        client_id: Stable id of this cockpit installation.
        operator: The operator's name, shown in the audit trail.
        role: The operator's role (:class:`~cockpit.protocol.messages.Role`).
        token: The operator's credential; never logged.
        subscriptions: Stream name to filter.
        cursors: Positions to resume from; updated as data is applied.
        counters: Counters to update.
        max_frame_bytes: Largest frame accepted before the server announces its limit.
    """

    def __init__(
        self,
        *,
        client_id: str,
        operator: str,
        role: str,
        token: str,
        subscriptions: dict[str, Filter],
        cursors: Cursors | None = None,
        counters: Counters | None = None,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    ) -> None:
        self._hello = Hello(
            v=PROTOCOL_VERSION, client_id=client_id, operator=operator, role=role, token=token
        )
        self._streams = {name: _Stream(f) for name, f in subscriptions.items()}
        self.cursors = cursors if cursors is not None else Cursors()
        self.counters = counters if counters is not None else Counters()
        self.max_frame_bytes = max_frame_bytes
        self.heartbeat_ms = DEFAULT_HEARTBEAT_MS
        self.state = SessionState.IDLE
        self.welcome: Welcome | None = None
        self.stale = False
        self._events: list[SessionEvent] = []
        self._outgoing: list[ClientMessage] = []
        self._hello_sent_at = 0
        self._last_rx = 0
        self._last_tx = 0
        self._last_gap: dict[str, int] = {}
        self._issues = 0  # messages dropped by the decoder so far (unknown or malformed)

    # ---------------------------------------------------------------------------------- inputs

    def start(self, now_ms: int) -> None:
        """Begin the handshake. Then send :meth:`data_to_send`."""
        if self.state is not SessionState.IDLE:
            raise RuntimeError("session already started")
        self.state = SessionState.HANDSHAKE
        self._hello_sent_at = self._last_rx = now_ms
        self._hello.client_time = now_ms
        self._outgoing.append(self._hello)

    def receive_data(self, data: bytes, now_ms: int) -> None:
        """Take one frame from the server. Never raises.

        Then call :meth:`events_received` and :meth:`data_to_send`: a gap makes the session ask for
        a resync, which has to be sent.
        """
        if self.state is SessionState.CLOSED:
            return
        self.counters.frames += 1
        self.counters.bytes += len(data)
        self._last_rx = now_ms
        if self.stale:
            self.stale = False
            self._events.append(LivenessChanged(False, 0))
        decoded: Decoded[ServerMessage] = decode_server_frame(data, self.max_frame_bytes)
        for issue in decoded.issues:
            self._report(issue)
        data_out: list[DataMessage] = []
        for message in decoded.messages:
            self.counters.messages += 1
            if isinstance(message, DATA_TYPES):
                self._on_data(message, data_out)
            else:
                self._flush_data(data_out)
                self._on_control(message, now_ms)
        self._flush_data(data_out)

    def send_command(self, command: Command) -> None:
        """Queue a command for sending. Then send :meth:`data_to_send`.

        Raises:
            RuntimeError: the session is not open; keep the command in an outbox instead.
        """
        if self.state is not SessionState.OPEN:
            raise RuntimeError("commands can only be sent on an open session")
        self._outgoing.append(command)

    def send_audit(self, record: Audit) -> None:
        """Queue an audit record for sending (§7.8). Then send :meth:`data_to_send`.

        Raises:
            RuntimeError: the session is not open; keep the record for the next connection.
        """
        if self.state is not SessionState.OPEN:
            raise RuntimeError("audit records can only be sent on an open session")
        self._outgoing.append(record)

    def tick(self, now_ms: int) -> None:
        """Let time pass: queue a heartbeat if one is due and notice silence (§6)."""
        if self.state is SessionState.OPEN and now_ms - self._last_tx >= self.heartbeat_ms:
            self._outgoing.append(Heartbeat(ts=now_ms))
        silent = now_ms - self._last_rx
        if (
            not self.stale
            and self.state is not SessionState.CLOSED
            and silent >= self.heartbeat_ms * STALE_FACTOR
        ):
            self.stale = True
            self._events.append(LivenessChanged(True, silent))

    def close(self) -> None:
        """Forget the connection; cursors and counters are kept for the next session."""
        self.state = SessionState.CLOSED

    # --------------------------------------------------------------------------------- outputs

    def events_received(self) -> list[SessionEvent]:
        """Return and clear the events since the last call."""
        events, self._events = self._events, []
        return events

    def data_to_send(self, now_ms: int) -> list[bytes]:
        """Return and clear the frames to write, batching everything queued into few frames."""
        if not self._outgoing:
            return []
        messages, self._outgoing = self._outgoing, []
        self._last_tx = now_ms
        return encode_frames(messages, self.max_frame_bytes)

    def next_deadline(self) -> int:
        """The latest time at which :meth:`tick` must be called next."""
        beat = self._last_tx + self.heartbeat_ms
        if self.stale:
            return beat
        return min(beat, self._last_rx + int(self.heartbeat_ms * STALE_FACTOR))

    def silent_ms(self, now_ms: int) -> int:
        """How long this connection has received nothing (counted from the hello at first)."""
        return now_ms - self._last_rx

    def handshake_overdue(self, now_ms: int, limit_ms: int) -> bool:
        """True if the welcome has not come ``limit_ms`` after the hello: the caller should close."""
        return self.state is SessionState.HANDSHAKE and now_ms - self._hello_sent_at > limit_ms

    @property
    def subscribed_streams(self) -> frozenset[str]:
        """Streams asked for and offered by the server."""
        return frozenset(self._streams)

    @property
    def live_streams(self) -> frozenset[str]:
        """Streams that are subscribed and in sync."""
        return frozenset(n for n, s in self._streams.items() if s.state is _StreamState.LIVE)

    # ---------------------------------------------------------------------------------- details

    def _report(self, issue: DecodeIssue) -> None:
        if issue.problem in (Problem.UNKNOWN_TYPE, Problem.MALFORMED_MESSAGE):
            self._issues += 1
        if issue.problem is Problem.OVERSIZED:
            self.counters.oversized += 1
        elif issue.problem is Problem.UNKNOWN_TYPE:
            self.counters.unknown += 1
        else:
            self.counters.malformed += 1
        self._events.append(FrameProblem(issue.problem, issue.detail, issue.type))

    def _flush_data(self, data_out: list[DataMessage]) -> None:
        if data_out:
            self._events.append(DataReceived(tuple(data_out)))
            data_out.clear()

    def _on_control(self, message: ServerMessage, now_ms: int) -> None:
        if isinstance(message, Heartbeat):
            return
        if isinstance(message, Welcome):
            self._on_welcome(message, now_ms)
        elif isinstance(message, Refused):
            self.state = SessionState.CLOSED
            self._events.append(HandshakeRefused(message.code, message.detail))
        elif self.state is not SessionState.OPEN:
            self._violation(f"{type(message).__name__} before welcome")
        elif isinstance(message, Subscribed):
            self._on_subscribed(message)
        elif isinstance(message, SnapshotBegin):
            self._on_snapshot_begin(message)
        elif isinstance(message, SnapshotEnd):
            self._on_snapshot_end(message)
        elif isinstance(message, CommandAck):
            self._events.append(CommandAcked(message))
        elif isinstance(message, AuditAck):
            self._events.append(AuditAcked(message))

    def _on_welcome(self, welcome: Welcome, now_ms: int) -> None:
        if self.state is not SessionState.HANDSHAKE:
            self._violation("a second welcome")
            return
        if welcome.v != PROTOCOL_VERSION:
            self.state = SessionState.CLOSED
            self._events.append(HandshakeRefused("version", f"server speaks v{welcome.v}, we speak v1"))
            return
        self.state = SessionState.OPEN
        self.welcome = welcome
        self.heartbeat_ms = max(50, welcome.heartbeat_ms)
        # The transport's hard limit is fixed before the handshake (4 MiB); keep within it (§2.2).
        self.max_frame_bytes = min(max(welcome.max_frame_bytes, MIN_FRAME_BYTES), MAX_FRAME_BYTES)
        # The server stamped its time somewhere inside our round trip: assume the middle.
        midpoint = (self._hello_sent_at + now_ms) // 2
        self._events.append(Connected(welcome, welcome.server_time - midpoint))
        # Only ask for streams the server has: an older server lacks newer streams (§4.1).
        offered = [name for name in self._streams if name in welcome.epochs]
        for name in self._streams:
            if name not in welcome.epochs:
                self._events.append(StreamUnavailable(name))
        self._streams = {name: self._streams[name] for name in offered}
        self._subscribe(offered)

    def _subscribe(self, names: Iterable[str]) -> None:
        subs = []
        for name in names:
            stream = self._streams[name]
            stream.state = _StreamState.WAITING
            stream.snapshot = []
            pos = self.cursors.get(name)
            subs.append(Subscription(stream=name, filter=stream.filter, epoch=pos.epoch, seq=pos.seq))
        if subs:
            self._outgoing.append(Subscribe(streams=subs))

    def _resync(self, name: str, kind: GapKind, expected: int, got: int) -> None:
        self.counters.gaps += 1
        self._events.append(GapDetected(name, kind, expected, got))
        if self._last_gap.get(name) == expected:
            # The same gap twice: the replay itself cannot be taken (say, a message we cannot
            # decode), so resuming would loop. Ask for a snapshot instead (§4.2).
            self.cursors.positions[name] = Position()
        self._last_gap[name] = expected
        self._subscribe([name])

    def _violation(self, detail: str) -> None:
        self.counters.malformed += 1
        self._events.append(FrameProblem(Problem.MALFORMED_MESSAGE, f"protocol violation: {detail}"))

    def _on_subscribed(self, msg: Subscribed) -> None:
        stream = self._streams.get(msg.stream)
        if stream is None:
            self._violation(f"subscribed to {msg.stream!r}, which we never asked for")
            return
        if stream.state is not _StreamState.WAITING:
            return  # a stray answer: this stream is already live or taking its snapshot
        pos = self.cursors.get(msg.stream)
        if msg.mode == SubscribeMode.RESUME:
            if msg.epoch != pos.epoch or msg.seq != pos.seq:
                self._violation(
                    f"resume of {msg.stream} at {msg.epoch}/{msg.seq}, we are at {pos.epoch}/{pos.seq}"
                )
                self._subscribe([msg.stream])
                return
            stream.state = _StreamState.LIVE
        elif msg.mode == SubscribeMode.SNAPSHOT:
            stream.state = _StreamState.SNAPSHOT
            stream.snapshot_epoch, stream.snapshot_seq = msg.epoch, msg.seq
            stream.snapshot = []
            stream.issues_at_begin = self._issues
        else:
            self._violation(f"unknown subscribe mode {msg.mode!r}")
            self._subscribe([msg.stream])
            return
        self._events.append(StreamSynced(msg.stream, msg.epoch, msg.seq, msg.mode, msg.reason))

    def _on_snapshot_begin(self, msg: SnapshotBegin) -> None:
        stream = self._streams.get(msg.stream)
        if stream is None or stream.state is not _StreamState.SNAPSHOT:
            if stream is not None and stream.state is _StreamState.WAITING:
                return  # belongs to an overtaken subscription
            self._violation(f"snapshot_begin for {msg.stream!r} without subscribed(snapshot)")
            return
        stream.snapshot_epoch, stream.snapshot_seq = msg.epoch, msg.seq
        stream.snapshot = []
        stream.issues_at_begin = self._issues

    def _on_snapshot_end(self, msg: SnapshotEnd) -> None:
        stream = self._streams.get(msg.stream)
        if stream is None or stream.state is not _StreamState.SNAPSHOT:
            if stream is not None and stream.state is _StreamState.WAITING:
                return
            self._violation(f"snapshot_end for {msg.stream!r} without a snapshot")
            return
        # Items the decoder dropped (a type from a newer server, a malformed item) were already
        # counted; they explain a shortfall. Asking again would fetch the same snapshot forever.
        dropped = self._issues - stream.issues_at_begin
        if (
            not len(stream.snapshot) <= msg.count <= len(stream.snapshot) + dropped
            or msg.seq != stream.snapshot_seq
        ):
            # A broken snapshot cannot be trusted as a base: ask for a fresh one from scratch.
            self.cursors.positions[msg.stream] = Position()
            self._resync(msg.stream, GapKind.SNAPSHOT_COUNT, msg.count, len(stream.snapshot))
            return
        self.counters.snapshots += 1
        self.cursors.positions[msg.stream] = Position(msg.epoch, msg.seq)
        stream.state = _StreamState.LIVE
        items, stream.snapshot = tuple(stream.snapshot), []
        self._events.append(SnapshotReceived(msg.stream, msg.epoch, msg.seq, items))

    def _on_data(self, msg: DataMessage, data_out: list[DataMessage]) -> None:
        name = msg.stream
        stream = self._streams.get(name)
        if stream is None or self.state is not SessionState.OPEN:
            self._violation(f"data for unsubscribed stream {name!r}")
            return
        if stream.state is _StreamState.WAITING:
            return  # from an overtaken subscription; the resync brings it again
        if stream.state is _StreamState.SNAPSHOT:
            if isinstance(msg, SensorBatch) and not _columns_ok(msg):
                self._violation(
                    f"sensor_batch in snapshot: unequal columns ({len(msg.ids)}/{len(msg.values)} bytes)"
                )
                self._issues += 1
                return
            stream.snapshot.append(msg)
            return
        pos = self.cursors.get(name)
        if msg.seq <= pos.seq:
            self.counters.duplicates += 1
            return
        if msg.prev != pos.seq:
            self._flush_data(data_out)
            self._resync(name, GapKind.SEQUENCE, pos.seq, msg.prev)
            return
        pos.seq = msg.seq
        if isinstance(msg, SensorBatch) and not _columns_ok(msg):
            # Sequenced but unusable: count it and move on, so a resync would not fetch it again.
            self._violation(
                f"sensor_batch seq {msg.seq}: ids and values are not equal uint32/"
                f"float32 columns ({len(msg.ids)} and {len(msg.values)} bytes)"
            )
            return
        data_out.append(msg)


def _columns_ok(batch: SensorBatch) -> bool:
    return len(batch.ids) % 4 == 0 and len(batch.ids) == len(batch.values)
