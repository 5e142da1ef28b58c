from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.backend.risk_points import BOUNDS as DEMO_BOUNDS
from cockpit.backend.risk_points import synthetic_points as synthetic_risk_points
from cockpit.config.site import DEMO_MAP_DIR as DEMO_GEO_DIR
from widgets.errors import WidgetsError
from widgets.geo import (
    MAX_LAT,
    GeometryKind,
    InvalidGeoJSONError,
    InvalidMapDataError,
    InvalidMBTilesError,
    MBTilesReader,
    load_geojson,
    parse_geojson,
    project,
    project_point,
    unproject,
    unproject_point,
)
from widgets.map_view import (
    FLASH_INTERVAL_MS,
    MAP_BACKGROUND,
    RATING_COLOURS,
    RISK_POINTS_LAYER,
    LayerStyle,
    MapMarker,
    MapView,
    RenderPacer,
    rating_text,
)
from widgets.severity import Severity

W, H = 800, 600


@pytest.fixture
def view(qtbot: QtBot) -> MapView:
    w = MapView()
    qtbot.addWidget(w)
    w.resize(W, H)
    with qtbot.waitExposed(w):  # a context manager: it waits for the show inside
        w.show()
    w.set_view(106.55, 29.55, 12.0)
    return w


def square(lon0: float, lat0: float, lon1: float, lat1: float, **props: Any) -> dict[str, Any]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def image(w: MapView) -> QImage:
    return w.grab().toImage()


def colour_at(img: QImage, p: QPointF) -> QColor:
    return img.pixelColor(round(p.x()), round(p.y()))


# -- projection ------------------------------------------------------------------------------------


@given(
    lon=st.floats(-180.0, 180.0, allow_nan=False),
    lat=st.floats(-MAX_LAT, MAX_LAT, allow_nan=False),
)
def test_projection_round_trips(lon: float, lat: float) -> None:
    x, y = project_point(lon, lat)
    assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
    lon2, lat2 = unproject_point(x, y)
    assert lon2 == pytest.approx(lon, abs=1e-9)
    assert lat2 == pytest.approx(lat, abs=1e-9)
    xa, ya = project(np.array([lon]), np.array([lat]))
    assert xa[0] == pytest.approx(x, abs=1e-15) and ya[0] == pytest.approx(y, abs=1e-15)
    lona, lata = unproject(xa, ya)
    assert lona[0] == pytest.approx(lon, abs=1e-9) and lata[0] == pytest.approx(lat, abs=1e-9)


def test_projection_known_values() -> None:
    assert project_point(0.0, 0.0) == (0.5, 0.5)
    x, y = project_point(-180.0, MAX_LAT)
    assert x == 0.0 and y == pytest.approx(0.0, abs=1e-12)
    # North is up: a larger latitude has a smaller y.
    assert project_point(106.5, 29.6)[1] < project_point(106.5, 29.5)[1]


# -- view ------------------------------------------------------------------------------------------


def test_set_view_round_trips_and_signals(view: MapView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.view_changed):
        view.set_view(106.5, 29.6, 13.25)
    v = view.view()
    assert v.center_lon == pytest.approx(106.5) and v.center_lat == pytest.approx(29.6) and v.zoom == 13.25
    view.set_view(0, 0, 99)
    assert view.view().zoom == 19.0


def test_pan_moves_content_with_the_drag_direction(view: MapView) -> None:
    before = view.lonlat_to_widget(106.55, 29.55)
    v0 = view.view()
    view.pan_by(100, -40)
    after = view.lonlat_to_widget(106.55, 29.55)
    assert after.x() - before.x() == pytest.approx(100, abs=1)
    assert after.y() - before.y() == pytest.approx(-40, abs=1)
    v1 = view.view()
    assert v1.center_lon < v0.center_lon  # content moved right: we look further west
    assert v1.center_lat < v0.center_lat  # content moved up: we look further south
    assert v1.zoom == v0.zoom
    # 100 px at zoom 12 is 100 / (256 * 2**12) of 360°.
    assert v0.center_lon - v1.center_lon == pytest.approx(100 / (256 * 2**12) * 360, rel=1e-6)


def test_zoom_about_anchor_keeps_the_point_under_it(view: MapView) -> None:
    anchor = QPointF(150, 420)
    lonlat = view.widget_to_lonlat(anchor)
    view.zoom_by(1.5, anchor)
    assert view.view().zoom == 13.5
    p = view.lonlat_to_widget(*lonlat)
    assert p.x() == pytest.approx(anchor.x(), abs=1) and p.y() == pytest.approx(anchor.y(), abs=1)


