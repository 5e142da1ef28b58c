"""The demo backend's plots (protocol §5.10, §7.10): kept per event, published once per accepted change,
refused by role, geometry, version and event."""

from __future__ import annotations

import msgspec

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.protocol.messages import (
    AckResult,
    Command,
    CommandKind,
    Filter,
    Geometry,
    Plot,
    PlotBody,
    Stream,
)

LINE = [[106.44, 29.55], [106.445, 29.553], [106.45, 29.552]]


def fire_city() -> City:
    city = City(Hub(epoch="e1"), seed=1, rate=100, sensors_per_kind=2)
    city.advance(180.0)
    return city


def fire_event(city: City) -> str:
    return next(e.id for e in city.state.events.values() if e.type == "fire")


def body(event_id: str, coords: list[list[float]] = LINE, pid: str = "plot-1") -> PlotBody:
    return PlotBody(
        id=pid, kind="fire_line", geometry=Geometry(type="LineString", coordinates=coords), event_id=event_id
    )


def published(city: City) -> list[Plot]:
    return [e.message for e in city.hub.logs[Stream.PLOTS].since(0) if isinstance(e.message, Plot)]


def test_a_plot_is_drawn_edited_and_deleted_once_each_and_kept_per_event() -> None:
    city = fire_city()
    ev = fire_event(city)
    ack = city.handle_command(
        Command(id="c1", kind=CommandKind.PLOT_CREATE, plot=body(ev)), "operator", "li.wei"
    )
    assert ack.result == AckResult.ACCEPTED
    again = city.handle_command(
        Command(id="c1", kind=CommandKind.PLOT_CREATE, plot=body(ev)), "operator", "li.wei"
    )
    assert again.result == AckResult.DUPLICATE and again.original == AckResult.ACCEPTED
    [plot] = published(city)
    assert (plot.version, plot.author, plot.district, plot.theme, plot.event_id) == (
        1,
        "li.wei",
        "shapingba",
        "fire",
        ev,
    )
    moved = [[106.439, 29.55], *LINE[1:]]
    edit = Command(id="c2", kind=CommandKind.PLOT_EDIT, plot=body(ev, moved), base=1)
    assert city.handle_command(edit, "operator", "zhang.min").result == AckResult.ACCEPTED
    stale = Command(id="c3", kind=CommandKind.PLOT_EDIT, plot=body(ev), base=1)
    refused = city.handle_command(stale, "operator", "li.wei")
    assert (refused.result, refused.reason) == (AckResult.REJECTED, "plot_conflict")
    assert "zhang.min changed it to version 2" in refused.detail
    assert [p.id for p in city.plots.of_event(ev)] == ["plot-1"]
    assert city.plots.of_event("E01-000001") == []
    gone = city.handle_command(
        Command(id="c4", kind=CommandKind.PLOT_DELETE, ref="plot-1", base=2), "operator", "a"
    )
    assert gone.result == AckResult.ACCEPTED
    versions = [(p.version, p.active) for p in published(city)]
    assert versions == [(1, True), (2, True), (3, False)], (
        "one message per accepted change, none for a refusal"
    )
    assert city.snapshot(Stream.PLOTS, Filter()) == []


def test_refusals_role_geometry_event_and_closed_events() -> None:
    city = fire_city()
    ev = fire_event(city)
    viewer = city.handle_command(
        Command(id="v", kind=CommandKind.PLOT_CREATE, plot=body(ev)), "viewer", "guest"
    )
    assert (viewer.reason, viewer.detail.startswith("a viewer may not change anything")) == (
        "forbidden",
        True,
    )
    crossing = [[106.44, 29.55], [106.45, 29.56], [106.45, 29.55], [106.44, 29.56], [106.44, 29.55]]
    zone = PlotBody(
        id="z", kind="fire_zone", geometry=Geometry(type="Polygon", coordinates=[crossing]), event_id=ev
    )
    bad = city.handle_command(Command(id="g", kind=CommandKind.PLOT_CREATE, plot=zone), "operator", "a")
    assert bad.reason == "bad_geometry" and "crosses itself" in bad.detail
    nowhere = city.handle_command(
        Command(id="n", kind=CommandKind.PLOT_CREATE, plot=body("E99")), "operator", "a"
    )
    assert nowhere.reason == "unknown_event"
    city.state.events[ev] = msgspec.structs.replace(city.state.events[ev], state="closed")
    closed = city.handle_command(
        Command(id="k", kind=CommandKind.PLOT_CREATE, plot=body(ev)), "operator", "a"
    )
    assert closed.reason == "event_closed"
    assert published(city) == []


def test_plot_commands_act_in_their_events_district_and_snapshots_filter_by_it() -> None:
    city = fire_city()
    ev = fire_event(city)
    backend = DemoBackend(city)
    create = Command(id="c1", kind=CommandKind.PLOT_CREATE, plot=body(ev))
    assert backend.district_of(create) == "shapingba"
    city.handle_command(create, "operator", "a")
    assert (
        backend.district_of(Command(id="c2", kind=CommandKind.PLOT_DELETE, ref="plot-1", base=1))
        == "shapingba"
    )
    assert [p.id for p in city.snapshot(Stream.PLOTS, Filter(districts=["shapingba"]))] == ["plot-1"]
    assert city.snapshot(Stream.PLOTS, Filter(districts=["jiangbei"])) == []
    assert city.snapshot(Stream.PLOTS, Filter(themes=["flood"])) == []
    assert "commands.plots" in backend.config.capabilities
    assert Stream.PLOTS in backend.epochs()
