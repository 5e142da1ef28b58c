"""A drill that starts from a recording: a real demo session recorded to MCAP, a drill script pointing
at an instant of it, the sandbox seeded with the situation recorded there, a trainee on top."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import msgspec
import pytest

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend, now_ms
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.messages import (
    AckResult,
    Command,
    CommandKind,
    Dispatch,
    DispatchState,
    EventState,
    Geometry,
    Overlay,
    PlotBody,
    Stream,
    Unit,
    UnitStatus,
    Welcome,
)
from cockpit.record.drill import DrillSandbox, DrillSandboxError
from cockpit.record.drill_report import compute_report, to_markdown
from cockpit.record.drill_script import DrillScriptError, load_drill
from cockpit.record.drill_start import parse_instant
from cockpit.record.reader import Recording
from cockpit.record.recorder import Recorder
from cockpit.record.snapshot import StateMirror, StateSnapshot, take_snapshot
from tests.drill.test_drill_live import Trainee
from tests.helpers import wait_until

RECORDER = Identity("recording-cockpit", "officer-1", "operator")
SCENARIO_S = 150.0
"""The recorded city is simulated to this scenario second first: the storm floods the underpass
and the forest-park fire burns, so the recording has alarms and overlays."""


@dataclass
class Recorded:
    """A recorded demo session and the city as it stood, frozen, at its end."""

    folder: Path
    city: City
    offset_s: float
    """An instant of the recording after the city was frozen (seconds from its start)."""


def record_demo(folder: Path) -> Recorded:
    """Record a real loopback session of a demo city, then freeze the city and record on a while."""
    city = City(Hub(), seed=11, rate=600, event_rate=60, sensors_per_kind=14)
    city.time_origin_ms = now_ms() - int(SCENARIO_S * 1000)
    city.advance(SCENARIO_S)
    fire = next(e for e in city.state.events.values() if e.type == "fire")  # a fire line drawn for it
    drawn = PlotBody(
        id="plot-fire-line", kind="fire_line", event_id=fire.id,
        geometry=Geometry(type="LineString", coordinates=[[106.42, 29.56], [106.43, 29.565]]),
    )  # fmt: skip
    ack = city.handle_command(Command(id="draw-1", kind=CommandKind.PLOT_CREATE, plot=drawn), "operator", "officer-1")
    assert ack.result == AckResult.ACCEPTED
    backend = DemoBackend(city, heartbeat_ms=300, speed=4)
    model, mirror = Situation(), StateMirror()
    feed: FeedClient | None = None

    def state(welcome: Welcome | None, wall_ms: int) -> StateSnapshot | None:
        if feed is None or feed.state is not ConnectionState.LIVE:
            return None
        return take_snapshot(mirror, model.sensors, feed.cursors, welcome, wall_ms)

    def sink(events: list[FeedEvent]) -> None:
        model.apply(events)
        mirror.apply(events)

    recorder = Recorder(folder, state=state, snapshot_every_s=0.5, segment_s=1.5, flush_every_s=0.2)  # type: ignore[arg-type]
    frozen_ns = 0

    async def body() -> None:
        nonlocal feed, frozen_ns
        await backend.start()
        feed = FeedClient(
            [backend.url], RECORDER, sink, backoff=Backoff(base_s=0.05, cap_s=0.3), tap=recorder.tap
        )
        feed.start()
        await wait_until(lambda: feed is not None and feed.state is ConnectionState.LIVE, what="live")
        await asyncio.sleep(1.5)
        backend.running = False
        await wait_until(
            lambda: all(feed.cursors.get(s).seq == backend.hub.logs[s].seq for s in backend.hub.logs),
            what="the recording cockpit caught up",
        )
        frozen_ns = time.time_ns()
        await asyncio.sleep(1.5)  # heartbeats and state snapshots of the frozen city
        await feed.stop()
        await backend.stop()
        recorder.close()

    asyncio.run(body())
    recording = Recording(folder)
    offset_s = (frozen_ns + 500_000_000 - recording.start_ns) / 1e9
    recording.close()
    return Recorded(folder, city, offset_s)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return record_demo(tmp_path_factory.mktemp("drill") / "rec")


def clock_text(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{int(seconds % 1 * 1000):03d}"


def write_script(folder: Path, recording: str, at: str, clock: float = SCENARIO_S, injects: str = "") -> Path:
    path = folder / "recorded.yaml"
    text = textwrap.dedent(
        f"""\
        id: recorded
        title: {{en: From a recording}}
        start:
          recording:
            path: {recording}
            at: "{at}"
            seed: 5
            clock: {clock}
            speed: 0.01
            rate: 600
            events_per_min: 0
        duration: 300
        """
    )
    path.write_text(text + textwrap.dedent(injects), encoding="utf-8")
    return path


INJECTS = """\
injects:
  - at: 0
    kind: event
    name: car trapped
    type: vehicle_trapped
    theme: flood
    district: jiangbei
    severity: 1
    title: Car trapped in the underpass
