from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from widgets.confirm_button import SETTLE_MS
from widgets.dispatch_button import DispatchPanel, Tone


@pytest.fixture
def panel(qtbot: QtBot) -> DispatchPanel:
    w = DispatchPanel()
    qtbot.addWidget(w)
    w.set_target("Building fire, Xuhui", "Fire Engine 3", enabled=True)
    qtbot.wait(SETTLE_MS + 60)  # a click right after the text changed is aimed at what was there
    return w


def button_of(w: DispatchPanel) -> QPushButton:
    button = w.findChild(QPushButton, "dispatchButton")
    assert button is not None
    return button


def test_shows_unit_on_button(panel: DispatchPanel) -> None:
    assert panel.button_text() == "Send Fire Engine 3 →"
    assert panel.is_dispatch_enabled()


def test_click_emits_and_locks_until_the_owner_shows_what_follows(panel: DispatchPanel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(panel.dispatch_requested, timeout=1000):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)
    assert panel.is_busy()
    assert not panel.is_dispatch_enabled()
    with qtbot.assertNotEmitted(panel.dispatch_requested):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)  # the second half of a double click

    panel.set_command_state("Sent, awaiting confirmation", Tone.PENDING)
    assert not panel.is_dispatch_enabled(), "the state line alone does not unlock it"
    panel.set_target("Building fire, Xuhui", "Fire Engine 3", enabled=False)  # on its way: the owner says no
    assert not panel.is_dispatch_enabled()
    panel.set_command_state("Fire Engine 3 confirmed", Tone.DONE)
    panel.set_target("Building fire, Xuhui", "Fire Engine 4", enabled=True)
    assert not panel.is_dispatch_enabled(), "locked for the click guard even when the owner says yes"
    qtbot.waitUntil(panel.is_dispatch_enabled, timeout=3000)
    with qtbot.assertNotEmitted(panel.dispatch_requested):  # its text changed: not what was aimed at
        panel.set_target("Building fire, Xuhui", "Fire Engine 5", enabled=True)
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)
    assert panel.command_level() is Tone.DONE
    assert panel.command_text() == "Fire Engine 3 confirmed"


def test_the_click_guard_lets_go_if_nothing_follows(panel: DispatchPanel, qtbot: QtBot) -> None:
    qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)
    assert not panel.is_dispatch_enabled()
    qtbot.waitUntil(panel.is_dispatch_enabled, timeout=3000)


def test_set_busy_locks_and_unlocks(panel: DispatchPanel, qtbot: QtBot) -> None:
    panel.set_busy(True)
    assert not panel.is_dispatch_enabled()
    with qtbot.assertNotEmitted(panel.dispatch_requested):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)
    panel.set_busy(False)
    assert panel.is_dispatch_enabled()


def test_failed_outcome_unlocks_for_retry(panel: DispatchPanel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(panel.dispatch_requested, timeout=1000):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)
    panel.set_command_state("Unit not available", Tone.FAILED)
    panel.set_target("Building fire, Xuhui", "Fire Engine 3", enabled=True)
    qtbot.waitUntil(panel.is_dispatch_enabled, timeout=3000)
    with qtbot.waitSignal(panel.dispatch_requested, timeout=1000):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)


def test_disabled_target_cannot_dispatch(panel: DispatchPanel, qtbot: QtBot) -> None:
    panel.set_target("", "", enabled=False)
    assert not panel.is_dispatch_enabled()
    assert panel.button_text() == "No unit recommended"
    with qtbot.assertNotEmitted(panel.dispatch_requested):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)


