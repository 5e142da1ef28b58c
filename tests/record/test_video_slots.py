"""Recordings keep which camera was on which video slot and when, not the video (cockpit/record/video.py)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import msgspec

from cockpit.feed.client import ConnectionState
from cockpit.model import Situation
from cockpit.protocol.messages import Welcome
from cockpit.record.reader import RecordedVideo, Recording
from cockpit.record.replay import PlayState, ReplaySource
from cockpit.record.snapshot import StateSnapshot, take_snapshot
from cockpit.record.video import VideoSlot
from tests.record.test_record_replay import Live

PANEL = "flood/video"


def test_slot_changes_are_recorded_and_replayed_with_seeks(tmp_path: Path) -> None:
    live = Live(tmp_path, snapshot_every_s=0.3, flush_every_s=0.2)
    current: list[VideoSlot] = []

    def state(welcome: Welcome | None, wall_ms: int) -> StateSnapshot | None:
        feed = live.feed
        if feed is None or feed.state is not ConnectionState.LIVE:
            return None
        snap = take_snapshot(live.mirror, live.model.sensors, feed.cursors, welcome, wall_ms)
        return msgspec.structs.replace(snap, video=list(current))

    live.recorder.state = state
    marks: list[int] = []

    def note(*slots: VideoSlot) -> None:
        now = time.time_ns() // 1_000_000
        live.recorder.note_video(slots, now)
        for s in slots:
            current[:] = [c for c in current if c.slot != s.slot] + ([s] if s.camera else [])
        marks.append(now)

    async def body() -> None:
        await live.start()
        await asyncio.sleep(0.5)
        note(
            VideoSlot(panel=PANEL, slot=0, camera="cam-jb-riverbank", name="Jialing riverbank", why="default")
        )
        await asyncio.sleep(1.0)
        note(
            VideoSlot(
                panel=PANEL,
                slot=0,
                camera="cam-jb-underpass-n",
                name="Underpass north portal",
                why="alarm",
                event="E01-000007",
            ),
            VideoSlot(
                panel=PANEL, slot=1, camera="cam-jb-riverbank", name="Jialing riverbank", why="default"
            ),
        )
        await asyncio.sleep(1.0)
        note(VideoSlot(panel=PANEL, slot=1))  # emptied
        await asyncio.sleep(0.6)
        await live.settle()
        await live.stop()

    asyncio.run(body())
    recording = Recording(tmp_path)
    try:
        check_replay(recording, marks)
    finally:
        recording.close()


def check_replay(recording: Recording, marks: list[int]) -> None:
    videos = [i for i in recording.items(recording.start_ns) if isinstance(i, RecordedVideo)]
    assert len(videos) == 3
    source = ReplaySource(recording, Situation().apply)
    source.seek((marks[0] + 500) * 1_000_000)  # through a state snapshot taken after the first change
    assert {k: v.camera for k, v in source.video_slots.items()} == {(PANEL, 0): "cam-jb-riverbank"}
    source.seek((marks[1] + 300) * 1_000_000)
    slot0 = source.video_slots[(PANEL, 0)]
    assert (slot0.camera, slot0.why, slot0.event, slot0.name) == (
        "cam-jb-underpass-n",
        "alarm",
        "E01-000007",
        "Underpass north portal",
    )
    assert source.video_slots[(PANEL, 1)].camera == "cam-jb-riverbank"
    source.seek(recording.start_ns)
    assert source.video_slots == {}
    source.play()
    source.set_speed(50)
    for _ in range(10_000):
        if source.play_state is PlayState.ENDED:
            break
        source.advance(0.05)
    assert {k: v.camera for k, v in source.video_slots.items()} == {(PANEL, 0): "cam-jb-underpass-n"}
