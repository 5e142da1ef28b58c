"""Alarms as ISA-18.2 / IEC 62682 (and OPC UA Part 9) define them, an alarm board, floods and KPIs.

No Qt, no clock: every function that depends on time takes the server time (ms) as an argument, so
the backend, the wall and the tests agree on what "now" is and tests control it.

**The state machine** (:class:`Alarm`). An alarm carries separate flags instead of one state,
because they change for separate reasons:

- *active* or *cleared*: the process condition (a sensor over its limit);
- *acknowledged* or not: whether an operator has seen **this occurrence**. Every time the alarm
  fires again its ``occurrence`` goes up and it is unacknowledged again; an acknowledgement names
  the occurrence the operator saw and is refused (``refired``) if the alarm has fired since;
- *shelved*: an operator with the permission took it off the list for a while, with a reason;
  timed (up to a configured maximum) or one-shot (until the alarm clears). When a timed shelf ends,
  the alarm is shown again, unacknowledged if it was;
- *suppressed by design*: logic hides it (its station is flooded out, the alarm is a consequence);
- *out of service*: its source is in maintenance.

Shelved, suppressed and out-of-service alarms are never *annunciated* (flashed, counted towards a
flood), but they stay listed and counted, in grey, with the reason: nothing disappears silently.

**Display states** (:class:`AlarmDisplayState`) mirror ``widgets.alarm_list.AlarmDisplay`` value for
value (the model may not import widgets); the first match wins: out of service, suppressed,
shelved, then active/cleared × acknowledged/unacknowledged. A cleared and acknowledged alarm
leaves the list.

**The board** (:class:`AlarmBoard`) reads the model's events, once per frame, and gives the alarm
list rows with their display states, the flood state per console (more than 10 alarms annunciated
in 10 minutes raises a flood; fewer than 5 in 10 minutes ends it) and the KPIs: alarm rate, time in
flood, top bad actors, chattering alarms and stale alarms (ISA-18.2, EEMUA 191).

Protocol: docs/protocol.md §5.1 (the event's alarm fields) and §7.5 (alarm commands).
"""

from __future__ import annotations

import bisect
import enum
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import msgspec

from cockpit.model.roles import may
from cockpit.model.situation import EventRecord
from cockpit.protocol.messages import CommandKind, Event, EventState

ONE_SHOT: Final = -1
"""``shelved_until`` of a one-shot shelf: it ends when the alarm clears (§5.1)."""

MINUTE_MS: Final = 60_000
HOUR_MS: Final = 60 * MINUTE_MS
DAY_MS: Final = 24 * HOUR_MS

MAX_SHELVE_MS: Final = 8 * HOUR_MS
"""The longest timed shelf a backend grants unless configured otherwise (§7.5)."""


class AlarmDisplayState(enum.StrEnum):
    """How an alarm row is drawn; the values are those of ``widgets.alarm_list.AlarmDisplay``."""

    UNACKED_ACTIVE = "unacked_active"
    ACKED_ACTIVE = "acked_active"
    UNACKED_CLEARED = "unacked_cleared"
    ACKED_CLEARED = "acked_cleared"
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"
    OUT_OF_SERVICE = "out_of_service"

    @property
    def grey(self) -> bool:
        """Deliberately out of the operator's attention, but listed and counted."""
        return self in _GREY


_GREY: Final = frozenset(
    {AlarmDisplayState.SHELVED, AlarmDisplayState.SUPPRESSED, AlarmDisplayState.OUT_OF_SERVICE}
)

DISPLAY_ORDER: Final = (
    AlarmDisplayState.UNACKED_ACTIVE,
    AlarmDisplayState.UNACKED_CLEARED,
    AlarmDisplayState.ACKED_ACTIVE,
    AlarmDisplayState.ACKED_CLEARED,
    AlarmDisplayState.SHELVED,
    AlarmDisplayState.SUPPRESSED,
    AlarmDisplayState.OUT_OF_SERVICE,
)
"""The order rows are listed in: what needs the operator first, grey ones last."""


