"""Plots on the shared map, the rules once (docs/protocol.md §5.10, §7.10): what a plot may be, and how
concurrent edits converge.

**What a plot may be** (:func:`check_plot`, :func:`check_geometry`). The server core refuses a plot
command that breaks these (``bad_plot``, ``bad_geometry``) before anything is looked up, and the
cockpit's drawing tool asks the same function before it sends, so the officer reads the same reason
either way:

- each kind has one geometry type (:data:`GEOMETRY_OF_KIND`);
- every position is ``[lon, lat]`` of finite numbers, lon in −180…180 and lat in −90…90 (WGS 84);
- a line has at least 2 distinct positions; a polygon one closed ring (first = last) of at least 4
  positions, whose outline does not cross itself (shapely decides);
- at most :data:`MAX_VERTICES` positions: counted before any other work, so a million-vertex
  geometry costs a count, not a validity check;
- a label of at most :data:`MAX_LABEL` characters, required for ``text``; a style colour ``#rrggbb``
  and a scale from 0.5 to 3.

**How concurrent edits converge: optimistic versioning** (:class:`PlotRegister`). Every plot has a
version; an edit or a delete names the version the officer changed (``base``) and is applied only if
that is still the plot's version. Otherwise it is refused (``plot_conflict``, or ``plot_deleted``)
with who changed it, and the cockpit keeps the refused edit as a visible draft the officer re-applies
on top of the new version or discards. The server applies commands in the order it receives them,
so every wall ends with the same drawing, and no edit is lost without the officer seeing it. A merge
rule was not chosen: two officers moving the same fire line do not mean a line between their two
lines, and "last writer wins" would erase one of them silently; the officer who drew second must see
what the first drew before deciding.

No I/O and no clock: times are passed in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final

import msgspec
import shapely
from shapely.validation import explain_validity

from cockpit.protocol.messages import (
    Command,
    CommandKind,
    Geometry,
    Plot,
    PlotBody,
    PlotKind,
    Stream,
)

MAX_VERTICES: Final = 5000
"""Most positions one plot may have. A traced fire line of a large fire has a few hundred; 5,000
keeps the largest plot message near 100 KB, far inside the 1 MiB frame (§2.2)."""
MAX_LABEL: Final = 200
"""Most characters of a plot's label."""
MIN_SCALE, MAX_SCALE = 0.5, 3.0

POINT, LINE, POLYGON = "Point", "LineString", "Polygon"

GEOMETRY_OF_KIND: Final[dict[PlotKind, str]] = {
    PlotKind.FIRE_LINE: LINE,
    PlotKind.FIRE_ZONE: POLYGON,
    PlotKind.ISOLATION_BELT: LINE,
    PlotKind.EVACUATION_ROUTE: LINE,
    PlotKind.ASSEMBLY_POINT: POINT,
    PlotKind.COMMAND_POST: POINT,
    PlotKind.WATER_SOURCE: POINT,
    PlotKind.ROAD_BLOCK: POINT,
    PlotKind.ADVANCE_ARROW: LINE,
    PlotKind.TEXT: POINT,
}
"""The one geometry type of each kind of plot."""

BAD_PLOT: Final = "bad_plot"
BAD_GEOMETRY: Final = "bad_geometry"
PLOT_CONFLICT: Final = "plot_conflict"
PLOT_DELETED: Final = "plot_deleted"
UNKNOWN_PLOT: Final = "unknown_plot"
PLOT_EXISTS: Final = "plot_exists"

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class PlotProblem:
    """Why a plot is refused, as data: the cockpit words it in the officer's language, the server
    sends :attr:`detail` (English) with the rejection.

    Attributes:
        code: ``too_many_vertices``, ``too_few_vertices``, ``not_a_position``, ``out_of_range``,
            ``self_crossing``, ``not_closed``, ``wrong_geometry``, ``unknown_kind``, ``no_plot``,
            ``no_event``, ``label_too_long``, ``label_required``, ``bad_colour``, ``bad_scale``.
        detail: The reason in English, with the numbers and the place.
        reason: The ``command_ack`` reason: ``bad_geometry`` or ``bad_plot``.
        at: Where on the map the problem is (lon, lat), when it is somewhere.
        count: The number the problem is about (vertices), when there is one.
    """

    code: str
    detail: str
    reason: str = BAD_GEOMETRY
    at: tuple[float, float] | None = None
    count: int = 0


def _count(coords: Any, depth: int) -> int | None:
    """Positions in a GeoJSON coordinates array of ``depth`` nested levels above positions; None if
    the nesting is not lists. Counts lengths only: no position is looked at."""
    if depth == 0:
        return len(coords) if isinstance(coords, list) else None
    if not isinstance(coords, list):
        return None
    total = 0
    for part in coords:
        n = _count(part, depth - 1)
        if n is None:
            return None
        total += n
    return total


def _position(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) not in (2, 3):
        return None
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in value):
        return None
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return lon, lat


