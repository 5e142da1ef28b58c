"""Map pan benchmark: the demo backend's 330,000 risk points, districts and pipelines at 1920×1080.

``python -m bench.map_pan [--quick] [--screenshot PATH]``. Works with ``QT_QPA_PLATFORM=offscreen``
(the default when no display is set) and under X (e.g. Xvfb).

Each frame is one programmatic ``pan_by`` of 7 px (legs of 150 pans east, then west, so the pan
leaves the cached margin and re-renders like a real drag) followed by a synchronous ``repaint()`` and
``processEvents()``; the frame time is the wall time of that whole step, the paint time is the time
spent inside ``paintEvent`` (cache blit plus markers, and the re-render when one happens).
``pan_fps`` is ``1000 / mean frame ms``. ``rerender_ms`` is the median of forced full re-renders
(zoom changes), the cost of a pan that leaves the cached margin or of one wheel notch.
The risk points reach the map as on the wall (protocol §5.9): ``layer_snapshot_ms`` applies and
merges the demo city's snapshot messages, ``layer_prepare_ms`` projects and sorts them once for every
map, ``layer_change_ms`` merges a change of 40 points.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication

from cockpit.backend.demo_catalog import DISTRICTS
from cockpit.backend.risk_points import BOUNDS
from widgets import theme
from widgets.geo import RiskPointSet, prepare_risk_points
from widgets.map_view import LayerStyle, MapMarker, MapView
from widgets.severity import Severity

POINTS = 330_000
WIDTH, HEIGHT = 1920, 1080


class _TimedMapView(MapView):
    """Records the time spent in each paintEvent."""

    def __init__(self) -> None:
        super().__init__()
        self.paint_ms: list[float] = []

    def paintEvent(self, event: QPaintEvent) -> None:
        t0 = time.perf_counter()
        super().paintEvent(event)
        self.paint_ms.append((time.perf_counter() - t0) * 1000.0)


def add_demo_layers(view: MapView, *, all_layers: bool = True) -> None:
    """Add the demo city's map layers (``assets/geo``, as its site map names them) with the wall's
    own styles.

    Args:
        view: The map.
        all_layers: False adds only districts and pipelines (the benchmark's set).
    """
    from cockpit.app.site_map import SiteMap  # the same reading and styles the runways use
    from cockpit.config.site import demo_map

    site_map = SiteMap(demo_map(), "zh_CN")
    names = list(site_map.layers) if all_layers else ["districts", "pipelines"]
    for name in names:
        view.add_geojson_layer(name, site_map.geojson(name), site_map.style(name))


def demo_markers() -> list[MapMarker]:
    """A handful of invented events for screenshots."""
    return [
        MapMarker("E1", 106.452, 29.572, Severity.RED, "山火 · 歌乐山", acknowledged=False),
        MapMarker("E2", 106.575, 29.562, Severity.ORANGE, "燃气泄漏 · 湖滨", acknowledged=False),
        MapMarker("E3", 106.585, 29.515, Severity.YELLOW, "内涝 · 南坪", acknowledged=True),
        MapMarker("E4", 106.655, 29.617, Severity.BLUE, "交通事故", acknowledged=True),
    ]


def _fire_overlay() -> dict[str, object]:
    ring = [
        [106.418, 29.576],
        [106.432, 29.572],
        [106.441, 29.583],
        [106.436, 29.594],
        [106.421, 29.592],
        [106.414, 29.584],
        [106.418, 29.576],
    ]
    return {
        "type": "Feature",
        "properties": {"name": "预测火线 +2 h"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _flood_overlay() -> dict[str, object]:
    ring = [
        [106.60, 29.569],
        [106.64, 29.578],
        [106.66, 29.582],
        [106.657, 29.5755],
        [106.62, 29.569],
        [106.60, 29.564],
        [106.60, 29.569],
    ]
    return {
        "type": "Feature",
        "properties": {"name": "淹没范围"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def risk_layer_costs(n_points: int = POINTS) -> tuple[RiskPointSet, dict[str, float]]:
    """The risk layer as a wall gets it (protocol §5.9): the demo city's snapshot messages applied
    to a Situation, merged, prepared once for every map; and a change of 40 points merged.

    Returns the prepared points and the milliseconds of each step."""
    from cockpit.backend.city import City
    from cockpit.backend.streams import Hub
    from cockpit.model import Situation
    from cockpit.protocol.events import DataReceived, SnapshotReceived
    from cockpit.protocol.messages import Filter, Stream

    city = City(Hub(), seed=1, rate=10, risk_points=n_points)
    messages = tuple(city.snapshot(Stream.LAYERS, Filter()))
    situation = Situation()
    t0 = time.perf_counter()
    situation.apply([SnapshotReceived(Stream.LAYERS, "e", 1, messages)])
    layer = situation.layers.get("risk_points")
    assert layer is not None
    columns = layer.columns()
    t1 = time.perf_counter()
    points = prepare_risk_points(columns.lon, columns.lat, columns.level)
    t2 = time.perf_counter()
    rows = city.risk.relevel(np.random.default_rng(2), 40)
    situation.apply([DataReceived(tuple(city.risk.messages(rows, 0)))])
    t3 = time.perf_counter()
    layer.columns()
    t4 = time.perf_counter()
    return points, {
        "layer_snapshot_ms": (t1 - t0) * 1000.0,
        "layer_prepare_ms": (t2 - t1) * 1000.0,
        "layer_change_ms": (t4 - t3) * 1000.0,
    }


def build_map(
    n_points: int = POINTS, *, all_layers: bool = False, timed: bool = True
) -> tuple[MapView, dict[str, float]]:
    """Build the benchmark map at 1920×1080 (shown), with the demo backend's ``n_points`` risk points
    as the wall gets them; returns it and the layer's costs (:func:`risk_layer_costs`)."""
    view: MapView = _TimedMapView() if timed else MapView()
    view.resize(WIDTH, HEIGHT)
    add_demo_layers(view, all_layers=all_layers)
    points, costs = risk_layer_costs(n_points)
    view.set_risk_point_set(points)
    view.show()
    view.fit_bounds(*BOUNDS)
    QApplication.processEvents()
    return view, costs


def screenshot(path: str) -> None:
    """Render the full demo map (all layers, ratings, overlays, markers) to a PNG at ``path``."""
    view, _ = build_map(all_layers=True, timed=False)
    view.set_area_ratings(dict(zip(DISTRICTS, (4, 2, 3, 1), strict=True)))
    view.set_overlay("fire_spread", _fire_overlay())
    view.set_overlay(
        "inundation",
        _flood_overlay(),
        LayerStyle(
            stroke=theme.SEVERITY_BLUE,
            stroke_width=2.5,
            fill=theme.SEVERITY_BLUE,
            fill_opacity=0.3,
            label_property="name",
            label_scale=0.9,
        ),
    )
    view.set_markers(demo_markers())
    if not view.grab().save(path):
        raise OSError(f"cannot write {path}")
    view.close()


def run(quick: bool) -> dict[str, dict[str, float]]:
    """Measure panning; returns ``{"map": {metric: value}}`` (see the module docstring)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    view, costs = build_map()
    assert isinstance(view, _TimedMapView)
    n_pans = 100 if quick else 300
    # Warm-up: first paint renders the cache.
    view.repaint()
    app.processEvents()
    view.paint_ms.clear()
    renders_before = view.render_count
    frames: list[float] = []
    for i in range(n_pans):
        # Straight legs of 150 pans (1,050 px, more than the 960 px cached margin), east then
        # west, so the run includes the re-renders a real drag causes.
        dx, dy = (-7, 0) if (i // 150) % 2 == 0 else (7, 0)
        t0 = time.perf_counter()
        view.pan_by(dx, dy)
        view.repaint()
        app.processEvents()
        frames.append((time.perf_counter() - t0) * 1000.0)
    paints = sorted(view.paint_ms)
    pan_renders = view.render_count - renders_before

    rerenders: list[float] = []
    for k in range(3 if quick else 7):
        view.zoom_by(0.25 if k % 2 == 0 else -0.25)
        view.repaint()
        app.processEvents()
        rerenders.append(view.last_render_ms)
    view.close()

    def pct(q: float) -> float:
        return paints[min(len(paints) - 1, round(q * (len(paints) - 1)))]

    mean_frame = statistics.fmean(frames)
    return {
        "map": {
            "pan_fps": 1000.0 / mean_frame,
            "frame_ms_mean": mean_frame,
            "paint_ms_p50": pct(0.50),
            "paint_ms_p99": pct(0.99),
            "paint_ms_max": paints[-1],
            "rerender_ms": statistics.median(rerenders),
            "rerenders_during_pan": float(pan_renders),
            "points": float(view.risk_point_count()),
            **costs,
        }
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.map_pan", description=__doc__.splitlines()[0] if __doc__ else None
    )
    p.add_argument("--quick", action="store_true", help="100 pans instead of 300")
    p.add_argument("--screenshot", metavar="PNG", help="also render the full demo map to this file")
    args = p.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply_theme(app, "Noto Sans CJK SC", 1.0)
    if args.screenshot:
        screenshot(args.screenshot)
    result = run(args.quick)
    print(f"platform: {app.platformName()}")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
