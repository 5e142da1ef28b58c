"""Running emergency plans (预案) in the demo city: activation, approval, task progress, closure.

The city recommends the plans of ``assets/plans/`` whose type and conditions fit an event
(:meth:`PlansEngine.recommend`, sent as ``Event.plans``). Activating one creates a plan instance and,
once it may start (at once, or after a second approval when the plan requires dual approval),
dispatches each task to the nearest free unit of the task's kind as soon as the tasks it waits for
are done. Each task moves ``pending`` → ``dispatched`` → ``in_progress`` (the unit is on scene) →
``done`` over simulated time: most finish inside their deadline, about one in five runs late, so
breached deadlines show on the wall. A supervisor closes the plan; that is refused while a mandatory
task is open (docs/protocol.md §5.6, §7.7).

Deterministic: the durations of each plan instance come from a generator seeded with the city's seed
and the instance id, so the city's own random sequence is untouched.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Final, Protocol

import msgspec

from cockpit.model.plans import PlanLibrary, PlanSpec, TaskSpec, event_facts
from cockpit.protocol.messages import Event, Plan, PlanTask, Stream, Unit, UnitStatus


class PlanState:
    AWAITING_APPROVAL: Final = "awaiting_approval"
    ACTIVE: Final = "active"
    CLOSED: Final = "closed"


class TaskState:
    PENDING: Final = "pending"
    DISPATCHED: Final = "dispatched"
    IN_PROGRESS: Final = "in_progress"
    DONE: Final = "done"
    FAILED: Final = "failed"
    CANCELLED: Final = "cancelled"


_OPEN_TASK: Final = frozenset({TaskState.PENDING, TaskState.DISPATCHED, TaskState.IN_PROGRESS})

LATE_SHARE: Final = 0.2
"""About this share of tasks takes longer than its deadline allows."""


class PlanRefused(Exception):
    """A plan command the engine will not carry out: ``reason`` code and ``detail`` for the ack."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


class PlanHost(Protocol):
    """What the engine needs of the city."""

    @property
    def now(self) -> float: ...

    def ms(self, t: float | None = None) -> int: ...

    def plan_units(self) -> dict[str, Unit]: ...

    def put_plan_unit(self, unit: Unit) -> None: ...

    def put_plan(self, plan: Plan, district: str) -> None: ...

    def plan_dispatched(self, event_id: str) -> None: ...

    def plan_closed(self, event_id: str) -> None: ...


@dataclass(slots=True)
class _Task:
    spec: TaskSpec
    state: str = TaskState.PENDING
    unit_id: str = ""
    deadline_ms: int = 0
    on_scene_at: float = 0.0
    en_route_at: float = 0.0
    done_at: float = 0.0
    done_ms: int = 0
    en_route: bool = False


@dataclass(slots=True)
class _Instance:
    id: str
    spec: PlanSpec
    event: Event
    state: str
    activated_by: str
    activated_at_ms: int
    rng: random.Random
    tasks: list[_Task] = field(default_factory=list)
    approved_by: str = ""
    closed_by: str = ""
    closed_at_ms: int = 0

    @property
    def open_mandatory(self) -> list[_Task]:
        return [t for t in self.tasks if t.spec.mandatory and t.state in _OPEN_TASK]


