"""The wall's state, worked out once per frame: what every screen says about what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.model.alarms import ConsoleScope
from cockpit.model.sla import load_sla_targets
from cockpit.present.alarms import AlarmsPresenter
from cockpit.present.frame import Liveness, Mode, ModeKind
from cockpit.present.i18n import untranslated
from cockpit.present.wall import WallPresenter
from cockpit.protocol.events import SnapshotReceived
from cockpit.protocol.link import ConnectionState
from cockpit.protocol.session import Counters
from tests.present.support import NOW, Feed, context
from widgets.values import LinkLevel


@dataclass
class Link:
    """The data source's surface the wall reads (what FeedClient and ReplaySource both carry)."""

    state: ConnectionState = ConnectionState.LIVE
    url: str = "ws://backend"
    counters: Counters = field(default_factory=Counters)
    last_rx_wall_ms: int = NOW
    epoch_changed_at: int = 0
    refused: str = ""


def presenter(feed: Feed, link: Link) -> WallPresenter:
    ctx = context()
    alarms = AlarmsPresenter(ConsoleScope("console"), ctx.book, untranslated)
    wall = WallPresenter(feed.situation, link, alarms, ["overview", "\0console"], load_sla_targets(), untranslated)
    feed.situation.clock_offset_ms = 0
    wall.restart_cadence(1000.0)
    return wall


def test_live_says_live_and_nothing_else_does() -> None:
    feed = Feed()
    link = Link()
    wall = presenter(feed, link)
    tick = wall.frame(NOW, 1000.0)
    assert tick.wall.liveness is Liveness.LIVE and tick.wall.link.label == "Live"
    for state in (ConnectionState.STALE, ConnectionState.OFFLINE, ConnectionState.CONNECTING, ConnectionState.RESYNCING):
        link.state = state
        tick = wall.frame(NOW, 1001.0)
        assert tick.wall.link.label != "Live" and not tick.wall.liveness.current
    link.state = ConnectionState.LIVE
    wall.mode = Mode(ModeKind.REPLAY, position_ms=NOW, speed=1.0)
    tick = wall.frame(NOW, 1002.0)
    assert tick.wall.liveness is Liveness.REPLAY
    assert (tick.wall.link.label, tick.wall.link.level) == ("Replay ×1", LinkLevel.NOT_LIVE)
    wall.mode = Mode(ModeKind.REPLAY, paused=True, position_ms=NOW)
    assert wall.frame(NOW, 1003.0).wall.link.label == "Replay paused"
    wall.mode = Mode(ModeKind.DRILL)
    assert wall.frame(NOW, 1004.0).wall.link.label == "Drill running"


def test_a_paused_drill_stands_still_and_says_so() -> None:
    """Issue 14 case 6: "Live" beside "STALE 29 s", and the SLA breach count rising during the pause."""
    feed = Feed()
    feed.apply(feed.event("fire", severity=1, theme="fire", type="fire", age_s=600))
    wall = presenter(feed, Link())
    wall.mode = Mode(ModeKind.DRILL, paused=True)
    first = wall.frame(NOW, 1000.0)
    assert first.wall.liveness is Liveness.DRILL_PAUSED
    assert (first.wall.link.label, first.wall.link.level) == ("Drill paused", LinkLevel.NOT_LIVE)
    assert first.wall.sla.startswith("SLA ✕1 · Fire alarm +"), first.wall.sla
    later = [wall.frame(NOW + 25_000 + i * 500, 1025.0 + i * 0.5) for i in range(3)]
    assert all(t.wall.server_now_ms == first.wall.server_now_ms for t in later), "the drill clock stands still"
    assert [t.wall.sla for t in later] == [first.wall.sla] * 3, "the SLA escalation does not grow in a pause"
    wall.mode = Mode(ModeKind.DRILL)
    resumed = wall.frame(NOW + 30_000, 1031.0)
    assert resumed.wall.server_now_ms == NOW + 30_000


def test_not_current_carries_as_of_and_pinned_follow_the_display_rule() -> None:
    feed = Feed()
    feed.apply(
        feed.event("p1", severity=1, age_s=10),
        feed.event("p2-cleared", severity=2, active=False, age_s=20),
        feed.event("acked", severity=1, state="acknowledged"),
        feed.event("sev3", severity=3),
    )
    link = Link()
    wall = presenter(feed, link)
    tick = wall.frame(NOW, 1000.0)
    assert [r.id for r in tick.wall.pinned] == ["p1", "p2-cleared"]
    assert tick.wall.as_of == ""
    link.state = ConnectionState.OFFLINE
    tick = wall.frame(NOW + 5000, 1005.0)
    assert tick.wall.as_of.startswith("as of "), "what is shown says since when it is not live"


def test_a_backend_restart_without_state_leaves_no_ghost_alarm() -> None:
    """Issue 14 case 2: after an epoch change the console kept its 10 old alarms while "Live"."""
    feed = Feed()
    old = tuple(feed.event(f"old-{i}", severity=2) for i in range(10))
    feed.situation.apply([SnapshotReceived("events", "epoch-A", 10, old)])
    wall = presenter(feed, Link())
    wall.frame(NOW, 1000.0)
    assert len(wall.alarms.views) == 10
    fresh = (feed.event("new-1", severity=2),)
    feed.situation.apply([SnapshotReceived("events", "epoch-B", 1, fresh)])
    wall.frame(NOW + 1000, 1001.0)
    assert [v.record.id for v in wall.alarms.views] == ["new-1"]
    # A resync in the same epoch that drops an event drops its alarm too.
    feed.situation.apply([SnapshotReceived("events", "epoch-B", 2, ())])
    wall.frame(NOW + 2000, 1002.0)
    assert wall.alarms.views == []


def test_the_wall_escalates_a_late_open_event_and_forgets_it_once_resolved() -> None:
    feed = Feed()
    wall = presenter(feed, Link())
    feed.apply(feed.event("late", severity=1, type="fire", age_s=3600))
    assert wall.frame(NOW, 1000.0).wall.sla.startswith("SLA ✕1 · Fire alarm +")
    feed.apply(feed.event("late", severity=1, type="fire", age_s=3600, state="resolved"))
    assert wall.frame(NOW + 600, 1000.6).wall.sla == "", "a resolved event is late no more"


def test_the_link_colour_never_calms_while_the_data_gets_older() -> None:
    """Stalled backend: red 'Stale' at 2 s must not turn amber 'Connecting' at 20 s while the data
    is 20 s old (officer review, kill -STOP); a quick reconnect right after live stays amber."""
    feed = Feed()
    link = Link()
    wall = presenter(feed, link)
    assert wall.frame(NOW, 1000.0).wall.link.level is LinkLevel.OK
    link.state = ConnectionState.CONNECTING
    assert wall.frame(NOW + 2_000, 1002.0).wall.link.level is LinkLevel.DEGRADED, "a quick reconnect"
    link.state = ConnectionState.STALE
    assert wall.frame(NOW + 4_000, 1004.0).wall.link.level is LinkLevel.DOWN
    link.state = ConnectionState.CONNECTING
    assert wall.frame(NOW + 20_000, 1020.0).wall.link.level is LinkLevel.DOWN, "still no data: still red"
    link.state = ConnectionState.LIVE
    assert wall.frame(NOW + 21_000, 1021.0).wall.link.level is LinkLevel.OK
