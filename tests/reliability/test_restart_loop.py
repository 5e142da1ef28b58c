"""A backend crash (:meth:`RestartLoop.restart`) must drop every connection, even one whose handshake
finishes while the crash is under way (issue 8, "Faults").

Found while chasing the reconnect hang of docs/reliability.md: ``DemoBackend.stop(abort=True)``
aborted the clients it knew, then let websockets close the listening socket in a task of its own.
A handshake that the loop finished between the two was answered ``101``, became a client after the
aborts, and was served by a backend that had "crashed"; ``wait_closed()`` waited for it, so the
restart never ended. The interleaving is forced here on one loop, without timing: the upgrade
request is already in the backend's socket when the restart begins.
"""

from __future__ import annotations

import asyncio
import base64
import os

from cockpit.backend.restart_loop import RestartLoop
from tests.helpers import wait_until
from tests.reliability.harness import make_backend, make_city

HANG_S = 30.0
"""Not a speed limit: how long to wait before calling the restart hung (it takes milliseconds)."""


def upgrade_request(port: int) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (
        f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


async def read_to_end(reader: asyncio.StreamReader) -> bytes:
    """Everything the backend sends until it drops the connection (EOF or reset)."""
    chunks: list[bytes] = []
    try:
        while chunk := await reader.read(65536):
            chunks.append(chunk)
    except ConnectionError:
        pass
    return b"".join(chunks)


def test_a_handshake_finishing_during_the_crash_is_dropped_and_the_restart_ends() -> None:
    async def main() -> None:
        backend = make_backend(make_city(seed=3))
        await backend.start()
        restarts = RestartLoop(backend)
        server = backend._server
        assert server is not None
        reader, writer = await asyncio.open_connection("127.0.0.1", backend.port)
        try:
            # The backend accepted the connection; its handshake now waits for the request.
            await wait_until(lambda: len(server.handler_tasks) == 1, what="connection accepted")
            for _ in range(10):
                await asyncio.sleep(0)
            restart = asyncio.create_task(restarts.restart())
            writer.write(upgrade_request(backend.port))  # read by the backend as the crash begins
            try:
                status = await asyncio.wait_for(reader.readuntil(b"\r\n"), HANG_S)
            except (asyncio.IncompleteReadError, ConnectionError):
                status = b""  # dropped before any answer: what a crash does too
            if status.startswith(b"HTTP/1.1 503"):
                writer.transport.abort()  # refused while shutting down: a client gives up at once
            done, _ = await asyncio.wait([restart], timeout=HANG_S)
            assert done, (
                f"the restart hung: the backend answered {status!r} during the crash and still serves "
                f"{len(server.connections)} connection(s)"
            )
            new = restart.result()
            assert new is restarts.backend and new.port == backend.port and restarts.restarts == 1
            assert not server.connections and not backend.clients, "a crash leaves no connection open"
            if status.startswith(b"HTTP/1.1 101"):
                # Upgraded just before the crash: then the crash dropped it like the others.
                await asyncio.wait_for(read_to_end(reader), HANG_S)
            else:
                assert status == b"" or status.startswith(b"HTTP/1.1 503"), status
        finally:
            writer.transport.abort()
            await restarts.backend.stop()

    asyncio.run(main())
