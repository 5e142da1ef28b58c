"""Issue 14's clicks through the real widgets (offscreen): a double-click on a critical action, buttons
that move, a viewer's buttons, and any event chosen from the wall reaching the console."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from cockpit.app.panels import DispatchPanelView
from cockpit.app.wiring import Cockpit
from cockpit.feed import Identity
from cockpit.present.runway_spec import PanelKind
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.messages import CommandKind
from tests.app.test_wall import dispose
from tests.present.support import Feed
from widgets.confirm_button import SETTLE_MS
from widgets.dispatch_button import ACTIONS_SETTLE_MS


def build(role: str = "operator") -> Cockpit:
    c = Cockpit(["ws://127.0.0.1:9"], Identity("clicks", "officer-2", role))  # nothing answers: commands queue
    c.place(virtual_screens(2, 1600, 900))
    c.wall.show(full_screen=False)
    return c


@pytest.fixture
def cockpit(qapp: QApplication) -> Iterator[Cockpit]:
    c = build()
    yield c
    dispose(c)


def frames(c: Cockpit, qtbot: QtBot, n: int = 40) -> None:
    """About two thirds of a second of painted frames (every screen has its slow moments)."""
    for _ in range(n):
        c.frame()
        qtbot.wait(16)


def sent(c: Cockpit, kind: CommandKind) -> list[str]:
    return [r.command.event_id for r in c.book.records.values() if r.command.kind == kind]


def test_a_double_click_on_hand_down_sends_nothing_and_a_confirmed_one_sends_once(
    cockpit: Cockpit, qtbot: QtBot
) -> None:
    """Case 1: a 100 ms double-click sent hand_down unconfirmed, then escalate from the moved button."""
    feed = Feed()
    feed.situation = cockpit.situation
    feed.apply(feed.event("E1", severity=2, level="district", type="traffic_accident", theme="traffic"))
    cockpit.ctx.selection.choose("E1")
    frames(cockpit, qtbot)
    panel = cockpit.console.dispatch.panel
    hand_down = panel.action_button("hand_down")
    assert hand_down is not None and hand_down.is_critical()
    qtbot.wait(SETTLE_MS + 60)
    qtbot.mouseClick(hand_down, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    qtbot.mouseClick(hand_down, Qt.MouseButton.LeftButton)
    frames(cockpit, qtbot, 5)
    assert sent(cockpit, CommandKind.HAND_DOWN) == [] and sent(cockpit, CommandKind.ESCALATE) == []
    assert hand_down.is_armed() and "Confirm: Hand down to street centre?" in hand_down.text()
    qtbot.wait(SETTLE_MS + 60)
    qtbot.mouseClick(hand_down, Qt.MouseButton.LeftButton)
    assert sent(cockpit, CommandKind.HAND_DOWN) == ["E1"]
    (record,) = [r for r in cockpit.book.records.values() if r.command.kind == CommandKind.HAND_DOWN]
    assert record.command.critical

    # The backend moves the event down a level: its actions change (hand-down gone, escalate to
    # district). Until they settle, the old buttons are dead; then a click on the new one right
    # after it appeared does nothing.
    feed.apply(feed.event("E1", severity=2, level="street", type="traffic_accident", theme="traffic"))
    frames(cockpit, qtbot, 3)
    with qtbot.assertNotEmitted(panel.action_requested):
        qtbot.mouseClick(hand_down, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.action_button("escalate") is not None, timeout=ACTIONS_SETTLE_MS * 5)
    escalate = panel.action_button("escalate")
    assert escalate is not None
    qtbot.mouseClick(escalate, Qt.MouseButton.LeftButton)
    assert sent(cockpit, CommandKind.ESCALATE) == [], "a click on a button that just appeared is void"


def test_any_event_chosen_on_a_wall_banner_reaches_the_console(cockpit: Cockpit, qtbot: QtBot) -> None:
    """Case 4: an accident pinned on every screen could not be selected at the console."""
    feed = Feed()
    feed.situation = cockpit.situation
    feed.apply(
        feed.event("FIRE", severity=1, theme="fire", type="fire"),
        feed.event("ACC", severity=2, theme="traffic", type="traffic_accident", level="street"),
    )
    frames(cockpit, qtbot)
    view = cockpit.wall.views["overview"]
    assert "ACC" in view.banner.pinned_ids()
    view.banner.alarm_clicked.emit("ACC")  # the officer clicks its line on the wall
    frames(cockpit, qtbot, 5)
    console = cockpit.console
    assert console.dispatch.model.event_id == "ACC"
    assert console.events.list.selected_event_id() == "ACC"
    assert "Traffic accident" in console.dispatch.panel.event_text()
    # The forest screen's dispatch block keeps to fire events.
    forest = cockpit.wall.views["forest_fire"].panel(PanelKind.DISPATCH)
    assert isinstance(forest, DispatchPanelView) and forest.model.event_id == "FIRE"


def test_a_viewer_has_no_enabled_action_and_each_says_why(qapp: QApplication, qtbot: QtBot) -> None:
    """Case 8: a viewer could press Acknowledge, then read "rejected: your role may not do this"."""
    c = build(role="viewer")
    try:
        feed = Feed()
        feed.situation = c.situation
        feed.apply(feed.event("E1", severity=1, recommended=("u1",)), feed.unit("u1"))
        c.ctx.selection.choose("E1")
        frames(c, qtbot)
        alarms = c.console.alarms
        alarms.select_alarm("E1")
        assert not alarms.acknowledge_enabled() and not alarms.shelve_enabled()
        panel = c.console.dispatch.panel
        assert not panel.is_dispatch_enabled()
        for a in panel.panel_actions():
            button = panel.action_button(a.key)
            assert button is not None and not button.isEnabled() and "viewer" in button.toolTip()
        alarms.acknowledge_requested.emit("E1", 1)  # even a forged click sends nothing
        assert c.book.records == {}
    finally:
        dispose(c)


def test_the_wall_never_says_live_with_the_link_down(cockpit: Cockpit, qtbot: QtBot) -> None:
    """Case 7: tiles greyed, but banners, markers, ratings and titles kept their live colours."""
    feed = Feed()
    feed.situation = cockpit.situation
    feed.apply(feed.event("FIRE", severity=1, theme="fire", type="fire"))
    frames(cockpit, qtbot)  # the feed is not started: the link is down, as after a backend dies
    for view in cockpit.wall.views.values():
        assert "Live" not in view.status.text()
        assert view.banner.not_current(), "the banner says it is not current"
        for panel in view.panels:
            if panel.model.spec.kind is PanelKind.MAP:
                assert panel.map.not_current(), "the map is veiled with its note"  # type: ignore[union-attr]


def test_every_acknowledge_on_the_console_names_the_selected_event_and_acknowledges_it(
    cockpit: Cockpit, qtbot: QtBot
) -> None:
    """Officer review: the console had three Acknowledge buttons (the alarm list's "top alarm" one,
    the selected row's, the dispatch block's), with different targets. Each one left names its
    target, which is the event selected, and a click acknowledges exactly that event."""
    feed = Feed()
    feed.situation = cockpit.situation
    feed.apply(
        feed.event("BURST", severity=1, theme="water", type="water_main_burst", district="nanan"),
        feed.event("JAM", severity=2, theme="traffic", type="traffic_jam", district="yuzhong"),
        feed.event("ACC", severity=2, theme="traffic", type="traffic_accident", level="street"),
    )
    console = cockpit.console
    console.show()
    frames(cockpit, qtbot)
    names = cockpit.ctx.names

    def named(event_id: str) -> str:
        ev = cockpit.situation.events[event_id]
        return f"Acknowledge {names.event_type(ev.type, ev.title)} · {names.district(ev.district)}"

    def acks() -> list[QPushButton]:
        return [
            b for b in console.findChildren(QPushButton)
            if b.isVisible() and b.isEnabled() and b.text().startswith("Acknowledge")
        ]

    # Nobody chose: the most severe (the burst) is the one selected, and every button names it.
    assert cockpit.ctx.selection.target(cockpit.situation)[0] == "BURST"
    assert [b.text() for b in acks()] == [named("BURST")] * 2

    # The officer clicks the jam's row: every Acknowledge names the jam, and acknowledges the jam.
    table = console.alarms.findChild(QTableView, "alarmTable")
    assert table is not None
    r = console.alarms.alarm_ids().index("JAM")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(r, 1)).center())
    frames(cockpit, qtbot, 5)
    assert console.dispatch.model.event_id == "JAM"
    qtbot.wait(ACTIONS_SETTLE_MS + SETTLE_MS)
    frames(cockpit, qtbot, 5)
    buttons = acks()
    assert [b.text() for b in buttons] == [named("JAM")] * 2
    list_ack = console.alarms.findChild(QPushButton, "alarmAckButton")
    assert list_ack in buttons
    qtbot.mouseClick(list_ack, Qt.MouseButton.LeftButton)
    assert sent(cockpit, CommandKind.ACKNOWLEDGE) == ["JAM"]

    # A street centre's accident is not on this console's alarm list: chosen on the wall, the list
    # selects nothing (its button cannot act on the jam left selected), and the dispatch block's
    # button names the accident and acknowledges it.
    cockpit.ctx.selection.choose("ACC")
    frames(cockpit, qtbot, 5)
    assert console.alarms.selected_alarm_id() is None and console.alarms.ack_target() is None
    qtbot.wait(ACTIONS_SETTLE_MS + SETTLE_MS)
    frames(cockpit, qtbot, 5)
    buttons = acks()
    assert [b.text() for b in buttons] == [named("ACC")]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert sent(cockpit, CommandKind.ACKNOWLEDGE) == ["JAM", "ACC"]
