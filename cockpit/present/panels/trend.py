"""Trend curves of the sensors a selector names, against their warning and alarm lines."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cockpit.model import Situation
from cockpit.model.thresholds import Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame, Liveness
from cockpit.present.panels.scope import sensors_matching
from cockpit.present.panels.tiles import HISTORY_POINTS
from cockpit.present.runway_spec import Panel

MAX_SERIES = 6
TREND_WINDOW_S = 120.0


@dataclass(frozen=True, slots=True)
class LimitLine:
    value: float
    alarm: bool
    """An alarm limit (red); else a warning limit (amber)."""
    low: bool
    label: str


@dataclass(frozen=True, slots=True)
class TrendBinding:
    names: list[str]
    limits: list[LimitLine]
    unit: str = ""
    """The unit of every series, when they share one (the legend then names only the series)."""
    heading: str = ""
    """What every series is ("Water level"), said once before their names, when they are all of
    one kind and the panel has no title to say it."""


@dataclass(frozen=True, slots=True)
class TrendState:
    binding: TrendBinding | None
    series: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] | None
    """Per series: seconds before now, values (NaN: a gap, drawn as a gap)."""
    end: tuple[str, ...] | None = None
    """What the time axis's right edge is, longest form first: ``()`` for "now" (live, the only
    time it is now); a replay's recorded time or the drill's clock ("21:02:40",); ("paused 21:02:40",
    "paused") when that clock stands still (a paused drill or replay). ``None``: unchanged."""


class TrendModel:
    def __init__(self, spec: Panel, ctx: Context) -> None:
        self.spec = spec
        self.ctx = ctx
        self.rows: list[int] = []
        self._limits: list[Limits] = []
        self.history: list[deque[float]] = []
        self.times: list[deque[float]] = []
        self._liveness: Liveness | None = None

    def end_label(self, frame: Frame) -> tuple[str, ...]:
        """The right edge of the time axis in words (see :attr:`TrendState.end`)."""
        liveness = frame.wall.liveness
        if liveness.live:
            return ()
        at = time.strftime("%H:%M:%S", time.localtime(frame.server_now_ms / 1000))
        if liveness in (Liveness.DRILL_PAUSED, Liveness.REPLAY_PAUSED):
            t = self.ctx.translate
            return t("Trend", "paused {time}").format(time=at), t("Trend", "paused")
        return (at,)

    def update(self, situation: Situation, frame: Frame) -> TrendState | None:
        binding = self._bind(situation) if frame.changes.catalog or frame.changes.names else None
        # The edge's label changes with the clock: said once a second with the curves, and at once
        # when the wall's state changes (a drill paused, a replay started).
        moved, self._liveness = frame.wall.liveness is not self._liveness, frame.wall.liveness
        end = self.end_label(frame) if frame.sample or moved or binding is not None else None
        if not frame.sample or not self.rows:
            return TrendState(binding, None, end) if binding is not None or moved else None
        table = situation.sensors
        now = frame.server_now_ms / 1000
        out = []
        for i, row in enumerate(self.rows):
            fresh = (
                row < len(table)
                and int(table.ts[row])
                and frame.current
                and frame.server_now_ms <= int(table.stale_at[row])
            )
            if fresh:
                self.history[i].append(float(table.values[row]))
                self.times[i].append(now)
            elif self.history[i] and not np.isnan(self.history[i][-1]):
                # A gap (link down, stale value, backend restart) is drawn as a gap, never bridged.
                self.history[i].append(float("nan"))
                self.times[i].append(now)
            out.append((np.fromiter(self.times[i], dtype=np.float64) - now, np.fromiter(self.history[i], dtype=np.float64)))
        return TrendState(binding, out, end)

    def _bind(self, situation: Situation) -> TrendBinding | None:
        rows = sensors_matching(situation, self.spec.sensors)[:MAX_SERIES]
        infos = situation.sensors.infos
        limits = [Limits.of(infos[r]) for r in rows]
        if rows == self.rows and limits == self._limits:
            return None  # same sensors, same thresholds: keep the curves and their history
        self.rows, self._limits = rows, limits
        self.history = [deque(maxlen=HISTORY_POINTS) for _ in rows]
        self.times = [deque(maxlen=HISTORY_POINTS) for _ in rows]
        t = self.ctx.translate
        names, lines, drawn = [], [], set()
        shown = [infos[r] for r in rows]
        # Series of one kind ("Congestion index") are named by their place only, the kind said once
        # (by the panel's title, else before the names); one unit for all goes on the axis: on a
        # wall every character counts, and a name that does not fit is a line the room cannot name.
        kinds = {i.kind for i in shown}
        one_kind = len(kinds) == 1
        heading = self.ctx.names.sensor_kind(next(iter(kinds))) if one_kind and not self.spec.title else ""
        units = {i.unit for i in shown}
        unit = units.pop() if len(units) == 1 else ""
        for row, lim in zip(rows, limits, strict=True):
            info = infos[row]
            name = self.ctx.names.sensor(info, with_kind=not one_kind)
            names.append(name if unit or not info.unit else f"{name} ({info.unit})")
            for value, alarm, low, label in (
                (lim.warn, False, False, t("Trend", "warning {v}")),
                (lim.alarm, True, False, t("Trend", "alarm {v}")),
                (lim.low_warn, False, True, t("Trend", "low warning {v}")),
                (lim.low_alarm, True, True, t("Trend", "low alarm {v}")),
            ):
                if value is None or value in drawn:
                    continue
                drawn.add(value)
                lines.append(LimitLine(value, alarm, low, label.format(v=f"{value:g}")))
        return TrendBinding(names, lines, unit, heading)
