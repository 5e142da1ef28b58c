"""``restart``: how fast the wall is live again after ``kill -9``, and after a long backend outage.

``cockpit-bench restart`` (or ``python -m bench.restart [--kills N] [--outage S]``):

- **kill -9 → first live frame.** A ``cockpit-backend`` process and the wall under ``cockpit
  supervise --restart-delay 1 --max-delay 1`` (the service manager: systemd cannot run on this
  machine; 1 s is the unit's ``RestartSec``, with no crash-loop back-off, as systemd's), recording and
  kiosk as in service. Once it is live the cockpit is killed
  with SIGKILL; the time from the kill to the restarted process's first live frame (its status file:
  start time + first live frame) is measured, ``--kills`` times.
- **outage → live.** The backend is stopped (SIGTERM) for ``--outage`` seconds (default 600; an hour
  with ``--outage 3600``) and started again on the same port (a new epoch, as a backend that lost its
  state); the time from its return to the wall's metrics saying live again, polled every 0.1 s, and
  the wall's resident memory at the start and end of the outage. The reconnect backoff is capped
  at 8 s (cockpit/feed/client.py ``Backoff``): after the first minute of an outage every retry is at
  most 8 s apart, so a longer outage ends no later.

Everything runs offscreen unless ``QT_QPA_PLATFORM``/``DISPLAY`` say otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.wall_soak import free_port, rss_mib
from cockpit.service.health import read_status

BIN = Path(sys.executable).parent


def _link_up(metrics_port: int) -> bool:
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=1).read().decode()
    except OSError:
        return False
    return "\ncockpit_link_up 1.0" in text


def _backend(port: int, log: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    with log.open("ab") as err:  # the child keeps its own copy
        proc = subprocess.Popen(
            [str(BIN / "cockpit-backend"), "--port", str(port), "--rate", "2000"],
            stdout=subprocess.PIPE, stderr=err, env=env, text=True,
        )  # fmt: skip
    assert proc.stdout is not None
    proc.stdout.readline()  # "cockpit-backend: serving …": it listens
    proc.stdout.close()
    return proc


def _wait(cond: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def measure(kills: int, outage_s: float) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-restart-"))
    env = dict(os.environ, XDG_DATA_HOME=str(work / "xdg"), XDG_CONFIG_HOME=str(work / "cfg"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    port, metrics_port = free_port(), free_port()
    data = work / "data"
    backend = _backend(port, work / "backend.log", env)
    with (work / "wall.log").open("ab") as wall_log:
        sup = subprocess.Popen(
            [str(BIN / "cockpit"), "supervise", "--restart-delay", "1", "--max-delay", "1", "--",
             "--backend", f"ws://127.0.0.1:{port}", "--kiosk", "--screens", "5", "--data-dir", str(data),
             "--record", str(work / "rec"), "--metrics", str(metrics_port)],
            stdout=wall_log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    restarts: list[float] = []
    out: dict[str, Any] = {}
    try:
        status = _wait(lambda: (s := read_status(data)) and s.first_live_frame_s and s, 120, "a live wall")
        out["cold_start_to_live_s"] = status.first_live_frame_s
        for _ in range(kills):
            time.sleep(3)  # a recording segment in progress, the outbox open
            victim = status.pid
            killed_at = time.time()
            os.kill(victim, signal.SIGKILL)
            status = _wait(
                lambda v=victim: (s := read_status(data)) and s.pid != v and s.first_live_frame_s and s,
                120,
                "the restarted wall to be live",
            )
            restarts.append(status.started + status.first_live_frame_s - killed_at)
            print(f"kill -9 → first live frame: {restarts[-1]:.2f} s", flush=True)
        if outage_s > 0:
            _wait(lambda: _link_up(metrics_port), 60, "the link up before the outage")
            wall_pid = read_status(data).pid  # type: ignore[union-attr]
            backend.send_signal(signal.SIGTERM)
            backend.wait(30)
            _wait(lambda: not _link_up(metrics_port), 60, "the wall to notice")
            rss_start = rss_mib(wall_pid)
            print(f"backend down for {outage_s:.0f} s", flush=True)
            time.sleep(outage_s)
            rss_end = rss_mib(wall_pid)
            during = read_status(data)
            assert during is not None
            back_at = time.time()
            backend = _backend(port, work / "backend.log", env)
            _wait(lambda: _link_up(metrics_port), 120, "the wall live after the outage")
            out.update(
                outage_s=outage_s,
                outage_to_live_s=time.time() - back_at,
                outage_rss_start_mib=rss_start,
                outage_rss_end_mib=rss_end,
                outage_status_said=during.link,
                outage_offline_for_s=back_at - during.offline_since if during.offline_since else 0.0,
            )
            print(f"backend back → live: {out['outage_to_live_s']:.2f} s", flush=True)
    finally:
        sup.send_signal(signal.SIGTERM)
        try:
            out["stop_status"] = sup.wait(60)
        except subprocess.TimeoutExpired:
            sup.kill()
        backend.send_signal(signal.SIGTERM)
        backend.wait(30)
    if restarts:
        out.update(
            kills=len(restarts),
            kill9_to_live_median_s=statistics.median(restarts),
            kill9_to_live_max_s=max(restarts),
        )
    out["work"] = str(work)
    return out


def run(quick: bool) -> dict[str, dict[str, float]]:
    r = measure(2 if quick else 5, 60.0 if quick else 600.0)
    return {"restart": {k: float(v) for k, v in r.items() if isinstance(v, int | float)}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.restart", description=__doc__.split("\n")[0])
    p.add_argument("--kills", type=int, default=5, help="kill -9 rounds (default 5)")
    p.add_argument("--outage", type=float, default=600.0, help="backend outage in seconds (0: none)")
    args = p.parse_args(argv)
    print(json.dumps(measure(args.kills, args.outage), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
