"""The one asyncio connection loop both servers run around the sans-I/O server core.

:func:`serve` moves bytes between a websocket and a :class:`~cockpit.protocol.server.ServerProtocol`
and hands the core's events to the server's :class:`DataSource`: the demo backend
(:mod:`cockpit.backend.server`) and the NATS gateway (:mod:`cockpit.backend.gateway.server`) differ
only in where their data comes from. One reader task takes frames; one sender task does all the
writing: it wakes when the reader took a frame, when the data source published something, and every
quarter heartbeat interval, then collects new data, lets the core's clock tick and sends what it
queued. When the core sets a close code, the sender sends the last frames (a refusal) and closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Protocol

import websockets
from websockets.asyncio.server import ServerConnection

from cockpit.protocol.server import (
    ClientProblem,
    Closing,
    CommandReceived,
    ServerEvent,
    ServerProtocol,
    SubscriptionRequested,
)

log = logging.getLogger(__name__)

CLOSE_TIMEOUT_S = 2.0
"""How long a close waits for the client's closing handshake before dropping the connection."""


def now_ms() -> int:
    """The servers' clock: wall-clock ms (welcome ``server_time`` and every ``ts``, §3.2)."""
    return time.time_ns() // 1_000_000


class DataSource(Protocol):
    """What a server brings to the loop: its data, and its answers to subscriptions and commands."""

    @property
    def stalled(self) -> bool:
        """Test hook: while true, nothing is sent, not even heartbeats."""
        ...

    async def on_subscription(self, core: ServerProtocol, request: SubscriptionRequested) -> None:
        """Answer with ``core.resume`` or ``core.snapshot`` (§4.2)."""
        ...

    def on_command(self, core: ServerProtocol, received: CommandReceived, wake: asyncio.Event) -> None:
        """Apply a command and ``core.acknowledge`` it, now or later (then set ``wake``)."""
        ...

    def on_event(self, core: ServerProtocol, event: ServerEvent) -> None:
        """Everything else the core reports (welcomes, refused commands, audit records, problems)."""
        ...


class Connection:
    """One client: its websocket, its core, and the event that wakes its sender."""

    def __init__(self, ws: ServerConnection, core: ServerProtocol, wake: asyncio.Event) -> None:
        self.ws = ws
        self.core = core
        self.wake = wake

    @property
    def operator(self) -> str:
        return self.core.operator

    @property
    def role(self) -> str:
        return self.core.role


async def serve(conn: Connection, source: DataSource) -> None:
    """Run one connection to its end; the core's admission counts are released at the end."""
    sender = asyncio.create_task(_send_loop(conn, source), name="sender")
    try:
        await _read_loop(conn, source)
    except websockets.ConnectionClosed:
        pass
    finally:
        if conn.core.close_code is not None and not sender.done():
            # The server is closing: let the sender finish its last frames and the close.
            with contextlib.suppress(TimeoutError, websockets.ConnectionClosed):
                async with asyncio.timeout(CLOSE_TIMEOUT_S + 1):
                    await asyncio.shield(sender)
        await stop_task(sender)
        conn.core.connection_lost()


async def stop_task(task: asyncio.Task[None]) -> None:
    """Cancel ``task`` and wait until it has ended, cancelling again if something swallowed the
    first cancellation (a timeout expiring at the same moment can, on Python 3.11)."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.5)
    if not task.cancelled():
        exc = task.exception()
        if exc is not None and not isinstance(exc, websockets.ConnectionClosed):
            log.error("connection task %s failed", task.get_name(), exc_info=exc)


async def _read_loop(conn: Connection, source: DataSource) -> None:
    """Read until the connection is closed, whoever closes it. After the core has decided to close,
    frames are still read (and the core ignores them): a client's answer to the close must get
    through at once, or the closing handshake would wait its timeout behind a flood's backlog."""
    core = conn.core
    async for data in conn.ws:
        if core.close_code is not None:
            continue
        core.receive_data(data if isinstance(data, bytes) else data.encode(), now_ms())
        await _dispatch(conn, source)
        conn.wake.set()
        await asyncio.sleep(0)  # a client whose frames are all buffered must not hog the loop


async def _dispatch(conn: Connection, source: DataSource) -> None:
    for event in conn.core.events_received():
        if isinstance(event, SubscriptionRequested):
            await source.on_subscription(conn.core, event)
        elif isinstance(event, CommandReceived):
            source.on_command(conn.core, event, conn.wake)
        else:
            if isinstance(event, ClientProblem):
                log.warning("client frame dropped: %s: %s", event.problem.value, event.detail)
            elif isinstance(event, Closing):
                level = logging.INFO if event.code < 4008 else logging.WARNING
                log.log(level, "closing %s with %d: %s", conn.operator or "a client", event.code, event.reason)
            source.on_event(conn.core, event)


async def _send_loop(conn: Connection, source: DataSource) -> None:
    core, ws = conn.core, conn.ws
    quarter = core.config.heartbeat_ms / 4000
    while True:
        with contextlib.suppress(TimeoutError):
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation.
            async with asyncio.timeout(quarter):
                await conn.wake.wait()
        me = asyncio.current_task()
        if me is not None and me.cancelling():
            raise asyncio.CancelledError  # a cancellation that met the timeout's expiry
        conn.wake.clear()
        if source.stalled and core.close_code is None:
            continue
        core.collect()
        core.tick(now_ms())
        await _dispatch(conn, source)  # a tick may close (silent client)
        for frame in core.data_to_send(now_ms()):
            await ws.send(frame)
        if core.close_code is not None:
            code, reason = core.close_code
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CLOSE_TIMEOUT_S):
                    await ws.close(code, reason)
            ws.transport.abort()  # a client that never answers the close does not hold the server
            return


__all__ = ["Connection", "DataSource", "now_ms", "serve", "stop_task"]
