"""ISA-18.2 alarms: the state machine (hypothesis, every transition), the board, floods and KPIs.

Time is always passed in (server ms); nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import replace

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from cockpit.model.alarms import (
    DAY_MS,
    HOUR_MS,
    MAX_SHELVE_MS,
    MINUTE_MS,
    ONE_SHOT,
    Alarm,
    AlarmBoard,
    AlarmConfig,
    AlarmDisplayState,
    AlarmRefusal,
    Annunciation,
    ConsoleScope,
    FloodDetector,
    FloodGroup,
    Refusal,
    display_state,
)
from cockpit.model.situation import EventRecord
from cockpit.protocol.messages import EventState, Severity

ROLES = ("viewer", "operator", "supervisor", "trainer")

# --------------------------------------------------------------------------------------------------
# The state machine, against a reference written the plain way


TRANSITIONS = frozenset(
    {
        "fire:new_occurrence",
        "fire:already_active",
        "fire:while_shelved",
        "clear:active",
        "clear:already_cleared",
        "clear:releases_one_shot",
        "expire:timed_shelf_ends",
        "expire:reannunciates_unacked",
        "expire:nothing_due",
        "ack:current",
        "ack:zero_means_current",
        "ack:already",
        "ack:refired",
        "ack:unknown_occurrence",
        "shelve:forbidden",
        "shelve:reason_required",
        "shelve:one_shot",
        "shelve:one_shot_not_active",
        "shelve:timed",
        "shelve:too_long",
        "shelve:bad_until",
        "shelve:replaces_shelf",
        "unshelve:forbidden",
        "unshelve:not_shelved",
        "unshelve:ends_shelf",
        "suppress:on",
        "suppress:off",
        "out_of_service:on",
        "out_of_service:off",
    }
)
SEEN: set[str] = set()


class AlarmMachine(RuleBasedStateMachine):
    """Drives :class:`Alarm` through random transitions and checks it against plain bookkeeping."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 1_000_000
        self.alarm = Alarm()  # raised: active, occurrence 1, unacknowledged
        # The reference: the same flags, kept by hand.
        self.active = True
        self.acked = False
        self.occurrence = 1
        self.shelf = 0  # 0, ONE_SHOT or end ms
        self.shelved_at = 0
        self.suppressed = ""
        self.oos = ""
        self.max_occurrence_seen = 1

    def saw(self, label: str) -> None:
        SEEN.add(label)

    def shelved(self) -> bool:
        return self.shelf == ONE_SHOT or self.shelf > self.now

    # -- process ----------------------------------------------------------------------------

    @rule()
    def fire(self) -> None:
        before = self.alarm
        self.alarm = self.alarm.fire()
        if self.active:
            self.saw("fire:already_active")
            assert self.alarm is before
            return
        self.saw("fire:new_occurrence")
        if self.shelved():
            self.saw("fire:while_shelved")
        self.active, self.acked = True, False
        self.occurrence += 1

    @rule()
    def clear(self) -> None:
        self.alarm = self.alarm.clear()
        if not self.active:
            self.saw("clear:already_cleared")
            return
        self.saw("clear:active")
        self.active = False
        if self.shelf == ONE_SHOT:
            self.saw("clear:releases_one_shot")
            self.shelf = 0

    @rule(dt=st.sampled_from([1, 1_000, MINUTE_MS, HOUR_MS, 4 * HOUR_MS]))
    def time_passes(self, dt: int) -> None:
        self.now += dt
        self.alarm = self.alarm.expire(self.now)
        if self.shelf > 0 and self.shelf <= self.now:
            self.saw("expire:timed_shelf_ends")
            self.shelf = 0
            if not self.oos and not self.suppressed and not self.acked:
                self.saw("expire:reannunciates_unacked")
                assert self.alarm.display(self.now) in (
                    AlarmDisplayState.UNACKED_ACTIVE,
                    AlarmDisplayState.UNACKED_CLEARED,
                )
        else:
            self.saw("expire:nothing_due")

    # -- operator ---------------------------------------------------------------------------

    @rule(which=st.sampled_from(["current", "zero", "old", "future"]), by=st.sampled_from(["ann", "bo"]))
    def acknowledge(self, which: str, by: str) -> None:
        occ = {
            "current": self.occurrence,
            "zero": 0,
            "old": self.occurrence - 1,
            "future": self.occurrence + 1,
        }
        asked = occ[which]
        result = self.alarm.acknowledge(asked, by, self.now)
        if which == "old" and asked >= 1:
            self.saw("ack:refired")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.REFIRED
            assert f"occurrence {self.occurrence} is current" in result.detail
            return  # an old occurrence's acknowledgement never acknowledges
        if which == "future":
            self.saw("ack:unknown_occurrence")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.UNKNOWN_OCCURRENCE
            return
        assert isinstance(result, Alarm)
        if self.acked:
            self.saw("ack:already")
            assert result == self.alarm  # the first acknowledgement's who/when stay
        else:
            self.saw("ack:zero_means_current" if which == "zero" or asked == 0 else "ack:current")
            assert result.acked_by == by and result.acked_at == self.now
        self.alarm = result
        self.acked = True

    @rule(
        role=st.sampled_from(ROLES),
        reason=st.sampled_from(["", "  ", "sensor cleaning"]),
        length=st.sampled_from([0, -5_000, 1, 30 * MINUTE_MS, MAX_SHELVE_MS, MAX_SHELVE_MS + 1]),
    )
    def shelve(self, role: str, reason: str, length: int) -> None:
        self._shelve(role, reason, length)

    @rule(length=st.sampled_from([0, 0, 1_000, MINUTE_MS, 2 * HOUR_MS, MAX_SHELVE_MS, MAX_SHELVE_MS + 1]))
    def supervisor_shelves(self, length: int) -> None:
        """Well-formed shelves (and one just too long), so shelved states and the limit are reached often."""
        self._shelve("supervisor", "sensor cleaning", length)

    def _shelve(self, role: str, reason: str, length: int) -> None:
        until = 0 if length == 0 else self.now + length
        result = self.alarm.shelve(role, "sue", reason, until, self.now)
        if role != "supervisor":
            self.saw("shelve:forbidden")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.FORBIDDEN
            return
        if not reason.strip():
            self.saw("shelve:reason_required")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.REASON_REQUIRED
            return
        if length == 0 and not self.active:
            self.saw("shelve:one_shot_not_active")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.NOT_ACTIVE
            return
        if length < 0:
            self.saw("shelve:bad_until")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.BAD_UNTIL
            return
        if length > MAX_SHELVE_MS:
            self.saw("shelve:too_long")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.SHELVE_TOO_LONG
            return
        assert isinstance(result, Alarm)
        if self.shelved():
            self.saw("shelve:replaces_shelf")
        self.saw("shelve:one_shot" if length == 0 else "shelve:timed")
        assert result.shelved_by == "sue" and result.shelve_reason == reason.strip()
        self.alarm = result
        self.shelf = ONE_SHOT if length == 0 else until
        self.shelved_at = self.now

    @rule(role=st.sampled_from(("supervisor", *ROLES)))
    def unshelve(self, role: str) -> None:
        result = self.alarm.unshelve(role, self.now)
        if role != "supervisor":
            self.saw("unshelve:forbidden")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.FORBIDDEN
            return
        if not self.shelved():
            self.saw("unshelve:not_shelved")
            assert isinstance(result, Refusal) and result.reason is AlarmRefusal.NOT_SHELVED
            return
        self.saw("unshelve:ends_shelf")
        assert isinstance(result, Alarm)
        self.alarm = result
        self.shelf = 0

    # -- by design --------------------------------------------------------------------------

    @rule(reason=st.sampled_from(["", "station flooded out"]))
    def suppress(self, reason: str) -> None:
        self.alarm = self.alarm.suppress(reason)
        if reason and not self.suppressed:
            self.saw("suppress:on")
        elif not reason and self.suppressed:
            self.saw("suppress:off")
        self.suppressed = reason

    @rule(reason=st.sampled_from(["", "maintenance"]))
    def out_of_service(self, reason: str) -> None:
        self.alarm = self.alarm.set_out_of_service(reason)
        if reason and not self.oos:
            self.saw("out_of_service:on")
        elif not reason and self.oos:
            self.saw("out_of_service:off")
        self.oos = reason

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def flags_match_the_reference(self) -> None:
        a = self.alarm
        assert (a.active, a.acknowledged, a.occurrence) == (self.active, self.acked, self.occurrence)
        assert a.is_shelved(self.now) == self.shelved()
        assert (a.suppressed, a.out_of_service) == (self.suppressed, self.oos)
        assert (a.acked_by == "") == (not self.acked)

    @invariant()
    def occurrence_never_goes_back(self) -> None:
        assert self.alarm.occurrence >= self.max_occurrence_seen
        self.max_occurrence_seen = self.alarm.occurrence

    @invariant()
    def display_follows_precedence(self) -> None:
        d = self.alarm.display(self.now)
        if self.oos:
            assert d is AlarmDisplayState.OUT_OF_SERVICE
        elif self.suppressed:
            assert d is AlarmDisplayState.SUPPRESSED
        elif self.shelved():
            assert d is AlarmDisplayState.SHELVED
        else:
            assert d.value == ("" if self.acked else "un") + "acked_" + (
                "active" if self.active else "cleared"
            )

    @invariant()
    def grey_alarms_are_never_annunciated_but_always_listed(self) -> None:
        a = self.alarm
        if self.shelved() or self.suppressed or self.oos:
            assert not a.annunciated(self.now)
            assert a.listed(self.now)
        else:
            assert a.annunciated(self.now) == (self.active or not self.acked)
            assert a.listed(self.now) == (self.active or not self.acked)

    @invariant()
    def a_timed_shelf_never_exceeds_the_maximum(self) -> None:
        if self.alarm.shelved_until > 0:
            assert self.alarm.shelved_until - self.shelved_at <= MAX_SHELVE_MS

    @invariant()
    def the_wire_fields_round_trip(self) -> None:
        fields = self.alarm.wire_fields()
        assert fields["occurrence"] == self.alarm.occurrence
        assert fields["shelved_until"] == self.alarm.shelved_until


