"""An in-memory data source for the server core's synchronous tests: logs of plain entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import msgspec

from cockpit.protocol.messages import Command, DataMessage, Event

_ENCODER = msgspec.msgpack.Encoder()


@dataclass(frozen=True, slots=True)
class MemoryEntry:
    seq: int
    district: str
    theme: str
    message: DataMessage
    levels: tuple[str, ...] = ()

    def encode(self, prev: int) -> bytes:
        return _ENCODER.encode(msgspec.structs.replace(self.message, seq=self.seq, prev=prev))


@dataclass
class MemoryLog:
    entries: list[MemoryEntry] = field(default_factory=list)
    first: int = 1  # the oldest seq held

    @property
    def seq(self) -> int:
        return self.entries[-1].seq if self.entries else self.first - 1

    @property
    def oldest(self) -> int:
        return self.first

    def holds_after(self, seq: int) -> bool:
        return self.first <= seq + 1 and seq <= self.seq

    def since(self, seq: int) -> Iterable[MemoryEntry]:
        return [e for e in self.entries if e.seq > seq]

    def publish(self, message: DataMessage, district: str = "", theme: str = "") -> MemoryEntry:
        entry = MemoryEntry(self.seq + 1, district, theme, message)
        self.entries.append(entry)
        return entry

    def forget_before(self, seq: int) -> None:
        self.entries = [e for e in self.entries if e.seq >= seq]
        self.first = seq


@dataclass
class MemoryStreams:
    """Epochs, logs, and the district of each event (for command scope)."""

    logs: dict[str, MemoryLog] = field(default_factory=dict)
    epoch: str = "e1"
    districts: dict[str, str] = field(default_factory=dict)

    def epochs(self) -> Mapping[str, str]:
        return dict.fromkeys(self.logs, self.epoch)

    def log(self, stream: str) -> MemoryLog:
        return self.logs[stream]

    def district_of(self, command: Command) -> str:
        return self.districts.get(command.event_id, "")


def event(event_id: str, district: str = "jiangbei", theme: str = "flood") -> Event:
    return Event(
        stream="events", seq=0, prev=0, ts=1, id=event_id, type="fire", severity=2, time=1,
        lon=106.5, lat=29.5, district=district, state="new", theme=theme,
    )
