"""The command book: one record and one status per command; only the backend's word makes it final."""

from __future__ import annotations

from cockpit.protocol.commands import CommandStatus, CommandUpdate
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.messages import Command, CommandAck, CommandKind
from tests.present.support import Feed, context
from widgets.values import Tone


def test_a_command_is_recorded_once_made_and_a_second_of_its_kind_waits() -> None:
    ctx = context()
    first = ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="u1")
    assert first is not None and ctx.book.records[first.id].status is CommandStatus.QUEUED
    assert ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="u2") is None
    assert ctx.book.why_not(CommandKind.DISPATCH, "e1") == "waiting for the answer to the last one"
    assert ctx.book.make(CommandKind.DISPATCH, "e2", unit_id="u2") is not None, (
        "another event is another target"
    )


def test_roles_and_modes_say_why_not() -> None:
    viewer = context(role="viewer").book
    assert viewer.make(CommandKind.ACKNOWLEDGE, "e1") is None
    assert viewer.why_not(CommandKind.ACKNOWLEDGE).startswith("Your role (viewer) may not acknowledge alarms")
    replay = context(blocked="replay: nothing is sent").book
    assert replay.why_not(CommandKind.DISPATCH, "e1") == "replay: nothing is sent"
    assert not replay.may_command()
    officer = context().book
    assert "supervisor" in officer.why_not(CommandKind.SHELVE)


def test_unanswered_is_not_a_failure_and_the_stream_decides(feed_: None = None) -> None:
    """Issue 14 case 3: no local give-up: unanswered reads as unknown, locks a repeat, and the dispatch
    stream's word (the unit on scene) replaces it."""
    feed = Feed()
    ctx = context()
    feed.apply(feed.unit("fe-1"), feed.event("e1", severity=1, recommended=("fe-1",)))
    command = ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="fe-1")
    assert command is not None
    ctx.book.apply([CommandUpdate(command, CommandStatus.UNANSWERED, 3)])
    rec = ctx.book.records[command.id]
    line = ctx.book.line(feed.situation, rec)
    assert line.tone is Tone.UNKNOWN and line.pending and line.can_stop
    assert "still sending" in line.text and "do not repeat" in line.text
    assert ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="fe-1") is None, "no second engine"
    feed.apply(feed.dispatch(command.id, "e1", "fe-1", "on_scene"))
    line = ctx.book.line(feed.situation, rec)
    assert (line.text, line.tone) == ("On scene", Tone.PENDING)
    assert line.can_cancel


def test_a_late_ack_settles_a_command_the_officer_stopped_sending() -> None:
    ctx = context()
    command = ctx.book.make(CommandKind.ACKNOWLEDGE, "e1")
    assert command is not None
    ctx.book.apply([CommandUpdate(command, CommandStatus.ABANDONED, 3)])
    assert ctx.book.records[command.id].status is CommandStatus.ABANDONED
    ctx.book.apply([CommandAcked(CommandAck(id=command.id, result="accepted"))])
    assert ctx.book.records[command.id].status is CommandStatus.ACCEPTED
    ctx.book.apply([CommandUpdate(command, CommandStatus.EXPIRED, 3)])
    assert ctx.book.records[command.id].status is CommandStatus.ACCEPTED, "the backend's word stands"


def test_refusals_read_in_words_never_as_a_bare_code() -> None:
    """Issue 14 case 9: "rejected: plan_open"."""
    feed = Feed()
    ctx = context()
    command = ctx.book.make(CommandKind.ACTIVATE_PLAN, "e1", ref="water_main_burst_small")
    assert command is not None
    ctx.book.apply([CommandUpdate(command, CommandStatus.REJECTED, 1, "plan_open")])
    rows = ctx.book.board_rows(feed.situation)
    assert rows[0].state == "rejected: this plan already runs for the event"
    assert rows[0].event == "an event no longer shown", "never an event id"
    assert "water_main_burst_small" not in rows[0].target
    ctx.book.plan_title = lambda plan_type, fallback: {
        "water_main_burst_small": "Water-main burst, main under 500 mm"
    }[plan_type]
    assert ctx.book.board_rows(feed.situation)[0].target == "Water-main burst, main under 500 mm"
    other = ctx.book.make(CommandKind.ACKNOWLEDGE, "e9")
    assert other is not None
    ctx.book.apply([CommandUpdate(other, CommandStatus.REJECTED, 1, "some_new_code")])
    assert (
        ctx.book.board_rows(feed.situation)[0].state
        == "rejected: refused by the backend (code some_new_code)"
    )


def test_a_command_restored_from_disk_is_on_the_board_as_queued() -> None:
    feed = Feed()
    ctx = context()
    restored = Command(id="old", kind=CommandKind.DISPATCH, event_id="e1", unit_id="u1")
    assert ctx.book.apply([CommandUpdate(restored, CommandStatus.QUEUED, 0)])
    rows = ctx.book.board_rows(feed.situation)
    assert [r.id for r in rows] == ["old"] and rows[0].state.startswith("queued, not sent")


def test_held_then_discarded_reads_in_words() -> None:
    feed = Feed()
    ctx = context()
    c = ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="u1")
    assert c is not None
    ctx.book.apply([CommandUpdate(c, CommandStatus.HELD, 0)])
    line = ctx.book.line(feed.situation, ctx.book.records[c.id])
    assert line.tone is Tone.HELD and "send anyway or discard" in line.text
    assert ctx.book.pending(CommandKind.DISPATCH, "e1"), "a held command is still pending"
    ctx.book.apply([CommandUpdate(c, CommandStatus.DISCARDED, 0)])
    line = ctx.book.line(feed.situation, ctx.book.records[c.id])
    assert line.tone is Tone.ENDED and line.text == "discarded, not sent"
    assert not ctx.book.pending(CommandKind.DISPATCH, "e1")