class PlansEngine:
    """The plan instances of one city and their simulated progress.

    Args:
        library: The plans that can be recommended and activated.
        host: The city: its clock, units and publishing.
        seed: Makes task durations deterministic.
    """

    def __init__(self, library: PlanLibrary, host: PlanHost, seed: int) -> None:
        self.library = library
        self.host = host
        self.seed = seed
        self._instances: dict[str, _Instance] = {}
        self._counter = 0

    # ------------------------------------------------------------------------------ queries

    def recommend(self, ev: Event) -> list[str]:
        """Plan types whose event type and conditions fit ``ev``, best first."""
        facts = event_facts(ev.type, ev.severity, ev.district, ev.level, ev.theme, ev.attrs)
        return [p.id for p in self.library.select(facts)]

    def has_open(self, event_id: str) -> bool:
        """Whether a plan for the event is not yet closed (the event cannot be closed meanwhile)."""
        return any(i.event.id == event_id and i.state != PlanState.CLOSED for i in self._instances.values())

    def busy_units(self) -> set[str]:
        return {
            t.unit_id
            for i in self._instances.values()
            for t in i.tasks
            if t.unit_id and t.state in _OPEN_TASK
        }

    # ------------------------------------------------------------------------------ commands

    def activate(self, ev: Event, plan_type: str, operator: str) -> str:
        """Start plan ``plan_type`` for ``ev``; returns the instance id.

        Raises:
            PlanRefused: ``unknown_plan``, ``plan_not_applicable`` or ``plan_open``.
        """
        spec = self.library.plans.get(plan_type)
        if spec is None:
            known = ", ".join(sorted(self.library.plans)) or "none"
            raise PlanRefused("unknown_plan", f"no plan {plan_type!r}; plans: {known}")
        fitting = self.recommend(ev)
        if plan_type not in fitting:
            raise PlanRefused(
                "plan_not_applicable",
                f"plan {plan_type!r} does not fit event {ev.id} ({ev.type}); "
                f"fitting: {', '.join(fitting) or 'none'}",
            )
        for other in self._instances.values():
            if other.event.id == ev.id and other.spec.id == plan_type and other.state != PlanState.CLOSED:
                raise PlanRefused("plan_open", f"plan {plan_type!r} already runs for {ev.id} as {other.id}")
        self._counter += 1
        pid = f"P{self.seed:02d}-{self._counter:04d}"
        inst = _Instance(
            id=pid,
            spec=spec,
            event=ev,
            state=PlanState.AWAITING_APPROVAL if spec.dual_approval else PlanState.ACTIVE,
            activated_by=operator,
            activated_at_ms=self.host.ms(),
            rng=random.Random(f"{self.seed}/{pid}"),
            tasks=[_Task(t) for t in spec.tasks],
        )
        self._instances[pid] = inst
        if inst.state == PlanState.ACTIVE:
            self._start(inst)
        else:
            self._publish(inst)
        return pid

    def approve(self, plan_id: str, operator: str) -> None:
        """The second approval of a dual-approval plan: its tasks may now be dispatched.

        Raises:
            PlanRefused: ``unknown_plan``, ``not_awaiting_approval`` or ``same_person``.
        """
        inst = self._get(plan_id)
        if inst.state != PlanState.AWAITING_APPROVAL:
            raise PlanRefused(
                "not_awaiting_approval", f"plan {plan_id} is {inst.state}, not awaiting approval"
            )
        if operator == inst.activated_by:
            raise PlanRefused(
                "same_person",
                f"{operator or 'an unnamed operator'} activated plan {plan_id}; "
                "the second approval must come from another supervisor",
            )
        inst.approved_by = operator
        inst.state = PlanState.ACTIVE
        self._start(inst)

    def close(self, plan_id: str, operator: str) -> None:
        """Close the plan: open optional tasks are cancelled. A plan still awaiting approval is withdrawn.

        Raises:
            PlanRefused: ``unknown_plan``, ``plan_closed`` or ``mandatory_open`` (with the open tasks).
        """
        inst = self._get(plan_id)
        if inst.state == PlanState.CLOSED:
            raise PlanRefused("plan_closed", f"plan {plan_id} is already closed")
        still = inst.open_mandatory
        if inst.state == PlanState.ACTIVE and still:
            names = ", ".join(t.spec.id for t in still)
            raise PlanRefused(
                "mandatory_open",
                f"{len(still)} mandatory task{'s' if len(still) > 1 else ''} still open: {names}",
            )
        units = self.host.plan_units()
        for task in inst.tasks:
            if task.state in _OPEN_TASK:
                task.state = TaskState.CANCELLED
                self._release(units, task)
        inst.state = PlanState.CLOSED
        inst.closed_by = operator
        inst.closed_at_ms = self.host.ms()
        self._publish(inst)
        self.host.plan_closed(inst.event.id)

    def _get(self, plan_id: str) -> _Instance:
        inst = self._instances.get(plan_id)
        if inst is None:
            raise PlanRefused("unknown_plan", f"no plan instance {plan_id!r}")
        return inst

    # ------------------------------------------------------------------------------ time

    def _start(self, inst: _Instance) -> None:
        """The plan may now dispatch: deadlines count from here."""
        for task in inst.tasks:
            task.deadline_ms = self.host.ms(self.host.now + task.spec.deadline_s)
        self._progress(inst)
        self._publish(inst)

    def tick(self) -> None:
        """Move every active plan's tasks on to now; publish the plans that changed."""
        for inst in self._instances.values():
            if inst.state == PlanState.ACTIVE and self._progress(inst):
                self._publish(inst)

    def _progress(self, inst: _Instance) -> bool:
        now = self.host.now
        units = self.host.plan_units()
        changed = False
        done = {t.spec.id for t in inst.tasks if t.state == TaskState.DONE}
        for task in inst.tasks:
            if task.state == TaskState.PENDING and all(d in done for d in task.spec.after):
                changed |= self._dispatch(inst, task, units)
            if task.state == TaskState.DISPATCHED:
                if not task.en_route and now >= task.en_route_at:
                    task.en_route = True
                    self._unit_status(units, task, UnitStatus.EN_ROUTE)
                if now >= task.on_scene_at:
                    task.state = TaskState.IN_PROGRESS
                    self._unit_status(units, task, UnitStatus.ON_SCENE)
                    changed = True
            if task.state == TaskState.IN_PROGRESS and now >= task.done_at:
                task.state = TaskState.DONE
                task.done_ms = self.host.ms(task.done_at)
                self._release(units, task)
                done.add(task.spec.id)
                changed = True
        return changed

    def _dispatch(self, inst: _Instance, task: _Task, units: dict[str, Unit]) -> bool:
        """Send the nearest free unit of the task's kind; False (stays pending) if none is free.

        A kind no unit of the city has is done by the agency without a tracked unit.
        """
        ev = inst.event
        kind = [u for u in units.values() if u.kind == task.spec.unit]
        if kind:
            busy = self.busy_units()
            free = [u for u in kind if u.status == UnitStatus.AVAILABLE and u.id not in busy]
            if not free:
                return False
            free.sort(
                key=lambda u: (u.district != ev.district, (u.lon - ev.lon) ** 2 + (u.lat - ev.lat) ** 2, u.id)
            )
            task.unit_id = free[0].id
            self.host.put_plan_unit(
                msgspec.structs.replace(free[0], status=UnitStatus.DISPATCHED, event_id=ev.id)
            )
        now = self.host.now
        total = self._duration(inst, task)
        travel = total * inst.rng.uniform(0.15, 0.35)
        task.state = TaskState.DISPATCHED
        task.en_route_at = now + min(60.0, travel / 2)
        task.on_scene_at = now + travel
        task.done_at = now + total
        if not any(t.state != TaskState.PENDING for t in inst.tasks if t is not task):
            self.host.plan_dispatched(ev.id)
        return True

    def _duration(self, inst: _Instance, task: _Task) -> float:
        """Simulated seconds from dispatch to done: within the task's own slot (its deadline less
        the latest deadline it waits for), or (about one task in five) longer, so that the task or
        those waiting for it breach their deadlines."""
        spec = inst.spec
        waits = [spec.task(d).deadline_s for d in task.spec.after]
        budget = max(120.0, task.spec.deadline_s - max(waits, default=0))
        share = inst.rng.uniform(1.1, 1.5) if inst.rng.random() < LATE_SHARE else inst.rng.uniform(0.4, 0.85)
        return max(60.0, budget * share)

    def _unit_status(self, units: dict[str, Unit], task: _Task, status: UnitStatus) -> None:
        unit = units.get(task.unit_id)
        if unit is not None:
            self.host.put_plan_unit(msgspec.structs.replace(unit, status=status))

    def _release(self, units: dict[str, Unit], task: _Task) -> None:
        unit = units.get(task.unit_id)
        if unit is not None and unit.status != UnitStatus.AVAILABLE:
            self.host.put_plan_unit(msgspec.structs.replace(unit, status=UnitStatus.AVAILABLE, event_id=""))

    # ------------------------------------------------------------------------------ publishing

    def _publish(self, inst: _Instance) -> None:
        tasks = [
            PlanTask(
                id=t.spec.id,
                title=t.spec.title_in("en"),
                owner=t.spec.owner,
                state=t.state,
                deadline=t.deadline_ms,
                mandatory=t.spec.mandatory,
                unit_id=t.unit_id,
                done_at=t.done_ms,
            )
            for t in inst.tasks
        ]
        plan = Plan(
            stream=Stream.DISPATCH,
            seq=0,
            prev=0,
            ts=0,
            id=inst.id,
            plan_type=inst.spec.id,
            event_id=inst.event.id,
            title=inst.spec.title_in("en"),
            state=inst.state,
            activated_by=inst.activated_by,
            activated_at=inst.activated_at_ms,
            tasks=tasks,
            approved_by=inst.approved_by,
            closed_by=inst.closed_by,
            closed_at=inst.closed_at_ms,
        )
        self.host.put_plan(plan, inst.event.district)
