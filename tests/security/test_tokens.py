"""Operator tokens: signed offline with the site secret, checked by pure functions, issued by a CLI."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.config.tokens import TokenFileError, read_secret_file, read_token_file
from cockpit.protocol.tokens import (
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKEN_MISSING,
    Claims,
    TokenError,
    fingerprint,
    issue,
    peek,
    verify,
)
from tests.security.support import SECRET

NOW = 1_700_000_000


def make(role: str = "viewer", districts: tuple[str, ...] = ("jiangbei",)) -> str:
    return issue(SECRET, Claims("li.wei", role, districts, NOW, NOW + 3600))


def test_a_signed_token_gives_back_its_claims_until_it_expires() -> None:
    tok = make(districts=("jiangbei", "yuzhong"))
    claims = verify(SECRET, tok, NOW + 10)
    assert claims == Claims("li.wei", "viewer", ("jiangbei", "yuzhong"), NOW, NOW + 3600)
    assert peek(tok) == claims
    with pytest.raises(TokenError) as err:
        verify(SECRET, tok, NOW + 3600)
    assert err.value.code == TOKEN_EXPIRED and "li.wei" in err.value.detail


def test_a_viewer_cannot_make_itself_a_supervisor_by_editing_the_claims() -> None:
    prefix, payload, sig = make().split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["role"] = "supervisor"
    forged_payload = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    forged = f"{prefix}.{forged_payload}.{sig}"
    assert peek(forged).role == "supervisor"  # the client may read it; no server trusts it
    with pytest.raises(TokenError) as err:
        verify(SECRET, forged, NOW)
    assert err.value.code == TOKEN_INVALID and "signature" in err.value.detail


def test_another_sites_secret_missing_and_malformed_tokens_are_refused_with_their_codes() -> None:
    other = issue(b"x" * 40, Claims("li.wei", "operator", (), NOW, NOW + 60))
    cases = {"": TOKEN_MISSING, other: TOKEN_INVALID, "ck1.abc": TOKEN_INVALID, "hello.a.b": TOKEN_INVALID,
             "ck1.!!!.sig": TOKEN_INVALID}  # fmt: skip
    for tok, code in cases.items():
        with pytest.raises(TokenError) as err:
            verify(SECRET, tok, NOW)
        assert err.value.code == code, tok
        if tok:
            assert tok not in str(err.value)  # a token never ends up in an error message


def test_issue_refuses_a_short_secret_an_unknown_role_and_a_token_that_never_lives() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        issue(b"short", Claims("a", "viewer", (), NOW, NOW + 1))
    with pytest.raises(ValueError, match="role 'admin'"):
        issue(SECRET, Claims("a", "admin", (), NOW, NOW + 1))
    with pytest.raises(ValueError, match="expire after"):
        issue(SECRET, Claims("a", "viewer", (), NOW, NOW))
    assert len(fingerprint(make())) == 12 and fingerprint(make()) != fingerprint(make("operator"))


def test_cockpit_token_cli_makes_a_secret_and_issues_tokens_the_servers_accept(tmp_path: Path) -> None:
    secret_file = tmp_path / "site.secret"
    run = [sys.executable, "-m", "cockpit.config.tokens"]
    made = subprocess.run([*run, "secret", str(secret_file)], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    assert secret_file.stat().st_mode & 0o777 == 0o600
    again = subprocess.run([*run, "secret", str(secret_file)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "exists" in again.stderr  # never overwrite: it voids every token
    out = tmp_path / "token"
    issued = subprocess.run(
        [*run, "issue", "--secret-file", str(secret_file), "--operator", "zhang.min", "--role", "supervisor",
         "--district", "jiangbei", "--hours", "8", "--out", str(out)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert issued.returncode == 0, issued.stderr
    tok = read_token_file(out)
    claims = verify(read_secret_file(secret_file), tok, claims_now(tok))
    assert (claims.operator, claims.role, claims.districts) == ("zhang.min", "supervisor", ("jiangbei",))
    assert claims.expires_at - claims.issued_at == 8 * 3600
    bad = subprocess.run(
        [*run, "issue", "--secret-file", str(tmp_path / "none"), "--operator", "a", "--role", "viewer"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and str(tmp_path / "none") in bad.stderr


def claims_now(tok: str) -> int:
    return peek(tok).issued_at + 1


def test_secret_and_token_file_errors_name_the_file_and_never_quote_it(tmp_path: Path) -> None:
    short = tmp_path / "short.secret"
    short.write_text("tooshort\n")
    with pytest.raises(TokenFileError, match=r"short\.secret: the site secret has 8 bytes"):
        read_secret_file(short)
    bad = tmp_path / "token"
    bad.write_text("not-a-token-but-secret-text\n")
    with pytest.raises(TokenFileError) as err:
        read_token_file(bad)
    assert str(bad) in str(err.value) and "not-a-token-but-secret-text" not in str(err.value)
    with pytest.raises(TokenFileError, match="cannot read"):
        read_token_file(tmp_path / "missing")
