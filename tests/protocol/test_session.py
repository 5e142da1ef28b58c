"""The sans-I/O client session, driven synchronously: bytes in, events out (docs/protocol.md §8)."""

from __future__ import annotations

import msgspec
import numpy as np
import pytest

from cockpit.protocol.codec import Problem, decode_client_frame, encode_frame
from cockpit.protocol.events import (
    CommandAcked,
    Connected,
    DataReceived,
    FrameProblem,
    GapDetected,
    GapKind,
    HandshakeRefused,
    LivenessChanged,
    SnapshotReceived,
    StreamSynced,
)
from cockpit.protocol.ids import uuid7, uuid7_time_ms
from cockpit.protocol.messages import (
    Command,
    CommandAck,
    Event,
    Filter,
    Heartbeat,
    Hello,
    SensorBatch,
    SnapshotBegin,
    SnapshotEnd,
    Subscribe,
    Subscribed,
    Welcome,
)
from cockpit.protocol.session import ClientSession, Cursors, Position, SessionState

T0 = 1_700_000_000_000


def event(seq: int, prev: int, eid: str = "E1", stream: str = "events") -> Event:
    return Event(
        stream=stream,
        seq=seq,
        prev=prev,
        ts=T0 + seq,
        id=eid,
        type="fire",
        severity=1,
        time=T0,
        lon=106.5,
        lat=29.5,
        district="yuzhong",
        state="new",
    )


def welcome(hb: int = 1000) -> Welcome:
    return Welcome(
        v=1, server_id="s", epochs={"events": "e1"}, capabilities=[], server_time=T0 + 5, heartbeat_ms=hb
    )


def sent(session: ClientSession, now: int = T0) -> list[object]:
    out: list[object] = []
    for frame in session.data_to_send(now):
        decoded = decode_client_frame(frame, 1 << 20)
        assert not decoded.issues
        out.extend(decoded.messages)
    return out


def open_session(cursors: Cursors | None = None, hb: int = 1000) -> ClientSession:
    s = ClientSession(
        client_id="c1",
        operator="op",
        role="operator",
        token="tok",
        subscriptions={"events": Filter(districts=["yuzhong"])},
        cursors=cursors,
    )
    s.start(T0)
    assert isinstance(sent(s)[0], Hello)
    s.receive_data(encode_frame([welcome(hb)]), T0 + 10)
    return s


def test_handshake_sends_hello_then_subscribe_with_resume_position() -> None:
    cursors = Cursors({"events": Position("e1", 41)})
    s = ClientSession(
        client_id="c1",
        operator="op",
        role="operator",
        token="tok",
        subscriptions={"events": Filter(districts=["yuzhong"])},
        cursors=cursors,
    )
    s.start(T0)
    (hello,) = sent(s)
    assert isinstance(hello, Hello) and hello.v == 1 and hello.role == "operator"
    s.receive_data(encode_frame([welcome()]), T0 + 10)
    (connected,) = s.events_received()
    assert isinstance(connected, Connected)
    assert connected.clock_offset_ms == 0  # server time 5 ms into a 10 ms round trip
    (sub,) = sent(s)
    assert isinstance(sub, Subscribe)
    assert sub.streams[0].epoch == "e1" and sub.streams[0].seq == 41
    assert sub.streams[0].filter.districts == ["yuzhong"]


def test_snapshot_is_buffered_and_delivered_whole_then_deltas_chain() -> None:
    s = open_session()
    s.events_received()
    s.receive_data(
        encode_frame(
            [
                Subscribed(stream="events", epoch="e1", mode="snapshot", seq=10, reason="first"),
                SnapshotBegin(stream="events", epoch="e1", seq=10),
                event(3, 0, "A"),
            ]
        ),
        T0,
    )
    evs = s.events_received()
    assert [type(e) for e in evs] == [StreamSynced]  # nothing half-applied yet
    s.receive_data(
        encode_frame(
            [event(7, 0, "B"), SnapshotEnd(stream="events", epoch="e1", seq=10, count=2), event(11, 10, "C")]
        ),
        T0,
    )
    snap, data = s.events_received()
    assert isinstance(snap, SnapshotReceived) and [m.id for m in snap.messages] == ["A", "B"]
    assert isinstance(data, DataReceived) and [m.id for m in data.messages] == ["C"]
    assert s.cursors.get("events") == Position("e1", 11)
    assert s.live_streams == {"events"}


