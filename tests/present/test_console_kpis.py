"""The console's alarm KPIs in words: "time in flood" is a share of the time actually watched."""

from __future__ import annotations

import re

from cockpit.model.alarms import ConsoleScope
from cockpit.model.plans import load_builtin_plans
from cockpit.model.sla import load_sla_targets
from cockpit.present.alarms import AlarmsPresenter
from cockpit.present.console import ConsoleModel
from tests.present.support import NOW, Feed, context

MIN = 60_000


def test_time_in_flood_is_over_the_minutes_watched_not_a_day() -> None:
    feed = Feed()
    ctx = context(situation=feed.situation)
    alarms = AlarmsPresenter(ConsoleScope("console", levels=frozenset({"district", "city"})), ctx.book, ctx.translate)
    console = ConsoleModel(ctx, alarms, "op", load_builtin_plans(), load_sla_targets())

    def at(now: int) -> str | None:
        frame = feed.frame(now=now)
        alarms.update(feed.situation, frame)  # the wall presenter does this first each frame
        state = console.update_alarms(feed.situation, frame)
        return state.kpis if state is not None else None

    at(NOW)
    # A flood: twelve alarms at once (more than ten in ten minutes, EEMUA 191).
    feed.apply(*(feed.event(f"a{i}", severity=2) for i in range(12)))
    at(NOW + 1000)
    kpis = at(NOW + 5 * MIN)
    assert kpis
    line = next(x for x in kpis.splitlines() if x.startswith("Time in flood"))
    pct = float(re.search(r"([\d.]+) %", line).group(1))  # type: ignore[union-attr]
    # In flood from the first second to the fifth minute: all of the 5 minutes watched, not 0.3 % of 24 h.
    assert pct >= 95, line
    assert "5 min" in line
