"""Walls under load: one protocol connection per centre, hundreds per worker process.

A :class:`Wall` is one centre's connection, driven by the protocol's own sans-I/O
:class:`~cockpit.protocol.session.ClientSession` (the core every cockpit runs) with the cockpit's
failover: on a drop it waits the feed's jittered backoff (:class:`cockpit.protocol.link.Backoff`, the same policy as the feed),
takes the next URL of its list and resumes from its cursors (§4.2). Unlike the feed it keeps no
model, outbox or per-connection timer: one ticker per worker sends every wall's heartbeats and
notices silence, so a connection costs a task and a few hundred bytes. Websockets without
compression; each wall connects from its own loopback address (127.x.y.z), as centres do from their
own networks, so a gateway's per-address limit sees one connection per address.

What a wall records: every data seq it is given per stream (in order), the seq of its first
snapshot per stream, later snapshots (a failover that could not resume), the session's gap and
duplicate counters, each time it went down and came back *live* (every stream resumed or
snapshotted), and per delivered message the receive time and the latency from the message's ``ts``
(the publisher's stamp) for the coordinator's percentiles.

A :class:`WallWorker` runs in its own process (:func:`worker_main`), commanded over a pipe by the
scenario (:mod:`cockpit.backend.loadgen.scenario`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from array import array
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import websockets
from websockets.asyncio.client import ClientConnection, connect

from cockpit.backend.loadgen.city import SUBSCRIBED_STREAMS, Centre, SyntheticCity
from cockpit.protocol.events import (
    Connected,
    DataReceived,
    HandshakeRefused,
    SessionEvent,
    SnapshotReceived,
)
from cockpit.protocol.link import Backoff
from cockpit.protocol.messages import DEFAULT_MAX_FRAME_BYTES, Filter
from cockpit.protocol.session import ClientSession, Counters, Cursors, SessionState

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT_MS = 5_000
STALE_RECONNECT_MS = 15_000
"""A connection silent this long is dropped and resumed elsewhere (the feed's default)."""
TICK_S = 0.1


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def local_address(index: int) -> str:
    """Wall ``index``'s own loopback source address (127.1.0.2 onwards; up to 64,000 walls)."""
    return f"127.{1 + index // 64_000}.{(index // 250) % 256}.{2 + index % 250}"


@dataclass(slots=True)
class WallSpec:
    """What a worker needs to open one centre's wall."""

    centre: int
    urls: list[str]


@dataclass(slots=True, eq=False)
class Wall:
    """One centre's connection, with what it received."""

    centre: Centre
    urls: list[str]
    address: str
    cursors: Cursors = field(default_factory=Cursors)
    counters: Counters = field(default_factory=Counters)
    backoff: Backoff = field(default_factory=Backoff)
    session: ClientSession | None = None
    ws: ClientConnection | None = None
    url: str = ""
    url_index: int = 0
    live: bool = False
    down_at: int = 0
    """When it went down (ms); 0 while up or before it first came up."""
    outages: list[tuple[int, int]] = field(default_factory=list)
    """(down, live again) in ms, each time it went down after being live."""
    first_live_ms: int = 0
    seqs: dict[str, array[int]] = field(default_factory=dict)
    first_snapshot: dict[str, int] = field(default_factory=dict)
    resnapshots: int = 0
    refused: str = ""
    flushing: asyncio.Task[None] | None = None

    def received(self, stream: str) -> array[int]:
        got = self.seqs.get(stream)
        if got is None:
            got = self.seqs[stream] = array("q")
        return got


class WallWorker:
    """Holds many walls on one event loop.

    Args:
        walls: The walls.
        ramp_per_s: New connections a second at start (a city's walls do not all start at once).
    """

    def __init__(self, walls: list[Wall], ramp_per_s: float = 100.0, stuck: list[str] | None = None) -> None:
        self.walls = walls
        self.ramp_per_s = ramp_per_s
        self.stuck = stuck or []
        """URLs to hold a stuck wall on each: it subscribes to everything, then never reads again."""
        self.stuck_open = 0
        self.lat_wall = array("i")
        self.lat_recv = array("q")
        self.lat_ms = array("i")
        self._index = {id(w): i for i, w in enumerate(walls)}
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._ticker(), name="ticker"))
        for i, url in enumerate(self.stuck):
            self._tasks.append(asyncio.create_task(self._stuck(url, i), name=f"stuck-{i}"))
        for wall in self.walls:
            self._tasks.append(asyncio.create_task(self._run(wall), name=wall.centre.code))
            await asyncio.sleep(1.0 / self.ramp_per_s)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    # ------------------------------------------------------------------------------ status

    def status(self) -> dict[str, Any]:
        per_url: dict[str, int] = {}
        for w in self.walls:
            if w.live:
                per_url[w.url] = per_url.get(w.url, 0) + 1
        return {
            "walls": len(self.walls),
            "live": sum(w.live for w in self.walls),
            "per_url": per_url,
            "refused": [w.refused for w in self.walls if w.refused][:3],
            "stuck_open": self.stuck_open,
        }

    def caught_up(self, targets: dict[int, dict[str, int]]) -> int:
        """Walls that are live and hold, on every stream, the last message their filter selects
        (``targets``: centre index → stream → that seq)."""
        return sum(w.live and not self._behind(w, targets.get(w.centre.index, {})) for w in self.walls)

    @staticmethod
    def _behind(wall: Wall, target: dict[str, int]) -> dict[str, int]:
        return {s: wall.cursors.get(s).seq for s, seq in target.items() if wall.cursors.get(s).seq < seq}

    def laggards(self, targets: dict[int, dict[str, int]], limit: int = 5) -> list[str]:
        """Up to ``limit`` walls not caught up, described (for a failure message)."""
        out = []
        for w in self.walls:
            target = targets.get(w.centre.index, {})
            behind = self._behind(w, target)
            if behind or not w.live:
                want = {s: target[s] for s in behind}
                out.append(
                    f"{w.centre.code} {'live' if w.live else 'down'} on {w.url} at {behind}, wants {want}"
                )
                if len(out) >= limit:
                    break
        return out

    def report(self) -> dict[str, Any]:
        """Everything recorded, as plain values and numpy arrays (for the pipe)."""
        walls = []
        for w in self.walls:
            walls.append(
                {
                    "centre": w.centre.index,
                    "seqs": {s: np.frombuffer(a, dtype=np.int64).copy() for s, a in w.seqs.items()},
                    "first_snapshot": dict(w.first_snapshot),
                    "resnapshots": w.resnapshots,
                    "gaps": w.counters.gaps,
                    "duplicates": w.counters.duplicates,
                    "reconnects": w.counters.reconnects,
                    "outages": list(w.outages),
                    "first_live_ms": w.first_live_ms,
                    "live": w.live,
                    "refused": w.refused,
                }
            )
        centres = np.array([w.centre.index for w in self.walls], dtype=np.int32)
        return {
            "walls": walls,
            "lat_centre": centres[np.frombuffer(self.lat_wall, dtype=np.int32)]
            if len(self.lat_wall)
            else np.zeros(0, dtype=np.int32),
            "lat_recv": np.frombuffer(self.lat_recv, dtype=np.int64).copy(),
            "lat_ms": np.frombuffer(self.lat_ms, dtype=np.int32).copy(),
        }

    # ------------------------------------------------------------------------------ connections

    async def _run(self, wall: Wall) -> None:
        first = True
        while True:
            if not first:
                wall.counters.reconnects += 1
            first = False
            try:
                await self._connect_once(wall)
            except asyncio.CancelledError:
                raise
            except (OSError, websockets.WebSocketException, TimeoutError) as exc:
                log.debug("%s: %s: %s", wall.centre.code, wall.url, exc)
            except Exception:  # a wall must go on whatever happens; say so loudly
                log.exception("%s: unexpected failure", wall.centre.code)
            finally:
                self._down(wall)
            await asyncio.sleep(wall.backoff.next_delay())
            wall.url_index = (wall.url_index + 1) % len(wall.urls)

    async def _stuck(self, url: str, i: int) -> None:
        """A wall that stops reading once it is subscribed (a hung machine whose TCP stays up): the
        gateway's sends to it block; nobody else may notice (issue 22)."""
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.bind((local_address(64_000 - 1 - i), 0))
        host, port = url.removeprefix("ws://").rsplit(":", 1)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
        session = ClientSession(
            client_id=f"stuck-{i}",
            operator=f"stuck-{i}",
            role="viewer",
            token="",
            subscriptions={s.value: Filter() for s in SUBSCRIBED_STREAMS},
        )
        async with connect(
            url,
            sock=sock,
            max_queue=1,
            compression=None,
            max_size=DEFAULT_MAX_FRAME_BYTES * 2,
            proxy=None,
            ping_interval=None,
        ) as ws:
            session.start(now_ms())
            while not session.subscribed_streams or session.live_streams != session.subscribed_streams:
                for frame in session.data_to_send(now_ms()):
                    await ws.send(frame)
                data = await ws.recv()
                session.receive_data(data if isinstance(data, bytes) else data.encode(), now_ms())
                session.events_received()
            self.stuck_open += 1
            try:
                await ws.wait_closed()  # never reads again: websockets stops reading when its queue is full
            finally:
                self.stuck_open -= 1

    def _down(self, wall: Wall) -> None:
        if wall.session is not None:
            wall.session.close()
        wall.session, wall.ws = None, None
        if wall.live:
            wall.live = False
            wall.down_at = now_ms()

    async def _connect_once(self, wall: Wall) -> None:
        wall.url = wall.urls[wall.url_index]
        session = ClientSession(
            client_id=wall.centre.code,
            operator=wall.centre.code,
            role="viewer",
            token="",
            subscriptions=wall.centre.subscriptions(),
            cursors=wall.cursors,
            counters=wall.counters,
        )
        async with connect(
            wall.url,
            compression=None,
            max_size=DEFAULT_MAX_FRAME_BYTES * 2,
            proxy=None,
            open_timeout=10,
            ping_interval=None,
            close_timeout=1,
            local_addr=(wall.address, 0),
        ) as ws:
            wall.ws, wall.session = ws, session
            session.start(now_ms())
            await self._flush(wall)
            async for data in ws:
                now = now_ms()
                session.receive_data(data if isinstance(data, bytes) else data.encode(), now)
                self._process(wall, session.events_received(), now)
                await self._flush(wall)
                if session.state is SessionState.CLOSED:
                    return

    def _process(self, wall: Wall, events: list[SessionEvent], now: int) -> None:
        w = self._index[id(wall)]
        for ev in events:
            if isinstance(ev, DataReceived):
                for m in ev.messages:
                    wall.received(m.stream).append(m.seq)
                    self.lat_wall.append(w)
                    self.lat_recv.append(now)
                    self.lat_ms.append(now - m.ts)
            elif isinstance(ev, SnapshotReceived):
                if ev.stream in wall.first_snapshot:
                    wall.resnapshots += 1
                    wall.received(ev.stream).append(-ev.seq)  # marks where a later snapshot took over
                else:
                    wall.first_snapshot[ev.stream] = ev.seq
            elif isinstance(ev, Connected):
                wall.refused = ""
                wall.backoff.reset()
            elif isinstance(ev, HandshakeRefused):
                wall.refused = f"{ev.code}: {ev.detail}"
        session = wall.session
        if (
            not wall.live
            and session is not None
            and session.subscribed_streams
            and session.live_streams == session.subscribed_streams
        ):
            wall.live = True
            if wall.down_at:
                wall.outages.append((wall.down_at, now))
                wall.down_at = 0
            if not wall.first_live_ms:
                wall.first_live_ms = now

    async def _flush(self, wall: Wall) -> None:
        if wall.session is None or wall.ws is None:
            return
        ws = wall.ws
        with contextlib.suppress(websockets.ConnectionClosed):  # the reader sees it too and reconnects
            for frame in wall.session.data_to_send(now_ms()):
                await ws.send(frame)

    async def _ticker(self) -> None:
        """Heartbeats and silence for every wall, a few times a second."""
        while True:
            await asyncio.sleep(TICK_S)
            now = now_ms()
            for wall in self.walls:
                session, ws = wall.session, wall.ws
                if session is None or ws is None:
                    continue
                if (
                    session.handshake_overdue(now, HANDSHAKE_TIMEOUT_MS)
                    or session.silent_ms(now) > STALE_RECONNECT_MS
                ):
                    ws.transport.abort()
                    continue
                session.tick(now)
                self._process(wall, session.events_received(), now)
                if wall.flushing is None or wall.flushing.done():
                    wall.flushing = asyncio.create_task(self._flush(wall))


