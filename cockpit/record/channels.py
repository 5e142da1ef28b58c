"""What a recording holds: channels, schemas, and how frames are split into them and joined back.

A received frame is a MessagePack array of messages (docs/protocol.md §2.1). The recorder cuts it
into *runs* of consecutive messages that belong to the same channel: data messages go to the channel
of their stream (``/feed/events`` …), everything else (welcome, subscribed, snapshot markers, command
acks, heartbeats) to ``/feed/control``. Each run is written as one MCAP message whose data is itself
a valid frame (a MessagePack array), so any MCAP tool shows a stream on its own, and the replay
joins the runs of one frame back together in order: all runs of a frame share the MCAP
``sequence`` (the frame number) and have strictly increasing log times. docs/recording.md lists the
channels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import msgspec

from cockpit.protocol.messages import Stream

PROFILE = "cockpit"
MESSAGE_ENCODING = "msgpack"
SCHEMA_ENCODING = "jsonschema"

CONTROL_TOPIC = "/feed/control"
STATE_TOPIC = "/cockpit/state"
VIDEO_TOPIC = "/cockpit/video"
"""Video slot changes: which camera was on which slot (cockpit/record/video.py)."""
STREAM_TOPICS = {s.value: f"/feed/{s.value}" for s in Stream}
FEED_TOPICS = (*STREAM_TOPICS.values(), CONTROL_TOPIC)

TIMELINE_METADATA = "cockpit.timeline"
SOURCE_METADATA = "cockpit.source"
"""What the recording was made from, for its replay: ``{"map": "demo"}`` when the wall showed the
demo city's map (a replay of it shows that map too; a district's recording uses its site's)."""
"""Metadata record written when a segment is finished: what the replay timeline draws."""
TIMELINE_BUCKET_MS = 10_000


class _Head(msgspec.Struct):
    """The two fields that route a message; the rest is skipped by the decoder."""

    t: str = ""
    stream: str = ""


class EventHead(msgspec.Struct):
    """What the timeline needs of an event message."""

    t: str = ""
    id: str = ""
    severity: int = 4
    state: str = ""
    ts: int = 0