def vertex_count(geometry: Geometry) -> int | None:
    """Positions in ``geometry`` (Point 1, LineString n, Polygon: all rings'); None if its
    coordinates are not nested as its type requires."""
    depth = {POINT: -1, LINE: 0, POLYGON: 1}.get(geometry.type)
    if depth is None:
        return None
    if depth < 0:
        return 1 if isinstance(geometry.coordinates, list) else None
    return _count(geometry.coordinates, depth)


def check_geometry(kind: str, geometry: Geometry) -> PlotProblem | None:
    """Whether ``geometry`` may be drawn as a plot of ``kind``; None if it may.

    Cheapest checks first: the type, then the count of positions (before anything is converted), then
    each position, then the polygon's outline.
    """
    try:
        wanted = GEOMETRY_OF_KIND[PlotKind(kind)]
    except ValueError:
        return PlotProblem("unknown_kind", f"{kind!r} is not a kind of plot", BAD_PLOT)
    if geometry.type != wanted:
        return PlotProblem("wrong_geometry", f"a {kind} is a {wanted}, not a {geometry.type}")
    n = vertex_count(geometry)
    if n is None:
        return PlotProblem(
            "not_a_position", f"the {wanted}'s coordinates are not nested as RFC 7946 §3.1 says"
        )
    if n > MAX_VERTICES:
        return PlotProblem(
            "too_many_vertices", f"{n:,} positions; a plot has at most {MAX_VERTICES:,}", count=n
        )
    coords = geometry.coordinates
    rings: list[list[Any]] = [[coords]] if wanted == POINT else [coords] if wanted == LINE else coords
    parsed: list[list[tuple[float, float]]] = []
    for ring in rings:
        out: list[tuple[float, float]] = []
        for i, value in enumerate(ring):
            pos = _position(value)
            if pos is None:
                return PlotProblem(
                    "not_a_position", f"position {i + 1} is not [lon, lat] in finite numbers: {value!r:.60}"
                )
            lon, lat = pos
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                return PlotProblem(
                    "out_of_range",
                    f"position {i + 1} ({lon:g}, {lat:g}) is outside WGS 84: lon −180…180, lat −90…90",
                    at=pos,
                    count=i + 1,
                )
            out.append(pos)
        parsed.append(out)
    if wanted == LINE:
        if len(set(parsed[0])) < 2:
            return PlotProblem(
                "too_few_vertices", "a line needs at least 2 distinct positions", count=len(parsed[0])
            )
    elif wanted == POLYGON:
        if not parsed:
            return PlotProblem("too_few_vertices", "a polygon needs an outline", count=0)
        for ring in parsed:
            if len(ring) < 4 or len(set(ring)) < 3:
                return PlotProblem(
                    "too_few_vertices", "an outline needs at least 3 corners", count=len(set(ring))
                )
            if ring[0] != ring[-1]:
                return PlotProblem(
                    "not_closed",
                    "the outline is not closed: its last position must be its first",
                    at=ring[-1],
                )
        polygon = shapely.Polygon(parsed[0], parsed[1:])
        if not polygon.is_valid:
            why = explain_validity(polygon)
            at = _where(why)
            where = f" near {at[0]:.5f}, {at[1]:.5f}" if at is not None else ""
            return PlotProblem("self_crossing", f"the outline crosses itself{where} ({why})", at=at)
    return None


def _where(why: str) -> tuple[float, float] | None:
    """The position in shapely's explanation, ``Self-intersection[106.5 29.5]``."""
    m = re.search(r"\[(-?[\d.e+-]+) (-?[\d.e+-]+)\]", why)
    if m is None:
        return None
    try:
        return float(m.group(1)), float(m.group(2))
    except ValueError:
        return None


def check_body(body: PlotBody) -> PlotProblem | None:
    """Whether a plot as drawn may be sent: its geometry, label and style (§7.10)."""
    problem = check_geometry(body.kind, body.geometry)
    if problem is not None:
        return problem
    if len(body.label) > MAX_LABEL:
        return PlotProblem(
            "label_too_long",
            f"the label has {len(body.label)} characters; at most {MAX_LABEL}",
            BAD_PLOT,
            count=len(body.label),
        )
    if body.kind == PlotKind.TEXT and not body.label.strip():
        return PlotProblem("label_required", "free text needs its words in the label", BAD_PLOT)
    if body.style.colour and not _COLOUR.fullmatch(body.style.colour):
        return PlotProblem("bad_colour", f"colour {body.style.colour!r:.20} is not #rrggbb", BAD_PLOT)
    if not MIN_SCALE <= body.style.scale <= MAX_SCALE:
        return PlotProblem(
            "bad_scale", f"scale {body.style.scale:g} is outside {MIN_SCALE:g}…{MAX_SCALE:g}", BAD_PLOT
        )
    return None


