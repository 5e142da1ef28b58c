from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from widgets.errors import InvalidThresholdsError
from widgets.vital_tile import Thresholds, TileLevel, VitalSignTile, classify


@pytest.fixture
def tile(qtbot: QtBot) -> VitalSignTile:
    w = VitalSignTile("Water pressure", "bar", decimals=2)
    qtbot.addWidget(w)
    w.set_thresholds(warn=5.0, alarm=6.0, low_warn=2.0, low_alarm=1.0)
    return w


def test_new_tile_has_no_data(qtbot: QtBot) -> None:
    w = VitalSignTile("X", "m")
    qtbot.addWidget(w)
    assert w.level() is TileLevel.NO_DATA
    assert w.value_text() == "—"


@pytest.mark.parametrize(
    ("value", "level", "text"),
    [
        (3.0, TileLevel.NORMAL, ""),
        (5.0, TileLevel.WARNING, "HIGH WARNING"),  # a limit itself counts as reached
        (5.5, TileLevel.WARNING, "HIGH WARNING"),
        (6.0, TileLevel.ALARM, "HIGH ALARM"),
        (9.9, TileLevel.ALARM, "HIGH ALARM"),
        (2.0, TileLevel.WARNING, "LOW WARNING"),
        (1.5, TileLevel.WARNING, "LOW WARNING"),
        (1.0, TileLevel.ALARM, "LOW ALARM"),
        (-4.0, TileLevel.ALARM, "LOW ALARM"),
        (math.nan, TileLevel.NO_DATA, "NO DATA"),
        (None, TileLevel.NO_DATA, "NO DATA"),
    ],
)
def test_levels_follow_thresholds(
    tile: VitalSignTile, value: float | None, level: TileLevel, text: str
) -> None:
    tile.set_reading(value, 0.2, stale=False)
    assert tile.level() is level
    assert tile.status_text() == text


def test_stale_overrides_alarm_and_shows_age(tile: VitalSignTile) -> None:
    tile.set_reading(9.9, 12.3, stale=True)
    assert tile.level() is TileLevel.STALE
    assert tile.status_text() == "STALE 12 s"
    assert tile.value_text() == "9.90"
    tile.set_reading(9.9, 0.1, stale=False)
    assert tile.level() is TileLevel.ALARM


def test_changing_thresholds_reclassifies(tile: VitalSignTile) -> None:
    tile.set_reading(5.5, 0.0, stale=False)
    assert tile.level() is TileLevel.WARNING
    tile.set_thresholds(warn=None, alarm=None)
    assert tile.level() is TileLevel.NORMAL


def test_bad_thresholds_are_rejected_and_old_ones_stay(tile: VitalSignTile) -> None:
    tile.set_reading(5.5, 0.0, stale=False)
    with pytest.raises(InvalidThresholdsError):
        tile.set_thresholds(warn=6.0, alarm=5.0)
    with pytest.raises(InvalidThresholdsError):
        tile.set_thresholds(warn=5.0, alarm=6.0, low_warn=5.0)
    assert tile.thresholds() == Thresholds(5.0, 6.0, 2.0, 1.0)
    assert tile.level() is TileLevel.WARNING


def test_paints_every_level_with_history(tile: VitalSignTile) -> None:
    tile.resize(tile.sizeHint())
    history = np.sin(np.linspace(0, 20, 5000))
    history[100:200] = np.nan
    tile.set_history(history)
    for value, stale in [(3.0, False), (5.5, False), (0.5, False), (3.0, True), (None, False)]:
        tile.set_reading(value, 30.0, stale)
        assert not tile.grab().isNull()
    tile.set_history(np.array([]))
    assert not tile.grab().isNull()


limits = st.floats(-1e6, 1e6, allow_nan=False)


@given(
    value=st.floats(allow_nan=True, allow_infinity=True),
    bounds=st.lists(limits, min_size=4, max_size=4, unique=True).map(sorted),
    stale=st.booleans(),
)
def test_classify_is_consistent(value: float, bounds: list[float], stale: bool) -> None:
    low_alarm, low_warn, warn, alarm = bounds
    level = classify(value, stale, Thresholds(warn, alarm, low_warn, low_alarm))
    if math.isnan(value):
        assert level is TileLevel.NO_DATA
    elif stale:
        assert level is TileLevel.STALE
    elif value >= alarm or value <= low_alarm:
        assert level is TileLevel.ALARM
    elif value >= warn or value <= low_warn:
        assert level is TileLevel.WARNING
    else:
        assert level is TileLevel.NORMAL
