"""Sequenced stream logs: what a backend has published, kept for resume (docs/protocol.md §4.2)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import msgspec

from cockpit.protocol.messages import (
    DataMessage,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    Stream,
)

M = TypeVar("M", bound=DataMessage)


_ENCODER = msgspec.msgpack.Encoder()


@dataclass(frozen=True, slots=True)
class Entry:
    """One published data message (with ``prev`` unset) and the keys filters match on."""

    seq: int
    district: str
    theme: str
    message: DataMessage
    levels: tuple[str, ...] = ()
    """For events: the level that holds it and, on the message that moved it, the level it left."""

    def encode(self, prev: int) -> bytes:
        """The message as sent on a subscription whose previous message had seq ``prev`` (§5.0)."""
        return _ENCODER.encode(msgspec.structs.replace(self.message, prev=prev))


class StreamLog:
    """The numbered messages of one stream, the newest ``capacity`` of them kept."""

    def __init__(self, name: str, capacity: int) -> None:
        self.name = name
        self.capacity = capacity
        self.seq = 0
        self._entries: list[Entry] = []
        self._first = 1  # seq of _entries[0]

    @property
    def first_seq(self) -> int:
        """The oldest seq still held (``seq + 1`` when the log is empty)."""
        return self._first if self._entries else self.seq + 1

    @property
    def oldest(self) -> int:
        """The oldest seq a resume can start from (the server core's :class:`StreamLog`)."""
        return self.first_seq

    def holds_after(self, seq: int) -> bool:
        """Whether every message after ``seq`` is still held."""
        return self.can_resume_after(seq)

    def append(self, district: str, theme: str, message: DataMessage, levels: tuple[str, ...] = ()) -> Entry:
        self.seq += 1
        entry = Entry(self.seq, district, theme, message, levels)
        self._entries.append(entry)
        if len(self._entries) > 2 * self.capacity:
            drop = len(self._entries) - self.capacity
            del self._entries[:drop]
            self._first += drop
        return entry

    def can_resume_after(self, seq: int) -> bool:
        """Whether every message after ``seq`` is still held."""
        return self.first_seq <= seq + 1 and seq <= self.seq

    def since(self, seq: int) -> Iterator[Entry]:
        """Entries with a seq greater than ``seq``, oldest first."""
        start = max(0, seq + 1 - self._first)
        for i in range(start, len(self._entries)):
            yield self._entries[i]


class Hub:
    """Numbers and keeps every stream's messages, and wakes senders when there are new ones.

    Args:
        epoch: The epoch of every stream; a new one (the default) means "state was lost" (§4.2).
        capacity: Messages kept per stream for resume.
        clock: Wall-clock milliseconds, stamped into ``ts``.
    """

    def __init__(
        self,
        epoch: str | None = None,
        capacity: int = 200_000,
        clock: Callable[[], int] | None = None,
    ) -> None:
        self.epoch = epoch or uuid.uuid4().hex[:12]
        self.logs = {s.value: StreamLog(s.value, capacity) for s in Stream}
        self._clock = clock or (lambda: time.time_ns() // 1_000_000)
        self._waiters: set[asyncio.Event] = set()

    def publish(self, stream: str, message: M, district: str, theme: str, levels: tuple[str, ...] = ()) -> M:
        """Number ``message`` on ``stream`` and keep it; returns it as published."""
        log = self.logs[stream]
        stamped = msgspec.structs.replace(message, seq=log.seq + 1, prev=0, ts=self._clock())
        log.append(district, theme, stamped, levels)
        self._wake()
        return stamped

    def publish_sensors(
        self, district: str, theme: str, ts: int, ttl_ms: int, ids: bytes, values: bytes
    ) -> None:
        log = self.logs[Stream.SENSORS]
        msg = SensorBatch(
            stream=Stream.SENSORS, seq=log.seq + 1, prev=0, ts=ts, ttl_ms=ttl_ms, ids=ids, values=values
        )
        log.append(district, theme, msg)
        self._wake()

    def publish_catalog(self, district: str, theme: str, sensors: Sequence[SensorInfo]) -> None:
        log = self.logs[Stream.SENSORS]
        msg = SensorCatalog(
            stream=Stream.SENSORS, seq=log.seq + 1, prev=0, ts=self._clock(), sensors=list(sensors)
        )
        log.append(district, theme, msg)
        self._wake()

    def now_ms(self) -> int:
        """The clock stamped into ``ts``."""
        return self._clock()

    def waiter(self) -> asyncio.Event:
        """An event set whenever something is published; :meth:`drop_waiter` it when done."""
        event = asyncio.Event()
        self._waiters.add(event)
        return event

    def drop_waiter(self, event: asyncio.Event) -> None:
        self._waiters.discard(event)

    def _wake(self) -> None:
        for event in self._waiters:
            event.set()
