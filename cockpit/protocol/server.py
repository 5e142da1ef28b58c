"""The server side of protocol v1, sans-I/O: the one core every server runs (docs/protocol.md §3–§7).

Like websockets' ``ServerProtocol``, a :class:`ServerProtocol` is one connection's protocol state
with no socket, no event loop and no clock. The rules live here once, and the demo backend and the
NATS gateway are two data sources behind one thin asyncio loop (:mod:`cockpit.backend.connection`):

- **admission** (§3): hello first, the version, the token (:class:`~cockpit.protocol.tokens.TokenVerifier`),
  revocation, connections per source address (close 4029) and per operator (``too_many_connections``),
  flood limits (close 4008);
- **subscriptions** (§4): the filter narrowed to the token's districts, the choice between resume and
  snapshot with its reason (:func:`decide`), snapshot framing, and the per-subscription ``prev``
  chain through the filter (§5.0) for everything sent after;
- **liveness** (§6): heartbeats when idle for 0.75 intervals, and the close of a silent client (4002);
- **commands** (§7): malformed ones with a readable id get an ack with a reason, the role, the
  district scope and the epoch are checked here (:func:`check_command`), repeats of what was
  rejected here are answered ``duplicate``; the rest go to the data source, whose ack this core sends;
- **close codes** (§3.3, §4.4, §6): :attr:`ServerProtocol.close_code` says when and how to close.

How a caller drives it, after every input (:meth:`~ServerProtocol.receive_data`, :meth:`~ServerProtocol.tick`,
:meth:`~ServerProtocol.collect`, an answer of the data source):

1. take :meth:`~ServerProtocol.events_received` and act on them (subscriptions and commands are the
   data source's to answer, with :meth:`~ServerProtocol.resume`, :meth:`~ServerProtocol.snapshot` and
   :meth:`~ServerProtocol.acknowledge`);
2. write each frame of :meth:`~ServerProtocol.data_to_send`;
3. if :attr:`~ServerProtocol.close_code` is set, close the WebSocket with it and stop reading;
4. call :meth:`~ServerProtocol.tick` and :meth:`~ServerProtocol.collect` again no later than
   :meth:`~ServerProtocol.next_deadline`.

Data comes from the caller's stream logs, seen through :class:`StreamLog` and :class:`Entry`: the core
scans each subscription's log from where it stopped, keeps what passes the filter, and stamps ``prev``.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol, runtime_checkable

import msgspec

from cockpit.protocol.admission import (
    CLOSE_FLOOD,
    CLOSE_TOO_MANY,
    TOO_MANY_CONNECTIONS,
    Admission,
    Limits,
    Meter,
)
from cockpit.protocol.codec import Problem, decode_client_frame, frames_of
from cockpit.protocol.filters import matches, restrict, unfiltered
from cockpit.protocol.messages import (
    DEFAULT_HEARTBEAT_MS,
    DEFAULT_MAX_FRAME_BYTES,
    PLOT_COMMANDS,
    PROTOCOL_VERSION,
    AckResult,
    Audit,
    Command,
    CommandAck,
    CommandKind,
    DataMessage,
    Filter,
    Heartbeat,
    Hello,
    Refused,
    SnapshotBegin,
    SnapshotEnd,
    Stream,
    Subscribe,
    Subscribed,
    SubscribeMode,
    Subscription,
    Welcome,
)
from cockpit.protocol.plots import check_plot
from cockpit.protocol.roles import refusal, rights
from cockpit.protocol.tokens import TOKEN_REVOKED, Claims, TokenError, TokenVerifier

CLOSE_NORMAL: Final = 1000
"""The client quits (§6): an ordinary end of a connection."""
CLOSE_GOING_AWAY: Final = 1001
"""The peer is going away: the cockpit is being shut down, or the server is stopping."""
CLOSE_TOO_BIG: Final = 1009
"""The WebSocket layer's close for a frame over its size limit (§2.2)."""
CLOSE_OVERRUN: Final = 4001
"""The client fell further behind than the server keeps; reconnect and resume (§4.4)."""
CLOSE_SILENT: Final = 4002
"""The server heard nothing from the client for ``client_timeout_ms`` (§6)."""
CLOSE_REFUSED: Final = 4003
"""After a ``refused`` message (§3.3)."""
__all__ = [
    "CLOSE_FLOOD",
    "CLOSE_GOING_AWAY",
    "CLOSE_NORMAL",
    "CLOSE_OVERRUN",
    "CLOSE_REFUSED",
    "CLOSE_SILENT",
    "CLOSE_TOO_BIG",
    "CLOSE_TOO_MANY",
    "AuditReceived",
    "Backlogged",
    "ClientProblem",
    "CommandMemory",
    "CommandReceived",
    "CommandRefused",
    "Decision",
    "Entry",
    "Gate",
    "Phase",
    "ServerConfig",
    "ServerProtocol",
    "StreamLog",
    "Streams",
    "SubscriptionRequested",
    "Welcomed",
    "check_command",
    "decide",
]

