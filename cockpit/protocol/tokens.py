"""Operator tokens: who an operator is, signed by the site (docs/protocol.md §3.1, docs/operations.md).

Tokens are standard JWTs now (:mod:`cockpit.protocol.jwt_tokens`: ES256 or EdDSA, checked against the
site's public keys). This module keeps what every token has (:class:`Claims`, the refusal codes,
:class:`TokenVerifier`) and the OLD ``ck1`` form, accepted only during the migration by a server
given the legacy site secret (``--secret-file``; docs/operations.md, "Moving from ck1 tokens").

A ``ck1`` token is checked with nothing but the site secret: it is an HMAC-SHA256 signature over the
claims (operator, role, districts, issue and expiry time, and a random token id),
in the form

    ck1.<base64url(JSON claims)>.<base64url(HMAC-SHA256(secret, "ck1." + claims part))>

Backends and gateways take the operator, role and districts FROM THE TOKEN, never from what the
hello claims: a client that says ``supervisor`` with a viewer's token is a viewer. A missing,
malformed, forged or expired token is refused at the handshake with one of :data:`REFUSAL_CODES`;
so is a revoked one (:mod:`cockpit.config.revocation`: by its id, or by operator and issue time, for
tokens issued before they had ids).

The client cannot check a signature (it has no secret) but may :func:`peek` at the claims, to show
and audit who logged in. Pure functions, no I/O: reading secret and token files is
:mod:`cockpit.config.tokens`'s job. A token is a secret: nothing here puts it in an error message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Final, Protocol

from cockpit.protocol.messages import Role

PREFIX: Final = "ck1"
"""Version tag of the token format; a later format gets another."""
MIN_SECRET_BYTES: Final = 32
"""A site secret shorter than this is refused: an HMAC key must not be guessable."""

TOKEN_MISSING: Final = "token_missing"
TOKEN_INVALID: Final = "token_invalid"
TOKEN_EXPIRED: Final = "token_expired"
TOKEN_REVOKED: Final = "token_revoked"
REFUSAL_CODES: Final = (TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED)
"""The ``refused`` codes (§3.3) a server that checks tokens sends."""


class TokenError(ValueError):
    """A token is not acceptable. ``code`` is the refusal code; the message never holds the token."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Claims:
    """What a token says about its holder."""

    operator: str
    role: str
    districts: tuple[str, ...] = ()
    """The districts the holder may see and command; empty means the whole city."""
    issued_at: int = 0
    """Unix seconds."""
    expires_at: int = 0
    """Unix seconds; the token is refused from this second on."""
    token_id: str = ""
    """The token's own name (``jti``), to revoke this one token and not its operator; ``""`` in tokens
    issued before tokens had ids (those are revoked by operator and issue time)."""


TOKEN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What a token id may be: short, and safe to write in a revocation list and a log."""


def new_token_id() -> str:
    """A random token id: 64 bits, 16 hex digits (``cockpit-token issue`` gives every token one)."""
    return secrets.token_hex(8)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, signed: str) -> str:
    return _b64(hmac.new(secret, signed.encode("ascii"), hashlib.sha256).digest())


def check_secret(secret: bytes) -> None:
    """Raise ValueError if ``secret`` is too short to sign with."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the site secret has {len(secret)} bytes; at least {MIN_SECRET_BYTES} are needed")


def issue(secret: bytes, claims: Claims) -> str:
    """Sign ``claims`` with the site secret.

    Raises:
        ValueError: a short secret, an empty operator, an unknown role, or an expiry not after issue.
    """
    check_secret(secret)
    if not claims.operator.strip():
        raise ValueError("a token needs an operator name")
    if claims.role not in {r.value for r in Role}:
        raise ValueError(f"role {claims.role!r} is not one of {', '.join(r.value for r in Role)}")
    if claims.expires_at <= claims.issued_at:
        raise ValueError("a token must expire after it is issued")
    if claims.token_id and not TOKEN_ID.fullmatch(claims.token_id):
        raise ValueError("a token id is 1 to 64 letters, digits, '-' or '_'")
    body: dict[str, object] = {
        "op": claims.operator,
        "role": claims.role,
        "districts": list(claims.districts),
        "iat": claims.issued_at,
        "exp": claims.expires_at,
    }
    if claims.token_id:
        body["jti"] = claims.token_id
    payload = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    signed = f"{PREFIX}.{payload}"
    return f"{signed}.{_signature(secret, signed)}"


