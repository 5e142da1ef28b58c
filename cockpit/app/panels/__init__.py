"""The Qt side of each runway panel: a widget, and a ``show_state`` that puts its view-model's
state on it. No signal is connected here (cockpit/app/wiring.py does that)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cockpit.app.panels.bars import BarsPanelView
from cockpit.app.panels.base import PanelFrame
from cockpit.app.panels.card import CardPanelView
from cockpit.app.panels.dispatch import DispatchPanelView
from cockpit.app.panels.events import EventsPanelView
from cockpit.app.panels.history import HistoryPanelView
from cockpit.app.panels.loop import LoopPanelView
from cockpit.app.panels.map import MapPanelView
from cockpit.app.panels.plan import PlanPanelView
from cockpit.app.panels.profile import ProfilePanelView
from cockpit.app.panels.ranking import RankingPanelView
from cockpit.app.panels.tiles import TilesPanelView
from cockpit.app.panels.timeline import TimelinePanelView
from cockpit.app.panels.trend import TrendPanelView
from cockpit.app.panels.video import VideoPanelView
from cockpit.app.site_map import SiteMap
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
from cockpit.present.runway import PanelModel

PanelView = (
    EventsPanelView
    | TilesPanelView
    | TrendPanelView
    | MapPanelView
    | DispatchPanelView
    | BarsPanelView
    | CardPanelView
    | ProfilePanelView
    | HistoryPanelView
    | PlanPanelView
    | LoopPanelView
    | RankingPanelView
    | TimelinePanelView
    | VideoPanelView
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Panels", text)


def build_view(
    model: PanelModel,
    lang: str,
    site_map: SiteMap,
    center: tuple[float, float, float] | None,
    desk: bool = False,
) -> PanelView:
    """The widget for one panel's view-model (``desk``: on a desk board, read at the desk: an
    events panel is the desk's table, not the wall's few large rows)."""
    spec = model.spec
    title = spec.title.get(lang) or spec.title.get("en", "")
    if isinstance(model, EventsModel):
        return EventsPanelView(model, narrow=spec.at[2] < 6, wall=not desk)
    if isinstance(model, TilesModel):
        return TilesPanelView(model, title)
    if isinstance(model, TrendModel):
        return TrendPanelView(model, title)
    if isinstance(model, MapModel):
        return MapPanelView(model, title, site_map, center, tr("not live"))
    if isinstance(model, DispatchModel):
        return DispatchPanelView(model, title)
    if isinstance(model, VideoModel):
        return VideoPanelView(model, title)
    if isinstance(model, BarsModel):
        return BarsPanelView(model, title)
    if isinstance(model, CardModel):
        return CardPanelView(model, title)
    if isinstance(model, ProfileModel):
        return ProfilePanelView(model, title)
    if isinstance(model, HistoryModel):
        return HistoryPanelView(model, title)
    if isinstance(model, RunwayPlanModel):
        return PlanPanelView(model, title)
    if isinstance(model, LoopModel):
        return LoopPanelView(model, title)
    if isinstance(model, RankingModel):
        return RankingPanelView(model, title)
    if isinstance(model, TimelineModel):
        return TimelinePanelView(model, title)
    raise TypeError(f"no view for {type(model).__name__}")


__all__ = [
    "BarsPanelView",
    "CardPanelView",
    "DispatchPanelView",
    "EventsPanelView",
    "HistoryPanelView",
    "LoopPanelView",
    "MapPanelView",
    "PanelFrame",
    "PanelView",
    "PlanPanelView",
    "ProfilePanelView",
    "RankingPanelView",
    "TilesPanelView",
    "TimelinePanelView",
    "TrendPanelView",
    "VideoPanelView",
    "build_view",
]
