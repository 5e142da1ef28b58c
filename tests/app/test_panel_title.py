"""A panel's grey (not current) title is italic: its ink must stay inside the label, and the wall
report must judge it by what cuts it (the label), not by its padding (a paused drill's video panel
title was reported cut for an italic "p" 1 px left of the label)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from cockpit.app.panels.base import PanelFrame
from cockpit.app.wall_report import label_item


def test_a_grey_italic_title_is_whole_and_a_title_too_wide_for_its_label_is_cut(qtbot: QtBot) -> None:
    frame = PanelFrame("video", "", QWidget())
    qtbot.addWidget(frame)
    font = frame.font()
    font.setPixelSize(46)
    frame.setFont(font)
    frame.title.setFont(font)
    frame.title.setWordWrap(True)
    frame.resize(780, 400)
    frame.show()
    qtbot.waitExposed(frame)
    frame.base_title = "page 1 of 4"
    frame.set_current(False, "as of 21:45:24")
    qtbot.wait(10)
    item = label_item(frame.title)
    assert "italic" in frame.title.styleSheet()
    assert item is not None and item.text == "page 1 of 4 · as of 21:45:24"
    assert item.x >= 0 and not item.clipped, item
    # The report still sees a real cut: a one-line label narrower than its text.
    narrow = QLabel("page 1 of 4 · as of 21:45:24")
    qtbot.addWidget(narrow)
    narrow.setFont(font)
    narrow.resize(300, 60)
    cut = label_item(narrow)
    assert cut is not None and cut.clipped
