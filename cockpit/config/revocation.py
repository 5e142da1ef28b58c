"""The token revocation list: tokens a site no longer accepts before they expire (docs/operations.md).

A city runs offline, so revoking is a plain text file that the gateways and the demo backend read
(``--revoked-file``) and re-read when it changes, kept with ``cockpit-token revoke`` and shown with
``cockpit-token revoked``. One revocation a line; ``#`` starts a comment; blank lines are ignored::

    # cockpit token revocation list (cockpit-token revoke)
    id 3f9a1c2b7d4e5f60                                   # one token, by its id (``jti``)
    operator li.wei before 2026-11-22T23:40:00Z            # every token of li.wei issued before then
    operator "Zhao Lei" before 2026-11-23T08:00:00+08:00   # a name with spaces is quoted (JSON)

A token is revoked if its id is listed, or if its operator is listed with a ``before`` time later
than the token's issue time (the way to revoke tokens issued before tokens had ids, and to revoke
all of an operator's tokens at once while the new ones stay good). Times carry a zone (``Z`` or an
offset). The list holds no token and no secret: ids and operator names only.

A malformed file is an error naming file and line: at start-up the server does not start; while it
runs, the server keeps the last good list and logs the error until the file is fixed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cockpit.protocol.tokens import TOKEN_ID, Claims

log = logging.getLogger(__name__)

CHECK_EVERY_S = 2.0
"""How often a server looks at the file's modification time: a revocation bites within seconds."""

EXPECTED = "expected `id ID` or `operator NAME before TIME` (TIME like 2026-11-22T23:40:00Z)"

