"""``wall-soak``: the whole wall in real time under Xvfb at the city's rate, for an hour (issue 19).

``python -m bench.wall_soak [--duration S] [--rate N] [--screens N] [--out FILE]`` starts:

- Xvfb with ``--screens`` monitors of 1920×1080 (``-noreset`` + ``xrandr --setmonitor``: one QScreen
  each, bench/xdisplay.py), so the wall places a runway on each, as on a real wall;
- ``cockpit-backend --rate N`` (default 4,900 sensor values a second, the city's average) in its own
  process: the demo city with its scenarios cycling in real time (a storm every 10 min, a main burst
  every 15, a jam every 8, a forest fire every 20, background events);
- ``cockpit --backend ws://… --kiosk --metrics …`` recording as a wall does,

and every ``--sample`` seconds reads the cockpit's resident memory (``/proc``) and its metrics
endpoint (frame interval p99, link state, data age). At the end it stops the wall with SIGTERM (an
orderly stop must exit 0) and reports: the RSS slope after the warm-up (least squares, MiB an hour),
frame p99 (median and worst of the minute windows), link drops, and whether the wall crashed.

The slope comes with its standard error and a 95 % interval (the error widened for samples that
follow each other, see :func:`fit_slope`): "none measurable" means that interval holds zero and says
how small a slope the run could have seen. Every sample notes the machine's load average, since
other work on a shared machine changes the frame figures (not the memory ones).

``--probe 'FILE --tracemalloc'`` runs the wall inside ``bench.memprobe`` (what grows: Python objects
by type and line, Qt objects, the malloc heap); ``--wall-env MALLOC_ARENA_MAX=2`` and the like try
the allocator's settings.

``--quick``: 2 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

from bench.xdisplay import XvfbMonitors

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def scrape(port: int) -> dict[str, float]:
    """The cockpit's metrics as {name{labels}: value}."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def slope_mib_per_h(t_s: list[float], rss: list[float]) -> float:
    return fit_slope(t_s, rss)["slope_mib_per_h"]


def fit_slope(t_s: list[float], rss: list[float]) -> dict[str, float]:
    """The least-squares RSS slope in MiB an hour, with its standard error and a 95 % interval.

    Memory samples taken every few seconds are not independent (a step stays for the rest of the
    run), so the plain least-squares error would be too small: the residuals' lag-1 autocorrelation
    ``r1`` shrinks the sample to an effective ``n·(1−r1)/(1+r1)`` (the usual AR(1) correction) and the
    error is widened by the same factor. ``measurable`` is 1.0 when that interval excludes zero.
    """
    n = len(t_s)
    nan = float("nan")
    if n < 4:
        return {"slope_mib_per_h": nan, "slope_se_mib_per_h": nan, "slope_ci95_mib_per_h": nan,
                "slope_n": float(n), "slope_n_eff": nan, "slope_measurable": nan}  # fmt: skip
    x = np.asarray(t_s, dtype=float) / 3600
    y = np.asarray(rss, dtype=float)
    xc = x - x.mean()
    k = float((xc * (y - y.mean())).sum() / (xc * xc).sum())
    resid = y - y.mean() - k * xc
    se = float(np.sqrt((resid * resid).sum() / (n - 2) / (xc * xc).sum()))
    r1 = float((resid[1:] * resid[:-1]).sum() / (resid * resid).sum()) if resid.any() else 0.0
    r1 = min(max(r1, 0.0), 0.98)
    n_eff = max(3.0, n * (1 - r1) / (1 + r1))
    se_adj = se * float(np.sqrt((n - 2) / max(n_eff - 2, 1.0)))
    ci = 1.96 * se_adj
    return {
        "slope_mib_per_h": k,
        "slope_se_mib_per_h": se_adj,
        "slope_ci95_mib_per_h": ci,
        "slope_n": float(n),
        "slope_n_eff": n_eff,
        "slope_measurable": float(abs(k) > ci),
    }


