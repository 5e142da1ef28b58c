"""Issue 5's recording check: N minutes of the demo at ≥ 10,000 sensor updates/s, recorded by the real
recorder tap, read back with the ``mcap`` library; the counts must match what the feed counted.

``python -m bench.record_readback [--seconds 600] [--rate 10000] [--dir DIR]``

Prints the feed's frame, message and sensor-update counts beside the recording's, and exits 1 if
they differ. It is a run by hand (ten minutes); the test suite records a short session the same way
(tests/record/test_record_replay.py).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

import msgspec
import numpy as np
from mcap.reader import make_reader

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import SensorBatch, ServerMessage
from cockpit.record.channels import STATE_TOPIC, join_runs
from cockpit.record.recorder import Recorder, segments_in


async def record(directory: Path, seconds: float, rate: float) -> tuple[FeedClient, Recorder, int]:
    city = City(Hub(), seed=1, rate=rate)
    backend = DemoBackend(city, heartbeat_ms=1000, speed=1)
    await backend.start()
    recorder = Recorder(directory)
    model = Situation()
    updates = 0

    def sink(events: list[FeedEvent]) -> None:
        nonlocal updates
        model.apply(events)
        for ev in events:
            if isinstance(ev, DataReceived | SnapshotReceived):
                updates += sum(len(m.values) // 4 for m in ev.messages if isinstance(m, SensorBatch))

    feed = FeedClient(
        [backend.url],
        Identity("bench", "bench", "viewer"),
        sink,
        backoff=Backoff(0.05, 0.3),
        tap=recorder.tap,
    )
    feed.start()
    while feed.state is not ConnectionState.LIVE:
        await asyncio.sleep(0.05)
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        await asyncio.sleep(1.0)
    backend.running = False
    await asyncio.sleep(2.0)  # let the last frames arrive
    await feed.stop()
    await backend.stop()
    recorder.close()
    return feed, recorder, updates


def read_back(directory: Path) -> tuple[int, int, int]:
    frames: dict[int, list[bytes]] = collections.defaultdict(list)
    for path in segments_in(directory):
        with open(path, "rb") as f:
            for _schema, channel, message in make_reader(f).iter_messages(log_time_order=True):
                if channel.topic != STATE_TOPIC:
                    frames[message.sequence].append(message.data)
    decoder = msgspec.msgpack.Decoder(list[ServerMessage])
    messages = updates = 0
    for runs in frames.values():
        decoded = decoder.decode(join_runs(runs))
        messages += len(decoded)
        updates += sum(
            int(np.frombuffer(m.values, dtype="<f4").size) for m in decoded if isinstance(m, SensorBatch)
        )
    return len(frames), messages, updates


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.record_readback", description=__doc__)
    p.add_argument("--seconds", type=float, default=600.0)
    p.add_argument("--rate", type=float, default=10_000.0, help="sensor updates a second")
    p.add_argument("--dir", type=Path, help="record here (default: a temporary folder)")
    args = p.parse_args(argv)
    directory = args.dir or Path(tempfile.mkdtemp(prefix="cockpit-readback-"))
    feed, _recorder, fed_updates = asyncio.run(record(directory, args.seconds, args.rate))
    frames, messages, updates = read_back(directory)
    c = feed.counters
    print(f"recorded {args.seconds:g} s at {args.rate:g} updates/s into {directory}")
    print(f"  feed:      {c.frames:>12,} frames {c.messages:>12,} messages {fed_updates:>14,} sensor updates")
    print(f"  recording: {frames:>12,} frames {messages:>12,} messages {updates:>14,} sensor updates")
    print(
        f"  {fed_updates / args.seconds:,.0f} sensor updates/s, {sum(p.stat().st_size for p in segments_in(directory)) / 2**20:.1f} MB"
    )
    same = (frames, messages, updates) == (c.frames, c.messages, fed_updates)
    print("  counts match" if same else "  COUNTS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
