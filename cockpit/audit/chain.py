"""The audit file format and its verification.

A file is JSON Lines, one canonical JSON object per line, each ended by ``\\n``:

- line 1, the header: ``{"chain": <32 hex, random>, "created": <ISO time>, "format": "cockpit-audit",
  "v": 1, "hash": <hex>}``;
- every further line, a record: ``{"seq", "time", "operator", "role", "centre", "action", "details",
  "prev", "hash"}``, ``seq`` counting from 1 and ``prev`` the ``hash`` of the line before (the header's
  for seq 1).

``hash`` is the SHA-256 (hex) of the canonical encoding of the object without its ``hash`` key:
JSON with sorted keys, no whitespace, UTF-8, no NaN. Lines are written in exactly that canonical form,
so verification also compares each line's bytes with the canonical form of what it says: no byte can
change without the check noticing, not even one that leaves the meaning alone.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import msgspec

FORMAT: Final = "cockpit-audit"
VERSION: Final = 1
RECORD_KEYS: Final = frozenset(
    {"seq", "time", "operator", "role", "centre", "action", "details", "prev", "hash"}
)
_DECODE: Final = msgspec.json.Decoder().decode
HEADER_KEYS: Final = frozenset({"format", "v", "chain", "created", "hash"})


class AuditAction(enum.StrEnum):
    """What an operator did. Free strings are allowed too; these are the ones the cockpit writes."""

    LOGIN = "login"
    LOGOUT = "logout"
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    DISPATCH = "dispatch"
    CANCEL = "cancel"
    CLOSE = "close"
    ACTIVATE_PLAN = "activate_plan"
    APPROVE_PLAN = "approve_plan"
    CLOSE_PLAN = "close_plan"
    ESCALATE = "escalate"
    HAND_DOWN = "hand_down"
    PLOT_CREATE = "plot_create"
    """The officer drew on the shared map (details: the plot as drawn, protocol §7.10)."""
    PLOT_EDIT = "plot_edit"
    PLOT_DELETE = "plot_delete"
    DRILL_START = "drill_start"
    DRILL_END = "drill_end"
    COMMAND_CONFIRMED = "command_confirmed"
    """The officer confirmed a command that waited offline past the limit (it is sent now)."""
    COMMAND_DISCARDED = "command_discarded"
    """The officer discarded such a command (it is never sent)."""
    COMMAND_ABANDONED = "command_abandoned"
    """The officer stopped sending a command the backend never answered (its outcome is unknown)."""
    LOG_RECOVERED = "audit_recovered"
    """Written by the log itself: a torn last line was cut off at start (details say where it went)."""
    LOG_RESTARTED = "audit_restarted"
    """Written by the log itself: the old file failed verification and was moved aside."""


def canonical(obj: Mapping[str, Any]) -> bytes:
    """The one byte form of ``obj`` that is hashed and written (sorted keys, no spaces, UTF-8)."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def digest(obj: Mapping[str, Any]) -> str:
    """SHA-256 (hex) over the canonical form of ``obj`` without its ``hash`` key."""
    return hashlib.sha256(canonical({k: v for k, v in obj.items() if k != "hash"})).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One line of the chain. ``chain`` comes from the file's header and is not part of the line."""

    chain: str
    seq: int
    time: str
    operator: str
    role: str
    centre: str
    action: str
    details: dict[str, Any]
    prev: str
    hash: str

    def body(self) -> dict[str, Any]:
        """The record as written (the line's object)."""
        return {
            "seq": self.seq,
            "time": self.time,
            "operator": self.operator,
            "role": self.role,
            "centre": self.centre,
            "action": self.action,
            "details": self.details,
            "prev": self.prev,
            "hash": self.hash,
        }

    @property
    def intact(self) -> bool:
        """Whether ``hash`` matches the content (the backend checks what it receives with this)."""
        return digest(self.body()) == self.hash


