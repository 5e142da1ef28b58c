"""Standard tokens (docs/protocol.md §3.1): JWTs checked offline against the site's public keys.

- A token made by a stock JWT library (PyJWT and cryptography, nothing from the cockpit) from the
  document's description alone is accepted by a real demo backend.
- A backend configured with public keys only cannot mint a token.
- A token signed with another key, with ``alg: none``, or expired is refused with the documented code.
- Old ck1 tokens are accepted only with the migration flag (``--secret-file``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jwt as pyjwt
import msgspec
import pytest
import websockets
from cryptography.hazmat.primitives.asymmetric import ec

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.config.tokens import TokenFileError, read_jwks_file, read_private_keys
from cockpit.protocol import jwt_tokens
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.jwt_tokens import Jwks, KeyFileError, SiteVerifier
from cockpit.protocol.messages import Hello
from cockpit.protocol.server import CLOSE_REFUSED
from cockpit.protocol.tokens import TOKEN_EXPIRED, TOKEN_INVALID, Claims, TokenError
from cockpit.protocol.tokens import issue as issue_ck1
from tests.security.support import KEY, PUBLIC, SECRET

ROOT = Path(__file__).resolve().parents[2]
NOW = int(time.time())


def b64url(n: int, size: int = 32) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(size, "big")).rstrip(b"=").decode()


def stock_site() -> tuple[ec.EllipticCurvePrivateKey, dict[str, Any]]:
    """A site key and its JWKS, written by hand as §3.1 describes (RFC 7517/7518 EC P-256 key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x), "y": b64url(numbers.y)}
    jwk.update(kid="district-2026-12", alg="ES256", use="sig")
    return key, {"keys": [jwk]}


def stock_token(key: ec.EllipticCurvePrivateKey, **changes: Any) -> str:
    claims = {
        "sub": "chen.jie",
        "role": "supervisor",
        "districts": ["jiangbei"],
        "iat": NOW,
        "exp": NOW + 3600,
        "jti": "a1b2c3d4e5f60718",
        "aud": "cockpit",
        "iss": "chongqing",
    }
    claims.update(changes)
    return pyjwt.encode(claims, key, algorithm="ES256", headers={"kid": "district-2026-12"})


async def hello(url: str, token: str) -> tuple[dict[str, Any], int | None]:
    async with websockets.connect(url, compression=None, proxy=None) as ws:
        await ws.send(encode_frame([Hello(v=1, client_id="district-test", operator="x", role="viewer", token=token)]))
        (answer,) = msgspec.msgpack.decode(await ws.recv())
        if answer["t"] == "refused":
            with pytest.raises(websockets.ConnectionClosed):
                await ws.recv()
        return answer, ws.close_code


def run_backend(jwks_file: Path, tokens: list[str]) -> list[tuple[dict[str, Any], int | None]]:
    async def body() -> list[tuple[dict[str, Any], int | None]]:
        city = City(Hub(), seed=5, rate=100, sensors_per_kind=2)
        async with DemoBackend(city, verifier=SiteVerifier(read_jwks_file(jwks_file))) as backend:
            return [await hello(backend.url, t) for t in tokens]

    return asyncio.run(body())


def test_a_token_from_a_stock_jwt_library_is_accepted_and_bad_ones_refused_with_their_codes(tmp_path: Path) -> None:
    key, jwks = stock_site()
    jwks_file = tmp_path / "site.jwks"
    jwks_file.write_text(json.dumps(jwks))
    other_key, _ = stock_site()
    unsigned = pyjwt.encode(
        {"sub": "chen.jie", "role": "supervisor", "iat": NOW, "exp": NOW + 60, "jti": "x1", "aud": "cockpit"},
        None,
        algorithm="none",
        headers={"kid": "district-2026-12"},
    )
    answers = run_backend(
        jwks_file,
        [
            stock_token(key),
            stock_token(other_key),  # same kid, another key
            unsigned,  # alg: none
            stock_token(key, iat=NOW - 7200, exp=NOW - 3600),  # expired an hour ago
            stock_token(key, aud="something-else"),
            stock_token(key, role="admin"),
        ],
    )
    welcome, close = answers[0]
    assert welcome["t"] == "welcome" and close is None
    codes = [(a.get("code"), c) for a, c in answers[1:]]
    assert codes == [(TOKEN_INVALID, CLOSE_REFUSED)] * 2 + [(TOKEN_EXPIRED, CLOSE_REFUSED)] + [
        (TOKEN_INVALID, CLOSE_REFUSED)
    ] * 2


def test_the_claims_are_taken_from_the_token_and_absent_districts_mean_the_whole_city() -> None:
    key, jwks = stock_site()
    verifier = Jwks(jwks)
    claims = verifier.verify(stock_token(key), NOW)
    assert claims == Claims("chen.jie", "supervisor", ("jiangbei",), NOW, NOW + 3600, "a1b2c3d4e5f60718")
    whole = pyjwt.encode(
        {"sub": "wang.fang", "role": "viewer", "iat": NOW, "exp": NOW + 60, "jti": "b2", "aud": "cockpit"},
        key,
        algorithm="ES256",
        headers={"kid": "district-2026-12"},
    )
    assert verifier.verify(whole, NOW).districts == ()
    # Clock skew: 60 s either way (§3.1).
    assert verifier.verify(stock_token(key, exp=NOW), NOW + 59).operator == "chen.jie"
    with pytest.raises(TokenError) as err:
        verifier.verify(stock_token(key, exp=NOW), NOW + 60)
    assert err.value.code == TOKEN_EXPIRED
    with pytest.raises(TokenError) as err:
        verifier.verify(stock_token(key, iat=NOW + 120), NOW)
    assert err.value.code == TOKEN_INVALID


