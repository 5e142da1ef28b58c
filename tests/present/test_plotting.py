"""The console's drawing panel (Qt-free): drawing, checking before sending, vertex edits, undo and redo,
drafts of refused changes, tracing the fire spread, snapping, refusals by role and backend, export.
Against the demo city's real plot rules (tests/present/plotting_loop.py)."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import jsonschema
import shapely
from shapely.geometry import shape

from cockpit.model.plot_export import to_svg
from cockpit.protocol.commands import CommandStatus, CommandUpdate
from cockpit.protocol.events import SnapshotReceived
from cockpit.protocol.messages import AckResult, CommandKind, Geometry, PlotBody, Stream
from tests.present.plotting_loop import Loop
from widgets.plot_values import PlotLook

TOL = 0.0003  # ~30 m: what 12 px are at the drawing map's zoom

GEOJSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "RFC 7946 FeatureCollection of Point, LineString and Polygon features",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "properties": {"type": ["object", "null"]},
                    "geometry": {
                        "oneOf": [
                            {"type": "object", "required": ["type", "coordinates"],
                             "properties": {"type": {"const": "Point"}, "coordinates": {"$ref": "#/$defs/position"}}},
                            {"type": "object", "required": ["type", "coordinates"],
                             "properties": {"type": {"const": "LineString"},
                                            "coordinates": {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/position"}}}},
                            {"type": "object", "required": ["type", "coordinates"],
                             "properties": {"type": {"const": "Polygon"}, "coordinates": {"type": "array", "items": {
                                 "type": "array", "minItems": 4, "items": {"$ref": "#/$defs/position"}}}}},
                        ]
                    },
                },
            },
        },
    },
    "$defs": {
        "position": {
            "type": "array", "minItems": 2, "maxItems": 3,
            "prefixItems": [{"type": "number", "minimum": -180, "maximum": 180}, {"type": "number", "minimum": -90, "maximum": 90}],
        }
    },
}  # fmt: skip


def corners(loop: Loop, d: float = 0.004) -> list[tuple[float, float]]:
    lon, lat = loop.fire.lon + 0.01, loop.fire.lat + 0.01  # clear of the fire's own marker and overlay
    return [(lon, lat), (lon + d, lat), (lon + d, lat + d), (lon, lat + d)]


def draw_zone(loop: Loop, pts: list[tuple[float, float]]) -> None:
    loop.model.choose("fire_zone")
    for lon, lat in pts:
        assert loop.model.click(lon, lat, 0.0) is None
    ack = loop.send(loop.model.double_click(*pts[-1], 0.0))
    assert ack is not None and ack.result == AckResult.ACCEPTED, ack


def the_plot(loop: Loop, kind: str) -> str:
    [pid] = [p.id for p in loop.situation.plots.values() if p.kind == kind]
    return pid


def test_an_officer_draws_a_zone_and_a_fire_line_and_they_are_on_the_shared_map() -> None:
    loop = Loop()
    pts = corners(loop)
    draw_zone(loop, pts)
    zone = loop.situation.plots[the_plot(loop, "fire_zone")]
    assert zone.vertices == tuple(pts) and zone.version == 1 and zone.author == "li.wei"
    assert zone.event_id == loop.fire.id and zone.centre == "li.wei-centre"
    loop.model.choose("fire_line")
    loop.model.set_label("Fire line 14:05")
    for lon, lat in pts[:3]:
        loop.model.click(lon - 0.01, lat, 0.0)
    assert loop.send(loop.model.finish()).result == AckResult.ACCEPTED  # type: ignore[union-attr]
    line = loop.situation.plots[the_plot(loop, "fire_line")]
    assert line.label == "Fire line 14:05" and len(line.vertices) == 3
    state = loop.state()
    looks = {s.kind: s.look for s in state.shapes}
    assert looks == {"fire_zone": PlotLook.DRAWN, "fire_line": PlotLook.DRAWN}
    assert state.heading.startswith("Drawing for ") and loop.fire.id in state.heading
    assert state.can_undo and not state.can_redo and state.why_not == ""
    assert [p.kind for p in state.palette][:2] == ["fire_line", "fire_zone"] and len(state.palette) == 10


def test_a_self_crossing_zone_is_not_sent_and_the_officer_is_told_where() -> None:
    loop = Loop()
    a, b, c, d = corners(loop)
    loop.model.choose("fire_zone")
    for p in (a, c, b, d):  # a bow tie
        loop.model.click(*p, 0.0)
    assert loop.model.finish() is None
    state = loop.state()
    assert state.notice.startswith("The outline crosses itself near ")
    assert state.can_finish, "the sketch stays to be fixed"
    for _ in range(3):  # Backspace back to the first corner, then the corners in order
        loop.model.back()
    for p in (b, c, d):
        loop.model.click(*p, 0.0)
    assert loop.send(loop.model.finish()).result == AckResult.ACCEPTED  # type: ignore[union-attr]
    assert loop.state().notice == ""
    assert len(loop.situation.plots) == 1


def test_a_million_vertices_are_refused_in_the_officers_words_and_nothing_is_sent() -> None:
    loop = Loop()
    ring = [[106.0 + (i % 1000) * 1e-5, 29.5 + (i // 1000) * 1e-5] for i in range(1_000_000)]
    huge = PlotBody(id="huge", kind="fire_line", geometry=Geometry(type="LineString", coordinates=ring), event_id=loop.fire.id)
    assert loop.model.editor.create(huge) is None
    assert loop.model.editor.notice == "1,000,000 points is too many: a drawing has at most 5,000"
    assert loop.book.records == {}
    off = PlotBody(id="off", kind="command_post", geometry=Geometry(type="Point", coordinates=[200.0, 29.5]), event_id=loop.fire.id)
    assert loop.model.editor.create(off) is None
    assert "off the map" in loop.model.editor.notice


def test_move_a_vertex_undo_and_redo_each_go_through_the_backend_on_the_right_version() -> None:
    loop = Loop()
    pts = corners(loop)
    draw_zone(loop, pts)
    pid = the_plot(loop, "fire_zone")
    loop.model.choose("")  # the select tool
    inside = (pts[0][0] + 0.002, pts[0][1] + 0.002)
    loop.model.click(*inside, TOL)
    state = loop.state()
    assert state.can_delete and [h.index for h in state.handles] == [0, 1, 2, 3]
    loop.model.grab(pid, 2)
    moved = (pts[2][0] + 0.003, pts[2][1] + 0.001)
    loop.model.drag(*moved, 0.0)
    dragging = loop.state()
    assert next(s for s in dragging.shapes if s.id == pid).vertices[2] == moved, "the map follows the drag"
    edit = loop.model.drop(*moved, 0.0)
    assert edit is not None and (edit.kind, edit.base) == (CommandKind.PLOT_EDIT, 1)
    loop.send(edit)
    assert loop.situation.plots[pid].vertices[2] == moved and loop.situation.plots[pid].version == 2
    undo = loop.model.undo()
    assert undo is not None and undo.base == 2
    loop.send(undo)
    assert loop.situation.plots[pid].vertices == tuple(pts) and loop.situation.plots[pid].version == 3
    redo = loop.model.redo()
    assert redo is not None and redo.base == 3
    loop.send(redo)
    assert loop.situation.plots[pid].vertices[2] == moved and loop.situation.plots[pid].version == 4


def test_undo_a_new_drawing_deletes_it_and_redo_restores_the_same_plot() -> None:
    loop = Loop()
    loop.model.choose("command_post")
    loop.send(loop.model.click(loop.fire.lon + 0.01, loop.fire.lat, 0.0))
    pid = the_plot(loop, "command_post")
    loop.send(loop.model.undo())
    assert pid not in loop.situation.plots
    ack = loop.send(loop.model.redo())
    assert ack is not None and ack.result == AckResult.ACCEPTED
    assert loop.situation.plots[pid].version == 3, "the same plot came back (an edit on its deleted version)"


def test_two_centres_edit_at_once_the_second_gets_a_draft_and_can_reapply_it() -> None:
    li = Loop()
    zhang = Loop(li.city, operator="zhang.min")
    pts = corners(li)
    draw_zone(li, pts)
    zhang.frame()
    pid = the_plot(li, "fire_zone")
    for loop in (zhang, li):
        loop.model.choose("")
        loop.model.click(pts[0][0] + 0.002, pts[0][1] + 0.002, TOL)
        loop.model.grab(pid, 0)
    edit_z = zhang.model.drop(pts[0][0] + 0.002, pts[0][1] - 0.001, 0.0)
    edit_l = li.model.drop(pts[0][0] - 0.002, pts[0][1] - 0.001, 0.0)
    assert edit_z is not None and edit_l is not None and edit_z.base == edit_l.base == 1
    assert zhang.send(edit_z).result == AckResult.ACCEPTED  # type: ignore[union-attr]
    refused = li.send(edit_l)
    assert refused is not None and refused.reason == "plot_conflict"
    zhang.frame()
    assert li.situation.plots[pid] == zhang.situation.plots[pid], "both walls show the same drawing"
    state = li.state()
    [draft] = state.drafts
    assert draft.text == (
        "Change of Fire zone — not applied: zhang.min (zhang.min-centre) changed it first (now version 2)"
    )
    ghost = [s for s in state.shapes if s.look is PlotLook.DRAFT]
    assert len(ghost) == 1 and ghost[0].vertices[0] == (pts[0][0] - 0.002, pts[0][1] - 0.001)
    assert li.send(li.model.reapply(draft.id)).result == AckResult.ACCEPTED  # type: ignore[union-attr]
    zhang.frame()
    assert li.situation.plots[pid].vertices[0] == (pts[0][0] - 0.002, pts[0][1] - 0.001)
    assert li.situation.plots[pid] == zhang.situation.plots[pid] and li.situation.plots[pid].version == 3
    assert li.state().drafts == ()


def test_a_change_waiting_in_the_outbox_shows_as_sending_and_the_next_one_chains_on_it() -> None:
    loop = Loop()
    pts = corners(loop)
    draw_zone(loop, pts)
    pid = the_plot(loop, "fire_zone")
    loop.model.choose("")
    loop.model.click(pts[0][0] + 0.001, pts[0][1] + 0.001, TOL)
    loop.model.grab(pid, 1)
    first = loop.model.drop(pts[1][0] + 0.001, pts[1][1], 0.0)
    loop.send(first, answer=False)  # the link is down: queued
    state = loop.state()
    assert [s.look for s in state.shapes if s.id == pid] == [PlotLook.SENDING]
    loop.model.grab(pid, 3)
    second = loop.model.drop(pts[3][0], pts[3][1] + 0.001, 0.0)
    assert second is not None and second.base == 2, "made on the version the first will give"
    loop.send(first)
    loop.send(second)
    assert loop.situation.plots[pid].version == 3
    assert [s.look for s in loop.state().shapes if s.id == pid] == [PlotLook.DRAWN]


def test_a_fire_line_traced_from_the_projected_spread() -> None:
    loop = Loop()
    spread = next(o for o in loop.situation.overlays.values() if o.kind == "fire_spread")
    assert loop.state().can_trace
    command = loop.model.trace()
    assert command is not None and command.plot is not None and command.plot.kind == "fire_line"
    loop.send(command)
    line = loop.situation.plots[command.plot.id]
    ring = shapely.Polygon(spread.coordinates[0])
    assert 4 <= len(line.vertices) <= 25
    assert all(ring.exterior.distance(shapely.Point(v)) < 1e-6 for v in line.vertices), "on the spread's edge"
    assert line.label == "Fire line (traced from the projected spread)"


def test_clicks_snap_to_events_and_to_other_drawings_corners() -> None:
    loop = Loop()
    loop.model.choose("command_post")
    near = (loop.fire.lon + 0.0001, loop.fire.lat - 0.0001)
    loop.send(loop.model.click(*near, TOL))
    post = loop.situation.plots[the_plot(loop, "command_post")]
    assert post.vertices == ((loop.fire.lon, loop.fire.lat),), "snapped onto the fire's position"
    loop.model.choose("evacuation_route")
    loop.model.click(loop.fire.lon + 0.00012, loop.fire.lat, TOL)
    loop.model.click(loop.fire.lon + 0.01, loop.fire.lat + 0.01, 0.0)
    loop.send(loop.model.finish())
    route = loop.situation.plots[the_plot(loop, "evacuation_route")]
    assert route.vertices[0] == (loop.fire.lon, loop.fire.lat)


def test_a_viewer_and_a_backend_without_plots_may_not_draw_and_say_why() -> None:
    viewer = Loop(role="viewer")
    state = viewer.state()
    assert "may not draw on the map" in state.why_not and not state.drawing
    viewer.model.choose("command_post")
    assert viewer.model.click(viewer.fire.lon, viewer.fire.lat, 0.0) is None
    assert all(p.why_not for p in state.palette)
    old = Loop(streams=(Stream.EVENTS, Stream.OVERLAYS))
    assert old.state().why_not == "This backend does not share drawings (it offers no plots stream)"


def test_an_events_plots_export_as_geojson_that_validates_and_reopens_and_as_kml() -> None:
    loop = Loop()
    pts = corners(loop)
    draw_zone(loop, pts)
    loop.model.choose("evacuation_route")
    loop.model.set_label("Route to the school")
    for p in pts[:3]:
        loop.model.click(p[0] - 0.02, p[1], 0.0)
    loop.send(loop.model.finish())
    loop.model.choose("water_source")
    loop.send(loop.model.click(pts[0][0] - 0.03, pts[0][1], 0.0))
    name, text = loop.model.export("geojson")
    assert name == f"plots-{loop.fire.id}.geojson"
    doc = json.loads(text)
    jsonschema.Draft202012Validator(GEOJSON_SCHEMA).validate(doc)
    assert len(doc["features"]) == 3
    for feature in doc["features"]:
        plot = loop.situation.plots[feature["id"]]
        geom = shape(feature["geometry"])
        assert geom.is_valid
        assert geom.equals(shape(plot.geojson())), "reopens with the same geometry"
        assert feature["properties"]["kind"] == plot.kind and feature["properties"]["version"] == plot.version
    broken = json.loads(text)
    broken["features"][0]["geometry"]["coordinates"] = [[[300.0, 29.5]] * 4]
    assert not jsonschema.Draft202012Validator(GEOJSON_SCHEMA).is_valid(broken), "the schema really checks"
    kname, kml = loop.model.export("kml")
    assert kname.endswith(".kml")
    root = ET.fromstring(kml)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = root.findall(".//k:Placemark", ns)
    assert {m.findtext("k:name", namespaces=ns) for m in marks} == {"Fire zone", "Route to the school", "Water source"}
    ring = root.find(".//k:Polygon//k:coordinates", ns)
    assert ring is not None
    coords = [tuple(map(float, c.split(","))) for c in (ring.text or "").split()]
    assert all(math.isclose(a, b, abs_tol=1e-7) for (x, y), (u, v) in zip(coords, [*pts, pts[0]], strict=True) for a, b in ((x, u), (y, v)))
    svg = to_svg(list(loop.situation.plots.values()))
    assert svg.startswith("<svg") and svg.count("<path") >= 3 and "Route to the school" in svg


def test_a_change_unanswered_in_a_stall_is_never_shown_failed_and_shows_as_drawn_once_applied() -> None:
    loop = Loop()
    pts = corners(loop)
    draw_zone(loop, pts)
    pid = the_plot(loop, "fire_zone")
    loop.model.choose("")
    loop.model.click(pts[0][0] + 0.001, pts[0][1] + 0.001, TOL)
    loop.model.grab(pid, 1)
    edit = loop.model.drop(pts[1][0] + 0.001, pts[1][1], 0.0)
    assert edit is not None
    notes = []
    for status in (CommandStatus.SENT, CommandStatus.UNANSWERED, CommandStatus.ABANDONED):
        loop.book.apply([CommandUpdate(edit, status, 3)])
        state = loop.state()
        [shape] = [s for s in state.shapes if s.id == pid]
        assert shape.look is PlotLook.SENDING and state.drafts == (), status
        notes.append(shape.note)
    assert notes == ["sending…", "no answer yet: still sending", "no answer: outcome unknown"]
    # The backend did apply it (its ack was lost in the stall): the plots stream shows version 2.
    ack = loop.city.handle_command(edit, "operator", "li.wei")
    assert ack.result == AckResult.ACCEPTED
    state = loop.state()
    [shape] = [s for s in state.shapes if s.id == pid]
    assert shape.look is PlotLook.DRAWN and shape.vertices[1] == (pts[1][0] + 0.001, pts[1][1])
    assert state.drafts == () and loop.situation.plots[pid].version == 2


def test_a_draft_for_an_event_no_longer_shown_cannot_be_reapplied_and_says_why() -> None:
    loop = Loop()
    loop.model.choose("command_post")
    post = loop.model.click(loop.fire.lon + 0.01, loop.fire.lat, 0.0)
    assert post is not None
    loop.book.apply([CommandUpdate(post, CommandStatus.EXPIRED, 0)])  # the backend restarted
    [row] = loop.state().drafts
    assert row.can_reapply and row.text == "New Command post — not sent: the backend restarted"
    loop.situation.apply([SnapshotReceived(Stream.EVENTS, "e2", 0, ())])  # the restarted backend has no such event
    state = loop.state()
    assert not state.drafts[0].can_reapply
    assert loop.model.reapply(row.id) is None
    assert loop.state().notice == "Not re-applied: its event is not on this wall now"


def test_a_click_that_picks_a_drawing_on_an_event_marker_does_not_choose_that_event() -> None:
    loop = Loop()
    other = next(e for e in loop.situation.open_events() if e.id != loop.fire.id)
    loop.model.choose("command_post")
    loop.send(loop.model.click(other.lon, other.lat, 0.0))  # a post drawn on another event's marker
    loop.model.choose("")
    loop.model.click(other.lon, other.lat, TOL)  # the tool reports the click, then the map the marker
    loop.model.choose_event(other.id)
    assert loop.model.editor.selected and loop.model.editor.event_id == loop.fire.id
    loop.model.click(other.lon + 0.05, other.lat, TOL)  # nothing drawn there: the marker chooses
    loop.model.choose_event(other.id)
    loop.frame()
    assert loop.model.editor.event_id == other.id


def test_drawing_for_the_event_nobody_chose_makes_it_chosen_so_a_newer_event_cannot_take_over() -> None:
    loop = Loop()
    loop.ctx.selection.clear()
    target, chosen = loop.ctx.selection.target(loop.situation)
    assert target is not None and not chosen
    loop.model.choose("fire_line")  # the officer starts drawing for the console's first event
    assert loop.ctx.selection.target(loop.situation) == (target, True)
    loop.model.click(loop.fire.lon + 0.01, loop.fire.lat, 0.0)
    loop.frame()
    assert loop.model.editor.event_id == target and loop.model.editor.view().sketch, "the sketch stays"


def test_undo_while_a_refused_shape_is_shown_takes_its_last_corner_not_the_last_drawing() -> None:
    """A committed fire line, then a zone that crosses itself (refused before it is sent): Undo
    deleted the fire line on every wall and left the refused zone on screen (officer review)."""
    loop = Loop()
    pts = corners(loop)
    draw_zone(loop, pts)
    pid = the_plot(loop, "fire_zone")
    loop.model.choose("fire_zone")
    a, b, c, d = corners(loop, 0.002)
    bow = [(a[0] + 0.01, a[1]), (c[0] + 0.01, c[1]), (b[0] + 0.01, b[1]), (d[0] + 0.01, d[1])]  # crosses itself
    for lon, lat in bow:
        loop.model.click(lon, lat, 0.0)
    assert loop.model.double_click(*bow[-1], 0.0) is None, "refused before it is sent"
    assert loop.state().can_undo
    assert loop.model.undo() is None, "Undo works on the sketch first"
    assert pid in loop.situation.plots, "the committed zone stays"
    loop.model.cancel()
    assert loop.send(loop.model.undo()) is not None and pid not in loop.situation.plots, "then the last drawing"
