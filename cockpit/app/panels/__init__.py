"""The Qt side of each runway panel: a widget, and a ``show_state`` that puts its view-model's
state on it. No signal is connected here (cockpit/app/wiring.py does that)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cockpit.app.panels.base import PanelFrame
from cockpit.app.panels.dispatch import DispatchPanelView
from cockpit.app.panels.events import EventsPanelView
from cockpit.app.panels.map import MapPanelView, RiskPoints
from cockpit.app.panels.tiles import TilesPanelView
from cockpit.app.panels.trend import TrendPanelView
from cockpit.app.panels.video import VideoPanelView
from cockpit.present.panels.dispatch import DispatchModel
from cockpit.present.panels.events import EventsModel
from cockpit.present.panels.map import MapModel
from cockpit.present.panels.tiles import TilesModel
from cockpit.present.panels.trend import TrendModel
from cockpit.present.panels.video import VideoModel
from cockpit.present.runway import PanelModel

PanelView = (
    EventsPanelView | TilesPanelView | TrendPanelView | MapPanelView | DispatchPanelView | VideoPanelView
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Panels", text)


def build_view(
    model: PanelModel,
    lang: str,
    center: tuple[float, float, float] | None,
    risk_points: RiskPoints | None,
) -> PanelView:
    """The widget for one panel's view-model."""
    spec = model.spec
    title = spec.title.get(lang) or spec.title.get("en", "")
    if isinstance(model, EventsModel):
        return EventsPanelView(model, narrow=spec.at[2] < 6)
    if isinstance(model, TilesModel):
        return TilesPanelView(model, title)
    if isinstance(model, TrendModel):
        return TrendPanelView(model, title, tr("seconds ago"))
    if isinstance(model, MapModel):
        return MapPanelView(model, title, lang, center, risk_points, tr("not live"))
    if isinstance(model, DispatchModel):
        return DispatchPanelView(model, title)
    if isinstance(model, VideoModel):
        return VideoPanelView(model, title)
    raise TypeError(f"no view for {type(model).__name__}")


__all__ = [
    "DispatchPanelView",
    "EventsPanelView",
    "MapPanelView",
    "PanelFrame",
    "PanelView",
    "TilesPanelView",
    "TrendPanelView",
    "VideoPanelView",
    "build_view",
]
