"""The wall's trend chart: few ticks, the limits named each on its own row, nothing cut."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from widgets.trend_chart import Limit, TrendChart, nice_ticks, tick_text


def test_ticks_are_few_and_round() -> None:
    assert nice_ticks(1.37, 2.31) == [1.5, 2.0]
    assert len(nice_ticks(0.0, 97.0)) <= 3 and all(t % 50 == 0 for t in nice_ticks(0.0, 97.0))
    assert [tick_text(v, [1.5, 2.0]) for v in (1.5, 2.0)] == ["1.5", "2.0"]
    assert [tick_text(v, [0.0, 50.0]) for v in (0.0, 50.0)] == ["0", "50"]


def test_close_limits_are_named_on_rows_of_their_own_and_no_text_overlaps(qtbot: QtBot) -> None:
    chart = TrendChart(120.0)
    qtbot.addWidget(chart)
    chart.setFont(QFont("Noto Sans CJK SC"))
    chart.set_type_size(43)
    chart.resize(1100, 420)
    chart.set_series(
        ["Yuzhong", "Jiangbei", "Nan'an", "Shapingba"],
        "index",
        [Limit(1.8, "warning 1.8", False), Limit(2.2, "alarm 2.2", True), Limit(2.25, "alarm 2.25", True)],
    )
    t = np.arange(-100.0, 1.0)
    chart.set_data([(t, 1.5 + 0.1 * np.sin(t / 5 + k)) for k in range(4)])
    chart.grab()
    items = chart.text_items()
    texts = [i.text for i in items]
    assert {"warning 1.8", "alarm 2.2", "alarm 2.25", "now", "Yuzhong"} <= set(texts)
    values = [i for i in items if i.text.removesuffix(" index").replace(".", "").isdigit()]
    assert 2 <= len(values) <= 3, "three value ticks at most"
    boxes = [QRectF(i.x, i.y, i.w, i.h) for i in items]
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            inter = boxes[a].intersected(boxes[b])
            assert inter.width() * inter.height() <= 4, f"{texts[a]!r} overlaps {texts[b]!r}"
    assert all(not i.clipped for i in items)


def test_the_chart_says_the_height_it_needs_and_plots_in_it(qtbot: QtBot) -> None:
    chart = TrendChart(120.0)
    qtbot.addWidget(chart)
    chart.setFont(QFont("Noto Sans CJK SC"))
    chart.set_type_size(43)
    chart.set_series(["Yuzhong"], "m", [Limit(3.0, "warning 3", False)])
    one_row = chart.least_height(800)
    chart.set_series(["Water level · Yuzhong", "Water level · Jiangbei", "Water level · Nan'an"], "m", [])
    two_rows = chart.least_height(800)
    assert two_rows > one_row, "a legend of two rows needs a row more"
    chart.set_series(["Yuzhong"], "m", [Limit(3.0, "warning 3", False)])
    t = np.arange(-100.0, 1.0)
    chart.set_data([(t, 2.5 + 0.1 * np.sin(t / 5))])
    chart.resize(800, round(one_row))
    chart.grab()
    texts = [i.text for i in chart.text_items()]
    assert "warning 3" in texts and "now" in texts, "at its least height the plot is drawn"
    chart.resize(800, round(one_row * 0.6))
    chart.grab()
    assert "now" not in [i.text for i in chart.text_items()], "lower, it draws no plot"


def test_an_empty_or_all_gap_series_is_drawn_without_error(qtbot: QtBot) -> None:
    """A sensor that has not reported yet (no points, or only gaps) beside one that has: the chart
    paints, scaled to the readings there are (an empty series once raised in the paint and left the
    painter open: the wall logged it every frame and crashed at exit)."""
    chart = TrendChart(120.0)
    qtbot.addWidget(chart)
    chart.set_type_size(30)
    chart.resize(900, 400)
    chart.set_series(["A", "B", "C"], "m", [Limit(3.0, "warning 3", False)])
    t = np.arange(-10.0, 1.0)
    chart.set_data([(np.array([]), np.array([])), (t, np.full(t.size, np.nan)), (t, 2.0 + 0.01 * t)])
    chart.grab()
    lo, hi = chart._range()
    assert lo < 1.9 and hi > 3.0, "the readings and the limit in view"
    chart.set_data([(np.array([]), np.array([]))])
    chart.grab()
    assert chart._range()[0] < 3.0 < chart._range()[1], "no readings at all: the limits set the scale"


def _flood_chart(qtbot: QtBot, width: int, height: int) -> TrendChart:
    chart = TrendChart(120.0)
    qtbot.addWidget(chart)
    chart.setFont(QFont("Noto Sans CJK SC"))
    chart.set_type_size(43)
    chart.resize(width, height)
    chart.set_series(
        ["Water level · Yuzhong", "Water level · Jiangbei", "Water level · Nan'an"],
        "m",
        [Limit(3.0, "warning 3", False), Limit(3.5, "alarm 3.5", True)],
    )
    t = np.arange(-100.0, 1.0)
    chart.set_data([(t, 2.0 + 0.2 * k + 0.05 * np.sin(t / 5)) for k in range(3)])
    chart.grab()
    return chart


def test_every_line_drawn_is_named_in_the_legend_or_said_as_more(qtbot: QtBot) -> None:
    """The officer saw three lines and two names on the flood runway: a third name did not fit two
    legend rows and was dropped unsaid. Now it is named when the chart has the height, else "+1 more"."""
    low = _flood_chart(qtbot, 760, 330)
    texts = [i.text for i in low.text_items()]
    named = [n for n in ("Water level · Yuzhong", "Water level · Jiangbei", "Water level · Nan'an") if n in texts]
    assert len(named) == 3 or f"+{3 - len(named)} more" in texts, texts
    assert len(named) < 3, "this chart is too low for three legend rows: the test must see '+1 more'"
    tall = _flood_chart(qtbot, 760, 700)
    texts = [i.text for i in tall.text_items()]
    assert {"Water level · Yuzhong", "Water level · Jiangbei", "Water level · Nan'an"} <= set(texts), texts
    assert not any(t.endswith("more") for t in texts)


def test_the_unit_is_on_the_value_axis_not_the_time_axis(qtbot: QtBot) -> None:
    chart = _flood_chart(qtbot, 760, 500)
    items = chart.text_items()
    texts = [i.text for i in items]
    assert "(m)" not in texts, "the unit was printed on the time axis, beside '−2 min'"
    ticks = [i for i in items if i.text.removesuffix(" m").replace(".", "").isdigit()]
    assert any(i.text.endswith(" m") for i in ticks), texts
    start = next(i for i in items if i.text == "−2 min")
    with_unit = next(i for i in items if i.text.endswith(" m"))
    assert with_unit.y < start.y and with_unit.x < start.x + start.w, "beside the value ticks, left of the plot"


def test_the_time_axis_ends_at_what_it_is_told(qtbot: QtBot) -> None:
    """Live: "now". A replay's right edge is its recorded time, a paused drill's a clock standing
    still: the chart then says that, never "now"."""
    chart = _flood_chart(qtbot, 760, 500)
    assert "now" in [i.text for i in chart.text_items()]
    chart.set_end_label("21:02:40")
    chart.grab()
    texts = [i.text for i in chart.text_items()]
    assert "21:02:40" in texts and "now" not in texts
    chart.set_end_label("paused 21:02:40", "paused")
    chart.resize(1100, 500)
    chart.grab()
    items = chart.text_items()
    assert "paused 21:02:40" in [i.text for i in items] and not any(i.clipped for i in items)
    chart.resize(560, 500)  # too narrow for the long form beside "−2 min": the short one
    chart.grab()
    items = chart.text_items()
    assert "paused" in [i.text for i in items] and "paused 21:02:40" not in [i.text for i in items]
    plot_right = max(i.x + i.w for i in items if i.text in ("paused", "−2 min"))
    assert all(i.x >= plot_right for i in items if i.text.startswith(("warning", "alarm"))), "not under the limits"
    chart.set_end_label()
    chart.grab()
    assert "now" in [i.text for i in chart.text_items()]

def test_series_of_one_kind_say_the_kind_once_and_all_fit(qtbot: QtBot) -> None:
    """The flood runway's trend at 1920x1080: "Water level" once, then the places, all named."""
    chart = TrendChart(120.0)
    qtbot.addWidget(chart)
    chart.setFont(QFont("Noto Sans CJK SC"))
    chart.set_type_size(43)
    chart.resize(760, 330)
    chart.set_series(["Yuzhong", "Jiangbei", "Nan'an"], "m", [Limit(3.0, "warning 3", False)], heading="Water level")
    t = np.arange(-100.0, 1.0)
    chart.set_data([(t, 2.0 + 0.2 * k + 0.0 * t) for k in range(3)])
    chart.grab()
    items = {i.text: i for i in chart.text_items()}
    assert {"Water level", "Yuzhong", "Jiangbei", "Nan'an"} <= set(items), list(items)
    assert not any(t.endswith("more") for t in items)
    assert items["Water level"].x < items["Yuzhong"].x and not any(i.clipped for i in items.values())
