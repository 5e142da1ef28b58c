"""Plots on the shared map as the cockpit knows them (docs/protocol.md §5.10). No Qt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cockpit.protocol.messages import Geometry, Plot, PlotBody, PlotStyle

Position = tuple[float, float]


def positions(geometry_type: str, coordinates: Any) -> tuple[Position, ...]:
    """The vertices of a plot's geometry, flat: a point's one, a line's, a polygon outline's (without
    the closing repeat). Holes are not drawn by the palette, so they are not listed."""
    try:
        if geometry_type == "Point":
            return ((float(coordinates[0]), float(coordinates[1])),)
        if geometry_type == "LineString":
            return tuple((float(p[0]), float(p[1])) for p in coordinates)
        if geometry_type == "Polygon":
            ring = tuple((float(p[0]), float(p[1])) for p in coordinates[0])
            return ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    except (TypeError, ValueError, IndexError):
        pass
    return ()


def geometry_of(geometry_type: str, vertices: tuple[Position, ...]) -> Geometry:
    """The GeoJSON geometry of ``vertices`` (:func:`positions` back): a polygon's outline closed."""
    if geometry_type == "Point":
        return Geometry(type="Point", coordinates=list(vertices[0]) if vertices else [])
    coords = [list(v) for v in vertices]
    if geometry_type == "Polygon":
        return Geometry(type="Polygon", coordinates=[[*coords, coords[0]]] if coords else [[]])
    return Geometry(type="LineString", coordinates=coords)


@dataclass(frozen=True, slots=True)
class PlotRecord:
    """One plot on the shared map (§5.10), not deleted."""

    id: str
    kind: str
    geometry_type: str
    coordinates: Any
    event_id: str
    district: str
    theme: str
    label: str
    symbol: str
    colour: str
    scale: float
    version: int
    author: str
    centre: str
    created: int
    updated: int
    updated_by: str
    updated_centre: str

    @classmethod
    def from_message(cls, m: Plot) -> PlotRecord:
        return cls(
            m.id, m.kind, m.geometry.type, m.geometry.coordinates, m.event_id, m.district, m.theme, m.label,
            m.symbol, m.style.colour, m.style.scale, m.version, m.author, m.centre, m.created, m.updated,
            m.updated_by or m.author, m.updated_centre,
        )  # fmt: skip

    @property
    def vertices(self) -> tuple[Position, ...]:
        return positions(self.geometry_type, self.coordinates)

    def geojson(self) -> dict[str, Any]:
        return {"type": self.geometry_type, "coordinates": self.coordinates}

    def body(self, centre: str = "") -> PlotBody:
        """The plot as a command carries it (an edit starts from it)."""
        return PlotBody(
            id=self.id, kind=self.kind, geometry=Geometry(type=self.geometry_type, coordinates=self.coordinates),
            event_id=self.event_id, label=self.label, symbol=self.symbol,
            style=PlotStyle(colour=self.colour, scale=self.scale), centre=centre,
        )  # fmt: skip
