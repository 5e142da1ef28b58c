"""A ``card`` panel: one event, large, with the facts the backend attaches to it.

"The alert with its plate, route and source": the event the officer chose if it is this panel's,
else the panel's most pressing open event (the one rule of :mod:`cockpit.present.selection`). The
runway file's ``fields`` say which facts to show and in which order, ``key_fields`` which of them at
key size (a plate); without ``fields`` every fact the event carries is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.model import EventRecord, Situation
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.facts import clock, fact_text, keys_of
from cockpit.present.panels.scope import event_scope
from cockpit.present.runway_spec import Panel
from cockpit.present.selection import Scope, everything
from widgets.values import Card, CardField, Severity


@dataclass(frozen=True, slots=True)
class CardState:
    card: Card | None
    placeholder: str
    """Why there is no card ("No open event"), or ""."""
    current: bool


def event_subtitle(ctx: Context, situation: Situation, ev: EventRecord) -> str:
    """ "Hill Town · 10:02:13 · Enforcement team 1 (Hill Town): en route" — where, when, how far."""
    parts = [ctx.names.district(ev.district), clock(ev.time_ms)]
    units = [
        f"{ctx.names.unit(situation.units[d.unit_id])}: {ctx.words.dispatch_state(d.state)}"
        for d in situation.dispatches_for(ev.id)
        if d.unit_id in situation.units and not d.state.is_final
    ]
    parts.append(", ".join(units) if units else ctx.words.event_state(ev.state))
    return " · ".join(parts)


class CardModel:
    """One event card.

    Args:
        spec: The runway file's panel (its ``events`` selector and ``fields``).
        ctx: Shared presentation state.
        theme: The runway's theme: the card serves only its events.
    """

    def __init__(self, spec: Panel, ctx: Context, theme: str = "") -> None:
        self.spec = spec
        self.ctx = ctx
        self.scope: Scope = event_scope(spec.events, theme) if (theme or spec.events is not None) else everything
        self.event_id = ""
        self._last: CardState | None = None
        self._seen = -1

    def update(self, situation: Situation, frame: Frame) -> CardState | None:
        ch = frame.changes
        seen = self.ctx.selection.generation
        if not (frame.slow or ch.events or ch.dispatches or ch.units or ch.replaced or ch.names or seen != self._seen):
            return None
        self._seen = seen
        state = self._state(situation, frame)
        if state == self._last:
            return None
        self._last = state
        return state

    def _state(self, situation: Situation, frame: Frame) -> CardState:
        event_id, _chosen = self.ctx.selection.target(situation, self.scope)
        ev = situation.events.get(event_id or "")
        if ev is None:
            self.event_id = ""
            return CardState(None, self.ctx.translate("Card", "No open event"), frame.current)
        self.event_id = ev.id
        ctx, names = self.ctx, self.ctx.names
        wanted = self.spec.fields or keys_of(ev.attrs)
        fields = []
        for key in wanted:
            value = names.attr_value(ev.attrs, key)
            if value is None:
                continue
            fields.append(CardField(names.attribute(key), fact_text(ctx, key, value, frame.server_now_ms), key in self.spec.key_fields))
        card = Card(
            ev.id,
            names.event_type(ev.type, ev.title),
            event_subtitle(ctx, situation, ev),
            Severity(int(ev.severity)),
            tuple(fields),
            ev.acknowledged,
        )
        return CardState(card, "", frame.current)

    # ---------------------------------------------------------------------------- intents

    def choose(self) -> None:
        """The officer clicked the card: the event it shows becomes the one worked on everywhere."""
        if self.event_id:
            self.ctx.selection.choose(self.event_id)
