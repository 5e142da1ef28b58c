"""The site file, ``site.toml``: one per installation, written by the centre's IT (docs/operations.md).

The schema is declared as data (:data:`FIELDS`): each key with its check, what it expects in words,
and its default. Validation walks the whole file and collects every problem before it gives up, so
an installer fixes a file in one pass. Every message has the same shape::

    site.toml: backend.urls[1] = "http://x": expected a ws:// or wss:// URL

Unknown keys are errors, with the nearest known key suggested: a typo such as ``backend.url`` must
never silently leave the cockpit on its defaults.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import ipaddress
import json
import math
import os
import re
import ssl
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from cockpit.protocol.messages import Level

LANGUAGES = ("zh_CN", "en")
"""User-interface languages the cockpit ships (the ``--lang`` choices)."""

if sys.platform == "win32":
    _PROGRAM_DATA = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "cockpit"
    DEFAULT_SITE_PATH = _PROGRAM_DATA / "site.toml"
    DEFAULT_RECORDING_DIR = _PROGRAM_DATA / "recordings"
else:
    DEFAULT_SITE_PATH = Path("/etc/cockpit/site.toml")
    DEFAULT_RECORDING_DIR = Path("/var/lib/cockpit/recordings")

_DISTRICT = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_SHOW_MAX = 80


class SiteError(ValueError):
    """A site file that cannot be used.

    Attributes:
        errors: Every problem found, each naming the file, the key, the value and what is expected.
    """

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


STYLES = ("area", "district", "street", "park", "water", "pipeline", "power_line", "road", "point", "water_point", "boundary")
"""The map styles a site's vector layer may name (``map.layers.<name>.style``); drawn by
cockpit/app/panels/map.py. Colours may be overridden per layer."""

MAP_CRS = ("EPSG:4326", "OGC:CRS84", "EPSG:4490")
"""Coordinate systems a map layer may be in: WGS 84 (the protocol's, §1) and CGCS2000, which
differs from it by centimetres."""


@dataclass(frozen=True, slots=True)
class MapLayer:
    """One vector layer the site's map draws, by name (``[map.layers.<name>]``)."""

    name: str
    """What runway files call it (``layers: [districts, rivers]``)."""
    file: Path
    """A GeoJSON or GeoPackage file."""
    style: str
    """One of :data:`STYLES`."""
    table: str = ""
    """The layer inside a GeoPackage; "" for the file's only (or first) layer."""
    label: str = ""
    """The property shown as the label ("" for none)."""
    label_en: str = ""
    """The property shown as the label on an English wall ("": ``label``)."""
    code: str = ""
    """The property holding each area's district code (ratings colour areas by it)."""
    stroke: str = ""
    fill: str = ""
    """Colours (``#rrggbb``) replacing the style's; "" keeps the style's."""


@dataclass(frozen=True, slots=True)
class MapConfig:
    """The district's own map data (``[map]``): a raster basemap, vector layers, the home extent."""

    basemap: Path | None = None
    """An MBTiles raster file (MBTiles 1.3: tile rows in TMS order, flipped from XYZ)."""
    basemap_opacity: float = 0.6
    home: tuple[float, float, float, float] | None = None
    """``(lon0, lat0, lon1, lat1)`` the maps show by default; ``None``: the data's extent."""
    layers: tuple[MapLayer, ...] = ()

    def layer(self, name: str) -> MapLayer | None:
        return next((layer for layer in self.layers if layer.name == name), None)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """A validated site file. Paths are absolute (relative ones are taken from the file's folder)."""

    path: Path | None
    """The file it came from; ``None`` for the built-in demo defaults."""
    district: str
    level: Level
    name: str
    backend_urls: tuple[str, ...]
    """Tried in turn for failover; empty runs the embedded demo city."""
    ca_file: Path | None
    """PEM bundle of the CAs that sign the backends' certificates; ``None``: the system's CAs."""
    allow_insecure: bool
    layout: Path | None
    """Wall-layout file; ``None``: the built-in default wall."""
    language: str | None
    """``None``: from the locale."""
    recording_dir: Path
    retention_days: int
    disk_budget_gb: float
    token_file: Path | None = None
    """The operator's token as the site's SSO leaves it (``auth.token_file``); ``None``: the login
    dialog asks (docs/operations.md, "Operators and tokens")."""
    jwks_file: Path | None = None
    """The site's public keys (``auth.jwks_file``): ``cockpit doctor`` checks the token against them
    offline (signature, key id, expiry) before any backend is asked."""
    runways: Path | None = None
    """The site's own runway files (``wall.runways``): they add runways, and one with a built-in
    runway's id replaces it (docs/runways.md); ``None``: the built-in runways only."""
    camera_secrets: Path | None = None
    """The camera credentials by name (``video.secrets_file``; docs/video.md); ``None``: cameras
    that name a credential are shown unreachable, "credential missing"."""
    map: MapConfig = MapConfig()
    """The district's map data (``[map]``, docs/operations.md "Bringing your map")."""

    @property
    def is_demo(self) -> bool:
        """No backend configured: the cockpit runs on the embedded demo city."""
        return not self.backend_urls

    @property
    def source(self) -> str:
        return str(self.path) if self.path is not None else "built-in demo defaults"


DEMO_MAP_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "geo"
"""The demo city's map data (invented; assets/geo/README.md): its "site files"."""


def demo_map() -> MapConfig:
    """The demo city's map, as a district would configure its own in ``[map]``: used only with the
    embedded demo backend (never with ``--backend``: a district's wall shows none of the demo)."""

    def layer(name: str, style: str, **props: str) -> MapLayer:
        return MapLayer(name=name, file=DEMO_MAP_DIR / f"{name}.geojson", style=style, **props)

    return MapConfig(
        layers=(
            layer("districts", "district", label="name", label_en="name_en", code="code"),
            layer("forest_park", "park", label="name", label_en="name_en"),
            layer("rivers", "water", label="name", label_en="name_en"),
            layer("pipelines", "pipeline"),
            layer("hv_lines", "power_line", label="name", label_en="name_en"),
            layer("water_sources", "water_point", label="name"),
            layer("streets", "street", label="name", label_en="name_en"),
        )
    )


def demo_site() -> SiteConfig:
    """The defaults used when no site file exists: the demo city, recordings in the user's data dir."""
    return SiteConfig(
        path=None,
        district="",
        level=Level.CITY,
        name="Demo city centre",
        backend_urls=(),
        ca_file=None,
        allow_insecure=False,
        layout=None,
        language=None,
        recording_dir=platformdirs.user_data_path("cockpit", appauthor=False) / "recordings",
        retention_days=30,
        disk_budget_gb=20.0,
    )


# ------------------------------------------------------------------------------------------ checks


class _Bad(Exception):
    """Raised by a check: the value is not what ``expected`` says (reported with key and value)."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


Check = Callable[[Any], Any]


def _text(expected: str, pattern: re.Pattern[str] | None = None, max_len: int = 200) -> Check:
    def check(v: Any) -> str:
        if not isinstance(v, str) or not v.strip() or len(v) > max_len or "\x00" in v:
            raise _Bad(expected)
        if pattern is not None and not pattern.fullmatch(v):
            raise _Bad(expected)
        return v

    return check


def _choice(options: tuple[str, ...], what: str) -> Check:
    expected = f"{what}: one of " + ", ".join(f'"{o}"' for o in options)

    def check(v: Any) -> str:
        if not isinstance(v, str) or v not in options:
            raise _Bad(expected)
        return v

    return check


def _path(v: Any) -> str:
    if not isinstance(v, str) or not v.strip() or "\x00" in v or len(v) > 4096:
        raise _Bad("a file or folder path (a non-empty string)")
    try:
        Path(v).expanduser()
    except RuntimeError as exc:  # "~someone/..." for a user this machine does not know
        raise _Bad("a path whose ~user is a user of this machine") from exc
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise _Bad("true or false")
    return v


def _int_range(lo: int, hi: int, unit: str) -> Check:
    def check(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise _Bad(f"a whole number of {unit} from {lo} to {hi}")
        return v

    return check


def _number_range(lo: float, hi: float, unit: str) -> Check:
    def check(v: Any) -> float:
        ok = isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        if not ok or not lo < v <= hi:
            raise _Bad(f"a number of {unit} greater than {lo:.12g} and at most {hi:.12g}")
        return float(v)

    return check


def _ws_url(v: Any) -> str:
    if not isinstance(v, str) or len(v) > 2048:
        raise _Bad("a ws:// or wss:// URL")
    try:
        parts = urlsplit(v)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise _Bad("a ws:// or wss:// URL") from exc
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise _Bad("a ws:// or wss:// URL")
    return v


def _extent(v: Any) -> tuple[float, float, float, float]:
    expected = "[lon0, lat0, lon1, lat1] in WGS 84 degrees, west < east and south < north"
    if not isinstance(v, list) or len(v) != 4:
        raise _Bad(expected)
    if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in v):
        raise _Bad(expected)
    lon0, lat0, lon1, lat1 = (float(x) for x in v)
    if not (-180 <= lon0 < lon1 <= 180 and -85 <= lat0 < lat1 <= 85):
        raise _Bad(expected)
    return lon0, lat0, lon1, lat1


def _table(v: Any) -> Any:
    if not isinstance(v, dict):
        raise _Bad("tables [map.layers.<name>], one per layer")
    return v


_LAYER_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_LAYER_KEYS = ("file", "style", "table", "label", "label_en", "code", "stroke", "fill")
_RESERVED_LAYERS = ("risk_points", "ratings", "basemap")
"""Layer names a runway file uses for the backend's layers and the basemap."""


def _read_map_layers(doc: dict[str, Any], base: Path, source: str, errors: list[str]) -> tuple[MapLayer, ...]:
    """``[map.layers.<name>]`` tables: each names a file and a style; every problem is reported."""
    m = doc.get("map")
    raw = m.get("layers") if isinstance(m, dict) else None
    if not isinstance(raw, dict):
        return ()
    out: list[MapLayer] = []
    for name, body in raw.items():
        key = f"map.layers.{name}"
        if not _LAYER_NAME.fullmatch(name) or name in _RESERVED_LAYERS:
            errors.append(
                f"{source}: {key}: expected a layer name of lower-case letters, digits and \"_\" "
                f"(not {', '.join(_RESERVED_LAYERS)}: those are the backend's)"
            )
            continue
        if not isinstance(body, dict):
            errors.append(f"{source}: {key} = {show(body)}: expected a table with file and style")
            continue
        ok = True
        for k, v in body.items():
            if k not in _LAYER_KEYS:
                errors.append(f"{source}: {_unknown(f'{key}.{k}', v, tuple(f'{key}.{x}' for x in _LAYER_KEYS), key)}")
                ok = False
            elif not isinstance(v, str) or not v.strip() or "\x00" in v:
                errors.append(f"{source}: {key}.{k} = {show(v)}: expected a non-empty string")
                ok = False
        for k in ("file", "style"):
            if k not in body:
                errors.append(f"{source}: {key}.{k} is missing: expected " + (
                    "the path of a GeoJSON or GeoPackage file" if k == "file" else "a style: " + ", ".join(STYLES)
                ))
                ok = False
        style = body.get("style")
        if isinstance(style, str) and style not in STYLES:
            errors.append(f"{source}: {key}.style = {show(style)}: expected one of " + ", ".join(f'"{s}"' for s in STYLES))
            ok = False
        for k in ("stroke", "fill"):
            v = body.get(k)
            if isinstance(v, str) and not _COLOUR.fullmatch(v):
                errors.append(f"{source}: {key}.{k} = {show(v)}: expected a colour \"#rrggbb\"")
                ok = False
        if ok:
            out.append(
                MapLayer(
                    name=name,
                    file=base / Path(body["file"]).expanduser(),
                    style=body["style"],
                    **{k: body[k] for k in ("table", "label", "label_en", "code", "stroke", "fill") if k in body},
                )
            )
    return tuple(out)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (plain ``ws://`` is allowed there)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Field:
    """One key of the site file."""

    key: str
    """Dotted: ``table.name``."""
    check: Check
    expected: str
    """What the key expects, in words, for a missing value and for the docs."""
    default: Any = None
    required: bool = False
    items: bool = False
    """An array whose items each pass ``check`` (errors name the item: ``key[i]``)."""


FIELDS: tuple[Field, ...] = (
    Field(
        "centre.district",
        _text(
            'a district code as the backend names it: 1 to 64 lower-case letters, digits, "_" or "-" '
            '(e.g. "500105")',
            _DISTRICT,
            64,
        ),
        "a district code",
        required=True,
    ),
    Field(
        "centre.level",
        _choice(tuple(level.value for level in Level), "the centre's level"),
        'the centre\'s level: "street", "district" or "city"',
        required=True,
    ),
    Field("centre.name", _text("the centre's name: 1 to 100 characters", max_len=100), "a name", required=True),
    Field("backend.urls", _ws_url, "an array of ws:// or wss:// URLs", default=(), items=True),
    Field("backend.ca_file", _path, "the path of a PEM CA bundle"),
    Field("backend.allow_insecure", _bool, "true or false", default=False),
    Field("wall.layout", _path, "the path of a wall-layout file"),
    Field("wall.language", _choice(LANGUAGES, "a user-interface language"), "a language"),
    Field("wall.runways", _path, "the path of a folder of the site's own runway files"),
    Field("recording.dir", _path, "a folder path", default=str(DEFAULT_RECORDING_DIR)),
    Field("recording.retention_days", _int_range(1, 3650, "days"), "a number of days", default=30),
    Field(
        "recording.disk_budget_gb",
        _number_range(0, 1_000_000, "GB"),
        "a number of GB",
        default=50.0,
    ),
    Field("map.basemap", _path, "the path of an MBTiles raster file (the district's offline basemap)"),
    Field(
        "map.basemap_opacity", _number_range(0, 1, "opacity"), "the basemap's opacity, above 0 and at most 1", default=0.6
    ),
    Field("map.home", _extent, "the extent the maps show by default: [lon0, lat0, lon1, lat1]"),
    Field("map.layers", _table, "tables [map.layers.<name>] with file and style"),
    Field("auth.token_file", _path, "the path of the operator's token file (written by the site's SSO)"),
    Field("auth.jwks_file", _path, "the path of the site's public keys (JWKS), to check the token offline"),
    Field("video.secrets_file", _path, "the path of the camera secrets file (docs/video.md)"),
)
_BY_KEY = {f.key: f for f in FIELDS}
TABLES = tuple(dict.fromkeys(f.key.split(".")[0] for f in FIELDS))


def show(value: Any) -> str:
    """``value`` as TOML would write it, shortened: what the error message quotes."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list):
        text = "[" + ", ".join(show(v) for v in value[:8]) + (", …" if len(value) > 8 else "") + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k} = {show(v)}" for k, v in list(value.items())[:4])
        text += (", …" if len(value) > 4 else "") + "}"
    elif isinstance(value, datetime.date | datetime.time):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= _SHOW_MAX else text[: _SHOW_MAX - 1] + "…"


# ------------------------------------------------------------------------------------------ loading


def load_site(path: Path, *, check_files: bool = True) -> SiteConfig:
    """Read and validate the site file at ``path``.

    Args:
        path: The file; relative paths inside it are taken from its folder.
        check_files: Also check that the files it names exist and can be used (the CA bundle is
            read as PEM); off only to check a file written for another machine.

    Raises:
        SiteError: unreadable, not UTF-8, not TOML, or not a valid site file; lists every problem.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SiteError([f"{path}: cannot read the site file: {exc.strerror or exc}"]) from exc
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise SiteError([f"{path}: not UTF-8 text (byte {exc.start}): save the file as UTF-8"]) from exc
    return parse_site(text, str(path), path.resolve().parent, path=path, check_files=check_files)


def _decode(data: bytes) -> str:
    """UTF-8; a byte-order mark is honoured, because Windows tools write one (the NSIS installer
    writes UTF-16LE with a BOM, Notepad may write UTF-8 with one)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8")


def parse_site(
    text: str,
    source: str = "site.toml",
    base_dir: Path | None = None,
    *,
    path: Path | None = None,
    check_files: bool = False,
) -> SiteConfig:
    """Validate the site file's ``text``; ``source`` names it in messages.

    Raises:
        SiteError: every problem found.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteError([f"{source}: not valid TOML: {exc}"]) from exc
    except (ValueError, RecursionError) as exc:  # e.g. a NUL character; deeply nested arrays
        raise SiteError([f"{source}: not valid TOML: {exc}"]) from exc
    errors: list[str] = []
    values = _read_fields(doc, source, errors)
    base = base_dir or Path.cwd()
    layers = _read_map_layers(doc, base, source, errors)
    _check_links(doc, values["backend.allow_insecure"], source, errors)
    config = None
    if not errors:
        config = _build(values, base, path, layers)
        if check_files:
            _check_files(config, source, errors)
    if errors or config is None:
        raise SiteError(errors)
    return config


def _read_fields(doc: dict[str, Any], source: str, errors: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for table, body in doc.items():
        if table not in TABLES:
            errors.append(f"{source}: {_unknown(table, body, TABLES)}")
        elif not isinstance(body, dict):
            errors.append(f"{source}: {table} = {show(body)}: expected a table [{table}]")
        else:
            for name, value in body.items():
                key = f"{table}.{name}"
                if key not in _BY_KEY:
                    known = tuple(k for k in _BY_KEY if k.startswith(f"{table}."))
                    errors.append(f"{source}: {_unknown(key, value, known, table)}")
    for field in FIELDS:
        table, name = field.key.split(".")
        body = doc.get(table)
        if not isinstance(body, dict) or name not in body:
            if field.required:
                errors.append(f"{source}: {field.key} is missing: expected {field.expected}")
            values[field.key] = field.default
            continue
        values[field.key] = _check(field, body[name], source, errors)
    return values


def _unknown(key: str, value: Any, known: tuple[str, ...], table: str = "") -> str:
    """The unknown-key message; the nearest key of the same table is suggested."""
    prefix = f"{table}." if table else ""
    names = [k.removeprefix(prefix) for k in known]
    near = difflib.get_close_matches(key.removeprefix(prefix), names, n=1, cutoff=0.6)
    hint = f" (did you mean {prefix}{near[0]}?)" if near else f" (known: {', '.join(known)})"
    return f"{key} = {show(value)}: unknown key{hint}"


def _check(field: Field, value: Any, source: str, errors: list[str]) -> Any:
    if field.items:
        if not isinstance(value, list):
            errors.append(f"{source}: {field.key} = {show(value)}: expected {field.expected}")
            return field.default
        out = []
        for i, item in enumerate(value):
            try:
                out.append(field.check(item))
            except _Bad as bad:
                errors.append(f"{source}: {field.key}[{i}] = {show(item)}: expected {bad.expected}")
        return tuple(out)
    try:
        return field.check(value)
    except _Bad as bad:
        errors.append(f"{source}: {field.key} = {show(value)}: expected {bad.expected}")
        return field.default


def _build(v: dict[str, Any], base: Path, path: Path | None, layers: tuple[MapLayer, ...] = ()) -> SiteConfig:
    def where(p: str | None) -> Path | None:
        return None if p is None else base / Path(p).expanduser()

    recording_dir = where(v["recording.dir"])
    assert recording_dir is not None  # it has a default
    return SiteConfig(
        path=path,
        district=v["centre.district"],
        level=Level(v["centre.level"]),
        name=v["centre.name"].strip(),
        backend_urls=tuple(v["backend.urls"]),
        ca_file=where(v["backend.ca_file"]),
        allow_insecure=v["backend.allow_insecure"],
        layout=where(v["wall.layout"]),
        language=v["wall.language"],
        recording_dir=recording_dir,
        retention_days=v["recording.retention_days"],
        disk_budget_gb=v["recording.disk_budget_gb"],
        token_file=where(v["auth.token_file"]),
        jwks_file=where(v["auth.jwks_file"]),
        runways=where(v["wall.runways"]),
        camera_secrets=where(v["video.secrets_file"]),
        map=MapConfig(
            basemap=where(v["map.basemap"]),
            basemap_opacity=v["map.basemap_opacity"],
            home=v["map.home"],
            layers=layers,
        ),
    )


def _check_links(doc: dict[str, Any], allow_insecure: bool, source: str, errors: list[str]) -> None:
    """Rules between keys: no plain ws:// off this machine unless allowed, no URL twice."""
    backend = doc.get("backend")
    urls = backend.get("urls") if isinstance(backend, dict) else None
    seen: set[str] = set()
    for i, url in enumerate(urls if isinstance(urls, list) else []):
        try:
            host = urlsplit(_ws_url(url)).hostname or ""
        except _Bad:
            continue  # already reported
        if url in seen:
            errors.append(f"{source}: backend.urls[{i}] = {show(url)}: expected each URL once")
        seen.add(url)
        if url.startswith("ws://") and not allow_insecure and not is_loopback(host):
            errors.append(
                f"{source}: backend.urls[{i}] = {show(url)}: expected a wss:// URL: plain ws:// to "
                "another machine sends the operator's token in clear (or set backend.allow_insecure = true)"
            )


def _check_files(config: SiteConfig, source: str, errors: list[str]) -> None:
    """The files the site names exist and can be used."""
    if config.ca_file is not None:
        try:
            ssl.create_default_context(cafile=str(config.ca_file))
        except (OSError, ssl.SSLError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            errors.append(
                f"{source}: backend.ca_file = {show(str(config.ca_file))}: expected a readable PEM file of "
                f"CA certificates ({reason})"
            )
    if config.layout is not None and not config.layout.is_file():
        errors.append(f"{source}: wall.layout = {show(str(config.layout))}: expected an existing file")
    if config.runways is not None and not config.runways.is_dir():
        errors.append(f"{source}: wall.runways = {show(str(config.runways))}: expected an existing folder")
    if config.recording_dir.exists() and not config.recording_dir.is_dir():
        errors.append(f"{source}: recording.dir = {show(str(config.recording_dir))}: expected a folder")
