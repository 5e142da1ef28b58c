"""A ``loop`` panel: the closed loop of a centre's work (shared/domain.md) made visible.

Five steps — found, routed, handled, reported back, evaluated — each with, for the shift and for
the day, how many reached it, the median time it took from the step before, and how many are late
against their deadline. The figures are the backend's indicators, sensors the selector picks that
carry ``attrs`` ``step`` (one of the five) and ``period`` (``shift`` or ``day``): kind
``loop_count``, ``loop_median`` (minutes) or ``loop_late``. Their limits colour the medians and the
late counts; the words say it too ("3 late").

With the indicators of several areas (a city wall), counts and late requests are added up and the
time shown is the median of the areas' medians.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from cockpit.model import Situation
from cockpit.model.thresholds import Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.i18n import QT_TRANSLATE_NOOP
from cockpit.present.panels.readings import reading
from cockpit.present.panels.scope import sensors_matching
from cockpit.present.runway_spec import Panel
from widgets.values import LoopCell, LoopStep, TileLevel

STEPS: tuple[tuple[str, str], ...] = (
    ("found", QT_TRANSLATE_NOOP("Loop", "Found")),
    ("routed", QT_TRANSLATE_NOOP("Loop", "Routed")),
    ("handled", QT_TRANSLATE_NOOP("Loop", "Handled")),
    ("reported", QT_TRANSLATE_NOOP("Loop", "Reported back")),
    ("evaluated", QT_TRANSLATE_NOOP("Loop", "Evaluated")),
)
"""The five steps of the closed loop, in order, with the cockpit's words for them."""
PERIODS: tuple[tuple[str, str], ...] = (
    ("shift", QT_TRANSLATE_NOOP("Loop", "This shift")),
    ("day", QT_TRANSLATE_NOOP("Loop", "Today")),
)
MEASURES = ("loop_count", "loop_median", "loop_late")


@dataclass(frozen=True, slots=True)
class LoopState:
    periods: tuple[str, ...]
    """The periods' names, in the order of each step's cells."""
    steps: tuple[LoopStep, ...]
    late_total: str
    """ "5 late today" — or "" when none is late."""
    empty: str = ""


@dataclass(slots=True)
class _Cell:
    counts: list[int] = field(default_factory=list)
    medians: list[int] = field(default_factory=list)
    late: list[int] = field(default_factory=list)


class LoopModel:
    """One closed-loop panel.

    Args:
        spec: The runway file's panel (its ``sensors`` selector).
        ctx: Shared presentation state.
    """

    def __init__(self, spec: Panel, ctx: Context) -> None:
        self.spec = spec
        self.ctx = ctx
        self.cells: dict[tuple[str, str], _Cell] = {}
        self.limits: dict[int, Limits] = {}
        self._key = (-1, -1)
        self._last: LoopState | None = None

    def update(self, situation: Situation, frame: Frame) -> LoopState | None:
        ch = frame.changes
        if not (frame.slow or ch.catalog or ch.names):
            return None
        self._bind(situation)
        state = self._state(situation, frame)
        if state == self._last:
            return None
        self._last = state
        return state

    def _bind(self, situation: Situation) -> None:
        table = situation.sensors
        key = (id(table), table.generation)
        if key == self._key:
            return
        self._key = key
        self.cells = {}
        self.limits = {}
        steps, periods = {s for s, _ in STEPS}, {p for p, _ in PERIODS}
        for row in sensors_matching(situation, self.spec.sensors):
            info = table.infos[row]
            step, period = info.attrs.get("step"), info.attrs.get("period")
            if step not in steps or period not in periods or info.kind not in MEASURES:
                continue
            cell = self.cells.setdefault((str(step), str(period)), _Cell())
            [cell.counts, cell.medians, cell.late][MEASURES.index(info.kind)].append(row)
            self.limits[row] = Limits.of(info)

    def _state(self, situation: Situation, frame: Frame) -> LoopState:
        t = self.ctx.translate
        steps = []
        late_day = 0
        for code, word in STEPS:
            cells = []
            for period, _ in PERIODS:
                cell = self.cells.get((code, period), _Cell())
                counts = self._read(situation, frame, cell.counts)
                medians = self._read(situation, frame, cell.medians)
                lates = self._read(situation, frame, cell.late)
                count = str(round(sum(v for v, _ in counts))) if counts else "—"
                if medians:
                    median = statistics.median(v for v, _ in medians)
                    median_text = t("Loop", "{n} min").format(n=f"{median:.0f}")
                    median_level = max((lv for _, lv in medians), key=_rank)
                else:
                    median_text, median_level = "—", TileLevel.NO_DATA
                late = round(sum(v for v, _ in lates)) if lates else None
                late_level = max((lv for _, lv in lates), key=_rank) if lates else TileLevel.NO_DATA
                if period == "day" and late:
                    late_day += late
                cells.append(LoopCell(count, median_text, median_level, late, late_level))
            steps.append(LoopStep(t("Loop", word), tuple(cells)))
        total = t("Loop", "{n} late today").format(n=late_day) if late_day else ""
        empty = "" if self.cells else t("Loop", "No closed-loop figures from the backend")
        return LoopState(tuple(t("Loop", w) for _, w in PERIODS), tuple(steps), total, empty)

    def _read(self, situation: Situation, frame: Frame, rows: list[int]) -> list[tuple[float, TileLevel]]:
        out = []
        for row in rows:
            r = reading(situation, frame, row, self.limits[row])
            if r.value is not None:
                out.append((r.value, r.level))
        return out


_ORDER = {TileLevel.NO_DATA: 0, TileLevel.NORMAL: 1, TileLevel.STALE: 2, TileLevel.WARNING: 3, TileLevel.ALARM: 4}


def _rank(level: TileLevel) -> int:
    return _ORDER[level]