def test_wheel_zooms_about_the_cursor(view: MapView) -> None:
    pos = QPointF(600, 150)
    lonlat = view.widget_to_lonlat(pos)
    ev = QWheelEvent(
        pos, view.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view, ev)
    assert view.view().zoom == pytest.approx(13.0)  # two notches of 0.5
    p = view.lonlat_to_widget(*lonlat)
    assert p.x() == pytest.approx(pos.x(), abs=1) and p.y() == pytest.approx(pos.y(), abs=1)


def test_mouse_drag_pans(view: MapView, qtbot: QtBot) -> None:
    before = view.lonlat_to_widget(106.55, 29.55)
    QTest.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(400, 300))
    for x in range(410, 521, 10):
        QTest.mouseMove(view, QPoint(x, 300))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(520, 300))
    after = view.lonlat_to_widget(106.55, 29.55)
    assert after.x() - before.x() == pytest.approx(120, abs=2)
    assert after.y() == pytest.approx(before.y(), abs=1)


def test_fit_bounds_shows_the_whole_box(view: MapView) -> None:
    view.fit_bounds(*DEMO_BOUNDS)
    lon0, lat0, lon1, lat1 = DEMO_BOUNDS
    for lon, lat in ((lon0, lat0), (lon1, lat1), (lon0, lat1), (lon1, lat0)):
        p = view.lonlat_to_widget(lon, lat)
        assert 0 <= p.x() <= W and 0 <= p.y() <= H
    # As large as fits: one of the two axes nearly fills the widget.
    a, b = view.lonlat_to_widget(lon0, lat1), view.lonlat_to_widget(lon1, lat0)
    assert max((b.x() - a.x()) / (W - 48), (b.y() - a.y()) / (H - 48)) == pytest.approx(1.0, abs=0.01)


def test_layer_bounds_surround_its_features_for_fitting(view: MapView) -> None:
    assert view.layer_bounds("park") is None
    fc = {"type": "FeatureCollection", "features": [square(10.0, 50.0, 10.5, 50.2), square(11.0, 49.5, 11.2, 49.8)]}
    view.add_geojson_layer("park", fc, LayerStyle())
    assert view.layer_bounds("park") == pytest.approx((10.0, 49.5, 11.2, 50.2))
    view.fit_bounds(*(view.layer_bounds("park") or (0, 0, 0, 0)))
    assert view.view().center_lon == pytest.approx(10.6)


# -- markers ---------------------------------------------------------------------------------------


def test_clicking_a_marker_emits_its_id(view: MapView, qtbot: QtBot) -> None:
    view.set_markers(
        [
            MapMarker("fire-1", 106.50, 29.56, Severity.RED, "Fire"),
            MapMarker("gas-2", 106.60, 29.54, Severity.ORANGE, "Gas", acknowledged=True),
        ]
    )
    pos = view.lonlat_to_widget(106.60, 29.54).toPoint()
    with qtbot.waitSignal(view.marker_clicked) as blocker:
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["gas-2"]
    with qtbot.assertNotEmitted(view.marker_clicked):
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def test_dragging_from_a_marker_pans_without_clicking(view: MapView, qtbot: QtBot) -> None:
    view.set_markers([MapMarker("m", 106.55, 29.55, Severity.YELLOW)])
    pos = view.lonlat_to_widget(106.55, 29.55).toPoint()
    with qtbot.assertNotEmitted(view.marker_clicked):
        QTest.mousePress(view, Qt.MouseButton.LeftButton, pos=pos)
        QTest.mouseMove(view, pos + QPoint(30, 0))
        QTest.mouseMove(view, pos + QPoint(60, 0))
        QTest.mouseRelease(view, Qt.MouseButton.LeftButton, pos=pos + QPoint(60, 0))
    assert view.lonlat_to_widget(106.55, 29.55).x() == pytest.approx(pos.x() + 60, abs=2)


def test_marker_validation() -> None:
    assert MapMarker("a", 1.0, 2.0, 2).severity is Severity.ORANGE  # type: ignore[arg-type]
    with pytest.raises(InvalidMapDataError, match="severity"):
        MapMarker("a", 1.0, 2.0, 5)  # type: ignore[arg-type]
    with pytest.raises(InvalidMapDataError, match="finite"):
        MapMarker("a", math.nan, 2.0, Severity.RED)


