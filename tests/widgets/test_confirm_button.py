"""The confirm button: a double-click never confirms, the countdown shows, a late click never re-arms."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from widgets import confirm_button
from widgets.confirm_button import SETTLE_MS, ConfirmButton

SETTLED = SETTLE_MS + 60


def test_ordinary_action_triggers_on_one_click_once_settled(qtbot: QtBot) -> None:
    b = ConfirmButton("Acknowledge")
    qtbot.addWidget(b)
    with qtbot.assertNotEmitted(b.triggered):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)  # it appeared a moment ago: aimed at what was there
    qtbot.wait(SETTLED)
    with qtbot.waitSignal(b.triggered, timeout=1000):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert not b.is_armed() and b.text() == "Acknowledge"


def test_critical_action_needs_a_confirmation_click_with_a_countdown(qtbot: QtBot) -> None:
    b = ConfirmButton("Activate plan", critical=True)
    qtbot.addWidget(b)
    qtbot.wait(SETTLED)
    with qtbot.assertNotEmitted(b.triggered):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert b.is_armed()
    assert b.text() == "Confirm: Activate plan? 5 s"
    qtbot.waitUntil(lambda: b.text() == "Confirm: Activate plan? 4 s", timeout=2500)
    with qtbot.waitSignal(b.triggered, timeout=1000):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert not b.is_armed() and b.text() == "Activate plan"


def test_a_double_click_arms_a_critical_action_but_never_confirms_it(qtbot: QtBot) -> None:
    """Issue 14 case 1: the second half of a 100 ms double-click must not send."""
    b = ConfirmButton("Hand down to district centre", critical=True)
    qtbot.addWidget(b)
    qtbot.wait(SETTLED)
    with qtbot.assertNotEmitted(b.triggered, wait=200):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
        qtbot.wait(100)
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert b.is_armed()


def test_arming_does_not_widen_the_button_or_move_its_neighbours(qtbot: QtBot) -> None:
    host = QWidget()
    row = QHBoxLayout(host)
    b = ConfirmButton("Hand down", critical=True)
    neighbour = QPushButton("Escalate")
    row.addWidget(b)
    row.addWidget(neighbour)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    qtbot.wait(SETTLED)
    before = (b.geometry(), neighbour.geometry())
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert b.is_armed()
    assert (b.geometry(), neighbour.geometry()) == before


def test_armed_button_falls_back_when_disabled_or_changed(qtbot: QtBot) -> None:
    b = ConfirmButton("Cancel dispatch", critical=True)
    qtbot.addWidget(b)
    qtbot.wait(SETTLED)
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert b.is_armed()
    b.setEnabled(False)
    assert not b.is_armed()
    b.setEnabled(True)
    qtbot.wait(SETTLED)
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    b.set_action("Cancel other dispatch", critical=True)
    assert not b.is_armed(), "a confirmation never carries over to another target"
    qtbot.wait(SETTLED)
    with qtbot.assertNotEmitted(b.triggered):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)


def test_a_timed_out_confirmation_says_so_and_a_late_click_does_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 case 10: a second click at 5.7 s silently re-armed; now it lands on the notice."""
    monkeypatch.setattr(confirm_button, "ARM_MS", 600)
    b = ConfirmButton("Close plan", critical=True)
    qtbot.addWidget(b)
    qtbot.wait(SETTLED)
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not b.is_armed(), timeout=3000)
    assert b.text() == "Not confirmed: timed out"
    with qtbot.assertNotEmitted(b.triggered):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert not b.is_armed(), "a late click does not silently re-arm"
    qtbot.waitUntil(lambda: b.text() == "Close plan", timeout=3000)
