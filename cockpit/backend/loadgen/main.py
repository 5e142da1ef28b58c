"""``cockpit-loadgen``: a city's worth of walls against gateways on this machine (docs/operations.md).

``cockpit-loadgen run`` starts everything on loopback (a NATS cluster, the city's publisher, gateways,
one wall per centre), runs the faults and prints the figures; ``cockpit-bench city`` is the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from cockpit.backend.loadgen import LoadgenError
from cockpit.backend.loadgen.scenario import Fault, ScenarioConfig, run_scenario


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cockpit-loadgen", description="City-scale load on the NATS gateways.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="the whole scenario on loopback, with faults; prints the figures")
    d = ScenarioConfig()
    r.add_argument(
        "--districts", type=int, default=d.districts, help="district centres (default: %(default)s)"
    )
    r.add_argument("--streets", type=int, default=d.streets, help="street centres (default: %(default)s)")
    r.add_argument("--rate", type=float, default=d.rate, help="messages a second (default: %(default)s)")
    r.add_argument(
        "--gateways", type=int, default=d.gateways, help="gateway processes (default: %(default)s)"
    )
    r.add_argument("--nats-nodes", type=int, default=d.nats_nodes, help="NATS nodes (default: %(default)s)")
    r.add_argument("--workers", type=int, default=d.workers, help="wall processes (default: %(default)s)")
    r.add_argument("--steady", type=float, default=d.steady_s, help="steady seconds (default: %(default)s)")
    r.add_argument("--fault-gap", type=float, default=d.fault_gap_s, help="seconds watched after each fault")
    r.add_argument(
        "--faults",
        default=",".join(f.value for f in d.faults),
        help="comma-separated, in order: gateway, nats_node, publisher ('' for none; default: %(default)s)",
    )
    r.add_argument(
        "--ingest",
        type=float,
        default=d.ingest_s,
        help="seconds the gateways run without walls first (default: %(default)s)",
    )
    r.add_argument("--root", type=Path, help="keep the NATS stores and every log here")
    r.add_argument("--json", type=Path, help="also write the figures to this file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        faults = tuple(Fault(f.strip()) for f in args.faults.split(",") if f.strip())
    except ValueError as exc:
        print(f"cockpit-loadgen: --faults: {exc}", file=sys.stderr)
        return 2
    config = ScenarioConfig(
        districts=args.districts,
        streets=args.streets,
        rate=args.rate,
        gateways=args.gateways,
        nats_nodes=args.nats_nodes,
        workers=args.workers,
        steady_s=args.steady,
        fault_gap_s=args.fault_gap,
        faults=faults,
        ingest_s=args.ingest,
        root=args.root,
    )
    try:
        result = run_scenario(config)
    except LoadgenError as exc:
        print(f"cockpit-loadgen: {exc}", file=sys.stderr)
        return 1
    for name, value in result.metrics.items():
        print(f"  {name:42s} {value:>14,.3f}" if not math.isnan(value) else f"  {name:42s} {'-':>14s}")
    for note in result.notes:
        print(f"  note: {note}")
    if args.json:
        args.json.write_text(json.dumps(result.metrics, indent=2))
    return 0 if result.metrics.get("lost", 1) == 0 and result.metrics.get("duplicated", 1) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