def test_a_server_with_public_keys_only_cannot_mint_a_token(tmp_path: Path) -> None:
    private, public = tmp_path / "site.keys", tmp_path / "site.jwks"
    made = token_cli("keys", "new", "--private", str(private), "--public", str(public))
    assert made.returncode == 0, made.stderr
    assert private.stat().st_mode & 0o777 == 0o600
    held = json.loads(public.read_text())
    assert all("d" not in k for k in held["keys"]), "the public set has no private part"
    verifier = read_jwks_file(public)
    assert not hasattr(verifier, "key") and all(not hasattr(k.key, "sign") for k in verifier._keys.values())
    with pytest.raises(ValueError, match="private key"):
        jwt_tokens.issue(held["keys"][0], Claims("x", "supervisor", (), NOW, NOW + 60, "t"))
    minted = token_cli("issue", "--key-file", str(public), "--operator", "x", "--role", "supervisor")
    assert minted.returncode == 2 and "not a private" in minted.stderr and not minted.stdout
    # Nor may a server be handed the private set by mistake: it refuses to load it.
    with pytest.raises(TokenFileError, match="PRIVATE key"):
        read_jwks_file(private)
    # The issuer's token verifies with the public set.
    issued = token_cli("issue", "--key-file", str(private), "--operator", "li.wei", "--role", "operator")
    assert issued.returncode == 0
    assert verifier.verify(issued.stdout.strip(), int(time.time())).operator == "li.wei"


def test_key_rotation_keeps_old_tokens_until_the_old_key_is_retired(tmp_path: Path) -> None:
    private, public = tmp_path / "site.keys", tmp_path / "site.jwks"
    token_cli("keys", "new", "--private", str(private), "--public", str(public))
    old = token_cli("issue", "--key-file", str(private), "--operator", "li.wei", "--role", "operator").stdout.strip()
    old_kid = read_private_keys(private)[0]["kid"]
    assert token_cli("keys", "new", "--alg", "EdDSA", "--private", str(private), "--public", str(public)).returncode == 0
    new = token_cli("issue", "--key-file", str(private), "--operator", "li.wei", "--role", "operator").stdout.strip()
    assert pyjwt.get_unverified_header(new)["alg"] == "EdDSA"
    now = int(time.time())
    both = read_jwks_file(public)
    assert both.verify(old, now).operator == both.verify(new, now).operator == "li.wei"
    retired = token_cli("keys", "retire", f"--kid={old_kid}", "--private", str(private), "--public", str(public))
    assert retired.returncode == 0
    with pytest.raises(TokenError) as err:
        read_jwks_file(public).verify(old, now)
    assert err.value.code == TOKEN_INVALID and old_kid in err.value.detail


def test_ck1_tokens_are_accepted_only_behind_the_migration_flag() -> None:
    old = issue_ck1(SECRET, Claims("li.wei", "operator", (), NOW, NOW + 60, "c1"))
    with pytest.raises(TokenError) as err:
        SiteVerifier(Jwks(PUBLIC)).verify(old, NOW)
    assert err.value.code == TOKEN_INVALID and "ck1" in err.value.detail
    migrating = SiteVerifier(Jwks(PUBLIC), legacy_secret=SECRET)
    assert migrating.verify(old, NOW).operator == "li.wei"
    new = jwt_tokens.issue(KEY, Claims("li.wei", "operator", (), NOW, NOW + 60, "j1"))
    assert migrating.verify(new, NOW).token_id == "j1"


def test_a_public_set_must_not_hold_a_private_key() -> None:
    with pytest.raises(KeyFileError, match="PRIVATE"):
        Jwks({"keys": [KEY]})


def token_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cockpit.config.tokens", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_a_ck1_token_made_from_the_documents_description_is_accepted_during_the_migration(tmp_path: Path) -> None:
    """§3.1's ck1 paragraph, followed with the standard library alone."""
    import hashlib
    import hmac

    secret_text = "ab" * 32
    (tmp_path / "site.secret").write_text(f"  {secret_text}\n")
    claims = {"op": "li.wei", "role": "operator", "iat": NOW, "exp": NOW + 60}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    signed = f"ck1.{body}"
    mac = hmac.new(secret_text.encode(), signed.encode("ascii"), hashlib.sha256).digest()
    token = f"{signed}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    from cockpit.config.tokens import read_secret_file

    verifier = SiteVerifier(Jwks(PUBLIC), legacy_secret=read_secret_file(tmp_path / "site.secret"))
    assert verifier.verify(token, NOW).districts == ()
    with pytest.raises(TokenError) as err:
        verifier.verify(token, NOW + 60)
    assert err.value.code == TOKEN_EXPIRED
