"""The demo city's plans, centre levels and roles table (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.model.centres import ORDER as LEVELS
from cockpit.model.plans import load_plans
from cockpit.model.roles import ROLES, may, refusal
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import (
    AckResult,
    Command,
    CommandAck,
    CommandKind,
    Event,
    EventState,
    Filter,
    Plan,
    Role,
    Stream,
    UnitStatus,
)

ORDER = ["pending", "dispatched", "in_progress", "done"]


def make(seed: int = 3, event_rate: float = 0.0, plans_dir: Path | None = None) -> City:
    library = load_plans(sorted(plans_dir.glob("*.yaml"))) if plans_dir is not None else None
    city = City(
        Hub(epoch="e", clock=lambda: 1),
        seed=seed,
        rate=20,
        sensors_per_kind=1,
        event_rate=event_rate,
        tick_hz=0.5,  # a tick every 2 simulated seconds: plans run for hours
        plans=library,
    )
    city.time_origin_ms = 1_000_000
    return city


class Console:
    """Sends commands to a city as one person in one role, with fresh ids."""

    n = 0

    def __init__(self, city: City, role: str, operator: str) -> None:
        self.city, self.role, self.operator = city, role, operator

    def send(self, kind: str, event_id: str = "", ref: str = "") -> CommandAck:
        Console.n += 1
        cmd = Command(id=f"{self.operator}-{Console.n}", kind=kind, event_id=event_id, ref=ref)
        return self.city.handle_command(cmd, self.role, self.operator)


def first(city: City, etype: str) -> Event:
    return next(e for e in city.state.events.values() if e.type == etype)


SCENARIO_OPERATOR = "district centre"
"""Who activates the plans the demo's later scenarios run on their own (issue 18's water quality)."""


def console_plans(city: City) -> list[Plan]:
    """The plans activated from a console in the test, not those of the city's later scenarios."""
    return [p for p in city.state.plans.values() if p.activated_by != SCENARIO_OPERATOR]


def only_plan(city: City) -> Plan:
    (plan,) = console_plans(city)
    return plan


def accepted(ack: CommandAck) -> bool:
    return ack.result == AckResult.ACCEPTED


def test_events_carry_their_level_the_facts_plans_need_and_the_plans_that_fit() -> None:
    city = make(event_rate=30)
    city.advance(240)
    burst = first(city, "pipe_burst")
    assert burst.attrs["pipe_diameter_mm"] == 400.0 and burst.plans == ["water_main_burst_small"]
    assert burst.level == "district" and burst.severity == 1
    assert first(city, "waterlogging").plans == ["waterlogging"]
    assert first(city, "fire").plans == ["forest_fire"]
    small = [e for e in city.state.events.values() if e.severity >= 3]
    assert small and all(e.level == "street" for e in small), "small events start at the street centre"


def test_a_plan_dispatches_its_tasks_to_units_which_progress_in_order_respecting_dependencies() -> None:
    city = make()
    city.advance(200)
    ev = first(city, "waterlogging")
    officer = Console(city, Role.OPERATOR, "li")
    assert accepted(officer.send(CommandKind.ACTIVATE_PLAN, ev.id, "waterlogging"))
    plan = only_plan(city)
    spec = city.plans.library.plans["waterlogging"]
    assert plan.state == "active" and plan.activated_by == "li" and plan.event_id == ev.id
    assert city.state.events[ev.id].state == EventState.DISPATCHED
    for task, ts in zip(plan.tasks, spec.tasks, strict=True):
        assert task.deadline == city.ms() + 1000 * ts.deadline_s and task.owner == ts.owner
        if ts.after:
            assert task.state == "pending" and not task.unit_id
        else:
            assert task.state == "dispatched"
            unit = city.state.units[task.unit_id]
            assert unit.kind == ts.unit and unit.status == UnitStatus.DISPATCHED and unit.event_id == ev.id
    history: dict[str, list[str]] = {t.id: [t.state] for t in plan.tasks}
    used: set[str] = set()
    for _ in range(240):
        city.advance(30)
        plan = city.state.plans[plan.id]
        states = {t.id: t.state for t in plan.tasks}
        for t in plan.tasks:
            if history[t.id][-1] != t.state:
                history[t.id].append(t.state)
            if t.state != "pending":
                assert all(states[d] == "done" for d in spec.task(t.id).after), f"{t.id} started too early"
            if t.unit_id:
                used.add(t.unit_id)
        if all(s == "done" for s in states.values()):
            break
    for tid, seen in history.items():
        assert seen == ORDER[ORDER.index(seen[0]) :], f"{tid} went {seen}"
    assert all(t.done_at > 0 for t in plan.tasks)
    assert used and all(city.state.units[u].status == UnitStatus.AVAILABLE for u in used)


