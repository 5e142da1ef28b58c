"""An offline Web Mercator map for the wall: GeoJSON layers, ratings, risk points, event markers.

Drawing is split by how often things change:

* The **static cache** holds the background, the optional MBTiles basemap, the GeoJSON layers
  (with area-rating fills), the risk points, the overlays and the labels. It is one ``QImage``
  larger than the widget by ``cache_margin`` viewports on each side, rendered once per zoom level
  and per "the pan left the margin"; a pan inside the margin only blits it with an offset (one
  ``drawImage`` per frame). ``render_count`` counts re-renders.
* **Markers** (a few dozen events) are painted on top every frame, so flashing costs one blit of
  the damaged rectangles twice a second.

Risk points are written into the cache with numpy (1 px dots, 2×2 from zoom 14, 3×3 from zoom 16),
which is faster than ``QPainter.drawPoints`` and has no per-point Python work.

Area ratings use a five-colour scale, always with a text label beside the area name:

======  ======  ======================
Rating  Colour  Label (English source)
======  ======  ======================
1       green   "1 · Green"
2       blue    "2 · Blue"
3       yellow  "3 · Yellow"
4       orange  "4 · Orange"
5       red     "5 · Red"
======  ======  ======================

Unacknowledged markers flash at 1 Hz (500 ms lit, 500 ms dark; WCAG 2.3.1 allows up to 3 Hz)
with a halo behind the severity icon; the icon itself never disappears.

Translation context: ``MapView``.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from widgets import theme
from widgets.geo import (
    GeoFeature,
    GeometryKind,
    InvalidMapDataError,
    MBTilesReader,
    RiskPointSet,
    parse_geojson,
    prepare_risk_points,
    project,
    project_point,
    unproject_point,
    world_size,
)
from widgets.severity import paint_severity_icon, severity_color
from widgets.text_report import TextLog
from widgets.values import MapMarker as MapMarker
from widgets.values import TextItem, TextRole

FLASH_INTERVAL_MS = 500
"""Length of one flash phase: 1 flash per second, well under the 3 Hz limit (WCAG 2.3.1)."""

MIN_ZOOM = 3.0
MAX_ZOOM = 19.0
WHEEL_ZOOM_STEP = 0.5
"""Zoom levels per wheel notch (120 eighths of a degree)."""

RISK_POINTS_LAYER = "risk_points"
"""Name to pass to ``set_layer_visible`` for the risk-point layer."""
BASEMAP_LAYER = "basemap"
"""Name to pass to ``set_layer_visible`` for the MBTiles basemap."""

MAP_BACKGROUND = "#202327"
"""Calm grey land colour under everything."""

RATING_COLOURS: dict[int, str] = {
    1: "#5fa86f",
    2: theme.SEVERITY_BLUE,
    3: theme.SEVERITY_YELLOW,
    4: theme.SEVERITY_ORANGE,
    5: theme.SEVERITY_RED,
}
"""Five-colour area rating (1 lowest risk): green, blue, yellow, orange, red."""

RATING_FILL_OPACITY: dict[int, float] = {1: 0.10, 2: 0.12, 3: 0.20, 4: 0.24, 5: 0.28}
"""Rating fills are tints: the low ratings (1, 2: the normal state) barely, so colour stays for
the abnormal ones; lines, points and labels read through all of them."""

RISK_LEVEL_COLOURS: tuple[str, ...] = ("#3c434b", "#5a636d", "#9c8856", "#b4694f")
"""Risk points by level 0..3: two calm greys just above the ground, then muted ochre and
terracotta for the few high ones."""

_HALO = QColor(12, 13, 15, 235)
_LABEL_TEXT = QColor(theme.TEXT)


def rating_text(rating: int) -> str:
    """Return the translated label of a five-colour rating, e.g. ``"4 · Orange"``.

    Raises:
        InvalidMapDataError: ``rating`` is not 1..5.
    """
    # Literal strings so that lupdate finds them.
    if rating == 1:
        name = QCoreApplication.translate("MapView", "Green")
    elif rating == 2:
        name = QCoreApplication.translate("MapView", "Blue")
    elif rating == 3:
        name = QCoreApplication.translate("MapView", "Yellow")
    elif rating == 4:
        name = QCoreApplication.translate("MapView", "Orange")
    elif rating == 5:
        name = QCoreApplication.translate("MapView", "Red")
    else:
        raise InvalidMapDataError(f"area rating must be 1..5, got {rating!r}")
    return QCoreApplication.translate("MapView", "{level} · {colour}").format(level=rating, colour=name)


@dataclass(frozen=True, slots=True)
class MapViewport:
    """What the map shows: the centre (degrees) and the zoom level (fractional, Web Mercator)."""

    center_lon: float
    center_lat: float
    zoom: float


GROUP_FACTOR = 1.0
"""Markers whose centres are closer than this many icon sizes are drawn as one icon with a count."""


@dataclass(frozen=True, slots=True)
class LayerStyle:
    """How a GeoJSON layer is drawn. Colours are ``#rrggbb`` strings; sizes are pixels.

    Attributes:
        stroke: Line and outline colour; None for no outline.
        stroke_width: Line width (cosmetic, does not grow with zoom).
        dashed: Dashed lines and outlines.
        fill: Polygon and point fill colour; None for none.
        fill_opacity: 0..1, applied to ``fill``.
        point_radius: Radius of point symbols.
        label_property: Feature property shown as a label (e.g. ``"name"``); None for none.
        label_scale: Label size relative to the widget's font.
        min_label_zoom: Labels are hidden below this zoom level (declutter).

    Raises:
        InvalidMapDataError: A colour is not valid, an opacity is outside 0..1 or a size is
            negative.
    """

    stroke: str | None = theme.TEXT_DIM
    stroke_width: float = 1.5
    dashed: bool = False
    fill: str | None = None
    fill_opacity: float = 1.0
    point_radius: float = 5.0
    label_property: str | None = None
    label_scale: float = 1.0
    min_label_zoom: float = 0.0

    def __post_init__(self) -> None:
        for c in (self.stroke, self.fill):
            if c is not None and not QColor.isValidColorName(c):
                raise InvalidMapDataError(f"LayerStyle: {c!r} is not a colour")
        if not 0.0 <= self.fill_opacity <= 1.0:
            raise InvalidMapDataError(f"LayerStyle: fill_opacity must be 0..1, got {self.fill_opacity}")
        if min(self.stroke_width, self.point_radius, self.label_scale) < 0:
            raise InvalidMapDataError("LayerStyle: sizes must not be negative")


DEFAULT_OVERLAY_STYLE = LayerStyle(
    stroke=theme.ALARM, stroke_width=3.0, fill=theme.ALARM, fill_opacity=0.28, label_property="name"
)
"""Dynamic overlays (fire spread, inundation): translucent alarm red with a solid outline."""


@dataclass(slots=True)
class _Layer:
    features: list[GeoFeature]
    style: LayerStyle
    visible: bool = True


@dataclass(slots=True)
class _Label:
    """A label the map may show: placed by priority, dropped when no free room is left."""

    text: str
    sub: str
    sub_colour: QColor | None
    anchor: QPointF
    """World pixels at the cache's zoom (absolute), where the label belongs."""
    scale: float
    priority: int
    """Lower goes first: event labels, area names (with ratings), overlays, places, sensor values."""
    above: bool = False
    """Place the label's bottom edge at ``anchor`` (point symbols) instead of centring it."""
    role: TextRole = TextRole.SECONDARY


@dataclass(slots=True)
class _Group:
    """Markers drawn as one icon: the top one (most severe), how many, and where it is drawn."""

    top: int
    members: list[int]
    icon: QRectF
    badge: QRectF | None


@dataclass(slots=True)
class _Placement:
    """Where the live layer draws its icons and labels in one view, and what room they take."""

    groups: list[_Group]
    labels: list[tuple[str, QFont, TextRole, QPointF, QRectF]]
    """Text, font, role, baseline start, ink box."""
    swatches: list[tuple[QRectF, QColor]]
    occupied: list[QRectF]
    """Icons, badges, the not-current note and every placed label (padded): sensor values keep clear."""
    dropped: list[str]


PRIORITY_KEY_EVENT = 0
PRIORITY_AREA = 1
PRIORITY_EVENT = 2
PRIORITY_OVERLAY = 3
PRIORITY_PLACE = 4


