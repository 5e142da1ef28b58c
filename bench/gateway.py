"""Gateway: one ``cockpit-gateway`` process fanning JetStream out to 20 walls, and resume times
(issue 6), beside the raw nats-py consume rate measured in the same run.

Processes: a ``nats-server`` with JetStream on a temporary store, the gateway, a publisher that
publishes small sensor batches as fast as JetStream takes them, and this process holding the 20
websocket clients (they count messages from each frame's array header, without decoding).

Metrics:

- ``nats_consume_msgs_per_s``: an ordered nats-py consumer reading the prefilled stream: the ceiling
  of what one gateway can take in from JetStream.
- ``publish_msgs_per_s``: what the publisher got into JetStream during the fan-out window.
- ``fanout_msgs_per_s``: data messages delivered to the 20 clients together, per second.
- ``resume_ms``: median time from opening the websocket to holding every message after a position
  1,000 messages back (from the gateway's ring); ``resume_jetstream_ms``: the same from a gateway
  whose ring is too short, so that the gap is replayed by a temporary ordered consumer.
- ``disk_bytes_per_msg``: JetStream's file store divided by the messages in it.

``COCKPIT_BENCH_GATEWAY_CLIENTS=N`` runs it with N walls. Each wall says hello as its own operator,
as each centre does: with one operator for all, the gateway's admission refuses the 65th connection
(``too_many_connections``, 64 per operator), and this bench used to wait for those walls for ever
(issue 22: "120 and 200 clients never finished"). A wall that fails now ends the run with the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

CLIENTS = 20
VALUES_PER_BATCH = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _nats_server(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
    port, monitor = _free_port(), _free_port()
    proc = subprocess.Popen(
        [binary, "-js", "-a", "127.0.0.1", "-p", str(port), "-m", str(monitor), "-sd", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        health = f"http://127.0.0.1:{monitor}/healthz?js-enabled-only=true"
        with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=1):
            return proc, f"nats://127.0.0.1:{port}"
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("nats-server did not start")


def _batch_body(k: int) -> bytes:
    from cockpit.backend.gateway.layout import sensor_batch_body

    ids = (np.arange(VALUES_PER_BATCH, dtype="<u4") + 1 + (k % 100) * VALUES_PER_BATCH).tobytes()
    values = np.full(VALUES_PER_BATCH, k % 1000, dtype="<f4").tobytes()
    return sensor_batch_body(time.time_ns() // 1_000_000, 60_000, ids, values)


async def _prefill(url: str, n: int) -> None:
    import nats

    from cockpit.backend.gateway.jetstream import ensure_layout
    from cockpit.backend.gateway.layout import body_of, data_subject
    from cockpit.protocol.messages import SensorCatalog, SensorInfo, Stream

    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_layout(js)
    infos = [
        SensorInfo(
            id=i,
            name=f"d1-road_speed-{i:04d}",
            kind="road_speed",
            unit="km/h",
            district="d1",
            lon=106.57,
            lat=29.55,
            theme="traffic",
        )
        for i in range(1, 100 * VALUES_PER_BATCH + 1)
    ]
    catalog = SensorCatalog(stream=Stream.SENSORS, seq=0, prev=0, ts=0, sensors=infos)
    subject = data_subject(Stream.SENSORS, "d1", "traffic")
    await js.publish(subject, body_of(catalog))
    for k in range(n):
        await js.publish_async(subject, _batch_body(k))
    await js.publish_async_completed()
    await nc.close()


async def _consume(url: str, n: int) -> float:
    """The ceiling: a bare ordered consumer over the stream, as the gateway's tail uses it."""
    import nats
    from nats.js.api import DeliverPolicy

    nc = await nats.connect(url)
    js = nc.jetstream()
    done = asyncio.Event()
    count = 0

    async def cb(msg: Any) -> None:
        nonlocal count
        count += 1
        if count >= n:
            done.set()

    t0 = time.perf_counter()
    sub = await js.subscribe(
        "cockpit.sensors.>",
        ordered_consumer=True,
        cb=cb,
        deliver_policy=DeliverPolicy.ALL,
        pending_msgs_limit=1_000_000,
    )
    await asyncio.wait_for(done.wait(), 120)
    elapsed = time.perf_counter() - t0
    await sub.unsubscribe()
    await nc.close()
    return n / elapsed


