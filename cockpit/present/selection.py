"""Which event the officer is working on: one selection for the console and every screen.

The officer chooses an event anywhere (the console's lists, a wall banner, a wall list, a map
marker); every panel that can show it follows. A panel that serves a narrower scope (a runway's
theme and filters) shows the chosen event only if it is in that scope, and otherwise the event
:func:`first_in_scope` picks: the one rule for "nobody chose", used everywhere.

A chosen event stays chosen until the officer chooses another, even when it resolves or leaves the
wall: the dispatch target never moves to another event behind the officer's back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cockpit.model import EventRecord, Situation

Scope = Callable[[EventRecord], bool]


def everything(_ev: EventRecord) -> bool:
    return True


def first_in_scope(open_events: Sequence[EventRecord], scope: Scope = everything) -> EventRecord | None:
    """The event to work on when nobody chose: the most severe open event in scope, unacknowledged
    before acknowledged, then the newest (``Situation.open_events`` is most severe, then newest
    first)."""
    first_acked: EventRecord | None = None
    for ev in open_events:
        if not scope(ev):
            continue
        if not ev.acknowledged:
            return ev
        if first_acked is None:
            first_acked = ev
    return first_acked


class Selection:
    """The chosen event (or none), and the one rule for what a scope shows."""

    def __init__(self) -> None:
        self.chosen: str | None = None
        self.generation = 0
        """Counts choices: a panel compares it to know it must show another event."""

    def choose(self, event_id: str) -> bool:
        """The officer chose ``event_id``; True if that changed the choice."""
        if not event_id or event_id == self.chosen:
            return False
        self.chosen = event_id
        self.generation += 1
        return True

    def clear(self) -> None:
        """Forget the choice (the backend lost its state: the id may name another event now)."""
        if self.chosen is not None:
            self.chosen = None
            self.generation += 1

    def target(self, situation: Situation, scope: Scope = everything) -> tuple[str | None, bool]:
        """The event a panel of ``scope`` works on, and whether the officer chose it.

        Returns the chosen event's id if it is in scope (even if it is no longer open; and for the
        unscoped console even if it left the wall: the panel says what became of it), else the
        scope's first open event, else ``None``.
        """
        if self.chosen is not None:
            ev = situation.events.get(self.chosen)
            # A chosen event the wall no longer has stays on the unscoped panels (the console says
            # what became of it); a scoped panel cannot tell whether it was its own.
            if (ev is None and scope is everything) or (ev is not None and scope(ev)):
                return self.chosen, True
        ev = first_in_scope(situation.open_events(), scope)
        return (ev.id if ev is not None else None), False