def test_actions_show_disabled_with_reason_and_critical_ones_confirm(qtbot: QtBot) -> None:
    from widgets.dispatch_button import PanelAction

    w = DispatchPanel()
    qtbot.addWidget(w)
    w.show()
    w.set_actions(
        [
            PanelAction("ack", "Acknowledge"),
            PanelAction("plan:burst", "Activate plan: burst", critical=True),
            PanelAction("shelve", "Shelve", enabled=False, reason="supervisors only"),
        ]
    )
    ack, plan, shelve = (w.action_button(k) for k in ("ack", "plan:burst", "shelve"))
    assert ack is not None and plan is not None and shelve is not None
    assert not shelve.isEnabled()
    why = w.findChild(QLabel, "dispatchWhyNot")
    assert why is not None and why.isVisible() and "Shelve: supervisors only" in why.text()
    qtbot.wait(SETTLE_MS + 60)
    with qtbot.waitSignal(w.action_requested, timeout=1000) as sig:
        qtbot.mouseClick(ack, Qt.MouseButton.LeftButton)
    assert sig.args == ["ack"]
    with qtbot.assertNotEmitted(w.action_requested):
        qtbot.mouseClick(plan, Qt.MouseButton.LeftButton)
    qtbot.wait(SETTLE_MS + 60)
    with qtbot.waitSignal(w.action_requested, timeout=1000) as sig:
        qtbot.mouseClick(plan, Qt.MouseButton.LeftButton)
    assert sig.args == ["plan:burst"]


def test_a_changed_set_of_actions_appears_after_a_settle_and_old_buttons_go_dead(qtbot: QtBot) -> None:
    """Issue 14 case 1: the buttons moved after each answer, so a double click hit another action."""
    from widgets.dispatch_button import ACTIONS_SETTLE_MS, PanelAction

    w = DispatchPanel()
    qtbot.addWidget(w)
    w.show()
    w.set_actions([PanelAction("ack", "Acknowledge"), PanelAction("hand_down", "Hand down", critical=True)])
    hand_down = w.action_button("hand_down")
    assert hand_down is not None
    # The answer came: the event moved down a level, and its actions changed.
    w.set_actions([PanelAction("escalate", "Escalate"), PanelAction("hand_down", "Hand down", critical=True)])
    assert w.action_button("escalate") is None, "not yet: the old buttons stay where they are"
    assert w.action_button("hand_down") is hand_down and not hand_down.isEnabled()
    with qtbot.assertNotEmitted(w.action_requested):
        qtbot.mouseClick(hand_down, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.action_button("escalate") is not None, timeout=ACTIONS_SETTLE_MS * 4)
    escalate = w.action_button("escalate")
    assert escalate is not None
    with qtbot.assertNotEmitted(w.action_requested):
        qtbot.mouseClick(escalate, Qt.MouseButton.LeftButton)  # it just appeared: a click aimed elsewhere


def test_a_long_send_text_on_a_wall_takes_the_lines_it_needs_whole(qtbot: QtBot) -> None:
    """After a dispatch the wall's button offers "Send another unit: Fire engine 2 (Shapingba) →":
    broken in two it was cut on both sides of a half-screen panel (officer review). Every line
    fits the button; the command's state moves under the event rather than squeeze it."""
    from PySide6.QtGui import QFontMetrics

    from widgets.dispatch_button import balanced_lines

    w = DispatchPanel()
    qtbot.addWidget(w)
    font = w.font()
    font.setPixelSize(45)  # the wall's secondary type at 1080p
    w.setFont(font)
    w.set_button_text_px(90)
    w.resize(950, 600)
    w.show()
    qtbot.waitExposed(w)
    w.set_target("Fire alarm · Shapingba", "another unit: Fire engine 2 (Shapingba)", enabled=True)
    w.set_command_state("Fire engine 1 (Shapingba): En route", Tone.PENDING)
    qtbot.wait(10)
    button = button_of(w)
    fm = QFontMetrics(button.font())
    lines = button.text().split("\n")
    assert len(lines) == 3 and " ".join(lines) == "Send another unit: Fire engine 2 (Shapingba) →"
    room = button.width() - 2 * max(8, round(90 * 0.2))
    assert all(fm.horizontalAdvance(line) <= room for line in lines), (lines, room)
    assert button.height() >= fm.height() * 3
    event = w.findChild(QLabel, "dispatchEvent")
    state = w.findChild(QLabel, "dispatchState")
    assert event is not None and state is not None
    assert state.geometry().top() >= event.geometry().bottom(), "the state under the event, not beside it"
    assert event.height() < 2 * QFontMetrics(event.font()).height(), "the event on one line"
    # A short state ("Ready") shares the event's row again.
    w.set_command_state("Ready", Tone.IDLE)
    qtbot.wait(10)
    assert abs(state.geometry().center().y() - event.geometry().center().y()) < event.height()
    # Balanced: as few lines as fit, as even as they can be.
    width = len  # one unit a character
    assert balanced_lines("Send Fire engine 1 →", 40, width) == ["Send Fire engine 1 →"]
    assert balanced_lines("aaaa bb cc dddd", 9, width) == ["aaaa bb", "cc dddd"]


