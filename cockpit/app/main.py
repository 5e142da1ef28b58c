"""``cockpit``: the wall application.

``cockpit --demo`` (also the default with no backend given) starts the simulated city in-process and
connects to it over a loopback websocket. ``--screenshot DIR --quit-after S`` writes one PNG per
wall window after S seconds and exits 0, for headless checks. ``cockpit status`` tells whether the
wall runs and is live; ``cockpit supervise -- COMMAND`` restarts a wall that ends (where there is no
systemd); ``--kiosk``, ``--metrics`` and ``--watchdog-s`` are for a wall that runs unattended.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import logging
import os
import socket
import sys
import threading
import time
import traceback
from pathlib import Path
from types import TracebackType

log = logging.getLogger("cockpit")

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
FONT_FAMILY = "Noto Sans CJK SC"
LANGUAGES = ("zh_CN", "en")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cockpit", description="City command-centre video wall.")
    p.add_argument(
        "--demo", action="store_true", help="run on the embedded demo backend (default with no --backend)"
    )
    p.add_argument(
        "--backend",
        action="append",
        default=[],
        metavar="URL",
        help="backend websocket URL; repeat for failover",
    )
    p.add_argument(
        "--site",
        type=Path,
        metavar="FILE",
        help="site file (default: /etc/cockpit/site.toml if it exists, else the demo defaults)",
    )
    p.add_argument(
        "--ca-file", type=Path, metavar="FILE", help="PEM CA bundle for wss:// (default: the site's)"
    )
    p.add_argument(
        "--allow-insecure",
        action="store_true",
        help="allow plain ws:// to a machine other than this one (the token travels in clear)",
    )
    p.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="user-interface language (default: from the locale)"
    )
    p.add_argument(
        "--operator", default=os.environ.get("USER", "operator"), help="operator name for the audit trail"
    )
    p.add_argument("--role", default="operator", choices=["viewer", "operator", "supervisor", "trainer"])
    p.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="the operator's token (default: the site's auth.token_file, else a login dialog asks)",
    )
    p.add_argument("--scale", type=float, default=1.0, help="wall font scale (default: %(default)s)")
    p.add_argument("--seed", type=int, default=1, help="demo city seed")
    p.add_argument("--rate", type=float, default=2000.0, help="demo sensor updates per second")
    p.add_argument(
        "--events-per-min",
        type=float,
        default=6.0,
        help="demo background events per simulated minute (default: %(default)s; more makes a busy wall)",
    )
    p.add_argument("--windowed", action="store_true", help="ordinary windows instead of full screen")
    p.add_argument(
        "--screens",
        type=int,
        metavar="N",
        help="lay the wall out on N virtual screens of 1920×1080 (tests, screenshots, Xvfb)",
    )
    p.add_argument(
        "--layout", type=Path, metavar="FILE", help="wall-layout file (default: assets/walls/default.yaml)"
    )
    p.add_argument(
        "--runways", type=Path, metavar="DIR", help="folder of runway files (default: assets/runways)"
    )
    p.add_argument(
        "--screenshot", type=Path, metavar="DIR", help="write one PNG per wall window to DIR on exit"
    )
    p.add_argument("--quit-after", type=float, metavar="SECONDS", help="exit after this many seconds")
    p.add_argument(
        "--wall-report",
        type=Path,
        metavar="FILE",
        help="on exit, write every screen's texts with their glyph heights in mm, and whether any is "
        "too small, shortened, cut or covered, as JSON (a self-check; exits after 8 s unless --quit-after)",
    )
    p.add_argument(
        "--screen-size",
        metavar="WxH",
        default=None,
        help="size of each virtual screen of --screens, e.g. 3840x2160 (default: the wall layout's "
        "panel_resolution, 1920x1080)",
    )
    p.add_argument(
        "--drill",
        type=Path,
        metavar="SCRIPT",
        help="run a drill (assets/drills/*.yaml) on its own sandbox backend, never a live one",
    )
    p.add_argument(
        "--report", type=Path, metavar="DIR", help="where drill reports go (default: the user data folder)"
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where the audit log and the command outbox are kept (default: the user data folder)",
    )
    rec = p.add_mutually_exclusive_group()
    rec.add_argument(
        "--record",
        type=Path,
        metavar="DIR",
        help="record every received frame into DIR (default: on, in the user data folder's recordings)",
    )
    rec.add_argument("--no-record", action="store_true", help="do not record this session")
    p.add_argument(
        "--retention-days",
        type=float,
        default=30.0,
        help="delete recordings older than this (default: %(default)s)",
    )
    p.add_argument(
        "--disk-budget-gb",
        type=float,
        default=20.0,
        help="delete the oldest recordings beyond this size (default: %(default)s)",
    )
    p.add_argument(
        "--replay", type=Path, metavar="PATH", help="replay a recording (a .mcap file or a folder of them)"
    )
    svc = p.add_argument_group("running unattended (docs/operations.md, \"The wall as a service\")")
    svc.add_argument(
        "--kiosk",
        action="store_true",
        help="kiosk mode: wall screens cannot be closed or left, no pointer on them, screens never blank",
    )
    svc.add_argument(
        "--metrics",
        metavar="[HOST:]PORT",
        help="serve Prometheus metrics on HOST:PORT (default host 127.0.0.1; off unless given)",
    )
    svc.add_argument(
        "--watchdog-s",
        type=float,
        metavar="S",
        default=_env_float("COCKPIT_WATCHDOG_S"),
        help="end the process if the GUI thread is stuck this long, so the service restarts it "
        "(default: $COCKPIT_WATCHDOG_S, else 2/3 of systemd's WatchdogSec, else off; 0: off)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    return p


def _env_float(name: str) -> float | None:
    try:
        return float(os.environ[name])
    except (KeyError, ValueError):
        return None


def install_exception_hooks() -> None:
    """Nothing dies silently: uncaught errors on any thread or in the loop are logged loudly, and a
    crash in native code (a segfault, an abort) prints every thread's Python stack to stderr (the
    journal, under systemd)."""
    faulthandler.enable()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught exception:\n%s", "".join(traceback.format_exception(kind, exc, tb)))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
    exc = context.get("exception")
    if isinstance(exc, BaseException):
        log.error("asyncio: %s", context.get("message"), exc_info=exc)
    else:
        log.error("asyncio: %s", context.get("message"))


def pick_language(requested: str | None) -> str:
    if requested:
        return requested
    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "zh_CN" if env.startswith("zh") else "en"


def main(argv: list[str] | None = None) -> int:
    started = time.time()
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["audit"]:  # no Qt: checks audit files on a server without a display
        from cockpit.audit.cli import main as audit_main

        return audit_main(argv[1:])
    if argv[:1] == ["token"]:  # no Qt: issue operator tokens offline (docs/operations.md)
        from cockpit.config.tokens import main as token_main

        return token_main(argv[1:])
    if argv[:1] == ["status"]:  # no Qt: is the wall running and live? (docs/operations.md)
        from cockpit.service.status import main as status_main

        return status_main(argv[1:])
    if argv[:1] == ["supervise"]:  # no Qt: restart the wall whenever it ends (Windows, no systemd)
        from cockpit.service.supervisor import main as supervise_main

        return supervise_main(argv[1:])
    if argv[:1] == ["doctor"]:
        from cockpit.app.doctor import main as doctor_main

        return doctor_main(argv[1:])
    from cockpit.config import SiteError
    from cockpit.config.cli import parse_with_site

    try:  # the site file's values are the defaults; the command line overrides them
        args = parse_with_site(build_parser(), argv)
    except SiteError as exc:  # before any window opens: the file must be fixed first
        print(f"cockpit: the site file cannot be used:\n{exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.scale <= 0:
        print("cockpit: --scale must be positive", file=sys.stderr)
        return 2
    from cockpit.feed.client import check_url

    for url in args.backend:
        try:
            check_url(url, args.allow_insecure)
        except ValueError as exc:
            print(f"cockpit: --backend: {exc}", file=sys.stderr)
            return 2
    if args.ca_file is not None:
        from cockpit.config import tls_context

        try:
            tls_context(args.ca_file)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            print(f"cockpit: --ca-file {args.ca_file}: not a readable PEM CA bundle: {exc}", file=sys.stderr)
            return 2
    if args.screens is not None and not 1 <= args.screens <= 16:
        print("cockpit: --screens takes 1 to 16", file=sys.stderr)
        return 2
    if args.runways is not None and not args.runways.is_dir():
        print(f"cockpit: --runways {args.runways} is not a folder", file=sys.stderr)
        return 2
    if args.drill is not None:
        from cockpit.record.drill_script import DrillScriptError, load_drill

        if args.replay is not None:
            print("cockpit: --drill and --replay cannot be combined", file=sys.stderr)
            return 2
        if args.record is not None:  # never ignored in silence: the trainer would look for it there
            print(
                "cockpit: --record does not apply to a drill: a drill records into its report folder "
                "(--report DIR, in DIR/recordings; --no-record for none)",
                file=sys.stderr,
            )
            return 2
        try:
            load_drill(args.drill)
        except DrillScriptError as exc:
            print(f"cockpit: --drill: {exc}", file=sys.stderr)
            return 2
    if args.replay is not None and not args.replay.exists():
        print(f"cockpit: --replay {args.replay}: no such file or folder", file=sys.stderr)
        return 2
    if args.retention_days <= 0 or args.disk_budget_gb <= 0:
        print("cockpit: --retention-days and --disk-budget-gb must be positive", file=sys.stderr)
        return 2
    if not 0 <= args.events_per_min <= 600:
        print("cockpit: --events-per-min takes 0 to 600", file=sys.stderr)
        return 2
    if args.metrics:
        from cockpit.service import ServiceError
        from cockpit.service.metrics import parse_address

        try:
            parse_address(args.metrics)
        except ServiceError as exc:
            print(f"cockpit: {exc}", file=sys.stderr)
            return 2
    if args.kiosk and (args.windowed or args.screenshot is not None):
        print("cockpit: --kiosk runs the wall full screen: not with --windowed or --screenshot", file=sys.stderr)
        return 2
    if args.watchdog_s is not None and args.watchdog_s < 0:
        print("cockpit: --watchdog-s must be 0 (off) or positive", file=sys.stderr)
        return 2
    if args.quit_after is not None and args.quit_after <= 0:
        print("cockpit: --quit-after must be positive", file=sys.stderr)
        return 2
    try:
        width, height = (int(n) for n in (args.screen_size or "0x0").lower().split("x"))
        if (width, height) == (0, 0):
            raise LookupError  # the layout's, once it is read
        if not (320 <= width <= 16384 and 240 <= height <= 16384):
            raise ValueError
        args.screen_size = (width, height)
    except LookupError:
        args.screen_size = None
    except ValueError:
        print(f"cockpit: --screen-size {args.screen_size!r}: expected WIDTHxHEIGHT, e.g. 3840x2160", file=sys.stderr)
        return 2
    if args.wall_report is not None and args.quit_after is None:
        args.quit_after = 8.0
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_display and "QT_QPA_PLATFORM" not in os.environ:
        if args.screenshot is None and args.wall_report is None:
            print(
                "cockpit: no display found (DISPLAY is not set). Run it on the wall's desktop, under "
                f'Xvfb (xvfb-run -a -s "-screen 0 1920x1080x24" {sys.argv[0]} --demo --windowed), '
                "or headless with --screenshot DIR --quit-after S.",
                file=sys.stderr,
            )
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.screenshot is not None:
        try:
            args.screenshot.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"cockpit: cannot create screenshot folder {args.screenshot}: {exc}", file=sys.stderr)
            return 2
    install_exception_hooks()
    args.started = started
    from cockpit.app.run import run  # Qt is imported only once the arguments are known good

    return run(args, pick_language(args.lang))


def default_client_id() -> str:
    return f"cockpit-{socket.gethostname()}"


if __name__ == "__main__":
    sys.exit(main())
