"""A fault-injection TCP proxy between a cockpit and its backend (issue 8, "Faults").

The cockpit connects to the proxy instead of the backend; the proxy opens one backend connection per
cockpit connection and copies bytes both ways, untouched (websocket frames, or TLS records), unless a
fault is switched on. Faults, each switchable at any time from a test (async methods) or from the
command line (``python -m cockpit.backend.faultproxy --listen P --target URL``, then type ``help``):

- **delay**: hold every chunk for a fixed time before passing it on (per direction);
- **stall**: stop forwarding in both directions, new connections included, but keep every socket open,
  so the cockpit sees silence rather than a closed link; :meth:`FaultProxy.resume` lets the held
  bytes through in order;
- **cut**: abort every current connection on both sides (TCP RST, no websocket closing handshake);
- **half-open**: stop reading from one side only (the other direction keeps flowing), or shut one
  direction down with a FIN while the other stays open;
- **throttle**: limit the bandwidth of a direction to a number of bytes a second;
- **refuse**: accept and at once abort new connections (a link that is up but a backend that is not);
- **reorder**, at the websocket frame level only, because TCP delivers the bytes of one connection in
  order and shuffling bytes would only corrupt the framing. Two kinds are possible without breaking
  the websocket layer, both on the backend → cockpit direction, whose frames are unmasked:

  * :meth:`FaultProxy.swap_next_frames`: the next two whole data frames of a connection are delivered
    in swapped order (a later batch arrives before an earlier one: the session sees a broken ``prev``
    chain, asks for a resync and must still apply every message once);
  * :meth:`FaultProxy.capture_frames` then :meth:`FaultProxy.replay_on_next_connection`: copies of
    frames from one connection are delivered again on the next connection, after newer frames (stale
    data from a dead link turning up late: the session must drop it as duplicates).

  Delaying one direction relative to the other (``delay`` with a direction) is the third kind:
  commands and their answers, or heartbeats and data, then cross in a different order.

Frame-level faults need plain ``ws://`` to the backend (a ``wss://`` byte stream is opaque); every
byte-level fault works on both.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import enum
import logging
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
"""Bytes read at a time; also the unit a throttle or delay works on."""


class Direction(enum.Enum):
    """Which way bytes flow through the proxy."""

    UP = "up"
    """Cockpit → backend (hello, subscriptions, commands, client heartbeats)."""
    DOWN = "down"
    """Backend → cockpit (welcome, data, acks, heartbeats)."""


BOTH = (Direction.UP, Direction.DOWN)


class FrameSplitter:
    """Splits the backend → cockpit byte stream into its HTTP upgrade response and websocket frames.

    Server frames are unmasked (RFC 6455 §5.1), so a frame's length is in its first 2-10 bytes.
    Anything before the end of the upgrade response is passed on as one unit. If the response is not
    a ``101`` upgrade, the splitter gives up and passes bytes through as they come.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self._in_handshake = True
        self._opaque = False

    def feed(self, data: bytes) -> list[tuple[bytes, bool]]:
        """Take bytes; return whole units as ``(bytes, is_data_frame)``, keeping any partial frame."""
        if self._opaque:
            return [(data, False)]
        self._buf += data
        out: list[tuple[bytes, bool]] = []
        if self._in_handshake:
            end = self._buf.find(b"\r\n\r\n")
            if end < 0:
                return out
            head = bytes(self._buf[: end + 4])
            del self._buf[: end + 4]
            out.append((head, False))
            self._in_handshake = False
            if b" 101 " not in head.split(b"\r\n", 1)[0]:
                self._opaque = True
                if self._buf:
                    out.append((bytes(self._buf), False))
                    self._buf.clear()
                return out
        while True:
            size = self._frame_size()
            if size is None or len(self._buf) < size:
                return out
            frame = bytes(self._buf[:size])
            del self._buf[:size]
            opcode = frame[0] & 0x0F
            fin = bool(frame[0] & 0x80)
            out.append((frame, fin and opcode in (0x1, 0x2)))

    def _frame_size(self) -> int | None:
        buf = self._buf
        if len(buf) < 2:
            return None
        length = buf[1] & 0x7F
        header = 2
        if length == 126:
            if len(buf) < 4:
                return None
            length, header = int.from_bytes(buf[2:4], "big"), 4
        elif length == 127:
            if len(buf) < 10:
                return None
            length, header = int.from_bytes(buf[2:10], "big"), 10
        if buf[1] & 0x80:
            header += 4  # a masked frame (never from a server, but do not lose the framing)
        return header + length

    def rest(self) -> bytes:
        """Bytes of an unfinished frame, to flush when the stream ends."""
        rest, self._buf = bytes(self._buf), bytearray()
        return rest