IDLE_BEAT: Final = 0.75
"""Queue a heartbeat after this many intervals without sending (§6): silence stays under one interval."""
MALFORMED: Final = "malformed"
"""The ``command_ack`` reason for a command that could not be decoded but whose id could (§7.2)."""

_ENCODER = msgspec.msgpack.Encoder()


# ------------------------------------------------------------------------------------ data access


class Entry(Protocol):
    """One published data message of a stream log, with the keys filters test (§4.1)."""

    @property
    def seq(self) -> int: ...

    @property
    def district(self) -> str: ...

    @property
    def theme(self) -> str: ...

    @property
    def levels(self) -> tuple[str, ...]: ...

    def encode(self, prev: int) -> bytes:
        """The message as sent on a subscription whose previous message had seq ``prev``."""
        ...


class StreamLog(Protocol):
    """What a server has published on one stream, as the core reads it."""

    @property
    def seq(self) -> int:
        """The newest seq (0: nothing yet)."""
        ...

    @property
    def oldest(self) -> int:
        """The oldest seq the server can still send again (from memory or a deeper store)."""
        ...

    def holds_after(self, seq: int) -> bool:
        """Whether :meth:`since` yields every message after ``seq`` from memory."""
        ...

    def since(self, seq: int) -> Iterable[Entry]:
        """The held messages after ``seq``, oldest first."""
        ...


@runtime_checkable
class Coalescing(Protocol):
    """A stream log that may send a lagging subscriber the latest values instead of every message
    (the gateway's sensors, §4.4)."""

    coalesce_after: int

    def catch_up(self, f: Filter, after: int) -> tuple[list[DataMessage], int]:
        """The messages a subscriber at ``after`` lacks, coalesced, and the seq they bring it to."""
        ...


@runtime_checkable
class Backlogged(Protocol):
    """A stream log that knows how far behind one subscriber is in its own messages (the gateway's
    per-client view of its scope, issue 22); otherwise the core counts the stream's messages."""

    def backlog(self, after: int) -> int:
        """Messages a subscriber at ``after`` lacks, not counting those that arrived since it was
        last woken (a batch it is being sent now is no lag)."""
        ...


class Streams(Protocol):
    """A server's streams as the core sees them."""

    def epochs(self) -> Mapping[str, str]:
        """The current epoch of every stream offered (§3.2)."""
        ...

    def log(self, stream: str) -> StreamLog: ...

    def district_of(self, command: Command) -> str:
        """The district a command acts in (its event's); ``""`` if unknown."""
        ...


# ------------------------------------------------------------------------------------ decisions


@dataclass(frozen=True, slots=True)
class Decision:
    """How to bring one subscription up to date (§4.2)."""

    mode: SubscribeMode
    reason: str = ""


def decide(sub: Subscription, epoch: str, log: StreamLog, resume_limit: int = 0) -> Decision:
    """Resume or snapshot, and why (§4.2), from the subscription's position and what the log holds.

    Args:
        sub: The client's subscription.
        epoch: The stream's current epoch.
        log: The stream's log.
        resume_limit: Most messages a resume may replay; further behind takes a snapshot (0: no limit).
    """
    newest = log.seq
    if not sub.epoch:
        return Decision(SubscribeMode.SNAPSHOT, "first subscription")
    if sub.epoch != epoch:
        return Decision(SubscribeMode.SNAPSHOT, f"epoch {sub.epoch} is gone; the current one is {epoch}")
    if sub.seq > newest:
        return Decision(SubscribeMode.SNAPSHOT, f"seq {sub.seq} is ahead of this server (newest {newest})")
    if sub.seq + 1 < log.oldest:
        return Decision(SubscribeMode.SNAPSHOT, f"seq {sub.seq} is no longer held (oldest {log.oldest})")
    # Seq 0 is a position like any other (nothing applied yet): the limit is what keeps it from
    # replaying a whole long log instead of sending a far smaller snapshot.
    if resume_limit and newest - sub.seq > resume_limit:
        return Decision(SubscribeMode.SNAPSHOT, f"seq {sub.seq} is more than {resume_limit} messages behind")
    return Decision(SubscribeMode.RESUME)


