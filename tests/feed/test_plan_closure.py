"""Done when (issue 4): the 14-task plan runs to closure in simulated time, with its SLA timers.

Two real cockpits (a duty officer and a supervisor, each a FeedClient with its own model) talk to the
demo backend over loopback websockets. The test drives the city's clock itself, minutes at a time,
so three simulated hours pass in seconds; every ``ts`` is simulated time too (the hub's clock is
the city's), so the SLA timers computed from the officer's model can be checked against the server's
own record.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

import pytest

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.model.sla import DEFAULT_TARGETS, Phase, SlaState, SlaTimer, sla_timers, task_timers
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.messages import (
    AckResult,
    Command,
    CommandAck,
    CommandKind,
    Event,
    Plan,
    Stream,
    UnitStatus,
)
from tests.helpers import wait_until

PLAN = "water_main_burst_small"
_ids = itertools.count(1)


@dataclass
class Console:
    """One cockpit: its feed, its model and the answers to its commands."""

    identity: Identity
    model: Situation = field(default_factory=Situation)
    acks: dict[str, CommandAck] = field(default_factory=dict)
    feed: FeedClient | None = None

    def __call__(self, events: list[FeedEvent]) -> None:
        self.model.apply(events)
        for ev in events:
            if isinstance(ev, CommandAcked):
                self.acks[ev.ack.id] = ev.ack

    def connect(self, url: str) -> None:
        self.feed = FeedClient([url], self.identity, self, backoff=Backoff(base_s=0.05, cap_s=0.3))
        self.feed.start()

    async def send(self, kind: str, event_id: str = "", ref: str = "", occurrence: int = 0) -> CommandAck:
        assert self.feed is not None
        cmd = Command(
            id=f"{self.identity.operator}-{next(_ids):06d}",
            kind=kind,
            event_id=event_id,
            ref=ref,
            occurrence=occurrence,
        )
        self.feed.send_command(cmd)
        await wait_until(lambda: cmd.id in self.acks, what=f"the answer to {kind}")
        return self.acks[cmd.id]


def caught_up(console: Console, backend: DemoBackend) -> bool:
    feed = console.feed
    assert feed is not None
    return feed.state is ConnectionState.LIVE and all(
        feed.cursors.get(s).seq == backend.hub.logs[s].seq for s in backend.hub.logs
    )


async def advance(backend: DemoBackend, seconds: float, *consoles: Console) -> None:
    """Move the city on and wait until every console has everything it published."""
    backend.city.advance(seconds)
    for c in consoles:
        await wait_until(lambda c=c: caught_up(c, backend), what="the console caught up")


def first_ts(backend: DemoBackend, plan_id: str, task_state: str) -> int:
    """The server's record: ts of the first plan message with a task in ``task_state``."""
    for entry in backend.hub.logs[Stream.DISPATCH].since(0):
        m = entry.message
        if isinstance(m, Plan) and m.id == plan_id and any(t.state == task_state for t in m.tasks):
            return m.ts
    raise AssertionError(f"no task of {plan_id} was ever {task_state}")