@dataclass
class _Faults:
    """The switches, shared by every connection; read on every chunk."""

    delay_s: dict[Direction, float] = field(default_factory=lambda: dict.fromkeys(BOTH, 0.0))
    rate_bps: dict[Direction, float] = field(default_factory=lambda: dict.fromkeys(BOTH, 0.0))
    paused: dict[Direction, bool] = field(default_factory=lambda: dict.fromkeys(BOTH, False))
    stalled: bool = False
    refuse: bool = False


@dataclass
class _Pipe:
    """One direction of one connection: a reader task, a queue, a writer task."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    direction: Direction
    queue: asyncio.Queue[tuple[float, bytes] | None] = field(default_factory=asyncio.Queue)
    splitter: FrameSplitter | None = None
    held: bytes | None = None  # a frame held back by a swap until the next one passes it
    bytes: int = 0
    frames: int = 0


class Link:
    """One proxied connection: a cockpit socket, a backend socket and the two pipes between them."""

    def __init__(
        self,
        proxy: FaultProxy,
        number: int,
        client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        server: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        frame_aware: bool,
    ) -> None:
        self.proxy, self.number = proxy, number
        self.up = _Pipe(client[0], server[1], Direction.UP)
        self.down = _Pipe(
            server[0], client[1], Direction.DOWN, splitter=FrameSplitter() if frame_aware else None
        )
        self.closed = asyncio.Event()
        self.swap_armed = False
        self.capture_left = 0
        self.captured: list[bytes] = []
        self.inject: list[bytes] = []
        self.inject_after = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._writers_done = 0

    def start(self) -> None:
        for pipe in (self.up, self.down):
            self._tasks.append(
                asyncio.create_task(self._read(pipe), name=f"proxy-{self.number}-{pipe.direction.value}-r")
            )
            self._tasks.append(
                asyncio.create_task(self._write(pipe), name=f"proxy-{self.number}-{pipe.direction.value}-w")
            )

    def abort(self) -> None:
        """Drop both sockets at once (RST), like a cable pulled or a NAT entry lost."""
        for pipe in (self.up, self.down):
            pipe.writer.transport.abort()
        for task in self._tasks:
            task.cancel()
        self.closed.set()

    async def wait_stopped(self) -> None:
        """Wait until the link's tasks are gone (after :meth:`abort`)."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def shut(self, direction: Direction) -> None:
        """Send a FIN in ``direction`` only: that receiver sees the end of the stream, the other
        direction stays open (a half-closed TCP connection)."""
        pipe = self.up if direction is Direction.UP else self.down
        with contextlib.suppress(OSError, RuntimeError):
            if pipe.writer.can_write_eof():
                pipe.writer.write_eof()

    async def _gate(self, direction: Direction) -> None:
        faults = self.proxy.faults
        while faults.stalled or faults.paused[direction]:
            await self.proxy.changed.wait()

    async def _read(self, pipe: _Pipe) -> None:
        try:
            while True:
                await self._gate(pipe.direction)
                data = await pipe.reader.read(CHUNK)
                if not data:
                    break
                now = time.monotonic()
                for unit in self._units(pipe, data):
                    pipe.queue.put_nowait((now, unit))
        except (ConnectionError, OSError):
            pass
        finally:
            if pipe.held is not None:
                pipe.queue.put_nowait((time.monotonic(), pipe.held))
                pipe.held = None
            if pipe.splitter is not None and (rest := pipe.splitter.rest()):
                pipe.queue.put_nowait((time.monotonic(), rest))
            pipe.queue.put_nowait(None)

    def _units(self, pipe: _Pipe, data: bytes) -> list[bytes]:
        """The chunk as units to forward, after the frame-level faults had their say."""
        if pipe.splitter is None:
            return [data]
        out: list[bytes] = []
        for unit, is_data in pipe.splitter.feed(data):
            if not is_data:
                out.append(unit)
                continue
            pipe.frames += 1
            if self.capture_left > 0:
                self.captured.append(unit)
                self.capture_left -= 1
            if self.swap_armed and pipe.held is None:
                pipe.held = unit  # released right after the next data frame
                continue
            out.append(unit)
            if pipe.held is not None:
                out.append(pipe.held)
                pipe.held = None
                self.swap_armed = False
            if self.inject and pipe.frames >= self.inject_after:
                out.extend(self.inject)
                self.inject = []
        return out

    async def _write(self, pipe: _Pipe) -> None:
        faults = self.proxy.faults
        try:
            while True:
                item = await pipe.queue.get()
                if item is None:
                    self.shut(pipe.direction)
                    break
                read_at, unit = item
                await self._gate(pipe.direction)
                delay = read_at + faults.delay_s[pipe.direction] - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                pipe.writer.write(unit)
                await pipe.writer.drain()
                pipe.bytes += len(unit)
                rate = faults.rate_bps[pipe.direction]
                if rate > 0:
                    await asyncio.sleep(len(unit) / rate)
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers_done += 1
            if self._writers_done == 2:
                for p in (self.up, self.down):
                    p.writer.close()
                self.closed.set()


