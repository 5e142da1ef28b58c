"""``cockpit audit verify`` and ``show`` as an operator runs them: a process, its output, its exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.audit.test_chain import join, write_log

# The entry point exactly as the `cockpit` script calls it, plus a check that Qt was never imported.
RUN = (
    "import sys; from cockpit.app.main import main; rc = main(sys.argv[1:]); "
    "assert 'PySide6' not in sys.modules, 'the audit command imported Qt'; sys.exit(rc)"
)


def cockpit(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # no DISPLAY, no QT_QPA_PLATFORM: a bare server
    return subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_verify_an_intact_log_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 5)
    result = cockpit("audit", "verify", str(path))
    assert result.returncode == 0, result.stderr
    assert "intact: 5 records" in result.stdout


def test_verify_an_edited_log_exits_1_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 5)
    lines[2] = lines[2].replace(b'"unit_id":"U-7"', b'"unit_id":"U-8"')
    path.write_bytes(join(lines))
    result = cockpit("audit", "verify", str(path))
    assert result.returncode == 1
    assert "line 3: BROKEN (edited)" in result.stderr


def test_verify_a_torn_log_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 5)
    path.write_bytes(join(lines[:-1]) + lines[-1][:10])
    result = cockpit("audit", "verify", str(path))
    assert result.returncode == 3
    assert "line 6: TORN (crash, not tampering)" in result.stderr


def test_verify_a_missing_file_or_a_foreign_one_exits_2(tmp_path: Path) -> None:
    missing = cockpit("audit", "verify", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "nope.jsonl" in missing.stderr
    foreign = tmp_path / "notes.txt"
    foreign.write_text("shopping list\n")
    result = cockpit("audit", "verify", str(foreign))
    assert result.returncode == 2 and "not a cockpit audit header" in result.stderr
    assert cockpit("audit", "frobnicate").returncode == 2


def test_show_prints_every_record_readably(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 3)
    result = cockpit("audit", "show", str(path))
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0].startswith("chain ")
    assert "li.wei (operator, district:yuzhong)" in rows[1] and "login" in rows[1]
    assert 'event_id="E01-000001"' in rows[3] and 'note="涝点"' in rows[3]
    assert "intact: 3 records" in rows[-1]
