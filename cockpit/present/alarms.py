"""The console's alarms (ISA-18.2): the alarm board, its rows, flood and KPIs, and the two actions.

The board (:class:`cockpit.model.alarms.AlarmBoard`) lives here, not in a window: the console's list
and every screen's flood line read it in the same frame. It is rebuilt when the backend comes back
in another epoch (its alarms are other alarms now), and takes every id a snapshot removed or
replaced, so an alarm the backend no longer has is never listed (the "ghost alarms" of issue 14).
"""

from __future__ import annotations

import time

from cockpit.model import Situation
from cockpit.model.alarms import AlarmBoard, AlarmKpis, AlarmView, ConsoleScope, FloodState
from cockpit.present.commands import CommandBook
from cockpit.present.frame import Frame
from cockpit.present.i18n import Translate
from cockpit.protocol.messages import Command, CommandKind, Stream
from widgets.values import AlarmDisplay, AlarmRow, Severity


class AlarmsPresenter:
    """The alarm list of one console and its flood and KPIs.

    Args:
        scope: What this console watches (the site's centre).
        book: The command book (acknowledge and shelve go through it).
        translate: The translator.
    """

    def __init__(self, scope: ConsoleScope, book: CommandBook, translate: Translate) -> None:
        self.scope = scope
        self.book = book
        self.translate = translate
        self.names = book.names
        self.board: AlarmBoard | None = None
        self.flood = FloodState(False, 0)
        self.views: list[AlarmView] = []
        self.generation = 0
        """Counts changes of :attr:`views`: the list widget is set only when it moved."""
        self._started_ms = 0

    def update(self, situation: Situation, frame: Frame) -> None:
        """Take the frame's changes into the board; on slow frames also the flood."""
        ch, now = frame.changes, frame.server_now_ms
        board = self.board
        if board is None or board.events is not situation.events or Stream.EVENTS in ch.new_epoch:
            board = self.board = AlarmBoard(situation.events, [self.scope])
            changed: set[str] = set(situation.events)
            self._started_ms = now
        else:
            # A snapshot names the ids it removed (ch.events) and the ones it has (situation.events).
            changed = set(ch.events) | (set(situation.events) if Stream.EVENTS in ch.replaced else set())
        board.update(changed, now)
        if ch.names:  # the rows name districts and event types: show them again in the new words
            self.generation += 1
        if changed or frame.slow:
            views = board.rows(now)
            if views is not self.views:
                self.views = views
                self.generation += 1
        if frame.slow:
            self.flood = board.flood()

    def rows(self) -> list[AlarmRow]:
        return [self.row(v) for v in self.views]

    def row(self, view: AlarmView) -> AlarmRow:
        """One alarm as the list draws it (ISA-18.2 flags, the occurrence seen, a shelf's end)."""
        e, a = view.record, view.alarm
        note = ""
        if view.display.value == "shelved":
            if a.shelved_until > 0:
                until = time.strftime("%H:%M", time.localtime(a.shelved_until / 1000))
                note = self.translate("Alarms", "shelved until {time}").format(time=until)
            else:
                note = self.translate("Alarms", "shelved until it clears")
        return AlarmRow(
            id=e.id,
            severity=Severity(int(e.severity)),
            time_text=time.strftime("%H:%M:%S", time.localtime(e.time_ms / 1000)),
            source=self.names.district(e.district),
            message=self.names.event_type(e.type, e.title),
            active=a.active,
            acknowledged=a.acknowledged,
            display=AlarmDisplay(view.display.value),
            shelved=view.display.value == "shelved",
            suppressed=bool(a.suppressed),
            out_of_service=bool(a.out_of_service),
            acked_by=a.acked_by,
            occurrence=a.occurrence,
            note=note,
        )

    def kpis(self) -> AlarmKpis | None:
        return self.board.kpis() if self.board is not None else None

    def observed_ms(self, now_ms: int) -> int:
        """How long the board has watched (the KPIs' "time in flood" is over this, not 24 h)."""
        return max(0, now_ms - self._started_ms) if self.board is not None else 0

    # ---------------------------------------------------------------------------- intents

    def why_not_acknowledge(self) -> str:
        return self.book.why_not(CommandKind.ACKNOWLEDGE)

    def why_not_shelve(self) -> str:
        return self.book.why_not(CommandKind.SHELVE)

    def acknowledge(self, event_id: str, occurrence: int) -> Command | None:
        """The officer acknowledged the occurrence they saw; ``None`` if that cannot go out now."""
        return self.book.make(CommandKind.ACKNOWLEDGE, event_id, occurrence=occurrence)

    def shelve(self, event_id: str, reason: str, minutes: int, now_ms: int) -> Command | None:
        """Shelve for ``minutes`` (0: until it clears) with ``reason`` (§7.5)."""
        until = now_ms + minutes * 60_000 if minutes else 0
        return self.book.make(CommandKind.SHELVE, event_id, note=reason, until=until)