class RenderPacer:
    """Spreads the cache re-renders of maps that share it over successive frames.

    A wall shows a map on each of five screens. When their content changes together (area ratings,
    overlays after a reconnect), each map re-rendered its cached picture in the same frame: ~5 ms a
    map on an idle machine, up to 60 ms under load, so that frame was late by all of them together.
    Maps sharing a pacer re-render at most one per ``interval_s``; the others keep showing their
    previous picture for a frame or two, never longer than ``max_delay_s``. A change of view (zoom,
    a pan past the cached margin, a resize) is never held back: it would show the wrong place.

    Args:
        interval_s: Least time between the end of one map's re-render and the start of another's.
        max_delay_s: A content change is shown within this time, whatever the other maps do.
    """

    def __init__(self, interval_s: float = 0.012, max_delay_s: float = 0.25) -> None:
        self.interval_s = interval_s
        self.max_delay_s = max_delay_s
        self._last_render_end = -math.inf
        self.deferred = 0
        """Re-renders put off to a later frame (for tests and benchmarks)."""

    def may_render(self, now: float, dirty_since: float) -> bool:
        """Whether a map whose content changed at ``dirty_since`` may re-render at ``now``."""
        return now - self._last_render_end >= self.interval_s or now - dirty_since >= self.max_delay_s

    def wait_s(self, now: float, dirty_since: float) -> float:
        """How long until a map held back at ``now`` may re-render."""
        return max(
            0.0,
            min(self.interval_s - (now - self._last_render_end), self.max_delay_s - (now - dirty_since)),
        )

    def rendered(self, now: float) -> None:
        self._last_render_end = now


class ForegroundLayer(Protocol):
    """Something painted over the cached map, under the sensor dots and markers, on every paint (the
    plot layer, widgets/plot_layer.py). It keeps its own cache if painting is not cheap."""

    def paint(self, p: QPainter, view: MapView) -> None: ...


