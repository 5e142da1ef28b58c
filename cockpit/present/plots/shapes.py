"""Plots as the widgets draw them, and the small geometry the drawing tool needs: distances on the map,
hit tests and snapping. Distances are in degrees of latitude, longitude shrunk by cos(latitude): the
map is a few kilometres across, where that is exact enough to pick a vertex under the pointer."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

from cockpit.model.plots import PlotRecord, Position, positions
from cockpit.present.plots.words import PlotWords
from cockpit.protocol.messages import PlotBody
from widgets.plot_values import PlotLook, PlotShape


def distance(a: Position, b: Position) -> float:
    """Between two positions, in degrees of latitude."""
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1])


def segment_distance(p: Position, a: Position, b: Position) -> float:
    """From ``p`` to the segment ``a``–``b``."""
    k = math.cos(math.radians(p[1]))
    ax, ay, bx, by, px, py = a[0] * k, a[1], b[0] * k, b[1], p[0] * k, p[1]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def inside(p: Position, ring: Sequence[Position]) -> bool:
    """Whether ``p`` is inside the outline ``ring`` (even-odd rule)."""
    x, y = p
    hit = False
    n = len(ring)
    for i in range(n):
        (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def shape_distance(p: Position, geometry: str, vertices: Sequence[Position]) -> float:
    """From ``p`` to a plot: to its point, its line, or its area (0 inside)."""
    if not vertices:
        return math.inf
    if geometry == "Point" or len(vertices) == 1:
        return distance(p, vertices[0])
    pairs = list(itertools.pairwise(vertices))
    if geometry == "Polygon":
        if inside(p, vertices):
            return 0.0
        pairs.append((vertices[-1], vertices[0]))
    return min(segment_distance(p, a, b) for a, b in pairs)


def nearest(p: Position, candidates: Iterable[Position], tol: float) -> Position | None:
    """The candidate nearest ``p`` within ``tol``; None if none is."""
    best, best_d = None, tol
    for c in candidates:
        d = distance(p, c)
        if d <= best_d:
            best, best_d = c, d
    return best


def body_shape(
    body: PlotBody, words: PlotWords, look: PlotLook, *, shape_id: str = "", selected: bool = False, note: str = ""
) -> PlotShape:
    """A plot as a command carries it, to draw."""
    return PlotShape(
        id=shape_id or body.id, kind=body.kind, geometry=body.geometry.type,
        vertices=positions(body.geometry.type, body.geometry.coordinates), label=body.label,
        mark=words.mark(body.kind), colour=body.style.colour, scale=body.style.scale, look=look, selected=selected,
        note=note,
    )  # fmt: skip


def record_shape(p: PlotRecord, words: PlotWords, *, selected: bool = False, note: str = "") -> PlotShape:
    """A plot on the shared map, to draw."""
    return PlotShape(
        id=p.id, kind=p.kind, geometry=p.geometry_type, vertices=p.vertices, label=p.label, mark=words.mark(p.kind),
        colour=p.colour, scale=p.scale, look=PlotLook.DRAWN, selected=selected, note=note,
    )  # fmt: skip
