"""Periodic state snapshots: the situation at one instant as protocol data messages.

A seek rebuilds the model from the nearest snapshot before the target and replays only the frames
after it, never from the start. A snapshot holds each stream's state as the data messages a
protocol snapshot would carry (§4.3), the stream positions the live session had reached, and the
welcome of the connection, so the replay's session can take the following frames as the live one
did.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
import numpy as np

from cockpit.model.sensors import SensorTable
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import (
    Camera,
    Catalog,
    CatalogEntry,
    DataMessage,
    Dispatch,
    LayerPoints,
    Overlay,
    Plot,
    SensorBatch,
    SensorCatalog,
    SensorSeries,
    Stream,
    Welcome,
)
from cockpit.protocol.session import Cursors
from cockpit.record.video import VideoSlot

SNAPSHOT_VERSION = 1


class StateSnapshot(msgspec.Struct, kw_only=True):
    """One ``/cockpit/state`` message (docs/recording.md)."""

    v: int = SNAPSHOT_VERSION
    wall_ms: int
    clock_offset_ms: int = 0
    welcome: Welcome | None = None
    cursors: dict[str, tuple[str, int]]
    """Stream → (epoch, last seq applied)."""
    streams: dict[str, list[DataMessage]]
    video: list[VideoSlot] = []
    """The video panels' slots that showed a camera then (cockpit/record/video.py)."""


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(StateSnapshot)


def encode_snapshot(snapshot: StateSnapshot) -> bytes:
    return _ENCODER.encode(snapshot)


def decode_snapshot(data: bytes) -> StateSnapshot:
    """Raises:
    msgspec.DecodeError: the data is not a state snapshot.
    """
    return _DECODER.decode(data)


class StateMirror:
    """The newest message of every event, unit, dispatch, plan, overlay and plot, as the model saw them.

    The app gives it the same feed events as the model (per frame; only the few keyed messages cost
    a dict write, sensor batches are skipped). Keeping the messages themselves, not the model's
    records, means a snapshot carries every field the backend sent, including ones this version of
    the model does not use.
    """

    def __init__(self) -> None:
        self.keyed: dict[str, dict[str, DataMessage]] = {s.value: {} for s in Stream}
        self.catalogs: list[SensorCatalog] = []
        self.names: dict[tuple[str, str], CatalogEntry] = {}
        """The district's names (§5.8), by (kind, code)."""

    def apply(self, events: Iterable[object]) -> None:
        for ev in events:
            if isinstance(ev, DataReceived):
                self._take(ev.messages)
            elif isinstance(ev, SnapshotReceived):
                if ev.stream == Stream.SENSORS:
                    self.catalogs.clear()
                if ev.stream == Stream.CATALOG:
                    self.names.clear()
                self.keyed.setdefault(ev.stream, {}).clear()
                self._take(ev.messages)

    def _take(self, messages: Iterable[DataMessage]) -> None:
        for m in messages:
            if isinstance(m, SensorBatch | LayerPoints):
                # Point layers are not in state snapshots: 330,000 points every 10 s would be most
                # of a recording. The cockpit keeps the layer on disk (cockpit/record/district_cache.py).
                continue
            if isinstance(m, SensorCatalog):
                self.catalogs.append(m)
                continue
            if isinstance(m, Catalog):
                for e in m.entries:
                    if e.active:
                        self.names[(e.kind, e.code)] = e
                    else:
                        self.names.pop((e.kind, e.code), None)
                continue
            if isinstance(m, SensorSeries):
                key = f"series:{m.sensor}"
            else:
                key = m.command_id if isinstance(m, Dispatch) else f"{type(m).__name__}:{m.id}"
            table = self.keyed.setdefault(m.stream, {})
            if isinstance(m, Overlay | Camera | Plot) and not m.active:
                table.pop(key, None)
            else:
                table[key] = m


def take_snapshot(
    mirror: StateMirror,
    sensors: SensorTable,
    cursors: Cursors,
    welcome: Welcome | None,
    wall_ms: int,
    clock_offset_ms: int = 0,
) -> StateSnapshot:
    """The state as it stands, with the stream positions it was built from."""
    streams: dict[str, list[DataMessage]] = {s: list(t.values()) for s, t in mirror.keyed.items()}
    entries = list(mirror.names.values())
    names_seq = cursors.get(Stream.CATALOG).seq
    streams[Stream.CATALOG.value] = [
        Catalog(stream=Stream.CATALOG, seq=names_seq, prev=0, ts=wall_ms, entries=entries[lo : lo + 2000])
        for lo in range(0, len(entries), 2000)
    ]
    sn = streams.setdefault(Stream.SENSORS.value, [])
    sn.extend(mirror.catalogs)
    seq = cursors.get(Stream.SENSORS).seq
    seen = np.flatnonzero(sensors.ts != 0)
    if len(seen):
        # One batch per distinct (sample time, time to live): every value keeps its age after a seek.
        id_arr = np.asarray([info.id for info in sensors.infos], dtype="<u4")
        keys = np.stack([sensors.ts[seen], (sensors.stale_at - sensors.ts)[seen]], axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        for k, (ts, ttl_ms) in enumerate(uniq):
            pick = seen[inverse == k]
            sn.append(
                SensorBatch(
                    stream=Stream.SENSORS, seq=seq, prev=0, ts=int(ts), ttl_ms=int(ttl_ms),
                    ids=id_arr[pick].tobytes(), values=sensors.values[pick].astype("<f4").tobytes(),
                )
            )  # fmt: skip
    return StateSnapshot(
        wall_ms=wall_ms,
        clock_offset_ms=clock_offset_ms,
        welcome=welcome,
        cursors={s: (p.epoch, p.seq) for s, p in cursors.positions.items()},
        streams=streams,
    )


def snapshot_events(snapshot: StateSnapshot) -> list[SnapshotReceived]:
    """The snapshot as the protocol events that replace every stream's state in the model."""
    out = []
    for stream in Stream:
        if stream is Stream.LAYERS:
            continue  # not in snapshots: the layer the model has stays (see StateMirror)
        epoch, seq = snapshot.cursors.get(stream.value, ("", 0))
        out.append(SnapshotReceived(stream.value, epoch, seq, tuple(snapshot.streams.get(stream.value, []))))
    return out
