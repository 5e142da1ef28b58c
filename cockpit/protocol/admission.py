"""Fairness under floods and connection limits, for the server core (docs/protocol.md §3.3).

One client must not starve the others. Each connection's client → server traffic passes a
:class:`Meter` (token buckets on frames/s and bytes/s); a connection over either is closed with
:data:`CLOSE_FLOOD`. :class:`Admission` caps concurrent connections per source address (before the
hello; closed with :data:`CLOSE_TOO_MANY`) and per operator (after the token is checked; refused
with ``too_many_connections``).

No I/O: the caller passes the clock in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

CLOSE_FLOOD: Final = 4008
"""Close code: the client sent more frames or bytes per second than its limit."""
CLOSE_TOO_MANY: Final = 4029
"""Close code: too many concurrent connections from this source address."""
TOO_MANY_CONNECTIONS: Final = "too_many_connections"
"""Refusal code (§3.3): the token's operator already has as many connections as allowed."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-client limits on client → server traffic and on concurrent connections.

    The defaults are far above what a cockpit sends (a heartbeat a second, commands and audit
    records batched into frames) and far below what starves a server's loop.
    """

    frames_per_s: float = 200.0
    frames_burst: float = 1_000.0
    bytes_per_s: float = 1_048_576.0
    bytes_burst: float = 8_388_608.0
    """At least the largest frame (4 MiB), so one legitimate large frame always passes."""
    connections_per_address: int = 256
    """Generous: a centre behind one NAT address runs many walls and consoles."""
    connections_per_operator: int = 64
    """Generous: a wall's displays may share one operator's token."""


@dataclass(slots=True)
class Bucket:
    """A token bucket: ``rate`` per second, holding at most ``burst``; starts full."""

    rate: float
    burst: float
    level: float = -1.0
    last: float = 0.0

    def take(self, amount: float, now: float) -> bool:
        if self.level < 0:
            self.level, self.last = self.burst, now
        self.level = min(self.burst, self.level + (now - self.last) * self.rate)
        self.last = now
        if amount > self.level:
            return False
        self.level -= amount
        return True


@dataclass(slots=True)
class Meter:
    """One connection's frames/s and bytes/s buckets."""

    limits: Limits
    frames: Bucket = field(init=False)
    bytes: Bucket = field(init=False)

    def __post_init__(self) -> None:
        self.frames = Bucket(self.limits.frames_per_s, self.limits.frames_burst)
        self.bytes = Bucket(self.limits.bytes_per_s, self.limits.bytes_burst)

    def admit(self, size: int, now: float) -> str:
        """``""`` if a frame of ``size`` bytes may pass at ``now`` (seconds); otherwise the close reason."""
        t = now
        if not self.frames.take(1, t):
            return f"flood: over {self.limits.frames_per_s:g} frames/s"
        if not self.bytes.take(size, t):
            return f"flood: over {self.limits.bytes_per_s:g} bytes/s"
        return ""


@dataclass(slots=True)
class Admission:
    """Concurrent connections per source address and per operator."""

    limits: Limits
    addresses: Counter[str] = field(default_factory=Counter)
    operators: Counter[str] = field(default_factory=Counter)

    def enter_address(self, address: str) -> bool:
        """Count a new connection from ``address``; False (and not counted) if it has too many."""
        if self.addresses[address] >= self.limits.connections_per_address:
            return False
        self.addresses[address] += 1
        return True

    def leave_address(self, address: str) -> None:
        self.addresses[address] -= 1
        if self.addresses[address] <= 0:
            del self.addresses[address]

    def enter_operator(self, operator: str) -> bool:
        if self.operators[operator] >= self.limits.connections_per_operator:
            return False
        self.operators[operator] += 1
        return True

    def leave_operator(self, operator: str) -> None:
        self.operators[operator] -= 1
        if self.operators[operator] <= 0:
            del self.operators[operator]


def address_of(remote: object) -> str:
    """The source address of a websocket's ``remote_address`` (host of a (host, port, …) tuple)."""
    if isinstance(remote, tuple) and remote:
        return str(remote[0])
    return str(remote)


__all__ = [
    "CLOSE_FLOOD",
    "CLOSE_TOO_MANY",
    "TOO_MANY_CONNECTIONS",
    "Admission",
    "Bucket",
    "Limits",
    "Meter",
    "address_of",
]
