from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from widgets.confirm_button import SETTLE_MS
from widgets.dispatch_button import PanelAction
from widgets.plan_view import PlanView, TaskRow, TimerLine, Urgency


def test_no_plan_says_so_and_hides_the_table(qtbot: QtBot) -> None:
    v = PlanView()
    qtbot.addWidget(v)
    v.show()
    assert v.header_text() == "No plan running for this event"
    assert not v._table.isVisible()
    assert v.timers_text() == "No SLA timer running"


def test_tasks_and_timers_are_worded_and_coloured(qtbot: QtBot) -> None:
    v = PlanView()
    qtbot.addWidget(v)
    v.show()
    v.set_timers([TimerLine("Dispatch: 4 min late (target 5 min)", Urgency.LATE)])
    v.set_plan(
        "Water-main burst · active",
        [
            TaskRow("Close valves", "Water company", "done", "done at 14:02", Urgency.DONE),
            TaskRow(
                "Notify residents", "Grid workers", "in progress", "3 min late", Urgency.LATE, mandatory=False
            ),
        ],
        [
            PanelAction(
                "close", "Close plan", enabled=False, reason="1 mandatory tasks still open", critical=True
            )
        ],
    )
    assert "4 min late" in v.timers_text() and "color:" in v.timers_text()
    assert v._table.rowCount() == 2 and v._table.item(1, 0).text() == "Notify residents (optional)"
    assert v._table.item(1, 3).text() == "3 min late"
    close = v.action_button("close")
    assert close is not None and not close.isEnabled() and close.is_critical()
    assert "mandatory tasks still open" in v.why_not_text()


def test_actions_emit_their_key(qtbot: QtBot) -> None:
    v = PlanView()
    qtbot.addWidget(v)
    v.show()
    v.set_plan("Plan", [], [PanelAction("approve", "Approve plan")])
    button = v.action_button("approve")
    assert button is not None
    qtbot.wait(SETTLE_MS + 60)
    with qtbot.waitSignal(v.action_requested, timeout=1000) as sig:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert sig.args == ["approve"]


def test_a_long_task_wraps_in_its_row_instead_of_being_cut(qtbot: QtBot) -> None:
    """Officer review: the console's plan read "Isolate the main: close the…"."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    v = PlanView()
    qtbot.addWidget(v)
    v.resize(720, 500)
    v.show()
    long = "Isolate the main: close the valves either side of the burst and report the pressure"
    v.set_plan(
        "Water-main burst · active",
        [
            TaskRow(long, "Water company", "pending", "starts on approval", Urgency.CALM),
            TaskRow("Close the lanes", "Traffic police", "pending", "starts on approval", Urgency.CALM),
        ],
        [],
    )
    qtbot.wait(50)
    table = v._table
    fm = QFontMetrics(table.font())
    room = table.columnWidth(0) - 2 * table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) - 6
    needed = fm.boundingRect(QRect(0, 0, room, 10_000), int(Qt.TextFlag.TextWordWrap), long).height()
    assert fm.horizontalAdvance(long) > room, "the test needs a task longer than its column"
    assert table.rowHeight(0) > table.rowHeight(1), "the long task got no second line: it is cut"
    assert table.rowHeight(0) >= needed, "the long task is cut"
