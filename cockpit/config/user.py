"""Per-user settings: what one officer's cockpit remembers between shifts (never site policy).

They live in the platform's user config directory (``~/.config/cockpit/settings.json`` on Linux,
``%LOCALAPPDATA%\\cockpit`` on Windows), as JSON so they can be written back. A damaged file is
reported and replaced by defaults: losing a window position must never stop the wall.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import msgspec
import platformdirs

log = logging.getLogger(__name__)


class UserSettings(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What the cockpit remembers for one user. Unknown keys (from a newer version) are ignored."""

    language: str | None = None
    """Last chosen user-interface language; the site's and the command line's win over it."""
    geometry: dict[str, str] = msgspec.field(default_factory=dict)
    """Window name to its saved geometry (``QWidget.saveGeometry()``, base64)."""
    console_tab: int = 0
    """The console tab open at exit."""


def user_settings_path() -> Path:
    """Where this user's settings file lives."""
    return platformdirs.user_config_path("cockpit", appauthor=False) / "settings.json"


def load_user_settings(path: Path | None = None) -> UserSettings:
    """Read the user's settings; defaults if there are none, and (logged) if the file is damaged."""
    path = path or user_settings_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return UserSettings()
    except OSError as exc:
        log.warning("cannot read user settings %s (%s): using defaults", path, exc)
        return UserSettings()
    try:
        return msgspec.json.decode(data, type=UserSettings)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        log.warning("user settings %s are damaged (%s): using defaults", path, exc)
        return UserSettings()


def save_user_settings(settings: UserSettings, path: Path | None = None) -> Path:
    """Write the user's settings atomically (a crash mid-write leaves the old file whole).

    Raises:
        OSError: the folder cannot be created or written.
    """
    path = path or user_settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(msgspec.json.format(msgspec.json.encode(settings)))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
