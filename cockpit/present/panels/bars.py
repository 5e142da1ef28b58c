"""A ``bars`` panel: each sensor its selector picks as a bar against its limits, the limits drawn as
lines across every bar ("Disposal sites' load against the 50 % line").

The scale is 0–100 for percentages, else from 0 to a little beyond the largest limit or value.
Names are the sensors' own where the backend gives them (a site, a community), else kind and place.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.thresholds import Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.readings import fmt, reading
from cockpit.present.panels.scope import sensors_matching
from cockpit.present.runway_spec import Panel
from widgets.values import Bar, Mark, TileLevel

MAX_BARS = 12
PAINT_PERIOD_S = 0.5
"""Twice a second: a bar's length is read across the room, not its last digit."""


@dataclass(frozen=True, slots=True)
class BarsState:
    marks: tuple[Mark, ...]
    """The limits of the first sensor (a panel shows sensors of one kind), drawn across every bar."""
    scale: tuple[float, float]
    bars: tuple[Bar, ...]


class BarsModel:
    """The bars of one panel.

    Args:
        spec: The runway file's panel (its ``sensors`` selector).
        ctx: Shared presentation state.
    """

    def __init__(self, spec: Panel, ctx: Context) -> None:
        self.spec = spec
        self.ctx = ctx
        self.rows: list[int] = []
        self.limits: list[Limits] = []
        self.labels: list[str] = []
        self.units: list[str] = []
        self.decimals: list[int] = []
        self.scale = (0.0, 100.0)
        self.marks: tuple[Mark, ...] = ()
        self._last: BarsState | None = None
        self._painted = 0.0

    def update(self, situation: Situation, frame: Frame) -> BarsState | None:
        ch = frame.changes
        bound = ch.catalog or ch.names or not self._painted
        if bound:
            self._bind(situation)
        now = time.monotonic()
        if not bound and not (frame.slow or (ch.sensors and now - self._painted >= PAINT_PERIOD_S)):
            return None
        self._painted = now
        bars = tuple(self._bar(situation, frame, i) for i in range(len(self.rows)))
        state = BarsState(self.marks, self.scale, bars)  # after the bars: a value may grow the scale
        if state == self._last:
            return None
        self._last = state
        return state

    def _bind(self, situation: Situation) -> None:
        infos = situation.sensors.infos
        sel = self.spec.sensors
        self.rows = sensors_matching(situation, sel)[: (sel.limit if sel is not None and sel.limit else MAX_BARS)]
        self.limits = [Limits.of(infos[r]) for r in self.rows]
        names = self.ctx.names
        titled = bool(self.spec.title)
        one_kind = titled and len({infos[r].kind for r in self.rows}) <= 1
        self.labels = [names.sensor(infos[r], with_kind=not one_kind) for r in self.rows]
        self.units = [infos[r].unit for r in self.rows]
        self.decimals = [names.decimals(infos[r].kind) for r in self.rows]
        t = self.ctx.translate
        marks: list[Mark] = []
        if self.limits:
            lim, unit = self.limits[0], self.units[0]
            for value, alarm in ((lim.warn, False), (lim.alarm, True), (lim.low_warn, False), (lim.low_alarm, True)):
                if value is None:
                    continue
                word = t("Bars", "alarm {v}") if alarm else t("Bars", "warning {v}")
                marks.append(Mark(value, word.format(v=fmt(value, 0 if value == int(value) else 1, unit)), alarm))
        top = max([m.value for m in marks] or [0.0])
        self.scale = (0.0, 100.0) if self.units and self.units[0] == "%" else (0.0, top * 1.25 if top > 0 else 0.0)
        self.marks = tuple(marks)

    def _bar(self, situation: Situation, frame: Frame, i: int) -> Bar:
        r = reading(situation, frame, self.rows[i], self.limits[i])
        if r.value is not None and r.value * 1.1 > self.scale[1]:
            self.scale = (self.scale[0], r.value * 1.25)  # a value beyond every limit still fits
        text = fmt(r.value, self.decimals[i], self.units[i])
        note = ""
        t = self.ctx.translate
        lim = self.limits[i]
        if r.level is TileLevel.ALARM:
            limit = lim.low_alarm if r.low else lim.alarm
            note = (t("Bars", "under {v}") if r.low else t("Bars", "over {v}")).format(v=fmt(limit, 0, self.units[i]))
        elif r.level is TileLevel.WARNING:
            limit = lim.low_warn if r.low else lim.warn
            note = (t("Bars", "under {v}") if r.low else t("Bars", "over {v}")).format(v=fmt(limit, 0, self.units[i]))
        elif r.level is TileLevel.STALE:
            note = t("Bars", "not current")
        elif r.level is TileLevel.NO_DATA:
            note = t("Bars", "no data")
        return Bar(self.labels[i], r.value, text, r.level, note)
