"""Latest sensor values in columns: vectorised writes, no per-value Python work.

A feed at a million updates a second leaves no time for a dict write per value (shared/performance.md:
2.9 M/s with a Python loop, 27 M/s with numpy). Values are kept in numpy arrays indexed by a row per
sensor; a dense id → row table turns a batch of ids into rows in one step.

The feed writes far more often than the wall reads (thousands of batches a second against one
frame in 16 ms), so a write does as little as it can: the values, and a stamp saying which write
touched each row. Sample times, stale times and dirty flags are derived from the stamps when they
are read (:meth:`_settle`), once per frame rather than once per batch: two scatters a write
instead of four (docs/benchmarks.md, "ingest").
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

import numpy as np

from cockpit.protocol.messages import SensorInfo

_MAX_DENSE_ID = 1 << 26
"""Ids up to this use the dense lookup table (256 MiB at most); larger ids are refused and counted."""
_LOW = 0 if sys.byteorder == "little" else 1
"""Which 32-bit half of a 64-bit cell is its low half (the value's) on this machine."""
_REBASE_AT = 1 << 31
"""Settled writes after which every stamp is set back to 0 (a wall runs for weeks; stamps are 32 bits)."""
_NAN_CELL = int(np.float32(np.nan).view(np.uint32))
"""A cell that holds no value yet: NaN, stamp 0."""
_MAX_PENDING_WRITES = 256
"""Writes kept unsettled at most: a table nobody reads (a headless model) still stays bounded."""


class SensorTable:
    """Catalog and latest value, sample time and stale time of every known sensor."""

    def __init__(self) -> None:
        self.infos: list[SensorInfo] = []
        # Value and stamp of a row share one 64-bit cell (value in the low half, stamp in the high),
        # so a write is one scatter, not two: numpy's scatter costs ~1 ns an index whatever the
        # width. ``values`` and ``_stamp`` are views of the cells.
        self._cells = np.zeros(0, dtype=np.uint64)
        self.values = self._cells.view(np.float32)[_LOW::2]
        self._ts = np.zeros(0, dtype=np.int64)  # server ms of the sample, 0 = never
        self._stale_at = np.zeros(0, dtype=np.int64)  # server ms after which the value is stale
        self._dirty = np.zeros(0, dtype=bool)
        self._stamp = self._cells.view(np.uint32)[1 - _LOW :: 2]
        """Per row, the number of the last write that touched it (0: none since the last rebase)."""
        self._settled = 0
        """Writes up to this number are reflected in ``_ts``, ``_stale_at`` and ``_dirty``."""
        self._pending: list[tuple[int, int]] = []
        """(ts, ttl_ms) of writes ``_settled + 1`` … in order."""
        self._row_of_id = np.full(0, -1, dtype=np.int64)
        self._row_by_id: dict[int, int] = {}
        self._dense_base: int | None = None
        """Set when row = id - base for every sensor (a catalog of consecutive ids in order, as
        backends usually number them): rows are then computed, not looked up."""
        self.unknown_values = 0
        """Values received for ids not in the catalog (counted, dropped)."""
        self.generation = 0
        """Bumped whenever the catalog changes: views cache what they derive from it until then."""

    def __len__(self) -> int:
        return len(self.infos)

    @property
    def ts(self) -> np.ndarray:
        """Per row, the server ms of the latest sample; 0 = never received."""
        if self._pending:
            self._settle()
        return self._ts

    @property
    def stale_at(self) -> np.ndarray:
        """Per row, the server ms after which the latest value is stale."""
        if self._pending:
            self._settle()
        return self._stale_at

    def clear(self) -> None:
        generation = self.generation
        self.__init__()  # type: ignore[misc]
        self.generation = generation + 1

    def row(self, sensor_id: int) -> int | None:
        return self._row_by_id.get(sensor_id)

    def add_catalog(self, infos: Iterable[SensorInfo]) -> None:
        """Add or update sensor descriptions."""
        self.generation += 1
        new: list[SensorInfo] = []
        for info in infos:
            if not 0 <= info.id < _MAX_DENSE_ID:
                self.unknown_values += 1
                continue
            row = self._row_by_id.get(info.id)
            if row is None:
                self._row_by_id[info.id] = len(self.infos) + len(new)
                new.append(info)
            else:
                self.infos[row] = info
        if not new:
            return
        self._settle()
        self.infos.extend(new)
        n = len(self.infos)
        self._cells = _grow(self._cells, n, _NAN_CELL)
        self.values = self._cells.view(np.float32)[_LOW::2]
        self._stamp = self._cells.view(np.uint32)[1 - _LOW :: 2]
        self._ts = _grow(self._ts, n, 0)
        self._stale_at = _grow(self._stale_at, n, 0)
        self._dirty = _grow(self._dirty, n, False)
        # One spare slot past the largest id stays -1: apply_batches clips out-of-range ids onto it.
        top = max(i.id for i in new) + 2
        if top > len(self._row_of_id):
            self._row_of_id = _grow(self._row_of_id, max(top, 2 * len(self._row_of_id)), -1)
        for info in new:
            self._row_of_id[info.id] = self._row_by_id[info.id]
        first = self.infos[0].id
        dense = all(info.id == first + row for row, info in enumerate(self.infos))
        self._dense_base = first if dense else None

    def apply_batches(self, ids: Sequence[bytes], values: Sequence[bytes], ts: int, ttl_ms: int) -> int:
        """Write batches that share a sample time and ttl (one frame's, typically) in one step.

        Where a sensor appears more than once, the later value wins (numpy assigns in order along
        one axis). A batch whose columns do not match is dropped whole and counted as unknown.

        Returns:
            How many values were applied.
        """
        good_ids: list[bytes] = []
        good_values: list[bytes] = []
        for i, v in zip(ids, values, strict=True):
            if len(i) % 4 or len(i) != len(v):
                self.unknown_values += len(i) // 4  # unequal columns: nothing here can be trusted
            elif i:
                good_ids.append(i)
                good_values.append(v)
        if not good_ids:
            return 0
        id_arr = np.frombuffer(good_ids[0] if len(good_ids) == 1 else b"".join(good_ids), dtype="<u4")
        val_arr = np.frombuffer(
            good_values[0] if len(good_values) == 1 else b"".join(good_values), dtype="<f4"
        )
        if not len(self._row_of_id):
            self.unknown_values += len(id_arr)
            return 0
        rows, all_known = self._rows_of(id_arr.astype(np.intp))  # intp: take and scatter want it
        if not all_known:
            known = rows >= 0
            self.unknown_values += int((~known).sum())
            rows, val_arr = rows[known], val_arr[known]
        self._pending.append((ts, ttl_ms))
        stamp = np.uint64(self._settled + len(self._pending)) << np.uint64(32)
        self._cells[rows] = val_arr.view(np.uint32).astype(np.uint64) | stamp
        if len(self._pending) >= _MAX_PENDING_WRITES:
            self._settle()
        return len(rows)

    def _rows_of(self, ids: np.ndarray) -> tuple[np.ndarray, bool]:
        """Rows of ``ids`` (intp; modified in place), -1 where unknown, and whether all are known."""
        base = self._dense_base
        if base is not None:
            rows: np.ndarray = np.subtract(ids, base, out=ids)
            if int(rows.min()) >= 0 and int(rows.max()) < len(self.infos):
                return rows, True
            ids += base  # an unknown id among them: look every one up
        # One gather and one check: ids past the table clip onto its last slot, which is always -1
        # (add_catalog keeps it spare), so they count as unknown like any other.
        rows = self._row_of_id.take(ids, mode="clip")
        return rows, int(rows.min()) >= 0

    def _settle(self) -> None:
        """Bring sample times, stale times and dirty flags up to date with the writes since last time."""
        if not self._pending:
            return
        rows = np.flatnonzero(self._stamp > self._settled)
        write = self._stamp[rows] - (self._settled + 1)
        pending = np.array(self._pending, dtype=np.int64)
        self._ts[rows] = pending[write, 0]
        self._stale_at[rows] = pending[write, 0] + pending[write, 1]
        self._dirty[rows] = True
        self._settled += len(self._pending)
        self._pending.clear()
        if self._settled >= _REBASE_AT:  # stamps are 32 bits: start again from 0, nothing pending
            self._stamp[:] = 0
            self._settled = 0

    def take_dirty(self) -> np.ndarray:
        """Rows written since the last call."""
        self._settle()
        rows = np.flatnonzero(self._dirty)
        self._dirty[rows] = False
        return rows

    def stale_mask(self, server_now_ms: int) -> np.ndarray:
        """True where a value is stale or was never received."""
        mask: np.ndarray = (self.ts == 0) | (self.stale_at < server_now_ms)
        return mask

    def digest(self) -> dict[int, float]:
        """Sensor id → latest value, for tests."""
        ts = self.ts
        return {info.id: float(self.values[row]) for row, info in enumerate(self.infos) if ts[row] != 0}


def _grow(arr: np.ndarray, n: int, fill: object) -> np.ndarray:
    out = np.full(n, fill, dtype=arr.dtype)
    out[: len(arr)] = arr
    return out
