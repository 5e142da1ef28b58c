from __future__ import annotations

import dataclasses
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from widgets import theme
from widgets.errors import DuplicateEventIdError
from widgets.event_list import FLASH_INTERVAL_MS, EventListView, EventRow
from widgets.severity import Severity, severity_color


def row(event_id: str, *, acked: bool = True, sev: Severity = Severity.ORANGE, title: str = "") -> EventRow:
    return EventRow(
        id=event_id,
        severity=sev,
        time_text="14:03:27",
        title=title or f"Event {event_id}",
        district="Xuhui",
        state_text="Open",
        acknowledged=acked,
        dispatch_text="",
    )


@pytest.fixture
def view(qtbot: QtBot) -> EventListView:
    w = EventListView()
    qtbot.addWidget(w)
    w.resize(1200, 500)
    return w


def table_of(w: EventListView) -> QTableView:
    table = w.findChild(QTableView)
    assert table is not None
    return table


def test_flash_rate_is_at_most_three_hz() -> None:
    assert 1000 / (2 * FLASH_INTERVAL_MS) <= 3


def test_unacked_rows_flash_acked_rows_stay_steady(view: EventListView, qtbot: QtBot) -> None:
    view.set_rows([row("new", acked=False, sev=Severity.RED), row("old", acked=True, sev=Severity.RED)])
    assert view.is_flashing()
    # Starts lit so a new alarm is visible at once.
    assert view.flash_phase is True
    assert view.row_background("new") == severity_color(Severity.RED)
    acked_before = view.row_background("old")

    qtbot.waitUntil(lambda: view.flash_phase is False, timeout=3 * FLASH_INTERVAL_MS)
    assert view.row_background("new") != severity_color(Severity.RED)
    assert view.row_background("old") == acked_before

    qtbot.waitUntil(lambda: view.flash_phase is True, timeout=3 * FLASH_INTERVAL_MS)
    assert view.row_background("new") == severity_color(Severity.RED)
    assert view.row_background("old") == acked_before
    assert acked_before is not None and acked_before.name() in (theme.BG_PANEL, theme.BG_ROW_ALT)


def test_flashing_stops_when_everything_is_acknowledged(view: EventListView) -> None:
    view.set_rows([row("a", acked=False)])
    assert view.is_flashing()
    view.set_rows([row("a", acked=True)])
    assert not view.is_flashing()
    assert view.flash_phase is False
    assert view.row_background("a") != severity_color(Severity.ORANGE)


def test_selection_is_kept_by_id_across_set_rows(view: EventListView, qtbot: QtBot) -> None:
    view.set_rows([row("a"), row("b"), row("c")])
    assert view.select_event("b")
    with qtbot.assertNotEmitted(view.selection_changed):
        # New rows on top, one removed, the selected one changed.
        view.set_rows([row("x"), row("y"), row("a"), row("b", acked=False, title="changed")])
        assert view.selected_event_id() == "b"
        # Reordered (model reset path).
        view.set_rows([row("b"), row("a"), row("x")])
        assert view.selected_event_id() == "b"
    assert view.event_ids() == ["b", "a", "x"]


def test_removing_the_selected_event_reports_empty_selection(view: EventListView, qtbot: QtBot) -> None:
    view.set_rows([row("a"), row("b")])
    view.select_event("a")
    with qtbot.waitSignal(view.selection_changed, timeout=1000) as blocker:
        view.set_rows([row("b")])
    assert blocker.args == [""]
    assert view.selected_event_id() is None


def test_user_click_reports_selected_id(view: EventListView, qtbot: QtBot) -> None:
    view.set_rows([row("a"), row("b")])
    with qtbot.waitExposed(view):  # a context manager: it waits for the show inside
        view.show()
    table = table_of(view)
    pos = table.visualRect(table.model().index(1, 2)).center()
    with qtbot.waitSignal(view.selection_changed, timeout=1000) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["b"]
    assert view.selected_event_id() == "b"


def test_select_unknown_event_changes_nothing(view: EventListView) -> None:
    view.set_rows([row("a")])
    view.select_event("a")
    assert view.select_event("nope") is False
    assert view.selected_event_id() == "a"


