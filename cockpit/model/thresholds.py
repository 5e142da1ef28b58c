"""The threshold rule: where a value stands against its sensor's limits. The one copy of it.

A value at or beyond a limit is in that limit's state (protocol §5.2): ``alarm`` beats ``warning``,
and a high limit and a low limit are checked alike. The wall's tiles and map dots, the console and
the demo backend's alarm raising all ask this module; nothing else compares a value with a limit.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cockpit.protocol.messages import SensorInfo


class ThresholdError(ValueError):
    """Limits that cannot be used: NaN, or not ordered ``low_alarm <= low_warn < warn <= alarm``."""


class Level(enum.IntEnum):
    """Where a value stands; larger is worse."""

    NORMAL = 0
    WARNING = 1
    ALARM = 2


@dataclass(frozen=True, slots=True)
class Limits:
    """A sensor's optional limits.

    Raises:
        ThresholdError: a limit is NaN, or the limits are out of order.
    """

    warn: float | None = None
    alarm: float | None = None
    low_warn: float | None = None
    low_alarm: float | None = None

    def __post_init__(self) -> None:
        low = [v for v in (self.low_alarm, self.low_warn) if v is not None]
        high = [v for v in (self.warn, self.alarm) if v is not None]
        if any(math.isnan(v) for v in (*low, *high)):
            raise ThresholdError(f"NaN limit in {self!r}")
        if low != sorted(low) or high != sorted(high):
            raise ThresholdError(f"limits out of order: {self!r}")
        if low and high and not max(low) < min(high):
            raise ThresholdError(f"low limits must lie below high limits: {self!r}")

    @classmethod
    def of(cls, info: SensorInfo) -> Limits:
        """A catalog entry's limits; a bad entry has none (the value is shown, no level claimed).

        Raises nothing: a backend's broken catalog must not stop the wall.
        """
        try:
            return cls(info.warn, info.alarm, info.low_warn, info.low_alarm)
        except ThresholdError:
            return NO_LIMITS

    def level(self, value: float) -> Level:
        """Where ``value`` stands (NaN: normal, since nothing can be claimed about it)."""
        if (self.alarm is not None and value >= self.alarm) or (
            self.low_alarm is not None and value <= self.low_alarm
        ):
            return Level.ALARM
        if (self.warn is not None and value >= self.warn) or (self.low_warn is not None and value <= self.low_warn):
            return Level.WARNING
        return Level.NORMAL


    def is_low(self, value: float) -> bool:
        """Whether ``value`` is beyond a low limit (the tile says "LOW ALARM", not "HIGH")."""
        return (self.low_alarm is not None and value <= self.low_alarm) or (
            self.low_warn is not None and value <= self.low_warn
        )

    def lines(self) -> tuple[float, ...]:
        """The limits there are, for drawing."""
        return tuple(v for v in (self.warn, self.alarm, self.low_warn, self.low_alarm) if v is not None)


NO_LIMITS = Limits()


class LimitColumns:
    """Many sensors' limits as arrays (NaN: no limit), for the same rule over whole batches."""

    def __init__(self, limits: Sequence[Limits]) -> None:
        nan = float("nan")

        def col(name: str) -> npt.NDArray[np.float64]:
            return np.array([nan if (v := getattr(x, name)) is None else v for x in limits], dtype=np.float64)

        self.warn, self.alarm = col("warn"), col("alarm")
        self.low_warn, self.low_alarm = col("low_warn"), col("low_alarm")

    def alarm_mask(self, values: npt.NDArray[np.floating], idx: npt.NDArray[np.intp] | slice) -> npt.NDArray[np.bool_]:
        """Values at or beyond their alarm limits (NaN compares False: no alarm)."""
        return (values >= self.alarm[idx]) | (values <= self.low_alarm[idx])

    def warning_mask(self, values: npt.NDArray[np.floating], idx: npt.NDArray[np.intp] | slice) -> npt.NDArray[np.bool_]:
        """Values at or beyond their warning limits (alarms included)."""
        return (values >= self.warn[idx]) | (values <= self.low_warn[idx])

    def levels(self, values: npt.NDArray[np.floating], idx: npt.NDArray[np.intp] | slice) -> npt.NDArray[np.int8]:
        """:meth:`Limits.level` for every value at once (``Level`` values)."""
        alarm = self.alarm_mask(values, idx)
        warning = self.warning_mask(values, idx)
        return np.where(alarm, Level.ALARM, np.where(warning, Level.WARNING, Level.NORMAL)).astype(np.int8)
