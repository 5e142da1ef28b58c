"""The site's map data, read once for the whole wall: its vector layers with their styles, its
basemap and its home extent (``[map]`` in site.toml; docs/operations.md, "Bringing your map")."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np

from cockpit.config.mapdata import (
    BasemapInfo,
    Extent,
    LoadedLayer,
    MapDataError,
    home_extent,
    read_basemap,
    read_layer,
)
from cockpit.config.site import MapConfig, MapLayer
from widgets.geo import RiskPointSet, prepare_risk_points
from widgets.map_view import LayerStyle

log = logging.getLogger(__name__)

STYLES: dict[str, LayerStyle] = {
    # Areas are tinted, not painted over: a site's basemap shows through them.
    "district": LayerStyle(stroke="#6c747e", stroke_width=2.0, fill="#272b30", fill_opacity=0.6, label_scale=2.0),
    "area": LayerStyle(stroke="#6c747e", stroke_width=1.5, fill="#25292e", fill_opacity=0.6, label_scale=1.2),
    "street": LayerStyle(
        stroke="#9aa3ad", stroke_width=2.5, dashed=True, fill="#2b3036", fill_opacity=0.6, label_scale=1.1
    ),
    "park": LayerStyle(stroke="#71907a", stroke_width=2.0, dashed=True, fill="#25302a", fill_opacity=0.9, label_scale=1.1),
    "water": LayerStyle(stroke="#3e5b74", stroke_width=6.0, fill="#2c3e4f", min_label_zoom=13.0),
    "pipeline": LayerStyle(stroke="#a29779", stroke_width=2.0, dashed=True),
    "power_line": LayerStyle(stroke="#b4b9c0", stroke_width=1.5, label_scale=0.8, min_label_zoom=13.5),
    "road": LayerStyle(stroke="#8a8f96", stroke_width=3.0, label_scale=0.8, min_label_zoom=14.0),
    "point": LayerStyle(stroke="#0c0d0f", stroke_width=1.5, fill="#9aa3ad", point_radius=5.0, label_scale=0.9, min_label_zoom=14.0),
    "water_point": LayerStyle(
        stroke="#0c0d0f", stroke_width=1.5, fill="#5b8fb8", point_radius=6.0, label_scale=0.9, min_label_zoom=14.0
    ),
    "boundary": LayerStyle(stroke="#b4b9c0", stroke_width=2.0, dashed=True),
}
"""Calm colours for what a wall map shows under the live layers; one per ``style`` of
cockpit.config.site.STYLES. A site may change a layer's stroke and fill."""


def style_for(layer: MapLayer, lang: str) -> LayerStyle:
    """The layer's style, its colours as the site set them, labelled in the wall's language."""
    label = (layer.label_en or layer.label) if lang != "zh_CN" else (layer.label or layer.label_en)
    style = dataclasses.replace(STYLES[layer.style], label_property=label or None)
    if layer.stroke:
        style = dataclasses.replace(style, stroke=layer.stroke)
    if layer.fill:
        style = dataclasses.replace(style, fill=layer.fill)
    return style


class SiteMap:
    """The site's map files, read at start; what could not be read is a problem for the console.

    Args:
        config: The site's ``[map]``.
        lang: The wall's language (which property labels each layer).
    """

    def __init__(self, config: MapConfig, lang: str) -> None:
        self.config = config
        self.lang = lang
        self.layers: dict[str, LoadedLayer] = {}
        self.problems: list[str] = []
        for layer in config.layers:
            try:
                self.layers[layer.name] = read_layer(layer)
            except MapDataError as exc:
                self.problems.append(str(exc))
                log.error("%s", exc)
        self.basemap: BasemapInfo | None = None
        if config.basemap is not None:
            try:
                self.basemap = read_basemap(config.basemap)
            except MapDataError as exc:
                self.problems.append(str(exc))
                log.error("%s", exc)
        self.home: Extent | None = home_extent(config, list(self.layers.values()), self.basemap)
        self._prepared: tuple[tuple[str, int], RiskPointSet] | None = None
        self._points_bounds: tuple[tuple[str, int], Extent | None] | None = None

    def prepared(self, layer: str, generation: int, lon: np.ndarray, lat: np.ndarray, level: np.ndarray) -> RiskPointSet:
        """The backend's point layer ready to draw, prepared once for every map of the wall."""
        key = (layer, generation)
        if self._prepared is None or self._prepared[0] != key:
            self._prepared = (key, prepare_risk_points(lon, lat, level))
        return self._prepared[1]

    def points_bounds(self, layer: str, generation: int, lon: np.ndarray, lat: np.ndarray) -> Extent | None:
        """The extent of the backend's point layer (a site without a map of its own shows that)."""
        key = (layer, generation)
        if self._points_bounds is None or self._points_bounds[0] != key:
            ok = np.isfinite(lon) & np.isfinite(lat)
            bounds = (
                (float(lon[ok].min()), float(lat[ok].min()), float(lon[ok].max()), float(lat[ok].max()))
                if ok.any()
                else None
            )
            self._points_bounds = (key, bounds)
        return self._points_bounds[1]

    def has(self, name: str) -> bool:
        return name in self.layers

    def geojson(self, name: str) -> dict[str, Any]:
        return self.layers[name].geojson

    def style(self, name: str) -> LayerStyle:
        layer = self.config.layer(name)
        assert layer is not None, name
        return style_for(layer, self.lang)