def check_command(command: Command, role: str, events_epoch: str) -> tuple[str, str] | None:
    """The checks every command gets before anything is looked up (§7.2), in order: the role
    (``forbidden``, the roles table §7.9), the epoch (``stale_epoch``), the kind (``unknown_kind``)
    and, for a plot command, the plot (``bad_plot``, ``bad_geometry``: :func:`~cockpit.protocol.plots.check_plot`,
    §7.10).

    Returns:
        ``(reason, detail)`` of the rejection, or None if the command passes.
    """
    why = refusal(role, command.kind)
    known = command.kind in set(CommandKind)
    if why and (known or not rights(role).may):
        return "forbidden", why
    if command.epoch and command.epoch != events_epoch:
        return "stale_epoch", f"issued in epoch {command.epoch}; this backend is in {events_epoch}"
    if not known:
        return "unknown_kind", f"unknown command kind {command.kind!r}"
    if command.kind in PLOT_COMMANDS:
        problem = check_plot(command)
        if problem is not None:
            return problem.reason, problem.detail
    return None


class CommandMemory:
    """Acks of commands rejected by the core, by id, so a resend gets ``duplicate`` (§7.3).

    Server-wide, shared by every connection. Bounded: a rejection had no effect, so one forgotten
    costs only the same rejection again instead of ``duplicate``.
    """

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._acks: OrderedDict[str, CommandAck] = OrderedDict()

    def get(self, command_id: str) -> CommandAck | None:
        return self._acks.get(command_id)

    def put(self, ack: CommandAck) -> None:
        self._acks[ack.id] = ack
        while len(self._acks) > self.capacity:
            self._acks.popitem(last=False)


def duplicate_of(first: CommandAck) -> CommandAck:
    """The ``duplicate`` answer to a repeated id whose first copy got ``first`` (§7.3)."""
    return CommandAck(
        id=first.id,
        result=AckResult.DUPLICATE,
        reason=first.reason,
        detail="this command id was already handled",
        original=first.result,
    )


@dataclass(slots=True)
class Gate:
    """Who may connect, server-wide: shared by every connection's core.

    Args:
        verifier: Checks hello tokens; None trusts the hello (demos and tests without a site key).
        revoked: Why a token's claims are revoked (``""``: they are not); only with a verifier.
        limits: Flood and connection limits; None: none.
        grants: Operator → districts, for tokens that name none (the gateway's ``--district``).
    """

    verifier: TokenVerifier | None = None
    revoked: Callable[[Claims], str] | None = None
    limits: Limits | None = None
    grants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    memory: CommandMemory = field(default_factory=CommandMemory)
    admission: Admission = field(init=False)
    refusals: list[str] = field(default_factory=list)
    """Refusal codes and flood closes, in order (tests and logs)."""

    def __post_init__(self) -> None:
        self.admission = Admission(self.limits or Limits())

    def identify(self, hello: Hello, now_s: int) -> Claims:
        """Who a hello speaks for: the token's claims, or (without a verifier) what the hello says.

        Raises:
            TokenError: missing, malformed, forged, expired or revoked.
        """
        if self.verifier is None:
            return Claims(hello.operator, hello.role)
        claims = self.verifier.verify(hello.token, now_s)
        why = self.why_revoked(claims)
        if why:
            raise TokenError(TOKEN_REVOKED, why)
        return claims

    def why_revoked(self, claims: Claims) -> str:
        if self.verifier is None or self.revoked is None:
            return ""
        return self.revoked(claims)


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """One server's settings, as the core applies them."""

    server_id: str
    capabilities: tuple[str, ...] = ()
    heartbeat_ms: int = DEFAULT_HEARTBEAT_MS
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES
    client_timeout_ms: int = 30_000
    """Close a client heard nothing from for this long with 4002 (§6; at least 3 intervals); 0: never."""
    resume_limit: int = 0
    """Most messages one resume replays; further behind takes a snapshot (0: no limit)."""


