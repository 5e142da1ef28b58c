"""No drill command can reach a live backend, even when --backend and the site file point at one.

A real demo backend plays the live district backend on loopback. ``cockpit --drill`` is built from a
command line that names it twice (the site file and ``--backend``); the trainees' commands go
through the cockpit's own command sender, the path every button uses. The live backend's command
counter stays at 0 while the sandbox applies every command.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from cockpit.app.drill_mode import DrillSession, drill_session
from cockpit.app.main import build_parser
from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.config.cli import apply_site, resolve_site
from cockpit.feed import ConnectionState, FeedClient, Identity
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import Command, CommandKind
from cockpit.record.drill import DrillSandboxError
from tests.helpers import wait_until

SCRIPT = """\
id: sandbox_check
title: {en: Sandbox check}
start:
  scenario: {seed: 5, clock: 200, speed: 2, rate: 300, events_per_min: 30}
duration: 600
injects:
  - {at: 0.5, kind: event, type: t, theme: flood, district: jiangbei, severity: 2, title: Drill event}
"""


@pytest.mark.parametrize("misconfigured", ["site file", "site file and --backend"])
def test_drill_commands_reach_the_sandbox_and_never_the_live_backend(
    qapp: QApplication, tmp_path: Path, misconfigured: str
) -> None:
    script = tmp_path / "drill.yaml"
    script.write_text(SCRIPT, encoding="utf-8")

    async def body() -> None:
        live = DemoBackend(City(Hub(), seed=2, rate=300, sensors_per_kind=3), server_id="live-district")
        await live.start()
        try:
            await drill_against(live)
        finally:
            await live.stop()

    async def drill_against(live: DemoBackend) -> None:
        site = tmp_path / "site.toml"
        site.write_text(
            '[centre]\ndistrict = "jiangbei"\nlevel = "district"\nname = "Jiangbei"\n'
            f'[backend]\nurls = ["{live.url}"]\n',
            encoding="utf-8",
        )
        argv = ["--drill", str(script), "--site", str(site), "--report", str(tmp_path / "reports")]
        if "--backend" in misconfigured:
            argv += ["--backend", live.url]
        args = build_parser().parse_args(argv)
        apply_site(args, resolve_site(args.site))
        assert args.backend == [live.url]  # the configuration really points the cockpit at it

        session = drill_session(args, Identity("drill-desk", "trainee-3", "operator"), "en", None)
        sessions.append(session)
        cockpit, sandbox = session.cockpit, session.sandbox
        cockpit.place(virtual_screens(1, 1280, 720))
        try:
            assert isinstance(cockpit.feed, FeedClient)
            assert cockpit.feed.urls == [sandbox.url] and live.url not in cockpit.feed.urls
            with pytest.raises(DrillSandboxError, match="refusing"):
                sandbox.feed_urls([live.url])
            session.start()
            await wait_until(lambda: cockpit.feed.state is ConnectionState.LIVE, what="drill cockpit live")
            await wait_until(lambda: bool(sandbox.snapshot().injects), what="the drill's inject")
            eid = sandbox.snapshot().injects[0].event_id
            await wait_until(lambda: eid in cockpit.situation.events, what="the drill event on the wall")
            unit = cockpit.situation.events[eid].recommended[0]
            sent = [
                Command(id=uuid7(time.time_ns() // 1_000_000), kind=CommandKind.ACKNOWLEDGE, event_id=eid),
                Command(id=uuid7(time.time_ns() // 1_000_000), kind=CommandKind.DISPATCH, event_id=eid, unit_id=unit),
            ]
            for other in cockpit.situation.open_events()[:3]:
                if other.id != eid:
                    sent.append(Command(id=uuid7(time.time_ns() // 1_000_000), kind=CommandKind.ACKNOWLEDGE, event_id=other.id))
            for command in sent:
                cockpit.send(command)  # what the wall's buttons call
            await wait_until(
                lambda: all(
                    c.id in cockpit.book.records and cockpit.book.records[c.id].status is CommandStatus.ACCEPTED
                    for c in sent
                ),
                what="every drill command accepted",
            )
            drill_city = sandbox.director.city if sandbox.director else None
            assert drill_city is not None and drill_city.applied == len(sent)
            assert [a.operator for a in sandbox.snapshot().actions] == ["trainee-3"] * len(sent)
            await asyncio.sleep(0.3)  # anything on its way to the live backend would have arrived
            assert live.city.applied == 0
            assert not live.clients  # nothing even connected to it
        finally:
            await session.stop()
        assert session.report_files and session.report_files[0].exists()

    sessions: list[DrillSession] = []
    try:
        run_on_qt_loop(qapp, body)
    finally:
        # Qt objects and the loop die here, on the Qt thread: a garbage collection that a later
        # test's backend thread happens to run must find none of them.
        for session in sessions:
            session.dispose()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        sessions.clear()
        gc.collect()


def run_on_qt_loop(app: QApplication, body: Callable[[], Awaitable[None]]) -> None:
    """Run ``body`` on a qasync loop over the test's QApplication, as the app does."""
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(body())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
