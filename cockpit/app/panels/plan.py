"""A plan panel: the runway's event's plan as a checklist (widgets/task_checklist.py)."""

from __future__ import annotations

from cockpit.app.panels.base import PaintedPanelView
from cockpit.present.panels.runway_plan import RunwayPlanModel, RunwayPlanState
from widgets.task_checklist import TaskChecklistWidget


class PlanPanelView(PaintedPanelView):
    def __init__(self, model: RunwayPlanModel, title: str) -> None:
        self.model = model
        self.checklist = TaskChecklistWidget()
        super().__init__("plan", title, self.checklist)

    def show_state(self, state: RunwayPlanState) -> None:
        self.checklist.set_plan(state.title, state.status, state.tasks)
