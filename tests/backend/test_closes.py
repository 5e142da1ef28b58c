"""Close codes, both ways (docs/protocol.md §3.3, §6): a flooding client gets its 4008 at once, and the
cockpit ends a connection normally (1000 when it quits, 1001 when it is shut down), never with 1011."""

from __future__ import annotations

import asyncio
import time

import pytest
import websockets

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.protocol.admission import Limits
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.messages import Heartbeat, Hello, Stream, Subscribe, Subscription
from cockpit.protocol.server import CLOSE_FLOOD, CLOSE_GOING_AWAY, CLOSE_NORMAL
from tests.helpers import wait_until

HEARTBEAT_MS = 300


def backend(limits: Limits | None = None) -> DemoBackend:
    city = City(Hub(), seed=5, rate=600, event_rate=240, sensors_per_kind=4)
    return DemoBackend(city, heartbeat_ms=HEARTBEAT_MS, speed=4, limits=limits)


def test_a_flooding_client_gets_its_close_at_once_not_after_a_silence() -> None:
    async def body() -> None:
        async with backend(Limits(frames_per_s=50, frames_burst=100)) as b:
            ws = await websockets.connect(b.url, max_size=None, compression=None, proxy=None)
            await ws.send(encode_frame([Hello(v=1, client_id="f", operator="flooder", role="viewer")]))
            await ws.send(encode_frame([Subscribe(streams=[Subscription(stream=s) for s in Stream])]))
            arrivals: list[float] = []

            async def read() -> None:
                try:
                    async for _ in ws:
                        arrivals.append(time.monotonic())
                except websockets.ConnectionClosed:
                    pass

            reader = asyncio.create_task(read())
            await wait_until(lambda: len(arrivals) > 3, what="live data")
            frame = encode_frame([Heartbeat(ts=1)])
            with pytest.raises(websockets.ConnectionClosed):
                for n in range(100_000):
                    await ws.send(frame)
                    if n % 20 == 0:
                        await asyncio.sleep(0)  # let the library read what the server sends
            await reader
            closed_at = time.monotonic()
            silence = closed_at - arrivals[-1]
            print(f"\nflood close: {silence * 1000:.0f} ms after the last frame (heartbeat {HEARTBEAT_MS} ms)")
            assert ws.close_code == CLOSE_FLOOD and b.refusals == ["flood"]
            # The fault this guards against was a 10 s silence; the bound is generous, not a timing test.
            assert silence < 10 * HEARTBEAT_MS / 1000

    asyncio.run(body())


@pytest.mark.parametrize(("going_away", "code"), [(False, CLOSE_NORMAL), (True, CLOSE_GOING_AWAY)])
def test_the_cockpit_closes_normally(going_away: bool, code: int) -> None:
    async def body() -> None:
        async with backend() as b:
            feed = FeedClient([b.url], Identity("wall", "li.wei", "operator"), lambda events: None, backoff=Backoff())
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            await feed.stop(going_away=going_away)
            await wait_until(lambda: bool(b.client_closes), what="the server saw the close")
            assert b.client_closes == [code]

    asyncio.run(body())
