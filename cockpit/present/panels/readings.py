"""One sensor's current reading and where it stands, as every panel of the later kinds shows it.

The rule is the model's (:class:`cockpit.model.thresholds.Limits`); what makes a value not current
is the wall's (a link that is not live, a value past its time to live): then it is grey, whatever it
reads, and never in live colours.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.thresholds import Level, Limits
from cockpit.present.frame import Frame
from widgets.values import TileLevel

LEVELS = {Level.NORMAL: TileLevel.NORMAL, Level.WARNING: TileLevel.WARNING, Level.ALARM: TileLevel.ALARM}


@dataclass(frozen=True, slots=True)
class Reading:
    value: float | None
    level: TileLevel
    low: bool = False
    """Beyond a lower limit (dissolved oxygen under 5 mg/L) rather than an upper one."""


def reading(situation: Situation, frame: Frame, row: int | None, limits: Limits) -> Reading:
    """The reading of sensor ``row`` now: no data, stale (grey), or its value and level."""
    table = situation.sensors
    if row is None or row >= len(table) or int(table.ts[row]) == 0:
        return Reading(None, TileLevel.NO_DATA)
    value = float(table.values[row])
    if value != value:  # NaN: the sensor said it has no value
        return Reading(None, TileLevel.NO_DATA)
    if not frame.current or frame.server_now_ms > int(table.stale_at[row]):
        return Reading(value, TileLevel.STALE)
    return Reading(value, LEVELS[limits.level(value)], limits.is_low(value))


def fmt(value: float | None, decimals: int, unit: str = "") -> str:
    """ "62 %", "4.3 mg/L", "—" for no value."""
    if value is None:
        return "—"
    text = f"{value:.{decimals}f}"
    if not unit:
        return text
    return f"{text} {unit}" if unit != "%" else f"{text} %"
