"""``scripts/fuzz [--long]``: every fuzz target, atheris and hypothesis, with the inputs counted.

Short (the default, a few minutes): each atheris target for a fixed number of runs, then the
hypothesis fuzz tests with the CI profile. ``--long``: at least 1,000,000 inputs in all. Prints a
table and writes it as JSON (``--json``). Exits non-zero on the first crash or broken property.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHORT = {
    "frame": 50_000,
    "session": 20_000,
    "runway": 300,
    "layout": 300,
    "plan": 300,
    "drill": 300,
    "site": 300,
    "recording": 300,
}
LONG = {
    "frame": 700_000,
    "session": 300_000,
    "runway": 4_000,
    "layout": 4_000,
    "plan": 4_000,
    "drill": 4_000,
    "site": 4_000,
    "recording": 4_000,
}
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def run_atheris(target: str, runs: int) -> tuple[int, float]:
    """Run one atheris target; returns (inputs, seconds)."""
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.atheris_main", target, f"-runs={runs}", "-max_len=16384"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = _DONE.search(proc.stderr)
    if proc.returncode != 0 or found is None:
        sys.stderr.write(proc.stderr[-6000:])
        raise SystemExit(f"atheris {target}: crash or broken property (exit {proc.returncode}); see above")
    return int(found.group(1)), time.monotonic() - t0


def run_hypothesis(profile: str) -> tuple[dict[str, int], float]:
    counts = Path(tempfile.mkstemp(suffix=".json")[1])
    env = dict(
        os.environ, COCKPIT_FUZZ_PROFILE=profile, COCKPIT_FUZZ_COUNTS=str(counts), QT_QPA_PLATFORM="offscreen"
    )
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/fuzz"], cwd=ROOT, env=env
    )
    if proc.returncode != 0:
        raise SystemExit(f"hypothesis fuzz tests failed (exit {proc.returncode})")
    return json.loads(counts.read_text()), time.monotonic() - t0


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/fuzz")
    parser.add_argument("--long", action="store_true", help="at least 1,000,000 inputs (about half an hour)")
    parser.add_argument("--json", type=Path, help="write the counts here")
    parser.add_argument("--only", nargs="*", help="atheris targets to run (default: all)")
    args = parser.parse_args()
    plan = LONG if args.long else SHORT
    rows: list[tuple[str, int, float]] = []
    t0 = time.monotonic()
    for target, runs in plan.items():
        if args.only and target not in args.only:
            continue
        n, s = run_atheris(target, runs)
        rows.append((f"atheris {target}", n, s))
        print(f"atheris {target:8s} {n:>10,} inputs {s:7.1f} s", flush=True)
    counts, s = run_hypothesis("fuzz-long" if args.long else "fuzz-ci")
    for target, n in sorted(counts.items()):
        rows.append((f"hypothesis {target}", n, 0.0))
        print(f"hypothesis {target:8s} {n:>8,} inputs", flush=True)
    print(f"hypothesis total {sum(counts.values()):,} inputs in {s:.1f} s")
    total = sum(n for _, n, _ in rows)
    elapsed = time.monotonic() - t0
    print(f"TOTAL {total:,} inputs in {elapsed:.0f} s, 0 crashes")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "total": total, "seconds": round(elapsed)}, indent=2))


if __name__ == "__main__":
    main()
