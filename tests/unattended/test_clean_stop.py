"""Issue 19, "Clean stops": SIGTERM and SIGINT end the cockpit as an orderly quit does.

Real ``cockpit`` processes, stopped by a signal while they record and while a drill runs; every
segment they leave must be readable by the ``mcap`` library as it is (summary, index), with no
recovery, and a drill must leave its report.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from mcap.reader import make_reader

from cockpit.service.runs import Ending, read_runs
from tests.unattended.helpers import live_status, offscreen_env, start_cockpit, wait_for

pytestmark = pytest.mark.slow

FLOOD = Path(__file__).resolve().parents[2] / "assets" / "drills" / "flood.yaml"


def assert_finished_segments(folder: Path) -> int:
    """Every segment in ``folder`` has its summary and index; returns the messages read in all."""
    segments = sorted(folder.glob("cockpit-*.mcap"))
    assert segments, f"no recording in {folder}"
    total = 0
    for path in segments:
        with path.open("rb") as f:
            reader = make_reader(f)
            summary = reader.get_summary()
            assert summary is not None, f"{path.name} has no summary: it was not finished"
            assert summary.chunk_indexes, f"{path.name} has no chunk index"
            assert summary.statistics is not None and summary.statistics.message_count > 0
            n = sum(1 for _ in reader.iter_messages())
            assert n == summary.statistics.message_count
            total += n
    return total


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_recording_leaves_every_segment_finished(tmp_path: Path, sig: signal.Signals) -> None:
    data, rec, log = tmp_path / "data", tmp_path / "rec", tmp_path / "cockpit.log"
    proc = start_cockpit(
        ["--demo", "--screens", "2", "--windowed", "--data-dir", str(data), "--record", str(rec)],
        offscreen_env(tmp_path),
        log,
    )
    try:
        wait_for(lambda: live_status(data, proc.pid), 120, "a live wall", proc)
        wait_for(lambda: list(rec.glob("cockpit-*.mcap")), 30, "a segment", proc)
        proc.send_signal(sig)
        assert proc.wait(60) == 0, log.read_text()[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text()
    assert f"{sig.name} received: stopping in order" in text and "recording: finished" in text
    assert assert_finished_segments(rec) > 0
    runs = read_runs(data / "runs.json")
    assert runs.current is None and runs.last is not None and runs.last.ending is Ending.CLEAN
    assert not (data / "status.json").exists()  # nothing left that looks like a running wall
    # The next start finds nothing to recover.
    again = start_cockpit(
        ["--demo", "--screenshot", str(tmp_path / "shots"), "--quit-after", "2", "--record", str(rec),
         "--data-dir", str(tmp_path / "data2")],
        offscreen_env(tmp_path), tmp_path / "again.log",
    )  # fmt: skip
    assert again.wait(120) == 0
    assert "recovered" not in (tmp_path / "again.log").read_text()


def test_sigterm_during_a_drill_leaves_its_report_and_an_indexed_recording(tmp_path: Path) -> None:
    data, reports, log = tmp_path / "data", tmp_path / "reports", tmp_path / "cockpit.log"
    proc = start_cockpit(
        ["--drill", str(FLOOD), "--report", str(reports), "--screens", "2", "--windowed", "--data-dir", str(data)],
        offscreen_env(tmp_path),
        log,
    )
    try:
        wait_for(lambda: live_status(data, proc.pid), 120, "the drill's wall to be live", proc)
        wait_for(lambda: list((reports / "recordings").glob("cockpit-*.mcap")), 30, "the drill's recording", proc)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0, log.read_text()[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    folders = [p for p in reports.iterdir() if p.name.startswith("flood-")]
    assert len(folders) == 1, list(reports.iterdir())
    md = (folders[0] / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Drill report: Flood drill") and "stopped after" in md
    assert (folders[0] / "report.pdf").read_bytes()[:4] == b"%PDF"
    assert assert_finished_segments(reports / "recordings") > 0
