"""The live model: coalesced changes, snapshots replace, columnar sensors (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

import cockpit.model.situation as situation_module
from cockpit.model import Situation
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import Event, SensorBatch, SensorCatalog, SensorInfo, Severity


def ev(eid: str, seq: int, state: str = "new", severity: int = 2) -> Event:
    return Event(
        stream="events",
        seq=seq,
        prev=seq - 1,
        ts=1000 + seq,
        id=eid,
        type="fire",
        severity=severity,
        time=1000,
        lon=1.0,
        lat=2.0,
        district="d1",
        state=state,
    )


def catalog(*ids: int) -> SensorCatalog:
    return SensorCatalog(
        stream="sensors",
        seq=1,
        prev=0,
        ts=1,
        sensors=[
            SensorInfo(id=i, name=f"s{i}", kind="water_level", unit="m", district="d1", lon=0, lat=0)
            for i in ids
        ],
    )


def batch(ids: list[int], values: list[float], ts: int, ttl: int = 100, seq: int = 2) -> SensorBatch:
    return SensorBatch(
        stream="sensors",
        seq=seq,
        prev=seq - 1,
        ts=ts,
        ttl_ms=ttl,
        ids=np.array(ids, dtype="<u4").tobytes(),
        values=np.array(values, dtype="<f4").tobytes(),
    )


def test_changes_are_coalesced_into_one_changeset_per_frame() -> None:
    s = Situation()
    for i in range(1, 200):
        s.apply([DataReceived((ev(f"E{i % 10}", i),))])
    ch = s.take_changes()
    assert ch.events == {f"E{i}" for i in range(10)} and ch.updates == 199
    assert ch.newest_ts == 1199
    assert not s.take_changes()


def test_snapshot_replaces_the_stream_whole() -> None:
    s = Situation()
    s.apply([DataReceived((ev("OLD", 1),))])
    s.take_changes()
    s.apply([SnapshotReceived("events", "e2", 5, (ev("NEW", 3),))])
    assert set(s.events) == {"NEW"}
    ch = s.take_changes()
    assert ch.replaced == {"events"} and ch.events == {"OLD", "NEW"}


def test_unknown_enum_values_do_not_break_the_model() -> None:
    s = Situation()
    s.apply([DataReceived((ev("A", 1, state="teleported", severity=9),))])
    rec = s.events["A"]
    assert rec.severity is Severity.BLUE and rec.state.value == "new"


def test_sensor_batches_write_vectorised_and_count_unknown_ids() -> None:
    s = Situation()
    s.apply([DataReceived((catalog(3, 7, 100),))])
    s.apply([DataReceived((batch([7, 3, 5, 10**9], [1.5, 2.5, 9.0, 4.0], ts=500),))])
    t = s.sensors
    assert t.digest() == {3: 2.5, 7: 1.5}
    assert t.unknown_values == 2
    stale = t.stale_mask(550)
    assert list(stale) == [False, False, True]  # 100 never arrived
    assert list(t.stale_mask(601)) == [True, True, True]
    assert sorted(t.take_dirty().tolist()) == [0, 1]
    assert t.take_dirty().tolist() == []


def test_open_events_sorted_by_severity_then_newest() -> None:
    s = Situation()
    s.apply(
        [DataReceived((ev("low", 1, severity=4), ev("hi", 2, severity=1), ev("done", 3, state="closed")))]
    )
    assert [e.id for e in s.open_events()] == ["hi", "low"]


def test_open_events_follow_every_change_and_snapshot() -> None:
    s = Situation()
    s.apply([DataReceived((ev("a", 1, severity=2),))])
    first = s.open_events()
    assert [e.id for e in first] == ["a"] and s.open_events() is first  # sorted once, shared
    s.apply([DataReceived((ev("b", 2, severity=1), ev("a", 3, state="closed")))])
    assert [e.id for e in s.open_events()] == ["b"]
    s.apply([SnapshotReceived("events", "e2", 9, (ev("c", 4),))])
    assert [e.id for e in s.open_events()] == ["c"]


def test_a_frame_of_batches_is_written_in_order_with_each_batch_times() -> None:
    """Batches are grouped per sample time: the later value wins, each row keeps its own batch's
    time and ttl, and a catalog between two batches is applied between them."""
    s = Situation()
    s.apply([DataReceived((catalog(1, 2, 3),))])
    late = SensorBatch(
        stream="sensors",
        seq=9,
        prev=8,
        ts=700,
        ttl_ms=50,
        ids=np.array([2], "<u4").tobytes(),
        values=np.array([7.0], "<f4").tobytes(),
    )
    s.apply(
        [
            DataReceived(
                (
                    batch([1, 2], [1.0, 2.0], ts=500),
                    batch([2, 3], [5.0, 6.0], ts=500),  # same group: 2 is overwritten by the later one
                    catalog(4),
                    batch([4], [8.0], ts=500),  # only known after the catalog above
                    late,
                )
            )
        ]
    )
    t = s.sensors
    assert t.digest() == {1: 1.0, 2: 7.0, 3: 6.0, 4: 8.0} and t.unknown_values == 0
    assert t.ts.tolist() == [500, 700, 500, 500]
    assert t.stale_at.tolist() == [600, 750, 600, 600]
    assert sorted(t.take_dirty().tolist()) == [0, 1, 2, 3]


def test_a_batch_with_unequal_columns_is_dropped_alone_and_counted() -> None:
    s = Situation()
    s.apply([DataReceived((catalog(1, 2),))])
    bad = SensorBatch(
        stream="sensors",
        seq=5,
        prev=4,
        ts=500,
        ttl_ms=100,
        ids=np.array([1, 2], "<u4").tobytes(),
        values=np.array([9.0], "<f4").tobytes(),
    )
    s.apply([DataReceived((bad, batch([2], [3.0], ts=500)))])
    assert s.sensors.digest() == {2: 3.0} and s.sensors.unknown_values == 2


def test_an_unread_table_stays_bounded() -> None:
    """Nobody reads a headless model's times: pending writes are settled before they pile up."""
    s = Situation()
    s.apply([DataReceived((catalog(1),))])
    for k in range(1, 2000):
        s.apply([DataReceived((batch([1], [float(k)], ts=1000 + k),))])
        assert len(s.sensors._pending) < 300
    assert s.sensors.ts.tolist() == [2999] and s.sensors.digest() == {1: 1999.0}