def make_walls(city: SyntheticCity, specs: list[WallSpec]) -> list[Wall]:
    return [Wall(city.centres[s.centre], s.urls, local_address(s.centre)) for s in specs]


def worker_main(
    conn: Connection, city_args: tuple[int, int], specs: list[WallSpec], ramp_per_s: float, stuck: list[str]
) -> None:
    """A worker process: open the walls, then answer the scenario's requests until ``stop``.

    Requests (tuples) and answers: ``("status",)`` → :meth:`WallWorker.status`;
    ``("caught_up", heads)`` → a count; ``("report",)`` → :meth:`WallWorker.report`;
    ``("stop",)`` → ``None``, and the process ends.
    """
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    city = SyntheticCity(*city_args)
    worker = WallWorker(make_walls(city, specs), ramp_per_s, stuck)

    async def body() -> None:
        loop = asyncio.get_running_loop()
        requests: asyncio.Queue[Any] = asyncio.Queue()

        def read() -> None:
            while True:
                try:
                    item = conn.recv()
                except EOFError:
                    item = ("stop",)
                loop.call_soon_threadsafe(requests.put_nowait, item)
                if item[0] == "stop":
                    return

        threading.Thread(target=read, daemon=True).start()
        starting = asyncio.create_task(worker.start())
        while True:
            request = await requests.get()
            kind = request[0]
            if kind == "status":
                conn.send(worker.status())
            elif kind == "caught_up":
                conn.send(worker.caught_up(request[1]))
            elif kind == "laggards":
                conn.send(worker.laggards(request[1]))
            elif kind == "report":
                conn.send(worker.report())
            elif kind == "stop":
                starting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await starting
                await worker.stop()
                conn.send(None)
                return

    asyncio.run(body())
