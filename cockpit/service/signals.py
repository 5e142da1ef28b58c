"""Stop signals as an orderly quit: SIGTERM (systemd, shutdown, ``kill``), SIGINT (Ctrl-C), SIGHUP
(the terminal went away) and, on Windows, SIGBREAK (Ctrl-Break, what ``cockpit supervise`` sends).

Python runs a signal handler only between bytecodes of the main thread, and the GUI thread may be
asleep inside Qt's event loop. So the handler itself does nothing: :func:`signal.set_wakeup_fd`
makes the C-level handler write the signal's number to a socket the event loop watches
(``loop.add_reader``, which qasync implements with a socket notifier), and the loop calls ``on_quit``
as an ordinary callback, never in the middle of a frame. Where the loop cannot watch a socket
(qasync's Windows loop), the handler schedules ``on_quit`` with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType

log = logging.getLogger(__name__)


def stop_signals() -> list[signal.Signals]:
    """The signals that ask this process to stop, on this platform."""
    names = ["SIGINT", "SIGTERM", "SIGBREAK" if sys.platform == "win32" else "SIGHUP"]
    return [getattr(signal, n) for n in names if hasattr(signal, n)]


class QuitOnSignals:
    """Turns stop signals into ``on_quit(signal name)`` calls on ``loop``; :meth:`close` undoes it.

    Must be made on the main thread (Python's rule for signal handlers).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, on_quit: Callable[[str], None]) -> None:
        self.loop = loop
        self.on_quit = on_quit
        self.received: list[str] = []
        self._old: dict[signal.Signals, object] = {}
        self._old_wakeup = -1
        self._reader: socket.socket | None = None
        self._writer: socket.socket | None = None
        self._watching = False
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        try:
            loop.add_reader(reader.fileno(), self._on_readable)
            self._watching = True
        except NotImplementedError:  # a proactor loop (Windows): the handler schedules the call
            reader.close()
            writer.close()
        else:
            self._reader, self._writer = reader, writer
            self._old_wakeup = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        for sig in stop_signals():
            self._old[sig] = signal.signal(sig, self._handler)

    def _handler(self, signum: int, _frame: FrameType | None) -> None:
        if not self._watching:  # nobody reads the wakeup socket: schedule the quit ourselves
            self.loop.call_soon_threadsafe(self._deliver, signum)
        # Otherwise the byte on the wakeup socket does it (in _on_readable), outside any frame.

    def _on_readable(self) -> None:
        assert self._reader is not None
        try:
            data = self._reader.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        for signum in data:
            self._deliver(signum)

    def _deliver(self, signum: int) -> None:
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        if signum not in [int(s) for s in stop_signals()]:
            return  # another signal's wakeup byte (e.g. SIGCHLD): not ours
        self.received.append(name)
        log.warning("%s received: stopping in order", name)
        self.on_quit(name)

    def close(self) -> None:
        """Give the signals back to their earlier handlers."""
        for sig, old in self._old.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, old)  # type: ignore[arg-type]
        self._old.clear()
        if self._reader is not None:
            with contextlib.suppress(ValueError):
                signal.set_wakeup_fd(self._old_wakeup)
            with contextlib.suppress(Exception):
                self.loop.remove_reader(self._reader.fileno())
            self._reader.close()
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
        self._watching = False
