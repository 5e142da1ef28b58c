"""Fairness under floods: one abusive client must not starve a well-behaved cockpit.

The abuser, on real loopback websockets, opens many connections with its token and floods frames
(small ones, then large ones) as fast as it can; meanwhile a real FeedClient keeps receiving its
stream and sending commands. The abuser's connections are cut (4008 flood, 4029 too many from this
address, ``too_many_connections`` past the operator's limit: docs/protocol.md §3.3); the cockpit
never reconnects, every command is answered, and its largest delivery gap is measured and printed
(bounded only generously: no timing asserts).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field

import msgspec
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from cockpit.backend.gateway.server import Gateway, GatewayConfig
from cockpit.feed import ConnectionState, FeedClient
from cockpit.protocol.admission import CLOSE_FLOOD, CLOSE_TOO_MANY, TOO_MANY_CONNECTIONS, Limits
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import Command, CommandKind, Heartbeat, Hello, Refused, Welcome
from tests.gateway.conftest import NatsServer
from tests.gateway.support import start_bridge
from tests.helpers import wait_until
from tests.security.support import VERIFIER, Sink, make_backend, make_feed, token

LIMITS = Limits(
    frames_per_s=50,
    frames_burst=100,
    bytes_per_s=256 * 1024,
    bytes_burst=1024 * 1024,
    connections_per_address=24,
    connections_per_operator=4,
)
CONNECTIONS = 32
"""The abuser's connections: past both the operator's and the address's limit (all on 127.0.0.1)."""
GENEROUS_GAP_S = 5.0
"""A gap this long would mean starvation; the figure itself is printed and goes to the report."""

_ANSWER = msgspec.msgpack.Decoder(list[Welcome | Refused])


@dataclass
class Abuse:
    welcomed: list[ClientConnection] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    frames_sent: int = 0


async def open_many(url: str, tok: str, abuse: Abuse) -> None:
    """Open :data:`CONNECTIONS` connections at once, then say hello on each with the abuser's token;
    keep the welcomed ones open."""
    hello = encode_frame([Hello(v=1, client_id="abuser", operator="abuser", role="supervisor", token=tok)])
    sockets = [await websockets.connect(url, max_size=None) for _ in range(CONNECTIONS)]
    for ws in sockets:
        try:
            await ws.send(hello)
            frame = await asyncio.wait_for(ws.recv(), 5)
            assert isinstance(frame, bytes)
            (answer,) = _ANSWER.decode(frame)
        except websockets.ConnectionClosed:
            abuse.outcomes[f"closed {ws.close_code}"] += 1
            continue
        if isinstance(answer, Welcome):
            abuse.outcomes["welcomed"] += 1
            abuse.welcomed.append(ws)
        else:
            abuse.outcomes[f"refused {answer.code}"] += 1
            await ws.close()


async def flood(ws: ClientConnection, frame: bytes, abuse: Abuse, limit: int = 200_000) -> None:
    """Send ``frame`` as fast as the socket takes it until the server cuts the connection."""
    try:
        for n in range(limit):
            await ws.send(frame)
            abuse.frames_sent += 1
            if n % 20 == 0:
                await asyncio.sleep(0)  # let the client library read the server's close frame
        await asyncio.wait_for(ws.wait_closed(), 10)
    except (websockets.ConnectionClosed, TimeoutError):
        pass
    abuse.outcomes[f"flood closed {ws.close_code}"] += 1


async def behave(feed: FeedClient, sink: Sink, events: dict[str, object], stop: asyncio.Event) -> int:
    """A duty officer acknowledging events every 100 ms while the abuse goes on; commands sent."""
    sent = 0
    ids = itertools.cycle(list(events))
    while not stop.is_set():
        event_id = next(ids, "")
        if event_id:
            feed.send_command(Command(id=uuid7(int(time.time() * 1000)), kind=CommandKind.ACKNOWLEDGE, event_id=event_id))
            sent += 1
        await asyncio.sleep(0.1)
    return sent


