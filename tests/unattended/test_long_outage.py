"""Issue 19, "Long outages": the wall says since when it is offline, the outbox stays bounded, and
the wall is live again soon after the backend returns, with nobody touching it.

In process, on a qasync loop, with the real wiring (Cockpit + WallService), a real feed and a real
demo backend that is down, then up on the same port. Times are shortened where the production value
is only a threshold (when "since" is shown, the backoff's cap: its production cap is checked as a
property below); the outbox limits are the production ones except where a test says so.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import qasync
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from cockpit.app import service as service_module
from cockpit.app.service import WallService
from cockpit.app.wiring import Cockpit
from cockpit.audit import AuditAction
from cockpit.feed import ConnectionState, FeedClient, Identity
from cockpit.feed import client as client_module
from cockpit.feed.client import Backoff
from cockpit.feed.outbox import MAX_COMMANDS
from cockpit.present import wall as wall_presenter
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.messages import Command, CommandKind
from tests.helpers import wait_until
from tests.unattended.helpers import BackendThread, CountingCity

IDENTITY = Identity("outage-wall", "officer-3", "operator", token="t0ken")
TEST_RUNWAYS = Path(__file__).resolve().parents[1] / "app" / "runways"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_on_qt_loop(app: QApplication, body: Callable[[], Awaitable[None]]) -> None:
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            loop.run_until_complete(body())
    finally:
        asyncio.set_event_loop(None)


def dispose(c: Cockpit) -> None:
    c.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@given(st.integers(min_value=0, max_value=100_000))
def test_however_long_the_outage_the_next_try_is_at_most_the_cap_away(failures: int) -> None:
    """An hour down is ~450 tries; after any number of them the next one comes within 8 s."""
    backoff = Backoff()
    backoff.attempt = failures
    assert backoff.cap_s <= 8.0
    assert 0 < backoff.next_delay() <= backoff.cap_s


def test_offline_since_then_live_again_when_the_backend_returns(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wall_presenter, "OFFLINE_SINCE_AFTER_S", 0.5)  # the wall says "since" after 10 s
    port = free_port()
    c = Cockpit([f"ws://127.0.0.1:{port}"], IDENTITY, runways_dir=TEST_RUNWAYS, outbox_path=tmp_path / "outbox.jsonl")
    assert isinstance(c.feed, FeedClient)
    c.feed.backoff = Backoff(base_s=0.05, cap_s=0.4)  # the production cap is 8 s (the property above)
    c.place(virtual_screens(2, 1600, 900))
    svc = WallService(c, tmp_path / "data", full_screen=False)
    c.attach_service(svc)
    backend: BackendThread | None = None

    async def body() -> None:
        nonlocal backend
        started = time.time()
        c.start()
        svc.start()
        await wait_until(lambda: c.feed.counters.reconnects >= 3, what="failed tries")
        await asyncio.sleep(0.8)
        view = c.wall.views["overview"]
        offline = c.presenter.offline
        since = time.strftime("%H:%M:%S", time.localtime(offline.since or 0))
        assert offline.since is not None and offline.since <= started + 0.5
        assert f"not live since {since}" in view.status.text(), view.status.text()
        sample = svc.sample()
        assert sample.link != "live" and sample.offline_since == offline.since
        memory_before = sample.rss_bytes
        # The backend comes back on the same port (a restarted one: a new epoch).
        backend = BackendThread(CountingCity(), port=port)
        back_at = time.monotonic()
        await wait_until(lambda: c.feed.state is ConnectionState.LIVE, timeout=30, what="live again")
        assert time.monotonic() - back_at < 0.4 + 5 + 2  # the cap, the handshake's timeout, slack
        await asyncio.sleep(1.2)  # a slow frame redraws the status lines
        assert "not live since" not in view.status.text()
        sample = svc.sample()
        assert sample.link == "live" and sample.offline_since is None and sample.reconnects >= 3
        assert memory_before is not None
        await c.stop()
        svc.close()

    try:
        run_on_qt_loop(qapp, body)
    finally:
        dispose(c)
        if backend is not None:
            backend.stop()


def test_a_full_outbox_blocks_new_commands_with_the_reason_and_keeps_its_bound(qapp: QApplication, tmp_path: Path) -> None:
    port = free_port()
    c = Cockpit([f"ws://127.0.0.1:{port}"], IDENTITY, runways_dir=TEST_RUNWAYS, outbox_path=tmp_path / "outbox.jsonl")
    feed = c.feed
    assert isinstance(feed, FeedClient)
    svc = WallService(c, None, full_screen=False)
    for i in range(MAX_COMMANDS):  # an hour of clicks with the backend away
        feed.send_command(Command(id=f"c{i:05d}", kind=CommandKind.ACKNOWLEDGE, event_id=f"E{i}", occurrence=1))
    assert len(feed.outbox) == MAX_COMMANDS and feed.outbox_full
    svc.sample()
    assert "the outbox is full" in c.book.blocked
    assert c.book.why_not(CommandKind.DISPATCH) == c.book.blocked  # every button says why
    refused: list[object] = []
    feed.sink = refused.extend
    feed.send_command(Command(id="one-more", kind=CommandKind.ACKNOWLEDGE, event_id="E", occurrence=1))
    assert len(feed.outbox) == MAX_COMMANDS  # bounded: the extra one was refused, and said so
    assert [type(e).__name__ for e in refused] == ["OutboxProblem", "CommandUpdate"]
    assert refused[1].status is CommandStatus.DISCARDED  # type: ignore[attr-defined]
    journal = (tmp_path / "outbox.jsonl").stat().st_size
    assert journal < 400 * MAX_COMMANDS  # a few hundred bytes a command, at most
    feed.close_outbox()
    dispose(c)


def test_audit_records_beyond_the_bound_wait_in_the_log_and_all_arrive_once(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 6  # the production bound is 50,000 (cockpit/feed/outbox.py)
    monkeypatch.setattr(client_module, "MAX_AUDITS", limit)
    monkeypatch.setattr(service_module, "MAX_AUDITS", limit)
    port = free_port()
    c = Cockpit(
        [f"ws://127.0.0.1:{port}"], IDENTITY, runways_dir=TEST_RUNWAYS,
        outbox_path=tmp_path / "outbox.jsonl", audit_path=tmp_path / "audit.jsonl",
    )  # fmt: skip
    feed, audit, forwarder = c.feed, c.audit, c.forwarder
    assert isinstance(feed, FeedClient) and audit is not None and forwarder is not None
    feed.backoff = Backoff(base_s=0.05, cap_s=0.3)
    svc = WallService(c, None, full_screen=False)
    for i in range(15):  # the login record and 15 actions while the backend is away
        audit.record(AuditAction.ACKNOWLEDGE, {"event_id": f"E{i}"})
    assert feed.audit_backlog == limit and forwarder.behind and feed.audit_overflow
    backend: BackendThread | None = None

    async def body() -> None:
        nonlocal backend
        c.start()
        backend = BackendThread(CountingCity(), port=port)

        def delivered() -> bool:
            svc.sample()  # the service's second: catches up once the backlog drained
            assert backend is not None
            return len(backend.backend.audit.records) == 16 and feed.audit_backlog == 0

        await wait_until(delivered, timeout=60, what="every audit record at the backend")
        assert sorted(seq for _, seq in backend.backend.audit.records) == list(range(1, 17))
        assert not forwarder.behind
        await c.stop()

    try:
        run_on_qt_loop(qapp, body)
    finally:
        dispose(c)
        if backend is not None:
            backend.stop()
