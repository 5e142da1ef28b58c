"""Fuzzing MCAP recordings (issue 8): damaged segment files open, play what they can, or are
refused with a RecordingError naming the file; nothing else escapes (:func:`check_recording`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import FILE_FUZZ
from tests.fuzz.targets import check_recording, make_recording


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_recording(tmp_path_factory.mktemp("rec")).read_bytes()


def test_the_good_recording_plays(tmp_path: Path) -> None:
    from cockpit.record.reader import Recording

    recording = Recording(make_recording(tmp_path))
    try:
        assert len(list(recording.items(recording.start_ns))) == 60 and recording.problems == []
    finally:
        recording.close()


@FILE_FUZZ
@given(data=st.data())
def test_damaged_recordings_play_what_they_can_or_are_refused_clearly(
    good: bytes, data: st.DataObject
) -> None:
    content = bytearray(good)
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "truncate", "insert", "zero"]))
        at = data.draw(st.integers(0, len(content) - 1))
        if op == "flip":
            content[at] ^= data.draw(st.integers(1, 255))
        elif op == "truncate":
            del content[at:]
        elif op == "insert":
            content[at:at] = data.draw(st.binary(min_size=1, max_size=16))
        else:
            n = data.draw(st.integers(1, 64))
            content[at : at + n] = bytes(len(content[at : at + n]))
        if not content:
            break
    check_recording(bytes(content))


@FILE_FUZZ
@given(st.binary(max_size=600))
def test_arbitrary_bytes_as_a_recording_are_refused_clearly(content: bytes) -> None:
    check_recording(content)
