"""``cockpit --drill`` as a user runs it, in a real process: the DRILL band on every screenshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.app.test_desk_boards import DESK_SHOTS

BIN = Path(sys.executable).parent
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")
FLOOD = Path(__file__).resolve().parents[2] / "assets" / "drills" / "flood.yaml"
BAND = QColor("#b0127a")  # the mode band's magenta (cockpit/app/runway_view.py)


def band_pixels(image: QImage, rows: int = 120) -> int:
    """Pixels of the mode band's colour in the top ``rows`` of a screenshot."""
    target = BAND.rgb() & 0xFFFFFF
    return sum(
        1
        for y in range(0, min(rows, image.height()), 3)
        for x in range(0, image.width(), 3)
        if image.pixel(x, y) & 0xFFFFFF == target
    )


@pytest.mark.slow
def test_drill_screenshots_show_the_drill_band_and_the_report_is_written(tmp_path: Path) -> None:
    shots, reports = tmp_path / "shots", tmp_path / "reports"
    proc = subprocess.run(
        [
            str(BIN / "cockpit"),
            "--drill",
            str(FLOOD),
            "--backend",
            "ws://127.0.0.1:9",  # a "live" backend on the command line: never used by a drill
            "--screens",
            "2",
            "--screenshot",
            str(shots),
            "--quit-after",
            "6",
            "--report",
            str(reports),
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    pngs = sorted(p.stem for p in shots.glob("*.png"))
    # Issue 18's seven runways are not on the two screens: they are console tabs, written too.
    later = ["citizen", "street_economy", "street_party", "street_safety", "street_services", "waste", "water_quality"]
    assert pngs == sorted(
        ["console", "console-flood", "console-traffic", "console-water_supply", "forest_fire", "overview", "trainer"]
        + [f"console-{r}" for r in later]
        + DESK_SHOTS  # every desk board's tab (issue 15)
    )
    for name in ("overview", "forest_fire", "console"):
        image = QImage(str(shots / f"{name}.png"))
        assert band_pixels(image) > 500, f"{name}.png has no DRILL band"
    assert "ignoring backend URLs ['ws://127.0.0.1:9']" in proc.stderr
    assert "feed connecting: ws://127.0.0.1:9" not in proc.stderr
    assert "feed connecting: ws://127.0.0.1:" in proc.stderr  # the sandbox's own port
    # The report's folder, and the drill's recording beside it (issue 19: drills are recorded).
    folder, recordings = sorted(reports.iterdir())
    assert folder.name.startswith("flood-") and recordings.name == "recordings"
    assert list(recordings.glob("cockpit-*.mcap")), "the drill's feed is recorded"
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Drill report: Flood drill: the Jiangbei underpass")
    assert "stopped after" in md  # quit before its end: the report says so


def test_a_broken_drill_script_stops_the_cockpit_with_file_line_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FLOOD.read_text(encoding="utf-8").replace("severity: 3", "severity: 9"), encoding="utf-8")
    proc = subprocess.run(
        [str(BIN / "cockpit"), "--drill", str(bad), "--screenshot", str(tmp_path), "--quit-after", "1"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 2
    line = next(
        i for i, t in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "severity: 9" in t
    )
    assert f"cockpit: --drill: {bad}:{line}: severity 9 must be 1 (red) to 4 (blue)" in proc.stderr
    assert not list(tmp_path.glob("*.png"))


def test_a_drill_cannot_be_combined_with_a_replay(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            str(BIN / "cockpit"),
            "--drill",
            str(FLOOD),
            "--replay",
            str(tmp_path),
            "--screenshot",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 2 and "--drill and --replay cannot be combined" in proc.stderr


def test_record_with_a_drill_is_refused_not_ignored(tmp_path: Path) -> None:
    """`--record DIR` with `--drill` went unused (the drill recorded into REPORT/recordings) and the
    trainer looked for it in DIR (officer review): said at once, exit 2."""
    proc = subprocess.run(
        [str(BIN / "cockpit"), "--drill", str(FLOOD), "--record", str(tmp_path / "rec")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 2 and "--record does not apply to a drill" in proc.stderr
    assert not (tmp_path / "rec").exists()
