"""``cockpit supervise [options] -- [COMMAND] ARGS``: keep the wall running where there is no systemd.

On Linux, systemd restarts the wall (packaging/linux/cockpit-wall.service). Windows has no service
manager for a program with windows on the desktop: a scheduled task at the kiosk user's logon
(packaging/windows/cockpit.nsi) runs ``cockpit supervise -- --kiosk``, and this loop starts the wall,
starts it again whenever it ends (crashed, killed, or ended by its own watchdog because its GUI
thread was stuck: the supervisor passes ``COCKPIT_WATCHDOG_S``), and stops it in order when the
supervisor itself is asked to stop (Ctrl-Break / SIGTERM / SIGINT are passed on, then it waits).

``ARGS`` that begin with an option are the cockpit's own (``-- --kiosk``); otherwise the first word is
the command to run. A wall that keeps ending within a minute of its start is restarted after 1, 2, 4
… seconds, at most 30 s apart; a wall that ran longer is restarted after 1 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType

from cockpit.service.signals import stop_signals

log = logging.getLogger("cockpit.supervise")

DEFAULT_WATCHDOG_S = 30.0


class RestartPolicy:
    """How long to wait before the next start (sans-I/O: the caller says how long the last run lasted).

    Args:
        delay_s: The first delay, and the delay after a run that lasted ``healthy_after_s``.
        max_delay_s: The longest delay of a crash loop.
        healthy_after_s: A run this long was not a crash loop.
    """

    def __init__(
        self, delay_s: float = 1.0, max_delay_s: float = 30.0, healthy_after_s: float = 60.0
    ) -> None:
        self.delay_s = delay_s
        self.max_delay_s = max_delay_s
        self.healthy_after_s = healthy_after_s
        self.quick_ends = 0

    def next_delay(self, ran_s: float) -> float:
        """The wait before starting again after a run of ``ran_s`` seconds."""
        if ran_s >= self.healthy_after_s:
            self.quick_ends = 0
        delay = min(self.max_delay_s, self.delay_s * 2.0**self.quick_ends)
        self.quick_ends += 1
        return delay


def wall_command(args: Sequence[str]) -> list[str]:
    """The command to supervise: ``args`` itself, or this cockpit with ``args`` if they are options."""
    if args and not args[0].startswith("-"):
        return list(args)
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its executable is the cockpit
        return [sys.executable, *args]
    return [sys.executable, "-m", "cockpit.app.main", *args]


class Supervisor:
    """Runs ``command`` again and again until :meth:`stop`.

    Args:
        command: What to run.
        policy: When to run it again.
        watchdog_s: Passed to the child as ``COCKPIT_WATCHDOG_S`` (its in-process watchdog), unless
            the environment already sets it; 0: off.
        stop_timeout_s: How long a stopping child may take before it is killed.
    """

    def __init__(
        self,
        command: list[str],
        policy: RestartPolicy | None = None,
        watchdog_s: float = DEFAULT_WATCHDOG_S,
        stop_timeout_s: float = 30.0,
    ) -> None:
        self.command = command
        self.policy = policy or RestartPolicy()
        self.watchdog_s = watchdog_s
        self.stop_timeout_s = stop_timeout_s
        self.starts = 0
        self.child: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("COCKPIT_WATCHDOG_S", f"{self.watchdog_s:g}")
        env["COCKPIT_SUPERVISED"] = "1"
        return env

    def run(self) -> int:
        """Supervise until stopped; returns the last child's exit status (0 after an orderly stop)."""
        code = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            self.starts += 1
            # Windows: its own process group, so that Ctrl-Break reaches it alone (stop()).
            flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if sys.platform == "win32" else 0
            log.info("starting the wall (start %d): %s", self.starts, " ".join(self.command))
            try:
                self.child = subprocess.Popen(self.command, env=self.env(), creationflags=flags)
            except OSError as exc:
                log.critical("cannot start the wall: %s", exc)
                return 127
            code = self._wait(self.child)
            ran = time.monotonic() - started
            if self._stopping.is_set():
                break
            delay = self.policy.next_delay(ran)
            log.error(
                "the wall ended after %.0f s with status %s%s: starting it again in %.0f s",
                ran,
                code,
                " (its watchdog: the GUI thread was stuck)" if code == 70 else "",
                delay,
            )
            self._stopping.wait(delay)
        return code if code is not None else 0

    def _wait(self, child: subprocess.Popen[bytes]) -> int:
        while True:
            try:
                return child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue

    def stop(self) -> None:
        """Stop the child in order (as SIGTERM or Ctrl-Break would), and stop restarting it."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        child = self.child
        if child is None or child.poll() is not None:
            return
        log.info("stopping the wall (pid %d)", child.pid)
        if sys.platform == "win32":
            child.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            child.send_signal(signal.SIGTERM)
        threading.Thread(target=self._kill_later, args=(child,), daemon=True).start()

    def _kill_later(self, child: subprocess.Popen[bytes]) -> None:
        try:
            child.wait(timeout=self.stop_timeout_s)
        except subprocess.TimeoutExpired:
            log.error("the wall did not stop within %.0f s: killing it", self.stop_timeout_s)
            child.kill()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    own, sep, rest = (
        (argv[: argv.index("--")], True, argv[argv.index("--") + 1 :]) if "--" in argv else (argv, False, [])
    )
    p = argparse.ArgumentParser(
        prog="cockpit supervise",
        description="Run the wall, and run it again whenever it ends (for Windows, or anywhere without systemd).",
        epilog="Example: cockpit supervise -- --kiosk   (everything after -- is the wall's command line)",
    )
    p.add_argument(
        "--watchdog-s", type=float, default=DEFAULT_WATCHDOG_S, help="the wall's watchdog (0: off)"
    )
    p.add_argument("--restart-delay", type=float, default=1.0, help="first wait before a restart, in s")
    p.add_argument("--max-delay", type=float, default=30.0, help="longest wait in a crash loop, in s")
    p.add_argument("--stop-timeout", type=float, default=30.0, help="how long the wall may take to stop")
    args = p.parse_args(own)
    if not sep:
        rest = ["--kiosk"]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    supervisor = Supervisor(
        wall_command(rest),
        RestartPolicy(args.restart_delay, args.max_delay),
        watchdog_s=args.watchdog_s,
        stop_timeout_s=args.stop_timeout,
    )

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.warning("%s received: stopping the wall", signal.Signals(signum).name)
        supervisor.stop()

    for sig in stop_signals():
        signal.signal(sig, on_signal)
    return supervisor.run()
