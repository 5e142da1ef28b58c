"""The demo backend embedded in the cockpit, on a thread with its own asyncio loop.

The simulation then never costs the GUI thread a tick; the cockpit talks to it over a real loopback
websocket exactly as it would to a district backend.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from cockpit.backend.cameras.demo import DemoCameras, start_demo_cameras
from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend, now_ms
from cockpit.backend.streams import Hub
from cockpit.protocol import jwt_tokens
from cockpit.protocol.admission import Limits
from cockpit.protocol.jwt_tokens import Jwks
from cockpit.protocol.tokens import Claims, new_token_id
from cockpit.video.urls import CameraSecrets, Credential

log = logging.getLogger(__name__)

PREWARM_S = 175.0


def with_demo_cameras(secrets: CameraSecrets, cams: DemoCameras | None) -> CameraSecrets:
    """``secrets`` plus the credential of the demo cameras, when they are serving."""
    if cams is None or cams.server is None:
        return secrets
    return CameraSecrets(
        {**secrets.credentials, cams.credential: Credential(cams.user, cams.password)}, secrets.path
    )


class EmbeddedBackend:
    """Runs :class:`DemoBackend` on a daemon thread.

    Args:
        seed: Simulation seed.
        rate: Sensor updates per second.
        speed: Simulated seconds per real second.

        cameras: Serve the demo cameras over RTSP on loopback (cockpit/backend/cameras); their
            credential is in :attr:`cameras`.
        events_per_min: Background events per simulated minute (the city's ``event_rate``).
        tokens: Check tokens like a real backend, with a signing key made for this run alone (the
            backend gets only its public half, as a district server does); the
            cockpit gets its operator's token from :meth:`issue`, so the demo needs no setup
            (docs/operations.md). Off: trust the hello (tests that dial it with their own clients).
    """

    def __init__(
        self,
        seed: int = 1,
        rate: float = 2000.0,
        speed: float = 1.0,
        tokens: bool = False,
        cameras: bool = False,
        events_per_min: float = 6.0,
        risk_points: int = 20_000,
    ) -> None:
        self.seed, self.rate, self.speed, self.tokens = seed, rate, speed, tokens
        self.events_per_min = events_per_min
        self.cameras_wanted = cameras
        self.cameras: DemoCameras | None = None
        """The demo's cameras (RTSP on loopback) and their credential, when ``cameras``."""
        self.risk_points = risk_points
        """Points of the city's risk layer: the demo's 330,000 (``cockpit --demo``), fewer in tests."""
        self.url = ""
        self.key = jwt_tokens.new_private_key("EdDSA")
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="demo-backend", daemon=True)

    def start(self, timeout: float = 60.0) -> str:
        """Start and return the websocket URL (the city's pre-warm and the demo cameras took more
        than 10 s on a loaded two-core machine: a slow start is not a failed one).

        ``timeout`` covers the cameras' RTSP server (up to 20 s) and the city's pre-warm: on a loaded
        machine (load average 29 on 2 cores) the 10 s this once waited was not enough.

        Raises:
            RuntimeError: the backend did not come up.
        """
        self._thread.start()
        if not self._ready.wait(timeout) or self.error is not None or not self.url:
            why = repr(self.error) if self.error is not None else f"not ready within {timeout:.0f} s"
            raise RuntimeError(f"embedded demo backend did not start: {why}")
        return self.url

    def issue(self, operator: str, role: str, hours: float = 24.0) -> str:
        """A token (a JWT) for ``operator`` in ``role``, signed with this run's key."""
        now = int(time.time())
        claims = Claims(operator, role, (), now, now + int(hours * 3600), new_token_id())
        return jwt_tokens.issue(self.key, claims, "embedded-demo")

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=5)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the starter, never silent
            self.error = exc
            log.exception("embedded demo backend failed")
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        city = City(
            Hub(), seed=self.seed, rate=self.rate, event_rate=self.events_per_min, risk_points=self.risk_points
        )
        # Start the scenario clock some minutes in, so the first screen already tells a story.
        city.time_origin_ms = now_ms() - int(PREWARM_S * 1000)
        if self.cameras_wanted:  # first: the alarms of the pre-warm name the cameras that see them
            self.cameras = start_demo_cameras(city)
        city.advance(PREWARM_S)
        verifier = Jwks({"keys": [jwt_tokens.public_of(self.key)]}) if self.tokens else None
        backend = DemoBackend(city, speed=self.speed, verifier=verifier, limits=Limits())
        await backend.start()
        self.url = backend.url
        self._ready.set()
        await self._stop.wait()
        await backend.stop()
        if self.cameras is not None:
            self.cameras.stop()
