"""The gateway's pure parts, bytes in and out: payload stamping, the ring, the views and their KV form."""

from __future__ import annotations

import msgspec
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.backend.gateway import view as view_module
from cockpit.backend.gateway.layout import (
    LayoutError,
    body_of,
    data_subject,
    parse_data_subject,
    sensor_batch_body,
)
from cockpit.backend.gateway.view import (
    CatalogView,
    EntityView,
    LayerView,
    Ring,
    SensorView,
    item_of,
    make_view,
)
from cockpit.model.layers import PointLayers
from cockpit.protocol.codec import decode_server_frame, frames_of, stamp
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import (
    Camera,
    Catalog,
    CatalogEntry,
    DataMessage,
    Event,
    Filter,
    Geometry,
    LayerPoints,
    Overlay,
    Plot,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    SensorSeries,
    Stream,
)

_KEYS = st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=8).filter(
    lambda k: k not in ("seq", "prev")
)


@settings(deadline=None)  # a shared, loaded machine: the first example once took over 200 ms
@given(
    st.dictionaries(_KEYS, st.integers(-5, 10**12) | st.text(max_size=20), max_size=40),
    st.integers(0, 2**63 - 1),
    st.integers(0, 2**63 - 1),
)
def test_stamp_adds_seq_and_prev_to_any_map(fields: dict[str, object], seq: int, prev: int) -> None:
    stamped = msgspec.msgpack.decode(stamp(msgspec.msgpack.encode(fields), seq, prev))
    assert stamped == {**fields, "seq": seq, "prev": prev}


def test_stamp_refuses_a_payload_that_is_not_a_map() -> None:
    with pytest.raises(ValueError, match="not a MessagePack map"):
        stamp(msgspec.msgpack.encode([1, 2]), 1, 0)


def _event(i: int, district: str = "jiangbei", state: str = "new") -> Event:
    return Event(
        stream=Stream.EVENTS,
        seq=0,
        prev=0,
        ts=1,
        id=f"E-{i}",
        type="fire",
        severity=1,
        time=1,
        lon=1.0,
        lat=2.0,
        district=district,
        state=state,
        theme="fire",
    )


def test_a_stamped_payload_is_a_protocol_message_and_frames_split_under_the_limit() -> None:
    wires = [stamp(body_of(_event(i)), i, i - 1) for i in range(1, 200)]
    frames = frames_of(wires, 4096)
    assert len(frames) > 1 and all(len(f) <= 4096 for f in frames)
    decoded = [m for f in frames for m in decode_server_frame(f, 4096).messages]
    assert [(m.seq, m.prev) for m in decoded] == [(i, i - 1) for i in range(1, 200)]  # type: ignore[union-attr]


def test_subjects_carry_district_and_theme_and_refuse_bad_tokens() -> None:
    assert data_subject("events", "jiangbei", "") == "cockpit.events.jiangbei._"
    assert parse_data_subject("cockpit.events.jiangbei._") == ("events", "jiangbei", "")
    with pytest.raises(LayoutError, match="subject token"):
        data_subject("events", "jiang.bei", "flood")


def test_ring_keeps_the_newest_and_knows_what_it_can_resume() -> None:
    ring = Ring(3)
    for seq in range(1, 8):
        ring.append(item_of(seq, "d", "t", body_of(_event(seq)), seq - 1))
    assert ring.first_seq == 5 and ring.seq == 7
    assert ring.holds_after(4) and not ring.holds_after(3) and not ring.holds_after(8)
    assert [i.seq for i in ring.since(5)] == [6, 7]


def test_entity_view_snapshot_filters_and_drops_removed_overlays() -> None:
    events = EntityView(Stream.EVENTS)
    for seq, (i, d) in enumerate([(1, "jiangbei"), (2, "yuzhong"), (1, "jiangbei")], start=1):
        ev = _event(i, d, state="new" if seq < 3 else "acknowledged")
        events.apply(seq, d, "fire", stamp(body_of(ev), seq, 0))
    snap = events.snapshot(Filter(districts=["jiangbei"]))
    assert [(e.id, e.state, e.seq, e.prev) for e in snap] == [("E-1", "acknowledged", 3, 0)]  # type: ignore[union-attr]

    overlays = EntityView(Stream.OVERLAYS)
    geo = Geometry(type="Point", coordinates=[1.0, 2.0])
    for seq, active in ((1, True), (2, False)):
        o = Overlay(
            stream=Stream.OVERLAYS, seq=0, prev=0, ts=1, id="o", kind="k", active=active, geometry=geo
        )
        overlays.apply(seq, "", "", stamp(body_of(o), seq, 0))
    assert overlays.snapshot(Filter()) == []


