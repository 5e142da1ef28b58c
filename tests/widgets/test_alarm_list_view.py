from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from widgets.alarm_list import (
    ACK_SETTLE_MS,
    FLASH_INTERVAL_MS,
    GREY_DISPLAYS,
    AlarmDisplay,
    AlarmListView,
    AlarmRow,
    display_of,
    display_text,
)
from widgets.errors import DuplicateAlarmIdError
from widgets.severity import Severity, severity_color


def shown_as(active: bool, acked: bool, shelved: bool, suppressed: bool, oos: bool) -> AlarmDisplay:
    """What the cockpit's model would say (cockpit/model/alarms.py): the widget only draws it."""
    if oos:
        return AlarmDisplay.OUT_OF_SERVICE
    if suppressed:
        return AlarmDisplay.SUPPRESSED
    if shelved:
        return AlarmDisplay.SHELVED
    if active:
        return AlarmDisplay.ACKED_ACTIVE if acked else AlarmDisplay.UNACKED_ACTIVE
    return AlarmDisplay.ACKED_CLEARED if acked else AlarmDisplay.UNACKED_CLEARED


def alarm(
    alarm_id: str,
    *,
    sev: Severity = Severity.RED,
    active: bool = True,
    acked: bool = False,
    shelved: bool = False,
    suppressed: bool = False,
    oos: bool = False,
    occurrence: int = 1,
) -> AlarmRow:
    return AlarmRow(
        id=alarm_id,
        severity=sev,
        time_text="14:03:27",
        source="Pump station 4",
        message=f"Alarm {alarm_id}",
        active=active,
        acknowledged=acked,
        display=shown_as(active, acked, shelved, suppressed, oos),
        shelved=shelved,
        suppressed=suppressed,
        out_of_service=oos,
        acked_by="Li Wei" if acked else "",
        occurrence=occurrence,
    )


@pytest.fixture
def view(qtbot: QtBot) -> AlarmListView:
    w = AlarmListView()
    qtbot.addWidget(w)
    w.resize(1400, 600)
    return w


def table_of(w: AlarmListView) -> QTableView:
    table = w.findChild(QTableView)
    assert table is not None
    return table


def button(w: AlarmListView, name: str) -> QPushButton:
    b = w.findChild(QPushButton, name)
    assert b is not None
    return b


# -- display state derivation ---------------------------------------------------------------------

flags = st.fixed_dictionaries(
    {
        "active": st.booleans(),
        "acked": st.booleans(),
        "shelved": st.booleans(),
        "suppressed": st.booleans(),
        "oos": st.booleans(),
    }
)


@given(f=flags, sev=st.sampled_from(Severity))
def test_display_derivation_table(f: dict[str, bool], sev: Severity) -> None:
    d = display_of(alarm("a", sev=sev, **f))
    if f["oos"]:
        assert d is AlarmDisplay.OUT_OF_SERVICE
    elif f["suppressed"]:
        assert d is AlarmDisplay.SUPPRESSED
    elif f["shelved"]:
        assert d is AlarmDisplay.SHELVED
    else:
        # Without an override the two ISA-18.2 axes map one-to-one onto four displays.
        expected = {
            (True, False): AlarmDisplay.UNACKED_ACTIVE,
            (True, True): AlarmDisplay.ACKED_ACTIVE,
            (False, False): AlarmDisplay.UNACKED_CLEARED,
            (False, True): AlarmDisplay.ACKED_CLEARED,
        }
        assert d is expected[(f["active"], f["acked"])]


@settings(max_examples=60, deadline=None)
@given(f=flags, sev=st.sampled_from(Severity))
def test_only_unacked_active_rows_flash_and_overrides_are_grey(
    qapp: QApplication, f: dict[str, bool], sev: Severity
) -> None:
    w = AlarmListView()
    try:
        w.set_rows([alarm("a", sev=sev, **f)])
        d = w.display_of_row("a")
        should_flash = f["active"] and not f["acked"] and not (f["shelved"] or f["suppressed"] or f["oos"])
        assert w.is_flashing() == should_flash
        assert (d is AlarmDisplay.UNACKED_ACTIVE) == should_flash
        if f["shelved"] or f["suppressed"] or f["oos"]:
            assert d in GREY_DISPLAYS
            assert w.row_background("a") != severity_color(sev)
        # Overridden alarms stay listed and counted: nothing disappears silently.
        assert w.alarm_ids() == ["a"]
        assert sum(w.counts().values()) == 1
    finally:
        w.deleteLater()


