"""The console's audit tab: the trail of this cockpit's operator actions, live, and the chain
checked on demand off the GUI thread (a long trail takes seconds to verify)."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from cockpit.audit.chain import AuditRecord, ChainReport, verify_file
from cockpit.audit.log import AuditError, AuditLog
from cockpit.present.names import Names
from cockpit.present.words import Words
from widgets.audit_view import AuditRow, AuditView

log = logging.getLogger(__name__)

BACKLOG = 200
"""Records read back from the file when the tab opens."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Audit", text)


def qt_translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def audit_row(r: AuditRecord, words: Words, names: Names) -> AuditRow:
    """One record in words: the action named, the role named (never a raw code), the details with
    their names in the officer's language."""
    details = tr(", ").join(
        f"{detail_name(k)} {detail_value(k, v)}" for k, v in r.details.items() if v not in ("", None, 0, False)
    )
    return AuditRow(
        r.seq,
        r.time.replace("T", " ")[:19],
        r.operator,
        names.role(r.role),
        action_text(r.action, words),
        details,
    )


def detail_name(key: str) -> str:
    """A details key in words (keys this cockpit does not write stay as they are)."""
    named = {
        "command_id": tr("command"),
        "event_id": tr("event"),
        "unit_id": tr("unit"),
        "ref": tr("plan or task"),
        "note": tr("note"),
        "critical": tr("confirmed twice"),
        "occurrence": tr("occurrence"),
        "until": tr("until"),
        "epoch": tr("backend epoch"),
        "client_id": tr("cockpit"),
        "login_fingerprint": tr("token fingerprint"),
        "drill": tr("drill"),
        "script": tr("script"),
        "line": tr("line"),
        "bytes": tr("bytes"),
        "copy": tr("copy"),
        "previous_file": tr("previous file"),
        "previous_chain": tr("previous chain"),
        "break": tr("break"),
        "reason": tr("reason"),
    }.get(key)
    return named if named is not None else key


def detail_value(key: str, value: object) -> str:
    """A details value as the officer reads it: times as clock times, flags as yes."""
    if key == "until" and isinstance(value, int) and value > 0:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(value / 1000))
    if value is True:
        return tr("yes")
    return str(value)


def action_text(action: str, words: Words) -> str:
    """An audit action in words: a command's kind as the board names it, the others here."""
    named = {
        "login": tr("login"),
        "drill_start": tr("drill started"),
        "drill_end": tr("drill ended"),
        "command_confirmed": tr("held command sent after all"),
        "command_discarded": tr("held command discarded"),
        "command_abandoned": tr("stopped sending an unanswered command"),
        "audit_recovered": tr("audit log recovered"),
        "audit_restarted": tr("audit log restarted"),
    }.get(action)
    return named if named is not None else words.kind(action)


def verdict_text(report: ChainReport) -> tuple[str, bool]:
    if report.broken is None:
        return tr("Chain intact: {n} records, header to last line").format(n=len(report.records)), True
    b = report.broken
    return tr("CHAIN BROKEN at line {line} ({kind}): {reason}").format(
        line=b.line, kind=b.kind.value, reason=b.reason
    ), False


class AuditPresenter(QObject):
    """Keeps an :class:`AuditView` on an :class:`AuditLog` (or says there is none).

    Signals:
        verified(str, bool): the chain was checked (the verdict in words, intact); emitted from the
            worker thread, delivered on the GUI thread (the wiring connects it to :meth:`show_verdict`).
    """

    verified = Signal(str, bool)

    def __init__(self, view: AuditView, audit: AuditLog | None, problem: str = "") -> None:
        super().__init__(view)
        self.view = view
        self.audit = audit
        self.words = Words(qt_translate)
        self.names = Names(qt_translate)
        if audit is None:
            view.set_source(problem or tr("No audit log in this mode (replay or test)"))
            view.verify_button().setEnabled(False)
            return
        view.set_source(tr("Audit log: {path}").format(path=audit.path))
        try:
            view.add_rows(
                [
                    audit_row(r, self.words, self.names)
                    for r in audit.records_after(max(0, audit.seq - BACKLOG))
                ]
            )
        except AuditError as exc:
            view.set_verdict(str(exc), ok=False)
        audit.add_listener(self._on_record)

    def _on_record(self, record: AuditRecord) -> None:
        self.view.add_rows([audit_row(record, self.words, self.names)])

    def verify(self) -> None:
        """Check the chain off the GUI thread (a long trail takes seconds)."""
        if self.audit is None:
            return
        path = self.audit.path
        self.view.set_verifying(True)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a plain Qt test): verify here
            self._finish(path)
            return
        loop.run_in_executor(None, self._finish, path)

    def _finish(self, path: Path) -> None:
        try:
            text, ok = verdict_text(verify_file(path))
        except OSError as exc:
            text, ok = tr("cannot read {path}: {error}").format(path=path, error=exc.strerror or exc), False
        log.info("audit verify %s: %s", path, text)
        self.verified.emit(text, ok)  # queued to the GUI thread when called from the executor

    def show_verdict(self, text: str, ok: bool) -> None:
        self.view.set_verifying(False)
        self.view.set_verdict(text, ok)


__all__ = ["AuditPresenter", "audit_row", "verdict_text"]
