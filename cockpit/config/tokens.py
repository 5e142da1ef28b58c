"""Site keys and token files, and ``cockpit-token``: issue operator tokens offline.

Tokens are JWTs (:mod:`cockpit.protocol.jwt_tokens`) signed with the site's private key:

- ``cockpit-token keys new --private FILE --public FILE [--alg ES256|EdDSA]`` makes the site's
  signing key (the private set, mode 0600, stays with whoever issues tokens) and writes the public
  set (JWKS) that gateways and backends get (``--jwks``). Run again on an existing private set, it
  adds a new key in front (key rotation: new tokens are signed with it, tokens signed with the
  older keys still verify until ``keys retire`` removes them);
- ``cockpit-token keys public --private FILE --public FILE`` writes the public set again;
- ``cockpit-token issue --key-file FILE --operator NAME --role ROLE [--district D]... [--hours H]``
  prints a token (with a random id, ``jti``, printed to stderr, to revoke that one token later).

The old ``ck1`` tokens (``cockpit-token secret FILE``, ``issue --secret-file FILE``) are still made and,
by a server given ``--secret-file``, still accepted during the migration (docs/operations.md, "Moving
from ck1 tokens"). A cockpit reads its operator's token from the site's SSO token file
(``auth.token_file`` in site.toml, or ``--token-file``). See docs/operations.md, "Operators and tokens".

``cockpit-token revoke --list FILE (--token-file F | --id ID | --operator NAME [--before TIME])``
adds a line to the revocation list that servers follow (``--revoked-file``;
:mod:`cockpit.config.revocation`); ``cockpit-token revoked --list FILE`` shows it.

File errors name the file and what is expected, and never quote the secret or the token.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

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
from cockpit.protocol import jwt_tokens
from cockpit.protocol.jwt_tokens import ALGORITHMS, Jwks, KeyFileError, SiteVerifier
from cockpit.protocol.messages import Role
from cockpit.protocol.tokens import (
    TOKEN_ID,
    Claims,
    TokenError,
    TokenVerifier,
    check_secret,
    fingerprint,
    issue,
    new_token_id,
    peek,
)

log = logging.getLogger(__name__)

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


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenFileError(f"{path}: cannot read {what}: {exc.__class__.__name__}") from None
    except json.JSONDecodeError as exc:
        raise TokenFileError(f"{path}:{exc.lineno}: {what} is not JSON: {exc.msg}") from None


def read_jwks_file(path: Path) -> Jwks:
    """The site's public keys (a JWKS file) for a server.

    Raises:
        TokenFileError: unreadable, not a JWKS, or holding a private key (a server must not).
    """
    try:
        return Jwks(_read_json(path, "the site's public keys"))
    except KeyFileError as exc:
        raise TokenFileError(f"{path}: {exc}") from None


def read_private_keys(path: Path) -> list[dict[str, Any]]:
    """The site's private signing keys (newest first: the first signs).

    Raises:
        TokenFileError: unreadable, or not a set of private ES256/EdDSA keys.
    """
    data = _read_json(path, "the site's private keys")
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not keys:
        raise TokenFileError(f"{path}: not a key set ({{\"keys\": [...]}})")
    for k in keys:
        if not isinstance(k, dict) or "d" not in k or k.get("alg") not in ALGORITHMS or not k.get("kid"):
            raise TokenFileError(f"{path}: holds a key that is not a private ES256/EdDSA key with a kid")
    return keys


def _write_private(path: Path, text: str, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)


def write_key_files(private: Path, public: Path, keys: list[dict[str, Any]]) -> None:
    """Write the private set (0600) and the public set (0644) derived from it."""
    _write_private(private, json.dumps({"keys": keys}, indent=2) + "\n", 0o600)
    public_set = {"keys": [jwt_tokens.public_of(k) for k in keys]}
    _write_private(public, json.dumps(public_set, indent=2) + "\n", 0o644)


def check_token_offline(token: str, jwks_file: Path, now_s: int) -> tuple[bool, str]:
    """Whether the site's public keys accept ``token`` now, and what to tell the operator
    (``cockpit doctor``). Never names the token, only whose it is.

    Raises:
        TokenFileError: the key file cannot be used.
    """
    verifier = read_jwks_file(jwks_file)
    try:
        claims = verifier.verify(token, now_s)
    except TokenError as exc:
        return False, f"{exc.code}: {exc.detail}"
    left_h = (claims.expires_at - now_s) / 3600
    return True, f"{claims.operator} ({claims.role}), signed by a site key, valid for {left_h:.1f} h more"


def add_server_token_arguments(p: argparse.ArgumentParser) -> None:
    """``--jwks``, ``--secret-file`` and ``--revoked-file``, as the demo backend and the gateway take them."""
    p.add_argument(
        "--jwks",
        type=Path,
        metavar="FILE",
        help="the site's PUBLIC keys (JWKS): refuse hellos without a token they verify (docs/operations.md)",
    )
    p.add_argument(
        "--secret-file",
        type=Path,
        metavar="FILE",
        help="legacy: also accept old ck1 tokens signed with this site secret (migration only)",
    )
    p.add_argument(
        "--revoked-file",
        type=Path,
        metavar="FILE",
        help="token revocation list, re-read when it changes (cockpit-token revoke; needs --jwks or --secret-file)",
    )


def read_server_token_arguments(args: argparse.Namespace) -> tuple[TokenVerifier | None, RevocationFile | None]:
    """The token verifier and the followed revocation list those options name (None: not given).

    Raises:
        ValueError: ``--revoked-file`` without keys; an unusable key or secret file
            (:class:`TokenFileError`); a missing or malformed list (``RevocationError``, file:line).
    """
    jwks_file = getattr(args, "jwks", None)
    if args.revoked_file and not (args.secret_file or jwks_file):
        raise ValueError("--revoked-file needs --jwks (or --secret-file): no token is checked without")
    jwks = read_jwks_file(jwks_file) if jwks_file else None
    secret = read_secret_file(args.secret_file) if args.secret_file else None
    if secret is not None:
        log.warning("--secret-file: old ck1 tokens are accepted (migration); move the site to JWTs and drop it")
    verifier = SiteVerifier(jwks, secret) if (jwks is not None or secret is not None) else None
    revocations = RevocationFile(args.revoked_file) if args.revoked_file else None
    return verifier, revocations


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cockpit-token", description="Site secrets and operator tokens, offline."
    )
    sub = p.add_subparsers(dest="action", required=True)
    k = sub.add_parser("keys", help="the site's signing keys: new (or rotate), public, retire")
    k.add_argument("keys_action", choices=["new", "public", "retire"])
    k.add_argument("--private", type=Path, required=True, metavar="FILE", help="the private key set (0600)")
    k.add_argument("--public", type=Path, metavar="FILE", help="the public key set (JWKS) for the servers")
    k.add_argument("--alg", choices=list(ALGORITHMS), default="ES256", help="for new: (default: %(default)s)")
    k.add_argument("--kid", help="for retire: the key to remove (a key id may begin with '-': write --kid=KID)")
    s = sub.add_parser("secret", help="legacy: write a ck1 site secret file (0600)")
    s.add_argument("file", type=Path)
    i = sub.add_parser("issue", help="print a signed token for one operator")
    signer = i.add_mutually_exclusive_group(required=True)
    signer.add_argument("--key-file", type=Path, metavar="FILE", help="the site's private key set: a JWT")
    signer.add_argument("--secret-file", type=Path, metavar="FILE", help="legacy: a ck1 token")
    i.add_argument("--issuer", default="", help="the site's name, the token's iss")
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


def keys_main(args: argparse.Namespace) -> int:
    """``keys new`` (or rotate), ``keys public`` and ``keys retire``; never prints key material."""
    if args.keys_action in ("new", "public") and args.public is None:
        raise TokenFileError(f"keys {args.keys_action} needs --public FILE (the set the servers get)")
    if args.keys_action == "new":
        keys = read_private_keys(args.private) if args.private.exists() else []
        key = jwt_tokens.new_private_key(args.alg)
        keys.insert(0, key)  # the newest signs; the older ones still verify until retired
        write_key_files(args.private, args.public, keys)
        what = "rotated to" if len(keys) > 1 else "made"
        print(f"cockpit-token: {what} key {key['kid']} ({args.alg}); {len(keys)} key(s) in {args.private}", file=sys.stderr)
        print(f"cockpit-token: give the servers {args.public} (public keys only)", file=sys.stderr)
        return 0
    keys = read_private_keys(args.private)
    if args.keys_action == "retire":
        if not args.kid or args.kid not in {k["kid"] for k in keys}:
            raise TokenFileError(f"--kid {args.kid!r} is not a key in {args.private}")
        if len(keys) == 1:
            raise TokenFileError("the last key cannot be retired; make a new one first")
        keys = [k for k in keys if k["kid"] != args.kid]
        _write_private(args.private, json.dumps({"keys": keys}, indent=2) + "\n", 0o600)
        if args.public is not None:
            write_key_files(args.private, args.public, keys)
        print(f"cockpit-token: retired key {args.kid}; tokens it signed no longer verify", file=sys.stderr)
        return 0
    write_key_files(args.private, args.public, keys)
    print(f"cockpit-token: wrote {len(keys)} public key(s) to {args.public}", file=sys.stderr)
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
        if args.action == "keys":
            return keys_main(args)
        if args.hours <= 0:
            raise TokenFileError("--hours must be > 0")
        now = int(time.time())
        claims = Claims(
            args.operator, args.role, tuple(args.district), now, now + int(args.hours * 3600), new_token_id()
        )
        if args.key_file is not None:
            token = jwt_tokens.issue(read_private_keys(args.key_file)[0], claims, args.issuer)
        else:
            token = issue(read_secret_file(args.secret_file), claims)
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