class BreakKind(enum.StrEnum):
    """Why a chain does not verify."""

    EDITED = "edited"
    DELETED = "deleted"
    REORDERED = "reordered"
    INSERTED = "inserted"
    TORN = "torn"
    """The last line is incomplete: the cockpit stopped while writing it. Not tampering."""
    NOT_AUDIT = "not_audit"
    """The file is not an audit log at all (no valid header)."""


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first place the chain is broken: 1-based ``line``, its kind and a sentence saying why."""

    line: int
    kind: BreakKind
    reason: str


@dataclass(slots=True)
class ChainReport:
    """What verification found: the header, every record up to the first break, and the break."""

    chain: str = ""
    created: str = ""
    header_hash: str = ""
    records: list[AuditRecord] = field(default_factory=list)
    broken: ChainBreak | None = None
    good_bytes: int = 0
    """Length of the file prefix that verified (header and records, newlines included)."""

    @property
    def ok(self) -> bool:
        return self.broken is None

    @property
    def last_hash(self) -> str:
        return self.records[-1].hash if self.records else self.header_hash


@dataclass(slots=True)
class _Line:
    number: int
    raw: bytes
    obj: dict[str, Any] | None
    error: str
    end: int  # byte offset just past this line's newline


def make_header(chain: str, created: str) -> dict[str, Any]:
    """A header object with its hash."""
    header: dict[str, Any] = {"format": FORMAT, "v": VERSION, "chain": chain, "created": created}
    header["hash"] = digest(header)
    return header


def record_from(chain: str, obj: Mapping[str, Any]) -> AuditRecord:
    """An :class:`AuditRecord` from a checked line object."""
    return AuditRecord(
        chain=chain,
        seq=obj["seq"],
        time=obj["time"],
        operator=obj["operator"],
        role=obj["role"],
        centre=obj["centre"],
        action=obj["action"],
        details=obj["details"],
        prev=obj["prev"],
        hash=obj["hash"],
    )


def verify_file(path: Path) -> ChainReport:
    """Verify the audit file at ``path``.

    Raises:
        OSError: the file cannot be read.
    """
    return verify_bytes(path.read_bytes())


def verify_bytes(data: bytes) -> ChainReport:
    """Verify a whole audit file's bytes; the report names the first broken line, if any."""
    report = ChainReport()
    lines, torn = _split(data)
    if not lines:
        report.broken = ChainBreak(1, BreakKind.NOT_AUDIT, "the file is empty: no audit header")
        return report
    if torn and len(lines) == 1:
        report.broken = ChainBreak(
            1, BreakKind.TORN, "the header is incomplete: the cockpit stopped while creating the file"
        )
        return report
    head = lines[0]
    problem = _header_problem(head)
    if problem is not None:
        report.broken = problem
        return report
    assert head.obj is not None
    report.chain, report.created, report.header_hash = (
        head.obj["chain"],
        head.obj["created"],
        head.obj["hash"],
    )
    report.good_bytes = head.end
    report.broken = _walk(report, lines[1:], torn)
    return report


def inspect_tail(data: bytes) -> ChainReport:
    """Check only what appending needs: the header and the last line. Constant time in the file's size.

    The report holds the header, the last record (if it is sound) and ``good_bytes``; ``broken`` is
    set if the header is bad, the last complete line is not a sound record (``EDITED``), or the last
    line is torn (``TORN``; the record before it is then the last one). Only :func:`verify_bytes`
    checks the links between records: a break inside the file stays for it to find.
    """
    end = len(data) if data.endswith(b"\n") else data.rfind(b"\n") + 1
    first = data.find(b"\n")
    if first < 0:
        return verify_bytes(data)  # empty, or a torn header
    report = ChainReport()
    head_raw = data[:first]
    head_obj, error = _parse(head_raw)
    head = _Line(1, head_raw, head_obj, error, first + 1)
    report.broken = _header_problem(head)
    if report.broken is not None:
        return report
    assert head.obj is not None
    report.chain, report.created, report.header_hash = (
        head.obj["chain"],
        head.obj["created"],
        head.obj["hash"],
    )
    report.good_bytes = end
    lines_before = data.count(b"\n", 0, end)
    if end > first + 1:
        start = data.rfind(b"\n", 0, end - 1) + 1
        raw = data[start : end - 1]
        obj, error = _parse(raw)
        last = _Line(lines_before, raw, obj, error, end)
        problem = _record_problem(last)
        if problem:
            report.broken = ChainBreak(
                last.number, BreakKind.EDITED, f"line {last.number} was changed: {problem}"
            )
            return report
        assert obj is not None
        report.records.append(record_from(report.chain, obj))
    if end < len(data):
        report.broken = ChainBreak(
            lines_before + 1,
            BreakKind.TORN,
            f"the last line is incomplete ({len(data) - end} bytes, no newline): the cockpit stopped "
            "while writing it",
        )
    return report


