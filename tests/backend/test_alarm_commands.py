"""Alarm commands on the demo backend (§7.5): acknowledge an occurrence, shelve, unshelve.

Over the City object with a clock the test moves, and once end to end over real loopback websockets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import numpy as np

from cockpit.backend.city import FLOODED_STATION, OUT_OF_SERVICE, City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.model.alarms import HOUR_MS, MINUTE_MS, ONE_SHOT, AlarmDisplayState, display_state
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandAck, Event, EventState, Stream
from tests.helpers import wait_until

T0 = 1_700_000_000_000


class Clock:
    """The backend's server clock (ms), moved by the test."""

    def __init__(self, t: int = T0) -> None:
        self.t = t

    def __call__(self) -> int:
        return self.t


def make(clock: Clock | None = None) -> City:
    return City(Hub(epoch="e", clock=clock or Clock()), seed=3, rate=400, event_rate=30)


def alarm_of(city: City, sensor: str) -> Event:
    return next(e for e in city.state.events.values() if e.source == sensor)


class Sender:
    """Commands as one console sends them: fresh ids, its role and operator name."""

    def __init__(self, city: City, role: str, operator: str) -> None:
        self.city, self.role, self.operator = city, role, operator
        self.n = 0

    def __call__(self, kind: str, event_id: str, **kw: object) -> CommandAck:
        self.n += 1
        cmd = Command(id=f"{self.operator}-{self.n}", kind=kind, event_id=event_id, **kw)  # type: ignore[arg-type]
        return self.city.handle_command(cmd, self.role, self.operator)


def force_reading(city: City, sensor: str, value: float) -> None:
    """One reading of ``sensor`` through the threshold path, as a sensor tick would give it."""
    row = next(i for i, s in enumerate(city.sensors) if s.name == sensor)
    city._check_thresholds(np.array([row]), np.array([value], dtype=np.float32))


def test_a_refired_alarm_is_a_new_occurrence_and_an_ack_of_the_old_one_is_rejected() -> None:
    city = make()
    ann = Sender(city, "operator", "ann")
    city.advance(200)  # the first storm: the underpass gauge is over its limit
    ev = alarm_of(city, "jiangbei-water_level-001")
    assert (ev.occurrence, ev.state, ev.active) == (1, EventState.NEW, True)
    assert ann("acknowledge", ev.id, occurrence=1).result == AckResult.ACCEPTED
    ev = city.state.events[ev.id]
    assert (ev.state, ev.acked_by, ev.acked_at) == (EventState.ACKNOWLEDGED, "ann", T0)

    city.advance(500)  # cleared after the storm, fired again in the next one: the same event
    again = city.state.events[ev.id]
    assert (again.occurrence, again.state, again.active) == (2, EventState.NEW, True)
    assert (again.acked_by, again.acked_at) == ("", 0)
    assert again.time > ev.time  # the time of the current occurrence
    assert sum(1 for e in city.state.events.values() if e.source == "jiangbei-water_level-001") == 1

    late = ann("acknowledge", ev.id, occurrence=1)  # the operator saw the first occurrence
    assert (late.result, late.reason) == (AckResult.REJECTED, "refired")
    assert "occurrence 2 is current" in late.detail
    assert city.state.events[ev.id].state == EventState.NEW  # nothing changed
    assert ann("acknowledge", ev.id, occurrence=3).reason == "unknown_occurrence"
    assert ann("acknowledge", ev.id, occurrence=2).result == AckResult.ACCEPTED
    assert city.state.events[ev.id].acked_by == "ann"


