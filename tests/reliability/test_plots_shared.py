"""Plots shared between centres over real loopback websockets (protocol §5.10, §7.10): two cockpits
(each a FeedClient, a Situation, a command book and the console's drawing panel) against one demo
backend, some through the fault-injection proxy.

- both edit the same polygon at once: one edit goes in, the other comes back as a draft; both walls
  end with the same drawing, and the draft re-applied reaches both;
- one edits while its link is cut: its outbox keeps the edit; after the reconnect it goes in if
  nobody changed the plot, else it is a visible draft (nothing lost silently);
- a create whose ack is lost in a cut is sent again and applied once;
- a viewer's forged plot command is refused, and so is a malformed geometry (a self-crossing outline,
  a position off the map, a million vertices), each with its reason; the walls go on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import msgspec

from cockpit.backend.city import City
from cockpit.backend.faultproxy import Direction, FaultProxy
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.present.commands import CommandBook
from cockpit.present.context import Context
from cockpit.present.frame import Frame, LinkLine, Liveness, WallState
from cockpit.present.i18n import untranslated
from cockpit.present.panels.plotting import PlottingModel, PlottingState
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import (
    AckResult,
    Command,
    CommandAck,
    CommandKind,
    Geometry,
    Plot,
    PlotBody,
    Stream,
)
from tests.helpers import wait_until
from widgets.plot_values import PlotLook
from widgets.values import LinkLevel

ZONE = [(106.425, 29.566), (106.435, 29.566), (106.435, 29.572), (106.425, 29.572)]


class Centre:
    """One centre's cockpit, without Qt: feed, model, book and drawing panel."""

    def __init__(self, url: str, operator: str, role: str = "operator") -> None:
        self.situation = Situation()
        self.book = CommandBook(role, untranslated, "", self.situation)
        self.ctx = Context("en", untranslated, self.book)
        self.panel = PlottingModel(self.ctx, self.situation, centre=f"{operator}-centre")
        self.acks: list[CommandAck] = []
        self.feed = FeedClient(
            [url], Identity(f"wall-{operator}", operator, role), self._sink, backoff=Backoff(base_s=0.05, cap_s=0.3)
        )

    def _sink(self, events: list[FeedEvent]) -> None:
        self.situation.apply(events)
        self.book.apply(events)
        self.acks.extend(e.ack for e in events if isinstance(e, CommandAcked))

    def send(self, command: Command | None) -> Command:
        assert command is not None, self.panel.editor.notice
        self.feed.send_command(command)
        return command

    def frame(self) -> PlottingState:
        wall = WallState(Liveness.LIVE, LinkLine("Live", LinkLevel.OK, 0.1, ""), 0)
        self.panel._seen = ()
        state = self.panel.update(self.situation, Frame(self.situation.take_changes(), wall, True, True))
        assert state is not None
        return state

    def status(self, command: Command) -> CommandStatus | None:
        rec = self.book.records.get(command.id)
        return rec.status if rec is not None else None

    def ack_of(self, command_id: str) -> CommandAck | None:
        return next((a for a in reversed(self.acks) if a.id == command_id), None)

    def fire(self) -> str:
        return next(e.id for e in self.situation.events.values() if e.type == "fire")

    def plots_digest(self) -> dict[str, tuple[int, str, object]]:
        return {p.id: (p.version, p.kind, p.coordinates) for p in self.situation.plots.values()}


def city_plots(city: City) -> dict[str, tuple[int, str, object]]:
    return {p.id: (p.version, p.kind, p.geometry.coordinates) for p in city.plots.register.active()}


Body = Callable[[DemoBackend, list[Centre], FaultProxy | None], Awaitable[None]]


