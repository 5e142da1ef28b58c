"""Site configuration (``site.toml``) and per-user settings; no Qt.

A centre's installation is one package and one site file: which district and level the centre is,
which backends it talks to and how it trusts them, its wall layout and language, and where its
recordings go. The file is validated on start, completely: every problem is reported with its key,
its value and what was expected, and unknown keys are errors, so a typo is never silently ignored.
Per-user settings (last language, window geometry) live in the platform's user config directory.

Exceptions:
    SiteError: the site file cannot be used; ``errors`` lists every problem found.
"""

from cockpit.config.site import (
    DEFAULT_SITE_PATH,
    LANGUAGES,
    SiteConfig,
    SiteError,
    demo_site,
    load_site,
    parse_site,
)
from cockpit.config.tls import tls_context
from cockpit.config.user import UserSettings, load_user_settings, save_user_settings, user_settings_path

__all__ = [
    "DEFAULT_SITE_PATH",
    "LANGUAGES",
    "SiteConfig",
    "SiteError",
    "UserSettings",
    "demo_site",
    "load_site",
    "load_user_settings",
    "parse_site",
    "save_user_settings",
    "tls_context",
    "user_settings_path",
]