def _camera(cid: str, district: str, active: bool = True, name: str = "cam") -> Camera:
    return Camera(
        stream=Stream.CAMERAS,
        seq=0,
        prev=0,
        ts=1,
        id=cid,
        name=name,
        lon=1.0,
        lat=2.0,
        district=district,
        active=active,
        main_url=f"rtsp://nvr.example/{cid}/main",
    )


def test_a_camera_is_replaced_by_id_and_removed_when_inactive() -> None:
    cameras = make_view(Stream.CAMERAS)
    for seq, cam in enumerate(
        [
            _camera("a", "north"),
            _camera("b", "south"),
            _camera("a", "north", name="renamed"),
            _camera("b", "south", False),
        ],
        start=1,
    ):
        cameras.apply(seq, cam.district, "", stamp(body_of(cam), seq, 0))
    snap = cameras.snapshot(Filter())
    assert [(c.id, c.name, c.seq, c.prev) for c in snap] == [("a", "renamed", 3, 0)]  # type: ignore[union-attr]
    assert cameras.snapshot(Filter(districts=["south"])) == []
    copy = make_view(Stream.CAMERAS)
    for key, value in cameras.kv_entries(cameras.take_dirty()).items():
        if value is not None:
            copy.load(key, value)
    assert copy.snapshot(Filter()) == snap


def test_a_sensor_series_is_replaced_by_the_next_one_of_the_same_sensor() -> None:
    series = make_view(Stream.SERIES)
    for seq, (sensor, start) in enumerate([(7, 0), (8, 0), (7, 3_600_000)], start=1):
        msg = SensorSeries(
            stream=Stream.SERIES,
            seq=0,
            prev=0,
            ts=seq,
            sensor=sensor,
            start=start,
            step_ms=3_600_000,
            values=b"\x00\x00\x80\x3f" * 3,
        )
        series.apply(seq, "north" if sensor == 7 else "south", "water", stamp(body_of(msg), seq, 0))
    snap = series.snapshot(Filter())
    assert sorted((m.sensor, m.start, m.seq) for m in snap) == [(7, 3_600_000, 3), (8, 0, 2)]  # type: ignore[union-attr]
    assert [m.sensor for m in series.snapshot(Filter(districts=["north"]))] == [7]  # type: ignore[union-attr]
    copy = make_view(Stream.SERIES)
    for key, value in series.kv_entries(series.take_dirty()).items():
        assert value is not None
        copy.load(key, value)
    assert sorted(copy.snapshot(Filter()), key=lambda m: m.seq) == sorted(snap, key=lambda m: m.seq)


def _names(seq: int, *entries: CatalogEntry) -> bytes:
    return stamp(
        body_of(Catalog(stream=Stream.CATALOG, seq=0, prev=0, ts=seq * 10, entries=list(entries))), seq, 0
    )


def test_the_catalog_view_keeps_the_latest_entry_per_kind_and_code_and_sends_them_all() -> None:
    names = CatalogView()
    names.apply(
        1,
        "",
        "",
        _names(
            1,
            CatalogEntry(kind="district", code="north", names={"en": "North", "zh_CN": "北区"}),
            CatalogEntry(kind="event_type", code="fire", names={"en": "Fire"}),
            CatalogEntry(kind="district", code="old", names={"en": "Old town"}),
        ),
    )
    names.apply(
        2,
        "",
        "",
        _names(
            2,
            CatalogEntry(kind="event_type", code="fire", names={"en": "Fire", "zh_CN": "火情"}),
            CatalogEntry(kind="district", code="old", active=False),  # withdrawn
            CatalogEntry(kind="theme", code="fire", names={"en": "Fire theme"}),  # same code, other kind
        ),
    )
    snap = names.snapshot(Filter(districts=["south"]))  # no filter keys: every entry (§4.1, §5.8)
    assert all(isinstance(m, Catalog) and m.seq == 2 and m.prev == 0 for m in snap)
    held = {(e.kind, e.code): e.names for m in snap for e in m.entries}  # type: ignore[union-attr]
    assert held == {
        ("district", "north"): {"en": "North", "zh_CN": "北区"},
        ("event_type", "fire"): {"en": "Fire", "zh_CN": "火情"},
        ("theme", "fire"): {"en": "Fire theme"},
    }
    copy = CatalogView()
    entries = names.kv_entries(names.take_dirty())
    assert sum(v is None for v in entries.values()) == 1, "the withdrawn entry's key is deleted"
    for key, value in entries.items():
        if value is not None:
            copy.load(key, value)
    copy.seq = names.seq
    assert {(e.kind, e.code): e.names for m in copy.snapshot(Filter()) for e in m.entries} == held  # type: ignore[union-attr]