def test_only_a_supervisor_shelves_with_a_reason_and_at_most_the_maximum() -> None:
    clock = Clock()
    city = make(clock)
    city.advance(200)
    ev = alarm_of(city, "jiangbei-water_level-001")
    now = clock.t
    ok = {"note": "gauge being cleaned", "until": now + HOUR_MS}
    for role in ("viewer", "operator", "trainer"):
        refused = Sender(city, role, role)("shelve", ev.id, **ok)
        assert (refused.result, refused.reason) == (AckResult.REJECTED, "forbidden"), role
    sue = Sender(city, "supervisor", "sue")
    assert sue("shelve", ev.id, until=now + HOUR_MS).reason == "reason_required"
    assert sue("shelve", ev.id, note="   ", until=now + HOUR_MS).reason == "reason_required"
    too_long = sue("shelve", ev.id, note="x", until=now + 8 * HOUR_MS + 1)
    assert too_long.reason == "shelve_too_long" and "at most 8 h 00 min" in too_long.detail
    assert sue("shelve", ev.id, note="x", until=now - 1).reason == "bad_until"
    assert city.state.events[ev.id].shelved_until == 0  # every refusal changed nothing

    assert sue("shelve", ev.id, **ok).result == AckResult.ACCEPTED
    shelved = city.state.events[ev.id]
    assert (shelved.shelved_until, shelved.shelved_by, shelved.shelve_reason) == (
        now + HOUR_MS,
        "sue",
        "gauge being cleaned",
    )
    assert Sender(city, "operator", "ann")("unshelve", ev.id).reason == "forbidden"
    assert sue("unshelve", ev.id).result == AckResult.ACCEPTED
    assert city.state.events[ev.id].shelved_until == 0
    assert sue("unshelve", ev.id).reason == "not_shelved"


def test_an_expired_shelf_is_published_again_and_the_alarm_reannunciates() -> None:
    clock = Clock()
    city = make(clock)
    city.advance(200)
    ev = alarm_of(city, "jiangbei-water_level-001")
    sue = Sender(city, "supervisor", "sue")
    assert (
        sue("shelve", ev.id, note="known, crew on site", until=clock.t + 10 * MINUTE_MS).result == "accepted"
    )
    seq = city.hub.logs[Stream.EVENTS].seq
    clock.t += 10 * MINUTE_MS - 1
    city.advance(0.2)
    assert city.state.events[ev.id].shelved_until > 0  # not yet
    clock.t += 1
    city.advance(0.2)
    back = city.state.events[ev.id]
    assert back.shelved_until == 0 and back.shelved_by == "" and back.seq > seq
    assert back.state == EventState.NEW  # unacknowledged, as it was: shown again, flashing


def test_a_one_shot_shelf_ends_when_the_alarm_clears() -> None:
    city = make()
    city.advance(200)
    ev = alarm_of(city, "jiangbei-water_level-001")
    sue = Sender(city, "supervisor", "sue")
    assert sue("shelve", ev.id, note="storm, known").result == AckResult.ACCEPTED  # until 0: one-shot
    assert city.state.events[ev.id].shelved_until == ONE_SHOT
    city.advance(100)  # the storm passes and the gauge returns to normal
    cleared = city.state.events[ev.id]
    assert not cleared.active and cleared.shelved_until == 0 and cleared.state == EventState.NEW
    refused = sue("shelve", ev.id, note="again")
    assert refused.reason == "not_active"


def test_an_alarm_that_fires_while_shelved_stays_shelved_and_unacknowledged() -> None:
    clock = Clock()
    city = make(clock)
    name = "nanan-water_level-001"  # quiet in the demo: the test drives it
    force_reading(city, name, 4.0)
    ev = alarm_of(city, name)
    sue = Sender(city, "supervisor", "sue")
    assert sue("acknowledge", ev.id).result == AckResult.ACCEPTED
    assert sue("shelve", ev.id, note="calibration", until=clock.t + HOUR_MS).result == AckResult.ACCEPTED
    force_reading(city, name, 2.0)
    force_reading(city, name, 4.0)
    fired = city.state.events[ev.id]
    assert (
        fired.occurrence == 2 and fired.state == EventState.NEW and fired.shelved_until == clock.t + HOUR_MS
    )


def test_out_of_service_and_suppressed_alarms_are_flagged_and_still_published() -> None:
    city = make()
    city.advance(200)  # storm: both rain gauges over their limit; the underpass is flooded
    oos = alarm_of(city, "yuzhong-rain_gauge-001")
    assert oos.out_of_service == OUT_OF_SERVICE["yuzhong-rain_gauge-001"] and oos.state == EventState.NEW
    sup = alarm_of(city, FLOODED_STATION[0])
    assert "flooded out" in sup.suppressed and sup.state == EventState.NEW
    city.advance(100)  # the storm eases below the flooded phase: suppression is lifted
    assert city.state.events[sup.id].suppressed == ""
    city.set_out_of_service("yuzhong-rain_gauge-001", "")
    assert city.state.events[oos.id].out_of_service == ""
    assert "yuzhong-rain_gauge-001" not in city.out_of_service


# --------------------------------------------------------------------------------------------------
# End to end over loopback websockets


