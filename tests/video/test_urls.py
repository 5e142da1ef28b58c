"""Camera URLs, credentials and the secrets file (cockpit/video/urls.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.video import SecretsError
from cockpit.video.urls import (
    CameraSecrets,
    Credential,
    check_url,
    has_userinfo,
    redact,
    strip_userinfo,
    with_credentials,
)


def test_credentials_are_put_in_quoted_and_cut_out_again() -> None:
    url = with_credentials("rtsp://10.0.0.5:554/cam1/sub", Credential("wall", "p@ss:w/rd"))
    assert url == "rtsp://wall:p%40ss%3Aw%2Frd@10.0.0.5:554/cam1/sub"
    assert has_userinfo(url) and strip_userinfo(url) == "rtsp://10.0.0.5:554/cam1/sub"
    assert redact(f"cannot open {url}: 401") == "cannot open rtsp://***@10.0.0.5:554/cam1/sub: 401"
    assert "p@ss" not in redact("echo p@ss:w/rd", ["p@ss:w/rd"])
    assert repr(Credential("wall", "secret")).count("secret") == 0


_TEMPLATE = "error opening rtsp://***@cam.example:554/a (***)"


@given(
    st.text(min_size=1, max_size=30), st.text(min_size=4, max_size=30).filter(lambda p: p not in _TEMPLATE)
)
def test_redact_never_leaves_the_password(user: str, password: str) -> None:
    url = with_credentials("rtsp://cam.example:554/a", Credential(user, password))
    assert password not in redact(f"error opening {url} ({password})", [password])


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("rtsp://cam:554/a", ""),
        ("rtsps://cam/a", ""),
        ("http://cam/a", "bad URL: scheme 'http' is not one of rtsp, rtsps"),
        ("rtsp:///a", "bad URL: no host"),
        ("rtsp://cam:99999/a", "bad URL: Port out of range 0-65535"),
        ("cam1", "bad URL: scheme '(none)' is not one of rtsp, rtsps"),
    ],
)
def test_check_url(url: str, why: str) -> None:
    assert check_url(url) == why


def test_secrets_file(tmp_path: Path) -> None:
    f = tmp_path / "cameras.toml"
    f.write_text('[credential.jb]\nuser = "wall"\npassword = "s3"\n', encoding="utf-8")
    os.chmod(f, 0o640)
    secrets = CameraSecrets.load(f)
    assert (
        secrets.get("jb") == Credential("wall", "s3")
        and secrets.get("nope") is None
        and secrets.get("") is None
    )
    assert secrets.passwords() == ["s3"]
    os.chmod(f, 0o644)
    with pytest.raises(SecretsError, match="readable by everyone"):
        CameraSecrets.load(f)
    os.chmod(f, 0o600)
    f.write_text('[credential.jb]\nuser = "wall"\n', encoding="utf-8")
    with pytest.raises(SecretsError, match=r"credential\.jb needs a user and a password"):
        CameraSecrets.load(f)
    f.write_text("[cameras]\n", encoding="utf-8")
    with pytest.raises(SecretsError, match="unknown table"):
        CameraSecrets.load(f)
    f.write_text("not toml [", encoding="utf-8")
    with pytest.raises(SecretsError, match="not valid TOML"):
        CameraSecrets.load(f)
    with pytest.raises(SecretsError, match="cannot read"):
        CameraSecrets.load(tmp_path / "missing.toml")