def _publisher(url: str, seconds: float, out: Any) -> None:
    async def body() -> None:
        import nats

        from cockpit.backend.gateway.layout import data_subject
        from cockpit.protocol.messages import Stream

        nc = await nats.connect(url)
        js = nc.jetstream()
        subject = data_subject(Stream.SENSORS, "d1", "traffic")
        bodies = [_batch_body(k) for k in range(100)]
        n = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            for b in bodies:
                await js.publish_async(subject, b)
            n += len(bodies)
        await js.publish_async_completed()
        out.put(n / (time.perf_counter() - t0))
        await nc.close()

    asyncio.run(body())


def _count(frame: bytes) -> int:
    b0 = frame[0]
    if 0x90 <= b0 <= 0x9F:
        return b0 & 0x0F
    if b0 == 0xDC:
        return int.from_bytes(frame[1:3], "big")
    return int.from_bytes(frame[1:5], "big")


async def _wall(url: str, counts: list[int], i: int, ready: asyncio.Event, stop: asyncio.Event) -> None:
    """One wall: hello as its own operator (each wall is a centre), subscribe, count messages.

    Raises:
        RuntimeError: the gateway refused the wall (it says why).
    """
    import msgspec
    from websockets.asyncio.client import connect

    from cockpit.protocol.messages import Filter, Hello, Subscribe, Subscription

    enc = msgspec.msgpack.Encoder()
    async with connect(url, compression=None, max_size=1 << 22, ping_interval=None, proxy=None) as ws:
        await ws.send(enc.encode([Hello(v=1, client_id=f"bench-{i}", operator=f"bench-{i}", role="viewer")]))
        welcome = msgspec.msgpack.decode(await ws.recv())
        if not welcome or welcome[0].get("t") != "welcome":
            raise RuntimeError(f"wall {i} was not welcomed: {welcome!r}")
        await ws.send(enc.encode([Subscribe(streams=[Subscription(stream="sensors", filter=Filter())])]))
        await ws.recv()
        ready.set()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                frame = await asyncio.wait_for(ws.recv(), 0.5)
                counts[i] += _count(frame if isinstance(frame, bytes) else frame.encode())


async def _all_ready(walls: list[asyncio.Task[None]], readies: list[asyncio.Event], timeout_s: float) -> None:
    """Wait until every wall is subscribed; a wall that failed or a deadline passed ends the run with
    the reason, never a wait without end (issue 22: 120 walls hung here when 56 were refused)."""
    pending = {asyncio.create_task(r.wait()) for r in readies}
    deadline = time.monotonic() + timeout_s
    try:
        while pending:
            failed = [w for w in walls if w.done() and (w.cancelled() or w.exception() is not None)]
            if failed:
                first = failed[0]
                why = "cancelled" if first.cancelled() else repr(first.exception())
                raise RuntimeError(f"{len(failed)} of {len(walls)} walls failed before the run; first: {why}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{len(pending)} of {len(walls)} walls not subscribed after {timeout_s:g} s"
                )
            _, pending = await asyncio.wait(pending, timeout=0.2)
    finally:
        for t in pending:
            t.cancel()


async def _fanout(nats_url: str, gw_url: str, seconds: float, clients: int) -> tuple[float, float]:
    counts = [0] * clients
    readies = [asyncio.Event() for _ in range(clients)]
    stop = asyncio.Event()
    walls = [asyncio.create_task(_wall(gw_url, counts, i, readies[i], stop)) for i in range(clients)]
    try:
        await _all_ready(walls, readies, 30.0 + clients * 0.1)
        q: Any = mp.get_context("spawn").Queue()
        pub = mp.get_context("spawn").Process(target=_publisher, args=(nats_url, seconds + 1.0, q))
        pub.start()
        await asyncio.sleep(1.0)  # the publisher is up to speed
        start = sum(counts)
        t0 = time.perf_counter()
        await asyncio.sleep(seconds)
        delivered = sum(counts) - start
        elapsed = time.perf_counter() - t0
        publish_rate = await asyncio.to_thread(q.get, True, 60)
        await asyncio.to_thread(pub.join, 30)
    finally:
        stop.set()
        for w in walls:
            if not w.done():
                w.cancel()
        await asyncio.gather(*walls, return_exceptions=True)
    return delivered / elapsed, publish_rate


