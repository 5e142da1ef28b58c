"""Turns the model into what the wall window shows, once per frame, and intents into commands.

Attributes down: the presenter sets widget values. Messages up: the window's widgets emit signals,
which :mod:`cockpit.app.wiring` connects to the ``_on_*`` slots here.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QTimer

from cockpit.app.commands import CommandTracker, Phase, Tracked
from cockpit.app.names import counters_text, district_name, event_type_name, sensor_kind_name, unit_label
from cockpit.app.wall_window import WallWindow
from cockpit.feed import ConnectionState
from cockpit.model import EventRecord, Situation
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import Command, CommandKind, DispatchState, EventState, UnitStatus
from cockpit.protocol.session import Counters
from widgets.dispatch_button import CommandLevel
from widgets.event_list import EventRow
from widgets.severity import Severity as WidgetSeverity
from widgets.status_bar import LinkLevel
from widgets.vital_tile import VitalSignTile

log = logging.getLogger(__name__)

MAX_ROWS = 500
CLICK_GUARD_S = 1.5
"""After a dispatch click, the button stays locked this long: a double click sends once."""
HISTORY_POINTS = 240


def tr(text: str) -> str:
    return QCoreApplication.translate("WallPresenter", text)


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """What the presenter needs to know about the feed, read every frame."""

    state: ConnectionState
    detail: str
    counters: Counters
    url: str = ""
    silent_s: float = 0.0


def state_label(state: ConnectionState) -> str:
    return {
        ConnectionState.CONNECTING: tr("Connecting"),
        ConnectionState.RESYNCING: tr("Resynchronising"),
        ConnectionState.LIVE: tr("Live"),
        ConnectionState.STALE: tr("Stale: no data"),
        ConnectionState.OFFLINE: tr("Offline"),
    }[state]


def event_state_text(state: EventState) -> str:
    return {
        EventState.NEW: tr("New"),
        EventState.ACKNOWLEDGED: tr("Acknowledged"),
        EventState.DISPATCHED: tr("Dispatched"),
        EventState.RESOLVED: tr("Resolved"),
        EventState.CLOSED: tr("Closed"),
    }[state]


def dispatch_state_text(state: DispatchState) -> str:
    return {
        DispatchState.ACCEPTED: tr("Accepted"),
        DispatchState.DISPATCHED: tr("Dispatched"),
        DispatchState.ACKNOWLEDGED: tr("Unit acknowledged"),
        DispatchState.EN_ROUTE: tr("En route"),
        DispatchState.ON_SCENE: tr("On scene"),
        DispatchState.COMPLETED: tr("Completed"),
        DispatchState.FAILED: tr("Failed"),
        DispatchState.CANCELLED: tr("Cancelled"),
    }[state]


def reject_reason_text(code: str) -> str:
    """The backend's reason code in words (docs/protocol.md §7.2); unknown codes as they came."""
    return {
        "forbidden": tr("your role may not do this"),
        "unknown_event": tr("the event no longer exists"),
        "event_closed": tr("the event is closed"),
        "unknown_unit": tr("the unit is unknown"),
        "unit_busy": tr("the unit is busy"),
        "dispatch_open": tr("a dispatch is still open"),
        "stale_epoch": tr("the backend restarted"),
    }.get(code, code)


class _TileBinding:
    def __init__(self, tile: VitalSignTile) -> None:
        self.tile = tile
        self.row: int | None = None
        self.history: deque[float] = deque(maxlen=HISTORY_POINTS)


