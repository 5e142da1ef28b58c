"""A map panel: the runway's static layers (district polygons, rivers, pipelines, risk points),
and the view-model's markers, overlays, dots and ratings over them."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from PySide6.QtCore import QSize

from cockpit.app.panels.base import DETAIL_RATIO, PanelFrame
from cockpit.present.panels.map import MapModel, MapState
from widgets import theme
from widgets.geo import DEMO_GEO_DIR, load_geojson
from widgets.map_view import LayerStyle, MapView
from widgets.plot_layer import PlotLayer

log = logging.getLogger(__name__)

RiskPoints = Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]]


@cache
def _geo_layer(name: str) -> dict[str, Any]:
    return load_geojson(DEMO_GEO_DIR / f"{name}.geojson")


LAYER_STYLES: dict[str, LayerStyle] = {
    "districts": LayerStyle(
        stroke="#6c747e", stroke_width=2.0, fill="#272b30", label_property="name", label_scale=2.0
    ),
    "forest_park": LayerStyle(
        stroke="#71907a",
        stroke_width=2.0,
        dashed=True,
        fill="#25302a",
        fill_opacity=0.9,
        label_property="name",
        label_scale=1.1,
    ),
    "rivers": LayerStyle(stroke="#3e5b74", stroke_width=6.0, label_property="name", min_label_zoom=13.0),
    "pipelines": LayerStyle(stroke="#a29779", stroke_width=2.0, dashed=True),
    "streets": LayerStyle(
        stroke="#9aa3ad", stroke_width=2.5, dashed=True, fill="#2b3036", fill_opacity=0.6, label_property="name", label_scale=1.1
    ),
    "hv_lines": LayerStyle(stroke="#b4b9c0", stroke_width=1.5, label_property="name", label_scale=0.8, min_label_zoom=13.5),
    "water_sources": LayerStyle(
        stroke="#0c0d0f",
        stroke_width=1.5,
        fill="#5b8fb8",
        point_radius=6.0,
        label_property="name",
        label_scale=0.9,
        min_label_zoom=14.0,
    ),
}

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


def layer_points(name: str) -> list[tuple[float, float]]:
    """The point features of a map layer (water sources: what a drawing snaps to)."""
    try:
        features = _geo_layer(name).get("features", [])
    except (OSError, ValueError):
        return []
    out = []
    for f in features:
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
        lang: str,
        center: tuple[float, float, float] | None,
        risk_points: RiskPoints | None,
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
        for name in model.spec.layers:
            if name in LAYER_STYLES:
                style = LAYER_STYLES[name]
                if lang != "zh_CN" and style.label_property == "name":
                    style = dataclasses.replace(style, label_property="name_en")
                try:
                    self.map.add_geojson_layer(name, _geo_layer(name), style)
                except (OSError, ValueError) as exc:
                    log.error("map layer %s cannot be shown: %s", name, exc)
            elif name == "risk_points" and risk_points is not None:
                self.map.set_risk_points(*risk_points())
            elif name not in ("ratings", "cameras"):  # drawn from the model, not from a file
                log.error("runway map: unknown map layer %r", name)
        self.center = center
        self._fitted = QSize()  # the view is fitted again whenever the map's size on screen changes

    def apply_text_size(self, px: float) -> None:
        # District names (label_scale 2) and red-event labels are key elements: full height. A map
        # that names every marker's kind (event_labels: all) names them at the detail size.
        size = px * DETAIL_RATIO if self.model.spec.event_labels == "all" else px
        self.map.set_marker_label_scale(size / max(1.0, self.map.fontInfo().pixelSize()))
        self.plots.set_unit(PLOT_UNIT * px)  # plotting symbols are key elements too

    def fit(self) -> None:
        focus = self.map.layer_bounds(self.model.spec.focus) if self.model.spec.focus else None
        if self.center is not None:
            self.map.set_view(*self.center)
        elif focus is not None:
            self.map.fit_bounds(*focus)
        else:
            self.map.fit_bounds(106.43, 29.47, 106.70, 29.63)

    def show_state(self, state: MapState | None) -> None:
        if self._fitted != self.map.size() and self.map.width() > 200 and self.map.height() > 150:
            self._fitted = self.map.size()
            self.fit()
        if state is None:
            return
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
        if state.plots is not None:
            self.plots.set_shapes(state.plots)
        if state.current is not None:
            self.map.set_not_current("" if state.current else f"{state.as_of} · {self.not_live}".strip(" ·"))