def test_duplicate_marker_ids_are_rejected(view: MapView) -> None:
    with pytest.raises(InvalidMapDataError, match="duplicate"):
        view.set_markers([MapMarker("a", 106.5, 29.5, Severity.RED)] * 2)


def test_flash_rate_is_at_most_three_hz() -> None:
    assert 1000 / (2 * FLASH_INTERVAL_MS) <= 3


def test_unacked_markers_flash_acked_markers_stay_steady(view: MapView, qtbot: QtBot) -> None:
    view.set_markers(
        [
            MapMarker("new", 106.50, 29.55, Severity.RED, acknowledged=False),
            MapMarker("old", 106.60, 29.55, Severity.RED, acknowledged=True),
        ]
    )
    assert view.is_flashing()
    assert view.flash_phase is True  # starts lit: a new alarm is visible at once

    def probe(lon: float) -> QPointF:
        # Left of the icon: inside the flash halo, outside the icon and its label.
        rect = view.marker_rect("new" if lon == 106.50 else "old")
        assert rect is not None
        return QPointF(rect.center().x() - 0.75 * rect.width(), rect.center().y())

    lit = image(view)
    assert view.is_marker_lit("new") and not view.is_marker_lit("old")
    qtbot.waitUntil(lambda: view.flash_phase is False, timeout=3 * FLASH_INTERVAL_MS)
    dark = image(view)
    assert not view.is_marker_lit("new") and not view.is_marker_lit("old")
    assert colour_at(lit, probe(106.50)) != colour_at(dark, probe(106.50))
    assert colour_at(lit, probe(106.60)) == colour_at(dark, probe(106.60))
    qtbot.waitUntil(lambda: view.flash_phase is True, timeout=3 * FLASH_INTERVAL_MS)
    assert colour_at(image(view), probe(106.50)) == colour_at(lit, probe(106.50))


def test_flashing_stops_when_all_markers_are_acknowledged(view: MapView) -> None:
    view.set_markers([MapMarker("a", 106.5, 29.5, Severity.BLUE)])
    assert view.is_flashing()
    view.set_markers([MapMarker("a", 106.5, 29.5, Severity.BLUE, acknowledged=True)])
    assert not view.is_flashing()
    assert view.flash_phase is False
    assert not view.is_marker_lit("a")


# -- risk points and the cache ---------------------------------------------------------------------


def test_330k_risk_points_render(view: MapView) -> None:
    lon, lat, level = synthetic_risk_points(330_000, seed=3)
    view.fit_bounds(*DEMO_BOUNDS)
    empty = image(view)
    view.set_risk_points(lon, lat, level)
    assert view.risk_point_count() == 330_000
    full = image(view)
    # Every sampled point's pixel changed from the empty background.
    rng = np.random.default_rng(0)
    changed = 0
    for i in rng.choice(len(lon), 200, replace=False):
        p = view.lonlat_to_widget(float(lon[i]), float(lat[i]))
        if 0 <= p.x() < W - 1 and 0 <= p.y() < H - 1:
            x, y = math.floor(p.x()), math.floor(p.y())
            changed += full.pixelColor(x, y) != empty.pixelColor(x, y)
    assert changed >= 190
    view.set_layer_visible(RISK_POINTS_LAYER, False)
    assert image(view) == empty


def test_small_pan_blits_the_cache_without_rerendering(view: MapView) -> None:
    lon, lat, level = synthetic_risk_points(50_000, seed=1)
    view.set_risk_points(lon, lat, level)
    view.repaint()
    n = view.render_count
    assert n >= 1
    for _ in range(10):
        view.pan_by(7, 3)
        view.repaint()
    assert view.render_count == n
    # The blitted frame equals a fresh render of the same view.
    panned = image(view)
    fresh = MapView()
    fresh.resize(W, H)
    fresh.set_risk_points(lon, lat, level)
    v = view.view()
    fresh.set_view(v.center_lon, v.center_lat, v.zoom)
    fresh_image = fresh.grab().toImage()  # kept: constBits() points into it (a temporary segfaulted)
    diff = np.frombuffer(panned.constBits(), np.uint8) != np.frombuffer(fresh_image.constBits(), np.uint8)
    assert diff.mean() < 0.002  # sub-pixel rounding of a few points at most
    fresh.deleteLater()


def test_cache_rerenders_on_zoom_and_when_the_pan_leaves_the_margin(view: MapView) -> None:
    view.repaint()
    n = view.render_count
    view.zoom_by(0.25)
    view.repaint()
    assert view.render_count == n + 1
    view.pan_by(W * 0.5 + 10, 0)  # the default margin is half a viewport
    view.repaint()
    assert view.render_count == n + 2


