"""Sending the audit log to the backend (docs/protocol.md §7.8) through the feed's outbox.

The record is on disk before it is queued for the backend; a cockpit that stops in between has
records in its file that its outbox never saw. :func:`forward_to` closes that gap at start: it
queues every record above the outbox's high-water mark for the chain, then every new record.

The outbox is bounded (cockpit/feed/outbox.py, ``MAX_AUDITS``): when it turns a record away, the
forwarder stops queuing (so what is queued stays a gap-free run up to the high-water mark) and
:meth:`Forwarder.catch_up` later queues the waiting records from the log, oldest first.
"""

from __future__ import annotations

from typing import Protocol

from cockpit.audit.chain import AuditRecord
from cockpit.audit.log import AuditLog
from cockpit.protocol.messages import Audit


class AuditSender(Protocol):
    """What :func:`forward_to` needs of the feed (:class:`~cockpit.feed.FeedClient` has it)."""

    def send_audit(self, record: Audit) -> bool | None:
        """Queue ``record``; False if the outbox is full (it is offered again later)."""

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


class Forwarder:
    """Queues a log's records for the backend, and catches up after the outbox was full."""

    def __init__(self, log: AuditLog, sender: AuditSender) -> None:
        self.log = log
        self.sender = sender
        self.behind = False
        """Some records were turned away: they wait in the log for :meth:`catch_up`."""

    def start(self) -> int:
        """Queue what the sender has not seen yet, then every new record; returns how many caught up.

        Raises:
            AuditError: the log file cannot be read back.
        """
        queued = self.catch_up()
        self.log.add_listener(self._on_record)
        return queued

    def catch_up(self) -> int:
        """Queue the records above the sender's high-water mark, until it refuses one; returns how
        many were queued.

        Raises:
            AuditError: the log file cannot be read back.
        """
        queued = 0
        self.behind = False
        for record in self.log.records_after(self.sender.audit_high_water(self.log.chain_id)):
            if self.sender.send_audit(to_message(record)) is False:
                self.behind = True
                break
            queued += 1
        return queued

    def _on_record(self, record: AuditRecord) -> None:
        if self.behind:  # queue nothing past a gap; catch_up fills it in order
            return
        if self.sender.send_audit(to_message(record)) is False:
            self.behind = True


def forward_to(log: AuditLog, sender: AuditSender) -> int:
    """Queue the records ``sender`` has not seen yet and every future one; returns how many caught up.

    Raises:
        AuditError: the log file cannot be read back.
    """
    return Forwarder(log, sender).start()
