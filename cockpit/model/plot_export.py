"""An event's plots for other tools: GeoJSON (RFC 7946) and KML 2.2 for GIS, and an SVG picture for the
drill report (docs/protocol.md §5.10). No Qt, no I/O: each returns text, the caller writes it.

The SVG is drawn with the palette's rules (colour is never the only mark: hatching, ticks, chevrons,
arrowheads and letters) from plain lines and polygons only, because the PDF export renders it with
Qt's SVG Tiny renderer, which has no patterns, markers or clip paths.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

from cockpit.model.plots import PlotRecord, Position

KML_NS = "http://www.opengis.net/kml/2.2"

COLOURS: dict[str, str] = {
    "fire_line": "#d7301f",
    "fire_zone": "#d7301f",
    "isolation_belt": "#8c5a2b",
    "evacuation_route": "#1a9850",
    "assembly_point": "#1a9850",
    "command_post": "#d7301f",
    "water_source": "#2b7bba",
    "road_block": "#d7301f",
    "advance_arrow": "#2b5fba",
    "text": "#222222",
}
"""Each symbol's own colour (the style's ``colour`` overrides it)."""


def _colour(p: PlotRecord) -> str:
    return p.colour or COLOURS.get(p.kind, "#444444")


def _properties(p: PlotRecord) -> dict[str, Any]:
    return {
        "id": p.id, "kind": p.kind, "symbol": p.symbol, "label": p.label, "event_id": p.event_id,
        "district": p.district, "theme": p.theme, "version": p.version, "author": p.author, "centre": p.centre,
        "created": p.created, "updated": p.updated, "updated_by": p.updated_by, "colour": _colour(p),
        "scale": p.scale,
    }  # fmt: skip


def to_geojson(plots: Sequence[PlotRecord]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946): one Feature per plot, its geometry as drawn (WGS 84,
    longitude first) and every field of the plot in ``properties``."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": p.id, "geometry": p.geojson(), "properties": _properties(p)} for p in plots
        ],
    }


def geojson_text(plots: Sequence[PlotRecord]) -> str:
    return json.dumps(to_geojson(plots), ensure_ascii=False, indent=1) + "\n"


def _kml_colour(hex_rgb: str, alpha: int = 0xFF) -> str:
    """KML's aabbggrr from #rrggbb."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _kml_coords(points: Sequence[Position]) -> str:
    return " ".join(f"{lon:.7f},{lat:.7f}" for lon, lat in points)


def to_kml(plots: Sequence[PlotRecord], title: str, name: Callable[[str], str] = str) -> str:
    """A KML 2.2 document: one Placemark per plot with its symbol's colour and width, its label as the
    name (else the kind's ``name``), and the plot's fields as ExtendedData."""
    ET.register_namespace("", KML_NS)
    k = f"{{{KML_NS}}}"
    root = ET.Element(f"{k}kml")
    doc = ET.SubElement(root, f"{k}Document")
    ET.SubElement(doc, f"{k}name").text = title
    for kind in sorted({p.kind for p in plots}):
        colour = COLOURS.get(kind, "#444444")
        style = ET.SubElement(doc, f"{k}Style", id=kind)
        line = ET.SubElement(style, f"{k}LineStyle")
        ET.SubElement(line, f"{k}color").text = _kml_colour(colour)
        ET.SubElement(line, f"{k}width").text = "4"
        poly = ET.SubElement(style, f"{k}PolyStyle")
        ET.SubElement(poly, f"{k}color").text = _kml_colour(colour, 0x55)
    for p in plots:
        mark = ET.SubElement(doc, f"{k}Placemark", id=p.id)
        ET.SubElement(mark, f"{k}name").text = p.label or name(p.kind)
        ET.SubElement(mark, f"{k}styleUrl").text = f"#{p.kind}"
        data = ET.SubElement(mark, f"{k}ExtendedData")
        for key, value in _properties(p).items():
            item = ET.SubElement(data, f"{k}Data", name=key)
            ET.SubElement(item, f"{k}value").text = str(value)
        vertices = p.vertices
        if p.geometry_type == "Point":
            geom = ET.SubElement(mark, f"{k}Point")
            ET.SubElement(geom, f"{k}coordinates").text = _kml_coords(vertices)
        elif p.geometry_type == "LineString":
            geom = ET.SubElement(mark, f"{k}LineString")
            ET.SubElement(geom, f"{k}tessellate").text = "1"
            ET.SubElement(geom, f"{k}coordinates").text = _kml_coords(vertices)
        else:
            geom = ET.SubElement(mark, f"{k}Polygon")
            ring = ET.SubElement(ET.SubElement(geom, f"{k}outerBoundaryIs"), f"{k}LinearRing")
            ET.SubElement(ring, f"{k}coordinates").text = _kml_coords([*vertices, vertices[0]])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ------------------------------------------------------------------------------------ the picture

