"""The live feed: asyncio + websockets around the sans-I/O protocol core (docs/architecture.md).

Errors never escape :class:`FeedClient`: a failed connection becomes an ``OFFLINE`` state with its
reason and a jittered retry; bad frames become counted events.
"""

from cockpit.feed.client import FeedClient, FeedEvent, Identity, OutboxProblem
from cockpit.feed.outbox import default_outbox_path
from cockpit.protocol.commands import CommandStatus, CommandUpdate
from cockpit.protocol.link import Backoff, ConnectionState

__all__ = [
    "Backoff",
    "CommandStatus",
    "CommandUpdate",
    "ConnectionState",
    "FeedClient",
    "FeedEvent",
    "Identity",
    "OutboxProblem",
    "default_outbox_path",
]
