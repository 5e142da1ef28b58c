"""Writes the test city's map files (run once; the files are committed as test data):

    .venv/bin/python -m tests.testcity.build

``qinghe.gpkg``: table ``wards`` (three district polygons: ``code``, ``name_zh``, ``name_en``) and
table ``canals`` (two lines), WGS 84. ``qinghe.mbtiles``: a raster basemap, zoom 10-12, PNG tiles of
a teal wash with a darker grid, rows in TMS order as MBTiles 1.3 requires.
"""

from __future__ import annotations

import math
import sqlite3
import struct
import zlib
from pathlib import Path

import numpy as np
import pyogrio
import shapely

HERE = Path(__file__).resolve().parent
BOUNDS = (117.00, 36.55, 117.30, 36.75)
"""The city: lon 117.00-117.30 E, lat 36.55-36.75 N."""
WARDS = (
    ("qh-west", "清河西区", "West Qinghe", (117.00, 36.55, 117.10, 36.68)),
    ("qh-east", "清河东区", "East Qinghe", (117.10, 36.55, 117.30, 36.68)),
    ("qh-north", "北湖区", "Beihu", (117.00, 36.68, 117.30, 36.75)),
)
CANALS = (
    ("大清运河", "Great Qing Canal", [(117.00, 36.62), (117.12, 36.63), (117.30, 36.61)]),
    ("北湖引河", "Beihu Feeder", [(117.12, 36.63), (117.15, 36.70), (117.20, 36.75)]),
)
BASEMAP_RGB = (38, 110, 112)
"""Teal: no colour of the wall's own layers, so a test can find the basemap under them."""
GRID_RGB = (24, 70, 72)


def write_gpkg(path: Path) -> None:
    path.unlink(missing_ok=True)
    wards = np.array([shapely.box(*b) for *_, b in WARDS], dtype=object)
    pyogrio.raw.write(
        path, shapely.to_wkb(wards), driver="GPKG", layer="wards", geometry_type="Polygon", crs="EPSG:4326",
        fields=["code", "name_zh", "name_en"],
        field_data=[np.array([w[i] for w in WARDS], dtype=object) for i in range(3)],
    )  # fmt: skip
    lines = np.array([shapely.LineString(c) for *_, c in CANALS], dtype=object)
    pyogrio.raw.write(
        path, shapely.to_wkb(lines), driver="GPKG", layer="canals", geometry_type="LineString", crs="EPSG:4326",
        fields=["name_zh", "name_en"], field_data=[np.array([c[i] for c in CANALS], dtype=object) for i in range(2)],
        append=True,
    )  # fmt: skip


def png(rgb: tuple[int, int, int], grid: tuple[int, int, int]) -> bytes:
    """A 256×256 RGB PNG: ``rgb`` with a ``grid`` line every 32 px."""
    row = bytearray()
    rows = []
    for y in range(256):
        row = bytearray(b"\x00")
        for x in range(256):
            row += bytes(grid if x % 32 == 0 or y % 32 == 0 else rgb)
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def write_mbtiles(path: Path) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    lon0, lat0, lon1, lat1 = BOUNDS
    db.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [("name", "Qinghe test basemap"), ("format", "png"), ("minzoom", "10"), ("maxzoom", "12"),
         ("bounds", f"{lon0},{lat0},{lon1},{lat1}"), ("type", "baselayer")],
    )  # fmt: skip
    data = png(BASEMAP_RGB, GRID_RGB)
    for z in (10, 11, 12):
        x0, y0 = tile_xy(lon0, lat1, z)
        x1, y1 = tile_xy(lon1, lat0, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, data))  # TMS row
    db.commit()
    db.close()


if __name__ == "__main__":
    write_gpkg(HERE / "qinghe.gpkg")
    write_mbtiles(HERE / "qinghe.mbtiles")
    print("wrote", HERE / "qinghe.gpkg", HERE / "qinghe.mbtiles")