class AlarmRefusal(enum.StrEnum):
    """Why an alarm command was refused; the values are the ``command_ack`` reasons (§7.5)."""

    REFIRED = "refired"
    """The acknowledgement names an occurrence older than the current one."""
    UNKNOWN_OCCURRENCE = "unknown_occurrence"
    """The acknowledgement names an occurrence that has not happened."""
    FORBIDDEN = "forbidden"
    """The role may not shelve or unshelve."""
    REASON_REQUIRED = "reason_required"
    """A shelf needs a non-empty reason."""
    SHELVE_TOO_LONG = "shelve_too_long"
    """A timed shelf may last at most the configured maximum."""
    BAD_UNTIL = "bad_until"
    """The shelf would end in the past (or ``until`` is negative)."""
    NOT_ACTIVE = "not_active"
    """A one-shot shelf ends when the alarm clears: a cleared alarm cannot take one."""
    NOT_SHELVED = "not_shelved"
    """Unshelve of an alarm that is not shelved."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused alarm command: the reason code and a sentence for the operator."""

    reason: AlarmRefusal
    detail: str


class Alarm(msgspec.Struct, frozen=True, kw_only=True):
    """One alarm's flags; every transition returns a new value (or a :class:`Refusal`).

    A frozen msgspec struct rather than a dataclass: the board makes one per listed event per
    refresh, and a struct is built about four times faster than a frozen dataclass.

    Attributes:
        active: The condition is present (False: returned to normal, "cleared").
        acknowledged: An operator acknowledged the current occurrence.
        occurrence: How many times the alarm has fired; 1 for the first firing.
        acked_by: Who acknowledged the current occurrence (``""`` if nobody).
        acked_at: When (server ms; 0 if not).
        shelved_until: 0 not shelved, ``ONE_SHOT`` until it clears, else the server ms it ends.
        shelved_by: Who shelved it.
        shelve_reason: Why.
        suppressed: Why it is suppressed by design (``""``: it is not).
        out_of_service: Why its source is out of service (``""``: it is not).
    """

    active: bool = True
    acknowledged: bool = False
    occurrence: int = 1
    acked_by: str = ""
    acked_at: int = 0
    shelved_until: int = 0
    shelved_by: str = ""
    shelve_reason: str = ""
    suppressed: str = ""
    out_of_service: str = ""

    # ------------------------------------------------------------------------------ reading

    @classmethod
    def of_event(cls, m: Event) -> Alarm:
        """The alarm an ``event`` message describes (§5.1)."""
        return cls(
            active=m.active and m.state not in (EventState.RESOLVED, EventState.CLOSED),
            acknowledged=m.state != EventState.NEW,
            occurrence=m.occurrence,
            acked_by=m.acked_by,
            acked_at=m.acked_at,
            shelved_until=m.shelved_until,
            shelved_by=m.shelved_by,
            shelve_reason=m.shelve_reason,
            suppressed=m.suppressed,
            out_of_service=m.out_of_service,
        )

    @classmethod
    def of_record(cls, r: EventRecord) -> Alarm:
        """The alarm of an event in the model.

        A ``resolved`` event counts as cleared even if its ``active`` flag is still set (a
        dispatch completed while a citizen report stays "active"): nothing is left to deal with.
        """
        return cls(
            active=r.active and r.open,
            acknowledged=r.acknowledged,
            occurrence=r.occurrence,
            acked_by=r.acked_by,
            acked_at=r.acked_at,
            shelved_until=r.shelved_until,
            shelved_by=r.shelved_by,
            shelve_reason=r.shelve_reason,
            suppressed=r.suppressed,
            out_of_service=r.out_of_service,
        )

    def wire_fields(self) -> dict[str, object]:
        """The ``event`` fields this alarm owns, for ``msgspec.structs.replace`` (§5.1).

        ``active`` and ``state`` are not among them: the event's state has more values than
        acknowledged or not, and the backend maps them (§7.5).
        """
        return {
            "occurrence": self.occurrence,
            "acked_by": self.acked_by,
            "acked_at": self.acked_at,
            "shelved_until": self.shelved_until,
            "shelved_by": self.shelved_by,
            "shelve_reason": self.shelve_reason,
            "suppressed": self.suppressed,
            "out_of_service": self.out_of_service,
        }

    def is_shelved(self, now_ms: int) -> bool:
        """Whether a shelf holds at ``now_ms``: one-shot, or timed and not yet ended.

        A timed shelf whose end has passed no longer holds even before the backend says so, so a
        late message can never keep an alarm hidden.
        """
        return self.shelved_until == ONE_SHOT or self.shelved_until > now_ms

    def display(self, now_ms: int) -> AlarmDisplayState:
        """The one display state of the row (same precedence as ``widgets.alarm_list.display_of``)."""
        if self.out_of_service:
            return AlarmDisplayState.OUT_OF_SERVICE
        if self.suppressed:
            return AlarmDisplayState.SUPPRESSED
        if self.is_shelved(now_ms):
            return AlarmDisplayState.SHELVED
        if self.active:
            return AlarmDisplayState.ACKED_ACTIVE if self.acknowledged else AlarmDisplayState.UNACKED_ACTIVE
        return AlarmDisplayState.ACKED_CLEARED if self.acknowledged else AlarmDisplayState.UNACKED_CLEARED

    def annunciated(self, now_ms: int) -> bool:
        """Shown to the operator as needing attention: not grey, and active or unacknowledged."""
        return not self.display(now_ms).grey and (self.active or not self.acknowledged)

    def listed(self, now_ms: int) -> bool:
        """On the alarm list: everything but a cleared, acknowledged alarm with no grey flag."""
        return self.display(now_ms) is not AlarmDisplayState.ACKED_CLEARED

    # ------------------------------------------------------------------------------ process

    def fire(self) -> Alarm:
        """The condition is present. From cleared: a new occurrence, unacknowledged.

        Firing an alarm that is already active changes nothing: it is the same occurrence.
        A one-shot shelf cannot be in place on a cleared alarm, so none is carried over.
        """
        if self.active:
            return self
        return _replace(
            self, active=True, acknowledged=False, occurrence=self.occurrence + 1, acked_by="", acked_at=0
        )

    def clear(self) -> Alarm:
        """The condition returned to normal; a one-shot shelf ends with it."""
        if not self.active:
            return self
        if self.shelved_until == ONE_SHOT:
            return _replace(self, active=False, shelved_until=0, shelved_by="", shelve_reason="")
        return _replace(self, active=False)

    def expire(self, now_ms: int) -> Alarm:
        """End a timed shelf whose time has come; the alarm re-annunciates if it needs attention."""
        if self.shelved_until > 0 and self.shelved_until <= now_ms:
            return _replace(self, shelved_until=0, shelved_by="", shelve_reason="")
        return self

    # ------------------------------------------------------------------------------ operator

    def acknowledge(self, occurrence: int, by: str, now_ms: int) -> Alarm | Refusal:
        """Acknowledge ``occurrence`` (0: whichever is current) for operator ``by``.

        Returns:
            The acknowledged alarm (unchanged if it already was), or a refusal: ``refired`` if
            the alarm has fired again since the operator saw ``occurrence``.
        """
        if occurrence and occurrence < self.occurrence:
            return Refusal(
                AlarmRefusal.REFIRED,
                f"occurrence {occurrence} was acknowledged, but the alarm has fired again since: "
                f"occurrence {self.occurrence} is current",
            )
        if occurrence > self.occurrence:
            return Refusal(
                AlarmRefusal.UNKNOWN_OCCURRENCE,
                f"occurrence {occurrence} has not happened; occurrence {self.occurrence} is current",
            )
        if self.acknowledged:
            return self
        return _replace(self, acknowledged=True, acked_by=by, acked_at=now_ms)

    def shelve(
        self, role: str, by: str, reason: str, until: int, now_ms: int, max_ms: int = MAX_SHELVE_MS
    ) -> Alarm | Refusal:
        """Shelve the alarm: ``until`` 0 for one-shot, else the server ms the shelf ends.

        Needs a role that may shelve (supervisor), a non-empty reason and, for a timed shelf, an
        end in the future and at most ``max_ms`` away. Shelving a shelved alarm replaces its shelf.
        """
        if not may(role, CommandKind.SHELVE):
            return Refusal(AlarmRefusal.FORBIDDEN, f"role {role!r} may not shelve alarms; a supervisor may")
        if not reason.strip():
            return Refusal(AlarmRefusal.REASON_REQUIRED, "a shelf needs a reason")
        if until == 0:
            if not self.active:
                return Refusal(
                    AlarmRefusal.NOT_ACTIVE, "the alarm has cleared: a one-shot shelf would end at once"
                )
            return _replace(self, shelved_until=ONE_SHOT, shelved_by=by, shelve_reason=reason.strip())
        if until <= now_ms:
            return Refusal(
                AlarmRefusal.BAD_UNTIL, f"the shelf would end in the past ({until} ≤ now {now_ms})"
            )
        if until - now_ms > max_ms:
            return Refusal(
                AlarmRefusal.SHELVE_TOO_LONG,
                f"a shelf may last at most {_duration(max_ms)}; asked for {_duration(until - now_ms)}",
            )
        return _replace(self, shelved_until=until, shelved_by=by, shelve_reason=reason.strip())

    def unshelve(self, role: str, now_ms: int) -> Alarm | Refusal:
        """End the shelf now (supervisor); the alarm re-annunciates if it needs attention."""
        if not may(role, CommandKind.UNSHELVE):
            return Refusal(AlarmRefusal.FORBIDDEN, f"role {role!r} may not unshelve alarms; a supervisor may")
        if not self.is_shelved(now_ms):
            return Refusal(AlarmRefusal.NOT_SHELVED, "the alarm is not shelved")
        return _replace(self, shelved_until=0, shelved_by="", shelve_reason="")

    # ------------------------------------------------------------------------------ by design

    def suppress(self, reason: str) -> Alarm:
        """Suppress by design (``""`` lifts it); a suppressed alarm is listed grey, not annunciated."""
        return self if reason == self.suppressed else _replace(self, suppressed=reason)

    def set_out_of_service(self, reason: str) -> Alarm:
        """Take the source out of service for ``reason`` (``""`` returns it to service)."""
        return self if reason == self.out_of_service else _replace(self, out_of_service=reason)


