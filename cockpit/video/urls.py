"""Camera stream URLs and their credentials (docs/protocol.md §5.7, docs/video.md).

A stream URL on the wire never carries a user or password: the catalog names a *credential*, and
the site's camera secrets file (``video.secrets_file`` in site.toml) holds it. The URL with the
credential put in is made only for the decoder (:func:`with_credentials`) and never logged: every
URL and error text that reaches a log, a tile or the audit trail goes through :func:`redact`.
"""

from __future__ import annotations

import enum
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from cockpit.video import SecretsError

SCHEMES = ("rtsp", "rtsps")
"""Transports decoded today; HLS (``https`` .m3u8) and WHEP would be added here and in the worker."""

SUPPORTED_CODECS = ("h264",)
"""Codecs the wall decodes; a camera announcing another is refused with a clear reason."""


class StreamKind(enum.StrEnum):
    """Which of a camera's two streams a tile decodes."""

    SUB = "sub"
    MAIN = "main"


@dataclass(frozen=True, slots=True)
class Credential:
    """A camera user and password; the password is never shown by ``repr``."""

    user: str
    password: str = field(repr=False)


_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with any ``user:password@`` of a URL and every given secret string cut out.

    Use it on everything that can hold a URL before it is logged or shown (FFmpeg's error messages
    name the URL they failed to open).
    """
    out = _USERINFO.sub(r"\g<scheme>***@", text)
    for s in secrets:
        if s:
            out = out.replace(s, "***").replace(quote(s, safe=""), "***")
    return out


def has_userinfo(url: str) -> bool:
    """Whether ``url`` carries a user or password (which the protocol forbids, §5.7)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return "@" in parts.netloc


def check_url(url: str) -> str:
    """Why ``url`` cannot be decoded (``""``: it can be tried). Never contains a credential."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"bad URL: {exc}"
    if parts.scheme not in SCHEMES:
        return f"bad URL: scheme {parts.scheme or '(none)'!r} is not one of {', '.join(SCHEMES)}"
    if not parts.hostname:
        return "bad URL: no host"
    if port == 0:
        return "bad URL: port 0"
    return ""


def strip_userinfo(url: str) -> str:
    """``url`` without any user or password."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def with_credentials(url: str, credential: Credential | None) -> str:
    """The URL the decoder opens: ``url`` with the credential's user and password put in."""
    if credential is None:
        return url
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    userinfo = f"{quote(credential.user, safe='')}:{quote(credential.password, safe='')}"
    return urlunsplit((parts.scheme, f"{userinfo}@{host}", parts.path, parts.query, parts.fragment))


@dataclass(frozen=True, slots=True)
class CameraSecrets:
    """The site's camera credentials by name (``video.secrets_file`` in site.toml).

    The file is TOML, one table per credential::

        [credential.district-cameras]
        user = "wall"
        password = "…"
    """

    credentials: dict[str, Credential] = field(default_factory=dict)
    path: Path | None = None

    def get(self, name: str) -> Credential | None:
        return self.credentials.get(name) if name else None

    def passwords(self) -> list[str]:
        """Every secret string, for :func:`redact`."""
        return [c.password for c in self.credentials.values() if c.password]

    @classmethod
    def load(cls, path: Path) -> CameraSecrets:
        """Read a secrets file.

        Raises:
            SecretsError: unreadable, not TOML, a credential without a user or password, or readable
                by others than its owner and group (the file holds passwords).
        """
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            mode = path.stat().st_mode
        except OSError as exc:
            raise SecretsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise SecretsError(f"{path}: cannot read: not UTF-8 ({exc.reason})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SecretsError(f"{path}: not valid TOML: {exc}") from exc
        if os.name == "posix" and mode & stat.S_IROTH:
            raise SecretsError(f"{path}: readable by everyone; chmod o-r (it holds camera passwords)")
        table = data.get("credential", {})
        unknown = sorted(set(data) - {"credential"})
        if unknown:
            raise SecretsError(f"{path}: unknown table(s) {', '.join(unknown)}; expected [credential.NAME]")
        if not isinstance(table, dict):
            raise SecretsError(f"{path}: 'credential' must be a table of tables")
        creds: dict[str, Credential] = {}
        for name, entry in table.items():
            if not isinstance(entry, dict):
                raise SecretsError(f"{path}: credential.{name} must be a table with user and password")
            user, password = entry.get("user"), entry.get("password")
            if not isinstance(user, str) or not user or not isinstance(password, str):
                raise SecretsError(f"{path}: credential.{name} needs a user and a password (strings)")
            creds[name] = Credential(user, password)
        return cls(creds, path)