_MARKS = {"assembly_point": "A", "command_post": "C", "water_source": "W"}


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator, in units of the world (0..1), like the wall's maps."""
    x = (lon + 180.0) / 360.0
    s = math.sin(math.radians(max(-85.0, min(85.0, lat))))
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return x, y


def to_svg(
    plots: Sequence[PlotRecord],
    *,
    width: int = 620,
    height: int = 420,
    name: Callable[[str], str] = str,
    marks: dict[str, str] | None = None,
    backdrop: Sequence[Sequence[Position]] = (),
) -> str:
    """An SVG picture of ``plots`` (fitted with a margin), with a legend of the kinds drawn.

    Args:
        plots: The plots.
        width, height: The picture's size in px.
        name: A kind's name in the report's language.
        marks: The letter drawn inside each point symbol (default A, C, W).
        backdrop: Outlines drawn faintly underneath (the fire spread, district borders).
    """
    marks = marks or _MARKS
    legend_h = 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + legend_h}">']
    parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f1ea" stroke="#999"/>')
    if not plots:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" font-size="14" text-anchor="middle">—</text></svg>')
        return "".join(parts)
    pts = [_project(*v) for p in plots for v in p.vertices]
    x0, x1 = min(x for x, _ in pts), max(x for x, _ in pts)
    y0, y1 = min(y for _, y in pts), max(y for _, y in pts)
    span = max(x1 - x0, y1 - y0, 1e-7)
    pad = 40
    scale = min((width - 2 * pad) / max(x1 - x0, span * 0.2), (height - 2 * pad) / max(y1 - y0, span * 0.2))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2

    def xy(v: Position) -> tuple[float, float]:
        x, y = _project(*v)
        return width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale

    def path(points: Sequence[tuple[float, float]], closed: bool = False) -> str:
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        return d + (" Z" if closed else "")

    for outline in backdrop:
        ring = [xy(v) for v in outline]
        if len(ring) > 1:
            parts.append(f'<path d="{path(ring, True)}" fill="#e9d3c8" stroke="#c9a48f" stroke-dasharray="4,3"/>')
    order = {"Polygon": 0, "LineString": 1, "Point": 2}
    for p in sorted(plots, key=lambda p: order.get(p.geometry_type, 3)):
        colour = _colour(p)
        screen = [xy(v) for v in p.vertices]
        parts.extend(_svg_symbol(p.kind, p.geometry_type, screen, colour, p.scale, marks.get(p.kind, "")))
        if p.label and screen:
            lx, ly = screen[0] if p.geometry_type != "Polygon" else _centroid(screen)
            parts.append(
                f'<text x="{lx + 10:.1f}" y="{ly - 10:.1f}" font-size="13" font-weight="bold" fill="#111" '
                f'stroke="#ffffff" stroke-width="0.6">{html.escape(p.label)}</text>'
            )
    kinds = list(dict.fromkeys(p.kind for p in plots))
    x, row = 6.0, 0
    for kind in kinds:
        advance = 28 + 7.5 * len(name(kind))
        if x + advance > width and x > 6:
            x, row = 6.0, row + 1
        y = height + 7 + 20 * row
        colour = COLOURS.get(kind, "#444")
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16:.0f}" y="{y + 11}" font-size="12">{html.escape(name(kind))}</text>')
        x += advance
    parts[0] = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + legend_h + 20 * row}">'
    parts.append("</svg>")
    return "".join(parts)


def _centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


def _along(points: Sequence[tuple[float, float]], every: float) -> list[tuple[float, float, float]]:
    """Positions every ``every`` px along a polyline, with the direction there (radians)."""
    out = []
    carry = every / 2
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        length = math.hypot(bx - ax, by - ay)
        angle = math.atan2(by - ay, bx - ax)
        d = carry
        while d < length:
            out.append((ax + (bx - ax) * d / length, ay + (by - ay) * d / length, angle))
            d += every
        carry = d - length
    return out