def test_the_state_machine_takes_every_transition_and_keeps_its_invariants() -> None:
    SEEN.clear()
    run_state_machine_as_test(
        AlarmMachine,
        settings=settings(
            max_examples=500,
            stateful_step_count=40,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert sorted(TRANSITIONS - SEEN) == []


def test_every_display_state_of_the_model_is_one_the_widgets_draw() -> None:
    from widgets.values import AlarmDisplay

    assert {d.value for d in AlarmDisplayState} == {d.value for d in AlarmDisplay}


def test_a_timed_shelf_ends_by_itself_at_its_time_even_before_the_backend_says_so() -> None:
    a = Alarm().shelve("supervisor", "sue", "cleaning", 5_000, 1_000)
    assert isinstance(a, Alarm)
    assert a.display(4_999) is AlarmDisplayState.SHELVED
    assert a.display(5_000) is AlarmDisplayState.UNACKED_ACTIVE
    assert a.expire(4_999) is a and a.expire(5_000).shelved_until == 0


def test_refusals_say_what_is_allowed() -> None:
    a = Alarm(occurrence=4)
    refused = a.acknowledge(2, "ann", 0)
    assert refused == Refusal(
        AlarmRefusal.REFIRED,
        "occurrence 2 was acknowledged, but the alarm has fired again since: occurrence 4 is current",
    )
    too_long = a.shelve("supervisor", "sue", "x", 9 * HOUR_MS + 1, 0)
    assert isinstance(too_long, Refusal) and "at most 8 h 00 min" in too_long.detail
    assert "9 h 00 min" in too_long.detail
    assert isinstance(a.shelve("supervisor", "sue", "x", 2 * HOUR_MS, 0, max_ms=HOUR_MS), Refusal)


def test_config_needs_hysteresis() -> None:
    import pytest

    with pytest.raises(ValueError, match="flood_end_below"):
        AlarmConfig(flood_raise_above=4, flood_end_below=5)
    with pytest.raises(ValueError, match="stale_after_ms"):
        AlarmConfig(stale_after_ms=0)


# --------------------------------------------------------------------------------------------------
# The board


def rec(
    eid: str,
    time_ms: int,
    *,
    source: str = "",
    type: str = "waterlogging",
    district: str = "jiangbei",
    theme: str = "flood",
    state: EventState = EventState.NEW,
    active: bool = True,
    occurrence: int = 1,
    severity: Severity = Severity.ORANGE,
    **flags: object,
) -> EventRecord:
    return EventRecord(
        id=eid,
        type=type,
        severity=severity,
        time_ms=time_ms,
        lon=0.0,
        lat=0.0,
        district=district,
        state=state,
        title="",
        theme=theme,
        source=source,
        recommended=(),
        seq=1,
        active=active,
        occurrence=occurrence,
        **flags,  # type: ignore[arg-type]
    )


def test_rows_list_grey_alarms_and_drop_cleared_acknowledged_and_closed_ones() -> None:
    now = 10 * HOUR_MS
    events = {
        "a": rec("a", now - 1, severity=Severity.BLUE),
        "b": rec("b", now - 2, severity=Severity.RED),
        "c": rec("c", now - 3, state=EventState.ACKNOWLEDGED),
        "d": rec("d", now - 4, active=False),
        "e": rec("e", now - 5, active=False, state=EventState.RESOLVED),  # cleared + acked: leaves
        "f": rec("f", now - 6, shelved_until=ONE_SHOT, shelved_by="sue", shelve_reason="cleaning"),
        "g": rec("g", now - 7, suppressed="station flooded out"),
        "h": rec("h", now - 8, out_of_service="maintenance", active=False, state=EventState.RESOLVED),
        "i": rec("i", now - 9, state=EventState.CLOSED),
        "j": rec("j", now - 10, shelved_until=now - 1),  # the shelf has ended: shown again
        "k": rec("k", now - 11, state=EventState.RESOLVED),  # resolved: nothing left to do
    }
    board = AlarmBoard(events)
    rows = board.rows(now)
    assert [(v.record.id, v.display.value) for v in rows] == [
        ("b", "unacked_active"),
        ("j", "unacked_active"),
        ("a", "unacked_active"),
        ("d", "unacked_cleared"),
        ("c", "acked_active"),
        ("f", "shelved"),
        ("g", "suppressed"),
        ("h", "out_of_service"),
    ]
    counts = board.counts(now)
    assert counts[AlarmDisplayState.SUPPRESSED] == 1 and counts[AlarmDisplayState.OUT_OF_SERVICE] == 1
    assert sum(counts.values()) == 8  # grey ones are counted too
    assert display_state(events["g"], now) is AlarmDisplayState.SUPPRESSED


def test_rows_are_kept_until_an_event_changes_or_a_shelf_ends() -> None:
    t0 = 7 * HOUR_MS
    events = {
        "a": rec("a", t0, shelved_until=t0 + 1000, shelved_by="sue", shelve_reason="x"),
        "b": rec("b", t0),
    }
    board = AlarmBoard(events)
    first = board.rows(t0)
    assert [v.display.value for v in first] == ["unacked_active", "shelved"]
    assert board.rows(t0 + 999) is first  # nothing changed: the same sorted list
    assert [v.display.value for v in board.rows(t0 + 1000)] == ["unacked_active", "unacked_active"]
    events["b"] = rec("b", t0, state=EventState.ACKNOWLEDGED, active=False)  # cleared + acked: leaves
    events["c"] = rec("c", t0, state=EventState.CLOSED)
    board.update(["b", "c"], t0 + 1001)
    assert [v.record.id for v in board.rows(t0 + 1001)] == ["a"]


def test_each_occurrence_counts_once_and_only_when_annunciated() -> None:
    t0 = 5 * HOUR_MS
    events: dict[str, EventRecord] = {"a": rec("a", t0, source="s1")}
    board = AlarmBoard(events)
    board.update(["a"], t0)
    board.update(["a"], t0 + 1)  # the same occurrence again (a snapshot re-sends it)
    assert len(board.annunciations()) == 1
    events["a"] = rec("a", t0 + 1000, source="s1", occurrence=2)
    board.update(["a"], t0 + 1000)
    assert [(a.event_id, a.occurrence) for a in board.annunciations()] == [("a", 1), ("a", 2)]
    # Fired while shelved: not annunciated, not counted; counted once the shelf is off.
    events["a"] = rec("a", t0 + 2000, source="s1", occurrence=3, shelved_until=t0 + 9000)
    board.update(["a"], t0 + 2000)
    assert len(board.annunciations()) == 2
    events["a"] = replace(events["a"], shelved_until=0)
    board.update(["a"], t0 + 9000)
    assert len(board.annunciations()) == 3
    # Suppressed or out of service: listed, not annunciated.
    events["b"] = rec("b", t0 + 9500, suppressed="by design")
    events["c"] = rec("c", t0 + 9500, out_of_service="maintenance")
    board.update(["b", "c", "nope"], t0 + 9500)
    assert len(board.annunciations()) == 3
    assert {v.record.id for v in board.rows(t0 + 9500)} == {"a", "b", "c"}


def test_an_event_the_situation_forgot_is_no_longer_counted_as_seen() -> None:
    t0 = 5 * HOUR_MS
    events: dict[str, EventRecord] = {"a": rec("a", t0, source="s1")}
    board = AlarmBoard(events)
    board.update(["a"], t0)
    assert board._counted == {"a": 1}
    del events["a"]  # closed long ago and forgotten (Situation's MAX_CLOSED_EVENTS)
    board.update(["a"], t0 + 1000)
    assert board._counted == {} and len(board.annunciations()) == 1  # the KPI history keeps its day


def times_to_events(times: list[int], **kw: object) -> dict[str, EventRecord]:
    return {f"e{i}": rec(f"e{i}", t, **kw) for i, t in enumerate(times)}  # type: ignore[arg-type]


def test_flood_raises_above_ten_in_ten_minutes_and_ends_below_five() -> None:
    t0 = 100 * MINUTE_MS
    events: dict[str, EventRecord] = {}
    board = AlarmBoard(events)
    board.update([], t0)

    def alarm_at(t: int, **kw: object) -> None:
        eid = f"e{len(events)}"
        events[eid] = rec(eid, t, **kw)  # type: ignore[arg-type]
        board.update([eid], t)

    for k in range(10):  # ten in ten minutes: no flood yet
        alarm_at(t0 + k * MINUTE_MS // 2, district="jiangbei", type="waterlogging")
    assert not board.flood().flooding and board.flood().count == 10
    alarm_at(t0 + 5 * MINUTE_MS, district="yuzhong", type="rainstorm")  # the eleventh
    flood = board.flood()
    assert flood.flooding and flood.count == 11 and flood.since_ms == t0 + 5 * MINUTE_MS
    assert flood.groups == (FloodGroup("waterlogging", "jiangbei", 10), FloodGroup("rainstorm", "yuzhong", 1))
    # Alarms at t0 + 0, 0.5, …, 4.5 min and 5 min; each leaves the window 10 min after it came.
    board.update([], t0 + 12 * MINUTE_MS + MINUTE_MS // 2)  # window holds 3.0 … 5.0: five
    assert board.flood().flooding and board.flood().count == 5
    board.update([], t0 + 13 * MINUTE_MS)  # 3.0 left at exactly t0 + 13 min: four
    assert not board.flood().flooding and board.flood().count == 4
    # Time in flood: from 5 min to 13 min of the 13 observed minutes.
    assert board.kpis().time_in_flood_pct == 100.0 * 8 / 13


def test_flood_hysteresis_between_five_and_ten_keeps_the_state() -> None:
    cfg = AlarmConfig()
    f = FloodDetector(cfg, 0)

    def ann(t: int) -> Annunciation:
        return Annunciation(t, f"e{t}", 1, "s", "x", "d", "t")

    for t in range(10):
        f.add(ann(t * 1000))
    f.advance(11 * MINUTE_MS)  # all aged out without a flood: still none
    assert not f.flooding and f.count == 0
    for t in range(11):
        f.add(ann(11 * MINUTE_MS + t * 1000))
    assert f.flooding
    f.advance(11 * MINUTE_MS + 10 * MINUTE_MS + 5_000)  # 0..5 s aged out: 5 left (not < 5)
    assert f.flooding and f.count == 5
    for t in range(5):  # back up to 10: nothing changes
        f.add(ann(21 * MINUTE_MS + 5_500 + t))
    assert f.flooding and f.count == 10
    f.advance(21 * MINUTE_MS + 10_000)  # 6..10 s aged out: 5 left
    assert f.flooding and f.count == 5
    f.advance(31 * MINUTE_MS + 6_000)  # the five new ones age out at 31 min 5.5 s
    assert not f.flooding and f.intervals == [(11 * MINUTE_MS + 10_000, 31 * MINUTE_MS + 5_500)]


def reference_flood(times: list[int], w: int, hi: int, lo: int, end: int) -> list[tuple[int, int]]:
    """Flood intervals by brute force: the window's count at every millisecond."""
    flooding, since, out, window = False, 0, [], []
    arrivals: dict[int, int] = {}
    for t in times:
        arrivals[t] = arrivals.get(t, 0) + 1
    for now in range(end + 1):
        window = [a for a in window if a + w > now]
        if flooding and len(window) < lo:
            flooding = False
            out.append((since, now))
        for _ in range(arrivals.get(now, 0)):
            window.append(now)
            if not flooding and len(window) > hi:
                flooding, since = True, now
    if flooding:
        out.append((since, end))
    return out


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.integers(0, 600), max_size=90))
def test_flood_intervals_match_a_brute_force_count(times: list[int]) -> None:
    times.sort()
    cfg = AlarmConfig(flood_window_ms=100, flood_raise_above=10, flood_end_below=5)
    f = FloodDetector(cfg, 0)
    for i, t in enumerate(times):
        f.add(Annunciation(t, f"e{i}", 1, "s", "x", "d", "t"))
    f.advance(800)
    got = [*f.intervals, *([(f.since_ms, 800)] if f.flooding else [])]
    assert got == reference_flood(times, 100, 10, 5, 800)
    assert f.flood_ms_between(0, 800) == sum(e - s for s, e in got)


def test_floods_are_per_console() -> None:
    t0 = HOUR_MS
    events = times_to_events([t0 + k * 1000 for k in range(11)], district="jiangbei", theme="flood")
    board = AlarmBoard(
        events,
        consoles=[
            ConsoleScope("flood desk", themes=frozenset({"flood"})),
            ConsoleScope("traffic desk", themes=frozenset({"traffic"})),
            ConsoleScope("district centre", levels=frozenset({"district", "city"})),
        ],
    )
    board.update(events, t0 + 11_000)
    assert board.flood("flood desk").flooding
    assert not board.flood("traffic desk").flooding and board.flood("traffic desk").count == 0
    assert board.rows(t0, "traffic desk") == []
    # The street centres' events do not flood the district centre; one held at district level counts.
    assert board.flood("district centre").count == 0 and board.rows(t0, "district centre") == []
    events["up"] = replace(rec("up", t0 + 12_000), level="district")
    board.update(["up"], t0 + 12_000)
    assert board.flood("district centre").count == 1
    assert [v.record.id for v in board.rows(t0 + 12_000, "district centre")] == ["up"]
    assert board.flood("flood desk").count == 12
    import pytest

    with pytest.raises(KeyError, match="no console 'x'"):
        board.flood("x")
    with pytest.raises(ValueError, match="unique"):
        AlarmBoard(events, consoles=[ConsoleScope("a"), ConsoleScope("a")])


def test_kpis_by_hand() -> None:
    now = 3 * DAY_MS
    m = MINUTE_MS
    events = {
        # Pump 4 chatters: 3 activations within 60 s (t-50 min, +20 s, +60 s).
        "p4": rec("p4", now - 50 * m + 60_000, source="pump-4", occurrence=3),
        "g7": rec("g7", now - 5 * m, source="gauge-7", state=EventState.ACKNOWLEDGED),
        "g8": rec("g8", now - 2 * HOUR_MS, source="gauge-8"),
        "old": rec("old", now - DAY_MS - 1, source="gauge-9"),  # unacked, active > 24 h: stale
        "acked-old": rec("acked-old", now - 2 * DAY_MS, source="gauge-10", state=EventState.ACKNOWLEDGED),
        "cleared-old": rec("cleared-old", now - 2 * DAY_MS, source="gauge-11", active=False),
        # Three citizens report noise within 20 s: one bad actor, but three reports, not chattering.
        **{
            f"n{i}": rec(f"n{i}", now - 30 * m + i * 10_000, type="noise_complaint", district="yuzhong")
            for i in range(3)
        },
    }
    board = AlarmBoard(events)
    board.update([], now - DAY_MS + 1)  # the board starts; older annunciations are history
    # Pump 4's three occurrences, as they came in (each a separate update of the same event).
    for occ, dt in ((1, 0), (2, 20_000), (3, 60_000)):
        events["p4"] = rec("p4", now - 50 * m + dt, source="pump-4", occurrence=occ)
        board.update(["p4"], now - 50 * m + dt)
    board.update(["g7", "g8", "old", "acked-old", "cleared-old", "n0", "n1", "n2"], now)
    k = board.kpis()
    assert k.rate_10min == 1  # g7
    assert k.rate_hour == 7  # pump-4 ×3, g7, the three reports
    assert k.bad_actors[:2] == (("noise_complaint@yuzhong", 3), ("pump-4", 3))
    assert set(k.bad_actors[2:]) == {("gauge-7", 1), ("gauge-8", 1)}  # the others fired > 24 h ago
    assert k.chattering == (("pump-4", 3),)
    assert k.stale == ("old",)
    assert k.time_in_flood_pct == 0.0


def test_time_in_flood_is_clipped_to_the_kpi_window() -> None:
    cfg = AlarmConfig(kpi_window_ms=HOUR_MS)
    events = times_to_events([k * 1000 for k in range(11)])
    board = AlarmBoard(events, config=cfg)
    board.update([], 0)
    board.update(events, 10_000)  # flood from 10 s until the sixth-newest ages out at 10 min + 6 s
    board.update([], 2 * HOUR_MS)
    assert board.kpis().time_in_flood_pct == 0.0  # the flood ended more than an hour ago
    board2 = AlarmBoard(times_to_events([k * 1000 for k in range(11)]), config=cfg)
    board2.update([], 0)
    board2.update(board2.events, 10_000)
    board2.update([], HOUR_MS)
    assert board2.kpis().time_in_flood_pct == 100.0 * (10 * MINUTE_MS + 6_000 - 10_000) / HOUR_MS
