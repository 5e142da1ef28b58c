"""Frame encoding and decoding (docs/protocol.md §2).

A frame is a MessagePack array of messages. Decoding takes a fast path, one typed msgspec decode of the
whole frame, and falls back to decoding message by message only when that fails, so that one unknown
or malformed message costs only itself (§2.3).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec

from cockpit.protocol.messages import ClientMessage, ServerMessage

M = TypeVar("M")


class Problem(enum.Enum):
    """Why (part of) a frame was not taken."""

    OVERSIZED = "oversized"
    NOT_MSGPACK = "not_msgpack"
    NOT_A_LIST = "not_a_list"
    MALFORMED_MESSAGE = "malformed_message"
    UNKNOWN_TYPE = "unknown_type"


@dataclass(frozen=True, slots=True)
class DecodeIssue:
    """One thing wrong with a frame; the frame's other messages still count."""

    problem: Problem
    detail: str
    index: int = -1
    type: str = ""
    id: str = ""
    """The message's ``id`` when it is a readable string (a malformed command still gets an ack, §7.2)."""


@dataclass(slots=True)
class Decoded(Generic[M]):
    """The result of decoding one frame: the good messages and what was wrong."""

    messages: list[M] = field(default_factory=list)
    issues: list[DecodeIssue] = field(default_factory=list)


class _Tagged(msgspec.Struct):
    t: Any = None
    id: Any = None


class _Decoder(Generic[M]):
    def __init__(self, union: Any, known_tags: frozenset[str]) -> None:
        self._frame = msgspec.msgpack.Decoder(list[union])  # type: ignore[valid-type]
        self._one = msgspec.msgpack.Decoder(union)
        self._raw = msgspec.msgpack.Decoder(list[msgspec.Raw])
        self._tag = msgspec.msgpack.Decoder(_Tagged)
        self._known = known_tags

    def decode(self, data: bytes, max_bytes: int) -> Decoded[M]:
        """Decode a frame. Never raises; every problem is reported in :attr:`Decoded.issues`."""
        if len(data) > max_bytes:
            return Decoded(
                issues=[
                    DecodeIssue(
                        Problem.OVERSIZED,
                        f"frame of {len(data)} bytes exceeds limit of {max_bytes}",
                    )
                ]
            )
        try:
            return Decoded(messages=self._frame.decode(data))
        except (msgspec.DecodeError, UnicodeDecodeError):
            # msgspec raises UnicodeDecodeError, not DecodeError, for a string that is not UTF-8
            # (found by fuzzing, tests/fuzz): fall through to find out what is wrong.
            pass
        return self._decode_slowly(data)

    def _decode_slowly(self, data: bytes) -> Decoded[M]:
        out: Decoded[M] = Decoded()
        try:
            raws = self._raw.decode(data)
        except msgspec.ValidationError:
            out.issues.append(DecodeIssue(Problem.NOT_A_LIST, "frame is not a MessagePack array"))
            return out
        except msgspec.DecodeError as exc:
            out.issues.append(DecodeIssue(Problem.NOT_MSGPACK, f"frame is not MessagePack: {exc}"))
            return out
        for i, raw in enumerate(raws):
            try:
                out.messages.append(self._one.decode(raw))
                continue
            except msgspec.DecodeError as exc:
                error = str(exc)
            except UnicodeDecodeError as exc:
                error = f"a string is not valid UTF-8: {exc}"
            tag, ident = self._tag_of(raw)
            if isinstance(tag, str) and tag and tag not in self._known:
                out.issues.append(DecodeIssue(Problem.UNKNOWN_TYPE, f"unknown message type {tag!r}", i, tag))
            elif tag == "":  # not a type nobody knows: no type at all
                out.issues.append(DecodeIssue(Problem.MALFORMED_MESSAGE, "the message type 't' is empty", i, ""))
            else:
                type_name = tag if isinstance(tag, str) else ""
                out.issues.append(DecodeIssue(Problem.MALFORMED_MESSAGE, error, i, type_name, ident))
        return out

    def _tag_of(self, raw: msgspec.Raw) -> tuple[Any, str]:
        try:
            tagged = self._tag.decode(raw)
        except (msgspec.DecodeError, UnicodeDecodeError):
            return None, ""
        return tagged.t, tagged.id if isinstance(tagged.id, str) else ""


def _tags(union: Any) -> frozenset[str]:
    return frozenset(
        str(t.__struct_config__.tag) for t in union.__args__ if t.__struct_config__.tag is not None
    )


