"""Site secret and token files, and ``cockpit-token``: issue operator tokens offline.

``cockpit-token secret FILE`` writes a new site secret (64 hex digits, mode 0600);
``cockpit-token issue --secret-file FILE --operator NAME --role ROLE [--district D]... [--hours H]``
prints a token (with a random id, ``jti``, printed to stderr, to revoke that one token later). The
gateway and the demo backend verify tokens with the same secret file (``--secret-file``); a cockpit
reads its operator's token from the site's SSO token file (``auth.token_file`` in site.toml, or
``--token-file``). See docs/operations.md, "Operators and tokens".

``cockpit-token revoke --list FILE (--token-file F | --id ID | --operator NAME [--before TIME])``
adds a line to the revocation list that servers follow (``--revoked-file``;
:mod:`cockpit.config.revocation`); ``cockpit-token revoked --list FILE`` shows it.

File errors name the file and what is expected, and never quote the secret or the token.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

from cockpit.config.revocation import (
    Revocation,
    RevocationError,
    RevocationFile,
    RevocationList,
    append,
    parse_time,
    read_list,
    utc_text,
)
from cockpit.protocol.messages import Role
from cockpit.protocol.tokens import (
    TOKEN_ID,
    Claims,
    TokenError,
    check_secret,
    fingerprint,
    issue,
    new_token_id,
    peek,
)

DEFAULT_HOURS = 12.0
"""A token lasts one long shift unless told otherwise."""


class TokenFileError(ValueError):
    """A secret or token file cannot be used; the message says which file and why."""


def read_secret_file(path: Path) -> bytes:
    """The site secret in ``path`` (its text, stripped), checked long enough.

    Raises:
        TokenFileError: unreadable, empty or too short.
    """
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenFileError(f"{path}: cannot read the site secret: {exc.__class__.__name__}") from None
    secret = text.encode("utf-8")
    try:
        check_secret(secret)
    except ValueError as exc:
        raise TokenFileError(f"{path}: {exc} (make one with `cockpit-token secret {path}`)") from None
    return secret


def read_token_file(path: Path) -> str:
    """The operator token in ``path`` (the SSO token file), checked well-formed (not its signature:
    only the server has the secret).

    Raises:
        TokenFileError: unreadable, empty or not a token.
    """
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenFileError(f"{path}: cannot read the operator token: {exc.__class__.__name__}") from None
    try:
        peek(token)
    except TokenError as exc:
        raise TokenFileError(f"{path}: {exc.detail}") from None
    return token


def write_secret_file(path: Path) -> None:
    """Write a new random site secret to ``path``, readable by its owner alone.

    Raises:
        TokenFileError: the file exists (a new secret would void every token issued) or cannot be written.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise TokenFileError(f"{path}: exists; a new secret would void every token issued with it") from None
    except OSError as exc:
        raise TokenFileError(f"{path}: cannot write: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secrets.token_hex(32) + "\n")


def add_server_token_arguments(p: argparse.ArgumentParser) -> None:
    """``--secret-file`` and ``--revoked-file``, as the demo backend and the gateway both take them."""
    p.add_argument(
        "--secret-file",
        type=Path,
        metavar="FILE",
        help="site secret: refuse hellos without a token it signed (cockpit-token; docs/operations.md)",
    )
    p.add_argument(
        "--revoked-file",
        type=Path,
        metavar="FILE",
        help="token revocation list, re-read when it changes (cockpit-token revoke; needs --secret-file)",
    )


def read_server_token_arguments(args: argparse.Namespace) -> tuple[bytes | None, RevocationFile | None]:
    """The site secret and the followed revocation list those options name (None: not given).

    Raises:
        ValueError: ``--revoked-file`` without ``--secret-file``; an unusable secret file
            (:class:`TokenFileError`); a missing or malformed list (``RevocationError``, file:line).
    """
    if args.revoked_file and not args.secret_file:
        raise ValueError("--revoked-file needs --secret-file (no token is checked without)")
    secret = read_secret_file(args.secret_file) if args.secret_file else None
    revocations = RevocationFile(args.revoked_file) if args.revoked_file else None
    return secret, revocations


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cockpit-token", description="Site secrets and operator tokens, offline."
    )
    sub = p.add_subparsers(dest="action", required=True)
    s = sub.add_parser("secret", help="write a new site secret file (0600)")
    s.add_argument("file", type=Path)
    i = sub.add_parser("issue", help="print a signed token for one operator")
    i.add_argument("--secret-file", type=Path, required=True, metavar="FILE")
    i.add_argument("--operator", required=True)
    i.add_argument("--role", required=True, choices=[r.value for r in Role])
    i.add_argument(
        "--district", action="append", default=[], metavar="D", help="restrict to a district (repeat)"
    )
    i.add_argument("--hours", type=float, default=DEFAULT_HOURS, help="valid for (default: %(default)s)")
    i.add_argument("--out", type=Path, metavar="FILE", help="write the token to FILE (0600), not stdout")
    r = sub.add_parser("revoke", help="add a token, or an operator's tokens, to a revocation list")
    r.add_argument(
        "--list", type=Path, required=True, metavar="FILE", help="the revocation list (made if missing)"
    )
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--token-file", type=Path, metavar="F", help="revoke the token in F")
    which.add_argument("--id", metavar="ID", help="revoke the token with this id (as issue printed it)")
    which.add_argument(
        "--operator", metavar="NAME", help="revoke this operator's tokens issued before --before"
    )
    r.add_argument(
        "--before", metavar="TIME", help="with --operator: e.g. 2026-11-22T23:40:00Z (default: now)"
    )
    r.add_argument("--reason", default="", help="why, kept as the line's comment")
    v = sub.add_parser("revoked", help="show a revocation list")
    v.add_argument("--list", type=Path, required=True, metavar="FILE")
    return p


