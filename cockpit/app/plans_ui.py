"""The console's plan and SLA view for the selected event: the plan's tasks against their deadlines,
approve and close with the roles table's reasons, and the event's SLA timers in words.

Titles in the operator's language come from the plan files (the wire carries English); SLA targets
from ``assets/sla.yaml``. Everything is computed from the model once a frame at most, never per
message.
"""

from __future__ import annotations

import contextlib
import time
from functools import cache

from PySide6.QtCore import QCoreApplication

from cockpit.app.panels import CommandSender, Frame, Selection, new_command_id
from cockpit.model import PlanRecord, Situation
from cockpit.model.plans import AGENCIES, PlanLibrary, load_builtin_plans
from cockpit.model.sla import Phase, SlaState, SlaTargets, event_timers, load_sla_targets, task_timers
from cockpit.protocol.messages import Command, CommandKind
from widgets.dispatch_button import PanelAction
from widgets.plan_view import PlanView, TaskRow, TimerLine, Urgency


def tr(text: str) -> str:
    return QCoreApplication.translate("Plans", text)


@cache
def builtin_plans() -> PlanLibrary:
    return load_builtin_plans()


@cache
def builtin_sla() -> SlaTargets:
    return load_sla_targets()


def plan_title(library: PlanLibrary, plan_type: str, lang: str, fallback: str = "") -> str:
    spec = library.plans.get(plan_type)
    return spec.title_in(lang) if spec is not None else (fallback or plan_type)


def agency_name(code: str, lang: str) -> str:
    names = AGENCIES.get(code)
    if names is None:
        return code
    return names[1] if lang == "zh_CN" else names[0]


