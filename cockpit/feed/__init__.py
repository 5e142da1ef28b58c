"""The live feed: asyncio + websockets around the sans-I/O protocol core (docs/architecture.md).

Errors never escape :class:`FeedClient`: a failed connection becomes an ``OFFLINE`` state with its
reason and a jittered retry; bad frames become counted events.
"""

from cockpit.feed.client import (
    Backoff,
    CommandProgress,
    CommandState,
    ConnectionState,
    FeedClient,
    FeedEvent,
    Identity,
    OutboxProblem,
    StateChanged,
)
from cockpit.feed.outbox import default_outbox_path

__all__ = [
    "Backoff",
    "CommandProgress",
    "CommandState",
    "ConnectionState",
    "FeedClient",
    "FeedEvent",
    "Identity",
    "OutboxProblem",
    "StateChanged",
    "default_outbox_path",
]
