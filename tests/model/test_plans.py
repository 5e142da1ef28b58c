"""Plan files, the condition language, plan selection and SLA timers (issue 4, emergency plans)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from cockpit.model import Situation
from cockpit.model.plans import (
    AGENCIES,
    Condition,
    PlanError,
    event_facts,
    load_builtin_plans,
    load_plan,
    load_plans,
    parse_duration,
)
from cockpit.model.sla import (
    DEFAULT_TARGETS,
    SLA_FILE,
    Phase,
    SlaState,
    breached,
    load_sla_targets,
    sla_timers,
    task_timers,
)
from cockpit.protocol.events import DataReceived
from cockpit.protocol.messages import Dispatch, DispatchState, Event, Plan, PlanTask, Stream

GOOD = """\
id: test_plan
title: {en: "Test plan", zh_CN: "测试预案"}
event_types: [pipe_burst]
when:
  - pipe_diameter_mm < 500
tasks:
  - id: first
    title: {en: "First", zh_CN: "第一"}
    owner: water_company
    unit: water_repair
    deadline: 20m
  - id: second
    title: {en: "Second", zh_CN: "第二"}
    owner: traffic_police
    unit: traffic_police
    deadline: 1h30m
    mandatory: false
    after: [first]
"""


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def burst(diameter: float | None, **core: object) -> dict[str, str | float]:
    attrs: dict[str, str | float] = {} if diameter is None else {"pipe_diameter_mm": diameter}
    args: dict[str, object] = {"severity": 1, "district": "nanan", "level": "district", "theme": "water"}
    args.update(core)
    return event_facts("pipe_burst", attrs=attrs, **args)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------
# Loading


def test_a_good_file_loads_with_its_tasks_and_conditions(tmp_path: Path) -> None:
    spec = load_plan(write(tmp_path, GOOD))
    assert spec.id == "test_plan" and [t.id for t in spec.tasks] == ["first", "second"]
    assert spec.tasks[0].mandatory and not spec.tasks[1].mandatory
    assert spec.tasks[1].after == ["first"] and spec.tasks[1].deadline_s == 5400
    assert spec.tasks[0].title_in("zh_CN") == "第一" and not spec.dual_approval
    assert spec.conditions == (Condition("pipe_diameter_mm", "<", 500.0, "pipe_diameter_mm < 500"),)


def test_the_built_in_plans_all_load() -> None:
    lib = load_builtin_plans()
    assert lib.errors == []
    assert set(lib.plans) == {
        "water_main_burst_small",
        "water_main_burst_large",
        "waterlogging",
        "forest_fire",
        "traffic_incident",
        # issue 18's scenarios: construction waste, water quality, 12345 requests
        "waste_truck_shedding",
        "disposal_site_match",
        "dissolved_oxygen",
        "oil_slick_intake",
        "citizen_noise",
    }
    small = lib.plans["water_main_burst_small"]
    assert len(small.tasks) == 14 and small.dual_approval
    owners = {t.owner for t in small.tasks}
    assert {
        "water_company",
        "traffic_police",
        "power_company",
        "telecom",
        "fire_brigade",
        "grid_workers",
    } <= owners
    assert all(t.title.get("en") and t.title.get("zh_CN") for p in lib.plans.values() for t in p.tasks)


BROKEN = [
    # The bracket left open on line 2 (PyYAML notices it a line later).
    ("not yaml", "id: x\ntitle: [unclosed\n", 2, "the '[' on line 2 is not closed"),
    ("not a mapping", "- just\n- a list\n", 1, "must be a mapping"),
    (
        "unknown field",
        GOOD.replace("    deadline: 20m\n", "    deadline: 20m\n    colour: red\n"),
        12,
        "unknown field `colour`",
    ),
    ("wrong type", GOOD.replace("    mandatory: false", "    mandatory: sometimes"), 17, "Expected `bool`"),
    ("missing field", GOOD.replace("    owner: water_company\n", ""), 7, "missing required field `owner`"),
    (
        "unknown agency",
        GOOD.replace("owner: water_company", "owner: water_board"),
        9,
        "unknown agency 'water_board'",
    ),
    ("bad deadline", GOOD.replace("deadline: 20m", "deadline: soon"), 11, "duration 'soon'"),
    (
        "bad condition",
        GOOD.replace("pipe_diameter_mm < 500", "pipe_diameter_mm about 500"),
        5,
        "is not '<fact> <op> <value>'",
    ),
    ("ordering a word", GOOD.replace("pipe_diameter_mm < 500", "district < nanan"), 5, "compares numbers"),
    (
        "membership without a list",
        GOOD.replace("pipe_diameter_mm < 500", "district in nanan"),
        5,
        "needs a list",
    ),
    ("bad severity", GOOD.replace("pipe_diameter_mm < 500", "severity <= 7"), 5, "severity is 1 (red) to 4"),
    ("bad level", GOOD.replace("pipe_diameter_mm < 500", "level == province"), 5, "level is one of street"),
    (
        "unknown dependency",
        GOOD.replace("after: [first]", "after: [zeroth]"),
        18,
        "waits for unknown task 'zeroth'",
    ),
    ("self dependency", GOOD.replace("after: [first]", "after: [second]"), 18, "cannot wait for itself"),
    (
        "cycle",
        GOOD.replace("    deadline: 20m\n", "    deadline: 20m\n    after: [second]\n"),
        12,
        "in a circle: first → second → first",
    ),
    ("duplicate task", GOOD.replace("id: second", "id: first"), 12, "already used by task 1"),
    ("missing translation", GOOD.replace(', zh_CN: "第二"', ""), 13, "title needs zh_CN"),
    ("no tasks", GOOD.split("tasks:")[0] + "tasks: []\n", 6, "at least one task"),
    ("no event types", GOOD.replace("[pipe_burst]", "[]"), 3, "at least one event type"),
    ("bad id", GOOD.replace("id: test_plan", "id: Test Plan"), 1, "must be lower-case"),
]


@pytest.mark.parametrize(("text", "line", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_refused_with_file_line_and_reason(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert err.value.path == path and err.value.line == line, str(err.value)
    assert reason in err.value.reason
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_a_broken_file_does_not_stop_the_others_and_ids_are_unique(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "a.yaml")
    again = write(tmp_path, GOOD, "b.yaml")
    bad = write(tmp_path, GOOD.replace("deadline: 20m", "deadline: 0m"), "c.yaml")
    lib = load_plans([bad, again, good])
    assert list(lib.plans) == ["test_plan"]
    assert [(e.path, e.line) for e in lib.errors] == [(again, None), (bad, 11)]
    assert "already used by" in lib.errors[0].reason and "longer than zero" in lib.errors[1].reason


def test_durations() -> None:
    assert [parse_duration(t) for t in ("90s", "20m", "2h", "1h30m", "1h 5m 3s")] == [
        90,
        1200,
        7200,
        5400,
        3903,
    ]
    for bad in ("", "0m", "20", "m", "1d", "-5m"):
        with pytest.raises(ValueError):
            parse_duration(bad)


# ------------------------------------------------------------------------------------------------
# Conditions and selection


def test_a_burst_under_500_mm_selects_the_14_task_plan_and_500_or_more_does_not() -> None:
    lib = load_builtin_plans()
    for diameter in (100.0, 400.0, 499.9):
        assert [p.id for p in lib.select(burst(diameter))] == ["water_main_burst_small"]
    for diameter in (500.0, 800.0):
        assert [p.id for p in lib.select(burst(diameter))] == ["water_main_burst_large"]
    assert lib.select(burst(None)) == [], "without the diameter no burst plan can be chosen"
    assert lib.select(event_facts("fire", 1, "shapingba", "district", "fire", {})) == [
        lib.plans["forest_fire"]
    ]
    assert lib.select(event_facts("fire", 3, "shapingba", "street", "fire", {})) == []


@pytest.mark.parametrize(
    ("text", "facts", "holds"),
    [
        ("severity <= 2", {"severity": 2.0}, True),
        ("severity <= 2", {"severity": 3.0}, False),
        ("district in [nanan, yuzhong]", {"district": "yuzhong"}, True),
        ("district not in [nanan, yuzhong]", {"district": "yuzhong"}, False),
        ("district not in [nanan]", {"district": "jiangbei"}, True),
        ("level == district", {"level": "district"}, True),
        ("level != city", {"level": "city"}, False),
        ("pipe_material == 'ductile iron'", {"pipe_material": "ductile iron"}, True),
        ("lanes_blocked >= 1", {"lanes_blocked": "2"}, True),
        ("lanes_blocked >= 1", {"lanes_blocked": "two"}, False),
        ("lanes_blocked == 2", {"lanes_blocked": 2.0}, True),
        ("lanes_blocked > 0", {}, False),
        ("lanes_blocked != 2", {}, False),
        ("lanes_blocked not in [2]", {}, False),
        ("pipe_diameter_mm in [300, 400]", {"pipe_diameter_mm": 400.0}, True),
    ],
)
def test_conditions(text: str, facts: dict[str, str | float], holds: bool) -> None:
    assert Condition.parse(text).holds(facts) is holds


def test_attrs_cannot_hide_the_core_fields() -> None:
    facts = event_facts("pipe_burst", 1, "nanan", "district", "water", {"severity": 4.0, "district": "x"})
    assert facts["severity"] == 1.0 and facts["district"] == "nanan"


def test_agencies_have_both_names() -> None:
    assert all(en and zh for en, zh in AGENCIES.values())


# ------------------------------------------------------------------------------------------------
# SLA timers


def test_the_sla_file_loads_and_matches_the_defaults() -> None:
    assert load_sla_targets(SLA_FILE) == DEFAULT_TARGETS
    assert DEFAULT_TARGETS.target_s(1, Phase.ON_SCENE) == 600
    assert DEFAULT_TARGETS.target_s(9, Phase.ACKNOWLEDGE) == 900  # beyond blue: treated as blue


SLA_GOOD = """\
at_risk: 0.75
severity:
  1: {acknowledge: 1m, dispatch: 3m, on_scene: 10m}
  2: {acknowledge: 2m, dispatch: 5m, on_scene: 15m}
  3: {acknowledge: 5m, dispatch: 15m, on_scene: 30m}
  4: {acknowledge: 15m, dispatch: 30m, on_scene: 1h}
