"""A ``ranking`` panel: areas ranked by their five-colour handling rating (1 best … 5 worst).

The ratings are sensors the selector picks (``handling_rating``, ``rating``: 1..5); each row is an
area, named by the sensor's own name (a street) or its district, with its place in the league (1:
the best). Listed worst first: a wall panel may not hold every area, and the ones that need the
centre's attention must be on it. A rating without a current reading is listed last, grey, "no
data". The colour always comes with its words ("4 · Orange").
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.thresholds import Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.i18n import QT_TRANSLATE_NOOP
from cockpit.present.panels.readings import reading
from cockpit.present.panels.scope import sensors_matching
from cockpit.present.runway_spec import Panel
from widgets.values import RankRow, TileLevel

MAX_ROWS = 16
COLOURS = (
    QT_TRANSLATE_NOOP("Ranking", "Green"),
    QT_TRANSLATE_NOOP("Ranking", "Blue"),
    QT_TRANSLATE_NOOP("Ranking", "Yellow"),
    QT_TRANSLATE_NOOP("Ranking", "Orange"),
    QT_TRANSLATE_NOOP("Ranking", "Red"),
)
"""The five colours of a rating, 1 … 5 (as the map's area ratings, widgets/map_view.py)."""


@dataclass(frozen=True, slots=True)
class RankingState:
    rows: tuple[RankRow, ...]
    empty: str = ""


class RankingModel:
    """One ranking.

    Args:
        spec: The runway file's panel (its ``sensors`` selector).
        ctx: Shared presentation state.
    """

    def __init__(self, spec: Panel, ctx: Context) -> None:
        self.spec = spec
        self.ctx = ctx
        self._last: RankingState | None = None

    def update(self, situation: Situation, frame: Frame) -> RankingState | None:
        ch = frame.changes
        if not (frame.slow or ch.catalog or ch.names):
            return None
        state = self._state(situation, frame)
        if state == self._last:
            return None
        self._last = state
        return state

    def _state(self, situation: Situation, frame: Frame) -> RankingState:
        t, names = self.ctx.translate, self.ctx.names
        infos = situation.sensors.infos
        rated: list[tuple[int, str]] = []
        unrated: list[str] = []
        for row in sensors_matching(situation, self.spec.sensors):
            info = infos[row]
            label = names.own_name(info) or names.district(info.district)
            r = reading(situation, frame, row, Limits.of(info))
            if r.value is None or r.level is TileLevel.STALE:
                unrated.append(label)
            else:
                rated.append((min(5, max(1, round(r.value))), label))
        rated.sort()
        rows = [
            RankRow(i + 1, label, rating, t("Ranking", "{n} · {colour}").format(n=rating, colour=t("Ranking", COLOURS[rating - 1])))
            for i, (rating, label) in enumerate(rated)
        ]
        rows.sort(key=lambda r: -(r.rating or 0))  # worst first; ties keep their league order
        rows += [RankRow(len(rows) + i + 1, label, None, t("Ranking", "no data")) for i, label in enumerate(unrated)]
        empty = "" if rows else t("Ranking", "No ratings from the backend")
        return RankingState(tuple(rows[:MAX_ROWS]), empty)
