"""The closed loop's five steps by period: counts, median times and late ones, in words."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from widgets.closed_loop import ClosedLoopWidget
from widgets.values import LoopCell, LoopStep, TileLevel

OK = LoopCell("172", "6 min", TileLevel.NORMAL, 0, TileLevel.NORMAL)
LATE = LoopCell("96", "95 min", TileLevel.NORMAL, 9, TileLevel.WARNING)
STEPS = tuple(
    LoopStep(name, (LATE if name == "Handled" else OK, OK))
    for name in ("Found", "Routed", "Handled", "Reported back", "Evaluated")
)


@pytest.fixture
def loop(qtbot: QtBot) -> ClosedLoopWidget:
    w = ClosedLoopWidget()
    qtbot.addWidget(w)
    w.resize(1880, 240)
    w.set_text_px(63, 32)
    w.set_loop(("This shift", "Today"), STEPS, "21 late today")
    return w


def test_five_steps_two_periods_and_the_late_ones_in_words(loop: ClosedLoopWidget) -> None:
    loop.grab()
    text = loop.painted_text()
    for name in ("Found", "Routed", "Handled", "Reported back", "Evaluated", "This shift", "Today"):
        assert name in text
    assert "· 95 min · 9 late" in text and "· 6 min · 0 late" in text
    assert "21 late today" in text
    assert all(t.fitted for t in loop.painted()) and loop.left_out() == 0


def test_steps_read_left_to_right_in_order(loop: ClosedLoopWidget) -> None:
    loop.grab()
    xs = {t.text: t.x for t in loop.painted()}
    order = ["Found", "Routed", "Handled", "Reported back", "Evaluated"]
    assert [xs[n] for n in order] == sorted(xs[n] for n in order)


def test_a_narrow_panel_turns_the_loop_into_a_table_and_leaves_steps_out_whole(loop: ClosedLoopWidget) -> None:
    loop.resize(700, 150)
    loop.grab()
    assert all(t.fitted for t in loop.painted())
    assert loop.left_out() >= 1  # a step without room is left out, not cut
    assert "This shift" in loop.painted_text() and "Found" in loop.painted_text()


def test_no_figures_says_so(qtbot: QtBot) -> None:
    w = ClosedLoopWidget()
    qtbot.addWidget(w)
    w.resize(600, 200)
    w.set_loop((), (), empty="No closed-loop figures from the backend")
    w.grab()
    assert w.painted_text() == "No closed-loop figures from the backend"


def test_a_loop_too_low_for_its_periods_says_how_many_it_left_out(loop: ClosedLoopWidget) -> None:
    loop.resize(1880, 100)  # the steps' names and no room for a period's figures
    loop.grab()
    assert loop.left_out() >= 1
    assert f"+{loop.left_out()} more" in loop.painted_text()
    assert all(not t.clipped for t in loop.text_items())


def test_a_narrow_loop_says_how_many_steps_it_left_out(loop: ClosedLoopWidget) -> None:
    loop.resize(700, 330)
    loop.grab()
    assert loop.left_out() >= 1
    assert f"+{loop.left_out()} more" in loop.painted_text()
    assert all(not t.clipped for t in loop.text_items())