def test_risk_point_validation(view: MapView) -> None:
    with pytest.raises(InvalidMapDataError, match="equally long"):
        view.set_risk_points(np.zeros(3), np.zeros(4))
    with pytest.raises(InvalidMapDataError, match="levels"):
        view.set_risk_points(np.zeros(2), np.zeros(2), np.array([0, 9]))


def test_synthetic_risk_points_are_deterministic_and_inside_bounds() -> None:
    a = synthetic_risk_points(10_000, seed=7)
    b = synthetic_risk_points(10_000, seed=7)
    c = synthetic_risk_points(10_000, seed=8)
    for k in range(3):
        assert np.array_equal(a[k], b[k])
    assert not np.array_equal(a[0], c[0])
    lon, lat, level = a
    lon0, lat0, lon1, lat1 = DEMO_BOUNDS
    assert len(lon) == 10_000 and lon.min() >= lon0 and lon.max() <= lon1
    assert lat.min() >= lat0 and lat.max() <= lat1
    assert set(np.unique(level).tolist()) == {0, 1, 2, 3}


# -- GeoJSON layers, ratings, overlays -------------------------------------------------------------


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ({"type": "Feature", "properties": {}, "geometry": {"type": "Circle", "coordinates": [1, 2]}}, "unsupported geometry type 'Circle'"),
        ({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon"}}, "Polygon has no 'coordinates'"),
        ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[106.5, 29.5]]}}, "has 1 positions, needs at least 2"),
        ({"type": "Feature", "geometry": {"type": "Point", "coordinates": [29.5, 106.5]}}, r"outside lon ±180 / lat ±90"),
        ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[1, 2], [3, "x"], [1, 2], [0, 0]]]}}, "not arrays of numbers"),
        ({"type": "FeatureCollection"}, "no 'features' list"),
        ({"type": "FeatureCollection", "features": [{"type": "Feature", "id": "f7", "properties": {}}]}, "feature 0 \\(id 'f7'\\): Feature has no 'geometry'"),
    ],
)  # fmt: skip
def test_bad_geojson_raises_a_clear_value_error(view: MapView, geojson: dict[str, Any], message: str) -> None:
    view.add_geojson_layer("ok", square(106.5, 29.5, 106.6, 29.6), LayerStyle())
    with pytest.raises(InvalidGeoJSONError, match=message) as info:
        view.add_geojson_layer("districts", geojson, LayerStyle())
    assert isinstance(info.value, ValueError) and isinstance(info.value, WidgetsError)
    assert "layer 'districts'" in str(info.value)
    assert view.layer_names() == ["ok"]  # nothing half-added


def test_geojson_kinds_and_null_geometry() -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": None, "geometry": None},
            {
                "type": "Feature",
                "properties": {"n": 1},
                "geometry": {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]]]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "GeometryCollection",
                    "geometries": [{"type": "Point", "coordinates": [5, 6]}],
                },
            },
        ],
    }
    feats = parse_geojson(fc)
    assert [f.kind for f in feats] == [GeometryKind.POINT, GeometryKind.LINE, GeometryKind.POINT]
    assert feats[0].properties == {"n": 1} and feats[0].parts[0].shape == (2, 2)


def test_demo_assets_load_and_districts_do_not_overlap() -> None:
    names = {p.stem for p in DEMO_GEO_DIR.glob("*.geojson")}
    assert {"districts", "rivers", "pipelines", "forest_park", "water_sources", "hv_lines"} <= names
    for name in names:
        assert parse_geojson(load_geojson(DEMO_GEO_DIR / f"{name}.geojson"), name)
    districts = parse_geojson(load_geojson(DEMO_GEO_DIR / "districts.geojson"))
    assert {f.properties["code"] for f in districts} == {"yuzhong", "jiangbei", "nanan", "shapingba"}
    # Non-overlapping: each district's label anchor lies in no other district (cheap proxy) and the
    # rasterised polygons share no pixel.
    img = QImage(1000, 1000, QImage.Format.Format_ARGB32)
    img.fill(0)
    from PySide6.QtGui import QPainter, QPainterPath, QPolygonF

    x0, y0 = project_point(106.37, 29.64)
    x1, y1 = project_point(106.71, 29.46)
    counts = np.zeros((1000, 1000), dtype=np.int32)
    for f in districts:
        img.fill(0)
        p = QPainter(img)
        path = QPainterPath()
        path.addPolygon(
            QPolygonF(
                [QPointF((x - x0) / (x1 - x0) * 1000, (y - y0) / (y1 - y0) * 1000) for x, y in f.parts[0]]
            )
        )
        p.fillPath(path, QColor("white"))
        p.end()
        alpha = np.frombuffer(img.constBits(), np.uint32).reshape(1000, 1000) >> 24
        counts += alpha == 255
    assert counts.max() == 1


