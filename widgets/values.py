"""The plain values the widgets are given: frozen dataclasses and enums, no Qt.

A widget's setters take these; the cockpit's Qt-free presentation layer (``cockpit/present``)
builds them. Keeping them free of Qt lets that layer be tested in plain Python while both sides
speak one vocabulary (no second copy of each row type, no conversion in between).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from widgets.geo import InvalidMapDataError


class Severity(enum.IntEnum):
    """China's four warning levels; 1 is the most severe (red, orange, yellow, blue)."""

    RED = 1
    ORANGE = 2
    YELLOW = 3
    BLUE = 4


class Tone(enum.Enum):
    """How a state line is coloured (its words always say the same)."""

    IDLE = "idle"
    """Nothing to report; dim."""
    PENDING = "pending"
    """On its way: queued, sent, accepted, the unit moving."""
    DONE = "done"
    """Finished well."""
    UNKNOWN = "unknown"
    """Nobody can tell yet (sent, no answer): amber, to be looked at, not to be repeated."""
    FAILED = "failed"
    """Needs the officer: rejected, failed, not sent."""
    ENDED = "ended"
    """Ended without effect by intent: cancelled, discarded."""
    HELD = "held"
    """Held back: it waited too long offline; the officer must confirm or discard it."""


class LinkLevel(enum.Enum):
    """Health of the data link; decides the colour and icon of the status."""

    OK = "ok"
    """Live; shown calm (muted green-grey circle, no fill)."""
    DEGRADED = "degraded"
    """Working but impaired (slow, reconnecting, dropping); orange triangle and label."""
    DOWN = "down"
    """No data arriving; red square and label."""
    NOT_LIVE = "not_live"
    """Deliberately not the live city (a replay, a paused drill): magenta, never green."""


class TileLevel(enum.Enum):
    """What a vital-sign tile shows, in order of how it is decided (first match wins)."""

    NO_DATA = "no_data"
    """No reading yet, or the reading is None/NaN."""
    STALE = "stale"
    """The reading is no longer live; shown grey with its age whatever its value."""
    ALARM = "alarm"
    WARNING = "warning"
    NORMAL = "normal"


class AlarmDisplay(enum.Enum):
    """How an alarm row is drawn (ISA-18.2 display states). The cockpit's model decides it
    (``cockpit.model.alarms.AlarmDisplayState``, value for value); the widgets only draw it."""

    UNACKED_ACTIVE = "unacked_active"
    """Active and unacknowledged: flashes."""
    ACKED_ACTIVE = "acked_active"
    """Active and acknowledged: steady."""
    UNACKED_CLEARED = "unacked_cleared"
    """Returned to normal but not acknowledged: hollow icon, dashed outline, "RTN"."""
    ACKED_CLEARED = "acked_cleared"
    """Returned to normal and acknowledged: muted (callers usually drop such rows)."""
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"
    OUT_OF_SERVICE = "out_of_service"