def duration_text(ms: int) -> str:
    """ "45 s", "4 min", "1 h 20 min": as a duty officer says it."""
    s = max(0, ms) // 1000
    if s < 60:
        return tr("{n} s").format(n=s)
    m = s // 60
    if m < 60:
        return tr("{n} min").format(n=m)
    return tr("{h} h {m} min").format(h=m // 60, m=m % 60)


def phase_text(phase: Phase) -> str:
    return {
        Phase.ACKNOWLEDGE: tr("Acknowledge"),
        Phase.DISPATCH: tr("Dispatch"),
        Phase.ON_SCENE: tr("On scene"),
    }[phase]


def task_state_text(state: str) -> str:
    return {
        "pending": tr("pending"),
        "dispatched": tr("dispatched"),
        "in_progress": tr("in progress"),
        "done": tr("done"),
        "failed": tr("failed"),
        "cancelled": tr("cancelled"),
    }.get(state, state)


def plan_state_text(state: str) -> str:
    return {
        "awaiting_approval": tr("awaiting a second approval"),
        "active": tr("active"),
        "closed": tr("closed"),
    }.get(state, state)


_URGENCY = {
    SlaState.RUNNING: Urgency.CALM,
    SlaState.AT_RISK: Urgency.AT_RISK,
    SlaState.BREACHED: Urgency.LATE,
    SlaState.MET: Urgency.DONE,
    SlaState.MET_LATE: Urgency.ENDED,
}


class PlanPresenter:
    """Keeps a :class:`PlanView` on the selected event's plan and SLA timers."""

    def __init__(
        self,
        view: PlanView,
        selection: Selection,
        sender: CommandSender,
        lang: str,
        operator: str,
        library: PlanLibrary | None = None,
        targets: SlaTargets | None = None,
    ) -> None:
        self.view = view
        self.selection = selection
        self.sender = sender
        self.lang = lang
        self.operator = operator
        self.library = library if library is not None else builtin_plans()
        self.targets = targets if targets is not None else builtin_sla()
        self.situation: Situation | None = None
        self.now_ms = 0
        self.plan: PlanRecord | None = None
        view.action_requested.connect(self._on_view_action_requested)
        selection.changed.connect(self._on_selection_changed)

    def update(self, frame: Frame, situation: Situation) -> None:
        self.situation = situation
        self.now_ms = frame.server_now_ms
        ch = frame.changes
        if frame.slow or ch.plans or ch.events or ch.dispatches or ch.replaced:
            self.refresh()

    def refresh(self) -> None:
        situation = self.situation
        ev = situation.events.get(self.selection.event_id or "") if situation is not None else None
        if situation is None or ev is None:
            self.plan = None
            self.view.set_timers([])
            self.view.set_plan("", [], [])
            return
        times = situation.timeline.times.get(ev.id)
        timers = event_timers(ev, times, self.targets, self.now_ms) if times is not None else []
        self.view.set_timers(
            [self._timer_line(t.phase, t.state, t.target_ms, t.remaining_ms, t.over_ms) for t in timers]
        )
        plans = sorted(situation.plans_for(ev.id), key=lambda p: (p.state == "closed", -p.activated_at))
        self.plan = plans[0] if plans else None
        if self.plan is None:
            self.view.set_plan("", [], [])
            return
        self.view.set_plan(self._header(self.plan), self._rows(self.plan), self._actions(self.plan))

    # -- texts ----------------------------------------------------------------------------------

    @staticmethod
    def _timer_line(
        phase: Phase, state: SlaState, target_ms: int, remaining_ms: int, over_ms: int
    ) -> TimerLine:
        name, target = phase_text(phase), duration_text(target_ms)
        if state is SlaState.BREACHED:
            text = tr("{phase}: {over} late (target {target})").format(
                phase=name, over=duration_text(over_ms), target=target
            )
        elif state is SlaState.MET_LATE:
            text = tr("{phase}: done, {over} late").format(phase=name, over=duration_text(over_ms))
        elif state is SlaState.MET:
            text = tr("{phase}: done in time").format(phase=name)
        else:
            text = tr("{phase}: {left} left of {target}").format(
                phase=name, left=duration_text(remaining_ms), target=target
            )
        return TimerLine(text, _URGENCY[state])

    def _header(self, plan: PlanRecord) -> str:
        at = time.strftime("%H:%M", time.localtime(plan.activated_at / 1000)) if plan.activated_at else ""
        text = tr("{plan} · {state} · activated by {who} at {time}").format(
            plan=plan_title(self.library, plan.plan_type, self.lang, plan.title),
            state=plan_state_text(plan.state),
            who=plan.activated_by,
            time=at,
        )
        if plan.approved_by:
            text += " · " + tr("approved by {who}").format(who=plan.approved_by)
        open_mandatory = len(plan.open_mandatory())
        done = sum(t.state == "done" for t in plan.tasks)
        text += " · " + tr("{done} of {n} tasks done, {open} mandatory open").format(
            done=done, n=len(plan.tasks), open=open_mandatory
        )
        return text

    def _rows(self, plan: PlanRecord) -> list[TaskRow]:
        spec = self.library.plans.get(plan.plan_type)
        timers = {t.task_id: t for t in task_timers([plan], self.now_ms)}
        rows = []
        for task in plan.tasks:
            title = task.title
            if spec is not None:
                with contextlib.suppress(KeyError):
                    title = spec.task(task.id).title_in(self.lang)
            timer = timers.get(task.id)
            if task.state == "done":
                due = tr("done at {time}").format(
                    time=time.strftime("%H:%M", time.localtime(task.done_at / 1000))
                )
            elif not task.deadline:
                due = tr("starts on approval")
            elif timer is not None and timer.state is SlaState.BREACHED:
                due = tr("{over} late").format(over=duration_text(timer.over_ms))
            else:
                due = tr("in {left}").format(left=duration_text(task.deadline - self.now_ms))
            if task.state == "done":
                urgency = Urgency.DONE if timer is None or timer.state is SlaState.MET else Urgency.ENDED
            elif task.state in ("failed", "cancelled"):
                urgency = Urgency.ENDED if task.state == "cancelled" else Urgency.LATE
            else:
                urgency = _URGENCY[timer.state] if timer is not None else Urgency.CALM
            rows.append(
                TaskRow(
                    title,
                    agency_name(task.owner, self.lang),
                    task_state_text(task.state),
                    due,
                    urgency,
                    task.mandatory,
                )
            )
        return rows

    def _actions(self, plan: PlanRecord) -> list[PanelAction]:
        if plan.state == "closed":
            return []
        tracker = self.sender.tracker
        actions = []
        if plan.state == "awaiting_approval":
            why = self.sender.why_not(CommandKind.APPROVE_PLAN)
            if not why and plan.activated_by == self.operator:
                why = tr("you activated it: a second person must approve")
            if not why and tracker.pending_for_event(plan.event_id, CommandKind.APPROVE_PLAN):
                why = tr("waiting for the answer to the last one")
            actions.append(PanelAction("approve", tr("Approve plan"), not why, why))
        why = self.sender.why_not(CommandKind.CLOSE_PLAN)
        open_tasks = plan.open_mandatory()
        if not why and open_tasks and plan.state != "awaiting_approval":
            why = tr("{n} mandatory tasks still open").format(n=len(open_tasks))
        if not why and tracker.pending_for_event(plan.event_id, CommandKind.CLOSE_PLAN):
            why = tr("waiting for the answer to the last one")
        actions.append(PanelAction("close", tr("Close plan"), not why, why, critical=True))
        return actions

    # -- slots ----------------------------------------------------------------------------------

    def _on_selection_changed(self, _event_id: str) -> None:
        self.refresh()

    def _on_view_action_requested(self, key: str) -> None:
        plan = self.plan
        if plan is None:
            return
        kind = CommandKind.APPROVE_PLAN if key == "approve" else CommandKind.CLOSE_PLAN
        if self.sender.why_not(kind) or self.sender.tracker.pending_for_event(plan.event_id, kind):
            return
        self.sender(
            Command(
                id=new_command_id(),
                kind=kind,
                event_id=plan.event_id,
                ref=plan.id,
                critical=kind == CommandKind.CLOSE_PLAN,
            )
        )
        self.refresh()
