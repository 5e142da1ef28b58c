"""The simulated city: deterministic, events from thresholds, idempotent commands."""

from __future__ import annotations

from cockpit.backend.city import BACKGROUND_EVENTS, City
from cockpit.backend.streams import Hub
from cockpit.protocol.messages import (
    AckResult,
    Command,
    DispatchState,
    EventState,
    Filter,
    Stream,
    UnitStatus,
)
from tests.helpers import city_digest


def make(seed: int = 3) -> City:
    return City(Hub(epoch="e", clock=lambda: 1), seed=seed, rate=400, event_rate=30)


def test_same_seed_same_city() -> None:
    a, b = make(), make()
    a.advance(300)
    b.advance(300)
    assert city_digest(a) == city_digest(b)
    c = make(seed=4)
    c.advance(300)
    assert city_digest(c) != city_digest(a)


def test_scenarios_raise_threshold_events_with_recommendations() -> None:
    city = make()
    city.advance(240)
    types = {e.type for e in city.state.events.values()}
    assert {"waterlogging", "rainstorm", "fire"} <= types
    fire = next(e for e in city.state.events.values() if e.type == "fire")
    assert fire.severity == 1 and fire.recommended and fire.source.startswith("shapingba-fire_terminal")
    assert all(city.state.units[u].kind in ("fire_engine", "forest_crew") for u in fire.recommended)


def test_dispatch_moves_the_unit_through_its_states_and_duplicates_have_no_effect() -> None:
    city = make()
    city.advance(240)
    ev = next(e for e in city.state.events.values() if e.recommended and e.state == EventState.NEW)
    cmd = Command(id="c-1", kind="dispatch", event_id=ev.id, unit_id=ev.recommended[0])
    assert city.handle_command(cmd, "operator").result == AckResult.ACCEPTED
    again = city.handle_command(cmd, "operator")
    assert again.result == AckResult.DUPLICATE and again.original == AckResult.ACCEPTED
    seen = []
    for _ in range(60):
        city.advance(1)
        seen.append(city.state.dispatches["c-1"].state)
    steps = [s for i, s in enumerate(seen) if (i == 0 or seen[i - 1] != s) and s != DispatchState.ACCEPTED]
    assert steps == [
        DispatchState.DISPATCHED,
        DispatchState.ACKNOWLEDGED,
        DispatchState.EN_ROUTE,
        DispatchState.ON_SCENE,
        DispatchState.COMPLETED,
    ]
    assert city.state.units[ev.recommended[0]].status == UnitStatus.AVAILABLE
    assert city.state.events[ev.id].state == EventState.RESOLVED


def test_commands_are_checked() -> None:
    city = make()
    city.advance(240)
    # An event whose first recommended unit is free (the later scenarios dispatch units themselves).
    ev = next(
        e
        for e in city.state.events.values()
        if e.recommended and city.state.units[e.recommended[0]].status == UnitStatus.AVAILABLE
    )

    def reason(cmd: Command, role: str = "operator") -> str:
        return city.handle_command(cmd, role).reason

    assert (
        reason(Command(id="1", kind="dispatch", event_id=ev.id, unit_id=ev.recommended[0]), "viewer")
        == "forbidden"
    )
    assert reason(Command(id="2", kind="dispatch", event_id="nope", unit_id="x")) == "unknown_event"
    assert reason(Command(id="3", kind="dispatch", event_id=ev.id, unit_id="nope")) == "unknown_unit"
    assert reason(Command(id="4", kind="dispatch", event_id=ev.id, unit_id=ev.recommended[0])) == ""
    assert reason(Command(id="5", kind="dispatch", event_id=ev.id, unit_id=ev.recommended[0])) == "unit_busy"
    assert reason(Command(id="6", kind="close", event_id=ev.id)) == "dispatch_open"
    assert reason(Command(id="7", kind="cancel", ref="4")) == ""
    assert city.state.dispatches["4"].state == DispatchState.CANCELLED
    assert reason(Command(id="8", kind="close", event_id=ev.id)) == ""
    assert reason(Command(id="9", kind="acknowledge", event_id=ev.id)) == "event_closed"
    assert reason(Command(id="10", kind="teleport", event_id="x")) == "unknown_kind"


