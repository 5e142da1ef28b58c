"""Protocol-core ingest against raw msgspec decode of the same frames, in the same run.

Three ways to take the same pre-built frames:
  raw      msgspec decode of the frame into typed messages, nothing else (the ceiling);
  core     ClientSession.receive_data + events_received: decode, seq/prev checks, events;
  model    core plus Situation.apply: events upserted, sensor values written into numpy columns.
Two workloads: sensor frames (columnar batches, the bulk of real traffic) and event frames.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import msgpack
import msgspec
import numpy as np

from cockpit.model import Situation
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.messages import (
    Event,
    Filter,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    ServerMessage,
    Subscribed,
    Welcome,
)
from cockpit.protocol.session import ClientSession

SENSORS = 20_000


def _open_session() -> ClientSession:
    s = ClientSession(
        client_id="bench",
        operator="b",
        role="viewer",
        token="",
        subscriptions={"events": Filter(), "sensors": Filter()},
    )
    s.start(0)
    s.cursors.get("events").epoch = "e"
    s.cursors.get("sensors").epoch = "e"
    s.receive_data(
        encode_frame(
            [
                Welcome(
                    v=1,
                    server_id="b",
                    epochs={"events": "e", "sensors": "e"},
                    capabilities=[],
                    server_time=0,
                    heartbeat_ms=10**9,
                ),
                Subscribed(stream="events", epoch="e", mode="resume", seq=0),
                Subscribed(stream="sensors", epoch="e", mode="resume", seq=0),
            ]
        ),
        0,
    )
    s.events_received()
    s.data_to_send(0)
    return s


def sensor_frames(n_frames: int, batches: int, per_batch: int) -> list[bytes]:
    rng = np.random.default_rng(1)
    frames, seq = [], CATALOG_SEQS  # the catalog comes first, applied before timing
    for _ in range(n_frames):
        msgs = []
        for _ in range(batches):
            ids = (rng.permutation(SENSORS)[:per_batch] + 1).astype("<u4")  # distinct in a batch (§5.2)
            vals = rng.random(per_batch, dtype=np.float32)
            msgs.append(
                SensorBatch(
                    stream="sensors",
                    seq=seq + 1,
                    prev=seq,
                    ts=seq,
                    ttl_ms=5000,
                    ids=ids.tobytes(),
                    values=vals.tobytes(),
                )
            )
            seq += 1
        frames.append(encode_frame(msgs))
    return frames


def event_frames(n_frames: int, per_frame: int) -> list[bytes]:
    frames, seq = [], 0
    for f in range(n_frames):
        msgs = []
        for i in range(per_frame):
            msgs.append(
                Event(
                    stream="events",
                    seq=seq + 1,
                    prev=seq,
                    ts=seq,
                    id=f"E{(f * per_frame + i) % 5000}",
                    type="fire",
                    severity=2,
                    time=seq,
                    lon=106.5,
                    lat=29.5,
                    district="d1",
                    state="new",
                    title="Fire alarm",
                    theme="fire",
                    recommended=["u1", "u2"],
                )
            )
            seq += 1
        frames.append(encode_frame(msgs))
    return frames


def catalog_frames() -> list[bytes]:
    infos = [
        SensorInfo(id=i, name=f"s{i}", kind="water_level", unit="m", district="d", lon=0, lat=0)
        for i in range(1, SENSORS + 1)
    ]
    chunks = [infos[i : i + 2000] for i in range(0, len(infos), 2000)]
    return [
        encode_frame([SensorCatalog(stream="sensors", seq=k + 1, prev=k, ts=0, sensors=c)])
        for k, c in enumerate(chunks)
    ]


CATALOG_SEQS = SENSORS // 2000


def _time(prepare: Callable[[], Callable[[], None]], repeat: int) -> float:
    """Median seconds of the callable ``prepare`` returns; the preparation is not timed."""
    runs = []
    for _ in range(repeat):
        fn = prepare()
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def measure(
    frames: list[bytes], units_per_frame: int, msgs_per_frame: int, repeat: int, with_catalog: bool
) -> dict[str, float]:
    decoder = msgspec.msgpack.Decoder(list[ServerMessage])  # type: ignore[valid-type]
    cat = catalog_frames() if with_catalog else []

    def raw() -> Callable[[], None]:
        def go() -> None:
            for f in frames:
                decoder.decode(f)

        return go

    def raw_msgpack() -> Callable[[], None]:
        def go() -> None:
            for f in frames:
                msgpack.unpackb(f)

        return go

    def core() -> Callable[[], None]:
        s = _open_session()
        for c in cat:
            s.receive_data(c, 0)
            s.events_received()

        def go() -> None:
            for f in frames:
                s.receive_data(f, 0)
                s.events_received()
            assert s.counters.gaps == 0 and s.counters.malformed == 0

        return go

    def model() -> Callable[[], None]:
        s = _open_session()
        sit = Situation()
        for c in cat:
            s.receive_data(c, 0)
            sit.apply(s.events_received())

        def go() -> None:
            for f in frames:
                s.receive_data(f, 0)
                sit.apply(s.events_received())
            assert s.counters.gaps == 0 and s.counters.malformed == 0
            assert sit.sensors.unknown_values == 0

        return go

    n_units = units_per_frame * len(frames)
    n_msgs = msgs_per_frame * len(frames)
    out = {}
    for name, fn in (
        ("raw_msgspec", raw),
        ("raw_msgpack", raw_msgpack),
        ("core", core),
        ("core_model", model),
    ):
        t = _time(fn, repeat)
        out[f"{name}_msgs_per_s"] = n_msgs / t
        out[f"{name}_updates_per_s"] = n_units / t
    out["core_over_raw"] = out["core_msgs_per_s"] / out["raw_msgspec_msgs_per_s"]
    out["core_model_over_raw"] = out["core_model_msgs_per_s"] / out["raw_msgspec_msgs_per_s"]
    return out


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    repeat = 3 if quick else 7
    n = 200 if quick else 1000
    # 16 batches of 64 values a frame: the demo backend's frames at its default rate;
    # 4 batches of 2,048: its frames at load-test rates (one batch per district and theme).
    small = measure(sensor_frames(n, 16, 64), 16 * 64, 16, repeat, with_catalog=True)
    large = measure(sensor_frames(n // 4, 4, 2048), 4 * 2048, 4, repeat, with_catalog=True)
    events = measure(event_frames(n, 100), 100, 100, repeat, with_catalog=False)
    return {"protocol_sensors_16x64": small, "protocol_sensors_4x2048": large, "protocol_events_100": events}
