"""A console's drawing panel against the demo backend's city, in one process and without sockets: a
command goes to :meth:`City.handle_command`, its ack to the book, and what the city publishes on the
``plots`` stream to the Situation, as the feed would bring them."""

from __future__ import annotations

from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.model import Situation
from cockpit.present.commands import CommandBook
from cockpit.present.context import Context
from cockpit.present.frame import Frame, LinkLine, Liveness, WallState
from cockpit.present.i18n import untranslated
from cockpit.present.panels.plotting import PlottingModel, PlottingState
from cockpit.protocol.commands import CommandStatus, CommandUpdate
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import AckResult, Command, CommandAck, Filter, Stream
from widgets.values import LinkLevel

STREAMS = (Stream.EVENTS, Stream.DISPATCH, Stream.OVERLAYS, Stream.PLOTS, Stream.CATALOG)


class Loop:
    """One cockpit's console drawing panel wired to a city (shared by several Loops: two centres)."""

    def __init__(
        self, city: City | None = None, *, operator: str = "li.wei", role: str = "operator", streams: tuple[str, ...] = STREAMS
    ) -> None:
        if city is None:
            city = City(Hub(epoch="e1"), seed=1, rate=100, sensors_per_kind=2)
            city.advance(180.0)
        self.city = city
        self.operator, self.role = operator, role
        self.situation = Situation()
        for s in streams:
            log = city.hub.logs[s]
            self.situation.apply([SnapshotReceived(s, "e1", log.seq, tuple(city.snapshot(s, Filter())))])
        self._seen = city.hub.logs[Stream.PLOTS].seq if Stream.PLOTS in streams else 1 << 60
        self.book = CommandBook(role, untranslated, "", self.situation)
        self.ctx = Context("en", untranslated, self.book)
        self.model = PlottingModel(self.ctx, self.situation, centre=f"{operator}-centre")
        self.fire = next(e for e in self.situation.events.values() if e.type == "fire")
        self.ctx.selection.choose(self.fire.id)
        self.acks: list[CommandAck] = []

    def send(self, command: Command | None, *, answer: bool = True) -> CommandAck | None:
        """Hand ``command`` to the backend now (``answer``) or leave it queued (the link is down)."""
        if command is None:
            return None
        if not answer:
            self.book.apply([CommandUpdate(command, CommandStatus.QUEUED, 0)])
            return None
        ack = self.city.handle_command(command, self.role, self.operator)
        self.acks.append(ack)
        result = ack.original if ack.result == AckResult.DUPLICATE else ack.result
        status = CommandStatus.ACCEPTED if result == AckResult.ACCEPTED else CommandStatus.REJECTED
        self.book.apply([CommandUpdate(command, status, 1, ack.reason, ack.detail)])
        self.pump()
        return ack

    def pump(self) -> None:
        """What the city published on ``plots`` since the last look, into the Situation."""
        log = self.city.hub.logs[Stream.PLOTS]
        messages = tuple(e.message for e in log.since(self._seen))
        self._seen = log.seq
        if messages:
            self.situation.apply([DataReceived(messages)])

    def frame(self) -> PlottingState | None:
        self.pump()
        wall = WallState(Liveness.LIVE, LinkLine("Live", LinkLevel.OK, 0.1, ""), 0)
        return self.model.update(self.situation, Frame(self.situation.take_changes(), wall, True, True))

    def state(self) -> PlottingState:
        """The panel's state now, whether or not it changed."""
        self.model._seen = ()
        state = self.frame()
        assert state is not None
        return state
