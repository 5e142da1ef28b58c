"""SLA timers: alarm → acknowledge → dispatch → on scene, and plan-task deadlines (issue 4).

Each event runs three timers one after the other, with targets per severity from
``assets/sla.yaml`` (:func:`load_sla_targets`; docs/plans.md):

==============  =========================  ====================================
phase           starts                     ends
==============  =========================  ====================================
acknowledge     the alarm (``Event.time``)  the acknowledgement (``acked_at``)
dispatch        the acknowledgement        the first dispatch or plan task sent
on_scene        the first dispatch         the first unit on scene (or plan task
                                           in progress)
==============  =========================  ====================================

A timer is ``running`` until it nears its target (``at_risk``, by default at 80 %), then
``breached``, with how long over, so the wall can escalate it visibly; an ended one is ``met`` or
``met_late``. The times come from the model's :class:`Timeline`, which records them from the feed as
server times (ms): ``Event.time`` and ``acked_at``, and the ``ts`` of the first ``dispatch`` and
``plan`` messages showing each step. "Now" is passed in, so the same code serves the live wall
(server time) and replay. No Qt here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

import msgspec

from cockpit.model.plans import PlanError, load_yaml_struct, parse_duration
from cockpit.model.yaml_lines import line_of
from cockpit.protocol.messages import Dispatch, DispatchState, Event, EventState, Plan


class Phase(enum.StrEnum):
    ACKNOWLEDGE = "acknowledge"
    DISPATCH = "dispatch"
    ON_SCENE = "on_scene"


class SlaState(enum.StrEnum):
    RUNNING = "running"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"
    MET_LATE = "met_late"
    """Ended, but after its target: ``over_ms`` says by how much."""
    SHELVED = "shelved"
    """Stopped: the alarm is shelved (ISA-18.2), nobody is expected to acknowledge it meanwhile;
    the time on the shelf does not count."""


# ------------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True, slots=True)
class SlaTargets:
    """Target seconds per severity and phase, and the share of a target that counts as at risk."""

    by_severity: Mapping[int, Mapping[Phase, int]]
    at_risk: float = 0.8

    def target_s(self, severity: int, phase: Phase) -> int:
        """The target; a severity outside 1..4 is treated like the nearest one."""
        return self.by_severity[min(4, max(1, severity))][phase]


def _targets(ack: int, dispatch: int, on_scene: int) -> dict[Phase, int]:
    return {Phase.ACKNOWLEDGE: ack, Phase.DISPATCH: dispatch, Phase.ON_SCENE: on_scene}


DEFAULT_TARGETS: Final = SlaTargets(
    {
        1: _targets(60, 180, 600),
        2: _targets(120, 300, 900),
        3: _targets(300, 900, 1800),
        4: _targets(900, 1800, 3600),
    }
)
"""Used when no SLA file is given; the same figures as ``assets/sla.yaml``."""

SLA_FILE: Final = Path(__file__).resolve().parent.parent.parent / "assets" / "sla.yaml"


class _PhaseTargets(msgspec.Struct, forbid_unknown_fields=True):
    acknowledge: str
    dispatch: str
    on_scene: str


class _SlaFile(msgspec.Struct, forbid_unknown_fields=True):
    severity: dict[int, _PhaseTargets]
    at_risk: float = 0.8


def load_sla_targets(path: Path = SLA_FILE) -> SlaTargets:
    """Load SLA targets; :class:`~cockpit.model.plans.PlanError` with the line on any problem."""
    spec, node = load_yaml_struct(path, _SlaFile, "an SLA file")
    if not 0 < spec.at_risk < 1:
        raise PlanError(path, line_of(node, "$.at_risk"), f"at_risk {spec.at_risk} must be between 0 and 1")
    missing = [s for s in (1, 2, 3, 4) if s not in spec.severity]
    if missing:
        raise PlanError(
            path, line_of(node, "$.severity"), f"targets missing for severity {', '.join(map(str, missing))}"
        )
    by: dict[int, dict[Phase, int]] = {}
    for sev, t in spec.severity.items():
        if sev not in (1, 2, 3, 4):
            raise PlanError(path, line_of(node, "$.severity"), f"severity {sev} is not 1 (red) to 4 (blue)")
        row: dict[Phase, int] = {}
        for phase in Phase:
            try:
                row[phase] = parse_duration(getattr(t, phase.value))
            except ValueError as exc:
                raise PlanError(path, line_of(node, f"$.severity.{sev}.{phase.value}"), str(exc)) from exc
        by[sev] = row
    return SlaTargets(by, spec.at_risk)


# ------------------------------------------------------------------------------------------------
# What the model records


@dataclass(slots=True)
class EventTimes:
    """When each step of one event's loop was first seen (server ms; 0: not yet)."""

    alarm_ms: int = 0
    acked_ms: int = 0
    dispatched_ms: int = 0
    on_scene_ms: int = 0
    occurrence: int = 1
    shelved_ms: int = 0
    """When the alarm was put on the shelf it is on now (0: not shelved)."""
    shelved_until: int = 0
    """Its shelf's end (server ms; -1: until it clears)."""
    shelf_total_ms: int = 0
    """Time spent on earlier shelves before it was acknowledged: the acknowledge timer skips it."""


