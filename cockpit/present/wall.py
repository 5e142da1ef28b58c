"""Once per painted frame: the model's changes, the link in words and the wall's shared state.

:class:`WallPresenter` takes the situation's changes once for the whole wall, brings the console's
alarm board up to date first (the flood line on every screen comes from it, in the same frame),
and works out one :class:`~cockpit.present.frame.WallState` that every screen and the console are
handed. Nothing here knows Qt; the shell's frame timer calls :meth:`WallPresenter.frame`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from cockpit.model import ChangeSet, Situation
from cockpit.model.alarms import AlarmDisplayState, FloodState, display_state
from cockpit.model.sla import SlaTargets, breached, sla_timers
from cockpit.present.alarms import AlarmsPresenter
from cockpit.present.cadence import SLOW_S, Cadence, Due
from cockpit.present.frame import Frame, LinkLine, Liveness, Mode, ModeKind, WallState
from cockpit.present.i18n import Translate
from cockpit.present.words import Words
from cockpit.protocol.link import ConnectionState
from cockpit.protocol.session import Counters
from cockpit.service.health import OfflineClock
from widgets.values import AlarmDisplay, AlarmRow, LinkLevel, Severity

PINNED_SEVERITIES = (1, 2)
"""Unacknowledged alarms of these levels are pinned in the banner of every screen."""
EPOCH_NOTICE_MS = 300_000
"""How long the status line says the backend restarted without its state."""
OFFLINE_SINCE_AFTER_S = 10.0
"""A link not live for longer than this says since when (a reconnect's blink does not)."""


class LinkSource(Protocol):
    """What the wall reads of its data source: the live feed and a replay alike."""

    state: ConnectionState
    url: str
    counters: Counters
    last_rx_wall_ms: int
    epoch_changed_at: int
    refused: str


@dataclass(frozen=True, slots=True)
class Tick:
    """One painted frame: the changes and the wall's state shared by all, and each screen's own
    moments (slow, sample)."""

    changes: ChangeSet
    wall: WallState
    due: dict[str, Due]

    def frame_for(self, screen: str) -> Frame:
        d = self.due[screen]
        return Frame(self.changes, self.wall, d.sample, d.slow)


class WallPresenter:
    """The wall's shared state, once per frame.

    Args:
        situation: The model.
        link: The data source (feed or replay).
        alarms: The console's alarm board.
        screens: The names of the screens (runway ids and the console), for their cadence.
        sla_targets: SLA targets.
        translate: The translator.
        recording_text: The recording's status in words ("" when there is nothing to say).
    """

    def __init__(
        self,
        situation: Situation,
        link: LinkSource,
        alarms: AlarmsPresenter,
        screens: Sequence[str],
        sla_targets: SlaTargets,
        translate: Translate,
        recording_text: Callable[[], str] = lambda: "",
    ) -> None:
        self.situation = situation
        self.link = link
        self.alarms = alarms
        self.sla_targets = sla_targets
        self.translate = translate
        self.names = alarms.names
        self.words = Words(translate)
        self.recording_text = recording_text
        self.mode = Mode()
        self.marking = ""
        """The band text for a replay or drill (set by the shell's mode controls)."""
        self.cadence = Cadence(list(screens), time.monotonic())
        self.newest_ts = 0
        self.state: WallState | None = None
        self._shared: tuple[tuple[AlarmRow, ...], str, str] = ((), "", "")
        self._shared_at = -SLOW_S
        self._shared_dirty = True
        self._paused_at: int | None = None
        self.offline = OfflineClock(time.time())
        """Since when the link has not been live (the status lines, cockpit status and metrics say it)."""

    def restart_cadence(self, now: float) -> None:
        self.cadence = Cadence(self.cadence.names, now)

    # ---------------------------------------------------------------------------- per frame

    def frame(self, wall_ms: int, monotonic_s: float) -> Tick:
        """Take the model's changes (once for the whole wall) and work out the wall's state at
        ``wall_ms`` (Unix ms); ``monotonic_s`` places each screen's periodic work."""
        situation = self.situation
        changes = situation.take_changes()
        self.newest_ts = max(self.newest_ts, changes.newest_ts)
        due = self.cadence.due(monotonic_s)
        any_slow = any(d.slow for d in due.values())
        liveness = self._liveness()
        now = self._server_now(wall_ms, liveness)
        # The console's alarms first: the flood line of every screen is read from them below.
        probe = Frame(changes, WallState(liveness, LinkLine("", LinkLevel.DOWN, None, ""), now), False, any_slow)
        self.alarms.update(situation, probe)
        self._shared_dirty |= bool(
            changes.events or changes.replaced or changes.plans or changes.dispatches or changes.names
        )
        if any_slow and (self._shared_dirty or monotonic_s - self._shared_at >= SLOW_S):
            flood = self.alarms.flood
            self._shared = (self._pinned(now), self._sla_text(now), self._flood_groups(flood) if flood.flooding else "")
            self._shared_at, self._shared_dirty = monotonic_s, False
        pinned, sla, groups = self._shared
        # The data's age at the instant shown: now for a live link, the recorded instant for a replay.
        age = (now - self.newest_ts) / 1000 if self.newest_ts else None
        as_of = ""
        if not liveness.current:
            as_of = (
                self.translate("Wall", "as of {time}").format(
                    time=time.strftime("%H:%M:%S", time.localtime(self.newest_ts / 1000))
                )
                if self.newest_ts
                else self.translate("Wall", "no data yet")
            )
        state = WallState(
            liveness=liveness,
            link=self._link_line(liveness, age, wall_ms),
            server_now_ms=now,
            as_of=as_of,
            pinned=pinned,
            flood=self.alarms.flood,
            flood_groups=groups,
            sla=sla,
            marking=self.marking,
        )
        self.state = state
        return Tick(changes, state, due)

    # ---------------------------------------------------------------------------- parts

    def _liveness(self) -> Liveness:
        mode = self.mode
        if mode.kind is ModeKind.REPLAY:
            return Liveness.REPLAY_PAUSED if mode.paused or mode.ended else Liveness.REPLAY
        state = self.link.state
        if mode.kind is ModeKind.DRILL:
            if mode.paused:
                return Liveness.DRILL_PAUSED
            if state is ConnectionState.LIVE:
                return Liveness.DRILL
        return {
            ConnectionState.LIVE: Liveness.LIVE,
            ConnectionState.CONNECTING: Liveness.CONNECTING,
            ConnectionState.RESYNCING: Liveness.RESYNCING,
            ConnectionState.STALE: Liveness.STALE,
            ConnectionState.OFFLINE: Liveness.OFFLINE,
        }[state]

    def _server_now(self, wall_ms: int, liveness: Liveness) -> int:
        """The situation's clock: a replay's recorded time; a paused drill's clock stands still (its
        SLA timers must not run on while the trainer holds the drill)."""
        if self.mode.kind is ModeKind.REPLAY and self.mode.position_ms:
            return self.mode.position_ms
        now = self.situation.server_now(wall_ms)
        if liveness is Liveness.DRILL_PAUSED:
            if self._paused_at is None:
                self._paused_at = now
            return self._paused_at
        if self._paused_at is not None:
            # The drill clock resumed where it stopped: the backend's clock says so from now on.
            self._paused_at = None
        return now

    def _link_line(self, liveness: Liveness, age: float | None, wall_ms: int) -> LinkLine:
        t, link = self.translate, self.link
        counters = self.names.counters(link.counters)
        mode = self.mode
        if liveness in (Liveness.REPLAY, Liveness.REPLAY_PAUSED):
            at = time.strftime("%H:%M:%S", time.localtime(mode.position_ms / 1000)) if mode.position_ms else ""
            if mode.ended:
                label = t("Wall", "Replay ended")
            elif mode.paused:
                label = t("Wall", "Replay paused")
            else:
                label = t("Wall", "Replay ×{speed:g}").format(speed=mode.speed)
            recorded = t("Wall", "recorded {time}; not live").format(time=at)
            # The wall's REPLAY band says the recorded time in key type; the status says not live.
            return LinkLine(label, LinkLevel.NOT_LIVE, None, recorded, t("Wall", "not live"), shows_age=False)
        if liveness is Liveness.DRILL_PAUSED:
            still = t("Wall", "the drill clock stands still; not live")
            return LinkLine(t("Wall", "Drill paused"), LinkLevel.NOT_LIVE, age, still, still, shows_age=False)
        state = link.state
        silent = (wall_ms - link.last_rx_wall_ms) / 1000 if link.last_rx_wall_ms else 0.0
        why = {
            ConnectionState.CONNECTING: t("Wall", "connecting to {url}"),
            ConnectionState.RESYNCING: t("Wall", "catching up with {url}"),
            ConnectionState.STALE: t("Wall", "{url} silent for {s} s"),
            ConnectionState.OFFLINE: t("Wall", "cannot reach {url}; retrying"),
        }.get(state)
        parts: list[str] = []
        if why is not None:  # the technical reason is in the log; the wall says it in words
            parts.append(why.format(url=link.url, s=f"{silent:.0f}"))
        since = self.offline.observe(state is ConnectionState.LIVE, wall_ms / 1000)
        if since is not None and wall_ms / 1000 - since >= OFFLINE_SINCE_AFTER_S:  # a long outage
            down = t("Wall", "not live since {time} ({duration})").format(
                time=time.strftime("%H:%M:%S", time.localtime(since)),
                duration=self.words.duration(int(wall_ms - since * 1000)),
            )
            parts.insert(0, down)
        if link.refused and state is not ConnectionState.LIVE:
            refused = t("Wall", "refused by {url}").format(url=link.url)
            parts = [f"{refused}: {self.words.refusal(link.refused)}"]
        if link.epoch_changed_at and wall_ms - link.epoch_changed_at < EPOCH_NOTICE_MS:
            at = time.strftime("%H:%M:%S", time.localtime(link.epoch_changed_at / 1000))
            parts.insert(0, t("Wall", "backend restarted without its state at {time}; events reloaded").format(time=at))
        recording = self.recording_text()
        if recording and state is ConnectionState.LIVE:  # first, so it is never elided
            parts.insert(0, recording)
        elif recording:  # the link's trouble comes first; recording status right after it
            parts.insert(1 if parts else 0, recording)
        detail = " · ".join([*parts, counters])
        # The room is told what is wrong; that recording runs (or is off by choice) is the desk's.
        wall_detail = " · ".join(p for p in parts if p != recording or recording.startswith("⚠"))
        if liveness is Liveness.DRILL:
            return LinkLine(t("Wall", "Drill running"), LinkLevel.NOT_LIVE, age, detail, wall_detail)
        level = {
            ConnectionState.LIVE: LinkLevel.OK,
            ConnectionState.RESYNCING: LinkLevel.DEGRADED,
            ConnectionState.CONNECTING: LinkLevel.DEGRADED,
            ConnectionState.STALE: LinkLevel.DOWN,
            ConnectionState.OFFLINE: LinkLevel.DOWN,
        }[state]
        if level is LinkLevel.DEGRADED and since is not None and wall_ms / 1000 - since >= OFFLINE_SINCE_AFTER_S:
            # Trying again after a long silence is no better than the silence: the colour never
            # calms while the data gets older (red "stale", then amber "connecting" misled).
            level = LinkLevel.DOWN
        return LinkLine(self.words.link_state(state), level, age, detail, wall_detail)

    def _pinned(self, now_ms: int) -> tuple[AlarmRow, ...]:
        """Unacknowledged alarms of the top two levels, most severe and newest first, for every
        banner: the model's display rule decides (shelved, suppressed and out-of-service ones are
        listed on the console, never pinned)."""
        rows = []
        for e in self.situation.open_events():
            if int(e.severity) not in PINNED_SEVERITIES:
                continue
            display = display_state(e, now_ms)
            if display not in (AlarmDisplayState.UNACKED_ACTIVE, AlarmDisplayState.UNACKED_CLEARED):
                continue
            rows.append(
                AlarmRow(
                    id=e.id,
                    severity=Severity(int(e.severity)),
                    time_text=time.strftime("%H:%M:%S", time.localtime(e.time_ms / 1000)),
                    source=self.names.district(e.district),
                    message=self.names.event_type(e.type, e.title),
                    active=e.active,
                    acknowledged=False,
                    display=AlarmDisplay(display.value),
                )
            )
        return tuple(rows)

    def _flood_groups(self, flood: FloodState, groups: int = 3) -> str:
        """The flood's largest groups, e.g. "Waterlogging ×5 Hill Town · Traffic jam ×3 Lakeside"."""
        return " · ".join(
            f"{self.names.event_type(g.type)} ×{g.count} {self.names.district(g.district)}" for g in flood.groups[:groups]
        )

    def _sla_text(self, server_now: int) -> str:
        """The wall-wide SLA escalation, e.g. "SLA ✕3 · Water-main burst +4 min"; "" when nothing is
        late. Only open events can be late: a long shift's finished events are not walked."""
        situation = self.situation
        open_events = {e.id: e for e in situation.open_events()}
        late = breached(sla_timers(open_events, situation.timeline, self.sla_targets, server_now))
        if not late:
            return ""
        worst = late[0]
        ev = situation.events.get(worst.event_id)
        what = self.names.event_type(ev.type, ev.title) if ev is not None else self.translate("Wall", "an event")
        return self.translate("Wall", "SLA ✕{n} · {event} +{over}").format(
            n=len(late), event=what, over=self.words.duration(worst.over_ms)
        )
