"""Areas by their five-colour rating: swatch and words, never colour alone."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from widgets.ranking_list import RankingListWidget
from widgets.values import RankRow

ROWS = (
    RankRow(12, "Tianxingqiao street", 5, "5 · Red"),
    RankRow(11, "Tongyuanju street", 4, "4 · Orange"),
    RankRow(9, "Danzishi street", 3, "3 · Yellow"),
    RankRow(1, "Ciqikou street", 1, "1 · Green"),
    RankRow(13, "Renhe street", None, "no data"),
)


@pytest.fixture
def ranking(qtbot: QtBot) -> RankingListWidget:
    w = RankingListWidget()
    qtbot.addWidget(w)
    w.resize(620, 400)
    w.set_text_px(63, 32)
    w.set_rows(ROWS)
    return w


def test_each_area_has_its_place_its_name_and_its_rating_in_words(ranking: RankingListWidget) -> None:
    ranking.grab()
    text = ranking.painted_text()
    for row in ROWS:
        assert f"{row.rank}." in text and row.label in text and row.rating_text in text
    assert all(t.fitted for t in ranking.painted())
    lines = [t.y for t in ranking.painted() if t.text.endswith("street")]
    assert lines == sorted(lines)  # in the order given: worst first


def test_areas_without_room_are_counted(ranking: RankingListWidget) -> None:
    ranking.resize(620, 120)
    ranking.grab()
    assert ranking.left_out() > 0 and f"+{ranking.left_out()} more" in ranking.painted_text()


def test_a_wide_short_panel_runs_in_two_columns(ranking: RankingListWidget) -> None:
    ranking.resize(1800, 130)
    ranking.grab()
    xs = {round(t.x) for t in ranking.painted() if t.text.endswith("street")}
    assert len(xs) == 2
