"""What a client shows about its link to the backend (§6), shared by the live feed and replay."""

from __future__ import annotations

import enum


class ConnectionState(enum.Enum):
    """The link's state, as the wall shows it (§6)."""

    CONNECTING = "connecting"
    RESYNCING = "resyncing"
    LIVE = "live"
    STALE = "stale"
    OFFLINE = "offline"