def test_a_command_from_another_epoch_is_rejected() -> None:
    city = make()
    city.advance(240)
    ev = next(e for e in city.state.events.values() if e.recommended)
    cmd = Command(id="x", kind="dispatch", event_id=ev.id, unit_id=ev.recommended[0], epoch="old")
    ack = city.handle_command(cmd, "operator")
    assert ack.result == AckResult.REJECTED and ack.reason == "stale_epoch"
    assert "x" not in city.state.dispatches


def test_returned_to_normal_alarm_stays_new_until_acknowledged() -> None:
    city = make()
    city.advance(200)  # the fire terminal alarm has been raised by now
    fire = next(e for e in city.state.events.values() if e.type == "fire")
    city.advance(120)  # fire window over: the terminal is back to normal
    fire = city.state.events[fire.id]
    assert fire.state == EventState.NEW and fire.active is False
    assert (
        city.handle_command(Command(id="a", kind="acknowledge", event_id=fire.id), "operator").result
        == "accepted"
    )
    assert city.state.events[fire.id].state == EventState.RESOLVED


def test_street_centres_handle_background_events() -> None:
    city = make()
    city.advance(1200)
    kinds = {b[0] for b in BACKGROUND_EVENTS}
    background = [e for e in city.state.events.values() if e.type in kinds]
    old = [e for e in background if e.time < city.ms(1200 - 500)]
    assert old and all(e.state == EventState.CLOSED for e in old)


def test_the_demo_city_names_its_codes_on_the_catalog_stream_and_its_units_carry_their_names() -> None:
    city = City(Hub(), seed=3)
    sent = [e for m in city.snapshot(Stream.CATALOG, Filter(districts=["nanan"])) for e in m.entries]  # type: ignore[union-attr]
    by = {(e.kind, e.code): e for e in sent}
    assert by[("district", "nanan")].names == {"en": "Nan'an", "zh_CN": "南岸"}
    assert by[("district", "jiangbei")].names["zh_CN"] == "江北"  # names are not filtered (§4.1)
    assert by[("centre", "nanan")].level == "district" and by[("centre", "nanan")].parent == "city"
    assert by[("sensor_kind", "pipe_pressure")].decimals == 2
    assert all({"en", "zh_CN"} <= e.names.keys() for e in sent)
    unit = city.state.units["shapingba-fire_engine-1"]
    assert unit.name == "Fire engine 1 (Shapingba)" and unit.names["zh_CN"] == "沙坪坝消防车 1"


def test_the_demo_risk_layer_is_sent_by_district_in_columns_and_changes_as_inspections_re_rate_it() -> None:
    import numpy as np

    from cockpit.protocol.messages import LayerPoints

    city = City(Hub(), seed=3, risk_points=30_000)
    every = [m for m in city.snapshot(Stream.LAYERS, Filter()) if isinstance(m, LayerPoints)]
    assert sum(len(m.ids) // 4 for m in every) == 30_000 and {m.district for m in every} == {"yuzhong", "jiangbei", "nanan", "shapingba"}
    mine = [m for m in city.snapshot(Stream.LAYERS, Filter(districts=["nanan"])) if isinstance(m, LayerPoints)]
    assert mine and {m.district for m in mine} == {"nanan"} and sum(len(m.ids) for m in mine) < sum(len(m.ids) for m in every)
    m = mine[0]
    n = len(m.ids) // 4
    assert len(m.lon) == len(m.lat) == 8 * n and len(m.level) == n and len(m.kind) == 2 * n
    assert np.frombuffer(m.kind, "<u2").max() < len(m.kinds)  # only the kinds it uses, by index
    lon = np.frombuffer(m.lon, "<f8")
    assert lon.min() > 106.3 and lon.max() < 106.8
    kinds = {e.code for e in city.catalog if e.kind == "risk_kind"}
    assert len(kinds) == 1126 and set(m.kinds) <= kinds  # 1,126 kinds of risk, each named
    before = city.hub.logs[Stream.LAYERS].seq
    city.advance(31.0)
    changed = [e.message for e in city.hub.logs[Stream.LAYERS].since(before)]
    assert changed and all(isinstance(c, LayerPoints) and 0 < len(c.ids) // 4 <= 40 for c in changed)