class MapView(QWidget):
    """Offline map: pan by dragging, zoom with the wheel about the cursor, click markers.

    Layers are drawn in this order: background, basemap, GeoJSON layers (in the order added, with
    rating fills on coded polygons), risk points, overlays, labels, markers. The static part is
    cached (see the module docstring), so panning 330,000 points costs one image blit a frame.

    Signals:
        marker_clicked(str): A marker was clicked (press and release without dragging); the id.
        view_changed(): The centre or the zoom changed (by the user or the API).
    """

    marker_clicked = Signal(str)
    view_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, cache_margin: float = 0.5) -> None:
        """Create a map of the whole world, without layers (the owner sets the view it wants).

        Args:
            parent: Parent widget.
            cache_margin: Extra cached area on each side, in viewports (0.5 renders a 2×2
                viewport image). Larger margins re-render less often but each re-render is slower.
        """
        super().__init__(parent)
        if cache_margin < 0:
            raise InvalidMapDataError(f"cache_margin must not be negative, got {cache_margin}")
        self._margin = cache_margin
        self._cx, self._cy = project_point(0.0, 0.0)
        self._zoom = MIN_ZOOM
        self._layers: dict[str, _Layer] = {}
        self._overlays: dict[str, _Layer] = {}
        self._ratings: dict[str, int] = {}
        self._risk_visible = True
        self._risk_x = np.empty(0, dtype=np.float64)
        self._risk_y = np.empty(0, dtype=np.float64)
        self._risk_bounds: list[tuple[int, int, int]] = []  # (level, start, stop) into the sorted arrays
        self._risk_version = 0  # bumped by set_risk_points
        self._risk_pixels: tuple[tuple[object, ...], list[tuple[np.uint32, np.ndarray]]] | None = None
        """Where the risk points fall in the cache image for one view: (key, [(colour, pixel indices)])."""
        self._basemap: MBTilesReader | None = None
        self._basemap_opacity = 0.6
        self._basemap_visible = True
        self._tiles: OrderedDict[tuple[int, int, int], QImage | None] = OrderedDict()
        self._dots: list[tuple[float, float, int, str]] = []
        self._live_version = 0  # bumped when the markers as shown change
        self._dots_version = 0  # bumped when the dots as shown change
        self._live: dict[bool, tuple[tuple[object, ...], QImage, list[TextItem]]] = {}  # see _live_layer
        self._dots_image: tuple[tuple[object, ...], QImage, list[TextItem]] | None = None  # see _dots_layer
        self._marker_label_scale = 1.0
        self._key_px = 0
        self._sec_px = 0
        self._static_candidates: list[_Label] = []  # the cached map's labels, world pixels at its zoom
        self._placement: tuple[tuple[object, ...], _Placement] | None = None  # see _place
        self._live_items: list[TextItem] = []
        self._dots_items: list[TextItem] = []
        self._note_items: list[TextItem] = []
        self._markers: list[MapMarker] = []
        self._marker_xy: list[tuple[float, float]] = []  # world coordinates, in draw order
        self._cache: QImage | None = None
        self._cache_zoom = math.nan
        self._cache_origin = QPoint(0, 0)  # world pixel at the cache's top-left corner
        self._cache_dirty = True
        self._dirty_since = 0.0  # monotonic time of the first content change not yet rendered
        self._pacer: RenderPacer | None = None
        self._retry_pending = False
        self._render_count = 0
        self._last_render_ms = 0.0
        self._press_pos: QPointF | None = None
        self._last_drag_pos = QPointF()
        self._dragging = False
        self._flash_lit = False
        self._not_current = ""
        """Why the live layers are not current ("" when they are): drawn under a grey veil with it."""
        self._foreground: list[ForegroundLayer] = []
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    # -- view -------------------------------------------------------------------------------------

    def view(self) -> MapViewport:
        """Return the current centre and zoom."""
        lon, lat = unproject_point(self._cx, self._cy)
        return MapViewport(lon, lat, self._zoom)

    def set_view(self, center_lon: float, center_lat: float, zoom: float) -> None:
        """Centre the map on ``(center_lon, center_lat)`` at ``zoom`` (clamped to 3..19)."""
        x, y = project_point(center_lon, center_lat)
        self._set_center_zoom(x, y, zoom)

    def pan_by(self, dx_px: float, dy_px: float) -> None:
        """Move the map content by ``(dx_px, dy_px)`` pixels, as dragging the mouse by that much.

        Positive ``dx_px`` moves the content right, so the view looks further west.
        """
        s = world_size(self._zoom)
        self._set_center_zoom(self._cx - dx_px / s, self._cy - dy_px / s, self._zoom)

    def zoom_by(self, delta: float, anchor: QPointF | None = None) -> None:
        """Zoom in by ``delta`` levels (negative zooms out), keeping the map still at ``anchor``.

        Args:
            delta: Zoom change in levels; 1 doubles the scale.
            anchor: Widget position that stays put, e.g. the cursor; None for the centre.
        """
        new_zoom = min(MAX_ZOOM, max(MIN_ZOOM, self._zoom + delta))
        if anchor is None:
            self._set_center_zoom(self._cx, self._cy, new_zoom)
            return
        off_x = anchor.x() - self.width() / 2.0
        off_y = anchor.y() - self.height() / 2.0
        s0, s1 = world_size(self._zoom), world_size(new_zoom)
        wx, wy = self._cx + off_x / s0, self._cy + off_y / s0
        self._set_center_zoom(wx - off_x / s1, wy - off_y / s1, new_zoom)

    def fit_bounds(self, lon0: float, lat0: float, lon1: float, lat1: float, padding_px: int = 24) -> None:
        """Show the box between two corners as large as fits, centred, with ``padding_px`` around."""
        x0, y0 = project_point(min(lon0, lon1), max(lat0, lat1))
        x1, y1 = project_point(max(lon0, lon1), min(lat0, lat1))
        w = max(1.0, self.width() - 2.0 * padding_px)
        h = max(1.0, self.height() - 2.0 * padding_px)
        dx, dy = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
        zoom = math.log2(min(w / (dx * world_size(0)), h / (dy * world_size(0))))
        self._set_center_zoom((x0 + x1) / 2.0, (y0 + y1) / 2.0, zoom)

    def lonlat_to_widget(self, lon: float, lat: float) -> QPointF:
        """Return the widget position of ``(lon, lat)`` in the current view."""
        x, y = project_point(lon, lat)
        return self._world_to_widget(x, y)

    def widget_to_lonlat(self, pos: QPointF) -> tuple[float, float]:
        """Return ``(lon, lat)`` under the widget position ``pos``."""
        s = world_size(self._zoom)
        x = self._cx + (pos.x() - self.width() / 2.0) / s
        y = self._cy + (pos.y() - self.height() / 2.0) / s
        return unproject_point(x, y)

    # -- layers -----------------------------------------------------------------------------------

    def add_geojson_layer(self, name: str, geojson: Mapping[str, Any], style: LayerStyle) -> None:
        """Add a static GeoJSON layer on top of the previous ones, or replace the layer ``name``.

        Polygon features whose ``code`` property has a rating (``set_area_ratings``) are filled
        with the rating colour and labelled with the rating text.

        Raises:
            InvalidGeoJSONError: ``geojson`` is malformed; the layer is left unchanged.
            InvalidMapDataError: ``name`` is one of the reserved names.
        """
        if name in (RISK_POINTS_LAYER, BASEMAP_LAYER):
            raise InvalidMapDataError(f"layer name {name!r} is reserved")
        features = parse_geojson(geojson, f"layer {name!r}")
        visible = self._layers[name].visible if name in self._layers else True
        self._layers[name] = _Layer(features, style, visible)
        self._invalidate()

    def remove_layer(self, name: str) -> None:
        """Remove the GeoJSON layer ``name``; unknown names are ignored."""
        if self._layers.pop(name, None) is not None:
            self._invalidate()

    def layer_names(self) -> list[str]:
        """Return the GeoJSON layers' names, bottom first."""
        return list(self._layers)

    def layer_labels(self, name: str) -> list[str]:
        """Return the label texts of a layer's features (its style's ``label_property``), in order."""
        layer = self._layers.get(name)
        prop = layer.style.label_property if layer is not None else None
        if layer is None or prop is None:
            return []
        return [str(f.properties[prop]) for f in layer.features if f.properties.get(prop) not in (None, "")]

    def basemap_path(self) -> Path | None:
        """Return the MBTiles file drawn under the layers, or None."""
        return self._basemap.path if self._basemap is not None else None

    def layer_bounds(self, name: str) -> tuple[float, float, float, float] | None:
        """Return ``(lon0, lat0, lon1, lat1)`` around the layer's features; None for an unknown
        or empty layer (for fitting a view to a layer: "show the forest park")."""
        layer = self._layers.get(name)
        if layer is None or not layer.features:
            return None
        boxes = np.array([f.bbox for f in layer.features], dtype=np.float64)
        lon0, lat1 = unproject_point(float(boxes[:, 0].min()), float(boxes[:, 1].min()))
        lon1, lat0 = unproject_point(float(boxes[:, 2].max()), float(boxes[:, 3].max()))
        return lon0, lat0, lon1, lat1

    def set_layer_visible(self, name: str, visible: bool) -> None:
        """Show or hide a GeoJSON layer, ``RISK_POINTS_LAYER`` or ``BASEMAP_LAYER``.

        Raises:
            InvalidMapDataError: There is no layer ``name``.
        """
        if name == RISK_POINTS_LAYER:
            changed = self._risk_visible != visible
            self._risk_visible = visible
        elif name == BASEMAP_LAYER:
            changed = self._basemap_visible != visible
            self._basemap_visible = visible
        elif name in self._layers:
            changed = self._layers[name].visible != visible
            self._layers[name].visible = visible
        else:
            raise InvalidMapDataError(f"no layer named {name!r} (have {', '.join(self._layers) or 'none'})")
        if changed:
            self._invalidate()

    def is_layer_visible(self, name: str) -> bool:
        """Return whether ``name`` is shown (False for unknown names)."""
        if name == RISK_POINTS_LAYER:
            return self._risk_visible
        if name == BASEMAP_LAYER:
            return self._basemap_visible
        layer = self._layers.get(name)
        return layer is not None and layer.visible

    def set_area_ratings(self, ratings: Mapping[str, int]) -> None:
        """Set the five-colour rating (1..5) of areas by their polygons' ``code`` property.

        Codes not in ``ratings`` are drawn with their layer's own style. Replaces all ratings.

        Raises:
            InvalidMapDataError: A rating is not 1..5; the previous ratings stay.
        """
        bad = {k: v for k, v in ratings.items() if v not in RATING_COLOURS}
        if bad:
            raise InvalidMapDataError(f"area ratings must be 1..5, got {bad}")
        new = {str(k): int(v) for k, v in ratings.items()}
        if new == self._ratings:
            return  # a re-render costs ~20-50 ms; the wall sets the same ratings twice a second
        self._ratings = new
        self._invalidate()

    def area_ratings(self) -> dict[str, int]:
        """Return a copy of the ratings in force."""
        return dict(self._ratings)

    def set_overlay(
        self, name: str, geojson: Mapping[str, Any] | None, style: LayerStyle | None = None
    ) -> None:
        """Show a dynamic polygon overlay (fire spread, inundation) above the points, or remove it.

        Args:
            name: Overlay name; setting it again replaces it.
            geojson: Polygons (any GeoJSON), or None to remove the overlay.
            style: How to draw it; default ``DEFAULT_OVERLAY_STYLE`` (translucent, outlined).

        Raises:
            InvalidGeoJSONError: ``geojson`` is malformed; the overlay is left unchanged.
        """
        if geojson is None:
            if self._overlays.pop(name, None) is not None:
                self._invalidate()
            return
        features = parse_geojson(geojson, f"overlay {name!r}")
        self._overlays[name] = _Layer(features, style or DEFAULT_OVERLAY_STYLE)
        self._invalidate()

    def add_foreground(self, layer: ForegroundLayer) -> None:
        """Paint ``layer`` over the map, under the dots and markers (and the not-current veil)."""
        self._foreground.append(layer)
        self.update()

    def overlay_names(self) -> list[str]:
        """Return the overlays' names, bottom first."""
        return list(self._overlays)

    def set_risk_points(
        self,
        lon: npt.ArrayLike,
        lat: npt.ArrayLike,
        level: npt.ArrayLike | None = None,
    ) -> None:
        """Replace the risk-point layer (hundreds of thousands of points are fine).

        Args:
            lon: Longitudes, one-dimensional; copied.
            lat: Latitudes, same length.
            level: Optional class per point, 0..3 (``RISK_LEVEL_COLOURS``; higher values are
                drawn on top); None draws every point as level 0.

        Raises:
            InvalidMapDataError: The arrays differ in length, are not one-dimensional, or a level
                is outside 0..3.
        """
        self.set_risk_point_set(prepare_risk_points(lon, lat, level))

    def set_risk_point_set(self, points: RiskPointSet) -> None:
        """Replace the risk-point layer with points already prepared (shared by several maps)."""
        self._risk_x, self._risk_y = points.x, points.y
        self._risk_bounds = list(points.runs)
        self._risk_version += 1
        self._risk_pixels = None
        self._invalidate()

    def risk_point_count(self) -> int:
        """Return the number of risk points held (non-finite ones are dropped)."""
        return len(self._risk_x)

    def set_basemap(self, path: str | Path | None, opacity: float = 0.6) -> None:
        """Use an MBTiles raster file as the basemap, drawn dimmed under the layers; None removes it.

        Tiles come from the nearest zoom level the file has, scaled. The file stays open until the
        basemap is replaced or removed.

        Args:
            path: The ``.mbtiles`` file, or None.
            opacity: 0..1; the basemap is blended over the grey background so it stays calm.

        Raises:
            InvalidMBTilesError: The file is not a readable MBTiles tile set.
        """
        reader = MBTilesReader(path) if path is not None else None
        if self._basemap is not None:
            self._basemap.close()
        self._basemap = reader
        self._basemap_opacity = min(1.0, max(0.0, opacity))
        self._tiles.clear()
        self._invalidate()

    # -- markers ----------------------------------------------------------------------------------

    def set_markers(self, markers: Sequence[MapMarker]) -> None:
        """Replace the event markers.

        The most severe markers are drawn on top (and win clicks where icons overlap); the flash
        timer runs while any marker is unacknowledged.

        Raises:
            InvalidMapDataError: Two markers share an id; the previous markers stay.
        """
        ids = [m.id for m in markers]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise InvalidMapDataError(f"duplicate marker ids: {dup}")
        ordered = sorted(markers, key=lambda m: (m.acknowledged is False, -int(m.severity)))
        if ordered == self._markers:
            return  # the panel sets its markers on any event change, most elsewhere in the city
        self._markers = ordered
        self._marker_xy = [project_point(m.lon, m.lat) for m in self._markers]
        self._live_version += 1
        if any(not m.acknowledged for m in self._markers) and not self._not_current:
            if not self._flash_timer.isActive():
                self._flash_lit = True  # a new alarm is visible at once
                self._flash_timer.start()
        else:
            self._flash_timer.stop()
            self._flash_lit = False
        self.update()

    def set_not_current(self, note: str) -> None:
        """Mark what the map shows as not current (``note`` says since when, e.g. "as of 14:03:22 ·
        not live"), or current again with "". Not current: events, dots and ratings lie under a grey
        veil with the note on it, and nothing flashes. Old data never looks live."""
        if note == self._not_current:
            return
        self._not_current = note
        if note:
            self._flash_timer.stop()
            self._flash_lit = False
        elif any(not m.acknowledged for m in self._markers):
            self._flash_lit = True
            self._flash_timer.start()
        self.update()

    def not_current(self) -> str:
        """The note shown while the map is not current ("" when it is)."""
        return self._not_current

    def markers(self) -> list[MapMarker]:
        """Return the markers in draw order (bottom first)."""
        return list(self._markers)

    def marker_at(self, pos: QPointF) -> str | None:
        """Return the id of the topmost marker whose icon (as drawn) contains ``pos``, or None."""
        placement = self._place(*self._viewport_origin())
        for g in reversed(placement.groups):
            if g.icon.adjusted(-2, -2, 2, 2).contains(pos):
                return self._markers[g.top].id
        return None

    def marker_rect(self, marker_id: str) -> QRectF | None:
        """Return the widget rectangle of the marker's icon as drawn (the click target), or None."""
        placement = self._place(*self._viewport_origin())
        for g in placement.groups:
            if any(self._markers[k].id == marker_id for k in g.members):
                return QRectF(g.icon)
        return None

    def dropped_labels(self) -> list[str]:
        """Labels the last placement had no free room for (lowest priority first to go)."""
        return list(self._place(*self._viewport_origin()).dropped)

    @property
    def flash_phase(self) -> bool:
        """True while unacknowledged markers show their flash halo."""
        return self._flash_lit

    def is_flashing(self) -> bool:
        """Return whether the flash timer runs (some marker is unacknowledged)."""
        return self._flash_timer.isActive()

    def is_marker_lit(self, marker_id: str) -> bool:
        """Return whether the marker ``marker_id`` currently shows its flash halo."""
        return self._flash_lit and any(m.id == marker_id and not m.acknowledged for m in self._markers)

    # -- statistics for tests and benchmarks ------------------------------------------------------

    @property
    def render_count(self) -> int:
        """Number of times the static cache has been rendered."""
        return self._render_count

    @property
    def last_render_ms(self) -> float:
        """Duration of the last cache render, milliseconds."""
        return self._last_render_ms

    # -- Qt overrides -----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        h = QFontMetricsF(self.font()).height()
        return QSize(round(h * 40), round(h * 24))

    def minimumSizeHint(self) -> QSize:
        h = QFontMetricsF(self.font()).height()
        return QSize(round(h * 8), round(h * 6))

    def paintEvent(self, event: QPaintEvent) -> None:
        ix, iy = self._viewport_origin()
        self._ensure_cache(ix, iy)
        cache = self._cache
        assert cache is not None
        p = QPainter(self)
        src = QRect(ix - self._cache_origin.x(), iy - self._cache_origin.y(), self.width(), self.height())
        p.drawImage(QPoint(0, 0), cache, src)
        for layer in self._foreground:
            layer.paint(p, self)
        if self._dots:
            p.drawImage(QPoint(0, 0), self._dots_layer(ix, iy))
        else:
            self._dots_items = []
        if self._flash_lit and self._markers:
            p.drawImage(QPoint(0, 0), self._live_layer(ix, iy, halos=True))
        p.drawImage(QPoint(0, 0), self._live_layer(ix, iy, halos=False))
        if self._not_current:  # events, dots and ratings under a grey veil: old data never looks live
            self._paint_veil(p)
        self._note_items = self._paint_note(p) if self._not_current else []
        p.end()

    def text_items(self) -> list[TextItem]:
        """What the last paint drew (the wall's self-check): labels, icon numerals, counts, values."""
        return [*self._live_items, *self._dots_items, *self._note_items]

    def _note_box(self) -> tuple[QRectF, QFont]:
        font = self._label_font(TextRole.SECONDARY)
        fm = QFontMetricsF(font)
        pad = fm.height() * 0.3
        return QRectF(pad, pad, fm.horizontalAdvance(self._not_current) + 2 * pad, fm.height() + pad), font

    def _paint_veil(self, p: QPainter) -> None:
        """A grey veil over everything: the ratings' and markers' colours fade to grey."""
        veil = QColor(theme.BG_WINDOW)
        veil.setAlphaF(0.62)
        p.fillRect(self.rect(), veil)

    def _paint_note(self, p: QPainter) -> list[TextItem]:
        """The "as of … · not live" note in a framed box at the top left (labels keep clear of it)."""
        box, font = self._note_box()
        p.setPen(QPen(QColor(theme.STALE), 2, Qt.PenStyle.DashLine))
        p.setBrush(QColor(theme.BG_PANEL))
        p.drawRect(box)
        p.setFont(font)
        p.setPen(QColor(theme.TEXT))
        log = TextLog()
        log.draw(p, box, int(Qt.AlignmentFlag.AlignCenter), self._not_current, TextRole.SECONDARY)
        return log.items

    def _dots_layer(self, ix: int, iy: int) -> QImage:
        """The sensor dots and their values, painted into a transparent image once per change of
        dots, view or placement of the labels above them.

        Apart from the markers: the dots change once a second, the markers' flash twice, and
        painting both whenever either changed cost 5-12 ms a map (the markers' labels are halo text).
        """
        placement = self._place(ix, iy)
        shown = (
            ix,
            iy,
            self._zoom,
            self.width(),
            self.height(),
            self._dots_version,
            self.font().key(),
            id(placement),
        )
        if self._dots_image is not None and self._dots_image[0] == shown:
            self._dots_items = self._dots_image[2]
            return self._dots_image[1]
        image = QImage(max(1, self.width()), max(1, self.height()), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        p = QPainter(image)
        log = TextLog()
        self._paint_dots(p, ix, iy, placement, log)
        p.end()
        self._dots_image = (shown, image, log.items)
        self._dots_items = log.items
        return image

    def _live_layer(self, ix: int, iy: int, *, halos: bool) -> QImage:
        """The markers (icons, badges) and every label, or the markers' flash halos, painted into a
        transparent image once per change of markers, labels or view.

        The markers flash on every map at 1 Hz. Only the halos flash: the lit phase draws the halo
        image under the same markers image, so a change of markers paints the icons and the
        halo-text labels once (~5 ms on the overview), not once for each phase. Whatever the
        painting reads belongs in the placement's key (:meth:`_place`).
        """
        placement = self._place(ix, iy)
        shown = (id(placement), self._marker_label_scale)
        layer = self._live.get(halos)
        if layer is not None and layer[0] == shown:
            if not halos:
                self._live_items = layer[2]
            return layer[1]
        image = QImage(max(1, self.width()), max(1, self.height()), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        p = QPainter(image)
        log = TextLog()
        if halos:
            self._paint_halos(p, placement)
        else:
            self._paint_markers(p, placement, log)
        p.end()
        self._live[halos] = (shown, image, log.items)
        if not halos:
            self._live_items = log.items
        return image

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A bigger viewport needs a bigger cache; a smaller one can keep the old cache.
        if self._cache is not None and (
            self.width() + 2 * self._margin_px()[0] > self._cache.width()
            or self.height() + 2 * self._margin_px()[1] > self._cache.height()
        ):
            self._cache_dirty = True
        super().resizeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position()
            self._last_drag_pos = event.position()
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_pos is None:
            super().mouseMoveEvent(event)
            return
        pos = event.position()
        if not self._dragging:
            moved = (pos - self._press_pos).manhattanLength()
            if moved < QApplication.startDragDistance():
                return
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        delta = pos - self._last_drag_pos
        self._last_drag_pos = pos
        self.pan_by(delta.x(), delta.y())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            super().mouseReleaseEvent(event)
            return
        was_drag = self._dragging
        self._press_pos = None
        self._dragging = False
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if not was_drag:
            hit = self.marker_at(event.position())
            if hit is not None:
                self.marker_clicked.emit(hit)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(steps * WHEEL_ZOOM_STEP, event.position())
        event.accept()

    # -- internals: view --------------------------------------------------------------------------

    def _set_center_zoom(self, x: float, y: float, zoom: float) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        x = min(1.0, max(0.0, x))
        y = min(1.0, max(0.0, y))
        if (x, y, zoom) == (self._cx, self._cy, self._zoom):
            return
        self._cx, self._cy, self._zoom = x, y, zoom
        self.update()
        self.view_changed.emit()

    def _viewport_origin(self) -> tuple[int, int]:
        """World pixel (at the current zoom) at the widget's top-left corner, rounded."""
        s = world_size(self._zoom)
        return round(self._cx * s - self.width() / 2.0), round(self._cy * s - self.height() / 2.0)

    def _world_to_widget(self, x: float, y: float) -> QPointF:
        s = world_size(self._zoom)
        ix, iy = self._viewport_origin()
        return QPointF(x * s - ix, y * s - iy)

    def _margin_px(self) -> tuple[int, int]:
        return round(self.width() * self._margin), round(self.height() * self._margin)

    def _invalidate(self) -> None:
        if not self._cache_dirty:
            self._dirty_since = time.monotonic()
        self._cache_dirty = True
        self.update()

    def set_render_pacer(self, pacer: RenderPacer | None) -> None:
        """Share ``pacer`` with the other maps on the wall so their re-renders fall in different
        frames (see :class:`RenderPacer`); None: re-render whenever the content changes."""
        self._pacer = pacer

    def _retry_render(self) -> None:
        self._retry_pending = False
        self.update()

    # -- internals: the static cache --------------------------------------------------------------

    def _ensure_cache(self, ix: int, iy: int) -> None:
        c = self._cache
        covers = (
            c is not None
            and self._cache_zoom == self._zoom
            and self._cache_origin.x() <= ix
            and self._cache_origin.y() <= iy
            and ix + self.width() <= self._cache_origin.x() + c.width()
            and iy + self.height() <= self._cache_origin.y() + c.height()
        )
        if covers and not self._cache_dirty:
            return
        pacer = self._pacer
        now = time.monotonic()
        if covers and pacer is not None and not pacer.may_render(now, self._dirty_since):
            # Another map re-rendered in this frame: show the previous picture once more.
            pacer.deferred += 1
            if not self._retry_pending:
                self._retry_pending = True
                QTimer.singleShot(
                    max(1, round(pacer.wait_s(now, self._dirty_since) * 1000)), self, self._retry_render
                )
            return
        mx, my = self._margin_px()
        self._render_cache(ix - mx, iy - my, self.width() + 2 * mx, self.height() + 2 * my)
        if pacer is not None:
            pacer.rendered(time.monotonic())

    def _render_cache(self, ox: int, oy: int, w: int, h: int) -> None:
        t0 = time.perf_counter()
        if self._cache is None or self._cache.width() != w or self._cache.height() != h:
            self._cache = QImage(max(1, w), max(1, h), QImage.Format.Format_RGB32)
        img = self._cache
        img.fill(QColor(MAP_BACKGROUND))
        scale = world_size(self._zoom)
        view = QRectF(ox, oy, w, h)

        p = QPainter(img)
        p.setFont(self.font())
        if self._basemap is not None and self._basemap_visible:
            self._draw_basemap(p, ox, oy, w, h)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for layer in self._layers.values():
            if layer.visible:
                self._draw_layer(p, layer, scale, ox, oy, view, rated=True)
        p.end()

        if self._risk_visible and self._risk_bounds:
            self._draw_risk_points(img, scale, ox, oy)

        p = QPainter(img)
        p.setFont(self.font())
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for layer in self._overlays.values():
            self._draw_layer(p, layer, scale, ox, oy, view, rated=False)
        p.end()
        # Labels are placed over the live markers, never baked in under them (see _place).
        self._static_candidates = self._label_candidates(scale)

        self._cache_origin = QPoint(ox, oy)
        self._cache_zoom = self._zoom
        self._cache_dirty = False
        self._render_count += 1
        self._last_render_ms = (time.perf_counter() - t0) * 1000.0

    def _draw_basemap(self, p: QPainter, ox: int, oy: int, w: int, h: int) -> None:
        reader = self._basemap
        assert reader is not None
        tz = min(reader.max_zoom, max(reader.min_zoom, round(self._zoom)))
        tile_px = 256.0 * 2.0 ** (self._zoom - tz)
        n = 1 << tz
        tx0, tx1 = max(0, math.floor(ox / tile_px)), min(n - 1, math.floor((ox + w) / tile_px))
        ty0, ty1 = max(0, math.floor(oy / tile_px)), min(n - 1, math.floor((oy + h) / tile_px))
        if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) > 2048:
            return  # far below the file's zoom range: too many tiles to be useful
        p.save()
        p.setOpacity(self._basemap_opacity)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for ty in range(ty0, ty1 + 1):
            for tx in range(tx0, tx1 + 1):
                tile = self._tile(tz, tx, ty)
                if tile is not None:
                    target = QRectF(tx * tile_px - ox, ty * tile_px - oy, tile_px, tile_px)
                    p.drawImage(target, tile)
        p.restore()

    def _tile(self, z: int, x: int, y: int) -> QImage | None:
        key = (z, x, y)
        if key in self._tiles:
            self._tiles.move_to_end(key)
            return self._tiles[key]
        assert self._basemap is not None
        data = self._basemap.tile(z, x, y)
        img: QImage | None = None
        if data is not None:
            img = QImage.fromData(data)
            if img.isNull():
                img = None
        self._tiles[key] = img
        while len(self._tiles) > 512:
            self._tiles.popitem(last=False)
        return img

    def _draw_layer(
        self, p: QPainter, layer: _Layer, scale: float, ox: int, oy: int, view: QRectF, *, rated: bool
    ) -> None:
        st = layer.style
        pen = QPen(QColor(st.stroke)) if st.stroke else QPen(Qt.PenStyle.NoPen)
        if st.stroke:
            pen.setWidthF(st.stroke_width)
            pen.setCosmetic(True)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            if st.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
        fill = QColor(st.fill) if st.fill else None
        if fill is not None:
            fill.setAlphaF(st.fill_opacity)
        pad = max(st.point_radius, st.stroke_width) + 2.0
        for f in layer.features:
            x0, y0, x1, y1 = f.bbox
            box = QRectF(
                x0 * scale - ox - pad,
                y0 * scale - oy - pad,
                (x1 - x0) * scale + 2 * pad,
                (y1 - y0) * scale + 2 * pad,
            )
            if not box.intersects(QRectF(0, 0, view.width(), view.height())):
                continue
            if f.kind is GeometryKind.POLYGON:
                brush: QBrush | QColor | Qt.BrushStyle = fill if fill is not None else Qt.BrushStyle.NoBrush
                outline = pen
                code = f.properties.get("code")
                if rated and isinstance(code, str) and code in self._ratings:
                    rc = QColor(RATING_COLOURS[self._ratings[code]])
                    outline = QPen(rc, max(2.0, st.stroke_width))
                    outline.setCosmetic(True)
                    outline.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                    rc.setAlphaF(RATING_FILL_OPACITY[self._ratings[code]])
                    brush = rc
                path = QPainterPath()
                path.setFillRule(Qt.FillRule.OddEvenFill)
                for ring in f.parts:
                    path.addPolygon(_to_polygon(ring, scale, ox, oy))
                    path.closeSubpath()
                p.setPen(outline)
                p.setBrush(brush)
                p.drawPath(path)
            elif f.kind is GeometryKind.LINE:
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                for line in f.parts:
                    p.drawPolyline(_to_polygon(line, scale, ox, oy))
            else:
                p.setPen(pen)
                p.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
                r = st.point_radius
                for px, py in f.parts[0]:
                    p.drawEllipse(QPointF(px * scale - ox, py * scale - oy), r, r)

    def _draw_risk_points(self, img: QImage, scale: float, ox: int, oy: int) -> None:
        """Write the points straight into the image's pixels (no QPainter may be active on it).

        Where the points fall is kept for the view: a re-render for new content (ratings, an
        overlay) at the same place writes the same pixels again (~1 ms for 330,000 points) instead
        of projecting every point again (~10 ms, most of a wall map's re-render).
        """
        w, h = img.width(), img.height()
        stride = img.bytesPerLine() // 4
        buf = np.frombuffer(img.bits(), dtype=np.uint32)
        dot = 1 if self._zoom < 14 else (2 if self._zoom < 16 else 3)
        key = (self._risk_version, self._zoom, ox, oy, w, h, stride, dot)
        if self._risk_pixels is None or self._risk_pixels[0] != key:
            self._risk_pixels = (key, self._risk_pixel_indices(scale, ox, oy, w, h, stride, dot))
        for colour, pixels in self._risk_pixels[1]:
            buf[pixels] = colour

    def _risk_pixel_indices(
        self, scale: float, ox: int, oy: int, w: int, h: int, stride: int, dot: int
    ) -> list[tuple[np.uint32, np.ndarray]]:
        """Per risk level, its colour and the indices of the image pixels its points cover."""
        out: list[tuple[np.uint32, np.ndarray]] = []
        for lv, start, stop in self._risk_bounds:
            colour = np.uint32(0xFF000000 | QColor(RISK_LEVEL_COLOURS[lv]).rgb())
            x = self._risk_x[start:stop] * scale - ox
            y = self._risk_y[start:stop] * scale - oy
            inside = (x >= 0) & (y >= 0) & (x <= w - dot) & (y <= h - dot)
            first = y[inside].astype(np.intp) * stride + x[inside].astype(np.intp)
            offsets = [ddy * stride + ddx for ddy in range(dot) for ddx in range(dot)]
            out.append((colour, np.concatenate([first + off for off in offsets]) if dot > 1 else first))
        return out

    def _label_candidates(self, scale: float) -> list[_Label]:
        """Every label of the layers and overlays, anchored in world pixels at ``scale``."""
        labels: list[_Label] = []
        for layers, rated in ((self._layers.values(), True), (self._overlays.values(), False)):
            for layer in layers:
                st = layer.style
                if not layer.visible or st.label_property is None or self._zoom < st.min_label_zoom:
                    continue
                for f in layer.features:
                    text = f.properties.get(st.label_property)
                    code = f.properties.get("code")
                    rating = self._ratings.get(code) if rated and isinstance(code, str) else None
                    if not text and rating is None:
                        continue
                    ax, ay = f.anchor
                    anchor = QPointF(ax * scale, ay * scale)
                    if f.kind is GeometryKind.POINT:
                        anchor += QPointF(0.0, -(st.point_radius + 2.0))
                    sub, sub_colour = "", None
                    if rating is not None and f.kind is GeometryKind.POLYGON:
                        sub, sub_colour = rating_text(rating), QColor(RATING_COLOURS[rating])
                    if not rated:
                        prio, role = PRIORITY_OVERLAY, TextRole.SECONDARY
                    elif f.kind is GeometryKind.POLYGON and st.label_scale >= 1.5:
                        prio, role = PRIORITY_AREA, TextRole.KEY  # district names
                    else:
                        prio, role = PRIORITY_PLACE, TextRole.SECONDARY
                    above = f.kind is GeometryKind.POINT
                    labels.append(
                        _Label(str(text or ""), sub, sub_colour, anchor, st.label_scale, prio, above, role)
                    )
        labels.sort(key=lambda lab: (lab.priority, -lab.scale))
        return labels

    def _label_font(self, role: TextRole, scale: float = 1.0) -> QFont:
        """Wall type: key or secondary size; else the widget's font times ``scale``."""
        if self._key_px:
            font = QFont(self.font())
            font.setPixelSize(self._key_px if role is TextRole.KEY else self._sec_px)
            font.setBold(True)
            return font
        return theme.scaled_font(self.font(), scale, bold=True)

    # -- internals: markers -----------------------------------------------------------------------

    def set_type_sizes(self, key_px: int, secondary_px: int) -> None:
        """Wall type: district names and the most severe events' labels in ``key_px``; ratings,
        other labels, sensor values and counts in ``secondary_px`` (font pixel sizes)."""
        self._key_px, self._sec_px = max(0, key_px), max(0, secondary_px)
        self._marker_label_scale = 1.0
        self._placement = None
        self._invalidate()

    def set_marker_label_scale(self, scale: float) -> None:
        """Size of event-marker labels relative to the widget's font (default 1; desk maps)."""
        if scale <= 0:
            raise InvalidMapDataError(f"marker label scale must be positive, got {scale}")
        self._marker_label_scale = scale
        self._placement = None
        self.update()

    def _marker_size(self) -> float:
        if self._key_px:
            # As tall as key type: the numeral inside (half the icon) is secondary type.
            return round(self._key_px * 1.1)
        return round(QFontMetricsF(self.font()).height() * 1.9)

    def set_dots(
        self, lon: Sequence[float], lat: Sequence[float], levels: Sequence[int], labels: Sequence[str]
    ) -> None:
        """Live points (sensors) painted above the cached map on every paint, never inside it.

        Changing them costs a repaint, not a re-render of the map (~20 ms with 330,000 risk
        points), so they can follow live values.

        Args:
            lon: Longitudes (WGS 84).
            lat: Latitudes.
            levels: 0 normal (small grey), 1 warning (yellow), 2 alarm (red); each dot with
                level ≥ 1 also shows its label where there is room, so the state is never colour
                alone (the colour and size still say it where there is none).
            labels: Text per dot (a value); shown for warnings and alarms.

        Raises:
            InvalidMapDataError: the sequences differ in length.
        """
        if not len(lon) == len(lat) == len(levels) == len(labels):
            raise InvalidMapDataError("set_dots needs lon, lat, levels and labels of one length")
        x, y = project(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
        dots = list(zip(x.tolist(), y.tolist(), [int(v) for v in levels], list(labels), strict=True))
        # Labels show only on warning and alarm dots: a new value on a normal dot changes nothing
        # on screen, so it costs no repaint.
        changed = len(dots) != len(self._dots) or any(
            new[:3] != old[:3] or (new[2] > 0 and new[3] != old[3])
            for new, old in zip(dots, self._dots, strict=True)
        )
        self._dots = dots
        if changed:
            self._dots_version += 1
            self.update()

    def dots(self) -> list[tuple[int, str]]:
        """(level, label) of each dot, for tests."""
        return [(lv, lab) for _, _, lv, lab in self._dots]

    def _dot_radii(self) -> tuple[float, float, float]:
        k = self._sec_px / 16 if self._key_px else 1.0
        return 3.5 * max(1.0, k * 0.8), 6.0 * max(1.0, k * 0.8), 8.0 * max(1.0, k * 0.8)

    def _paint_dots(self, p: QPainter, ix: int, iy: int, placement: _Placement, log: TextLog) -> None:
        """The dots, and the values of warning and alarm dots where they cover no other label or
        icon (most severe first; the rest keep their colour and size)."""
        if not self._dots:
            return
        s = world_size(self._zoom)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = self._label_font(TextRole.SECONDARY, 0.8)
        fm = QFontMetricsF(font)
        w, h = self.width(), self.height()
        area = QRectF(0, 0, w, h)
        colours = (QColor("#8a9099"), QColor(theme.SEVERITY_YELLOW), QColor(theme.SEVERITY_RED))
        radii = self._dot_radii()
        outline = QPen(QColor("#0c0d0f"), 1.2)
        taken = list(placement.occupied)
        pad = max(3.0, fm.height() * 0.1)
        labelled: list[tuple[int, float, float, str]] = []
        for x, y, level, label in self._dots:
            cx, cy = x * s - ix, y * s - iy
            if not (-20 <= cx <= w + 20 and -20 <= cy <= h + 20):
                continue
            lv = min(2, max(0, level))
            p.setPen(outline)
            p.setBrush(colours[lv])
            p.drawEllipse(QPointF(cx, cy), radii[lv], radii[lv])
            if lv and label:
                labelled.append((lv, cx, cy, label))
        labelled.sort(key=lambda d: -d[0])
        for lv, cx, cy, label in labelled:
            tight = fm.tightBoundingRect(label)
            r = radii[lv] + pad
            for ink in (
                QRectF(cx + r, cy - tight.height() / 2, tight.width(), tight.height()),
                QRectF(cx - r - tight.width(), cy - tight.height() / 2, tight.width(), tight.height()),
                QRectF(cx - tight.width() / 2, cy - r - tight.height(), tight.width(), tight.height()),
                QRectF(cx - tight.width() / 2, cy + r, tight.width(), tight.height()),
            ):
                padded = ink.adjusted(-pad, -pad, pad, pad)
                if area.contains(ink) and not any(padded.intersects(o) for o in taken):
                    taken.append(padded)
                    baseline = QPointF(ink.left() - tight.left(), ink.top() - tight.top())
                    _halo_text(p, baseline, label, font)
                    log.note(font, label, TextRole.SECONDARY, ink, area)
                    break

    def marker_groups(self) -> list[tuple[MapMarker, int]]:
        """Markers as drawn: each visible group's top marker and how many it stands for.

        Markers closer than :data:`GROUP_FACTOR` icon sizes merge into one icon (the most severe,
        unacknowledged first) with a "+n" badge: at wall scale a dense district otherwise becomes
        a heap of overlapping icons in which no numeral can be read. So do groups whose icons (and
        counts) would overlap once kept inside the map's edge.
        """
        return [(self._markers[g.top], len(g.members)) for g in self._place(*self._viewport_origin()).groups]

    def _groups(self, ix: int, iy: int) -> list[_Group]:
        """Markers grouped and placed: whole icons inside the view, none covering another."""
        s = world_size(self._zoom)
        size = self._marker_size()
        reach = size * GROUP_FACTOR
        raw: list[tuple[int, list[int], float, float]] = []
        # Topmost first (the list is in draw order, bottom first).
        for k in range(len(self._markers) - 1, -1, -1):
            x, y = self._marker_xy[k]
            cx, cy = x * s - ix, y * s - iy
            for _top, members, gx, gy in raw:
                if abs(cx - gx) < reach and abs(cy - gy) < reach:
                    members.append(k)
                    break
            else:
                raw.append((k, [k], cx, cy))
        w, h = float(self.width()), float(self.height())
        badge_font = self._label_font(TextRole.SECONDARY, 0.9)
        bfm = QFontMetricsF(badge_font)
        placed: list[_Group] = []
        for top, members, cx, cy in raw:  # most severe first
            if not (0 <= cx <= w and 0 <= cy <= h):
                continue  # the event lies outside this view
            # Never cut at the map's edge: an icon near it moves inward, whole, with its count.
            bw = bfm.horizontalAdvance("+99") + bfm.height() * 0.5
            bh = bfm.height()
            right_room = bw * 0.6 if len(members) > 1 else 0.0
            top_room = bh * 0.5 if len(members) > 1 else 0.0
            cx = min(max(cx, size / 2 + 1), w - size / 2 - right_room - 1)
            cy = min(max(cy, size / 2 + top_room + 1), h - size / 2 - 1)
            icon = QRectF(cx - size / 2, cy - size / 2, size, size)
            room = _with_badge(icon, bw, bh)
            merged = next((g for g in placed if _with_badge(g.icon, bw, bh).intersects(room)), None)
            if merged is not None:
                merged.members.extend(members)
                continue
            placed.append(_Group(top, list(members), icon, None))
        for g in placed:
            if len(g.members) > 1:
                text = f"+{len(g.members) - 1}"
                bw, bh = bfm.horizontalAdvance(text) + bfm.height() * 0.5, bfm.height()
                g.badge = QRectF(g.icon.right() - bw * 0.4, g.icon.top() - bh * 0.5, bw, bh)
        return list(reversed(placed))  # bottom first: the most severe drawn last, on top

    def _place(self, ix: int, iy: int) -> _Placement:
        """Icons, then labels in priority order, each only where it is wholly inside the map and
        covers no icon or other label; the rest are dropped, lowest priority first.

        Priority: the labels of the most severe events (key type), district names (key) with their
        ratings (secondary), other event labels, overlay labels, place names; sensor values are
        placed last, by the dots layer, in what room is left.
        """
        key = (
            ix,
            iy,
            self._zoom,
            self.width(),
            self.height(),
            self._live_version,
            self._render_count,
            self._cache_zoom == self._zoom,
            self._marker_label_scale,
            self._key_px,
            self._sec_px,
            self._not_current,
            self.font().key(),
        )
        if self._placement is not None and self._placement[0] == key:
            return self._placement[1]
        area = QRectF(0, 0, self.width(), self.height())
        groups = self._groups(ix, iy)
        occupied: list[QRectF] = []
        for g in groups:
            occupied.append(g.icon)
            if g.badge is not None:
                occupied.append(g.badge)
        if self._not_current:
            occupied.append(self._note_box()[0])
        size = self._marker_size()
        # Two labels are never closer than a word space of key type: side by side, "Northgate"
        # and "Lakeside" read as one name.
        pad = max(3.0, (self._sec_px or QFontMetricsF(self.font()).height()) * 0.35)
        labels: list[tuple[str, QFont, TextRole, QPointF, QRectF]] = []
        swatches: list[tuple[QRectF, QColor]] = []
        dropped: list[str] = []

        def fits(ink: QRectF) -> bool:
            padded = ink.adjusted(-pad, -pad, pad, pad)
            return area.contains(ink) and not any(padded.intersects(o) for o in occupied)

        def take(text: str, font: QFont, role: TextRole, ink: QRectF) -> None:
            tight = QFontMetricsF(font).tightBoundingRect(text)
            labels.append(
                (text, font, role, QPointF(ink.left() - tight.left(), ink.top() - tight.top()), ink)
            )
            occupied.append(ink.adjusted(-pad, -pad, pad, pad))

        # 1. Event labels (most severe first), beside their icon.
        event_labels: list[tuple[int, _Group]] = []
        for g in groups:
            m = self._markers[g.top]
            if m.label:
                event_labels.append((int(m.severity), g))
        event_labels.sort(key=lambda e: e[0])
        candidates: list[tuple[int, str, TextRole, object]] = []
        for sev, g in event_labels:
            role = TextRole.KEY if sev == 1 or not self._key_px else TextRole.SECONDARY
            candidates.append(
                (PRIORITY_KEY_EVENT if sev == 1 else PRIORITY_EVENT, self._markers[g.top].label, role, g)
            )
        # 2. The map's own labels (cached map's), world pixels → view.
        same_zoom = self._cache_zoom == self._zoom
        for lab in self._static_candidates if same_zoom else []:
            candidates.append((lab.priority, lab.text, lab.role, lab))
        candidates.sort(key=lambda c: c[0])
        for _prio, text, role, what in candidates:
            if isinstance(what, _Group):
                font = self._label_font(role, self._marker_label_scale)
                tight = QFontMetricsF(font).tightBoundingRect(text)
                tw, th = tight.width(), tight.height()
                c, gap = what.icon.center(), max(size * 0.12, pad + 2)
                boxes = (
                    QRectF(
                        what.icon.right() + gap + (what.badge.width() * 0.6 if what.badge else 0),
                        c.y() - th / 2,
                        tw,
                        th,
                    ),
                    QRectF(what.icon.left() - gap - tw, c.y() - th / 2, tw, th),
                    QRectF(c.x() - tw / 2, what.icon.top() - gap - th, tw, th),
                    QRectF(c.x() - tw / 2, what.icon.bottom() + gap, tw, th),
                )
                box = next((b for b in boxes if fits(b)), None)
                if box is None:
                    dropped.append(text)
                else:
                    take(text, font, role, box)
                continue
            assert isinstance(what, _Label)
            self._place_map_label(what, ix, iy, fits, take, swatches, dropped)
        placement = _Placement(groups, labels, swatches, occupied, dropped)
        self._placement = (key, placement)
        return placement

    def _place_map_label(self, lab: _Label, ix: int, iy: int, fits, take, swatches, dropped) -> None:  # type: ignore[no-untyped-def]
        """A name (with its rating under it) at its anchor, or nudged a little; else dropped."""
        font = self._label_font(lab.role, lab.scale)
        sub_font = self._label_font(TextRole.SECONDARY, max(0.9, lab.scale * 0.62))
        fm, sfm = QFontMetricsF(font), QFontMetricsF(sub_font)
        anchor = QPointF(lab.anchor.x() - ix, lab.anchor.y() - iy)
        tight = fm.tightBoundingRect(lab.text) if lab.text else QRectF()
        stight = sfm.tightBoundingRect(lab.sub) if lab.sub else QRectF()
        swatch = stight.height() * 1.0
        gap = sfm.height() * 0.2
        sub_w = stight.width() + swatch + gap if lab.sub else 0.0
        block_w = max(tight.width(), sub_w)
        both_h = tight.height() + (gap + stight.height() if lab.sub else 0.0)
        for with_sub in (True, False) if lab.sub and lab.text else (bool(lab.sub),):
            h = both_h if with_sub else tight.height()
            w = block_w if with_sub else tight.width()
            top0 = anchor.y() - (h if lab.above else h / 2)
            for dx, dy in ((0, 0), (0, -0.6), (0, 0.6), (-0.35, 0), (0.35, 0), (0, -1.2), (0, 1.2)):
                left = anchor.x() - w / 2 + dx * w
                top = top0 + dy * h
                # Near the map's edge a name moves inward, as long as it still spans its place.
                inward = min(max(left, 0.0), self.width() - w)
                if inward <= anchor.x() <= inward + w:
                    left = inward
                inward = min(max(top, 0.0), self.height() - h)
                if inward <= anchor.y() <= inward + h:
                    top = inward
                name = (
                    QRectF(left + (w - tight.width()) / 2, top, tight.width(), tight.height())
                    if lab.text
                    else QRectF()
                )
                sub = (
                    QRectF(
                        left + (w - sub_w) / 2,
                        top + (tight.height() + gap if lab.text else 0),
                        sub_w,
                        stight.height(),
                    )
                    if with_sub
                    else QRectF()
                )
                if (lab.text and not fits(name)) or (with_sub and not fits(sub)):
                    continue
                if lab.text:
                    take(lab.text, font, lab.role, name)
                if with_sub and lab.sub_colour is not None:
                    sq = QRectF(sub.left(), sub.top(), swatch, swatch)
                    swatches.append((sq, lab.sub_colour))
                    take(
                        lab.sub,
                        sub_font,
                        TextRole.SECONDARY,
                        QRectF(sq.right() + gap, sub.top(), stight.width(), stight.height()),
                    )
                elif lab.sub and not with_sub:
                    dropped.append(lab.sub)
                return
        dropped.extend(t for t in (lab.text, lab.sub) if t)

    def _paint_halos(self, p: QPainter, placement: _Placement) -> None:
        """The flash halo of every group with an unacknowledged marker (drawn under the icons)."""
        size = self._marker_size()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for g in placement.groups:
            if all(self._markers[k].acknowledged for k in g.members):
                continue
            halo = severity_color(self._markers[g.top].severity)
            ring = QPen(halo, max(3.0, size / 10.0))
            halo.setAlphaF(0.25)
            p.setPen(ring)
            p.setBrush(halo)
            p.drawEllipse(
                g.icon.center(), size * 0.75, size * 0.75
            )  # a ring, not a disc that buries neighbours

    def _paint_markers(self, p: QPainter, placement: _Placement, log: TextLog) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        badge_font = self._label_font(TextRole.SECONDARY, 0.9)
        bfm = QFontMetricsF(badge_font)
        for g in placement.groups:  # bottom first: the most severe end up on top
            p.setFont(QFont(self.font()))
            paint_severity_icon(p, g.icon, self._markers[g.top].severity, log)
            if g.badge is not None:
                badge = g.badge
                p.setPen(QPen(_HALO, 2.0))
                p.setBrush(QColor(theme.BG_PANEL))
                p.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
                p.setPen(QColor(theme.TEXT))
                p.setFont(badge_font)
                log.draw(
                    p, badge, int(Qt.AlignmentFlag.AlignCenter), f"+{len(g.members) - 1}", TextRole.SECONDARY
                )
        del bfm
        for sq, colour in placement.swatches:
            p.setPen(QPen(_HALO, 2.0))
            p.setBrush(colour)
            p.drawRect(sq)
        area = QRectF(0, 0, self.width(), self.height())
        for text, font, role, baseline, ink in placement.labels:
            _halo_text(p, baseline, text, font)
            log.note(font, text, role, ink, area)

    def _marker_damage(self) -> QRegion:
        r = math.ceil(self._marker_size() * 0.8) + 4
        region = QRegion()
        for g in self._place(*self._viewport_origin()).groups:
            if not all(self._markers[k].acknowledged for k in g.members):
                c = g.icon.center()
                region += QRect(round(c.x()) - r, round(c.y()) - r, 2 * r, 2 * r)
        return region

    def _on_flash_timer_timeout(self) -> None:
        self._flash_lit = not self._flash_lit
        # Only the halos change: repaint just those squares (the cache blit is clipped to them).
        self.update(self._marker_damage())


def _with_badge(icon: QRectF, bw: float, bh: float) -> QRectF:
    """An icon and the room a count badge would take at its top right: no other icon may take it."""
    return icon.united(QRectF(icon.right() - bw * 0.4, icon.top() - bh * 0.5, bw, bh))


def _to_polygon(arr: npt.NDArray[np.float64], scale: float, ox: int, oy: int) -> QPolygonF:
    pts = arr * scale - np.array([ox, oy], dtype=np.float64)
    return QPolygonF([QPointF(x, y) for x, y in pts.tolist()])


def _halo_text(p: QPainter, baseline_left: QPointF, text: str, font: QFont) -> None:
    """Draw ``text`` in light grey with a dark outline so it reads over any fill.

    Stroking the outline of wall-sized text cost 1-3 ms a label, and a map re-render (a resize, a
    zoom) drew every district name again: each label is drawn once into an image, kept by text
    and font, and copied at the nearest whole pixel.
    """
    dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
    if not p.transform().isIdentity():  # scaled or rotated: an image would blur; draw the path
        _draw_halo_text(p, baseline_left, text, font)
        return
    key = (text, font.key(), dpr)
    hit = _HALO_IMAGES.get(key)
    if hit is None:
        path = QPainterPath()
        path.addText(QPointF(0.0, 0.0), font, text)
        m = _halo_width(font)
        box = path.boundingRect().adjusted(-m, -m, m, m)
        left, top = math.floor(box.left()), math.floor(box.top())
        image = QImage(
            max(1, math.ceil((box.right() - left) * dpr)),
            max(1, math.ceil((box.bottom() - top) * dpr)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.GlobalColor.transparent)
        q = QPainter(image)
        _draw_halo_text(q, QPointF(-left, -top), text, font)
        q.end()
        hit = (image, QPoint(left, top))
        if len(_HALO_IMAGES) >= _HALO_IMAGES_MAX:
            _HALO_IMAGES.popitem(last=False)
    else:
        _HALO_IMAGES.move_to_end(key)
    _HALO_IMAGES[key] = hit
    image, offset = hit
    p.drawImage(QPoint(round(baseline_left.x()) + offset.x(), round(baseline_left.y()) + offset.y()), image)


_HALO_IMAGES: OrderedDict[tuple[str, str, float], tuple[QImage, QPoint]] = OrderedDict()
"""(text, font, device pixel ratio) → the label drawn with its halo, and where its corner sits."""
_HALO_IMAGES_MAX = 512
"""Mostly sensor values beside warning dots (small); a few kilobytes each."""


def _halo_width(font: QFont) -> float:
    px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96.0 / 72.0
    return max(3.0, px * 0.26)


def _draw_halo_text(p: QPainter, baseline_left: QPointF, text: str, font: QFont) -> None:
    path = QPainterPath()
    path.addText(baseline_left, font, text)
    halo = QPen(_HALO, _halo_width(font))
    halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.strokePath(path, halo)
    p.fillPath(path, _LABEL_TEXT)
    p.restore()
