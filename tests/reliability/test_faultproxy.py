"""The fault-injection proxy against a real demo backend and a real feed (issue 8, "Faults").

Each fault is switched on during a live stream; the feed must notice it the way the protocol says
and, once it is off, end up with every message applied exactly once and the backend's state.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.backend.faultproxy import Direction, FaultProxy, FrameSplitter, apply_command
from cockpit.backend.restart_loop import RestartLoop
from cockpit.backend.server import DemoBackend
from cockpit.config.tls import tls_context
from cockpit.feed import Backoff, ConnectionState, FeedClient
from cockpit.model import Situation
from cockpit.protocol.messages import Stream
from tests.helpers import city_digest, wait_until
from tests.reliability.harness import IDENTITY, SeqSink, caught_up, make_backend, make_city
from tests.tls import TlsFront, make_pki

Body = Callable[[DemoBackend, FaultProxy, FeedClient, SeqSink], Awaitable[None]]


def run_through_proxy(body: Body, heartbeat_ms: int = 300, seed: int = 5) -> None:
    """Backend ← proxy ← feed, live; run ``body``; then settle and check exactly-once and state."""

    async def main() -> None:
        backend = make_backend(make_city(seed), heartbeat_ms)
        await backend.start()
        proxy = FaultProxy(backend.url)
        await proxy.start()
        model = Situation()
        sink = SeqSink(model.apply)
        feed = FeedClient([proxy.url], IDENTITY, sink, backoff=Backoff(base_s=0.05, cap_s=0.3))
        feed.start()
        try:
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live through the proxy")
            await body(backend, proxy, feed, sink)
            proxy.clear()
            backend.running = False
            await wait_until(lambda: caught_up(feed, backend), what="caught up after the fault")
            sink.assert_exactly_once(backend)
            assert model.digest() == city_digest(backend.city)
        finally:
            await feed.stop()
            await proxy.stop()
            await backend.stop()

    asyncio.run(main())


def messages_flowing(feed: FeedClient, more: int = 20) -> Callable[[], bool]:
    start = feed.counters.messages
    return lambda: feed.state is ConnectionState.LIVE and feed.counters.messages > start + more


def test_clean_proxy_passes_everything_through() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        await wait_until(messages_flowing(feed, 200))
        assert proxy.accepted == 1 and len(proxy.live_links) == 1
        assert feed.counters.reconnects == 0 and feed.counters.gaps == 0

    run_through_proxy(body)


def test_stall_shows_stale_keeps_the_socket_and_recovers_on_the_same_connection() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        proxy.stall()
        await wait_until(lambda: feed.state is ConnectionState.STALE, what="stale")
        assert len(proxy.live_links) == 1, "a stall keeps the connection open"
        proxy.resume()
        await wait_until(messages_flowing(feed), what="live again")
        assert feed.counters.reconnects == 0 and proxy.accepted == 1

    run_through_proxy(body, heartbeat_ms=200)


def test_cut_mid_stream_resumes_without_a_snapshot() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        for _ in range(3):
            await wait_until(messages_flowing(feed))
            assert proxy.cut() == 1
            await wait_until(lambda: feed.state is not ConnectionState.LIVE, what="drop noticed")
        await wait_until(messages_flowing(feed))
        assert feed.counters.reconnects >= 3 and proxy.accepted >= 4
        assert len(sink.snapshots) == len(Stream), "a cut must resume, not re-snapshot"

    run_through_proxy(body)


def test_swapped_frames_are_resynced_and_applied_once() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        for _ in range(3):
            await wait_until(messages_flowing(feed))
            gaps = feed.counters.gaps
            proxy.swap_next_frames()
            await wait_until(lambda g=gaps: feed.counters.gaps > g, what="the swap seen as a gap")  # type: ignore[misc]
        await wait_until(messages_flowing(feed))

    run_through_proxy(body)


def test_stale_frames_replayed_on_a_new_connection_are_dropped() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        await wait_until(messages_flowing(feed))
        link = proxy.capture_frames(10)
        await wait_until(lambda: len(link.captured) == 10, what="frames captured")
        await wait_until(messages_flowing(feed))
        proxy.replay_on_next_connection(link.captured, after=12)
        proxy.cut()
        await wait_until(lambda: proxy.accepted == 2 and not proxy.live_links[-1].inject, what="replayed")
        await wait_until(messages_flowing(feed))
        assert feed.counters.duplicates > 0, "the replayed data must be seen and refused as duplicates"

    run_through_proxy(body)


def test_half_open_downstream_goes_stale_while_upstream_still_flows() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        await wait_until(messages_flowing(feed))
        proxy.half_open(Direction.DOWN)
        link = proxy.live_links[0]
        up_before = link.up.bytes
        await wait_until(lambda: feed.state is ConnectionState.STALE, what="stale")
        await wait_until(lambda: link.up.bytes > up_before, what="client heartbeats still reach the backend")
        proxy.resume()
        await wait_until(messages_flowing(feed))
        assert feed.counters.reconnects == 0

    run_through_proxy(body, heartbeat_ms=200)


def test_shutting_one_direction_makes_the_feed_reconnect_and_resume() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        await wait_until(messages_flowing(feed))
        proxy.shut(Direction.DOWN)  # the cockpit reads end-of-stream; its own direction is open
        await wait_until(lambda: feed.counters.reconnects >= 1, what="reconnect after a half-close")
        await wait_until(messages_flowing(feed))
        assert len(sink.snapshots) == len(Stream)

    run_through_proxy(body)


def test_delay_throttle_and_refusal_are_survived() -> None:
    async def body(backend: DemoBackend, proxy: FaultProxy, feed: FeedClient, sink: SeqSink) -> None:
        proxy.set_delay(0.15, Direction.DOWN)  # data late relative to the cockpit's own heartbeats
        await wait_until(messages_flowing(feed))
        proxy.throttle(50_000)
        await wait_until(messages_flowing(feed))
        proxy.clear()
        proxy.refuse()
        proxy.cut()
        await wait_until(lambda: proxy.refused >= 2, what="reconnects refused")
        assert feed.state is not ConnectionState.LIVE
        proxy.refuse(False)
        await wait_until(messages_flowing(feed))

    run_through_proxy(body)


def test_command_line_commands_switch_faults_and_reject_nonsense() -> None:
    async def main() -> None:
        proxy = FaultProxy("ws://127.0.0.1:9")
        assert "delay up/down=0/0.5" in apply_command(proxy, "delay 0.5 down")
        assert "stalled=True" in apply_command(proxy, "stall")
        assert "stalled=False" in apply_command(proxy, "resume")
        assert "throttle up/down=1000/0" in apply_command(proxy, "throttle 1000 up")
        with pytest.raises(ValueError, match="unknown command 'explode'"):
            apply_command(proxy, "explode")
        with pytest.raises(ValueError, match="delay: missing argument"):
            apply_command(proxy, "delay")
        with pytest.raises(ValueError, match="swap: no live connection"):
            apply_command(proxy, "swap")
        with pytest.raises(ValueError, match="needs a host and a port"):
            FaultProxy("ws://nowhere")

    asyncio.run(main())


def _ws_frame(payload: bytes, opcode: int = 2) -> bytes:
    n = len(payload)
    if n < 126:
        head = bytes([0x80 | opcode, n])
    elif n < 1 << 16:
        head = bytes([0x80 | opcode, 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 127]) + n.to_bytes(8, "big")
    return head + payload


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.binary(max_size=70_000).filter(lambda b: len(b) != 0) | st.binary(max_size=3), max_size=8),
    st.integers(0, 2**32 - 1),
)
def test_frame_splitter_finds_every_frame_whatever_the_chunking(payloads: list[bytes], seed: int) -> None:
    head = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
    frames = [_ws_frame(p) for p in payloads] + [_ws_frame(b"", opcode=9)]  # and a ping
    stream = head + b"".join(frames)
    rng = random.Random(seed)
    splitter = FrameSplitter()
    units: list[tuple[bytes, bool]] = []
    i = 0
    while i < len(stream):
        n = rng.randint(1, 5000)
        units += splitter.feed(stream[i : i + n])
        i += n
    assert units[0] == (head, False)
    assert [u for u, _ in units[1:]] == frames
    assert [d for _, d in units[1:]] == [True] * len(payloads) + [False]
    assert splitter.rest() == b""


def test_frame_splitter_passes_a_refused_upgrade_through_untouched() -> None:
    splitter = FrameSplitter()
    out = splitter.feed(b"HTTP/1.1 403 Forbidden\r\n\r\nno entry")
    assert out == [(b"HTTP/1.1 403 Forbidden\r\n\r\n", False), (b"no entry", False)]
    assert splitter.feed(b"\x82\x05hello") == [(b"\x82\x05hello", False)]


def test_restart_loop_keeps_port_epoch_and_state_and_the_feed_resumes() -> None:
    async def main() -> None:
        backend = make_backend(make_city(seed=12))
        await backend.start()
        restarts = RestartLoop(backend)
        port, epoch = backend.port, backend.epoch
        model = Situation()
        sink = SeqSink(model.apply)
        feed = FeedClient([backend.url], IDENTITY, sink, backoff=Backoff(base_s=0.05, cap_s=0.3))
        feed.start()
        try:
            for down in (0.0, 0.1, 0.0, 0.3, 0.0):
                await wait_until(messages_flowing(feed), what="live between restarts")
                new = await restarts.restart(down_s=down, advance_s=2.0)
                assert (new.port, new.epoch, new.city) == (port, epoch, backend.city)
            await wait_until(messages_flowing(feed), what="live after the restarts")
            restarts.backend.running = False
            await wait_until(lambda: caught_up(feed, restarts.backend), what="caught up")
            sink.assert_exactly_once(restarts.backend)
            assert len(sink.snapshots) == len(Stream) and feed.counters.gaps == 0
            assert model.digest() == city_digest(backend.city)
            assert restarts.restarts == 5 and feed.counters.reconnects >= 5
        finally:
            await feed.stop()
            await restarts.backend.stop()

    asyncio.run(main())


def test_command_line_proxy_runs_takes_commands_and_quits() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cockpit.backend.faultproxy", "--listen", "0", "--target", "ws://127.0.0.1:9"],
        input="stall\ndelay 0.1 down\nbogus\nquit\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("fault proxy: connect the cockpit to ws://127.0.0.1:")
    assert "stalled=True" in lines[1] and "delay up/down=0/0.1 s" in lines[2]
    assert lines[3] == "error: unknown command 'bogus'; type help"


def test_wss_passes_through_opaque_and_byte_level_faults_still_work(tmp_path: Path) -> None:
    async def main() -> None:
        pki = make_pki(tmp_path)
        backend = make_backend(make_city(seed=14), heartbeat_ms=200)
        await backend.start()
        front = TlsFront(pki, backend.port)
        await front.start()
        proxy = FaultProxy(front.url("127.0.0.1"))
        await proxy.start()
        assert proxy.url.startswith("wss://") and not proxy.frame_aware
        model = Situation()
        sink = SeqSink(model.apply)
        feed = FeedClient(
            [proxy.url],
            IDENTITY,
            sink,
            backoff=Backoff(base_s=0.05, cap_s=0.3),
            ssl_context=tls_context(pki.ca),
        )
        feed.start()
        try:
            await wait_until(messages_flowing(feed), what="live over TLS through the proxy")
            with pytest.raises(RuntimeError, match="frame-level faults need a plain ws:// target"):
                proxy.swap_next_frames()
            proxy.stall()
            await wait_until(lambda: feed.state is ConnectionState.STALE, what="stale over TLS")
            proxy.resume()
            await wait_until(messages_flowing(feed), what="live again on the same TLS connection")
            assert proxy.cut() == 1
            await wait_until(lambda: feed.counters.reconnects >= 1, what="reconnect after the cut")
            await wait_until(messages_flowing(feed), what="live over a new TLS connection")
            backend.running = False
            await wait_until(lambda: caught_up(feed, backend), what="caught up")
            sink.assert_exactly_once(backend)
            assert model.digest() == city_digest(backend.city)
        finally:
            await feed.stop()
            await proxy.stop()
            await front.stop()
            await backend.stop()

    asyncio.run(main())