def test_a_large_catalog_is_snapshotted_in_messages_of_at_most_2000_entries() -> None:
    names = CatalogView()
    entries = [CatalogEntry(kind="event_type", code=f"t{i}", names={"en": f"Type {i}"}) for i in range(4500)]
    names.apply(1, "", "", _names(1, *entries))
    snap = names.snapshot(Filter())
    assert [len(m.entries) for m in snap] == [2000, 2000, 500]  # type: ignore[union-attr]
    assert [e.code for m in snap for e in m.entries] == [e.code for e in entries]  # type: ignore[union-attr]


def test_the_catalog_view_refuses_another_message_type() -> None:
    with pytest.raises(ValueError, match="catalog stream"):
        CatalogView().apply(1, "", "", stamp(body_of(_event(1)), 1, 0))


def _sensor_view(n: int) -> SensorView:
    v = SensorView()
    infos = [
        SensorInfo(id=i, name=f"s{i}", kind="k", unit="m", district="d", lon=1, lat=2)
        for i in range(1, n + 1)
    ]
    cat = SensorCatalog(stream=Stream.SENSORS, seq=0, prev=0, ts=1, sensors=infos)
    v.apply(1, "d", "t", stamp(body_of(cat), 1, 0))
    return v


def test_sensor_catch_up_is_latest_values_in_increasing_seq(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_module, "MAX_BATCH", 4)
    v = _sensor_view(10)
    ids = np.arange(1, 11, dtype="<u4")
    for seq in range(2, 8):  # each batch sets a sliding half of the sensors, all with one ts
        part = ids[(seq % 2) * 5 : (seq % 2) * 5 + 5]
        values = np.full(len(part), float(seq), dtype="<f4")
        v.apply(seq, "d", "t", stamp(sensor_batch_body(100, 5000, part.tobytes(), values.tobytes()), seq, 0))
    out = v.catch_up(Filter(), 1)
    seqs = [m.seq for m in out]
    assert seqs == sorted(set(seqs)), "strictly increasing, so the client takes every one"
    latest: dict[int, float] = {}
    for m in out:
        assert isinstance(m, SensorBatch)
        latest.update(
            zip(np.frombuffer(m.ids, "<u4").tolist(), np.frombuffer(m.values, "<f4").tolist(), strict=True)
        )
    assert latest == {i: 7.0 if i > 5 else 6.0 for i in range(1, 11)}
    assert v.catch_up(Filter(), 7) == []


def test_views_survive_a_round_trip_through_their_kv_form() -> None:
    v = _sensor_view(6)
    ids = np.arange(1, 7, dtype="<u4")
    v.apply(
        2,
        "d",
        "t",
        stamp(sensor_batch_body(100, 5000, ids.tobytes(), (ids * 1.5).astype("<f4").tobytes()), 2, 0),
    )
    entries = v.kv_entries(v.take_dirty())
    copy = SensorView()
    for key, value in entries.items():
        assert value is not None
        copy.load(key, value)
    copy.seq = v.seq
    assert copy.snapshot(Filter()) == v.snapshot(Filter())


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(
        st.lists(st.tuples(st.integers(1, 40), st.integers(0, 1000)), min_size=0, max_size=12),
        min_size=1,
        max_size=30,
    ),
    read_every=st.integers(1, 8),
)
def test_sensor_values_written_in_bulk_are_what_one_batch_at_a_time_gives(
    batches: list[list[tuple[int, int]]], read_every: int
) -> None:
    """The sensor view defers its column writes (issue 22); reads at any moment see every batch
    applied so far, the latest batch winning for a sensor in several (in one batch, its last value)."""
    v = _sensor_view(40)
    want: dict[int, tuple[float, int, int]] = {}
    for k, pairs in enumerate(batches):
        seq = k + 2
        ids = np.array([i for i, _ in pairs], dtype="<u4")
        values = np.array([x for _, x in pairs], dtype="<f4")
        v.apply(
            seq, "d", "t", stamp(sensor_batch_body(1000 + seq, 5000, ids.tobytes(), values.tobytes()), seq, 0)
        )
        for i, x in pairs:
            want[i] = (float(x), 1000 + seq, seq)
        if k % read_every == 0 or k == len(batches) - 1:
            got: dict[int, tuple[float, int, int]] = {}
            for m in v.catch_up(Filter(), 1):
                if isinstance(m, SensorBatch):
                    for i, x in zip(
                        np.frombuffer(m.ids, "<u4").tolist(),
                        np.frombuffer(m.values, "<f4").tolist(),
                        strict=True,
                    ):
                        got[i] = (x, m.ts, int(v.vseq[i]))
            assert got == want