_SERVER_DECODER: _Decoder[ServerMessage] = _Decoder(ServerMessage, _tags(ServerMessage))
_CLIENT_DECODER: _Decoder[ClientMessage] = _Decoder(ClientMessage, _tags(ClientMessage))
_ENCODER = msgspec.msgpack.Encoder()


def decode_server_frame(data: bytes, max_bytes: int) -> Decoded[ServerMessage]:
    """Decode a frame a server sent. Never raises."""
    return _SERVER_DECODER.decode(data, max_bytes)


def decode_client_frame(data: bytes, max_bytes: int) -> Decoded[ClientMessage]:
    """Decode a frame a client sent. Never raises."""
    return _CLIENT_DECODER.decode(data, max_bytes)


def encode_frame(messages: Sequence[msgspec.Struct]) -> bytes:
    """Encode messages into one frame (a MessagePack array)."""
    return _ENCODER.encode(messages)


def encode_frames(messages: Sequence[msgspec.Struct], max_bytes: int) -> list[bytes]:
    """Encode messages into as few frames as fit under ``max_bytes`` each.

    Raises:
        ValueError: one message alone is larger than ``max_bytes``.
    """
    whole = _ENCODER.encode(messages)
    if len(whole) <= max_bytes:
        return [whole]
    frames: list[bytes] = []
    current: list[bytes] = []
    size = 5  # a MessagePack array header is at most 5 bytes
    for m in messages:
        b = _ENCODER.encode(m)
        if len(b) + 5 > max_bytes:
            raise ValueError(f"one {type(m).__name__} message of {len(b)} bytes exceeds the limit")
        if size + len(b) > max_bytes:
            frames.append(_join(current))
            current, size = [], 5
        current.append(b)
        size += len(b)
    if current:
        frames.append(_join(current))
    return frames


def _join(encoded: list[bytes]) -> bytes:
    return join_frame(encoded)


def join_frame(encoded: list[bytes]) -> bytes:
    """One frame (a MessagePack array) of already-encoded messages (§2.1)."""
    n = len(encoded)
    if n < 16:
        header = bytes((0x90 | n,))
    elif n < 1 << 16:
        header = b"\xdc" + n.to_bytes(2, "big")
    else:
        header = b"\xdd" + n.to_bytes(4, "big")
    return header + b"".join(encoded)


def frames_of(encoded: list[bytes], max_bytes: int) -> list[bytes]:
    """Already-encoded messages packed into as few frames as fit under ``max_bytes`` each (§2.1).

    A message larger than ``max_bytes`` on its own still goes, alone in its frame: the servers keep
    their messages well under the limit (§5.2), and the conformance tool checks that they do.
    """
    if not encoded:
        return []
    if sum(map(len, encoded)) + 5 <= max_bytes:
        return [join_frame(encoded)]
    frames: list[bytes] = []
    current: list[bytes] = []
    size = 5
    for m in encoded:
        if size + len(m) > max_bytes and current:
            frames.append(join_frame(current))
            current, size = [], 5
        current.append(m)
        size += len(m)
    if current:
        frames.append(join_frame(current))
    return frames


def _uint(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    if n < 0x100:
        return b"\xcc" + bytes((n,))
    if n < 0x10000:
        return b"\xcd" + n.to_bytes(2, "big")
    if n < 0x100000000:
        return b"\xce" + n.to_bytes(4, "big")
    return b"\xcf" + n.to_bytes(8, "big")


def stamp(body: bytes, seq: int, prev: int) -> bytes:
    """A data message stored without ``seq`` and ``prev`` (a MessagePack map), with both appended:
    key order does not matter (§1). Costs a header rewrite and two small writes, no decode.

    Raises:
        ValueError: ``body`` is not a MessagePack map.
    """
    b0 = body[0]
    if 0x80 <= b0 <= 0x8F:
        n, rest = b0 & 0x0F, body[1:]
    elif b0 == 0xDE:
        n, rest = int.from_bytes(body[1:3], "big"), body[3:]
    elif b0 == 0xDF:
        n, rest = int.from_bytes(body[1:5], "big"), body[5:]
    else:
        raise ValueError("payload is not a MessagePack map")
    n += 2
    if n <= 15:
        head = bytes((0x80 | n,))
    elif n < 0x10000:
        head = b"\xde" + n.to_bytes(2, "big")
    else:
        head = b"\xdf" + n.to_bytes(4, "big")
    return b"".join((head, rest, b"\xa3seq", _uint(seq), b"\xa4prev", _uint(prev)))
