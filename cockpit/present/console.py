"""The operator console's own view-models: its alarm list, every open event, the dispatch block for
the chosen event, the plan and SLA view, the dispatch board and the alarm KPIs in words."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.alarms import AlarmKpis, FloodState
from cockpit.model.plans import PlanLibrary
from cockpit.model.sla import SlaTargets
from cockpit.present.alarms import AlarmsPresenter
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.board import BoardModel
from cockpit.present.panels.dispatch import DispatchModel
from cockpit.present.panels.events import EventsModel
from cockpit.present.panels.plans import PlansModel
from cockpit.present.runway_spec import Panel, PanelKind
from widgets.values import AlarmRow

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class AlarmsState:
    rows: list[AlarmRow] | None
    selected: str
    ack_why_not: str
    shelve_why_not: str
    not_current: str
    kpis: str | None


class ConsoleModel:
    """Everything the console shows besides the runways held in its tabs.

    Args:
        ctx: Shared presentation state.
        alarms: The alarm board (the wall presenter updates it first each frame).
        operator: Who sits at the console.
        library: Plan files.
        targets: SLA targets.
    """

    def __init__(
        self, ctx: Context, alarms: AlarmsPresenter, operator: str, library: PlanLibrary, targets: SlaTargets
    ) -> None:
        self.ctx = ctx
        self.alarms = alarms
        self.plans = PlansModel(ctx, operator, library, targets)
        self.events = EventsModel(Panel(kind=PanelKind.EVENTS, at=(0, 0, 1, 1)), ctx, ctx.translate("Console", "Every open event"))
        self.dispatch = DispatchModel(
            Panel(kind=PanelKind.DISPATCH, at=(0, 0, 1, 1)), ctx, plan_title=lambda t: self.plans.title(t)
        )
        self.board = BoardModel(ctx)
        ctx.book.plan_title = self.plans.title
        self._alarms_seen = (-1, -1, "", "")
        self._not_current: str | None = None
        self._unnamed: str | None = None

    def update_unnamed(self, situation: Situation, frame: Frame) -> str | None:
        """On slow frames: the codes the wall shows as codes because no name came for them from the
        backend (nor, for a backend that sends no catalog, from the fallback vocabulary), in words;
        ``None`` when that did not change."""
        if not frame.slow:
            return None
        names = self.ctx.names
        text = names.unnamed_text(names.unnamed(situation))
        kept = max(situation.catalog.saved_at_ms, situation.layers.saved_at_ms)
        if kept:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(kept / 1000))
            old = self.ctx.translate(
                "Console", "Names and risk points as last received {when}, kept on disk: the backend has not sent them since"
            ).format(when=when)
            text = f"{old}\n{text}".strip()
        if text == self._unnamed:
            return None
        self._unnamed = text
        return text

    def update_alarms(self, situation: Situation, frame: Frame) -> AlarmsState | None:
        a = self.alarms
        rows = None
        ack, shelve = a.why_not_acknowledge(), a.why_not_shelve()
        selected, _ = self.ctx.selection.target(situation)
        seen = (a.generation, self.ctx.selection.generation, ack, shelve)
        if seen[0] != self._alarms_seen[0]:
            rows = a.rows()
        not_current = (
            ""
            if frame.current
            else self.ctx.translate("Console", "{as_of} · not live: alarms may be missing").format(as_of=frame.wall.as_of)
        )
        kpis = self.kpi_text(frame.server_now_ms) if frame.slow else None
        if seen == self._alarms_seen and not_current == self._not_current and kpis is None:
            return None
        self._alarms_seen, self._not_current = seen, not_current
        return AlarmsState(rows, selected or "", ack, shelve, not_current, kpis)

    def kpi_text(self, now_ms: int) -> str:
        """The console's alarm KPIs in words (EEMUA 191 figures in brackets), over the time actually
        watched: "time in flood" after five minutes is a share of five minutes, not of 24 hours."""
        k: AlarmKpis | None = self.alarms.kpis()
        flood: FloodState = self.alarms.flood
        t, names = self.ctx.translate, self.ctx.names
        if k is None:
            return ""
        observed = min(DAY_MS, self.alarms.observed_ms(now_ms))
        groups = " · ".join(f"{names.event_type(g.type)} ×{g.count} {names.district(g.district)}" for g in flood.groups[:3])
        lines = [
            t("Console", "Alarm rate: {n10} in the last 10 min (acceptable: ≤ 1), {nh} in the last hour (≤ 6)").format(
                n10=k.rate_10min, nh=k.rate_hour
            ),
            t("Console", "Time in flood: {pct:.1f} % of the {observed} watched").format(
                pct=k.time_in_flood_pct, observed=self.ctx.words.duration(observed)
            ),
            t("Console", "Flood now: {state}").format(
                state=t("Console", "yes, {n} alarms in 10 min: {groups}").format(n=flood.count, groups=groups)
                if flood.flooding
                else t("Console", "no")
            ),
            t("Console", "Top bad actors: {list}").format(
                list=", ".join(f"{src} ({n})" for src, n in k.bad_actors[:5]) or t("Console", "none")
            ),
            t("Console", "Chattering: {list}").format(
                list=", ".join(f"{tag} ({n}/min)" for tag, n in k.chattering[:5]) or t("Console", "none")
            ),
            t("Console", "Stale (active and unacknowledged over 24 h): {n}").format(n=len(k.stale)),
        ]
        return "\n".join(lines)

    def shelve_target(self, situation: Situation, event_id: str) -> str:
        ev = situation.events.get(event_id)
        if ev is None:
            return ""
        return self.ctx.translate("Console", "Shelve: {event} · {district}").format(
            event=self.ctx.names.event_type(ev.type, ev.title), district=self.ctx.names.district(ev.district)
        )