_RAW_FRAME = msgspec.msgpack.Decoder(list[msgspec.Raw])
_HEAD = msgspec.msgpack.Decoder(_Head)
_HEADS = msgspec.msgpack.Decoder(list[_Head])
_EVENT_HEADS = msgspec.msgpack.Decoder(list[EventHead])


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive messages of one frame bound for one channel, as a frame of their own."""

    topic: str
    data: bytes


def array_header(n: int) -> bytes:
    """The MessagePack header of an array of ``n`` items."""
    if n < 16:
        return bytes([0x90 | n])
    if n < 1 << 16:
        return b"\xdc" + n.to_bytes(2, "big")
    return b"\xdd" + n.to_bytes(4, "big")


def split_frame(frame: bytes) -> list[Run]:
    """Cut a received frame into runs by channel.

    A frame that is not a MessagePack array, or whose items cannot be routed, is kept whole on the
    control channel: the recording must hold exactly what arrived, bad frames included, so that a
    replay counts the same problems as the live feed did.
    """
    try:
        raws = _RAW_FRAME.decode(frame)
        heads = [_HEAD.decode(r) for r in raws]
    except (msgspec.DecodeError, TypeError, UnicodeDecodeError):  # a string that is not UTF-8
        return [Run(CONTROL_TOPIC, frame)]
    runs: list[Run] = []
    start = 0
    topic = ""
    for i, head in enumerate(heads):
        t = STREAM_TOPICS.get(head.stream, CONTROL_TOPIC) if head.stream else CONTROL_TOPIC
        if i == 0:
            topic = t
        elif t != topic:
            runs.append(Run(topic, _join(raws[start:i])))
            start, topic = i, t
    if not heads:
        return [Run(CONTROL_TOPIC, frame)]
    if start == 0:  # the usual case: the whole frame is one run; keep its bytes as they came
        return [Run(topic, frame)]
    runs.append(Run(topic, _join(raws[start:])))
    return runs


def _join(raws: list[msgspec.Raw]) -> bytes:
    return array_header(len(raws)) + b"".join(bytes(r) for r in raws)


def join_runs(runs: list[bytes]) -> bytes:
    """Join the runs of one frame back into the frame (a run that is not an array is kept as is)."""
    if len(runs) == 1:
        return runs[0]
    items: list[bytes] = []
    for run in runs:
        try:
            items.extend(bytes(r) for r in _RAW_FRAME.decode(run))
        except (msgspec.DecodeError, TypeError, UnicodeDecodeError):  # a string that is not UTF-8
            return b"".join(runs)  # a damaged frame stays damaged: the session reports it
    return array_header(len(items)) + b"".join(items)


def message_types(run: bytes) -> list[str]:
    """The ``t`` of every message in a run; empty if it does not decode."""
    try:
        return [h.t for h in _HEADS.decode(run)]
    except (msgspec.DecodeError, TypeError, UnicodeDecodeError):  # a string that is not UTF-8
        return []


def event_heads(run: bytes) -> list[EventHead]:
    """The routing fields of the events in an ``/feed/events`` run; empty if it does not decode."""
    try:
        return [h for h in _EVENT_HEADS.decode(run) if h.t == "event"]
    except (msgspec.DecodeError, TypeError, UnicodeDecodeError):  # a string that is not UTF-8
        return []


def _frame_schema(title: str, types: list[str]) -> bytes:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": "A protocol v1 frame (docs/protocol.md §2): an array of messages, each a map "
        "with its type in 't'. MessagePack-encoded.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"t": {"type": "string", "enum": types}},
            "required": ["t"],
        },
    }
    return json.dumps(schema).encode()


STREAM_TYPES = {
    Stream.EVENTS.value: ["event"],
    Stream.SENSORS.value: ["sensor_catalog", "sensor_batch"],
    Stream.DISPATCH.value: ["unit", "dispatch", "plan"],
    Stream.OVERLAYS.value: ["overlay"],
    Stream.CATALOG.value: ["catalog"],
    Stream.CAMERAS.value: ["camera"],
    Stream.SERIES.value: ["sensor_series"],
    Stream.LAYERS.value: ["layer_points"],
    Stream.PLOTS.value: ["plot"],
}
CONTROL_TYPES = ["welcome", "refused", "subscribed", "snapshot_begin", "snapshot_end", "command_ack", "hb"]


def schemas() -> dict[str, tuple[str, bytes]]:
    """Topic → (schema name, JSON Schema) for every channel a recording has."""
    out = {
        STREAM_TOPICS[s]: (f"cockpit.frame.{s}", _frame_schema(f"{s} stream frame", types))
        for s, types in STREAM_TYPES.items()
    }
    out[CONTROL_TOPIC] = ("cockpit.frame.control", _frame_schema("control frame", CONTROL_TYPES))
    state = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cockpit state snapshot",
        "description": "The situation at one instant, so a seek need not replay from the start "
        "(docs/recording.md).",
        "type": "object",
        "properties": {
            "v": {"type": "integer"},
            "wall_ms": {"type": "integer"},
            "clock_offset_ms": {"type": "integer"},
            "welcome": {"type": "object"},
            "cursors": {"type": "object"},
            "streams": {"type": "object", "additionalProperties": {"type": "array"}},
        },
        "required": ["v", "cursors", "streams"],
    }
    out[STATE_TOPIC] = ("cockpit.state", json.dumps(state).encode())
    video = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "video slot changes",
        "description": "Which camera each video slot showed from this time on; the video itself is "
        "not recorded (docs/recording.md). MessagePack-encoded.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "panel": {"type": "string"},
                "slot": {"type": "integer"},
                "camera": {"type": "string"},
                "name": {"type": "string"},
                "why": {"type": "string"},
                "event": {"type": "string"},
            },
            "required": ["panel", "slot"],
        },
    }
    out[VIDEO_TOPIC] = ("cockpit.video_slots", json.dumps(video).encode())
    return out


@dataclass(slots=True)
class Timeline:
    """Event density and new alarms per segment, for the replay timeline (metadata ``cockpit.timeline``)."""

    start_ms: int
    events: list[int] = field(default_factory=list)
    alarms: list[tuple[int, int, str]] = field(default_factory=list)
    snapshots: list[int] = field(default_factory=list)

    def count_event(self, at_ms: int) -> None:
        i = (at_ms - self.start_ms) // TIMELINE_BUCKET_MS
        if i < 0:
            return
        if i >= len(self.events):
            self.events.extend([0] * (i + 1 - len(self.events)))
        self.events[i] += 1

    def note_events(self, run: bytes, at_ms: int, alarmed: set[str]) -> None:
        """Count the events of an ``/feed/events`` run; a red or orange event not yet seen is an alarm."""
        for head in event_heads(run):
            self.count_event(at_ms)
            if head.state == "new" and head.severity <= 2 and head.id not in alarmed:
                alarmed.add(head.id)
                self.alarms.append((at_ms, head.severity, head.id))

    def metadata(self) -> dict[str, str]:
        return {
            "start_ms": str(self.start_ms),
            "bucket_ms": str(TIMELINE_BUCKET_MS),
            "events": json.dumps(self.events),
            "alarms": json.dumps(self.alarms),
            "snapshots": json.dumps(self.snapshots),
        }

    @classmethod
    def from_metadata(cls, data: dict[str, str]) -> Timeline:
        """Raises:
        ValueError, KeyError: the metadata is not a timeline.
        """
        if int(data.get("bucket_ms", TIMELINE_BUCKET_MS)) != TIMELINE_BUCKET_MS:
            raise ValueError(f"timeline bucket of {data['bucket_ms']} ms; expected {TIMELINE_BUCKET_MS}")
        return cls(
            start_ms=int(data["start_ms"]),
            events=[int(x) for x in json.loads(data["events"])],
            alarms=[(int(a), int(b), str(c)) for a, b, c in json.loads(data["alarms"])],
            snapshots=[int(x) for x in json.loads(data["snapshots"])],
        )
