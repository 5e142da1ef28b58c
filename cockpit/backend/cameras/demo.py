"""Start the demo's cameras for a demo city: the RTSP server and the catalog (docs/video.md).

The server and the catalog are two steps, so that one camera server can outlive the cities it
serves: a drill's sandbox is replaced when the trainer starts another drill, while the cameras go
on (cockpit/record/drill.py, cockpit/app/drill_mode.py).
"""

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

    @property
    def running(self) -> bool:
        return self.server is not None

    def publish(self, city: City) -> bool:
        """Put the cameras' catalog into ``city`` (from then on its events name the cameras that
        see them); False, with nothing published, when the server is not running."""
        if self.server is None:
            return False
        city.add_cameras(self.server.base_url, credential=self.credential)
        return True

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def new_password() -> str:
    """A password for the demo cameras, made for one run."""
    return secrets.token_urlsafe(18)


def serve_demo_cameras(password: str = "") -> DemoCameras:
    """Start the demo cameras' RTSP server on loopback, with ``password`` (default: one made for
    this run). Never raises: on a machine without GStreamer the reason is in
    :attr:`DemoCameras.error`."""
    password = password or new_password()
    why = unavailable()
    if why:
        log.error("demo cameras: not started: %s", why)
        return DemoCameras(None, password=password, error=why)
    server = DemoCameraServer(mounts(), user=USER, password=password)
    try:
        server.start()
    except CameraServerError as exc:
        log.error("demo cameras: not started: %s", exc)
        return DemoCameras(None, password=password, error=str(exc))
    return DemoCameras(server, USER, password)


def start_demo_cameras(city: City) -> DemoCameras:
    """Serve the demo cameras on loopback and publish their catalog in ``city``. Never raises: a
    machine without GStreamer gets a city without cameras and the reason in :attr:`DemoCameras.error`."""
    cams = serve_demo_cameras()
    cams.publish(city)
    return cams
