"""The district's map files, as ``site.toml`` names them (``[map]``): read and checked, no Qt.

Vector layers (GeoJSON, GeoPackage) are read with **pyogrio** (GDAL's vector drivers, vectorised)
and **shapely**: GeoPackage is SQLite with binary geometries, GeoJSON has its own corner cases, and a
district's GIS exports both in many flavours; GDAL has read them for twenty years, a hand-written
parser would not. The result is GeoJSON-like (what the map widget draws), in WGS 84.

The raster basemap is an MBTiles file (SQLite, MBTiles 1.3): its tile rows are in TMS order, row 0
in the south, the flip of the XYZ rows the map asks for (``row = 2**z - 1 - y``). Files exported
with XYZ rows are a common mistake: :func:`read_basemap` finds it from the file's own bounds.

Every problem is a :class:`MapDataError` whose text says what is wrong and what to do; ``cockpit
doctor`` prints it, the wall logs it and shows it on the console, and draws the rest.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cockpit.config.site import MAP_CRS, MapConfig, MapLayer

Extent = tuple[float, float, float, float]
"""``(lon0, lat0, lon1, lat1)`` in WGS 84 degrees."""

MAX_FEATURES = 200_000
"""More features than a wall map draws at once: a layer beyond it is refused (simplify it first)."""


class MapDataError(ValueError):
    """A map file that cannot be used; the text names the file and says why."""


@dataclass(frozen=True, slots=True)
class LoadedLayer:
    """A vector layer as the map draws it."""

    name: str
    geojson: dict[str, Any]
    """A FeatureCollection in WGS 84; each feature's ``code`` property is the district code when
    the layer names one (``code = "…"``)."""
    bounds: Extent
    count: int
    crs: str


@dataclass(frozen=True, slots=True)
class BasemapInfo:
    path: Path
    bounds: Extent | None
    """The file's ``bounds`` metadata, else the extent of its tiles at the highest zoom."""
    min_zoom: int
    max_zoom: int
    format: str
    tiles: int


def read_layer(layer: MapLayer) -> LoadedLayer:
    """Read one of the site's vector layers.

    Raises:
        MapDataError: the file is missing or unreadable, has no such table, is not in WGS 84 (or
            CGCS2000), has no features, or its coordinates are not degrees.
    """
    where = f"map layer {layer.name} ({layer.file}{': ' + layer.table if layer.table else ''})"
    try:  # GDAL is loaded only by a wall or doctor that has map layers
        import pyogrio
        import shapely
    except ImportError as exc:  # a broken installation: the wall runs on without this layer
        raise MapDataError(f"{where}: cannot be read: the GeoPackage reader is missing ({exc}); reinstall") from exc

    if not layer.file.is_file():
        raise MapDataError(f"{where}: the file does not exist")
    try:
        meta, _fids, wkb, fields = pyogrio.raw.read(layer.file, layer=layer.table or None)
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, OSError, ...
        raise MapDataError(f"{where}: cannot be read as GeoJSON or GeoPackage ({exc})") from exc
    crs = str(meta.get("crs") or "")
    if crs not in MAP_CRS:
        raise MapDataError(
            f"{where}: coordinates are in {crs or 'no stated coordinate system'}, expected WGS 84 (EPSG:4326); "
            f"convert it, e.g. ogr2ogr -t_srs EPSG:4326 out.gpkg {layer.file.name}"
        )
    geoms = shapely.from_wkb(wkb)
    keep = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    count = int(keep.sum())
    if count == 0:
        raise MapDataError(f"{where}: the layer has no features")
    if count > MAX_FEATURES:
        raise MapDataError(f"{where}: {count} features, more than a wall map draws ({MAX_FEATURES}); simplify it")
    lon0, lat0, lon1, lat1 = (float(v) for v in shapely.total_bounds(geoms[keep]))
    if not (-180 <= lon0 <= lon1 <= 180 and -90 <= lat0 <= lat1 <= 90):
        raise MapDataError(
            f"{where}: coordinates up to ({lon1:.0f}, {lat1:.0f}) are not degrees: the file says {crs} "
            "but holds projected coordinates"
        )
    names = [str(n) for n in meta.get("fields", [])]
    for wanted in (layer.label, layer.label_en, layer.code):
        if wanted and wanted not in names:
            raise MapDataError(f"{where}: has no property {wanted!r} (it has: {', '.join(names) or 'none'})")
    columns = [np.asarray(f)[keep].tolist() for f in fields]
    shapes = shapely.to_geojson(geoms[keep]).tolist()
    features = []
    for i, shape in enumerate(shapes):
        props = {n: _plain(col[i]) for n, col in zip(names, columns, strict=True)}
        if layer.code:
            props["code"] = str(props.get(layer.code, ""))
        features.append({"type": "Feature", "properties": props, "geometry": json.loads(shape)})
    return LoadedLayer(
        layer.name, {"type": "FeatureCollection", "features": features}, (lon0, lat0, lon1, lat1), count, crs
    )


