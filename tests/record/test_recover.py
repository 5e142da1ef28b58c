"""Crash safety: a segment cut mid-write is recovered; damaged and corrupt files say where and why."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mcap.reader import make_reader

from bench.recording_gen import make_recording
from cockpit.model import Situation
from cockpit.record import RecordingError
from cockpit.record.reader import Recording
from cockpit.record.recorder import Recorder, RecorderStatus, Retention, apply_retention, segments_in
from cockpit.record.recover import is_finished, recover
from cockpit.record.replay import PlayState, ReplaySource
from tests.conftest import TIME_SCALE

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, time
from pathlib import Path
from bench.recording_gen import Pipeline, frames
from cockpit.record.recorder import Recorder
pipeline = Pipeline(None)
recorder = Recorder(Path(sys.argv[1]), state=pipeline.state, flush_every_s=0.2, snapshot_every_s=1)
pipeline.recorder = recorder
for i, (frame, t) in enumerate(frames(3600, updates_per_s=5000)):
    pipeline.receive(frame, t)
    if i == 300:
        print("flushed", flush=True)
    if i > 300:
        time.sleep(0.0005)  # keep writing, slowly, until killed
"""


def count_messages(path: Path) -> int:
    with open(path, "rb") as f:
        reader = make_reader(f)
        assert reader.get_summary() is not None
        return sum(1 for _ in reader.iter_messages())


def play_all(recording: Recording) -> tuple[Situation, ReplaySource]:
    model = Situation()
    source = ReplaySource(recording, model.apply)
    source.seek(recording.start_ns)
    source.set_speed(60)
    source.play()
    while source.play_state is not PlayState.ENDED:
        source.advance(10.0)
    return model, source


