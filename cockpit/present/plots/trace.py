"""Trace the backend's fire-spread overlay (protocol §5.5, kind ``fire_spread``) into a fire line: the
officer's one-click start of the fire line, which he then adjusts vertex by vertex."""

from __future__ import annotations

import time

import shapely

from cockpit.model import Situation
from cockpit.model.plots import geometry_of, positions
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import PlotBody, PlotKind
from cockpit.protocol.plots import LINE

SIMPLIFY_DEG = 0.0002
"""About 20 m: the traced line keeps the spread's shape without a vertex every few metres."""


def fire_spread_near(situation: Situation, event_id: str) -> tuple[str, tuple[tuple[float, float], ...]] | None:
    """The fire-spread overlay of ``event_id`` (its own, else the nearest in its district): its id and
    outline; None if there is none."""
    ev = situation.events.get(event_id)
    spreads = [o for o in situation.overlays.values() if o.kind == "fire_spread" and o.geometry_type == "Polygon"]
    if ev is None or not spreads:
        return None
    own = [o for o in spreads if o.event_id == event_id]
    candidates = own or [o for o in spreads if o.district == ev.district] or spreads

    def distance(o: object) -> float:
        ring = positions("Polygon", getattr(o, "coordinates", None))
        return min((abs(x - ev.lon) + abs(y - ev.lat) for x, y in ring), default=1e9)

    best = min(candidates, key=distance)
    return best.id, positions("Polygon", best.coordinates)


def traced_fire_line(situation: Situation, event_id: str, label: str, centre: str) -> PlotBody | None:
    """A fire line along the fire-spread outline of ``event_id``, simplified; None if there is no spread."""
    found = fire_spread_near(situation, event_id)
    if found is None:
        return None
    _, ring = found
    if len(ring) < 3:
        return None
    line = shapely.LineString([*ring, ring[0]]).simplify(SIMPLIFY_DEG, preserve_topology=False)
    vertices = tuple((round(x, 6), round(y, 6)) for x, y in line.coords)
    if len(set(vertices)) < 3:
        return None
    if shapely.LinearRing(vertices).is_ccw:
        # A fire line's teeth are on its left as drawn (widgets/plot_symbols.py): clockwise, they point
        # out of the fire, the way it spreads.
        vertices = vertices[::-1]
    return PlotBody(
        id=uuid7(time.time_ns() // 1_000_000), kind=PlotKind.FIRE_LINE, geometry=geometry_of(LINE, vertices),
        event_id=event_id, label=label, centre=centre,
    )  # fmt: skip
