"""Operator tokens as standard JWTs (RFC 7519), signed by the site, checked offline (docs/protocol.md §3.1).

A token is a JWS compact serialisation (RFC 7515) signed with **ES256** (ECDSA P-256, SHA-256) or
**EdDSA** (Ed25519, RFC 8037) by the site's private key; servers verify it against the site's public
keys, a JWKS file (RFC 7517), choosing the key by the header's ``kid``. A backend or gateway holds
only public keys, so none of the forty district servers can mint a supervisor's token, and a district
team verifies tokens with any JWT library in any language.

Header: ``{"alg": "ES256" | "EdDSA", "kid": <key id>, "typ": "JWT"}``. Claims:

=============  ======================================================================================
``sub``        the operator (required, non-empty)
``role``       ``viewer``, ``operator``, ``supervisor`` or ``trainer`` (required)
``districts``  the districts the holder may see and command; absent or ``[]``: the whole city
``iat``        issued at, Unix seconds (required; not more than :data:`LEEWAY_S` in the future)
``exp``        expires at, Unix seconds (required; refused from ``exp + LEEWAY_S`` on)
``nbf``        optional; refused before ``nbf - LEEWAY_S``
``jti``        the token's id, 1 to 64 of ``[A-Za-z0-9_-]`` (required): what revocation names
``aud``        ``"cockpit"`` (required)
``iss``        the site's name (informational)
=============  ======================================================================================

Time is passed in (no clock here): PyJWT checks the signature, the algorithm and the audience; the
times are checked by :meth:`Jwks.verify` against ``now_s``. Chosen library: PyJWT with cryptography,
the most used JWT library for Python, with JWKS support offline (``PyJWKSet``) and no network use.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Mapping
from typing import Any, Final

import jwt
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

from cockpit.protocol.messages import Role
from cockpit.protocol.tokens import TOKEN_EXPIRED, TOKEN_ID, TOKEN_INVALID, TOKEN_MISSING, Claims, TokenError
from cockpit.protocol.tokens import verify as verify_ck1

ALGORITHMS: Final = ("ES256", "EdDSA")
"""The signature algorithms a site may use; anything else (``none``, ``HS256``, RSA) is refused."""
AUDIENCE: Final = "cockpit"
"""The ``aud`` every cockpit token carries."""
LEEWAY_S: Final = 60
"""Clock skew allowed on ``exp``, ``nbf`` and ``iat``: a site's clocks are NTP-synchronised, not perfect."""

_ROLES: Final = frozenset(r.value for r in Role)


class KeyFileError(ValueError):
    """A key set cannot be used (the message says why; it never holds key material)."""


def _thumbprint(public: Mapping[str, Any]) -> str:
    """A key id: the RFC 7638 thumbprint of the public key, base64url, first 16 characters."""
    members = {k: public[k] for k in ("crv", "kty", "x", "y") if k in public}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()[:16]


def new_private_key(alg: str = "ES256") -> dict[str, Any]:
    """A new private signing key as a JWK (with ``kid``, ``alg`` and ``use``)."""
    if alg == "ES256":
        from cryptography.hazmat.primitives.asymmetric import ec

        jwk: dict[str, Any] = ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()), as_dict=True)
    elif alg == "EdDSA":
        from cryptography.hazmat.primitives.asymmetric import ed25519

        jwk = OKPAlgorithm.to_jwk(ed25519.Ed25519PrivateKey.generate(), as_dict=True)
    else:
        raise ValueError(f"algorithm {alg!r} is not one of {', '.join(ALGORITHMS)}")
    jwk.update(alg=alg, use="sig")
    jwk["kid"] = _thumbprint(jwk)
    return jwk


def public_of(private: Mapping[str, Any]) -> dict[str, Any]:
    """The public half of a private JWK: everything but ``d``."""
    return {k: v for k, v in private.items() if k != "d"}


