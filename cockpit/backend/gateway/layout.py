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
COCKPIT_CAMERAS     ``cockpit.cameras.>``         ``camera`` messages (optional, below)
COCKPIT_CATALOG     ``cockpit.catalog.>``         ``catalog`` messages (optional, below)
COCKPIT_SERIES      ``cockpit.series.>``          ``sensor_series`` messages (optional, below)
COCKPIT_LAYERS      ``cockpit.layers.>``          ``layer_points`` messages (optional, below)
COCKPIT_PLOTS       ``cockpit.plots.>``           ``plot`` messages (optional, below)
COCKPIT_COMMANDS    ``cockpit.commands.>``        operators' commands, deduplicated by command id
COCKPIT_AUDIT       ``cockpit.audit.>``           the cockpits' audit records, once per chain and seq
==================  ============================  =============================================

The first four are every gateway's: a gateway creates them if they are missing. The **optional**
streams are the district's to create, with the publisher that fills them: a gateway offers one
(in the welcome's epochs, protocol §3.2) only while it exists, because offering a stream says
something (an empty ``catalog`` would tell walls "this server names its codes", §5.8).

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
CORE_STREAMS: dict[str, str] = {
    Stream.EVENTS: "COCKPIT_EVENTS",
    Stream.DISPATCH: "COCKPIT_DISPATCH",
    Stream.OVERLAYS: "COCKPIT_OVERLAYS",
    Stream.SENSORS: "COCKPIT_SENSORS",
}
"""Protocol stream → JetStream stream, for the streams every gateway offers (and creates if missing)."""
OPTIONAL_STREAMS: dict[str, str] = {
    Stream.CAMERAS: "COCKPIT_CAMERAS",
    Stream.CATALOG: "COCKPIT_CATALOG",
    Stream.SERIES: "COCKPIT_SERIES",
    Stream.LAYERS: "COCKPIT_LAYERS",
    Stream.PLOTS: "COCKPIT_PLOTS",
}
"""Protocol stream → JetStream stream, for the streams a gateway offers only while they exist."""
DATA_STREAMS: dict[str, str] = {**CORE_STREAMS, **OPTIONAL_STREAMS}
"""Every protocol stream a gateway can carry → its JetStream stream."""
COMMANDS_STREAM = "COCKPIT_COMMANDS"
AUDIT_STREAM = "COCKPIT_AUDIT"
"""The cockpits' audit records (protocol §7.8), written by gateways, read by the site's audit store."""
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
        audit_s: The cockpits' audit records: what an inquiry may ask for (13 months).
        dedupe_s: The ``Nats-Msg-Id`` window of every stream; commands are resent within seconds.
        replicas: JetStream replicas of every stream and bucket (3 in a city cluster).
    """

    history_s: float = 7 * 86400
    sensors_s: float = 3600
    audit_s: float = 400 * 86400
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


def audit_subject(chain: str, seq: int) -> str:
    """Where one audit record is kept: one subject per chain and seq, so that JetStream itself keeps
    a record once (a publish expecting the subject empty, protocol §7.8). A chain id that is not a
    subject token (it should be 32 hex digits) is hashed."""
    return f"{PREFIX}.audit.record.{_safe_token(chain)}.{seq}"


def refusal_subject(district: str) -> str:
    """Where a gateway records a command it refused as ``forbidden`` (protocol §7.8)."""
    return f"{PREFIX}.audit.refused.{_safe_token(district)}"


def _safe_token(text: str) -> str:
    """``text`` as a subject token, hashed if it cannot be one (the client wrote it, not the district)."""
    if not text:
        return EMPTY_TOKEN
    if _TOKEN.match(text) and text != EMPTY_TOKEN:
        return text
    return "h" + hashlib.sha1(text.encode()).hexdigest()[:20]


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
