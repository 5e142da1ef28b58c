from __future__ import annotations

import math

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from widgets.values import TileLevel
from widgets.vital_tile import VitalSignTile


@pytest.fixture
def tile(qtbot: QtBot) -> VitalSignTile:
    w = VitalSignTile("Water pressure", "bar", decimals=2)
    qtbot.addWidget(w)
    w.set_limit_lines((5.0, 6.0, 2.0, 1.0))
    return w


def test_new_tile_has_no_data(qtbot: QtBot) -> None:
    w = VitalSignTile("X", "m")
    qtbot.addWidget(w)
    assert w.level() is TileLevel.NO_DATA
    assert w.value_text() == "—"


@pytest.mark.parametrize(
    ("value", "level", "low", "text"),
    [
        (3.0, TileLevel.NORMAL, False, ""),
        (5.5, TileLevel.WARNING, False, "HIGH WARNING"),
        (9.9, TileLevel.ALARM, False, "HIGH ALARM"),
        (1.5, TileLevel.WARNING, True, "LOW WARNING"),
        (-4.0, TileLevel.ALARM, True, "LOW ALARM"),
        (math.nan, TileLevel.ALARM, False, "NO DATA"),  # no value: nothing is claimed, whatever was said
        (None, TileLevel.WARNING, False, "NO DATA"),
    ],
)
def test_the_tile_says_the_level_it_is_given_in_words(
    tile: VitalSignTile, value: float | None, level: TileLevel, low: bool, text: str
) -> None:
    tile.set_reading(value, 0.2, level, low)
    assert tile.status_text() == text


def test_stale_shows_the_value_grey_with_its_age(tile: VitalSignTile) -> None:
    tile.set_reading(9.9, 12.3, TileLevel.STALE)
    assert tile.level() is TileLevel.STALE
    assert tile.status_text() == "STALE 12 s"
    assert tile.value_text() == "9.90"
    tile.set_reading(9.9, 0.1, TileLevel.ALARM)
    assert tile.level() is TileLevel.ALARM


def test_a_reading_held_by_a_paused_clock_says_paused_not_an_age(tile: VitalSignTile) -> None:
    """A paused drill: grey like any not-live reading, but "PAUSED", never "STALE 0.1 s"."""
    tile.set_reading(9.9, 0.1, TileLevel.STALE, paused=True)
    assert tile.level() is TileLevel.STALE
    assert tile.status_text() == "PAUSED"
    assert tile.value_text() == "9.90"
    tile.set_type_sizes(60, 30)
    tile.resize(700, round(tile.typed_height(700)))
    tile.grab()
    items = {i.text: i for i in tile.text_items()}
    assert "PAUSED" in items and not items["PAUSED"].clipped
    tile.set_reading(9.9, 0.1, TileLevel.STALE)
    assert tile.status_text() == "STALE 0.1 s"


def test_paints_every_level_with_history(tile: VitalSignTile) -> None:
    tile.resize(tile.sizeHint())
    history = np.sin(np.linspace(0, 20, 5000))
    history[100:200] = np.nan
    tile.set_history(history)
    for value, level in [
        (3.0, TileLevel.NORMAL),
        (5.5, TileLevel.WARNING),
        (0.5, TileLevel.ALARM),
        (3.0, TileLevel.STALE),
        (None, TileLevel.NO_DATA),
    ]:
        tile.set_reading(value, 30.0, level)
        assert not tile.grab().isNull()
    tile.set_history(np.array([]))
    assert not tile.grab().isNull()
