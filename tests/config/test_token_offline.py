"""``cockpit doctor``'s offline token check: the site's public keys (auth.jwks_file) against the token."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cockpit.config.tokens import TokenFileError, check_token_offline
from cockpit.protocol import jwt_tokens
from cockpit.protocol.tokens import Claims


def test_the_token_is_checked_against_the_site_keys_and_a_private_set_is_refused(tmp_path: Path) -> None:
    key, other = jwt_tokens.new_private_key(), jwt_tokens.new_private_key("EdDSA")
    public = tmp_path / "site.jwks"
    public.write_text(json.dumps({"keys": [jwt_tokens.public_of(key)]}))
    now = int(time.time())
    good = jwt_tokens.issue(key, Claims("li.wei", "operator", (), now, now + 7200, "t1"))
    ok, text = check_token_offline(good, public, now)
    assert ok and text.startswith("li.wei (operator)") and good not in text
    forged = jwt_tokens.issue(other, Claims("li.wei", "supervisor", (), now, now + 60, "t2"))
    ok, text = check_token_offline(forged, public, now)
    assert not ok and text.startswith("token_invalid") and "does not know" in text
    ok, text = check_token_offline(good, public, now + 7200 + 60)
    assert not ok and text.startswith("token_expired")
    private = tmp_path / "site.keys"
    private.write_text(json.dumps({"keys": [key]}))
    with pytest.raises(TokenFileError, match="PRIVATE"):
        check_token_offline(good, private, now)
