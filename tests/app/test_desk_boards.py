"""Desk boards at the console (issue 15): what a wall board leaves out is on a console tab of its
own, "<runway> · details", in desk type, with live data from the real demo backend over a real
websocket; for every runway that has a desk board, on a wall screen or not.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.panels import (
    BarsPanelView,
    CardPanelView,
    EventsPanelView,
    HistoryPanelView,
    MapPanelView,
    TilesPanelView,
    TrendPanelView,
    VideoPanelView,
)
from cockpit.app.runway_view import RunwayView
from cockpit.app.wiring import RUNWAYS_DIR, Cockpit
from cockpit.feed import ConnectionState, Identity
from cockpit.present.wall_layout import virtual_screens
from tests.app.test_new_runways import assert_nothing_cut, shows_live_data
from tests.app.test_wall import dispose, run_on_qt_loop
from tests.conftest import TIME_SCALE
from widgets.event_list import EventListView

pytestmark = pytest.mark.slow

IDENTITY = Identity("test-desk", "officer-15", "operator", token="t0ken")
LIVE_WITHIN_S = 90.0

DESK_TABS = {
    # desk board id: its tab, and the panel views it must hold
    "flood.desk": ("Flood · details", [VideoPanelView, TilesPanelView]),
    "forest_fire.desk": ("Forest fire · details", [VideoPanelView, TilesPanelView, TilesPanelView, EventsPanelView]),
    "street_economy.desk": ("Street · Economy · details", [TilesPanelView]),
    "street_party.desk": ("Street · Party building · details", [TilesPanelView]),
    "street_safety.desk": ("Street · Safety and law · details", [TilesPanelView]),
    "street_services.desk": ("Street · Public services · details", [TilesPanelView]),
    "traffic.desk": ("Traffic · details", [TrendPanelView, BarsPanelView, TilesPanelView]),
    "waste.desk": ("Construction waste · details", [BarsPanelView, MapPanelView]),
    "water_quality.desk": ("Water quality · details", [HistoryPanelView, CardPanelView]),
    "water_supply.desk": ("Water supply · details", [TilesPanelView, EventsPanelView]),
}
DESK_SHOTS = [f"console-{did}" for did in DESK_TABS]
"""What ``--screenshot`` writes of the desk boards: every tab, whatever the wall layout."""


@pytest.fixture(scope="module")
def backend_url() -> Iterator[str]:
    backend = EmbeddedBackend(seed=1, rate=1500, speed=3)
    url = backend.start()
    yield url
    backend.stop()


def _tabs(c: Cockpit) -> list[str]:
    tabs = c.console.tabs
    return [tabs.tabText(i) for i in range(tabs.count())]


def test_every_desk_board_is_a_console_tab_with_live_data_in_desk_type(
    qapp: QApplication, backend_url: str
) -> None:
    c = Cockpit([backend_url], IDENTITY, runways_dir=RUNWAYS_DIR)
    c.console.resize(1920, 1080)
    c.place(virtual_screens(5))  # the default wall: overview, flood, forest fire, traffic, water supply
    c.wall.show(full_screen=False)
    console = c.console
    on_wall = set(c.wall.assignment.on_screen)
    assert {"flood", "forest_fire", "traffic", "water_supply"} <= on_wall
    assert {"waste", "water_quality", "street_party"} <= set(c.wall.assignment.on_console)
    # A tab for every desk board, whether its runway is on a screen or in a tab of its own; the
    # runways' own tabs come first, the desk boards after them in the files' order.
    assert list(console.desks) == list(DESK_TABS)
    tabs = _tabs(c)
    assert [t for t in tabs if t.endswith(" · details")] == [t for t, _ in DESK_TABS.values()]
    first_desk = tabs.index("Flood · details")
    assert all(tabs.index(c.wall.views[rid].title.text()) < first_desk for rid in c.wall.assignment.on_console)
    for did, (tab, kinds) in DESK_TABS.items():
        view = console.desks[did]
        assert isinstance(view, RunwayView) and console.tabs.indexOf(view) == tabs.index(tab)
        assert [type(p) for p in view.panels] == kinds, did
        assert view.wall_type is None, f"{did}: a desk board never gets wall type"
        for p in view.panels:
            if isinstance(p, EventsPanelView):
                assert isinstance(p.list, EventListView), f"{did}: the desk's table, not the wall's rows"
    # Desk type: a desk board's title is the console's, far smaller than the same runway's on the wall.
    wall_title = c.wall.views["traffic"].title.fontInfo().pixelSize()
    desk_title = console.desks["traffic.desk"].title.fontInfo().pixelSize()
    assert desk_title * 2 < wall_title, (desk_title, wall_title)
    waiting: dict[str, list[str]] = {}

    def all_live() -> bool:
        waiting.clear()
        for did, view in console.desks.items():
            missing = [p.model.spec.kind.value for p in view.panels if not shows_live_data(p)]
            if missing:
                waiting[did] = missing
        return not waiting

    async def body() -> None:
        c.start()
        try:
            deadline = time.monotonic() + LIVE_WITHIN_S * TIME_SCALE
            while not all_live():
                assert time.monotonic() < deadline, f"desk boards not live: {waiting}"
                await asyncio.sleep(0.2)
            assert c.feed is not None and c.feed.state is ConnectionState.LIVE
            # The figures the wall boards leave out, from the backend, named by the backend.
            traffic = console.desks["traffic.desk"]
            bars = traffic.panels[1]
            assert isinstance(bars, BarsPanelView) and len(bars.bars.bars()) == 4  # every area
            roads = traffic.panels[2]
            assert isinstance(roads, TilesPanelView) and len(roads.tiles) == 2
            waste = console.desks["waste.desk"].panels[0]
            assert isinstance(waste, BarsPanelView) and len(waste.bars.bars()) == 4  # every site
            suspects = console.desks["water_quality.desk"].panels[1]
            assert isinstance(suspects, CardPanelView)
            card = suspects.card.card()
            assert card is not None and len([f for f in card.fields if "WWTP" in f.value]) == 2, card
            # Each tab shown at the desk monitor's size: every painted text whole.
            for did, view in console.desks.items():
                console.tabs.setCurrentWidget(view)
                console.grab()
                assert_nothing_cut(did, view)
        finally:
            await c.stop()

    try:
        run_on_qt_loop(qapp, body)
    finally:
        dispose(c)
