"""The plotting palette drawn with QPainter: emergency plotting symbols in the style of GB/T 35649-2017.

Every symbol is a vector drawing sized from one *unit* (the map's label size), so it stays readable at
wall size, and **colour is never its only mark**: each has its own pattern, shape, arrowheads or
letters, so a fire line and an evacuation route differ for a colour-blind officer and on a greyed
(not current) map.

======================  ==========================================================================
kind                    drawn as
======================  ==========================================================================
``fire_line``           red line with filled flame teeth on its left as drawn: the way the fire spreads
``fire_zone``           red outline, translucent fill crossed by diagonal hatching
``isolation_belt``      brown double line with cross ties: a ladder
``evacuation_route``    green line with white chevrons pointing the way out, an arrowhead at its end
``advance_arrow``       broad blue arrow along the line, a large arrowhead at its end
``assembly_point``      green square with its letter (集 / A)
``command_post``        a pennant on a staff, with its letter (指 / C)
``water_source``        blue disc with a wave and its letter (水 / W)
``road_block``          a barrier: a white bar with red stripes on two legs
``text``                the label in a framed box
(anything else)         grey line, outline or dot
======================  ==========================================================================

How a plot stands (:class:`~widgets.plot_values.PlotLook`) is drawn on top of its symbol: the officer's
change on its way has a dashed amber halo, a draft is a faded ghost with a dashed magenta outline, a
sketch is thin with its corners marked.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
)

from widgets.plot_values import PlotLook, PlotShape

COLOURS: dict[str, str] = {
    "fire_line": "#e0342b",
    "fire_zone": "#e0342b",
    "isolation_belt": "#a0692f",
    "evacuation_route": "#22a35a",
    "assembly_point": "#22a35a",
    "command_post": "#e0342b",
    "water_source": "#2f7fe0",
    "road_block": "#e0342b",
    "advance_arrow": "#3b6fd8",
    "text": "#f2f2f2",
}
"""Each symbol's own colour; a plot's style may set another, never the symbol's only mark."""
UNKNOWN = "#9aa0a6"
SENDING = QColor("#f0b429")
DRAFT = QColor("#d62fb0")
OUTLINE = QColor("#101214")
LINE_KINDS = frozenset({"fire_line", "isolation_belt", "evacuation_route", "advance_arrow"})


def colour_of(shape: PlotShape) -> QColor:
    return QColor(shape.colour or COLOURS.get(shape.kind, UNKNOWN))


def _pen(colour: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width, style)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _along(pts: Sequence[QPointF], every: float, start: float) -> list[tuple[QPointF, float]]:
    """Positions every ``every`` px along a polyline (the first at ``start``), with the direction."""
    out: list[tuple[QPointF, float]] = []
    d = start
    for a, b in itertools.pairwise(pts):
        length = math.hypot(b.x() - a.x(), b.y() - a.y())
        if length <= 0:
            continue
        angle = math.atan2(b.y() - a.y(), b.x() - a.x())
        while d < length:
            t = d / length
            out.append((QPointF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t), angle))
            d += every
        d -= length
    return out


def _arrowhead(p: QPainter, tip: QPointF, angle: float, size: float, colour: QColor) -> None:
    ca, sa = math.cos(angle), math.sin(angle)
    head = QPolygonF(
        [
            QPointF(tip.x() + ca * size * 0.5, tip.y() + sa * size * 0.5),
            QPointF(tip.x() - ca * size + sa * size * 0.6, tip.y() - sa * size - ca * size * 0.6),
            QPointF(tip.x() - ca * size * 0.6, tip.y() - sa * size * 0.6),
            QPointF(tip.x() - ca * size - sa * size * 0.6, tip.y() - sa * size + ca * size * 0.6),
        ]
    )
    p.setPen(_pen(OUTLINE, max(1.0, size * 0.08)))
    p.setBrush(colour)
    p.drawPolygon(head)