class Urgency(enum.Enum):
    """How a task or a timer is coloured (the text always says it too)."""

    CALM = "calm"
    AT_RISK = "at_risk"
    LATE = "late"
    DONE = "done"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event in an event list.

    Attributes:
        id: Unique, stable event id; selection follows it across updates.
        severity: Warning level.
        time_text: Time of the event, e.g. ``"14:03:27"``.
        title: Short description.
        district: District name.
        state_text: Handling state, e.g. ``"Open"``.
        acknowledged: False while nobody has acknowledged it; such rows flash.
        dispatch_text: Units dispatched, e.g. ``"Fire Engine 3"``; may be empty.
    """

    id: str
    severity: Severity
    time_text: str
    title: str
    district: str
    state_text: str
    acknowledged: bool
    dispatch_text: str


@dataclass(frozen=True, slots=True)
class AlarmRow:
    """One alarm in the alarm list or the wall's banner.

    Attributes:
        id: Unique, stable alarm id; selection follows it across updates.
        severity: Warning level.
        time_text: Time of the current occurrence, e.g. ``"14:03:27"``.
        source: Where it comes from, e.g. ``"Pump station 4"``.
        message: What is wrong.
        active: True while the condition is present; False once it returned to normal.
        acknowledged: True once an operator acknowledged this occurrence.
        display: How it is drawn, as the model's alarm rule decides it (never worked out again
            from the flags here).
        shelved: An operator temporarily shelved it.
        suppressed: Suppressed by design (logic), e.g. during a planned outage.
        out_of_service: Taken out of service (maintenance).
        acked_by: Who acknowledged it; ``""`` if nobody has.
        occurrence: Which firing of the alarm this is; an acknowledgement refers to one
            occurrence, so a re-fired alarm needs acknowledging again.
        note: A short line about the alarm's state, e.g. "shelved until 16:40" ("" for none).
    """

    id: str
    severity: Severity
    time_text: str
    source: str
    message: str
    active: bool
    acknowledged: bool
    display: AlarmDisplay
    shelved: bool = False
    suppressed: bool = False
    out_of_service: bool = False
    acked_by: str = ""
    occurrence: int = 1
    note: str = ""


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One command on the dispatch board.

    Attributes:
        id: The command id.
        time_text: When it was issued, e.g. "14:02:11".
        action: What it is, e.g. "Dispatch", "Acknowledge".
        event: The event, in words.
        target: The unit or plan, in words ("" if none).
        state: Where it is now, in words (always set: the colour is never the only cue).
        tone: Colours the state.
        can_cancel: A cancel would make sense now (a running dispatch).
        can_stop: The command is being sent again unanswered; the officer may stop that.
    """

    id: str
    time_text: str
    action: str
    event: str
    target: str
    state: str
    tone: Tone
    can_cancel: bool = False
    can_stop: bool = False


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One task of a plan, in words."""

    title: str
    owner: str
    state: str
    due: str
    urgency: Urgency
    mandatory: bool = True


@dataclass(frozen=True, slots=True)
class TimerLine:
    """One SLA timer in words, e.g. "Dispatch: 4 min late (target 5 min)"."""

    text: str
    urgency: Urgency


@dataclass(frozen=True, slots=True)
class PanelAction:
    """One more thing the officer can do with the selected event, besides the main dispatch.

    Attributes:
        key: Identifies the action in ``action_requested``; also its fixed place among the buttons.
        text: The button's text, e.g. "Activate plan: water-main burst (14 tasks)".
        enabled: Whether it can be done now.
        reason: Why not, when disabled; shown under the buttons and as the tooltip (a disabled
            button is never left unexplained).
        critical: Needs one confirmation click (see ``ConfirmButton``).
    """

    key: str
    text: str
    enabled: bool = True
    reason: str = ""
    critical: bool = False


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One recorded action, in words."""

    seq: int
    time_text: str
    operator: str
    role: str
    action: str
    details: str


@dataclass(frozen=True, slots=True)
class MapMarker:
    """One event on the map.

    Attributes:
        id: Unique among the markers; emitted by ``MapView.marker_clicked``.
        lon: Longitude in degrees (WGS 84).
        lat: Latitude in degrees.
        severity: Warning level (1 is the most severe); an int 1..4 is accepted.
        label: Short text drawn beside the icon (already translated); may be empty.
        acknowledged: False while nobody has acknowledged the event; such markers flash.

    Raises:
        InvalidMapDataError: ``severity`` is not 1..4 or a coordinate is not finite.
    """

    id: str
    lon: float
    lat: float
    severity: Severity
    label: str = ""
    acknowledged: bool = False

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "severity", Severity(self.severity))
        except ValueError as exc:
            raise InvalidMapDataError(f"marker {self.id!r}: severity must be 1..4, got {self.severity!r}") from exc
        if not (math.isfinite(self.lon) and math.isfinite(self.lat)):
            raise InvalidMapDataError(f"marker {self.id!r}: lon/lat must be finite, got {self.lon}, {self.lat}")


class TextRole(enum.Enum):
    """How far away a text must read (docs/architecture.md, "Wall type").

    The wall layout turns the roles into glyph heights: key text reads from the back of the room
    (distance / 200), secondary text from the middle (distance / 400). Detail is for the desk and
    has no place on a wall screen.
    """

    KEY = "key"
    SECONDARY = "secondary"
    DETAIL = "detail"


