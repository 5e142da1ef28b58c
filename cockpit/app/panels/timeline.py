"""A timeline panel: one event's closed loop step by step (widgets/loop_timeline.py); its click is
wired in wiring.py."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.timeline import TimelineModel, TimelineState
from widgets.loop_timeline import LoopTimelineWidget


class TimelinePanelView(PaintedPanelView):
    def __init__(self, model: TimelineModel, title: str) -> None:
        self.model = model
        self.timeline = LoopTimelineWidget()
        super().__init__("timeline", title, self.timeline)

    def show_state(self, state: TimelineState) -> None:
        self.timeline.set_timeline(state.title, state.steps, state.deadline, state.severity)