def _line_symbol(p: QPainter, kind: str, pts: Sequence[QPointF], colour: QColor, u: float) -> None:
    """A line plot, ``u`` the unit (px)."""
    path = QPainterPath(pts[0])
    for q in pts[1:]:
        path.lineTo(q)
    w = max(2.0, 0.22 * u)
    p.setBrush(Qt.BrushStyle.NoBrush)
    if kind == "isolation_belt":
        p.setPen(_pen(colour, 3.2 * w))
        p.drawPath(path)
        p.setPen(_pen(QColor(240, 232, 214), 1.2 * w))
        p.drawPath(path)
        p.setPen(_pen(colour, 0.7 * w))
        for at, angle in _along(pts, 1.1 * u, 0.5 * u):
            nx, ny = math.sin(angle) * 1.6 * w, -math.cos(angle) * 1.6 * w
            p.drawLine(QPointF(at.x() - nx, at.y() - ny), QPointF(at.x() + nx, at.y() + ny))
        return
    if kind == "advance_arrow":
        body = QPainterPathStroker()
        body.setWidth(2.6 * w)
        body.setCapStyle(Qt.PenCapStyle.FlatCap)
        body.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        outline = body.createStroke(path)
        p.setPen(_pen(OUTLINE, max(1.0, 0.3 * w)))
        p.setBrush(colour)
        p.drawPath(outline)
        a, b = pts[-2], pts[-1]
        _arrowhead(p, b, math.atan2(b.y() - a.y(), b.x() - a.x()), 1.5 * u, colour)
        return
    p.setPen(_pen(OUTLINE, 2.0 * w))  # a dark casing: the line reads over any fill
    p.drawPath(path)
    p.setPen(_pen(colour, w))
    p.drawPath(path)
    if kind == "fire_line":
        p.setPen(_pen(OUTLINE, max(1.0, 0.25 * w)))
        p.setBrush(colour)
        for at, angle in _along(pts, 0.9 * u, 0.45 * u):
            ca, sa = math.cos(angle), math.sin(angle)
            nx, ny = sa, -ca  # the left of the direction drawn (screen y points down)
            half, height = 0.28 * u, 0.5 * u
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(at.x() - ca * half + nx * w * 0.5, at.y() - sa * half + ny * w * 0.5),
                        QPointF(at.x() + nx * height, at.y() + ny * height),
                        QPointF(at.x() + ca * half + nx * w * 0.5, at.y() + sa * half + ny * w * 0.5),
                    ]
                )
            )
    elif kind == "evacuation_route":
        p.setPen(_pen(QColor("#ffffff"), max(1.5, 0.45 * w)))
        for at, angle in _along(pts, 1.3 * u, 0.65 * u):
            ca, sa = math.cos(angle), math.sin(angle)
            s = 0.3 * u
            p.drawPolyline(
                QPolygonF(
                    [
                        QPointF(at.x() - ca * s + sa * s, at.y() - sa * s - ca * s),
                        at,
                        QPointF(at.x() - ca * s - sa * s, at.y() - sa * s + ca * s),
                    ]
                )
            )
        a, b = pts[-2], pts[-1]
        _arrowhead(p, b, math.atan2(b.y() - a.y(), b.x() - a.x()), 0.9 * u, colour)


def _area_symbol(p: QPainter, kind: str, pts: Sequence[QPointF], colour: QColor, u: float) -> None:
    polygon = QPolygonF(list(pts))
    fill = QColor(colour)
    fill.setAlphaF(0.18)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(fill)
    p.drawPolygon(polygon)
    hatch = QBrush(colour, Qt.BrushStyle.BDiagPattern if kind == "fire_zone" else Qt.BrushStyle.Dense7Pattern)
    p.setBrush(hatch)
    p.drawPolygon(polygon)
    w = max(2.0, 0.22 * u)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(_pen(OUTLINE, 2.0 * w))
    p.drawPolygon(polygon)
    p.setPen(_pen(colour, w))
    p.drawPolygon(polygon)


def _mark_text(p: QPainter, centre: QPointF, mark: str, size: float, font: QFont) -> None:
    if not mark:
        return
    f = QFont(font)
    f.setPixelSize(max(6, round(size)))
    f.setBold(True)
    p.setFont(f)
    p.setPen(QColor("#ffffff"))
    box = QRectF(centre.x() - size, centre.y() - size * 0.75, 2 * size, 1.5 * size)
    p.drawText(box, Qt.AlignmentFlag.AlignCenter, mark)