# ------------------------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class Welcomed:
    """The hello was accepted and the welcome queued: the connection is open (§3.2)."""

    claims: Claims


@dataclass(frozen=True, slots=True)
class SubscriptionRequested:
    """A subscription to answer: the data source calls :meth:`ServerProtocol.resume` or
    :meth:`ServerProtocol.snapshot` for it (it may turn a resume into a snapshot, say when a replay
    from its store fails). ``filter`` is already narrowed to the token's districts."""

    stream: str
    filter: Filter
    epoch: str
    seq: int
    decision: Decision


@dataclass(frozen=True, slots=True)
class CommandReceived:
    """A command that passed the core's checks: the data source applies it and answers with
    :meth:`ServerProtocol.acknowledge` (or not at all, if it has no answer in time: the client
    sends it again with the same id)."""

    command: Command
    claims: Claims


@dataclass(frozen=True, slots=True)
class CommandRefused:
    """The core rejected a command (its ack is already queued); servers audit ``forbidden`` ones."""

    command: Command
    ack: CommandAck
    claims: Claims


@dataclass(frozen=True, slots=True)
class AuditReceived:
    """An audit record (§7.8): a server offering ``audit`` keeps it once and answers each copy."""

    record: Audit


@dataclass(frozen=True, slots=True)
class ClientProblem:
    """A client frame or message was dropped (§2.3); the connection goes on."""

    problem: Problem
    detail: str


@dataclass(frozen=True, slots=True)
class Closing:
    """The core decided to close the connection (the code and reason are :attr:`ServerProtocol.close_code`)."""

    code: int
    reason: str


ServerEvent = (
    Welcomed
    | SubscriptionRequested
    | CommandReceived
    | CommandRefused
    | AuditReceived
    | ClientProblem
    | Closing
)


class Phase(enum.Enum):
    """Where a connection is (§3)."""

    HELLO = "hello"
    OPEN = "open"
    CLOSING = "closing"


@dataclass(slots=True)
class _Sub:
    filter: Filter
    everything: bool
    prev: int  # the seq of the last message this subscription was sent: its next message's prev
    scanned: int  # the last seq of the log looked at for it


