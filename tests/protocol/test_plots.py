"""The plot rules (protocol §5.10, §7.10): what a plot may be, and the versioning that makes concurrent
edits converge. Synchronous, no sockets."""

from __future__ import annotations

import math

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.protocol.messages import Command, CommandKind, Geometry, Plot, PlotBody, PlotKind, PlotStyle
from cockpit.protocol.plots import (
    GEOMETRY_OF_KIND,
    MAX_VERTICES,
    PLOT_CONFLICT,
    PLOT_DELETED,
    PLOT_EXISTS,
    PlotRegister,
    Refusal,
    check_body,
    check_geometry,
    check_plot,
)
from cockpit.protocol.server import check_command

SQUARE = [[106.45, 29.54], [106.46, 29.54], [106.46, 29.55], [106.45, 29.55], [106.45, 29.54]]
BOWTIE = [[106.45, 29.54], [106.46, 29.55], [106.46, 29.54], [106.45, 29.55], [106.45, 29.54]]


def zone(coords: list[list[float]] | None = None, pid: str = "p1") -> PlotBody:
    return PlotBody(
        id=pid,
        kind="fire_zone",
        geometry=Geometry(type="Polygon", coordinates=[coords or SQUARE]),
        event_id="E1",
    )


def test_every_kind_has_one_geometry_type() -> None:
    assert set(GEOMETRY_OF_KIND) == set(PlotKind)
    assert check_geometry("fire_zone", Geometry(type="Polygon", coordinates=[SQUARE])) is None
    assert check_geometry("fire_line", Geometry(type="LineString", coordinates=SQUARE[:3])) is None
    assert check_geometry("command_post", Geometry(type="Point", coordinates=[106.45, 29.54])) is None
    wrong = check_geometry("fire_zone", Geometry(type="LineString", coordinates=SQUARE))
    assert wrong is not None and wrong.code == "wrong_geometry" and "Polygon" in wrong.detail


def test_a_self_crossing_outline_is_refused_with_where_it_crosses() -> None:
    problem = check_geometry("fire_zone", Geometry(type="Polygon", coordinates=[BOWTIE]))
    assert problem is not None
    assert problem.code == "self_crossing" and problem.reason == "bad_geometry"
    assert problem.at is not None
    assert math.isclose(problem.at[0], 106.455, abs_tol=1e-6) and math.isclose(
        problem.at[1], 29.545, abs_tol=1e-6
    )
    assert "crosses itself near 106.45500, 29.54500" in problem.detail


def test_out_of_range_positions_are_refused_naming_the_position() -> None:
    line = Geometry(type="LineString", coordinates=[[106.45, 29.54], [106.46, 95.0]])
    problem = check_geometry("fire_line", line)
    assert problem is not None and problem.code == "out_of_range"
    assert problem.count == 2 and "(106.46, 95)" in problem.detail
    for bad in ([float("nan"), 29.5], [True, 29.5], ["106", 29.5], [106.4]):
        p = check_geometry("fire_line", Geometry(type="LineString", coordinates=[[106.45, 29.54], bad]))
        assert p is not None and p.code == "not_a_position", bad


def test_a_million_vertices_are_counted_not_checked() -> None:
    ring = [[0, 0]] * 1_000_000
    problem = check_geometry("fire_zone", Geometry(type="Polygon", coordinates=[ring]))
    assert problem is not None and problem.code == "too_many_vertices"
    assert problem.count == 1_000_000 and problem.detail == "1,000,000 positions; a plot has at most 5,000"
    just = [[106.0 + i * 1e-5, 29.5] for i in range(MAX_VERTICES)]
    assert check_geometry("fire_line", Geometry(type="LineString", coordinates=just)) is None


def test_polygons_must_be_closed_and_lines_need_two_positions() -> None:
    open_ring = check_geometry("fire_zone", Geometry(type="Polygon", coordinates=[SQUARE[:-1]]))
    assert open_ring is not None and open_ring.code == "not_closed"
    dot = check_geometry("fire_line", Geometry(type="LineString", coordinates=[[106.4, 29.5], [106.4, 29.5]]))
    assert dot is not None and dot.code == "too_few_vertices"
    nested = check_geometry("fire_zone", Geometry(type="Polygon", coordinates=SQUARE))
    assert nested is not None and nested.code == "not_a_position"


def test_label_style_and_text_rules() -> None:
    text = PlotBody(
        id="t", kind="text", geometry=Geometry(type="Point", coordinates=[106.4, 29.5]), event_id="E1"
    )
    assert check_body(text) is not None and check_body(text).code == "label_required"  # type: ignore[union-attr]
    assert check_body(msgspec.structs.replace(text, label="Crews stage here")) is None
    long = msgspec.structs.replace(text, label="x" * 201)
    assert check_body(long).code == "label_too_long"  # type: ignore[union-attr]
    red = msgspec.structs.replace(text, label="a", style=PlotStyle(colour="red"))
    assert check_body(red).code == "bad_colour"  # type: ignore[union-attr]
    big = msgspec.structs.replace(text, label="a", style=PlotStyle(scale=9))
    assert check_body(big).code == "bad_scale"  # type: ignore[union-attr]


