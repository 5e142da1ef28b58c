from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from widgets.confirm_button import SETTLE_MS
from widgets.dispatch_board import BoardRow, DispatchBoard, Tone


def rows() -> list[BoardRow]:
    return [
        BoardRow("c3", "14:03:00", "Dispatch", "Water-main burst", "Repair crew 2", "En route", Tone.PENDING, True),
        BoardRow("c2", "14:02:00", "Dispatch", "Road collapse", "Tow 1", "Rejected: the unit is busy", Tone.FAILED),
        BoardRow("c1", "14:01:00", "Dispatch", "Fire", "Engine 3", "Queued 3 min offline", Tone.HELD),
    ]


def test_rows_are_shown_in_order_with_state_words(qtbot: QtBot) -> None:
    b = DispatchBoard()
    qtbot.addWidget(b)
    b.set_rows(rows())
    assert [r.id for r in b.rows()] == ["c3", "c2", "c1"]
    table = b._table
    assert table.item(1, 4).text() == "Rejected: the unit is busy"
    assert "1 running" in b._summary.text() and "1 need attention" in b._summary.text()
    assert "1 held" in b._summary.text()


def test_cancel_needs_a_running_dispatch_and_a_confirmation(qtbot: QtBot) -> None:
    b = DispatchBoard()
    qtbot.addWidget(b)
    b.set_rows(rows())
    cancel = b.cancel_button()
    assert b.select("c2")
    assert not cancel.isEnabled(), "a rejected command cannot be cancelled"
    assert b.select("c3")
    assert cancel.isEnabled()
    qtbot.wait(SETTLE_MS + 60)  # a click just after the button changed is aimed at what was there
    with qtbot.assertNotEmitted(b.cancel_requested):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.wait(SETTLE_MS + 60)  # arming is a change: the confirming click waits for it to settle
    with qtbot.waitSignal(b.cancel_requested, timeout=1000) as sig:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert sig.args == ["c3"]


def test_selection_survives_an_update(qtbot: QtBot) -> None:
    b = DispatchBoard()
    qtbot.addWidget(b)
    b.set_rows(rows())
    b.select("c2")
    new = [BoardRow("c4", "14:04:00", "Acknowledge", "Fire", "", "Accepted", Tone.DONE), *rows()]
    b.set_rows(new)
    assert b.selected_id() == "c2"


def test_held_command_offers_send_and_discard(qtbot: QtBot) -> None:
    b = DispatchBoard()
    qtbot.addWidget(b)
    b.show()
    b.set_rows(rows())
    b.select("c3")
    assert not b._send_held.isVisible()
    b.select("c1")
    assert b._send_held.isVisible() and b._discard_held.isVisible()
    with qtbot.waitSignal(b.send_held_requested, timeout=1000) as sig:
        qtbot.mouseClick(b._send_held, Qt.MouseButton.LeftButton)
    assert sig.args == ["c1"]
    with qtbot.waitSignal(b.discard_held_requested, timeout=1000) as sig:
        qtbot.mouseClick(b._discard_held, Qt.MouseButton.LeftButton)
    assert sig.args == ["c1"]


def shown(b: DispatchBoard) -> list[tuple[str, ...]]:
    t = b._table
    return [
        (*tuple(t.item(r, c).text() for c in range(5)), t.item(r, 0).data(Qt.ItemDataRole.UserRole))
        for r in range(t.rowCount())
    ]


def expected(rs: list[BoardRow]) -> list[tuple[str, ...]]:
    return [(r.time_text, r.action, r.event, r.target, r.state, r.id) for r in rs]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9)), min_size=1, max_size=25))
def test_the_table_always_shows_exactly_the_rows_whatever_changes(
    qtbot: QtBot, steps: list[tuple[int, int]]
) -> None:
    """Rows written only where they changed (new ones on top, the oldest dropped, states changing,
    reorders) still leave every cell equal to the rows given."""
    b = DispatchBoard()
    qtbot.addWidget(b)
    board: list[BoardRow] = []
    serial = 0
    for op, n in steps:
        if op == 0:  # new commands on top, at most 6 kept
            for _ in range(n % 3 + 1):
                serial += 1
                board.insert(0, BoardRow(f"c{serial}", "14:00:00", "Dispatch", f"E{serial}", "T", "Queued", Tone.PENDING))
            board = board[:6]
        elif op == 1 and board:  # one state changes
            i = n % len(board)
            board[i] = BoardRow(board[i].id, "14:00:00", "Dispatch", board[i].event, "T", f"state {n}", Tone.DONE)
        elif op == 2:  # reordered
            board = board[::-1]
        else:  # one dropped from the middle
            board = [r for k, r in enumerate(board) if k != n % max(1, len(board))]
        b.set_rows(board)
        assert shown(b) == expected(board)


def test_the_board_cuts_no_text_it_scrolls_when_too_narrow(qtbot: QtBot) -> None:
    """Officer review: the board's Event column read "Water-main burst · …" beside an empty Unit
    column and a State column with room to spare."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QTableWidget

    board = DispatchBoard()
    qtbot.addWidget(board)
    board.resize(760, 300)
    board.show()
    long_event = "Congestion index over limit · Jiangbei"
    board.set_rows([
        BoardRow("c2", "21:23:25", "Acknowledge", "Water-main burst · Nan'an", "", "accepted", Tone.DONE),
        BoardRow("c1", "21:23:20", "Dispatch", long_event, "Water repair crew 1 (Nan'an)", "en route", Tone.PENDING),
    ])
    table = board.findChild(QTableWidget, "boardTable")
    assert table is not None
    fm = QFontMetrics(table.font())
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            text = table.item(r, c).text()
            assert table.columnWidth(c) >= fm.horizontalAdvance(text), (r, c, text)
    board.resize(420, 300)  # narrower than its rows: a scroll bar, and still nothing cut
    qtbot.wait(20)
    assert table.columnWidth(2) >= fm.horizontalAdvance(long_event)
    # Officer review: the State column, last, read "Unit acknow…" when the others left it less
    # than its words: the last column too keeps its widest text, whatever the board's width.
    board.set_rows([
        BoardRow("c3", "21:23:30", "Dispatch", long_event, "Fire engine 2 (Shapingba)", "Unit acknowledged", Tone.PENDING),
        *board.rows(),
    ])
    for width in (420, 900, 1400, 600):
        board.resize(width, 300)
        qtbot.wait(20)
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                text = table.item(r, c).text()
                assert table.columnWidth(c) >= fm.horizontalAdvance(text), (width, r, c, text)
        viewport = table.viewport().width()
        total = sum(table.columnWidth(c) for c in range(table.columnCount()))
        assert total >= viewport, "the state takes the room the others leave"
