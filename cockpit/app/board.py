"""Every command in words: the dispatch board's rows and the dispatch panel's state line.

A command's life is read from two places: the feed's delivery progress and the backend's answer
(kept by :class:`~cockpit.app.commands.CommandTracker`), then, for a dispatch, the unit's progress on
the dispatch stream (kept by the model). This module turns both into one line of text and a level,
so the board and the panel always say the same thing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from cockpit.app.commands import CommandTracker, Phase, Tracked
from cockpit.app.names import district_name, event_type_name, unit_label
from cockpit.model import Situation
from cockpit.protocol.messages import CommandKind, DispatchState
from widgets.dispatch_board import BoardLevel, BoardRow

BOARD_ROWS = 200
"""The board shows this many newest commands; older ones stay in the audit log."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Board", text)


def kind_text(kind: str) -> str:
    names: dict[str, str] = {
        CommandKind.DISPATCH: tr("Dispatch"),
        CommandKind.CANCEL: tr("Cancel"),
        CommandKind.ACKNOWLEDGE: tr("Acknowledge"),
        CommandKind.CLOSE: tr("Close event"),
        CommandKind.SHELVE: tr("Shelve"),
        CommandKind.UNSHELVE: tr("Unshelve"),
        CommandKind.ESCALATE: tr("Escalate"),
        CommandKind.HAND_DOWN: tr("Hand down"),
        CommandKind.ACTIVATE_PLAN: tr("Activate plan"),
        CommandKind.APPROVE_PLAN: tr("Approve plan"),
        CommandKind.CLOSE_PLAN: tr("Close plan"),
    }
    return names.get(kind, kind)


def action_text(kind: str) -> str:
    """What a command kind does, as a refusal names it ("may not …")."""
    names: dict[str, str] = {
        CommandKind.DISPATCH: tr("dispatch units"),
        CommandKind.CANCEL: tr("call off units"),
        CommandKind.ACKNOWLEDGE: tr("acknowledge alarms"),
        CommandKind.CLOSE: tr("close events"),
        CommandKind.SHELVE: tr("shelve alarms"),
        CommandKind.UNSHELVE: tr("unshelve alarms"),
        CommandKind.ESCALATE: tr("escalate events"),
        CommandKind.HAND_DOWN: tr("hand events down"),
        CommandKind.ACTIVATE_PLAN: tr("activate plans"),
        CommandKind.APPROVE_PLAN: tr("approve plans"),
        CommandKind.CLOSE_PLAN: tr("close plans"),
    }
    return names.get(kind, kind)


def dispatch_state_text(state: DispatchState) -> str:
    return {
        DispatchState.ACCEPTED: tr("Accepted"),
        DispatchState.DISPATCHED: tr("Dispatched"),
        DispatchState.ACKNOWLEDGED: tr("Unit acknowledged"),
        DispatchState.EN_ROUTE: tr("En route"),
        DispatchState.ON_SCENE: tr("On scene"),
        DispatchState.COMPLETED: tr("Completed"),
        DispatchState.FAILED: tr("Failed"),
        DispatchState.CANCELLED: tr("Cancelled"),
    }[state]


def reject_reason_text(code: str) -> str:
    """The backend's reason code in words (docs/protocol.md §7.2); unknown codes as they came."""
    return {
        "forbidden": tr("your role may not do this"),
        "unknown_event": tr("the event no longer exists"),
        "event_closed": tr("the event is closed"),
        "unknown_unit": tr("the unit is unknown"),
        "unit_busy": tr("the unit is busy"),
        "dispatch_open": tr("a dispatch is still open"),
        "stale_epoch": tr("the backend restarted"),
        "unknown_command": tr("nothing to cancel: the dispatch has ended"),
        "refired": tr("the alarm fired again since; look at it again"),
        "reason_required": tr("a reason is required"),
        "shelve_too_long": tr("longer than the longest shelf allowed"),
        "mandatory_open": tr("mandatory tasks are still open"),
        "same_person": tr("a second person must approve"),
        "top_level": tr("already at the city centre"),
        "bottom_level": tr("already at street level"),
    }.get(code, code)


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A command's state in one line, and what can be done about it."""

    text: str
    level: BoardLevel
    can_cancel: bool = False


def describe(situation: Situation, t: Tracked) -> CommandLine:
    """Where command ``t`` is now, in words."""
    if t.phase is Phase.QUEUED:
        return CommandLine(tr("queued, not sent: link down; sends when it is back"), BoardLevel.PENDING)
    if t.phase is Phase.HELD:
        return CommandLine(
            tr("held: waited too long offline; send anyway or discard"), BoardLevel.HELD
        )
    if t.phase is Phase.SENT:
        return CommandLine(tr("sent, waiting for answer (try {n})").format(n=t.tries), BoardLevel.PENDING)
    if t.phase is Phase.NO_RESPONSE:
        return CommandLine(tr("no response after {n} tries").format(n=t.tries), BoardLevel.FAILED)
    if t.phase is Phase.EXPIRED:
        return CommandLine(
            tr("not sent: the backend restarted; check the event again"), BoardLevel.FAILED
        )
    if t.phase is Phase.DISCARDED:
        return CommandLine(tr("discarded, not sent"), BoardLevel.ENDED)
    if t.phase is Phase.REJECTED:
        return CommandLine(
            tr("rejected: {reason}").format(reason=reject_reason_text(t.reason)), BoardLevel.FAILED
        )
    if t.command.kind != CommandKind.DISPATCH:
        return CommandLine(tr("accepted"), BoardLevel.DONE)
    record = situation.dispatches.get(t.command.id)
    state = record.state if record is not None else DispatchState.ACCEPTED
    text = dispatch_state_text(state)
    if record is not None and record.reason:
        text = f"{text}: {record.reason}"
    if state is DispatchState.COMPLETED:
        return CommandLine(text, BoardLevel.DONE)
    if state is DispatchState.FAILED:
        return CommandLine(text, BoardLevel.FAILED)
    if state is DispatchState.CANCELLED:
        return CommandLine(text, BoardLevel.ENDED)
    return CommandLine(text, BoardLevel.PENDING, can_cancel=True)


def _event_text(situation: Situation, event_id: str) -> str:
    ev = situation.events.get(event_id)
    if ev is None:
        return event_id
    return f"{event_type_name(ev.type, ev.title)} · {district_name(ev.district)}"


def _target_text(situation: Situation, t: Tracked) -> str:
    c = t.command
    if c.unit_id:
        unit = situation.units.get(c.unit_id)
        return unit_label(unit) if unit is not None else c.unit_id
    if c.kind == CommandKind.CANCEL:
        ref = situation.dispatches.get(c.ref)
        unit = situation.units.get(ref.unit_id) if ref is not None else None
        return unit_label(unit) if unit is not None else c.ref
    return c.ref


def board_rows(tracker: CommandTracker, situation: Situation) -> list[BoardRow]:
    """The newest :data:`BOARD_ROWS` commands, newest first."""
    rows = []
    for t in list(tracker.commands.values())[-BOARD_ROWS:][::-1]:
        line = describe(situation, t)
        rows.append(
            BoardRow(
                id=t.command.id,
                time_text=time.strftime("%H:%M:%S", time.localtime(t.issued_at)),
                action=kind_text(t.command.kind),
                event=_event_text(situation, t.command.event_id),
                target=_target_text(situation, t),
                state=line.text,
                level=line.level,
                can_cancel=line.can_cancel and not tracker.cancel_pending(t.command.id),
            )
        )
    return rows
