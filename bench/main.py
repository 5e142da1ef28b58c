"""``cockpit-bench [SUITE ...] [--json PATH] [--quick]``: measures, prints a table, writes JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path

from bench import (
    city,
    gateway,
    ingest,
    latency,
    map_pan,
    memory,
    protocol_ingest,
    record,
    replay,
    restart,
    startup,
    video,
    wall_soak,
)

SUITES: dict[str, Callable[[bool], dict[str, dict[str, float]]]] = {
    "protocol": protocol_ingest.run,
    "ingest": ingest.run,
    "map": map_pan.run,
    "startup": startup.run,
    "latency": latency.run,  # also reports the "dispatch" suite's metrics
    "gateway": gateway.run,  # needs nats-server (scripts/setup --test)
    "city": city.run,  # 1,073 walls, 3 NATS nodes, faults: several minutes (issue 22)
    "record": record.run,
    "replay": replay.run,
    "memory": memory.run,  # the accelerated 24 h soak (bench/soak.py); --quick: 2 M messages
    "video": video.run,  # camera tiles: 32 sub + 1 main pre-encoded, 16 + 1 live (bench/video.py)
    "restart": restart.run,  # kill -9 and a 10 min backend outage → live (bench/restart.py)
    "wall-soak": wall_soak.run,  # the whole wall under Xvfb, 4,900 msg/s, 1 h real time; --quick: 2 min
}
BY_NAME_ONLY = {"restart", "wall-soak"}
"""Real-time suites (minutes to an hour even with --quick): run only when named."""


def _fmt(v: float) -> str:
    if v >= 1e6:
        return f"{v / 1e6:,.2f} M"
    if v >= 1e3:
        return f"{v / 1e3:,.1f} k"
    return f"{v:.3f}"


def _qt_platform() -> str:
    """Where the wall painted: the suites default to offscreen unless QT_QPA_PLATFORM says otherwise
    (``xcb`` under Xvfb, with its display)."""
    name = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    display = os.environ.get("DISPLAY", "")
    return f"{name} (DISPLAY {display})" if name.startswith("xcb") and display else name


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="cockpit-bench", description="Cockpit benchmarks (run by hand).")
    p.add_argument(
        "suites",
        nargs="*",
        metavar="SUITE",
        help=f"suites: {', '.join(SUITES)} (default: all but {', '.join(sorted(BY_NAME_ONLY))})",
    )
    p.add_argument("--json", type=Path, help="also write {suite: {metric: value}} to this file")
    p.add_argument("--quick", action="store_true", help="fewer repeats and frames")
    args = p.parse_args(argv)
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        p.error(f"unknown suite(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    results: dict[str, dict[str, float]] = {}
    for name in args.suites or [s for s in SUITES if s not in BY_NAME_ONLY]:
        results.update(SUITES[name](args.quick))
    print(
        f"cockpit-bench on {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}{' (quick)' if args.quick else ''}; Qt platform: {_qt_platform()}"
    )
    for suite, metrics in results.items():
        print(f"\n[{suite}]")
        for k, v in metrics.items():
            print(f"  {k:32s} {_fmt(v):>12s}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
