"""Reading a recording (one segment file or a folder of them) for replay.

Segments are read chunk by chunk through their index, so a seek touches only the chunks it needs,
and a damaged chunk costs only itself: it is named in :attr:`Recording.problems` and playing goes
on with the next one. A segment that was never finished is recovered into a temporary copy (the
original is left as it is) and its readable part is played.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mcap.data_stream import ReadDataStream
from mcap.reader import SeekingReader
from mcap.records import Chunk, ChunkIndex, Message
from mcap.stream_reader import breakup_chunk

from cockpit.record import RecordingError
from cockpit.record.channels import (
    CONTROL_TOPIC,
    FEED_TOPICS,
    SOURCE_METADATA,
    STATE_TOPIC,
    TIMELINE_BUCKET_MS,
    TIMELINE_METADATA,
    VIDEO_TOPIC,
    Timeline,
)
from cockpit.record.recover import is_finished, recover
from cockpit.record.snapshot import StateSnapshot, decode_snapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecordedFrame:
    """One received frame, joined back from its runs."""

    log_ns: int
    runs: tuple[bytes, ...]
    control: bool
    """Some of it was on the control channel (it may hold a welcome)."""


@dataclass(frozen=True, slots=True)
class RecordedState:
    """A state snapshot message (its data is decoded only when a seek needs it)."""

    log_ns: int
    data: bytes


@dataclass(frozen=True, slots=True)
class RecordedVideo:
    """Video slot changes (cockpit/record/video.py), decoded when played."""

    log_ns: int
    data: bytes


RecordedItem = RecordedFrame | RecordedState | RecordedVideo


@dataclass(slots=True)
class Segment:
    """One segment file, through its index."""

    path: Path
    """The file as named by the user or found in the folder."""
    readable: Path
    """What is read: the file itself, or a recovered copy of an unfinished one."""
    chunks: list[ChunkIndex]
    topics: dict[int, str]
    timeline: Timeline
    start_ns: int
    end_ns: int
    messages: int
    source: dict[str, str] = field(default_factory=dict)
    """What it was recorded from (``SOURCE_METADATA``); {} for recordings made before it was kept."""


@dataclass(slots=True)
class Density:
    """What the timeline draws: events per bucket and the alarms, over the whole recording."""

    start_ms: int
    bucket_ms: int
    events: list[int]
    alarms: list[tuple[int, int, str]]
    snapshots: list[int] = field(default_factory=list)


def _fmt_time(ns: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ns / 1e9))


class Recording:
    """A recording to replay: a segment file, or a folder of segments.

    Args:
        path: A ``.mcap`` file or a folder of them.
        on_problem: Called with each problem found while reading (also kept in :attr:`problems`).

    Raises:
        RecordingError: nothing in ``path`` can be played; the message names every file and why.
    """

    def __init__(self, path: Path, on_problem: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.problems: list[str] = []
        self._on_problem = on_problem
        self._tmp: Path | None = None
        if self.path.is_dir():
            files = sorted(self.path.glob("*.mcap"))
            if not files:
                raise RecordingError(f"{self.path}: no .mcap files in this folder")
        elif self.path.is_file():
            files = [self.path]
        else:
            raise RecordingError(f"{self.path}: no such file or folder")
        self.segments: list[Segment] = []
        for f in files:
            seg = self._open(f)
            if seg is not None:
                self.segments.append(seg)
        if not self.segments:
            raise RecordingError(f"{self.path}: nothing playable: " + "; ".join(self.problems))
        self.segments.sort(key=lambda s: s.start_ns)
        self._files: dict[Path, io.BufferedReader] = {}

    # ------------------------------------------------------------------------------ opening

    def problem(self, text: str) -> None:
        self.problems.append(text)
        log.error("replay: %s", text)
        if self._on_problem is not None:
            self._on_problem(text)

    def _open(self, path: Path) -> Segment | None:
        readable = path
        try:
            with open(path, "rb") as f:
                head = f.read(8)
        except OSError as exc:
            self.problem(f"{path}: cannot be read: {exc}")
            return None
        if head != b"\x89MCAP0\r\n":
            self.problem(f"{path}: not an MCAP recording (it does not start with the MCAP magic bytes)")
            return None
        if not is_finished(path):
            if self._tmp is None:
                self._tmp = Path(tempfile.mkdtemp(prefix="cockpit-replay-"))
            readable = self._tmp / path.name
            try:
                report = recover(path, readable)
            except (OSError, ValueError) as exc:
                self.problem(f"{path}: unfinished and unreadable: {exc}")
                return None
            damage = "; ".join(report.problems) or "its index is missing"
            until = _fmt_time(report.last_ns) if report.messages else "-"
            self.problem(
                f"{path}: not finished properly ({damage}); playing the {report.messages} messages "
                f"up to {until}"
            )
        try:
            with open(readable, "rb") as f:
                reader = SeekingReader(f)
                summary = reader.get_summary()
                assert summary is not None  # finished or recovered: it has one
                metadata = list(reader.iter_metadata())
                timeline_md = [m for m in metadata if m.name == TIMELINE_METADATA]
                source = next((dict(m.metadata) for m in metadata if m.name == SOURCE_METADATA), {})
        except Exception as exc:
            self.problem(f"{path}: its index cannot be read: {type(exc).__name__}: {exc}")
            return None
        topics = {cid: c.topic for cid, c in summary.channels.items()}
        chunks = sorted(summary.chunk_indexes, key=lambda c: c.message_start_time)
        stats = summary.statistics
        start_ns = stats.message_start_time if stats else (chunks[0].message_start_time if chunks else 0)
        end_ns = stats.message_end_time if stats else (chunks[-1].message_end_time if chunks else 0)
        timeline = Timeline(start_ns // 1_000_000)
        if timeline_md:
            try:
                timeline = Timeline.from_metadata(timeline_md[-1].metadata)
            except (ValueError, KeyError, TypeError) as exc:
                self.problem(f"{path}: its timeline metadata is damaged ({exc}); the timeline is blank there")
        if not chunks:
            self.problem(f"{path}: holds no messages")
            return None
        return Segment(
            path, readable, chunks, topics, timeline, start_ns, end_ns, stats.message_count if stats else 0, source
        )

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # ------------------------------------------------------------------------------ facts

    @property
    def start_ns(self) -> int:
        return self.segments[0].start_ns

    @property
    def source(self) -> dict[str, str]:
        """What the recording was made from (its first segment's word; see ``SOURCE_METADATA``)."""
        return next((s.source for s in self.segments if s.source), {})

    @property
    def end_ns(self) -> int:
        return max(s.end_ns for s in self.segments)

    @property
    def name(self) -> str:
        return self.path.name

    def snapshot_times(self) -> list[int]:
        return sorted(t for s in self.segments for t in s.timeline.snapshots)

    def density(self) -> Density:
        """Events per bucket and alarms over the whole recording, from the segments' timelines."""
        bucket = TIMELINE_BUCKET_MS
        start_ms = self.start_ns // 1_000_000
        n = max(1, (self.end_ns // 1_000_000 - start_ms) // bucket + 1)
        events = [0] * n
        alarms: list[tuple[int, int, str]] = []
        for seg in self.segments:
            tl = seg.timeline
            for i, count in enumerate(tl.events):
                j = (tl.start_ms + i * bucket - start_ms) // bucket
                if 0 <= j < n:
                    events[j] += count
            alarms.extend(tl.alarms)
        return Density(start_ms, bucket, events, sorted(alarms), self.snapshot_times())

    # ------------------------------------------------------------------------------ reading

    def _file(self, seg: Segment) -> io.BufferedReader:
        f = self._files.get(seg.readable)
        if f is None:
            f = open(seg.readable, "rb")  # noqa: SIM115 - kept open for seeks; closed in close()
            self._files[seg.readable] = f
        return f

    def _chunk_messages(self, seg: Segment, chunk: ChunkIndex) -> list[Message]:
        f = self._file(seg)
        try:
            f.seek(chunk.chunk_start_offset + 1 + 8)
            record = Chunk.read(ReadDataStream(f))
            return [r for r in breakup_chunk(record, validate_crc=True) if isinstance(r, Message)]
        except Exception as exc:
            self.problem(
                f"{seg.path}: the data from {_fmt_time(chunk.message_start_time)} to "
                f"{_fmt_time(chunk.message_end_time)} is damaged ({type(exc).__name__}: {exc}); skipped"
            )
            return []

    def items(self, start_ns: int, end_ns: int | None = None) -> Iterator[RecordedItem]:
        """Frames and state snapshots with ``start_ns <= log time < end_ns``, in time order."""
        for seg in self.segments:
            if seg.end_ns < start_ns or (end_ns is not None and seg.start_ns >= end_ns):
                continue
            pending: list[Message] = []
            topics = seg.topics
            for chunk in seg.chunks:
                if chunk.message_end_time < start_ns:
                    continue
                if end_ns is not None and chunk.message_start_time >= end_ns:
                    break
                for m in self._chunk_messages(seg, chunk):
                    if m.log_time < start_ns:
                        continue
                    if end_ns is not None and m.log_time >= end_ns:
                        break
                    topic = topics.get(m.channel_id, "")
                    if topic == STATE_TOPIC:
                        if pending:
                            yield _frame(pending, topics)
                            pending = []
                        yield RecordedState(m.log_time, m.data)
                    elif topic == VIDEO_TOPIC:
                        if pending:
                            yield _frame(pending, topics)
                            pending = []
                        yield RecordedVideo(m.log_time, m.data)
                    elif topic in FEED_TOPICS:
                        if pending and pending[-1].sequence != m.sequence:
                            yield _frame(pending, topics)
                            pending = []
                        pending.append(m)
            if pending:
                yield _frame(pending, topics)

    def snapshot_before(self, at_ns: int) -> tuple[int, StateSnapshot] | None:
        """The newest readable state snapshot at or before ``at_ns``."""
        for t in reversed([t for t in self.snapshot_times() if t <= at_ns]):
            for item in self.items(t, t + 1):
                if isinstance(item, RecordedState):
                    try:
                        return t, decode_snapshot(item.data)
                    except Exception as exc:
                        self.problem(
                            f"state snapshot at {_fmt_time(t)} is damaged ({exc}); using an older one"
                        )
        return None


def _frame(messages: list[Message], topics: dict[int, str]) -> RecordedFrame:
    return RecordedFrame(
        messages[0].log_time,
        tuple(m.data for m in messages),
        any(topics.get(m.channel_id) == CONTROL_TOPIC for m in messages),
    )
