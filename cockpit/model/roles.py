"""The roles table, as the model and the console see it: the protocol's one table (§7.9).

The table lives in :mod:`cockpit.protocol.roles`, beside the server core that enforces it; this
module names the same objects for the model and the UI, so there is one table, not two.
"""

from cockpit.protocol.roles import ACTION, ROLES, RoleRights, may, refusal, rights

__all__ = ["ACTION", "ROLES", "RoleRights", "may", "refusal", "rights"]