def revocation_of(args: argparse.Namespace, now: int) -> tuple[Revocation, str]:
    """The revocation ``cockpit-token revoke`` adds, and a line saying what it does.

    Raises:
        TokenFileError: the token file cannot be used, the id is malformed, or --before is misused.
        ValueError: --before is not a time.
    """
    note = f"revoked {utc_text(now)}" + (f": {args.reason}" if args.reason else "")
    if args.before is not None and args.operator is None:
        raise TokenFileError("--before goes with --operator")
    if args.id is not None:
        if not TOKEN_ID.fullmatch(args.id):
            raise TokenFileError(f"--id {args.id!r}: a token id is 1 to 64 letters, digits, '-' or '_'")
        return Revocation(0, token_id=args.id, note=note), f"token id {args.id}"
    if args.operator is not None:
        if not args.operator.strip():
            raise TokenFileError("--operator needs a name")
        before = now if args.before is None else parse_time(args.before)
        revocation = Revocation(0, operator=args.operator, before=before, note=note)
        return revocation, revocation.describe()
    token = read_token_file(args.token_file)
    claims = peek(token)
    held = f"{claims.operator} ({claims.role}), token {fingerprint(token)}, expires {utc_text(claims.expires_at)}"
    if claims.token_id:
        return Revocation(
            0, token_id=claims.token_id, note=f"{note}; {held}"
        ), f"token id {claims.token_id}, {held}"
    # A token issued before tokens had ids: only its operator and issue time can name it.
    revocation = Revocation(0, operator=claims.operator, before=claims.issued_at + 1, note=f"{note}; {held}")
    older = f"the token has no id: {claims.operator}'s older tokens go too"
    return revocation, f"{revocation.describe()} ({older})"


def show(path: Path, revocations: RevocationList) -> None:
    """Print the list, one revocation a line, with the file's line numbers."""
    print(f"{path}: {len(revocations)} revocation(s)")
    for r in revocations.entries:
        print(f"  line {r.line}: {r.describe()}" + (f"  # {r.note}" if r.note else ""))


def revoke_main(args: argparse.Namespace) -> int:
    """``revoke`` and ``revoked``: errors name the file (and line); a token is never printed."""
    try:
        if args.action == "revoked":
            show(args.list, read_list(args.list))
            return 0
        revocation, what = revocation_of(args, int(time.time()))
        revocations = append(args.list, revocation)
    except (TokenFileError, RevocationError, ValueError) as exc:
        print(f"cockpit-token: {exc}", file=sys.stderr)
        return 2
    print(f"cockpit-token: {args.list}: revoked {what}; {len(revocations)} revocation(s) listed", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.action == "secret":
            write_secret_file(args.file)
            print(f"cockpit-token: wrote a new site secret to {args.file}", file=sys.stderr)
            return 0
        if args.action in ("revoke", "revoked"):
            return revoke_main(args)
        secret = read_secret_file(args.secret_file)
        if args.hours <= 0:
            raise TokenFileError("--hours must be > 0")
        now = int(time.time())
        claims = Claims(
            args.operator, args.role, tuple(args.district), now, now + int(args.hours * 3600), new_token_id()
        )
        token = issue(secret, claims)
    except (TokenFileError, ValueError) as exc:
        print(f"cockpit-token: {exc}", file=sys.stderr)
        return 2
    print(
        f"cockpit-token: token id {claims.token_id} for {claims.operator} ({claims.role}), "
        f"expires {utc_text(claims.expires_at)}",
        file=sys.stderr,
    )
    if args.out is None:
        print(token)
        return 0
    try:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(token + "\n")
    except OSError as exc:
        print(f"cockpit-token: {args.out}: cannot write: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