def test_area_ratings_fill_with_the_five_colours_and_label_them(view: MapView) -> None:
    view.add_geojson_layer(
        "areas",
        {"type": "FeatureCollection", "features": [square(106.50, 29.52, 106.54, 29.56, code="a", name="A")]},
        LayerStyle(label_property="name"),
    )
    probe = view.lonlat_to_widget(106.505, 29.525)
    plain = colour_at(image(view), probe)
    view.set_area_ratings({"a": 5})
    rated = colour_at(image(view), probe)
    assert rated != plain
    assert rated.red() > rated.green() and rated.red() > rated.blue()  # tinted towards red
    assert rating_text(5) == "5 · Red"
    assert [rating_text(r).split(" · ")[1] for r in range(1, 6)] == [
        "Green",
        "Blue",
        "Yellow",
        "Orange",
        "Red",
    ]
    assert len(set(RATING_COLOURS.values())) == 5
    with pytest.raises(InvalidMapDataError, match=r"1\.\.5"):
        view.set_area_ratings({"a": 6})
    assert view.area_ratings() == {"a": 5}


def test_overlay_is_drawn_and_removed(view: MapView) -> None:
    probe = view.lonlat_to_widget(106.555, 29.555)
    before = colour_at(image(view), probe)
    view.set_overlay("fire", square(106.54, 29.54, 106.57, 29.57))
    assert view.overlay_names() == ["fire"]
    assert colour_at(image(view), probe) != before
    view.set_overlay("fire", None)
    assert colour_at(image(view), probe) == before


def test_layer_visibility(view: MapView) -> None:
    style = LayerStyle(fill="#ffffff", stroke=None)
    view.add_geojson_layer("blk", square(106.54, 29.54, 106.57, 29.57), style)
    probe = view.lonlat_to_widget(106.555, 29.555)
    assert colour_at(image(view), probe) == QColor("#ffffff")
    view.set_layer_visible("blk", False)
    assert colour_at(image(view), probe) == QColor(MAP_BACKGROUND)
    assert not view.is_layer_visible("blk")
    with pytest.raises(InvalidMapDataError, match="no layer named 'nope'"):
        view.set_layer_visible("nope", True)


def test_layer_style_validation() -> None:
    with pytest.raises(InvalidMapDataError, match="not a colour"):
        LayerStyle(fill="blurple-ish")
    with pytest.raises(InvalidMapDataError, match="fill_opacity"):
        LayerStyle(fill_opacity=2.0)


# -- MBTiles basemap -------------------------------------------------------------------------------


