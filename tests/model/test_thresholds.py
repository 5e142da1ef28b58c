"""The one threshold rule (cockpit/model/thresholds.py): a value against its limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.model.thresholds import NO_LIMITS, Level, LimitColumns, Limits, ThresholdError
from cockpit.protocol.messages import SensorInfo

L = Limits(warn=5.0, alarm=6.0, low_warn=2.0, low_alarm=1.0)


@pytest.mark.parametrize(
    ("value", "level", "low"),
    [
        (3.0, Level.NORMAL, False),
        (5.0, Level.WARNING, False),  # a limit itself counts as reached
        (6.0, Level.ALARM, False),
        (2.0, Level.WARNING, True),
        (1.0, Level.ALARM, True),
        (-4.0, Level.ALARM, True),
        (math.nan, Level.NORMAL, False),  # nothing can be claimed about NaN
    ],
)
def test_levels_follow_the_limits(value: float, level: Level, low: bool) -> None:
    assert L.level(value) is level
    assert L.is_low(value) is low


def test_bad_limits_are_refused_and_a_bad_catalog_entry_has_none() -> None:
    with pytest.raises(ThresholdError):
        Limits(warn=6.0, alarm=5.0)
    with pytest.raises(ThresholdError):
        Limits(warn=5.0, alarm=6.0, low_warn=5.0)
    with pytest.raises(ThresholdError):
        Limits(warn=math.nan)
    bad = SensorInfo(id=1, name="x", kind="k", district="d", theme="t", unit="", lon=0.0, lat=0.0, warn=6.0, alarm=5.0)
    assert Limits.of(bad) is NO_LIMITS
    assert Limits.of(bad).level(99.0) is Level.NORMAL


limits = st.floats(-1e6, 1e6, allow_nan=False)


@given(
    values=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), min_size=1, max_size=20),
    bounds=st.lists(limits, min_size=4, max_size=4, unique=True).map(sorted),
)
def test_the_vectorised_rule_is_the_scalar_rule(values: list[float], bounds: list[float]) -> None:
    """The map's dots and the backend's alarm raising (arrays) agree with the tiles (one value)."""
    low_alarm, low_warn, warn, alarm = bounds
    lim = Limits(warn, alarm, low_warn, low_alarm)
    cols = LimitColumns([lim] * len(values))
    arr = np.array(values, dtype=np.float32)  # as values travel on the wire
    idx = np.arange(len(values))
    with np.errstate(invalid="ignore"):
        got = cols.levels(arr, idx).tolist()
    assert got == [int(lim.level(float(v))) for v in arr]
