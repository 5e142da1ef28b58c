"""The live event list of a runway or the console: every open event its selector names, any of them
selectable (an alarm or not), acknowledgeable where the role allows."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cockpit.model import EventRecord, Situation
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.scope import event_scope, events_matching
from cockpit.present.runway_spec import Panel
from cockpit.protocol.messages import Command, CommandKind, EventState
from widgets.values import EventRow, Severity

MAX_ROWS = 500


@dataclass(frozen=True, slots=True)
class EventsState:
    """What changed on an event list (``None``: unchanged)."""

    rows: list[EventRow] | None
    title: str | None
    selected: str | None
    """The event to show as selected ("" for none)."""
    current: bool
    ack_why_not: str


class EventsModel:
    """One event list.

    Args:
        spec: The runway file's panel (its ``events`` selector and title).
        ctx: The cockpit's shared presentation state.
        title: The panel's title (from the runway file, or the console's own).
    """

    def __init__(self, spec: Panel, ctx: Context, title: str) -> None:
        self.spec = spec
        self.ctx = ctx
        self.scope = event_scope(spec.events)
        self.base_title = title or ctx.translate("Events", "Live events")
        self.events: list[EventRecord] = []
        self._seen: tuple[int, int] = (-1, -1)
        self._title = ""
        self._selected: str | None = None
        self._newest_ts = 0

    def update(self, situation: Situation, frame: Frame) -> EventsState | None:
        ch = frame.changes
        self._newest_ts = max(self._newest_ts, ch.newest_ts)
        ctx = self.ctx
        rows = None
        seen = (ctx.book.generation, ctx.selection.generation)
        # Rows change only with the data; rebuilding a list on every half-second tick cost whole
        # frames under load (bench/latency.py).
        if self._seen[0] == -1 or ch.events or ch.units or ch.dispatches or ch.replaced or ch.names:
            self.events = events_matching(situation, self.scope)[:MAX_ROWS]
            rows = [self._row(situation, e) for e in self.events]
        title = self._title_text(frame) if (rows is not None or frame.slow) else self._title
        target, _chosen = ctx.selection.target(situation, self.scope)
        selected = target or ""
        if rows is None and title == self._title and selected == self._selected and seen == self._seen:
            return None
        self._seen, self._title, self._selected = seen, title, selected
        return EventsState(rows, title, selected, frame.current, ctx.book.why_not(CommandKind.ACKNOWLEDGE))

    def _title_text(self, frame: Frame) -> str:
        t, n = self.ctx.translate, len(self.events)
        if frame.current:
            return t("Events", "{title} ({n} open)").format(title=self.base_title, n=n)
        if self._newest_ts:
            return t("Events", "{title} {as_of}: not live ({n} open)").format(
                title=self.base_title, as_of=frame.wall.as_of, n=n
            )
        return t("Events", "{title}: no data yet").format(title=self.base_title)

    def _row(self, situation: Situation, ev: EventRecord) -> EventRow:
        ctx = self.ctx
        units = [
            ctx.names.unit(situation.units[d.unit_id]) + " · " + ctx.words.dispatch_state(d.state)
            for d in situation.dispatches_for(ev.id)
            if d.unit_id in situation.units and not d.state.is_final
        ]
        state = (
            ctx.translate("Events", "Cleared, unacknowledged")
            if ev.state is EventState.NEW and not ev.active
            else ctx.words.event_state(ev.state)
        )
        return EventRow(
            id=ev.id,
            severity=Severity(int(ev.severity)),
            time_text=time.strftime("%H:%M:%S", time.localtime(ev.time_ms / 1000)),
            title=ctx.names.event_type(ev.type, ev.title),
            district=ctx.names.district(ev.district),
            state_text=state,
            acknowledged=ev.acknowledged,
            dispatch_text=", ".join(units),
        )

    # ---------------------------------------------------------------------------- intents

    def choose(self, event_id: str) -> None:
        """The officer picked a row ("" means the selected row left the list: keep the choice)."""
        self.ctx.selection.choose(event_id)

    def acknowledge(self, situation: Situation, event_id: str) -> Command | None:
        ev = situation.events.get(event_id)
        if ev is None or ev.acknowledged:
            return None
        return self.ctx.book.make(CommandKind.ACKNOWLEDGE, event_id, occurrence=ev.occurrence)
