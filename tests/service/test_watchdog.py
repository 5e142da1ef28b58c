"""The in-process watchdog: silence over the timeout fires once; beats keep it quiet."""

from __future__ import annotations

import threading
import time

import pytest

from cockpit.service.watchdog import HangWatchdog


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_fires_once_after_the_timeout_of_silence() -> None:
    clock = Clock()
    fired: list[float] = []
    w = HangWatchdog(20.0, fired.append, clock=clock)
    for _ in range(100):  # a healthy frame loop: beats every 16 ms
        clock.t += 0.016
        w.beat()
        assert not w.check()
    clock.t += 19.9
    assert not w.check() and not fired
    clock.t += 0.2
    assert w.check() and fired == [pytest.approx(20.1)]
    clock.t += 100
    assert not w.check() and len(fired) == 1  # once: the process is ending


def test_the_thread_notices_a_stuck_loop_and_not_a_live_one() -> None:
    fired = threading.Event()
    w = HangWatchdog(0.3, lambda _s: fired.set(), poll_s=0.02)
    w.start()
    try:
        deadline = time.monotonic() + 0.6
        while time.monotonic() < deadline:  # alive: beating
            w.beat()
            time.sleep(0.01)
        assert not fired.is_set()
        assert fired.wait(3)  # then silent: it fires
    finally:
        w.stop()


def test_stop_means_an_orderly_quit_is_not_a_hang() -> None:
    fired = threading.Event()
    w = HangWatchdog(0.1, lambda _s: fired.set(), poll_s=0.02)
    w.start()
    w.stop()
    time.sleep(0.3)
    assert not fired.is_set()


def test_a_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        HangWatchdog(0, lambda _s: None)
