"""``cockpit doctor [--site FILE]``: is this machine ready to run the centre's wall?

It checks what an installer cannot see by looking: the site file, the screens and how the wall
layout lands on them, the fonts (Chinese needs Noto Sans CJK SC), OpenGL, every backend (a real
protocol handshake over the real transport, TLS verified with the site's CA bundle), the clock
against the backend's, and room for recordings. Each finding is ``ok``, ``warn`` or ``fail`` with
a fix; the exit status is 1 if anything failed, so scripts and installers can act on it.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import os
import shutil
import socket
import ssl
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import websockets
from websockets.asyncio.client import connect

from cockpit.config import SiteConfig, SiteError, tls_context
from cockpit.config.cli import resolve_site
from cockpit.config.site import DEFAULT_SITE_PATH, is_loopback
from cockpit.config.tokens import TokenFileError, check_token_offline
from cockpit.protocol.events import Connected, HandshakeRefused
from cockpit.protocol.session import ClientSession

FONT_FAMILY = "Noto Sans CJK SC"
"""The wall's font (also ``cockpit.app.main.FONT_FAMILY``; not imported, to keep Qt out of main)."""
SKEW_WARN_MS = 2_000
SKEW_FAIL_MS = 30_000
CERT_WARN_DAYS = 30
MIN_FREE_BYTES = 1 << 30
GB = 1_000_000_000


