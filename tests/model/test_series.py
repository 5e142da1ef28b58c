"""A sensor's history on the ``series`` stream (protocol §5.11), as the model keeps it."""

from __future__ import annotations

import struct

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cockpit.model import Situation
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import SensorSeries, Stream

HOUR = 3_600_000


def series(sensor: int, values: list[float], seq: int = 1, start: int = 10 * HOUR, raw: bytes | None = None) -> SensorSeries:
    data = raw if raw is not None else struct.pack(f"<{len(values)}f", *values)
    return SensorSeries(stream="series", seq=seq, prev=seq - 1, ts=start, sensor=sensor, start=start, step_ms=HOUR, values=data)


def test_a_series_is_kept_per_sensor_and_a_later_one_replaces_it() -> None:
    s = Situation()
    s.apply([DataReceived((series(7, [6.0, float("nan"), 4.5]),))])
    record = s.series[7]
    assert record.times_ms.tolist() == [10 * HOUR, 11 * HOUR, 12 * HOUR]
    assert np.isnan(record.values[1]) and record.values[2] == 4.5
    assert s.take_changes().series == {7}
    s.apply([DataReceived((series(7, [5.0], seq=2),))])
    assert s.series[7].values.tolist() == [5.0]


def test_a_snapshot_replaces_every_series() -> None:
    s = Situation()
    s.apply([DataReceived((series(7, [6.0]), series(8, [1.0], seq=2)))])
    s.take_changes()
    s.apply([SnapshotReceived(Stream.SERIES, "e2", 3, (series(9, [2.0], seq=3),))])
    assert set(s.series) == {9}
    assert s.take_changes().series == {7, 8, 9}


@given(st.binary(max_size=64), st.integers(min_value=-2, max_value=3))
def test_a_malformed_series_is_counted_and_dropped_never_raised(raw: bytes, step: int) -> None:
    s = Situation()
    bad = SensorSeries(stream="series", seq=1, prev=0, ts=0, sensor=1, start=0, step_ms=step, values=raw)
    s.apply([DataReceived((bad,))])
    good = len(raw) % 4 == 0 and step > 0
    assert (1 in s.series) is good
    assert s.malformed_series == (0 if good else 1)
