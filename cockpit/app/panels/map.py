"""A map panel: the site's basemap and the runway's layers of the site's map (docs/runways.md,
"Maps"), the backend's risk points, and the view-model's markers, overlays, dots and ratings over
them. Nothing here knows a city: the layers, styles and home extent are the site's."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QSize

from cockpit.app.panels.base import PanelFrame
from cockpit.app.site_map import SiteMap
from cockpit.present.panels.map import Extent, MapModel, MapState, covering
from cockpit.present.wall_layout import WallType
from widgets import theme
from widgets.geo import InvalidMapDataError
from widgets.map_view import LayerStyle, MapView
from widgets.plot_layer import PlotLayer

log = logging.getLogger(__name__)

OVERLAY_STYLES: dict[str, LayerStyle] = {
    "fire_spread": LayerStyle(
        stroke=theme.SEVERITY_RED,
        stroke_width=3.0,
        fill=theme.SEVERITY_RED,
        fill_opacity=0.3,
        label_property="label",
        label_scale=1.0,
    ),
    "inundation": LayerStyle(
        stroke=theme.SEVERITY_BLUE,
        stroke_width=3.0,
        fill=theme.SEVERITY_BLUE,
        fill_opacity=0.3,
        label_property="label",
        label_scale=1.0,
    ),
    "road_closure": LayerStyle(
        stroke=theme.SEVERITY_ORANGE, stroke_width=8.0, dashed=True, label_property="label"
    ),
    "affected_area": LayerStyle(
        stroke=theme.SEVERITY_ORANGE,
        stroke_width=3.0,
        fill=theme.SEVERITY_ORANGE,
        fill_opacity=0.25,
        label_property="label",
        label_scale=1.0,
    ),
    "camera": LayerStyle(
        stroke="#0c0d0f",
        stroke_width=1.5,
        fill="#7fd1e8",
        point_radius=7.0,
        label_property="label",
        label_scale=0.8,
        min_label_zoom=13.0,
    ),
    "signal_plan": LayerStyle(
        stroke="#0c0d0f",
        stroke_width=2.0,
        fill=theme.SEVERITY_YELLOW,
        point_radius=9.0,
        label_property="label",
        label_scale=0.9,
    ),
    # Construction waste: the trucks' routes (their plates), the sites they come from.
    "truck_route": LayerStyle(stroke="#c9a36a", stroke_width=5.0, label_property="label", label_scale=0.9),
    "construction_site": LayerStyle(
        stroke="#0c0d0f", stroke_width=2.0, fill="#c9a36a", point_radius=8.0, label_property="label", label_scale=0.8
    ),
    # Water quality: an oil slick on the river, dark with the alarm's outline.
    "oil_slick": LayerStyle(
        stroke=theme.SEVERITY_RED, stroke_width=3.0, fill="#2a2420", fill_opacity=0.9, label_property="label", label_scale=1.0
    ),
    # Three-colour management of enterprises: each class labelled with its rule (never colour alone);
    # red's label is the largest, so it is placed first where labels compete for room.
    "enterprise_red": LayerStyle(
        stroke="#0c0d0f", stroke_width=1.5, fill=theme.SEVERITY_RED, point_radius=8.0, label_property="label", label_scale=0.9
    ),
    "enterprise_yellow": LayerStyle(
        stroke="#0c0d0f", stroke_width=1.5, fill=theme.SEVERITY_YELLOW, point_radius=6.0, label_property="label", label_scale=0.8
    ),
    "enterprise_green": LayerStyle(
        stroke="#0c0d0f", stroke_width=1.5, fill="#5fa86f", point_radius=5.0, label_property="label", label_scale=0.75
    ),
}


PLOT_UNIT = 0.6
"""Plotting symbols are sized from 0.6 key heights: a point symbol about one key height across (40 mm
at 8 m), a fire line 5 mm wide with teeth every 22 mm, its label near the details' height
(widgets/plot_symbols.py)."""


def layer_points(site_map: SiteMap) -> list[tuple[float, float]]:
    """The point features of the site's map layers (water sources, hydrants: what a drawing snaps
    to); none for a site without a map."""
    out = []
    for name in site_map.layers:
        for f in site_map.geojson(name).get("features", []):
            geometry = f.get("geometry") or {}
            if geometry.get("type") == "Point":
                lon, lat = geometry["coordinates"][:2]
                out.append((float(lon), float(lat)))
    return out


class MapPanelView(PanelFrame):
    """Shows a :class:`MapModel`; the map's ``marker_clicked`` is connected by the wiring."""

    def __init__(
        self,
        model: MapModel,
        title: str,
        site_map: SiteMap,
        center: tuple[float, float, float] | None,
        not_live: str,
    ) -> None:
        self.model = model
        # A wall's map is rarely panned: a narrow cached margin (1.44× the view, not 4×) makes each
        # re-render (ratings, overlays) about three times cheaper; a pan past it re-renders once.
        self.map = MapView(cache_margin=0.1)
        self.plots = PlotLayer(self.map)
        """The plots drawn on the shared map (protocol §5.10), over the static layers."""
        super().__init__("map", title, self.map)
        self.not_live = not_live
        self.site_map = site_map
        self.home = site_map.home
        if site_map.basemap is not None:
            try:
                self.map.set_basemap(site_map.basemap.path, site_map.config.basemap_opacity)
            except InvalidMapDataError as exc:  # read_basemap checked it; the file changed since
                log.error("basemap cannot be shown: %s", exc)
        for name in model.spec.layers:
            if site_map.has(name):
                try:
                    self.map.add_geojson_layer(name, site_map.geojson(name), site_map.style(name))
                except InvalidMapDataError as exc:
                    log.error("map layer %s cannot be shown: %s", name, exc)
            elif name not in ("ratings", "risk_points", "cameras"):
                # Runway files travel: a district without this layer draws the others (risk points
                # come from the backend, protocol §5.9; cameras from the model).
                log.info("runway map: the site has no map layer %r", name)
        # Asked for the site's layers and given none of them (a site file without [map]): the map
        # shows markers on a blank ground; its title says so rather than look like an empty city.
        static = [n for n in model.spec.layers if n not in ("ratings", "risk_points", "cameras")]
        bare = bool(static) and site_map.basemap is None and not any(site_map.has(n) for n in static)
        self.site_note = QCoreApplication.translate("Panels", "no base map") if bare else ""
        if bare:
            log.warning("runway map %s: the site has none of its layers %s and no basemap", title, static)
            self.set_note(self.site_note)
        self.center = center
        self._reach: Extent | None = None  # the panel's own alarms and shapes: the view takes them in
        self._fitted = QSize()  # the view is fitted again whenever the map's size on screen changes

    def apply_wall_type(self, sizes: WallType) -> None:
        # District names and red-event labels are key elements; ratings, other labels, values and
        # counts are secondary.
        super().apply_wall_type(sizes)
        self.map.set_type_sizes(sizes.key_px, sizes.secondary_px)
        self.plots.set_unit(PLOT_UNIT * sizes.key_px)  # plotting symbols are key elements too

    def content_min_height(self, width: int) -> int:
        # Room for an event's icon and its key-type label beside it.
        return round(self.wall_sizes.key_px * 2) if self.wall_sizes else 0

    def fit(self) -> None:
        """Show the focus layer (else the site's home), grown to take in the panel's own alarms."""
        if self.center is not None:
            self.map.set_view(*self.center)
            return
        focus = self.map.layer_bounds(self.model.spec.focus) if self.model.spec.focus else None
        view = covering(focus if focus is not None else self.home, self._reach)
        if view is not None:
            self.map.fit_bounds(*view)

    def show_state(self, state: MapState | None) -> None:
        if self._fitted != self.map.size() and self.map.width() > 200 and self.map.height() > 150:
            self._fitted = self.map.size()
            self.fit()
        if state is None:
            return
        if state.reach is not None and state.reach.extent != self._reach:
            self._reach = state.reach.extent
            if self._fitted.isValid():
                self.fit()
        if state.markers is not None:
            self.map.set_markers(state.markers)
        if state.overlays is not None:
            for oid, shape in state.overlays.items():
                if shape is None:
                    self.map.set_overlay(oid, None)
                    continue
                try:
                    self.map.set_overlay(oid, shape.feature, OVERLAY_STYLES.get(shape.kind))
                except ValueError as exc:  # a malformed shape from the backend: skip it, say why
                    log.warning("overlay %s not drawn: %s", oid, exc)
        if state.dots is not None:
            d = state.dots
            self.map.set_dots(d.lon, d.lat, d.level, d.labels)
        if state.ratings is not None:
            self.map.set_area_ratings(state.ratings)
        if state.points is not None:
            p = state.points
            self.map.set_risk_point_set(self.site_map.prepared(p.layer, p.generation, p.lon, p.lat, p.level))
            self.set_note(" · ".join(n for n in (self.site_note, p.note) if n))
            if self.home is None and self.center is None and self.model.spec.focus == "":
                bounds = self.site_map.points_bounds(p.layer, p.generation, p.lon, p.lat)
                if bounds is not None:  # a site with no map of its own: show the backend's layer
                    self.home = bounds
                    self.fit()
        if state.plots is not None:
            self.plots.set_shapes(state.plots)
        if state.current is not None:
            self.map.set_not_current("" if state.current else f"{state.as_of} · {self.not_live}".strip(" ·"))
