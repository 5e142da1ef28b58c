"""A synthetic live session, made fast and offline, for the record and replay benchmarks and tests.

Frames are what a protocol v1 backend sends (welcome, subscribed, snapshots, then columnar sensor
batches, events and heartbeats) with a fake wall clock, so an hour of recording takes seconds to
make. They go through the real pipeline: the recorder's tap, then a :class:`ClientSession` and a
:class:`Situation`, which supply the recorder's state snapshots as in the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from cockpit.model import Situation
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.messages import (
    Event,
    Filter,
    Heartbeat,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    SnapshotBegin,
    SnapshotEnd,
    Stream,
    Subscribed,
    Welcome,
)
from cockpit.protocol.session import ClientSession
from cockpit.record.recorder import Recorder
from cockpit.record.snapshot import StateMirror, StateSnapshot, take_snapshot

EPOCH = "bench-epoch"


def frames(
    seconds: float, updates_per_s: int = 50_000, sensors: int = 5_000, frame_ms: int = 20, t0_ms: int = 0
) -> Iterator[tuple[bytes, int]]:
    """(frame, wall ms) of a session of ``seconds``: ``updates_per_s`` sensor values in batches."""
    rng = np.random.default_rng(1)
    t = t0_ms or 1_767_000_000_000
    seqs = {s.value: 0 for s in Stream}
    yield encode_frame([Welcome(v=1, server_id="bench", epochs={s.value: EPOCH for s in Stream},
                                capabilities=["batch"], server_time=t)]), t  # fmt: skip
    infos = [
        SensorInfo(
            id=i + 1, name=f"s{i}", kind="water_level", unit="m", district="d1", lon=106.5, lat=29.5
        )
        for i in range(sensors)
    ]
    snap: list[object] = []
    for s in Stream:
        snap.append(Subscribed(stream=s.value, epoch=EPOCH, mode="snapshot", seq=0))
        snap.append(SnapshotBegin(stream=s.value, epoch=EPOCH, seq=0))
        count = 0
        if s is Stream.SENSORS:
            snap.append(SensorCatalog(stream=s.value, seq=0, prev=0, ts=t, sensors=infos))
            count = 1
        snap.append(SnapshotEnd(stream=s.value, epoch=EPOCH, seq=0, count=count))
    t += 5
    yield encode_frame(snap), t  # type: ignore[arg-type]
    per_frame = max(1, updates_per_s * frame_ms // 1000)
    n_frames = int(seconds * 1000 / frame_ms)
    events = 0
    for i in range(n_frames):
        t += frame_ms
        msgs: list[object] = []
        seqs["sensors"] += 1
        ids = (rng.integers(0, sensors, per_frame) + 1).astype("<u4")
        vals = rng.random(per_frame, dtype=np.float32) * 5
        msgs.append(SensorBatch(stream="sensors", seq=seqs["sensors"], prev=seqs["sensors"] - 1, ts=t,
                                ttl_ms=30_000, ids=ids.tobytes(), values=vals.tobytes()))  # fmt: skip
        if i % 100 == 0:  # an event every 2 s, and now and then the acknowledgement of an older one
            seqs["events"] += 1
            events += 1
            msgs.append(Event(stream="events", seq=seqs["events"], prev=seqs["events"] - 1, ts=t,
                              id=f"ev-{events}", type="waterlogging", severity=1 + events % 4, time=t,
                              lon=106.5, lat=29.5, district="d2", state="new",
                              title=f"event {events}"))  # fmt: skip
            if events > 3:
                seqs["events"] += 1
                msgs.append(Event(stream="events", seq=seqs["events"], prev=seqs["events"] - 1, ts=t,
                                  id=f"ev-{events - 3}", type="waterlogging", severity=1 + (events - 3) % 4,
                                  time=t, lon=106.5, lat=29.5, district="d2", state="acknowledged",
                                  title=f"event {events - 3}"))  # fmt: skip
        if i % 50 == 0:
            msgs.append(Heartbeat(ts=t))
        yield encode_frame(msgs), t  # type: ignore[arg-type]


class Pipeline:
    """The live path with a fake clock: recorder tap → session → model (state for snapshots)."""

    def __init__(self, recorder: Recorder | None) -> None:
        self.model = Situation()
        self.mirror = StateMirror()
        self.session = ClientSession(client_id="bench", operator="bench", role="operator", token="",
                                     subscriptions={s.value: Filter() for s in Stream})  # fmt: skip
        self.recorder = recorder
        self.started = False

    def state(self, welcome: Welcome | None, wall_ms: int) -> StateSnapshot | None:
        if self.session.live_streams != self.session.subscribed_streams or not self.session.live_streams:
            return None
        return take_snapshot(
            self.mirror,
            self.model.sensors,
            self.session.cursors,
            welcome,
            wall_ms,
            self.model.clock_offset_ms,
        )

    def receive(self, frame: bytes, wall_ms: int) -> None:
        if not self.started:
            self.session.start(wall_ms)
            self.started = True
        if self.recorder is not None:
            self.recorder.tap(frame, wall_ms)
        self.session.receive_data(frame, wall_ms)
        events = self.session.events_received()
        self.model.apply(events)
        self.mirror.apply(events)
        self.session.data_to_send(wall_ms)


def make_recording(
    directory: Path, seconds: float, updates_per_s: int = 50_000, **recorder_args: float
) -> Pipeline:
    """Record a synthetic session of ``seconds`` into ``directory``; returns the live pipeline."""
    pipeline = Pipeline(None)
    recorder = Recorder(directory, state=pipeline.state, **recorder_args)  # type: ignore[arg-type]
    pipeline.recorder = recorder
    for frame, t in frames(seconds, updates_per_s):
        pipeline.receive(frame, t)
    recorder.close()
    return pipeline