def _point_symbol(p: QPainter, shape: PlotShape, at: QPointF, colour: QColor, u: float, font: QFont) -> QRectF:
    """A point plot centred on ``at``; returns the box it covers."""
    kind, r = shape.kind, 0.85 * u
    p.setPen(_pen(OUTLINE, max(1.5, 0.1 * u)))
    p.setBrush(colour)
    if kind == "assembly_point":
        box = QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r)
        p.drawRect(box)
        _mark_text(p, at, shape.mark, 1.25 * r, font)
        return box
    if kind == "water_source":
        box = QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r)
        p.drawEllipse(box)
        p.setPen(_pen(QColor("#ffffff"), max(1.0, 0.1 * u)))
        wave = QPainterPath(QPointF(at.x() - 0.7 * r, at.y() + 0.55 * r))
        wave.cubicTo(
            QPointF(at.x() - 0.3 * r, at.y() + 0.2 * r),
            QPointF(at.x() + 0.3 * r, at.y() + 0.9 * r),
            QPointF(at.x() + 0.7 * r, at.y() + 0.55 * r),
        )
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(wave)
        _mark_text(p, QPointF(at.x(), at.y() - 0.15 * r), shape.mark, 1.05 * r, font)
        return box
    if kind == "command_post":
        top = QPointF(at.x(), at.y() - 2.6 * r)
        p.setPen(_pen(OUTLINE, max(2.0, 0.16 * u)))
        p.drawLine(at, top)
        flag = QPolygonF([top, QPointF(top.x() + 2.6 * r, top.y() + 0.9 * r), QPointF(top.x(), top.y() + 1.8 * r)])
        p.setPen(_pen(OUTLINE, max(1.5, 0.1 * u)))
        p.setBrush(colour)
        p.drawPolygon(flag)
        _mark_text(p, QPointF(top.x() + 0.85 * r, top.y() + 0.9 * r), shape.mark, 1.05 * r, font)
        p.setBrush(OUTLINE)
        p.drawEllipse(at, 0.18 * r, 0.18 * r)
        return QRectF(at.x() - 0.3 * r, top.y(), 2.9 * r, 2.6 * r)
    if kind == "road_block":
        bar = QRectF(at.x() - 1.3 * r, at.y() - 0.75 * r, 2.6 * r, 0.8 * r)
        p.setPen(_pen(OUTLINE, max(2.0, 0.14 * u)))
        for dx in (-0.9 * r, 0.9 * r):
            p.drawLine(QPointF(at.x() + dx, bar.bottom()), QPointF(at.x() + dx, at.y() + 0.6 * r))
        p.setPen(_pen(OUTLINE, max(1.5, 0.1 * u)))
        p.setBrush(QColor("#ffffff"))
        p.drawRect(bar)
        p.save()
        p.setClipRect(bar)
        p.setPen(_pen(colour, 0.45 * r, Qt.PenStyle.SolidLine))
        step = 0.75 * r
        x = bar.left() - bar.height()
        while x < bar.right():
            p.drawLine(QPointF(x, bar.bottom()), QPointF(x + bar.height(), bar.top()))
            x += step
        p.restore()
        return QRectF(bar.left(), bar.top(), bar.width(), 1.4 * r)
    if kind == "text":
        return QRectF(at.x(), at.y(), 0, 0)
    box = QRectF(at.x() - 0.6 * r, at.y() - 0.6 * r, 1.2 * r, 1.2 * r)
    p.drawEllipse(box)
    return box


def label_font(font: QFont, u: float, factor: float = 0.62) -> QFont:
    f = QFont(font)
    f.setPixelSize(max(8, round(u * factor)))
    f.setBold(True)
    return f