class FaultProxy:
    """A TCP proxy from ``listen_host:listen_port`` to ``target``, with faults to switch on.

    Args:
        target: The backend, as ``ws://host:port`` / ``wss://host:port`` or ``host:port``.
        listen_host: Where the cockpit connects.
        listen_port: 0 picks a free port (see :attr:`port` after :meth:`start`).
        frame_aware: Parse the backend's websocket frames, which frame-level reordering needs; off
            for ``wss://`` targets, whose bytes are opaque.
    """

    def __init__(
        self,
        target: str,
        listen_host: str = "127.0.0.1",
        listen_port: int = 0,
        frame_aware: bool | None = None,
    ) -> None:
        parts = urlsplit(target if "://" in target else f"tcp://{target}")
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"target {target!r} needs a host and a port, like ws://127.0.0.1:8765")
        self.target_host, self.target_port = parts.hostname, parts.port
        self.scheme = "wss" if parts.scheme == "wss" else "ws"
        self.listen_host, self.port = listen_host, listen_port
        self.frame_aware = parts.scheme != "wss" if frame_aware is None else frame_aware
        self.faults = _Faults()
        self.changed = asyncio.Event()
        self.links: list[Link] = []
        self.accepted = 0
        self.refused = 0
        self._replay: deque[bytes] = deque()
        self._replay_after = 0
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """The URL the cockpit should use instead of the backend's (TLS passes through: the
        cockpit still speaks ``wss`` to a ``wss`` backend, through the proxy)."""
        return f"{self.scheme}://{self.listen_host}:{self.port}"

    @property
    def live_links(self) -> list[Link]:
        return [link for link in self.links if not link.closed.is_set()]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, self.listen_host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info(
            "fault proxy on %s:%d -> %s:%d", self.listen_host, self.port, self.target_host, self.target_port
        )

    async def stop(self) -> None:
        """Stop listening and drop every connection."""
        if self._server is not None:
            self._server.close()
        links = self.links
        self.cut()
        for link in links:
            await link.wait_stopped()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    # ------------------------------------------------------------------------------ faults

    def _notify(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()  # waiters woke on the old one; later ones wait on this

    def set_delay(self, seconds: float, *directions: Direction) -> None:
        """Hold every chunk ``seconds`` before passing it on (both directions unless named)."""
        for d in directions or BOTH:
            self.faults.delay_s[d] = max(0.0, seconds)
        self._notify()

    def throttle(self, bytes_per_s: float, *directions: Direction) -> None:
        """Limit bandwidth to ``bytes_per_s`` (0: unlimited), both directions unless named."""
        for d in directions or BOTH:
            self.faults.rate_bps[d] = max(0.0, bytes_per_s)
        self._notify()

    def stall(self) -> None:
        """Stop forwarding everything, on every connection, and keep the sockets open."""
        self.faults.stalled = True
        self._notify()

    def resume(self) -> None:
        """End a stall and every half-open pause; held bytes go on in order."""
        self.faults.stalled = False
        self.faults.paused = dict.fromkeys(BOTH, False)
        self._notify()

    def half_open(self, direction: Direction) -> None:
        """Stop reading in ``direction`` only; the other direction keeps flowing."""
        self.faults.paused[direction] = True
        self._notify()

    def shut(self, direction: Direction) -> None:
        """Close ``direction`` of every current connection with a FIN; the other stays open."""
        for link in self.live_links:
            link.shut(direction)

    def cut(self) -> int:
        """Abort every current connection (RST on both sides). Returns how many were cut."""
        links = self.live_links
        for link in links:
            link.abort()
        return len(links)

    def refuse(self, on: bool = True) -> None:
        """Abort new connections as soon as they are accepted (while ``on``)."""
        self.faults.refuse = on

    def clear(self) -> None:
        """Switch every fault off (connections stay as they are)."""
        self.faults = _Faults()
        self._notify()

    def swap_next_frames(self) -> None:
        """Deliver the next two whole backend data frames of the newest connection in swapped order.

        Raises:
            RuntimeError: there is no live connection, or the proxy does not see frames.
        """
        self._newest(frames=True).swap_armed = True

    def capture_frames(self, n: int) -> Link:
        """Copy the next ``n`` backend data frames of the newest connection (they still go through)."""
        link = self._newest(frames=True)
        link.capture_left = n
        return link

    def replay_on_next_connection(self, frames: list[bytes], after: int = 3) -> None:
        """Deliver ``frames`` again on the next new connection, after its first ``after`` data frames."""
        self._replay = deque(frames)
        self._replay_after = after

    def _newest(self, frames: bool) -> Link:
        links = self.live_links
        if not links:
            raise RuntimeError("no live connection through the proxy")
        if frames and not self.frame_aware:
            raise RuntimeError("frame-level faults need a plain ws:// target")
        return links[-1]

    # ------------------------------------------------------------------------------ plumbing

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.faults.refuse:
            self.refused += 1
            writer.transport.abort()
            return
        try:
            server = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError as exc:
            log.info("fault proxy: backend %s:%d unreachable: %s", self.target_host, self.target_port, exc)
            writer.transport.abort()
            return
        self.accepted += 1
        link = Link(self, self.accepted, (reader, writer), server, self.frame_aware)
        if self._replay:
            link.inject, link.inject_after = list(self._replay), self._replay_after
            self._replay.clear()
        self.links = [*self.live_links, link]
        link.start()

    def status(self) -> str:
        f = self.faults
        return (
            f"{len(self.live_links)} live of {self.accepted} accepted, {self.refused} refused; "
            f"stalled={f.stalled} refuse={f.refuse} "
            f"delay up/down={f.delay_s[Direction.UP]:g}/{f.delay_s[Direction.DOWN]:g} s "
            f"throttle up/down={f.rate_bps[Direction.UP]:g}/{f.rate_bps[Direction.DOWN]:g} B/s "
            f"paused up/down={f.paused[Direction.UP]}/{f.paused[Direction.DOWN]}"
        )


# ---------------------------------------------------------------------------------- command line

HELP = """commands (directions: up = cockpit->backend, down = backend->cockpit; none = both):
  stall | resume | cut | refuse on|off | clear
  delay SECONDS [up|down]      throttle BYTES_PER_S [up|down]   (0 switches off)
  half-open up|down            shut up|down
  swap                         (next two backend data frames of the newest connection swapped)
  status | help | quit"""


def _directions(args: list[str]) -> tuple[Direction, ...]:
    return tuple(Direction(a) for a in args)


def apply_command(proxy: FaultProxy, line: str) -> str:
    """Run one command line against ``proxy``; returns what to print.

    Raises:
        ValueError: the command or its arguments are not understood (the message says which).
    """
    words = line.split()
    if not words:
        return ""
    cmd, args = words[0], words[1:]
    try:
        if cmd == "stall":
            proxy.stall()
        elif cmd == "resume":
            proxy.resume()
        elif cmd == "cut":
            return f"cut {proxy.cut()} connection(s)"
        elif cmd == "refuse":
            proxy.refuse(args[:1] != ["off"])
        elif cmd == "clear":
            proxy.clear()
        elif cmd == "delay":
            proxy.set_delay(float(args[0]), *_directions(args[1:]))
        elif cmd == "throttle":
            proxy.throttle(float(args[0]), *_directions(args[1:]))
        elif cmd == "half-open":
            proxy.half_open(Direction(args[0]))
        elif cmd == "shut":
            proxy.shut(Direction(args[0]))
        elif cmd == "swap":
            proxy.swap_next_frames()
        elif cmd == "status":
            pass
        elif cmd == "help":
            return HELP
        else:
            raise ValueError(f"unknown command {cmd!r}; type help")
    except IndexError:
        raise ValueError(f"{cmd}: missing argument; type help") from None
    except RuntimeError as exc:
        raise ValueError(f"{cmd}: {exc}") from None
    return proxy.status()


async def _main(args: argparse.Namespace) -> None:
    proxy = FaultProxy(args.target, args.host, args.listen)
    await proxy.start()
    if args.delay:
        proxy.set_delay(args.delay)
    if args.throttle:
        proxy.throttle(args.throttle)
    print(f"fault proxy: connect the cockpit to {proxy.url} (backend {args.target}); type help", flush=True)
    cutter = asyncio.create_task(_cut_every(proxy, args.cut_every)) if args.cut_every else None
    try:
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line or line.strip() == "quit":
                break
            try:
                print(apply_command(proxy, line), flush=True)
            except ValueError as exc:
                print(f"error: {exc}", flush=True)
    finally:
        if cutter is not None:
            cutter.cancel()
        await proxy.stop()


async def _cut_every(proxy: FaultProxy, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        print(f"cut {proxy.cut()} connection(s)", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m cockpit.backend.faultproxy",
        description="A fault-injection TCP proxy between a cockpit and its backend.",
    )
    parser.add_argument("--listen", type=int, default=8766, help="port the cockpit connects to")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--target", required=True, help="the backend, e.g. ws://127.0.0.1:8765")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to hold every chunk")
    parser.add_argument("--throttle", type=float, default=0.0, help="bytes a second, each way")
    parser.add_argument("--cut-every", type=float, default=0.0, help="cut every connection this often (s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args))


if __name__ == "__main__":
    main()
