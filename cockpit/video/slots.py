"""Which camera is on which slot of a video panel, by the runway's rule and the console's pins.

A video panel has slots (one camera, or a 2×2, 3×3 or 4×4 grid, with pages). What fills them, in
order of precedence:

1. **pinned** cameras: the console put this camera on this slot; it stays until unpinned;
2. **alarm-linked** cameras: a new alarm that matches the panel's :class:`VideoRule` brings the
   cameras that see it (``event.cameras``, docs/protocol.md §5.7) into the free slots, the most
   severe alarm first and, among equals, the newest; they leave when the event is resolved or
   closed;
3. the panel's **default** cameras (those of its theme), in catalog order.

:class:`VideoSlots` is sans-I/O: events and time come in, and every change of a slot is kept as a
:class:`SlotChange`, so a recording holds which camera was on which slot and when (not the video).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cockpit.model.situation import EventRecord
from cockpit.protocol.messages import EventState


class SlotWhy(enum.StrEnum):
    """Why a slot shows its camera."""

    EMPTY = "empty"
    DEFAULT = "default"
    ALARM = "alarm"
    PINNED = "pinned"


@dataclass(frozen=True, slots=True)
class VideoRule:
    """Which alarms bring their cameras into a panel (``video`` in a runway file)."""

    themes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    max_severity: int = 4
    """The least severe level that counts: 1 only red alarms, 4 every alarm."""
    cameras_per_alarm: int = 4

    def matches(self, ev: EventRecord) -> bool:
        return (
            (not self.themes or ev.theme in self.themes)
            and (not self.types or ev.type in self.types)
            and (not self.districts or ev.district in self.districts)
            and int(ev.severity) <= self.max_severity
        )


@dataclass(frozen=True, slots=True)
class SlotEntry:
    camera_id: str | None
    why: SlotWhy
    event_id: str = ""


@dataclass(frozen=True, slots=True)
class SlotChange:
    """Slot ``slot`` began to show ``camera_id`` (None: nothing) at ``at_ms``, and why."""

    at_ms: int
    slot: int
    camera_id: str | None
    why: SlotWhy
    event_id: str = ""


@dataclass(slots=True)
class VideoSlots:
    """The slots of one video panel.

    Args:
        count: Slots in all (the grid's cells times its pages).
        rule: Which alarms bring their cameras; None: no alarm-linked video.
        defaults: Cameras shown when nothing else claims a slot.
    """

    count: int
    rule: VideoRule | None = None
    defaults: Sequence[str] = ()
    pins: dict[int, str] = field(default_factory=dict)
    _linked: list[tuple[str, str]] = field(default_factory=list)  # (event id, camera id), newest first
    _seen: set[str] = field(default_factory=set)
    _severity: dict[str, int] = field(default_factory=dict)
    _entries: list[SlotEntry] = field(default_factory=list)
    _changes: list[SlotChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._entries = [SlotEntry(None, SlotWhy.EMPTY)] * self.count
        self._refill(0)

    # ------------------------------------------------------------------------------ inputs

    def set_defaults(self, cameras: Sequence[str], now_ms: int) -> None:
        if list(cameras) != list(self.defaults):
            self.defaults = list(cameras)
            self._refill(now_ms)

    def on_events(self, events: Iterable[EventRecord], now_ms: int) -> bool:
        """Look at changed events: a new alarm that matches brings its cameras, a resolved or closed
        one takes them away. True if a slot changed."""
        before = list(self._entries)
        for ev in events:
            closed = ev.state in (EventState.RESOLVED, EventState.CLOSED)
            if closed:
                self._linked = [(e, c) for e, c in self._linked if e != ev.id]
                continue
            if (
                self.rule is None
                or ev.id in self._seen
                or ev.state is not EventState.NEW
                or not ev.active
                or not ev.cameras
                or not self.rule.matches(ev)
            ):
                continue
            self._seen.add(ev.id)
            self._severity[ev.id] = int(ev.severity)
            mine = [(ev.id, c) for c in ev.cameras[: self.rule.cameras_per_alarm]]
            self._linked = mine + [(e, c) for e, c in self._linked if c not in ev.cameras]
        self._refill(now_ms)
        return self._entries != before

    def pin(self, slot: int, camera_id: str, now_ms: int) -> None:
        """The console puts ``camera_id`` on ``slot`` until :meth:`unpin`."""
        if not 0 <= slot < self.count:
            raise IndexError(f"slot {slot} is not one of 0..{self.count - 1}")
        self.pins = {s: c for s, c in self.pins.items() if c != camera_id}  # one camera, one slot
        self.pins[slot] = camera_id
        self._refill(now_ms)

    def unpin(self, slot: int, now_ms: int) -> None:
        self.pins.pop(slot, None)
        self._refill(now_ms)

    # ------------------------------------------------------------------------------ outputs

    @property
    def entries(self) -> list[SlotEntry]:
        return list(self._entries)

    def page(self, page: int, per_page: int) -> list[SlotEntry]:
        return self._entries[page * per_page : (page + 1) * per_page]

    def take_changes(self) -> list[SlotChange]:
        """Every slot change since the last call, oldest first (for the recorder)."""
        out, self._changes = self._changes, []
        return out

    # ------------------------------------------------------------------------------ internals

    def _refill(self, now_ms: int) -> None:
        placed = set(self.pins.values())
        queue: list[SlotEntry] = []
        # Stable: the newest first among alarms of one severity.
        for event_id, cam in sorted(self._linked, key=lambda ec: self._severity.get(ec[0], 4)):
            if cam not in placed:
                placed.add(cam)
                queue.append(SlotEntry(cam, SlotWhy.ALARM, event_id))
        for cam in self.defaults:
            if cam not in placed:
                placed.add(cam)
                queue.append(SlotEntry(cam, SlotWhy.DEFAULT))
        new: list[SlotEntry] = []
        for slot in range(self.count):
            if slot in self.pins:
                new.append(SlotEntry(self.pins[slot], SlotWhy.PINNED))
            elif queue:
                new.append(queue.pop(0))
            else:
                new.append(SlotEntry(None, SlotWhy.EMPTY))
        for slot, (old, now) in enumerate(zip(self._entries, new, strict=True)):
            if old.camera_id != now.camera_id or old.why != now.why:
                self._changes.append(SlotChange(now_ms, slot, now.camera_id, now.why, now.event_id))
        self._entries = new
