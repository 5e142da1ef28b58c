"""A card panel: one event and its facts (widgets/event_card.py); its click is wired in wiring.py."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.card import CardModel, CardState
from widgets.event_card import EventCardWidget


class CardPanelView(PaintedPanelView):
    def __init__(self, model: CardModel, title: str) -> None:
        self.model = model
        self.card = EventCardWidget()
        super().__init__("card", title, self.card)

    def show_state(self, state: CardState) -> None:
        self.card.set_card(state.card, state.placeholder)