def check_public_set(keys: Mapping[str, Any], source: str = "the key set") -> None:
    """Refuse a JWKS that a server must not hold: a private key in it could mint tokens.

    Raises:
        KeyFileError: not a ``{"keys": [...]}`` set, a key without ``kid`` or ``alg``, an algorithm
            that is not allowed, or a private key (``d``).
    """
    entries = keys.get("keys") if isinstance(keys, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise KeyFileError(f"{source}: not a JWKS ({{\"keys\": [...]}}, at least one key)")
    for i, k in enumerate(entries):
        if not isinstance(k, Mapping):
            raise KeyFileError(f"{source}: key {i} is not a JWK object")
        if "d" in k:
            raise KeyFileError(
                f"{source}: key {k.get('kid', i)} is a PRIVATE key; servers get the public set "
                "(cockpit-token keys public) and nothing that can sign"
            )
        if not k.get("kid") or k.get("alg") not in ALGORITHMS:
            raise KeyFileError(f"{source}: key {i} needs a kid and alg ES256 or EdDSA")


def issue(private: Mapping[str, Any], claims: Claims, issuer: str = "") -> str:
    """Sign ``claims`` with the site's private key.

    Raises:
        ValueError: an empty operator, an unknown role, a bad token id, or an expiry not after issue.
    """
    if "d" not in private or private.get("alg") not in ALGORITHMS:
        raise ValueError("issuing needs the site's private key (ES256 or EdDSA)")
    if not claims.operator.strip():
        raise ValueError("a token needs an operator name")
    if claims.role not in _ROLES:
        raise ValueError(f"role {claims.role!r} is not one of {', '.join(sorted(_ROLES))}")
    if claims.expires_at <= claims.issued_at:
        raise ValueError("a token must expire after it is issued")
    if not TOKEN_ID.fullmatch(claims.token_id):
        raise ValueError("a token id is 1 to 64 letters, digits, '-' or '_'")
    body: dict[str, Any] = {
        "sub": claims.operator,
        "role": claims.role,
        "districts": list(claims.districts),
        "iat": claims.issued_at,
        "exp": claims.expires_at,
        "jti": claims.token_id,
        "aud": AUDIENCE,
    }
    if issuer:
        body["iss"] = issuer
    key = jwt.PyJWK.from_dict(dict(private))
    return jwt.encode(body, key.key, algorithm=str(private["alg"]), headers={"kid": private["kid"], "typ": "JWT"})


def is_jwt(token: str) -> bool:
    """Whether ``token`` has the JWS compact form (three base64url parts), not the old ``ck1.`` one."""
    parts = token.strip().split(".")
    return len(parts) == 3 and parts[0] != "ck1"


def _claims_of(body: Mapping[str, Any]) -> Claims:
    sub, role, districts = body.get("sub"), body.get("role"), body.get("districts", [])
    iat, exp, jti = body.get("iat"), body.get("exp"), body.get("jti", "")
    if not isinstance(sub, str) or not sub.strip() or not isinstance(role, str):
        raise TokenError(TOKEN_INVALID, "the token names no operator (sub) or role")
    if districts is None:
        districts = []
    if not isinstance(districts, list) or not all(isinstance(d, str) for d in districts):
        raise TokenError(TOKEN_INVALID, "the token's districts are not a list of names")
    if not isinstance(iat, int) or not isinstance(exp, int) or isinstance(iat, bool) or isinstance(exp, bool):
        raise TokenError(TOKEN_INVALID, "the token's iat and exp are not whole seconds")
    if not isinstance(jti, str) or not TOKEN_ID.fullmatch(jti):
        raise TokenError(TOKEN_INVALID, "the token's id (jti) is missing or not 1 to 64 of [A-Za-z0-9_-]")
    return Claims(sub, role, tuple(districts), iat, exp, jti)


def peek(token: str) -> Claims:
    """The claims WITHOUT checking the signature or the times: for the client, to show who logged in.

    Raises:
        TokenError: empty or not a readable JWT.
    """
    if not token.strip():
        raise TokenError(TOKEN_MISSING, "no operator token was given; log in with a token from the site")
    try:
        body = jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        raise TokenError(TOKEN_INVALID, "the token is not a readable JWT") from None
    return _claims_of(body)


class Jwks:
    """Verifies JWT operator tokens against the site's public keys (a :class:`TokenVerifier`).

    Args:
        keys: The JWKS (``{"keys": [...]}``), public keys only.

    Raises:
        KeyFileError: the set is unusable, or holds a private key.
    """

    def __init__(self, keys: Mapping[str, Any]) -> None:
        check_public_set(keys)
        try:
            self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(dict(keys)).keys if k.key_id}
        except jwt.PyJWKSetError as exc:
            raise KeyFileError(f"the key set cannot be read: {exc}") from None

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def verify(self, token: str, now_s: int) -> Claims:
        """The claims of ``token`` if a site key signed it and it is valid at ``now_s``.

        Raises:
            TokenError: ``token_missing``; ``token_invalid`` (malformed, another key, a refused
                algorithm such as ``none``, a wrong audience, an unknown role, issued in the future);
                ``token_expired``. The detail is fit to show the operator.
        """
        token = token.strip()
        if not token:
            raise TokenError(TOKEN_MISSING, "no operator token was given; log in with a token from the site")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenError(TOKEN_INVALID, "the token is not a JWT") from None
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in ALGORITHMS:
            raise TokenError(TOKEN_INVALID, f"the token's algorithm {alg!r} is not accepted (ES256 or EdDSA)")
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise TokenError(TOKEN_INVALID, f"the token was signed with a key this site does not know (kid {kid!r})")
        if key.algorithm_name != alg:
            raise TokenError(TOKEN_INVALID, f"key {kid} signs with {key.algorithm_name}, the token says {alg}")
        try:
            body = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=AUDIENCE,
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "require": ["aud"]},
            )
        except jwt.InvalidAudienceError:
            raise TokenError(TOKEN_INVALID, f"the token is not for the cockpit (aud must be {AUDIENCE!r})") from None
        except jwt.PyJWTError:
            raise TokenError(TOKEN_INVALID, "the token's signature does not match this site's keys") from None
        claims = _claims_of(body)
        if claims.role not in _ROLES:
            raise TokenError(TOKEN_INVALID, f"the token's role {claims.role!r} is not a role")
        if claims.issued_at > now_s + LEEWAY_S:
            raise TokenError(TOKEN_INVALID, "the token was issued in the future; check the clocks")
        nbf = body.get("nbf")
        if isinstance(nbf, int) and now_s < nbf - LEEWAY_S:
            raise TokenError(TOKEN_INVALID, "the token is not valid yet (nbf)")
        if now_s >= claims.expires_at + LEEWAY_S:
            raise TokenError(
                TOKEN_EXPIRED,
                f"the token of {claims.operator} expired at "
                f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(claims.expires_at))}; ask for a new one",
            )
        return claims


