"""The one reconnect schedule the feed, the load generator and the camera decoder share."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from cockpit.protocol.link import Backoff


@given(st.integers(0, 2**31), st.integers(1, 40))
def test_full_jitter_doubles_to_the_cap_and_resets(seed: int, failures: int) -> None:
    b = Backoff(base_s=0.2, cap_s=8.0, rng=random.Random(seed))
    for i in range(failures):
        step = min(8.0, 0.2 * 2**i)
        assert step / 2 <= b.next_delay() <= step
    b.reset()
    assert b.next_delay() <= 0.2


def test_an_outage_of_any_length_keeps_the_cap() -> None:
    """A wall offline for days fails tens of thousands of times; 0.2 × 2**1100 used to raise
    OverflowError and end the reconnect loop after about 1.5 h at the 8 s cap."""
    b = Backoff(base_s=0.2, cap_s=8.0, rng=random.Random(1))
    delays = [b.next_delay() for _ in range(50_000)]
    assert b.attempt == 50_000
    assert all(4.0 <= d <= 8.0 for d in delays[10:])
