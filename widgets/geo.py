"""Offline geodata for ``MapView``: Web Mercator, GeoJSON parsing, MBTiles tiles, risk points.

Nothing here imports Qt: functions take and return plain values and numpy arrays, so they are
tested without a ``QApplication`` and can be reused by scripts.

World coordinates are normalised Web Mercator (EPSG:3857 scaled to the unit square): ``x`` grows
east from 0 at 180°W to 1 at 180°E, ``y`` grows south from 0 at 85.0511°N to 1 at 85.0511°S, as in
XYZ tile numbering. Multiply by ``world_size(zoom) = 256 * 2**zoom`` to get pixels at ``zoom``.

Exceptions (all subclasses of ``widgets.errors.WidgetsError`` and ``ValueError``)::

    InvalidMapDataError
    ├── InvalidGeoJSONError
    └── InvalidMBTilesError
"""

from __future__ import annotations

import enum
import json
import math
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from widgets.errors import WidgetsError

FloatArray = npt.NDArray[np.float64]

MAX_LAT = 85.05112877980659
"""Latitude at which Web Mercator's square world ends (north and south)."""

TILE_SIZE = 256
"""Pixels per tile side; the world is one tile at zoom 0."""


# -- errors ----------------------------------------------------------------------------------------


class InvalidMapDataError(WidgetsError, ValueError):
    """``MapView`` or this module received unusable data (arrays, markers, styles, layer names)."""


class InvalidGeoJSONError(InvalidMapDataError):
    """A GeoJSON object is malformed; the message names the source, the feature and the problem."""


class InvalidMBTilesError(InvalidMapDataError):
    """A file is not a readable MBTiles tile set (not SQLite, no ``tiles`` table)."""


# -- projection ------------------------------------------------------------------------------------


def world_size(zoom: float) -> float:
    """Return the width of the world in pixels at ``zoom`` (``256 * 2**zoom``)."""
    return float(TILE_SIZE * 2.0**zoom)


