"""What a gateway holds in memory, all derived from JetStream: a ring of recent messages per stream
(for resume and fan-out) and the latest state (for snapshots, §4.3).

Both are fed by the same call, :meth:`StreamView.apply`, in stream order, so a snapshot taken at
the view's ``seq`` and the ring's messages after it join with no gap and no overlap.

The views also serialise themselves to and from the KV bucket of latest values
(:data:`~cockpit.backend.gateway.layout.LATEST_BUCKET`), which lets a gateway start without
replaying the whole history: a publisher writes the keys, then ``watermark.<stream>``; a gateway
reads the watermark first, then the keys, then tails the stream after the watermark, newest seq
winning per entity.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from cockpit.protocol.codec import stamp
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import (
    Camera,
    Catalog,
    CatalogEntry,
    DataMessage,
    Dispatch,
    Event,
    Filter,
    LayerPoints,
    Overlay,
    Plot,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    SensorSeries,
    Stream,
    Unit,
)

_DECODE = msgspec.msgpack.Decoder(DataMessage)  # type: ignore[arg-type]


class _Batch(msgspec.Struct, tag="sensor_batch", tag_field="t"):
    """The fields of a ``sensor_batch`` the sensor view needs; other keys are skipped undecoded."""

    ts: int
    ttl_ms: int
    ids: bytes
    values: bytes


_BATCH = msgspec.msgpack.Decoder(_Batch)
_ENCODER = msgspec.msgpack.Encoder()
_KEY_OK = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_CATALOG = 2000
"""Sensor descriptions per ``sensor_catalog`` of a snapshot, and names per ``catalog`` (as the demo)."""
MAX_BATCH = 50_000
PENDING_BATCHES = 2048
"""Sensor batches held before they are written into the columns even if nobody reads them."""


@dataclass(frozen=True, slots=True)
class Item:
    """One message of a stream as the gateway fans it out.

    ``wire`` is the message stamped with its ``seq`` and ``prev`` = the previous seq of the stream:
    what every unfiltered subscriber gets, so it is encoded once for all of them.
    """

    seq: int
    district: str
    theme: str
    body: bytes
    prev: int
    wire: bytes
    levels: tuple[str, ...] = ()
    """For events, the centre levels it is for (filter key, §4.1): from the ``Cockpit-Levels`` header."""

    def encode(self, prev: int) -> bytes:
        """The message for a subscription whose previous message had seq ``prev`` (§5.0): the
        unfiltered form, encoded once for every subscriber, when the chain is the stream's own."""
        return self.wire if prev == self.prev else stamp(self.body, self.seq, prev)


class Ring:
    """The newest ``capacity`` (to twice that) items of one stream."""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, capacity)
        self.items: list[Item] = []
        self.seq = 0

    @property
    def first_seq(self) -> int:
        """The oldest seq held, or ``seq + 1`` when empty."""
        return self.items[0].seq if self.items else self.seq + 1

    def append(self, item: Item) -> None:
        self.items.append(item)
        self.seq = item.seq
        if len(self.items) > 2 * self.capacity:
            del self.items[: len(self.items) - self.capacity]

    def holds_after(self, seq: int) -> bool:
        """Whether every item after ``seq`` (up to the newest) is held."""
        return seq <= self.seq and (seq >= self.seq or self.first_seq <= seq + 1 or not self.items)

    def since(self, seq: int) -> list[Item]:
        """Items with a greater seq, oldest first (seqs may have holes: purged or filtered)."""
        items = self.items
        if not items or seq >= items[-1].seq:
            return []
        lo, hi = 0, len(items)
        while lo < hi:
            mid = (lo + hi) // 2
            if items[mid].seq <= seq:
                lo = mid + 1
            else:
                hi = mid
        return items[lo:]


def kv_key(*parts: str) -> str:
    """A KV key from parts; a part that is not a plain token is hashed."""
    return ".".join(p if _KEY_OK.match(p) else "h" + hashlib.sha1(p.encode()).hexdigest()[:20] for p in parts)