def test_a_wall_panel_too_low_for_the_state_and_the_button_shows_their_shorter_forms_whole(qtbot: QtBot) -> None:
    """Officer review: on the forest-fire wall, under "Fire engine 1 (Shapingba): Unit acknowledged"
    in two lines, the three-line "Send another unit: Fire engine 2 (Shapingba) →" lost its last
    line at the panel's bottom. A panel too low says the state, then the unit, in fewer words; with
    the height back, the full words return."""
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(920, 700)
    w = DispatchPanel(host)
    font = w.font()
    font.setPixelSize(45)
    w.setFont(font)
    w.set_button_text_px(90)
    host.show()
    qtbot.waitExposed(host)
    w.set_target("Fire alarm · Shapingba", "another unit: Fire engine 2 (Shapingba)", True, "Fire engine 2 (Shapingba)")
    w.set_command_state("Fire engine 1 (Shapingba): Unit acknowledged", Tone.PENDING, "Unit acknowledged")
    state = w.findChild(QLabel, "dispatchState")
    assert state is not None
    button = button_of(w)

    def whole() -> None:
        qtbot.wait(10)
        assert w.least_height() <= w.height()
        assert button.geometry().bottom() < w.height(), (button.geometry(), w.height())
        assert state.geometry().bottom() < button.geometry().top()

    w.setGeometry(0, 0, 920, 620)
    whole()
    assert w.button_text() == "Send another unit: Fire engine 2 (Shapingba) →"
    assert w.command_text() == "Fire engine 1 (Shapingba): Unit acknowledged"
    w.setGeometry(0, 0, 920, 505)  # first the state in fewer words
    whole()
    assert w.command_text() == "Unit acknowledged"
    assert w.button_text() == "Send another unit: Fire engine 2 (Shapingba) →"
    w.setGeometry(0, 0, 920, 470)  # the state's short form alone is not enough here
    whole()
    assert w.command_text() == "Unit acknowledged"
    assert w.button_text() == "Send Fire engine 2 (Shapingba) →"
    w.setGeometry(0, 0, 920, 620)
    whole()
    assert w.button_text() == "Send another unit: Fire engine 2 (Shapingba) →"
    assert w.command_text() == "Fire engine 1 (Shapingba): Unit acknowledged"
    # At the desk the words are never shortened (the console's column scrolls).
    w.set_button_text_px(0)
    w.setGeometry(0, 0, 920, 300)
    qtbot.wait(10)
    assert w.button_text() == "Send another unit: Fire engine 2 (Shapingba) →"
    assert w.command_text() == "Fire engine 1 (Shapingba): Unit acknowledged"


def test_at_the_desk_a_long_send_text_takes_two_lines_instead_of_being_cut(qtbot: QtBot) -> None:
    """Officer review: the console's button read "end another unit: Enforcement team 2 (Jiangbei) -",
    cut at both ends."""
    from PySide6.QtGui import QFontMetrics

    w = DispatchPanel()
    qtbot.addWidget(w)
    w.resize(560, 400)
    w.show()
    w.set_target("Truck shedding soil · Jiangbei", "another unit: Enforcement team 2 (Jiangbei)", enabled=True)
    qtbot.wait(20)
    button = button_of(w)
    fm = QFontMetrics(button.font())
    lines = button.text().split("\n")
    assert len(lines) == 2 and w.button_text() == "Send another unit: Enforcement team 2 (Jiangbei) →"
    assert all(fm.horizontalAdvance(line) <= button.width() for line in lines), "a line is wider than the button"
    assert button.height() >= 2 * fm.height(), "the button holds both lines"
    w.resize(1400, 400)  # room for one line again
    qtbot.wait(20)
    assert "\n" not in button.text()
