"""The wall's cadence: each screen's periodic work in a frame of its own (no Qt)."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from cockpit.present.cadence import SLOW_S, Cadence

NAMES = ["overview", "flood", "forest_fire", "traffic", "water_supply", "console"]
FRAME_S = 1 / 60


def frames(c: Cadence, start: float, seconds: float) -> list[tuple[float, dict[str, tuple[bool, bool]]]]:
    out = []
    for k in range(round(seconds / FRAME_S)):
        now = start + k * FRAME_S
        out.append((now, {n: (d.slow, d.sample) for n, d in c.due(now).items()}))
    return out


def test_every_screen_is_slow_twice_and_samples_once_a_second_never_together() -> None:
    c = Cadence(NAMES, start=100.0)
    run = frames(c, 100.0, 10.0)
    slows = Counter(n for _, due in run for n, (slow, _) in due.items() if slow)
    samples = Counter(n for _, due in run for n, (_, sample) in due.items() if sample)
    assert all(19 <= slows[n] <= 21 for n in NAMES), slows
    assert all(9 <= samples[n] <= 11 for n in NAMES), samples
    for _, due in run:  # the point: at most one screen's periodic work in any frame
        assert sum(slow + sample for slow, sample in due.values()) <= 1


def test_each_screen_keeps_its_half_second() -> None:
    c = Cadence(NAMES, start=0.0)
    times = [now for now, due in frames(c, 0.0, 5.0) if due["traffic"][0]]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(abs(g - SLOW_S) <= FRAME_S for g in gaps), gaps


def test_a_stall_does_each_due_moment_once_and_keeps_the_phases() -> None:
    c = Cadence(NAMES, start=0.0)
    frames(c, 0.0, 1.0)
    stalled = c.due(4.0)  # three seconds without a frame
    assert all(d.slow for d in stalled.values())
    after = frames(c, 4.0 + FRAME_S, 3.0)
    for _, due in after:
        assert sum(slow + sample for slow, sample in due.values()) <= 1


def test_a_cadence_needs_a_screen() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Cadence([], start=0.0)
