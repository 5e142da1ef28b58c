"""The systemd notification protocol, sd_notify(3): one datagram of ``KEY=value`` lines.

A service of ``Type=notify`` gets ``$NOTIFY_SOCKET`` (a path, or ``@name`` in the abstract namespace)
and, with ``WatchdogSec=``, ``$WATCHDOG_USEC`` (and ``$WATCHDOG_PID``). It says ``READY=1`` once it
is up, ``WATCHDOG=1`` more often than every ``WATCHDOG_USEC`` (systemd kills and restarts it
otherwise), ``STOPPING=1`` when it begins an orderly stop, and ``STATUS=...`` for ``systemctl status``.

Written here rather than taken from a library: the protocol is one ``sendto`` on an ``AF_UNIX``
datagram socket. ``systemd-python`` needs libsystemd and a compiler at install time (and would have to
go into the PyInstaller bundle); the ``sdnotify`` package has not been released since 2017 and does
not read ``WATCHDOG_USEC``. This module is tested against a real socket (tests/service/test_notify.py).

The caller passes time in; nothing here reads a clock.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class Notifier:
    """Sends notifications to the service manager's socket.

    Args:
        address: ``$NOTIFY_SOCKET`` as systemd gives it (``/run/...`` or ``@abstract``).
        watchdog_s: The watchdog period (``$WATCHDOG_USEC`` in seconds), or ``None`` if there is none.
    """

    def __init__(self, address: str, watchdog_s: float | None = None) -> None:
        if not address or address[0] not in "/@":
            raise ValueError(f"NOTIFY_SOCKET must be a path or @name, not {address!r}")
        self.address = "\0" + address[1:] if address[0] == "@" else address
        self.watchdog_s = watchdog_s
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)  # type: ignore[attr-defined,unused-ignore]
        self._sock.setblocking(False)  # never wait on the manager from the GUI thread
        self._last_ping = -1e18
        self.failures = 0
        self.sent = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Notifier | None:
        """The notifier systemd asked for, or ``None`` (not started by systemd, or not ``Type=notify``).

        ``$WATCHDOG_USEC`` counts only if ``$WATCHDOG_PID`` is unset or this process.
        """
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        if not address or not hasattr(socket, "AF_UNIX"):
            return None
        watchdog_s: float | None = None
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        if usec.isdigit() and int(usec) > 0 and (not pid or pid == str(os.getpid())):
            watchdog_s = int(usec) / 1e6
        try:
            return cls(address, watchdog_s)
        except ValueError as exc:
            log.error("service manager: %s; not notifying it", exc)
            return None

    def notify(self, **fields: str) -> bool:
        """Send ``KEY=value`` lines in one datagram; returns whether it went (a failure is logged once)."""
        payload = "\n".join(f"{k}={v}" for k, v in fields.items()).encode()
        try:
            self._sock.sendto(payload, self.address)
        except OSError as exc:  # the manager went away, or its queue is full: never fatal
            if not self.failures:
                log.error("cannot notify the service manager at %r: %s", self.address, exc)
            self.failures += 1
            return False
        self.sent += 1
        return True

    def ready(self, status: str = "") -> bool:
        """Startup is complete (``Type=notify``: systemd counts the unit as started from here)."""
        return self.notify(READY="1", **({"STATUS": status} if status else {}))

    def stopping(self, status: str = "") -> bool:
        """An orderly stop has begun."""
        return self.notify(STOPPING="1", **({"STATUS": status} if status else {}))

    def status(self, text: str) -> bool:
        """One line for ``systemctl status``."""
        return self.notify(STATUS=text)

    def watchdog(self, now: float) -> bool:
        """Ping the watchdog if half its period has passed since the last ping (``now``: monotonic s).

        Call it from the loop whose liveness it proves (the wall's frame timer), as often as it runs:
        at most two datagrams per period go out. Returns whether one was sent.
        """
        if self.watchdog_s is None or now - self._last_ping < self.watchdog_s / 2:
            return False
        self._last_ping = now
        return self.notify(WATCHDOG="1")

    def close(self) -> None:
        self._sock.close()
