"""The first wall end to end: real demo backend, real websocket, real widgets (offscreen)."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.panels import DispatchPanelView, EventsPanelView, TilesPanelView
from cockpit.app.wiring import Cockpit
from cockpit.feed import ConnectionState, Identity
from cockpit.present.runway_spec import PanelKind
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.messages import CommandKind, DispatchState, EventState, UnitStatus
from tests.helpers import wait_until
from widgets.values import LinkLevel, TileLevel, Tone

IDENTITY = Identity("test-wall", "officer-7", "operator", token="t0ken")
TEST_RUNWAYS = Path(__file__).parent / "runways"
"""One runway with an unfiltered events list, tiles and dispatch, under the overview's id."""


def run_on_qt_loop(app: QApplication, body: Callable[[], Awaitable[None]]) -> None:
    """Run ``body`` on a qasync loop over the test's QApplication, as the app does."""
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(body())
    finally:
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture(scope="module")
def backend_url() -> Iterator[str]:
    backend = EmbeddedBackend(seed=11, rate=1500, speed=3)
    url = backend.start()
    yield url
    backend.stop()


def dispose(c: Cockpit) -> None:
    """Delete the wall's windows now, not in some later test's event loop."""
    c.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def cockpit(qapp: QApplication, backend_url: str) -> Iterator[Cockpit]:
    c = Cockpit([backend_url], IDENTITY, runways_dir=TEST_RUNWAYS)
    c.place(virtual_screens(5, 1600, 900))
    c.wall.show(full_screen=False)
    yield c
    dispose(c)


class Overview:
    """The overview runway's widgets, as a test reaches them."""

    def __init__(self, c: Cockpit) -> None:
        view = c.wall.views["overview"]
        events, dispatch, tiles = (view.panel(k) for k in (PanelKind.EVENTS, PanelKind.DISPATCH, PanelKind.TILES))
        assert isinstance(events, EventsPanelView) and isinstance(dispatch, DispatchPanelView)
        assert isinstance(tiles, TilesPanelView)
        self.view = view
        self.events_panel = events
        self.events = events.list
        self.dispatch = dispatch.panel
        self.dispatch_model = dispatch.model
        self.tiles = tiles.tiles
        self.status = view.status
        self.selection = c.ctx.selection


def test_wall_goes_live_and_shows_events_tiles_and_status(qapp: QApplication, cockpit: Cockpit) -> None:
    async def body() -> None:
        cockpit.start()
        await wait_until(lambda: cockpit.feed.state is ConnectionState.LIVE, what="live")
        await wait_until(lambda: Overview(cockpit).events.row_count() > 0, what="events listed")
        await asyncio.sleep(1.2)
        w = Overview(cockpit)
        assert w.status.level() is LinkLevel.OK
        assert "data" in w.status.age_text()
        levels = [t.level() for t in w.tiles]
        assert TileLevel.NO_DATA not in levels and TileLevel.STALE not in levels
        ids = w.events.event_ids()
        assert set(ids) == {e.id for e in cockpit.situation.open_events()}
        new = [e.id for e in cockpit.situation.open_events() if e.state is EventState.NEW]
        assert new and w.events.is_flashing()
        await cockpit.stop()

    run_on_qt_loop(qapp, body)