async def abuse_and_measure(url: str, events: dict[str, object]) -> tuple[Abuse, Sink, FeedClient, int]:
    sink = Sink()
    feed = make_feed(url, sink, token("good.officer", "operator"))
    feed.start()
    await wait_until(lambda: feed.state is ConnectionState.LIVE, timeout=20, what="the good cockpit live")
    await asyncio.sleep(0.5)
    sink.arrivals.clear()  # measure from here: the abuse window
    abuse = Abuse()
    stop = asyncio.Event()
    officer = asyncio.create_task(behave(feed, sink, events, stop))
    await open_many(url, token("abuser", "operator"), abuse)
    small = encode_frame([Heartbeat(ts=1)])
    large = encode_frame([Hello(v=1, client_id="x" * 400_000, operator="a", role="viewer")])
    floods = [flood(ws, small if i % 2 == 0 else large, abuse) for i, ws in enumerate(abuse.welcomed)]
    await asyncio.gather(*floods)
    await asyncio.sleep(1.0)
    stop.set()
    sent = await officer
    await wait_until(lambda: len(sink.acks) >= sent, timeout=20, what="every command answered")
    for ws in abuse.welcomed:
        with contextlib.suppress(Exception):
            await ws.close()
    return abuse, sink, feed, sent


def check(abuse: Abuse, sink: Sink, feed: FeedClient, sent: int, where: str) -> None:
    gap = sink.largest_gap()
    print(
        f"\n{where}: abuser {dict(abuse.outcomes)}, {abuse.frames_sent} flood frames sent; "
        f"good cockpit: {len(sink.arrivals)} data frames, largest gap {gap * 1000:.0f} ms, "
        f"{sent} commands all answered, {feed.counters.reconnects} reconnects"
    )
    assert abuse.outcomes["welcomed"] == LIMITS.connections_per_operator
    assert abuse.outcomes[f"refused {TOO_MANY_CONNECTIONS}"] >= 1
    assert abuse.outcomes[f"closed {CLOSE_TOO_MANY}"] >= 1  # the address's limit, before any hello
    assert abuse.outcomes[f"flood closed {CLOSE_FLOOD}"] == LIMITS.connections_per_operator
    assert feed.counters.reconnects == 0 and feed.state is ConnectionState.LIVE
    assert sent > 0  # and every one answered (abuse_and_measure waits for that)
    assert len(sink.arrivals) > 10
    assert gap < GENEROUS_GAP_S


def test_a_flooding_client_is_cut_off_and_the_good_cockpit_keeps_its_stream_demo_backend() -> None:
    async def body() -> None:
        async with make_backend(limits=LIMITS) as backend:
            await wait_until(lambda: len(backend.city.state.events) >= 5, what="some events")
            abuse, sink, feed, sent = await abuse_and_measure(backend.url, dict(backend.city.state.events))
            check(abuse, sink, feed, sent, "demo backend")
            assert backend.refusals.count("flood") == LIMITS.connections_per_operator
            await feed.stop()
            await wait_until(lambda: not backend.admission.addresses, what="every connection released")
            assert not backend.admission.operators

    asyncio.run(body())


@pytest.mark.slow
def test_a_flooding_client_is_cut_off_and_the_good_cockpit_keeps_its_stream_gateway(
    nats_server: NatsServer,
) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        gw = Gateway(GatewayConfig([nats_server.url], heartbeat_ms=300, verifier=VERIFIER, limits=LIMITS))
        await gw.start()
        try:
            await wait_until(lambda: len(bridge.city.state.events) >= 5, timeout=20, what="some events")
            abuse, sink, feed, sent = await abuse_and_measure(gw.url, dict(bridge.city.state.events))
            check(abuse, sink, feed, sent, "gateway")
            assert gw.stats.floods >= LIMITS.connections_per_operator + 1
            await feed.stop()
        finally:
            await gw.stop()
            await bridge.stop()

    asyncio.run(body())
