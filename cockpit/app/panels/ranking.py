"""A ranking panel: areas by their five-colour rating (widgets/ranking_list.py)."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.ranking import RankingModel, RankingState
from widgets.ranking_list import RankingListWidget


class RankingPanelView(PaintedPanelView):
    def __init__(self, model: RankingModel, title: str) -> None:
        self.model = model
        self.ranking = RankingListWidget()
        super().__init__("ranking", title, self.ranking)

    def show_state(self, state: RankingState) -> None:
        self.ranking.set_rows(state.rows, state.empty)
