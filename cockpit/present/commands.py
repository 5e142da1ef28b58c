"""The command book: every command this cockpit issued, one record and one status each.

It is the only place a command's state is kept on this side of the feed. The queue
(:mod:`cockpit.protocol.commands`) reports delivery; the backend's word (its ack, or the ``dispatch``
stream under the command's id) makes it final, whatever the queue last said. The book answers "may
this be sent now" (role, mode, a command of the same kind for the same target on its way) for every
button, and says where each command is, in words, for the board and the dispatch panels alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.roles import ROLES, may
from cockpit.present.i18n import Translate
from cockpit.present.names import Names
from cockpit.present.plots.words import PlotWords
from cockpit.present.words import CRITICAL_KINDS, Words
from cockpit.protocol.commands import CommandStatus, CommandUpdate
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import (
    PLOT_COMMANDS,
    AckResult,
    Command,
    CommandKind,
    DispatchState,
    PlotBody,
    Stream,
)
from cockpit.protocol.plots import check_plot
from widgets.values import BoardRow, Tone

BOARD_ROWS = 200
"""The board shows this many newest commands; older ones stay in the audit log."""


@dataclass(slots=True)
class CommandRecord:
    """One command as the officer knows it."""

    command: Command
    status: CommandStatus
    issued_ms: int
    tries: int = 0
    reason: str = ""
    detail: str = ""
    epoch: str = ""
    """The ``events`` epoch its event id belongs to ("" unknown): after a backend lost its state the
    same id may name another event, which this command never was about."""


@dataclass(frozen=True, slots=True)
class CommandLine:
    """Where a command is, in one line, and what the officer may do about it."""

    text: str
    tone: Tone
    pending: bool
    """Still on its way: the same action for the same target must not be sent again."""
    can_cancel: bool = False
    can_stop: bool = False


class CommandBook:
    """Every command this cockpit issued, newest last.

    Args:
        role: The operator's role (the roles table decides what it may send).
        translate: The translator.
        blocked: Why nothing can be sent at all (a replay), in words; "" when commands go out.
        situation: The model, for the ``dispatch`` stream's word on each dispatch command.
        lang: The wall's language, for the backend's names (§5.8).
    """

    def __init__(
        self,
        role: str,
        translate: Translate,
        blocked: str = "",
        situation: Situation | None = None,
        lang: str = "en",
    ) -> None:
        self.role = role
        self.situation = situation
        self.blocked = blocked
        self.translate = translate
        self.words = Words(translate)
        self.names = Names(translate, situation.catalog if situation is not None else None, lang)
        self.records: dict[str, CommandRecord] = {}
        self.generation = 0
        """Counts changes: a panel that saw this generation has nothing new to show."""
        self.plan_title: Callable[[str, str], str] = lambda plan_type, fallback: fallback or self.translate(
            "Commands", "an emergency plan"
        )
        """(plan type, the backend's title) → the plan's title in the operator's language."""

    # ---------------------------------------------------------------------------- making commands

    def make(
        self,
        kind: CommandKind,
        event_id: str = "",
        *,
        unit_id: str = "",
        ref: str = "",
        occurrence: int = 0,
        note: str = "",
        until: int = 0,
        plot: PlotBody | None = None,
        base: int = 0,
    ) -> Command | None:
        """A new command, if it may be sent now (:meth:`why_not` is ""); ``None`` otherwise.

        The caller sends it (the composition root hands it to the feed after the audit log) and the
        book records it at once, as ``QUEUED``. A plot command (``plot``, ``base``, protocol §7.10)
        that breaks the plot rules is never made: the drawing tool says why before it asks.
        """
        if self.why_not(kind, event_id, ref):
            return None
        command = Command(
            id=uuid7(time.time_ns() // 1_000_000),
            kind=kind,
            event_id=event_id,
            unit_id=unit_id,
            ref=ref,
            occurrence=occurrence,
            note=note,
            until=until,
            critical=kind in CRITICAL_KINDS,
            plot=plot,
            base=base,
        )
        if kind in PLOT_COMMANDS and check_plot(command) is not None:
            return None
        self.records[command.id] = CommandRecord(
            command, CommandStatus.QUEUED, time.time_ns() // 1_000_000, epoch=self._events_epoch()
        )
        self.generation += 1
        return command

    def _events_epoch(self) -> str:
        return self.situation.epochs.get(Stream.EVENTS, "") if self.situation is not None else ""

    def _of_this_epoch(self, rec: CommandRecord) -> bool:
        """Whether ``rec``'s event id names an event of the epoch the wall shows."""
        now = self._events_epoch()
        return not rec.epoch or not now or rec.epoch == now

    def why_not(self, kind: CommandKind, event_id: str = "", ref: str = "") -> str:
        """Why this command cannot be sent now, in words; "" when it can.

        In order: the mode (a replay sends nothing), the role (the roles table), and one of the
        same kind for the same target still on its way (never two of them).
        """
        t = self.translate
        if self.blocked:
            return self.blocked
        if not may(self.role, kind):
            allowed = [self.names.role(r.role) for r in ROLES.values() if kind in r.may]
            return t("Commands", "Your role ({role}) may not {action}; allowed: {allowed}").format(
                role=self.names.role(self.role), action=self.words.action(kind), allowed=", ".join(allowed) or "—"
            )
        # Plot commands chain by version (protocol §7.10): an officer's second change of a drawing
        # goes out behind the first and is made on the version the first will give.
        if kind not in PLOT_COMMANDS and self.pending(kind, event_id, ref):
            return t("Commands", "waiting for the answer to the last one")
        return ""

    def may_command(self) -> bool:
        """Whether this operator may change anything at all (a viewer, a replay: no)."""
        return not self.blocked and any(may(self.role, k) for k in CommandKind)

    # ---------------------------------------------------------------------------- what happened

    def apply(self, events: Iterable[object]) -> bool:
        """Take the feed's news of commands; True if any record changed."""
        changed = False
        for ev in events:
            if isinstance(ev, CommandUpdate):
                rec = self.records.get(ev.command.id)
                if rec is None:  # from the outbox on disk: issued before a restart
                    rec = self.records[ev.command.id] = CommandRecord(
                        ev.command, ev.status, time.time_ns() // 1_000_000, epoch=ev.command.epoch
                    )
                if rec.status.settled:
                    continue  # the backend's word stands
                rec.status, rec.tries = ev.status, ev.tries
                if ev.reason or ev.detail:
                    rec.reason, rec.detail = ev.reason, ev.detail
                changed = True
            elif isinstance(ev, CommandAcked):
                # The queue reports acks of what it still holds; this is for one the officer
                # stopped sending (abandoned): the backend's late word still settles it.
                rec = self.records.get(ev.ack.id)
                if rec is not None and rec.status is CommandStatus.ABANDONED:
                    result = ev.ack.original if ev.ack.result == AckResult.DUPLICATE else ev.ack.result
                    rec.status = CommandStatus.ACCEPTED if result == AckResult.ACCEPTED else CommandStatus.REJECTED
                    rec.reason, rec.detail = ev.ack.reason, ev.ack.detail
                    changed = True
        if changed:
            self.generation += 1
        return changed

    def touch(self) -> None:
        """Something the lines depend on changed (the dispatch stream): panels show it again."""
        self.generation += 1

    # ---------------------------------------------------------------------------- questions

    def latest(self, event_id: str, kind: CommandKind | None = None) -> CommandRecord | None:
        """The newest command for ``event_id`` (of ``kind``)."""
        for rec in reversed(self.records.values()):
            if rec.command.event_id == event_id and (kind is None or rec.command.kind == kind) and self._of_this_epoch(rec):
                return rec
        return None

    def on_its_way(self, rec: CommandRecord) -> bool:
        """Still on its way: not answered, or a dispatch accepted whose unit the dispatch stream has
        not shown yet (until it does, the unit still reads as available and a second click would
        send it again)."""
        if rec.status.pending:
            return True
        return (
            rec.status is CommandStatus.ACCEPTED
            and rec.command.kind == CommandKind.DISPATCH
            and self.situation is not None
            and rec.command.id not in self.situation.dispatches
        )

    def pending(self, kind: CommandKind, event_id: str = "", ref: str = "") -> bool:
        """Whether a command of ``kind`` for this event (or, for a cancel, this dispatch) is on its way."""
        for rec in self.records.values():
            c = rec.command
            if c.kind != kind or not self.on_its_way(rec):
                continue
            if kind == CommandKind.CANCEL:
                if c.ref == ref:
                    return True
            elif c.event_id == event_id and self._of_this_epoch(rec):
                return True
        return False

    def line(self, situation: Situation, rec: CommandRecord) -> CommandLine:
        """Where ``rec`` is now, in words: the dispatch stream's word first, then the book's."""
        w = self.words
        c = rec.command
        record = situation.dispatches.get(c.id) if c.kind == CommandKind.DISPATCH else None
        if record is None and rec.status is CommandStatus.ACCEPTED and not self._of_this_epoch(rec):
            # Accepted by a backend that has since restarted without its state: what became of it
            # is not known here any more (the unit may well be on its way). Never "running".
            text = self.translate("Commands", "accepted before the backend restarted without its state: progress unknown")
            return CommandLine(text, Tone.UNKNOWN, False)
        if record is not None:  # the backend's own account of the dispatch: it decides
            text = w.dispatch_state(record.state)
            if record.reason:
                text = f"{text}: {record.reason}"
            if record.state is DispatchState.COMPLETED:
                return CommandLine(text, Tone.DONE, False)
            if record.state is DispatchState.FAILED:
                return CommandLine(text, Tone.FAILED, False)
            if record.state is DispatchState.CANCELLED:
                return CommandLine(text, Tone.ENDED, False)
            return CommandLine(text, Tone.PENDING, False, can_cancel=True)
        status = rec.status
        text = w.command_status(status, rec.tries, rec.reason, rec.detail)
        tone = {
            CommandStatus.QUEUED: Tone.PENDING,
            CommandStatus.SENT: Tone.PENDING,
            CommandStatus.HELD: Tone.HELD,
            CommandStatus.UNANSWERED: Tone.UNKNOWN,
            CommandStatus.ABANDONED: Tone.UNKNOWN,
            CommandStatus.EXPIRED: Tone.FAILED,
            CommandStatus.REJECTED: Tone.FAILED,
            CommandStatus.DISCARDED: Tone.ENDED,
            CommandStatus.ACCEPTED: Tone.DONE if c.kind != CommandKind.DISPATCH else Tone.PENDING,
        }[status]
        # An accepted dispatch whose first dispatch message has not arrived yet is still on its way.
        pending = status.pending or (status is CommandStatus.ACCEPTED and c.kind == CommandKind.DISPATCH)
        return CommandLine(text, tone, pending, can_stop=status is CommandStatus.UNANSWERED)

    def board_rows(self, situation: Situation) -> list[BoardRow]:
        """The newest :data:`BOARD_ROWS` commands, newest first, in words."""
        rows = []
        for rec in list(self.records.values())[-BOARD_ROWS:][::-1]:
            line = self.line(situation, rec)
            c = rec.command
            rows.append(
                BoardRow(
                    id=c.id,
                    time_text=time.strftime("%H:%M:%S", time.localtime(rec.issued_ms / 1000)),
                    action=self.words.kind(c.kind),
                    event=self.event_text(situation, c.event_id),
                    target=self._target_text(situation, c),
                    state=line.text,
                    tone=line.tone,
                    can_cancel=line.can_cancel and not self.pending(CommandKind.CANCEL, ref=c.id) and not self.blocked,
                    can_stop=line.can_stop,
                )
            )
        return rows

    def event_text(self, situation: Situation, event_id: str) -> str:
        """ "Fire alarm · Hill Town"; an event the wall no longer has is named as such, never by id."""
        ev = situation.events.get(event_id)
        if ev is None:
            return self.translate("Commands", "an event no longer shown") if event_id else ""
        return f"{self.names.event_type(ev.type, ev.title)} · {self.names.district(ev.district)}"

    def _target_text(self, situation: Situation, c: Command) -> str:
        if c.kind in PLOT_COMMANDS:
            plot = situation.plots.get(c.ref) if c.plot is None else None
            kind, label = (c.plot.kind, c.plot.label) if c.plot is not None else (plot.kind, plot.label) if plot else ("", "")
            what = PlotWords(self.translate).kind(kind) if kind else self.translate("Commands", "a drawing")
            return f"{what} “{label}”" if label else what
        if c.unit_id:
            unit = situation.units.get(c.unit_id)
            return self.names.unit(unit) if unit is not None else c.unit_id
        if c.kind == CommandKind.CANCEL:
            ref = situation.dispatches.get(c.ref)
            unit = situation.units.get(ref.unit_id) if ref is not None else None
            return self.names.unit(unit) if unit is not None else self.translate("Commands", "a dispatch")
        if c.kind == CommandKind.ACTIVATE_PLAN:
            return self.plan_title(c.ref, "")
        if c.kind in (CommandKind.APPROVE_PLAN, CommandKind.CLOSE_PLAN):
            plan = situation.plans.get(c.ref)
            return self.plan_title(plan.plan_type, plan.title) if plan is not None else ""
        return ""