def live_session() -> ClientSession:
    s = open_session(Cursors({"events": Position("e1", 5)}))
    s.receive_data(encode_frame([Subscribed(stream="events", epoch="e1", mode="resume", seq=5)]), T0)
    s.events_received()
    sent(s)
    return s


def test_duplicate_is_dropped_and_counted() -> None:
    s = live_session()
    s.receive_data(encode_frame([event(6, 5), event(6, 5), event(4, 3)]), T0)
    (data,) = s.events_received()
    assert isinstance(data, DataReceived) and len(data.messages) == 1
    assert s.counters.duplicates == 2


def test_gap_is_never_silent_and_asks_for_resume_from_last_seq() -> None:
    s = live_session()
    s.receive_data(encode_frame([event(6, 5), event(9, 8), event(10, 9)]), T0)
    data, gap = s.events_received()
    assert isinstance(data, DataReceived) and [m.seq for m in data.messages] == [6]
    assert gap == GapDetected("events", GapKind.SEQUENCE, 6, 8)
    (resub,) = sent(s)
    assert isinstance(resub, Subscribe) and resub.streams[0].seq == 6
    assert s.counters.gaps == 1
    assert s.live_streams == frozenset()  # until the server answers, later data is not applied


def test_same_gap_twice_falls_back_to_snapshot() -> None:
    s = live_session()
    s.receive_data(encode_frame([event(7, 6)]), T0)
    sent(s)
    s.receive_data(
        encode_frame([Subscribed(stream="events", epoch="e1", mode="resume", seq=5), event(7, 6)]), T0
    )
    (resub,) = sent(s)
    assert isinstance(resub, Subscribe) and resub.streams[0].epoch == "" and resub.streams[0].seq == 0


def test_snapshot_with_wrong_count_is_refused_and_restarted() -> None:
    s = open_session()
    sent(s)
    s.receive_data(
        encode_frame(
            [
                Subscribed(stream="events", epoch="e1", mode="snapshot", seq=10),
                SnapshotBegin(stream="events", epoch="e1", seq=10),
                event(3, 0),
                SnapshotEnd(stream="events", epoch="e1", seq=10, count=5),
            ]
        ),
        T0,
    )
    evs = s.events_received()
    assert not any(isinstance(e, SnapshotReceived) for e in evs)
    assert any(isinstance(e, GapDetected) and e.kind is GapKind.SNAPSHOT_COUNT for e in evs)
    (resub,) = sent(s)
    assert isinstance(resub, Subscribe) and resub.streams[0].seq == 0


def test_bad_frames_are_counted_and_the_session_goes_on() -> None:
    s = live_session()
    s.receive_data(b"\xc1\xc1", T0)
    s.receive_data(msgspec.msgpack.encode([{"t": "future_thing"}, {"t": "event", "seq": "x"}]), T0)
    s.receive_data(b"\x90" + b"\x00" * (2 << 20), T0)
    problems = [e for e in s.events_received() if isinstance(e, FrameProblem)]
    assert [p.problem for p in problems] == [
        Problem.NOT_MSGPACK,
        Problem.UNKNOWN_TYPE,
        Problem.MALFORMED_MESSAGE,
        Problem.OVERSIZED,
    ]
    assert (s.counters.malformed, s.counters.unknown, s.counters.oversized) == (2, 1, 1)
    s.receive_data(encode_frame([event(6, 5)]), T0)
    assert isinstance(s.events_received()[0], DataReceived)
    assert s.state is SessionState.OPEN


def test_sensor_batch_with_unequal_columns_is_dropped_but_advances() -> None:
    s = live_session()
    bad = SensorBatch(
        stream="events",
        seq=6,
        prev=5,
        ts=T0,
        ttl_ms=100,
        ids=np.arange(3, dtype="<u4").tobytes(),
        values=b"\x00" * 8,
    )
    s.receive_data(encode_frame([bad, event(7, 6)]), T0)
    evs = s.events_received()
    assert isinstance(evs[0], FrameProblem)
    assert isinstance(evs[1], DataReceived) and evs[1].messages[0].seq == 7
    assert s.counters.gaps == 0