def test_flash_rate_is_at_most_three_hz() -> None:
    assert 1000 / (2 * FLASH_INTERVAL_MS) <= 3


def test_unacked_active_flashes_everything_else_is_steady(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_rows(
        [
            alarm("new"),
            alarm("acked", acked=True),
            alarm("rtn", active=False),
            alarm("shelved", shelved=True),
        ]
    )
    assert view.is_flashing()
    assert view.flash_phase is True  # starts lit: a new alarm shows at once
    assert view.row_background("new") == severity_color(Severity.RED)
    steady = {i: view.row_background(i) for i in ("acked", "rtn", "shelved")}

    qtbot.waitUntil(lambda: view.flash_phase is False, timeout=3 * FLASH_INTERVAL_MS)
    assert view.row_background("new") != severity_color(Severity.RED)
    assert {i: view.row_background(i) for i in steady} == steady

    qtbot.waitUntil(lambda: view.flash_phase is True, timeout=3 * FLASH_INTERVAL_MS)
    assert view.row_background("new") == severity_color(Severity.RED)
    assert {i: view.row_background(i) for i in steady} == steady


def test_returned_to_normal_unacked_has_its_own_look(view: AlarmListView) -> None:
    view.set_rows([alarm("new"), alarm("acked", acked=True), alarm("rtn", active=False)])
    view.set_external_flash(True)
    view.set_flash_phase(True)
    rtn = view.row_background("rtn")
    assert rtn is not None
    # Not the active look: neither the lit flash colour nor the acknowledged tint.
    assert rtn != view.row_background("new") == severity_color(Severity.RED)
    assert rtn != view.row_background("acked")
    view.set_flash_phase(False)
    assert view.row_background("rtn") == rtn  # steady
    assert view.display_of_row("rtn") is AlarmDisplay.UNACKED_CLEARED
    assert view.state_text_of_row("rtn") == "RTN – unacknowledged"
    assert view.state_text_of_row("new") != view.state_text_of_row("rtn")


def test_every_display_has_distinct_state_text(view: AlarmListView) -> None:
    view.set_rows(
        [
            alarm("1"),
            alarm("2", acked=True),
            alarm("3", active=False),
            alarm("4", active=False, acked=True),
            alarm("5", shelved=True),
            alarm("6", suppressed=True),
            alarm("7", oos=True),
        ]
    )
    displays = {view.display_of_row(i) for i in view.alarm_ids()}
    assert displays == set(AlarmDisplay)
    texts = {view.state_text_of_row(i) for i in view.alarm_ids()}
    assert len(texts) == len(AlarmDisplay)
    assert all(texts)


def test_flashing_stops_when_acknowledged(view: AlarmListView) -> None:
    view.set_rows([alarm("a")])
    assert view.is_flashing()
    view.set_rows([alarm("a", acked=True)])
    assert not view.is_flashing()
    assert view.flash_phase is False
    assert view.row_background("a") != severity_color(Severity.RED)


def test_external_flash_phase_drives_the_rows(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_external_flash(True)
    view.set_rows([alarm("a")])
    view.set_flash_phase(False)
    assert view.row_background("a") != severity_color(Severity.RED)
    view.set_flash_phase(True)
    assert view.row_background("a") == severity_color(Severity.RED)
    # No internal timer toggles it behind the caller's back.
    qtbot.wait(3 * FLASH_INTERVAL_MS)
    assert view.flash_phase is True


# -- summary ----------------------------------------------------------------------------------------


def test_summary_counts_every_state(view: AlarmListView) -> None:
    view.set_rows(
        [
            alarm("u1"),
            alarm("u2"),
            alarm("u3"),
            alarm("s1", shelved=True),
            alarm("x1", suppressed=True),
            alarm("x2", suppressed=True),
            alarm("o1", oos=True),
        ]
    )
    text = view.summary_text()
    assert text.startswith("7 alarms:")
    for part in ("3 unacknowledged", "1 shelved", "2 suppressed", "1 out of service"):
        assert part in text
    assert "acknowledged ·" not in text.replace("unacknowledged", "")  # zero states not named
    assert view.counts()[AlarmDisplay.SUPPRESSED] == 2


def test_summary_follows_updates(view: AlarmListView) -> None:
    assert view.summary_text() == "No alarms"
    view.set_rows([alarm("a")])
    assert "1 unacknowledged" in view.summary_text()
    view.set_rows([alarm("a", acked=True)])
    assert "1 acknowledged" in view.summary_text()
    assert "unacknowledged" not in view.summary_text()


# -- acknowledge and shelve -------------------------------------------------------------------------


def test_double_click_requests_ack_with_id_and_occurrence(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_rows([alarm("a", acked=True), alarm("b", occurrence=7)])
    with qtbot.waitExposed(view):  # a context manager: it waits for the show inside
        view.show()
    table = table_of(view)
    pos = table.visualRect(table.model().index(1, 3)).center()
    with qtbot.waitSignal(view.acknowledge_requested, timeout=1000) as blocker:
        qtbot.mousePress(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseRelease(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["b", 7]


def test_space_requests_ack_of_rtn_alarm(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_rows([alarm("a"), alarm("b", active=False, occurrence=3)])
    view.select_alarm("b")
    with qtbot.waitSignal(view.acknowledge_requested, timeout=1000) as blocker:
        qtbot.keyClick(table_of(view), Qt.Key.Key_Space)
    assert blocker.args == ["b", 3]


def test_ack_button_acknowledges_selected_and_is_disabled_when_acked(
    view: AlarmListView, qtbot: QtBot
) -> None:
    view.set_rows([alarm("a", occurrence=2), alarm("b", acked=True)])
    ack = button(view, "alarmAckButton")
    assert not ack.isEnabled()  # nothing selected
    view.select_alarm("a")
    assert ack.isEnabled()
    qtbot.wait(ACK_SETTLE_MS + 50)  # a click right after the button changed by itself is void
    with qtbot.waitSignal(view.acknowledge_requested, timeout=1000) as blocker:
        qtbot.mouseClick(ack, Qt.MouseButton.LeftButton)
    assert blocker.args == ["a", 2]
    view.select_alarm("b")
    assert not ack.isEnabled()
    with qtbot.assertNotEmitted(view.acknowledge_requested):
        qtbot.keyClick(table_of(view), Qt.Key.Key_Space)


def test_ack_after_refire_carries_the_new_occurrence(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_rows([alarm("a", occurrence=1)])
    view.select_alarm("a")
    view.set_rows([alarm("a", occurrence=2)])
    qtbot.wait(ACK_SETTLE_MS + 50)
    with qtbot.waitSignal(view.acknowledge_requested, timeout=1000) as blocker:
        qtbot.mouseClick(button(view, "alarmAckButton"), Qt.MouseButton.LeftButton)
    assert blocker.args == ["a", 2]


def test_shelve_button(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_rows([alarm("a"), alarm("s", shelved=True)])
    shelve = button(view, "alarmShelveButton")
    view.select_alarm("a")
    with qtbot.waitSignal(view.shelve_requested, timeout=1000) as blocker:
        qtbot.mouseClick(shelve, Qt.MouseButton.LeftButton)
    assert blocker.args == ["a"]
    view.select_alarm("s")
    assert not shelve.isEnabled()


# -- selection and updates --------------------------------------------------------------------------


def test_selection_is_kept_by_id_across_set_rows(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_rows([alarm("a"), alarm("b"), alarm("c")])
    assert view.select_alarm("b")
    with qtbot.assertNotEmitted(view.selection_changed):
        view.set_rows([alarm("x"), alarm("a"), alarm("b", acked=True)])  # insert, remove, change
        assert view.selected_alarm_id() == "b"
        view.set_rows([alarm("b"), alarm("a"), alarm("x")])  # reorder: model reset path
        assert view.selected_alarm_id() == "b"
    assert view.alarm_ids() == ["b", "a", "x"]


def test_removing_selected_alarm_reports_empty_selection(view: AlarmListView, qtbot: QtBot) -> None:
    view.set_rows([alarm("a"), alarm("b")])
    view.select_alarm("a")
    with qtbot.waitSignal(view.selection_changed, timeout=1000) as blocker:
        view.set_rows([alarm("b")])
    assert blocker.args == [""]
    assert view.selected_alarm_id() is None
    assert view.select_alarm("nope") is False


def test_duplicate_ids_are_rejected_and_change_nothing(view: AlarmListView) -> None:
    view.set_rows([alarm("a")])
    with pytest.raises(DuplicateAlarmIdError):
        view.set_rows([alarm("b"), alarm("b")])
    assert view.alarm_ids() == ["a"]


ids = st.lists(st.sampled_from([f"a{i}" for i in range(10)]), unique=True, max_size=10)


@settings(max_examples=100, deadline=None)
@given(updates=st.lists(st.tuples(ids, st.lists(flags, min_size=10, max_size=10)), max_size=5))
def test_any_update_sequence_shows_exactly_the_given_rows(
    qapp: QApplication, updates: list[tuple[list[str], list[dict[str, bool]]]]
) -> None:
    w = AlarmListView()
    try:
        selected: str | None = None
        for alarm_ids, fl in updates:
            rows = [alarm(i, sev=Severity.RED, **f) for i, f in zip(alarm_ids, fl, strict=False)]
            w.set_rows(rows)
            assert w.alarm_ids() == alarm_ids
            assert [w.display_of_row(r.id) for r in rows] == [display_of(r) for r in rows]
            if selected not in alarm_ids:
                selected = None
            assert w.selected_alarm_id() == selected
            assert w.is_flashing() == any(display_of(r) is AlarmDisplay.UNACKED_ACTIVE for r in rows)
            assert sum(w.counts().values()) == len(rows)
            if alarm_ids:
                selected = alarm_ids[len(alarm_ids) // 2]
                w.select_alarm(selected)
    finally:
        w.deleteLater()


def test_changed_row_updates_display(view: AlarmListView) -> None:
    row = alarm("a")
    view.set_rows([row])
    view.set_rows([dataclasses.replace(row, active=False, display=AlarmDisplay.UNACKED_CLEARED)])
    assert view.display_of_row("a") is AlarmDisplay.UNACKED_CLEARED
    assert not view.is_flashing()


def test_a_list_that_is_not_current_never_reads_as_an_all_clear(view: AlarmListView) -> None:
    """With the link down an empty list says why, not "No alarms"; rows shown stay, marked."""
    view.set_rows([])
    assert view._summary.text() == "No alarms"
    view.set_not_current("No data: the link is down")
    assert view._summary.text() == "No data: the link is down"
    view.set_rows([alarm("a")])
    assert view._summary.text().startswith("1 alarm:") and view._summary.text().endswith("the link is down")
    view.set_not_current("")
    assert "link" not in view._summary.text()


# ------------------------------------------------------------------------- the desk's one click


def test_the_one_acknowledge_names_the_selected_alarm_and_acts_on_it(view: AlarmListView, qtbot: QtBot) -> None:
    """Officer review: a second Acknowledge for "the top alarm" acted on another alarm than the
    selected one. There is one button; it names the selected alarm, and a click acknowledges that."""

    assert view.findChild(QPushButton, "alarmAckTopButton") is None
    acks = [b for b in view.findChildren(QPushButton) if b.text().startswith("Acknowledge")]
    assert [b.objectName() for b in acks] == ["alarmAckButton"]
    view.set_rows([alarm("acked", acked=True), alarm("top", occurrence=3), alarm("next")])
    button = acks[0]
    view.select_alarm("next")
    assert view.ack_target() == "next" and button.text() == "Acknowledge Alarm next · Pump station 4"
    qtbot.wait(ACK_SETTLE_MS + 50)  # the officer has read it
    with qtbot.waitSignal(view.acknowledge_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["next", 1]
    # The console moves the selection (a newer alarm while nobody chose): a click in the next
    # moment was aimed at what the button said before.
    view.set_rows([alarm("newer"), alarm("top", occurrence=3), alarm("next")])
    view.select_alarm("newer")
    assert view.ack_target() == "newer" and "Alarm newer" in button.text()
    with qtbot.assertNotEmitted(view.acknowledge_requested):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    # The officer's own click on a row is a choice, even on the row already selected: the button
    # acts at once.
    table = table_of(view)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(0, 1)).center())
    with qtbot.waitSignal(view.acknowledge_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["newer", 1]
    r = view.alarm_ids().index("top")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(r, 1)).center())
    assert view.ack_target() == "top"
    with qtbot.waitSignal(view.acknowledge_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["top", 3]
    view.set_permissions("replay: nothing is sent", "")
    assert not button.isEnabled() and button.toolTip() == "replay: nothing is sent"
    view.set_rows([alarm("acked", acked=True)])
    assert view.select_alarm("acked")
    assert view.ack_target() is None and not button.isEnabled()


def test_a_shelved_alarm_says_when_its_shelf_ends(view: AlarmListView) -> None:
    row = dataclasses.replace(alarm("s", shelved=True), note="shelved until 15:30")
    view.set_rows([row, alarm("plain", shelved=True)])
    assert view.state_text_of_row("s") == "Shelved until 15:30"
    assert view.state_text_of_row("plain") == display_text(AlarmDisplay.SHELVED), "no note: the state alone"


def test_rows_stay_under_the_pointer_when_alarms_arrive_above(view: AlarmListView, qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QMouseEvent

    view.resize(1400, 300)
    view.show()
    rows = [alarm(f"a{i}", sev=Severity.ORANGE) for i in range(20)]
    view.set_rows(rows)
    table = table_of(view)
    r = 3
    y = table.rowViewportPosition(r) + 5
    move = QMouseEvent(
        QMouseEvent.Type.MouseMove, QPointF(50, y), QPointF(50, y), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(table.viewport(), move)
    before = table.rowViewportPosition(r)
    view.set_rows([alarm("new1"), alarm("new2"), *rows])  # two red alarms arrive on top
    assert table.indexAt(QPoint(50, y)).row() == r + 2, "the row the officer aimed at is still there"
    assert table.rowViewportPosition(r + 2) == before


def test_ack_by_and_source_are_shown_whole_where_the_table_has_room(view: AlarmListView) -> None:
    """Officer review: the Ack-by column read "district …" (who acknowledged is the point of it)."""
    from PySide6.QtGui import QFontMetrics

    from widgets.alarm_list import AlarmColumn

    long_source = "Liangjiang New Area, Yuelai"
    rows = [
        dataclasses.replace(alarm("a", acked=True), acked_by="district centre"),
        dataclasses.replace(alarm("b", acked=True), acked_by="Xu Mingyang (Jiangbei district centre)"),
        dataclasses.replace(alarm("c"), source=long_source),
    ]
    view.show()
    narrow = view.findChild(QTableView).horizontalHeader().sectionSize(AlarmColumn.ACKED_BY)
    view.set_rows(rows)
    fm = QFontMetrics(view.font())
    pad = 2 * max(4, fm.height() // 3)  # what the row delegate keeps free around the text
    header = table_of(view).horizontalHeader()
    for text, column in [
        ("district centre", AlarmColumn.ACKED_BY),
        ("Xu Mingyang (Jiangbei district centre)", AlarmColumn.ACKED_BY),
        (long_source, AlarmColumn.SOURCE),
    ]:
        assert header.sectionSize(column) - pad >= fm.horizontalAdvance(text), text
    # The Alarm column still has room for its text: the table is wide enough here.
    assert header.sectionSize(AlarmColumn.MESSAGE) - pad >= fm.horizontalAdvance("Alarm a") * 1.2
    # Once nobody long is listed, the column goes back to its usual width.
    view.set_rows([alarm("d")])
    assert header.sectionSize(AlarmColumn.ACKED_BY) == narrow


def test_wide_columns_never_squeeze_the_alarm_text_the_list_scrolls_sideways(view: AlarmListView, qtbot: QtBot) -> None:
    """Officer review: the alarm text was cut ("Congestion index over l…") when Ack-by widened."""
    from PySide6.QtGui import QFont, QFontMetrics

    from widgets.alarm_list import AlarmColumn

    view.resize(640, 400)
    view.show()
    message = "Congestion index over limit on the inner ring road"
    view.set_rows([
        dataclasses.replace(alarm("a"), message=message),
        dataclasses.replace(alarm("b", acked=True), acked_by="Xu Mingyang (Jiangbei district centre)"),
    ])
    qtbot.wait(20)
    bold = QFont(view.font())
    bold.setBold(True)
    pad = 2 * max(4, QFontMetrics(view.font()).height() // 3)
    table = table_of(view)
    assert table.columnWidth(AlarmColumn.MESSAGE) - pad >= QFontMetrics(bold).horizontalAdvance(message)
    assert table.horizontalScrollBar().maximum() > 0, "too narrow for its rows: it scrolls"
    view.resize(1900, 400)
    qtbot.wait(20)
    assert table.horizontalScrollBar().maximum() == 0
