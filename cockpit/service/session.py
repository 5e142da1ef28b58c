"""What the console showed, kept across restarts (``<data dir>/session.json``).

The console's window geometry, its open tab and the selected event are written every few seconds
when they change (a ``kill -9`` loses at most that), and put back at the next start. It lives in the
wall's data folder beside its outbox (not in the user's settings): it belongs to this wall.
"""

from __future__ import annotations

import logging
from pathlib import Path

import msgspec

from cockpit.audit.files import SyncPolicy, write_atomically

log = logging.getLogger(__name__)

SESSION_FILE = "session.json"


class SessionState(msgspec.Struct, kw_only=True, omit_defaults=True):
    console_geometry: str = ""
    """``QWidget.saveGeometry()``, base64."""
    console_tab: int = 0
    selected_event: str = ""


def load_session(folder: Path) -> SessionState | None:
    """The saved session, or None (none yet, or unreadable: logged)."""
    path = folder / SESSION_FILE
    try:
        return msgspec.json.decode(path.read_bytes(), type=SessionState)
    except FileNotFoundError:
        return None
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
        log.warning("session %s unreadable (%s): the console opens as new", path, exc)
        return None


def save_session(folder: Path, state: SessionState) -> None:
    """Write it atomically (a crash leaves the old or the new one); a failure is logged, not raised."""
    try:
        write_atomically(folder / SESSION_FILE, msgspec.json.encode(state), SyncPolicy.NEVER)
    except OSError as exc:
        log.error("session %s not written: %s", folder / SESSION_FILE, exc)
