"""Point layers (protocol §5.9): columnar upserts and removals merged in order, checked against a
plain dict; malformed messages counted, never applied."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.model import Situation, layers
from cockpit.model.layers import PointLayer
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import LayerPoints


def points(
    ids: list[int],
    *,
    removed: list[int] | None = None,
    level: int = 1,
    kinds: list[str] | None = None,
    seq: int = 1,
    layer: str = "risk",
) -> LayerPoints:
    n = len(ids)
    kinds = kinds if kinds is not None else ["k"]
    return LayerPoints(
        stream="layers",
        seq=seq,
        prev=seq - 1,
        ts=1000,
        layer=layer,
        ids=np.array(ids, "<u4").tobytes(),
        lon=np.array([100.0 + i / 1000 for i in ids], "<f8").tobytes(),
        lat=np.array([30.0 + level + i / 1000 for i in ids], "<f8").tobytes(),
        level=np.full(n, level, np.uint8).tobytes(),
        kind=np.zeros(n, "<u2").tobytes() if kinds else b"",
        kinds=kinds,
        removed=np.array(removed or [], "<u4").tobytes(),
    )


def test_upserts_replace_by_id_removals_come_first_and_kinds_are_codes() -> None:
    layer = PointLayer("risk")
    layer.add(points([3, 1, 2], kinds=["gas"]))
    layer.add(points([2, 5], level=3, kinds=["slope"], removed=[1]))
    layer.add(points([1], removed=[1], level=2, kinds=["gas"]))  # removed first, then added again
    c = layer.columns()
    assert c.ids.tolist() == [1, 2, 3, 5]
    assert c.level.tolist() == [2, 3, 1, 3]
    assert [layer.kinds[k] for k in c.kind.tolist()] == ["gas", "slope", "gas", "slope"]
    assert c.lat[1] == 33.002  # point 2 as the later message placed it


def test_a_message_whose_columns_do_not_fit_is_counted_and_not_applied() -> None:
    s = Situation()
    bad = LayerPoints(stream="layers", seq=1, prev=0, ts=1, layer="risk", ids=b"\x01\x00\x00\x00", lon=b"", lat=b"")
    s.apply([DataReceived((bad, points([7], seq=2)))])
    layer = s.layers.get("risk")
    assert layer is not None and layer.columns().ids.tolist() == [7] and s.layers.bad == 1


def test_a_snapshot_replaces_every_layer_and_the_change_set_names_the_layers() -> None:
    s = Situation()
    s.apply([DataReceived((points([1, 2]), points([9], layer="other", seq=2)))])
    assert s.take_changes().layers == {"risk", "other"}
    s.apply([SnapshotReceived("layers", "e", 5, (points([4], seq=5),))])
    assert s.take_changes().layers == {"risk", "other"}
    assert s.layers.layers["risk"].columns().ids.tolist() == [4]
    assert len(s.layers.layers["other"].columns()) == 0


def test_merged_columns_are_never_changed_in_place() -> None:
    layer = PointLayer("risk")
    layer.add(points([1, 2]))
    before = layer.columns()
    kept = before.level.copy()
    layer.add(points([1], level=3))
    after = layer.columns()
    assert before.level.tolist() == kept.tolist() and after.level.tolist() == [3, 1]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(0, 30), max_size=12, unique=True),
            st.lists(st.integers(0, 30), max_size=5),
            st.integers(0, 3),
        ),
        max_size=8,
    ),
    st.integers(0, 8),
    st.sampled_from([2_000, 3]),
)
def test_any_sequence_of_messages_merges_like_a_dict(
    messages: list[tuple[list[int], list[int], int]], read_at: int, bulk: int
) -> None:
    """Small messages (searched into the sorted columns) and large ones (joined and sorted once,
    here from 4 points on) give the same layer as a dict, in any order and mix."""
    old, layers.BULK = layers.BULK, bulk
    try:
        check_against_a_dict(messages, read_at)
    finally:
        layers.BULK = old


def check_against_a_dict(messages: list[tuple[list[int], list[int], int]], read_at: int) -> None:
    layer = PointLayer("risk")
    expected: dict[int, int] = {}
    for i, (ids, removed, level) in enumerate(messages):
        layer.add(points(ids, removed=removed, level=level, seq=i + 1))
        for r in removed:
            expected.pop(r, None)
        for p in ids:
            expected[p] = level
        if i == read_at:  # reading in between must not change the outcome
            layer.columns()
    c = layer.columns()
    assert dict(zip(c.ids.tolist(), c.level.tolist(), strict=True)) == expected
    assert c.ids.tolist() == sorted(expected)
