"""One runway's view-models: a model per panel of its file, fed the same frame."""

from __future__ import annotations

from collections.abc import Callable

from cockpit.present.context import Context
from cockpit.present.panels.dispatch import DispatchModel
from cockpit.present.panels.events import EventsModel
from cockpit.present.panels.map import MapModel
from cockpit.present.panels.tiles import TilesModel
from cockpit.present.panels.trend import TrendModel
from cockpit.present.panels.video import VideoModel
from cockpit.present.runway_spec import Panel, PanelKind, RunwaySpec

PanelModel = EventsModel | TilesModel | TrendModel | MapModel | DispatchModel | VideoModel


class RunwayModel:
    """The view-models of one runway, in the order of its file's panels.

    Args:
        spec: The runway file.
        ctx: Shared presentation state.
        plan_title: Plan type → its title (for the dispatch panel's plan actions).
        on_wall: Shown on a wall screen (key-size type: fewer words, no action row).
    """

    def __init__(
        self, spec: RunwaySpec, ctx: Context, plan_title: Callable[[str], str], on_wall: bool = True
    ) -> None:
        self.spec = spec
        self.ctx = ctx
        self.title = spec.title_in(ctx.lang)
        self.panels: list[PanelModel] = [
            self._build(i, p, plan_title, on_wall) for i, p in enumerate(spec.panels)
        ]

    def _build(self, index: int, p: Panel, plan_title: Callable[[str], str], on_wall: bool) -> PanelModel:
        ctx = self.ctx
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
            return DispatchModel(p, ctx, self.spec.theme, self.title, on_wall, plan_title)
        raise ValueError(f"panel kind {p.kind.value!r} has no view-model")