def test_one_click_dispatch_shows_command_state_to_the_unit(
    qapp: QApplication, cockpit: Cockpit, qtbot: QtBot
) -> None:
    async def body() -> None:
        cockpit.start()
        sit = cockpit.situation

        def candidate() -> str | None:
            for e in sit.open_events():
                if e.state is EventState.NEW and any(
                    sit.units.get(u) is not None and sit.units[u].status is UnitStatus.AVAILABLE
                    for u in e.recommended
                ):
                    return e.id
            return None

        await wait_until(lambda: cockpit.feed.state is ConnectionState.LIVE and candidate() is not None)
        await asyncio.sleep(0.2)
        eid = candidate()
        assert eid is not None
        w = Overview(cockpit)
        w.events.row_clicked.emit(eid)  # the officer clicks its row
        await wait_until(lambda: w.selection.chosen == eid, what="the officer's choice")
        await wait_until(lambda: w.dispatch_model.event_id == eid, what="the choice reaches the runway")
        button = w.dispatch.findChild(QPushButton, "dispatchButton")
        assert button is not None
        await wait_until(button.isEnabled, what="send enabled")
        await asyncio.sleep(0.6)  # the officer reads the button first (a click on a just-changed one is void)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a second click must not send again
        records = cockpit.book.records.values
        dispatches = [r for r in records() if r.command.kind == CommandKind.DISPATCH]
        assert len(dispatches) == 1
        cid = dispatches[0].command.id
        await wait_until(lambda: cockpit.book.records[cid].status is CommandStatus.ACCEPTED, what="accepted")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # right after the answer: still one dispatch
        assert sum(r.command.kind == CommandKind.DISPATCH for r in records()) == 1
        w.events.selection_changed.emit("")  # the selected row left the list
        assert w.selection.chosen == eid, "the dispatch target must not move by itself"
        await wait_until(
            lambda: cid in sit.dispatches and sit.dispatches[cid].state is DispatchState.ACKNOWLEDGED,
            timeout=15,
            what="unit acknowledged",
        )
        panel = w.dispatch
        await wait_until(lambda: panel.command_text().endswith("Unit acknowledged"), what="the panel follows")
        assert panel.command_level() is Tone.PENDING, "on its way, in the stream's words"
        unit = sit.units[sit.dispatches[cid].unit_id]
        assert unit.status is not UnitStatus.AVAILABLE and unit.event_id == eid
        assert sit.events[eid].state is EventState.DISPATCHED
        await cockpit.stop()

    run_on_qt_loop(qapp, body)


def test_acknowledge_from_the_list_stops_the_flashing(qapp: QApplication, cockpit: Cockpit) -> None:
    async def body() -> None:
        cockpit.start()
        sit = cockpit.situation
        await wait_until(
            lambda: any(e.state is EventState.NEW for e in sit.open_events()), what="a new event"
        )
        await asyncio.sleep(0.2)
        eid = next(e.id for e in sit.open_events() if e.state is EventState.NEW)
        w = Overview(cockpit)
        w.events.acknowledge_requested.emit(eid)
        await wait_until(lambda: sit.events[eid].state is EventState.ACKNOWLEDGED, what="acknowledged")
        await asyncio.sleep(0.6)
        view = w.events
        assert eid in view.event_ids()
        phases = []
        for _ in range(2):  # one sample in each flash phase
            phase = view.flash_phase
            await wait_until(lambda p=phase: view.flash_phase != p, timeout=3, what="flash toggles")
            phases.append(view.row_background(eid))
        assert phases[0] == phases[1], "an acknowledged event must be steady"
        others = [e.id for e in sit.open_events() if e.state is EventState.NEW and e.id in view.event_ids()]
        if others:
            a = view.row_background(others[0])
            phase = view.flash_phase
            await wait_until(lambda: view.flash_phase != phase, timeout=3, what="flash toggles")
            assert view.row_background(others[0]) != a, "an unacknowledged event must flash"
        ack = [r for r in cockpit.book.records.values() if r.command.kind == CommandKind.ACKNOWLEDGE]
        assert [r.status for r in ack] == [CommandStatus.ACCEPTED]
        await cockpit.stop()

    run_on_qt_loop(qapp, body)


def test_offline_backend_is_shown_down_and_tiles_never_look_live(qapp: QApplication) -> None:
    c = Cockpit(["ws://127.0.0.1:9"], IDENTITY, runways_dir=TEST_RUNWAYS)
    c.place(virtual_screens(5, 1600, 900))

    async def body() -> None:
        c.start()
        await wait_until(lambda: c.feed.counters.reconnects >= 1, what="a failed attempt")
        await asyncio.sleep(0.6)
        for view in c.wall.views.values():  # every screen says it is down; no value looks live
            assert view.status.level() is LinkLevel.DOWN
            assert "127.0.0.1:9" in view.status.text()
        w = Overview(c)
        assert all(t.level() in (TileLevel.NO_DATA, TileLevel.STALE) for t in w.tiles)
        assert "no data yet" in w.events_panel.title.text()
        for view in c.wall.views.values():  # no all-clear while down: the banner says it is not current
            assert view.banner.not_current() and not view.banner.is_flashing()
        await c.stop()

    try:
        run_on_qt_loop(qapp, body)
    finally:
        dispose(c)


def test_python_version_guard_matches_pyproject() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), "PySide6 6.12 aborts on Python 3.11 (bool_dealloc)"


def test_screen_windows_are_titled_by_their_runways_name_not_its_id(qapp: QApplication, cockpit: Cockpit) -> None:
    window = cockpit.wall.windows["overview"]
    assert window.windowTitle() == cockpit.wall.views["overview"].title.text() != "overview"
