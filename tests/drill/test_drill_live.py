"""A short drill over real loopback websockets: a scripted trainee's real FeedClient against the sandbox."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.events import CommandAcked
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind, EventState
from cockpit.record.drill import DrillSandbox, DrillSandboxError
from cockpit.record.drill_report import compute_report, to_markdown, write_report
from cockpit.record.drill_script import load_drill
from tests.helpers import wait_until

TRAINEE = Identity("drill-trainee", "trainee-1", "operator")

SCRIPT = """\
id: short
title: {en: Short drill}
start:
  scenario: {seed: 9, clock: 400, speed: 8, rate: 300, events_per_min: 0}
duration: 200
targets: {acknowledge: 3, dispatch: 60, close: 30}
report_themes: [flood]
injects:
  - at: 2
    kind: event
    name: car trapped
    type: vehicle_trapped
    theme: flood
    district: jiangbei
    severity: 1
    title: Car trapped in the underpass
  - at: 4
    kind: unit_silent
    unit: jiangbei-traffic_police-2
"""


class Trainee:
    """A scripted duty officer: a real FeedClient into a model, with every command answer kept."""

    def __init__(self, urls: list[str]) -> None:
        self.model = Situation()
        self.acks: dict[str, str] = {}
        self.feed = FeedClient(urls, TRAINEE, self, backoff=Backoff(base_s=0.05, cap_s=0.3))

    def __call__(self, events: list[FeedEvent]) -> None:
        self.model.apply(events)
        for ev in events:
            if isinstance(ev, CommandAcked):
                self.acks[ev.ack.id] = ev.ack.result

    async def command(self, kind: str, event_id: str, unit_id: str = "") -> str:
        cid = uuid7(0)
        self.feed.send_command(Command(id=cid, kind=kind, event_id=event_id, unit_id=unit_id))
        await wait_until(lambda: cid in self.acks, what=f"answer to {kind}")
        return self.acks[cid]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[DrillSandbox]:
    path = tmp_path / "short.yaml"
    path.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    box = DrillSandbox(load_drill(path))
    box.start()
    yield box
    box.stop()


@pytest.mark.slow
def test_a_scripted_trainee_gets_a_report_with_the_times_the_sandbox_saw(
    sandbox: DrillSandbox, tmp_path: Path
) -> None:
    async def body() -> None:
        trainee = Trainee(sandbox.feed_urls())
        trainee.feed.start()
        await wait_until(lambda: trainee.feed.state is ConnectionState.LIVE, what="live")
        await wait_until(lambda: any(f.event_id for f in sandbox.snapshot().injects), what="inject")
        fired = next(f for f in sandbox.snapshot().injects if f.event_id)
        eid = fired.event_id
        await wait_until(
            lambda: eid in trainee.model.events, what="the injected event on the trainee's model"
        )
        # The officer looks for a while (5 drill seconds) before acknowledging: over the 3 s target.
        await wait_until(lambda: sandbox.snapshot().end_t >= fired.t + 5, what="5 drill seconds")
        assert await trainee.command(CommandKind.ACKNOWLEDGE, eid) == AckResult.ACCEPTED
        unit = trainee.model.events[eid].recommended[0]
        assert await trainee.command(CommandKind.DISPATCH, eid, unit) == AckResult.ACCEPTED
        assert unit != "jiangbei-traffic_police-2"  # the silent one is not recommended first
        await wait_until(
            lambda: trainee.model.events[eid].state is EventState.RESOLVED, timeout=30, what="resolved"
        )
        await trainee.feed.stop()
        await wait_until(lambda: closed_in_log(eid), what="the director logging the closure")

    def closed_in_log(eid: str) -> bool:
        return any(e.event_id == eid and e.state == "resolved" for e in sandbox.snapshot().events)

    asyncio.run(body())
    log = sandbox.snapshot()
    report = compute_report(log)
    row = next(r for r in report.rows if r.origin == "inject")
    ack, dispatch = (next(a for a in log.actions if a.kind == k) for k in ("acknowledge", "dispatch"))
    assert (ack.operator, ack.role, ack.result) == ("trainee-1", "operator", "accepted")
    assert row.appeared == next(f.t for f in log.injects if f.event_id)
    assert row.acknowledge.seconds == pytest.approx(ack.t - row.appeared)
    assert row.acknowledge.seconds >= 5 and row.acknowledge.met is False  # target 3 s
    assert row.dispatch.seconds == pytest.approx(dispatch.t - row.appeared)
    assert row.dispatch.met is True  # target 60 s
    # The unit takes 45 simulated seconds from dispatch to completion (cockpit/backend/city.py);
    # the director sees it at its next look (a tick and a poll later at most).
    assert row.close.seconds is not None and row.dispatch.seconds is not None
    assert 45 <= row.close.seconds - row.dispatch.seconds <= 47
    assert row.close.met is False  # target 30 s
    md = to_markdown(report)
    assert f"| {row.event_id} | car trapped (inject) | 1 red |" in md
    assert "trainee-1 (operator) | acknowledge" in md
    files = write_report(report, tmp_path / "report")
    assert files[1].read_text(encoding="utf-8").count("<svg") == 2


def test_the_sandbox_gives_only_its_own_url_and_refuses_any_other(sandbox: DrillSandbox) -> None:
    assert sandbox.feed_urls() == [sandbox.url]
    assert sandbox.feed_urls([sandbox.url]) == [sandbox.url]
    for other in ("ws://127.0.0.1:1", "wss://district.example:443", "ws://10.0.0.5:8765"):
        with pytest.raises(DrillSandboxError, match="refusing"):
            sandbox.feed_urls([sandbox.url, other])


def test_pause_stops_the_drill_clock_and_resume_starts_it_again(sandbox: DrillSandbox) -> None:
    async def body() -> None:
        await wait_until(lambda: sandbox.snapshot().end_t > 1, what="the clock running")
        sandbox.pause()
        await wait_until(lambda: sandbox.paused, what="paused")
        held = sandbox.snapshot().end_t
        await asyncio.sleep(0.5)
        assert sandbox.snapshot().end_t == held
        sandbox.resume()
        await wait_until(lambda: sandbox.snapshot().end_t > held, what="running again")

    asyncio.run(body())
