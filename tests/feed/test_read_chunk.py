"""The feed reads its socket in 1 MiB chunks (fewer wakeups through Qt's event loop)."""

from __future__ import annotations

import asyncio

import websockets
from websockets.asyncio.server import serve

from cockpit.feed.client import READ_CHUNK_BYTES, set_read_chunk


def test_a_websocket_transport_reads_in_larger_chunks_and_other_transports_are_left_alone() -> None:
    async def main() -> None:
        async def echo(ws: websockets.ServerConnection) -> None:
            async for message in ws:
                await ws.send(message)

        async with serve(echo, "127.0.0.1", 0, max_size=4 * READ_CHUNK_BYTES) as server:
            port = server.sockets[0].getsockname()[1]
            async with websockets.connect(f"ws://127.0.0.1:{port}", proxy=None, max_size=None) as ws:
                default = ws.transport.max_size  # type: ignore[attr-defined]
                set_read_chunk(ws.transport)
                assert default < READ_CHUNK_BYTES == ws.transport.max_size  # type: ignore[attr-defined]
                payload = bytes(3 * READ_CHUNK_BYTES // 2)  # more than one read, still whole
                await ws.send(payload)
                assert await ws.recv() == payload

    asyncio.run(main())
    pipe = asyncio.BaseTransport()  # no max_size: nothing to set, nothing raised
    set_read_chunk(pipe)
    assert not hasattr(pipe, "max_size")