def _png(colour: str) -> bytes:
    img = QImage(256, 256, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    assert img.save(buf, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, the binding wants str
    return bytes(data.data())


def _tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    x, y = project_point(lon, lat)
    return math.floor(x * 2**z), math.floor(y * 2**z)


def make_mbtiles(path: Path, z: int, tiles: dict[tuple[int, int], bytes]) -> None:
    """Write ``tiles`` keyed by XYZ (x, y) at zoom ``z``, storing rows in TMS order."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)"
    )
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", "png")])
    for (x, y), data in tiles.items():
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, data))
    db.commit()
    db.close()


def test_mbtiles_reader_flips_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.mbtiles"
    make_mbtiles(path, 3, {(6, 1): b"north", (6, 6): b"south"})
    with MBTilesReader(path) as r:
        assert (r.min_zoom, r.max_zoom) == (3, 3)
        assert r.metadata["format"] == "png"
        assert r.tile(3, 6, 1) == b"north"
        assert r.tile(3, 6, 6) == b"south"
        assert r.tile(3, 6, 2) is None and r.tile(3, 99, 0) is None


def test_mbtiles_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidMBTilesError, match="no such"):
        MBTilesReader(tmp_path / "missing.mbtiles")
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(InvalidMBTilesError, match="not an MBTiles"):
        MBTilesReader(junk)


def test_mbtiles_basemap_is_drawn(view: MapView, tmp_path: Path) -> None:
    z = 12
    tx, ty = _tile_xy(106.55, 29.55, z)
    path = tmp_path / "base.mbtiles"
    make_mbtiles(path, z, {(tx, ty): _png("#ff0000")})
    # The widget's centre lies in that tile; the neighbours are missing (background).
    probe = view.lonlat_to_widget(106.55, 29.55)
    before = colour_at(image(view), probe)
    view.set_basemap(path, opacity=1.0)
    assert colour_at(image(view), probe) == QColor("#ff0000")
    # Exactly that tile is drawn, where XYZ says (an unflipped TMS row would be far away).
    top_left = view.lonlat_to_widget(*unproject_point(tx / 2**z, ty / 2**z))
    img = image(view)
    inside = QPointF(top_left.x() + 5, top_left.y() + 5)
    outside = [QPointF(top_left.x() + 128, top_left.y() + d) for d in (-5, 261)]
    outside += [QPointF(top_left.x() + d, top_left.y() + 128) for d in (-5, 261)]
    assert colour_at(img, inside) == QColor("#ff0000")
    checked = 0
    for q in outside:
        if 0 <= q.x() < W and 0 <= q.y() < H:
            assert colour_at(img, q) == before
            checked += 1
    assert checked >= 2
    view.set_basemap(None)
    assert colour_at(image(view), probe) == before


# -- benchmark entry point (smoke) -----------------------------------------------------------------


def test_bench_map_pan_runs(qapp: QApplication, tmp_path: Path) -> None:
    from bench import map_pan

    result = map_pan.run(quick=True)
    assert set(result) == {"map"}
    m = result["map"]
    assert m["points"] == 330_000.0 and m["pan_fps"] > 0 and m["paint_ms_p50"] > 0 and m["rerender_ms"] > 0
    out = tmp_path / "map.png"
    map_pan.screenshot(str(out))
    assert QImage(str(out)).size().width() == map_pan.WIDTH


def test_dots_repaint_without_re_rendering_the_map(qtbot: QtBot) -> None:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_view(106.55, 29.55, 12)
    view.grab()
    renders = view.render_count
    before = view.grab().toImage()
    view.set_dots([106.55], [29.55], [2], ["9.9"])
    after = view.grab().toImage()
    assert view.render_count == renders, "live dots must not re-render the cached map"
    assert before != after, "the dot is painted"
    assert view.dots() == [(2, "9.9")]
    with pytest.raises(InvalidMapDataError):
        view.set_dots([1.0], [2.0, 3.0], [0], ["x"])


def test_markers_closer_than_an_icon_merge_into_the_most_severe_with_a_count(view: MapView) -> None:
    view.set_markers(
        [
            MapMarker("a", 106.550, 29.560, Severity.YELLOW),
            MapMarker("b", 106.5501, 29.5601, Severity.RED, "Fire"),
            MapMarker("c", 106.5502, 29.5600, Severity.BLUE),
            MapMarker("far", 106.65, 29.50, Severity.ORANGE),
        ]
    )
    groups = {m.id: n for m, n in view.marker_groups()}
    assert groups == {"b": 3, "far": 1}, "the red one stands for the heap, with +2"
    view.zoom_by(8, view.lonlat_to_widget(106.5501, 29.5601))  # far enough in, they part
    # Groups are as drawn: the far one is now outside the view and not drawn at all.
    assert {m.id: n for m, n in view.marker_groups()} == {"a": 1, "b": 1, "c": 1}


def test_maps_sharing_a_pacer_re_render_in_different_frames(qtbot: QtBot) -> None:
    """Two maps whose content changes together: the first re-renders at once, the second shows its
    previous picture and re-renders on a later pass; a change of view is never held back."""
    pacer = RenderPacer(interval_s=10.0, max_delay_s=0.2)  # nothing but the delay cap releases it
    maps = []
    for _ in range(2):
        m = MapView()
        qtbot.addWidget(m)
        m.resize(W, H)
        m.set_view(106.55, 29.55, 12.0)  # where the points are (a new map shows the whole world)
        with qtbot.waitExposed(m):
            m.show()
        m.set_render_pacer(pacer)
        m.repaint()  # the first picture is never held back
        maps.append(m)
    a, b = maps
    before = image(b)
    for m in maps:
        m.set_area_ratings({})  # unchanged: no re-render at all
    counts = [m.render_count for m in maps]
    lon, lat, level = synthetic_risk_points(20_000, seed=3)
    for m in maps:
        m.set_risk_points(lon, lat, level)
    a.repaint()
    b.repaint()
    assert a.render_count == counts[0] + 1
    assert b.render_count == counts[1] and pacer.deferred >= 1
    assert image(b) == before  # the previous picture, not a half-made one
    qtbot.waitUntil(lambda: b.render_count == counts[1] + 1, timeout=5000)
    assert image(b) != before
    b.zoom_by(0.5)  # a new view renders now, pacer or not
    b.repaint()
    assert b.render_count == counts[1] + 2


def test_a_map_without_a_pacer_re_renders_at_once(view: MapView) -> None:
    view.repaint()
    n = view.render_count
    view.set_risk_points(*synthetic_risk_points(1000, seed=2))
    view.repaint()
    assert view.render_count == n + 1


def test_new_dots_do_not_repaint_the_markers_and_a_flash_does_not_repaint_the_dots(qtbot: QtBot) -> None:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_view(106.55, 29.55, 12)
    view.set_markers([MapMarker("e1", 106.56, 29.56, Severity.RED, "Fire", False)])
    view.set_dots([106.55], [29.55], [2], ["9.9"])
    view.grab()
    markers, dots = view._live[False][1], view._dots_layer(*view._viewport_origin())  # icons, dots
    view.set_dots([106.55], [29.55], [2], ["10.4"])  # a new value: the dots change, the markers do not
    with_new_value = view.grab().toImage()
    assert view._live[False][1] is markers
    assert view._dots_layer(*view._viewport_origin()) is not dots
    dots = view._dots_layer(*view._viewport_origin())
    view._on_flash_timer_timeout()  # the flash timer's next phase
    assert view.grab().toImage() != with_new_value  # the marker flashed
    assert view._dots_layer(*view._viewport_origin()) is dots


def test_a_content_re_render_reuses_the_risk_pixels_and_draws_what_a_fresh_map_draws(view: MapView) -> None:
    """Ratings change the cached map, not where the points fall: the re-render writes the kept
    pixels, and the picture equals a fresh map's; new points or a new zoom are placed again."""
    lon, lat, level = synthetic_risk_points(30_000, seed=4)
    view.set_risk_points(lon, lat, level)
    view.add_geojson_layer(
        "d",
        {"type": "FeatureCollection", "features": [square(106.5, 29.5, 106.6, 29.6, code="A")]},
        LayerStyle(fill="#203040"),
    )
    view.repaint()
    kept = view._risk_pixels
    view.set_area_ratings({"A": 4})
    after = image(view)
    assert view._risk_pixels is kept
    fresh = MapView()
    fresh.resize(W, H)
    fresh.set_risk_points(lon, lat, level)
    fresh.add_geojson_layer(
        "d",
        {"type": "FeatureCollection", "features": [square(106.5, 29.5, 106.6, 29.6, code="A")]},
        LayerStyle(fill="#203040"),
    )
    fresh.set_area_ratings({"A": 4})
    v = view.view()
    fresh.set_view(v.center_lon, v.center_lat, v.zoom)
    fresh_image = fresh.grab().toImage()
    assert after == fresh_image
    view.set_risk_points(lon[:100], lat[:100], level[:100])
    view.repaint()
    assert view._risk_pixels is not kept
    fresh.deleteLater()


def test_a_flash_phase_repaints_neither_the_icons_nor_their_labels(qtbot: QtBot) -> None:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_view(106.55, 29.55, 12)
    view.set_markers([MapMarker("e1", 106.56, 29.56, Severity.RED, "Fire", False)])
    lit = view.flash_phase
    first = view.grab().toImage()
    icons = view._live[False][1]
    view._on_flash_timer_timeout()
    second = view.grab().toImage()
    view._on_flash_timer_timeout()
    third = view.grab().toImage()
    assert view._live[False][1] is icons  # painted once for both phases
    assert first != second and third == first  # the halo comes and goes, nothing else changes
    assert lit == view.flash_phase


# ---------------------------------------------------------------------------------- wall labels


def _wall_map(qtbot: QtBot, markers: list[MapMarker]) -> MapView:
    """The overview's districts at wall type, with ratings and markers (as the wall shows them)."""
    from widgets.geo import load_geojson

    view = MapView(cache_margin=0.1)
    qtbot.addWidget(view)
    view.setFont(QFont("Noto Sans CJK SC"))  # the wall's font, whatever the test's default
    view.resize(1100, 560)
    view.add_geojson_layer(
        "districts",
        load_geojson(DEMO_GEO_DIR / "districts.geojson"),
        LayerStyle(stroke="#6c747e", fill="#272b30", label_property="name_en", label_scale=2.0),
    )
    view.fit_bounds(106.43, 29.47, 106.70, 29.63)
    view.set_type_sizes(86, 43)
    view.set_area_ratings({"yuzhong": 1, "jiangbei": 2, "nanan": 4, "shapingba": 2})
    view.set_markers(markers)
    view.set_dots([106.58, 106.50], [29.56, 29.58], [2, 1], ["0.17", "31.0"])
    view.grab()
    return view


def _crowd() -> list[MapMarker]:
    """Events heaped on the districts' names, and one at the very edge of the view."""
    return [
        MapMarker("burst", 106.575, 29.545, Severity.RED, "Water-main burst"),
        MapMarker("fire", 106.47, 29.56, Severity.RED, "Fire alarm"),
        MapMarker("jam", 106.56, 29.565, Severity.ORANGE, "Traffic jam"),
        MapMarker("jam2", 106.5605, 29.5655, Severity.ORANGE),
        MapMarker("edge", 106.699, 29.629, Severity.YELLOW, "Road closed"),
        *(MapMarker(f"bg{i}", 106.50 + i * 0.02, 29.60 - i * 0.01, Severity.BLUE) for i in range(6)),
    ]


def test_wall_map_labels_never_overlap_each_other_or_an_icon(qtbot: QtBot) -> None:
    view = _wall_map(qtbot, _crowd())
    items = view.text_items()
    labels = [t for t in items if t.text not in {"1", "2", "3", "4"} and not t.text.startswith("+")]
    assert "Water-main burst" in {t.text for t in labels}, "the most severe are named where there is room"
    boxes = [(t.text, QRectF(t.x, t.y, t.w, t.h)) for t in items]
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1 :]:
            inter = ra.intersected(rb)
            assert inter.width() * inter.height() <= 4, f"{a!r} overlaps {b!r}"
    icons = [view.marker_rect(m.id) for m, _n in view.marker_groups()]
    for text, box in ((t.text, QRectF(t.x, t.y, t.w, t.h)) for t in labels):
        assert not any(box.intersects(icon) for icon in icons if icon is not None), f"an icon covers {text!r}"
    area = QRectF(0, 0, view.width(), view.height())
    for t in items:
        assert area.contains(QRectF(t.x, t.y, t.w, t.h)) and not t.clipped, f"{t.text!r} is cut"


def test_wall_map_markers_are_whole_inside_the_map_and_never_cover_another(qtbot: QtBot) -> None:
    view = _wall_map(qtbot, _crowd())
    area = QRectF(0, 0, view.width(), view.height())
    rects = [view.marker_rect(m.id) for m, _n in view.marker_groups()]
    assert "edge" in {m.id for m, _n in view.marker_groups()}, "an event at the edge is still shown"
    for r in rects:
        assert r is not None and area.contains(r), "an icon is never cut at the map's edge"
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert a is not None and b is not None and not a.intersects(b)


def test_wall_map_drops_the_lowest_priority_labels_first(qtbot: QtBot) -> None:
    """A small map with room for one label: the red event's label wins over the district's name
    and its rating, which are dropped (never drawn under or over it)."""
    from widgets.geo import load_geojson

    view = MapView(cache_margin=0.1)
    qtbot.addWidget(view)
    view.setFont(QFont("Noto Sans CJK SC"))
    view.resize(600, 160)
    jiangbei = [f for f in load_geojson(DEMO_GEO_DIR / "districts.geojson")["features"] if f["properties"]["code"] == "jiangbei"]
    view.add_geojson_layer(
        "districts", {"type": "FeatureCollection", "features": jiangbei}, LayerStyle(label_property="name_en", label_scale=2.0)
    )
    ring = np.array(jiangbei[0]["geometry"]["coordinates"][0])
    view.fit_bounds(ring[:, 0].min(), ring[:, 1].min(), ring[:, 0].max(), ring[:, 1].max(), padding_px=0)
    view.set_type_sizes(86, 43)
    view.set_area_ratings({"jiangbei": 2})
    c = view.widget_to_lonlat(QPointF(60, 80))
    view.set_markers([MapMarker("e", c[0], c[1], Severity.RED, "Fire alarm")])
    view.grab()
    shown = {t.text for t in view.text_items()}
    assert "Fire alarm" in shown
    assert "Jiangbei" in view.dropped_labels() and "Jiangbei" not in shown
    assert "2 · Blue" not in shown, "a rating is never shown without its district's name"
    view.set_markers([])
    view.grab()
    assert {"Jiangbei", "2 · Blue"} <= {t.text for t in view.text_items()}, "with the room back, they return"
