"""Readable from 8 m, proved by measurement: ``cockpit --wall-report`` as a user runs it.

Every runway, in English and Chinese, on 1920×1080 and 3840×2160 screens, with the demo city at its
busiest (the storm, the burst, the fire and the jam at once, and 20+ open events), during a drill
and during a replay: key text at least 40 mm and secondary text at least 20 mm high at 8 m on a 55"
panel, nothing shortened, cut or covered. The report's glyph heights are checked against the ink in
the screenshot, so the report cannot drift from the pixels (issue 15).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage

BIN = Path(sys.executable).parent
ASSETS = Path(__file__).resolve().parents[2] / "assets"
FLOOD_DRILL = ASSETS / "drills" / "flood.yaml"
RUNWAYS = sorted(p.stem for p in (ASSETS / "runways").glob("*.yaml"))
SIZES = {"1080p": "1920x1080", "4k": "3840x2160"}
BUSY = ["--events-per-min", "30"]
"""The demo starts 175 simulated seconds in, when the storm, the burst, the fire and the jam all
run (docs/demo.md); 30 background events a minute make 20+ open ones by then."""


def every_runway_on_a_screen(tmp: Path) -> Path:
    """A wall layout with every built-in runway on a screen of its own (the default wall leaves
    some to the console; a street centre's wall shows its four boards)."""
    path = tmp / "every-runway.yaml"
    path.write_text("screens:\n" + "".join(f"  - runway: {r}\n" for r in RUNWAYS), encoding="utf-8")
    return path


def cockpit(tmp: Path, *args: str, lang: str = "en", size: str = "1920x1080", quit_after: float = 9.0) -> dict[str, Any]:
    """Run the cockpit headless with the wall report and screenshots; return the report."""
    report, shots = tmp / "report.json", tmp / "shots"
    proc = subprocess.run(
        [
            str(BIN / "cockpit"),
            "--layout",
            str(every_runway_on_a_screen(tmp)),
            "--screens",
            str(len(RUNWAYS)),
            "--screen-size",
            size,
            "--lang",
            lang,
            "--wall-report",
            str(report),
            "--screenshot",
            str(shots),
            "--quit-after",
            str(quit_after),
            "--data-dir",
            str(tmp / "data"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    data["shots"] = str(shots)
    return data


def wall_screens(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in report["screens"] if s["on_wall"]]


def what_is_wrong(screen: dict[str, Any]) -> list[str]:
    out = []
    for t in screen["texts"]:
        why = []
        if t["glyph_mm"] + 0.05 < t["need_mm"]:
            why.append(f"{t['glyph_mm']} mm < {t['need_mm']} mm")
        if t["elided"]:
            why.append(f"shortened from {t.get('full')!r}")
        if t["clipped"]:
            why.append("cut")
        if t["overlaps"]:
            why.append("covers " + ", ".join(repr(screen["texts"][j]["text"]) for j in t["overlaps"]))
        if t["role"] == "detail":
            why.append("desk-sized")
        if why:
            out.append(f"{screen['window']}: {t['text']!r} ({t['role']}): {'; '.join(why)}")
    return out


def assert_readable(report: dict[str, Any]) -> None:
    """Every wall screen: glyphs of 40 mm (key) and 20 mm (secondary) at 8 m on 55", nothing
    shortened, cut, covered or desk-sized."""
    assert report["reading_distance_m"] == 8.0 and report["panel_diagonal_in"] == 55.0
    assert report["need_mm"] == {"key": 40.0, "secondary": 20.0}
    screens = wall_screens(report)
    assert sorted(s["window"] for s in screens) == RUNWAYS
    problems = [p for s in screens for p in what_is_wrong(s)]
    assert problems == [], "\n".join(problems)
    for s in screens:
        assert s["ok"] and not s["notes"], s["notes"]
        assert s["smallest_mm"]["key"] >= 40.0 and s["smallest_mm"]["secondary"] >= 20.0
        assert {t["role"] for t in s["texts"]} == {"key", "secondary"}


def open_events(report: dict[str, Any]) -> int:
    """The console's count of every open event ("Every open event (31 open)" / "…（31 起）")."""
    (console,) = [s for s in report["screens"] if s["window"] == "console"]
    titles = [t["text"] for t in console["texts"] if re.search(r"\d", t["text"]) and ("open" in t["text"] or "起" in t["text"])]
    counts = [int(n) for title in titles for n in re.findall(r"\d+", title)]
    return max(counts, default=0)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recording of the busy demo city, for the replays."""
    tmp = tmp_path_factory.mktemp("recording")
    rec = tmp / "rec"
    cockpit(tmp, "--demo", *BUSY, "--record", str(rec), quit_after=14)
    assert list(rec.glob("*.mcap"))
    return rec


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_busiest_demo_wall_reads_from_8_m(tmp_path: Path, lang: str, size: str) -> None:
    report = cockpit(tmp_path, "--demo", *BUSY, "--no-record", lang=lang, size=SIZES[size])
    assert open_events(report) >= 20, "the demo at its busiest"
    assert_readable(report)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_drill_wall_reads_from_8_m(tmp_path: Path, lang: str, size: str) -> None:
    report = cockpit(tmp_path, "--drill", str(FLOOD_DRILL), "--report", str(tmp_path / "reports"), lang=lang, size=SIZES[size])
    assert_readable(report)
    marking = {"en": "DRILL", "zh_CN": "演练"}[lang]
    for screen in wall_screens(report):
        assert any(t["text"].startswith(marking) and t["role"] == "key" for t in screen["texts"]), screen["window"]


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_replay_wall_reads_from_8_m(tmp_path: Path, recording: Path, lang: str, size: str) -> None:
    report = cockpit(tmp_path, "--replay", str(recording), lang=lang, size=SIZES[size])
    assert_readable(report)
    marking = {"en": "REPLAY", "zh_CN": "回放"}[lang]
    for screen in wall_screens(report):
        assert any(t["text"].startswith(marking) and t["role"] == "key" for t in screen["texts"]), screen["window"]
    if lang == "en":
        # The recording says it was made on the demo city's map: its replay shows that map (its
        # district names), not markers on a blank ground (officer review).
        from cockpit.backend.demo_catalog import DISTRICTS

        (fire,) = [s for s in wall_screens(report) if s["window"] == "forest_fire"]
        names = {en for en, _zh in DISTRICTS.values()}
        assert names & {t["text"] for t in fire["texts"]}, [t["text"] for t in fire["texts"]]


@pytest.mark.slow
@pytest.mark.parametrize("scale", ["0.8", "1.0", "1.5"])
def test_any_scale_keeps_every_window_on_its_screen_with_nothing_shortened(tmp_path: Path, scale: str) -> None:
    report = cockpit(tmp_path, "--demo", *BUSY, "--no-record", "--scale", scale)
    for screen in wall_screens(report):
        assert screen["size"] == [1920, 1080], f"{screen['window']} left its screen"
        assert screen["counts"]["elided"] == 0, what_is_wrong(screen)
        assert screen["counts"]["clipped"] == 0 and screen["counts"]["overlapping"] == 0, what_is_wrong(screen)
    # The type follows the scale: at 1.5 the smallest key text is half again as tall.
    key = min(s["smallest_mm"]["key"] for s in wall_screens(report))
    assert key == pytest.approx(40 * float(scale), abs=1.5)


# ------------------------------------------------------------------- the report against the pixels


def ink_height(image: QImage, box: list[float], pad: int = 3) -> int:
    """Rows in ``box`` (widened by ``pad``) whose pixels stand out from the box's border colour."""
    x0, y0 = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    x1, y1 = min(image.width() - 1, int(box[0] + box[2]) + pad), min(image.height() - 1, int(box[1] + box[3]) + pad)
    border = [image.pixelColor(x, y0) for x in range(x0, x1 + 1, 3)] + [image.pixelColor(x, y1) for x in range(x0, x1 + 1, 3)]
    ground = max(set((c.red(), c.green(), c.blue()) for c in border), key=[(c.red(), c.green(), c.blue()) for c in border].count)

    def differs(c: QColor) -> bool:
        return max(abs(c.red() - ground[0]), abs(c.green() - ground[1]), abs(c.blue() - ground[2])) > 90

    rows = [y for y in range(y0, y1 + 1) if any(differs(image.pixelColor(x, y)) for x in range(x0, x1 + 1))]
    return rows[-1] - rows[0] + 1 if rows else 0


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "size"), [("en", "1080p"), ("zh_CN", "4k")])
def test_the_reports_glyph_heights_are_the_ink_in_the_screenshot(tmp_path: Path, lang: str, size: str) -> None:
    report = cockpit(tmp_path, "--demo", "--no-record", lang=lang, size=SIZES[size])
    shots = Path(report["shots"])
    checked = 0
    for screen in wall_screens(report):
        image = QImage(str(shots / f"{screen['window']}.png"))
        assert image.width() == screen["size"][0]
        texts = screen["texts"]
        # The clock (digits) and the title (Latin or Chinese): key texts on a plain ground that do
        # not change between the report's paint and the screenshot's (a tile's value may).
        samples = [t for t in texts if re.fullmatch(r"\d\d:\d\d:\d\d", t["text"])]
        samples += [texts[0]]  # the title comes first
        for t in samples:
            measured = ink_height(image, t["box"])
            # Antialiased edges: within 3 px (4 % on a 4K panel's doubled type).
            tolerance = max(3.0, 0.04 * t["box"][3])
            assert abs(measured - t["box"][3]) <= tolerance, f"{screen['window']}: {t['text']!r} ink {measured} px, report {t['box'][3]}"
            # The glyph height is of capitals and digits (Chinese: an ideograph's); never taller than the ink.
            assert t["glyph_px"] <= measured + 2
            assert t["glyph_px"] >= 0.9 * measured or not re.fullmatch(r"[\d:.]+", t["text"])
            checked += 1
    assert checked >= 2 * len(RUNWAYS)


@pytest.mark.slow
def test_a_refused_runway_says_why_on_its_own_screen(tmp_path: Path) -> None:
    folder = tmp_path / "runways"
    folder.mkdir()
    for p in (ASSETS / "runways").glob("*.yaml"):
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    flood = folder / "flood.yaml"
    lines = flood.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.rstrip().endswith("]"))
    lines[n] = lines[n].rstrip()[:-1]  # a missing ']' on line n + 1
    flood.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = cockpit(tmp_path, "--demo", "--no-record", "--runways", str(folder))
    (screen,) = [s for s in report["screens"] if s["window"] == "flood"]
    texts = [t["text"] for t in screen["texts"]]
    assert "flood" in texts[0] and screen["texts"][0]["role"] == "key", "the runway named in key type"
    assert any(f"line {n + 1}" in t and "not closed" in t for t in texts), texts
    assert screen["ok"], what_is_wrong(screen)
