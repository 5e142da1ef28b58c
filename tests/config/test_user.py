"""Per-user settings: round trip, atomic write, a damaged file never stops the wall."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cockpit.config import UserSettings, load_user_settings, save_user_settings, user_settings_path


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "settings.json"
    saved = UserSettings(language="zh_CN", geometry={"console": "AdnQywADAAA="}, console_tab=2)
    assert save_user_settings(saved, path) == path
    assert load_user_settings(path) == saved
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary left behind


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_user_settings(tmp_path / "none.json") == UserSettings()


def test_damaged_file_is_reported_and_defaults_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"language": 5}')
    with caplog.at_level(logging.WARNING):
        assert load_user_settings(path) == UserSettings()
    assert "damaged" in caplog.text and str(path) in caplog.text


def test_settings_live_in_the_user_config_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_settings_path() == tmp_path / "cockpit" / "settings.json"
