"""The demo backend keeps a district token's commands to its districts, as the gateway does: a command
on another district's event (or on a dispatch or plan of one) is rejected ``forbidden`` with the
district named, and audited like a role's forbidden command.

Real loopback websockets, real tokens signed with the test site's secret, a real FeedClient.
"""

from __future__ import annotations

import asyncio
import time

from cockpit.backend.city import City
from cockpit.feed import ConnectionState
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind, DispatchState
from tests.helpers import wait_until
from tests.security.support import Sink, make_backend, make_feed, token
from tests.security.test_auth import answered

HOME = "jiangbei"


def new_event(city: City, inside: bool) -> tuple[str, str]:
    """Id and recommended unit of a new event in (or outside) :data:`HOME`; ``("", "")`` if none yet."""
    for ev in city.state.events.values():
        if ev.state == "new" and ev.recommended and (ev.district == HOME) == inside:
            return ev.id, ev.recommended[0]
    return "", ""


def command(kind: str, event_id: str = "", unit_id: str = "", ref: str = "") -> Command:
    return Command(id=uuid7(int(time.time() * 1000)), kind=kind, event_id=event_id, unit_id=unit_id, ref=ref)


def test_a_district_token_may_command_its_district_and_not_another() -> None:
    async def body() -> None:
        async with make_backend() as backend:
            city = backend.city
            await wait_until(lambda: all(new_event(city, inside)[0] for inside in (True, False)), timeout=30,
                             what="new events inside and outside the token's district")  # fmt: skip
            sink = Sink()
            feed = make_feed(backend.url, sink, token("chen.jie", "operator", districts=(HOME,)))
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")

            away, unit = new_event(city, inside=False)
            elsewhere = city.state.events[away].district
            cmd = command(CommandKind.DISPATCH, event_id=away, unit_id=unit)
            assert await answered(feed, sink, cmd) == f"{AckResult.REJECTED}:forbidden"
            ack = next(a for a in sink.acks if a.id == cmd.id)
            assert ack.detail == f"chen.jie may not act in district {elsewhere}"
            assert city.state.events[away].state == "new"  # nothing happened there
            refusal = backend.audit.refusals[-1]
            assert (refusal.command_id, refusal.operator, refusal.event_id) == (cmd.id, "chen.jie", away)
            acknowledge = command(CommandKind.ACKNOWLEDGE, event_id=away)
            assert await answered(feed, sink, acknowledge) == f"{AckResult.REJECTED}:forbidden"

            home, unit = new_event(city, inside=True)
            mine = command(CommandKind.DISPATCH, event_id=home, unit_id=unit)
            assert await answered(feed, sink, mine) == f"{AckResult.ACCEPTED}:"
            assert len(backend.audit.refusals) == 2
            # A cancel is judged by its dispatch's event: this one is in the token's district.
            assert (
                await answered(feed, sink, command(CommandKind.CANCEL, ref=mine.id))
                == f"{AckResult.ACCEPTED}:"
            )
            await feed.stop()

    asyncio.run(body())


def test_a_whole_city_token_commands_any_district_and_a_cancel_elsewhere_is_refused() -> None:
    async def body() -> None:
        async with make_backend() as backend:
            city = backend.city
            await wait_until(lambda: bool(new_event(city, inside=False)[0]), timeout=30, what="a new event")
            sink, sink2 = Sink(), Sink()
            boss = make_feed(backend.url, sink, token("wang.fang", "supervisor"), role="supervisor")
            local = make_feed(backend.url, sink2, token("chen.jie", "operator", districts=(HOME,)))
            boss.start()
            local.start()
            await wait_until(lambda: boss.state is ConnectionState.LIVE, what="live")
            await wait_until(lambda: local.state is ConnectionState.LIVE, what="live")
            away, unit = new_event(city, inside=False)
            cmd = command(CommandKind.DISPATCH, event_id=away, unit_id=unit)
            assert await answered(boss, sink, cmd) == f"{AckResult.ACCEPTED}:"
            # The district operator may not cancel the supervisor's dispatch in another district.
            cancel = command(CommandKind.CANCEL, ref=cmd.id)
            assert await answered(local, sink2, cancel) == f"{AckResult.REJECTED}:forbidden"
            assert city.state.dispatches[cmd.id].state != DispatchState.CANCELLED
            await boss.stop()
            await local.stop()

    asyncio.run(body())