"""


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (SLA_GOOD.replace("dispatch: 15m", "dispatch: quick"), 5, "duration 'quick'"),
        (
            SLA_GOOD.replace("  4: {acknowledge: 15m, dispatch: 30m, on_scene: 1h}\n", ""),
            3,
            "missing for severity 4",
        ),
        (SLA_GOOD.replace("at_risk: 0.75", "at_risk: 1.5"), 1, "between 0 and 1"),
        (SLA_GOOD.replace("on_scene: 10m}", "on_scene: 10m, arrive: 1m}"), 3, "unknown field `arrive`"),
    ],
)
def test_a_broken_sla_file_is_refused_with_its_line(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text, "sla.yaml")
    assert load_sla_targets(write(tmp_path, SLA_GOOD, "ok.yaml")).at_risk == 0.75
    with pytest.raises(PlanError) as err:
        load_sla_targets(path)
    assert err.value.line == line and reason in err.value.reason, str(err.value)


T0 = 1_700_000_000_000
SEC = 1000


def event(
    ts: int, state: str = "new", severity: int = 1, acked_at: int = 0, occurrence: int = 1, time: int = T0
) -> Event:
    return Event(
        stream=Stream.EVENTS,
        seq=1,
        prev=0,
        ts=ts,
        id="E1",
        type="pipe_burst",
        severity=severity,
        time=time,
        lon=0.0,
        lat=0.0,
        district="nanan",
        state=state,
        acked_at=acked_at,
        occurrence=occurrence,
    )


def dispatch(ts: int, state: str, cid: str = "c1") -> Dispatch:
    return Dispatch(
        stream=Stream.DISPATCH, seq=1, prev=0, ts=ts, command_id=cid, event_id="E1", unit_id="u", state=state
    )


def timers(model: Situation, now: int) -> dict[Phase, tuple[SlaState, int]]:
    return {
        t.phase: (t.state, t.over_ms) for t in sla_timers(model.events, model.timeline, DEFAULT_TARGETS, now)
    }


def test_sla_timers_run_one_after_another_from_the_models_history() -> None:
    m = Situation()
    m.apply([DataReceived((event(T0),))])
    assert timers(m, T0 + 30 * SEC) == {Phase.ACKNOWLEDGE: (SlaState.RUNNING, 0)}
    assert timers(m, T0 + 50 * SEC) == {Phase.ACKNOWLEDGE: (SlaState.AT_RISK, 0)}  # 80 % of 60 s
    assert timers(m, T0 + 75 * SEC) == {Phase.ACKNOWLEDGE: (SlaState.BREACHED, 15 * SEC)}
    m.apply([DataReceived((event(T0 + 90 * SEC, "acknowledged", acked_at=T0 + 80 * SEC),))])
    got = timers(m, T0 + 300 * SEC)
    assert got[Phase.ACKNOWLEDGE] == (SlaState.MET_LATE, 20 * SEC)
    assert got[Phase.DISPATCH] == (SlaState.BREACHED, 40 * SEC)  # 220 s against 180 s
    m.apply([DataReceived((dispatch(T0 + 200 * SEC, DispatchState.ACCEPTED),))])
    got = timers(m, T0 + 300 * SEC)
    assert got[Phase.DISPATCH] == (SlaState.MET, 0)
    assert got[Phase.ON_SCENE] == (SlaState.RUNNING, 0)
    m.apply([DataReceived((dispatch(T0 + 900 * SEC, DispatchState.ON_SCENE),))])
    got = timers(m, T0 + 2000 * SEC)
    assert got[Phase.ON_SCENE] == (SlaState.MET_LATE, 100 * SEC)  # 700 s against 600 s
    assert breached(sla_timers(m.events, m.timeline, DEFAULT_TARGETS, T0 + 2000 * SEC)) == []


def test_sla_edge_cases() -> None:
    m = Situation()
    # A dispatch that arrives before its event, already completed (as after a snapshot).
    m.apply([DataReceived((dispatch(T0 + 50 * SEC, DispatchState.COMPLETED),))])
    m.apply([DataReceived((event(T0 + 60 * SEC, "dispatched"),))])
    times = m.timeline.times["E1"]
    assert times.alarm_ms == T0 and times.dispatched_ms == T0 + 50 * SEC
    assert times.on_scene_ms == T0 + 50 * SEC and times.acked_ms == T0 + 60 * SEC
    # A cancelled dispatch is not a dispatch; a resolved event stops its running timers.
    m2 = Situation()
    m2.apply([DataReceived((event(T0), dispatch(T0 + SEC, DispatchState.CANCELLED)))])
    assert not m2.timeline.times["E1"].dispatched_ms
    m2.apply([DataReceived((event(T0 + 10 * SEC, "resolved"),))])
    assert set(timers(m2, T0 + 999 * SEC)) == {Phase.ACKNOWLEDGE}
    # A re-fired alarm starts a new loop from the re-fire (its time is the new occurrence's).
    m2.apply([DataReceived((event(T0 + 501 * SEC, "new", occurrence=2, time=T0 + 500 * SEC),))])
    assert timers(m2, T0 + 530 * SEC) == {Phase.ACKNOWLEDGE: (SlaState.RUNNING, 0)}
    assert m2.timeline.times["E1"].alarm_ms == T0 + 500 * SEC


def plan_message(ts: int, tasks: list[PlanTask]) -> Plan:
    return Plan(
        stream=Stream.DISPATCH,
        seq=1,
        prev=0,
        ts=ts,
        id="P1",
        plan_type="x",
        event_id="E1",
        title="x",
        state="active",
        activated_by="a",
        activated_at=T0,
        tasks=tasks,
    )


def test_plan_tasks_count_as_dispatch_and_on_scene_and_have_deadlines() -> None:
    m = Situation()
    m.apply([DataReceived((event(T0, "acknowledged", acked_at=T0 + SEC),))])
    pending = PlanTask(id="a", title="A", owner="water_company", state="pending", deadline=T0 + 100 * SEC)
    m.apply([DataReceived((plan_message(T0 + 5 * SEC, [pending]),))])
    assert not m.timeline.times["E1"].dispatched_ms
    sent = PlanTask(id="a", title="A", owner="water_company", state="dispatched", deadline=T0 + 100 * SEC)
    late = PlanTask(
        id="b", title="B", owner="telecom", state="done", deadline=T0 + 50 * SEC, done_at=T0 + 70 * SEC
    )
    m.apply([DataReceived((plan_message(T0 + 10 * SEC, [sent, late]),))])
    assert m.timeline.times["E1"].dispatched_ms == T0 + 10 * SEC
    assert m.timeline.times["E1"].on_scene_ms == T0 + 10 * SEC  # a task done was on scene by then
    got = {(t.task_id, t.state, t.over_ms) for t in task_timers(m.plans.values(), T0 + 130 * SEC, 60 * SEC)}
    assert got == {("a", SlaState.BREACHED, 30 * SEC), ("b", SlaState.MET_LATE, 20 * SEC)}
    got = {(t.task_id, t.state) for t in task_timers(m.plans.values(), T0 + 60 * SEC, 60 * SEC)}
    assert ("a", SlaState.AT_RISK) in got
    assert {t.state for t in task_timers(m.plans.values(), T0, 10 * SEC) if t.task_id == "a"} == {
        SlaState.RUNNING
    }


def test_a_shelved_alarms_acknowledge_timer_stands_still_and_is_never_escalated() -> None:
    """ISA-18.2: a shelved alarm is out of the officer's attention; its acknowledge timer stops for
    the time on the shelf and runs on when the shelf ends (issue 15)."""
    m = Situation()
    m.apply([DataReceived((event(T0),))])
    m.apply([DataReceived((msgspec.structs.replace(event(T0 + 20 * SEC), shelved_until=T0 + 600 * SEC),))])
    got = {t.phase: t for t in sla_timers(m.events, m.timeline, DEFAULT_TARGETS, T0 + 400 * SEC)}
    ack = got[Phase.ACKNOWLEDGE]
    assert ack.state is SlaState.SHELVED and ack.elapsed_ms == 20 * SEC, "stopped when it was shelved"
    assert breached(sla_timers(m.events, m.timeline, DEFAULT_TARGETS, T0 + 400 * SEC)) == []
    # Unshelved at 500 s: it runs on from 20 s.
    m.apply([DataReceived((event(T0 + 500 * SEC),))])
    assert timers(m, T0 + 520 * SEC) == {Phase.ACKNOWLEDGE: (SlaState.RUNNING, 0)}  # 40 s of 60
    assert timers(m, T0 + 550 * SEC) == {Phase.ACKNOWLEDGE: (SlaState.BREACHED, 10 * SEC)}
    # A timed shelf that ran out without word from the backend ends at its end.
    m2 = Situation()
    m2.apply([DataReceived((msgspec.structs.replace(event(T0), shelved_until=T0 + 100 * SEC),))])
    assert timers(m2, T0 + 50 * SEC)[Phase.ACKNOWLEDGE][0] is SlaState.SHELVED
    assert timers(m2, T0 + 130 * SEC) == {Phase.ACKNOWLEDGE: (SlaState.RUNNING, 0)}  # 30 s counted
