"""The audit chain: it verifies when untouched, and each kind of tampering is named at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.audit import Actor, AuditAction, AuditLog, BreakKind, SyncPolicy, verify_bytes, verify_file
from cockpit.audit.log import REDACTED, command_details
from cockpit.protocol.messages import Command, CommandKind

ACTOR = Actor("li.wei", "operator", "district:yuzhong")


def write_log(path: Path, n: int = 6) -> list[bytes]:
    """An audit file of ``n`` records; returns its lines (header first), without newlines."""
    log = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)
    log.login(ACTOR, client_id="wall-1")
    for i in range(n - 1):
        log.record(AuditAction.DISPATCH, {"event_id": f"E01-{i:06d}", "unit_id": "U-7", "note": "涝点"})
    log.close()
    return path.read_bytes().split(b"\n")[:-1]


def join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"


@pytest.fixture
def lines(tmp_path: Path) -> list[bytes]:
    return write_log(tmp_path / "audit.jsonl")


def test_an_untouched_chain_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 6)
    report = verify_file(path)
    assert report.ok, report.broken
    assert [r.seq for r in report.records] == [1, 2, 3, 4, 5, 6]
    assert report.records[0].action == "login" and report.records[0].operator == "li.wei"
    assert report.records[1].prev == report.records[0].hash
    assert all(r.intact for r in report.records)


def test_an_edited_line_is_found_at_its_line(lines: list[bytes]) -> None:
    lines[3] = lines[3].replace(b"E01-000001", b"E01-000009")
    broken = verify_bytes(join(lines)).broken
    assert broken is not None
    assert (broken.line, broken.kind) == (4, BreakKind.EDITED)
    assert "no longer matches its hash" in broken.reason


def test_an_edited_and_rehashed_line_is_found_by_its_successor(lines: list[bytes]) -> None:
    from cockpit.audit.chain import canonical, digest

    obj = json.loads(lines[3])
    obj["details"]["unit_id"] = "U-9"
    obj["hash"] = digest(obj)
    lines[3] = canonical(obj)
    broken = verify_bytes(join(lines)).broken
    assert broken is not None
    assert (broken.line, broken.kind) == (4, BreakKind.EDITED)
    assert "hash recomputed" in broken.reason


def test_a_deleted_line_is_found(lines: list[bytes]) -> None:
    del lines[3]  # seq 3
    broken = verify_bytes(join(lines)).broken
    assert broken is not None
    assert (broken.line, broken.kind) == (4, BreakKind.DELETED)
    assert "seq 3 missing" in broken.reason


def test_a_reordered_line_is_found(lines: list[bytes]) -> None:
    lines[3], lines[4] = lines[4], lines[3]
    broken = verify_bytes(join(lines)).broken
    assert broken is not None
    assert (broken.line, broken.kind) == (4, BreakKind.REORDERED)
    assert "seq 3 comes after it, at line 5" in broken.reason


def test_an_inserted_copy_is_found(lines: list[bytes]) -> None:
    lines.insert(4, lines[2])
    broken = verify_bytes(join(lines)).broken
    assert broken is not None
    assert (broken.line, broken.kind) == (5, BreakKind.INSERTED)
    assert "copy of line 3" in broken.reason


def test_an_inserted_forged_line_is_found(lines: list[bytes]) -> None:
    forged = json.loads(lines[3])
    forged["action"] = "acknowledge"  # hash left as it was: the forger cannot make it fit
    lines.insert(3, json.dumps(forged, sort_keys=True, separators=(",", ":")).encode())
    broken = verify_bytes(join(lines)).broken
    assert broken is not None
    assert (broken.line, broken.kind) == (4, BreakKind.INSERTED)
    assert "chain goes on across it" in broken.reason


def test_a_forged_line_with_a_fitting_hash_is_found(lines: list[bytes]) -> None:
    from cockpit.audit.chain import canonical, digest

    forged = json.loads(lines[3])  # seq 3, chained to seq 2, hash made to fit
    forged["action"] = "close"
    forged["hash"] = digest(forged)
    lines.insert(3, canonical(forged))
    broken = verify_bytes(join(lines)).broken
    assert broken is not None
    assert (broken.line, broken.kind) == (4, BreakKind.INSERTED)
    assert "line 4 (seq 3) was inserted" in broken.reason


def test_a_torn_last_line_is_not_tampering(lines: list[bytes]) -> None:
    data = join(lines[:-1]) + lines[-1][:37]
    report = verify_bytes(data)
    assert report.broken is not None
    assert (report.broken.line, report.broken.kind) == (len(lines), BreakKind.TORN)
    assert "stopped while writing" in report.broken.reason
    assert len(report.records) == len(lines) - 2


def test_an_edited_header_is_found(lines: list[bytes]) -> None:
    lines[0] = lines[0].replace(b'"v":1', b'"v":1,"x":1')
    broken = verify_bytes(join(lines)).broken
    assert broken is not None and (broken.line, broken.kind) == (1, BreakKind.EDITED)


def test_a_file_that_is_not_an_audit_log_says_so() -> None:
    broken = verify_bytes(b'{"hello": 1}\n').broken
    assert broken is not None and broken.kind is BreakKind.NOT_AUDIT
    empty = verify_bytes(b"").broken
    assert empty is not None and empty.kind is BreakKind.NOT_AUDIT


@pytest.fixture(scope="module")
def chain_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    write_log(path, 4)
    data = path.read_bytes()
    assert verify_bytes(data).ok
    return data


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_single_byte_change_is_detected(chain_bytes: bytes, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(chain_bytes) - 1), label="position")
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != chain_bytes[pos]), label="new byte")
    changed = chain_bytes[:pos] + bytes([byte]) + chain_bytes[pos + 1 :]
    assert not verify_bytes(changed).ok, f"byte {pos} changed to {byte:#x} went unnoticed"


def test_tokens_never_reach_the_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)
    log.login(ACTOR, token="s3cret", auth={"Password": "hunter2"}, client_id="wall-1")
    log.close()
    text = path.read_text()
    assert "s3cret" not in text and "hunter2" not in text
    assert verify_file(path).records[0].details == {
        "token": REDACTED,
        "auth": {"Password": REDACTED},
        "client_id": "wall-1",
    }


def test_reopening_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 3)
    log = AuditLog(path, ACTOR, sync=SyncPolicy.ALWAYS)
    assert log.problems == [] and log.seq == 3
    cmd = Command(
        id="0190f6a0-0000-7000-8000-000000000001", kind=CommandKind.SHELVE, event_id="E1", note="maintenance"
    )
    log.record(AuditAction.SHELVE, command_details(cmd))
    log.close()
    report = verify_file(path)
    assert report.ok and [r.seq for r in report.records] == [1, 2, 3, 4]
    assert report.records[3].details == {"command_id": cmd.id, "event_id": "E1", "note": "maintenance"}


def test_reopening_after_a_torn_write_cuts_it_off_keeps_it_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 3)
    with path.open("ab") as f:
        f.write(b'{"action":"dispatch","centre":"dis')  # the cockpit stopped mid-write
    log = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)
    log.record(AuditAction.ACKNOWLEDGE, {"event_id": "E2"})
    log.close()
    assert len(log.problems) == 1 and "incomplete" in log.problems[0]
    report = verify_file(path)
    assert report.ok, report.broken
    assert [r.action for r in report.records[3:]] == ["audit_recovered", "acknowledge"]
    copy = tmp_path / report.records[3].details["copy"]
    assert copy.read_bytes() == b'{"action":"dispatch","centre":"dis'


def test_reopening_a_tampered_file_keeps_it_and_starts_a_new_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 3)
    lines[3] = lines[3].replace(b"E01-000001", b"E01-000005")  # the last record, which it would extend
    tampered = join(lines)
    path.write_bytes(tampered)
    log = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)
    log.close()
    assert len(log.problems) == 1 and "failed verification at line 4" in log.problems[0]
    report = verify_file(path)
    assert report.ok
    first = report.records[0]
    assert first.action == "audit_restarted" and first.details["break"] == "edited"
    assert (tmp_path / first.details["previous_file"]).read_bytes() == tampered


def test_an_audit_log_that_cannot_be_created_says_which_file_and_why() -> None:
    from cockpit.audit import AuditError

    with pytest.raises(AuditError, match=r"audit log /proc/no-such/audit\.jsonl: "):
        AuditLog(Path("/proc/no-such/audit.jsonl"), ACTOR)


def test_two_cockpits_never_append_to_one_chain(tmp_path: Path) -> None:
    from cockpit.audit import AuditError

    path = tmp_path / "audit.jsonl"
    first = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)
    with pytest.raises(AuditError, match="in use by another cockpit"):
        AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)
    first.record(AuditAction.ACKNOWLEDGE, {"event_id": "E1"})
    first.close()
    second = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)  # free again once the first has closed
    second.record(AuditAction.ACKNOWLEDGE, {"event_id": "E2"})
    second.close()
    assert verify_file(path).ok and second.seq == 2


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_single_byte_inserted_or_deleted_is_detected(chain_bytes: bytes, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(chain_bytes)), label="position")
    if data.draw(st.booleans(), label="insert"):
        byte = data.draw(st.integers(0, 255), label="new byte")
        changed = chain_bytes[:pos] + bytes([byte]) + chain_bytes[pos:]
    else:
        pos = min(pos, len(chain_bytes) - 1)
        changed = chain_bytes[:pos] + chain_bytes[pos + 1 :]
    assert not verify_bytes(changed).ok, f"a change at byte {pos} went unnoticed"


def test_a_break_further_up_is_left_for_verify_to_find(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 4)
    del lines[2]  # seq 2
    path.write_bytes(join(lines))
    log = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)  # opening reads only the header and the tail
    log.record(AuditAction.ACKNOWLEDGE, {"event_id": "E9"})
    log.close()
    assert log.problems == [] and log.seq == 5
    broken = verify_file(path).broken
    assert broken is not None and (broken.line, broken.kind) == (3, BreakKind.DELETED)


def test_records_after_reads_back_only_the_newer_records(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 6)
    log = AuditLog(path, ACTOR, sync=SyncPolicy.NEVER)
    newer = log.records_after(4)
    log.close()
    assert [r.seq for r in newer] == [5, 6]
    assert newer[0].chain == log.chain_id and all(r.intact for r in newer)
