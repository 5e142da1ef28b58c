"""The console's plan and SLA view: tasks against deadlines, approve/close with reasons, timers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cockpit.app.commands import CommandTracker
from cockpit.app.panels import CommandSender, Selection
from cockpit.app.plans_ui import PlanPresenter, builtin_plans
from cockpit.protocol.messages import CommandKind, Plan, PlanTask
from tests.app.test_panels import NOW, Feed, Sent
from widgets.plan_view import PlanView, Urgency

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


def presenter(
    qtbot: QtBot, role: str, operator: str = "officer-2", lang: str = "en"
) -> tuple[PlanPresenter, Sent, Selection]:
    view = PlanView()
    qtbot.addWidget(view)
    view.show()
    sent = Sent()
    selection = Selection()
    p = PlanPresenter(
        view, selection, CommandSender(CommandTracker(), sent.append, role=role), lang, operator
    )
    return p, sent, selection


def test_tasks_show_owner_state_and_lateness_in_words(qtbot: QtBot) -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1, type="pipe_burst", theme="water"), plan(feed, done=3))
    p, _, selection = presenter(qtbot, "supervisor")
    selection.select("burst")
    p.update(feed.frame(now=NOW), feed.situation)
    rows = p.view.task_rows()
    assert len(rows) == 14
    assert [r.urgency for r in rows[:3]] == [Urgency.DONE] * 3
    assert rows[3].urgency is Urgency.LATE and rows[3].due == "1 min late"
    assert rows[0].owner == "Water company"
    assert "3 of 14 tasks done" in p.view.header_text()
    close = p.view.action_button("close")
    assert close is not None and not close.isEnabled()
    assert "mandatory tasks still open" in p.view.why_not_text()


def test_titles_and_owners_in_chinese(qtbot: QtBot) -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1, type="pipe_burst", theme="water"), plan(feed))
    p, _, selection = presenter(qtbot, "supervisor", lang="zh_CN")
    selection.select("burst")
    p.update(feed.frame(now=NOW), feed.situation)
    assert p.view.task_rows()[0].title == SPEC.tasks[0].title_in("zh_CN")
    assert p.view.task_rows()[0].owner == "水务集团"
    assert SPEC.title_in("zh_CN") in p.view.header_text()


def test_second_approval_needs_another_supervisor(qtbot: QtBot) -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1), plan(feed, state="awaiting_approval", activated_by="sup-1"))
    own, _, sel = presenter(qtbot, "supervisor", operator="sup-1")
    sel.select("burst")
    own.update(feed.frame(now=NOW), feed.situation)
    approve = own.view.action_button("approve")
    assert approve is not None and not approve.isEnabled()
    assert "second person" in own.view.why_not_text()

    feed2 = Feed()
    feed2.apply(
        feed2.event("burst", severity=1), plan(feed2, state="awaiting_approval", activated_by="sup-1")
    )
    other, sent, sel2 = presenter(qtbot, "supervisor", operator="sup-2")
    sel2.select("burst")
    other.update(feed2.frame(now=NOW), feed2.situation)
    approve = other.view.action_button("approve")
    assert approve is not None and approve.isEnabled()
    qtbot.mouseClick(approve, Qt.MouseButton.LeftButton)
    assert [(c.kind, c.ref) for c in sent] == [(CommandKind.APPROVE_PLAN, "plan-1")]


def test_close_is_critical_and_an_officer_may_not(qtbot: QtBot) -> None:
    feed = Feed()
    feed.apply(feed.event("burst", severity=1), plan(feed, done=14))
    officer, _, sel = presenter(qtbot, "operator")
    sel.select("burst")
    officer.update(feed.frame(now=NOW), feed.situation)
    close = officer.view.action_button("close")
    assert close is not None and not close.isEnabled()
    assert "may not close plans" in officer.view.why_not_text()

    feed2 = Feed()
    feed2.apply(feed2.event("burst", severity=1), plan(feed2, done=14))
    sup, sent, sel2 = presenter(qtbot, "supervisor")
    sel2.select("burst")
    sup.update(feed2.frame(now=NOW), feed2.situation)
    close = sup.view.action_button("close")
    assert close is not None and close.isEnabled()
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert sent == [], "closing a plan needs one confirmation"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert [(c.kind, c.ref, c.critical) for c in sent] == [(CommandKind.CLOSE_PLAN, "plan-1", True)]


def test_sla_timers_escalate_in_words(qtbot: QtBot) -> None:
    feed = Feed()
    feed.apply(feed.event("late", severity=1, age_s=3600))  # an hour unacknowledged
    p, _, sel = presenter(qtbot, "operator")
    sel.select("late")
    p.update(feed.frame(now=NOW), feed.situation)
    text = p.view.timers_text()
    assert "Acknowledge:" in text and "late" in text
    assert "color:" in text  # coloured as well as worded


def test_the_wall_escalates_a_late_open_event_and_forgets_it_once_resolved(qapp: object) -> None:
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity
    from tests.app.test_wall import dispose

    c = Cockpit(["ws://127.0.0.1:9"], Identity("t", "o", "operator"))
    try:
        feed = Feed()
        feed.situation = c.situation
        feed.apply(feed.event("late", severity=1, type="fire", age_s=3600))
        assert c.wall._sla_text(NOW).startswith("SLA ✕1 · Fire alarm +")
        feed.apply(feed.event("late", severity=1, type="fire", age_s=3600, state="resolved"))
        assert c.wall._sla_text(NOW) == "", "a resolved event is late no more"
    finally:
        dispose(c)