def test_stale_within_two_heartbeats_and_heartbeats_go_out() -> None:
    s = live_session()
    s.receive_data(encode_frame([Heartbeat(ts=T0)]), T0 + 100)
    s.tick(T0 + 100 + 1499)
    assert not s.events_received()
    assert s.next_deadline() <= T0 + 100 + 1500
    s.tick(T0 + 100 + 1500)
    (stale,) = s.events_received()
    assert stale == LivenessChanged(True, 1500)
    out = sent(s, T0 + 1600)
    assert any(isinstance(m, Heartbeat) for m in out)
    s.receive_data(encode_frame([Heartbeat(ts=T0)]), T0 + 2000)
    assert s.events_received() == [LivenessChanged(False, 0)]


def test_refused_and_wrong_version() -> None:
    s = ClientSession(client_id="c", operator="o", role="viewer", token="", subscriptions={})
    s.start(T0)
    s.receive_data(
        encode_frame([Welcome(v=2, server_id="x", epochs={}, capabilities=[], server_time=T0)]), T0
    )
    (ev,) = s.events_received()
    assert isinstance(ev, HandshakeRefused) and ev.code == "version"
    assert s.state is SessionState.CLOSED


def test_commands_only_on_open_session_and_acks_reported() -> None:
    s = ClientSession(client_id="c", operator="o", role="operator", token="", subscriptions={})
    with pytest.raises(RuntimeError):
        s.send_command(Command(id="x", kind="dispatch"))
    s = live_session()
    cid = uuid7(T0)
    s.send_command(Command(id=cid, kind="dispatch", event_id="E1", unit_id="U1"))
    (cmd,) = sent(s)
    assert isinstance(cmd, Command) and cmd.id == cid
    s.receive_data(encode_frame([CommandAck(id=cid, result="accepted")]), T0)
    (ack,) = s.events_received()
    assert isinstance(ack, CommandAcked) and ack.ack.result == "accepted"


def test_uuid7_layout() -> None:
    a, b = uuid7(T0), uuid7(T0)
    assert a != b and a[14] == "7" and a[19] in "89ab"
    assert uuid7_time_ms(a) == T0


def test_snapshot_with_an_item_we_cannot_read_is_taken_not_refetched_forever() -> None:
    s = open_session()
    sent(s)
    s.receive_data(
        encode_frame(
            [
                Subscribed(stream="events", epoch="e1", mode="snapshot", seq=10),
                SnapshotBegin(stream="events", epoch="e1", seq=10),
                event(3, 0, "A"),
            ]
        ),
        T0,
    )
    s.receive_data(msgspec.msgpack.encode([{"t": "event_v2", "stream": "events"}]), T0)
    s.receive_data(encode_frame([SnapshotEnd(stream="events", epoch="e1", seq=10, count=2)]), T0)
    evs = s.events_received()
    snap = [e for e in evs if isinstance(e, SnapshotReceived)]
    assert len(snap) == 1 and [m.id for m in snap[0].messages] == ["A"]
    assert s.counters.unknown == 1 and s.counters.gaps == 0
    assert sent(s) == []


def test_snapshot_drops_a_sensor_batch_with_unequal_columns() -> None:
    s = ClientSession(
        client_id="c", operator="o", role="viewer", token="", subscriptions={"sensors": Filter()}
    )
    s.start(T0)
    s.receive_data(
        encode_frame(
            [Welcome(v=1, server_id="s", epochs={"sensors": "e1"}, capabilities=[], server_time=T0)]
        ),
        T0,
    )
    bad = SensorBatch(stream="sensors", seq=1, prev=0, ts=T0, ttl_ms=100, ids=b"\x00" * 8, values=b"\x00" * 4)
    s.receive_data(
        encode_frame(
            [
                Subscribed(stream="sensors", epoch="e1", mode="snapshot", seq=1),
                SnapshotBegin(stream="sensors", epoch="e1", seq=1),
                bad,
                SnapshotEnd(stream="sensors", epoch="e1", seq=1, count=1),
            ]
        ),
        T0,
    )
    snap = [e for e in s.events_received() if isinstance(e, SnapshotReceived)]
    assert len(snap) == 1 and snap[0].messages == ()
    assert s.counters.malformed == 1


def test_announced_frame_limit_is_clamped() -> None:
    s = ClientSession(client_id="c", operator="o", role="viewer", token="", subscriptions={})
    s.start(T0)
    s.receive_data(
        encode_frame(
            [Welcome(v=1, server_id="s", epochs={}, capabilities=[], server_time=T0, max_frame_bytes=0)]
        ),
        T0,
    )
    assert s.max_frame_bytes == 64 * 1024
    assert not s.handshake_overdue(T0 + 10_000, 5000)
