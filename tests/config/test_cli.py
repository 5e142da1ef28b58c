"""The site file on the command line: defaults from the site, flags win, a bad file stops at once."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from cockpit.app.main import build_parser, main
from cockpit.config import SiteError, demo_site
from cockpit.config.cli import apply_site, parse_with_site, parser_defaults, resolve_site

SITE = """[centre]
district = "jiangbei"
level = "street"
name = "观音桥街道"
[backend]
urls = ["wss://a.example:8765", "wss://b.example:8765"]
allow_insecure = true
[wall]
language = "zh_CN"
layout = "wall.yaml"
"""


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    (tmp_path / "wall.yaml").write_text("screens:\n  - runway: overview\n")
    path = tmp_path / "site.toml"
    path.write_text(SITE, encoding="utf-8")
    return path


def parsed(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_site_values_become_the_defaults(site_file: Path) -> None:
    args = parsed("--site", str(site_file))
    apply_site(args, resolve_site(args.site))
    assert args.backend == ["wss://a.example:8765", "wss://b.example:8765"]
    assert args.lang == "zh_CN" and args.allow_insecure is True
    assert args.layout == site_file.parent / "wall.yaml"
    assert args.ca_file is None and args.site_config.district == "jiangbei"


def test_command_line_flags_override_the_site(site_file: Path, tmp_path: Path) -> None:
    args = parsed("--site", str(site_file), "--backend", "wss://c:1", "--lang", "en", "--layout", "x.yaml")
    apply_site(args, resolve_site(args.site))
    assert args.backend == ["wss://c:1"]  # replaces the site's list, does not add to it
    assert args.lang == "en" and args.layout == Path("x.yaml")


def test_default_site_file_is_used_when_present_else_the_demo(site_file: Path, tmp_path: Path) -> None:
    assert resolve_site(None, default=site_file).path == site_file
    demo = resolve_site(None, default=tmp_path / "absent.toml")
    assert demo.is_demo and demo == demo_site()
    with pytest.raises(SiteError):  # an explicit --site must exist
        resolve_site(tmp_path / "absent.toml")


def test_invalid_site_file_exits_2_before_any_window(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "site.toml"
    bad.write_text('[centre]\ndistrict = "jiangbei"\nlevel = "village"\nname = "x"\n[backend]\nurl = []\n')
    assert main(["--site", str(bad), "--screenshot", str(tmp_path / "shots"), "--quit-after", "1"]) == 2
    err = capsys.readouterr().err
    assert f'{bad}: centre.level = "village": expected' in err
    assert f"{bad}: backend.url = []: unknown key (did you mean backend.urls?)" in err
    assert not (tmp_path / "shots").exists()  # stopped before doing anything


def test_bad_ca_file_on_the_command_line_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("nope")
    assert main(["--site", str(tmp_path / "none.toml")]) == 2  # missing --site file
    assert "cannot read the site file" in capsys.readouterr().err
    assert main(["--ca-file", str(ca), "--backend", "wss://a:1", "--quit-after", "1"]) == 2
    assert "--ca-file" in capsys.readouterr().err


def test_recording_settings_come_from_the_site_unless_given(site_file: Path, tmp_path: Path) -> None:
    site_file.write_text(SITE + '[recording]\ndir = "rec"\nretention_days = 7\ndisk_budget_gb = 120\n')
    args = parse_with_site(build_parser(), ["--site", str(site_file)])
    assert (args.record, args.retention_days, args.disk_budget_gb) == (tmp_path / "rec", 7.0, 120.0)
    args = parse_with_site(build_parser(), ["--site", str(site_file), "--disk-budget-gb", "5", "--no-record"])
    assert args.disk_budget_gb == 5.0 and args.retention_days == 7.0 and args.no_record


def test_without_a_site_file_the_recorder_keeps_its_own_defaults() -> None:
    assert parser_defaults(demo_site()) == {}


@pytest.mark.slow
def test_cockpit_runs_on_the_site_files_backend(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from cockpit.app.embedded import EmbeddedBackend

    embedded = EmbeddedBackend(rate=200)
    url = embedded.start()
    try:
        site = tmp_path / "site.toml"
        site.write_text(
            f'[centre]\ndistrict = "jiangbei"\nlevel = "district"\nname = "江北区"\n[backend]\nurls = ["{url}"]\n'
            f'[recording]\ndir = "{tmp_path}/rec"\n',
            encoding="utf-8",
        )
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "cockpit"), "--site", str(site), "--screenshot", str(tmp_path / "s"),
             "--quit-after", "4"],
            capture_output=True, text=True, timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )  # fmt: skip
    finally:
        embedded.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "demo backend at" not in proc.stderr  # no embedded city of its own: the site's backend
    assert f"feed live: {url}" in proc.stderr
    assert (tmp_path / "s" / "overview.png").is_file()
