"""The demo backend's copy of the cockpits' audit logs (docs/protocol.md §7.8).

Cockpits send every audit record at least once; the backend keeps each ``chain``/``seq`` once and
acknowledges every copy. It checks each record's hash on arrival. It also keeps its own record of
commands it refused as ``forbidden`` (a forged frame from a role that may not act), since such a
cockpit may not audit itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from cockpit.audit.chain import AuditRecord
from cockpit.protocol.messages import Audit, AuditAck, Command, CommandAck

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A command the backend refused as forbidden, and who sent it."""

    command_id: str
    kind: str
    event_id: str
    operator: str
    role: str
    detail: str


@dataclass(slots=True)
class AuditInbox:
    """Audit records received, keyed by (chain, seq); each kept once."""

    records: dict[tuple[str, int], Audit] = field(default_factory=dict)
    copies: int = 0
    """Every audit message received, repeats included."""
    damaged: list[tuple[str, int]] = field(default_factory=list)
    """Records whose hash did not match their content on arrival."""
    refusals: list[Refusal] = field(default_factory=list)

    def receive(self, record: Audit) -> AuditAck:
        """Keep ``record`` unless held already; the answer acknowledges it either way."""
        self.copies += 1
        key = (record.chain, record.seq)
        if key not in self.records:
            self.records[key] = record
            if not intact(record):
                self.damaged.append(key)
                log.warning("audit record %s/%d arrived damaged: its hash does not match", *key)
        return AuditAck(chain=record.chain, seq=record.seq)

    def refused(self, command: Command, ack: CommandAck, operator: str, role: str) -> None:
        """Record a command refused as forbidden (a forged or misrouted frame)."""
        refusal = Refusal(command.id, command.kind, command.event_id, operator, role, ack.detail)
        self.refusals.append(refusal)
        log.warning(
            "audit: refused %s command %s (event %r) from operator %r with role %r: %s",
            command.kind,
            command.id,
            command.event_id,
            operator,
            role,
            ack.detail,
        )


def intact(record: Audit) -> bool:
    """Whether a received audit record's hash matches its content (§7.8)."""
    return AuditRecord(
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
    ).intact