def _svg_symbol(
    kind: str, geometry: str, pts: Sequence[tuple[float, float]], colour: str, scale: float, mark: str
) -> list[str]:
    w = 3.0 * scale
    out: list[str] = []

    def poly(
        points: Sequence[tuple[float, float]], fill: str, stroke: str = "none", sw: float = 1.0, opacity: float = 1.0
    ) -> str:
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z"
        alpha = f' fill-opacity="{opacity:.2f}"' if opacity < 1 else ""
        return f'<path d="{d}" fill="{fill}"{alpha} stroke="{stroke}" stroke-width="{sw:.1f}"/>'

    line_d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    if geometry == "Polygon":
        out.append(poly(pts, colour, colour, w, opacity=0.2))
        out.extend(_hatch(pts, colour))
    elif geometry == "LineString":
        dash = ' stroke-dasharray="10,5"' if kind == "isolation_belt" else ""
        width = w * 2 if kind in ("evacuation_route", "advance_arrow") else w
        out.append(f'<path d="{line_d}" fill="none" stroke="{colour}" stroke-width="{width:.1f}"{dash}/>')
        if kind == "fire_line":  # flame teeth on the left of the direction drawn
            for x, y, a in _along(pts, 18):
                nx, ny = math.sin(a), -math.cos(a)
                tip = (x + nx * 9, y + ny * 9)
                out.append(poly([(x - 5 * math.cos(a), y - 5 * math.sin(a)), tip, (x + 5 * math.cos(a), y + 5 * math.sin(a))], colour))
        elif kind == "isolation_belt":  # cross ties
            for x, y, a in _along(pts, 14):
                nx, ny = math.sin(a) * 6, -math.cos(a) * 6
                out.append(f'<line x1="{x - nx:.1f}" y1="{y - ny:.1f}" x2="{x + nx:.1f}" y2="{y + ny:.1f}" stroke="{colour}" stroke-width="2"/>')
        elif kind == "evacuation_route":  # chevrons pointing the way out
            for x, y, a in _along(pts, 26):
                ca, sa = math.cos(a), math.sin(a)
                left = (x - 7 * ca + 6 * sa, y - 7 * sa - 6 * ca)
                right = (x - 7 * ca - 6 * sa, y - 7 * sa + 6 * ca)
                out.append(f'<path d="M{left[0]:.1f},{left[1]:.1f} L{x:.1f},{y:.1f} L{right[0]:.1f},{right[1]:.1f}" fill="none" stroke="#ffffff" stroke-width="2.5"/>')
        if kind in ("evacuation_route", "advance_arrow") and len(pts) >= 2:
            (ax, ay), (bx, by) = pts[-2], pts[-1]
            a = math.atan2(by - ay, bx - ax)
            size = 16 * scale if kind == "advance_arrow" else 11 * scale
            ca, sa = math.cos(a), math.sin(a)
            out.append(poly([(bx + ca * size * 0.6, by + sa * size * 0.6), (bx - ca * size + sa * size * 0.7, by - sa * size - ca * size * 0.7), (bx - ca * size - sa * size * 0.7, by - sa * size + ca * size * 0.7)], colour))
    elif pts:
        x, y = pts[0]
        r = 11 * scale
        if kind == "road_block":
            out.append(poly([(x - r, y - r / 3), (x + r, y - r / 3), (x + r, y + r / 3), (x - r, y + r / 3)], "#ffffff", colour, 2))
            for k in (-2, 0, 2):
                out.append(f'<line x1="{x + k * r / 3 - 3:.1f}" y1="{y + r / 3:.1f}" x2="{x + k * r / 3 + 3:.1f}" y2="{y - r / 3:.1f}" stroke="{colour}" stroke-width="3"/>')
        elif kind == "command_post":
            top = y - 2.6 * r
            out.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{top:.1f}" stroke="#222" stroke-width="2"/>')
            out.append(poly([(x, top), (x + 2.6 * r, top + 0.9 * r), (x, top + 1.8 * r)], colour, "#222"))
            x, y = x + 0.85 * r, top + 0.9 * r  # the letter goes in the pennant
        elif kind == "text":
            pass
        else:
            shape = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)] if kind == "assembly_point" else [
                (x + r * math.cos(t * math.pi / 8), y + r * math.sin(t * math.pi / 8)) for t in range(16)
            ]
            out.append(poly(shape, colour, "#ffffff", 2))
        if mark:
            out.append(f'<text x="{x:.1f}" y="{y + 4.5:.1f}" font-size="13" font-weight="bold" text-anchor="middle" fill="#ffffff">{html.escape(mark)}</text>')
    return out


def _hatch(pts: Sequence[tuple[float, float]], colour: str) -> list[str]:
    """Diagonal hatching inside a polygon, as plain line segments (shapely clips them)."""
    import shapely

    polygon = shapely.Polygon(pts)
    if not polygon.is_valid or polygon.area <= 0:
        return []
    x0, y0, x1, y1 = polygon.bounds
    out = []
    step = 9.0
    t = x0 - (y1 - y0)
    while t < x1:
        segment = shapely.LineString([(t, y1), (t + (y1 - y0), y0)]).intersection(polygon)
        for part in getattr(segment, "geoms", [segment]):
            if isinstance(part, shapely.LineString) and not part.is_empty:
                (ax, ay), (bx, by) = part.coords[0], part.coords[-1]
                out.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{colour}" stroke-width="1"/>')
        t += step
    return out