@functools.lru_cache(maxsize=4096)
def _values_key(district: str, theme: str) -> str:
    return kv_key(Stream.SENSORS, "values", district or "_", theme or "_")


class StreamView:
    """The latest state of one stream, at :attr:`seq`."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self.seq = 0
        self.dirty: set[str] = set()
        """KV keys changed since :meth:`take_dirty` (for the publisher that writes the bucket)."""

    def apply(self, seq: int, district: str, theme: str, wire: bytes) -> None:
        raise NotImplementedError

    def snapshot(self, f: Filter) -> list[DataMessage]:
        raise NotImplementedError

    def kv_entries(self, keys: Iterable[str]) -> dict[str, bytes | None]:
        """The values of ``keys`` for the KV bucket (``None``: delete the key)."""
        raise NotImplementedError

    def load(self, key: str, value: bytes) -> None:
        """Merge one KV entry; a newer seq already held wins."""
        raise NotImplementedError

    def take_dirty(self) -> set[str]:
        dirty, self.dirty = self.dirty, set()
        return dirty


def _entity_key(stream: str, msg: DataMessage) -> str:
    if isinstance(msg, Unit):
        return kv_key(stream, "unit", msg.id)
    if isinstance(msg, Dispatch):
        return kv_key(stream, "dispatch", msg.command_id)
    if isinstance(msg, Event | Overlay):
        return kv_key(stream, msg.id)
    if isinstance(msg, SensorSeries):  # a later series of the same sensor replaces it (§5.10)
        return kv_key(stream, "series", str(msg.sensor))
    return kv_key(stream, type(msg).__name__.lower(), str(getattr(msg, "id", "")))


def _removed(msg: DataMessage) -> bool:
    """An overlay (§5.5), a camera (§5.7) or a plot (§5.10) with ``active: false``: it leaves the
    state (a deleted plot is in no snapshot; walls that saw it got its delete on the stream)."""
    return isinstance(msg, Overlay | Camera | Plot) and not msg.active


class EntityView(StreamView):
    """Events, dispatch (units, dispatches, plans), overlays, cameras, sensor series or plots: the
    latest message of each entity."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.entities: dict[str, tuple[str, str, DataMessage]] = {}
        self._by_district: dict[str, dict[str, None]] = {}
        """District → the keys of its entities (insertion-ordered): a district's snapshot reads its
        own, not the city's (1,073 centres subscribing at once, issue 22)."""

    def apply(self, seq: int, district: str, theme: str, wire: bytes) -> None:
        self.seq = max(self.seq, seq)
        self._put(district, theme, _DECODE.decode(wire))

    def _put(self, district: str, theme: str, msg: DataMessage) -> None:
        key = _entity_key(self.stream, msg)
        held = self.entities.get(key)
        if held is not None and held[2].seq >= msg.seq:
            return
        self.dirty.add(key)
        removed = _removed(msg)
        if held is not None and (held[0] != district or removed):
            self._by_district.get(held[0], {}).pop(key, None)
        if removed:
            self.entities.pop(key, None)  # in no snapshot (§5.5, §5.7, §5.10)
            return
        self.entities[key] = (district, theme, msg)
        self._by_district.setdefault(district, {})[key] = None

    def _candidates(self, f: Filter) -> Iterable[tuple[str, str, DataMessage]]:
        if not f.districts:
            return self.entities.values()
        keys = [k for d in {*f.districts, ""} for k in self._by_district.get(d, ())]
        held = [self.entities[k] for k in keys]
        held.sort(key=lambda e: e[2].seq)
        return held

    def snapshot(self, f: Filter) -> list[DataMessage]:
        out = [
            msgspec.structs.replace(m, prev=0)
            for d, t, m in self._candidates(f)
            if matches(f, d, t, (m.level,) if isinstance(m, Event) else ())
        ]
        if self.stream == Stream.DISPATCH:  # units first, then dispatches (§4.3)
            out.sort(key=lambda m: (not isinstance(m, Unit), not isinstance(m, Dispatch)))
        return out

    def kv_entries(self, keys: Iterable[str]) -> dict[str, bytes | None]:
        out: dict[str, bytes | None] = {}
        for key in keys:
            held = self.entities.get(key)
            out[key] = None if held is None else _ENCODER.encode([held[0], held[1], _ENCODER.encode(held[2])])
        return out

    def load(self, key: str, value: bytes) -> None:
        district, theme, wire = msgspec.msgpack.decode(value)
        msg = _DECODE.decode(wire)
        self._put(district, theme, msg)
        self.dirty.discard(key)