def _event_in(seq: int, eid: str, district: str, level: str) -> Event:
    return Event(
        stream=Stream.EVENTS,
        seq=seq,
        prev=0,
        ts=seq,
        id=eid,
        type="t",
        severity=1,
        time=0,
        lon=0.0,
        lat=0.0,
        district=district,
        state="new",
        level=level,
    )


@settings(max_examples=80, deadline=None)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from("abcdef"),
            st.sampled_from(["d1", "d2", "d3", ""]),
            st.sampled_from(["street", "city"]),
        ),
        max_size=40,
    ),
    f=st.builds(
        Filter,
        districts=st.lists(st.sampled_from(["d1", "d2", "d3"]), max_size=2),
        levels=st.lists(st.sampled_from(["street", "city"]), max_size=1),
    ),
)
def test_a_district_snapshot_from_the_index_is_what_a_scan_of_every_entity_gives(
    moves: list[tuple[str, str, str]], f: Filter
) -> None:
    """Entities are indexed by district (issue 22), also when one moves to another district."""
    v = EntityView(Stream.EVENTS)
    for seq, (eid, district, level) in enumerate(moves, start=1):
        v.apply(seq, district, "", stamp(body_of(_event_in(0, eid, district, level)), seq, 0))
    scan = [m for d, t, m in v.entities.values() if isinstance(m, Event) and matches(f, d, t, (m.level,))]
    assert sorted(m.seq for m in v.snapshot(f)) == sorted(m.seq for m in scan)


def _layer_msg(
    ids: list[int],
    district: str,
    *,
    level: int = 1,
    kinds: tuple[str, ...] = ("pipe", "tank"),
    removed: list[int] = (),  # type: ignore[assignment]
) -> LayerPoints:
    n = len(ids)
    return LayerPoints(
        stream=Stream.LAYERS,
        seq=0,
        prev=0,
        ts=1000 + sum(ids),
        layer="risk_points",
        ids=np.array(ids, "<u4").tobytes(),
        lon=(106.5 + np.array(ids, "<f8") / 1e4).tobytes(),
        lat=np.full(n, 29.5, "<f8").tobytes(),
        level=np.full(n, level, np.uint8).tobytes(),
        kind=(np.array(ids, "<u2") % (len(kinds) + 1)).astype("<u2").tobytes()
        if kinds
        else b"",  # one past: none
        kinds=list(kinds),
        removed=np.array(removed, "<u4").tobytes(),
        district=district,
    )


def _wall_points(msgs: list[DataMessage]) -> dict[int, tuple[float, float, int, str, str]]:
    """What a wall holds after ``msgs`` (the model's own merge, §5.9): id → (lon, lat, level, kind, district)."""
    layers = PointLayers()
    for m in msgs:
        assert isinstance(m, LayerPoints)
        layers.apply(m)
    layer = layers.get("risk_points")
    assert layer is not None and layers.bad == 0
    c = layer.columns()
    return {
        int(i): (
            float(c.lon[k]),
            float(c.lat[k]),
            int(c.level[k]),
            layer.kinds[c.kind[k]] if c.kind[k] >= 0 else "",
            "",
        )
        for k, i in enumerate(c.ids)
    }


