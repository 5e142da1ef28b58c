"""The persistent outbox: commands and audit records owed to the backend, kept on disk until answered.

A command made while the link is down must survive the cockpit stopping (a crash, a restart): the
next cockpit on the same file sends it with the same id, so the backend still applies it once
(§7.3). Audit records the backend has not acknowledged yet (§7.8) are kept the same way.

The file is a journal, JSON Lines, one whole line per ``write`` (durability:
:class:`~cockpit.audit.files.SyncPolicy`)::

    {"format": "cockpit-outbox", "v": 1}                      the header
    {"op": "command", "at": <unix s>, "command": {...}}       queued (at: issued or last confirmed)
    {"op": "confirm", "id": ..., "at": <unix s>}              the officer confirmed it again
    {"op": "done", "id": ...}                                 answered, given up, expired or discarded
    {"op": "audit", "record": {...}}                          an audit record to deliver
    {"op": "audit_done", "chain": ..., "seq": ...}            the backend holds it
    {"op": "high_water", "chain": ..., "seq": ...}            highest audit seq ever queued (compaction)

**Bounds** (docs/operations.md, "Long outages"): the outbox holds at most :data:`MAX_COMMANDS`
commands and :data:`MAX_AUDITS` audit records, however long the backend stays away. At the command
limit the console refuses new commands, with the reason, until the backend answers some (a command
is never dropped silently; older ones are already held for the officer's confirmation after
``reconfirm_after_s``). At the audit limit new audit records stay only in the local hash-chained
audit log, and are queued from it once the backlog has drained (cockpit/audit/forward.py): nothing
is lost, the journal and the memory stay bounded.

It is rewritten compactly (atomically, by rename) when it holds nothing pending or mostly finished
entries. A file that cannot be read whole is never trusted silently: it is copied aside, everything
readable in it is kept, and each problem is reported in :attr:`Outbox.problems`.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import platformdirs

from cockpit.audit.files import AppendFile, FileLock, InUse, SyncPolicy, write_atomically
from cockpit.protocol.messages import Audit, Command

log = logging.getLogger(__name__)

FORMAT = "cockpit-outbox"
VERSION = 1
HEADER = {"format": FORMAT, "v": VERSION}
MAX_COMMANDS = 10_000
"""Most commands kept unanswered (about 3 MB on disk): far more than a centre's officers click in a
shift, and the size of the feed's command storm test (10,000 in flight across 50 disconnects)."""
MAX_AUDITS = 50_000
"""Most audit records kept unacknowledged (about 25 MB): beyond, they wait in the audit log itself."""
COMPACT_SLACK = 256
"""Rewrite the journal when it has this many more lines than twice the pending entries."""


def default_outbox_path() -> Path:
    """Where the cockpit keeps its outbox: the user's data folder (``~/.local/share/cockpit``)."""
    return platformdirs.user_data_path("cockpit", appauthor=False) / "outbox.jsonl"


