"""Sending the audit log to the backend (docs/protocol.md §7.8) through the feed's outbox.

The record is on disk before it is queued for the backend; a cockpit that stops in between has
records in its file that its outbox never saw. :func:`forward_to` closes that gap at start: it
queues every record above the outbox's high-water mark for the chain, then every new record.
"""

from __future__ import annotations

from typing import Protocol

from cockpit.audit.chain import AuditRecord
from cockpit.audit.log import AuditLog
from cockpit.protocol.messages import Audit


class AuditSender(Protocol):
    """What :func:`forward_to` needs of the feed (:class:`~cockpit.feed.FeedClient` has it)."""

    def send_audit(self, record: Audit) -> None: ...

    def audit_high_water(self, chain: str) -> int: ...


def to_message(record: AuditRecord) -> Audit:
    """The protocol message carrying ``record`` (same fields, plus its chain id)."""
    return Audit(
        chain=record.chain,
        seq=record.seq,
        time=record.time,
        operator=record.operator,
        role=record.role,
        centre=record.centre,
        action=record.action,
        details=record.details,
        prev=record.prev,
        hash=record.hash,
    )


def forward_to(log: AuditLog, sender: AuditSender) -> int:
    """Queue the records ``sender`` has not seen yet and every future one; returns how many caught up.

    Raises:
        AuditError: the log file cannot be read back.
    """
    missed = log.records_after(sender.audit_high_water(log.chain_id))
    for record in missed:
        sender.send_audit(to_message(record))
    log.add_listener(lambda record: sender.send_audit(to_message(record)))
    return len(missed)
