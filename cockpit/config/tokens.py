"""Site secret and token files, and ``cockpit-token``: issue operator tokens offline.

``cockpit-token secret FILE`` writes a new site secret (64 hex digits, mode 0600);
``cockpit-token issue --secret-file FILE --operator NAME --role ROLE [--district D]... [--hours H]``
prints a token. The gateway and the demo backend verify tokens with the same secret file
(``--secret-file``); a cockpit reads its operator's token from the site's SSO token file
(``auth.token_file`` in site.toml, or ``--token-file``). See docs/operations.md, "Operators and tokens".

File errors name the file and what is expected, and never quote the secret or the token.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

from cockpit.protocol.messages import Role
from cockpit.protocol.tokens import Claims, TokenError, check_secret, issue, peek

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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cockpit-token", description="Site secrets and operator tokens, offline.")
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
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.action == "secret":
            write_secret_file(args.file)
            print(f"cockpit-token: wrote a new site secret to {args.file}", file=sys.stderr)
            return 0
        secret = read_secret_file(args.secret_file)
        if args.hours <= 0:
            raise TokenFileError("--hours must be > 0")
        now = int(time.time())
        token = issue(
            secret,
            Claims(args.operator, args.role, tuple(args.district), now, now + int(args.hours * 3600)),
        )
    except (TokenFileError, ValueError) as exc:
        print(f"cockpit-token: {exc}", file=sys.stderr)
        return 2
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
