"""Ingest: the whole cockpit against the transport ceiling, in the same run (issue 7 ``ingest``).

A flood server (its own process) speaks protocol v1 and sends columnar sensor batches as fast as
the link takes them. Two clients take the same stream for the same time:

- ``ceiling``: websockets receive + typed msgspec decode, nothing else;
- ``app``: the real cockpit, offscreen: ``FeedClient`` → ``ClientSession`` → ``Situation`` → the
  wall's five runways repainting on their frame timer, under qasync on the GUI thread.

Reports sensor updates per second for both, their ratio, and the wall's frame intervals (p99,
largest gap), measured from the frame timer's ticks. The ceiling is taken before and after the
app (``ceiling_spread`` is the largest over the smallest of those windows: the machine's noise).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import statistics
import time
from typing import Any

import msgspec
import numpy as np

SENSORS = 20_000
QUICK_SENSORS = 2_000
"""``--quick`` (and the smoke test): the same flood over a tenth of the catalog, whose snapshot is
most of a short run's start-up on a loaded machine."""
PER_BATCH = 1000
BATCHES_PER_FRAME = 16
START_S = 120.0
"""Longest wait for a link to deliver its first batch: a run that cannot start fails saying where,
instead of hanging (a smoke run once hung past pytest's 300 s on a machine at load 8–11)."""


def _server(port_q: Any, stop: Any, sensors: int = SENSORS) -> None:
    import websockets
    from websockets.asyncio.server import serve

    from cockpit.protocol.codec import decode_client_frame, encode_frame, encode_frames
    from cockpit.protocol.messages import (
        Hello,
        SensorBatch,
        SensorCatalog,
        SensorInfo,
        SnapshotBegin,
        SnapshotEnd,
        Subscribe,
        Subscribed,
        Welcome,
    )

    rng = np.random.default_rng(0)
    pool_ids = [(rng.permutation(sensors)[:PER_BATCH] + 1).astype("<u4").tobytes() for _ in range(64)]
    pool_vals = [rng.random(PER_BATCH, dtype=np.float32).tobytes() for _ in range(64)]
    infos = [
        SensorInfo(
            id=i,
            name=f"bench-water_level-{i:05d}",
            kind="water_level",
            unit="m",
            district="d1",
            lon=106.5,
            lat=29.5,
            warn=3.0,
            alarm=3.5,
        )
        for i in range(1, sensors + 1)
    ]

    async def handler(ws: Any) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):  # the client is done measuring
            await serve_one(ws)

    async def serve_one(ws: Any) -> None:
        seq = {"events": 0, "sensors": 0, "dispatch": 0}
        async for data in ws:
            for m in decode_client_frame(data, 1 << 22).messages:
                if isinstance(m, Hello):
                    await ws.send(
                        encode_frame(
                            [
                                Welcome(
                                    v=1,
                                    server_id="flood",
                                    epochs=dict.fromkeys(seq, "e"),
                                    capabilities=[],
                                    server_time=time.time_ns() // 1_000_000,
                                    heartbeat_ms=1000,
                                )
                            ]
                        )
                    )
                elif isinstance(m, Subscribe):
                    out: list[msgspec.Struct] = []
                    for s in m.streams:
                        out.append(Subscribed(stream=s.stream, epoch="e", mode="snapshot", seq=0))
                        items: list[msgspec.Struct] = []
                        if s.stream == "sensors":
                            items = [
                                SensorCatalog(
                                    stream="sensors", seq=0, prev=0, ts=0, sensors=infos[i : i + 2000]
                                )
                                for i in range(0, sensors, 2000)
                            ]
                        out += [
                            SnapshotBegin(stream=s.stream, epoch="e", seq=0),
                            *items,
                            SnapshotEnd(stream=s.stream, epoch="e", seq=0, count=len(items)),
                        ]
                    for frame in encode_frames(out, 1 << 20):
                        await ws.send(frame)
                    asyncio.get_running_loop().create_task(pump(ws, seq))

    async def pump(ws: Any, seq: dict[str, int]) -> None:
        k = 0
        try:
            while True:
                now = time.time_ns() // 1_000_000
                batch = []
                for _ in range(BATCHES_PER_FRAME):
                    s = seq["sensors"] + 1
                    batch.append(
                        SensorBatch(
                            stream="sensors",
                            seq=s,
                            prev=s - 1,
                            ts=now,
                            ttl_ms=60_000,
                            ids=pool_ids[k % 64],
                            values=pool_vals[k % 64],
                        )
                    )
                    seq["sensors"] = s
                    k += 1
                await ws.send(encode_frame(batch))
        except websockets.ConnectionClosed:
            return

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0, compression=None, max_size=1 << 22) as server:
            port_q.put(server.sockets[0].getsockname()[1])
            while not stop.is_set():
                await asyncio.sleep(0.1)

    asyncio.run(main())


