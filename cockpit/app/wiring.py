"""Builds the cockpit and makes every signal connection in one place.

Data flows one way: feed → model → (per frame) presenter → widgets. User intent flows back as
widget signals → presenter → feed outbox.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from cockpit.app.commands import CommandTracker
from cockpit.app.presenter import LinkStatus, WallPresenter
from cockpit.app.wall_window import WallWindow
from cockpit.feed import FeedClient, FeedEvent, Identity, StateChanged
from cockpit.model import Situation

log = logging.getLogger(__name__)

FRAME_MS = 33
"""The wall's steady frame period (about 30 Hz): the model is read once per frame, never per message."""

DEFAULT_VITALS = [
    "jiangbei-water_level-001",
    "jiangbei-rain_gauge-001",
    "nanan-pipe_pressure-001",
    "yuzhong-road_speed-001",
    "shapingba-fire_terminal-001",
    "yuzhong-water_level-002",
]


class LinkSignals(QObject):
    """Qt face of the feed's state, for widgets and logs that want a signal.

    Signals:
        link_changed(str, str): the connection state's name and its detail.
    """

    link_changed = Signal(str, str)


class Cockpit:
    """The whole first wall: model, feed, window, presenter and their connections.

    Args:
        urls: Backend websocket URLs.
        identity: Who is at the console.
        runway: Name of the runway this window shows (used for screenshots).
    """

    def __init__(self, urls: Sequence[str], identity: Identity, runway: str = "overview") -> None:
        self.situation = Situation()
        self.tracker = CommandTracker()
        self.signals = LinkSignals()
        self.feed = FeedClient(urls, identity, self._on_feed_events)
        self.window = WallWindow(runway, tiles=len(DEFAULT_VITALS))
        self.presenter = WallPresenter(
            self.window,
            self.situation,
            self.tracker,
            self._link_status,
            self.feed.send_command,
            DEFAULT_VITALS,
        )
        self.timer = QTimer(self.window)  # dies with the window, never ticks on deleted widgets
        self.timer.setInterval(FRAME_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        p, w = self.presenter, self.window
        w.events.selection_changed.connect(p._on_events_selection_changed)
        w.events.acknowledge_requested.connect(p._on_events_acknowledge_requested)
        w.dispatch.dispatch_requested.connect(p._on_dispatch_dispatch_requested)
        self.timer.timeout.connect(p.frame)
        self.signals.link_changed.connect(self._on_link_changed)

    def _link_status(self) -> LinkStatus:
        silent = (
            (time.time_ns() // 1_000_000 - self.feed.last_rx_wall_ms) / 1000
            if self.feed.last_rx_wall_ms
            else 0.0
        )
        return LinkStatus(self.feed.state, self.feed.detail, self.feed.counters, self.feed.url, silent)

    def _on_feed_events(self, events: list[FeedEvent]) -> None:
        # Per frame of the feed, not per message: the model applies batches; painting waits for
        # the next tick of the frame timer.
        self.situation.apply(events)
        if self.tracker.apply(events):
            self.presenter.refresh_commands()
        for ev in events:
            if isinstance(ev, StateChanged):
                self.signals.link_changed.emit(ev.state.value, ev.detail)

    def _on_link_changed(self, state: str, detail: str) -> None:
        log.debug("link %s: %s", state, detail)  # the feed itself logs changes at INFO

    def start(self) -> None:
        """Start the feed and the frame timer (on the running qasync loop)."""
        self.feed.start()
        self.timer.start()

    async def stop(self) -> None:
        self.timer.stop()
        await self.feed.stop()
