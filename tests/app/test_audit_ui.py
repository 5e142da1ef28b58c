"""The console's audit tab: live records, and a broken chain shown in red with the line."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from cockpit.app.audit_ui import AuditPresenter
from cockpit.audit.log import Actor, AuditLog
from widgets.audit_view import AuditView


def test_records_appear_live_and_a_tampered_line_is_named(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, Actor("officer-3", "operator", "Jiangbei district centre"))
    view = AuditView()
    qtbot.addWidget(view)
    presenter = AuditPresenter(view, log)
    presenter.verified.connect(presenter.show_verdict)  # as the wiring connects it
    log.login(log.actor)
    log.record("dispatch", {"event_id": "E7", "unit_id": "fire-3"})
    rows = view.rows()
    # The details named in words (issue 15: the Chinese trail showed raw keys): "event E7, unit fire-3".
    assert [r.action for r in rows][-1] == "Dispatch" and "event E7" in rows[-1].details
    assert rows[0].action == "login" and rows[0].role == "duty officer", "words, never codes"
    presenter.verify()  # no event loop here: verified in place
    assert view.verdict_text().startswith("Chain intact")
    log.close()

    lines = path.read_text().splitlines()
    lines[-1] = lines[-1].replace("fire-3", "fire-4")  # someone edits who was sent
    path.write_text("\n".join(lines) + "\n")
    presenter.verify()
    assert "CHAIN BROKEN at line" in view.verdict_text()


def test_no_audit_log_says_why(qtbot: QtBot) -> None:
    view = AuditView()
    qtbot.addWidget(view)
    AuditPresenter(view, None, "audit log not written: disk full")
    assert not view.verify_button().isEnabled()
    assert "disk full" in view._path.text()
