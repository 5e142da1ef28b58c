from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from widgets.dispatch_button import CommandLevel, DispatchPanel


@pytest.fixture
def panel(qtbot: QtBot) -> DispatchPanel:
    w = DispatchPanel()
    qtbot.addWidget(w)
    w.set_target("Building fire, Xuhui", "Fire Engine 3", enabled=True)
    return w


def button_of(w: DispatchPanel) -> QPushButton:
    button = w.findChild(QPushButton, "dispatchButton")
    assert button is not None
    return button


def test_shows_unit_on_button(panel: DispatchPanel) -> None:
    assert panel.button_text() == "Send Fire Engine 3 →"
    assert panel.is_dispatch_enabled()


def test_click_emits_and_locks_until_outcome(panel: DispatchPanel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(panel.dispatch_requested, timeout=1000):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)
    assert panel.is_busy()
    assert not panel.is_dispatch_enabled()
    with qtbot.assertNotEmitted(panel.dispatch_requested):
        qtbot.mouseClick(button_of(panel), Qt.MouseButton.LeftButton)

    panel.set_command_state("Sent, awaiting confirmation", CommandLevel.PENDING)
    assert not panel.is_dispatch_enabled()
    panel.set_command_state("Fire Engine 3 confirmed", CommandLevel.OK)
    assert panel.is_dispatch_enabled()
    assert panel.command_level() is CommandLevel.OK
    assert panel.command_text() == "Fire Engine 3 confirmed"


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
    panel.set_command_state("Unit not available", CommandLevel.FAILED)
    assert panel.is_dispatch_enabled()
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
    with qtbot.waitSignal(w.action_requested, timeout=1000) as sig:
        qtbot.mouseClick(ack, Qt.MouseButton.LeftButton)
    assert sig.args == ["ack"]
    with qtbot.assertNotEmitted(w.action_requested):
        qtbot.mouseClick(plan, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(w.action_requested, timeout=1000) as sig:
        qtbot.mouseClick(plan, Qt.MouseButton.LeftButton)
    assert sig.args == ["plan:burst"]
