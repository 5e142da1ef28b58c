"""The token never appears in a log, a recording, the audit log or a crash report (issue 8).

A real run: the cockpit (real Qt widgets, offscreen) on a token-checking embedded demo backend over a
real loopback websocket, recording and auditing into files; then every byte written is searched for
the token and its parts. A refused run shows the refusal in words. The excepthooks' crash reports
are searched too.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcap.reader import make_reader
from PySide6.QtWidgets import QApplication

from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.login import LoginDialog, identity_for
from cockpit.app.main import install_exception_hooks
from cockpit.app.wiring import Cockpit, connect_login
from cockpit.feed import ConnectionState
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.tokens import Claims, fingerprint, issue
from tests.app.test_wall import TEST_RUNWAYS, dispose, run_on_qt_loop
from tests.helpers import wait_until
from tests.security.support import VERIFIER, token


@pytest.fixture(scope="module")
def backend() -> Iterator[EmbeddedBackend]:
    b = EmbeddedBackend(seed=3, rate=300, speed=3, tokens=True)
    b.start()
    yield b
    b.stop()


def secret_parts(tok: str) -> list[str]:
    """The token and its claims and signature parts: none may appear anywhere."""
    _, payload, signature = tok.split(".")
    return [tok, payload, signature]


def written_bytes(folder: Path) -> bytes:
    """Every file under ``folder``, raw, plus every MCAP message's data (chunks may be compressed)."""
    out = bytearray()
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        out += path.read_bytes()
        if path.suffix == ".mcap":
            with path.open("rb") as f:
                for _schema, _channel, message in make_reader(f).iter_messages():
                    out += message.data
    return bytes(out)


def test_a_real_run_writes_the_token_to_no_log_recording_or_audit_record(
    qapp: QApplication, backend: EmbeddedBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tok = backend.issue("zhao.lei", "supervisor")
    identity = identity_for("wall-sec", "someone-else", "viewer", tok)  # the token's operator wins
    assert (identity.operator, identity.role) == ("zhao.lei", "supervisor")
    assert tok not in repr(identity)
    caplog.set_level(logging.DEBUG)
    c = Cockpit(
        [backend.url], identity, runways_dir=TEST_RUNWAYS, record_dir=tmp_path / "rec",
        audit_path=tmp_path / "audit.jsonl", outbox_path=tmp_path / "outbox.jsonl", centre="test centre",
    )  # fmt: skip
    c.place(virtual_screens(2, 1600, 900))

    async def body() -> None:
        c.start()
        await wait_until(lambda: c.feed.state is ConnectionState.LIVE, timeout=20, what="live")
        await asyncio.sleep(1.0)  # frames recorded, heartbeats both ways
        await c.stop()

    run_on_qt_loop(qapp, body)
    dispose(c)
    written = written_bytes(tmp_path)
    assert list((tmp_path / "rec").rglob("*.mcap")), "the run was recorded"
    assert b"welcome" in written  # the welcome was recorded (it carries no token); the hello never is
    for part in secret_parts(tok):
        assert part.encode() not in written, "a token part was written to a file"
        assert part not in caplog.text, "a token part was logged"
    audit = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    login = next(line for line in audit.splitlines() if '"login"' in line)
    assert '"operator":"zhao.lei"' in login and '"role":"supervisor"' in login
    assert f'"login_fingerprint":"{fingerprint(tok)}"' in login


def test_a_refused_token_is_shown_in_words_on_the_status_and_the_console_and_logged_without_it(
    qapp: QApplication, backend: EmbeddedBackend, caplog: pytest.LogCaptureFixture
) -> None:
    now = int(time.time())
    forged = issue(b"another site's secret, 32 bytes or more", Claims("zhao.lei", "supervisor", (), now, now + 60))
    caplog.set_level(logging.DEBUG)
    c = Cockpit([backend.url], identity_for("wall-sec", "x", "viewer", forged), runways_dir=TEST_RUNWAYS)
    c.place(virtual_screens(2, 1600, 900))

    async def body() -> None:
        c.start()
        await wait_until(lambda: bool(c.feed.refused), timeout=20, what="the refusal")  # type: ignore[union-attr]
        await asyncio.sleep(0.6)  # a wall frame paints the status
        status = c.wall.views["overview"].status.text()
        assert "not valid at this site" in status and "refused by" in status, status
        assert any("not valid at this site" in p for p in c.problems)
        assert "not valid at this site" in c.wall.console.problems.text()
        await c.stop()

    run_on_qt_loop(qapp, body)
    dispose(c)
    assert "token_invalid" in caplog.text
    for part in secret_parts(forged):
        assert part not in caplog.text


def test_crash_reports_from_the_excepthooks_hold_no_token(caplog: pytest.LogCaptureFixture) -> None:
    tok = token("zhao.lei", "supervisor")
    identity = identity_for("wall-sec", "x", "viewer", tok)
    saved = sys.excepthook, threading.excepthook
    install_exception_hooks()
    try:
        caplog.set_level(logging.DEBUG)

        def crash_in_check() -> None:
            held = identity.token  # a local holding the token, as a real crash would have
            VERIFIER.verify(held, int(time.time()) + 10 * 3600)  # expired by then: raises

        try:
            crash_in_check()
        except Exception:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]

        def thread_crash() -> None:
            raise RuntimeError(f"feed died for {identity!r}")

        t = threading.Thread(target=thread_crash)
        t.start()
        t.join()
    finally:
        sys.excepthook, threading.excepthook = saved
    assert "token_expired" in caplog.text and "feed died for Identity('wall-sec'" in caplog.text
    assert caplog.text.count("uncaught exception") == 2
    for part in secret_parts(tok):
        assert part not in caplog.text


def test_the_login_dialog_shows_whose_token_it_is_and_refuses_what_is_not_one(qapp: QApplication) -> None:
    dialog = LoginDialog()
    connect_login(dialog)  # as the composition root does
    ok = dialog.buttons.buttons()[0]
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.token_edit.setText("not a token")
    assert "Not an operator token" in dialog.who.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    tok = token("qian.yu", "viewer", districts=("nanan",))
    dialog.token_edit.setText(f"  {tok}\n")
    assert dialog.who.text() == "qian.yu, viewer, for nanan"
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled() and ok is not None
    assert dialog.token == tok and tok not in dialog.who.text()
    assert dialog.token_edit.echoMode() is dialog.token_edit.EchoMode.Password
