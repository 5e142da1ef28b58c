"""One-click dispatch for the event a panel serves, and that event's other actions.

On a runway the panel serves the runway's own events (its theme and its panel's filters): the
officer's chosen event if it is one of them, else the runway's most pressing open event, else it
says there is none. At the console it serves whatever the officer chose. The command book decides
what may be sent; every action carries its reason when it may not, and critical ones (plans,
call-offs, hand-downs) are marked for a confirming second click.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cockpit.model import EventRecord, Situation
from cockpit.model.centres import level_down, level_up
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.scope import event_scope
from cockpit.present.runway_spec import Panel
from cockpit.present.selection import Scope, everything
from cockpit.present.words import CRITICAL_KINDS
from cockpit.protocol.messages import Command, CommandKind, EventState, UnitStatus
from widgets.values import PanelAction, Tone

_ACTION_KINDS = {
    "ack": CommandKind.ACKNOWLEDGE,
    "plan": CommandKind.ACTIVATE_PLAN,
    "escalate": CommandKind.ESCALATE,
    "hand_down": CommandKind.HAND_DOWN,
    "cancel": CommandKind.CANCEL,
    "close": CommandKind.CLOSE,
    "unshelve": CommandKind.UNSHELVE,
}


@dataclass(frozen=True, slots=True)
class DispatchState:
    """Everything a dispatch panel shows."""

    event_text: str
    """The target event in one line, or why there is none ("No open forest-fire events")."""
    unit_text: str
    send_enabled: bool
    state_text: str
    tone: Tone
    actions: tuple[PanelAction, ...]
    event_id: str = ""
    unit_short: str = ""
    """The unit in fewer words, for a wall panel too low for ``unit_text`` ("" the same)."""
    state_short: str = ""
    """The state in fewer words (without the unit's name), for a wall panel too low for
    ``state_text`` ("" the same)."""


class DispatchModel:
    """The dispatch block of a runway (``scope``) or of the console (everything).

    Args:
        spec: The runway file's panel.
        ctx: Shared presentation state.
        theme: The runway's theme ("" at the console): the panel serves only its events.
        runway_title: How to name the runway's events when it has none ("forest-fire").
        on_wall: A wall screen: one line of event text, the button and the state; the actions stay
            at the console.
        plan_title: Plan type → its title in the operator's language.
    """

    def __init__(
        self,
        spec: Panel,
        ctx: Context,
        theme: str = "",
        runway_title: str = "",
        on_wall: bool = False,
        plan_title: Callable[[str], str] = lambda plan_type: plan_type,
    ) -> None:
        self.spec = spec
        self.ctx = ctx
        self.scope: Scope = event_scope(spec.events, theme) if (theme or spec.events is not None) else everything
        self.runway_title = runway_title
        self.on_wall = on_wall
        self.plan_title = plan_title
        self.state: DispatchState | None = None
        self.event_id: str | None = None
        self._seen = (-1, -1)

    def update(self, situation: Situation, frame: Frame) -> DispatchState | None:
        ch = frame.changes
        seen = (self.ctx.book.generation, self.ctx.selection.generation)
        if not (
            frame.slow or ch.events or ch.units or ch.dispatches or ch.plans or ch.replaced or ch.names or seen != self._seen
        ):
            return None
        self._seen = seen
        state = self._state(situation)
        if state == self.state:
            return None
        self.state = state
        return state

    def _state(self, situation: Situation) -> DispatchState:
        ctx = self.ctx
        t, names, book = ctx.translate, ctx.names, ctx.book
        event_id, _chosen = ctx.selection.target(situation, self.scope)
        self.event_id = event_id
        ev = situation.events.get(event_id or "")
        if ev is None:
            last = book.latest(event_id or "", CommandKind.DISPATCH) if event_id else None
            if event_id:
                text = t("Dispatch", "The event is no longer on the wall")
            elif self.scope is everything:
                text = t("Dispatch", "No open events")
            else:
                text = t("Dispatch", "No open {runway} events").format(runway=self.runway_title)
            if last is not None:  # still say what became of the command sent for it
                line = book.line(situation, last)
                return DispatchState(text, "", False, line.text, line.tone, (), event_id or "")
            return DispatchState(text, "", False, "", Tone.IDLE, (), event_id or "")
        uid = self._recommended_unit(situation, ev)
        event_text = f"{names.event_type(ev.type, ev.title)} · {names.district(ev.district)}"
        if not ev.open:
            event_text = f"{event_text} · {ctx.words.event_state(ev.state)}"
        if not self.on_wall:  # the desk has room for where it came from and who holds it
            if ev.source:
                event_text = f"{event_text} · {ev.source}"
            event_text = f"{event_text} · {t('Dispatch', 'held by the {level}').format(level=names.level(ev.level))}"
        unit_text = unit_short = names.unit(situation.units[uid]) if uid else ""
        if uid and any(not d.state.is_final for d in situation.dispatches_for(ev.id)):
            unit_text = t("Dispatch", "another unit: {unit}").format(unit=unit_text)  # a deliberate second unit
        actions = () if self.on_wall else tuple(self._actions(situation, ev))
        why_not = book.why_not(CommandKind.DISPATCH, ev.id)
        last = book.latest(ev.id, CommandKind.DISPATCH)
        if last is not None:
            line = book.line(situation, last)
            who = last.command.unit_id
            unit = situation.units.get(who)
            state_text = t("Dispatch", "{unit}: {state}").format(unit=names.unit(unit) if unit else who, state=line.text)
            state_short, tone = line.text, line.tone
        elif why_not:
            state_text, tone = why_not, Tone.IDLE
            state_short = state_text
        else:
            state_text, tone = t("Dispatch", "Ready"), Tone.IDLE
            state_short = state_text
        if why_not and last is not None and not book.pending(CommandKind.DISPATCH, ev.id):
            state_text = f"{state_text} · {why_not}"
            state_short = f"{state_short} · {why_not}"
        enabled = not why_not and uid is not None and ev.open
        return DispatchState(
            event_text, unit_text, enabled, state_text, tone, actions, ev.id,
            unit_short if unit_short != unit_text else "", state_short if state_short != state_text else "",
        )

    def _actions(self, situation: Situation, ev: EventRecord) -> list[PanelAction]:
        t, book = self.ctx.translate, self.ctx.book
        actions: list[PanelAction] = []

        def add(key: str, kind: CommandKind, text: str, ref: str = "") -> None:
            why = book.why_not(kind, ev.id, ref)
            actions.append(PanelAction(key, text, not why, why, kind in CRITICAL_KINDS))

        if ev.state is EventState.NEW:
            # The button names what it acknowledges, as the alarm list's does (officer review).
            add("ack", CommandKind.ACKNOWLEDGE, t("Dispatch", "Acknowledge {event} · {district}").format(
                event=self.ctx.names.event_type(ev.type, ev.title), district=self.ctx.names.district(ev.district)))
        running = {p.plan_type for p in situation.plans_for(ev.id) if p.state != "closed"}
        for plan_type in ev.plans if ev.state is not EventState.RESOLVED else ():  # nothing left to plan for
            if plan_type not in running:
                add(f"plan:{plan_type}", CommandKind.ACTIVATE_PLAN,
                    t("Dispatch", "Activate plan: {plan}").format(plan=self.plan_title(plan_type)), plan_type)
        up, down = level_up(ev.level), level_down(ev.level)
        if up is not None:
            add("escalate", CommandKind.ESCALATE, t("Dispatch", "Escalate to {level}").format(level=self.ctx.names.level(up)))
        if down is not None:
            add("hand_down", CommandKind.HAND_DOWN, t("Dispatch", "Hand down to {level}").format(level=self.ctx.names.level(down)))
        for d in situation.dispatches_for(ev.id):
            if not d.state.is_final:
                unit = situation.units.get(d.unit_id)
                who = self.ctx.names.unit(unit) if unit is not None else d.unit_id
                add(f"cancel:{d.command_id}", CommandKind.CANCEL, t("Dispatch", "Call off {unit}").format(unit=who), d.command_id)
        if ev.shelved_until:
            add("unshelve", CommandKind.UNSHELVE, t("Dispatch", "Unshelve"))
        if ev.state is EventState.RESOLVED:
            add("close", CommandKind.CLOSE, t("Dispatch", "Close event"))
        return actions

    @staticmethod
    def _recommended_unit(situation: Situation, ev: EventRecord) -> str | None:
        for uid in ev.recommended:
            unit = situation.units.get(uid)
            if unit is not None and unit.status is UnitStatus.AVAILABLE:
                return uid
        return None

    # ---------------------------------------------------------------------------- intents

    def dispatch(self, situation: Situation) -> Command | None:
        """The officer clicked Send: the recommended unit to the event shown, if it may go now."""
        ev = situation.events.get(self.event_id or "")
        if ev is None or not ev.open:
            return None
        uid = self._recommended_unit(situation, ev)
        if uid is None:
            return None
        command = self.ctx.book.make(CommandKind.DISPATCH, ev.id, unit_id=uid)
        if command is not None:
            self._keep(ev.id)
        return command

    def _keep(self, event_id: str) -> None:
        """Acting on an event makes it the officer's choice: with nobody choosing, the panel would
        move to the next event the moment this one is dispatched, and a second click a second later
        would send a unit to an event the officer never looked at."""
        self.ctx.selection.choose(event_id)

    def act(self, situation: Situation, key: str) -> Command | None:
        """The officer triggered action ``key`` (confirmed already, if critical)."""
        ev = situation.events.get(self.event_id or "")
        if ev is None:
            return None
        action, _, ref = key.partition(":")
        kind = _ACTION_KINDS.get(action)
        if kind is None:
            return None
        shown = self.state.actions if self.state is not None else ()
        if not any(a.key == key and a.enabled for a in shown):
            return None  # only what the panel offers, as it offers it (never an action it moved away)
        event_id = ev.id
        if kind == CommandKind.CANCEL and ref in situation.dispatches:
            event_id = situation.dispatches[ref].event_id
        command = self.ctx.book.make(
            kind, event_id, ref=ref, occurrence=ev.occurrence if kind == CommandKind.ACKNOWLEDGE else 0
        )
        if command is not None:
            self._keep(ev.id)
        return command
