"""The site's map files: GeoPackage and GeoJSON layers read with pyogrio, MBTiles basemaps checked
(TMS rows), every problem named; and the [map] table of site.toml."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely

from cockpit.config.mapdata import MapDataError, home_extent, read_basemap, read_layer
from cockpit.config.site import MapConfig, MapLayer, SiteError, parse_site

CENTRE = '[centre]\ndistrict = "d1"\nlevel = "district"\nname = "Hill Town"\n'


def write_gpkg(path: Path, polygons: list[shapely.Polygon], crs: str = "EPSG:4326", table: str = "areas") -> None:
    pyogrio.raw.write(
        path,
        shapely.to_wkb(np.array(polygons, dtype=object)),
        field_data=[np.array([f"a{i}" for i in range(len(polygons))], dtype=object), np.array(["甲"] * len(polygons), dtype=object)],
        fields=["adcode", "name"],
        crs=crs,
        driver="GPKG",
        layer=table,
        geometry_type="Polygon",
    )


def box(lon: float, lat: float, d: float = 0.01) -> shapely.Polygon:
    return shapely.box(lon, lat, lon + d, lat + d)


def test_a_geopackage_layer_reads_with_its_properties_and_extent(tmp_path: Path) -> None:
    path = tmp_path / "city.gpkg"
    write_gpkg(path, [box(120.1, 30.2), box(120.3, 30.3)])
    layer = read_layer(MapLayer(name="areas", file=path, style="district", table="areas", label="name", code="adcode"))
    assert layer.count == 2 and layer.crs == "EPSG:4326"
    assert layer.bounds == pytest.approx((120.1, 30.2, 120.31, 30.31))
    props = layer.geojson["features"][1]["properties"]
    assert props == {"adcode": "a1", "name": "甲", "code": "a1"}  # the district code, where ratings look
    assert layer.geojson["features"][0]["geometry"]["type"] == "Polygon"


def test_a_geojson_layer_reads_too(tmp_path: Path) -> None:
    path = tmp_path / "rivers.geojson"
    line = {"type": "LineString", "coordinates": [[120.1, 30.2], [120.2, 30.25]]}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "R"}, "geometry": line}]}))
    layer = read_layer(MapLayer(name="rivers", file=path, style="water", label="name"))
    assert layer.count == 1 and layer.geojson["features"][0]["geometry"] == line


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "the file does not exist"),
        (lambda p: p.write_bytes(b"not a map at all"), "cannot be read as GeoJSON or GeoPackage"),
        (lambda p: write_gpkg(p, [box(13_000_000, 3_500_000, 1000)], crs="EPSG:3857"), "coordinates are in EPSG:3857, expected WGS 84"),
        (lambda p: write_gpkg(p, [box(13_000_000, 3_500_000, 1000)]), "are not degrees"),
        (lambda p: write_gpkg(p, []), "has no features"),
    ],
)
def test_every_problem_of_a_layer_file_is_named(tmp_path: Path, make: object, reason: str) -> None:
    path = tmp_path / "bad.gpkg"
    make(path)  # type: ignore[operator]
    with pytest.raises(MapDataError, match=reason):
        read_layer(MapLayer(name="bad", file=path, style="area"))


def test_a_label_the_layer_does_not_have_is_named(tmp_path: Path) -> None:
    path = tmp_path / "city.gpkg"
    write_gpkg(path, [box(120.1, 30.2)])
    with pytest.raises(MapDataError, match="has no property 'name_en' \\(it has: adcode, name\\)"):
        read_layer(MapLayer(name="areas", file=path, style="area", label_en="name_en"))


def make_mbtiles(path: Path, z: int, rows: list[tuple[int, int]], bounds: str = "", fmt: str = "png") -> None:
    """Tiles at (column, tile_row) exactly as given (rows as stored in the file)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("format", fmt), *([("bounds", bounds)] if bounds else [])])
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [(z, c, r, b"png") for c, r in rows])
    db.commit()
    db.close()


