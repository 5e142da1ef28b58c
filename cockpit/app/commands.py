"""Tracks each command from the click to its answer and on through the dispatch stream.

Plain Python, no Qt: fed with feed events and read by the presenter once per frame.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from cockpit.feed import CommandProgress, CommandState
from cockpit.model import Situation
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.messages import AckResult, Command, DispatchState


class Phase(enum.Enum):
    """What the operator sees on the button and the board."""

    QUEUED = "queued"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NO_RESPONSE = "no_response"
    EXPIRED = "expired"

    @property
    def pending(self) -> bool:
        return self in (Phase.QUEUED, Phase.SENT)


@dataclass(slots=True)
class Tracked:
    command: Command
    phase: Phase
    tries: int = 0
    reason: str = ""
    detail: str = ""


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
                if t is None or not t.phase.pending:
                    continue
                t.tries = ev.tries
                if ev.state is CommandState.QUEUED:
                    t.phase = Phase.QUEUED
                elif ev.state is CommandState.SENT:
                    t.phase = Phase.SENT
                elif ev.state is CommandState.NO_RESPONSE:
                    t.phase = Phase.NO_RESPONSE
                elif ev.state is CommandState.EXPIRED:
                    t.phase = Phase.EXPIRED
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
