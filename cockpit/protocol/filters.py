"""Subscription filters (docs/protocol.md §4.1): which data messages a subscription gets.

The rule lives here once; the server core applies it to live data and resumes, and the servers'
snapshots use it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import msgspec

from cockpit.protocol.messages import Filter

NO_DISTRICT: Final = "~none~"
"""A district no message has: what a filter becomes when none of the districts it asks for is
allowed to its token (§3.1), so that it matches nothing instead of everything."""


def matches(f: Filter, district: str, theme: str, levels: tuple[str, ...] = ()) -> bool:
    """Whether a message with these keys passes a subscription filter (§4.1).

    An empty key (a unit has no theme, a dispatch no level) passes every filter on that key. An
    event's level key holds its level and, on the message that escalated or handed it down, the
    level it came from: a centre that watched the event gets the message that takes it away, and so
    never keeps showing it as its own (§4.1, §7.6).
    """
    if f.districts and district and district not in f.districts:
        return False
    if f.themes and theme and theme not in f.themes:
        return False
    return not (f.levels and levels and not any(level in f.levels for level in levels))


def unfiltered(f: Filter) -> bool:
    """Whether ``f`` lets everything through (a fast path: no per-message check)."""
    return not f.districts and not f.themes and not f.levels


def restrict(f: Filter, allowed: Sequence[str]) -> Filter:
    """``f`` narrowed to the districts a token allows (§3.1); ``allowed`` empty: the whole city.

    A filter asking for no district gets every allowed one; one asking only for districts that are
    not allowed gets :data:`NO_DISTRICT`, which matches no district (messages without a district key
    still pass, as §4.1 says of every filter).
    """
    if not allowed:
        return f
    wanted = [d for d in (f.districts or allowed) if d in allowed]
    return msgspec.structs.replace(f, districts=wanted or [NO_DISTRICT])
