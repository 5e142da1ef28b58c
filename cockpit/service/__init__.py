"""Running the wall unattended: the service manager, the watchdog, clean stops and health (no Qt).

- :mod:`~cockpit.service.notify`: the systemd notification protocol (``READY=1``, ``WATCHDOG=1``).
- :mod:`~cockpit.service.watchdog`: a thread that ends a process whose GUI thread stopped beating.
- :mod:`~cockpit.service.signals`: SIGTERM, SIGINT (and SIGHUP, SIGBREAK) as an orderly quit on the loop.
- :mod:`~cockpit.service.runs`: how earlier runs ended (clean, crashed, hung), kept across restarts.
- :mod:`~cockpit.service.health`: one sample of the wall's health, the status file and frame times.
- :mod:`~cockpit.service.metrics`: the opt-in Prometheus endpoint.
- :mod:`~cockpit.service.status`: ``cockpit status``.
- :mod:`~cockpit.service.supervisor`: ``cockpit supervise``, the restart loop where there is no systemd.
- :mod:`~cockpit.service.display`: screen blanking and power saving off while the wall runs.

Exceptions: :class:`ServiceError` (a file or an endpoint that cannot be used).
"""

from __future__ import annotations


class ServiceError(Exception):
    """Something the service layer was asked to use cannot be used (the message says what and why)."""


__all__ = ["ServiceError"]
