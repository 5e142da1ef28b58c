"""Starts Qt, the qasync loop, the embedded backend when asked, and the wall."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from pathlib import Path

import platformdirs
import qasync
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from cockpit.app.drill_mode import DrillSession, drill_session
from cockpit.app.embedded import EmbeddedBackend, with_demo_cameras
from cockpit.app.login import identity_for, login_token
from cockpit.app.main import ASSETS, FONT_FAMILY, default_client_id, loop_exception_handler
from cockpit.app.service import WallService, watchdog_timeout
from cockpit.app.wall import screen_info
from cockpit.app.wall_report import summary, write_report
from cockpit.app.wiring import (
    Cockpit,
    connect_app,
    default_layout,
    freeze_startup_heap,
    map_config,
    runway_folders,
)
from cockpit.backend.risk_points import RISK_POINTS
from cockpit.config import tls_context
from cockpit.config.tokens import TokenFileError
from cockpit.feed import Identity
from cockpit.model.alarms import ConsoleScope
from cockpit.present.wall_layout import LayoutError, load_layout, virtual_screens
from cockpit.protocol.messages import Filter, Stream
from cockpit.record import RecordingError
from cockpit.record.drill import DrillSandboxError
from cockpit.record.drill_script import DrillScriptError
from cockpit.record.reader import Recording
from cockpit.record.recorder import Retention
from cockpit.service.metrics import parse_address
from cockpit.service.notify import Notifier
from cockpit.service.signals import QuitOnSignals
from cockpit.video import SecretsError
from cockpit.video.urls import CameraSecrets
from widgets.theme import apply_theme

log = logging.getLogger("cockpit")


def console_scope(level: str, district: str) -> ConsoleScope:
    """Which alarms the console is annunciated, by the centre the site file says this is: a city
    centre the district- and city-level events everywhere, a district centre those of its district,
    a street centre its district's street-level events (docs/protocol.md §4.1)."""
    if level == "city":
        return ConsoleScope("console", levels=frozenset({"district", "city"}))
    districts = frozenset({district}) if district else frozenset()
    if level == "district":
        return ConsoleScope("console", districts=districts, levels=frozenset({"district", "city"}))
    return ConsoleScope("console", districts=districts, levels=frozenset({"street"}))


def site_subscriptions(level: str, district: str) -> dict[str, Filter] | None:
    """What the centre subscribes to (docs/protocol.md §4.1): a city centre everything; a district
    centre its district; a street centre its district's street-level events."""
    if level == "city" or not district:
        return None
    area = Filter(districts=[district])
    events = area if level == "district" else Filter(districts=[district], levels=["street"])
    return {
        Stream.EVENTS.value: events,
        Stream.SENSORS.value: area,
        Stream.DISPATCH.value: area,
        Stream.OVERLAYS.value: area,
        Stream.SERIES.value: area,
        Stream.CAMERAS.value: area,  # the district's cameras (§5.7); a stream left out is not sent
        Stream.CATALOG.value: Filter(),  # names are the whole district's (§5.8)
        Stream.LAYERS.value: area,
        Stream.PLOTS.value: area,  # what the centres drew for its district's events (§5.10)
    }


def camera_secrets(path: Path | None, embedded: EmbeddedBackend | None) -> CameraSecrets:
    """The camera credentials: the site's secrets file, plus the embedded demo cameras' own."""
    secrets = CameraSecrets(path=path)
    if path is not None:
        try:
            secrets = CameraSecrets.load(path)
        except SecretsError as exc:  # the wall runs on; cameras that need it say "credential missing"
            log.error("camera secrets: %s", exc)
    return with_demo_cameras(secrets, embedded.cameras if embedded is not None else None)


def data_dir(args: argparse.Namespace) -> Path:
    """Where this cockpit keeps its audit log and its outbox (``--data-dir``, else the user data
    folder, e.g. ``~/.local/share/cockpit``)."""
    return Path(args.data_dir) if args.data_dir else platformdirs.user_data_path("cockpit", appauthor=False)


def load_translators(app: QApplication, lang: str) -> list[QTranslator]:
    """Install the cockpit's and Qt's own translations for ``lang``; English needs none."""
    if lang == "en":
        return []
    QLocale.setDefault(QLocale(lang))
    out = []
    ours = QTranslator(app)
    path = ASSETS / "i18n" / f"cockpit_{lang}.qm"
    if ours.load(str(path)):
        app.installTranslator(ours)
        out.append(ours)
    else:
        log.error("translation %s is missing: the wall will show English", path)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        out.append(qt)
    return out


def check_font() -> None:
    if FONT_FAMILY not in QFontDatabase.families():
        log.warning(
            "font %r is not installed; Chinese text may use the wrong glyph shapes (install fonts-noto-cjk)",
            FONT_FAMILY,
        )


