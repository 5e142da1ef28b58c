"""Days of a measurement with its limits and every stretch out of range marked in words."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from pytestqt.qtbot import QtBot

from widgets.history_chart import HistoryChartWidget
from widgets.values import Curve, Mark, Span

HOURS = tuple(float(h) for h in range(-167, 1))
VALUES = tuple(4.4 if h > -77 else 6.8 for h in HOURS)


@pytest.fixture
def chart(qtbot: QtBot) -> HistoryChartWidget:
    w = HistoryChartWidget()
    qtbot.addWidget(w)
    w.resize(800, 240)
    w.set_text_px(63, 32)
    w.set_history(
        7,
        (Mark(5.0, "low warning 5 mg/L"),),
        (Curve("Ciqikou", HOURS, VALUES),),
        (Span(-77.0, 0.0, "3 d 5 h under 5 mg/L"),),
        ticks=tuple((-24.0 * d - 10, f"12-0{7 - d}") for d in range(7)),
        now_text="4.4 mg/L",
    )
    return w


def test_the_excursion_its_length_the_limit_and_the_current_value_are_shown(chart: HistoryChartWidget) -> None:
    chart.grab()
    text = chart.painted_text()
    assert "3 d 5 h under 5 mg/L" in text
    assert "low warning 5 mg/L" in text
    assert "now 4.4 mg/L" in text
    assert "12-07" in text and "12-01" in text
    assert all(t.fitted for t in chart.painted())


def test_dates_never_cover_each_other(chart: HistoryChartWidget) -> None:
    chart.resize(400, 240)
    chart.grab()
    dates = sorted((t.x, t.x + t.w) for t in chart.painted() if t.text.startswith("12-"))
    assert dates and all(a[1] <= b[0] for a, b in pairwise(dates))


def test_a_gap_stays_a_gap_and_nothing_breaks(chart: HistoryChartWidget) -> None:
    gappy = tuple(math.nan if -50 < h < -40 else v for h, v in zip(HOURS, VALUES, strict=True))
    chart.set_history(7, (), (Curve("Ciqikou", HOURS, gappy),), ())
    chart.grab()
    assert sum(1 for v in chart.curves()[0].values if math.isnan(v)) == 9


def test_no_history_says_so(qtbot: QtBot) -> None:
    w = HistoryChartWidget()
    qtbot.addWidget(w)
    w.resize(400, 200)
    w.set_history(7, (), (), (), empty="No history from the backend")
    w.grab()
    assert w.painted_text() == "No history from the backend"