def run(body: Body, *, roles: tuple[str, ...] = ("operator", "operator"), via_proxy: tuple[bool, ...] = (False, False), max_frame_bytes: int = 1 << 20) -> None:
    async def main() -> None:
        city = City(Hub(), seed=1, rate=100, sensors_per_kind=2)
        city.advance(180.0)
        backend = DemoBackend(city, heartbeat_ms=300, max_frame_bytes=max_frame_bytes)
        backend.running = False  # a still city: nothing but the plots changes
        await backend.start()
        proxy = FaultProxy(backend.url) if any(via_proxy) else None
        if proxy is not None:
            await proxy.start()
        names = ("li.wei", "zhang.min")
        centres = [
            Centre(proxy.url if through and proxy is not None else backend.url, names[i], roles[i])
            for i, through in enumerate(via_proxy)
        ]
        for c in centres:
            c.feed.start()
        try:
            await wait_until(
                lambda: all(c.feed.state is ConnectionState.LIVE and Stream.PLOTS in c.situation.epochs for c in centres),
                what="both centres live",
            )
            for c in centres:
                c.ctx.selection.choose(c.fire())
            await body(backend, centres, proxy)
        finally:
            for c in centres:
                await c.feed.stop()
            if proxy is not None:
                await proxy.stop()
            await backend.stop()

    asyncio.run(main())


async def draw_zone(centre: Centre, backend: DemoBackend) -> str:
    panel = centre.panel
    panel.choose("fire_zone")
    for lon, lat in ZONE:
        panel.click(lon, lat, 0.0)
    command = centre.send(panel.finish())
    await wait_until(lambda: centre.status(command) is CommandStatus.ACCEPTED, what="the zone accepted")
    assert command.plot is not None
    return command.plot.id


def moved_corner(centre: Centre, pid: str, index: int, to: tuple[float, float]) -> Command:
    """The officer drags corner ``index`` of the zone to ``to`` (the select tool)."""
    panel = centre.panel
    panel.choose("")
    panel.click(ZONE[0][0] + 0.004, ZONE[0][1] + 0.003, 0.0003)
    panel.grab(pid, index)
    command = panel.drop(*to, 0.0)
    assert command is not None and command.kind == CommandKind.PLOT_EDIT, panel.editor.notice
    return command


def test_two_centres_edit_the_same_polygon_at_once_and_end_with_the_same_drawing() -> None:
    async def body(backend: DemoBackend, centres: list[Centre], _: FaultProxy | None) -> None:
        li, zhang = centres
        pid = await draw_zone(li, backend)
        await wait_until(lambda: pid in zhang.situation.plots, what="the zone on the other wall")
        edit_l = moved_corner(li, pid, 2, (106.437, 29.573))
        edit_z = moved_corner(zhang, pid, 2, (106.433, 29.575))
        assert edit_l.base == edit_z.base == 1
        li.send(edit_l)  # at once: both on their way before either is answered
        zhang.send(edit_z)
        await wait_until(
            lambda: li.status(edit_l) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED)
            and zhang.status(edit_z) in (CommandStatus.ACCEPTED, CommandStatus.REJECTED),
            what="both answered",
        )
        results = sorted([li.status(edit_l), zhang.status(edit_z)], key=lambda s: str(s))
        assert results == [CommandStatus.ACCEPTED, CommandStatus.REJECTED], "one goes in, one is refused"
        winner, loser, lost = (li, zhang, edit_z) if li.status(edit_l) is CommandStatus.ACCEPTED else (zhang, li, edit_l)
        assert loser.ack_of(lost.id).reason == "plot_conflict"  # type: ignore[union-attr]
        await wait_until(lambda: li.plots_digest() == zhang.plots_digest() == city_plots(backend.city), what="same drawing")
        assert li.situation.plots[pid].version == 2
        # Nothing lost: the refused edit is the loser's draft, drawn and listed.
        state = loser.frame()
        [draft] = state.drafts
        assert f"{winner.feed.identity.operator} ({winner.feed.identity.operator}-centre) changed it first (now version 2)" in draft.text
        ghost = [s for s in state.shapes if s.look is PlotLook.DRAFT]
        assert ghost and lost.plot is not None and list(ghost[0].vertices[2]) == lost.plot.geometry.coordinates[0][2]
        again = loser.send(loser.panel.reapply(draft.id))
        assert again.base == 2
        await wait_until(lambda: loser.status(again) is CommandStatus.ACCEPTED, what="the draft re-applied")
        await wait_until(
            lambda: li.plots_digest() == zhang.plots_digest() == city_plots(backend.city)
            and li.situation.plots[pid].version == 3,
            what="the re-applied draft on both walls",
        )
        assert li.situation.plots[pid].coordinates == lost.plot.geometry.coordinates
        assert loser.frame().drafts == ()

    run(body)


