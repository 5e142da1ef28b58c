"""A watchdog inside the process: a thread that ends the process when the GUI thread stops beating.

systemd's watchdog (``WatchdogSec=``, :mod:`cockpit.service.notify`) restarts a wall whose frame loop
stopped pinging it. This thread does the same job where there is no systemd (Windows, ``cockpit
supervise``) and, under systemd, does it first (its timeout is shorter) so that the hang is
*explained*: before the process ends it writes every thread's stack to a report file and counts the
restart (:mod:`cockpit.service.runs`), so ``cockpit status`` and the metrics say that the watchdog
restarted the wall, and the report says where the GUI thread was stuck. systemd's own watchdog stays
as the backstop for a hang that holds the interpreter lock (this thread cannot run then).

The GUI thread's part is :meth:`HangWatchdog.beat`, one attribute store per frame.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

EXIT_HUNG = 70
"""The exit status of a wall ended by its own watchdog (EX_SOFTWARE): the service manager restarts it."""


class HangWatchdog:
    """Calls ``on_hang`` once if :meth:`beat` is not called for ``timeout_s``.

    Args:
        timeout_s: How long the watched thread may be silent.
        on_hang: Called on the watchdog's thread with the seconds of silence; it normally ends the
            process (:func:`end_hung_process`).
        poll_s: How often the thread looks (default: a tenth of the timeout, at most 1 s).
        clock: Monotonic seconds (tests pass their own).
    """

    def __init__(
        self,
        timeout_s: float,
        on_hang: Callable[[float], None],
        *,
        poll_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError(f"the watchdog timeout must be positive, not {timeout_s}")
        self.timeout_s = timeout_s
        self.on_hang = on_hang
        self.poll_s = poll_s if poll_s is not None else min(1.0, timeout_s / 10)
        self.clock = clock
        self.fired = False
        self._last = clock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self, now: float | None = None) -> None:
        """The watched thread is alive (call it from that thread's loop, e.g. every frame)."""
        self._last = self.clock() if now is None else now

    def silent_s(self) -> float:
        return self.clock() - self._last

    def start(self) -> None:
        if self._thread is None:
            self._last = self.clock()
            self._thread = threading.Thread(target=self._run, name="hang-watchdog", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop watching (an orderly quit stops the frame loop first: that is not a hang)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None

    def check(self) -> bool:
        """Look once; call ``on_hang`` (once) if the silence is over the timeout. Returns whether it fired."""
        silent = self.silent_s()
        if self.fired or silent <= self.timeout_s:
            return False
        self.fired = True
        self.on_hang(silent)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.poll_s):
            if self.check():
                return


def end_hung_process(
    silent_s: float, report: Path | None, before_exit: Callable[[], None] | None = None
) -> None:
    """Write every thread's stack to ``report``, run ``before_exit``, and end the process with
    :data:`EXIT_HUNG` (no clean-up can run: the GUI thread is stuck; the outbox and audit log are
    journals whose lines are already written)."""
    log.critical(
        "the GUI thread has not run for %.1f s: ending the process so that it is restarted", silent_s
    )
    if report is not None:
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            with report.open("w", encoding="utf-8") as f:
                f.write(
                    f"cockpit watchdog: the GUI thread was silent for {silent_s:.1f} s at {time.ctime()}\n"
                )
                f.write(
                    f"pid {os.getpid()}; every thread's stack follows (the main thread is the GUI thread)\n\n"
                )
                f.flush()
                faulthandler.dump_traceback(f, all_threads=True)
            log.critical("stacks of the hung process: %s", report)
        except OSError as exc:
            log.critical("cannot write the hang report %s: %s", report, exc)
    if before_exit is not None:
        try:
            before_exit()
        except Exception:  # the exit must happen whatever the bookkeeping does
            log.exception("watchdog: bookkeeping before the exit failed")
    for handler in logging.getLogger().handlers:
        with contextlib.suppress(Exception):  # exiting anyway
            handler.flush()
    os._exit(EXIT_HUNG)
