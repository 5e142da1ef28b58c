"""The recorder: every frame the feed receives, written to MCAP segments (docs/recording.md).

It is the feed's frame tap (:class:`cockpit.feed.FeedClient` ``tap``), called on the GUI thread
once per received frame, so its work is per frame, never per value: a frame is cut into runs by
channel (one cheap msgspec pass) and appended to the open segment's chunk. Every ``flush_every_s``
the chunk is closed and written out, so a crash loses at most those seconds, and the segment on
disk can be recovered (:func:`cockpit.record.recover.recover`). Segments are finished (index,
summary, footer) when they reach ``segment_s`` or ``segment_bytes``; old ones are deleted by the
retention rules.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mcap.writer import CompressionType, Writer

from cockpit.protocol.codec import decode_server_frame
from cockpit.protocol.messages import DEFAULT_MAX_FRAME_BYTES, Welcome
from cockpit.record.channels import (
    CONTROL_TOPIC,
    MESSAGE_ENCODING,
    PROFILE,
    SCHEMA_ENCODING,
    SOURCE_METADATA,
    STATE_TOPIC,
    STREAM_TOPICS,
    TIMELINE_METADATA,
    VIDEO_TOPIC,
    Timeline,
    message_types,
    schemas,
    split_frame,
)
from cockpit.record.recover import recover_folder
from cockpit.record.snapshot import StateSnapshot, encode_snapshot
from cockpit.record.video import VideoSlot, encode_slots

log = logging.getLogger(__name__)

SEGMENT_GLOB = "cockpit-*.mcap"
RETRY_AFTER_S = 10.0
"""After a write error, try a new segment this long later (the disk may have been freed)."""

StateSource = Callable[[Welcome | None, int], StateSnapshot | None]
"""Gives the model's state at a wall-clock ms, or None when it is not consistent (not live)."""


@dataclass(frozen=True, slots=True)
class Retention:
    """How long recordings are kept: the oldest segments go first when either limit is passed."""

    days: float = 30.0
    max_bytes: int = 20 * 1024**3

    def __post_init__(self) -> None:
        if self.days <= 0 or self.max_bytes <= 0:
            raise ValueError(f"retention must be positive: {self.days} days, {self.max_bytes} bytes")


@dataclass(slots=True)
class RecorderStatus:
    """What the wall shows about recording."""

    recording: bool
    bytes: int
    """Bytes written to disk in this session (finished segments and the open one)."""
    segment: Path | None
    error: str = ""
    segments: int = 0


class _Segment:
    """One open MCAP file."""

    def __init__(self, path: Path, chunk_bytes: int, source: dict[str, str] | None = None) -> None:
        self.path = path
        self.file: IO[bytes] = open(path, "xb")  # noqa: SIM115 - closed in finish()
        self.writer = Writer(self.file, chunk_size=chunk_bytes, compression=CompressionType.ZSTD)
        self.writer.start(profile=PROFILE, library="cockpit")
        if source:
            self.writer.add_metadata(SOURCE_METADATA, dict(source))
        self.channels: dict[str, int] = {}
        for topic, (name, data) in schemas().items():
            schema_id = self.writer.register_schema(name, SCHEMA_ENCODING, data)
            self.channels[topic] = self.writer.register_channel(topic, MESSAGE_ENCODING, schema_id)
        self.opened_ms = 0
        self.timeline: Timeline | None = None

    def size(self) -> int:
        return self.file.tell()

    def flush(self) -> None:
        self.writer.flush()  # type: ignore[no-untyped-call]

    def finish(self) -> None:
        if self.timeline is not None:
            self.writer.add_metadata(TIMELINE_METADATA, self.timeline.metadata())
        self.writer.finish()  # type: ignore[no-untyped-call]
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()


