"""What a client shows about its link to the backend (§6), shared by the live feed and replay, and
how any client waits before it tries again."""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field


class ConnectionState(enum.Enum):
    """The link's state, as the wall shows it (§6)."""

    CONNECTING = "connecting"
    RESYNCING = "resyncing"
    LIVE = "live"
    STALE = "stale"
    OFFLINE = "offline"


@dataclass(slots=True)
class Backoff:
    """The reconnect schedule after a failure: ``base_s`` doubling to ``cap_s``, each wait drawn
    between ``low`` and ``high`` times the step so that many clients do not retry in step.

    The live feed and the load generator use full jitter (half to all of the step); the camera
    decoder uses ±20 %. The exponent is clamped, so an outage of any length never overflows.

    Args:
        base_s: The first step.
        cap_s: The largest step.
        low: The shortest wait, as a fraction of the step.
        high: The longest wait, as a fraction of the step.
        rng: Where the jitter comes from (seed it in tests).
    """

    base_s: float = 0.2
    cap_s: float = 8.0
    low: float = 0.5
    high: float = 1.0
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def next_delay(self) -> float:
        """The wait before the next attempt; each call counts one more failure."""
        step = min(self.cap_s, self.base_s * 2.0 ** min(self.attempt, _MAX_DOUBLINGS))
        self.attempt += 1
        return self.rng.uniform(step * self.low, step * self.high)

    def reset(self) -> None:
        """A connection held: the next failure starts from the shortest wait again."""
        self.attempt = 0


#: Past this many doublings any base has reached any sensible cap (2**60 × 1 ms is 36 million years).
_MAX_DOUBLINGS = 60
