"""One event's closed loop from report to closure: steps, times, what happened, the deadline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from widgets.loop_timeline import LoopTimelineWidget
from widgets.values import Severity, TimelineStep

STEPS = (
    TimelineStep("Found", "20:17", "12345 hotline", True),
    TimelineStep("Routed", "20:19", "Enforcement team 2 (Yuzhong)", True),
    TimelineStep("Handled", "22:48", "", True, late=True),
    TimelineStep("Reported back", "23:02", "3 photos · citizen told 23:02", True),
    TimelineStep("Evaluated", "", "", False),
)


@pytest.fixture
def timeline(qtbot: QtBot) -> LoopTimelineWidget:
    w = LoopTimelineWidget()
    qtbot.addWidget(w)
    w.set_text_px(63, 32)
    w.set_timeline("Noise complaint (12345) · Yuzhong", STEPS, "Deadline 22:17 · handled 31 min late", Severity.YELLOW)
    return w


@pytest.mark.parametrize("size", [(1800, 330), (780, 420)], ids=["across", "down"])
def test_every_step_its_time_and_what_happened_are_shown_across_or_down(
    timeline: LoopTimelineWidget, size: tuple[int, int]
) -> None:
    timeline.resize(*size)
    timeline.grab()
    text = timeline.painted_text()
    for step in STEPS:
        assert step.name in text
        if step.time_text:
            assert step.time_text in text
    assert "Enforcement team 2 (Yuzhong)" in text and "3 photos · citizen told 23:02" in text
    assert "Deadline 22:17 · handled 31 min late" in text
    assert all(t.fitted for t in timeline.painted())


def test_times_are_at_key_size_where_the_steps_have_the_room(timeline: LoopTimelineWidget) -> None:
    timeline.resize(1800, 330)
    timeline.grab()
    assert next(t for t in timeline.painted() if t.text == "20:17").key


def test_a_click_asks_for_the_event(timeline: LoopTimelineWidget, qtbot: QtBot) -> None:
    timeline.resize(780, 420)
    with qtbot.waitSignal(timeline.clicked, timeout=1000):
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
