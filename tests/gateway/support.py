"""Shared parts of the gateway tests: gateway processes, the city bridge, recording feeds."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nats

from cockpit.backend.city import City
from cockpit.backend.gateway.jetstream import stream_infos
from cockpit.backend.nats_bridge import NatsBridge
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, CommandUpdate, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.events import CommandAcked, DataReceived, SnapshotReceived
from cockpit.protocol.messages import CommandAck
from tests.conftest import TIME_SCALE
from tests.gateway.conftest import free_port
from tests.helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Recorder:
    """A sink that feeds a model and remembers every seq, snapshot and ack it saw."""

    model: Situation = field(default_factory=Situation)
    seqs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    snapshots: list[SnapshotReceived] = field(default_factory=list)
    acks: list[CommandAck] = field(default_factory=list)
    progress: list[CommandUpdate] = field(default_factory=list)

    def __call__(self, events: list[FeedEvent]) -> None:
        self.model.apply(events)
        for ev in events:
            if isinstance(ev, DataReceived):
                for m in ev.messages:
                    self.seqs[m.stream].append(m.seq)
            elif isinstance(ev, SnapshotReceived):
                self.snapshots.append(ev)
                self.seqs[ev.stream] = [ev.seq]
            elif isinstance(ev, CommandAcked):
                self.acks.append(ev.ack)
            elif isinstance(ev, CommandUpdate):
                self.progress.append(ev)


def make_city(seed: int = 5, rate: float = 600) -> City:
    return City(Hub(), seed=seed, rate=rate, event_rate=240, sensors_per_kind=4)


async def start_bridge(nats_url: str, city: City | None = None, speed: float = 4.0) -> NatsBridge:
    bridge = NatsBridge(city or make_city(), [nats_url], speed=speed)
    await bridge.start()
    return bridge


def make_feed(
    urls: list[str],
    rec: Recorder,
    operator: str = "officer-1",
    role: str = "operator",
    client_id: str = "wall-1",
) -> FeedClient:
    return FeedClient(
        urls,
        Identity(client_id, operator, role, token="s3cret"),
        rec,
        backoff=Backoff(base_s=0.05, cap_s=0.3),
    )


class GatewayProcess:
    """``cockpit-gateway`` in its own process, so that it can be killed outright (SIGKILL)."""

    def __init__(self, nats_url: str, *extra: str) -> None:
        self.port = free_port()
        self.args = [
            sys.executable,
            "-m",
            "cockpit.backend.gateway.main",
            "--nats",
            nats_url,
            "--port",
            str(self.port),
            "--heartbeat-ms",
            "300",
            *extra,
        ]
        self.proc: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.proc = subprocess.Popen(
            self.args,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(self.proc.stdout.readline), 30 * TIME_SCALE)
        assert "serving" in line, f"gateway did not start: {line!r}"

    def kill(self) -> None:
        """An abrupt stop: no closing handshake, no goodbye to NATS."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
            self._close_pipe()

    def _close_pipe(self) -> None:
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self._close_pipe()


async def stream_heads(nats_url: str) -> dict[str, int]:
    """The last seq of every data stream in JetStream (what clients must end at)."""
    nc = await nats.connect(nats_url)
    try:
        return {s: info.state.last_seq for s, info in (await stream_infos(nc.jetstream())).items()}
    finally:
        await nc.close()


async def settle(bridge: NatsBridge, feeds: list[FeedClient], nats_url: str) -> dict[str, int]:
    """Freeze the city, let NATS and every feed catch up; returns the streams' last seqs."""
    bridge.running = False
    await wait_until(lambda: bridge.caught_up, what="the bridge published everything")
    heads = await stream_heads(nats_url)

    def done() -> bool:
        return all(
            f.state is ConnectionState.LIVE and all(f.cursors.get(s).seq == heads[s] for s in heads)
            for f in feeds
        )

    await wait_until(done, timeout=20, what=f"feeds caught up with {heads}")
    return heads


def assert_exactly_once(rec: Recorder, heads: dict[str, int]) -> None:
    """Since its snapshot, the client saw every seq of every stream exactly once, in order."""
    for stream, last in heads.items():
        seen = rec.seqs[stream]
        assert seen, f"{stream}: nothing received"
        assert seen == list(range(seen[0], last + 1)), f"{stream}: lost or duplicated messages"


def now_ms() -> int:
    return time.time_ns() // 1_000_000