def _plain(v: Any) -> Any:
    """A property value as JSON has it (GDAL gives dates and NaN for empty numbers)."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    return str(v)


def read_basemap(path: Path) -> BasemapInfo:
    """Open an MBTiles file and check what a wall needs of it.

    Raises:
        MapDataError: missing, not SQLite/MBTiles, no tiles, or its tile rows are in XYZ order
            where MBTiles 1.3 requires TMS (the map would show the world upside down).
    """
    where = f"basemap {path}"
    if not path.is_file():
        raise MapDataError(f"{where}: the file does not exist")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise MapDataError(f"{where}: cannot be opened ({exc})") from exc
    try:
        try:
            meta = {str(k): str(v) for k, v in db.execute("SELECT name, value FROM metadata")}
            zmin, zmax, count = db.execute("SELECT MIN(zoom_level), MAX(zoom_level), COUNT(*) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise MapDataError(f"{where}: not an MBTiles file (no metadata and tiles tables: {exc})") from exc
        if not count:
            raise MapDataError(f"{where}: has no tiles")
        fmt = meta.get("format", "")
        if fmt and fmt not in ("png", "jpg", "jpeg", "webp"):
            raise MapDataError(f"{where}: format {fmt!r} is not a raster (png, jpg or webp); vector tiles are not drawn")
        z = int(zmax)
        cols_rows = db.execute(
            "SELECT MIN(tile_column), MAX(tile_column), MIN(tile_row), MAX(tile_row) FROM tiles WHERE zoom_level=?", (z,)
        ).fetchone()
    finally:
        db.close()
    bounds = _bounds_of(meta.get("bounds", ""))
    c0, c1, r0, r1 = (int(v) for v in cols_rows)
    if bounds is not None:
        tms, xyz = _rows_for(bounds, z)
        if not _overlaps((r0, r1), tms) and _overlaps((r0, r1), xyz):
            raise MapDataError(
                f"{where}: its tile rows are in XYZ order (row 0 in the north); MBTiles 1.3 stores TMS rows "
                "(row 0 in the south): re-export it as MBTiles, or flip the rows (tile_row = 2^zoom - 1 - tile_row)"
            )
    else:
        bounds = _tiles_extent(z, c0, c1, r0, r1)
    return BasemapInfo(path, bounds, int(zmin), z, fmt or "png", int(count))


def _bounds_of(text: str) -> Extent | None:
    try:
        parts = [float(v) for v in text.split(",")]
    except ValueError:
        return None
    if len(parts) != 4 or not (parts[0] < parts[2] and parts[1] < parts[3]):
        return None
    return parts[0], parts[1], parts[2], parts[3]


def _tile_y(lat: float, z: int) -> int:
    """XYZ row of a latitude at zoom ``z`` (0 in the north)."""
    lat = max(-85.0511, min(85.0511, lat))
    n = 1 << z
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n
    return min(n - 1, max(0, int(y)))


def _rows_for(bounds: Extent, z: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The TMS and the XYZ row ranges that cover ``bounds`` at zoom ``z``."""
    n = 1 << z
    y_north, y_south = _tile_y(bounds[3], z), _tile_y(bounds[1], z)
    return (n - 1 - y_south, n - 1 - y_north), (y_north, y_south)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _tiles_extent(z: int, c0: int, c1: int, r0: int, r1: int) -> Extent:
    """The extent of TMS tiles ``c0..c1`` × ``r0..r1`` at zoom ``z``."""
    n = 1 << z

    def lat_of(y_xyz: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y_xyz / n))))

    lon0, lon1 = c0 / n * 360 - 180, (c1 + 1) / n * 360 - 180
    y_north, y_south = n - 1 - r1, n - 1 - r0
    return lon0, lat_of(y_south + 1), lon1, lat_of(y_north)


def union(extents: list[Extent]) -> Extent | None:
    if not extents:
        return None
    return (
        min(e[0] for e in extents),
        min(e[1] for e in extents),
        max(e[2] for e in extents),
        max(e[3] for e in extents),
    )


def intersects(a: Extent, b: Extent) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def home_extent(config: MapConfig, layers: list[LoadedLayer], basemap: BasemapInfo | None) -> Extent | None:
    """What the maps show by default: the site's ``map.home``, else its layers' extent, else the
    basemap's; ``None`` when the site has no map at all (the map then fits what the backend sends)."""
    if config.home is not None:
        return config.home
    return union([layer.bounds for layer in layers]) or (basemap.bounds if basemap is not None else None)