def test_double_click_requests_acknowledge_with_id(view: EventListView, qtbot: QtBot) -> None:
    view.set_rows([row("a", acked=True), row("b", acked=False)])
    with qtbot.waitExposed(view):  # a context manager: it waits for the show inside
        view.show()
    table = table_of(view)
    pos = table.visualRect(table.model().index(1, 2)).center()
    with qtbot.waitSignal(view.acknowledge_requested, timeout=1000) as blocker:
        # QTest's double-click lacks the press that item views pair it with.
        qtbot.mousePress(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseRelease(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["b"]


def test_space_requests_acknowledge_of_current_row(view: EventListView, qtbot: QtBot) -> None:
    view.set_rows([row("a", acked=False), row("b", acked=False)])
    view.select_event("b")
    with qtbot.waitSignal(view.acknowledge_requested, timeout=1000) as blocker:
        qtbot.keyClick(table_of(view), Qt.Key.Key_Space)
    assert blocker.args == ["b"]


def test_acknowledged_row_does_not_request_again(view: EventListView, qtbot: QtBot) -> None:
    view.set_rows([row("a", acked=True)])
    view.select_event("a")
    with qtbot.assertNotEmitted(view.acknowledge_requested):
        qtbot.keyClick(table_of(view), Qt.Key.Key_Space)


def test_duplicate_ids_are_rejected_and_change_nothing(view: EventListView) -> None:
    view.set_rows([row("a")])
    with pytest.raises(DuplicateEventIdError):
        view.set_rows([row("b"), row("b")])
    assert view.event_ids() == ["a"]


def test_five_thousand_rows(view: EventListView) -> None:
    rows = [row(f"e{i}", acked=i % 3 != 0, sev=Severity(1 + i % 4)) for i in range(5000)]
    view.show()
    start = time.perf_counter()
    view.set_rows(rows)
    view.select_event("e2500")
    # A typical update: 20 new on top, 20 gone at the bottom, a few changed.
    update = [row(f"n{i}", acked=False) for i in range(20)] + rows[:4980]
    update[100] = dataclasses.replace(update[100], state_text="Closed")
    view.set_rows(update)
    QApplication.processEvents()
    elapsed = time.perf_counter() - start
    assert view.row_count() == 5000
    assert view.event_ids()[:2] == ["n0", "n1"]
    assert view.selected_event_id() == "e2500"
    assert elapsed < 5.0  # generous: catches accidental quadratic behaviour, not CI noise


ids = st.lists(st.sampled_from([f"e{i}" for i in range(12)]), unique=True, max_size=12)


@settings(max_examples=150, deadline=None)
@given(updates=st.lists(st.tuples(ids, st.lists(st.booleans(), min_size=12, max_size=12)), max_size=6))
def test_any_update_sequence_shows_exactly_the_given_rows(
    qapp: QApplication, updates: list[tuple[list[str], list[bool]]]
) -> None:
    w = EventListView()
    try:
        selected: str | None = None
        for event_ids, acks in updates:
            rows = [row(e, acked=a) for e, a in zip(event_ids, acks, strict=False)]
            w.set_rows(rows)
            assert w.event_ids() == event_ids
            if selected not in event_ids:
                selected = None
            assert w.selected_event_id() == selected
            assert w.is_flashing() == any(not r.acknowledged for r in rows)
            if event_ids:
                selected = event_ids[len(event_ids) // 2]
                w.select_event(selected)
    finally:
        w.deleteLater()


def test_district_state_and_dispatch_are_shown_whole_where_the_list_has_room(view: EventListView) -> None:
    """Officer review: a unit's name and its state were cut in the console's list."""
    from PySide6.QtGui import QFontMetrics

    from widgets.event_list import EventColumn

    header = table_of(view).horizontalHeader()
    usual = {c: header.sectionSize(c) for c in (EventColumn.DISTRICT, EventColumn.DISPATCH)}
    wide = dataclasses.replace(
        row("a"),
        district="Liangjiang New Area",
        state_text="Acknowledged by the district centre",
        dispatch_text="Water repair crew 1 (Nan'an) · on scene",
    )
    view.set_rows([wide, row("b")])
    fm = QFontMetrics(view.font())
    pad = 2 * max(4, fm.height() // 3)  # what the row delegate keeps free around the text
    for column, text in [
        (EventColumn.DISTRICT, wide.district),
        (EventColumn.STATE, wide.state_text),
        (EventColumn.DISPATCH, wide.dispatch_text),
    ]:
        assert header.sectionSize(column) - pad >= fm.horizontalAdvance(text), text
    assert header.sectionSize(EventColumn.TITLE) - pad >= fm.horizontalAdvance("Event a"), "the title keeps room"
    view.set_rows([row("b")])
    assert {c: header.sectionSize(c) for c in usual} == usual


def test_wide_columns_never_squeeze_the_title_the_list_scrolls_sideways(view: EventListView, qtbot: QtBot) -> None:
    """Officer review: wide State and Dispatch columns squeezed the stretched title to "Traffic ac…"."""
    from PySide6.QtGui import QFont, QFontMetrics

    from widgets.event_list import EventColumn

    view.resize(700, 400)
    view.show()
    title = "Congestion index over limit"
    view.set_rows([
        dataclasses.replace(row("a", acked=False), title=title, state_text="Cleared, unacknowledged"),
        dataclasses.replace(row("b"), title="Traffic accident", dispatch_text="Water repair crew 1 (Nan'an) · on scene"),
    ])
    qtbot.wait(20)
    bold = QFont(view.font())
    bold.setBold(True)
    pad = 2 * max(4, QFontMetrics(view.font()).height() // 3)
    table = table_of(view)
    assert table.columnWidth(EventColumn.TITLE) - pad >= QFontMetrics(bold).horizontalAdvance(title)
    assert table.horizontalScrollBar().maximum() > 0, "too narrow for its rows: it scrolls"
    view.resize(1900, 400)  # room enough: the title takes what is left, no scrolling
    qtbot.wait(20)
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)) == table.viewport().width()
