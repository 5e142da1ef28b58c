"""When each screen of the wall does its twice-a-second and once-a-second work.

Every frame (60 Hz) each screen shows the model's changes. Some work is periodic instead: twice a
second ("slow") a screen refreshes its status line, ages, banner and SLA badge; once a second
("sample") it adds a point to its trends and sparklines and redraws its sensor dots. Done on every
screen in the same frame, that work made the wall's longest frames (a five-screen wall: 20–50 ms,
against a 16.7 ms frame). :class:`Cadence` gives each screen its own phase, spread evenly over the
half second, and puts each screen's sample halfway between two slow moments, so no frame carries
more than one screen's periodic work. No Qt: the wall asks it once per frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SLOW_S = 0.5
"""A screen's slow work runs this often."""
SAMPLES_PER_SLOW = 2
"""A screen samples once every this many slow periods: once a second."""


@dataclass(frozen=True, slots=True)
class Due:
    """What one screen does in this frame besides showing the changes."""

    slow: bool
    sample: bool


class Cadence:
    """Staggered slow and sample moments for the screens named ``names``.

    Time from ``start`` is cut into slots of a quarter of ``0.5 s / n`` (n screens). Over each
    second of ``4n`` slots, screen ``i`` is slow in slots ``2i`` and ``2n + 2i`` and samples in slot
    ``2i + 1``: a fixed grid, so no two screens' moments ever share a frame at 60 Hz with up to six
    screens. A frame that comes late (a stall) does every moment it skipped once, and the grid
    stays where it was.
    """

    def __init__(self, names: Sequence[str], start: float) -> None:
        if not names:
            raise ValueError("a cadence needs at least one screen")
        self.names = list(names)
        self.slot_s = SLOW_S / len(names) / 2
        self._start = start
        self._done = -1  # the last slot handled

    def due(self, now: float) -> dict[str, Due]:
        """Which screens are slow and which sample in the frame at ``now`` (monotonic seconds)."""
        n = len(self.names)
        cycle = 2 * SAMPLES_PER_SLOW * n  # slots in a second
        slot = math.floor((now - self._start) / self.slot_s)
        slow: set[str] = set()
        sample: set[str] = set()
        for j in range(max(self._done + 1, slot - cycle + 1), slot + 1):
            r = j % cycle
            if r % 2 == 0:
                slow.add(self.names[(r // 2) % n])
            elif r < 2 * n:
                sample.add(self.names[r // 2])
        self._done = max(self._done, slot)
        return {name: Due(name in slow, name in sample and name not in slow) for name in self.names}
