"""The console window as the officer sees it at the desk (officer review): the link status always
in sight and whole, the dispatch board in sight under a long plan."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from cockpit.app.wiring import Cockpit
from cockpit.present.panels.plans import PlanState
from tests.app.test_officer_clicks import build, frames
from tests.app.test_wall import dispose
from widgets.values import LinkLevel, PanelAction, TaskRow, TimerLine, Urgency


@pytest.fixture
def cockpit(qapp: QApplication) -> Iterator[Cockpit]:
    c = build()
    yield c
    dispose(c)


def in_sight(widget: QWidget, window: QWidget) -> bool:
    """Wholly inside the window and not scrolled out of its scroll area."""
    box = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return widget.isVisible() and window.rect().contains(box) and widget.visibleRegion().boundingRect() == widget.rect()


def test_the_link_status_stays_whole_and_in_sight_and_the_board_under_a_long_plan(
    cockpit: Cockpit, qtbot: QtBot
) -> None:
    console = cockpit.console
    console.resize(1920, 1040)
    console.show()
    frames(cockpit, qtbot, 3)
    detail = "REC 5.3 MB · msgs 3009 · malformed 0 · gaps 0 · reconnects 0 · resumed 2 · last gap 21:14:07"
    console.status.set_status("Live", LinkLevel.OK, 0.1, detail)
    # An active plan of 14 tasks, its timers and actions (each disabled one says why, on a line).
    tasks = tuple(
        TaskRow(f"Task {i}: close valve {i} and report back", "Water repair crew 1 (Nan'an)", "waiting", "21:30", Urgency.CALM)
        for i in range(14)
    )
    actions = tuple(PanelAction(f"a{i}", f"Approve step {i}", False, "needs a second officer") for i in range(4))
    timers = tuple(TimerLine(f"Timer {i}: 3 min left of 5 min", Urgency.CALM) for i in range(3))
    console.show_plan(PlanState("Water-main burst, main under 500 mm · active · by officer-2", tasks, actions, timers))
    qtbot.wait(50)
    for area in console.findChildren(QScrollArea):  # the officer scrolls each column to its end
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    qtbot.wait(50)
    assert in_sight(console.status, console), "the link status scrolled away"
    assert in_sight(console.board, console), "the dispatch board is below the window"
    console.status.grab()  # paint it: its text items are what was drawn
    items = console.status.text_items()
    assert not [i.text for i in items if i.full or i.clipped], "the link status is shortened"
    shown = " ".join(i.text for i in items)
    for part in detail.split(" · "):
        assert part in shown


def sent_dispatch(c: Cockpit) -> list[str]:
    from cockpit.protocol.messages import CommandKind

    return [r.command.event_id for r in c.book.records.values() if r.command.kind == CommandKind.DISPATCH]


def test_a_click_in_the_left_column_does_not_scroll_the_event_it_acts_on_away(cockpit: Cockpit, qtbot: QtBot) -> None:
    """Officer review: after Send, the left column jumped down and the selected event's header
    (what the dispatch block acts on) left the window: the clicked button, disabled, passed the
    focus on and the column scrolled to the next one."""
    from PySide6.QtCore import Qt

    from tests.present.support import Feed

    feed = Feed()
    feed.situation = cockpit.situation
    feed.apply(feed.event("E1", severity=1, recommended=("u-1",)), feed.unit("u-1"))
    cockpit.ctx.selection.choose("E1")
    console = cockpit.console
    console.resize(1920, 600)  # a column that must scroll, as the busy demo's does at 1080
    console.show()
    frames(cockpit, qtbot, 10)
    panel = console.dispatch.panel
    button = panel.findChild(QWidget, "dispatchButton")
    assert button is not None and button.isEnabled()
    (column,) = [a for a in console.findChildren(QScrollArea) if a.isAncestorOf(button)]
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    qtbot.wait(800)  # the button's text settled
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert sent_dispatch(cockpit) == ["E1"]
    frames(cockpit, qtbot, 10)
    assert column.verticalScrollBar().value() == 0, "the column scrolled"
    assert in_sight(panel.findChild(QWidget, "dispatchEvent"), console)