@pytest.mark.slow
def test_the_14_task_plan_runs_to_closure_in_simulated_time_with_its_sla_timers() -> None:
    async def body() -> None:
        cities: list[City] = []
        hub = Hub(clock=lambda: cities[0].ms() if cities else 0)  # ts in simulated time
        city = City(hub, seed=3, rate=20, sensors_per_kind=1, event_rate=0, tick_hz=0.5)
        cities.append(city)
        backend = DemoBackend(city, heartbeat_ms=300)
        await backend.start()
        backend.running = False  # the test drives the clock
        officer = Console(Identity("wall-1", "li", "operator"))
        supervisor = Console(Identity("wall-2", "wang", "supervisor"))
        officer.connect(backend.url)
        supervisor.connect(backend.url)
        try:
            # The main bursts at about 160 s; the officer sees it with the plan that fits.
            for _ in range(10):
                await advance(backend, 24, officer, supervisor)
            ev = next(e for e in officer.model.events.values() if e.type == "pipe_burst")
            assert ev.plans == (PLAN,) and dict(ev.attrs)["pipe_diameter_mm"] == 400.0
            assert ev.level == "district"

            ack = await officer.send(CommandKind.ACKNOWLEDGE, ev.id, occurrence=ev.occurrence)
            assert ack.result == AckResult.ACCEPTED, ack
            ack = await officer.send(CommandKind.ACTIVATE_PLAN, ev.id, PLAN)
            assert ack.result == AckResult.ACCEPTED, ack
            await wait_until(lambda: officer.model.plans_for(ev.id), what="the plan on the officer's wall")
            (plan,) = officer.model.plans_for(ev.id)
            assert plan.state == "awaiting_approval" and len(plan.tasks) == 14 and plan.activated_by == "li"

            # Dual approval: not the officer, and only by another person than the one who activated.
            ack = await officer.send(CommandKind.APPROVE_PLAN, ref=plan.id)
            assert (ack.result, ack.reason) == (AckResult.REJECTED, "forbidden")
            approved_at = city.ms()
            ack = await supervisor.send(CommandKind.APPROVE_PLAN, ref=plan.id)
            assert ack.result == AckResult.ACCEPTED, ack

            # Run the plan in simulated time; try to close it while mandatory tasks are open.
            refused_with: list[str] = []
            breached_open: set[str] = set()
            first_loop: tuple[dict[Phase, SlaTimer], Event] | None = None
            for _ in range(6 * 60):
                await advance(backend, 60, officer, supervisor)
                plan = supervisor.model.plans[plan.id]
                if first_loop is None and officer.model.timeline.times[ev.id].on_scene_ms:
                    # The first unit is on scene: the alarm's three timers have all ended. (The
                    # scenario's main bursts again every 15 minutes, each time a new occurrence.)
                    # This alarm's timers (the later scenarios' own events have theirs).
                    timers = [
                        t
                        for t in sla_timers(
                            officer.model.events, officer.model.timeline, DEFAULT_TARGETS, city.ms()
                        )
                        if t.event_id == ev.id
                    ]
                    first_loop = ({t.phase: t for t in timers}, city.state.events[ev.id])
                for t in task_timers([plan], city.ms()):
                    if t.state is SlaState.BREACHED:
                        breached_open.add(t.task_id)
                if not plan.open_mandatory():
                    break
                if not refused_with:
                    ack = await supervisor.send(CommandKind.CLOSE_PLAN, ref=plan.id)
                    assert (ack.result, ack.reason) == (AckResult.REJECTED, "mandatory_open"), ack
                    assert all(t.id in ack.detail for t in plan.open_mandatory())
                    refused_with = [t.id for t in plan.open_mandatory()]
            assert refused_with, "the plan was closed for the first time only after its mandatory tasks"
            assert not plan.open_mandatory(), "the plan did not finish in six simulated hours"
            assert all(t.state == "done" for t in plan.tasks if t.mandatory)

            ack = await supervisor.send(CommandKind.CLOSE_PLAN, ref=plan.id)
            assert ack.result == AckResult.ACCEPTED, ack
            await advance(backend, 2, officer, supervisor)
            closed = officer.model.plans[plan.id]
            assert closed.state == "closed" and closed.closed_by == "wang" and closed.approved_by == "wang"
            assert officer.model.events[ev.id].state == "resolved"
            assert all(officer.model.units[t.unit_id].status == UnitStatus.AVAILABLE for t in closed.tasks)

            # SLA timers from the officer's model, against the server's record.
            now = city.ms()
            assert first_loop is not None
            by_phase, served = first_loop
            assert served.occurrence == 1 and served.acked_by == "li"
            ack_t, dispatch_t, scene_t = (
                by_phase[Phase.ACKNOWLEDGE],
                by_phase[Phase.DISPATCH],
                by_phase[Phase.ON_SCENE],
            )
            assert dispatch_t.state in (SlaState.MET, SlaState.MET_LATE) and scene_t.ended_ms
            assert (ack_t.started_ms, ack_t.ended_ms) == (served.time, served.acked_at)
            assert ack_t.over_ms == max(0, served.acked_at - served.time - 60_000)
            assert ack_t.state is (SlaState.MET_LATE if ack_t.over_ms else SlaState.MET)
            assert dispatch_t.started_ms == served.acked_at
            assert dispatch_t.ended_ms == first_ts(backend, plan.id, "dispatched") == approved_at
            assert scene_t.started_ms == approved_at
            assert scene_t.ended_ms == first_ts(backend, plan.id, "in_progress")
            assert scene_t.over_ms == max(0, scene_t.ended_ms - approved_at - 600_000)

            # Task deadlines from the model equal the server's; the late ones showed while open.
            mine = {(t.task_id, t.state, t.over_ms) for t in task_timers([closed], now)}
            served_plan = city.state.plans[plan.id]
            theirs = {(t.task_id, t.state, t.over_ms) for t in task_timers([served_plan], now)}
            assert mine == theirs and len(mine) == 14
            late = {tid for tid, state, _ in mine if state is SlaState.MET_LATE}
            assert late and late <= breached_open, "every late task was shown breached while it was open"
        finally:
            for c in (officer, supervisor):
                assert c.feed is not None
                await c.feed.stop()
            await backend.stop()

    asyncio.run(body())
