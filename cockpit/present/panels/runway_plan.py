"""A ``plan`` panel: the plan (预案) for the runway's event, task by task, readable from the room.

The event is the one the officer chose if it is this panel's, else the panel's most pressing open
event. With a plan running, its tasks with their owners, states and deadlines (the console's words,
:class:`~cockpit.present.panels.plans.PlansModel`); with none yet, the plan the backend recommends,
its tasks not started, so the room sees what activating it will do ("close the intake, switch the
source"). Activating, approving and closing stay at the console.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.plans import PlanLibrary
from cockpit.model.sla import DEFAULT_TARGETS
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.plans import PlansModel, agency_name
from cockpit.present.panels.scope import event_scope
from cockpit.present.runway_spec import Panel
from cockpit.present.selection import Scope, everything
from widgets.values import TaskRow, Urgency


@dataclass(frozen=True, slots=True)
class RunwayPlanState:
    title: str
    """The plan's title, or why there is none."""
    status: str
    """Where the plan stands: "active · 2 of 6 tasks done", "recommended, not activated (…)"."""
    tasks: tuple[TaskRow, ...]
    event_id: str = ""
    running: bool = False


class RunwayPlanModel:
    """The plan of one runway's event.

    Args:
        spec: The runway file's panel (its ``events`` selector).
        ctx: Shared presentation state.
        plans: The plan files (titles in the wall's language, a recommended plan's tasks).
        theme: The runway's theme.
    """

    def __init__(self, spec: Panel, ctx: Context, plans: PlanLibrary, theme: str = "") -> None:
        self.spec = spec
        self.ctx = ctx
        self.library = plans
        self.scope: Scope = event_scope(spec.events, theme) if (theme or spec.events is not None) else everything
        self._words = PlansModel(ctx, "", plans, DEFAULT_TARGETS)  # its words for tasks, not its timers
        self._last: RunwayPlanState | None = None
        self._seen = -1

    def update(self, situation: Situation, frame: Frame) -> RunwayPlanState | None:
        ch = frame.changes
        seen = self.ctx.selection.generation
        if not (frame.slow or ch.plans or ch.events or ch.replaced or ch.names or seen != self._seen):
            return None
        self._seen = seen
        self._words.now_ms = frame.server_now_ms
        state = self._state(situation)
        if state == self._last:
            return None
        self._last = state
        return state

    def _hours(self, seconds: int) -> str:
        """ "3 h", "1 h 30 min", "45 min": a deadline as a plan file gives it."""
        t = self.ctx.translate
        h, m = divmod(seconds // 60, 60)
        if h and m:
            return t("RunwayPlan", "{h} h {m} min").format(h=h, m=m)
        if h:
            return t("RunwayPlan", "{h} h").format(h=h)
        return t("RunwayPlan", "{m} min").format(m=m)

    def _state(self, situation: Situation) -> RunwayPlanState:
        t, lang = self.ctx.translate, self.ctx.lang
        event_id, _chosen = self.ctx.selection.target(situation, self.scope)
        ev = situation.events.get(event_id or "")
        if ev is None:
            return RunwayPlanState(t("RunwayPlan", "No open event"), "", ())
        plans = sorted(situation.plans_for(ev.id), key=lambda p: (p.state == "closed", -p.activated_at))
        if plans:
            plan = plans[0]
            done = sum(task.state == "done" for task in plan.tasks)
            status = t("RunwayPlan", "{state} · {done} of {n} tasks done").format(
                state=self._words.plan_state_text(plan.state), done=done, n=len(plan.tasks)
            )
            title = self._words.title(plan.plan_type, plan.title)
            return RunwayPlanState(title, status, tuple(self._words.task_rows(plan)), ev.id, True)
        spec = next((self.library.plans[p] for p in ev.plans if p in self.library.plans), None)
        if spec is None:
            what = self.ctx.names.event_type(ev.type, ev.title)
            return RunwayPlanState(t("RunwayPlan", "No plan for this event ({event})").format(event=what), "", (), ev.id)
        rows = tuple(
            TaskRow(
                task.title_in(lang),
                agency_name(task.owner, lang),
                "",
                t("RunwayPlan", "within {d}").format(d=self._hours(task.deadline_s)),
                Urgency.CALM,
                task.mandatory,
            )
            for task in spec.tasks
        )
        status = t("RunwayPlan", "recommended · not activated")
        return RunwayPlanState(spec.title_in(lang), status, rows, ev.id, False)
