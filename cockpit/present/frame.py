"""What every view-model is handed once per painted frame, and the wall's state shared by all screens.

:class:`WallState` is worked out once per frame by :class:`~cockpit.present.wall.WallPresenter` and
given to every screen and the console alike: the link in words, whether what is shown is live,
the pinned alarms, the flood, the SLA escalation. A screen never works any of it out for itself, so
no two screens can disagree, and none reads another's state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from cockpit.model import ChangeSet
from cockpit.model.alarms import FloodState
from widgets.values import AlarmRow, LinkLevel


class Liveness(enum.Enum):
    """What the wall is showing, as every screen must say it."""

    LIVE = "live"
    CONNECTING = "connecting"
    RESYNCING = "resyncing"
    STALE = "stale"
    OFFLINE = "offline"
    REPLAY = "replay"
    REPLAY_PAUSED = "replay_paused"
    DRILL = "drill"
    DRILL_PAUSED = "drill_paused"

    @property
    def current(self) -> bool:
        """The data is as current as its source allows: values and alarms in their own colours.

        A live link, a running drill's sandbox, a replay (each screen is marked as a replay). Not a
        link that is down, stale or catching up, and not a paused drill (its clock stands still).
        """
        return self in _CURRENT

    @property
    def live(self) -> bool:
        """The real city, now: the only state the word "Live" may be shown in."""
        return self is Liveness.LIVE


_CURRENT = frozenset({Liveness.LIVE, Liveness.REPLAY, Liveness.REPLAY_PAUSED, Liveness.DRILL})


class ModeKind(enum.Enum):
    LIVE = "live"
    REPLAY = "replay"
    DRILL = "drill"


@dataclass(frozen=True, slots=True)
class Mode:
    """What the cockpit is connected to, as the shell reports it each frame.

    Attributes:
        kind: The live city, a recording, or a drill's sandbox.
        paused: A replay or a drill stopped by the trainer.
        ended: A replay reached the end of its recording.
        position_ms: A replay's recorded time (Unix ms).
        speed: A replay's speed.
    """

    kind: ModeKind = ModeKind.LIVE
    paused: bool = False
    ended: bool = False
    position_ms: int = 0
    speed: float = 1.0


LIVE_MODE = Mode()


@dataclass(frozen=True, slots=True)
class LinkLine:
    """The status line every screen shows: the state in one word, its level, the data's age, why."""

    label: str
    level: LinkLevel
    age_s: float | None
    detail: str
    wall_detail: str = ""
    """The detail a wall screen shows: why the link is as it is and whether it records, without the
    desk's counters (message rates mean nothing from across the room)."""
    shows_age: bool = True
    """False where the data's age means nothing (a replay, a paused drill): the status shows none."""


@dataclass(frozen=True, slots=True)
class WallState:
    """What every screen shows alike, worked out once per frame (see the module docstring)."""

    liveness: Liveness
    link: LinkLine
    server_now_ms: int
    """The clock the situation runs on: the server's, a replay's recorded time, or a drill's clock
    (which stands still while the drill is paused)."""
    as_of: str = ""
    """ "as of 14:03:22" when what is shown is not current; "" when it is."""
    pinned: tuple[AlarmRow, ...] = ()
    flood: FloodState = field(default_factory=lambda: FloodState(False, 0))
    flood_groups: str = ""
    sla: str = ""
    marking: str = ""
    """The band on every screen when this is not the live city (REPLAY …, DRILL …); "" when live."""


@dataclass(slots=True)
class Frame:
    """What every view-model gets once per painted frame."""

    changes: ChangeSet
    wall: WallState
    sample: bool
    """True once a second for this screen: time to add a point to trends and sparklines."""
    slow: bool
    """True twice a second for this screen: time to refresh ages and texts that change with the clock."""

    @property
    def current(self) -> bool:
        return self.wall.liveness.current

    @property
    def server_now_ms(self) -> int:
        return self.wall.server_now_ms
