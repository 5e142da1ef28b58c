"""Replay at the wall: the timeline widget, the console's controls, the REPLAY band, recording status."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcap.reader import make_reader
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bench.recording_gen import make_recording
from cockpit.app.replay_ui import recording_text
from cockpit.app.wiring import Cockpit
from cockpit.feed import Identity
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.messages import CommandKind
from cockpit.record.reader import Recording
from cockpit.record.recorder import RecorderStatus, segments_in
from cockpit.record.replay import PlayState
from widgets.timeline import TimelineWidget

IDENTITY = Identity("test-replay", "trainer-1", "operator")
BIN = Path(sys.executable).parent
MAGENTA = QColor("#b0127a")


# ------------------------------------------------------------------------------ timeline widget


def test_timeline_click_seeks_and_drag_selects(qtbot: QtBot) -> None:
    w = TimelineWidget()
    qtbot.addWidget(w)
    w.resize(1001, 96)
    w.show()
    w.set_range(0, 100_000)
    w.set_density(10_000, [1, 5, 0, 2, 9, 0, 0, 3, 1, 1])
    w.set_alarms([(25_000, 1), (70_000, 2)])
    w.set_position(40_000)
    assert w.position() == 40_000
    with qtbot.waitSignal(w.seek_requested) as blocker:
        qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(500, 30))
    assert blocker.args[0] == pytest.approx(50_000, abs=200)
    with qtbot.waitSignal(w.selection_changed) as blocker:
        qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=QPoint(700, 30))
        qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, pos=QPoint(200, 30))
    start, end = blocker.args
    assert start == pytest.approx(20_000, abs=200) and end == pytest.approx(70_000, abs=200)
    assert w.selection() == (start, end)
    w.clear_selection()
    assert w.selection() is None
    # It paints density bars and alarm marks: the red alarm's colour is on screen near 25 s.
    image = w.grab().toImage()
    top = w.fontMetrics().height() + 2
    reds = [image.pixelColor(x, y) for x in range(240, 260) for y in range(top, top + 12)]
    assert any(c.red() > 200 and c.green() < 80 for c in reds)


# ------------------------------------------------------------------------------ the console's controls


@pytest.fixture(scope="module")
def recording_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("replay")
    make_recording(directory, 120, updates_per_s=2000, snapshot_every_s=15)
    return directory


@pytest.fixture
def replay_cockpit(qapp: QApplication, recording_dir: Path) -> Iterator[Cockpit]:
    c = Cockpit(["ws://127.0.0.1:1"], IDENTITY, replay=Recording(recording_dir))
    c.place(virtual_screens(2, 1600, 900))
    c.wall.show(full_screen=False)
    yield c
    c.wall.close()
    assert c.replay is not None
    c.replay.recording.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def test_replay_controls_drive_the_source_and_every_screen_says_replay(
    qtbot: QtBot, replay_cockpit: Cockpit
) -> None:
    c = replay_cockpit
    source = c.replay
    assert source is not None
    source.seek(source.recording.start_ns)
    assert c.replay_controls is not None
    panel = c.replay_controls.panel
    c.replay_controls.refresh()
    for _ in range(40):  # every screen's slow moment comes within half a second of frames
        c.frame()
        qtbot.wait(16)
    for view in c.wall.views.values():
        assert view.mode_marking.isVisibleTo(view) and view.mode_marking.text().startswith("REPLAY")
        assert "Live" not in view.status.text(), "a replay is never shown as live"
        # The band is the wall's whole word on a replay: no status line beside it ("no data" over
        # the data shown misled; its row took the panels' room).
        on_wall = view.wall_type is not None  # else a console tab: its status line stays
        assert view.status.isVisibleTo(view) is not on_wall
        assert "no data" not in view.status.text()
    assert any(view.wall_type is not None for view in c.wall.views.values())
    band = c.console.menuWidget()
    assert band is not None and band.isVisible() and "REPLAY" in band.text()  # type: ignore[attr-defined]
    # Play, pause, speed.
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    assert source.play_state is PlayState.PLAYING and panel.play_button.text() == "Pause"
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    assert source.play_state is PlayState.PAUSED
    for _ in range(40):
        c.frame()
        qtbot.wait(16)
    for view in c.wall.views.values():  # paused: the wall's band says so, not only the console
        assert view.mode_marking.text().startswith("REPLAY PAUSED"), view.mode_marking.text()
    panel.speed.setCurrentIndex(panel.speed.count() - 1)
    assert source.speed == 60
    # Step plays one frame.
    before = source.frames_played
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert source.frames_played == before + 1
    # A click on the timeline seeks there; the model holds that instant's state.
    rec = source.recording
    tl = panel.timeline
    tl.resize(1001, 96)
    qtbot.mouseClick(tl, Qt.MouseButton.LeftButton, pos=QPoint(750, 30))
    expected = rec.start_ns + (rec.end_ns - rec.start_ns) * 0.75
    assert source.position_ns == pytest.approx(expected, rel=0.01)
    assert len(c.situation.events) > 0
    # A drag loops the stretch; "Clear loop" ends it.
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=QPoint(100, 30))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton, pos=QPoint(300, 30))
    assert source.loop is not None and panel.loop_button.isEnabled()
    qtbot.mouseClick(panel.loop_button, Qt.MouseButton.LeftButton)
    assert source.loop is None and tl.selection() is None
    # Commands are disabled with the reason, and the alarm list's buttons with it.
    assert not c.book.may_command() and "replay" in c.book.why_not(CommandKind.DISPATCH)
    c.frame()
    assert not c.console.alarms.acknowledge_enabled() and not c.console.alarms.shelve_enabled()


def test_recording_status_text() -> None:
    assert recording_text(RecorderStatus(True, 12_400_000, Path("x.mcap"))) == "● REC 12 MB"
    assert recording_text(RecorderStatus(True, 400_000, Path("x.mcap"))) == "● REC 0.4 MB"
    stopped = recording_text(RecorderStatus(False, 0, None, error="cannot write /rec: disk full"))
    assert "STOPPED" in stopped and "disk full" in stopped


# ------------------------------------------------------------------------------ the command line


def magenta_pixels(image: QImage, rows: int) -> int:
    return sum(
        1
        for x in range(0, image.width(), 8)
        for y in range(0, rows, 4)
        if abs(image.pixelColor(x, y).red() - MAGENTA.red()) < 12
        and abs(image.pixelColor(x, y).green() - MAGENTA.green()) < 12
        and abs(image.pixelColor(x, y).blue() - MAGENTA.blue()) < 12
    )


@pytest.mark.slow
def test_cockpit_records_the_demo_then_replays_it_marked_replay(tmp_path: Path) -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    rec = tmp_path / "rec"
    recorded = subprocess.run(
        [
            str(BIN / "cockpit"),
            "--demo",
            "--record",
            str(rec),
            "--quit-after",
            "5",
            "--screenshot",
            str(tmp_path / "live"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert recorded.returncode == 0, recorded.stderr[-3000:]
    [segment] = segments_in(rec)
    with open(segment, "rb") as f:
        reader = make_reader(f)
        assert reader.get_summary() is not None
        assert sum(1 for _ in reader.iter_messages()) > 10
    live = QImage(str(tmp_path / "live" / "overview.png"))
    assert magenta_pixels(live, 100) == 0, "a live wall carries no REPLAY band"

    shots = tmp_path / "shots"
    replayed = subprocess.run(
        [str(BIN / "cockpit"), "--replay", str(rec), "--quit-after", "3", "--screenshot", str(shots)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert replayed.returncode == 0, replayed.stderr[-3000:]
    for name in ("overview.png", "console.png"):
        image = QImage(str(shots / name))
        assert magenta_pixels(image, 100) > 200, f"{name} has no REPLAY band"
    assert not list(tmp_path.glob("**/recordings/*.mcap")), "a replay records nothing"
