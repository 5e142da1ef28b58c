"""The officer's plot changes that did not go in, kept as drafts (protocol §7.10).

A plot command the backend refused (``plot_conflict`` above all: someone changed the drawing first),
or that was never sent (the backend restarted, ``expired``), must not vanish. Drafts are worked out
from the command book, the one place a command's state is kept: for each plot, the officer's latest
plot command, if it did not go in and the officer has not discarded it. A later change of the same
plot by this officer (accepted or on its way) replaces the draft. The book keeps commands across a
restart through the outbox, so a refusal that arrives after a restart still becomes a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.present.commands import CommandBook
from cockpit.present.plots.words import PlotWords
from cockpit.present.words import Words
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.messages import PLOT_COMMANDS, CommandKind, PlotBody
from cockpit.protocol.plots import plot_id_of
from widgets.plot_values import DraftRow

DRAFT_STATUSES = frozenset({CommandStatus.REJECTED, CommandStatus.EXPIRED})


@dataclass(frozen=True, slots=True)
class Draft:
    """One change that did not go in."""

    command_id: str
    kind: str
    """The command's kind: ``plot_create``, ``plot_edit`` or ``plot_delete``."""
    plot_id: str
    body: PlotBody | None
    """The plot as the officer drew it (None for a deletion)."""
    event_id: str
    status: CommandStatus
    reason: str
    detail: str


def find_drafts(book: CommandBook, dismissed: set[str]) -> list[Draft]:
    """The drafts, oldest first."""
    latest: dict[str, tuple[str, CommandStatus]] = {}
    for cid, rec in book.records.items():
        c = rec.command
        if c.kind in PLOT_COMMANDS:
            latest[plot_id_of(c)] = (cid, rec.status)
    out = []
    for plot_id, (cid, status) in latest.items():
        if status not in DRAFT_STATUSES or cid in dismissed:
            continue
        rec = book.records[cid]
        c = rec.command
        event_id = c.plot.event_id if c.plot is not None and c.plot.event_id else c.event_id
        out.append(Draft(cid, c.kind, plot_id, c.plot, event_id, status, rec.reason, rec.detail))
    return out


def draft_text(draft: Draft, situation: Situation, words: PlotWords) -> str:
    """What the draft was and why it did not go in, in the officer's words."""
    t = words.translate
    current = situation.plots.get(draft.plot_id)
    kind = draft.body.kind if draft.body is not None else current.kind if current is not None else ""
    what = words.kind(kind)
    label = draft.body.label if draft.body is not None else current.label if current is not None else ""
    if label:
        what = f"{what} “{label}”"
    action = words.action(draft.kind).format(what=what)
    if draft.status is CommandStatus.EXPIRED:
        why = t("Plots", "not sent: the backend restarted")
    elif draft.reason == "plot_conflict" and current is not None:
        who = current.updated_by + (f" ({current.updated_centre})" if current.updated_centre else "")
        why = t("Plots", "not applied: {who} changed it first (now version {version})").format(
            who=who, version=current.version
        )
    else:
        reason = Words(t).rejection(draft.reason)
        why = t("Plots", "not applied: {reason}").format(reason=reason)
    return f"{action} — {why}"


def draft_rows(
    drafts: list[Draft], situation: Situation, words: PlotWords, why_not: Callable[[str], str] = lambda _: ""
) -> list[DraftRow]:
    """The drafts as the console lists them, newest first. ``why_not(event_id)``: why nothing may be
    drawn for that event now ("" if it may); such a draft cannot be re-applied yet."""
    rows = []
    for d in reversed(drafts):
        gone = d.kind == CommandKind.PLOT_DELETE and d.plot_id not in situation.plots
        rows.append(DraftRow(d.command_id, draft_text(d, situation, words), can_reapply=not gone and not why_not(d.event_id)))
    return rows
