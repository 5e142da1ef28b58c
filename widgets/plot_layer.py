"""The plots drawn on a :class:`~widgets.map_view.MapView`: a foreground layer over the cached map, under
the sensor dots and event markers (and under the grey veil when the map is not current).

The plots are painted into a transparent image once per change of plots or view, and that image is
copied on every paint: the markers flash twice a second and must not repaint every symbol.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter

from widgets.map_view import MapView
from widgets.plot_symbols import paint_plot
from widgets.plot_values import PlotShape


class PlotLayer:
    """The plots of one map.

    Args:
        view: The map; the layer adds itself to it.
    """

    def __init__(self, view: MapView) -> None:
        self.view = view
        self._shapes: list[PlotShape] = []
        self._version = 0
        self._unit = 0.0
        self._image: tuple[tuple[object, ...], QImage] | None = None
        self._anchors: list[tuple[QRectF, QPointF]] = []
        """Each point plot's symbol box and its position, as last painted."""
        self.paint_count = 0
        """Times the plots were painted into the layer's image (tests, benchmarks)."""
        view.add_foreground(self)

    def set_shapes(self, shapes: Sequence[PlotShape]) -> None:
        """Show ``shapes`` (all of them: the previous ones go)."""
        shapes = list(shapes)
        if shapes == self._shapes:
            return
        self._shapes = shapes
        self._version += 1
        self.view.update()

    def shapes(self) -> list[PlotShape]:
        return list(self._shapes)

    def set_unit(self, px: float) -> None:
        """Symbols are ``px`` large (0: from the map's font). A wall sets its label size here."""
        if px != self._unit:
            self._unit = px
            self._version += 1
            self.view.update()

    @property
    def unit(self) -> float:
        if self._unit > 0:
            return self._unit
        return max(14.0, QFontMetricsF(self.view.font()).height() * 1.25)

    def positions(self, shape: PlotShape) -> list[QPointF]:
        """Where ``shape``'s vertices are on the map widget now."""
        return [self.view.lonlat_to_widget(lon, lat) for lon, lat in shape.vertices]

    def visible(self) -> list[str]:
        """Ids of the plots with a vertex, or a segment, on the map widget now."""
        w, h = self.view.width(), self.view.height()
        out = []
        for shape in self._shapes:
            pts = self.positions(shape)
            if not pts:
                continue
            xs, ys = [q.x() for q in pts], [q.y() for q in pts]
            if max(xs) >= 0 and min(xs) <= w and max(ys) >= 0 and min(ys) <= h:
                out.append(shape.id)
        return out

    def anchor_at(self, pos: QPointF) -> QPointF | None:
        """Where the point plot whose symbol was painted under ``pos`` stands (its geometry's
        position on the widget), the last painted on top first; ``None`` if no symbol is there.
        A symbol is larger than its point (a command post's pennant flies above and beside it), so
        the officer clicks the symbol, not the point."""
        for box, anchor in reversed(self._anchors):
            if box.contains(pos):
                return anchor
        return None

    def paint(self, p: QPainter, view: MapView) -> None:
        if not self._shapes:
            return
        v = view.view()
        shown = (v.center_lon, v.center_lat, v.zoom, view.width(), view.height(), self._version, view.font().key())
        if self._image is None or self._image[0] != shown:
            image = QImage(max(1, view.width()), max(1, view.height()), QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            q = QPainter(image)
            unit, font = self.unit, view.font()
            anchors: list[tuple[QRectF, QPointF]] = []
            margin = 4 * unit
            for shape in self._shapes:
                pts = self.positions(shape)
                if not pts or not all(math.isfinite(c) for pt in pts for c in (pt.x(), pt.y())):
                    continue
                xs, ys = [pt.x() for pt in pts], [pt.y() for pt in pts]
                if max(xs) < -margin or min(xs) > view.width() + margin or max(ys) < -margin or min(ys) > view.height() + margin:
                    continue  # not on this map: a wall map shows only what it covers
                box = paint_plot(q, shape, pts, unit, font)
                if shape.geometry == "Point":
                    anchors.append((box.adjusted(-4, -4, 4, 4), pts[0]))
            q.end()
            self._anchors = anchors
            self._image = (shown, image)
            self.paint_count += 1
        p.drawImage(QPoint(0, 0), self._image[1])
