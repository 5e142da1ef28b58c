"""Command states in words on the dispatch board: restored, held, discarded, rejected, the unit's progress."""

from __future__ import annotations

from cockpit.app.board import board_rows, describe
from cockpit.app.commands import CommandTracker, Phase
from cockpit.feed import CommandProgress, CommandState
from cockpit.model import Situation
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.messages import Command, CommandAck, CommandKind
from tests.app.test_panels import Feed
from widgets.dispatch_board import BoardLevel


def cmd(cid: str, kind: str = CommandKind.DISPATCH, unit: str = "u1") -> Command:
    return Command(id=cid, kind=kind, event_id="e1", unit_id=unit)


def test_a_command_restored_from_disk_is_tracked_as_queued() -> None:
    tracker = CommandTracker()
    assert tracker.apply([CommandProgress(cmd("old"), CommandState.QUEUED, 0)])
    assert tracker.commands["old"].phase is Phase.QUEUED
    rows = board_rows(tracker, Situation())
    assert [r.id for r in rows] == ["old"] and rows[0].state.startswith("queued, not sent")


def test_held_then_discarded_reads_in_words() -> None:
    tracker = CommandTracker()
    tracker.submitted(cmd("c1"))
    tracker.apply([CommandProgress(cmd("c1"), CommandState.HELD, 0)])
    line = describe(Situation(), tracker.commands["c1"])
    assert line.level is BoardLevel.HELD and "send anyway or discard" in line.text
    assert tracker.pending_for_event("e1", CommandKind.DISPATCH), "a held command is still pending"
    tracker.apply([CommandProgress(cmd("c1"), CommandState.DISCARDED, 0)])
    line = describe(Situation(), tracker.commands["c1"])
    assert line.level is BoardLevel.ENDED and line.text == "discarded, not sent"
    assert not tracker.pending_for_event("e1", CommandKind.DISPATCH)


def test_rejected_shows_the_reason_and_progress_shows_the_unit_state() -> None:
    tracker = CommandTracker()
    feed = Feed()
    tracker.submitted(cmd("bad"))
    tracker.submitted(cmd("good"))
    tracker.apply(
        [
            CommandAcked(CommandAck(id="bad", result="rejected", reason="unit_busy")),
            CommandAcked(CommandAck(id="good", result="accepted")),
        ]
    )
    feed.apply(feed.event("e1"), feed.unit("u1"), feed.dispatch("good", "e1", "u1", "en_route"))
    rows = {r.id: r for r in board_rows(tracker, feed.situation)}
    assert rows["bad"].state == "rejected: the unit is busy" and rows["bad"].level is BoardLevel.FAILED
    assert rows["good"].state == "En route" and rows["good"].can_cancel
    tracker.submitted(Command(id="x", kind=CommandKind.CANCEL, event_id="e1", ref="good"))
    rows = {r.id: r for r in board_rows(tracker, feed.situation)}
    assert not rows["good"].can_cancel, "a cancel on its way is never sent twice"
    assert board_rows(tracker, feed.situation)[0].id == "x", "newest first"
