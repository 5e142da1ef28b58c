"""The hierarchy of operation centres (§7.6): street → district → city. The one copy of it."""

from __future__ import annotations

from cockpit.protocol.messages import Level

ORDER: tuple[Level, ...] = (Level.STREET, Level.DISTRICT, Level.CITY)


def level_up(level: str) -> Level | None:
    """The centre level an event held at ``level`` escalates to; ``None`` at the top or if unknown."""
    try:
        i = ORDER.index(Level(level))
    except ValueError:
        return None
    return ORDER[i + 1] if i + 1 < len(ORDER) else None


def level_down(level: str) -> Level | None:
    """The centre level an event held at ``level`` is handed down to; ``None`` at the bottom."""
    try:
        i = ORDER.index(Level(level))
    except ValueError:
        return None
    return ORDER[i - 1] if i > 0 else None
