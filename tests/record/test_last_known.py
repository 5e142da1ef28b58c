"""The last known situation after a restart: the newest state snapshot of the newest segments."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from cockpit.model import Situation
from cockpit.record.last_known import last_known_state
from cockpit.record.snapshot import snapshot_events
from tests.record.test_record_replay import record_session


def test_nothing_recorded_is_nothing_known(tmp_path: Path) -> None:
    assert last_known_state(tmp_path) is None
    assert last_known_state(tmp_path / "missing") is None
    (tmp_path / "cockpit-20260101T000000Z-0001.mcap").write_bytes(b"not an mcap file")
    assert last_known_state(tmp_path) is None  # unreadable: skipped, never fatal


def test_the_newest_snapshot_rebuilds_the_situation(tmp_path: Path) -> None:
    live = record_session(tmp_path, 2.5, snapshot_every_s=0.5)
    snapshot = last_known_state(tmp_path)
    assert snapshot is not None
    model = Situation()
    model.apply(snapshot_events(snapshot))
    # What the wall had shown up to the last snapshot (the recording went on a little after it).
    assert model.events and model.events.keys() <= live.model.events.keys()
    assert model.units.keys() == live.model.units.keys() and model.sensors.infos
    # A newer segment that is damaged (a crash mid-write, not yet recovered) does not hide it.
    (newest,) = tmp_path.glob("cockpit-*.mcap")
    (tmp_path / "cockpit-29991231T235959Z-0001.mcap").write_bytes(newest.read_bytes()[:100])
    again = last_known_state(tmp_path)
    assert again is not None and again.wall_ms == snapshot.wall_ms


def test_a_silent_link_still_gets_its_last_snapshot_to_disk(tmp_path: Path) -> None:
    """The tap flushes only when frames come; flush_due writes out what waits once the link is silent."""
    from cockpit.record.recorder import Recorder
    from tests.record.test_record_replay import Live

    live = Live(tmp_path, flush_every_s=3600.0)  # the tap alone would not flush within the test
    found: list[object] = []

    async def body() -> None:
        await live.start()
        await asyncio.sleep(1.0)
        await live.settle()
        recorder: Recorder = live.recorder
        found.append(last_known_state(tmp_path))  # the snapshot waits in the open chunk, in memory
        recorder.flush_ms = 0
        recorder.flush_due(int(time.time() * 1000))
        found.append(last_known_state(tmp_path))  # on disk: a kill now would not lose it
        await live.stop()

    asyncio.run(body())
    assert found[0] is None and found[1] is not None