def _start_server(sensors: int = SENSORS) -> tuple[Any, Any, int]:
    ctx = mp.get_context("spawn")
    q, stop = ctx.Queue(), ctx.Event()
    proc = ctx.Process(target=_server, args=(q, stop, sensors), daemon=True)
    proc.start()
    try:
        return proc, stop, int(q.get(timeout=START_S))
    except Exception as exc:
        proc.kill()
        raise RuntimeError(f"the flood server did not listen within {START_S:.0f} s") from exc


async def _ceiling(url: str, seconds: float) -> float:
    import websockets

    from cockpit.feed.client import set_read_chunk
    from cockpit.protocol.codec import decode_server_frame, encode_frame
    from cockpit.protocol.messages import Filter, Hello, SensorBatch, Subscribe, Subscription

    # close_timeout: the flood server answers a close only between its sends; the measurement is
    # over by then, and the default 10 s wait for that answer was most of a quick run's time.
    async with websockets.connect(
        url, compression=None, max_size=1 << 22, proxy=None, close_timeout=1.0
    ) as ws:
        set_read_chunk(ws.transport)  # the same socket reads as the app's feed: a fair ceiling
        await ws.send(encode_frame([Hello(v=1, client_id="c", operator="o", role="viewer")]))
        await ws.recv()
        await ws.send(encode_frame([Subscribe(streams=[Subscription(stream="sensors", filter=Filter())])]))
        values = 0
        t0 = 0.0
        deadline = time.perf_counter() + START_S
        while True:
            if not t0 and time.perf_counter() > deadline:
                raise RuntimeError(f"ceiling: no sensor batch within {START_S:.0f} s of subscribing")
            data = await asyncio.wait_for(ws.recv(), START_S)
            msgs = decode_server_frame(data, 1 << 22).messages
            if not t0 and any(isinstance(m, SensorBatch) for m in msgs):
                t0 = time.perf_counter()
                continue
            if t0:
                values += sum(len(m.ids) // 4 for m in msgs if isinstance(m, SensorBatch))
                if time.perf_counter() - t0 >= seconds:
                    return values / (time.perf_counter() - t0)


def _app(url: str, seconds: float) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from cockpit.app.wiring import Cockpit, freeze_startup_heap
    from cockpit.feed import ConnectionState, Identity
    from cockpit.present.wall_layout import virtual_screens

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    cockpit = Cockpit([url], Identity("bench", "bench", "viewer"))
    cockpit.place(virtual_screens(5))
    cockpit.wall.show(full_screen=False)
    freeze_startup_heap()  # as cockpit/app/run.py does before the wall goes live
    ticks: list[float] = []
    cockpit.frame_timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    async def body() -> dict[str, float]:
        cockpit.start()
        deadline = time.perf_counter() + START_S
        while not (cockpit.feed.state is ConnectionState.LIVE and cockpit.situation.sensors.ts.any()):
            if time.perf_counter() > deadline:
                await cockpit.stop()
                raise RuntimeError(
                    f"app: no sensor values within {START_S:.0f} s (feed {cockpit.feed.state.value})"
                )
            await asyncio.sleep(0.05)
        table = cockpit.situation.sensors
        start_msgs = cockpit.feed.counters.messages
        ticks.clear()
        t0 = time.perf_counter()
        await asyncio.sleep(seconds)
        elapsed = time.perf_counter() - t0
        msgs = cockpit.feed.counters.messages - start_msgs
        await cockpit.stop()
        gaps = np.diff(np.array(ticks)) * 1000 if len(ticks) > 2 else np.array([0.0])
        del table
        return {
            "app_msgs_per_s": msgs * PER_BATCH / elapsed,
            "frame_p99_ms": float(np.percentile(gaps, 99)),
            "frame_max_gap_ms": float(gaps.max()),
            "frame_mean_ms": float(gaps.mean()),
        }

    with loop:
        result = loop.run_until_complete(body())
    cockpit.wall.close()
    return result


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    seconds = 3.0 if quick else 8.0
    proc, stop, port = _start_server(QUICK_SENSORS if quick else SENSORS)
    url = f"ws://127.0.0.1:{port}"
    # The ceiling is measured right before AND right after the app, and the ratio taken against
    # their median: on a shared 2-core machine the transport alone swung 122-328 M/s over a day,
    # so a ceiling taken only before the app compared it with a different machine.
    windows = 1 if quick else 2
    try:
        before = [asyncio.run(_ceiling(url, seconds / 2)) for _ in range(windows)]
        app = _app(url, seconds)
        after = [asyncio.run(_ceiling(url, seconds / 2)) for _ in range(windows)]
    finally:
        stop.set()
        proc.join(timeout=10)
    ceilings = before + after
    ceiling = statistics.median(ceilings)
    return {
        "ingest": {
            "ceiling_msgs_per_s": ceiling,
            "ceiling_spread": max(ceilings) / min(ceilings),
            **app,
            "ratio": app["app_msgs_per_s"] / ceiling,
        }
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