def soak(
    duration_s: float,
    rate: float,
    screens: int,
    sample_s: float,
    out: Path | None,
    probe: list[str] | None = None,
    warmup_s: float | None = None,
    env_extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run the wall for ``duration_s`` and measure it (see the module docstring).

    Args:
        probe: run the wall inside ``bench.memprobe`` with these arguments (its output file first).
        warmup_s: the samples before this are left out of the slope (default: 10 min, or a sixth
            of a shorter run).
        env_extra: more environment for the wall (``MALLOC_ARENA_MAX=2`` and the like).
    """
    work = Path(tempfile.mkdtemp(prefix="wall-soak-"))
    port, metrics_port = free_port(), free_port()
    env = dict(os.environ, **(env_extra or {}), XDG_DATA_HOME=str(work / "xdg"), XDG_CONFIG_HOME=str(work / "cfg"), LANG="C.UTF-8")
    samples: list[dict[str, Any]] = []
    with XvfbMonitors(screens) as x:
        with (work / "backend.log").open("wb") as backend_log:  # the child keeps its own copy
            backend = subprocess.Popen(
                [str(BIN / "cockpit-backend"), "--port", str(port), "--rate", str(rate)],
                stdout=subprocess.PIPE,
                stderr=backend_log,
                env=env,
            )
        assert backend.stdout is not None
        backend.stdout.readline()  # "serving ws://…"
        backend.stdout.close()
        wall_log = (work / "wall.log").open("wb")
        started = time.time()
        entry = [sys.executable, "-m", "bench.memprobe", *probe, "--"] if probe else [str(BIN / "cockpit")]
        wall = subprocess.Popen(
            [
                *entry, "--backend", f"ws://127.0.0.1:{port}", "--kiosk", "--lang", "zh_CN",
                "--metrics", str(metrics_port), "--data-dir", str(work / "data"), "--record", str(work / "rec"),
            ],
            stdout=wall_log,
            stderr=subprocess.STDOUT,
            env=dict(env, **x.env()),
        )  # fmt: skip
        wall_log.close()
        crashed = ""
        try:
            while time.time() - started < duration_s:
                time.sleep(sample_s)
                if wall.poll() is not None:
                    crashed = f"the wall exited with status {wall.returncode}"
                    break
                t = time.time() - started
                row: dict[str, Any] = {"t": t, "rss_mib": rss_mib(wall.pid), "load1": os.getloadavg()[0]}
                try:
                    m = scrape(metrics_port)
                    row.update(
                        p99_ms=m.get('cockpit_frame_interval_seconds{quantile="0.99"}', float("nan")) * 1000,
                        max_ms=m.get('cockpit_frame_interval_seconds{quantile="1"}', float("nan")) * 1000,
                        live=m.get("cockpit_link_up", 0.0),
                        data_age_s=m.get("cockpit_data_age_seconds", float("nan")),
                        reconnects=m.get("cockpit_reconnects_total", 0.0),
                        frames=m.get("cockpit_frames_total", 0.0),
                    )
                except OSError as exc:
                    row["scrape_error"] = str(exc)
                samples.append(row)
                if out is not None:
                    out.write_text(json.dumps({"samples": samples}, indent=1))
                print(json.dumps(row), flush=True)
        finally:
            stop_status = None
            if wall.poll() is None:
                wall.send_signal(signal.SIGTERM)
                try:
                    stop_status = wall.wait(60)
                except subprocess.TimeoutExpired:
                    wall.kill()
                    crashed = crashed or "the wall did not stop within 60 s of SIGTERM"
            backend.send_signal(signal.SIGTERM)
            backend.wait(30)
    log_text = (work / "wall.log").read_text(errors="replace")
    warm = [s for s in samples if s["t"] >= (min(600.0, duration_s / 6) if warmup_s is None else warmup_s)]
    last_hour = [s for s in warm if s["t"] >= samples[-1]["t"] - 3600] if samples else []
    fit = fit_slope([s["t"] for s in warm], [s["rss_mib"] for s in warm])
    loads = [s["load1"] for s in samples]
    p99 = [s["p99_ms"] for s in samples if "p99_ms" in s and s["t"] >= 60]
    result = {
        "duration_s": samples[-1]["t"] if samples else 0.0,
        "rate": rate,
        "screens": screens,
        "rss_start_mib": samples[0]["rss_mib"] if samples else float("nan"),
        "rss_warm_mib": warm[0]["rss_mib"] if warm else float("nan"),
        "rss_end_mib": samples[-1]["rss_mib"] if samples else float("nan"),
        "rss_slope_mib_per_h": fit["slope_mib_per_h"],
        "rss_slope_se_mib_per_h": fit["slope_se_mib_per_h"],
        "rss_slope_ci95_mib_per_h": fit["slope_ci95_mib_per_h"],
        "rss_slope_measurable": fit["slope_measurable"],
        "rss_slope_samples": fit["slope_n"],
        "rss_slope_samples_effective": fit["slope_n_eff"],
        "rss_warm_span_mib": (max(s["rss_mib"] for s in warm) - min(s["rss_mib"] for s in warm)) if warm else 0.0,
        "rss_last_hour_change_mib": (last_hour[-1]["rss_mib"] - last_hour[0]["rss_mib"]) if last_hour else 0.0,
        "load1_median": float(np.median(loads)) if loads else float("nan"),
        "load1_max": float(max(loads)) if loads else float("nan"),
        "frame_p99_ms_median": float(np.median(p99)) if p99 else float("nan"),
        "frame_p99_ms_worst": float(max(p99)) if p99 else float("nan"),
        "not_live_samples": sum(1 for s in samples if s.get("live", 0) < 1 and s["t"] >= 30),
        "reconnects": samples[-1].get("reconnects", 0.0) if samples else 0.0,
        "frames": samples[-1].get("frames", 0.0) if samples else 0.0,
        "crashed": crashed,
        "stop_status": stop_status,
        "tracebacks": len(re.findall(r"Traceback|CRITICAL", log_text)),
        "work": str(work),
    }
    if out is not None:
        out.write_text(json.dumps({"result": result, "samples": samples}, indent=1))
    return result


def run(quick: bool) -> dict[str, dict[str, float]]:
    r = soak(120.0 if quick else 3600.0, 4900.0, 5, 5.0 if quick else 30.0, None)
    return {
        "wall-soak": {
            k: float(v) if v is not None else float("nan")
            for k, v in r.items()
            if isinstance(v, int | float) or v is None
        }
        | {"crashed": float(bool(r["crashed"]))}
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.wall_soak", description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=float, default=3600.0, help="seconds (default: an hour)")
    p.add_argument("--rate", type=float, default=4900.0, help="sensor values a second (default: 4,900)")
    p.add_argument("--screens", type=int, default=5, help="monitors (default: 5, one per runway)")
    p.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    p.add_argument("--out", type=Path, help="write the samples and the result here (JSON), as it goes")
    p.add_argument("--warmup", type=float, help="seconds left out of the slope (default: 600)")
    p.add_argument(
        "--probe",
        metavar="ARGS",
        help="run the wall inside bench.memprobe with these arguments, e.g. 'probe.jsonl --tracemalloc --every 60'",
    )
    p.add_argument(
        "--wall-env", action="append", default=[], metavar="NAME=VALUE", help="environment for the wall (repeat)"
    )
    args = p.parse_args(argv)
    r = soak(
        args.duration,
        args.rate,
        args.screens,
        args.sample,
        args.out,
        probe=args.probe.split() if args.probe else None,
        warmup_s=args.warmup,
        env_extra=dict(e.split("=", 1) for e in args.wall_env),
    )
    print(json.dumps(r, indent=1))
    return 1 if r["crashed"] or r["stop_status"] != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
