"""Property tests: arbitrary bytes never raise; encode/decode round-trips (docs/protocol.md §2.3)."""

from __future__ import annotations

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.protocol.codec import decode_client_frame, decode_server_frame, encode_frame, encode_frames
from cockpit.protocol.messages import CommandAck, Dispatch, Event, Filter, Heartbeat, SensorBatch, Unit
from cockpit.protocol.server import Gate, ServerConfig, ServerProtocol
from cockpit.protocol.session import ClientSession
from tests.protocol.memory_streams import MemoryLog, MemoryStreams

text = st.text(max_size=20)
ints = st.integers(min_value=0, max_value=2**53)
floats = st.floats(allow_nan=False, allow_infinity=False, width=64)

events = st.builds(
    Event,
    stream=st.just("events"),
    seq=ints,
    prev=ints,
    ts=ints,
    id=text,
    type=text,
    severity=st.integers(1, 4),
    time=ints,
    lon=floats,
    lat=floats,
    district=text,
    state=text,
    title=text,
    recommended=st.lists(text, max_size=3),
)
units = st.builds(
    Unit,
    stream=st.just("dispatch"),
    seq=ints,
    prev=ints,
    ts=ints,
    id=text,
    name=text,
    kind=text,
    district=text,
    status=text,
    lon=floats,
    lat=floats,
)
dispatches = st.builds(
    Dispatch,
    stream=st.just("dispatch"),
    seq=ints,
    prev=ints,
    ts=ints,
    command_id=text,
    event_id=text,
    unit_id=text,
    state=text,
)
batches = st.integers(0, 50).flatmap(
    lambda n: st.builds(
        SensorBatch,
        stream=st.just("sensors"),
        seq=ints,
        prev=ints,
        ts=ints,
        ttl_ms=ints,
        ids=st.binary(min_size=4 * n, max_size=4 * n),
        values=st.binary(min_size=4 * n, max_size=4 * n),
    )
)
acks = st.builds(CommandAck, id=text, result=st.sampled_from(["accepted", "rejected", "duplicate"]))
messages = st.lists(
    st.one_of(events, units, dispatches, batches, acks, st.builds(Heartbeat, ts=ints)), max_size=20
)


@given(messages)
def test_server_frames_round_trip(msgs: list[msgspec.Struct]) -> None:
    decoded = decode_server_frame(encode_frame(msgs), 1 << 24)
    assert decoded.issues == []
    assert decoded.messages == msgs


@given(messages, st.integers(600, 4000))
def test_split_frames_round_trip_and_respect_the_limit(msgs: list[msgspec.Struct], limit: int) -> None:
    frames = encode_frames(msgs, limit)
    assert all(len(f) <= limit for f in frames)
    out = [m for f in frames for m in decode_server_frame(f, limit).messages]
    assert out == msgs


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    decode_server_frame(data, 1 << 20)
    decode_client_frame(data, 1 << 20)
    s = ClientSession(
        client_id="c", operator="o", role="viewer", token="", subscriptions={"events": Filter()}
    )
    s.start(0)
    s.receive_data(data, 1)
    s.events_received()
    srv = ServerProtocol(ServerConfig("s"), MemoryStreams({"events": MemoryLog()}), Gate(), "a", 0)
    srv.receive_data(data, 1)
    srv.events_received()
    srv.data_to_send(1)


json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | floats
    | st.text(max_size=10)
    | st.binary(max_size=10),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["t", "stream", "seq", "prev", "ts", "id", "ids"]), json_like, max_size=6
        ),
        max_size=6,
    )
)
def test_arbitrary_msgpack_structures_never_raise_in_an_open_session(frame: list[object]) -> None:
    from cockpit.protocol.messages import Filter, Subscribed, Welcome

    s = ClientSession(
        client_id="c",
        operator="o",
        role="viewer",
        token="",
        subscriptions={"events": Filter(), "sensors": Filter()},
    )
    s.start(0)
    s.receive_data(
        encode_frame(
            [
                Welcome(v=1, server_id="s", epochs={}, capabilities=[], server_time=0),
                Subscribed(stream="events", epoch="e", mode="snapshot", seq=0),
            ]
        ),
        1,
    )
    s.receive_data(msgspec.msgpack.encode(frame), 2)
    s.events_received()
    s.tick(10_000)