def _claims_of(payload: str) -> Claims:
    try:
        body = json.loads(_unb64(payload).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise TokenError(TOKEN_INVALID, "the token's claims are not readable") from None
    if not isinstance(body, dict):
        raise TokenError(TOKEN_INVALID, "the token's claims are not an object")
    op, role, districts = body.get("op"), body.get("role"), body.get("districts", [])
    iat, exp, jti = body.get("iat", 0), body.get("exp"), body.get("jti", "")
    if not isinstance(op, str) or not op or not isinstance(role, str):
        raise TokenError(TOKEN_INVALID, "the token names no operator or role")
    if not isinstance(districts, list) or not all(isinstance(d, str) for d in districts):
        raise TokenError(TOKEN_INVALID, "the token's districts are not a list of names")
    if not isinstance(iat, int) or not isinstance(exp, int):
        raise TokenError(TOKEN_INVALID, "the token's times are not whole seconds")
    if not isinstance(jti, str) or (jti and not TOKEN_ID.fullmatch(jti)):
        raise TokenError(TOKEN_INVALID, "the token's id is not a token id")
    return Claims(op, role, tuple(districts), iat, exp, jti)


def _parts(token: str) -> tuple[str, str, str]:
    if not token:
        raise TokenError(TOKEN_MISSING, "no operator token was given; log in with a token from the site")
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise TokenError(TOKEN_INVALID, f"the token is not a {PREFIX} operator token")
    return parts[0], parts[1], parts[2]


def peek(token: str) -> Claims:
    """The claims of ``token`` (a JWT or an old ``ck1`` token) WITHOUT checking its signature or
    expiry: for the client, to show and audit who logged in. Never trust it for a decision; servers
    verify (:class:`~cockpit.protocol.jwt_tokens.SiteVerifier`).

    Raises:
        TokenError: empty or malformed.
    """
    if token.strip() and not token.strip().startswith(f"{PREFIX}."):
        from cockpit.protocol import jwt_tokens  # the standard form; it builds on this module

        return jwt_tokens.peek(token)
    _, payload, _ = _parts(token)
    return _claims_of(payload)


def verify(secret: bytes, token: str, now_s: int) -> Claims:
    """The claims of ``token`` if the site signed it and it has not expired at ``now_s``.

    Raises:
        TokenError: ``token_missing``, ``token_invalid`` (malformed, forged, unknown role) or
            ``token_expired``; its detail is fit to show the operator.
    """
    prefix, payload, signature = _parts(token)
    if not hmac.compare_digest(_signature(secret, f"{prefix}.{payload}"), signature):
        raise TokenError(TOKEN_INVALID, "the token's signature does not match this site's secret")
    claims = _claims_of(payload)
    if claims.role not in {r.value for r in Role}:
        raise TokenError(TOKEN_INVALID, f"the token's role {claims.role!r} is not a role")
    if now_s >= claims.expires_at:
        raise TokenError(
            TOKEN_EXPIRED,
            f"the token of {claims.operator} expired at "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(claims.expires_at))}; ask for a new one",
        )
    return claims


class TokenVerifier(Protocol):
    """What a server checks hello tokens with (the server core calls it; no I/O inside)."""

    def verify(self, token: str, now_s: int) -> Claims:
        """The claims of ``token`` at ``now_s``.

        Raises:
            TokenError: with one of :data:`REFUSAL_CODES`.
        """
        ...


@dataclass(frozen=True, slots=True)
class SiteSecret:
    """Verifies ``ck1`` tokens with the site secret (:func:`verify`)."""

    secret: bytes

    def verify(self, token: str, now_s: int) -> Claims:
        return verify(self.secret, token, now_s)


def fingerprint(token: str) -> str:
    """A short, one-way name of a token for logs and audit records (the token itself never is)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:12]
