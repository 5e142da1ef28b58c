"""A ``timeline`` panel: one event's closed loop from report to closure, step by step.

Found → routed → handled → reported back → evaluated, each with the time it was reached (the
event's ``attrs`` ``found_at`` … ``evaluated_at``, server ms) and what happened at it: the team it
was routed to (``routed_to``), the photos and the citizen told (``photos``, ``citizen_told_at``),
the rating (``evaluation``). Against ``deadline_at`` (for handling): late in words and in red.
For an event without these facts the steps come from its state (acknowledged: routed; resolved:
handled; closed: evaluated).

Which event: the one the officer chose if it is this panel's; else the newest of the panel's events
whose loop is closed (reported back and evaluated), so the wall shows a loop from report to closure;
else its open event furthest along.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.model import EventRecord, Situation
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.facts import short_clock
from cockpit.present.panels.loop import STEPS
from cockpit.present.panels.scope import event_scope
from cockpit.present.runway_spec import Panel
from cockpit.protocol.messages import EventState
from widgets.values import Severity, TimelineStep

_BY_STATE = {
    EventState.ACKNOWLEDGED: 1,
    EventState.DISPATCHED: 1,
    EventState.RESOLVED: 2,
    EventState.CLOSED: 4,
}
"""How far an event without step times has come, from its state (steps reached, after found)."""


@dataclass(frozen=True, slots=True)
class TimelineState:
    event_id: str
    title: str
    """The event in one line: its type and place; or why there is none."""
    steps: tuple[TimelineStep, ...]
    deadline: str = ""
    """ "Deadline 20:45 · handled 4 min late", "Deadline 20:45 · 12 min left"; "" without one."""
    severity: Severity | None = None


def _num(value: str | float | None) -> float | None:
    return float(value) if isinstance(value, int | float) else None


class TimelineModel:
    """One event's timeline.

    Args:
        spec: The runway file's panel (its ``events`` selector).
        ctx: Shared presentation state.
        theme: The runway's theme.
    """

    def __init__(self, spec: Panel, ctx: Context, theme: str = "") -> None:
        self.spec = spec
        self.ctx = ctx
        self.scope = event_scope(spec.events, theme)
        self.event_id = ""
        self._last: TimelineState | None = None
        self._seen = -1

    def update(self, situation: Situation, frame: Frame) -> TimelineState | None:
        ch = frame.changes
        seen = self.ctx.selection.generation
        if not (frame.slow or ch.events or ch.replaced or ch.names or seen != self._seen):
            return None
        self._seen = seen
        ev = self._target(situation)
        self.event_id = ev.id if ev is not None else ""
        state = self._state(ev, frame.server_now_ms) if ev is not None else TimelineState(
            "", self.ctx.translate("Timeline", "No event yet"), ()
        )
        if state == self._last:
            return None
        self._last = state
        return state

    def _reached(self, ev: EventRecord) -> int:
        attrs = dict(ev.attrs)
        by_attr = sum(1 for code, _ in STEPS if f"{code}_at" in attrs)
        return max(by_attr, 1 + _BY_STATE.get(ev.state, 0) if ev.state is not EventState.CLOSED else 5)

    def _target(self, situation: Situation) -> EventRecord | None:
        chosen = self.ctx.selection.chosen
        ev = situation.events.get(chosen or "")
        if ev is not None and self.scope(ev):
            return ev
        mine = [e for e in situation.events.values() if self.scope(e)]
        closed = [e for e in mine if "evaluated_at" in dict(e.attrs)]
        if closed:
            return max(closed, key=lambda e: (float(dict(e.attrs)["evaluated_at"]), e.id))
        if not mine:
            return None
        return max(mine, key=lambda e: (e.open, self._reached(e), e.time_ms, e.id))

    def _state(self, ev: EventRecord, now_ms: int) -> TimelineState:
        ctx, t, names = self.ctx, self.ctx.translate, self.ctx.names
        attrs = dict(ev.attrs)
        reached = self._reached(ev)
        times: dict[str, float | None] = {code: _num(attrs.get(f"{code}_at")) for code, _ in STEPS}
        if times["found"] is None:
            times["found"] = float(ev.time_ms)
        deadline = _num(attrs.get("deadline_at"))
        handled = times["handled"]
        details = {
            "found": str(names.attr_value(ev.attrs, "channel") or ""),
            "routed": str(names.attr_value(ev.attrs, "routed_to") or ""),
            "handled": "",
            "reported": "",
            "evaluated": str(names.attr_value(ev.attrs, "evaluation") or ""),
        }
        photos = _num(attrs.get("photos"))
        told = _num(attrs.get("citizen_told_at"))
        parts = []
        if photos:
            parts.append(t("Timeline", "{n} photos").format(n=f"{photos:.0f}"))
        if told is not None:
            parts.append(t("Timeline", "citizen told {time}").format(time=short_clock(told)))
        details["reported"] = " · ".join(parts)
        steps = []
        for i, (code, word) in enumerate(STEPS):
            at = times[code]
            done = at is not None or i < reached
            late = False
            if code == "handled" and deadline is not None:
                late = (handled is not None and handled > deadline) or (handled is None and now_ms > deadline and ev.open)
            steps.append(
                TimelineStep(t("Loop", word), short_clock(at) if at is not None else "", details[code], done, late)
            )
        deadline_text = ""
        if deadline is not None:
            when = short_clock(deadline)
            if handled is not None:
                over = int(handled - deadline)
                deadline_text = (
                    t("Timeline", "Deadline {time} · handled {late} late").format(time=when, late=ctx.words.duration(over))
                    if over > 0
                    else t("Timeline", "Deadline {time} · handled in time").format(time=when)
                )
            elif now_ms > deadline:
                deadline_text = t("Timeline", "Deadline {time} · {late} late").format(
                    time=when, late=ctx.words.duration(int(now_ms - deadline))
                )
            else:
                deadline_text = t("Timeline", "Deadline {time} · {left} left").format(
                    time=when, left=ctx.words.duration(int(deadline - now_ms))
                )
        title = f"{names.event_type(ev.type, ev.title)} · {names.district(ev.district)}"
        return TimelineState(ev.id, title, tuple(steps), deadline_text, Severity(int(ev.severity)))

    def choose(self) -> None:
        """The officer clicked the timeline: its event is the one worked on everywhere."""
        if self.event_id:
            self.ctx.selection.choose(self.event_id)