class Status(enum.Enum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the doctor's report."""

    check: str
    status: Status
    message: str
    fix: str = ""


# ------------------------------------------------------------------------------------------ site


def check_site(
    requested: Path | None, default: Path = DEFAULT_SITE_PATH
) -> tuple[Finding, SiteConfig | None]:
    """The site file validates (the same rules as at start)."""
    try:
        site = resolve_site(requested, default)
    except SiteError as exc:
        fix = "correct the keys named above (docs/operations.md lists every key)"
        return Finding("site", Status.FAIL, "the site file cannot be used:\n" + str(exc), fix), None
    if site.path is None:
        return (
            Finding(
                "site",
                Status.WARN,
                f"no site file ({default} does not exist): using the built-in demo defaults",
                f"install the centre's site file as {default}, or pass --site FILE",
            ),
            site,
        )
    backends = f"{len(site.backend_urls)} backend URL(s)" if site.backend_urls else "the demo city"
    return (
        Finding(
            "site",
            Status.OK,
            f"{site.path}: {site.level.value} centre {site.district} ({site.name}), {backends}",
        ),
        site,
    )


# ------------------------------------------------------------------------------------------ Qt


def prepare_display() -> Finding | None:
    """Fall back to the offscreen platform without a display, and say so."""
    if sys.platform == "win32" or os.environ.get("QT_QPA_PLATFORM"):
        if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            return Finding(
                "display",
                Status.WARN,
                "QT_QPA_PLATFORM=offscreen: the screens below are Qt's virtual ones, not the wall's",
                "run cockpit doctor in the wall's desktop session to check its screens",
            )
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return Finding(
        "display",
        Status.WARN,
        "no display (DISPLAY is not set): checked on Qt's offscreen platform",
        "run cockpit doctor in the wall's desktop session to check its screens",
    )


def check_screens(site: SiteConfig | None) -> list[Finding]:
    """Each screen with its geometry, and how the site's wall layout lands on them."""
    from PySide6.QtGui import QGuiApplication

    from cockpit.app.wall import screen_info
    from cockpit.app.wiring import default_layout
    from cockpit.present.wall_layout import LayoutError, assign, load_layout

    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    screens = [screen_info(s) for s in app.screens()]
    ratios = [s.devicePixelRatio() for s in app.screens()]
    if not screens:
        return [Finding("screens", Status.FAIL, "no screen found", "connect the wall's displays")]
    described = "; ".join(
        f"{s.name or '?'} {s.width}×{s.height} at ({s.x},{s.y}) ×{r:g}"
        + (
            f" [{s.manufacturer} {s.model} {s.serial}]".replace("  ", " ")
            if s.manufacturer or s.model
            else ""
        )
        for s, r in zip(screens, ratios, strict=True)
    )
    out = [Finding("screens", Status.OK, f"{len(screens)} screen(s): {described}")]
    layout_path = (site.layout if site else None) or default_layout(site.level.value if site else "city")
    try:
        layout = load_layout(layout_path)
    except LayoutError as exc:
        return [*out, Finding("layout", Status.FAIL, str(exc), "correct the wall-layout file (wall.layout)")]
    if layout.spanning:
        biggest = max(screens, key=lambda s: s.width * s.height)
        msg = f"{layout_path}: one spanning window on {biggest.name} {biggest.width}×{biggest.height}"
        return [*out, Finding("layout", Status.OK, msg)]
    runways = [e.runway for e in layout.screens]
    placed = assign(layout, screens, runways)
    missing_pins = [
        e.runway
        for e in layout.screens
        if not e.match.empty
        and not (e.runway in placed.on_screen and e.match.accepts(placed.on_screen[e.runway]))
    ]
    if missing_pins:
        out.append(
            Finding(
                "layout",
                Status.WARN,
                f"{layout_path}: no connected screen matches the panel pinned for {', '.join(missing_pins)}",
                "check the cables and the name/manufacturer/model/serial in the layout "
                "(this report lists what the system sees)",
            )
        )
    if placed.on_console:
        out.append(
            Finding(
                "layout",
                Status.WARN,
                f"{layout_path}: {len(runways)} runways, {len(screens)} screen(s): "
                f"{', '.join(placed.on_console)} will be tabs in the console",
                "connect more displays, or put fewer runways in the wall layout",
            )
        )
    elif not missing_pins:
        out.append(Finding("layout", Status.OK, f"{layout_path}: every runway has a screen"))
    return out


def check_wall_type(site: SiteConfig | None, timeout_s: float = 120.0) -> list[Finding]:
    """The wall self-check (``cockpit --wall-report``) against the site's wall layout and runways,
    on the demo city: every text legible from the layout's reading distance, whole and uncovered.

    The cockpit runs in a process of its own, headless, on virtual screens of the layout's panel
    resolution (the wall's own screens need not be connected).
    """
    import json
    import subprocess
    import tempfile

    from cockpit.app.wiring import default_layout
    from cockpit.present.wall_layout import LayoutError, load_layout

    layout_path = (site.layout if site else None) or default_layout(site.level.value if site else "city")
    try:
        layout = load_layout(layout_path)
    except LayoutError as exc:
        return [Finding("wall", Status.FAIL, str(exc), "correct the wall-layout file (wall.layout)")]
    w, h = layout.panel_resolution
    with tempfile.TemporaryDirectory(prefix="cockpit-doctor-") as tmp:
        report = Path(tmp) / "report.json"
        # The packaged cockpit is one frozen program that takes cockpit's own arguments.
        runner = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "cockpit.app.main"]
        command = [
            *runner,
            *(["--site", str(site.path)] if site is not None and site.path is not None else []),
            "--demo",
            "--no-record",
            "--layout",
            str(layout_path),
            "--screens",
            str(min(16, max(1, len(layout.screens)))),
            "--screen-size",
            f"{w}x{h}",
            "--wall-report",
            str(report),
            "--quit-after",
            "8",
            "--data-dir",
            tmp,
        ]
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        try:
            proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return [Finding("wall", Status.FAIL, f"the wall self-check took over {timeout_s:.0f} s", "run cockpit --wall-report FILE by hand")]
        if proc.returncode != 0 or not report.exists():
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            return [Finding("wall", Status.FAIL, "the wall self-check did not run: " + " | ".join(tail), "run cockpit --wall-report FILE by hand")]
        data = json.loads(report.read_text(encoding="utf-8"))
    return [wall_type_finding(data, layout_path, w, h)]


