"""A ``history`` panel: the days behind the sensors its selector picks, from the backend's history
(the ``series`` stream, protocol §5.11), with the current value at the right-hand end, against the
sensors' limits; every stretch out of range is marked with its length ("3 d 5 h under 5 mg/L").

A stretch counts when the values stay at or beyond a limit for at least :data:`MIN_SPAN_H` hours
(an hour's dip in the night is not an excursion); a gap (NaN) inside it does not end it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from cockpit.model import Situation
from cockpit.model.thresholds import Level, Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.readings import fmt, reading
from cockpit.present.panels.scope import sensors_matching
from cockpit.present.runway_spec import Panel
from widgets.values import Curve, Mark, Span, TileLevel

MAX_CURVES = 4
MIN_SPAN_H = 3.0
REFRESH_S = 30.0
"""The live end of each curve moves at most this often: a chart of days does not need more."""
HOUR_MS = 3_600_000


@dataclass(frozen=True, slots=True)
class HistoryState:
    days: int
    unit: str
    marks: tuple[Mark, ...]
    curves: tuple[Curve, ...]
    spans: tuple[Span, ...]
    ticks: tuple[tuple[float, str], ...] = ()
    """Local midnights in the window: hours before now and the date ("06-14")."""
    now_text: str = ""
    """The first curve's current value with its unit, for the chart's live end ("4.3 mg/L")."""
    empty: str = ""
    """Why there is nothing to draw ("No history from the backend"), or ""."""


def excursions(hours: np.ndarray, values: np.ndarray, limits: Limits, min_h: float = MIN_SPAN_H) -> list[tuple[float, float, bool, bool]]:
    """Stretches at or beyond a limit: (start, end, alarm reached, low) in the hours given.

    ``hours`` ascend; NaN values neither start nor end a stretch.
    """
    out: list[tuple[float, float, bool, bool]] = []
    start: float | None = None
    worst = Level.NORMAL
    low = False
    last = 0.0
    for h, v in zip(hours.tolist(), values.tolist(), strict=True):
        if math.isnan(v):
            continue
        level = limits.level(v)
        if level is not Level.NORMAL:
            if start is None:
                start, worst, low = h, level, limits.is_low(v)
            worst = max(worst, level)
            last = h
        elif start is not None:
            if last - start >= min_h:
                out.append((start, h, worst is Level.ALARM, low))
            start = None
    if start is not None and last - start >= min_h:
        out.append((start, last, worst is Level.ALARM, low))
    return out


class HistoryModel:
    """One history chart.

    Args:
        spec: The runway file's panel (``sensors`` and ``days``).
        ctx: Shared presentation state.
    """

    def __init__(self, spec: Panel, ctx: Context) -> None:
        self.spec = spec
        self.ctx = ctx
        self.rows: list[int] = []
        self._shown = -math.inf
        self._last: HistoryState | None = None

    def update(self, situation: Situation, frame: Frame, now_s: float | None = None) -> HistoryState | None:
        ch = frame.changes
        now = now_s if now_s is not None else frame.server_now_ms / 1000
        due = frame.slow and now - self._shown >= REFRESH_S
        if not (ch.catalog or ch.names or ch.series or ch.replaced or due or self._last is None):
            return None
        self._shown = now
        self.rows = sensors_matching(situation, self.spec.sensors)[:MAX_CURVES]
        state = self._state(situation, frame)
        if state == self._last:
            return None
        self._last = state
        return state

    def _state(self, situation: Situation, frame: Frame) -> HistoryState:
        t, names = self.ctx.translate, self.ctx.names
        infos = situation.sensors.infos
        now = frame.server_now_ms
        window_h = 24.0 * self.spec.days
        curves: list[Curve] = []
        spans: list[Span] = []
        limits = Limits.of(infos[self.rows[0]]) if self.rows else Limits()
        unit = infos[self.rows[0]].unit if self.rows else ""
        decimals = names.decimals(infos[self.rows[0]].kind) if self.rows else 1
        one_kind = len({infos[r].kind for r in self.rows}) <= 1 and bool(self.spec.title)
        for row in self.rows:
            info = infos[row]
            series = situation.series.get(info.id)
            if series is None:
                continue
            hours = (series.times_ms - now) / HOUR_MS
            values = series.values
            keep = hours >= -window_h
            hours, values = hours[keep], values[keep]
            live = reading(situation, frame, row, Limits.of(info))
            if live.value is not None and live.level is not TileLevel.STALE:
                hours, values = np.append(hours, 0.0), np.append(values, live.value)
            if not len(hours):
                continue
            label = names.sensor(info, with_kind=not one_kind)
            curves.append(Curve(label, tuple(hours.tolist()), tuple(values.tolist())))
            for start, end, alarm, low in excursions(hours, values, Limits.of(info)):
                limit = (limits.low_alarm if alarm else limits.low_warn) if low else (limits.alarm if alarm else limits.warn)
                words = t("History", "{length} under {limit}") if low else t("History", "{length} over {limit}")
                text = words.format(length=self._length(end - start), limit=fmt(limit, decimals if limit is not None and limit != int(limit) else 0, unit))
                if len(self.rows) > 1:
                    text = f"{label}: {text}"
                spans.append(Span(start, end, text, alarm))
        marks = []
        for value, alarm, word in (
            (limits.warn, False, t("History", "warning {v}")),
            (limits.alarm, True, t("History", "alarm {v}")),
            (limits.low_warn, False, t("History", "low warning {v}")),
            (limits.low_alarm, True, t("History", "low alarm {v}")),
        ):
            if value is not None:
                marks.append(Mark(value, word.format(v=fmt(value, 0 if value == int(value) else 1, unit)), alarm))
        empty = "" if curves else t("History", "No history from the backend")
        ticks = []
        local = time.localtime(now / 1000)
        midnight = now / 1000 - (local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec)
        for d in range(self.spec.days + 1):
            at = midnight - d * 86400
            hours_back = (at - now / 1000) / 3600
            if hours_back >= -window_h:
                ticks.append((hours_back, time.strftime("%m-%d", time.localtime(at))))
        now_text = ""
        if curves and curves[0].hours and curves[0].hours[-1] == 0.0:
            now_text = fmt(curves[0].values[-1], decimals, unit)
        return HistoryState(self.spec.days, unit, tuple(marks), tuple(curves), tuple(spans), tuple(ticks), now_text, empty)

    def _length(self, hours: float) -> str:
        t = self.ctx.translate
        whole = round(hours)
        days, rest = divmod(whole, 24)
        if days and rest:
            return t("History", "{d} d {h} h").format(d=days, h=rest)
        if days:
            return t("History", "{d} d").format(d=days)
        return t("History", "{h} h").format(h=rest)
