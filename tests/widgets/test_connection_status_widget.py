from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from widgets import theme
from widgets.status_bar import ConnectionStatusWidget, LinkLevel


@pytest.fixture
def status(qtbot: QtBot) -> ConnectionStatusWidget:
    w = ConnectionStatusWidget()
    qtbot.addWidget(w)
    w.resize(900, 40)
    return w


def colours_in(w: ConnectionStatusWidget) -> set[str]:
    img = w.grab().toImage()
    return {img.pixelColor(x, y).name() for x in range(0, img.width(), 2) for y in range(img.height())}


@pytest.mark.parametrize(
    ("age", "text"),
    [(0.44, "data 0.4 s old"), (12.4, "data 12 s old"), (600.0, "data 10 min old"), (None, "no data")],
)
def test_age_text(status: ConnectionStatusWidget, age: float | None, text: str) -> None:
    status.set_status("Connected", LinkLevel.OK, age, "")
    assert status.age_text() == text


def test_text_holds_label_age_and_detail(status: ConnectionStatusWidget) -> None:
    status.set_status("Connected", LinkLevel.OK, 0.4, "1204 msg/s")
    assert status.text() == "Connected  data 0.4 s old  1204 msg/s"
    assert status.level() is LinkLevel.OK


@pytest.mark.parametrize(
    ("level", "colour"), [(LinkLevel.DEGRADED, theme.WARNING), (LinkLevel.DOWN, theme.ALARM)]
)
def test_abnormal_levels_show_their_colour_ok_shows_none(
    status: ConnectionStatusWidget, level: LinkLevel, colour: str
) -> None:
    status.set_status("Link", level, 3.0, "")
    assert QColor(colour).name() in colours_in(status)
    status.set_status("Link", LinkLevel.OK, 3.0, "")
    shown = colours_in(status)
    assert QColor(theme.WARNING).name() not in shown
    assert QColor(theme.ALARM).name() not in shown


def test_a_replay_shows_no_age_never_no_data_over_data_that_is_there(status: ConnectionStatusWidget) -> None:
    # A replay's data has no age: "no data" there misled (officer review); no age is shown at all.
    status.set_status("Replay paused", LinkLevel.NOT_LIVE, None, "recorded 20:52:35; not live", shows_age=False)
    status.grab()
    assert status.age_text() == ""
    assert "no data" not in status.text() and "old" not in status.text()
    assert [t.text for t in status.text_items()] == ["Replay paused", "recorded 20:52:35; not live"]