def wall_type_finding(data: dict[str, Any], layout_path: Path, w: int, h: int) -> Finding:
    """The wall report (``--wall-report``'s JSON) as one finding."""
    walls = [s for s in data["screens"] if s["on_wall"]]
    need = data["need_mm"]
    key = min((s["smallest_mm"].get("key", 99.0) for s in walls), default=0.0)
    sec = min((s["smallest_mm"].get("secondary", 99.0) for s in walls), default=0.0)
    where = (
        f"{layout_path}: {len(walls)} screens of {w}×{h} read from {data['reading_distance_m']:g} m on "
        f"{data['panel_diagonal_in']:g}\" panels"
    )
    if data["ok"]:
        return Finding(
            "wall",
            Status.OK,
            f"{where}: key text ≥ {key:.0f} mm (needs {need['key']:.0f}), secondary ≥ {sec:.0f} mm "
            f"(needs {need['secondary']:.0f}); nothing shortened, cut or covered (demo city)",
        )
    lines = []
    for s in walls:
        c = s["counts"]
        wrong = [f"{c[k]} {label}" for k, label in (("too_small", "too small"), ("elided", "shortened"), ("clipped", "cut"), ("overlapping", "covered"), ("detail_on_wall", "desk-sized")) if c[k]]
        if wrong:
            bad = [t["text"] for t in s["texts"] if t["elided"] or t["clipped"] or t["overlaps"] or t["glyph_mm"] + 0.05 < t["need_mm"]]
            lines.append(f"{s['window']}: {', '.join(wrong)} (e.g. {', '.join(repr(b) for b in bad[:3])})")
    return Finding(
        "wall",
        Status.FAIL,
        f"{where}: text that does not read from the room:\n" + "\n".join(lines),
        "give those panels more of the screen, show fewer on it, or move them to another screen or the "
        "console (docs/runways.md, \"Designing for the wall\"); cockpit --wall-report FILE lists every text",
    )


def check_fonts() -> Finding:
    """The wall's CJK font is installed and covers Simplified Chinese."""
    from PySide6.QtGui import QFontDatabase

    if FONT_FAMILY not in QFontDatabase.families():
        return Finding(
            "fonts",
            Status.FAIL,
            f"{FONT_FAMILY} is not installed: Chinese text would fall back to other glyph shapes or boxes",
            "Debian: apt install fonts-noto-cjk; Windows: install Noto Sans CJK SC for all users",
        )
    if QFontDatabase.WritingSystem.SimplifiedChinese not in QFontDatabase.writingSystems(FONT_FAMILY):
        return Finding(
            "fonts",
            Status.FAIL,
            f"{FONT_FAMILY} is installed but has no Simplified Chinese glyphs",
            "reinstall fonts-noto-cjk",
        )
    return Finding("fonts", Status.OK, f"{FONT_FAMILY} with Simplified Chinese")


def check_opengl() -> Finding:
    """Whether OpenGL is there, and whether it is a GPU or software rendering."""
    from PySide6.QtGui import QOffscreenSurface, QOpenGLContext

    fix = "install the GPU's driver (Mesa or the vendor's); the wall draws with the CPU meanwhile"
    context = QOpenGLContext()
    surface = QOffscreenSurface()
    surface.create()
    if not context.create() or not context.makeCurrent(surface):
        return Finding("opengl", Status.WARN, "no OpenGL on this platform", fix)
    try:
        renderer = str(context.functions().glGetString(0x1F01))  # GL_RENDERER
        version = str(context.functions().glGetString(0x1F02))  # GL_VERSION
    finally:
        context.doneCurrent()
    if any(soft in renderer.lower() for soft in ("llvmpipe", "softpipe", "software")):
        return Finding("opengl", Status.WARN, f"software rendering: {renderer}, OpenGL {version}", fix)
    return Finding("opengl", Status.OK, f"{renderer}, OpenGL {version}")


# ------------------------------------------------------------------------------------------ backends


@dataclass(frozen=True, slots=True)
class Probe:
    """What one handshake with one backend found."""

    url: str
    ok: bool
    message: str
    fix: str = ""
    skew_ms: int | None = None
    cert_days_left: float | None = None


