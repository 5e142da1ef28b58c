"""Builds the cockpit and makes every signal connection in one place.

Data flows one way: feed → model → (once per frame) wall → runway panels → widgets. User intent
flows back as widget signals → panels → command sender → feed outbox.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from cockpit.app.commands import CommandTracker
from cockpit.app.names import counters_text
from cockpit.app.panels import CommandSender
from cockpit.app.runway_spec import load_runways, runway_files
from cockpit.app.wall import Wall
from cockpit.app.wall_layout import WallLayout, load_layout
from cockpit.feed import ConnectionState, FeedClient, FeedEvent, Identity
from cockpit.model import Situation
from widgets.geo import synthetic_risk_points
from widgets.status_bar import LinkLevel

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
RUNWAYS_DIR = ASSETS / "runways"
DEFAULT_LAYOUT = ASSETS / "walls" / "default.yaml"
RISK_POINTS = 330_000


def tr(text: str) -> str:
    return QCoreApplication.translate("Cockpit", text)


def state_label(state: ConnectionState) -> str:
    return {
        ConnectionState.CONNECTING: tr("Connecting"),
        ConnectionState.RESYNCING: tr("Resynchronising"),
        ConnectionState.LIVE: tr("Live"),
        ConnectionState.STALE: tr("Stale: no data"),
        ConnectionState.OFFLINE: tr("Offline"),
    }[state]


LINK_LEVEL = {
    ConnectionState.LIVE: LinkLevel.OK,
    ConnectionState.RESYNCING: LinkLevel.DEGRADED,
    ConnectionState.CONNECTING: LinkLevel.DEGRADED,
    ConnectionState.STALE: LinkLevel.DOWN,
    ConnectionState.OFFLINE: LinkLevel.DOWN,
}


@cache
def demo_risk_points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 330,000 synthetic risk points of the demo city (computed once)."""
    return synthetic_risk_points(RISK_POINTS, seed=0)


class Cockpit:
    """The whole cockpit: model, feed, runway wall, console and their connections.

    Args:
        urls: Backend websocket URLs.
        identity: Who is at the console.
        lang: Language of runway titles.
        runways_dir: Folder of runway files.
        layout: Wall layout; the default puts the five built-in runways on the first screens.
    """

    def __init__(
        self,
        urls: Sequence[str],
        identity: Identity,
        lang: str = "en",
        runways_dir: Path = RUNWAYS_DIR,
        layout: WallLayout | None = None,
        allow_insecure: bool = False,
    ) -> None:
        self.situation = Situation()
        self.tracker = CommandTracker()
        self.feed = FeedClient(urls, identity, self._on_feed_events, allow_insecure=allow_insecure)
        self.sender = CommandSender(self.tracker, self.feed.send_command, role=identity.role)
        loaded = load_runways(runway_files(runways_dir))
        for error in loaded.errors:
            log.error("runway refused: %s", error)
        self.wall = Wall(
            loaded.runways,
            loaded.errors,
            layout or load_layout(DEFAULT_LAYOUT),
            self.situation,
            self.sender,
            self._link,
            lang,
            demo_risk_points,
        )
        self.wall.operator = identity.operator

    def _link(self) -> tuple[ConnectionState, str, LinkLevel, str]:
        feed = self.feed
        detail = counters_text(feed.counters)
        silent = (time.time_ns() // 1_000_000 - feed.last_rx_wall_ms) / 1000 if feed.last_rx_wall_ms else 0.0
        why = {
            ConnectionState.CONNECTING: tr("connecting to {url}"),
            ConnectionState.RESYNCING: tr("catching up with {url}"),
            ConnectionState.STALE: tr("{url} silent for {s} s"),
            ConnectionState.OFFLINE: tr("cannot reach {url}; retrying"),
        }.get(feed.state)
        if why is not None:  # the technical reason is in the log; the wall says it in words
            detail = f"{why.format(url=feed.url, s=f'{silent:.0f}')} · {detail}"
        if feed.epoch_changed_at and time.time_ns() // 1_000_000 - feed.epoch_changed_at < 300_000:
            at = time.strftime("%H:%M:%S", time.localtime(feed.epoch_changed_at / 1000))
            notice = tr("backend restarted without its state at {time}; events reloaded").format(time=at)
            detail = f"{notice} · {detail}"
        return feed.state, state_label(feed.state), LINK_LEVEL[feed.state], detail

    def _on_feed_events(self, events: list[FeedEvent]) -> None:
        # Per feed frame, not per message: the model applies batches; the wall paints on its own
        # frame timer.
        self.situation.apply(events)
        if self.tracker.apply(events):
            self.wall.commands_changed()

    def start(self) -> None:
        """Start the feed and the frame timers (on the running qasync loop)."""
        self.feed.start()
        self.wall.start()

    async def stop(self) -> None:
        self.wall.stop()
        await self.feed.stop()
