"""The closed loop through the real UI: click an alarm, acknowledge it, dispatch it, watch the unit
reach the scene on the dispatch board; call a unit off with the confirmation. Real embedded demo
backend, real websocket, real widgets (offscreen)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.wiring import Cockpit
from cockpit.audit.chain import verify_file
from cockpit.feed import ConnectionState, Identity
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.messages import CommandKind, DispatchState, EventState, UnitStatus
from tests.app.test_wall import dispose, run_on_qt_loop
from tests.helpers import wait_until
from widgets.values import Tone

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fast_backend() -> Iterator[str]:
    backend = EmbeddedBackend(seed=5, rate=1000, speed=8)
    url = backend.start()
    yield url
    backend.stop()


@pytest.fixture
def cockpit(qapp: QApplication, fast_backend: str, tmp_path: Path) -> Iterator[Cockpit]:
    c = Cockpit(
        [fast_backend],
        Identity("test-loop", "officer-9", "operator"),
        audit_path=tmp_path / "audit.jsonl",
        outbox_path=tmp_path / "outbox.jsonl",
        centre="test centre",
    )
    c.place(virtual_screens(2, 1600, 900))
    c.wall.show(full_screen=False)
    yield c
    dispose(c)


def dispatchable_new_event(c: Cockpit) -> str | None:
    sit = c.situation
    for e in sit.open_events():
        if e.state is EventState.NEW and any(
            u in sit.units and sit.units[u].status is UnitStatus.AVAILABLE for u in e.recommended
        ):
            return e.id
    return None


def test_click_alarm_acknowledge_dispatch_and_see_the_unit_on_scene(
    qapp: QApplication, cockpit: Cockpit, qtbot: QtBot
) -> None:
    console = cockpit.wall.console

    async def body() -> None:
        cockpit.start()
        await wait_until(
            lambda: cockpit.feed.state is ConnectionState.LIVE and dispatchable_new_event(cockpit) is not None,
            what="a new event with an available unit",
        )
        await wait_until(lambda: console.alarms.row_count() > 0, what="alarms listed")
        eid = dispatchable_new_event(cockpit)
        assert eid is not None and eid in console.alarms.alarm_ids()

        # Click the alarm's row, as the officer does.
        table = console.alarms._table
        row = console.alarms._model.row_of(eid)
        assert row is not None
        table.scrollTo(table.model().index(row, 0))
        rect = table.visualRect(table.model().index(row, 1))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert console.alarms.selected_alarm_id() == eid
        await wait_until(lambda: cockpit.ctx.selection.chosen == eid, what="the officer's choice")
        await wait_until(lambda: console.dispatch.model.event_id == eid, what="the console's dispatch follows")

        # Acknowledge it with the list's button.
        ack = console.alarms.findChild(QPushButton, "alarmAckButton")
        assert ack is not None and ack.isEnabled()
        qtbot.mouseClick(ack, Qt.MouseButton.LeftButton)
        await wait_until(
            lambda: cockpit.situation.events[eid].state is not EventState.NEW, what="acknowledged"
        )
        records = cockpit.book.records.values
        acks = [r for r in records() if r.command.kind == CommandKind.ACKNOWLEDGE]
        await wait_until(lambda: acks[0].status is CommandStatus.ACCEPTED, what="the ack's answer")
        assert len(acks) == 1 and acks[0].command.event_id == eid
        assert acks[0].command.occurrence == cockpit.situation.events[eid].occurrence

        # Dispatch it with one click on the console's dispatch button.
        button = console.dispatch.panel.findChild(QPushButton, "dispatchButton")
        assert button is not None
        await wait_until(button.isEnabled, what="send enabled")
        await asyncio.sleep(0.6)  # the officer reads the button before clicking it
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        sent = [r for r in records() if r.command.kind == CommandKind.DISPATCH]
        assert len(sent) == 1
        cid = sent[0].command.id

        # The board shows it, and the unit reaches the scene.
        await wait_until(
            lambda: (r := console.board.row_of(cid)) is not None
            and r.state == "On scene",
            timeout=30,
            what="the board shows the unit on scene",
        )
        row_on_board = console.board.row_of(cid)
        assert row_on_board is not None and row_on_board.tone is Tone.PENDING and row_on_board.can_cancel
        unit = cockpit.situation.units[sent[0].command.unit_id]
        assert unit.status is UnitStatus.ON_SCENE and unit.event_id == eid

        # The console's audit tab shows the actions and verifies the chain off the GUI thread.
        shown = [(r.action, r.operator) for r in cockpit.audit_view.rows()]
        assert ("Acknowledge", "officer-9") in shown and ("Dispatch", "officer-9") in shown
        qtbot.mouseClick(cockpit.audit_view.verify_button(), Qt.MouseButton.LeftButton)
        await wait_until(lambda: "Chain intact" in cockpit.audit_view.verdict_text(), what="chain verified")
        await cockpit.stop()

        # Every action is on the hash-chained audit trail, in order, and the chain verifies.
        assert cockpit.audit is not None
        report = verify_file(cockpit.audit.path)
        assert report.ok, report.broken
        actions = [(r.action, r.details.get("event_id")) for r in report.records]
        assert actions[0][0] == "login"
        assert ("acknowledge", eid) in actions and ("dispatch", eid) in actions
        assert actions.index(("acknowledge", eid)) < actions.index(("dispatch", eid))
        assert all(r.operator == "officer-9" for r in report.records)

    run_on_qt_loop(qapp, body)


def test_call_off_a_unit_from_the_board_needs_one_confirmation(
    qapp: QApplication, cockpit: Cockpit, qtbot: QtBot
) -> None:
    console = cockpit.wall.console

    async def body() -> None:
        cockpit.start()
        await wait_until(
            lambda: cockpit.feed.state is ConnectionState.LIVE and dispatchable_new_event(cockpit) is not None,
            what="a new event with an available unit",
        )
        button = console.dispatch.panel.findChild(QPushButton, "dispatchButton")
        assert button is not None

        def ready() -> bool:  # the city moves on: pick an event whose unit is free right now
            eid = dispatchable_new_event(cockpit)
            if eid is None:
                return False
            cockpit.ctx.selection.choose(eid)
            return console.dispatch.model.event_id == eid and button.isEnabled()

        await wait_until(ready, what="a dispatch button ready to send")
        await asyncio.sleep(0.6)  # the officer reads the button before clicking it
        records = cockpit.book.records.values
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        cid = next(r.command.id for r in records() if r.command.kind == CommandKind.DISPATCH)
        await wait_until(lambda: console.board.row_of(cid) is not None and console.board.row_of(cid).can_cancel)  # type: ignore[union-attr]
        assert console.board.select(cid)
        cancel = console.board.cancel_button()
        assert cancel.isEnabled()
        await asyncio.sleep(0.6)  # read before clicking: a just-changed button ignores clicks
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        await asyncio.sleep(0.6)
        assert not any(r.command.kind == CommandKind.CANCEL for r in records()), (
            "one click only arms a critical action"
        )
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        cancels = [r for r in records() if r.command.kind == CommandKind.CANCEL]
        assert len(cancels) == 1 and cancels[0].command.ref == cid and cancels[0].command.critical
        await wait_until(
            lambda: cid in cockpit.situation.dispatches
            and cockpit.situation.dispatches[cid].state is DispatchState.CANCELLED,
            what="cancelled",
        )
        await wait_until(
            lambda: (r := console.board.row_of(cid)) is not None and r.tone is Tone.ENDED,
            what="the board says cancelled",
        )
        await cockpit.stop()

    run_on_qt_loop(qapp, body)