async def probe_backend(
    url: str, context: ssl.SSLContext | None, timeout_s: float = 3.0, token: str = ""
) -> Probe:
    """Open a websocket to ``url`` (TLS verified by ``context``) and do the protocol handshake, with
    the site's operator token if it has one (a backend that checks tokens refuses a handshake without)."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout_s):
            return await _handshake(url, context, started, token)
    except TimeoutError:
        return Probe(url, False, f"no answer within {timeout_s:g} s", "check the network route and firewall")
    except ssl.SSLCertVerificationError as exc:
        return Probe(
            url,
            False,
            f"TLS: the backend's certificate is not trusted ({exc.verify_message})",
            "backend.ca_file must hold the CA that signed the backend's certificate, and the URL's host "
            "must be a name in that certificate",
        )
    except ssl.SSLError as exc:
        return Probe(
            url, False, f"TLS handshake failed: {exc.reason or exc}", "is the backend serving wss:// here?"
        )
    except ConnectionRefusedError:
        return Probe(url, False, "connection refused", "is the backend running and listening on this port?")
    except socket.gaierror as exc:
        return Probe(url, False, f"host name not found ({exc.strerror})", "check DNS, or use the IP address")
    except websockets.InvalidHandshake as exc:
        return Probe(url, False, f"not a websocket endpoint: {exc}", "check the URL's host, port and path")
    except websockets.ConnectionClosed as exc:
        return Probe(url, False, f"closed during the handshake: {exc}", "look at the backend's log")
    except OSError as exc:
        return Probe(
            url, False, f"cannot connect: {exc.strerror or exc}", "check the network route and firewall"
        )


async def _handshake(url: str, context: ssl.SSLContext | None, started: float, token: str = "") -> Probe:
    secure = url.startswith("wss:")
    async with connect(
        url, ssl=context if secure else None, proxy=None, compression=None, open_timeout=None, close_timeout=1
    ) as ws:
        session = ClientSession(
            client_id=f"doctor-{socket.gethostname()}",
            operator="cockpit-doctor",
            role="viewer",
            token=token,
            subscriptions={},
        )
        session.start(_now_ms())
        for frame in session.data_to_send(_now_ms()):
            await ws.send(frame)
        tls, days_left = _tls_summary(ws.transport.get_extra_info("ssl_object")) if secure else ("", None)
        while True:
            data = await ws.recv()
            session.receive_data(data if isinstance(data, bytes) else data.encode(), _now_ms())
            for event in session.events_received():
                took = (time.monotonic() - started) * 1000
                if isinstance(event, Connected):
                    w = event.welcome
                    return Probe(
                        url,
                        True,
                        f"protocol v{w.v} handshake with {w.server_id} in {took:.0f} ms{tls}",
                        skew_ms=event.clock_offset_ms,
                        cert_days_left=days_left,
                    )
                if isinstance(event, HandshakeRefused):
                    hint = (
                        "give the site an operator token (auth.token_file), issued with cockpit-token"
                        if event.code.startswith("token_")
                        else "look at the backend's log; a version refusal needs a matching cockpit"
                    )
                    return Probe(
                        url,
                        False,
                        f"reachable{tls}, but it refused the handshake: {event.code} {event.detail}".rstrip(),
                        hint,
                    )


def _tls_summary(ssl_object: ssl.SSLObject | None) -> tuple[str, float | None]:
    if ssl_object is None:
        return "", None
    cert = ssl_object.getpeercert() or {}
    rdns: Any = cert.get("subject", ())
    subject = next((v for rdn in rdns for k, v in rdn if k == "commonName"), "")
    days_left = None
    not_after = cert.get("notAfter")
    if isinstance(not_after, str):
        days_left = (ssl.cert_time_to_seconds(not_after) - time.time()) / 86400
    return f", {ssl_object.version()}, certificate for {subject or '?'} verified", days_left


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def skew_finding(skew_ms: int, against: str) -> Finding:
    """Judge the clock offset against the server's (the wall computes data ages from it)."""
    fix = (
        "synchronise this machine's clock (timedatectl set-ntp true, or chrony with the centre's "
        "NTP server); data ages on the wall depend on it"
    )
    text = f"this machine's clock is {abs(skew_ms) / 1000:.1f} s {'behind' if skew_ms > 0 else 'ahead of'} {against}"
    if abs(skew_ms) >= SKEW_FAIL_MS:
        return Finding("clock", Status.FAIL, text, fix)
    if abs(skew_ms) >= SKEW_WARN_MS:
        return Finding("clock", Status.WARN, text, fix)
    return Finding("clock", Status.OK, f"agrees with {against} within {abs(skew_ms)} ms")