class ServerProtocol:
    """The server side of one protocol v1 connection.

    Args:
        config: The server's settings.
        streams: The server's streams (epochs, logs, the district of a command).
        gate: Server-wide admission state, shared by every connection.
        address: The client's source address (for the per-address limit).
        now_ms: Wall-clock ms when the connection opened.
    """

    def __init__(self, config: ServerConfig, streams: Streams, gate: Gate, address: str, now_ms: int) -> None:
        self.config = config
        self.streams = streams
        self.gate = gate
        self.address = address
        self.phase = Phase.HELLO
        self.hello: Hello | None = None
        self.claims: Claims | None = None
        self.close_code: tuple[int, str] | None = None
        """Set when the connection must close: send :meth:`data_to_send`, then close with this code."""
        self.problems = 0
        self.subs: dict[str, _Sub] = {}
        self._requests: dict[str, tuple[Filter, int]] = {}  # subscriptions the data source has to answer
        self._events: list[ServerEvent] = []
        self._out: list[bytes] = []
        self._last_rx = self._last_tx = now_ms
        self._counted_address = False
        self._counted_operator = ""
        self._meter = Meter(gate.limits) if gate.limits is not None else None
        if gate.limits is not None:
            if not gate.admission.enter_address(address):
                gate.refusals.append("too_many_from_address")
                self._close(CLOSE_TOO_MANY, "too many connections from this address")
            else:
                self._counted_address = True

    # ---------------------------------------------------------------------------------- inputs

    def receive_data(self, data: bytes, now_ms: int) -> None:
        """Take one frame from the client. Never raises.

        Then act on :meth:`events_received`, write :meth:`data_to_send` and look at :attr:`close_code`.
        """
        if self.close_code is not None:
            return
        self._last_rx = now_ms
        if self._meter is not None:
            flood = self._meter.admit(len(data), now_ms / 1000)
            if flood:
                self.gate.refusals.append("flood")
                self._out.clear()  # close at once: nothing queued may hold the close up (§6)
                self._close(CLOSE_FLOOD, flood)
                return
        decoded = decode_client_frame(data, self.config.max_frame_bytes)
        for issue in decoded.issues:
            self._problem(issue.problem, issue.detail)
            if issue.type == "command" and issue.id and self.phase is Phase.OPEN:
                self._reject_malformed(issue.id, issue.detail)
        for message in decoded.messages:
            if self.close_code is not None:
                return
            if isinstance(message, Heartbeat):
                continue
            if isinstance(message, Hello):
                self._on_hello(message, now_ms)
            elif self.phase is not Phase.OPEN:
                self._problem(Problem.MALFORMED_MESSAGE, f"{type(message).__name__} before the welcome")
            elif isinstance(message, Subscribe):
                self._on_subscribe(message)
            elif isinstance(message, Command):
                self._on_command(message)
            elif isinstance(message, Audit):
                if "audit" in self.config.capabilities:
                    self._events.append(AuditReceived(message))
                else:
                    self._problem(Problem.MALFORMED_MESSAGE, "audit record sent to a server without 'audit'")

    def tick(self, now_ms: int) -> None:
        """Let time pass: queue a heartbeat when idle (§6) and close a silent client (4002)."""
        if self.close_code is not None:
            return
        timeout = self.config.client_timeout_ms
        if timeout and now_ms - self._last_rx > timeout:
            self._out.clear()
            self._close(CLOSE_SILENT, f"silent: nothing received for {now_ms - self._last_rx} ms")
            return
        if (
            self.phase is Phase.OPEN
            and not self._out
            and now_ms - self._last_tx >= IDLE_BEAT * self.config.heartbeat_ms
        ):
            self._out.append(_ENCODER.encode(Heartbeat(ts=now_ms)))

    def collect(self) -> None:
        """Queue every new message of the live subscriptions from the stream logs (§5.0).

        A subscription whose log no longer holds what it needs next closes the connection with 4001
        (§4.4), unless the log coalesces (:class:`Coalescing`).
        """
        if self.close_code is not None or self.phase is not Phase.OPEN:
            return
        out = self._out
        for name, sub in self.subs.items():
            log = self.streams.log(name)
            newest = log.seq
            if sub.scanned >= newest:
                continue
            behind = log.backlog(sub.scanned) if isinstance(log, Backlogged) else newest - sub.scanned
            if isinstance(log, Coalescing) and (
                behind > log.coalesce_after or not log.holds_after(sub.scanned)
            ):
                messages, upto = log.catch_up(sub.filter, sub.scanned)
                for m in messages:
                    out.append(_ENCODER.encode(msgspec.structs.replace(m, prev=sub.prev)))
                    sub.prev = m.seq
                sub.scanned = max(sub.scanned, upto)
                continue
            if not log.holds_after(sub.scanned):
                self.overrun()
                return
            everything = sub.everything
            for entry in log.since(sub.scanned):
                if everything or matches(sub.filter, entry.district, entry.theme, entry.levels):
                    out.append(entry.encode(sub.prev))
                    sub.prev = entry.seq
            sub.scanned = newest

    def resume(self, stream: str, replayed: Iterable[Entry] = ()) -> None:
        """Answer a :class:`SubscriptionRequested` with a resume (§4.2): ``subscribed`` echoing the
        client's seq, then ``replayed`` (messages after it that the log no longer holds in memory, from
        a deeper store), chained; :meth:`collect` sends the rest."""
        request = self._answering(stream)
        if request is None:
            return
        f, seq = request
        self._queue(
            Subscribed(stream=stream, epoch=self.streams.epochs()[stream], mode=SubscribeMode.RESUME, seq=seq)
        )
        sub = _Sub(f, unfiltered(f), seq, seq)
        for entry in replayed:
            if entry.seq <= sub.scanned:
                continue
            if sub.everything or matches(f, entry.district, entry.theme, entry.levels):
                self._out.append(entry.encode(sub.prev))
                sub.prev = entry.seq
            sub.scanned = entry.seq
        self.subs[stream] = sub

    def snapshot(self, stream: str, seq: int, items: Sequence[DataMessage], reason: str) -> None:
        """Answer a :class:`SubscriptionRequested` with a snapshot at ``seq`` (§4.3): ``subscribed``,
        ``snapshot_begin``, ``items`` (the state for the request's filter, ``prev`` 0), ``snapshot_end``
        with the count. Live messages follow from ``seq`` on, chained from it."""
        request = self._answering(stream)
        if request is None:
            return
        f, _ = request
        epoch = self.streams.epochs()[stream]
        self._queue(
            Subscribed(stream=stream, epoch=epoch, mode=SubscribeMode.SNAPSHOT, seq=seq, reason=reason),
            SnapshotBegin(stream=stream, epoch=epoch, seq=seq),
        )
        self._out.extend(_ENCODER.encode(m) for m in items)
        self._queue(SnapshotEnd(stream=stream, epoch=epoch, seq=seq, count=len(items)))
        self.subs[stream] = _Sub(f, unfiltered(f), seq, seq)

    def acknowledge(self, ack: CommandAck) -> None:
        """Send the data source's answer to a :class:`CommandReceived` (§7.2)."""
        if self.close_code is None:
            self._queue(ack)

    def send(self, *messages: msgspec.Struct) -> None:
        """Queue control messages (an ``audit_ack``, say); they go out batched."""
        if self.close_code is None:
            self._queue(*messages)

    def check_revoked(self) -> None:
        """Refuse (``token_revoked``, §3.3) and close a welcomed connection whose token is revoked now."""
        if self.claims is None or self.close_code is not None:
            return
        why = self.gate.why_revoked(self.claims)
        if why:
            self.gate.refusals.append(TOKEN_REVOKED)
            self.refuse(TOKEN_REVOKED, why)

    def refuse(self, code: str, detail: str) -> None:
        """Send ``refused`` and nothing after it, then close with 4003 (§3.3)."""
        if self.close_code is not None:
            return
        self._out = [_ENCODER.encode(Refused(code=code, detail=detail))]
        self._close(CLOSE_REFUSED, "refused")

    def overrun(self, reason: str = "overrun: resume") -> None:
        """Close with 4001 (§4.4): the client is too far behind; it reconnects and resumes."""
        self._out.clear()
        self._close(CLOSE_OVERRUN, reason)

    def going_away(self) -> None:
        """The server is stopping: close with 1001."""
        self._close(CLOSE_GOING_AWAY, "server stopping")

    def connection_lost(self) -> None:
        """The connection is gone: release what it counted against the limits. Idempotent."""
        if self._counted_address:
            self.gate.admission.leave_address(self.address)
            self._counted_address = False
        if self._counted_operator:
            self.gate.admission.leave_operator(self._counted_operator)
            self._counted_operator = ""
        if self.phase is not Phase.CLOSING:
            self.phase = Phase.CLOSING

    # --------------------------------------------------------------------------------- outputs

    def events_received(self) -> list[ServerEvent]:
        """Return and clear the events since the last call."""
        events, self._events = self._events, []
        return events

    def data_to_send(self, now_ms: int) -> list[bytes]:
        """Return and clear the frames to write, batched under the frame limit (§2.1)."""
        if not self._out:
            return []
        out, self._out = self._out, []
        self._last_tx = now_ms
        return frames_of(out, self.config.max_frame_bytes)

    @property
    def pending(self) -> int:
        """Messages queued and not yet taken by :meth:`data_to_send`."""
        return len(self._out)

    def next_deadline(self) -> int:
        """The latest time :meth:`tick` must be called next."""
        beat = self._last_tx + int(IDLE_BEAT * self.config.heartbeat_ms)
        if self.config.client_timeout_ms:
            return min(beat, self._last_rx + self.config.client_timeout_ms + 1)
        return beat

    @property
    def operator(self) -> str:
        return self.claims.operator if self.claims is not None else ""

    @property
    def role(self) -> str:
        return self.claims.role if self.claims is not None else ""

    @property
    def districts(self) -> tuple[str, ...]:
        """The districts this connection may see and command (empty: the whole city)."""
        if self.claims is None:
            return ()
        return self.claims.districts or tuple(self.gate.grants.get(self.claims.operator, ()))

    # ---------------------------------------------------------------------------------- details

    def _queue(self, *messages: msgspec.Struct) -> None:
        self._out.extend(_ENCODER.encode(m) for m in messages)

    def _close(self, code: int, reason: str) -> None:
        if self.close_code is None:
            self.close_code = (code, reason)
            self.phase = Phase.CLOSING
            self._events.append(Closing(code, reason))

    def _problem(self, problem: Problem, detail: str) -> None:
        self.problems += 1
        self._events.append(ClientProblem(problem, detail))

    def _on_hello(self, hello: Hello, now_ms: int) -> None:
        if self.phase is not Phase.HELLO:
            self._problem(Problem.MALFORMED_MESSAGE, "a second hello")
            return
        if hello.v != PROTOCOL_VERSION:
            self.gate.refusals.append("version")
            self.refuse("version", f"client speaks v{hello.v}; this server speaks v{PROTOCOL_VERSION}")
            return
        try:
            claims = self.gate.identify(hello, now_ms // 1000)
        except TokenError as exc:
            self.gate.refusals.append(exc.code)
            self.refuse(exc.code, exc.detail)
            return
        limits = self.gate.limits
        if limits is not None:
            if not self.gate.admission.enter_operator(claims.operator):
                self.gate.refusals.append(TOO_MANY_CONNECTIONS)
                self.refuse(
                    TOO_MANY_CONNECTIONS,
                    f"{claims.operator} already has {limits.connections_per_operator} connections",
                )
                return
            self._counted_operator = claims.operator
        self.hello, self.claims, self.phase = hello, claims, Phase.OPEN
        self._queue(
            Welcome(
                v=PROTOCOL_VERSION,
                server_id=self.config.server_id,
                epochs=dict(self.streams.epochs()),
                capabilities=list(self.config.capabilities),
                server_time=now_ms,
                heartbeat_ms=self.config.heartbeat_ms,
                max_frame_bytes=self.config.max_frame_bytes,
            )
        )
        self._events.append(Welcomed(claims))

    def _on_subscribe(self, message: Subscribe) -> None:
        epochs = self.streams.epochs()
        unknown = [s.stream for s in message.streams if s.stream not in epochs]
        if unknown:
            self.gate.refusals.append("unknown_stream")
            self.refuse("unknown_stream", f"no such stream: {', '.join(unknown)}")
            return
        for sub in message.streams:
            self.subs.pop(sub.stream, None)  # the old subscription sends nothing more (§4.1)
            f = restrict(sub.filter, self.districts)
            decision = decide(sub, epochs[sub.stream], self.streams.log(sub.stream), self.config.resume_limit)
            self._requests[sub.stream] = (f, sub.seq)
            self._events.append(SubscriptionRequested(sub.stream, f, sub.epoch, sub.seq, decision))

    def _answering(self, stream: str) -> tuple[Filter, int] | None:
        if self.close_code is not None:
            return None
        request = self._requests.pop(stream, None)
        if request is None:
            raise RuntimeError(f"no subscription to {stream!r} is waiting for an answer")
        return request

    def _on_command(self, command: Command) -> None:
        claims = self.claims
        assert claims is not None  # the phase is OPEN
        first = self.gate.memory.get(command.id)
        if first is not None:
            self._queue(duplicate_of(first))
            return
        checked = check_command(command, claims.role, self.streams.epochs().get(Stream.EVENTS, ""))
        if checked is None and self.districts:
            district = self.streams.district_of(command)
            if district and district not in self.districts:
                checked = "forbidden", f"{claims.operator} may not act in district {district}"
        if checked is not None:
            ack = CommandAck(id=command.id, result=AckResult.REJECTED, reason=checked[0], detail=checked[1])
            self.gate.memory.put(ack)
            self._queue(ack)
            self._events.append(CommandRefused(command, ack, claims))
            return
        self._events.append(CommandReceived(command, claims))

    def _reject_malformed(self, command_id: str, detail: str) -> None:
        self._queue(
            CommandAck(
                id=command_id,
                result=AckResult.REJECTED,
                reason=MALFORMED,
                detail=f"not a valid command: {detail}",
            )
        )
