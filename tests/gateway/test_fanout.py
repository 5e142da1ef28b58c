"""The fan-out core, synchronously: scopes and area logs give every client exactly what a scan of the
stream with its filter gives, chained by ``prev``; clients in step share frames; wakes go only to
the scopes that received something (issue 22)."""

from __future__ import annotations

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.backend.gateway.fanout import Fanout, scope_key
from cockpit.backend.gateway.layout import body_of
from cockpit.backend.gateway.view import Item, Ring, item_of
from cockpit.protocol.codec import decode_server_frame
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import Event, Filter, Stream

AREAS = ["a", "b", "c", ""]
THEMES = ["flood", "fire", ""]
LEVELS = ["street", "district", "city"]


def _body(seq: int) -> bytes:
    ev = Event(
        stream=Stream.EVENTS,
        seq=0,
        prev=0,
        ts=seq,
        id=f"e{seq}",
        type="t",
        severity=1,
        time=0,
        lon=0.0,
        lat=0.0,
        district="a",
        state="new",
    )
    return body_of(ev)


class Stream_:
    """A stream ring fed in order, routed through a :class:`Fanout` as the gateway's tail does."""

    def __init__(self, capacity: int = 1000) -> None:
        self.ring = Ring(capacity)
        self.fanout = Fanout([Stream.EVENTS.value])

    def publish(self, seq: int, district: str, theme: str, levels: tuple[str, ...]) -> Item:
        item = item_of(seq, district, theme, _body(seq), self.ring.seq, levels)
        self.ring.append(item)
        self.fanout.route(Stream.EVENTS, item, self.ring.first_seq)
        return item


def _brute(ring: Ring, f: Filter, after: int) -> list[int]:
    return [i.seq for i in ring.since(after) if matches(f, i.district, i.theme, i.levels)]


def _decoded(frames: list[bytes]) -> list[tuple[int, int]]:
    out = []
    for frame in frames:
        for m in decode_server_frame(frame, 1 << 22).messages:
            assert isinstance(m, Event)
            out.append((m.seq, m.prev))
    return out


filters = st.builds(
    Filter,
    districts=st.lists(st.sampled_from(AREAS[:3]), max_size=2),
    themes=st.lists(st.sampled_from(THEMES[:2]), max_size=1),
    levels=st.lists(st.sampled_from(LEVELS), max_size=1),
)
messages = st.lists(
    st.tuples(
        st.integers(1, 3),  # seq step (holes: other streams' or purged messages)
        st.sampled_from(AREAS),
        st.sampled_from(THEMES),
        st.lists(st.sampled_from(LEVELS), max_size=2).map(tuple),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(f=filters, before=messages, after=messages, start=st.integers(0, 3))
def test_a_scope_and_the_area_logs_select_what_a_scan_selects_chained_by_prev(
    f: Filter,
    before: list[tuple[int, str, str, tuple[str, ...]]],
    after: list[tuple[int, str, str, tuple[str, ...]]],
    start: int,
) -> None:
    s = Stream_()
    seq = 0
    for step, d, t, lv in before:
        seq += step
        s.publish(seq, d, t, lv)
    joined_at = s.ring.seq
    scope = s.fanout.join(Stream.EVENTS, f, "wall", joined_at)
    for step, d, t, lv in after:
        seq += step
        s.publish(seq, d, t, lv)
    # A client that took a snapshot at the join gets the scope's messages, chained from the join.
    got = _decoded(scope.frames_after(joined_at, s.ring.seq, joined_at, 1 << 20).frames)  # type: ignore[union-attr]
    want = _brute(s.ring, f, joined_at)
    assert [m for m, _ in got] == want
    assert [p for _, p in got] == [joined_at, *want][: len(want)]
    # A client resuming from earlier gets the same selection from the area logs.
    resume = min(start, joined_at)
    selected = s.fanout.select(Stream.EVENTS, f, resume)
    if selected is not None:
        assert [i.seq for i in selected] == _brute(s.ring, f, resume)


def test_clients_in_step_share_the_same_frame_objects_and_a_late_one_is_restamped() -> None:
    s = Stream_()
    f = Filter(districts=["a"])
    scope = s.fanout.join(Stream.EVENTS, f, "w1", 0)
    assert s.fanout.join(Stream.EVENTS, Filter(districts=["a", "a"]), "w2", 0) is scope
    for seq in range(1, 11):
        s.publish(seq, "a" if seq % 2 else "b", "", ())
    one = scope.frames_after(0, s.ring.seq, 0, 1 << 20)
    two = scope.frames_after(0, s.ring.seq, 0, 1 << 20)
    assert one is not None and two is one, "the second client gets the first one's frames"
    assert [m for m, _ in _decoded(one.frames)] == [1, 3, 5, 7, 9]
    # A client that resumed at seq 4 (its prev is 4, not the scope's 3) cannot take the shared bytes.
    assert scope.frames_after(4, s.ring.seq, 4, 1 << 20) is None
    assert [i.seq for i in scope.since(4)] == [5, 7, 9]


def test_only_the_scopes_that_selected_a_message_are_dirty_and_empty_scopes_go() -> None:
    s = Stream_()
    city = s.fanout.join(Stream.EVENTS, Filter(), "city", 0)
    a = s.fanout.join(Stream.EVENTS, Filter(districts=["a"]), "wall-a", 0)
    b = s.fanout.join(Stream.EVENTS, Filter(districts=["b"], levels=["street"]), "wall-b", 0)
    s.publish(1, "a", "", ("district",))
    assert set(map(id, s.fanout.take_dirty())) == {id(city), id(a)}
    s.publish(2, "b", "", ("district",))  # b wants street-level events only
    assert set(map(id, s.fanout.take_dirty())) == {id(city)}
    s.publish(3, "", "", ("street",))  # an empty district passes every district filter
    assert set(map(id, s.fanout.take_dirty())) == {id(city), id(a), id(b)}
    s.fanout.leave(b, "wall-b")
    assert scope_key(Stream.EVENTS, Filter(districts=["b"], levels=["street"])) not in s.fanout.scopes
    s.publish(4, "b", "", ("street",))
    assert set(map(id, s.fanout.take_dirty())) == {id(city)}
    assert s.fanout.routed == 7


def test_area_logs_and_scopes_keep_only_the_rings_window() -> None:
    s = Stream_(capacity=100)
    scope = s.fanout.join(Stream.EVENTS, Filter(districts=["a"]), "w", 0)
    for seq in range(1, 10_001):
        s.publish(seq, "a", "", ())
    assert len(scope.log.items) <= 4096 + 200
    assert not scope.holds_after(0) and scope.holds_after(s.ring.first_seq - 1)
    assert s.fanout.select(Stream.EVENTS, Filter(districts=["a"]), 5) is None, "older than the window"
    tail = s.fanout.select(Stream.EVENTS, Filter(districts=["a"]), 9_990)
    assert tail is not None and [i.seq for i in tail] == list(range(9_991, 10_001))
    assert msgspec.msgpack.decode(scope.since(9_998)[0].wire)["prev"] == 9_998
