"""Where the cockpit's data lives in NATS JetStream, and how it is written there (docs/operations.md).

Subjects: ``cockpit.<stream>.<district>.<theme>`` for data (``_`` for an empty key), so a consumer
can select districts and themes by subject; ``cockpit.commands.<district>`` for commands.

JetStream streams (file storage, a dedupe window on ``Nats-Msg-Id``):

==================  ============================  =============================================
stream              subjects                      content
==================  ============================  =============================================
COCKPIT_EVENTS      ``cockpit.events.>``          ``event`` messages
COCKPIT_DISPATCH    ``cockpit.dispatch.>``        ``unit``, ``dispatch`` (and ``plan``) messages
COCKPIT_OVERLAYS    ``cockpit.overlays.>``        ``overlay`` messages
COCKPIT_SENSORS     ``cockpit.sensors.>``         ``sensor_catalog``, ``sensor_batch`` (per district)
COCKPIT_COMMANDS    ``cockpit.commands.>``        operators' commands, deduplicated by command id
==================  ============================  =============================================

The protocol's ``seq`` of a data message *is* its JetStream stream sequence, and a stream's
protocol epoch is derived from the JetStream stream's creation time: every gateway computes the
same numbers from JetStream alone, so gateways hold no state of their own (§4.2). A stream that is
deleted and created again (its history lost) gets a new epoch, as the protocol requires.

A payload is the MessagePack map of the data message **without** ``seq`` and ``prev``; the gateway
appends both (:func:`cockpit.protocol.codec.stamp`), because only JetStream knows the one and only the subscription the
other (§5.0).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import msgspec

from cockpit.protocol.messages import DataMessage, Stream

PREFIX = "cockpit"
DATA_STREAMS: dict[str, str] = {
    Stream.EVENTS: "COCKPIT_EVENTS",
    Stream.DISPATCH: "COCKPIT_DISPATCH",
    Stream.OVERLAYS: "COCKPIT_OVERLAYS",
    Stream.SENSORS: "COCKPIT_SENSORS",
}
"""Protocol stream → JetStream stream."""
COMMANDS_STREAM = "COCKPIT_COMMANDS"
LATEST_BUCKET = "cockpit-latest"
"""KV bucket of latest values (entities, sensor values and catalogs) for gateway snapshots."""
ACKS_BUCKET = "cockpit-acks"
"""KV bucket of command results by command id, so a duplicate is answered like its first copy."""
ACKS_SUBJECT = f"{PREFIX}.acks"
"""Core NATS subject on which the command processor announces each result at once."""
LEVELS_HEADER = "Cockpit-Levels"
"""Header of an event message: the centre levels it is for, comma-separated (the level filter, §4.1)."""
EMPTY_TOKEN = "_"
"""Stands for an empty district or theme in a subject."""

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


class LayoutError(ValueError):
    """A district or theme cannot be a subject token (it must be letters, digits, ``_`` or ``-``)."""


@dataclass(frozen=True, slots=True)
class Retention:
    """How long JetStream keeps each kind of data (see docs/operations.md, retention sizing).

    Attributes:
        history_s: Events, dispatch and overlays: what clients can resume from.
        sensors_s: Sensor values: short, the KV bucket holds the latest ones.
        dedupe_s: The ``Nats-Msg-Id`` window of every stream; commands are resent within seconds.
        replicas: JetStream replicas of every stream and bucket (3 in a city cluster).
    """

    history_s: float = 7 * 86400
    sensors_s: float = 3600
    dedupe_s: float = 600
    replicas: int = 1


def token(key: str) -> str:
    """A district or theme as a subject token.

    Raises:
        LayoutError: ``key`` has characters a subject token cannot hold.
    """
    if not key:
        return EMPTY_TOKEN
    if not _TOKEN.match(key) or key == EMPTY_TOKEN:
        raise LayoutError(f"district or theme {key!r} cannot be a NATS subject token (use [A-Za-z0-9_-])")
    return key


def untoken(tok: str) -> str:
    return "" if tok == EMPTY_TOKEN else tok


def data_subject(stream: str, district: str, theme: str) -> str:
    return f"{PREFIX}.{stream}.{token(district)}.{token(theme)}"


def parse_data_subject(subject: str) -> tuple[str, str, str]:
    """``(stream, district, theme)`` of a data subject."""
    parts = subject.split(".")
    return parts[1], untoken(parts[2]), untoken(parts[3])


def levels_of(headers: dict[str, str] | None) -> tuple[str, ...]:
    """The levels a message's headers name (none: the message has no level key)."""
    value = headers.get(LEVELS_HEADER, "") if headers else ""
    return tuple(value.split(",")) if value else ()


def command_subject(district: str) -> str:
    return f"{PREFIX}.commands.{token(district)}"


def epoch_of(name: str, created: object) -> str:
    """The protocol epoch of a JetStream stream: a hash of its name and creation time."""
    return hashlib.sha1(f"{name}@{created}".encode()).hexdigest()[:12]


# ------------------------------------------------------------------------------------ payloads

_ENCODER = msgspec.msgpack.Encoder()
_RAW = msgspec.msgpack.Decoder(dict[str, Any])


def body_of(message: DataMessage) -> bytes:
    """The payload stored in JetStream: ``message`` as a MessagePack map without seq and prev."""
    fields = _RAW.decode(_ENCODER.encode(message))
    del fields["seq"], fields["prev"]
    return _ENCODER.encode(fields)


def sensor_batch_body(ts: int, ttl_ms: int, ids: bytes, values: bytes) -> bytes:
    """The payload of a ``sensor_batch``, built directly: it is the high-rate message."""
    return _ENCODER.encode(
        {
            "t": "sensor_batch",
            "stream": Stream.SENSORS.value,
            "ts": ts,
            "ttl_ms": ttl_ms,
            "ids": ids,
            "values": values,
        }
    )
