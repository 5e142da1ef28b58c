"""The console's plan and SLA view-model: tasks against deadlines, approve/close with reasons, timers."""

from __future__ import annotations

from cockpit.model.plans import load_builtin_plans as builtin_plans
from cockpit.model.sla import load_sla_targets
from cockpit.present.context import Context
from cockpit.present.panels.plans import PlansModel, PlanState
from cockpit.protocol.messages import CommandKind, Plan, PlanTask
from tests.present.support import NOW, Feed, context
from widgets.values import Urgency

SPEC = builtin_plans().plans["water_main_burst_small"]


def plan(feed: Feed, *, state: str = "active", done: int = 0, activated_by: str = "officer-1") -> Plan:
    tasks = []
    for i, t in enumerate(SPEC.tasks):
        deadline = NOW - 60_000 if i == done else NOW + t.deadline_s * 1000  # the first open one is late
        tasks.append(
            PlanTask(
                id=t.id,
                title=t.title_in("en"),
                owner=t.owner,
                state="done" if i < done else "in_progress",
                deadline=0 if state == "awaiting_approval" else deadline,
                mandatory=t.mandatory,
                done_at=NOW - 1000 if i < done else 0,
            )
        )
    return Plan(
        stream="dispatch",
        **feed._stamp("dispatch"),
        ts=NOW,
        id="plan-1",
        plan_type=SPEC.id,
        event_id="burst",
        title=SPEC.title_in("en"),
        state=state,
        activated_by=activated_by,
        activated_at=NOW - 600_000,
        tasks=tasks,
    )


def shown(feed: Feed, role: str, operator: str = "officer-2", lang: str = "en") -> tuple[PlansModel, PlanState, Context]:
    ctx = context(role)
    ctx.lang = lang
    model = PlansModel(ctx, operator, builtin_plans(), load_sla_targets())
    ctx.selection.choose(next(iter(feed.situation.events)))
    state = model.update(feed.situation, feed.frame(now=NOW))
    assert state is not None
    return model, state, ctx


def test_tasks_show_owner_state_and_lateness_in_words() -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1, type="pipe_burst", theme="water"), plan(feed, done=3))
    _, state, _ = shown(feed, "supervisor")
    rows = state.tasks
    assert len(rows) == 14
    assert [r.urgency for r in rows[:3]] == [Urgency.DONE] * 3
    assert rows[3].urgency is Urgency.LATE and rows[3].due == "1 min late"
    assert rows[0].owner == "Water company"
    assert "3 of 14 tasks done" in state.header
    close = next(a for a in state.actions if a.key == "close")
    assert not close.enabled and "mandatory tasks still open" in close.reason


def test_titles_and_owners_in_chinese() -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1, type="pipe_burst", theme="water"), plan(feed))
    _, state, _ = shown(feed, "supervisor", lang="zh_CN")
    assert state.tasks[0].title == SPEC.tasks[0].title_in("zh_CN")
    assert state.tasks[0].owner == "水务集团"
    assert SPEC.title_in("zh_CN") in state.header


def test_second_approval_needs_another_supervisor() -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1), plan(feed, state="awaiting_approval", activated_by="sup-1"))
    own, state, _ = shown(feed, "supervisor", operator="sup-1")
    approve = next(a for a in state.actions if a.key == "approve")
    assert not approve.enabled and "second person" in approve.reason
    assert own.act("approve") is None
    other, state, _ = shown(feed, "supervisor", operator="sup-2")
    assert next(a for a in state.actions if a.key == "approve").enabled
    command = other.act("approve")
    assert command is not None and (command.kind, command.ref) == (CommandKind.APPROVE_PLAN, "plan-1")


def test_close_is_critical_and_an_officer_may_not() -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1), plan(feed, done=14))
    officer, state, _ = shown(feed, "operator")
    close = next(a for a in state.actions if a.key == "close")
    assert not close.enabled and "may not close plans" in close.reason and close.critical
    assert officer.act("close") is None
    sup, state, _ = shown(feed, "supervisor")
    command = sup.act("close")
    assert command is not None and (command.kind, command.ref, command.critical) == (CommandKind.CLOSE_PLAN, "plan-1", True)


def test_sla_timers_escalate_in_words() -> None:
    feed = Feed()
    feed.apply(feed.event("late", severity=1, age_s=3600))  # an hour unacknowledged
    _, state, _ = shown(feed, "operator")
    (ack, *_rest) = state.timers
    assert ack.text.startswith("Acknowledge: ") and "late" in ack.text and ack.urgency is Urgency.LATE
