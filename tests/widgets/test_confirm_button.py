from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from widgets.confirm_button import ConfirmButton


def test_ordinary_action_triggers_on_one_click(qtbot: QtBot) -> None:
    b = ConfirmButton("Acknowledge")
    qtbot.addWidget(b)
    with qtbot.waitSignal(b.triggered, timeout=1000):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert not b.is_armed() and b.text() == "Acknowledge"


def test_critical_action_needs_a_confirmation_click(qtbot: QtBot) -> None:
    b = ConfirmButton("Activate plan", critical=True)
    qtbot.addWidget(b)
    with qtbot.assertNotEmitted(b.triggered):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert b.is_armed()
    assert b.text() == "Confirm: Activate plan?"
    with qtbot.waitSignal(b.triggered, timeout=1000):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert not b.is_armed() and b.text() == "Activate plan"


def test_armed_button_falls_back_when_disabled_or_changed(qtbot: QtBot) -> None:
    b = ConfirmButton("Cancel dispatch", critical=True)
    qtbot.addWidget(b)
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    assert b.is_armed()
    b.setEnabled(False)
    assert not b.is_armed()
    b.setEnabled(True)
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    b.set_action("Cancel other dispatch", critical=True)
    assert not b.is_armed(), "a confirmation never carries over to another target"
    with qtbot.assertNotEmitted(b.triggered):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)


def test_armed_button_times_out(qtbot: QtBot, monkeypatch: object) -> None:
    b = ConfirmButton("Close plan", critical=True)
    qtbot.addWidget(b)
    b._timer.setInterval(50)  # the real 5 s would slow the suite
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not b.is_armed(), timeout=2000)
    assert b.text() == "Close plan"