def test_the_server_core_refuses_a_viewer_and_a_bad_geometry_in_that_order() -> None:
    bad = Command(id="c1", kind=CommandKind.PLOT_CREATE, plot=zone(BOWTIE))
    assert check_command(bad, "viewer", "e")[0] == "forbidden"  # type: ignore[index]
    reason, detail = check_command(bad, "operator", "e")  # type: ignore[misc]
    assert reason == "bad_geometry" and "crosses itself" in detail
    assert check_command(Command(id="c2", kind=CommandKind.PLOT_CREATE, plot=zone()), "operator", "e") is None
    no_event = Command(
        id="c3", kind=CommandKind.PLOT_CREATE, plot=msgspec.structs.replace(zone(), event_id="")
    )
    assert check_command(no_event, "operator", "e") == (
        "bad_plot",
        "a new plot belongs to an event: event_id",
    )
    assert check_plot(Command(id="c4", kind=CommandKind.PLOT_DELETE)) is not None
    assert check_plot(Command(id="c5", kind=CommandKind.PLOT_DELETE, ref="p1", base=1)) is None


def _made(result: Plot | Refusal) -> Plot:
    assert isinstance(result, Plot), result
    return result


def test_versions_decide_between_concurrent_edits() -> None:
    reg = PlotRegister()
    p1 = _made(reg.create(zone(), "li.wei", 1000, "shapingba", "fire"))
    assert (p1.version, p1.author, p1.district, p1.theme) == (1, "li.wei", "shapingba", "fire")
    assert isinstance(reg.create(zone(), "zhang.min", 1001, "shapingba", "fire"), Refusal)
    moved = [[106.44, 29.54], *SQUARE[1:-1], [106.44, 29.54]]
    # Two centres edit version 1 at once: the first to arrive wins, the second is refused, not lost.
    first = _made(reg.edit(zone(moved), 1, "zhang.min", 1002))
    assert first.version == 2 and first.updated_by == "zhang.min" and first.created == 1000
    second = reg.edit(zone(SQUARE), 1, "li.wei", 1003)
    assert isinstance(second, Refusal) and second.reason == PLOT_CONFLICT
    assert "zhang.min changed it to version 2; this change was made on version 1" in second.detail
    assert reg.plots["p1"].geometry.coordinates == [moved]
    # Re-applied on the new version, it goes in.
    assert _made(reg.edit(zone(SQUARE), 2, "li.wei", 1004)).version == 3


def test_delete_then_late_edit_then_restore() -> None:
    reg = PlotRegister()
    _made(reg.create(zone(), "a", 1, "d", "t"))
    gone = _made(reg.delete("p1", 1, "b", "jiangbei", 2))
    assert not gone.active and gone.version == 2 and reg.active() == []
    late = reg.edit(zone(), 1, "a", 3)
    assert (
        isinstance(late, Refusal) and late.reason == PLOT_DELETED and "deleted it at version 2" in late.detail
    )
    again = reg.delete("p1", 2, "a", "", 4)
    assert isinstance(again, Refusal) and again.reason == PLOT_DELETED
    back = _made(reg.edit(zone(), 2, "a", 5))  # an undo of the delete, made on the deleted version
    assert back.active and back.version == 3 and reg.of_event("E1") == [back]
    assert isinstance(reg.create(zone(), "a", 6, "d", "t"), Refusal)
    assert reg.create(zone(), "a", 6, "d", "t").reason == PLOT_EXISTS  # type: ignore[union-attr]


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=3),
                    lambda c: st.lists(c, max_size=6), max_leaves=40),
       st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", ""]),
       st.sampled_from([k.value for k in PlotKind] + ["nonsense"]))  # fmt: skip
def test_any_geometry_gets_an_answer_and_never_an_exception(coords: object, gtype: str, kind: str) -> None:
    problem = check_geometry(kind, Geometry(type=gtype, coordinates=coords))
    assert problem is None or (problem.code and problem.detail)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans()), max_size=30))
def test_any_interleaving_of_two_editors_ends_in_one_state_with_every_refusal_told(
    script: list[tuple[int, int, bool]],
) -> None:
    """Whatever order edits arrive in, every accepted one moved the version by one, every refused one
    was told why, and two replicas applying the same order agree (the walls follow the server)."""
    reg = PlotRegister()
    _made(reg.create(zone(), "a", 0, "d", "t"))
    seen = {"a": 1, "b": 1}
    accepted = refused = 0
    for step, (dx, who_i, delete) in enumerate(script):
        who = "ab"[who_i % 2]
        ring = [[106.45 + dx * 1e-3, 29.54], *SQUARE[1:-1], [106.45 + dx * 1e-3, 29.54]]
        result = (
            reg.delete("p1", seen[who], who, "", step)
            if delete
            else reg.edit(zone(ring), seen[who], who, step)
        )
        if isinstance(result, Refusal):
            refused += 1
            assert result.reason in (PLOT_CONFLICT, PLOT_DELETED) and result.detail
            seen[who] = reg.plots["p1"].version  # the officer looks again (the draft shows the new state)
        else:
            accepted += 1
            seen[who] = result.version
    assert reg.plots["p1"].version == 1 + accepted
    assert accepted + refused == len(script)