class Console:
    """One cockpit: a feed with its own identity, a model, and the acks it got."""

    def __init__(self, url: str, operator: str, role: str) -> None:
        self.model = Situation()
        self.acks: dict[str, CommandAck] = {}
        identity = Identity(f"cockpit-{operator}", operator, role)
        self.feed = FeedClient([url], identity, self._sink, backoff=Backoff(base_s=0.05, cap_s=0.3))

    def _sink(self, events: list[FeedEvent]) -> None:
        self.model.apply(events)
        for ev in events:
            if isinstance(ev, CommandAcked):
                self.acks[ev.ack.id] = ev.ack

    async def send(self, kind: str, event_id: str, **kw: object) -> CommandAck:
        cmd = Command(id=uuid7(int(time.time() * 1000)), kind=kind, event_id=event_id, **kw)  # type: ignore[arg-type]
        self.feed.send_command(cmd)
        await wait_until(lambda: cmd.id in self.acks, what=f"the ack of {kind}")
        return self.acks[cmd.id]

    async def sees(self, cond: Callable[[], bool], what: str) -> None:
        await wait_until(cond, what=what)


def test_alarm_commands_over_real_websockets() -> None:
    async def body() -> None:
        offset = [0]
        hub = Hub(clock=lambda: time.time_ns() // 1_000_000 + offset[0])
        city = City(hub, seed=5, rate=600, event_rate=0, sensors_per_kind=4)
        city.time_origin_ms = hub.now_ms() - 200_000
        city.advance(200)  # the storm is on
        backend = DemoBackend(city, heartbeat_ms=300)
        backend.running = False  # the test moves the city, so nothing changes under it
        await backend.start()
        consoles = {
            name: Console(backend.url, name, role)
            for name, role in (("vic", "viewer"), ("ann", "operator"), ("sue", "supervisor"))
        }
        try:
            for c in consoles.values():
                c.feed.start()
            vic, ann, sue = consoles["vic"], consoles["ann"], consoles["sue"]
            for c in consoles.values():
                await wait_until(lambda c=c: c.feed.state is ConnectionState.LIVE, what="live")  # type: ignore[misc]
            eid = alarm_of(city, "jiangbei-water_level-001").id
            await ann.sees(lambda: eid in ann.model.events, "the alarm on ann's wall")

            # Nobody but a supervisor shelves, and a supervisor only with a reason.
            until = hub.now_ms() + 2 * MINUTE_MS
            for c in (vic, ann):
                ack = await c.send("shelve", eid, note="noise", until=until)
                assert (ack.result, ack.reason) == (AckResult.REJECTED, "forbidden")
            assert (await sue.send("shelve", eid, until=until)).reason == "reason_required"
            ack = await sue.send("shelve", eid, note="crew on site", until=until)
            assert ack.result == AckResult.ACCEPTED
            await ann.sees(lambda: ann.model.events[eid].shelved_by == "sue", "the shelf on ann's wall")
            now = hub.now_ms()
            assert display_state(ann.model.events[eid], now) is AlarmDisplayState.SHELVED

            # The shelf's time passes: the backend publishes the alarm again, unshelved.
            offset[0] += 2 * MINUTE_MS + 1
            city.advance(0.2)
            await ann.sees(lambda: ann.model.events[eid].shelved_until == 0, "the alarm back on ann's wall")
            assert display_state(ann.model.events[eid], hub.now_ms()) is AlarmDisplayState.UNACKED_ACTIVE

            # The alarm re-fires before ann's acknowledgement of what she saw arrives.
            seen = ann.model.events[eid].occurrence
            force_reading(city, "jiangbei-water_level-001", 2.0)
            force_reading(city, "jiangbei-water_level-001", 4.0)
            ack = await ann.send("acknowledge", eid, occurrence=seen)
            assert (ack.result, ack.reason) == (AckResult.REJECTED, "refired")
            assert f"occurrence {seen + 1} is current" in ack.detail
            await ann.sees(lambda: ann.model.events[eid].occurrence == seen + 1, "the new occurrence")
            assert (await ann.send("acknowledge", eid, occurrence=seen + 1)).result == AckResult.ACCEPTED
            await sue.sees(lambda: sue.model.events[eid].acked_by == "ann", "ann's acknowledgement")
            assert sue.model.events[eid].state is EventState.ACKNOWLEDGED
        finally:
            for c in consoles.values():
                await c.feed.stop()
            await backend.stop()

    asyncio.run(body())