async def check_backends(site: SiteConfig, timeout_s: float = 3.0) -> list[Finding]:
    """Handshake with every backend URL; with none configured, with the embedded demo city."""
    if site.is_demo:
        return await _check_demo(timeout_s)
    try:
        context = tls_context(site.ca_file) if any(u.startswith("wss:") for u in site.backend_urls) else None
    except (OSError, ValueError) as exc:
        return [Finding("backend", Status.FAIL, f"cannot load the CA bundle {site.ca_file}: {exc}")]
    token = ""
    if site.token_file is not None:
        try:
            token = site.token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            return [Finding("backend", Status.FAIL, f"cannot read the token file {site.token_file}: {exc}")]
    out: list[Finding] = []
    if token and site.jwks_file is not None:  # the token, offline, against the site's public keys
        try:
            ok, text = check_token_offline(token, site.jwks_file, int(time.time()))
        except TokenFileError as exc:
            ok, text = False, str(exc)
        fix = "ask the site for a new operator token (cockpit-token issue)" if not ok else ""
        out.append(Finding("token", Status.OK if ok else Status.FAIL, text, fix))
    probes = await asyncio.gather(*(probe_backend(u, context, timeout_s, token) for u in site.backend_urls))
    reachable = [p for p in probes if p.ok]
    for p in probes:
        if p.ok:
            out.append(Finding("backend", Status.OK, f"{p.url}: {p.message}"))
            host = p.url.split("://", 1)[1].split("/")[0].rsplit(":", 1)[0]
            if p.url.startswith("ws:") and not is_loopback(host):
                out.append(
                    Finding(
                        "tls",
                        Status.WARN,
                        f"{p.url}: plain ws:// (backend.allow_insecure): the operator's token travels in clear",
                        "serve the backend over wss:// and set backend.ca_file",
                    )
                )
            if p.cert_days_left is not None and p.cert_days_left < CERT_WARN_DAYS:
                out.append(
                    Finding(
                        "tls",
                        Status.WARN,
                        f"{p.url}: the certificate expires in {p.cert_days_left:.0f} days",
                        "renew the backend's certificate",
                    )
                )
        else:
            # One dead URL among live ones only weakens failover; all dead means no wall.
            status = Status.WARN if reachable else Status.FAIL
            extra = " (failover to it would not work)" if reachable else ""
            out.append(Finding("backend", status, f"{p.url}: {p.message}{extra}", p.fix))
    if reachable and reachable[0].skew_ms is not None:
        out.append(skew_finding(reachable[0].skew_ms, reachable[0].url))
    elif not reachable:
        out.append(Finding("clock", Status.WARN, "not checked: no backend answered", "fix the backend first"))
    return out


async def _check_demo(timeout_s: float) -> list[Finding]:
    from cockpit.backend.city import City
    from cockpit.backend.server import DemoBackend
    from cockpit.backend.streams import Hub

    backend = DemoBackend(City(Hub(), seed=1, rate=50, sensors_per_kind=1))
    await backend.start()
    try:
        p = await probe_backend(backend.url, None, timeout_s)
    finally:
        await backend.stop()
    if not p.ok:
        return [Finding("backend", Status.FAIL, f"the embedded demo city: {p.message}", p.fix)]
    fix = "set backend.urls in the site file to the district backend's wss:// URLs"
    return [
        Finding(
            "backend",
            Status.WARN,
            f"no backend configured: the embedded demo city answers ({p.message})",
            fix,
        ),
        skew_finding(p.skew_ms or 0, "the demo city on this machine"),
    ]


# ------------------------------------------------------------------------------------------ disk


