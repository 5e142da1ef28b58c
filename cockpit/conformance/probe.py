"""A raw protocol v1 connection for the conformance checks: send what a check says, record every frame.

It does not use the cockpit's client session: frames are decoded as plain MessagePack, so the checks
see exactly what the server sent (a wrong type stays wrong, an unknown key stays visible).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import websockets
from websockets.asyncio.client import ClientConnection, connect

from cockpit.conformance import ConformanceError

TRANSPORT_MAX = 16 * 1024 * 1024
"""The probe's WebSocket size limit: far above any announced limit, so an oversized frame is seen
(and judged) instead of closing the connection."""


class ProbeError(ConformanceError):
    """A connection did not do what a check needed (closed, no answer in time, not MessagePack)."""


@dataclass(slots=True)
class Frame:
    """One frame received: when (monotonic s), its size, and its messages (None: not MessagePack)."""

    at: float
    size: int
    messages: list[Any] | None
    text: bool = False


@dataclass(slots=True)
class Closed:
    """How the connection ended: the server's close code (None: no close frame) and when."""

    code: int | None
    reason: str
    at: float


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def data_messages(frames: list[Frame]) -> list[dict[str, Any]]:
    """Every message that has a ``stream`` and a ``seq``, in arrival order."""
    return [
        m for f in frames for m in (f.messages or []) if isinstance(m, dict) and "seq" in m and "stream" in m
    ]


@dataclass
class Probe:
    """One connection to the server under test.

    Args:
        url: ``ws://`` or ``wss://``.
        ssl_context: For ``wss://``.
        heartbeat_ms: How often to send ``hb`` while :attr:`beating` (the client's duty, §6).
    """

    url: str
    ssl_context: ssl.SSLContext | None = None
    heartbeat_ms: int = 1000
    frames: list[Frame] = field(default_factory=list)
    closed: Closed | None = None
    beating: bool = True
    welcome: dict[str, Any] | None = None
    _ws: ClientConnection | None = None
    _reader: asyncio.Task[None] | None = None
    _beater: asyncio.Task[None] | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def open(self, timeout_s: float = 10.0) -> None:
        """Open the WebSocket (no protocol message yet).

        Raises:
            ProbeError: the server cannot be reached.
        """
        try:
            self._ws = await connect(
                self.url,
                compression=None,
                max_size=TRANSPORT_MAX,
                proxy=None,
                ping_interval=None,
                open_timeout=timeout_s,
                close_timeout=2,
                ssl=self.ssl_context if self.url.startswith("wss:") else None,
            )
        except (OSError, websockets.InvalidHandshake, websockets.InvalidURI, TimeoutError) as exc:
            raise ProbeError(f"cannot connect to {self.url}: {exc or type(exc).__name__}") from None
        self._reader = asyncio.create_task(self._read())
        self._beater = asyncio.create_task(self._beat())

    async def _read(self) -> None:
        ws = self._ws
        assert ws is not None
        try:
            async for data in ws:
                raw = data.encode() if isinstance(data, str) else data
                try:
                    decoded = msgspec.msgpack.decode(raw)
                    messages = decoded if isinstance(decoded, list) else None
                except (msgspec.DecodeError, UnicodeDecodeError):
                    messages = None
                self.frames.append(Frame(time.monotonic(), len(raw), messages, isinstance(data, str)))
                self._arrived.set()
        except websockets.ConnectionClosed:
            pass
        rcvd = ws.protocol.close_rcvd
        self.closed = Closed(rcvd.code if rcvd else None, rcvd.reason if rcvd else "", time.monotonic())
        self._arrived.set()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_ms * 0.9 / 1000)
            if self.beating and self.closed is None and self.welcome is not None:
                with contextlib.suppress(websockets.ConnectionClosed, ProbeError):
                    await self.send({"t": "hb", "ts": now_ms()})

    async def send(self, *messages: Any) -> None:
        """Send ``messages`` as one frame.

        Raises:
            ProbeError: the connection is closed.
        """
        await self.send_raw(msgspec.msgpack.encode(list(messages)))

    async def send_raw(self, data: bytes | str) -> None:
        if self._ws is None:
            raise ProbeError("not connected")
        try:
            await self._ws.send(data)
        except websockets.ConnectionClosed:
            raise ProbeError(f"the server closed the connection ({self.close_text()})") from None

    def close_text(self) -> str:
        if self.closed is None:
            return "still open"
        return f"close {self.closed.code} {self.closed.reason!r}" if self.closed.code else "no close frame"

    def messages(self, start: int = 0) -> list[Any]:
        """Decoded messages of frames from index ``start`` on."""
        return [m for f in self.frames[start:] for m in (f.messages or [])]

    async def wait_for(
        self, match: Callable[[Any], bool], timeout_s: float, start: int = 0, what: str = "a message"
    ) -> Any:
        """The first message from frame ``start`` on that ``match`` accepts.

        Raises:
            ProbeError: none within ``timeout_s``, or the connection closed first.
        """
        deadline = time.monotonic() + timeout_s
        while True:
            for m in self.messages(start):
                if match(m):
                    return m
            if self.closed is not None:
                raise ProbeError(f"waiting for {what}: the connection ended ({self.close_text()})")
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProbeError(f"no {what} within {timeout_s:g} s")
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._arrived.wait()

    async def wait_closed(self, timeout_s: float) -> Closed | None:
        """Wait until the server closes (None: still open after ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while self.closed is None and time.monotonic() < deadline:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(deadline - time.monotonic()):
                    await self._arrived.wait()
        return self.closed

    async def hello(
        self,
        token: str = "",
        role: str = "operator",
        v: int = 1,
        operator: str = "conformance",
        timeout_s: float = 5.0,
    ) -> dict[str, Any]:
        """Say hello; the server's answer (``welcome`` or ``refused``).

        Raises:
            ProbeError: no answer in time.
        """
        start = len(self.frames)
        hello: dict[str, Any] = {
            "t": "hello",
            "v": v,
            "client_id": "cockpit-conformance",
            "operator": operator,
            "role": role,
            "client_time": now_ms(),
        }
        if token:
            hello["token"] = token
        await self.send(hello)
        answer: dict[str, Any] = await self.wait_for(
            lambda m: isinstance(m, dict) and m.get("t") in ("welcome", "refused"),
            timeout_s,
            start,
            "welcome or refused",
        )
        if answer.get("t") == "welcome":
            self.welcome = answer
            hb = answer.get("heartbeat_ms")
            if isinstance(hb, int) and hb >= 50:
                self.heartbeat_ms = hb
        return answer

    async def close(self, code: int = 1000) -> None:
        for task in (self._beater, self._reader):
            if task is not None and task is not self._reader:
                task.cancel()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(3):
                    await self._ws.close(code, "conformance check done")
        if self._reader is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(3):
                    await self._reader
            self._reader.cancel()

    def abort(self) -> None:
        """Drop the TCP connection without a close frame (a cut)."""
        if self._ws is not None:
            self._ws.transport.abort()