def _replace(alarm: Alarm, **changes: object) -> Alarm:
    return msgspec.structs.replace(alarm, **changes)


def _duration(ms: int) -> str:
    minutes = max(0, ms) // MINUTE_MS
    return f"{minutes // 60} h {minutes % 60:02d} min"


def display_state(record: EventRecord, now_ms: int) -> AlarmDisplayState:
    """The display state of one event's alarm row at server time ``now_ms`` (for the UI)."""
    return Alarm.of_record(record).display(now_ms)


def source_of(record: EventRecord) -> str:
    """What raised the alarm, for the bad-actor count: the sensor, or for a report type@district
    (twenty noise complaints from one district are one bad actor)."""
    return record.source or f"{record.type}@{record.district}"


def tag_of(record: EventRecord) -> str:
    """The alarm's identity across occurrences, for chattering: the sensor, or for a report the
    event itself (separate reports of the same kind are not one alarm chattering)."""
    return record.source or record.id


# --------------------------------------------------------------------------------------------------
# The board


@dataclass(frozen=True, slots=True)
class AlarmConfig:
    """Alarm-management limits (the figures ISA-18.2 and EEMUA 191 use)."""

    flood_window_ms: int = 10 * MINUTE_MS
    flood_raise_above: int = 10
    """A flood starts when more than this many alarms were annunciated in the window."""
    flood_end_below: int = 5
    """A flood ends when fewer than this many were annunciated in the window."""
    chatter_window_ms: int = MINUTE_MS
    chatter_count: int = 3
    """This many activations of one alarm (:func:`tag_of`) within the chatter window make it
    chattering."""
    stale_after_ms: int = DAY_MS
    """Active and unacknowledged for longer than this: stale."""
    kpi_window_ms: int = DAY_MS
    """Bad actors, chattering and time in flood look back this far."""
    bad_actors: int = 10
    """How many bad actors the KPIs name."""

    def __post_init__(self) -> None:
        if not 0 <= self.flood_end_below <= self.flood_raise_above:
            raise ValueError(
                f"flood_end_below ({self.flood_end_below}) must be between 0 and "
                f"flood_raise_above ({self.flood_raise_above}): the flood needs hysteresis"
            )
        for name in ("flood_window_ms", "chatter_window_ms", "stale_after_ms", "kpi_window_ms"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")


@dataclass(frozen=True, slots=True)
class ConsoleScope:
    """What one console watches: districts, themes and centre levels (each empty: all).

    A district centre's console that leaves street-level events to the street centres names
    ``levels={"district", "city"}``: the reports the streets handle do not flood it.
    """

    name: str
    districts: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()

    def covers(self, district: str, theme: str, level: str = "") -> bool:
        if self.districts and district not in self.districts:
            return False
        if self.levels and level not in self.levels:
            return False
        return not (self.themes and theme not in self.themes)


@dataclass(frozen=True, slots=True)
class Annunciation:
    """One occurrence of one alarm, shown to the operators (the unit of every alarm KPI)."""

    time_ms: int
    event_id: str
    occurrence: int
    source: str
    """:func:`source_of`: what bad actors are counted by."""
    type: str
    district: str
    theme: str
    tag: str = ""
    """:func:`tag_of`: what chattering is counted by (``""``: the event id)."""
    level: str = ""
    """The centre level that held the event when it was annunciated."""


@dataclass(frozen=True, slots=True)
class AlarmView:
    """One row of the alarm list: the event, its alarm and how it is drawn."""

    record: EventRecord
    alarm: Alarm
    display: AlarmDisplayState


@dataclass(frozen=True, slots=True)
class FloodGroup:
    """Alarms of one type in one district within the flood window: the banner groups by these."""

    type: str
    district: str
    count: int


@dataclass(frozen=True, slots=True)
class FloodState:
    """A console's flood: whether it is on, since when, and what it is made of."""

    flooding: bool
    count: int
    """Alarms annunciated in the last flood window."""
    since_ms: int = 0
    """When the current flood began (0 when there is none)."""
    groups: tuple[FloodGroup, ...] = ()
    """The window's alarms by type and district, largest group first."""


@dataclass(frozen=True, slots=True)
class AlarmKpis:
    """Alarm-management KPIs of one console at one instant."""

    rate_10min: int
    """Alarms annunciated in the last 10 minutes (EEMUA 191: ≤ 1 is very likely acceptable)."""
    rate_hour: int
    """Alarms annunciated in the last hour (≤ 6 is very likely acceptable)."""
    time_in_flood_pct: float
    """Share of the KPI window (or of the time observed, if shorter) spent in flood."""
    bad_actors: tuple[tuple[str, int], ...]
    """The most frequent sources and their counts, most first."""
    chattering: tuple[tuple[str, int], ...]
    """Alarms (:func:`tag_of`) with at least ``chatter_count`` activations within the chatter
    window, with the largest number seen within one such window."""
    stale: tuple[str, ...]
    """Event ids active and unacknowledged for longer than ``stale_after_ms``, oldest first."""


class FloodDetector:
    """Counts annunciations in a sliding window and keeps the flood state with hysteresis.

    Exact in time: a flood ends at the instant the window's count falls below the end limit (when
    an annunciation ages out), not at the next call, so time in flood does not depend on how often
    the caller looks. Annunciations must be added in time order; one older than the detector's
    clock is counted from the clock (it cannot change the past), one older than the window is
    ignored.
    """

    def __init__(self, config: AlarmConfig, start_ms: int) -> None:
        self.config = config
        self.now_ms = start_ms
        self.flooding = False
        self.since_ms = 0
        self._window: list[Annunciation] = []  # sorted by time, all within the window at now_ms
        self.intervals: list[tuple[int, int]] = []
        """Ended floods as (start, end) server ms, oldest first."""

    @property
    def count(self) -> int:
        return len(self._window)

    def add(self, a: Annunciation) -> None:
        """Count ``a`` at ``max(a.time_ms, now)``; may raise a flood."""
        self.advance(max(a.time_ms, self.now_ms))
        if a.time_ms <= self.now_ms - self.config.flood_window_ms:
            return
        bisect.insort(self._window, a, key=lambda x: x.time_ms)
        if not self.flooding and len(self._window) > self.config.flood_raise_above:
            self.flooding = True
            self.since_ms = self.now_ms

    def advance(self, now_ms: int) -> None:
        """Move the clock to ``now_ms``, ageing annunciations out (a flood may end on the way)."""
        if now_ms < self.now_ms:
            return
        w = self.config.flood_window_ms
        while self._window and self._window[0].time_ms + w <= now_ms:
            leaves_at = self._window[0].time_ms + w
            while self._window and self._window[0].time_ms + w == leaves_at:
                self._window.pop(0)
            if self.flooding and len(self._window) < self.config.flood_end_below:
                self.flooding = False
                self.intervals.append((self.since_ms, leaves_at))
                self.since_ms = 0
        self.now_ms = now_ms

    def state(self) -> FloodState:
        groups = Counter((a.type, a.district) for a in self._window)
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))
        return FloodState(
            flooding=self.flooding,
            count=len(self._window),
            since_ms=self.since_ms,
            groups=tuple(FloodGroup(t, d, n) for (t, d), n in ordered),
        )

    def flood_ms_between(self, lo: int, hi: int) -> int:
        """Milliseconds in flood within ``[lo, hi)`` (``hi`` at most the detector's clock)."""
        spans = list(self.intervals)
        if self.flooding:
            spans.append((self.since_ms, self.now_ms))
        return sum(max(0, min(e, hi) - max(s, lo)) for s, e in spans)

    def forget_before(self, t_ms: int) -> None:
        """Drop ended floods that ended before ``t_ms`` (they no longer count in any KPI)."""
        self.intervals = [(s, e) for s, e in self.intervals if e > t_ms]


