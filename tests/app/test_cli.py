"""The entry points as a user runs them: ``cockpit`` and ``cockpit-backend`` in real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.app.test_desk_boards import DESK_SHOTS

BIN = Path(sys.executable).parent
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")
NEW_RUNWAYS = ("waste", "water_quality", "citizen", "street_party", "street_economy", "street_services", "street_safety")
"""Built-in runways the default wall layout gives no screen (issue 18): console tabs."""


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_demo_screenshot_writes_one_png_per_wall_window_and_exits_0(tmp_path: Path, lang: str) -> None:
    proc = subprocess.run(
        [str(BIN / "cockpit"), "--demo", "--lang", lang, "--screenshot", str(tmp_path), "--quit-after", "4"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    pngs = sorted(tmp_path.glob("*.png"))
    # One screen, the console, and the console's tab of each runway that has no screen (issue 18's
    # runways are not on the default wall: they are console tabs too), and each desk board's tab.
    assert [p.name for p in pngs] == sorted(
        [f"console-{r}.png" for r in ("flood", "forest_fire", "traffic", "water_supply", *NEW_RUNWAYS)]
        + ["console.png", "overview.png"]
        + [f"{d}.png" for d in DESK_SHOTS]
    )
    assert "cockpit: first live frame at " in proc.stdout, "the demo's data must reach the wall"
    image = QImage(str(tmp_path / "overview.png"))
    assert (image.width(), image.height()) == (1920, 1080)
    # Not a blank frame: a painted wall has many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, 1920, 37) for y in range(0, 1080, 29)}
    assert len(colours) > 20
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_quit_after_quits_even_when_its_stdout_is_gone(tmp_path: Path) -> None:
    """A test run killed mid-way left a cockpit started with --quit-after 9 running for 40 minutes:
    its stdout's reader was gone, the report's "wrote …" line raised BrokenPipeError in the quit
    handler, and it never quit. It quits all the same (exit 1: not all was said), report written."""
    report = tmp_path / "r.json"
    proc = subprocess.Popen(
        [str(BIN / "cockpit"), "--demo", "--no-record", "--wall-report", str(report), "--quit-after", "4",
         "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )  # fmt: skip
    assert proc.stdout is not None
    proc.stdout.close()  # the reader goes away before the cockpit says anything
    try:
        code = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 1
    assert report.is_file() and report.stat().st_size > 0


@pytest.mark.slow
def test_four_virtual_screens_get_a_runway_each_and_the_fifth_goes_to_the_console(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            str(BIN / "cockpit"),
            "--demo",
            "--screens",
            "4",
            "--screenshot",
            str(tmp_path),
            "--quit-after",
            "5",
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = sorted(p.stem for p in tmp_path.glob("*.png"))
    assert names == sorted(
        ["console", "console-water_supply", "flood", "forest_fire", "overview", "traffic"]
        + [f"console-{r}" for r in NEW_RUNWAYS]
        + DESK_SHOTS
    )
    assert "water_supply" in proc.stderr  # logged as placed in the console
    assert "cockpit: first live frame at " in proc.stdout  # what the startup benchmark reads


def test_bad_arguments_get_a_clear_error() -> None:
    proc = subprocess.run(
        [str(BIN / "cockpit"), "--scale", "0"], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert proc.returncode == 2 and "--scale must be positive" in proc.stderr
    env = {k: v for k, v in ENV.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.run(
        [str(BIN / "cockpit"), "--demo"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 2 and "no display found" in proc.stderr


def test_cockpit_backend_serves_and_stops_cleanly() -> None:
    proc = subprocess.Popen(
        [str(BIN / "cockpit-backend"), "--port", "0", "--seed", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("cockpit-backend: serving ws://127.0.0.1:"), line
        url = line.split()[2]
        import asyncio

        from cockpit.feed import ConnectionState, FeedClient, Identity
        from tests.helpers import wait_until

        async def body() -> None:
            feed = FeedClient([url], Identity("t", "o", "viewer"), lambda evs: None)
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            await feed.stop()

        asyncio.run(body())
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]


def test_cockpit_backend_refuses_bad_options() -> None:
    proc = subprocess.run(
        [str(BIN / "cockpit-backend"), "--rate", "-5"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and "--rate" in proc.stderr