def save_screenshots(windows: list[tuple[str, QWidget]], folder: Path) -> list[Path]:
    written = []
    for name, window in windows:
        path = folder / f"{name}.png"
        if window.grab().save(str(path)):
            written.append(path)
        else:
            log.error("could not write %s", path)
    return written


def default_recording_dir() -> Path:
    """Where recordings go unless told otherwise (the site file's ``recording.dir`` will say)."""
    return platformdirs.user_data_path("cockpit", appauthor=False) / "recordings"


def run(args: argparse.Namespace, lang: str) -> int:
    app = QApplication.instance() or QApplication(["cockpit"])
    assert isinstance(app, QApplication)
    app.setApplicationName("cockpit")
    app.setOrganizationName("cockpit")
    check_font()
    try:
        layout = load_layout(args.layout or default_layout(args.site_config.level.value))
    except LayoutError as exc:
        print(f"cockpit: {exc}", file=sys.stderr)
        return 2
    apply_theme(app, FONT_FAMILY, 1.0)  # the console's size; wall screens size their own text
    translators = load_translators(app, lang)

    embedded: EmbeddedBackend | None = None
    urls = list(args.backend)
    if args.drill is None and args.replay is None and (args.demo or not urls):
        embedded = EmbeddedBackend(
            seed=args.seed,
            rate=args.rate,
            tokens=True,
            cameras=True,
            events_per_min=getattr(args, "events_per_min", 6.0),
            risk_points=RISK_POINTS,
        )
        try:
            urls = [embedded.start()]
        except RuntimeError as exc:
            log.critical("%s", exc)
            return 1
        log.info("demo backend at %s", urls[0])

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(loop_exception_handler)
    started = getattr(args, "started", None) or time.time()
    try:  # who sits here comes from the token (docs/operations.md, "Operators and tokens")
        token = login_token(args, embedded)
    except TokenFileError as exc:
        print(f"cockpit: the operator token cannot be used: {exc}", file=sys.stderr)
        if embedded is not None:
            embedded.stop()
        return 2
    identity: Identity = identity_for(default_client_id(), args.operator, args.role, token)
    drill: DrillSession | None = None
    if args.drill is not None:  # wired to the drill's own sandbox alone: args.backend is never used
        try:
            drill = drill_session(args, identity, lang, layout)
        except (DrillScriptError, DrillSandboxError) as exc:
            log.critical("%s", exc)
            return 1
        cockpit = drill.cockpit
    else:
        tls = tls_context(args.ca_file) if any(u.startswith("wss:") for u in urls) else None
        try:
            replay = Recording(args.replay) if args.replay is not None else None
        except RecordingError as exc:
            print(f"cockpit: --replay: {exc}", file=sys.stderr)
            return 2
        cockpit = Cockpit(
            urls or ["ws://127.0.0.1:1"],  # a replay has no backend; the URL is never dialled
            identity,
            lang,
            runway_folders(args.runways, args.site_config.runways),
            layout,
            args.allow_insecure,
            tls,
            record_dir=None
            if args.no_record or replay is not None
            else (args.record or default_recording_dir()),
            retention=Retention(args.retention_days, int(args.disk_budget_gb * 1024**3)),
            replay=replay,
            audit_path=None if replay is not None else data_dir(args) / "audit.jsonl",
            outbox_path=None if replay is not None else data_dir(args) / "outbox.jsonl",
            centre=f"{args.site_config.name} ({args.site_config.level.value}, {args.site_config.district})",
            centre_name=args.site_config.name,
            subscriptions=site_subscriptions(args.site_config.level.value, args.site_config.district),
            console_scope=console_scope(args.site_config.level.value, args.site_config.district),
            camera_secrets=camera_secrets(args.site_config.camera_secrets, embedded),
            # A replay of a recording made on the demo city shows the demo's map (the recording says).
            site_map=map_config(
                args.site_config.map,
                demo=embedded is not None or (replay is not None and replay.source.get("map") == "demo"),
            ),
            # The demo city is made anew at every start: only a district's backend is worth keeping.
            cache_dir=None if embedded is not None else data_dir(args) / "district",
        )
    wall = cockpit.wall
    wall.text_scale = args.scale
    if embedded is not None:
        wall.set_mode(QCoreApplication.translate("Cockpit", "DEMO"))
    width, height = getattr(args, "screen_size", None) or layout.panel_resolution
    if args.screens is not None:
        screens = virtual_screens(args.screens, width, height)
    elif (args.screenshot is not None or args.wall_report is not None) and len(app.screens()) < 2:
        screens = virtual_screens(1, width, height)  # a headless platform's one small screen
    else:
        screens = [screen_info(s) for s in app.screens()]
        cockpit.connect_screens(app)
    wall.console.resize(1920, 1080)  # a desk monitor; the console holds alarms, dispatch, board and plan
    cockpit.place(screens)  # after the resize: a desk monitor the layout reserves fits the console to it
    headless_check = args.screenshot is not None or args.wall_report is not None
    full_screen = not (args.windowed or headless_check or args.screens is not None)
    notifier = Notifier.from_env()
    exit_code = 0
    done = asyncio.Event()

    def finish() -> None:
        nonlocal exit_code
        try:
            write_what_was_asked()
        except Exception:  # a closed stdout (its reader gone) raised here and the wall ran for ever
            log.exception("--quit-after: writing what was asked failed; quitting all the same")
            exit_code = 1
        finally:
            done.set()

    def write_what_was_asked() -> None:
        nonlocal exit_code
        if args.wall_report is not None:
            cockpit.frame()
            try:
                verdicts = write_report(args.wall_report, wall)
            except OSError as exc:
                print(f"cockpit: cannot write the wall report {args.wall_report}: {exc}", file=sys.stderr)
                exit_code = 1
            else:
                print(f"cockpit: wrote {args.wall_report}\n{summary(verdicts)}", flush=True)
        if args.screenshot is not None:
            cockpit.frame()
            shots: list[tuple[str, QWidget]] = [(rid, w) for rid, w in wall.windows.items()]
            if wall.span is not None:  # spanning: the whole display, and each runway's cell
                shots.append(("wall", wall.span))
                shots += [(rid, wall.views.get(rid) or wall.refused[rid]) for rid in wall.assignment.on_screen]
            written_console: list[Path] = []
            console_tabs = [(rid, wall.views[rid]) for rid in wall.assignment.on_console]  # no screen
            console_tabs += list(wall.console.desks.items())  # every runway's desk board
            for rid, view in console_tabs:
                wall.console.tabs.setCurrentWidget(view)
                QCoreApplication.processEvents()
                written_console += save_screenshots([(f"console-{rid}", wall.console)], args.screenshot)
            wall.console.tabs.setCurrentIndex(0)  # the console as it opens: the wall's assignment
            QCoreApplication.processEvents()
            shots.append(("console", wall.console))
            if drill is not None:
                shots.append(("trainer", drill.trainer))
            written = written_console + save_screenshots(shots, args.screenshot)
            for path in written:
                print(f"cockpit: wrote {path}", flush=True)
            if len(written) != len(shots) + len(console_tabs):
                exit_code = 1

    # Quitting goes through ``done`` so the feed and loop shut down in order, never mid-await.
    app.setQuitOnLastWindowClosed(False)
    connect_app(app, done.set)
    # SIGTERM (systemd, shutdown, kill), SIGINT and SIGHUP quit the way closing the windows does:
    # the drill's report, the recording's index, the outbox and the audit log are all finished.
    quitting: list[str] = []

    def on_signal(name: str) -> None:
        if quitting:
            if name == "SIGINT":  # a second Ctrl-C while stopping: the officer means it
                log.critical("SIGINT again while stopping: exiting now")
                os._exit(128 + 2)
            log.info("%s while stopping: already stopping in order", name)  # xinit's HUP, a second TERM
            return
        quitting.append(name)
        done.set()

    signals = QuitOnSignals(loop, on_signal)
    service: WallService | None = None
    if not headless_check:  # a running wall, not a headless check: watchdog, health, kiosk
        service = WallService(
            cockpit,
            None if args.replay is not None else data_dir(args),
            kiosk=args.kiosk,
            full_screen=full_screen,
            metrics=parse_address(args.metrics) if args.metrics else None,  # checked in main.py
            watchdog_s=watchdog_timeout(args.watchdog_s, notifier),
            notifier=notifier,
            started=started,
        )
        cockpit.attach_service(service)
    wall.show(full_screen=full_screen)
    if drill is not None:
        drill.trainer.resize(1100, 800)
        drill.trainer.show()
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), finish)

    freeze_startup_heap()

    if service is not None:  # the console as it was, the last known situation until the backend answers
        service.restore(last_known=drill is None and args.replay is None)

    async def main() -> None:
        (drill or cockpit).start()
        if service is not None:
            service.start()
        await done.wait()
        if service is not None:
            service.stopping()
        try:
            if drill is not None:
                await drill.stop()
            else:  # stopped by the system (SIGTERM, SIGHUP): the backend hears 1001 "going away"
                await cockpit.stop(going_away=bool(quitting) and quitting[0] != "SIGINT")
        finally:
            if service is not None:
                service.close()

    with loop:
        loop.run_until_complete(main())
    signals.close()
    if quitting:
        log.info("stopped in order after %s", quitting[0])
    if cockpit.first_live_frame_at:
        print(f"cockpit: first live frame at {cockpit.first_live_frame_at:.3f}", flush=True)
    if embedded is not None:
        embedded.stop()
    del translators
    return exit_code