@dataclass(slots=True)
class _Console:
    scope: ConsoleScope
    flood: FloodDetector


class AlarmBoard:
    """The alarm list, floods and KPIs over the model's events.

    Call :meth:`update` once per painted frame (or once a second) with the ids of the events that
    changed (``ChangeSet.events``) and the server time; read :meth:`rows`, :meth:`counts`,
    :meth:`flood` and :meth:`kpis` when drawing. Every change of ``events`` must reach
    :meth:`update`: the board keeps an index of the events that can be listed (closed and
    cleared-and-acknowledged ones cannot) and the sorted rows until something changes, so a
    wall with thousands of finished events pays only for its live alarms. Each occurrence of an alarm counts once, however
    often its event is re-sent (a snapshot after a reconnect re-sends everything), and only when
    it is annunciated: an occurrence that fires while shelved, suppressed or out of service counts
    when (if) it is shown.

    Args:
        events: The model's events by id (``Situation.events``); read, never changed.
        consoles: The consoles to keep floods and KPIs for (default: one that sees everything).
        config: Limits.
    """

    def __init__(
        self,
        events: Mapping[str, EventRecord],
        consoles: Sequence[ConsoleScope] = (ConsoleScope("console"),),
        config: AlarmConfig | None = None,
    ) -> None:
        if not consoles:
            raise ValueError("an alarm board needs at least one console")
        names = [c.name for c in consoles]
        if len(set(names)) != len(names):
            raise ValueError(f"console names must be unique, got {names}")
        self.events = events
        self.config = config or AlarmConfig()
        self._scopes = {c.name: c for c in consoles}
        self._consoles: dict[str, _Console] = {}
        self._counted: dict[str, int] = {}  # event id → highest occurrence counted
        self._history: list[Annunciation] = []  # sorted by time, within the KPI window
        self._listable: dict[str, EventRecord] | None = None  # built on first use
        self._rows: dict[str, tuple[int, list[AlarmView]]] = {}  # console → (valid before, rows)
        self.start_ms: int | None = None
        self.now_ms = 0

    @property
    def console_names(self) -> list[str]:
        return list(self._scopes)

    # ------------------------------------------------------------------------------ input

    def update(self, changed: Iterable[str], now_ms: int) -> None:
        """Take in the events that changed and move the clock to ``now_ms`` (server ms)."""
        if self.start_ms is None:
            self.start_ms = now_ms
            self._consoles = {
                name: _Console(scope, FloodDetector(self.config, now_ms))
                for name, scope in self._scopes.items()
            }
        self.now_ms = max(self.now_ms, now_ms)
        listable = self._index()
        changed = list(changed)
        if changed:
            self._rows.clear()
        fresh: list[Annunciation] = []
        for event_id in changed:
            rec = self.events.get(event_id)
            if rec is None:
                self._counted.pop(event_id, None)  # the situation forgot it (MAX_CLOSED_EVENTS)
            if rec is None or not _listable(rec):
                listable.pop(event_id, None)
            else:
                listable[event_id] = rec
            if rec is None or self._counted.get(event_id, 0) >= rec.occurrence:
                continue
            alarm = Alarm.of_record(rec)
            if alarm.display(self.now_ms).grey:
                continue
            self._counted[event_id] = rec.occurrence
            fresh.append(
                Annunciation(
                    rec.time_ms,
                    rec.id,
                    rec.occurrence,
                    source_of(rec),
                    rec.type,
                    rec.district,
                    rec.theme,
                    tag_of(rec),
                    rec.level,
                )
            )
        fresh.sort(key=lambda a: (a.time_ms, a.event_id))
        for a in fresh:
            bisect.insort(self._history, a, key=lambda x: x.time_ms)
            for console in self._consoles.values():
                if console.scope.covers(a.district, a.theme, a.level):
                    console.flood.add(a)
        horizon = self.now_ms - self.config.kpi_window_ms
        cut = bisect.bisect_right(self._history, horizon, key=lambda x: x.time_ms)
        if cut:
            del self._history[:cut]
        for console in self._consoles.values():
            console.flood.advance(self.now_ms)
            console.flood.forget_before(horizon)

    # ------------------------------------------------------------------------------ output

    def _scope(self, console: str | None) -> ConsoleScope:
        if console is None:
            return next(iter(self._scopes.values()))
        try:
            return self._scopes[console]
        except KeyError:
            raise KeyError(f"no console {console!r}; the board has {list(self._scopes)}") from None

    def _index(self) -> dict[str, EventRecord]:
        if self._listable is None:
            self._listable = {k: r for k, r in self.events.items() if _listable(r)}
        return self._listable

    def rows(self, now_ms: int, console: str | None = None) -> list[AlarmView]:
        """The alarm list of ``console`` (default: the first): listed alarms, in :data:`DISPLAY_ORDER`,
        then most severe, then newest. Closed events are not alarms any more. Do not modify the list:
        it is kept until an event changes or a timed shelf in it ends."""
        scope = self._scope(console)
        cached = self._rows.get(scope.name)
        if cached is not None and now_ms < cached[0]:
            return cached[1]
        out: list[AlarmView] = []
        valid_before = _FOREVER
        for rec in self._index().values():
            if not scope.covers(rec.district, rec.theme, rec.level):
                continue
            alarm = Alarm.of_record(rec)
            if alarm.shelved_until > now_ms:
                valid_before = min(valid_before, alarm.shelved_until)
            display = alarm.display(now_ms)
            if display is not AlarmDisplayState.ACKED_CLEARED:
                out.append(AlarmView(rec, alarm, display))
        out.sort(key=lambda v: (_RANK[v.display], int(v.record.severity), -v.record.time_ms, v.record.id))
        self._rows[scope.name] = (valid_before, out)
        return out

    def counts(self, now_ms: int, console: str | None = None) -> dict[AlarmDisplayState, int]:
        """How many listed alarms are in each display state, grey ones included."""
        return dict(Counter(v.display for v in self.rows(now_ms, console)))

    def flood(self, console: str | None = None) -> FloodState:
        """The flood state of ``console`` as of the last :meth:`update`."""
        name = self._scope(console).name
        c = self._consoles.get(name)
        return FloodState(False, 0) if c is None else c.flood.state()

    def annunciations(self, console: str | None = None) -> list[Annunciation]:
        """The annunciations within the KPI window that ``console`` sees, oldest first."""
        scope = self._scope(console)
        return [a for a in self._history if scope.covers(a.district, a.theme, a.level)]

    def kpis(self, console: str | None = None) -> AlarmKpis:
        """The KPIs of ``console`` as of the last :meth:`update`."""
        cfg, now = self.config, self.now_ms
        seen = self.annunciations(console)
        times = [a.time_ms for a in seen]

        def since(window: int) -> int:
            return len(times) - bisect.bisect_right(times, now - window)

        per_source: dict[str, list[int]] = defaultdict(list)
        per_tag: dict[str, list[int]] = defaultdict(list)
        for a in seen:
            per_source[a.source].append(a.time_ms)
            per_tag[a.tag or a.event_id].append(a.time_ms)
        bad = sorted(((s, len(ts)) for s, ts in per_source.items()), key=lambda kv: (-kv[1], kv[0]))
        chatter = []
        for s, ts in per_tag.items():
            densest = _densest(ts, cfg.chatter_window_ms)
            if densest >= cfg.chatter_count:
                chatter.append((s, densest))
        chatter.sort(key=lambda kv: (-kv[1], kv[0]))

        scope = self._scope(console)
        stale = sorted(
            (
                r
                for r in self._index().values()
                if _is_stale(r, now, cfg) and scope.covers(r.district, r.theme, r.level)
            ),
            key=lambda r: (r.time_ms, r.id),
        )
        return AlarmKpis(
            rate_10min=since(10 * MINUTE_MS),
            rate_hour=since(HOUR_MS),
            time_in_flood_pct=self._time_in_flood_pct(scope.name),
            bad_actors=tuple(bad[: cfg.bad_actors]),
            chattering=tuple(chatter),
            stale=tuple(r.id for r in stale),
        )

    def _time_in_flood_pct(self, console: str) -> float:
        c = self._consoles.get(console)
        if c is None or self.start_ms is None:
            return 0.0
        lo = max(self.start_ms, self.now_ms - self.config.kpi_window_ms)
        span = self.now_ms - lo
        if span <= 0:
            return 0.0
        return 100.0 * c.flood.flood_ms_between(lo, self.now_ms) / span


_FOREVER: Final = 2**63
_RANK: Final = {d: i for i, d in enumerate(DISPLAY_ORDER)}


def _listable(r: EventRecord) -> bool:
    """Whether the event can be on the alarm list now or later without changing: not closed, and
    not returned to normal and acknowledged unless a grey flag or a shelf keeps it listed."""
    if r.state is EventState.CLOSED:
        return False
    done = not (r.active and r.open) and r.acknowledged
    return not done or bool(r.out_of_service or r.suppressed or r.shelved_until)


def _densest(times: list[int], window_ms: int) -> int:
    """The most of ``times`` (sorted) that fall within any window of ``window_ms`` (both ends in)."""
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] > window_ms:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def _is_stale(r: EventRecord, now_ms: int, cfg: AlarmConfig) -> bool:
    a = Alarm.of_record(r)
    return a.active and not a.acknowledged and now_ms - r.time_ms > cfg.stale_after_ms