def project(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Project longitudes and latitudes (degrees, WGS 84) to world coordinates.

    Latitudes beyond ``±MAX_LAT`` are clamped to the edge of the map.

    Args:
        lon: Longitudes in degrees; any shape broadcastable with ``lat``.
        lat: Latitudes in degrees.

    Returns:
        ``(x, y)`` float64 arrays in [0, 1] (``x`` east, ``y`` south).
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.clip(np.asarray(lat, dtype=np.float64), -MAX_LAT, MAX_LAT)
    x = (lon_a + 180.0) / 360.0
    phi = np.radians(lat_a)
    y = np.clip(0.5 - np.log(np.tan(np.pi / 4.0 + phi / 2.0)) / (2.0 * np.pi), 0.0, 1.0)
    return x, y


def unproject(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Inverse of ``project``: world coordinates to ``(lon, lat)`` in degrees."""
    x_a = np.asarray(x, dtype=np.float64)
    y_a = np.asarray(y, dtype=np.float64)
    lon = x_a * 360.0 - 180.0
    lat = np.degrees(2.0 * np.arctan(np.exp((0.5 - y_a) * 2.0 * np.pi)) - np.pi / 2.0)
    return lon, lat


def project_point(lon: float, lat: float) -> tuple[float, float]:
    """Scalar ``project``: ``(lon, lat)`` in degrees to world ``(x, y)``."""
    lat = min(MAX_LAT, max(-MAX_LAT, lat))
    y = 0.5 - math.log(math.tan(math.pi / 4.0 + math.radians(lat) / 2.0)) / (2.0 * math.pi)
    return (lon + 180.0) / 360.0, min(1.0, max(0.0, y))  # the edge latitude rounds a hair outside


def unproject_point(x: float, y: float) -> tuple[float, float]:
    """Scalar ``unproject``: world ``(x, y)`` to ``(lon, lat)`` in degrees."""
    lat = math.degrees(2.0 * math.atan(math.exp((0.5 - y) * 2.0 * math.pi)) - math.pi / 2.0)
    return x * 360.0 - 180.0, lat


# -- GeoJSON ---------------------------------------------------------------------------------------


class GeometryKind(enum.Enum):
    """How a feature is drawn."""

    POINT = "point"
    LINE = "line"
    POLYGON = "polygon"


@dataclass(frozen=True, slots=True, eq=False)
class GeoFeature:
    """One drawable geometry of a GeoJSON feature, already projected to world coordinates.

    Attributes:
        kind: Point(s), line(s) or polygon(s).
        parts: POINT: one ``(n, 2)`` array holding every point; LINE: one ``(n, 2)`` array per
            line; POLYGON: one ``(n, 2)`` array per ring of every polygon (outer rings and holes,
            filled with the odd-even rule).
        properties: The feature's ``properties`` (an empty dict if it had none).
        bbox: ``(x0, y0, x1, y1)`` in world coordinates, for culling.
        anchor: Where a label goes, in world coordinates: the ``label_lon``/``label_lat``
            properties if given, else the centroid of the largest ring or line, else the first
            point.
    """

    kind: GeometryKind
    parts: tuple[FloatArray, ...]
    properties: Mapping[str, Any] = field(default_factory=dict)
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    anchor: tuple[float, float] = (0.0, 0.0)


_KINDS: dict[str, GeometryKind] = {
    "Point": GeometryKind.POINT,
    "MultiPoint": GeometryKind.POINT,
    "LineString": GeometryKind.LINE,
    "MultiLineString": GeometryKind.LINE,
    "Polygon": GeometryKind.POLYGON,
    "MultiPolygon": GeometryKind.POLYGON,
}


def load_geojson(path: str | Path) -> dict[str, Any]:
    """Read a GeoJSON file (UTF-8) into a dict; validate it with ``parse_geojson``.

    Raises:
        OSError: The file cannot be read.
        InvalidGeoJSONError: The file is not JSON or its top level is not an object.
    """
    p = Path(path)
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidGeoJSONError(f"{p.name}: not JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise InvalidGeoJSONError(f"{p.name}: top level is {type(obj).__name__}, expected an object")
    return obj


def parse_geojson(obj: Mapping[str, Any], source: str = "GeoJSON") -> list[GeoFeature]:
    """Validate and project a GeoJSON FeatureCollection, Feature or bare geometry.

    Features with a ``null`` geometry are skipped (valid GeoJSON, nothing to draw). A
    GeometryCollection yields one ``GeoFeature`` per member, sharing the properties.

    Args:
        obj: The decoded GeoJSON.
        source: Name used in error messages (layer name or file name).

    Returns:
        The drawable features in input order.

    Raises:
        InvalidGeoJSONError: The message says where (source, feature index and id) and what is
            wrong: unknown ``type``, unsupported geometry type, missing or malformed
            ``coordinates``, too few positions, or positions outside lon ±180 / lat ±90 (swapped
            lon/lat usually shows up here).
    """
    if not isinstance(obj, Mapping):
        raise InvalidGeoJSONError(f"{source}: expected a GeoJSON object, got {type(obj).__name__}")
    typ = obj.get("type")
    out: list[GeoFeature] = []
    if typ == "FeatureCollection":
        feats = obj.get("features")
        if not isinstance(feats, list):
            raise InvalidGeoJSONError(f"{source}: FeatureCollection has no 'features' list")
        for i, f in enumerate(feats):
            out.extend(_parse_feature(f, f"{source}, feature {i}"))
    elif typ == "Feature":
        out.extend(_parse_feature(obj, source))
    else:
        out.extend(_parse_geometry(obj, {}, source))
    return out


def _parse_feature(f: object, where: str) -> list[GeoFeature]:
    if not isinstance(f, Mapping) or f.get("type") != "Feature":
        got = f.get("type") if isinstance(f, Mapping) else type(f).__name__
        raise InvalidGeoJSONError(f"{where}: expected a Feature, got {got!r}")
    if "id" in f:
        where = f"{where} (id {f['id']!r})"
    props = f.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, Mapping):
        raise InvalidGeoJSONError(f"{where}: 'properties' must be an object or null")
    if "geometry" not in f:
        raise InvalidGeoJSONError(f"{where}: Feature has no 'geometry' member")
    geom = f["geometry"]
    if geom is None:
        return []
    return _parse_geometry(geom, dict(props), where)


def _parse_geometry(geom: object, props: dict[str, Any], where: str) -> list[GeoFeature]:
    if not isinstance(geom, Mapping):
        raise InvalidGeoJSONError(f"{where}: geometry must be an object, got {type(geom).__name__}")
    typ = geom.get("type")
    if typ == "GeometryCollection":
        members = geom.get("geometries")
        if not isinstance(members, list):
            raise InvalidGeoJSONError(f"{where}: GeometryCollection has no 'geometries' list")
        out: list[GeoFeature] = []
        for k, g in enumerate(members):
            out.extend(_parse_geometry(g, props, f"{where}, geometry {k}"))
        return out
    if not isinstance(typ, str) or typ not in _KINDS:
        raise InvalidGeoJSONError(
            f"{where}: unsupported geometry type {typ!r} (expected one of {', '.join(_KINDS)})"
        )
    if "coordinates" not in geom or geom["coordinates"] is None:
        raise InvalidGeoJSONError(f"{where}: {typ} has no 'coordinates'")
    coords = geom["coordinates"]
    kind = _KINDS[typ]
    if typ == "Point":
        arrays = [_positions([coords], where, typ, 1)]
    elif typ == "MultiPoint":
        arrays = [_positions(coords, where, typ, 1)]
    elif typ == "LineString":
        arrays = [_positions(coords, where, typ, 2)]
    elif typ == "MultiLineString":
        arrays = [_positions(c, where, f"{typ} line {k}", 2) for k, c in enumerate(_list(coords, where, typ))]
    elif typ == "Polygon":
        arrays = [_positions(r, where, f"{typ} ring {k}", 4) for k, r in enumerate(_list(coords, where, typ))]
    else:  # MultiPolygon
        arrays = []
        for k, poly in enumerate(_list(coords, where, typ)):
            for m, ring in enumerate(_list(poly, where, f"{typ} polygon {k}")):
                arrays.append(_positions(ring, where, f"{typ} polygon {k} ring {m}", 4))
    if not arrays or all(len(a) == 0 for a in arrays):
        raise InvalidGeoJSONError(f"{where}: {typ} has empty 'coordinates'")
    parts = tuple(np.column_stack(project(a[:, 0], a[:, 1])) for a in arrays if len(a))
    allp = np.concatenate(parts)
    bbox = (
        float(allp[:, 0].min()),
        float(allp[:, 1].min()),
        float(allp[:, 0].max()),
        float(allp[:, 1].max()),
    )
    return [GeoFeature(kind, parts, props, bbox, _anchor(kind, parts, props, where))]


def _list(value: object, where: str, what: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise InvalidGeoJSONError(
            f"{where}: {what} 'coordinates' must be an array, got {type(value).__name__}"
        )
    return list(value)


def _positions(value: object, where: str, what: str, minimum: int) -> npt.NDArray[np.float64]:
    """Return an ``(n, 2)`` lon/lat array after checking shape, count and range."""
    seq = _list(value, where, what)
    try:
        arr = np.asarray(seq, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidGeoJSONError(f"{where}: {what} positions are not arrays of numbers ({exc})") from exc
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise InvalidGeoJSONError(
            f"{where}: {what} positions must be [lon, lat] pairs, got shape {arr.shape}"
        )
    if len(arr) < minimum:
        raise InvalidGeoJSONError(f"{where}: {what} has {len(arr)} positions, needs at least {minimum}")
    arr = arr[:, :2]
    if not np.isfinite(arr).all():
        raise InvalidGeoJSONError(f"{where}: {what} has a non-finite coordinate")
    if (np.abs(arr[:, 0]) > 180).any() or (np.abs(arr[:, 1]) > 90).any():
        bad = arr[(np.abs(arr[:, 0]) > 180) | (np.abs(arr[:, 1]) > 90)][0]
        raise InvalidGeoJSONError(
            f"{where}: {what} position {bad.tolist()} is outside lon ±180 / lat ±90 "
            "(GeoJSON order is [lon, lat])"
        )
    return arr


def _anchor(
    kind: GeometryKind, parts: tuple[FloatArray, ...], props: Mapping[str, Any], where: str
) -> tuple[float, float]:
    if "label_lon" in props and "label_lat" in props:
        try:
            return project_point(float(props["label_lon"]), float(props["label_lat"]))
        except (TypeError, ValueError) as exc:
            raise InvalidGeoJSONError(f"{where}: label_lon/label_lat must be numbers") from exc
    if kind is GeometryKind.POINT:
        return float(parts[0][0, 0]), float(parts[0][0, 1])
    if kind is GeometryKind.LINE:
        longest = max(parts, key=lambda a: float(np.hypot(*np.diff(a, axis=0).T).sum()))
        mid = longest[len(longest) // 2]
        return float(mid[0]), float(mid[1])
    ring = max(parts, key=lambda a: abs(_ring_area(a)))
    area = _ring_area(ring)
    if abs(area) < 1e-18:
        return float(ring[:, 0].mean()), float(ring[:, 1].mean())
    x, y = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    cx = float(((x + x1) * cross).sum() / (6.0 * area))
    cy = float(((y + y1) * cross).sum() / (6.0 * area))
    return cx, cy


def _ring_area(ring: FloatArray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(0.5 * (x * np.roll(y, -1) - np.roll(x, -1) * y).sum())


# -- risk points -----------------------------------------------------------------------------------

RISK_LEVELS = 4
"""Risk-point classes 0..3 (3 is the highest risk, drawn on top)."""


@dataclass(frozen=True, slots=True)
class RiskPointSet:
    """Risk points ready to draw: projected to world coordinates and sorted by level.

    Preparing 330,000 points (projection and sort) costs 30-90 ms; a wall with five maps prepares
    them once and gives every map the same set (:meth:`MapView.set_risk_point_set`).

    Attributes:
        x, y: World coordinates, sorted by level.
        runs: ``(level, start, stop)`` slices of ``x`` and ``y`` per level present.
    """

    x: FloatArray
    y: FloatArray
    runs: tuple[tuple[int, int, int], ...]

    def __len__(self) -> int:
        return len(self.x)


def prepare_risk_points(
    lon: npt.ArrayLike, lat: npt.ArrayLike, level: npt.ArrayLike | None = None
) -> RiskPointSet:
    """Project and sort risk points for drawing; non-finite positions are dropped.

    Raises:
        InvalidMapDataError: The arrays differ in length, are not one-dimensional, or a level is
            outside 0..3.
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    if lon_a.ndim != 1 or lon_a.shape != lat_a.shape:
        raise InvalidMapDataError(f"lon and lat must be 1-D and equally long, got {lon_a.shape}, {lat_a.shape}")
    if level is None:
        lev = np.zeros(lon_a.shape, dtype=np.int64)
    else:
        lev = np.asarray(level).astype(np.int64, copy=False)
        if lev.shape != lon_a.shape:
            raise InvalidMapDataError(f"level must match lon's shape {lon_a.shape}, got {lev.shape}")
        if lev.size and (lev.min() < 0 or lev.max() >= RISK_LEVELS):
            raise InvalidMapDataError(f"risk levels must be 0..{RISK_LEVELS - 1}")
    keep = np.isfinite(lon_a) & np.isfinite(lat_a)
    order = np.argsort(lev[keep], kind="stable")
    x, y = project(lon_a[keep][order], lat_a[keep][order])
    sorted_lev = lev[keep][order]
    runs = []
    for lv in range(RISK_LEVELS):
        start, stop = np.searchsorted(sorted_lev, [lv, lv + 1])
        if stop > start:
            runs.append((lv, int(start), int(stop)))
    return RiskPointSet(x, y, tuple(runs))


# -- MBTiles ---------------------------------------------------------------------------------------


class MBTilesReader:
    """Read raster tiles from an MBTiles file (SQLite; tiles stored in TMS row order).

    The reader opens the file read-only and keeps one connection; use it from one thread (the GUI
    thread) and ``close`` it, or use it as a context manager.

    Attributes:
        path: The file.
        metadata: The ``metadata`` table as a dict (empty if the table is missing).
        min_zoom: Lowest zoom level with tiles.
        max_zoom: Highest zoom level with tiles.
    """

    def __init__(self, path: str | Path) -> None:
        """Open ``path``.

        Raises:
            InvalidMBTilesError: The file does not exist, is not SQLite, or has no tiles.
        """
        self.path = Path(path)
        if not self.path.is_file():
            raise InvalidMBTilesError(f"{self.path}: no such MBTiles file")
        try:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                rows = self._db.execute("SELECT name, value FROM metadata").fetchall()
            except sqlite3.OperationalError:
                rows = []
            self.metadata: dict[str, str] = {str(k): str(v) for k, v in rows}
            zmin, zmax = self._db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise InvalidMBTilesError(f"{self.path}: not an MBTiles file ({exc})") from exc
        if zmin is None:
            self._db.close()
            raise InvalidMBTilesError(f"{self.path}: the tiles table is empty")
        self.min_zoom = int(zmin)
        self.max_zoom = int(zmax)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """Return the encoded image (PNG/JPEG/WebP bytes) of XYZ tile ``(z, x, y)``, or None.

        Args:
            z: Zoom level.
            x: Column, 0 at 180°W.
            y: Row in XYZ order (0 at the north); converted to the file's TMS row
                ``2**z - 1 - y``.
        """
        n = 1 << z
        if not (0 <= x < n and 0 <= y < n):
            return None
        row = self._db.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, n - 1 - y),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> MBTilesReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