def records_after(data: bytes, chain: str, seq: int) -> tuple[list[AuditRecord], list[str]]:
    """The sound records with a seq above ``seq``, read from the end; and a note per line skipped.

    For sending on what the backend lacks without reading a long file whole. Each record is checked
    on its own (its hash); the links between them are :func:`verify_bytes`' job.
    """
    found: list[AuditRecord] = []
    skipped: list[str] = []
    lines = data.split(b"\n")[1:]
    if lines:
        lines.pop()  # after the final newline: empty, or a torn line that is not a record
    for number in range(len(lines), 0, -1):
        raw = lines[number - 1]
        obj, error = _parse(raw)
        line = _Line(number + 1, raw, obj, error, 0)
        problem = _record_problem(line)
        if problem:
            skipped.append(f"line {number + 1}: {problem}")
            continue
        assert obj is not None
        if obj["seq"] <= seq:
            break
        found.append(record_from(chain, obj))
    found.reverse()
    return found, skipped


def _split(data: bytes) -> tuple[list[_Line], bool]:
    """Split into lines; ``torn`` if the last one has no newline (or is only NULs a crash left)."""
    parts = data.split(b"\n")
    torn = parts[-1] != b""
    if not torn:
        parts.pop()
    lines: list[_Line] = []
    offset = 0
    for i, raw in enumerate(parts, start=1):
        offset += len(raw) + 1
        obj, error = _parse(raw)
        lines.append(_Line(i, raw, obj, error, offset))
    return lines, torn


def _parse(raw: bytes) -> tuple[dict[str, Any] | None, str]:
    try:
        obj = _DECODE(raw)
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 ({exc.reason} at byte {exc.start})"
    except (msgspec.DecodeError, ValueError) as exc:
        return None, f"not JSON ({exc})"
    if not isinstance(obj, dict):
        return None, f"a JSON {type(obj).__name__}, not an object"
    return obj, ""


def _header_problem(head: _Line) -> ChainBreak | None:
    obj = head.obj
    if obj is None or obj.get("format") != FORMAT:
        why = head.error or 'no "format": "cockpit-audit"'
        return ChainBreak(1, BreakKind.NOT_AUDIT, f"line 1 is not a cockpit audit header: {why}")
    if obj.get("v") != VERSION:
        return ChainBreak(
            1, BreakKind.NOT_AUDIT, f"audit format version {obj.get('v')!r}; this cockpit reads v1"
        )
    if set(obj) != HEADER_KEYS or not all(isinstance(obj[k], str) for k in ("chain", "created", "hash")):
        return ChainBreak(1, BreakKind.EDITED, f"the header's keys or types were changed: {sorted(obj)}")
    try:
        is_canonical = canonical(obj) == head.raw
    except ValueError:
        is_canonical = False
    if not is_canonical or digest(obj) != obj["hash"]:
        return ChainBreak(1, BreakKind.EDITED, "the header was changed: it no longer matches its hash")
    return None


def _record_problem(line: _Line) -> str:
    """Why ``line`` is not a sound record on its own ("" if it is)."""
    obj = line.obj
    if obj is None:
        return f"not a valid audit record: {line.error}"
    if set(obj) != RECORD_KEYS:
        return f"not a valid audit record: keys {sorted(obj)}"
    types_ok = (
        type(obj["seq"]) is int
        and isinstance(obj["details"], dict)
        and all(isinstance(obj[k], str) for k in RECORD_KEYS - {"seq", "details"})
    )
    if not types_ok:
        return "not a valid audit record: a field has the wrong type"
    try:
        is_canonical = canonical(obj) == line.raw
    except ValueError:  # NaN or infinity: never written by the cockpit
        is_canonical = False
    if not is_canonical:
        return "its bytes are not the canonical form they were written in"
    if _line_digest(line.raw, obj["hash"]) != obj["hash"]:
        return "its content no longer matches its hash"
    return ""


