"""Writing the audit log: :class:`AuditLog` appends hash-chained records (format: :mod:`.chain`).

On open it checks the header and the last line only (constant time however long the file is: the
GUI thread opens it), so it never extends a chain from a record it cannot vouch for; a break further
up stays for ``cockpit audit verify`` to find:

- a missing or empty file gets a new header with a random chain id;
- a torn last line (the cockpit stopped while writing it) is copied to ``<file>.torn-<time>``, cut
  off, and the cut is itself recorded (``audit_recovered``), so nothing disappears unremarked;
- a bad header or last line (tampering, or not an audit file) leaves the file untouched under
  ``<file>.broken-<time>`` and starts a new chain whose first record (``audit_restarted``) names it.

What was found is in :attr:`AuditLog.problems`; the app shows it.
"""

from __future__ import annotations

import enum
import logging
import math
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import platformdirs

from cockpit.audit.chain import (
    AuditAction,
    AuditRecord,
    BreakKind,
    ChainReport,
    canonical,
    digest,
    inspect_tail,
    make_header,
    records_after,
)
from cockpit.audit.files import AppendFile, FileLock, InUse, SyncPolicy, sync_dir
from cockpit.protocol.messages import Command, CommandKind

log = logging.getLogger(__name__)

SECRET_WORDS = ("token", "password", "passwd", "secret", "credential")
"""A details key containing one of these has its value replaced by ``[redacted]``: an audit file
is read by many people and must never hold a credential."""
REDACTED = "[redacted]"


class AuditError(Exception):
    """The audit log cannot be opened or written; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: the operator at the console, their role and the centre this cockpit is."""

    operator: str
    role: str
    centre: str = ""


def default_audit_path() -> Path:
    """Where the cockpit keeps its audit log: the user's data folder (``~/.local/share/cockpit``)."""
    return platformdirs.user_data_path("cockpit", appauthor=False) / "audit.jsonl"