@pytest.mark.slow
def test_a_segment_killed_mid_write_is_recovered(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "flushed"
    time.sleep(0.5 * TIME_SCALE)
    os.kill(proc.pid, signal.SIGKILL)  # like a power cut: no finish, no close
    proc.wait()
    proc.stdout.close()
    [segment] = segments_in(tmp_path)
    assert not is_finished(segment)

    # Replay plays the readable part of the unfinished file (a recovered copy) and says so.
    recording = Recording(tmp_path)
    assert any(segment.name in p and "not finished" in p for p in recording.problems)
    model, source = play_all(recording)
    assert source.frames_played > 300
    assert len(model.sensors) == 5000 and len(model.events) > 0
    recording.close()
    assert not is_finished(segment), "replay must not modify the original"

    # A recorder starting in the folder recovers it in place.
    size_before = segment.stat().st_size
    Recorder(tmp_path).close()
    assert is_finished(segment)
    assert count_messages(segment) > 300
    assert segment.stat().st_size <= size_before + 64 * 1024


def test_truncated_segment_recovers_everything_before_the_cut(tmp_path: Path) -> None:
    make_recording(tmp_path, 20, updates_per_s=5000, flush_every_s=0.5, snapshot_every_s=5)
    [segment] = segments_in(tmp_path)
    whole = count_messages(segment)
    data = segment.read_bytes()
    cut = tmp_path / "cut" / segment.name
    cut.parent.mkdir()
    cut.write_bytes(data[: len(data) * 2 // 3])
    report = recover(cut, tmp_path / "recovered.mcap")
    assert 0 < report.messages < whole
    assert any("cut off" in p or "damaged" in p for p in report.problems)
    assert count_messages(tmp_path / "recovered.mcap") == report.messages
    # The replay of the cut file plays up to the cut, and names the file and the damage.
    recording = Recording(cut)
    assert any(str(cut) in p and "not finished" in p for p in recording.problems)
    _model, source = play_all(recording)
    assert source.frames_played > 0
    recording.close()


def test_a_corrupt_chunk_is_named_and_skipped(tmp_path: Path) -> None:
    pipeline = make_recording(tmp_path, 30, updates_per_s=5000, flush_every_s=0.5, snapshot_every_s=5)
    [segment] = segments_in(tmp_path)
    with open(segment, "rb") as f:
        summary = make_reader(f).get_summary()
    assert summary is not None and len(summary.chunk_indexes) > 10
    victim = sorted(summary.chunk_indexes, key=lambda c: c.chunk_start_offset)[
        len(summary.chunk_indexes) // 2
    ]
    data = bytearray(segment.read_bytes())
    middle = victim.chunk_start_offset + victim.chunk_length // 2
    data[middle : middle + 64] = bytes(64)  # zeros over compressed data: zstd or the CRC refuses it
    segment.write_bytes(bytes(data))
    problems: list[str] = []
    recording = Recording(segment, on_problem=problems.append)
    model, source = play_all(recording)
    assert any(str(segment) in p and "damaged" in p for p in problems), problems
    assert source.frames_played > 0
    # The data after the damage still plays: the newest events came after the corrupt chunk.
    assert set(model.events) == set(pipeline.model.events)
    recording.close()


def test_garbage_is_refused_with_the_file_and_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "cockpit-bad.mcap"
    bad.write_bytes(b"\x89MCAP0\r\n" + os.urandom(200))
    with pytest.raises(RecordingError) as err:
        Recording(bad)
    assert str(bad) in str(err.value) and "unreadable" in str(err.value)
    with pytest.raises(RecordingError, match="no such file"):
        Recording(tmp_path / "missing.mcap")


def test_retention_deletes_the_oldest_first(tmp_path: Path) -> None:
    now = time.time()
    names = []
    for i, age_days in enumerate([40, 20, 10, 5, 1]):
        p = tmp_path / f"cockpit-2026010{i}T000000Z-0001.mcap"
        p.write_bytes(b"x" * 1000)
        os.utime(p, (now - age_days * 86400, now - age_days * 86400))
        names.append(p.name)
    deleted = apply_retention(tmp_path, Retention(days=30, max_bytes=2500), now)
    assert [p.name for p in deleted] == names[:3]  # 40 days: too old; then the oldest until ≤ 2500 B
    assert [p.name for p in segments_in(tmp_path)] == names[3:]


def test_a_write_error_is_reported_not_silent(tmp_path: Path) -> None:
    target = tmp_path / "rec"
    recorder = Recorder(target)
    frames = make_frames()
    recorder.tap(frames[0], 1_000)
    assert recorder.status.recording
    status = recorder.status
    assert isinstance(status, RecorderStatus) and status.segment is not None
    seg = recorder._segment
    assert seg is not None
    seg.file.close()  # the disk went away under the open file
    recorder.tap(frames[1], 2_000)
    assert not recorder.status.recording
    assert recorder.status.error.startswith(f"cannot write {status.segment}")
    recorder.tap(frames[1], 3_000)  # no retry within RETRY_AFTER_S: still stopped, still said
    assert recorder.status.error


def make_frames() -> list[bytes]:
    from bench.recording_gen import frames

    return [f for f, _t in frames(1, updates_per_s=1000)]


def test_a_recording_that_starts_mid_connection_plays_from_its_first_snapshot(tmp_path: Path) -> None:
    from bench.recording_gen import Pipeline, frames

    pipeline = Pipeline(None)
    count = [0]

    def state(welcome: object, wall_ms: int) -> object:
        return pipeline.state(welcome, wall_ms) if count[0] > 150 else None  # type: ignore[arg-type]

    recorder = Recorder(tmp_path, state=state)  # type: ignore[arg-type]
    for i, (frame, t) in enumerate(frames(20, updates_per_s=5000)):
        count[0] = i
        if i >= 100:  # the recording starts without the welcome and snapshots of the connection
            recorder.tap(frame, t)
        pipeline.receive(frame, t)
    recorder.close()
    recording = Recording(tmp_path)
    assert recording.snapshot_times()[0] > recording.start_ns
    model, source = play_all(recording)
    recording.close()
    assert model.digest() == pipeline.model.digest()
    assert source.frames_played > 0
