"""The wall's event list: whole rows in large type, the rest counted, clicks as on the table."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from widgets.event_wall_list import EventWallList
from widgets.values import EventRow, Severity, TextRole


def row(i: int, acked: bool = False) -> EventRow:
    return EventRow(f"e{i}", Severity.ORANGE, "14:03:27", f"Waterlogging {i}", "Jiangbei", "New", acked, "")


def make(qtbot: QtBot, w: int = 900, h: int = 400) -> EventWallList:
    view = EventWallList()
    qtbot.addWidget(view)
    view.setFont(QFont("Noto Sans CJK SC"))
    view.set_type_size(43)
    view.resize(w, h)
    return view


def test_rows_that_do_not_fit_are_counted_in_the_last_row_and_nothing_is_cut(qtbot: QtBot) -> None:
    view = make(qtbot)
    view.set_rows([row(i) for i in range(12)])
    view.grab()
    shown = view.shown_ids()
    assert 2 <= len(shown) < 12 and shown == [f"e{i}" for i in range(len(shown))]
    items = view.text_items()
    more = [t for t in items if "more" in t.text]
    assert len(more) == 1 and more[0].text.startswith(f"+{12 - len(shown)} ")
    assert all(not t.clipped and not t.elided and t.role is TextRole.SECONDARY for t in items)
    assert view.event_ids() == [f"e{i}" for i in range(12)] and view.row_count() == 12
    assert view.is_flashing()


def test_columns_drop_out_whole_when_the_row_is_narrow(qtbot: QtBot) -> None:
    view = make(qtbot, w=520)
    view.set_rows([row(1)])
    view.grab()
    texts = [t.text for t in view.text_items()]
    assert "Waterlogging 1" in texts and "14:03" not in texts  # no time: no room for it whole
    assert all(not t.clipped for t in view.text_items())


def test_click_selects_and_double_click_asks_to_acknowledge(qtbot: QtBot) -> None:
    view = make(qtbot)
    view.set_rows([row(1), row(2, acked=True)])
    view.grab()
    with qtbot.waitSignal(view.row_clicked) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPointF(300, 20).toPoint())
    assert blocker.args == ["e1"]
    assert view.selected_event_id() == "e1"
    with qtbot.waitSignal(view.acknowledge_requested) as blocker:
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPointF(300, 20).toPoint())
    assert blocker.args == ["e1"]
    view.set_rows([row(2, acked=True)])  # the selected event left the list
    assert view.selected_event_id() is None


def test_an_empty_list_says_why(qtbot: QtBot) -> None:
    view = make(qtbot)
    view.set_rows([])
    view.set_not_current("as of 14:03:22 · not live")
    view.grab()
    assert [t.text for t in view.text_items()] == ["as of 14:03:22 · not live"]
