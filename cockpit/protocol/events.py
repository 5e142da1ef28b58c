"""Events a :class:`~cockpit.protocol.session.ClientSession` reports to its caller.

Data arrives as one :class:`DataReceived` per frame, never one event per message: per-frame work is
what leaves the GUI thread time to paint (shared/performance.md).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cockpit.protocol.codec import Problem
from cockpit.protocol.messages import AuditAck, CommandAck, DataMessage, Welcome


@dataclass(frozen=True, slots=True)
class Connected:
    """The handshake succeeded (§3.2)."""

    welcome: Welcome
    clock_offset_ms: int
    """Server clock minus client clock, estimated from the handshake round trip."""


@dataclass(frozen=True, slots=True)
class HandshakeRefused:
    """The server refused us (§3.3); the caller should close and not retry at once."""

    code: str
    detail: str


@dataclass(frozen=True, slots=True)
class StreamSynced:
    """A subscription is live: resumed with nothing missing, or a snapshot is about to follow."""

    stream: str
    epoch: str
    seq: int
    mode: str
    reason: str


@dataclass(frozen=True, slots=True)
class StreamUnavailable:
    """The server does not offer a stream we wanted (it is not in its welcome's epochs)."""

    stream: str


@dataclass(frozen=True, slots=True)
class SnapshotReceived:
    """The complete state of ``stream`` at ``seq`` (§4.3): the caller replaces that stream's state."""

    stream: str
    epoch: str
    seq: int
    messages: tuple[DataMessage, ...]


@dataclass(frozen=True, slots=True)
class DataReceived:
    """In-order, gap-checked data messages from one frame (§5.0)."""

    messages: tuple[DataMessage, ...]


class GapKind(enum.Enum):
    """Why a stream needs resyncing."""

    SEQUENCE = "sequence"
    """A message's ``prev`` did not match the last seq we had."""
    SNAPSHOT_COUNT = "snapshot_count"
    """A snapshot ended with a different count than was received."""


@dataclass(frozen=True, slots=True)
class GapDetected:
    """Data was missing; the session has already asked the server to resync the stream (§5.0)."""

    stream: str
    kind: GapKind
    expected: int
    got: int


@dataclass(frozen=True, slots=True)
class CommandAcked:
    """The server answered a command (§7.2)."""

    ack: CommandAck


@dataclass(frozen=True, slots=True)
class AuditAcked:
    """The server holds an audit record we sent (§7.8)."""

    ack: AuditAck


@dataclass(frozen=True, slots=True)
class FrameProblem:
    """A frame, or a message in it, was dropped (§2.3). The connection goes on."""

    problem: Problem
    detail: str
    type: str = ""


@dataclass(frozen=True, slots=True)
class LivenessChanged:
    """The feed went quiet for longer than the stale limit, or came back (§6)."""

    stale: bool
    silent_ms: int


SessionEvent = (
    Connected
    | HandshakeRefused
    | StreamSynced
    | StreamUnavailable
    | SnapshotReceived
    | DataReceived
    | GapDetected
    | CommandAcked
    | AuditAcked
    | FrameProblem
    | LivenessChanged
)