def test_rows_are_right_for_consecutive_ids_with_unknown_ones_and_for_an_unordered_catalog() -> None:
    """Consecutive ids in order compute their rows; any unknown id, or a catalog out of order,
    looks every row up. Both give the same values."""
    for ids in ((1, 2, 3), (3, 1, 2)):
        s = Situation()
        s.apply([DataReceived((catalog(*ids),))])
        s.apply([DataReceived((batch([2, 9, 0, 3], [2.0, 9.0, 0.5, 3.0], ts=500),))])
        assert s.sensors.digest() == {2: 2.0, 3: 3.0} and s.sensors.unknown_values == 2
        s.apply([DataReceived((batch([1, 3], [1.0, 3.5], ts=600, seq=3),))])
        assert s.sensors.digest() == {1: 1.0, 2: 2.0, 3: 3.5} and s.sensors.unknown_values == 2


def test_write_stamps_start_again_from_zero_before_they_overflow() -> None:
    """A wall runs for weeks: the 32-bit write stamps are set back to 0 once settled past 2**31,
    and times, stale times and dirty flags stay right across it."""
    from cockpit.model import sensors as sensors_module

    s = Situation()
    s.apply([DataReceived((catalog(1, 2),))])
    t = s.sensors
    t._settled = sensors_module._REBASE_AT - 1  # as after two billion writes
    s.apply([DataReceived((batch([1], [1.5], ts=500),))])
    assert t.ts.tolist() == [500, 0] and t._settled == 0 and not t._stamp.any()
    assert t.take_dirty().tolist() == [0]
    s.apply([DataReceived((batch([2], [2.5], ts=700, seq=3),))])
    assert t.ts.tolist() == [500, 700] and t.stale_at.tolist() == [600, 800]
    assert t.take_dirty().tolist() == [1] and t.digest() == {1: 1.5, 2: 2.5}


def test_the_districts_names_snapshot_replaces_entries_update_and_withdraw() -> None:
    from cockpit.protocol.messages import Catalog, CatalogEntry

    def names(seq: int, *entries: CatalogEntry) -> Catalog:
        return Catalog(stream="catalog", seq=seq, prev=seq - 1, ts=1000, entries=list(entries))

    s = Situation()
    assert not s.catalog.offered
    s.apply([SnapshotReceived("catalog", "e1", 0, ())])  # empty, but the backend names its codes
    assert s.catalog.offered and len(s.catalog) == 0 and s.take_changes().names
    s.apply([DataReceived((names(1, CatalogEntry(kind="district", code="d1", names={"en": "One", "zh_CN": "一"})),))])
    assert s.catalog.name("district", "d1", "zh_CN") == "一" and s.catalog.name("district", "d1", "fr") == "One"
    s.apply([DataReceived((names(2, CatalogEntry(kind="district", code="d1", active=False)),))])
    assert s.catalog.get("district", "d1") is None and s.take_changes().names
    s.apply([SnapshotReceived("catalog", "e1", 3, (names(3, CatalogEntry(kind="theme", code="t", names={"en": "T"})),))])
    assert [e.code for e in s.catalog] == ["t"]


def test_closed_events_beyond_the_bound_are_forgotten_and_open_ones_never(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(situation_module, "MAX_CLOSED_EVENTS", 3)
    s = Situation()
    s.apply([DataReceived((ev("OPEN", 1),))])
    seq = 1
    for i in range(6):  # six events raised and closed, one after the other
        s.apply([DataReceived((ev(f"C{i}", seq + 1), ev(f"C{i}", seq + 2, state="closed")))])
        seq += 2
    s.apply([DataReceived((ev("C5", seq + 1, state="closed"),))])  # said closed again: counted once
    assert set(s.events) == {"OPEN", "C3", "C4", "C5"}  # the newest 3 closed ones, and the open one
    assert "C0" not in s.timeline.times and "C5" in s.timeline.times
    assert {"C0", "C1", "C2"} <= s.take_changes().events  # announced as changed: views drop them
    # A snapshot starts the count again from what it holds.
    s.apply([SnapshotReceived("events", "e2", 99, (ev("C9", 98, state="closed"), ev("OPEN", 99)))])
    s.apply([DataReceived((ev("D0", 100, state="closed"), ev("D1", 101, state="closed")))])
    assert set(s.events) == {"OPEN", "C9", "D0", "D1"}
    s.apply([DataReceived((ev("D2", 102, state="closed"),))])
    assert set(s.events) == {"OPEN", "D0", "D1", "D2"}
