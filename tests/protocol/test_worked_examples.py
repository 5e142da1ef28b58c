"""docs/protocol.md §9 is what the reference code produces, byte for byte (docs/tools/gen_examples.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_worked_examples_of_section_9_are_what_the_code_sends() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "tools" / "gen_examples.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"§9 is out of date; run docs/tools/gen_examples.py --write\n{proc.stderr}"
