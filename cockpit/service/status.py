"""``cockpit status [--data-dir DIR] [--json]``: is the wall running, live, and how has it been?

Reads the status file the running wall rewrites every 2 s and the run log (cockpit/service/health.py,
cockpit/service/runs.py); no Qt, no display, no network: it works over SSH on a wall machine. Exit
status, as systemd's and LSB's ``status`` verbs do it:

- 0: running and live;
- 1: running, but the link is not live (connecting, resyncing, stale, offline);
- 2: the status file has not been rewritten for over 10 s: the wall is hung (its watchdog will
  restart it) or was killed;
- 3: not running.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import msgspec
import platformdirs

from cockpit.service.health import RUNS_FILE, STATUS_EVERY_S, HealthSample, read_status
from cockpit.service.runs import RunsFile, read_runs

SERVICE_DATA_DIR = Path("/var/lib/cockpit/wall")
"""The data folder of the wall service (packaging/linux/cockpit-wall.service)."""
STALE_AFTER_S = 5 * STATUS_EVERY_S

EXIT_LIVE, EXIT_NOT_LIVE, EXIT_STALE, EXIT_NOT_RUNNING = 0, 1, 2, 3


def candidate_dirs(requested: Path | None) -> list[Path]:
    """Where to look: ``--data-dir``; else this user's data folder, then the wall service's."""
    if requested is not None:
        return [requested]
    return [platformdirs.user_data_path("cockpit", appauthor=False), SERVICE_DATA_DIR]


def _alive(pid: int) -> bool | None:
    """Whether ``pid`` runs (None: cannot tell on this platform)."""
    if sys.platform == "win32":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ago(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _clock(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


def describe(sample: HealthSample | None, runs: RunsFile, now: float) -> tuple[int, list[str]]:
    """The exit status and the lines ``cockpit status`` prints."""
    current = runs.current
    running = current is not None and _alive(current.pid) is not False
    if not running or sample is None:
        lines = ["cockpit: not running"]
        code = EXIT_NOT_RUNNING
        if current is not None:
            lines[0] += f" (run {current.pid} of {_clock(current.started)} did not stop in order)"
    else:
        age = now - sample.time
        lines = [
            f"cockpit: running, pid {sample.pid}, up {_ago(now - sample.started)} (since {_clock(sample.started)})"
            + (", kiosk" if sample.kiosk else "")
        ]
        if age > STALE_AFTER_S:
            code = EXIT_STALE
            lines.append(
                f"status   NOT RESPONDING: the GUI thread last reported {_ago(age)} ago; "
                "the watchdog restarts a hung wall"
            )
        else:
            code = EXIT_LIVE if sample.link == "live" else EXIT_NOT_LIVE
        if sample.link == "live":
            lines.append(f"link     live: {sample.url}")
        else:
            since = (
                f" since {_clock(sample.offline_since)} ({_ago(now - sample.offline_since)})"
                if sample.offline_since
                else ""
            )
            lines.append(f"link     {sample.link.upper()}{since}: {sample.link_detail}")
        if sample.data_age_s is not None:
            lines.append(f"data     newest value {sample.data_age_s:.1f} s old")
        if sample.frame_p99_ms is not None:
            lines.append(
                f"frames   p99 {sample.frame_p99_ms:.1f} ms, p50 {sample.frame_p50_ms or 0:.1f} ms, "
                f"longest {sample.frame_max_ms or 0:.0f} ms over the last minute ({sample.frames:,} frames)"
            )
        if sample.first_live_frame_s is not None:
            lines.append(f"start    first live frame {sample.first_live_frame_s:.2f} s after the start")
        lines.append(f"links    {sample.reconnects} reconnections")
        lines.append(
            f"outbox   {sample.outbox_commands} commands (limit {sample.outbox_command_limit}), "
            f"{sample.outbox_audits} audit records (limit {sample.outbox_audit_limit})"
        )
        if sample.recording:
            lines.append(f"record   on, {sample.recording_disk_bytes / 1e9:.2f} GB in {sample.recording_dir}")
        else:
            lines.append(f"record   OFF{': ' + sample.recording_error if sample.recording_error else ''}")
        if sample.rss_bytes is not None:
            lines.append(f"memory   {sample.rss_bytes / 2**20:.0f} MiB resident")
        lines += [f"problem  {p}" for p in sample.problems]
    last = runs.last
    ended = ""
    if last is not None and last.ending is not None:
        ended = f"; the last run ended {last.ending.value} at {_clock(last.ended or last.started)}"
        if last.detail:
            ended += f" ({last.detail})"
    lines.append(
        f"restarts {runs.watchdog_restarts} by the watchdog, {runs.unclean_exits} unclean, "
        f"{runs.starts} starts{ended}"
    )
    return code, lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="cockpit status", description="Is the wall running and live?")
    p.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=f"the wall's data folder (default: this user's, then the service's {SERVICE_DATA_DIR})",
    )
    p.add_argument("--json", action="store_true", help="print the newest health sample as JSON")
    args = p.parse_args(argv)
    folders = candidate_dirs(args.data_dir)
    folder = next((f for f in folders if (f / RUNS_FILE).exists()), folders[0])
    sample = read_status(folder)
    runs = read_runs(folder / RUNS_FILE)
    code, lines = describe(sample, runs, time.time())
    if args.json:
        print(
            msgspec.json.format(msgspec.json.encode({"exit": code, "sample": sample, "runs": runs}).decode())
        )
    else:
        print("\n".join(lines))
        print(f"(from {folder})")
    return code
