"""Who may do what: the one roles table (docs/protocol.md §7.9), used by the server core to refuse
and by the UI to disable.

The server core (:mod:`cockpit.protocol.server`) refuses a command whose kind the sender's role may
not send with ``forbidden`` and :func:`refusal`'s text as the detail; the UI shows the same action
disabled with the same text, never hidden. A change of rights is a change of :data:`ROLES` alone.

The trainer runs drills: a drill is a sandbox (a replayed or simulated scenario), so a trainer sends
the same commands a duty officer does. A backend cannot tell a drill from a live situation, so the
demo backend treats a trainer like a duty officer; a live district backend should refuse trainers
outside its drill sandbox.

No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cockpit.protocol.messages import CommandKind, Role


@dataclass(frozen=True, slots=True)
class RoleRights:
    """One row of the roles table."""

    role: Role
    title: str
    """What the role is called on screen (English; the UI translates)."""
    may: frozenset[CommandKind]
    """The command kinds the role may send."""


_OFFICER: Final = frozenset(
    {
        CommandKind.ACKNOWLEDGE,
        CommandKind.DISPATCH,
        CommandKind.CANCEL,
        CommandKind.CLOSE,
        CommandKind.ESCALATE,
        CommandKind.HAND_DOWN,
        CommandKind.ACTIVATE_PLAN,
        CommandKind.PLOT_CREATE,
        CommandKind.PLOT_EDIT,
        CommandKind.PLOT_DELETE,
    }
)
_SUPERVISOR: Final = _OFFICER | {
    CommandKind.SHELVE,
    CommandKind.UNSHELVE,
    CommandKind.APPROVE_PLAN,
    CommandKind.CLOSE_PLAN,
}

ROLES: Final[dict[Role, RoleRights]] = {
    Role.VIEWER: RoleRights(Role.VIEWER, "viewer", frozenset()),
    Role.OPERATOR: RoleRights(Role.OPERATOR, "duty officer", _OFFICER),
    Role.SUPERVISOR: RoleRights(Role.SUPERVISOR, "supervisor", _SUPERVISOR),
    Role.TRAINER: RoleRights(Role.TRAINER, "trainer", _OFFICER),
}
"""The roles table: role → the command kinds it may send."""

ACTION: Final[dict[CommandKind, str]] = {
    CommandKind.ACKNOWLEDGE: "acknowledge alarms",
    CommandKind.DISPATCH: "dispatch units",
    CommandKind.CANCEL: "cancel dispatches",
    CommandKind.CLOSE: "close events",
    CommandKind.SHELVE: "shelve alarms",
    CommandKind.UNSHELVE: "unshelve alarms",
    CommandKind.ESCALATE: "escalate events",
    CommandKind.HAND_DOWN: "hand events down",
    CommandKind.ACTIVATE_PLAN: "activate plans",
    CommandKind.APPROVE_PLAN: "approve plans",
    CommandKind.CLOSE_PLAN: "close plans",
    CommandKind.PLOT_CREATE: "draw on the map",
    CommandKind.PLOT_EDIT: "change what is drawn on the map",
    CommandKind.PLOT_DELETE: "delete what is drawn on the map",
}
"""What each command kind does, as the refusal text names it."""


def rights(role: str) -> RoleRights:
    """The row for ``role``; an unknown role has a viewer's rights (nothing that changes state)."""
    try:
        return ROLES[Role(role)]
    except ValueError:
        return RoleRights(Role.VIEWER, f"the unknown role {role!r}", frozenset())


def may(role: str, kind: str) -> bool:
    """Whether ``role`` may send a command of ``kind``."""
    try:
        return CommandKind(kind) in rights(role).may
    except ValueError:
        return False


def refusal(role: str, kind: str) -> str:
    """Why ``role`` may not send ``kind``; ``""`` when it may.

    The same sentence is the backend's ``forbidden`` detail and the UI's disabled-button tooltip.
    """
    if may(role, kind):
        return ""
    r = rights(role)
    try:
        command = CommandKind(kind)
    except ValueError:
        return f"{kind!r} is not a command kind"
    who = ", ".join(row.title for row in ROLES.values() if command in row.may)
    name = r.title if r.title.startswith("the ") else f"a {r.title}"
    if not r.may:
        return f"{name} may not change anything, so may not {ACTION[command]} (allowed: {who})"
    return f"{name} may not {ACTION[command]} (allowed: {who})"
