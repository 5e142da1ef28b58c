"""Start the demo's cameras for a demo city: the RTSP server and the catalog (docs/video.md)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from cockpit.backend.cameras.catalog import CREDENTIAL, mounts
from cockpit.backend.cameras.rtsp import CameraServerError, DemoCameraServer, unavailable
from cockpit.backend.city import City

log = logging.getLogger(__name__)

USER = "demo"


@dataclass(slots=True)
class DemoCameras:
    """The running demo cameras and the credential the wall needs (made for this run)."""

    server: DemoCameraServer | None
    user: str = USER
    password: str = field(default="", repr=False)
    credential: str = CREDENTIAL
    error: str = ""
    """Why there are no cameras (GStreamer missing, the server would not start)."""

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def start_demo_cameras(city: City) -> DemoCameras:
    """Serve the demo cameras on loopback and publish their catalog in ``city``. Never raises: a
    machine without GStreamer gets a city without cameras and the reason in :attr:`DemoCameras.error`."""
    why = unavailable()
    if why:
        log.error("demo cameras: not started: %s", why)
        return DemoCameras(None, error=why)
    password = secrets.token_urlsafe(18)
    server = DemoCameraServer(mounts(), user=USER, password=password)
    try:
        server.start()
    except CameraServerError as exc:
        log.error("demo cameras: not started: %s", exc)
        return DemoCameras(None, error=str(exc))
    city.add_cameras(server.base_url, credential=CREDENTIAL)
    return DemoCameras(server, USER, password)