def test_dual_approval_needs_another_supervisor_before_anything_is_dispatched() -> None:
    city = make()
    city.advance(240)
    ev = first(city, "pipe_burst")
    officer = Console(city, Role.OPERATOR, "li")
    assert accepted(officer.send(CommandKind.ACTIVATE_PLAN, ev.id, "water_main_burst_small"))
    plan = only_plan(city)
    assert plan.state == "awaiting_approval" and len(plan.tasks) == 14
    assert all(t.state == "pending" and t.deadline == 0 and not t.unit_id for t in plan.tasks)
    city.advance(120)
    assert all(t.state == "pending" for t in only_plan(city).tasks), "nothing is sent before approval"

    ack = officer.send(CommandKind.APPROVE_PLAN, ref=plan.id)
    assert ack.reason == "forbidden" and ack.detail == refusal(Role.OPERATOR, CommandKind.APPROVE_PLAN)
    ack = Console(city, Role.SUPERVISOR, "li").send(CommandKind.APPROVE_PLAN, ref=plan.id)
    assert ack.reason == "same_person" and "li" in ack.detail
    assert only_plan(city).state == "awaiting_approval"
    wang = Console(city, Role.SUPERVISOR, "wang")
    approved_at = city.ms()
    assert accepted(wang.send(CommandKind.APPROVE_PLAN, ref=plan.id))
    plan = only_plan(city)
    assert plan.state == "active" and plan.approved_by == "wang"
    assert plan.tasks[0].deadline == approved_at + 30 * 60_000, "deadlines count from the approval"
    assert any(t.state == "dispatched" for t in plan.tasks)
    assert wang.send(CommandKind.APPROVE_PLAN, ref=plan.id).reason == "not_awaiting_approval"
    assert wang.send(CommandKind.APPROVE_PLAN, ref="P99-9999").reason == "unknown_plan"


def test_a_plan_closes_only_when_its_mandatory_tasks_are_done() -> None:
    city = make()
    city.advance(240)
    ev = first(city, "pipe_burst")
    Console(city, Role.SUPERVISOR, "li").send(CommandKind.ACTIVATE_PLAN, ev.id, "water_main_burst_small")
    wang = Console(city, Role.SUPERVISOR, "wang")
    plan_id = only_plan(city).id
    wang.send(CommandKind.APPROVE_PLAN, ref=plan_id)
    city.advance(600)
    ack = Console(city, Role.OPERATOR, "li").send(CommandKind.CLOSE_PLAN, ref=plan_id)
    assert ack.reason == "forbidden"
    ack = wang.send(CommandKind.CLOSE_PLAN, ref=plan_id)
    open_mandatory = [t.id for t in only_plan(city).tasks if t.mandatory and t.state != "done"]
    assert ack.reason == "mandatory_open" and open_mandatory
    assert (
        all(tid in ack.detail for tid in open_mandatory) and f"{len(open_mandatory)} mandatory" in ack.detail
    )
    ack = wang.send(CommandKind.CLOSE, ev.id)
    assert ack.reason == "plan_open", "an event cannot close under a running plan"
    while any(t.mandatory and t.state != "done" for t in only_plan(city).tasks):
        assert city.now < 6 * 3600, "the plan should be done within a few simulated hours"
        city.advance(300)
    assert accepted(wang.send(CommandKind.CLOSE_PLAN, ref=plan_id))
    plan = only_plan(city)
    assert plan.state == "closed" and plan.closed_by == "wang" and plan.closed_at == city.ms()
    assert all(t.state in ("done", "cancelled") for t in plan.tasks)
    assert city.state.events[ev.id].state == EventState.RESOLVED
    assert wang.send(CommandKind.CLOSE_PLAN, ref=plan_id).reason == "plan_closed"


