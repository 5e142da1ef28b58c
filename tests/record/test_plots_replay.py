"""Plots are recorded and replay as they were drawn (protocol §5.10, docs/recording.md): a live session
in which a fire line is drawn, edited twice and a zone drawn and deleted, recorded to MCAP; the replay
shows the same drawings in the same order, and a seek rebuilds the drawing as it stood then."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import Command, CommandKind, Geometry, PlotBody, Stream, Welcome
from cockpit.record.channels import STREAM_TOPICS
from cockpit.record.reader import Recording
from cockpit.record.recorder import Recorder
from cockpit.record.replay import PlayState, ReplaySource
from cockpit.record.snapshot import StateMirror, StateSnapshot, take_snapshot
from tests.helpers import wait_until

Digest = dict[str, tuple[int, object]]


def digest(model: Situation) -> Digest:
    return {p.id: (p.version, p.coordinates) for p in model.plots.values()}


def record(directory: Path) -> list[tuple[int, Digest]]:
    """Record a session with plots; returns every distinct state of the plots the live wall showed,
    with the wall-clock ns it arrived at."""
    seen: list[tuple[int, Digest]] = []

    async def body() -> None:
        city = City(Hub(), seed=1, rate=100, sensors_per_kind=2)
        city.advance(180.0)
        backend = DemoBackend(city, heartbeat_ms=300)
        await backend.start()
        model, mirror = Situation(), StateMirror()
        feed: FeedClient | None = None

        def state(welcome: Welcome | None, wall_ms: int) -> StateSnapshot | None:
            if feed is None or feed.state is not ConnectionState.LIVE:
                return None
            return take_snapshot(mirror, model.sensors, feed.cursors, welcome, wall_ms)

        recorder = Recorder(directory, state=state, snapshot_every_s=0.3, flush_every_s=0.1)

        def sink(events: list[FeedEvent]) -> None:
            model.apply(events)
            mirror.apply(events)
            now = digest(model)
            if not seen or seen[-1][1] != now:
                seen.append((time.time_ns(), now))

        feed = FeedClient([backend.url], Identity("rec", "li.wei", "operator"), sink, backoff=Backoff(0.05, 0.3), tap=recorder.tap)
        feed.start()
        await wait_until(lambda: feed is not None and feed.state is ConnectionState.LIVE, what="live")
        fire = next(e.id for e in city.state.events.values() if e.type == "fire")
        line = PlotBody(id=uuid7(1), kind="fire_line", event_id=fire,
                        geometry=Geometry(type="LineString", coordinates=[[106.42, 29.56], [106.43, 29.565]]))
        zone = PlotBody(id=uuid7(2), kind="fire_zone", event_id=fire, geometry=Geometry(
            type="Polygon", coordinates=[[[106.41, 29.57], [106.42, 29.57], [106.42, 29.575], [106.41, 29.57]]]))
        steps = [
            Command(id=uuid7(10), kind=CommandKind.PLOT_CREATE, plot=line),
            Command(id=uuid7(11), kind=CommandKind.PLOT_CREATE, plot=zone),
            Command(id=uuid7(12), kind=CommandKind.PLOT_EDIT, base=1, plot=PlotBody(
                id=line.id, kind="fire_line", event_id=fire,
                geometry=Geometry(type="LineString", coordinates=[[106.42, 29.56], [106.43, 29.565], [106.44, 29.566]]))),
            Command(id=uuid7(13), kind=CommandKind.PLOT_DELETE, ref=zone.id, base=1),
            Command(id=uuid7(14), kind=CommandKind.PLOT_EDIT, base=2, plot=PlotBody(
                id=line.id, kind="fire_line", event_id=fire, label="Fire line 14:20",
                geometry=Geometry(type="LineString", coordinates=[[106.419, 29.559], [106.43, 29.565], [106.44, 29.566]]))),
        ]  # fmt: skip
        await asyncio.sleep(0.5)  # a snapshot before anything is drawn
        for command in steps:
            feed.send_command(command)
            await wait_until(lambda c=command: feed is not None and feed.command_state(c.id) is None, what="answered")
            await asyncio.sleep(0.4)  # time apart: each state is its own moment of the recording
        await feed.stop()
        await backend.stop()
        recorder.close()

    asyncio.run(body())
    return seen


def test_plots_replay_as_they_were_drawn_and_a_seek_shows_the_drawing_then(tmp_path: Path) -> None:
    live = record(tmp_path)
    states = [d for _, d in live]
    assert len(states) == 6, "nothing, line, line and zone, line v2, zone deleted, line v3"
    assert [len(d) for d in states] == [0, 1, 2, 2, 1, 1]

    recording = Recording(tmp_path)
    try:
        check_replay(recording, live)
    finally:
        recording.close()


def check_replay(recording: Recording, live: list[tuple[int, Digest]]) -> None:
    states = [d for _, d in live]
    assert STREAM_TOPICS[Stream.PLOTS] == "/feed/plots"
    model = Situation()
    replayed: list[Digest] = []

    def sink(events: list[FeedEvent]) -> None:
        model.apply(events)
        now = digest(model)
        if not replayed or replayed[-1] != now:
            replayed.append(now)

    source = ReplaySource(recording, sink)
    source.seek(recording.start_ns)
    source.play()
    source.set_speed(20)
    for _ in range(100_000):
        if source.play_state is PlayState.ENDED:
            break
        source.advance(0.02)
    assert replayed == states, "the replay shows each drawing as it was, in order"

    # A seek to the moment between the zone's deletion and the line's last edit.
    (deleted_at, then), (edited_at, _) = live[4], live[5]
    model2 = Situation()
    seeker = ReplaySource(recording, model2.apply)
    seeker.seek((deleted_at + edited_at) // 2)
    assert digest(model2) == then
