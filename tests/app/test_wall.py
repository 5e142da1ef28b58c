"""The first wall end to end: real demo backend, real websocket, real widgets (offscreen)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from cockpit.app.commands import Phase
from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.presenter import dispatch_state_text
from cockpit.app.wiring import Cockpit
from cockpit.feed import ConnectionState, Identity
from cockpit.protocol.messages import CommandKind, DispatchState, EventState, UnitStatus
from tests.helpers import wait_until
from widgets.dispatch_button import CommandLevel
from widgets.status_bar import LinkLevel
from widgets.vital_tile import TileLevel

IDENTITY = Identity("test-wall", "officer-7", "operator", token="t0ken")


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


@pytest.fixture
def cockpit(qtbot: QtBot, backend_url: str) -> Iterator[Cockpit]:
    c = Cockpit([backend_url], IDENTITY)
    qtbot.addWidget(c.window)
    c.window.resize(1600, 900)
    c.window.show()
    yield c
    c.timer.stop()


def test_wall_goes_live_and_shows_events_tiles_and_status(qapp: QApplication, cockpit: Cockpit) -> None:
    async def body() -> None:
        cockpit.start()
        await wait_until(lambda: cockpit.feed.state is ConnectionState.LIVE, what="live")
        await wait_until(lambda: cockpit.window.events.row_count() > 0, what="events listed")
        await asyncio.sleep(1.2)
        w = cockpit.window
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
        assert cockpit.window.events.select_event(eid)
        await wait_until(lambda: cockpit.presenter.selected == eid, what="selection reaches presenter")
        button = cockpit.window.dispatch.findChild(QPushButton, "dispatchButton")
        assert button is not None and button.isEnabled()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a second click must not send again
        dispatches = [t for t in cockpit.tracker.commands.values() if t.command.kind == CommandKind.DISPATCH]
        assert len(dispatches) == 1
        cid = dispatches[0].command.id
        await wait_until(lambda: cockpit.tracker.commands[cid].phase is Phase.ACCEPTED, what="accepted")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # right after the answer: still one dispatch
        assert sum(t.command.kind == CommandKind.DISPATCH for t in cockpit.tracker.commands.values()) == 1
        cockpit.window.events.selection_changed.emit("")  # the selected row left the list
        assert cockpit.presenter.selected == eid, "the dispatch target must not move by itself"
        await wait_until(
            lambda: cid in sit.dispatches and sit.dispatches[cid].state is DispatchState.ACKNOWLEDGED,
            timeout=15,
            what="unit acknowledged",
        )
        cockpit.presenter._rows_dirty = True
        cockpit.presenter.frame()  # no await between this frame and the checks: the model holds still
        panel = cockpit.window.dispatch
        assert panel.command_level() is CommandLevel.OK
        assert panel.command_text().endswith(dispatch_state_text(sit.dispatches[cid].state))
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
        cockpit.window.events.acknowledge_requested.emit(eid)
        await wait_until(lambda: sit.events[eid].state is EventState.ACKNOWLEDGED, what="acknowledged")
        await asyncio.sleep(0.6)
        view = cockpit.window.events
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
        ack = [t for t in cockpit.tracker.commands.values() if t.command.kind == CommandKind.ACKNOWLEDGE]
        assert [t.phase for t in ack] == [Phase.ACCEPTED]
        await cockpit.stop()

    run_on_qt_loop(qapp, body)


def test_offline_backend_is_shown_down_and_tiles_never_look_live(qapp: QApplication, qtbot: QtBot) -> None:
    c = Cockpit(["ws://127.0.0.1:9"], IDENTITY)
    qtbot.addWidget(c.window)

    async def body() -> None:
        c.start()
        await wait_until(lambda: c.feed.counters.reconnects >= 1, what="a failed attempt")
        await asyncio.sleep(0.6)
        assert c.window.status.level() is LinkLevel.DOWN
        assert "127.0.0.1:9" in c.window.status.text()
        assert all(t.level() in (TileLevel.NO_DATA, TileLevel.STALE) for t in c.window.tiles)
        await c.stop()

    run_on_qt_loop(qapp, body)


def test_python_version_guard_matches_pyproject() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), "PySide6 6.12 aborts on Python 3.11 (bool_dealloc)"