QUICK_PLAN = """\
id: quick
title: {en: "Quick", zh_CN: "快"}
event_types: [pipe_burst]
tasks:
  - id: fix
    title: {en: "Fix", zh_CN: "修"}
    owner: water_company
    unit: water_repair
    deadline: 10m
  - id: tidy
    title: {en: "Tidy", zh_CN: "整理"}
    owner: power_company
    unit: power_crew
    deadline: 20h
    mandatory: false
  - id: ask_a_helicopter
    title: {en: "Survey from the air", zh_CN: "空中勘察"}
    owner: emergency_management
    unit: helicopter
    deadline: 5m
    mandatory: false
"""


def test_closing_cancels_open_optional_tasks_and_frees_their_units(tmp_path: Path) -> None:
    (tmp_path / "quick.yaml").write_text(QUICK_PLAN, encoding="utf-8")
    city = make(plans_dir=tmp_path)
    city.advance(240)
    ev = first(city, "pipe_burst")
    boss = Console(city, Role.SUPERVISOR, "wang")
    assert accepted(boss.send(CommandKind.ACTIVATE_PLAN, ev.id, "quick"))
    tasks = {t.id: t for t in only_plan(city).tasks}
    assert tasks["ask_a_helicopter"].state == "dispatched" and not tasks["ask_a_helicopter"].unit_id
    tidy_unit = tasks["tidy"].unit_id
    assert city.state.units[tidy_unit].kind == "power_crew"
    while {t.id: t.state for t in only_plan(city).tasks}["fix"] != "done":
        city.advance(60)
    assert {t.id: t.state for t in only_plan(city).tasks}["tidy"] != "done"
    assert accepted(boss.send(CommandKind.CLOSE_PLAN, ref=only_plan(city).id))
    assert {t.id: t.state for t in only_plan(city).tasks}["tidy"] == "cancelled"
    assert city.state.units[tidy_unit].status == UnitStatus.AVAILABLE


def test_activation_is_checked() -> None:
    city = make()
    city.advance(240)
    ev = first(city, "pipe_burst")
    li = Console(city, Role.OPERATOR, "li")
    assert li.send(CommandKind.ACTIVATE_PLAN, ev.id, "no_such_plan").reason == "unknown_plan"
    ack = li.send(CommandKind.ACTIVATE_PLAN, ev.id, "forest_fire")
    assert ack.reason == "plan_not_applicable" and "water_main_burst_small" in ack.detail
    assert li.send(CommandKind.ACTIVATE_PLAN, ev.id, "water_main_burst_large").reason == "plan_not_applicable"
    assert li.send(CommandKind.ACTIVATE_PLAN, "E99", "water_main_burst_small").reason == "unknown_event"
    cmd = Command(id="once", kind=CommandKind.ACTIVATE_PLAN, event_id=ev.id, ref="water_main_burst_small")
    assert accepted(city.handle_command(cmd, Role.OPERATOR, "li"))
    assert city.handle_command(cmd, Role.OPERATOR, "li").result == AckResult.DUPLICATE
    assert li.send(CommandKind.ACTIVATE_PLAN, ev.id, "water_main_burst_small").reason == "plan_open"
    assert len(console_plans(city)) == 1
    assert (
        Console(city, Role.VIEWER, "zhao").send(CommandKind.ACTIVATE_PLAN, ev.id, "x").reason == "forbidden"
    )


def test_plan_progress_is_deterministic() -> None:
    def run() -> list[tuple[str, str, str, int]]:
        city = make(seed=8)
        city.advance(200)
        ev = first(city, "waterlogging")
        Console(city, Role.OPERATOR, "li").send(CommandKind.ACTIVATE_PLAN, ev.id, "waterlogging")
        city.advance(1800)
        return [(t.id, t.state, t.unit_id, t.done_at) for t in only_plan(city).tasks]

    assert run() == run()


# ------------------------------------------------------------------------------------------------
# Levels


