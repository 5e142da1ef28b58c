"""Recovering a segment the recorder never finished (a crash, a kill -9, a power cut).

The MCAP index and summary are written only when a segment is finished. An unfinished one still
holds every chunk the recorder flushed; :func:`recover` reads record by record up to the damage and
writes a finished copy (with index, summary and timeline) of all it could read. A chunk whose data
is corrupt is skipped and named; the chunks after it are kept.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mcap.exceptions import McapError
from mcap.reader import SeekingReader
from mcap.records import Channel, Chunk, Message, Metadata, Schema
from mcap.stream_reader import StreamReader, breakup_chunk
from mcap.writer import CompressionType, Writer

from cockpit.record.channels import (
    PROFILE,
    STATE_TOPIC,
    STREAM_TOPICS,
    TIMELINE_METADATA,
    Timeline,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    """What :func:`recover` found and kept."""

    path: Path
    messages: int
    first_ns: int
    last_ns: int
    problems: tuple[str, ...]

    def __str__(self) -> str:
        what = "; ".join(self.problems) or "no damage found"
        return f"{self.path}: recovered {self.messages} messages ({what})"


def is_finished(path: Path) -> bool:
    """True if the segment has its footer and summary (it was finished properly)."""
    try:
        with open(path, "rb") as f:
            summary = SeekingReader(f).get_summary()
    except (McapError, OSError, ValueError, EOFError, KeyError):
        return False
    except Exception:
        return False
    return summary is not None


@dataclass(slots=True)
class _Read:
    schemas: dict[int, Schema]
    channels: dict[int, Channel]
    messages: list[Message]
    metadata: list[Metadata]
    problems: list[str]


def read_damaged(path: Path) -> _Read:
    """Everything readable in ``path``, in file order, and what was wrong with the rest."""
    out = _Read({}, {}, [], [], [])
    data = path.read_bytes()
    stream = io.BytesIO(data)
    reader = StreamReader(stream, emit_chunks=True, validate_crcs=False)
    records: Iterator[object] = iter(reader.records)
    while True:
        offset = stream.tell()
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:
            cut = "cut off" if offset >= len(data) - 64 or "end" in str(exc).lower() else "damaged"
            out.problems.append(
                f"{cut} at byte {offset} of {len(data)} ({type(exc).__name__}: {exc}); "
                "everything before it is kept"
            )
            break
        if isinstance(record, Chunk):
            try:
                inner = list(breakup_chunk(record, validate_crc=True))
            except Exception as exc:
                out.problems.append(f"chunk at byte {offset} is corrupt ({exc}); skipped")
                continue
            for r in inner:
                _take(out, r)
        else:
            _take(out, record)
    return out


def _take(out: _Read, record: object) -> None:
    if isinstance(record, Schema):
        out.schemas[record.id] = record
    elif isinstance(record, Channel):
        out.channels[record.id] = record
    elif isinstance(record, Message):
        if record.channel_id in out.channels:
            out.messages.append(record)
    elif isinstance(record, Metadata):
        out.metadata.append(record)


def recover(path: Path, out: Path | None = None) -> RecoveryReport:
    """Write a finished copy of what is readable in ``path`` to ``out`` (default: ``path`` itself).

    Raises:
        OSError: the file cannot be read or the copy written.
        ValueError: nothing of ``path`` is readable as MCAP.
    """
    read = read_damaged(path)
    if not read.channels and not read.messages:
        why = "; ".join(read.problems) or "no MCAP records"
        raise ValueError(f"{path}: nothing readable as an MCAP recording ({why})")
    target = out or path
    fd, tmp_name = tempfile.mkstemp(prefix=".recover-", suffix=".mcap", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            _write(f, read)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    first = read.messages[0].log_time if read.messages else 0
    last = read.messages[-1].log_time if read.messages else 0
    report = RecoveryReport(target, len(read.messages), first, last, tuple(read.problems))
    log.warning("%s", report)
    return report


def _write(f: io.BufferedWriter | io.BufferedRandom | object, read: _Read) -> None:
    writer = Writer(f, compression=CompressionType.ZSTD)  # type: ignore[arg-type]
    writer.start(profile=PROFILE, library="cockpit recover")
    schema_ids = {
        sid: writer.register_schema(s.name, s.encoding, s.data) for sid, s in sorted(read.schemas.items())
    }
    channel_ids = {}
    topics = {}
    for cid, c in sorted(read.channels.items()):
        channel_ids[cid] = writer.register_channel(
            c.topic, c.message_encoding, schema_ids.get(c.schema_id, 0), c.metadata
        )
        topics[cid] = c.topic
    timeline: Timeline | None = None
    alarmed: set[str] = set()
    for m in read.messages:
        writer.add_message(channel_ids[m.channel_id], m.log_time, m.data, m.publish_time, m.sequence)
        at_ms = m.log_time // 1_000_000
        if timeline is None:
            timeline = Timeline(at_ms)
        topic = topics[m.channel_id]
        if topic == STREAM_TOPICS["events"]:
            timeline.note_events(m.data, at_ms, alarmed)
        elif topic == STATE_TOPIC:
            timeline.snapshots.append(m.log_time)
    for md in read.metadata:
        if md.name != TIMELINE_METADATA:
            writer.add_metadata(md.name, md.metadata)
    if timeline is not None:
        writer.add_metadata(TIMELINE_METADATA, timeline.metadata())
    writer.finish()  # type: ignore[no-untyped-call]


def recover_folder(directory: Path, pattern: str) -> list[RecoveryReport]:
    """Recover every unfinished segment in ``directory`` in place (at recorder start)."""
    reports = []
    for path in sorted(directory.glob(pattern)):
        if is_finished(path):
            continue
        try:
            reports.append(recover(path))
        except (OSError, ValueError) as exc:
            log.error("recording: cannot recover %s: %s", path, exc)
    return reports