class Recorder:
    """Writes every received frame to MCAP segments in ``directory``.

    Args:
        directory: Where segments go; created if missing. Unfinished segments found there (a crash)
            are recovered first.
        retention: When old segments are deleted.
        state: Gives the model's state for periodic snapshots; without it a seek replays from the
            start of the recording.
        segment_s: Finish a segment after this much recording time.
        segment_bytes: ... or once it is this large.
        snapshot_every_s: Write a state snapshot this often (recording time), and at every segment start.
        flush_every_s: Close the open chunk and write it out this often: what a crash can lose.
        source: What the recording is made from (``SOURCE_METADATA``), in every segment.
    """

    def __init__(
        self,
        directory: Path,
        *,
        retention: Retention | None = None,
        state: StateSource | None = None,
        segment_s: float = 600.0,
        segment_bytes: int = 256 * 1024**2,
        snapshot_every_s: float = 10.0,
        flush_every_s: float = 2.0,
        chunk_bytes: int = 1024**2,
        source: dict[str, str] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.source = dict(source or {})
        self.retention = retention or Retention()
        self.state = state
        self.segment_ms = int(segment_s * 1000)
        self.segment_bytes = segment_bytes
        self.snapshot_ms = int(snapshot_every_s * 1000)
        self.flush_ms = int(flush_every_s * 1000)
        self.chunk_bytes = chunk_bytes
        self.frames = 0
        self.messages = 0
        self.error = ""
        self._segment: _Segment | None = None
        self._finished_bytes = 0
        self._segments = 0
        self._last_ns = 0
        self._last_flush_ms = 0
        self._last_snapshot_ms = 0
        self._welcome: Welcome | None = None
        self._alarmed: set[str] = set()
        self._retry_at = 0.0
        self._closed = False
        self.directory.mkdir(parents=True, exist_ok=True)
        for report in recover_folder(self.directory, SEGMENT_GLOB):
            log.warning("recording: %s", report)
        self.apply_retention()

    # ------------------------------------------------------------------------------ the tap

    def tap(self, frame: bytes, wall_ms: int) -> None:
        """Record one received frame; never raises (a write error stops recording, visibly)."""
        if self._closed:
            return
        try:
            self._record(frame, wall_ms)
        except (OSError, ValueError) as exc:  # a full disk, a removed folder: the wall says so
            self._fail(exc)

    def note_video(self, slots: Sequence[VideoSlot], wall_ms: int) -> None:
        """Record changes of video slots (which camera, not its video); never raises."""
        if self._closed or not slots:
            return
        try:
            seg = self._segment
            if seg is None:
                if self.error and time.monotonic() < self._retry_at:
                    return
                seg = self._open_segment(wall_ms)
            t = self._next_ns(wall_ms)
            seg.writer.add_message(seg.channels[VIDEO_TOPIC], t, encode_slots(slots), t, 0)
            self.messages += 1
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def _record(self, frame: bytes, wall_ms: int) -> None:
        seg = self._segment
        if seg is not None and (
            wall_ms - seg.opened_ms >= self.segment_ms or seg.size() >= self.segment_bytes
        ):
            self._finish_segment()
            seg = None
        if seg is None:
            if self.error and time.monotonic() < self._retry_at:
                return
            seg = self._open_segment(wall_ms)
        runs = split_frame(frame)
        for run in runs:
            if run.topic == CONTROL_TOPIC and "welcome" in message_types(run.data):
                self._remember_welcome(run.data)
        if self.state is not None and wall_ms - self._last_snapshot_ms >= self.snapshot_ms:
            self._write_snapshot(seg, wall_ms)
        seq = self.frames & 0xFFFFFFFF
        self.frames += 1
        events_topic = STREAM_TOPICS["events"]
        for run in runs:
            t = self._next_ns(wall_ms)
            seg.writer.add_message(seg.channels[run.topic], t, run.data, t, seq)
            self.messages += 1
            if run.topic == events_topic:
                self._note_events(seg, run.data, wall_ms)
        if wall_ms - self._last_flush_ms >= self.flush_ms:
            self._last_flush_ms = wall_ms
            seg.flush()

    def _next_ns(self, wall_ms: int) -> int:
        # Strictly increasing: time order is frame order, and the runs of a frame stay in order.
        t = max(wall_ms * 1_000_000, self._last_ns + 1)
        self._last_ns = t
        return t

    def _remember_welcome(self, run: bytes) -> None:
        for m in decode_server_frame(run, DEFAULT_MAX_FRAME_BYTES * 4).messages:
            if isinstance(m, Welcome):
                self._welcome = m

    def _note_events(self, seg: _Segment, run: bytes, wall_ms: int) -> None:
        if seg.timeline is not None:
            seg.timeline.note_events(run, wall_ms, self._alarmed)

    def _write_snapshot(self, seg: _Segment, wall_ms: int) -> None:
        assert self.state is not None
        snapshot = self.state(self._welcome, wall_ms)
        if snapshot is None:
            return  # not consistent now (reconnecting, resyncing): try again on the next frame
        self._last_snapshot_ms = wall_ms
        t = self._next_ns(wall_ms)
        seg.writer.add_message(seg.channels[STATE_TOPIC], t, encode_snapshot(snapshot), t, 0)
        if seg.timeline is not None:
            seg.timeline.snapshots.append(t)

    # ------------------------------------------------------------------------------ segments

    def _open_segment(self, wall_ms: int) -> _Segment:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(wall_ms / 1000))
        self._segments += 1
        path = self.directory / f"cockpit-{stamp}-{self._segments:04d}.mcap"
        n = 0
        while path.exists():  # two sessions in one second: never overwrite a recording
            n += 1
            path = self.directory / f"cockpit-{stamp}-{self._segments:04d}-{n}.mcap"
        seg = _Segment(path, self.chunk_bytes, self.source)
        seg.opened_ms = wall_ms
        seg.timeline = Timeline(wall_ms)
        self._segment = seg
        self._last_snapshot_ms = 0  # every segment starts with a snapshot when one can be had
        self._last_flush_ms = wall_ms
        if self.error:
            log.info("recording again into %s", path)
        self.error = ""
        log.info("recording into %s", path)
        return seg

    def _finish_segment(self) -> None:
        seg, self._segment = self._segment, None
        if seg is None:
            return
        seg.finish()
        self._finished_bytes += seg.path.stat().st_size
        log.info("recording: finished %s (%d bytes)", seg.path, seg.path.stat().st_size)
        self.apply_retention()

    def flush_due(self, wall_ms: int) -> None:
        """Write out the open chunk if it has waited ``flush_every_s`` (the tap flushes only when a
        frame arrives: without this, a link that went silent would keep the last seconds, and the
        last state snapshot, in memory, where a kill or a power cut loses them). Never raises."""
        seg = self._segment
        if seg is None or self._closed or wall_ms - self._last_flush_ms < self.flush_ms:
            return
        self._last_flush_ms = wall_ms
        try:
            seg.flush()
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        seg, self._segment = self._segment, None
        where = seg.path if seg is not None else self.directory
        self.error = f"cannot write {where}: {exc}"
        log.error("recording stopped: %s", self.error)
        if seg is not None:
            with contextlib.suppress(OSError):
                seg.file.close()
        self._retry_at = time.monotonic() + RETRY_AFTER_S

    def close(self) -> None:
        """Finish the open segment; the recorder takes no more frames."""
        if self._closed:
            return
        try:
            self._finish_segment()
        except (OSError, ValueError) as exc:
            self._fail(exc)
        self._closed = True

    # ------------------------------------------------------------------------------ status

    @property
    def status(self) -> RecorderStatus:
        seg = self._segment
        open_bytes = 0
        if seg is not None:
            try:
                open_bytes = seg.size()
            except (OSError, ValueError):
                open_bytes = 0
        return RecorderStatus(
            recording=seg is not None and not self.error,
            bytes=self._finished_bytes + open_bytes,
            segment=seg.path if seg is not None else None,
            error=self.error,
            segments=self._segments,
        )

    def apply_retention(self, now: float | None = None) -> list[Path]:
        """Delete the oldest finished segments past the age or disk limit; returns what went."""
        keep = self._segment.path if self._segment is not None else None
        return apply_retention(self.directory, self.retention, now, keep)


def segments_in(directory: Path) -> list[Path]:
    """The folder's segments, oldest first (names start with their UTC start time)."""
    return sorted(directory.glob(SEGMENT_GLOB))


def apply_retention(
    directory: Path, retention: Retention, now: float | None = None, keep: Path | None = None
) -> list[Path]:
    """Delete segments older than ``retention.days``, then the oldest until under the budget."""
    now = time.time() if now is None else now
    files = [(p, p.stat()) for p in segments_in(directory) if p != keep]
    files.sort(key=lambda f: (f[1].st_mtime, f[0].name))
    total = sum(st.st_size for _, st in files) + (keep.stat().st_size if keep and keep.exists() else 0)
    deleted = []
    for path, st in files:
        too_old = now - st.st_mtime > retention.days * 86400
        if not too_old and total <= retention.max_bytes:
            break
        try:
            path.unlink()
        except OSError as exc:
            log.error("retention: cannot delete %s: %s", path, exc)
            continue
        total -= st.st_size
        deleted.append(path)
        log.info("retention: deleted %s (%s)", path, "too old" if too_old else "over the disk budget")
    return deleted
