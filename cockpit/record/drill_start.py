"""A drill that starts from a recording: the situation recorded at one instant, for the sandbox city.

A trainer rehearses a real incident by pointing a drill script at a recording and an instant in it
(``start.recording``, docs/operations.md, Drills). The state at that instant is rebuilt exactly as a
replay's seek rebuilds it (:meth:`cockpit.record.replay.ReplaySource.seek`: the nearest state
snapshot before the instant, then the frames up to it, through the same protocol core), and handed
to the sandbox city as plain protocol messages: the open events, the units, the dispatches in
progress, the overlays and the latest sensor values by sensor name.

The recorded times are moved to the drill's clock (the instant becomes "now"), so ages, timed
shelves and staleness read on the drill's wall as they read at that instant.

No Qt.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import msgspec

from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.messages import Dispatch, Event, EventState, Overlay, Plot, Stream, Unit
from cockpit.record import RecordingError
from cockpit.record.reader import Recording
from cockpit.record.replay import ReplaySource
from cockpit.record.snapshot import StateMirror

_OFFSET = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")

Instant = float | datetime
"""Seconds from the recording's start, or a time of day and date."""


def parse_instant(at: float | str) -> Instant:
    """A script's ``at``: seconds, ``[HH:]MM:SS[.f]`` from the recording's start, or an ISO time.

    An ISO time without a zone is this machine's local time, as the replay shows times.

    Raises:
        ValueError: none of these; the message says what is expected.
    """
    if isinstance(at, int | float):
        if at < 0:
            raise ValueError(f"at {at:g} s must not be negative")
        return float(at)
    m = _OFFSET.match(at.strip())
    if m:
        hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
        if minutes >= 60 or seconds >= 60:
            raise ValueError(f"at {at!r}: minutes and seconds must be under 60")
        return hours * 3600.0 + minutes * 60.0 + seconds
    try:
        return datetime.fromisoformat(at.strip())
    except ValueError:
        raise ValueError(
            f"at {at!r} is not an instant: give seconds or HH:MM:SS from the recording's start, "
            "or an ISO time such as 2026-06-18T14:05:00+08:00"
        ) from None


def _fmt(ns: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ns / 1e9))


class RecordingInstantError(RecordingError):
    """The recording is readable, but a drill cannot start at the instant asked for."""


def instant_ns(at: Instant, recording: Recording) -> int:
    """The recording's log time (ns) of ``at``.

    Raises:
        RecordingError: the instant is outside the recording.
    """
    if isinstance(at, datetime):
        at_ns = int(at.timestamp() * 1e9)
    else:
        at_ns = recording.start_ns + int(at * 1e9)
    if not recording.start_ns <= at_ns <= recording.end_ns:
        span = (recording.end_ns - recording.start_ns) / 1e9
        raise RecordingInstantError(
            f"{recording.path}: the instant {_fmt(at_ns)} is outside the recording, which runs from "
            f"{_fmt(recording.start_ns)} to {_fmt(recording.end_ns)} ({span:.0f} s)"
        )
    return at_ns


def open_at(path: Path, at: Instant) -> tuple[Recording, int]:
    """Open the recording at ``path`` and check a drill can start at ``at`` in it.

    Returns the open recording (the caller closes it) and the instant's log time.

    Raises:
        RecordingError: it is missing or unreadable, the instant is outside it, or it has no
            readable state snapshot at or before the instant; the message names the file and why.
    """
    recording = Recording(path)
    try:
        at_ns = instant_ns(at, recording)
        if recording.snapshot_before(at_ns) is None:
            times = recording.snapshot_times()
            first = f"its first is at {_fmt(times[0])}" if times else "it has none"
            raise RecordingInstantError(
                f"{path}: no readable state snapshot at or before {_fmt(at_ns)} to start from ({first})"
            )
    except BaseException:
        recording.close()
        raise
    return recording, at_ns


@dataclass(slots=True)
class RecordedSituation:
    """The situation at one instant of a recording, its times moved to the drill's clock."""

    events: list[Event] = field(default_factory=list)
    """Open events only (a closed one is history)."""
    units: list[Unit] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)
    overlays: list[Overlay] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    """What the centres had drawn for the open events (protocol §5.10)."""
    sensors: dict[str, tuple[float, int]] = field(default_factory=dict)
    """Sensor name → (latest value, its sample time on the drill's clock in ms)."""
    problems: list[str] = field(default_factory=list)
    """Damage met while rebuilding (the state was rebuilt around it)."""


def recorded_situation(path: Path, at: Instant, now_ms: int) -> RecordedSituation:
    """Rebuild the situation at ``at`` in the recording at ``path``, with ``now_ms`` as its instant.

    Raises:
        RecordingError: see :func:`open_at`.
    """
    recording, at_ns = open_at(path, at)
    model, mirror = Situation(), StateMirror()

    def sink(events: list[FeedEvent]) -> None:
        model.apply(events)
        mirror.apply(events)

    try:
        source = ReplaySource(recording, sink)
        source.seek(at_ns)
        shift = now_ms - source.server_now_ms()
        problems = list(recording.problems)
    finally:
        recording.close()
    out = RecordedSituation(problems=problems)
    for m in mirror.keyed[Stream.EVENTS].values():
        if isinstance(m, Event) and m.state != EventState.CLOSED:
            out.events.append(_shift_event(m, shift))
    for m in mirror.keyed[Stream.DISPATCH].values():
        if isinstance(m, Unit):
            out.units.append(m)
        elif isinstance(m, Dispatch):
            out.dispatches.append(m)
    out.overlays = [m for m in mirror.keyed[Stream.OVERLAYS].values() if isinstance(m, Overlay)]
    open_events = {e.id for e in out.events}
    out.plots = [
        msgspec.structs.replace(m, created=m.created + shift, updated=m.updated + shift)
        for m in mirror.keyed[Stream.PLOTS].values()
        if isinstance(m, Plot) and m.event_id in open_events
    ]
    table = model.sensors
    for row, info in enumerate(table.infos):
        if table.ts[row] != 0:
            out.sensors[info.name] = (float(table.values[row]), int(table.ts[row]) + shift)
    return out


def _shift_event(ev: Event, shift_ms: int) -> Event:
    """``ev`` with its times on the drill's clock (a one-shot shelf, -1, is not a time)."""
    import msgspec

    return msgspec.structs.replace(
        ev,
        time=ev.time + shift_ms if ev.time > 0 else ev.time,
        acked_at=ev.acked_at + shift_ms if ev.acked_at > 0 else 0,
        shelved_until=ev.shelved_until + shift_ms if ev.shelved_until > 0 else ev.shelved_until,
    )