def test_a_basemap_in_tms_rows_is_accepted_and_one_in_xyz_rows_is_refused(tmp_path: Path) -> None:
    # At zoom 10, 120.15 E 30.25 N is XYZ tile (853, 421); its TMS row is 1023 - 421 = 602.
    good, flipped = tmp_path / "good.mbtiles", tmp_path / "flipped.mbtiles"
    make_mbtiles(good, 10, [(853, 602)], bounds="120.1,30.2,120.2,30.3")
    make_mbtiles(flipped, 10, [(853, 421)], bounds="120.1,30.2,120.2,30.3")
    info = read_basemap(good)
    assert (info.min_zoom, info.max_zoom, info.tiles, info.format) == (10, 10, 1, "png")
    assert info.bounds == (120.1, 30.2, 120.2, 30.3)
    with pytest.raises(MapDataError, match="tile rows are in XYZ order"):
        read_basemap(flipped)


def test_a_basemap_without_bounds_gets_its_tiles_extent(tmp_path: Path) -> None:
    path = tmp_path / "nobounds.mbtiles"
    make_mbtiles(path, 10, [(853, 602)])
    info = read_basemap(path)
    assert info.bounds is not None
    lon0, lat0, lon1, lat1 = info.bounds
    assert lon0 <= 120.15 <= lon1 and lat0 <= 30.25 <= lat1 and lon1 - lon0 < 0.4


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_bytes(b"SQLite? no"), "not an MBTiles file"),
        (lambda p: make_mbtiles(p, 3, []), "has no tiles"),
        (lambda p: make_mbtiles(p, 3, [(1, 1)], fmt="pbf"), "vector tiles are not drawn"),
    ],
)
def test_every_problem_of_a_basemap_is_named(tmp_path: Path, make: object, reason: str) -> None:
    path = tmp_path / "b.mbtiles"
    make(path)  # type: ignore[operator]
    with pytest.raises(MapDataError, match=reason):
        read_basemap(path)


def test_the_home_extent_is_the_sites_else_the_layers_else_the_basemaps(tmp_path: Path) -> None:
    path = tmp_path / "city.gpkg"
    write_gpkg(path, [box(120.1, 30.2)])
    layer = read_layer(MapLayer(name="areas", file=path, style="area"))
    assert home_extent(MapConfig(home=(1.0, 2.0, 3.0, 4.0)), [layer], None) == (1.0, 2.0, 3.0, 4.0)
    assert home_extent(MapConfig(), [layer], None) == pytest.approx((120.1, 30.2, 120.11, 30.21))
    assert home_extent(MapConfig(), [], None) is None


def test_the_site_files_map_table(tmp_path: Path) -> None:
    text = CENTRE + (
        '[map]\nbasemap = "base.mbtiles"\nhome = [120.0, 30.0, 120.5, 30.5]\n'
        '[map.layers.areas]\nfile = "city.gpkg"\ntable = "areas"\nstyle = "district"\nlabel = "name"\ncode = "adcode"\nfill = "#223344"\n'
        '[map.layers.rivers]\nfile = "r.geojson"\nstyle = "water"\n'
    )
    site = parse_site(text, base_dir=tmp_path)
    assert site.map.basemap == tmp_path / "base.mbtiles" and site.map.home == (120.0, 30.0, 120.5, 30.5)
    areas = site.map.layer("areas")
    assert areas is not None and areas.file == tmp_path / "city.gpkg" and areas.fill == "#223344"
    assert [layer.name for layer in site.map.layers] == ["areas", "rivers"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('[map]\nhome = [120.5, 30.0, 120.0, 30.5]\n', "map.home = [120.5, 30.0, 120.0, 30.5]: expected [lon0, lat0, lon1, lat1]"),
        ('[map.layers.rivers]\nfile = "r.geojson"\nstyle = "watr"\n', 'map.layers.rivers.style = "watr": expected one of "area"'),
        ('[map.layers.rivers]\nstyle = "water"\n', "map.layers.rivers.file is missing: expected the path of a GeoJSON or GeoPackage"),
        ('[map.layers.rivers]\nfile = "r.geojson"\nstyle = "water"\ncolour = "#ffffff"\n', "map.layers.rivers.colour"),
        ('[map.layers.rivers]\nfile = "r.geojson"\nstyle = "water"\nfill = "blue"\n', 'map.layers.rivers.fill = "blue": expected a colour'),
        ('[map.layers.risk_points]\nfile = "r.geojson"\nstyle = "point"\n', "map.layers.risk_points: expected a layer name"),
        ('[map]\nbasemap_opacity = 2\n', "map.basemap_opacity = 2: expected"),
    ],
)
def test_a_bad_map_table_names_the_key(body: str, error: str) -> None:
    with pytest.raises(SiteError) as info:
        parse_site(CENTRE + body)
    assert any(error in e for e in info.value.errors), info.value.errors