def test_the_layer_view_holds_the_points_a_wall_would_and_snapshots_them_by_district() -> None:
    """§5.9 through the gateway: replaced and removed points, a point moved to another district, a
    malformed message skipped; the snapshot rebuilds on a wall the layer the messages built, a
    district filter sends that district's points, and the KV form loads into an equal view."""
    sent = [
        _layer_msg(list(range(1, 9001)), "north"),  # two KV blocks
        _layer_msg(list(range(9001, 9101)), "south", kinds=()),
        _layer_msg([5, 6, 9050], "north", level=3, removed=[7, 9002]),  # 9050 moves to north
        _layer_msg([8], "", level=2, removed=[9]),
    ]
    view = make_view(Stream.LAYERS)
    assert isinstance(view, LayerView)
    for seq, m in enumerate(sent, start=1):
        view.apply(seq, m.district, "", stamp(body_of(m), seq, 0))
    bad = msgspec.structs.replace(_layer_msg([1, 2], "north"), lat=b"\x00" * 8)
    view.apply(5, "north", "", stamp(body_of(bad), 5, 0))
    assert view.malformed == 1 and view.seq == 5
    expected = _wall_points(list(sent))
    assert len(expected) == 9100 - 3 and expected[5][2] == 3 and 7 not in expected and 9002 not in expected

    snap = view.snapshot(Filter())
    assert all(isinstance(m, LayerPoints) and m.seq == 5 for m in snap)
    assert _wall_points(snap) == expected
    assert {m.district for m in snap} == {"north", "south", ""}  # type: ignore[union-attr]

    north = view.snapshot(Filter(districts=["north"]))
    ids = {int(i) for m in north for i in np.frombuffer(m.ids, "<u4")}  # type: ignore[union-attr]
    assert 9050 in ids and 8 in ids and 9051 not in ids, "its own, the moved one and the district-less one"
    assert len(ids) == 9000 - 2 + 1  # 7 and 9 removed, 9050 moved in

    dirty = view.take_dirty()
    assert dirty == {"layers.risk_points.0", "layers.risk_points.1"}
    copy = make_view(Stream.LAYERS)
    for key, value in view.kv_entries(dirty).items():
        assert value is not None
        copy.load(key, value)
    assert _wall_points(copy.snapshot(Filter())) == expected
    assert _wall_points(copy.snapshot(Filter(districts=["south"]))) == {
        k: v
        for k, v in expected.items()
        if 9000 < k != 9050 or k == 8  # 8: no district, every filter's
    }


def test_a_layer_block_emptied_by_removals_is_deleted_from_the_kv_bucket() -> None:
    view = make_view(Stream.LAYERS)
    view.apply(1, "north", "", stamp(body_of(_layer_msg([1, 2, 9000], "north")), 1, 0))
    view.take_dirty()
    gone = LayerPoints(
        stream=Stream.LAYERS,
        seq=0,
        prev=0,
        ts=5,
        layer="risk_points",
        removed=np.array([9000], "<u4").tobytes(),
    )
    view.apply(2, "", "", stamp(body_of(gone), 2, 0))
    assert view.kv_entries(view.take_dirty()) == {"layers.risk_points.1": None}
    assert _wall_points(view.snapshot(Filter())).keys() == {1, 2}


def test_a_deleted_plot_leaves_the_view_and_the_bucket_and_an_undo_brings_it_back() -> None:
    """§5.10: ``active: false`` deletes a plot; an edit against the version it was deleted at restores it."""
    plots = make_view(Stream.PLOTS)
    line = Geometry(type="LineString", coordinates=[[106.5, 29.55], [106.505, 29.553]])

    def plot(seq: int, version: int, active: bool) -> bytes:
        msg = Plot(
            stream=Stream.PLOTS, seq=0, prev=0, ts=seq, id="p-1", kind="fire_line", active=active,
            geometry=line, event_id="E1", district="north", version=version, author="li.wei",
            created=1, updated=seq, theme="fire",
        )  # fmt: skip
        return stamp(body_of(msg), seq, 0)

    plots.apply(1, "north", "fire", plot(1, 1, True))
    plots.apply(2, "north", "fire", plot(2, 2, True))
    assert [(m.id, m.version) for m in plots.snapshot(Filter(districts=["north"]))] == [("p-1", 2)]  # type: ignore[union-attr]
    plots.take_dirty()
    plots.apply(3, "north", "fire", plot(3, 3, False))
    assert plots.snapshot(Filter()) == [] and plots.snapshot(Filter(districts=["north"])) == []
    assert plots.kv_entries(plots.take_dirty()) == {"plots.plot.p-1": None}
    plots.apply(4, "north", "fire", plot(4, 4, True))  # the undo of the delete
    assert [(m.id, m.version) for m in plots.snapshot(Filter())] == [("p-1", 4)]  # type: ignore[union-attr]