class WallPresenter:
    """Keeps one :class:`WallWindow` in step with the situation.

    Args:
        window: The window to fill.
        situation: The live model.
        tracker: Commands sent from this cockpit.
        link: Returns the feed's current status.
        send: Sends a command (the feed's outbox).
        vital_names: Sensor names to show as tiles, in order; the rest of the tiles take the
            first sensor of each kind.
    """

    def __init__(
        self,
        window: WallWindow,
        situation: Situation,
        tracker: CommandTracker,
        link: Callable[[], LinkStatus],
        send: Callable[[Command], None],
        vital_names: list[str],
    ) -> None:
        self.window = window
        self.situation = situation
        self.tracker = tracker
        self.link = link
        self.send = send
        self.vital_names = vital_names
        self.selected: str | None = None
        self.frames = 0
        self.newest_ts = 0
        self._tiles = [_TileBinding(t) for t in window.tiles]
        self._rows_dirty = True
        self._last_slow = 0.0
        self._last_sample = 0.0
        self._last_click = -CLICK_GUARD_S

    # ------------------------------------------------------------------------- per frame

    def frame(self) -> None:
        """Take the model's changes since the last frame and update the window."""
        self.frames += 1
        changes = self.situation.take_changes()
        if changes.newest_ts > self.newest_ts:
            self.newest_ts = changes.newest_ts
        if changes.events or changes.units or changes.dispatches or changes.replaced:
            self._rows_dirty = True
        if changes.catalog:
            self._bind_tiles()
        now = time.monotonic()
        slow = now - self._last_slow >= 0.5
        if self._rows_dirty or slow:
            self._update_rows()
            self._update_dispatch_panel()
            self._rows_dirty = False
        if changes.sensors or slow:
            self._update_tiles(now)
        if slow:
            self._last_slow = now
            self._update_status()
            self.window.clock.setText(time.strftime("%H:%M:%S"))

    def refresh_commands(self) -> None:
        """Commands changed: redraw what shows them on the next frame."""
        self._rows_dirty = True

    # ------------------------------------------------------------------------- status

    def _server_now(self) -> int:
        return self.situation.server_now(time.time_ns() // 1_000_000)

    def _update_status(self) -> None:
        link = self.link()
        level = {
            ConnectionState.LIVE: LinkLevel.OK,
            ConnectionState.RESYNCING: LinkLevel.DEGRADED,
            ConnectionState.CONNECTING: LinkLevel.DEGRADED,
            ConnectionState.STALE: LinkLevel.DOWN,
            ConnectionState.OFFLINE: LinkLevel.DOWN,
        }[link.state]
        age = (self._server_now() - self.newest_ts) / 1000 if self.newest_ts else None
        detail = counters_text(link.counters)
        why = {
            ConnectionState.CONNECTING: tr("connecting to {url}"),
            ConnectionState.RESYNCING: tr("catching up with {url}"),
            ConnectionState.STALE: tr("{url} silent for {s} s"),
            ConnectionState.OFFLINE: tr("cannot reach {url}; retrying"),
        }.get(link.state)
        if why is not None:  # the technical reason is in the log; the wall says it in words
            detail = f"{why.format(url=link.url, s=f'{link.silent_s:.0f}')} · {detail}"
        self.window.status.set_status(state_label(link.state), level, age, detail)

    # ------------------------------------------------------------------------- events

    def _row(self, ev: EventRecord) -> EventRow:
        title = event_type_name(ev.type, ev.title)
        units = [
            unit_label(self.situation.units[d.unit_id]) + " · " + dispatch_state_text(d.state)
            for d in self.situation.dispatches_for(ev.id)
            if d.unit_id in self.situation.units and not d.state.is_final
        ]
        return EventRow(
            id=ev.id,
            severity=WidgetSeverity(int(ev.severity)),
            time_text=time.strftime("%H:%M:%S", time.localtime(ev.time_ms / 1000)),
            title=title,
            district=district_name(ev.district),
            state_text=tr("Cleared, unacknowledged")
            if ev.state is EventState.NEW and not ev.active
            else event_state_text(ev.state),
            acknowledged=ev.acknowledged,
            dispatch_text=", ".join(units),
        )

    def _update_rows(self) -> None:
        events = self.situation.open_events()[:MAX_ROWS]
        self.window.events.set_rows([self._row(e) for e in events])
        if self.link().state is ConnectionState.LIVE:
            self.window.events_label.setText(tr("Live events ({n} open)").format(n=len(events)))
        elif self.newest_ts:
            as_of = time.strftime("%H:%M:%S", time.localtime(self.newest_ts / 1000))
            self.window.events_label.setText(
                tr("Events as of {time}: link down, not live ({n} open)").format(time=as_of, n=len(events))
            )
        else:
            self.window.events_label.setText(tr("Events: no data yet, link down"))
        if self.selected is None and events:
            self.window.events.select_event(events[0].id)
            self.selected = events[0].id

    # ------------------------------------------------------------------------- dispatch

    def _recommended_unit(self, ev: EventRecord) -> str | None:
        for uid in ev.recommended:
            unit = self.situation.units.get(uid)
            if unit is not None and unit.status is UnitStatus.AVAILABLE:
                return uid
        return None

    def _update_dispatch_panel(self) -> None:
        panel = self.window.dispatch
        ev = self.situation.events.get(self.selected or "")
        if ev is None:
            panel.set_target(tr("No event selected"), "", False)
            panel.set_command_state("", CommandLevel.IDLE)
            panel.set_busy(False)
            return
        uid = self._recommended_unit(ev)
        event_text = f"{event_type_name(ev.type, ev.title)} · {district_name(ev.district)}"
        if ev.source:
            event_text = f"{event_text} · {ev.source}"
        unit_text = unit_label(self.situation.units[uid]) if uid else ""
        if uid and self._has_active_dispatch(ev.id):
            # A second unit is a deliberate decision: say so on the button.
            unit_text = tr("another unit: {unit}").format(unit=unit_text)
        pending = self.tracker.pending_for_event(ev.id)
        cooling = time.monotonic() - self._last_click < CLICK_GUARD_S
        panel.set_target(event_text, unit_text, uid is not None and ev.open and not cooling)
        panel.set_busy(pending)
        tracked = self.tracker.latest_for_event(ev.id, CommandKind.DISPATCH)
        text, level = self._command_text(tracked)
        panel.set_command_state(text, level)

    def _has_active_dispatch(self, event_id: str) -> bool:
        return any(not d.state.is_final for d in self.situation.dispatches_for(event_id))

    def _command_text(self, t: Tracked | None) -> tuple[str, CommandLevel]:
        if t is None:
            return tr("Ready"), CommandLevel.IDLE
        unit = self.situation.units.get(t.command.unit_id)
        who = unit_label(unit) if unit is not None else t.command.unit_id
        if t.phase is Phase.QUEUED:
            return tr("{unit}: queued, link down; sends when it is back").format(
                unit=who
            ), CommandLevel.PENDING
        if t.phase is Phase.SENT:
            return tr("{unit}: sent, waiting for answer (try {n})").format(
                unit=who, n=t.tries
            ), CommandLevel.PENDING
        if t.phase is Phase.NO_RESPONSE:
            return tr("{unit}: no response after {n} tries").format(unit=who, n=t.tries), CommandLevel.FAILED
        if t.phase is Phase.EXPIRED:
            return tr("{unit}: not sent, the backend restarted; check the event again").format(
                unit=who
            ), CommandLevel.FAILED
        if t.phase is Phase.REJECTED:
            return tr("{unit}: rejected ({reason})").format(
                unit=who, reason=reject_reason_text(t.reason)
            ), CommandLevel.FAILED
        state = self.tracker.dispatch_state(self.situation, t.command.id) or DispatchState.ACCEPTED
        level = (
            CommandLevel.FAILED
            if state in (DispatchState.FAILED, DispatchState.CANCELLED)
            else CommandLevel.OK
        )
        return tr("{unit}: {state}").format(unit=who, state=dispatch_state_text(state)), level

    # ------------------------------------------------------------------------- tiles

    def _bind_tiles(self) -> None:
        table = self.situation.sensors
        by_name = {info.name: row for row, info in enumerate(table.infos)}
        rows = [by_name[n] for n in self.vital_names if n in by_name]
        seen_kinds = {table.infos[r].kind for r in rows}
        for row, info in enumerate(table.infos):
            if len(rows) >= len(self._tiles):
                break
            if info.kind not in seen_kinds:
                rows.append(row)
                seen_kinds.add(info.kind)
        padded: list[int | None] = [*rows, *([None] * len(self._tiles))]
        for binding, bound in zip(self._tiles, padded, strict=False):
            if binding.row != bound:
                binding.history.clear()
            binding.row = bound
            if bound is None:
                binding.tile.set_title(tr("No sensor"))
                continue
            info = table.infos[bound]
            binding.tile.set_title(f"{sensor_kind_name(info.kind)} · {district_name(info.district)}")
            binding.tile.set_unit(info.unit)
            try:
                binding.tile.set_thresholds(info.warn, info.alarm, info.low_warn, info.low_alarm)
            except ValueError as exc:  # a backend's bad catalog entry: show the value, say why
                log.warning("sensor %s: thresholds refused: %s", info.name, exc)
                binding.tile.set_thresholds(None, None, None, None)

    def _update_tiles(self, now: float) -> None:
        table = self.situation.sensors
        live = self.link().state is ConnectionState.LIVE
        server_now = self._server_now()
        sample = now - self._last_sample >= 1.0
        if sample:
            self._last_sample = now
        for b in self._tiles:
            if b.row is None or b.row >= len(table):
                b.tile.set_reading(None, 0.0, True)
                continue
            ts = int(table.ts[b.row])
            if ts == 0:
                b.tile.set_reading(None, 0.0, True)
                continue
            value = float(table.values[b.row])
            age = max(0.0, (server_now - ts) / 1000)
            stale = not live or server_now > int(table.stale_at[b.row])
            b.tile.set_reading(value, age, stale)
            if sample and not stale:
                b.history.append(value)
                b.tile.set_history(np.fromiter(b.history, dtype=np.float64))

    # ------------------------------------------------------------------------- slots

    def _on_events_selection_changed(self, event_id: str) -> None:
        # "" means the selected row left the list (its event closed): keep showing that event and
        # its final state; never move the dispatch target to another event behind the officer's back.
        if event_id:
            self.selected = event_id
        self._update_dispatch_panel()

    def _on_events_acknowledge_requested(self, event_id: str) -> None:
        ev = self.situation.events.get(event_id)
        if ev is None or ev.acknowledged:
            return
        self._send(Command(id=self._new_id(), kind=CommandKind.ACKNOWLEDGE, event_id=event_id))

    def _on_dispatch_dispatch_requested(self) -> None:
        ev = self.situation.events.get(self.selected or "")
        if ev is None or self.tracker.pending_for_event(ev.id):
            return  # a pending command is never sent twice
        if time.monotonic() - self._last_click < CLICK_GUARD_S:
            return  # the second half of a double click is not a second dispatch
        self._last_click = time.monotonic()
        QTimer.singleShot(int(CLICK_GUARD_S * 1000) + 50, self.window, self._update_dispatch_panel)
        uid = self._recommended_unit(ev)
        if uid is None:
            return
        self._send(Command(id=self._new_id(), kind=CommandKind.DISPATCH, event_id=ev.id, unit_id=uid))

    def _send(self, command: Command) -> None:
        log.info(
            "command %s %s event=%s unit=%s", command.id, command.kind, command.event_id, command.unit_id
        )
        self.tracker.submitted(command)
        self.send(command)
        self._rows_dirty = True
        self._update_dispatch_panel()

    @staticmethod
    def _new_id() -> str:
        return uuid7(time.time_ns() // 1_000_000)
