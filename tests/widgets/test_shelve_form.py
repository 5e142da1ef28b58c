from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from widgets.shelve_form import ShelveForm


def form(qtbot: QtBot) -> ShelveForm:
    f = ShelveForm()
    qtbot.addWidget(f)
    f.show()
    f.set_choices(["Sensor under maintenance"], [("until it clears", 0), ("1 h", 60)])
    return f


def test_a_reason_is_required(qtbot: QtBot) -> None:
    f = form(qtbot)
    f.open_for("Shelve: Fire alarm · Shapingba", allowed=True)
    assert not f.can_shelve()
    f.set_reason("   ")
    assert not f.can_shelve(), "blank is no reason"
    f.set_reason("Sensor under maintenance")
    assert f.set_minutes(60)
    with qtbot.waitSignal(f.shelve_requested, timeout=1000) as sig:
        qtbot.mouseClick(f._ok, Qt.MouseButton.LeftButton)
    assert sig.args == ["Sensor under maintenance", 60]


def test_without_the_right_it_is_disabled_with_why(qtbot: QtBot) -> None:
    f = form(qtbot)
    f.open_for("Shelve: Fire alarm", allowed=False, why_not="Your role (duty officer) may not shelve alarms")
    f.set_reason("anything")
    assert not f.can_shelve()
    assert f._why_not.isVisible() and "may not shelve" in f._why_not.text()


def test_cancel(qtbot: QtBot) -> None:
    f = form(qtbot)
    f.open_for("x", allowed=True)
    with qtbot.waitSignal(f.cancelled, timeout=1000):
        qtbot.mouseClick(f._cancel, Qt.MouseButton.LeftButton)
