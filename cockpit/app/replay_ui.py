"""Replay at the console: play/pause, speed, step, loop, the timeline; the REPLAY band on every screen.

Also the recording status text the wall shows while live ("● REC 12 MB").
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.record.recorder import RecorderStatus
from cockpit.record.replay import SPEEDS, PlayState, ReplaySource
from widgets.timeline import TimelineWidget

MARKING_MS = 250
"""How often the REPLAY band and the timeline follow playback."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Replay", text)


def recording_text(status: RecorderStatus) -> str:
    """The recording status for the status lines: recording and how much, or why not."""
    if status.error:
        return tr("⚠ RECORDING STOPPED: {error}").format(error=status.error)
    if not status.recording:
        return tr("● REC starting")
    mb = status.bytes / 1e6
    return tr("● REC {mb} MB").format(mb=f"{mb:.1f}" if mb < 10 else f"{mb:.0f}")


def screen_marking(source: ReplaySource) -> str:
    """The REPLAY marking on the wall's screens: the replayed time, and whether it is paused, ended
    or faster than life (the wall's clock beside it keeps the real time). It is the wall's whole
    word on a replay: a link status beside it would only repeat "not live"."""
    at = time.strftime("%H:%M:%S", time.localtime(source.position_ns / 1e9))
    if source.play_state is PlayState.PAUSED:
        return tr("REPLAY PAUSED {at}").format(at=at)
    if source.play_state is PlayState.ENDED:
        return tr("REPLAY ENDED {at}").format(at=at)
    if source.speed != 1:
        return tr("REPLAY ×{speed:g} {at}").format(speed=source.speed, at=at)
    return tr("REPLAY {at}").format(at=at)


def marking_text(source: ReplaySource) -> str:
    """What the REPLAY band says: that it is a replay, of when, how fast, and whether paused."""
    at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(source.position_ns / 1e9))
    state = {
        PlayState.PLAYING: tr("playing ×{speed:g}").format(speed=source.speed),
        PlayState.PAUSED: tr("paused"),
        PlayState.ENDED: tr("end of recording"),
    }[source.play_state]
    return tr("REPLAY · {at} · {state} · not live").format(at=at, state=state)


class ReplayControlsPanel(QWidget):
    """The trainer's replay controls; it sets the source's state and reads it back for display."""

    def __init__(self, source: ReplaySource) -> None:
        super().__init__()
        self.setObjectName("replayControls")
        self.source = source
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        row = QHBoxLayout()
        self.play_button = QPushButton()
        row.addWidget(self.play_button)
        self.step_button = QPushButton(tr("Step"))
        self.step_button.setToolTip(tr("Pause and play exactly the next recorded frame"))
        row.addWidget(self.step_button)
        row.addWidget(QLabel(tr("Speed")))
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"×{s:g}", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        row.addWidget(self.speed)
        self.loop_button = QPushButton(tr("Clear loop"))
        self.loop_button.setToolTip(tr("Drag across the timeline to loop a stretch"))
        row.addWidget(self.loop_button)
        self.position = QLabel()
        row.addWidget(self.position, 1)
        layout.addLayout(row)
        self.timeline = TimelineWidget()
        rec = source.recording
        density = rec.density()
        self.timeline.set_range(rec.start_ns / 1e6, rec.end_ns / 1e6)
        self.timeline.set_density(density.bucket_ms, density.events)
        self.timeline.set_alarms([(float(ms), level) for ms, level, _id in density.alarms])
        layout.addWidget(self.timeline)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setStyleSheet("color: #ff6b5e; font-weight: bold;")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        self.refresh()

    def refresh(self) -> None:
        src = self.source
        playing = src.play_state is PlayState.PLAYING
        self.play_button.setText(tr("Pause") if playing else tr("Play"))
        self.loop_button.setEnabled(src.loop is not None)
        self.timeline.set_position(src.position_ns / 1e6)
        at = time.strftime("%H:%M:%S", time.localtime(src.position_ns / 1e9))
        lag = tr(" (cannot keep up at this speed)") if src.lagging else ""
        self.position.setText(f"{at}{lag}")
        problems = src.recording.problems
        self.problems.setText("\n".join(problems[-5:]))
        self.problems.setVisible(bool(problems))

    def toggle_play(self) -> None:
        if self.source.play_state is PlayState.PLAYING:
            self.source.pause()
        else:
            self.source.play()
        self.refresh()

    def step(self) -> None:
        self.source.step()
        self.refresh()

    def choose_speed(self, index: int) -> None:
        self.source.set_speed(float(self.speed.itemData(index)))
        self.refresh()

    def clear_loop(self) -> None:
        self.source.clear_loop()
        self.timeline.clear_selection()
        self.refresh()

    def seek(self, ms: float) -> None:
        self.source.seek(int(ms * 1e6))
        self.refresh()

    def set_loop(self, start_ms: float, end_ms: float) -> None:
        try:
            self.source.set_loop(int(start_ms * 1e6), int(end_ms * 1e6))
        except ValueError:
            self.timeline.clear_selection()
        self.refresh()


class ReplayControls(QObject):
    """Puts the replay controls on the console and keeps the console's REPLAY band up to date (the
    screens' bands come from the wall's state; the wiring connects the panel and the timer)."""

    def __init__(self, console: QMainWindow, source: ReplaySource) -> None:
        super().__init__(console)
        self.console = console
        self.source = source
        self.panel = ReplayControlsPanel(source)
        self.dock = QDockWidget(tr("Replay"), console)
        self.dock.setObjectName("replayDock")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.dock.setWidget(self.panel)
        console.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.timer = QTimer(self)
        self.timer.setInterval(MARKING_MS)
        self.timer.start()

    def refresh(self) -> None:
        self.panel.refresh()