def iso_time(unix_s: float) -> str:
    """UTC ISO 8601 with milliseconds, e.g. ``2026-11-22T20:51:23.123Z``."""
    return datetime.fromtimestamp(unix_s, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AuditLog:
    """The append-only, hash-chained audit file of one cockpit.

    Args:
        path: The file; created (with its folder) if missing.
        actor: Who is recorded until :meth:`login` names someone else.
        sync: When records are forced to disk (see :class:`~cockpit.audit.files.SyncPolicy`).
        clock: Unix time in seconds.

    Raises:
        AuditError: the file or its folder cannot be created, read or written.
    """

    def __init__(
        self,
        path: Path,
        actor: Actor,
        *,
        sync: SyncPolicy = SyncPolicy.BACKGROUND,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.actor = actor
        self.clock = clock
        self.problems: list[str] = []
        self._listeners: list[Callable[[AuditRecord], None]] = []
        self._pending_notes: list[tuple[AuditAction, dict[str, Any]]] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(path)
        except InUse as exc:
            raise AuditError(
                f"audit log {exc}: quit the other cockpit or give this one its own file"
            ) from exc
        except OSError as exc:
            raise AuditError(f"audit log {path}: {exc.strerror or exc}") from exc
        try:
            report = self._prepare(sync)
            self._file = AppendFile(path, sync)
        except OSError as exc:
            self._lock.release()
            raise AuditError(f"audit log {path}: {exc.strerror or exc}") from exc
        self.chain_id = report.chain
        self.seq = report.records[-1].seq if report.records else 0
        self._prev = report.last_hash
        for problem in self.problems:
            log.error("audit log %s: %s", path, problem)
        for action, details in self._pending_notes:  # the repair itself goes on the record
            self.record(action, details)
        self._pending_notes.clear()

    # ------------------------------------------------------------------------------ writing

    def record(self, action: AuditAction | str, details: Mapping[str, object] | None = None) -> AuditRecord:
        """Append one record for the current actor and tell the listeners (the feed sends it on).

        Raises:
            AuditError: the record could not be written (disk full, I/O error); the chain is unchanged.
        """
        now = self.clock()
        body: dict[str, Any] = {
            "seq": self.seq + 1,
            "time": iso_time(now),
            "operator": self.actor.operator,
            "role": self.actor.role,
            "centre": self.actor.centre,
            "action": str(action),
            "details": _plain_details(details or {}),
            "prev": self._prev,
        }
        body["hash"] = digest(body)
        try:
            self._file.append(canonical(body) + b"\n")
        except OSError as exc:
            raise AuditError(f"audit log {self.path}: cannot write record {body['seq']}: {exc}") from exc
        self.seq, self._prev = body["seq"], body["hash"]
        record = AuditRecord(chain=self.chain_id, **body)
        for listener in list(self._listeners):
            try:
                listener(record)
            except Exception:  # a listener bug must not lose the next record; it is logged loudly
                log.exception("audit listener failed on record %d", record.seq)
        return record

    def login(self, actor: Actor, **details: object) -> AuditRecord:
        """Make ``actor`` the one recorded from now on, and record the login."""
        self.actor = actor
        return self.record(AuditAction.LOGIN, details)

    def add_listener(self, listener: Callable[[AuditRecord], None]) -> None:
        """Call ``listener`` with every record after it is written."""
        self._listeners.append(listener)

    def records_after(self, seq: int) -> list[AuditRecord]:
        """The records of this chain with a seq above ``seq`` (read back from the file).

        Raises:
            AuditError: the file cannot be read.
        """
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise AuditError(f"audit log {self.path}: {exc.strerror or exc}") from exc
        found, skipped = records_after(data, self.chain_id, seq)
        for note in skipped:
            log.error("audit log %s: not sent to the backend: %s", self.path, note)
        return found

    def close(self) -> None:
        """Flush to disk, close and let another cockpit open the file."""
        self._file.close()
        self._lock.release()

    # ------------------------------------------------------------------------------ opening

    def _prepare(self, sync: SyncPolicy) -> ChainReport:
        """Verify the file and make it safe to append to; notes for the chain go to _pending_notes."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return self._new_chain(sync)
        data = self.path.read_bytes()
        report = inspect_tail(data)
        if report.ok:
            return report
        assert report.broken is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        if report.broken.kind is BreakKind.TORN and report.header_hash:
            copy = self.path.with_name(f"{self.path.name}.torn-{stamp}")
            copy.write_bytes(data[report.good_bytes :])
            os.truncate(self.path, report.good_bytes)
            cut = len(data) - report.good_bytes
            self.problems.append(
                f"line {report.broken.line} was incomplete (the cockpit stopped while writing it): "
                f"its {cut} bytes were moved to {copy.name}; the chain goes on after seq "
                f"{report.records[-1].seq if report.records else 0}"
            )
            self._pending_notes.append(
                (AuditAction.LOG_RECOVERED, {"line": report.broken.line, "bytes": cut, "copy": copy.name})
            )
            return report
        moved = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        os.replace(self.path, moved)
        sync_dir(self.path.parent)
        self.problems.append(
            f"the file failed verification at line {report.broken.line} ({report.broken.kind.value}: "
            f"{report.broken.reason}); it was kept unchanged as {moved.name} and a new chain was started"
        )
        self._pending_notes.append(
            (
                AuditAction.LOG_RESTARTED,
                {
                    "previous_file": moved.name,
                    "previous_chain": report.chain,
                    "line": report.broken.line,
                    "break": report.broken.kind.value,
                    "reason": report.broken.reason,
                },
            )
        )
        return self._new_chain(sync)

    def _new_chain(self, sync: SyncPolicy) -> ChainReport:
        header = make_header(uuid.uuid4().hex, iso_time(self.clock()))
        file = AppendFile(self.path, sync)
        try:
            file.truncate()
            file.append(canonical(header) + b"\n")
        finally:
            file.close()
        return ChainReport(chain=header["chain"], created=header["created"], header_hash=header["hash"])


def _plain_details(details: Mapping[str, object]) -> dict[str, Any]:
    """``details`` as plain JSON values, with credentials redacted."""
    return {str(k): (REDACTED if _secret(str(k)) else _plain(v)) for k, v in details.items()}


def _secret(key: str) -> bool:
    low = key.lower()
    return any(word in low for word in SECRET_WORDS)


def _plain(value: object) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return _plain_details(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


# ---------------------------------------------------------------------------------- commands

_ACTION_OF_KIND: dict[str, AuditAction] = {
    CommandKind.DISPATCH: AuditAction.DISPATCH,
    CommandKind.CANCEL: AuditAction.CANCEL,
    CommandKind.ACKNOWLEDGE: AuditAction.ACKNOWLEDGE,
    CommandKind.CLOSE: AuditAction.CLOSE,
    CommandKind.SHELVE: AuditAction.SHELVE,
    CommandKind.UNSHELVE: AuditAction.UNSHELVE,
    CommandKind.ESCALATE: AuditAction.ESCALATE,
    CommandKind.HAND_DOWN: AuditAction.HAND_DOWN,
    CommandKind.ACTIVATE_PLAN: AuditAction.ACTIVATE_PLAN,
    CommandKind.APPROVE_PLAN: AuditAction.APPROVE_PLAN,
    CommandKind.CLOSE_PLAN: AuditAction.CLOSE_PLAN,
    CommandKind.PLOT_CREATE: AuditAction.PLOT_CREATE,
    CommandKind.PLOT_EDIT: AuditAction.PLOT_EDIT,
    CommandKind.PLOT_DELETE: AuditAction.PLOT_DELETE,
}


def action_for_command(command: Command) -> str:
    """The audit action for an operator's command (its kind, for kinds this cockpit does not know)."""
    return str(_ACTION_OF_KIND.get(command.kind, command.kind))


def command_details(command: Command) -> dict[str, Any]:
    """What the audit log keeps of a command: its id and every field that is set."""
    fields = ("event_id", "unit_id", "ref", "note", "critical", "occurrence", "until", "epoch", "base")
    out: dict[str, Any] = {"command_id": command.id}
    for name in fields:
        value = getattr(command, name)
        if value:
            out[name] = value
    if command.plot is not None:  # what was drawn, as drawn: the record of the officer's drawing
        out["plot"] = msgspec.to_builtins(command.plot)
    return out
