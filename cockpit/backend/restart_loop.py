"""Kill and restart a demo backend on the same port and state, again and again (issue 8, "Faults").

A restart here is a crash: connections are dropped without a closing handshake
(:meth:`DemoBackend.stop` with ``abort=True``). The new :class:`DemoBackend` serves the same
:class:`~cockpit.backend.city.City`, hence the same hub, epoch and stream logs, on the same port:
a district backend that restarts with its state persisted. Clients must resume where they stopped,
losing and duplicating nothing (protocol §4.2).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from cockpit.backend.server import DemoBackend


@dataclass
class RestartLoop:
    """Owns the current backend and replaces it with a fresh server on each :meth:`restart`.

    Args:
        backend: A started backend; its city, port and settings are kept across restarts.
    """

    backend: DemoBackend
    restarts: int = 0

    async def restart(self, down_s: float = 0.0, advance_s: float = 0.0) -> DemoBackend:
        """Abort the backend, stay down ``down_s`` seconds, and start a new one on the same port.

        Args:
            down_s: Real seconds with nothing listening (clients see refused connections).
            advance_s: Simulated seconds the city moves on while down (its world goes on).

        Returns:
            The new backend (also :attr:`backend`).
        """
        old = self.backend
        port, city = old.port, old.city
        running = old.running
        await old.stop(abort=True)
        if down_s > 0:
            await asyncio.sleep(down_s)
        if advance_s > 0:
            city.advance(advance_s)
        new = DemoBackend(
            city,
            heartbeat_ms=old.heartbeat_ms,
            speed=old.speed,
            max_frame_bytes=old.max_frame_bytes,
            server_id=old.server_id,
        )
        new.running = running
        await new.start(port=port)
        self.backend = new
        self.restarts += 1
        return new

    async def run(self, times: int, up_s: float, down_s: float = 0.0) -> None:
        """Restart ``times`` times, each after ``up_s`` seconds of service."""
        for _ in range(times):
            await asyncio.sleep(up_s)
            await self.restart(down_s)
