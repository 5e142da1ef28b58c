"""``cockpit audit verify PATH`` and ``cockpit audit show PATH``: no Qt, so they run on a server.

Exit codes of ``verify`` (and of ``show``, which prints the verdict after the records):

- 0: the chain is intact;
- 1: the chain is broken: a line was edited, deleted, reordered or inserted (tampering);
- 2: the file cannot be read or is not an audit log, or the command line is wrong;
- 3: only the last line is torn: the cockpit stopped while writing it; every record before is intact.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from cockpit.audit.chain import AuditRecord, BreakKind, ChainReport, verify_file

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_UNREADABLE = 2
EXIT_TORN = 3


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cockpit audit", description="Check and read a cockpit audit log.")
    sub = p.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="check the hash chain; exit 1 on tampering, 3 on a torn last line")
    verify.add_argument("path", type=Path)
    show = sub.add_parser("show", help="print the records readably, then the verdict")
    show.add_argument("path", type=Path)
    return p


def main(argv: list[str], out: TextIO | None = None) -> int:
    """Run ``cockpit audit …`` with ``argv`` (after ``audit``); returns the exit code."""
    out = out if out is not None else sys.stdout
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage
        return EXIT_UNREADABLE if exc.code else EXIT_OK
    try:
        report = verify_file(args.path)
    except OSError as exc:
        print(f"cockpit audit: {args.path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.command == "show":
        _show(report, out)
    return _verdict(args.path, report, out)


def exit_code(report: ChainReport) -> int:
    if report.broken is None:
        return EXIT_OK
    if report.broken.kind is BreakKind.TORN:
        return EXIT_TORN
    if report.broken.kind is BreakKind.NOT_AUDIT:
        return EXIT_UNREADABLE
    return EXIT_BROKEN


def _verdict(path: Path, report: ChainReport, out: TextIO) -> int:
    code = exit_code(report)
    if report.broken is None:
        span = f", {report.records[0].time} to {report.records[-1].time}" if report.records else ""
        print(f"{path}: intact: {len(report.records)} records, chain {report.chain}{span}", file=out)
    else:
        b = report.broken
        label = "TORN (crash, not tampering)" if b.kind is BreakKind.TORN else f"BROKEN ({b.kind.value})"
        print(f"{path}: line {b.line}: {label}: {b.reason}", file=sys.stderr if code else out)
    return code


def _show(report: ChainReport, out: TextIO) -> None:
    if report.chain:
        print(f"chain {report.chain}, created {report.created}", file=out)
    for r in report.records:
        print(_line(r), file=out)
    if report.broken is not None:
        print(f"-- line {report.broken.line} onwards not shown: the chain is broken there", file=out)


def _line(r: AuditRecord) -> str:
    who = f"{r.operator} ({r.role}{', ' + r.centre if r.centre else ''})"
    details = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(r.details.items()))
    return f"{r.seq:>6}  {r.time}  {who:<28} {r.action:<18} {details}".rstrip()
