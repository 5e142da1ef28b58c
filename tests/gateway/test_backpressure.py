"""Backpressure per client: a slow wall's sensors are coalesced to the latest values, a wall too far
behind on events is closed with the resume code and recovers from JetStream; the others go on."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats
import numpy as np
import websockets
from nats.js import JetStreamContext
from websockets.asyncio.client import ClientConnection, connect

from cockpit.backend.gateway.layout import DATA_STREAMS, body_of, sensor_batch_body
from cockpit.backend.gateway.publisher import NatsPublisher
from cockpit.backend.gateway.server import CLOSE_OVERRUN, Gateway, GatewayConfig
from cockpit.feed import ConnectionState, FeedClient
from cockpit.model import Situation
from cockpit.protocol.events import DataReceived, SnapshotReceived, StreamSynced
from cockpit.protocol.messages import Event, Filter, SensorCatalog, SensorInfo, Stream
from cockpit.protocol.session import ClientSession, Cursors, Position
from tests.gateway.conftest import NatsServer
from tests.gateway.support import Recorder, make_feed, stream_heads
from tests.helpers import wait_until

SENSORS = 5000


class SlowWall:
    """A protocol client (the feed's own sans-I/O core) that reads only when told to, through a
    small receive buffer, so the gateway's sends to it block."""

    def __init__(self, url: str, streams: list[str], cursors: Cursors | None = None) -> None:
        self.url = url
        self.cursors = cursors or Cursors()
        self.session = ClientSession(
            client_id="slow-wall",
            operator="o",
            role="operator",
            token="",
            subscriptions={s: Filter() for s in streams},
            cursors=self.cursors,
        )
        self.model = Situation()
        self.seqs: list[int] = []
        self.data_messages = 0
        self.synced: list[StreamSynced] = []
        self.ws: ClientConnection | None = None

    async def open(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        host, port = self.url.removeprefix("ws://").split(":")
        await asyncio.to_thread(sock.connect, (host, int(port)))
        self.ws = await connect(
            self.url,
            sock=sock,
            max_queue=1,
            compression=None,
            max_size=1 << 22,
            ping_interval=None,
            proxy=None,
        )
        self.session.start(_ms())
        await self._flush()

    async def read(self) -> None:
        """Take one frame (raises ConnectionClosed at the end)."""
        assert self.ws is not None
        data = await self.ws.recv()
        self.session.receive_data(data if isinstance(data, bytes) else data.encode(), _ms())
        events = self.session.events_received()
        self.model.apply(events)  # type: ignore[arg-type]
        for ev in events:
            if isinstance(ev, DataReceived):
                self.data_messages += len(ev.messages)
                self.seqs.extend(m.seq for m in ev.messages)
            elif isinstance(ev, SnapshotReceived):
                self.seqs = [ev.seq]
            elif isinstance(ev, StreamSynced):
                self.synced.append(ev)
        await self._flush()

    async def read_until(self, cond: object, what: str) -> None:
        async def loop() -> None:
            while not cond():  # type: ignore[operator]
                await self.read()

        await asyncio.wait_for(loop(), 30)

    async def _flush(self) -> None:
        assert self.ws is not None
        for frame in self.session.data_to_send(_ms()):
            await self.ws.send(frame)


def _ms() -> int:
    return time.time_ns() // 1_000_000


@asynccontextmanager
async def setup(
    nats_url: str, **config: int
) -> AsyncIterator[tuple[Gateway, JetStreamContext, NatsPublisher]]:
    gw = Gateway(GatewayConfig([nats_url], heartbeat_ms=300, **config))  # type: ignore[arg-type]
    await gw.start()
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        yield gw, js, NatsPublisher(js, "test")
    finally:
        await nc.close()
        await gw.stop()


def test_slow_wall_gets_latest_sensor_values_and_does_not_slow_a_fast_one(nats_server: NatsServer) -> None:
    async def body() -> None:
        async with setup(nats_server.url, coalesce_after=20) as (gw, _, pub):
            infos = [
                SensorInfo(
                    id=i,
                    name=f"jiangbei-water_level-{i:04d}",
                    kind="water_level",
                    unit="m",
                    district="jiangbei",
                    lon=106.57,
                    lat=29.6,
                    theme="flood",
                    warn=3.0,
                    alarm=3.5,
                )
                for i in range(1, SENSORS + 1)
            ]
            catalog = SensorCatalog(stream=Stream.SENSORS, seq=0, prev=0, ts=_ms(), sensors=infos)
            await pub.publish(Stream.SENSORS, "jiangbei", "flood", body_of(catalog), 0)
            await wait_until(lambda: gw.tails[Stream.SENSORS].view.seq >= 1, what="gateway has the catalog")

            rec = Recorder()
            fast = FeedClient(
                [gw.url], make_feed([gw.url], rec).identity, rec, subscriptions={Stream.SENSORS: Filter()}
            )
            slow = SlowWall(gw.url, [Stream.SENSORS])
            fast.start()
            await slow.open()
            await slow.read_until(lambda: Stream.SENSORS in slow.session.live_streams, "slow wall synced")
            await wait_until(lambda: fast.state is ConnectionState.LIVE, what="fast wall live")

            ids = np.arange(1, SENSORS + 1, dtype="<u4").tobytes()
            batches = 300  # 40 kB each: far more than the slow wall's socket buffers take
            for k in range(batches):
                values = np.full(SENSORS, float(k), dtype="<f4").tobytes()
                await pub.publish(
                    Stream.SENSORS, "jiangbei", "flood", sensor_batch_body(_ms(), 60_000, ids, values), k + 1
                )
            head = (await stream_heads(nats_server.url))[Stream.SENSORS]
            await wait_until(
                lambda: fast.cursors.get(Stream.SENSORS).seq == head,
                timeout=30,
                what="the fast wall got everything while the slow one read nothing",
            )
            assert rec.seqs[Stream.SENSORS] == list(range(rec.seqs[Stream.SENSORS][0], head + 1))

            await slow.read_until(lambda: slow.cursors.get(Stream.SENSORS).seq == head, "slow wall caught up")
            assert gw.stats.coalesced >= 1
            assert slow.session.counters.gaps == 0 and slow.session.counters.duplicates == 0
            assert slow.data_messages < batches, "values were coalesced, not all sent"
            latest = {i: float(batches - 1) for i in range(1, SENSORS + 1)}
            assert slow.model.sensors.digest() == latest == rec.model.sensors.digest()
            await fast.stop()

    asyncio.run(body())


def _event(i: int) -> Event:
    return Event(
        stream=Stream.EVENTS,
        seq=0,
        prev=0,
        ts=_ms(),
        id=f"T-{i:06d}",
        type="waterlogging",
        severity=3,
        time=_ms(),
        lon=106.57,
        lat=29.6,
        district="jiangbei",
        state="new",
        theme="flood",
        title=f"Water over the kerb at gauge {i}: " + "x" * 4000,
    )


def test_wall_too_far_behind_on_events_is_closed_and_resumes_from_jetstream(nats_server: NatsServer) -> None:
    async def body() -> None:
        async with setup(nats_server.url, max_lag=50, ring=20) as (gw, _, pub):
            slow = SlowWall(gw.url, [Stream.EVENTS])
            await slow.open()
            await slow.read_until(lambda: Stream.EVENTS in slow.session.live_streams, "slow wall synced")
            n = 0
            while gw.stats.overruns == 0:  # events never drop: the gateway closes this wall instead
                n += 1
                await pub.publish(Stream.EVENTS, "jiangbei", "flood", body_of(_event(n)), n)
                assert n < 20_000, "the slow wall was never closed"
            for _ in range(50):
                n += 1
                await pub.publish(Stream.EVENTS, "jiangbei", "flood", body_of(_event(n)), n)
            try:
                while True:
                    await slow.read()
            except websockets.ConnectionClosed as exc:
                assert exc.rcvd is not None and exc.rcvd.code == CLOSE_OVERRUN
            got = list(slow.seqs)
            head = (await stream_heads(nats_server.url))[Stream.EVENTS]
            assert got[-1] < head, "the wall was really behind"

            rec = Recorder()
            feed = FeedClient(
                [gw.url], make_feed([gw.url], rec).identity, rec, subscriptions={Stream.EVENTS: Filter()}
            )
            feed.cursors = slow.cursors  # the same wall, reconnecting from where it was
            feed.start()
            await wait_until(
                lambda: feed.cursors.get(Stream.EVENTS).seq == head, timeout=30, what="caught up"
            )
            assert not rec.snapshots, "it resumed; no snapshot"
            assert gw.stats.resumed_jetstream >= 1, "the ring was too short: JetStream replayed the gap"
            assert got + rec.seqs[Stream.EVENTS] == list(range(0, head + 1)), "each event exactly once"
            assert len(rec.model.events) == head - got[-1]
            await feed.stop()

    asyncio.run(body())


def test_a_position_jetstream_no_longer_holds_gets_an_honest_snapshot(nats_server: NatsServer) -> None:
    async def body() -> None:
        async with setup(nats_server.url, ring=5) as (gw, js, pub):
            for n in range(1, 31):
                await pub.publish(Stream.EVENTS, "jiangbei", "flood", body_of(_event(n)), n)
            await wait_until(lambda: gw.tails[Stream.EVENTS].view.seq == 30, what="gateway has all 30")
            await js.purge_stream(DATA_STREAMS[Stream.EVENTS], keep=10)  # retention dropped 1..20
            await wait_until(lambda: gw.tails[Stream.EVENTS].js_first == 21, what="gateway saw the purge")
            epoch = gw.epochs[Stream.EVENTS]

            held = SlowWall(gw.url, [Stream.EVENTS], Cursors({Stream.EVENTS: Position(epoch, 22)}))
            await held.open()
            await held.read_until(lambda: Stream.EVENTS in held.session.live_streams, "resumed")
            assert [s.mode for s in held.synced] == ["resume"], "22 is still in JetStream: resumed"
            await held.read_until(lambda: held.cursors.get(Stream.EVENTS).seq == 30, "caught up")
            assert held.seqs == list(range(23, 31))

            gone = SlowWall(gw.url, [Stream.EVENTS], Cursors({Stream.EVENTS: Position(epoch, 3)}))
            await gone.open()
            await gone.read_until(lambda: Stream.EVENTS in gone.session.live_streams, "synced")
            (synced,) = gone.synced
            assert synced.mode == "snapshot" and synced.reason == "seq 3 is no longer held (oldest 21)"
            assert len(gone.model.events) == 30, "the snapshot is the whole state, from the gateway's view"
            assert gone.session.counters.gaps == 0

    asyncio.run(body())
