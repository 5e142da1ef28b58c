"""Fuzzing the protocol decoder and the client's receive path (issue 8, "Fuzzing").

Inputs: arbitrary bytes, arbitrary MessagePack values (so that the decoder's later stages are
reached, not only its first check), valid frames with bytes flipped, cut or inserted, and known
message types with fields of the wrong type. The properties are in :mod:`tests.fuzz.targets`.
"""

from __future__ import annotations

import msgspec
from hypothesis import example, given
from hypothesis import strategies as st

from cockpit.protocol.codec import Problem, decode_server_frame, encode_frame
from cockpit.protocol.messages import ServerMessage
from tests.fuzz.profile import FUZZ
from tests.fuzz.targets import LIMIT, check_frame, check_session, open_client_session
from tests.protocol.test_properties import messages

TAGS = sorted(
    str(t.__struct_config__.tag) for t in ServerMessage.__args__ if t.__struct_config__.tag is not None
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=12)
    | st.binary(max_size=16)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.text(max_size=6) | st.sampled_from(["t", "seq", "prev", "stream", "ids"]), inner, max_size=5
        )
    ),
    max_leaves=30,
)
tagged = st.builds(
    lambda tag, fields: {"t": tag, **fields},
    st.sampled_from([*TAGS, "from_the_future"]),
    st.dictionaries(
        st.sampled_from(["stream", "seq", "prev", "ts", "id", "ids", "values", "epoch", "v", "x"]),
        values,
        max_size=6,
    ),
)
msgpack_frames = st.lists(tagged | values, max_size=6).map(msgspec.msgpack.encode) | values.map(
    msgspec.msgpack.encode
)


@st.composite
def mutated_frames(draw: st.DrawFn) -> bytes:
    """A valid server frame with a few bytes flipped, cut or inserted."""
    data = bytearray(encode_frame(draw(messages)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut" and data:
            del data[at : at + draw(st.integers(1, 8))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at:]
    return bytes(data)


any_frame = st.binary(max_size=300) | msgpack_frames | mutated_frames()


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_and_every_problem_is_specific(data: bytes) -> None:
    check_frame(data)


@FUZZ
@given(msgpack_frames)
@example(b"\x91\x81\xa1t\xa0")  # [{"t": ""}]: an empty type, found by this test in CI
def test_arbitrary_msgpack_values_are_taken_or_refused_specifically(data: bytes) -> None:
    check_frame(data)


@FUZZ
@given(mutated_frames())
def test_mutated_valid_frames_are_taken_or_refused_specifically(data: bytes) -> None:
    check_frame(data)


@FUZZ
@given(st.lists(any_frame, max_size=12))
def test_client_receive_path_never_raises_and_counts_every_problem(frames: list[bytes]) -> None:
    check_session(frames)


@FUZZ
@given(
    st.sampled_from(TAGS), st.sampled_from(["seq", "ts", "stream"]), st.sampled_from([[1], {"a": 1}, -1.5])
)
def test_a_known_message_with_a_wrongly_typed_field_is_refused_naming_it(
    tag: str, key: str, bad: object
) -> None:
    frame = msgspec.msgpack.encode([{"t": tag, key: bad}])
    issues = decode_server_frame(frame, LIMIT).issues
    assert [i.problem for i in issues] == [Problem.MALFORMED_MESSAGE]
    assert issues[0].type == tag and issues[0].index == 0
    assert "Expected" in issues[0].detail or "missing required field" in issues[0].detail, issues[0].detail


def test_each_kind_of_bad_frame_has_its_own_problem_and_message() -> None:
    cases = {
        b"\xc1": (Problem.NOT_MSGPACK, "not MessagePack"),
        msgspec.msgpack.encode({"t": "hb"}): (Problem.NOT_A_LIST, "not a MessagePack array"),
        msgspec.msgpack.encode([{"t": "nova", "x": 1}]): (
            Problem.UNKNOWN_TYPE,
            "unknown message type 'nova'",
        ),
        msgspec.msgpack.encode([{"t": "hb", "ts": "noon"}]): (
            Problem.MALFORMED_MESSAGE,
            "Expected `int`, got `str`",
        ),
        b"\x90" + b"\x00" * LIMIT: (Problem.OVERSIZED, f"exceeds limit of {LIMIT}"),
    }
    for frame, (problem, words) in cases.items():
        issues = decode_server_frame(frame, LIMIT).issues
        assert [i.problem for i in issues] == [problem]
        assert words in issues[0].detail, (problem, issues[0].detail)
    session = open_client_session()
    check_session(list(cases), session)
    c = session.counters
    assert (c.malformed, c.unknown, c.oversized) == (3, 1, 1)
