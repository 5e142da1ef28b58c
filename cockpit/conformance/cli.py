"""``cockpit-conformance URL``: run the clauses against a server, print them, exit 0 only if every MUST passed.

    cockpit-conformance ws://127.0.0.1:8765
    cockpit-conformance wss://district.example:8443 --ca-file ca.pem --token-file op.token \\
        --viewer-token-file viewer.token --destructive --json report.json

Exit codes: 0 every MUST clause passed (SKIPs allowed unless ``--strict``); 1 a MUST clause failed
(or, with ``--strict``, was skipped); 2 bad arguments or unreadable files. docs/conformance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from cockpit.conformance.checks import Options, run_all
from cockpit.conformance.report import Report


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cockpit-conformance",
        description="Check a protocol v1 server against docs/protocol.md, one clause a line.",
    )
    p.add_argument("url", help="the server's websocket URL (ws:// or wss://)")
    p.add_argument(
        "--token", default="", help="a token the server accepts (a duty officer's or supervisor's)"
    )
    p.add_argument("--token-file", type=Path, metavar="FILE", help="read --token from FILE")
    p.add_argument("--viewer-token", default="", help="a viewer's token (for the roles clause)")
    p.add_argument("--viewer-token-file", type=Path, metavar="FILE", help="read --viewer-token from FILE")
    p.add_argument(
        "--destructive",
        action="store_true",
        help="also flood the server, send an oversized frame, stay silent, and acknowledge a real event",
    )
    p.add_argument("--json", metavar="FILE", help="write the machine-readable report to FILE ('-': stdout)")
    p.add_argument(
        "--observe",
        type=float,
        default=4.0,
        metavar="S",
        help="seconds of live data watched (default: %(default)s)",
    )
    p.add_argument(
        "--silent-wait",
        type=float,
        default=40.0,
        metavar="S",
        help="with --destructive: how long to stay silent",
    )
    p.add_argument(
        "--ca-file", type=Path, metavar="FILE", help="CA bundle for wss:// (default: the system's)"
    )
    p.add_argument("--strict", action="store_true", help="a skipped MUST clause also fails the run")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--only", action="append", default=[], metavar="CHECK", help="run only this check (repeat)")
    p.add_argument(
        "--slack-ms",
        type=int,
        default=0,
        metavar="MS",
        help="slack on timing clauses (default: a quarter heartbeat, at least 100 ms); more on a loaded network",
    )
    return p


def _read(path: Path | None, value: str, what: str) -> str:
    if path is None:
        return value
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SystemExit(f"cockpit-conformance: cannot read {what} {path}: {exc.strerror}") from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.url.startswith(("ws://", "wss://")):
        print("cockpit-conformance: the URL must start with ws:// or wss://", file=sys.stderr)
        return 2
    try:
        token = _read(args.token_file, args.token, "the token file")
        viewer = _read(args.viewer_token_file, args.viewer_token, "the viewer token file")
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    context = None
    if args.url.startswith("wss://"):
        import ssl

        context = ssl.create_default_context(cafile=str(args.ca_file) if args.ca_file else None)
    options = Options(
        url=args.url,
        token=token,
        viewer_token=viewer,
        destructive=args.destructive,
        observe_s=args.observe,
        silent_wait_s=args.silent_wait,
        ssl_context=context,
        only=frozenset(args.only),
        slack_ms=max(0, args.slack_ms),
    )
    report = Report(args.url)

    def progress(name: str) -> None:
        if not args.quiet:
            print(f"cockpit-conformance: {name} …", file=sys.stderr, flush=True)

    asyncio.run(run_all(options, report, progress))
    if args.json == "-":
        report.write_json(sys.stdout, args.strict)
    else:
        report.write_lines(sys.stdout)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                report.write_json(f, args.strict)
    return report.exit_code(args.strict)


if __name__ == "__main__":
    sys.exit(main())
