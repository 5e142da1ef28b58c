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


def test_the_whole_session_of_section_9_10_chains_prev_per_stream() -> None:
    """§9.10 is schematic, but its chaining must teach the rule of §5.0 exactly (issue 20, point 6)."""
    import re

    doc = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    block = doc[doc.index("### §9.10") : doc.index("### §9.11")]
    stream_of = {"event": "events", "dispatch": "dispatch", "unit": "dispatch", "sensor_batch": "sensors"}
    position: dict[str, int] = {}
    checked = 0
    pattern = r"subscribed (\w+) (?:snapshot seq=|resume )(\d+)|(event|dispatch|unit|sensor_batch) seq=(\d+) prev=(\d+)"
    for m in re.finditer(pattern, block):
        if m.group(1):
            position[m.group(1)] = int(m.group(2))
            continue
        stream = stream_of[m.group(3)]
        seq, prev = int(m.group(4)), int(m.group(5))
        assert prev == position[stream], f"{m.group(0)}: prev should be {position[stream]}"
        assert seq > prev
        position[stream] = seq
        checked += 1
    assert checked >= 8
