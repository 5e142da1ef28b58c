"""The wall on real QScreens (Qt's offscreen platform configured with two named screens): runways are
placed by the screens' names from the layout file, never by their order."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.app.test_cli import BIN

pytestmark = pytest.mark.slow


def test_layout_pins_runways_to_named_screens(tmp_path: Path) -> None:
    # The screens are listed in the reverse of their position: a placement by index would swap them.
    config = {
        "screens": [
            {"name": "DP-2", "x": 1920, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "dpr": 1},
            {"name": "DP-1", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "dpr": 1},
        ]
    }
    (tmp_path / "screens.json").write_text(json.dumps(config))
    (tmp_path / "wall.yaml").write_text(
        "screens:\n  - runway: flood\n    match: {name: DP-2}\n  - runway: traffic\n    match: {name: DP-1}\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={tmp_path / 'screens.json'}")
    shots = tmp_path / "shots"
    shots.mkdir()
    proc = subprocess.run(
        [
            str(BIN / "cockpit"),
            "--demo",
            "--layout",
            str(tmp_path / "wall.yaml"),
            "--screenshot",
            str(shots),
            "--quit-after",
            "4",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = sorted(p.stem for p in shots.glob("*.png"))
    assert "flood" in names and "traffic" in names, names
    placed = next(line for line in proc.stderr.splitlines() if "on screens;" in line)
    assert "flood→DP-2" in placed and "traffic→DP-1" in placed, placed
    image = QImage(str(shots / "flood.png"))
    assert (image.width(), image.height()) == (1920, 1080)