@dataclass(frozen=True, slots=True)
class TextItem:
    """One text a widget painted, as the wall's self-check sees it (``cockpit --wall-report``).

    Widgets that paint their own text keep a list of these from their last paint (``text_items()``),
    so the self-check reports what is on the glass rather than what a font setting promises.

    Attributes:
        text: The text as shown (shortened, if it was).
        role: How far away it must read.
        x: Left of its ink box, in the reporting widget's coordinates.
        y: Top of its ink box.
        w: Width of its ink box.
        h: Height of its ink box.
        glyph_px: Ink height of its capitals and digits (and of its Chinese characters, if any: the
            smaller of the two), in pixels.
        full: The whole text when it was shortened to fit (elided); "" when it is shown whole.
        clipped: Part of it falls outside the room it was given (cut off).
    """

    text: str
    role: TextRole
    x: float
    y: float
    w: float
    h: float
    glyph_px: float
    full: str = ""
    clipped: bool = False

    @property
    def elided(self) -> bool:
        return bool(self.full) and self.full != self.text

    def moved(self, dx: float, dy: float) -> TextItem:
        """The same item in coordinates ``(dx, dy)`` further on (a parent's)."""
        return TextItem(
            self.text, self.role, self.x + dx, self.y + dy, self.w, self.h, self.glyph_px, self.full, self.clipped
        )


# -- the later panels' values: bars, event card, river profile, history, closed loop, ranking,
#    event timeline (cockpit/present/panels/*, widgets/*: one of each per panel kind)


@dataclass(frozen=True, slots=True)
class Mark:
    """A limit drawn across a chart or a bar scale: "50 %: match a new site", "alarm 85"."""

    value: float
    label: str
    alarm: bool = False
    """An alarm limit (red); else a warning limit (amber)."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One sensor as a bar: its name, its value in words and its level (colour plus words)."""

    label: str
    value: float | None
    """None: no reading yet (an empty bar, "no data")."""
    text: str
    """The value as shown, with its unit: "62 %"."""
    level: TileLevel
    note: str = ""
    """The state in words beside the value ("over 50 %"); "" when normal."""


@dataclass(frozen=True, slots=True)
class CardField:
    """One fact of an event card: "Plate" · "渝A·5K327"."""

    label: str
    value: str
    emphasis: bool = False
    """Shown at the card's key size (the plate, the predicted arrival)."""


@dataclass(frozen=True, slots=True)
class Card:
    """One event, large."""

    event_id: str
    title: str
    subtitle: str
    """Where, when and how far it is: "Hill Town · 10:02:13 · dispatched"."""
    severity: Severity
    fields: tuple[CardField, ...]
    acknowledged: bool = True


@dataclass(frozen=True, slots=True)
class Station:
    """A river station on a profile: its place along the river and its reading."""

    km: float
    label: str
    value: float | None
    text: str
    level: TileLevel
    intake: bool = False
    """A drinking-water intake: drawn as such, the target of what drifts."""


@dataclass(frozen=True, slots=True)
class Drift:
    """Something moving down the river (an oil slick): where it is and when it reaches its target."""

    id: str
    km: float
    label: str
    target_km: float | None
    countdown: str
    """How long until it arrives, read from the back of the room: "5 h 42 min"; "" when no arrival
    is predicted; "due since 02:13" once it is due."""
    caption: str
    """What and where it goes, and when: "Oil slick reaches Liangtuo intake at 02:13, in"."""
    severity: Severity


@dataclass(frozen=True, slots=True)
class Curve:
    """One series of a history chart: hours before now and values (NaN: a gap)."""

    label: str
    hours: tuple[float, ...]
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a history chart out of range, with its length in words."""

    start_h: float
    end_h: float
    label: str
    alarm: bool = False


@dataclass(frozen=True, slots=True)
class LoopCell:
    """One step of the closed loop in one period: how many, how long (median), how many late."""

    count: str
    median: str
    median_level: TileLevel
    late: int | None
    """None: not reported."""
    late_level: TileLevel


@dataclass(frozen=True, slots=True)
class LoopStep:
    """One of the closed loop's five steps (found, routed, handled, reported back, evaluated)."""

    name: str
    cells: tuple[LoopCell, ...]
    """One per period, in the order of the loop's period names."""


@dataclass(frozen=True, slots=True)
class RankRow:
    """One area in a ranking by its five-colour rating (1 best … 5 worst)."""

    rank: int
    label: str
    rating: int | None
    """1..5, or None without a current reading (shown grey, "no data")."""
    rating_text: str
    """The rating in words: "4 · Orange"."""


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """One step of an event's closed loop: reached (with its time) or not yet."""

    name: str
    time_text: str
    """ "20:17"; "" when not reached."""
    detail: str = ""
    """What happened at it: "Enforcement team 2", "3 photos · citizen told", "satisfied"."""
    reached: bool = False
    late: bool = False
    """Reached after its deadline, or not reached and the deadline has passed."""
