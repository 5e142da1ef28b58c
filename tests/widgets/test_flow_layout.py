"""The header's flow: items side by side, wrapping when they do not fit, a trailing item pinned right."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from widgets.flow_layout import FlowLayout


def test_items_wrap_onto_new_rows_and_the_trailing_one_stays_top_right(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, spacing=10)
    labels = [QLabel("x" * 20) for _ in range(4)]
    for label in labels:
        label.setFixedSize(250, 40)
        flow.addWidget(label)
    clock = QLabel("12:00:00")
    clock.setFixedSize(150, 60)
    flow.set_trailing(clock)
    host.resize(1000, flow.heightForWidth(1000))
    host.show()
    flow.setGeometry(host.rect())
    assert clock.geometry().right() == 999 and clock.geometry().top() == 0
    assert {label.geometry().top() for label in labels[:3]} == {10}, "three fit beside the clock"
    assert labels[3].geometry().top() == 70, "the fourth starts a row under the first"
    narrow = flow.heightForWidth(500)
    assert narrow > flow.heightForWidth(1000), "a narrower header takes more rows, never cuts"
    for label in labels:
        assert host.rect().contains(label.geometry())