def _halo_label(p: QPainter, baseline_left: QPointF, text: str, font: QFont) -> QRectF:
    path = QPainterPath()
    path.addText(baseline_left, font, text)
    p.setPen(_pen(OUTLINE, max(3.0, font.pixelSize() * 0.28)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#f4f4f4"))
    p.drawPath(path)
    return path.boundingRect()


def paint_plot(p: QPainter, shape: PlotShape, pts: Sequence[QPointF], unit: float, font: QFont) -> QRectF:
    """Draw ``shape`` at widget positions ``pts`` with symbols ``unit`` px large. Returns the box its
    symbol covers (a point's icon: a command post's pennant stands above and beside its point)."""
    if not pts:
        return QRectF()
    u = unit * max(0.5, min(3.0, shape.scale))
    colour = colour_of(shape)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if shape.look is PlotLook.DRAFT:
        p.setOpacity(0.45)
    if shape.look is PlotLook.SENDING and len(pts) > 1:
        path = QPainterPath(pts[0])
        for q in pts[1:]:
            path.lineTo(q)
        if shape.geometry == "Polygon":
            path.closeSubpath()
        halo = QColor(SENDING)
        halo.setAlphaF(0.55)
        p.setPen(_pen(halo, 0.9 * u, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    sketch = shape.look is PlotLook.SKETCH
    if shape.geometry == "Polygon" and len(pts) >= 3:
        _area_symbol(p, shape.kind, pts, colour, u * (0.6 if sketch else 1.0))
    elif shape.geometry in ("Polygon", "LineString") and len(pts) >= 2:
        _line_symbol(p, shape.kind, pts, colour, u * (0.6 if sketch else 1.0))
    box = QRectF(pts[0], pts[0])
    if shape.geometry == "Point":
        box = _point_symbol(p, shape, pts[0], colour, u, font)
    if shape.look is PlotLook.DRAFT:
        p.setOpacity(1.0)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(_pen(DRAFT, max(2.0, 0.12 * u), Qt.PenStyle.DashLine))
        if len(pts) > 1:
            p.drawPolyline(QPolygonF([*pts, pts[0]] if shape.geometry == "Polygon" else list(pts)))
        else:
            p.drawEllipse(pts[0], 0.9 * u, 0.9 * u)
    if sketch:
        p.setPen(_pen(OUTLINE, 1.5))
        p.setBrush(QColor("#ffffff"))
        for q in pts:
            p.drawRect(QRectF(q.x() - 0.16 * u, q.y() - 0.16 * u, 0.32 * u, 0.32 * u))
    _labels(p, shape, pts, box, u, font)
    if shape.selected:
        p.setOpacity(1.0)
        p.setPen(_pen(OUTLINE, 2.0))
        p.setBrush(QColor("#ffffff"))
        for q in pts:
            p.drawRect(QRectF(q.x() - 0.22 * u, q.y() - 0.22 * u, 0.44 * u, 0.44 * u))
    p.restore()
    return box


def _labels(p: QPainter, shape: PlotShape, pts: Sequence[QPointF], box: QRectF, u: float, font: QFont) -> None:
    if not (shape.label or shape.note):
        return
    if shape.geometry == "Point":
        anchor = QPointF(box.right() + 0.25 * u, box.center().y() + 0.2 * u)
    elif shape.geometry == "Polygon" and len(pts) >= 3:
        # Below the outline, not at its centre: a zone is drawn around the event, whose marker and
        # label sit at the centre.
        cx = sum(q.x() for q in pts) / len(pts)
        anchor = QPointF(cx - 1.0 * u, max(q.y() for q in pts) + 0.9 * u)
    else:
        mid = pts[len(pts) // 2]
        anchor = QPointF(mid.x() + 0.5 * u, mid.y() - 0.5 * u)
    font_label = label_font(font, u)
    if shape.kind == "text":
        fm = QFontMetricsF(font_label)
        pad = 0.2 * u
        rect = QRectF(anchor.x() - pad, anchor.y() - fm.ascent() - pad, fm.horizontalAdvance(shape.label) + 2 * pad, fm.height() + 2 * pad)
        p.setPen(_pen(OUTLINE, max(1.5, 0.08 * u)))
        p.setBrush(QColor(250, 250, 246, 235))
        p.drawRect(rect)
        p.setFont(font_label)
        p.setPen(QColor("#111315"))
        p.drawText(QPointF(anchor.x(), anchor.y()), shape.label)
        below = rect.bottom()
    else:
        below = anchor.y()
        if shape.label:
            below = _halo_label(p, anchor, shape.label, font_label).bottom()
    if shape.note:
        _halo_label(p, QPointF(anchor.x(), below + 0.45 * u), shape.note, label_font(font, u, 0.42))


def symbol_icon(kind: str, mark: str, size: int, font: QFont, colour: str = "") -> QIcon:
    """The palette button's picture of ``kind``: its symbol in miniature."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    s = float(size)
    u = s * (0.36 if kind not in LINE_KINDS and kind != "fire_zone" else 0.42)
    if kind in LINE_KINDS:
        geometry, pts = "LineString", [QPointF(0.1 * s, 0.78 * s), QPointF(0.45 * s, 0.45 * s), QPointF(0.9 * s, 0.3 * s)]
        if kind == "fire_line":
            pts = [QPointF(0.08 * s, 0.78 * s), QPointF(0.92 * s, 0.78 * s)]
    elif kind == "fire_zone":
        geometry = "Polygon"
        pts = [QPointF(0.15 * s, 0.2 * s), QPointF(0.85 * s, 0.25 * s), QPointF(0.8 * s, 0.85 * s), QPointF(0.2 * s, 0.8 * s)]
    else:
        geometry = "Point"
        pts = [QPointF(0.45 * s, 0.62 * s) if kind != "command_post" else QPointF(0.25 * s, 0.92 * s)]
    shape = PlotShape("icon", kind, geometry, (), mark=mark, colour=colour, label="T" if kind == "text" else "")
    if kind == "text":
        pts = [QPointF(0.3 * s, 0.68 * s)]
    if kind == "command_post":
        u = s * 0.3
    paint_plot(p, shape, pts, u * (1.6 if kind == "text" else 1.0), font)
    p.end()
    return QIcon(pixmap)