async def _resume_once(gw_url: str, back: int) -> float:
    from websockets.asyncio.client import connect

    from cockpit.protocol.messages import Filter
    from cockpit.protocol.session import ClientSession, Cursors, Position

    # Learn the head and epoch first (what a wall that was connected would know).
    probe = ClientSession(
        client_id="p", operator="p", role="viewer", token="", subscriptions={"sensors": Filter()}
    )
    async with connect(gw_url, compression=None, max_size=1 << 22, ping_interval=None, proxy=None) as ws:
        probe.start(0)
        for f in probe.data_to_send(0):
            await ws.send(f)
        while "sensors" not in probe.live_streams:
            data = await ws.recv()
            probe.receive_data(data if isinstance(data, bytes) else data.encode(), 0)
            probe.events_received()
            for f in probe.data_to_send(0):
                await ws.send(f)
    pos = probe.cursors.get("sensors")
    head = pos.seq
    cursors = Cursors({"sensors": Position(pos.epoch, max(1, head - back))})
    session = ClientSession(
        client_id="r",
        operator="r",
        role="viewer",
        token="",
        subscriptions={"sensors": Filter()},
        cursors=cursors,
    )
    t0 = time.perf_counter()
    async with connect(gw_url, compression=None, max_size=1 << 22, ping_interval=None, proxy=None) as ws:
        session.start(0)
        for f in session.data_to_send(0):
            await ws.send(f)
        while cursors.get("sensors").seq < head:
            data = await ws.recv()
            session.receive_data(data if isinstance(data, bytes) else data.encode(), 0)
            session.events_received()
            for f in session.data_to_send(0):
                await ws.send(f)
        elapsed = time.perf_counter() - t0
    if session.counters.snapshots:
        raise RuntimeError("the bench's resume took a snapshot instead")
    return elapsed * 1000


def _gateway(nats_url: str, *extra: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cockpit.backend.gateway.main",
            "--nats",
            nats_url,
            "--port",
            str(port),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "serving" not in line:
        proc.kill()
        raise RuntimeError(f"cockpit-gateway did not start: {line!r}")
    return proc, f"ws://127.0.0.1:{port}"


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    clients = int(os.environ.get("COCKPIT_BENCH_GATEWAY_CLIENTS", CLIENTS))
    prefill = 30_000 if quick else 150_000
    seconds = 3.0 if quick else 8.0
    repeats = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "js"
        nats_proc, url = _nats_server(store)
        procs: list[subprocess.Popen[str]] = []
        try:
            asyncio.run(_prefill(url, prefill))
            disk = _du(store / "jetstream" / "$G" / "streams" / "COCKPIT_SENSORS") / (prefill + 1)
            consume = statistics.median(asyncio.run(_consume(url, prefill)) for _ in range(1 if quick else 3))
            gw, gw_url = _gateway(url)
            procs.append(gw)
            fanout, publish = asyncio.run(_fanout(url, gw_url, seconds, clients))
            resume = statistics.median(asyncio.run(_resume_once(gw_url, 1000)) for _ in range(repeats))
            short, short_url = _gateway(url, "--ring", "500")
            procs.append(short)
            resume_js = statistics.median(asyncio.run(_resume_once(short_url, 3000)) for _ in range(repeats))
        finally:
            for p in procs:
                p.kill()
                p.wait(10)
                if p.stdout is not None:
                    p.stdout.close()
            nats_proc.kill()
            nats_proc.wait(10)
    return {
        "gateway": {
            "nats_consume_msgs_per_s": consume,
            "publish_msgs_per_s": publish,
            "fanout_msgs_per_s": fanout,
            "fanout_clients": float(clients),
            "resume_ms": resume,
            "resume_jetstream_ms": resume_js,
            "disk_bytes_per_msg": disk,
        }
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