"""


@pytest.fixture
def sandbox(recorded: Recorded) -> Iterator[DrillSandbox]:
    # The script sits next to the recording's folder and names it relative to itself.
    path = write_script(recorded.folder.parent, "rec", clock_text(recorded.offset_s), injects=INJECTS)
    box = DrillSandbox(load_drill(path))
    box.start()
    yield box
    box.stop()


def alarm_view(ev: object) -> tuple[object, ...]:
    """What must carry over of an event: its state, level and alarm flags."""
    return tuple(
        getattr(ev, f)
        for f in (
            "state",
            "level",
            "severity",
            "type",
            "source",
            "occurrence",
            "suppressed",
            "out_of_service",
        )
    )


@pytest.mark.slow
def test_the_sandbox_starts_on_the_recorded_situation_and_takes_injects_and_commands(
    recorded: Recorded, sandbox: DrillSandbox
) -> None:
    city = recorded.city
    expected = {k: v for k, v in city.state.events.items() if v.state != EventState.CLOSED}
    assert any(e.source and e.active for e in expected.values()), "the recording should hold alarms"
    assert city.state.overlays, "the recording should hold overlays"
    # The director logged the open events of the start at 0 s, before anything ran.
    log = sandbox.snapshot()
    at_start = log.events[: len(expected)]
    assert {e.event_id for e in at_start} == set(expected)
    assert all(e.t == 0.0 and e.state == str(expected[e.event_id].state) for e in at_start)
    # Recorded sensors the drill's city does not have (its 13th and 14th of a kind) are named.
    assert any("recorded sensors are not in the drill's city" in n and "-013" in n for n in log.notes)

    async def body() -> Trainee:
        trainee = Trainee(sandbox.feed_urls())
        trainee.feed.start()
        await wait_until(lambda: trainee.feed.state is ConnectionState.LIVE, what="live")
        await wait_until(lambda: any(f.event_id for f in sandbox.snapshot().injects), what="the inject")
        injected = next(f for f in sandbox.snapshot().injects if f.event_id).event_id
        await wait_until(lambda: injected in trainee.model.events, what="the injected event")
        model = trainee.model
        # The situation at the instant: every open event with its state, level and alarm flags.
        assert expected.keys() <= model.events.keys()
        for eid, ev in expected.items():
            assert alarm_view(model.events[eid]) == alarm_view(ev), eid
        assert {u: r.status for u, r in model.units.items()} == {
            u: r.status for u, r in city.state.units.items()
        }
        assert set(city.state.overlays) <= set(model.overlays)
        # What the centres had drawn is there too, as it was.
        assert {p.id: (p.version, p.coordinates) for p in model.plots.values()} == {
            p.id: (p.version, p.geometry.coordinates) for p in city.plots.register.active()
        } != {}
        names = {info.id: info.name for info in model.sensors.infos}
        assert not any(n.endswith(("-013", "-014")) for n in names.values())
        live = {info.name: float(city.values[i]) for i, info in enumerate(city.sensors) if city.value_ts[i]}
        seen = {names[i]: v for i, v in model.sensors.digest().items()}
        same = [n for n, v in seen.items() if live.get(n) == v]
        # All but the city's first ticks (speed 0.01: at most two ticks of 60 sensors) are as recorded.
        assert len(same) >= len(seen) - 120 and len(seen) > 200
        # The injected event is new on top of the recorded ones (its id after theirs).
        assert injected not in expected and model.events[injected].state is EventState.NEW
        alarm = next(e for e in expected.values() if e.source and e.state == EventState.NEW)
        assert await trainee.command(CommandKind.ACKNOWLEDGE, alarm.id) == AckResult.ACCEPTED
        unit = model.events[injected].recommended[0]
        assert await trainee.command(CommandKind.DISPATCH, injected, unit) == AckResult.ACCEPTED
        await wait_until(lambda: model.events[alarm.id].state is not EventState.NEW, what="acknowledged")
        await wait_until(lambda: model.units[unit].status is UnitStatus.DISPATCHED, what="dispatched")
        await trainee.feed.stop()
        return trainee

    asyncio.run(body())
    actions = sandbox.snapshot().actions
    assert [(a.kind, a.result) for a in actions] == [("acknowledge", "accepted"), ("dispatch", "accepted")]
    md = to_markdown(compute_report(sandbox.snapshot()))
    assert "- Note: 40 recorded sensors are not in the drill's city and were left out: " in md


# ------------------------------------------------------------------------------ bad recordings


def refused(path: Path) -> DrillScriptError:
    with pytest.raises(DrillScriptError) as info:
        load_drill(path)
    return info.value


def test_a_missing_recording_is_refused_with_the_script_line_and_the_recording(tmp_path: Path) -> None:
    err = refused(write_script(tmp_path, "nowhere", "00:00:01"))
    assert err.line == 5 and err.path == tmp_path / "recorded.yaml"
    assert err.reason == f"recording {tmp_path / 'nowhere'}: no such file or folder"


def test_a_corrupt_recording_is_refused_naming_the_file_and_why(tmp_path: Path) -> None:
    (tmp_path / "bad.mcap").write_bytes(b"this is not a recording at all")
    err = refused(write_script(tmp_path, "bad.mcap", "00:00:01"))
    assert err.line == 5
    assert "nothing playable" in err.reason and "does not start with the MCAP magic bytes" in err.reason
    (tmp_path / "empty").mkdir()
    err = refused(write_script(tmp_path, "empty", "00:00:01"))
    assert err.reason.endswith("empty: no .mcap files in this folder")


def test_an_instant_before_the_first_snapshot_or_outside_the_recording_is_refused(
    recorded: Recorded, tmp_path: Path
) -> None:
    folder = recorded.folder
    err = refused(write_script(tmp_path, str(folder), "00:00:00"))
    assert err.line == 6 and "no readable state snapshot at or before" in err.reason
    assert str(folder) in err.reason and "its first is at" in err.reason
    err = refused(write_script(tmp_path, str(folder), "10:00:00"))
    assert err.line == 6 and "is outside the recording, which runs from" in err.reason


def test_a_sandbox_whose_recording_went_away_does_not_start_and_says_why(
    recorded: Recorded, tmp_path: Path
) -> None:
    copy = tmp_path / "rec"
    copy.mkdir()
    for f in recorded.folder.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    script = load_drill(write_script(tmp_path, "rec", clock_text(recorded.offset_s)))
    for f in copy.iterdir():
        f.unlink()
    box = DrillSandbox(script)
    with pytest.raises(DrillSandboxError, match=r"no \.mcap files in this folder"):
        box.start()
    box.stop()


@pytest.mark.slow
def test_cockpit_drill_exits_2_on_a_missing_recording(tmp_path: Path) -> None:
    path = write_script(tmp_path, "nowhere", "00:00:01")
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "cockpit"), "--drill", str(path), "--quit-after", "1"],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=120,
    )
    assert proc.returncode == 2
    assert f"cockpit: --drill: {path}:5: recording {tmp_path / 'nowhere'}: no such file" in proc.stderr


# ------------------------------------------------------------------------------ the instant and the city


def test_instants_are_seconds_clock_times_from_the_start_or_iso_times(tmp_path: Path) -> None:
    assert parse_instant(90) == 90.0
    assert parse_instant("00:12:30") == 750.0
    assert parse_instant("12:30.5") == 750.5
    assert parse_instant("2026-06-18T14:05:00+08:00") == datetime.fromisoformat("2026-06-18T14:05:00+08:00")
    for bad, why in (("noon", "is not an instant"), ("00:75:00", "under 60"), (-1, "must not be negative")):
        with pytest.raises(ValueError, match=why):
            parse_instant(bad)
    # Unquoted in YAML: 00:12:30 reads as 750 (sexagesimal), an ISO time as a datetime; both work.
    path = write_script(tmp_path, "rec", "x").with_name("unquoted.yaml")
    text = (tmp_path / "recorded.yaml").read_text(encoding="utf-8")
    for at, want in (
        ("00:12:30", 750.0),
        ("2026-06-18T14:05:00+08:00", parse_instant("2026-06-18T14:05:00+08:00")),
    ):
        path.write_text(text.replace('at: "x"', f"at: {at}"), encoding="utf-8")
        start = load_drill(path, open_recording=False).start.recording
        assert start is not None and parse_instant(start.at) == want
        assert start.path == str(tmp_path / "rec")  # made absolute, relative to the script
    path.write_text(text.replace('at: "x"', "at: half past"), encoding="utf-8")
    with pytest.raises(DrillScriptError, match=r"unquoted.yaml:6: at 'half past' is not an instant"):
        load_drill(path, open_recording=False)


def test_a_city_loads_a_recorded_situation_and_simulates_on_from_it() -> None:
    source = City(Hub(), seed=3, rate=300)
    source.advance(150.0)  # the storm: alarms with sensors, overlays
    alarm = next(e for e in source.state.events.values() if e.source and e.active)
    unit = source.state.units["jiangbei-drainage_crew-1"]
    en_route = Dispatch(
        stream=Stream.DISPATCH, seq=0, prev=0, ts=0, command_id="c-1", event_id=alarm.id,
        unit_id=unit.id, state=DispatchState.EN_ROUTE,
    )  # fmt: skip
    overlay = Overlay(
        stream=Stream.OVERLAYS, seq=0, prev=0, ts=0, id="cordon", kind="cordon", active=True,
        geometry=Geometry(type="Point", coordinates=[106.5, 29.5]), theme="flood", district="jiangbei",
    )  # fmt: skip
    city = City(Hub(), seed=4, rate=300)
    unknown = city.load_situation(
        clock=150.0,
        events=[alarm],
        units=[msgspec_replace(unit, status=UnitStatus.EN_ROUTE, event_id=alarm.id)],
        dispatches=[en_route],
        overlays=[overlay],
        sensors={"jiangbei-water_level-001": (4.25, 1234), "atlantis-water_level-001": (1.0, 1)},
    )
    assert unknown == ["atlantis-water_level-001"]
    assert city.now == 150.0
    assert city.state.events[alarm.id].state == alarm.state
    assert city.state.units[unit.id].status == UnitStatus.EN_ROUTE
    assert city.state.overlays["cordon"].label == "" and city.hub.logs[Stream.OVERLAYS].seq >= 1
    row = next(i for i, s in enumerate(city.sensors) if s.name == "jiangbei-water_level-001")
    assert (float(city.values[row]), int(city.value_ts[row])) == (4.25, 1234)
    # A new event does not reuse a recorded id; the standing alarm is not raised a second time.
    before = set(city.state.events)
    city.advance(30.0)
    new = set(city.state.events) - before
    assert all(int(e.rpartition("-")[2]) > int(alarm.id.rpartition("-")[2]) for e in new)
    assert not any(city.state.events[e].source == alarm.source for e in new)
    # The dispatch goes on from its recorded step: on scene, then done, and the unit is free again.
    city.advance(30.0)
    assert city.state.dispatches["c-1"].state == DispatchState.COMPLETED
    assert city.state.units[unit.id].status == UnitStatus.AVAILABLE


def msgspec_replace(unit: Unit, **changes: object) -> Unit:
    return msgspec.structs.replace(unit, **changes)