def check_disk(site: SiteConfig) -> Finding:
    """The recording folder can be written and its disk has room for the budget."""
    folder = site.recording_dir
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing != folder and not os.access(existing, os.W_OK):
        return Finding(
            "disk",
            Status.FAIL,
            f"recording folder {folder} does not exist and cannot be created",
            f"create it for the cockpit's users: install -d -m 2775 -g cockpit {folder}",
        )
    if existing == folder and not os.access(folder, os.W_OK | os.X_OK):
        return Finding(
            "disk",
            Status.FAIL,
            f"recording folder {folder} is not writable for this user",
            f"add the user to the folder's group (on Debian: adduser $USER cockpit) or fix {folder}'s mode",
        )
    usage = shutil.disk_usage(existing)
    used = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else 0
    budget = site.disk_budget_gb * GB
    msg = (
        f"{folder}: {usage.free / GB:.1f} GB free, recordings use {used / GB:.1f} GB of a "
        f"{site.disk_budget_gb:g} GB budget, kept {site.retention_days} days"
    )
    if usage.free < MIN_FREE_BYTES:
        return Finding("disk", Status.FAIL, msg, "free disk space, or move recording.dir to a larger disk")
    if usage.free + used < budget:
        return Finding(
            "disk",
            Status.WARN,
            msg + ": the budget does not fit, so retention will delete recordings sooner",
            "lower recording.disk_budget_gb or move recording.dir to a larger disk",
        )
    return Finding("disk", Status.OK, msg)


# ------------------------------------------------------------------------------------------ map


def _show_extent(e: tuple[float, float, float, float]) -> str:
    return f"{e[0]:.4f}–{e[2]:.4f} E, {e[1]:.4f}–{e[3]:.4f} N"


def check_map(site: SiteConfig) -> list[Finding]:
    """Every map file the site names, opened and checked (docs/operations.md, "Bringing your map"):
    missing, unreadable, wrong coordinate system, empty, outside the district; and the layers the
    runway files ask for that the site does not have."""
    from cockpit.app.wiring import runway_folders
    from cockpit.config.mapdata import MapDataError, intersects, read_basemap, read_layer, union
    from cockpit.present.runway_spec import load_runway_folders

    config = site.map
    if not config.layers and config.basemap is None:
        if site.is_demo:
            return [Finding("map", Status.OK, "the demo city's map (no [map] in the site file)")]
        return [
            Finding(
                "map",
                Status.WARN,
                "no map data: the wall's maps show only what the backend sends (risk points, events)",
                "name your basemap and layers in [map] of the site file (docs/operations.md, \"Bringing your map\")",
            )
        ]
    out: list[Finding] = []
    extents: dict[str, tuple[float, float, float, float]] = {}
    for layer in config.layers:
        try:
            loaded = read_layer(layer)
        except MapDataError as exc:
            text = str(exc)
            if "does not exist" in text:
                fix = f"copy the file there or correct map.layers.{layer.name}.file"
            elif "coordinates are in" in text or "not degrees" in text:
                fix = "convert the layer to WGS 84 (EPSG:4326) with your GIS or ogr2ogr -t_srs EPSG:4326"
            elif "no features" in text:
                fix = "export the layer again with its features (or remove it from [map.layers])"
            elif "no property" in text:
                fix = f"correct map.layers.{layer.name}.label/label_en/code to a property the layer has"
            else:
                fix = "export it again as GeoPackage (.gpkg) or GeoJSON in WGS 84"
            out.append(Finding("map", Status.FAIL, text, fix))
            continue
        extents[layer.name] = loaded.bounds
        out.append(
            Finding(
                "map",
                Status.OK,
                f"map layer {layer.name} ({layer.file.name}): {loaded.count} features, {loaded.crs}, "
                f"{_show_extent(loaded.bounds)}",
            )
        )
    basemap_bounds = None
    if config.basemap is not None:
        try:
            info = read_basemap(config.basemap)
        except MapDataError as exc:
            fix = (
                "copy the file there or correct map.basemap"
                if "does not exist" in str(exc)
                else "export the basemap again as raster MBTiles (PNG or JPEG tiles, TMS rows)"
            )
            out.append(Finding("map", Status.FAIL, str(exc), fix))
        else:
            basemap_bounds = info.bounds
            where = f", {_show_extent(info.bounds)}" if info.bounds is not None else ""
            out.append(
                Finding(
                    "map",
                    Status.OK,
                    f"basemap {config.basemap.name}: {info.tiles} {info.format} tiles, zoom {info.min_zoom}–{info.max_zoom}{where}",
                )
            )
    # The district's extent: the site's home, else the basemap's, else the layers' together.
    district = config.home or basemap_bounds or union(list(extents.values()))
    if district is not None:
        outside = {name: e for name, e in extents.items() if not intersects(e, district)}
        if basemap_bounds is not None and not intersects(basemap_bounds, district):
            outside["basemap"] = basemap_bounds
        for name, e in outside.items():
            out.append(
                Finding(
                    "map",
                    Status.FAIL,
                    f"{name} lies outside the district: {_show_extent(e)}, the district {_show_extent(district)}",
                    "check its coordinates (longitude and latitude swapped? another city's file?) or map.home",
                )
            )
    runways = load_runway_folders(runway_folders(None, site.runways))
    wanted = {
        name: r.id
        for r in runways.runways
        for p in r.panels
        for name in p.layers
        if name not in ("risk_points", "ratings", "cameras") and config.layer(name) is None
    }
    if wanted:
        out.append(
            Finding(
                "map",
                Status.WARN,
                "runway maps name layers the site does not have (they are drawn without them): "
                + ", ".join(f"{n} ({rid})" for n, rid in sorted(wanted.items())),
                "add them to [map.layers] under those names, or use your own runway files (wall.runways)",
            )
        )
    return out


