"""A plan's tasks as a checklist: what, who, state and deadline in words, coloured by urgency."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from widgets.task_checklist import TaskChecklistWidget, mark_of
from widgets.values import TaskRow, Urgency

TASKS = (
    TaskRow("Close the intake before the slick arrives", "Water company", "in progress", "in 2 h 10 min", Urgency.CALM),
    TaskRow("Switch the waterworks to its other source", "Water company", "pending", "in 3 h", Urgency.CALM),
    TaskRow("Lay booms across the river below the slick", "Emergency management bureau", "dispatched", "12 min late", Urgency.LATE),
    TaskRow("Tell the residents served by the intake", "Grid workers", "done", "done at 10:12", Urgency.DONE, mandatory=False),
)


@pytest.fixture
def checklist(qtbot: QtBot) -> TaskChecklistWidget:
    w = TaskChecklistWidget()
    qtbot.addWidget(w)
    w.resize(900, 600)
    w.set_text_px(63, 32)
    w.set_plan("Oil slick: close the intake, switch source", "active · 1 of 4 tasks done", TASKS)
    return w


def test_every_task_shows_what_who_its_state_and_deadline(checklist: TaskChecklistWidget) -> None:
    checklist.grab()
    text = checklist.painted_text()
    assert "Oil slick: close the intake, switch source" in text and "active · 1 of 4 tasks done" in text
    for task in TASKS:
        assert task.title.split()[0] in text
        assert f"{task.state} · {task.due}" in text
    assert "Grid workers · optional" in text
    assert all(t.fitted for t in checklist.painted())


def test_marks_follow_urgency_so_colour_is_never_alone() -> None:
    assert [mark_of(t) for t in TASKS] == ["•", "•", "!", "✓"]


def test_tasks_without_room_are_counted(checklist: TaskChecklistWidget) -> None:
    checklist.resize(900, 220)
    checklist.grab()
    assert checklist.left_out() > 0
    assert f"+{checklist.left_out()} more tasks" in checklist.painted_text()
    assert all(t.fitted for t in checklist.painted())