def _line_digest(raw: bytes, hash_: str) -> str:
    """:func:`digest` of a canonical record line, from its bytes: the line less its ``hash`` member.

    ``hash`` sorts after ``details``, so its member is the last ``,"hash":"…"`` in the line (nothing
    after it can hold that text unescaped). Encoding the object again would double the cost.
    """
    member = b',"hash":"' + hash_.encode() + b'"'
    at = raw.rfind(member)
    if at < 0:
        return ""
    return hashlib.sha256(raw[:at] + raw[at + len(member) :]).hexdigest()


def _continues(after: _Line | None, seq: int, prev: str) -> bool:
    """Whether ``after`` is the record the chain expects next (seq and prev): the line before it is extra."""
    return (
        after is not None
        and not _record_problem(after)
        and after.obj is not None
        and (after.obj["seq"] == seq and after.obj["prev"] == prev)
    )


def _walk(report: ChainReport, lines: list[_Line], torn: bool) -> ChainBreak | None:
    """Follow the chain from the header; return the first break."""
    expected, prev = 1, report.header_hash
    seen: dict[int, _Line] = {}
    for i, line in enumerate(lines):
        if torn and i == len(lines) - 1:
            return ChainBreak(
                line.number,
                BreakKind.TORN,
                f"the last line is incomplete ({len(line.raw)} bytes, no newline): the cockpit stopped "
                f"while writing it; the {len(report.records)} records before it are intact",
            )
        nxt = lines[i + 1] if i + 1 < len(lines) and not (torn and i + 1 == len(lines) - 1) else None
        problem = _record_problem(line)
        if problem:
            if _continues(nxt, expected, prev):
                return ChainBreak(
                    line.number,
                    BreakKind.INSERTED,
                    f"line {line.number} is not part of the chain "
                    f"({problem}); the chain goes on across it at line {line.number + 1}",
                )
            return ChainBreak(line.number, BreakKind.EDITED, f"line {line.number} was changed: {problem}")
        obj = line.obj
        assert obj is not None
        seq = obj["seq"]
        if seq == expected and obj["prev"] == prev:
            seen[seq] = line
            report.records.append(record_from(report.chain, obj))
            report.good_bytes = line.end
            expected, prev = seq + 1, obj["hash"]
            continue
        return _diagnose(line, nxt, lines[i + 1 :], seen, expected)
    return None


def _diagnose(
    line: _Line, nxt: _Line | None, rest: list[_Line], seen: dict[int, _Line], expected: int
) -> ChainBreak:
    """Name the break at ``line``, a sound record that does not follow its predecessor."""
    assert line.obj is not None
    seq, n = line.obj["seq"], line.number
    if seq == expected:
        before = n - 1
        return ChainBreak(
            before,
            BreakKind.EDITED,
            f"line {before} was changed and its hash recomputed: line {n}'s prev_hash does not name it",
        )
    if seq > expected:
        later = next((x for x in rest if x.obj is not None and x.obj.get("seq") == expected), None)
        if later is not None:
            return ChainBreak(
                n,
                BreakKind.REORDERED,
                f"line {n} has seq {seq}, but seq {expected} comes after it, at line {later.number}",
            )
        missing = f"seq {expected}" if seq == expected + 1 else f"seqs {expected}–{seq - 1}"
        return ChainBreak(n, BreakKind.DELETED, f"{missing} missing before line {n} (seq {seq}): deleted")
    twin = seen.get(seq)
    if twin is None:
        return ChainBreak(
            n, BreakKind.REORDERED, f"line {n} has seq {seq}, out of order (expected {expected})"
        )
    if line.raw == twin.raw:
        return ChainBreak(n, BreakKind.INSERTED, f"line {n} was inserted: it is a copy of line {twin.number}")
    if nxt is not None and nxt.obj is not None and nxt.obj.get("prev") == line.obj["hash"]:
        # The chain goes on from this line, so the earlier one with the same seq is the extra one.
        return ChainBreak(
            twin.number,
            BreakKind.INSERTED,
            f"line {twin.number} (seq {seq}) was inserted: line {n} has the same seq and the chain "
            f"goes on from line {n}",
        )
    return ChainBreak(
        n, BreakKind.INSERTED, f"line {n} was inserted: it repeats seq {seq} of line {twin.number}"
    )
