"""Smoke-run the record and replay benchmarks: they must run and report, not be fast."""

from __future__ import annotations

import pytest

from bench import record, replay


@pytest.mark.slow
def test_record_suite_reports_cpu_share() -> None:
    result = record.run(quick=True)["record"]
    assert 0 < result["cpu_share_at_50k"] < 1
    assert result["bytes_per_update"] > 0


@pytest.mark.slow
def test_replay_suite_reports_seek_and_fps() -> None:
    result = replay.run(quick=True)["replay"]
    assert result["seek_ms"] > 0 and result["fps_at_60x"] > 0
    assert result["achieved_speed_at_60x"] > 0
