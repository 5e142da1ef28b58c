"""The console's dispatch board: every command in words, newest first (the command book's lines)."""

from __future__ import annotations

from cockpit.model import Situation
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.protocol.messages import Command, CommandKind
from widgets.values import BoardRow


class BoardModel:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._seen = -1

    def update(self, situation: Situation, frame: Frame) -> list[BoardRow] | None:
        ch = frame.changes
        generation = self.ctx.book.generation
        if generation == self._seen and not (
            ch.dispatches or ch.units or ch.replaced or ch.names or (frame.slow and ch.events)
        ):
            return None
        self._seen = generation
        return self.ctx.book.board_rows(situation)

    def cancel(self, situation: Situation, command_id: str) -> Command | None:
        """Call off the unit of dispatch ``command_id`` (a critical action: the board confirms it)."""
        rec = self.ctx.book.records.get(command_id)
        if rec is None:
            return None
        event_id = rec.command.event_id
        if command_id in situation.dispatches:
            event_id = situation.dispatches[command_id].event_id
        return self.ctx.book.make(CommandKind.CANCEL, event_id, ref=command_id)