# ------------------------------------------------------------------------------------------ run


def run_checks(
    requested: Path | None, default: Path = DEFAULT_SITE_PATH, timeout_s: float = 3.0
) -> list[Finding]:
    """Every check, in the order an installer fixes things."""
    site_finding, site = check_site(requested, default)
    findings = [site_finding]
    display = prepare_display()
    if display is not None:
        findings.append(display)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["cockpit-doctor"])
    findings += _guarded("screens", lambda: check_screens(site))
    findings += _guarded("fonts", lambda: [check_fonts()])
    findings += _guarded("wall", lambda: check_wall_type(site))
    findings += _guarded("opengl", lambda: [check_opengl()])
    if site is not None:
        findings += _guarded("map", lambda: check_map(site))
        findings += _guarded("backend", lambda: asyncio.run(check_backends(site, timeout_s)))
        findings += _guarded("disk", lambda: [check_disk(site)])
    del app
    return findings


def _guarded(check: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    """A check that breaks (a damaged installation) is a failed check, not a dead doctor."""
    try:
        return run()
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        return [
            Finding(check, Status.FAIL, f"the check itself failed: {detail}", "reinstall the cockpit package")
        ]


def report(findings: Sequence[Finding], out: TextIO) -> int:
    """Print the findings; return the exit status (1 if any failed)."""
    width = max(len(f.check) for f in findings)
    for f in findings:
        lines = f.message.splitlines() or [""]
        print(f"{f.status.value:<5} {f.check:<{width}}  {lines[0]}", file=out)
        for line in lines[1:]:
            print(f"{'':<5} {'':<{width}}    {line}", file=out)
        if f.fix and f.status is not Status.OK:
            print(f"{'':<5} {'':<{width}}  fix: {f.fix}", file=out)
    counts = {s: sum(f.status is s for f in findings) for s in Status}
    print(f"{counts[Status.OK]} ok, {counts[Status.WARN]} warn, {counts[Status.FAIL]} fail", file=out)
    return 1 if counts[Status.FAIL] else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="cockpit doctor", description="Check this machine for the cockpit.")
    p.add_argument("--site", type=Path, metavar="FILE", help=f"site file (default: {DEFAULT_SITE_PATH})")
    p.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for each backend (default: 3)")
    args = p.parse_args(argv)
    if not 0 < args.timeout <= 60:
        print("cockpit doctor: --timeout takes 0 to 60 seconds", file=sys.stderr)
        return 2
    print(f"cockpit doctor on {socket.gethostname()}", flush=True)
    return report(run_checks(args.site, timeout_s=args.timeout), sys.stdout)
