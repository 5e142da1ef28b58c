"""Each drill inject changes the simulated city the way the trainer means it to."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cockpit.backend import injects
from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.protocol.messages import (
    Command,
    CommandKind,
    DispatchState,
    EventState,
    SensorBatch,
    Stream,
)


def make_city(seed: int = 4) -> City:
    city = City(Hub(), seed=seed, rate=200, sensors_per_kind=3, event_rate=0)
    city.time_origin_ms = 1_000_000
    return city


def row(city: City, name: str) -> int:
    return next(i for i, s in enumerate(city.sensors) if s.name == name)


def published_values(city: City, since: int, sensor_id: int) -> list[float]:
    """Every value published for ``sensor_id`` after sensors-log seq ``since``."""
    out: list[float] = []
    for entry in city.hub.logs[Stream.SENSORS].since(since):
        m = entry.message
        if isinstance(m, SensorBatch):
            ids = np.frombuffer(m.ids, dtype="<u4")
            vals = np.frombuffer(m.values, dtype="<f4")
            out += [float(v) for v in vals[ids == sensor_id]]
    return out


def test_a_new_event_appears_new_at_its_sensor_and_waits_for_the_officers() -> None:
    city = make_city()
    city.advance(5)
    ev = injects.inject_event(
        city,
        type="vehicle_trapped",
        theme="flood",
        district="jiangbei",
        severity=1,
        title="Car trapped in the underpass",
        near="jiangbei-water_level-001",
    )
    gauge = city.sensors[row(city, "jiangbei-water_level-001")]
    assert city.state.events[ev.id].state == EventState.NEW
    assert (ev.lon, ev.lat, ev.source) == (gauge.lon, gauge.lat, gauge.name)
    assert ev.recommended and all(u.startswith("jiangbei-") for u in ev.recommended[:1])
    published = [e.message for e in city.hub.logs[Stream.EVENTS].since(0)]
    assert any(getattr(m, "id", "") == ev.id for m in published)
    city.advance(900)  # the street centres never take an injected event off the officers' hands
    assert city.state.events[ev.id].state == EventState.NEW
    with pytest.raises(injects.InjectError, match="no district"):
        injects.inject_event(city, type="x", theme="flood", district="atlantis", severity=2, title="x")
    with pytest.raises(injects.InjectError, match="no sensor"):
        injects.inject_event(
            city, type="x", theme="flood", district="jiangbei", severity=2, title="x", near="nope"
        )


def test_a_stale_sensor_stops_reporting_while_the_others_go_on_and_recovers_when_repaired() -> None:
    city = make_city()
    city.advance(3)
    name = "jiangbei-water_level-002"
    r = row(city, name)
    sid = int(city.sensor_ids[r])
    other = row(city, "jiangbei-water_level-001")
    injects.fail_sensor(city, name)
    ts_failed, other_ts = int(city.value_ts[r]), int(city.value_ts[other])
    seq = city.hub.logs[Stream.SENSORS].seq
    city.hub._clock = lambda: other_ts + 60_000  # every later sample carries a later time stamp
    city.advance(5)
    assert published_values(city, seq, sid) == []
    assert int(city.value_ts[r]) == ts_failed  # its last value only ages: the wall shows it stale
    assert int(city.value_ts[other]) > other_ts
    injects.repair_sensor(city, name)
    seq = city.hub.logs[Stream.SENSORS].seq
    city.advance(2)
    assert published_values(city, seq, sid)


def test_a_faulty_pressure_gauge_reads_zero_and_raises_a_false_burst_alarm() -> None:
    city = make_city()
    city.advance(3)
    name = "nanan-pipe_pressure-002"
    sid = int(city.sensor_ids[row(city, name)])
    seq = city.hub.logs[Stream.SENSORS].seq
    injects.fail_sensor(city, name, fault=0.0)
    city.advance(3)
    values = published_values(city, seq, sid)
    assert values and set(values) == {0.0}
    alarms = [e for e in city.state.events.values() if e.source == name]
    assert len(alarms) == 1 and alarms[0].type == "pipe_burst" and alarms[0].severity == 1


def test_heavy_rain_floods_the_underpass_outside_the_scenarios_storm_and_wind_sets_the_indicators() -> None:
    city = make_city()
    city.advance(400)  # the scenario's storm is over (docs/demo.md): dry
    assert city.scenario(city.now)["storm"] == 0.0
    level = row(city, "jiangbei-water_level-001")
    assert city.values[level] < 3.0
    injects.change_weather(city, rain=1.2, wind=18.0)
    assert city.scenario(city.now)["storm"] == 1.2
    city.advance(6)
    assert city.values[level] >= 3.5
    raised = [e for e in city.state.events.values() if e.source == "jiangbei-water_level-001"]
    assert raised and raised[-1].type == "waterlogging"
    assert "inundation-underpass" in city.state.overlays
    winds = [i for i, s in enumerate(city.sensors) if s.kind == "wind_speed"]
    assert all(abs(float(city.values[i]) - 18.0) < 3 for i in winds)
    injects.change_weather(city, rain=0.0)  # wind stays as set; rain stops
    city.advance(10)
    assert city.values[level] < 3.0 and city.weather["wind_speed"] == 18.0


def dispatch(city: City, event_id: str, unit_id: str, cid: str) -> None:
    ack = city.handle_command(
        Command(id=cid, kind=CommandKind.DISPATCH, event_id=event_id, unit_id=unit_id), "operator"
    )
    assert ack.result == "accepted", ack


def test_a_silent_unit_is_sent_the_job_but_never_acknowledges_until_called_off() -> None:
    city = make_city()
    city.advance(2)
    ev = injects.inject_event(city, type="t", theme="flood", district="jiangbei", severity=2, title="a")
    ev2 = injects.inject_event(city, type="t", theme="flood", district="jiangbei", severity=2, title="b")
    injects.silence_unit(city, "jiangbei-drainage_crew-1")
    dispatch(city, ev.id, "jiangbei-drainage_crew-1", "c-silent")
    dispatch(city, ev2.id, "jiangbei-drainage_crew-2", "c-normal")
    city.advance(120)
    assert city.state.dispatches["c-silent"].state == DispatchState.DISPATCHED
    assert city.state.units["jiangbei-drainage_crew-1"].status == "dispatched"
    assert city.state.dispatches["c-normal"].state == DispatchState.COMPLETED
    # The officer notices and calls it off; the event waits for another unit.
    ack = city.handle_command(Command(id="c-cancel", kind=CommandKind.CANCEL, ref="c-silent"), "operator")
    assert ack.result == "accepted"
    assert city.state.dispatches["c-silent"].state == DispatchState.CANCELLED
    assert city.state.events[ev.id].state == EventState.ACKNOWLEDGED
    with pytest.raises(injects.InjectError, match="no unit"):
        injects.silence_unit(city, "jiangbei-submarine-9")


def test_a_revived_unit_carries_on_with_its_stalled_job() -> None:
    city = make_city()
    ev = injects.inject_event(city, type="t", theme="water", district="nanan", severity=2, title="a")
    injects.silence_unit(city, "nanan-water_repair-1")
    dispatch(city, ev.id, "nanan-water_repair-1", "c1")
    city.advance(30)
    assert city.state.dispatches["c1"].state == DispatchState.DISPATCHED
    injects.revive_unit(city, "nanan-water_repair-1")
    city.advance(1)
    assert city.state.dispatches["c1"].state != DispatchState.DISPATCHED
    assert not math.isnan(float(city.values[0]))
