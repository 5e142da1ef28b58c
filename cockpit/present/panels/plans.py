"""The console's plan and SLA view for the selected event: the plan's tasks against their deadlines,
approve and close with the roles table's reasons, and the event's SLA timers in words.

Titles in the operator's language come from the plan files (the wire carries English); SLA targets
from ``assets/sla.yaml``. Computed from the model once a frame at most, never per message.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from cockpit.model import PlanRecord, Situation
from cockpit.model.plans import AGENCIES, PlanLibrary
from cockpit.model.sla import Phase, SlaState, SlaTargets, event_timers, task_timers
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.protocol.messages import Command, CommandKind
from widgets.values import PanelAction, TaskRow, TimerLine, Urgency

_URGENCY = {
    SlaState.RUNNING: Urgency.CALM,
    SlaState.AT_RISK: Urgency.AT_RISK,
    SlaState.BREACHED: Urgency.LATE,
    SlaState.MET: Urgency.DONE,
    SlaState.MET_LATE: Urgency.ENDED,
    SlaState.SHELVED: Urgency.ENDED,
}


def plan_title(library: PlanLibrary, plan_type: str, lang: str, fallback: str = "") -> str:
    spec = library.plans.get(plan_type)
    return spec.title_in(lang) if spec is not None else (fallback or plan_type)


def agency_name(code: str, lang: str) -> str:
    names = AGENCIES.get(code)
    if names is None:
        return code
    return names[1] if lang == "zh_CN" else names[0]


@dataclass(frozen=True, slots=True)
class PlanState:
    header: str
    tasks: tuple[TaskRow, ...]
    actions: tuple[PanelAction, ...]
    timers: tuple[TimerLine, ...]


class PlansModel:
    """The selected event's plan and SLA timers.

    Args:
        ctx: Shared presentation state.
        operator: Who sits at the console (a plan's activator may not approve it).
        library: The plan files.
        targets: SLA targets.
    """

    def __init__(self, ctx: Context, operator: str, library: PlanLibrary, targets: SlaTargets) -> None:
        self.ctx = ctx
        self.operator = operator
        self.library = library
        self.targets = targets
        self.plan: PlanRecord | None = None
        self.now_ms = 0
        self.state: PlanState | None = None
        self._seen = (-1, -1)

    def title(self, plan_type: str, fallback: str = "") -> str:
        return plan_title(self.library, plan_type, self.ctx.lang, fallback)

    def update(self, situation: Situation, frame: Frame) -> PlanState | None:
        self.now_ms = frame.server_now_ms
        ch = frame.changes
        seen = (self.ctx.book.generation, self.ctx.selection.generation)
        if not (frame.slow or ch.plans or ch.events or ch.dispatches or ch.replaced or ch.names or seen != self._seen):
            return None
        self._seen = seen
        state = self._state(situation)
        if state == self.state:
            return None
        self.state = state
        return state

    def _state(self, situation: Situation) -> PlanState:
        event_id, _ = self.ctx.selection.target(situation)
        ev = situation.events.get(event_id or "")
        if ev is None:
            self.plan = None
            return PlanState("", (), (), ())
        times = situation.timeline.times.get(ev.id)
        timers = event_timers(ev, times, self.targets, self.now_ms) if times is not None else []
        lines = tuple(self._timer_line(t.phase, t.state, t.target_ms, t.remaining_ms, t.over_ms) for t in timers)
        plans = sorted(situation.plans_for(ev.id), key=lambda p: (p.state == "closed", -p.activated_at))
        self.plan = plans[0] if plans else None
        if self.plan is None:
            return PlanState("", (), (), lines)
        return PlanState(self._header(self.plan), tuple(self.task_rows(self.plan)), tuple(self._actions(self.plan)), lines)

    # -- texts ----------------------------------------------------------------------------------

    def _phase_text(self, phase: Phase) -> str:
        t = self.ctx.translate
        return {
            Phase.ACKNOWLEDGE: t("Plans", "Acknowledge"),
            Phase.DISPATCH: t("Plans", "Dispatch"),
            Phase.ON_SCENE: t("Plans", "On scene"),
        }[phase]

    def _task_state_text(self, state: str) -> str:
        t = self.ctx.translate
        return {
            "pending": t("Plans", "pending"),
            "dispatched": t("Plans", "dispatched"),
            "in_progress": t("Plans", "in progress"),
            "done": t("Plans", "done"),
            "failed": t("Plans", "failed"),
            "cancelled": t("Plans", "cancelled"),
        }.get(state, state)

    def plan_state_text(self, state: str) -> str:
        return self._plan_state_text(state)

    def _plan_state_text(self, state: str) -> str:
        t = self.ctx.translate
        return {
            "awaiting_approval": t("Plans", "awaiting a second approval"),
            "active": t("Plans", "active"),
            "closed": t("Plans", "closed"),
        }.get(state, state)

    def _timer_line(self, phase: Phase, state: SlaState, target_ms: int, remaining_ms: int, over_ms: int) -> TimerLine:
        t, d = self.ctx.translate, self.ctx.words.duration
        name, target = self._phase_text(phase), d(target_ms)
        if state is SlaState.BREACHED:
            text = t("Plans", "{phase}: {over} late (target {target})").format(phase=name, over=d(over_ms), target=target)
        elif state is SlaState.MET_LATE:
            text = t("Plans", "{phase}: done, {over} late").format(phase=name, over=d(over_ms))
        elif state is SlaState.MET:
            text = t("Plans", "{phase}: done in time").format(phase=name)
        elif state is SlaState.SHELVED:
            text = t("Plans", "{phase}: stopped while the alarm is shelved ({left} left of {target})").format(
                phase=name, left=d(max(0, remaining_ms)), target=target
            )
        else:
            text = t("Plans", "{phase}: {left} left of {target}").format(phase=name, left=d(remaining_ms), target=target)
        return TimerLine(text, _URGENCY[state])

    def header(self, plan: PlanRecord) -> str:
        return self._header(plan)

    def _header(self, plan: PlanRecord) -> str:
        t = self.ctx.translate
        at = time.strftime("%H:%M", time.localtime(plan.activated_at / 1000)) if plan.activated_at else ""
        text = t("Plans", "{plan} · {state} · activated by {who} at {time}").format(
            plan=self.title(plan.plan_type, plan.title),
            state=self._plan_state_text(plan.state),
            who=plan.activated_by,
            time=at,
        )
        if plan.approved_by:
            text += " · " + t("Plans", "approved by {who}").format(who=plan.approved_by)
        open_mandatory = len(plan.open_mandatory())
        done = sum(task.state == "done" for task in plan.tasks)
        text += " · " + t("Plans", "{done} of {n} tasks done, {open} mandatory open").format(
            done=done, n=len(plan.tasks), open=open_mandatory
        )
        return text

    def task_rows(self, plan: PlanRecord) -> list[TaskRow]:
        """Every task of ``plan`` in words, against its deadline (also the runway's plan panel's)."""
        t, d, lang = self.ctx.translate, self.ctx.words.duration, self.ctx.lang
        spec = self.library.plans.get(plan.plan_type)
        timers = {tm.task_id: tm for tm in task_timers([plan], self.now_ms)}
        rows = []
        for task in plan.tasks:
            title = task.title
            if spec is not None:
                with contextlib.suppress(KeyError):
                    title = spec.task(task.id).title_in(lang)
            timer = timers.get(task.id)
            if task.state == "done":
                due = t("Plans", "done at {time}").format(time=time.strftime("%H:%M", time.localtime(task.done_at / 1000)))
            elif not task.deadline:
                due = t("Plans", "starts on approval")
            elif timer is not None and timer.state is SlaState.BREACHED:
                due = t("Plans", "{over} late").format(over=d(timer.over_ms))
            else:
                due = t("Plans", "in {left}").format(left=d(task.deadline - self.now_ms))
            if task.state == "done":
                urgency = Urgency.DONE if timer is None or timer.state is SlaState.MET else Urgency.ENDED
            elif task.state in ("failed", "cancelled"):
                urgency = Urgency.ENDED if task.state == "cancelled" else Urgency.LATE
            else:
                urgency = _URGENCY[timer.state] if timer is not None else Urgency.CALM
            rows.append(TaskRow(title, agency_name(task.owner, lang), self._task_state_text(task.state), due, urgency, task.mandatory))
        return rows

    def _actions(self, plan: PlanRecord) -> list[PanelAction]:
        if plan.state == "closed":
            return []
        t, book = self.ctx.translate, self.ctx.book
        actions = []
        if plan.state == "awaiting_approval":
            why = book.why_not(CommandKind.APPROVE_PLAN, plan.event_id)
            if not why and plan.activated_by == self.operator:
                why = t("Plans", "you activated it: a second person must approve")
            actions.append(PanelAction("approve", t("Plans", "Approve plan"), not why, why))
        why = book.why_not(CommandKind.CLOSE_PLAN, plan.event_id)
        open_tasks = plan.open_mandatory()
        if not why and open_tasks and plan.state != "awaiting_approval":
            why = t("Plans", "{n} mandatory tasks still open").format(n=len(open_tasks))
        actions.append(PanelAction("close", t("Plans", "Close plan"), not why, why, critical=True))
        return actions

    # -- intents ----------------------------------------------------------------------------------

    def act(self, key: str) -> Command | None:
        """Approve or close the plan shown (what the view offers, as it offers it)."""
        plan, state = self.plan, self.state
        if plan is None or state is None or not any(a.key == key and a.enabled for a in state.actions):
            return None
        kind = CommandKind.APPROVE_PLAN if key == "approve" else CommandKind.CLOSE_PLAN
        return self.ctx.book.make(kind, plan.event_id, ref=plan.id)