def test_an_edit_made_while_the_link_is_cut_goes_in_or_comes_back_as_a_draft() -> None:
    async def body(backend: DemoBackend, centres: list[Centre], proxy: FaultProxy | None) -> None:
        assert proxy is not None
        li, zhang = centres  # Li Wei's cockpit is behind the proxy
        pid = await draw_zone(li, backend)
        await wait_until(lambda: pid in zhang.situation.plots, what="the zone on the other wall")

        # 1. Nobody else changes the plot: the edit kept in the outbox goes in after the reconnect.
        proxy.refuse(True)
        proxy.cut()
        await wait_until(lambda: li.feed.state is not ConnectionState.LIVE, what="Li Wei offline")
        offline = li.send(moved_corner(li, pid, 1, (106.437, 29.565)))
        await asyncio.sleep(0.3)
        assert li.status(offline) is CommandStatus.QUEUED and offline.id in {c.id for c in li.feed.outbox}
        assert [s.look for s in li.frame().shapes if s.id == pid] == [PlotLook.SENDING]
        proxy.refuse(False)
        await wait_until(lambda: li.status(offline) is CommandStatus.ACCEPTED, what="sent after the reconnect")
        await wait_until(lambda: li.plots_digest() == zhang.plots_digest() == city_plots(backend.city), what="same")
        assert li.situation.plots[pid].version == 2

        # 2. Zhang Min changes it while Li Wei is cut off: Li Wei's edit comes back as a draft.
        proxy.refuse(True)
        proxy.cut()
        await wait_until(lambda: li.feed.state is not ConnectionState.LIVE, what="Li Wei offline again")
        mine = li.send(moved_corner(li, pid, 3, (106.423, 29.574)))
        assert mine.base == 2
        theirs = zhang.send(moved_corner(zhang, pid, 0, (106.424, 29.565)))
        await wait_until(lambda: zhang.status(theirs) is CommandStatus.ACCEPTED, what="Zhang Min's edit")
        proxy.refuse(False)
        await wait_until(lambda: li.status(mine) is CommandStatus.REJECTED, what="Li Wei's edit answered")
        assert li.ack_of(mine.id).reason == "plot_conflict"  # type: ignore[union-attr]
        await wait_until(lambda: li.plots_digest() == zhang.plots_digest() == city_plots(backend.city), what="same")
        assert li.situation.plots[pid].version == 3 and li.situation.plots[pid].updated_by == "zhang.min"
        [draft] = li.frame().drafts
        assert "zhang.min (zhang.min-centre) changed it first (now version 3)" in draft.text
        assert any(s.look is PlotLook.DRAFT for s in li.frame().shapes), "the lost edit is on the map, as a draft"

    run(body, via_proxy=(True, False))


def test_a_create_resent_after_a_cut_is_applied_once() -> None:
    async def body(backend: DemoBackend, centres: list[Centre], proxy: FaultProxy | None) -> None:
        assert proxy is not None
        li, zhang = centres
        # The backend's answers stop reaching Li Wei: the create goes up and is applied, its ack is lost.
        proxy.half_open(Direction.DOWN)
        panel = li.panel
        panel.choose("command_post")
        create = li.send(panel.click(106.43, 29.568, 0.0))
        assert create.plot is not None
        pid = create.plot.id
        await wait_until(lambda: pid in backend.city.plots.register.plots, what="applied by the backend")
        await asyncio.sleep(0.2)
        assert li.status(create) is CommandStatus.SENT, "no answer came back"
        proxy.cut()  # the link dies; the feed reconnects and sends the create again, same id
        proxy.clear()
        await wait_until(lambda: li.status(create) is CommandStatus.ACCEPTED, what="answered after the cut")
        answers = [a for a in li.acks if a.id == create.id]
        assert answers and answers[-1].result == AckResult.DUPLICATE and answers[-1].original == AckResult.ACCEPTED
        published = [e.message for e in backend.city.hub.logs[Stream.PLOTS].since(0) if isinstance(e.message, Plot)]
        assert [(p.id, p.version) for p in published] == [(pid, 1)], "applied once"
        await wait_until(lambda: li.plots_digest() == zhang.plots_digest() == city_plots(backend.city), what="same")

    run(body, via_proxy=(True, False))


