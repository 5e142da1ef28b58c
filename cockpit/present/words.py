"""What the officer reads for each state and code, once: command kinds and states, the backend's
reasons for refusing a command (§7.2) or a connection (§3.3), event and plan states, durations.

A code with no words here is never shown raw on its own: it is named as the backend's code inside a
sentence ("refused by the backend (code plan_xyz)"), so a new code reads as what it is.
"""

from __future__ import annotations

from cockpit.present.i18n import Translate
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.link import ConnectionState
from cockpit.protocol.messages import CommandKind, DispatchState, EventState

CRITICAL_KINDS = frozenset(
    {CommandKind.ACTIVATE_PLAN, CommandKind.CLOSE_PLAN, CommandKind.CANCEL, CommandKind.HAND_DOWN}
)
"""Commands with wide or hard-to-undo effects: the officer confirms each with a second click, and
the command carries ``critical`` so the backend and the audit log know it was confirmed."""


class Words:
    """The cockpit's standing phrases in the operator's language.

    Args:
        translate: The translator (:mod:`cockpit.present.i18n`).
    """

    def __init__(self, translate: Translate) -> None:
        self.translate = translate

    def kind(self, kind: str) -> str:
        """A command kind as the board's action column names it."""
        t = self.translate
        names: dict[str, str] = {
            CommandKind.DISPATCH: t("Words", "Dispatch"),
            CommandKind.CANCEL: t("Words", "Call off"),
            CommandKind.ACKNOWLEDGE: t("Words", "Acknowledge"),
            CommandKind.CLOSE: t("Words", "Close event"),
            CommandKind.SHELVE: t("Words", "Shelve"),
            CommandKind.UNSHELVE: t("Words", "Unshelve"),
            CommandKind.ESCALATE: t("Words", "Escalate"),
            CommandKind.HAND_DOWN: t("Words", "Hand down"),
            CommandKind.ACTIVATE_PLAN: t("Words", "Activate plan"),
            CommandKind.APPROVE_PLAN: t("Words", "Approve plan"),
            CommandKind.CLOSE_PLAN: t("Words", "Close plan"),
            CommandKind.PLOT_CREATE: t("Words", "Draw"),
            CommandKind.PLOT_EDIT: t("Words", "Change drawing"),
            CommandKind.PLOT_DELETE: t("Words", "Delete drawing"),
        }
        return names.get(kind, kind)

    def action(self, kind: str) -> str:
        """What a command kind does, as a refusal names it ("may not …")."""
        t = self.translate
        names: dict[str, str] = {
            CommandKind.DISPATCH: t("Words", "dispatch units"),
            CommandKind.CANCEL: t("Words", "call off units"),
            CommandKind.ACKNOWLEDGE: t("Words", "acknowledge alarms"),
            CommandKind.CLOSE: t("Words", "close events"),
            CommandKind.SHELVE: t("Words", "shelve alarms"),
            CommandKind.UNSHELVE: t("Words", "unshelve alarms"),
            CommandKind.ESCALATE: t("Words", "escalate events"),
            CommandKind.HAND_DOWN: t("Words", "hand events down"),
            CommandKind.ACTIVATE_PLAN: t("Words", "activate plans"),
            CommandKind.APPROVE_PLAN: t("Words", "approve plans"),
            CommandKind.CLOSE_PLAN: t("Words", "close plans"),
            CommandKind.PLOT_CREATE: t("Words", "draw on the map"),
            CommandKind.PLOT_EDIT: t("Words", "change what is drawn on the map"),
            CommandKind.PLOT_DELETE: t("Words", "delete what is drawn on the map"),
        }
        return names.get(kind, kind)

    def dispatch_state(self, state: DispatchState) -> str:
        t = self.translate
        return {
            DispatchState.ACCEPTED: t("Words", "Accepted"),
            DispatchState.DISPATCHED: t("Words", "Dispatched"),
            DispatchState.ACKNOWLEDGED: t("Words", "Unit acknowledged"),
            DispatchState.EN_ROUTE: t("Words", "En route"),
            DispatchState.ON_SCENE: t("Words", "On scene"),
            DispatchState.COMPLETED: t("Words", "Completed"),
            DispatchState.FAILED: t("Words", "Failed"),
            DispatchState.CANCELLED: t("Words", "Cancelled"),
        }[state]

    def event_state(self, state: EventState) -> str:
        t = self.translate
        return {
            EventState.NEW: t("Words", "New"),
            EventState.ACKNOWLEDGED: t("Words", "Acknowledged"),
            EventState.DISPATCHED: t("Words", "Dispatched"),
            EventState.RESOLVED: t("Words", "Resolved"),
            EventState.CLOSED: t("Words", "Closed"),
        }[state]

    def rejection(self, code: str, detail: str = "") -> str:
        """The backend's reason for refusing a command (§7.2) in words."""
        t = self.translate
        words = {
            "forbidden": t("Words", "your role may not do this"),
            "unknown_event": t("Words", "the event no longer exists"),
            "event_closed": t("Words", "the event is closed"),
            "unknown_unit": t("Words", "the unit is unknown"),
            "unit_busy": t("Words", "the unit is busy"),
            "dispatch_open": t("Words", "a dispatch is still open"),
            "stale_epoch": t("Words", "the backend restarted"),
            "unknown_command": t("Words", "nothing to call off: the dispatch has ended"),
            "unknown_kind": t("Words", "the backend does not know this action"),
            "refired": t("Words", "the alarm fired again since; look at it again"),
            "reason_required": t("Words", "a reason is required"),
            "shelve_too_long": t("Words", "longer than the longest shelf allowed"),
            "mandatory_open": t("Words", "mandatory tasks are still open"),
            "same_person": t("Words", "a second person must approve"),
            "top_level": t("Words", "already at the city centre"),
            "bottom_level": t("Words", "already at street level"),
            "plan_open": t("Words", "this plan already runs for the event"),
            "plan_closed": t("Words", "the plan is already closed"),
            "unknown_plan": t("Words", "the backend has no such plan"),
            "plan_not_applicable": t("Words", "the plan does not fit this event"),
            "not_awaiting_approval": t("Words", "the plan does not await approval"),
            "malformed": t("Words", "the backend could not read the command"),
            "not_in_district": t("Words", "the event is outside your districts"),
            "plot_conflict": t("Words", "someone changed this drawing first"),
            "plot_deleted": t("Words", "someone deleted this drawing"),
            "unknown_plot": t("Words", "the backend has no such drawing"),
            "plot_exists": t("Words", "the drawing already exists"),
            "bad_geometry": t("Words", "the backend refused the shape"),
            "bad_plot": t("Words", "the backend refused the drawing"),
        }.get(code)
        if words is None:
            return t("Words", "refused by the backend (code {code})").format(code=code or "?")
        return words

    def refusal(self, refused: str) -> str:
        """A backend's refusal of the connection (``code: detail``, §3.3) in words."""
        t = self.translate
        code, _, detail = refused.partition(": ")
        words = {
            "token_missing": t("Words", "no operator token: log in with the token the site issued"),
            "token_invalid": t("Words", "the operator token is not valid at this site: log in again"),
            "token_expired": t("Words", "the operator token has expired: log in again"),
            "token_revoked": t("Words", "the operator token has been revoked: ask the site for a new one"),
            "too_many_connections": t("Words", "this operator has too many connections open"),
            "version": t("Words", "the backend speaks another protocol version"),
        }.get(code)
        if words is None:
            return t("Words", "refused by the backend: {reason}").format(reason=refused)
        return f"{words} ({detail})" if detail else words

    def link_state(self, state: ConnectionState) -> str:
        t = self.translate
        return {
            ConnectionState.CONNECTING: t("Words", "Connecting"),
            ConnectionState.RESYNCING: t("Words", "Resynchronising"),
            ConnectionState.LIVE: t("Words", "Live"),
            ConnectionState.STALE: t("Words", "Stale: no new data"),
            ConnectionState.OFFLINE: t("Words", "Offline"),
        }[state]

    def command_status(self, status: CommandStatus, tries: int, reason: str, detail: str) -> str:
        """Where a command is, before the dispatch stream has anything to say about it."""
        t = self.translate
        if status is CommandStatus.QUEUED:
            return t("Words", "queued, not sent: link down; sends when it is back")
        if status is CommandStatus.HELD:
            return t("Words", "held: waited too long offline; send anyway or discard")
        if status is CommandStatus.SENT:
            return t("Words", "sent, waiting for the answer (try {n})").format(n=tries + 1)
        if status is CommandStatus.UNANSWERED:
            return t("Words", "no answer after {n} tries: still sending; it may have worked, do not repeat it").format(n=tries)
        if status is CommandStatus.ABANDONED:
            return t("Words", "stopped sending: outcome unknown; check with the backend")
        if status is CommandStatus.EXPIRED:
            if detail.startswith("replay"):
                return t("Words", "not sent: this is a replay")
            return t("Words", "not sent: the backend restarted; check the event again")
        if status is CommandStatus.DISCARDED:
            return t("Words", "discarded, not sent")
        if status is CommandStatus.REJECTED:
            return t("Words", "rejected: {reason}").format(reason=self.rejection(reason, detail))
        return t("Words", "accepted")

    def command_status_word(self, result: str) -> str:
        """A command's answer in one word ("accepted"), for a drill's list of the trainees' actions."""
        t = self.translate
        return {"accepted": t("Words", "accepted"), "duplicate": t("Words", "accepted")}.get(result, result)

    def duration(self, ms: int) -> str:
        """ "45 s", "4 min", "1 h 20 min": as a duty officer says it."""
        t = self.translate
        s = max(0, ms) // 1000
        if s < 60:
            return t("Words", "{n} s").format(n=s)
        m = s // 60
        if m < 60:
            return t("Words", "{n} min").format(n=m)
        return t("Words", "{h} h {m} min").format(h=m // 60, m=m % 60)
