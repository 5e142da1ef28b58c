"""Bars against their limit lines: values and states in words, never cut, rows left out whole."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from widgets.bar_gauges import BarGaugesWidget
from widgets.values import Bar, Mark, TileLevel

SITES = (
    Bar("Huilongba disposal site", 38.0, "38 %", TileLevel.NORMAL),
    Bar("Tieshanping disposal site", 56.0, "56 %", TileLevel.WARNING, "over 50 %"),
    Bar("Nanshan disposal site", None, "—", TileLevel.NO_DATA, "no data"),
    Bar("Zhongliangshan disposal site", 31.0, "31 %", TileLevel.STALE, "not current"),
)


@pytest.fixture
def bars(qtbot: QtBot) -> BarGaugesWidget:
    w = BarGaugesWidget()
    qtbot.addWidget(w)
    w.resize(1000, 320)
    w.set_text_px(63, 32)
    w.set_scale(0, 100)
    w.set_marks([Mark(50, "warning 50 %"), Mark(85, "alarm 85 %", alarm=True)])
    w.set_bars(SITES)
    return w


def test_every_bar_shows_its_name_value_and_state_in_words(bars: BarGaugesWidget) -> None:
    bars.grab()
    text = bars.painted_text()
    for name in ("Huilongba disposal site", "Tieshanping disposal site", "Zhongliangshan disposal site"):
        assert name in text
    assert "56 % · over 50 %" in text  # colour is never the only sign
    assert "— · no data" in text and "31 % · not current" in text
    assert "warning 50 %" in text
    assert all(t.fitted for t in bars.painted()) and bars.left_out() == 0


def test_a_bar_fills_its_share_of_the_scale(bars: BarGaugesWidget) -> None:
    assert bars.bar_fraction(0) == pytest.approx(0.38)
    assert bars.bar_fraction(2) == 0.0  # no reading: an empty bar
    bars.set_scale(0, 200)
    assert bars.bar_fraction(1) == pytest.approx(0.28)
    with pytest.raises(ValueError, match="empty"):
        bars.set_scale(5, 5)


def test_rows_without_room_are_left_out_whole_and_counted(bars: BarGaugesWidget) -> None:
    bars.resize(1000, 130)
    bars.grab()
    shown = [b.label for b in SITES if b.label in bars.painted_text()]
    assert bars.left_out() == len(SITES) - len(shown) > 0
    assert f"+{bars.left_out()} more" in bars.painted_text()
    assert all(t.fitted for t in bars.painted())


def test_type_sizes_are_the_walls(bars: BarGaugesWidget) -> None:
    bars.grab()
    assert {t.px for t in bars.painted()} == {32.0}  # bars read by length; words at the detail size
    with pytest.raises(ValueError, match="positive"):
        bars.set_text_px(0, 10)


def test_no_bars_says_so(qtbot: QtBot) -> None:
    w = BarGaugesWidget()
    qtbot.addWidget(w)
    w.resize(400, 200)
    w.grab()
    assert w.painted_text() == "No data"