def forged(kind: str, geometry: Geometry, event_id: str) -> Command:
    body = PlotBody(id=uuid7(1767258000000), kind=kind, geometry=geometry, event_id=event_id)
    return Command(id=uuid7(1767258000001), kind=CommandKind.PLOT_CREATE, plot=body)


def test_a_viewers_forged_plot_command_is_refused_and_audited_by_the_backend() -> None:
    async def body(backend: DemoBackend, centres: list[Centre], _: FaultProxy | None) -> None:
        viewer, officer = centres
        assert "may not draw on the map" in viewer.frame().why_not, "the viewer's console offers no drawing"
        command = forged("fire_line", Geometry(type="LineString", coordinates=[[106.42, 29.56], [106.43, 29.57]]), viewer.fire())
        viewer.feed.send_command(command)  # a forged frame: the viewer's own book would never make it
        await wait_until(lambda: viewer.ack_of(command.id) is not None, what="the answer")
        ack = viewer.ack_of(command.id)
        assert ack is not None and (ack.result, ack.reason) == (AckResult.REJECTED, "forbidden")
        assert ack.detail.startswith("a viewer may not change anything, so may not draw on the map")
        assert backend.city.plots.register.plots == {} and viewer.situation.plots == officer.situation.plots == {}
        assert [(r.kind, r.role, r.command_id) for r in backend.audit.refusals] == [("plot_create", "viewer", command.id)]

    run(body, roles=("viewer", "operator"))


def test_malformed_geometries_are_refused_with_their_reason_and_the_walls_go_on() -> None:
    async def body(backend: DemoBackend, centres: list[Centre], _: FaultProxy | None) -> None:
        li, zhang = centres
        fire = li.fire()
        bowtie = [[106.42, 29.56], [106.43, 29.57], [106.43, 29.56], [106.42, 29.57], [106.42, 29.56]]
        cases = {
            "self-crossing": (forged("fire_zone", Geometry(type="Polygon", coordinates=[bowtie]), fire),
                              "the outline crosses itself near 106.42500, 29.56500"),
            "off the map": (forged("fire_line", Geometry(type="LineString", coordinates=[[106.42, 29.56], [106.43, 129.5]]), fire),
                            "position 2 (106.43, 129.5) is outside WGS 84"),
            "a million vertices": (forged("fire_zone", Geometry(type="Polygon", coordinates=[[[0, 0]] * 1_000_000]), fire),
                                   "1,000,000 positions; a plot has at most 5,000"),
        }  # fmt: skip
        for command, _ in cases.values():
            li.feed.send_command(command)  # forged: the console refuses these before sending
        await wait_until(lambda: all(li.ack_of(c.id) is not None for c, _ in cases.values()), timeout=30, what="answers")
        for name, (command, reason) in cases.items():
            ack = li.ack_of(command.id)
            assert ack is not None and (ack.result, ack.reason) == (AckResult.REJECTED, "bad_geometry"), name
            assert reason in ack.detail, (name, ack.detail)
        assert backend.city.plots.register.plots == {}
        # The walls go on: both links are live, and the next drawing reaches both.
        assert li.feed.state is ConnectionState.LIVE and zhang.feed.state is ConnectionState.LIVE
        pid = await draw_zone(zhang, backend)
        await wait_until(lambda: pid in li.situation.plots and li.plots_digest() == zhang.plots_digest(), what="the wall goes on")
        # The console itself never sends such a drawing: it says why, in the officer's words.
        huge = msgspec.structs.replace(cases["a million vertices"][0].plot, id=uuid7(1767258000002))  # type: ignore[type-var]
        assert li.panel.editor.create(huge) is None
        assert li.panel.editor.notice == "1,000,000 points is too many: a drawing has at most 5,000"

    run(body, max_frame_bytes=4 << 20)
