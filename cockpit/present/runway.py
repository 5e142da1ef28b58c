"""One runway's view-models: a model per panel of its file, fed the same frame."""

from __future__ import annotations

from collections.abc import Callable

from cockpit.model.plans import PlanLibrary
from cockpit.present.context import Context
from cockpit.present.panels.bars import BarsModel
from cockpit.present.panels.card import CardModel
from cockpit.present.panels.dispatch import DispatchModel
from cockpit.present.panels.events import EventsModel
from cockpit.present.panels.history import HistoryModel
from cockpit.present.panels.loop import LoopModel
from cockpit.present.panels.map import MapModel
from cockpit.present.panels.profile import ProfileModel
from cockpit.present.panels.ranking import RankingModel
from cockpit.present.panels.runway_plan import RunwayPlanModel
from cockpit.present.panels.tiles import TilesModel
from cockpit.present.panels.timeline import TimelineModel
from cockpit.present.panels.trend import TrendModel
from cockpit.present.panels.video import VideoModel
from cockpit.present.runway_spec import Panel, PanelKind, RunwaySpec

PanelModel = (
    EventsModel
    | TilesModel
    | TrendModel
    | MapModel
    | DispatchModel
    | BarsModel
    | CardModel
    | ProfileModel
    | HistoryModel
    | RunwayPlanModel
    | LoopModel
    | RankingModel
    | TimelineModel
    | VideoModel
)


class RunwayModel:
    """The view-models of one runway, in the order of its file's panels.

    Args:
        spec: The runway file.
        ctx: Shared presentation state.
        plan_title: Plan type → its title (for the dispatch panel's plan actions).
        on_wall: Shown on a wall screen (key-size type: fewer words, no action row).
        plans: The plan files (a ``plan`` panel shows a recommended plan's tasks); None: none.
        desk: A runway's desk board (:func:`~cockpit.present.runway_spec.desk_board`): its title
            says so ("Traffic · details").
    """

    def __init__(
        self,
        spec: RunwaySpec,
        ctx: Context,
        plan_title: Callable[[str], str],
        on_wall: bool = True,
        plans: PlanLibrary | None = None,
        desk: bool = False,
    ) -> None:
        self.spec = spec
        self.ctx = ctx
        self.desk = desk
        self.title = spec.title_in(ctx.lang)
        if desk:
            self.title = ctx.translate("Runway", "{title} · details").format(title=self.title)
        self.plans = plans if plans is not None else PlanLibrary({}, [])
        self.panels: list[PanelModel] = [
            self._build(i, p, plan_title, on_wall) for i, p in enumerate(spec.panels)
        ]

    def _build(self, index: int, p: Panel, plan_title: Callable[[str], str], on_wall: bool) -> PanelModel:
        ctx, theme = self.ctx, self.spec.theme
        title = p.title.get(ctx.lang) or p.title.get("en", "")
        if p.kind is PanelKind.EVENTS:
            return EventsModel(p, ctx, title)
        if p.kind in (PanelKind.TILES, PanelKind.INDICATOR):
            return TilesModel(p, ctx)
        if p.kind is PanelKind.TREND:
            return TrendModel(p, ctx)
        if p.kind is PanelKind.MAP:
            return MapModel(p, ctx, label_severity=1 if on_wall else 2)
        if p.kind is PanelKind.VIDEO:
            return VideoModel(p, ctx, f"{self.spec.id}/{index}")
        if p.kind is PanelKind.DISPATCH:
            return DispatchModel(p, ctx, theme, self.title, on_wall, plan_title)
        if p.kind is PanelKind.BARS:
            return BarsModel(p, ctx)
        if p.kind is PanelKind.CARD:
            return CardModel(p, ctx, theme)
        if p.kind is PanelKind.PROFILE:
            return ProfileModel(p, ctx, theme)
        if p.kind is PanelKind.HISTORY:
            return HistoryModel(p, ctx)
        if p.kind is PanelKind.PLAN:
            return RunwayPlanModel(p, ctx, self.plans, theme)
        if p.kind is PanelKind.LOOP:
            return LoopModel(p, ctx)
        if p.kind is PanelKind.RANKING:
            return RankingModel(p, ctx)
        if p.kind is PanelKind.TIMELINE:
            return TimelineModel(p, ctx, theme)
        raise ValueError(f"panel kind {p.kind.value!r} has no view-model")