_SENT_TASK: Final = frozenset({"dispatched", "in_progress", "done"})
_WORKING_TASK: Final = frozenset({"in_progress", "done"})
_REACHED_SCENE: Final = frozenset({DispatchState.ON_SCENE, DispatchState.COMPLETED})


class Timeline:
    """Records the times SLA timers need as the feed's messages are applied.

    A later state can arrive without the earlier ones (after a snapshot, a dispatch may already be
    ``completed``): then the step is taken as reached by that message's ``ts``, an upper bound.
    """

    def __init__(self) -> None:
        self.times: dict[str, EventTimes] = {}

    def _of(self, event_id: str) -> EventTimes:
        t = self.times.get(event_id)
        if t is None:
            t = self.times[event_id] = EventTimes()
        return t

    def forget(self, event_id: str) -> None:
        """Drop an event's times (the situation forgot the closed event)."""
        self.times.pop(event_id, None)

    def new_events_epoch(self) -> None:
        """The events stream came back in another epoch (a backend that lost its state): its ids may
        name other events now, so what was seen of the old ones' alarms goes."""
        for t in self.times.values():
            t.alarm_ms = t.acked_ms = t.shelved_ms = t.shelved_until = t.shelf_total_ms = 0
            t.occurrence = 1

    def new_dispatch_epoch(self) -> None:
        """The dispatch stream came back in another epoch: its dispatches and plans are not the old
        ones, so no event has been dispatched to or reached until it says so again."""
        for t in self.times.values():
            t.dispatched_ms = t.on_scene_ms = 0

    def on_event(self, m: Event) -> None:
        t = self._of(m.id)
        if m.occurrence > t.occurrence:  # the alarm fired again: a new loop starts (§7.5)
            t = self.times[m.id] = EventTimes(alarm_ms=m.time or m.ts, occurrence=m.occurrence)
        if not t.alarm_ms:
            t.alarm_ms = m.time
        if not t.acked_ms:
            if m.acked_at:
                t.acked_ms = m.acked_at
            elif m.state != EventState.NEW:
                t.acked_ms = m.ts
        if m.shelved_until and not t.shelved_ms:  # put on a shelf: the acknowledge timer stops
            t.shelved_ms = m.ts
        elif not m.shelved_until and t.shelved_ms:  # taken off it: the timer runs on
            t.shelf_total_ms += max(0, m.ts - t.shelved_ms)
            t.shelved_ms = 0
        t.shelved_until = m.shelved_until if t.shelved_ms else 0

    def on_dispatch(self, m: Dispatch) -> None:
        if m.state in (DispatchState.FAILED, DispatchState.CANCELLED):
            return
        t = self._of(m.event_id)
        _first(t, "dispatched_ms", m.ts)
        if m.state in _REACHED_SCENE:
            _first(t, "on_scene_ms", m.ts)

    def on_plan(self, m: Plan) -> None:
        states = {task.state for task in m.tasks}
        if not states & _SENT_TASK:
            return
        t = self._of(m.event_id)
        _first(t, "dispatched_ms", m.ts)
        if states & _WORKING_TASK:
            _first(t, "on_scene_ms", m.ts)


def _first(t: EventTimes, attr: str, ts: int) -> None:
    have = getattr(t, attr)
    if not have or ts < have:
        setattr(t, attr, ts)


# ------------------------------------------------------------------------------------------------
# Timers


class EventLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def severity(self) -> int: ...
    @property
    def open(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SlaTimer:
    """One phase of one event's loop against its target."""

    event_id: str
    phase: Phase
    state: SlaState
    started_ms: int
    target_ms: int
    ended_ms: int
    """0 while running."""
    elapsed_ms: int
    over_ms: int
    """How long past the target (0 if not past it)."""

    @property
    def remaining_ms(self) -> int:
        return self.target_ms - self.elapsed_ms


_STEPS: Final = (
    (Phase.ACKNOWLEDGE, "alarm_ms", "acked_ms"),
    (Phase.DISPATCH, "acked_ms", "dispatched_ms"),
    (Phase.ON_SCENE, "dispatched_ms", "on_scene_ms"),
)


def event_timers(ev: EventLike, times: EventTimes, targets: SlaTargets, now_ms: int) -> list[SlaTimer]:
    """The timers of one event that have started; a running one stops counting once the event is
    no longer open (resolved or closed without that step: nothing is left to be late for)."""
    out: list[SlaTimer] = []
    for phase, start_attr, end_attr in _STEPS:
        start, end = getattr(times, start_attr), getattr(times, end_attr)
        if not start:
            break
        if not end and not ev.open:
            break
        target = 1000 * targets.target_s(int(ev.severity), phase)
        stop = end or now_ms
        shelved = False
        if phase is Phase.ACKNOWLEDGE:
            stop -= times.shelf_total_ms  # earlier shelves do not count
            if times.shelved_ms and not end:
                # On a shelf now: the timer stands still from the moment it was shelved (a timed
                # shelf that ran out without word from the backend ends at its end).
                ends = times.shelved_until if times.shelved_until > 0 else 0
                if ends and now_ms >= ends:
                    stop -= ends - times.shelved_ms
                else:
                    stop -= now_ms - times.shelved_ms
                    shelved = True
        elapsed = max(0, stop - start)
        over = max(0, elapsed - target)
        if shelved:
            state = SlaState.SHELVED
        elif end:
            state = SlaState.MET_LATE if over else SlaState.MET
        elif over:
            state = SlaState.BREACHED
        elif elapsed >= targets.at_risk * target:
            state = SlaState.AT_RISK
        else:
            state = SlaState.RUNNING
        out.append(SlaTimer(ev.id, phase, state, start, target, end, elapsed, over))
        if not end:
            break
    return out


def sla_timers(
    events: Mapping[str, EventLike], timeline: Timeline, targets: SlaTargets, now_ms: int
) -> list[SlaTimer]:
    """Every started timer of every known event."""
    out: list[SlaTimer] = []
    for eid, ev in events.items():
        times = timeline.times.get(eid)
        if times is not None:
            out += event_timers(ev, times, targets, now_ms)
    return out


def breached(timers: Iterable[SlaTimer]) -> list[SlaTimer]:
    """Running timers past their target, longest over first: what the wall escalates."""
    late = [t for t in timers if t.state is SlaState.BREACHED]
    late.sort(key=lambda t: -t.over_ms)
    return late


# ------------------------------------------------------------------------------------------------
# Plan-task deadlines


class TaskLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def deadline(self) -> int: ...
    @property
    def done_at(self) -> int: ...
    @property
    def mandatory(self) -> bool: ...


class PlanLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def tasks(self) -> Sequence[TaskLike]: ...


@dataclass(frozen=True, slots=True)
class TaskTimer:
    plan_id: str
    task_id: str
    state: SlaState
    deadline_ms: int
    over_ms: int
    mandatory: bool


_TASK_ENDED: Final = frozenset({"done", "failed", "cancelled"})


def task_timers(plans: Iterable[PlanLike], now_ms: int, window_ms: int = 300_000) -> list[TaskTimer]:
    """Each plan task against its deadline; at risk within ``window_ms`` of it while not done.

    Failed and cancelled tasks, and tasks of a plan still awaiting approval, have no timer.
    """
    out: list[TaskTimer] = []
    for plan in plans:
        for task in plan.tasks:
            if (task.state in _TASK_ENDED and task.state != "done") or not task.deadline:
                continue  # no deadline until the plan may start (awaiting its second approval)
            if task.state == "done":
                over = max(0, task.done_at - task.deadline)
                state = SlaState.MET_LATE if over else SlaState.MET
            else:
                over = max(0, now_ms - task.deadline)
                if over:
                    state = SlaState.BREACHED
                elif task.deadline - now_ms <= window_ms:
                    state = SlaState.AT_RISK
                else:
                    state = SlaState.RUNNING
            out.append(TaskTimer(plan.id, task.id, state, task.deadline, over, task.mandatory))
    return out