class SensorView(StreamView):
    """Sensor descriptions and the latest value of every sensor, in numpy columns by sensor id."""

    def __init__(self) -> None:
        super().__init__(Stream.SENSORS)
        self.catalogs: dict[str, tuple[str, str, SensorCatalog]] = {}
        self.info: dict[int, tuple[SensorInfo, str, str, int]] = {}  # id → (info, district, theme, seq)
        self._ids_by_district: dict[str, set[int]] = {}
        self.values = np.zeros(0, dtype="<f4")
        self.ts = np.zeros(0, dtype=np.int64)
        self.ttl = np.zeros(0, dtype=np.int64)
        self.vseq = np.zeros(0, dtype=np.int64)  # seq of the batch that set each value; 0 = none
        self.last_ts = 0
        self._pending: list[tuple[bytes, bytes, int, int, int]] = []
        """Batches applied but not yet written into the columns: (ids, values, ts, ttl, seq)."""

    def _grow(self, top: int) -> None:
        n = len(self.values)
        if top < n:
            return
        size = max(top + 1, 2 * n, 1024)
        for name in ("values", "ts", "ttl", "vseq"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[:n] = old
            setattr(self, name, new)

    def apply(self, seq: int, district: str, theme: str, wire: bytes) -> None:
        self.seq = max(self.seq, seq)
        try:  # the high-rate message first, decoded into just what is needed
            batch = _BATCH.decode(wire)
        except msgspec.ValidationError:
            msg = _DECODE.decode(wire)
            if isinstance(msg, SensorCatalog):
                self._put_catalog(district, theme, msg)
            return
        if len(batch.ids) % 4 or len(batch.ids) != len(batch.values):
            return
        # Written into the columns in bulk when they are next read: per batch, numpy's fixed cost
        # was a third of a city gateway's ingest (profile, issue 22).
        self._pending.append((batch.ids, batch.values, batch.ts, batch.ttl_ms, seq))
        if len(self._pending) >= PENDING_BATCHES:
            self._flush()
        self.last_ts = max(self.last_ts, batch.ts)
        self.dirty.add(_values_key(district, theme))

    def _flush(self) -> None:
        """Write the pending batches into the columns; a later batch wins for a sensor in several."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        ids = np.frombuffer(b"".join(p[0] for p in pending), dtype="<u4")
        if not len(ids):
            return
        vals = np.frombuffer(b"".join(p[1] for p in pending), dtype="<f4")
        counts = np.fromiter((len(p[0]) // 4 for p in pending), dtype=np.int64, count=len(pending))
        ts = np.repeat(np.fromiter((p[2] for p in pending), dtype=np.int64, count=len(pending)), counts)
        ttl = np.repeat(np.fromiter((p[3] for p in pending), dtype=np.int64, count=len(pending)), counts)
        seq = np.repeat(np.fromiter((p[4] for p in pending), dtype=np.int64, count=len(pending)), counts)
        if len(pending) > 1:  # the last occurrence of each id (pending is in seq order)
            ids, first = np.unique(ids[::-1], return_index=True)
            last = len(vals) - 1 - first
            vals, ts, ttl, seq = vals[last], ts[last], ttl[last], seq[last]
        top = int(ids.max())
        if top >= len(self.values):
            self._grow(top)
        self.values[ids] = vals
        self.ts[ids] = ts
        self.ttl[ids] = ttl
        self.vseq[ids] = seq

    def _put_catalog(self, district: str, theme: str, msg: SensorCatalog) -> None:
        first = min((s.id for s in msg.sensors), default=0)
        key = kv_key(Stream.SENSORS, "catalog", district or "_", theme or "_", str(first))
        held = self.catalogs.get(key)
        if held is not None and held[2].seq >= msg.seq:
            return
        self.catalogs[key] = (district, theme, msg)
        self.dirty.add(key)
        for s in msg.sensors:
            before = self.info.get(s.id)
            if before is not None and before[1] != district:
                self._ids_by_district.get(before[1], set()).discard(s.id)
            self.info[s.id] = (s, district, theme, msg.seq)
            self._ids_by_district.setdefault(district, set()).add(s.id)

    def _put_values(
        self, ids: np.ndarray, vals: np.ndarray, ts: np.ndarray, ttl: np.ndarray, seqs: np.ndarray
    ) -> None:
        self._flush()
        if not len(ids):
            return
        self._grow(int(ids.max()))
        newer = seqs >= self.vseq[ids]
        ids = ids[newer]
        self.values[ids] = vals[newer]
        self.ts[ids] = ts[newer]
        self.ttl[ids] = ttl[newer]
        self.vseq[ids] = seqs[newer]

    def _ids_in(self, f: Filter) -> np.ndarray:
        if f.districts:
            ids: Iterable[int] = (i for d in {*f.districts, ""} for i in self._ids_by_district.get(d, ()))
        else:
            ids = self.info
        keep = [i for i in ids if matches(f, self.info[i][1], self.info[i][2])]
        return np.array(sorted(keep), dtype=np.int64)

    def snapshot(self, f: Filter) -> list[DataMessage]:
        """Catalogs of every sensor in the filter, then their latest values grouped by ts and ttl."""
        self._flush()
        seq = self.seq
        keep = self._ids_in(f)
        out: list[DataMessage] = []
        for lo in range(0, len(keep), MAX_CATALOG):
            infos = [self.info[int(i)][0] for i in keep[lo : lo + MAX_CATALOG]]
            out.append(SensorCatalog(stream=Stream.SENSORS, seq=seq, prev=0, ts=self.last_ts, sensors=infos))
        for batch in self._batches(keep, 0):
            out.append(msgspec.structs.replace(batch, seq=seq))
        return out

    def catch_up(self, f: Filter, after: int) -> list[DataMessage]:
        """Everything a subscriber at ``after`` lacks, coalesced: the catalogs and latest values that
        changed since, each value once, in increasing seq with ``prev`` left to the caller.

        This is the sensor lane's backpressure: a slow client gets the latest value of each sensor,
        not every value it missed.
        """
        self._flush()
        keep = self._ids_in(f)
        msgs: list[DataMessage] = []
        for district, theme, cat in self.catalogs.values():
            if cat.seq > after and matches(f, district, theme):
                msgs.append(cat)
        msgs.extend(self._batches(keep, after))
        msgs.sort(key=lambda m: m.seq)
        return msgs

    def _batches(self, keep: np.ndarray, after: int) -> list[SensorBatch]:
        if not len(keep):
            return []
        keep = keep[keep < len(self.vseq)]
        sel = keep[self.vseq[keep] > after]
        if not len(sel):
            return []
        ts, ttl = self.ts[sel], self.ttl[sel]
        order = np.lexsort((ttl, ts))
        sel, ts, ttl = sel[order], ts[order], ttl[order]
        change = np.flatnonzero((np.diff(ts) != 0) | (np.diff(ttl) != 0)) + 1
        out: list[SensorBatch] = []
        for part in np.split(np.arange(len(sel)), change):
            group = sel[part]
            group = group[np.argsort(self.vseq[group], kind="stable")]
            for chunk in _chunks(group, self.vseq[group]):
                out.append(
                    SensorBatch(
                        stream=Stream.SENSORS,
                        seq=int(self.vseq[chunk[-1]]),  # the newest value in it
                        prev=0,
                        ts=int(self.ts[chunk[0]]),
                        ttl_ms=int(self.ttl[chunk[0]]),
                        ids=chunk.astype("<u4").tobytes(),
                        values=self.values[chunk].tobytes(),
                    )
                )
        return out

    def kv_entries(self, keys: Iterable[str]) -> dict[str, bytes | None]:
        self._flush()
        out: dict[str, bytes | None] = {}
        wanted = set(keys)
        for key in wanted:
            if key in self.catalogs:
                d, t, cat = self.catalogs[key]
                out[key] = _ENCODER.encode([d, t, _ENCODER.encode(cat)])
        groups: dict[str, list[int]] = {}
        for sid, (_, d, t, _) in self.info.items():
            key = _values_key(d, t)
            if key in wanted and sid < len(self.vseq) and self.vseq[sid] > 0:
                groups.setdefault(key, []).append(sid)
        for key, sids in groups.items():
            ids = np.array(sids, dtype=np.int64)
            out[key] = _ENCODER.encode(
                {
                    "ids": ids.astype("<u4").tobytes(),
                    "values": self.values[ids].tobytes(),
                    "ts": self.ts[ids].astype("<i8").tobytes(),
                    "ttl": self.ttl[ids].astype("<i8").tobytes(),
                    "seq": self.vseq[ids].astype("<i8").tobytes(),
                }
            )
        return out

    def load(self, key: str, value: bytes) -> None:
        decoded: Any = msgspec.msgpack.decode(value)
        if isinstance(decoded, list):
            district, theme, wire = decoded
            cat = _DECODE.decode(wire)
            if isinstance(cat, SensorCatalog):
                self._put_catalog(district, theme, cat)
        else:
            ts = np.frombuffer(decoded["ts"], dtype="<i8")
            self._put_values(
                np.frombuffer(decoded["ids"], dtype="<u4").astype(np.int64),
                np.frombuffer(decoded["values"], dtype="<f4"),
                ts,
                np.frombuffer(decoded["ttl"], dtype="<i8"),
                np.frombuffer(decoded["seq"], dtype="<i8"),
            )
            if len(ts):
                self.last_ts = max(self.last_ts, int(ts.max()))
        self.dirty.discard(key)


def _chunks(ids: np.ndarray, seqs: np.ndarray) -> list[np.ndarray]:
    """Split ``ids`` (sorted by ``seqs``) into batches of at most about :data:`MAX_BATCH`, cutting only
    where the seq changes: each batch's seq is its newest value's, and a catch-up's batches must have
    strictly increasing seqs (§5.0). One seq's values stay together (they came in one batch)."""
    runs = [0, *(np.flatnonzero(np.diff(seqs)) + 1).tolist(), len(ids)]
    out: list[np.ndarray] = []
    start = 0
    for k in range(1, len(runs)):
        if runs[k] - start > MAX_BATCH and runs[k - 1] > start:
            out.append(ids[start : runs[k - 1]])
            start = runs[k - 1]
    out.append(ids[start:])
    return out


class CatalogView(StreamView):
    """The district's names (§5.8): the latest entry of each kind and code, withdrawn ones left out.

    A ``catalog`` message carries many entries and has no filter keys: a snapshot sends every entry
    held, in messages of :data:`MAX_CATALOG`, whatever the filter. In the KV bucket each entry is a
    key of its own (``catalog.<kind>.<code>``), so a later message replacing one entry rewrites one key.
    """

    def __init__(self) -> None:
        super().__init__(Stream.CATALOG)
        self.entries: dict[tuple[str, str], tuple[int, int, CatalogEntry]] = {}
        """(kind, code) → (seq, ts, entry) of the message that last set it."""
        self.last_ts = 0

    def apply(self, seq: int, district: str, theme: str, wire: bytes) -> None:
        self.seq = max(self.seq, seq)
        msg = _DECODE.decode(wire)
        if not isinstance(msg, Catalog):
            raise ValueError(f"a {type(msg).__name__} on the catalog stream")
        self.last_ts = max(self.last_ts, msg.ts)
        for entry in msg.entries:
            self._put(seq, msg.ts, entry)

    def _put(self, seq: int, ts: int, entry: CatalogEntry) -> None:
        key = (entry.kind, entry.code)
        held = self.entries.get(key)
        if held is not None and held[0] > seq:
            return
        self.dirty.add(kv_key(Stream.CATALOG, entry.kind, entry.code))
        if entry.active:
            self.entries.pop(key, None)  # re-inserted: the dict keeps the order entries last came in
            self.entries[key] = (seq, ts, entry)
        else:
            self.entries.pop(key, None)

    def snapshot(self, f: Filter) -> list[DataMessage]:
        held = [e for _, _, e in self.entries.values()]
        return [
            Catalog(
                stream=Stream.CATALOG,
                seq=self.seq,
                prev=0,
                ts=self.last_ts,
                entries=held[lo : lo + MAX_CATALOG],
            )
            for lo in range(0, len(held), MAX_CATALOG)
        ]

    def kv_entries(self, keys: Iterable[str]) -> dict[str, bytes | None]:
        by_key = {kv_key(Stream.CATALOG, kind, code): held for (kind, code), held in self.entries.items()}
        out: dict[str, bytes | None] = {}
        for key in keys:
            held = by_key.get(key)
            if held is None:
                out[key] = None
            else:
                seq, ts, entry = held
                one = Catalog(stream=Stream.CATALOG, seq=seq, prev=0, ts=ts, entries=[entry])
                out[key] = _ENCODER.encode(["", "", _ENCODER.encode(one)])
        return out

    def load(self, key: str, value: bytes) -> None:
        _, _, wire = msgspec.msgpack.decode(value)
        msg = _DECODE.decode(wire)
        if isinstance(msg, Catalog):
            self.last_ts = max(self.last_ts, msg.ts)
            for entry in msg.entries:
                self._put(msg.seq, msg.ts, entry)
        self.dirty.discard(key)


LAYER_CHUNK = 25_000
"""Points per ``layer_points`` of a snapshot (§5.9: about 575 kB, well under the frame limit)."""
LAYER_BLOCK_BITS = 13
"""A layer's points are kept in the KV bucket by blocks of 8,192 ids (about 300 kB a key, under
NATS's 1 MB payload), so a change of 40 points rewrites the blocks they are in, not the layer."""
_U32 = np.dtype("<u4")
_F64 = np.dtype("<f8")
_U16 = np.dtype("<u2")


@dataclass(frozen=True, slots=True)
class _Points:
    """Columns of points, one row each. ``kind`` and ``district`` index the view's own lists
    (``kind`` -1: none); ``seq`` is the seq of the message that last set the point."""

    ids: npt.NDArray[np.uint32]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    level: npt.NDArray[np.uint8]
    kind: npt.NDArray[np.int32]
    district: npt.NDArray[np.int32]
    seq: npt.NDArray[np.int64]

    @classmethod
    def empty(cls) -> _Points:
        return cls(
            np.empty(0, np.uint32),
            np.empty(0, np.float64),
            np.empty(0, np.float64),
            np.empty(0, np.uint8),
            np.empty(0, np.int32),
            np.empty(0, np.int32),
            np.empty(0, np.int64),
        )

    def take(self, rows: npt.NDArray[Any]) -> _Points:
        return _Points(*(getattr(self, f)[rows] for f in _POINT_FIELDS))

    @staticmethod
    def concat(parts: list[_Points]) -> _Points:
        return _Points(*(np.concatenate([getattr(p, f) for p in parts]) for f in _POINT_FIELDS))


_POINT_FIELDS = ("ids", "lon", "lat", "level", "kind", "district", "seq")


def _newest_per_id(points: _Points) -> _Points:
    """One row per id, the one with the greatest seq (the later row among equal seqs), sorted by id."""
    if not len(points.ids):
        return points
    order = np.lexsort((np.arange(len(points.ids)), points.seq, points.ids))
    ids = points.ids[order]
    last = np.ones(len(ids), dtype=bool)
    last[:-1] = ids[1:] != ids[:-1]
    return points.take(order[last])


class LayerView(StreamView):
    """The district's feature layers (§5.9): every point of every layer, in numpy columns.

    A ``layer_points`` message removes its ``removed`` ids, then adds or replaces its points (in
    whatever district they were before: a point's district is the one of the message that last set
    it). Messages are queued as they come and merged into the columns when next read, as the
    sensor view does with values. A snapshot sends the points that pass the filter, one district
    per message, :data:`LAYER_CHUNK` points at most, like the demo. A malformed message (columns of
    unequal length, §5.9) is skipped: the wall drops it too.
    """

    def __init__(self) -> None:
        super().__init__(Stream.LAYERS)
        self.layers: dict[str, _Points] = {}
        """Layer code → its points, sorted by id (merged up to :attr:`_pending`)."""
        self.kinds: list[str] = []
        self.districts: list[str] = []
        self.last_ts = 0
        self.malformed = 0
        self._kind_index: dict[str, int] = {}
        self._district_index: dict[str, int] = {}
        self._pending: dict[str, list[tuple[npt.NDArray[np.uint32], _Points]]] = {}
        """Layer → messages applied but not merged: (ids removed, points added)."""

    def _index(self, table: list[str], index: dict[str, int], code: str) -> int:
        i = index.get(code)
        if i is None:
            i = index[code] = len(table)
            table.append(code)
        return i

    def apply(self, seq: int, district: str, theme: str, wire: bytes) -> None:
        self.seq = max(self.seq, seq)
        msg = _DECODE.decode(wire)
        if not isinstance(msg, LayerPoints):
            raise ValueError(f"a {type(msg).__name__} on the layers stream")
        self.last_ts = max(self.last_ts, msg.ts)
        points = self._points_of(msg, seq)
        if points is None:
            self.malformed += 1
            return
        removed = np.frombuffer(msg.removed, _U32).astype(np.uint32)
        self._pending.setdefault(msg.layer, []).append((removed, points))
        for ids in (removed, points.ids):
            for block in np.unique(ids >> LAYER_BLOCK_BITS).tolist():
                self.dirty.add(kv_key(Stream.LAYERS, msg.layer, str(block)))

    def _points_of(self, msg: LayerPoints, seq: int) -> _Points | None:
        n, rem = divmod(len(msg.ids), 4)
        if rem or len(msg.removed) % 4 or len(msg.lon) != 8 * n or len(msg.lat) != 8 * n:
            return None
        if len(msg.level) not in (0, n) or len(msg.kind) not in (0, 2 * n):
            return None
        kind = np.full(n, -1, np.int32)
        if msg.kind:
            table = np.array(
                [self._index(self.kinds, self._kind_index, k) for k in msg.kinds] + [-1], dtype=np.int32
            )
            local = np.frombuffer(msg.kind, _U16).astype(np.int64)
            kind = table[np.minimum(local, len(msg.kinds))]  # an index past the kinds: no kind
        d = self._index(self.districts, self._district_index, msg.district)
        return _Points(
            np.frombuffer(msg.ids, _U32).astype(np.uint32),
            np.frombuffer(msg.lon, _F64).astype(np.float64),
            np.frombuffer(msg.lat, _F64).astype(np.float64),
            np.frombuffer(msg.level, np.uint8).copy() if msg.level else np.zeros(n, np.uint8),
            kind,
            np.full(n, d, np.int32),
            np.full(n, seq, np.int64),
        )

    def _merged(self) -> dict[str, _Points]:
        """The layers with every queued message merged in order (a later point with the same id wins)."""
        for layer, pending in self._pending.items():
            held = self.layers.get(layer, _Points.empty())
            for removed, added in pending:
                gone = np.concatenate([removed, added.ids])
                if len(held.ids) and len(gone):
                    held = held.take(~np.isin(held.ids, gone))
                held = _Points.concat([held, added])
            self.layers[layer] = _newest_per_id(held)  # sorted by id; an id twice in one message: the later
        self._pending.clear()
        return self.layers

    def snapshot(self, f: Filter) -> list[DataMessage]:
        out: list[DataMessage] = []
        for layer, points in self._merged().items():
            passing = [d for d, name in enumerate(self.districts) if matches(f, name, "")]
            for d in passing:
                rows = np.flatnonzero(points.district == d)
                for lo in range(0, len(rows), LAYER_CHUNK):
                    out.append(
                        self._message(layer, points.take(rows[lo : lo + LAYER_CHUNK]), self.districts[d])
                    )
        return out

    def _message(self, layer: str, part: _Points, district: str, seq: int | None = None) -> LayerPoints:
        """``part`` as one ``layer_points`` with only the kinds it uses."""
        used, local = np.unique(part.kind, return_inverse=True)
        kinds = [self.kinds[int(k)] for k in used if k >= 0]
        if len(used) and used[0] < 0:  # no kind: an index past the message's kinds
            local = np.where(local == 0, len(used) - 1, local - 1)
        return LayerPoints(
            stream=Stream.LAYERS,
            seq=self.seq if seq is None else seq,
            prev=0,
            ts=self.last_ts,
            layer=layer,
            ids=part.ids.astype(_U32).tobytes(),
            lon=part.lon.astype(_F64).tobytes(),
            lat=part.lat.astype(_F64).tobytes(),
            level=part.level.tobytes(),
            kind=local.astype(_U16).tobytes() if len(used) and used[-1] >= 0 else b"",
            kinds=kinds,
            district=district,
        )

    def kv_entries(self, keys: Iterable[str]) -> dict[str, bytes | None]:
        layers = self._merged()
        by_key: dict[str, tuple[str, int]] = {}
        for layer in layers:
            for block in np.unique(layers[layer].ids >> LAYER_BLOCK_BITS).tolist():
                by_key[kv_key(Stream.LAYERS, layer, str(block))] = (layer, block)
        out: dict[str, bytes | None] = {}
        for key in keys:
            where = by_key.get(key)
            if where is None:
                out[key] = None  # every point of the block was removed
                continue
            layer, block = where
            points = layers[layer]
            part = points.take(np.flatnonzero((points.ids >> LAYER_BLOCK_BITS) == block))
            dists, dlocal = np.unique(part.district, return_inverse=True)
            out[key] = _ENCODER.encode(
                {
                    "layer": layer,
                    "ts": self.last_ts,
                    "message": _ENCODER.encode(self._message(layer, part, "", int(part.seq.max()))),
                    "districts": [self.districts[int(d)] for d in dists],
                    "district": dlocal.astype(_U16).tobytes(),
                    "seq": part.seq.astype("<i8").tobytes(),
                }
            )
        return out

    def load(self, key: str, value: bytes) -> None:
        """Merge one block of a layer; per point, the newer seq wins over a point already held."""
        decoded: Any = msgspec.msgpack.decode(value)
        msg = _DECODE.decode(decoded["message"])
        points = self._points_of(msg, 0) if isinstance(msg, LayerPoints) else None
        if points is not None:
            table = np.array(
                [self._index(self.districts, self._district_index, d) for d in decoded["districts"]],
                dtype=np.int32,
            )
            district = table[np.frombuffer(decoded["district"], _U16).astype(np.int64)]
            seq = np.frombuffer(decoded["seq"], "<i8").astype(np.int64)
            points = _Points(points.ids, points.lon, points.lat, points.level, points.kind, district, seq)
            held = self._merged().get(msg.layer, _Points.empty())
            self.layers[msg.layer] = _newest_per_id(_Points.concat([held, points]))
            self.last_ts = max(self.last_ts, int(decoded["ts"]))
        self.dirty.discard(key)


def make_view(stream: str) -> StreamView:
    if stream == Stream.SENSORS:
        return SensorView()
    if stream == Stream.CATALOG:
        return CatalogView()
    if stream == Stream.LAYERS:
        return LayerView()
    return EntityView(stream)


def item_of(
    seq: int, district: str, theme: str, body: bytes, prev: int, levels: tuple[str, ...] = ()
) -> Item:
    return Item(seq, district, theme, body, prev, stamp(body, seq, prev), levels)


def wire_of(msg: DataMessage) -> bytes:
    return _ENCODER.encode(msg)
