"""An event list panel: the widget, and the view-model's state put on it."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker

from cockpit.app.panels.base import CURRENT_TITLE, STALE_TITLE, PanelFrame
from cockpit.present.panels.events import EventsModel, EventsState
from cockpit.present.wall_layout import WallType
from widgets.event_list import EventColumn, EventListView
from widgets.event_wall_list import EventWallList


class EventsPanelView(PanelFrame):
    """Shows an :class:`EventsModel`; its list's signals are connected by the wiring."""

    def __init__(self, model: EventsModel, narrow: bool, wall: bool = False) -> None:
        self.model = model
        # A runway's list is read from across the room: a few rows in large type (the wall list);
        # the console's is a table to work in.
        self.list: EventListView | EventWallList = EventWallList() if wall else EventListView()
        super().__init__("events", model.base_title, self.list)
        self.title.setVisible(True)
        # The state column already says who has acknowledged; narrow panels also drop dispatch
        # text so the event itself stays readable.
        self.list.set_column_visible(EventColumn.ACK, False)
        if narrow:
            self.list.set_column_visible(EventColumn.DISPATCH, False)

    def apply_wall_type(self, sizes: WallType) -> None:
        super().apply_wall_type(sizes)
        if isinstance(self.list, EventWallList):
            self.list.set_type_size(sizes.secondary_px)

    def content_min_height(self, width: int) -> int:
        # Two rows: an event and the count of the rest.
        return round(self.wall_sizes.secondary_px * 1.55 * 2) + 1 if self.wall_sizes else 0

    def set_current(self, current: bool, as_of: str) -> None:
        """The list's title says it in words (the view-model's); here only its colour follows."""
        style = CURRENT_TITLE if current else STALE_TITLE
        if style != self.title.styleSheet():
            self.title.setStyleSheet(style)

    def show_state(self, state: EventsState) -> None:
        if state.rows is not None:
            with QSignalBlocker(self.list):  # new rows are not the officer choosing a row
                self.list.set_rows(state.rows)
        if state.title is not None and state.title != self.title.text():
            self.title.setText(state.title)
        style = CURRENT_TITLE if state.current else STALE_TITLE
        if style != self.title.styleSheet():
            self.title.setStyleSheet(style)
        self.list.set_not_current("" if state.current else state.title or self.title.text())
        if state.selected and self.list.selected_event_id() != state.selected:
            # Model to view under a signal blocker: showing the selection is not the officer choosing.
            with QSignalBlocker(self.list):
                self.list.select_event(state.selected)
