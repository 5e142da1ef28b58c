"""Tokens at the handshake: the demo backend and the gateway take who a client is from its token.

Real loopback websockets, a real FeedClient, and (for the gateway) a real nats-server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import msgspec
import pytest
import websockets

from cockpit.backend.gateway.server import Gateway, GatewayConfig
from cockpit.backend.server import CLOSE_REFUSED, DemoBackend
from cockpit.feed import ConnectionState, FeedClient
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind, Hello, Refused
from cockpit.protocol.tokens import TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_MISSING
from tests.gateway.conftest import NatsServer
from tests.gateway.support import start_bridge
from tests.helpers import wait_until
from tests.security.support import VERIFIER, Sink, expired_token, make_backend, make_feed, token

_DECODE = msgspec.msgpack.Decoder(list[Refused])


async def raw_hello(url: str, tok: str) -> tuple[Refused, int | None]:
    """Send one hello with ``tok`` and return the refusal and the close code."""
    async with websockets.connect(url) as ws:
        await ws.send(encode_frame([Hello(v=1, client_id="raw", operator="x", role="supervisor", token=tok)]))
        frame = await asyncio.wait_for(ws.recv(), 5)
        assert isinstance(frame, bytes)
        (refused,) = _DECODE.decode(frame)
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        return refused, ws.close_code


def dispatch(events: Mapping[str, Any]) -> Command:
    """A dispatch of the first new event's recommended unit, as a duty officer would send it."""
    ev = next(e for e in events.values() if e.recommended and e.state == "new")
    return Command(id=uuid7(int(time.time() * 1000)), kind=CommandKind.DISPATCH, event_id=ev.id,
                   unit_id=ev.recommended[0])  # fmt: skip


async def answered(feed: FeedClient, sink: Sink, cmd: Command) -> str:
    feed.send_command(cmd)
    await wait_until(lambda: any(a.id == cmd.id for a in sink.acks), what="the command's ack")
    ack = next(a for a in sink.acks if a.id == cmd.id)
    return f"{ack.result}:{ack.reason}"


def test_missing_forged_and_expired_tokens_are_refused_at_the_handshake_with_their_codes() -> None:
    async def body() -> None:
        async with make_backend() as backend:
            forged = token(role="viewer")[:-4] + "AAAA"
            cases = {"": TOKEN_MISSING, forged: TOKEN_INVALID, expired_token(): TOKEN_EXPIRED}
            for tok, code in cases.items():
                refused, close = await raw_hello(backend.url, tok)
                assert (refused.code, close) == (code, CLOSE_REFUSED)
                assert refused.detail and (not tok or tok not in refused.detail)
            assert backend.refusals == [TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED]
            # A cockpit without a token is told why, in words it can show, and stays offline.
            sink = Sink()
            feed = make_feed(backend.url, sink, "")
            feed.start()
            await wait_until(lambda: feed.refused.startswith(TOKEN_MISSING), what="the refusal")
            assert feed.state is not ConnectionState.LIVE
            await feed.stop()

    asyncio.run(body())


def test_the_role_comes_from_the_token_not_from_the_hello() -> None:
    async def body() -> None:
        async with make_backend() as backend:
            await wait_until(lambda: any(e.recommended for e in backend.city.state.events.values()))
            # Claims supervisor, holds a viewer's token: a viewer.
            sink = Sink()
            feed = make_feed(backend.url, sink, token("li.wei", "viewer"), operator="boss", role="supervisor")
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            assert await answered(feed, sink, dispatch(backend.city.state.events)) == "rejected:forbidden"
            (client,) = backend.clients
            assert (client.operator, client.role) == ("li.wei", "viewer")
            assert backend.audit.refusals and backend.audit.refusals[-1].operator == "li.wei"
            await feed.stop()
            # Claims viewer, holds a duty officer's token: may dispatch.
            sink2 = Sink()
            feed2 = make_feed(backend.url, sink2, token("wang.fang", "operator"), operator="x", role="viewer")
            feed2.start()
            await wait_until(lambda: feed2.state is ConnectionState.LIVE, what="live")
            assert (await answered(feed2, sink2, dispatch(backend.city.state.events))) == "accepted:"
            await feed2.stop()

    asyncio.run(body())


def test_a_district_token_sees_only_its_districts_events() -> None:
    async def body() -> None:
        async with make_backend() as backend:
            sink = Sink()
            feed = make_feed(backend.url, sink, token("chen.jie", "operator", districts=("jiangbei",)))
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            await wait_until(lambda: len(sink.model.events) >= 3, timeout=20, what="some events")
            assert {e.district for e in sink.model.events.values()} == {"jiangbei"}
            assert {e.district for e in backend.city.state.events.values()} > {"jiangbei"}
            await feed.stop()

    asyncio.run(body())


def test_without_a_secret_the_demo_backend_still_trusts_the_hello() -> None:
    async def body() -> None:
        async with DemoBackend(make_backend().city) as backend:
            sink = Sink()
            feed = make_feed(backend.url, sink, "", operator="demo", role="supervisor")
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            (client,) = backend.clients
            assert client.role == "supervisor"
            await feed.stop()

    asyncio.run(body())


@pytest.mark.slow
def test_the_gateway_refuses_bad_tokens_and_takes_role_and_districts_from_the_token(
    nats_server: NatsServer,
) -> None:
    async def body() -> None:
        bridge = await start_bridge(nats_server.url)
        gw = Gateway(GatewayConfig([nats_server.url], server_id="gw-sec", heartbeat_ms=300, verifier=VERIFIER))
        await gw.start()
        try:
            refused, close = await raw_hello(gw.url, expired_token())
            assert (refused.code, close) == (TOKEN_EXPIRED, CLOSE_REFUSED)
            refused, _ = await raw_hello(gw.url, "")
            assert refused.code == TOKEN_MISSING and gw.stats.refused_hellos == 2
            await wait_until(lambda: any(e.recommended for e in bridge.city.state.events.values()), timeout=20)
            sink = Sink()
            feed = make_feed(gw.url, sink, token("li.wei", "viewer"), operator="boss", role="supervisor")
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, timeout=20, what="live")
            ack = await answered(feed, sink, dispatch(bridge.city.state.events))
            assert ack == "rejected:forbidden"
            await feed.stop()
            sink2 = Sink()
            feed2 = make_feed(gw.url, sink2, token("chen.jie", "operator", districts=("jiangbei",)))
            feed2.start()
            await wait_until(lambda: feed2.state is ConnectionState.LIVE, timeout=20, what="live")
            await wait_until(lambda: len(sink2.model.events) >= 2, timeout=20, what="some events")
            assert {e.district for e in sink2.model.events.values()} == {"jiangbei"}
            other = next(e for e in bridge.city.state.events.values() if e.district != "jiangbei")
            cmd = Command(id=uuid7(int(time.time() * 1000)), kind=CommandKind.ACKNOWLEDGE, event_id=other.id)
            assert await answered(feed2, sink2, cmd) == f"{AckResult.REJECTED}:forbidden"
            await feed2.stop()
        finally:
            await gw.stop()
            await bridge.stop()

    asyncio.run(body())