def check_plot(command: Command) -> PlotProblem | None:
    """The checks a plot command gets in the server core, after its kind is known (§7.2): a body
    where one is needed, an event for a new plot, then :func:`check_body`."""
    if command.kind == CommandKind.PLOT_DELETE:
        if not command.ref:
            return PlotProblem("no_plot", "plot_delete names the plot in ref", BAD_PLOT)
        return None
    if command.plot is None:
        return PlotProblem("no_plot", f"{command.kind} carries the plot in plot", BAD_PLOT)
    if command.kind == CommandKind.PLOT_CREATE and not command.plot.event_id:
        return PlotProblem("no_event", "a new plot belongs to an event: event_id", BAD_PLOT)
    return check_body(command.plot)


def plot_id_of(command: Command) -> str:
    """The plot a plot command acts on (``""`` for other commands)."""
    if command.kind == CommandKind.PLOT_DELETE:
        return command.ref
    return command.plot.id if command.plot is not None else ""


# ------------------------------------------------------------------------------------ the register


@dataclass(frozen=True, slots=True)
class Refusal:
    """A plot command the register does not apply: the ``command_ack`` reason and detail."""

    reason: str
    detail: str


class PlotRegister:
    """Every plot a server holds, deleted ones too (their versions decide later edits), and the
    versioning rule that makes concurrent edits converge (module docstring).

    The data source applies each plot command through it, in the order received, and publishes the
    :class:`~cockpit.protocol.messages.Plot` it returns on the ``plots`` stream (seq, prev and ts
    are the publisher's).
    """

    def __init__(self) -> None:
        self.plots: dict[str, Plot] = {}

    def active(self) -> list[Plot]:
        """The plots not deleted (a snapshot of the stream, §4.3)."""
        return [p for p in self.plots.values() if p.active]

    def of_event(self, event_id: str) -> list[Plot]:
        """The event's plots not deleted, oldest first."""
        return sorted((p for p in self.active() if p.event_id == event_id), key=lambda p: (p.created, p.id))

    def create(self, body: PlotBody, author: str, now_ms: int, district: str, theme: str) -> Plot | Refusal:
        """A new plot at version 1; refused if its id is taken."""
        if body.id in self.plots:
            return Refusal(PLOT_EXISTS, f"a plot {body.id} already exists; a new plot needs a new id")
        plot = Plot(
            stream=Stream.PLOTS, seq=0, prev=0, ts=now_ms, id=body.id, kind=body.kind, active=True,
            geometry=body.geometry, event_id=body.event_id, district=district, theme=theme, version=1,
            author=author, created=now_ms, updated=now_ms, label=body.label, symbol=body.symbol,
            style=body.style, centre=body.centre, updated_by=author, updated_centre=body.centre,
        )  # fmt: skip
        self.plots[plot.id] = plot
        return plot

    def edit(self, body: PlotBody, base: int, editor: str, now_ms: int) -> Plot | Refusal:
        """The plot as the officer changed it from version ``base``. An edit of a deleted plot made
        against the version it was deleted at restores it (an undo of the delete)."""
        current = self.plots.get(body.id)
        if current is None:
            return Refusal(UNKNOWN_PLOT, f"no plot {body.id}")
        refusal = self._stale(current, base)
        if refusal is not None:
            return refusal
        if body.kind != current.kind:
            return Refusal(
                BAD_PLOT, f"plot {body.id} is a {current.kind}; an edit cannot make it a {body.kind}"
            )
        plot = msgspec.structs.replace(
            current, active=True, geometry=body.geometry, label=body.label, symbol=body.symbol, style=body.style,
            version=current.version + 1, updated=now_ms, ts=now_ms, updated_by=editor, updated_centre=body.centre,
        )  # fmt: skip
        self.plots[plot.id] = plot
        return plot

    def delete(self, plot_id: str, base: int, editor: str, centre: str, now_ms: int) -> Plot | Refusal:
        """The plot deleted, as the officer saw it at version ``base``."""
        current = self.plots.get(plot_id)
        if current is None:
            return Refusal(UNKNOWN_PLOT, f"no plot {plot_id}")
        if not current.active:
            return Refusal(PLOT_DELETED, f"{_who(current)} already deleted it (version {current.version})")
        refusal = self._stale(current, base)
        if refusal is not None:
            return refusal
        plot = msgspec.structs.replace(
            current, active=False, version=current.version + 1, updated=now_ms, ts=now_ms, updated_by=editor,
            updated_centre=centre,
        )  # fmt: skip
        self.plots[plot.id] = plot
        return plot

    @staticmethod
    def _stale(current: Plot, base: int) -> Refusal | None:
        if base == current.version:
            return None
        if not current.active:
            return Refusal(
                PLOT_DELETED,
                f"{_who(current)} deleted it at version {current.version}; this change was made on version {base}",
            )
        return Refusal(
            PLOT_CONFLICT,
            f"{_who(current)} changed it to version {current.version}; this change was made on version {base}",
        )


def _who(plot: Plot) -> str:
    centre = f" ({plot.updated_centre})" if plot.updated_centre else ""
    return f"{plot.updated_by or plot.author}{centre}"
