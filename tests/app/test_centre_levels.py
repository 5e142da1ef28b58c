"""What a centre sees follows its site file: a district centre only its district, a street centre only
its district's street-level events, and its console is annunciated accordingly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.run import console_scope, site_subscriptions
from cockpit.app.wiring import Cockpit
from cockpit.feed import ConnectionState, Identity
from cockpit.protocol.messages import Stream
from tests.app.test_wall import dispose, run_on_qt_loop
from tests.helpers import wait_until


@pytest.fixture(scope="module")
def backend() -> Iterator[str]:
    b = EmbeddedBackend(seed=3, rate=800, speed=4)
    url = b.start()
    yield url
    b.stop()


@pytest.mark.parametrize(("level", "levels"), [("district", {"district", "city"}), ("street", {"street"})])
def test_a_centre_sees_its_district_and_level(
    qapp: QApplication, backend: str, level: str, levels: set[str]
) -> None:
    c = Cockpit(
        [backend],
        Identity("t", "o", "operator"),
        subscriptions=site_subscriptions(level, "jiangbei"),
        console_scope=console_scope(level, "jiangbei"),
    )
    assert c.alarms.scope == console_scope(level, "jiangbei")

    async def body() -> None:
        c.start()
        await wait_until(
            lambda: c.feed.state is ConnectionState.LIVE and len(c.situation.events) > 3, what="events"
        )
        evs = list(c.situation.events.values())
        assert {e.district for e in evs} == {"jiangbei"}
        if level == "street":
            # Street-level only, but for the last message of an event escalated away (§4.1).
            street = sum(e.level == "street" for e in evs)
            assert street >= 0.8 * len(evs), [(e.id, e.level) for e in evs]
        units = {u.district for u in c.situation.units.values()}
        assert units == {"jiangbei"}
        await c.stop()

    try:
        run_on_qt_loop(qapp, body)
    finally:
        dispose(c)
    scope = console_scope(level, "jiangbei")
    assert scope.districts == frozenset({"jiangbei"}) and scope.levels == frozenset(levels)


def test_a_city_centre_subscribes_to_everything() -> None:
    assert site_subscriptions("city", "") is None
    assert console_scope("city", "").districts == frozenset()


def test_a_district_or_street_centre_subscribes_to_every_stream_for_its_district() -> None:
    for level in ("district", "street"):
        subs = site_subscriptions(level, "jiangbei")
        assert subs is not None and set(subs) == {s.value for s in Stream}  # none left unsent
        assert subs[Stream.CAMERAS.value].districts == ["jiangbei"]  # a wall found no cameras without it
