"""End to end, as a city runs it: ``cockpit-backend --secret-file``, tokens from ``cockpit-token``,
and ``cockpit --token-file`` (or the site's ``auth.token_file``) logging in, or being refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.config.site import load_site
from cockpit.protocol.tokens import Claims, issue

BIN = Path(sys.executable).parent


@pytest.fixture
def site_backend(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A ``cockpit-backend`` checking tokens with a new site secret; yields its URL and the secret file."""
    secret = tmp_path / "site.secret"
    subprocess.run([sys.executable, "-m", "cockpit.config.tokens", "secret", str(secret)], check=True, timeout=60)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cockpit.backend.main", "--port", "0", "--rate", "100", "--secret-file", str(secret)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "serving ws://" in line, line
        yield line.split("serving ")[1].split()[0], secret
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def cockpit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "cockpit"), "--screenshot", str(tmp_path / "shots"), "--quit-after", "4",
         "--data-dir", str(tmp_path / "data"), "--no-record", *args],
        capture_output=True, text=True, timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )  # fmt: skip


@pytest.mark.slow
def test_a_site_token_file_logs_the_operator_in_and_an_expired_one_is_refused_in_words(
    tmp_path: Path, site_backend: tuple[str, Path]
) -> None:
    url, secret = site_backend
    token_file = tmp_path / "li.wei.token"
    made = subprocess.run(
        [sys.executable, "-m", "cockpit.config.tokens", "issue", "--secret-file", str(secret), "--operator",
         "li.wei", "--role", "supervisor", "--out", str(token_file)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site.toml"
    site.write_text(
        f'[centre]\ndistrict = "jiangbei"\nlevel = "district"\nname = "test"\n[backend]\nurls = ["{url}"]\n'
        f'[auth]\ntoken_file = "{token_file.name}"\n',
        encoding="utf-8",
    )
    assert load_site(site).token_file == token_file
    good = cockpit(tmp_path, "--site", str(site), "--operator", "nobody", "--role", "viewer")
    assert good.returncode == 0, good.stderr[-3000:]
    assert f"feed live: {url}" in good.stderr and "operator li.wei (supervisor) from token" in good.stderr
    audit = (tmp_path / "data" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"operator":"li.wei"' in audit and '"role":"supervisor"' in audit
    tok = token_file.read_text().strip()
    assert tok not in good.stderr and tok not in audit

    expired = tmp_path / "old.token"
    key = secret.read_text().strip().encode()
    expired.write_text(issue(key, Claims("li.wei", "operator", (), 1_000, 2_000)))
    bad = cockpit(tmp_path, "--backend", url, "--token-file", str(expired))
    assert bad.returncode == 0, bad.stderr[-3000:]
    assert "backend refused this cockpit: token_expired" in bad.stderr and "feed live" not in bad.stderr
    assert expired.read_text() not in bad.stderr

    missing = cockpit(tmp_path, "--backend", url, "--token-file", str(tmp_path / "none"))
    assert missing.returncode == 2 and "the operator token cannot be used" in missing.stderr
    assert str(tmp_path / "none") in missing.stderr


def test_servers_refuse_to_start_on_a_bad_secret_file_and_say_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cockpit.backend.gateway.main import main as gateway_main
    from cockpit.backend.main import main as backend_main

    short = tmp_path / "short.secret"
    short.write_text("abc\n")
    assert gateway_main(["--nats", "nats://127.0.0.1:1", "--secret-file", str(short)]) == 2
    assert f"{short}: the site secret has 3 bytes" in capsys.readouterr().err
    assert backend_main(["--port", "0", "--secret-file", str(tmp_path / "none")]) == 2
    assert f"{tmp_path / 'none'}: cannot read the site secret" in capsys.readouterr().err