def test_escalate_and_hand_down_move_one_level_and_stop_at_the_ends() -> None:
    city = make(event_rate=30)
    city.advance(60)
    ev = next(e for e in city.state.events.values() if e.level == "street")
    li = Console(city, Role.OPERATOR, "li")
    ack = li.send(CommandKind.HAND_DOWN, ev.id)
    assert ack.reason == "bottom_level" and ev.id in ack.detail
    seen = []
    for _ in range(2):
        assert accepted(li.send(CommandKind.ESCALATE, ev.id))
        seen.append(city.state.events[ev.id].level)
    assert seen == ["district", "city"] == [lv.value for lv in LEVELS[1:]]
    ack = li.send(CommandKind.ESCALATE, ev.id)
    assert ack.reason == "top_level" and "city centre" in ack.detail
    assert accepted(li.send(CommandKind.HAND_DOWN, ev.id))
    assert city.state.events[ev.id].level == "district"
    assert Console(city, Role.VIEWER, "zhao").send(CommandKind.ESCALATE, ev.id).reason == "forbidden"


def test_a_level_filter_gets_the_message_that_takes_an_event_away_and_nothing_after() -> None:
    city = make(event_rate=30)
    city.advance(60)
    ev = next(e for e in city.state.events.values() if e.level == "street")
    street = Filter(districts=[ev.district], levels=["street"])
    district_centre = Filter(districts=[ev.district])  # docs/protocol.md §4.1: the whole district
    assert ev in city.snapshot(Stream.EVENTS, street)
    start = city.hub.logs[Stream.EVENTS].seq
    li = Console(city, Role.OPERATOR, "li")
    li.send(CommandKind.ESCALATE, ev.id)  # street → district
    li.send(CommandKind.ESCALATE, ev.id)  # district → city
    log = city.hub.logs[Stream.EVENTS].since(start)
    entries = [e for e in log if isinstance(e.message, Event) and e.message.id == ev.id]
    assert [e.levels for e in entries] == [("district", "street"), ("city", "district")]
    assert [matches(street, e.district, e.theme, e.levels) for e in entries] == [True, False]
    assert [matches(district_centre, e.district, e.theme, e.levels) for e in entries] == [True, True]
    below_city = Filter(levels=["street", "district"])
    assert [matches(below_city, e.district, e.theme, e.levels) for e in entries] == [True, True]
    assert ev.id not in {m.id for m in city.snapshot(Stream.EVENTS, below_city) if isinstance(m, Event)}
    assert matches(Filter(), entries[1].district, entries[1].theme, entries[1].levels), "the city sees all"

    def snapshot_ids(f: Filter) -> set[str]:
        return {m.id for m in city.snapshot(Stream.EVENTS, f) if isinstance(m, Event)}

    assert ev.id not in snapshot_ids(street) and ev.id in snapshot_ids(district_centre)
    assert ev.id in snapshot_ids(Filter())


# ------------------------------------------------------------------------------------------------
# Roles


@pytest.mark.parametrize("role", [*Role, "hacker"])
def test_the_backend_enforces_the_roles_table_for_every_kind(role: str) -> None:
    city = make()
    city.advance(240)
    ev = first(city, "pipe_burst")
    for kind in CommandKind:
        ack = Console(city, role, "x").send(kind, ev.id, "ref")
        if may(role, kind):
            assert ack.reason != "forbidden", (role, kind)
        else:
            assert (ack.result, ack.reason, ack.detail) == (
                AckResult.REJECTED,
                "forbidden",
                refusal(role, kind),
            )
            assert refusal(role, kind), (role, kind)


def test_the_roles_table() -> None:
    officer = ROLES[Role.OPERATOR].may
    assert ROLES[Role.VIEWER].may == frozenset()
    assert {
        CommandKind.ACKNOWLEDGE,
        CommandKind.DISPATCH,
        CommandKind.ACTIVATE_PLAN,
        CommandKind.ESCALATE,
    } <= officer
    assert not officer & {CommandKind.SHELVE, CommandKind.CLOSE_PLAN, CommandKind.APPROVE_PLAN}
    assert ROLES[Role.SUPERVISOR].may == officer | {
        CommandKind.SHELVE,
        CommandKind.UNSHELVE,
        CommandKind.CLOSE_PLAN,
        CommandKind.APPROVE_PLAN,
    }
    assert ROLES[Role.TRAINER].may == officer
    assert (
        refusal(Role.OPERATOR, CommandKind.SHELVE)
        == "a duty officer may not shelve alarms (allowed: supervisor)"
    )
    assert "may not change anything" in refusal(Role.VIEWER, CommandKind.DISPATCH)
    assert refusal(Role.SUPERVISOR, CommandKind.CLOSE_PLAN) == ""