def test_a_cancel_on_its_way_is_never_offered_twice_and_rows_are_newest_first() -> None:
    feed = Feed()
    ctx = context()
    feed.apply(feed.event("e1"), feed.unit("u1"))
    good = ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="u1")
    assert good is not None
    feed.apply(feed.dispatch(good.id, "e1", "u1", "en_route"))
    rows = {r.id: r for r in ctx.book.board_rows(feed.situation)}
    assert rows[good.id].state == "En route" and rows[good.id].can_cancel
    cancel = ctx.book.make(CommandKind.CANCEL, "e1", ref=good.id)
    assert cancel is not None and cancel.critical
    rows = {r.id: r for r in ctx.book.board_rows(feed.situation)}
    assert not rows[good.id].can_cancel
    assert ctx.book.board_rows(feed.situation)[0].id == cancel.id


def test_an_accepted_dispatch_stays_on_its_way_until_the_stream_shows_its_unit() -> None:
    """Between the ack and the first dispatch message the unit still reads as available: a click then
    would send it twice."""
    feed = Feed()
    ctx = context(situation=feed.situation)
    feed.apply(feed.unit("u1"), feed.event("e1", recommended=("u1",)))
    c = ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="u1")
    assert c is not None
    ctx.book.apply([CommandUpdate(c, CommandStatus.ACCEPTED, 1)])
    assert ctx.book.pending(CommandKind.DISPATCH, "e1")
    feed.apply(feed.dispatch(c.id, "e1", "u1", "accepted"))
    assert not ctx.book.pending(CommandKind.DISPATCH, "e1")


def test_a_backend_that_lost_its_state_reuses_ids_and_old_commands_and_times_stay_with_the_old_events() -> (
    None
):
    """A seeded backend restarted without its state hands out the same event ids again: the new
    'E1' must not show the old E1's dispatch ("accepted"), block its Send button, or read its SLA
    steps as done (officer review: a brand-new accident showed a dispatch and 'done in time')."""
    from cockpit.model.sla import DEFAULT_TARGETS, Phase, SlaState, sla_timers
    from cockpit.protocol.events import SnapshotReceived

    feed = Feed()
    s = feed.situation
    s.apply([SnapshotReceived("dispatch", "A", 1, (feed.unit("dc-1"),))])
    s.apply([SnapshotReceived("events", "A", 1, (feed.event("e1", severity=1, recommended=("dc-1",)),))])
    ctx = context(situation=s)
    book = ctx.book
    sent = book.make(CommandKind.DISPATCH, "e1", unit_id="dc-1")
    assert sent is not None
    assert book.why_not(CommandKind.DISPATCH, "e1") != "", "one dispatch at a time"
    feed.apply(feed.event("e1", severity=1, state="dispatched", recommended=("dc-1",)))
    feed.apply(feed.dispatch(sent.id, "e1", "dc-1", "on_scene"))
    steps = {t.phase: t.state for t in sla_timers(s.events, s.timeline, DEFAULT_TARGETS, 10**13)}
    assert steps[Phase.ON_SCENE] is SlaState.MET or steps[Phase.ON_SCENE] is SlaState.MET_LATE

    # The backend comes back in epoch B, without its state: a new event with the same id.
    s.apply([SnapshotReceived("dispatch", "B", 1, (feed.unit("dc-1"),))])
    s.apply([SnapshotReceived("events", "B", 1, (feed.event("e1", severity=1, recommended=("dc-1",)),))])
    assert book.latest("e1", CommandKind.DISPATCH) is None, "the old dispatch was for another event"
    assert book.why_not(CommandKind.DISPATCH, "e1") == "", "Send is free for the new event"
    timers = sla_timers(s.events, s.timeline, DEFAULT_TARGETS, 10**13)
    assert [t.phase for t in timers] == [Phase.ACKNOWLEDGE], "only the new alarm's first step has started"


def test_a_dispatch_accepted_before_the_backend_lost_its_state_is_not_shown_running() -> None:
    """Officer walk: after the backend restarted without its state the board still read the old
    dispatch "accepted" and "1 running", as if the new backend tracked it. What became of it is
    unknown now (the unit may well be on its way): it says so, in amber, and is not counted running."""
    from cockpit.protocol.events import SnapshotReceived

    feed = Feed()
    s = feed.situation
    s.apply([SnapshotReceived("dispatch", "A", 1, (feed.unit("u1"),))])
    s.apply([SnapshotReceived("events", "A", 1, (feed.event("e1", recommended=("u1",)),))])
    ctx = context(situation=s)
    c = ctx.book.make(CommandKind.DISPATCH, "e1", unit_id="u1")
    assert c is not None
    ctx.book.apply([CommandUpdate(c, CommandStatus.ACCEPTED, 1)])
    (row,) = ctx.book.board_rows(s)
    assert row.tone is Tone.PENDING and row.state == "accepted"
    s.apply([SnapshotReceived("dispatch", "B", 1, (feed.unit("u1"),))])
    s.apply([SnapshotReceived("events", "B", 1, ())])
    (row,) = ctx.book.board_rows(s)
    assert row.tone is Tone.UNKNOWN, row
    assert row.state == "accepted before the backend restarted without its state: progress unknown"
