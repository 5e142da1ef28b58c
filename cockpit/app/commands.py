"""Tracks each command from the click to its answer and on through the dispatch stream.

Plain Python, no Qt: fed with feed events and read by the presenter once per frame.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from cockpit.feed import CommandProgress, CommandState
from cockpit.model import Situation
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.messages import AckResult, Command, CommandKind, DispatchState

CRITICAL_KINDS = frozenset(
    {CommandKind.ACTIVATE_PLAN, CommandKind.CLOSE_PLAN, CommandKind.CANCEL, CommandKind.HAND_DOWN}
)
"""Commands with wide or hard-to-undo effects: the UI asks for one confirmation click, and the
command carries ``critical`` so the backend and the audit log know it was confirmed."""


class Phase(enum.Enum):
    """What the operator sees on the button and the board."""

    QUEUED = "queued"
    HELD = "held"
    """Queued so long offline that the officer must confirm it before it is sent."""
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NO_RESPONSE = "no_response"
    EXPIRED = "expired"
    DISCARDED = "discarded"
    """Held, and the officer chose not to send it."""

    @property
    def pending(self) -> bool:
        return self in (Phase.QUEUED, Phase.HELD, Phase.SENT)


@dataclass(slots=True)
class Tracked:
    command: Command
    phase: Phase
    tries: int = 0
    reason: str = ""
    detail: str = ""
    issued_at: float = field(default_factory=time.time)


_PHASE_OF = {
    CommandState.QUEUED: Phase.QUEUED,
    CommandState.HELD: Phase.HELD,
    CommandState.SENT: Phase.SENT,
    CommandState.NO_RESPONSE: Phase.NO_RESPONSE,
    CommandState.EXPIRED: Phase.EXPIRED,
    CommandState.DISCARDED: Phase.DISCARDED,
}


class CommandTracker:
    """Every command this cockpit sent, by id, newest last."""

    def __init__(self) -> None:
        self.commands: dict[str, Tracked] = {}

    def submitted(self, command: Command) -> None:
        self.commands[command.id] = Tracked(command, Phase.QUEUED)

    def apply(self, events: Iterable[object]) -> bool:
        """Take feed events; True if any command changed."""
        changed = False
        for ev in events:
            if isinstance(ev, CommandProgress):
                t = self.commands.get(ev.command.id)
                if t is None:
                    # A command restored from the outbox on disk (issued before a restart): it is
                    # tracked like any other, and shown as still queued.
                    t = self.commands[ev.command.id] = Tracked(ev.command, Phase.QUEUED)
                if not t.phase.pending:
                    continue
                t.tries = ev.tries
                t.phase = _PHASE_OF.get(ev.state, t.phase)
                changed = True
            elif isinstance(ev, CommandAcked):
                t = self.commands.get(ev.ack.id)
                if t is None:
                    continue
                result = ev.ack.original if ev.ack.result == AckResult.DUPLICATE else ev.ack.result
                t.phase = Phase.ACCEPTED if result == AckResult.ACCEPTED else Phase.REJECTED
                t.reason, t.detail = ev.ack.reason, ev.ack.detail
                changed = True
        return changed

    def cancel_pending(self, command_id: str) -> bool:
        """Whether a cancel of ``command_id`` is on its way (a second one is never sent)."""
        return any(
            t.phase.pending and t.command.kind == CommandKind.CANCEL and t.command.ref == command_id
            for t in self.commands.values()
        )

    def latest_for_event(self, event_id: str, kind: str | None = None) -> Tracked | None:
        for t in reversed(self.commands.values()):
            if t.command.event_id == event_id and (kind is None or t.command.kind == kind):
                return t
        return None

    def pending_for_event(self, event_id: str, kind: str | None = None) -> bool:
        return any(
            t.phase.pending
            for t in self.commands.values()
            if t.command.event_id == event_id and (kind is None or t.command.kind == kind)
        )

    def dispatch_state(self, situation: Situation, command_id: str) -> DispatchState | None:
        record = situation.dispatches.get(command_id)
        return record.state if record is not None else None