_FIELD = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(#.*)|([^\s"#]+))')


class RevocationError(ValueError):
    """A revocation list (or one line of it) cannot be used; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Revocation:
    """One line of the list: a token id, or an operator's tokens issued before a time."""

    line: int
    token_id: str = ""
    operator: str = ""
    before: int = 0
    """Unix seconds: the operator's tokens issued before this second are revoked."""
    note: str = ""
    """The line's comment, if any (who revoked, when, why)."""

    def describe(self) -> str:
        """The revocation in words, for ``cockpit-token revoked`` and the logs."""
        if self.token_id:
            return f"token id {self.token_id}"
        return f"tokens of {self.operator} issued before {utc_text(self.before)}"


class RevocationList:
    """The revocations of one version of the file, indexed for a check per hello."""

    def __init__(self, entries: tuple[Revocation, ...] = ()) -> None:
        self.entries = entries
        self._ids = {r.token_id: r for r in entries if r.token_id}
        self._operators: dict[str, Revocation] = {}
        for r in entries:
            if r.operator and r.before > self._operators.get(r.operator, Revocation(0)).before:
                self._operators[r.operator] = r

    def __len__(self) -> int:
        return len(self.entries)

    def revoking(self, claims: Claims) -> Revocation | None:
        """The revocation that voids a token with ``claims``; None if the token still holds."""
        if claims.token_id and claims.token_id in self._ids:
            return self._ids[claims.token_id]
        by_operator = self._operators.get(claims.operator)
        if by_operator is not None and claims.issued_at < by_operator.before:
            return by_operator
        return None


def refusal_detail(claims: Claims, revocation: Revocation) -> str:
    """What the operator is told (the refusal's detail): whose token, never the token itself."""
    if revocation.token_id:
        return f"the token of {claims.operator} (id {revocation.token_id}) was revoked; ask for a new one"
    return (
        f"the tokens of {claims.operator} issued before {utc_text(revocation.before)} were revoked; "
        "ask for a new one"
    )


# ------------------------------------------------------------------------------------ the text


def utc_text(unix_s: int) -> str:
    """``2026-11-22T23:40:00Z``: how the list writes a time."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_s))


def parse_time(text: str) -> int:
    """Unix seconds of an ISO 8601 time with a zone (``2026-11-22T23:40:00Z``, ``…+08:00``).

    Raises:
        ValueError: not such a time, or no zone (a list read in two time zones must mean one time).
    """
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a time like 2026-11-22T23:40:00Z") from None
    if when.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone; add Z for UTC or an offset such as +08:00")
    return int(when.timestamp())


def quote_name(name: str) -> str:
    """An operator name as a list writes it: bare, or JSON-quoted if it holds spaces, quotes or ``#``."""
    if name and re.fullmatch(r'[^\s"#\\]+', name):
        return name
    return json.dumps(name, ensure_ascii=False)


def entry_text(revocation: Revocation) -> str:
    """One line of the list for ``revocation`` (its note as a comment)."""
    if revocation.token_id:
        text = f"id {revocation.token_id}"
    else:
        text = f"operator {quote_name(revocation.operator)} before {utc_text(revocation.before)}"
    return f"{text}  # {revocation.note}" if revocation.note else text


def _fields(text: str) -> tuple[list[str], str]:
    """The words of one line (quoted names unquoted) and its comment.

    Raises:
        ValueError: an unterminated or broken quoted name.
    """
    words: list[str] = []
    pos = 0
    while pos < len(text) and text[pos:].strip():
        m = _FIELD.match(text, pos)
        if m is None:
            raise ValueError(f"a quoted name is not closed (column {pos + 1})")
        quoted, comment, bare = m.groups()
        if comment is not None:
            return words, comment[1:].strip()
        if quoted is not None:
            try:
                words.append(json.loads(quoted))
            except ValueError:
                raise ValueError(f"the quoted name {quoted} is not a JSON string") from None
        else:
            words.append(bare)
        pos = m.end()
    return words, ""


def parse_line(number: int, text: str) -> Revocation | None:
    """The revocation on line ``number`` (1-based), or None for a blank or comment line.

    Raises:
        ValueError: the line says something else; the message says what is expected.
    """
    words, note = _fields(text)
    if not words:
        return None
    if words[0] == "id" and len(words) == 2:
        if not TOKEN_ID.fullmatch(words[1]):
            raise ValueError(f"{words[1]!r} is not a token id (1 to 64 letters, digits, '-' or '_')")
        return Revocation(number, token_id=words[1], note=note)
    if words[0] == "operator" and len(words) == 4 and words[2] == "before":
        if not words[1].strip():
            raise ValueError("the operator name is empty")
        return Revocation(number, operator=words[1], before=parse_time(words[3]), note=note)
    raise ValueError(f"{' '.join(words)!r} is not a revocation; {EXPECTED}")


def parse(text: str, source: str = "<revocation list>") -> RevocationList:
    """The revocations in ``text``.

    Raises:
        RevocationError: ``source:line: what is wrong``, for the first bad line.
    """
    entries: list[Revocation] = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            entry = parse_line(number, line)
        except ValueError as exc:
            raise RevocationError(f"{source}:{number}: {exc}") from None
        if entry is not None:
            entries.append(entry)
    return RevocationList(tuple(entries))


def read_list(path: Path) -> RevocationList:
    """The revocation list in ``path``.

    Raises:
        RevocationError: unreadable (missing, not UTF-8) or malformed; names the file (and line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RevocationError(
            f"{path}: no such revocation list (create it empty, or with `cockpit-token revoke --list {path}`)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RevocationError(f"{path}: cannot read the revocation list: {exc.__class__.__name__}") from None
    return parse(text, str(path))


def append(path: Path, revocation: Revocation) -> RevocationList:
    """Add ``revocation`` to the list in ``path`` (made if missing), replacing the file in one step so
    that a server never reads half of it. A malformed list is not touched.

    Raises:
        RevocationError: the list is malformed or unreadable, or cannot be written.
    """
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = "# cockpit token revocation list: kept with `cockpit-token revoke`; see docs/operations.md\n"
    except (OSError, UnicodeDecodeError) as exc:
        raise RevocationError(f"{path}: cannot read the revocation list: {exc.__class__.__name__}") from None
    parse(old, str(path))
    text = old + ("" if not old or old.endswith("\n") else "\n") + entry_text(revocation) + "\n"
    revoked = parse(text, str(path))
    spare = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        spare.write_text(text, encoding="utf-8")
        with contextlib.suppress(OSError):
            os.chmod(spare, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(spare, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            spare.unlink()
        raise RevocationError(f"{path}: cannot write the revocation list: {exc.strerror}") from None
    return revoked


# ------------------------------------------------------------------------------------ the live file


class RevocationFile:
    """A revocation list file that a server follows: :meth:`refresh` re-reads it when it changed.

    Args:
        path: The file (``--revoked-file``).
        check_every_s: How often the server calls :meth:`refresh` (it also calls it on each hello).

    Raises:
        RevocationError: at construction, the file is missing, unreadable or malformed (start-up
            refuses a list it cannot read: a server that silently revoked nothing would be worse).
    """

    def __init__(self, path: Path, check_every_s: float = CHECK_EVERY_S) -> None:
        self.path = path
        self.check_every_s = check_every_s
        self._stamp = self._stat()
        self.current = read_list(path)
        """The last good list."""
        self.version = 1
        """Goes up each time a changed file is read well: a server re-checks its sessions then."""
        self.error = ""
        """Why the file on disk is not the list in force (``""`` when it is)."""

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def refresh(self) -> bool:
        """Re-read the file if its modification time, size or inode changed; True if a new list is
        in force. A malformed or vanished file keeps the last good list, and the error is logged."""
        stamp = self._stat()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            if stamp is None:
                raise RevocationError(f"{self.path}: the revocation list is gone")
            revocations = read_list(self.path)
        except RevocationError as exc:
            self.error = str(exc)
            log.error("%s; keeping the last good list (%d revocations)", exc, len(self.current))
            return False
        if self.error:
            log.info("%s: the revocation list is good again", self.path)
        self.error = ""
        self.current = revocations
        self.version += 1
        log.info("%s: %d revocations in force", self.path, len(revocations))
        return True

    def revoking(self, claims: Claims) -> Revocation | None:
        """The revocation in force that voids ``claims``' token, if any."""
        return self.current.revoking(claims)

    def why_revoked(self, claims: Claims) -> str:
        """Why ``claims``' token is revoked now (a refusal's detail), ``""`` if it is not. Looks
        at the file first (one stat), so a hello always meets the newest list."""
        self.refresh()
        revocation = self.revoking(claims)
        return "" if revocation is None else refusal_detail(claims, revocation)

    async def changes(self) -> AsyncIterator[None]:
        """Yields each time a changed list comes in force (checked every ``check_every_s``): the
        servers re-check their open sessions then."""
        seen = self.version
        while True:
            await asyncio.sleep(self.check_every_s)
            self.refresh()
            if self.version != seen:
                seen = self.version
                yield
