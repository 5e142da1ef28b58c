"""The operator audit log: an append-only, hash-chained JSON Lines file (docs/architecture.md, "Audit log").

Every operator action (login, acknowledge, shelve, dispatch, cancel, plan activation, approval and
closure, escalation and hand-down, drill start) becomes one record. Each record's SHA-256 covers its
predecessor's hash, so an edited, deleted, reordered or inserted line breaks the chain where it
happened; a line the cockpit was writing when it stopped (torn) is told apart from tampering.
``cockpit audit verify PATH`` checks a file; ``cockpit audit show PATH`` prints it. No Qt here.

Errors::

    AuditError            the log cannot be opened or written (the message says which file and why)
"""

from cockpit.audit.chain import (
    AuditAction,
    AuditRecord,
    BreakKind,
    ChainBreak,
    ChainReport,
    verify_bytes,
    verify_file,
)
from cockpit.audit.files import SyncPolicy
from cockpit.audit.forward import forward_to, to_message
from cockpit.audit.log import (
    Actor,
    AuditError,
    AuditLog,
    action_for_command,
    command_details,
    default_audit_path,
)

__all__ = [
    "Actor",
    "AuditAction",
    "AuditError",
    "AuditLog",
    "AuditRecord",
    "BreakKind",
    "ChainBreak",
    "ChainReport",
    "SyncPolicy",
    "action_for_command",
    "command_details",
    "default_audit_path",
    "forward_to",
    "to_message",
    "verify_bytes",
    "verify_file",
]