@dataclass(slots=True)
class Restored:
    """What a journal held: pending commands and audit records in order, and what went wrong."""

    commands: list[tuple[Command, float]] = field(default_factory=list)
    audits: list[Audit] = field(default_factory=list)
    high_water: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class Outbox:
    """The on-disk side of the feed's outbox; ``path`` ``None`` keeps everything in memory only.

    Never raises on a bad or unwritable file: problems are logged and kept in :attr:`problems` (the
    feed reports them to the app), and the outbox goes on in memory.
    """

    def __init__(self, path: Path | None, sync: SyncPolicy = SyncPolicy.BACKGROUND) -> None:
        self.path = path
        self.sync = sync
        self.problems: list[str] = []
        self._commands: dict[str, tuple[Command, float]] = {}
        self._audits: dict[tuple[str, int], Audit] = {}
        self._high_water: dict[str, int] = {}
        self._lines = 0
        self._file: AppendFile | None = None
        self._lock: FileLock | None = None
        self._enc = msgspec.json.Encoder()

    # ---------------------------------------------------------------------------- loading

    def load(self) -> Restored:
        """Read the journal (if any) and open it for appending; returns what is still pending."""
        restored = Restored()
        if self.path is None:
            return restored
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(self.path)
            data = self.path.read_bytes() if self.path.exists() else b""
        except InUse as exc:
            self._problem(f"outbox {exc}: this cockpit keeps its commands in memory only")
            self.path = None
            return restored
        except OSError as exc:
            self._problem(
                f"cannot read the outbox {self.path}: {exc.strerror or exc}; commands are kept in memory only"
            )
            self.path = None
            return restored
        bad = self._replay(data) if data else []
        if bad:
            copy = self._keep_copy()
            for line, why in bad:
                self._problem(f"outbox {self.path}, line {line}: {why}")
            self._problem(
                f"the outbox file was damaged; it was copied to {copy} and everything readable in it is "
                f"kept ({len(self._commands)} commands, {len(self._audits)} audit records)"
            )
        restored.commands = list(self._commands.values())
        restored.audits = list(self._audits.values())
        restored.high_water = dict(self._high_water)
        restored.problems = list(self.problems)
        try:
            self._rewrite()
            self._file = AppendFile(self.path, self.sync)
        except OSError as exc:
            self._problem(
                f"cannot write the outbox {self.path}: {exc.strerror or exc}; commands are kept in memory only"
            )
            self.path = None
        return restored

    def _replay(self, data: bytes) -> list[tuple[int, str]]:
        """Apply the journal's lines; returns (line, reason) for each line that could not be used."""
        parts = data.split(b"\n")
        torn = parts[-1] != b""
        if not torn:
            parts.pop()
        try:
            header = json.loads(parts[0])
        except ValueError:
            header = None
        if header != HEADER:
            return [(1, f"not a cockpit outbox file (no header): {parts[0][:80]!r}; nothing in it was read")]
        bad: list[tuple[int, str]] = []
        for number, raw in enumerate(parts[1:], start=2):
            if torn and number == len(parts):
                bad.append(
                    (number, f"incomplete last line ({len(raw)} bytes): the cockpit stopped while writing it")
                )
                break
            try:
                self._apply(json.loads(raw))
            except (ValueError, KeyError, TypeError, msgspec.ValidationError) as exc:
                bad.append((number, f"unreadable entry ({exc}): {raw[:120]!r}"))
        return bad

    def _apply(self, entry: dict[str, Any]) -> None:
        op = entry["op"]
        if op == "command":
            command = msgspec.convert(entry["command"], Command)
            self._commands[command.id] = (command, float(entry["at"]))
        elif op == "confirm":
            command, _ = self._commands[entry["id"]]
            self._commands[command.id] = (command, float(entry["at"]))
        elif op == "done":
            self._commands.pop(entry["id"], None)
        elif op == "audit":
            record = msgspec.convert(entry["record"], Audit)
            self._audits[(record.chain, record.seq)] = record
            self._raise_high_water(record.chain, record.seq)
        elif op == "audit_done":
            self._audits.pop((entry["chain"], int(entry["seq"])), None)
        elif op == "high_water":
            self._raise_high_water(entry["chain"], int(entry["seq"]))
        else:
            raise ValueError(f"unknown op {op!r}")

    def _keep_copy(self) -> Path:
        assert self.path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        copy = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            shutil.copy2(self.path, copy)
        except OSError as exc:
            self._problem(f"could not keep a copy of the damaged outbox as {copy}: {exc}")
        return copy

    def _problem(self, text: str) -> None:
        log.error("%s", text)
        self.problems.append(text)

    # ---------------------------------------------------------------------------- changes

    def add_command(self, command: Command, at: float) -> None:
        """Keep ``command`` (issued at Unix time ``at``) until :meth:`remove_command`."""
        self._commands[command.id] = (command, at)
        self._write({"op": "command", "at": at, "command": msgspec.to_builtins(command)})

    def confirm_command(self, command_id: str, at: float) -> None:
        """The officer confirmed the command again at ``at``: its age counts from then."""
        if command_id in self._commands:
            self._commands[command_id] = (self._commands[command_id][0], at)
            self._write({"op": "confirm", "id": command_id, "at": at})

    def remove_command(self, command_id: str) -> None:
        """The command needs nothing more: answered, given up, expired or discarded."""
        if self._commands.pop(command_id, None) is not None:
            self._write({"op": "done", "id": command_id})

    def add_audit(self, record: Audit) -> None:
        """Keep ``record`` until the backend acknowledges it."""
        self._audits[(record.chain, record.seq)] = record
        self._raise_high_water(record.chain, record.seq)
        self._write({"op": "audit", "record": msgspec.to_builtins(record)})

    def remove_audit(self, chain: str, seq: int) -> None:
        if self._audits.pop((chain, seq), None) is not None:
            self._write({"op": "audit_done", "chain": chain, "seq": seq})

    def high_water(self, chain: str) -> int:
        """The highest seq of ``chain`` ever queued here (0: none)."""
        return self._high_water.get(chain, 0)

    @property
    def pending(self) -> int:
        return len(self._commands) + len(self._audits)

    def close(self) -> None:
        """Flush, close and let another cockpit open the file."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # ---------------------------------------------------------------------------- the file

    def _raise_high_water(self, chain: str, seq: int) -> None:
        if seq > self._high_water.get(chain, 0):
            self._high_water[chain] = seq

    def _write(self, entry: dict[str, Any]) -> None:
        if self._file is None:
            return
        try:
            self._file.append(self._enc.encode(entry) + b"\n")
            self._lines += 1
            if self._lines > 2 * self.pending + COMPACT_SLACK:
                self._compact()
        except OSError as exc:
            self._problem(
                f"cannot write the outbox {self.path}: {exc.strerror or exc}; it is kept in memory only"
            )
            self.close()

    def _compact(self) -> None:
        """Replace the journal with one line per pending entry (atomically) and append to the new file."""
        assert self._file is not None and self.path is not None
        self._file.close()
        self._file = None
        self._rewrite()
        self._file = AppendFile(self.path, self.sync)

    def _rewrite(self) -> None:
        assert self.path is not None
        lines = [self._enc.encode(HEADER)]
        lines += [
            self._enc.encode({"op": "high_water", "chain": c, "seq": s}) for c, s in self._high_water.items()
        ]
        lines += [
            self._enc.encode({"op": "command", "at": at, "command": msgspec.to_builtins(cmd)})
            for cmd, at in self._commands.values()
        ]
        lines += [
            self._enc.encode({"op": "audit", "record": msgspec.to_builtins(r)}) for r in self._audits.values()
        ]
        write_atomically(self.path, b"\n".join(lines) + b"\n", self.sync)
        self._lines = len(lines)
