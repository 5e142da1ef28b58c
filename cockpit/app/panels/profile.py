"""A profile panel: a river's stations and what drifts on it (widgets/river_profile.py)."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.profile import ProfileModel, ProfileState
from widgets.river_profile import RiverProfileWidget


class ProfilePanelView(PaintedPanelView):
    def __init__(self, model: ProfileModel, title: str) -> None:
        self.model = model
        self.profile = RiverProfileWidget()
        super().__init__("profile", title, self.profile)

    def show_state(self, state: ProfileState) -> None:
        self.profile.set_profile(state.span, state.marks, state.unit, state.stations, state.drifts, state.empty)
