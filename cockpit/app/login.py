"""How an operator logs in: the site's SSO token file, or a login dialog to paste a token.

The token decides who sits at the cockpit: its operator and role replace ``--operator`` and
``--role`` (the backend takes them from the token anyway, docs/protocol.md §3.1), so the audit
log's login record names the operator the token names. On the embedded demo the demo backend
issues the token itself: no setup. See docs/operations.md, "Operators and tokens".

The token never appears on screen after it is pasted, nor in a log: only its fingerprint.
"""

from __future__ import annotations

import argparse
import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.wiring import connect_login
from cockpit.config.tokens import read_token_file
from cockpit.feed import Identity
from cockpit.protocol.tokens import (
    TokenError,
    fingerprint,
    peek,
)

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("Login", text)


def identity_for(client_id: str, operator: str, role: str, token: str) -> Identity:
    """Who sits at this cockpit: the token's operator and role when there is a token (a malformed
    one was refused before this), else what the command line says."""
    if not token:
        return Identity(client_id, operator, role)
    claims = peek(token)
    if (claims.operator, claims.role) != (operator, role):
        log.info("operator %s (%s) from token %s", claims.operator, claims.role, fingerprint(token))
    return Identity(client_id, claims.operator, claims.role, token)


class LoginDialog(QDialog):
    """Paste the token the site issued; the dialog shows whose it is before the operator accepts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Log in"))
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)  # a secret: never shown on the wall
        self.token_edit.setPlaceholderText(tr("paste your operator token"))
        self.who = QLabel(tr("The token says who you are and what you may do."))
        self.who.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow(tr("Token"), self.token_edit)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.who)
        box.addWidget(self.buttons)
        self.show_whose("")

    @property
    def token(self) -> str:
        return self.token_edit.text().strip()

    def show_whose(self, _text: str) -> None:
        """Say whose token it is (or why it is none) as it is typed."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not self.token:
            self.who.setText(tr("The token says who you are and what you may do."))
            ok.setEnabled(False)
            return
        try:
            claims = peek(self.token)
        except TokenError as exc:
            self.who.setText(tr("Not an operator token: {reason}").format(reason=exc.detail))
            ok.setEnabled(False)
            return
        districts = ", ".join(claims.districts) or tr("the whole city")
        self.who.setText(
            tr("{operator}, {role}, for {districts}").format(
                operator=claims.operator, role=claims.role, districts=districts
            )
        )
        ok.setEnabled(True)


def login_token(args: argparse.Namespace, embedded: EmbeddedBackend | None) -> str:
    """The operator's token: issued by the embedded demo, read from ``--token-file`` (or the site's
    ``auth.token_file``), or pasted in the login dialog; ``""`` when there is none (a replay, a drill's
    sandbox, a headless check, or a cancelled dialog: a backend that checks tokens then refuses, and
    the wall says so).

    Raises:
        TokenFileError: the token file cannot be used.
    """
    if embedded is not None:
        return embedded.issue(args.operator, args.role)
    if args.drill is not None or args.replay is not None:
        return ""
    token_file = getattr(args, "token_file", None)
    if token_file is not None:
        return read_token_file(token_file)
    if args.screenshot is not None or args.quit_after is not None or getattr(args, "kiosk", False):
        return ""  # headless, or a kiosk wall: nobody to ask (the backend's refusal is shown)
    dialog = LoginDialog()
    connect_login(dialog)
    return dialog.token if dialog.exec() == QDialog.DialogCode.Accepted else ""