class SiteVerifier:
    """What a server checks hello tokens with: JWTs against the site's public keys and, during the
    migration only, old ``ck1`` tokens against the legacy site secret (docs/operations.md).

    Args:
        jwks: The site's public keys; None: no JWT is accepted.
        legacy_secret: The ``ck1`` site secret (``--secret-file``); None: ``ck1`` tokens are refused.
    """

    def __init__(self, jwks: Jwks | None = None, legacy_secret: bytes | None = None) -> None:
        if jwks is None and legacy_secret is None:
            raise ValueError("a verifier needs the site's public keys or the legacy secret")
        self.jwks = jwks
        self.legacy_secret = legacy_secret

    def verify(self, token: str, now_s: int) -> Claims:
        if not token.strip():
            raise TokenError(TOKEN_MISSING, "no operator token was given; log in with a token from the site")
        if not is_jwt(token):
            if self.legacy_secret is None:
                raise TokenError(
                    TOKEN_INVALID, "old ck1 tokens are no longer accepted here; ask the site for a new token"
                )
            return verify_ck1(self.legacy_secret, token, now_s)
        if self.jwks is None:
            raise TokenError(TOKEN_INVALID, "this server takes only old ck1 tokens (it has no public keys)")
        return self.jwks.verify(token, now_s)
