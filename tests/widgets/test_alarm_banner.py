from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from widgets.alarm_banner import AlarmBannerWidget
from widgets.alarm_list import FLASH_INTERVAL_MS, AlarmRow
from widgets.errors import DuplicateAlarmIdError, InvalidBannerSettingError
from widgets.severity import Severity, severity_color
from widgets.values import AlarmDisplay


def alarm(alarm_id: str, *, sev: Severity = Severity.RED, active: bool = True) -> AlarmRow:
    return AlarmRow(
        id=alarm_id,
        severity=sev,
        time_text="14:03:27",
        source=f"Source {alarm_id}",
        message=f"Message {alarm_id}",
        active=active,
        acknowledged=False,
        display=AlarmDisplay.UNACKED_ACTIVE if active else AlarmDisplay.UNACKED_CLEARED,
    )


@pytest.fixture
def banner(qtbot: QtBot) -> AlarmBannerWidget:
    w = AlarmBannerWidget(max_pinned=3)
    qtbot.addWidget(w)
    w.resize(1600, 200)
    return w


def test_pins_up_to_max_and_counts_the_rest(banner: AlarmBannerWidget) -> None:
    banner.set_pinned([alarm(f"a{i}") for i in range(5)])
    assert banner.pinned_ids() == ["a0", "a1", "a2"]
    assert banner.more_count() == 2
    assert banner.more_text() == "+2 more"
    banner.set_pinned([alarm("a0")])
    assert banner.more_text() == ""


def test_lines_show_numeral_name_time_source_message_and_state(banner: AlarmBannerWidget) -> None:
    banner.set_pinned([alarm("a", sev=Severity.ORANGE), alarm("b", active=False)])
    first, second = banner.line_texts()
    for part in ("2 Orange", "14:03:27", "Source a", "Message a", "UNACKNOWLEDGED"):
        assert part in first
    assert "RTN" in second and "1 Red" in second


def test_empty_banner_shows_calm_line_or_collapses(banner: AlarmBannerWidget) -> None:
    assert banner.line_texts() == ["No unacknowledged high-severity alarms"]
    assert not banner.is_collapsed()
    assert banner.sizeHint().height() > 0
    banner.set_collapse_when_empty(True)
    assert banner.is_collapsed()
    assert banner.line_texts() == []
    assert banner.maximumHeight() == 0
    banner.set_pinned([alarm("a")])
    assert not banner.is_collapsed()
    assert banner.maximumHeight() > 0


def test_flood_notice(banner: AlarmBannerWidget) -> None:
    banner.set_collapse_when_empty(True)
    banner.set_flood(True, 57)
    assert banner.flood_text() == "ALARM FLOOD: 57 alarms in 10 min — grouped"
    assert not banner.is_collapsed()  # a flood always shows
    assert banner.line_texts()[0] == banner.flood_text()
    banner.set_pinned([alarm("a")])
    assert banner.line_texts()[0].startswith("ALARM FLOOD")
    assert len(banner.line_texts()) == 2
    banner.set_flood(False, 0)
    assert banner.flood_text() == ""
    assert not any("FLOOD" in t for t in banner.line_texts())
    with pytest.raises(InvalidBannerSettingError):
        banner.set_flood(True, -1)


def test_internal_flash_toggles_and_stops_when_nothing_flashes(
    banner: AlarmBannerWidget, qtbot: QtBot
) -> None:
    assert not banner.is_flashing()
    banner.set_pinned([alarm("a")])
    assert banner.is_flashing()
    assert banner.flash_phase is True
    qtbot.waitUntil(lambda: banner.flash_phase is False, timeout=3 * FLASH_INTERVAL_MS)
    # Returned-to-normal alarms stay pinned but steady.
    banner.set_pinned([alarm("a", active=False)])
    assert not banner.is_flashing()
    assert banner.flash_phase is False


def test_external_flash_phase(banner: AlarmBannerWidget, qtbot: QtBot) -> None:
    banner.set_external_flash(True)
    banner.set_pinned([alarm("a")])
    assert banner.is_flashing()
    banner.set_flash_phase(False)
    assert banner.flash_phase is False
    qtbot.wait(3 * FLASH_INTERVAL_MS)
    assert banner.flash_phase is False  # no internal timer
    banner.set_flash_phase(True)
    assert banner.flash_phase is True
    banner.set_external_flash(False)
    assert banner.is_flashing()


def test_lit_phase_paints_the_severity_colour(banner: AlarmBannerWidget, qtbot: QtBot) -> None:
    banner.set_external_flash(True)
    banner.set_pinned([alarm("a", sev=Severity.BLUE)])
    banner.resize(1600, banner.sizeHint().height())
    with qtbot.waitExposed(banner):  # a context manager: it waits for the show inside
        banner.show()

    def centre_colour() -> QColor:
        img = banner.grab().toImage()
        # A point inside the line, between the text runs (right of centre, in the message gap).
        return img.pixelColor(round(img.width() * 0.6), 4 * img.height() // 10)

    banner.set_flash_phase(True)
    assert centre_colour() == severity_color(Severity.BLUE)
    banner.set_flash_phase(False)
    assert centre_colour() != severity_color(Severity.BLUE)


def test_click_reports_alarm_id(banner: AlarmBannerWidget, qtbot: QtBot) -> None:
    banner.set_pinned([alarm("a"), alarm("b")])
    banner.resize(1600, banner.sizeHint().height())
    with qtbot.waitExposed(banner):  # a context manager: it waits for the show inside
        banner.show()
    y = round(banner.height() * 0.75)  # second of two lines
    with qtbot.waitSignal(banner.alarm_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(banner, Qt.MouseButton.LeftButton, pos=QPoint(200, y))
    assert blocker.args == ["b"]


def test_invalid_settings_are_rejected(qtbot: QtBot, banner: AlarmBannerWidget) -> None:
    with pytest.raises(InvalidBannerSettingError):
        AlarmBannerWidget(max_pinned=0)
    with pytest.raises(DuplicateAlarmIdError):
        banner.set_pinned([alarm("a"), alarm("a")])
    assert banner.pinned_ids() == []


def test_reserved_lines_keep_the_height_whatever_is_shown(banner: AlarmBannerWidget) -> None:
    banner.set_max_pinned(2)
    banner.set_reserved_lines(2)
    heights = set()
    for pinned, flood in (([], False), ([alarm("a")], False), ([alarm("a"), alarm("b")], False), ([], True)):
        banner.set_pinned(pinned)
        banner.set_max_pinned(1 if flood else 2)
        banner.set_flood(flood, 12 if flood else 0)
        heights.add(banner.sizeHint().height())
    assert len(heights) == 1
    banner.set_reserved_lines(0)
    banner.set_flood(False, 0)
    assert banner.sizeHint().height() < heights.pop()  # one calm line fits in less
    with pytest.raises(InvalidBannerSettingError):
        banner.set_reserved_lines(-1)
