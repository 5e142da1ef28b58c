"""Stream health and reconnect backoff: the sans-I/O rules, time passed in (cockpit/video/health.py)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from cockpit.video.health import (
    FROZEN_AFTER_S,
    NO_SIGNAL_AFTER_S,
    Health,
    Reason,
    StreamHealth,
    reconnect_backoff,
)


def test_connecting_then_live_then_no_signal_then_live_again() -> None:
    h = StreamHealth()
    h.start(0.0)
    first = h.poll(0.05)
    assert first is not None and first.health is Health.CONNECTING
    assert h.poll(0.1) is None and h.health is Health.CONNECTING  # only changes are reported
    h.observe(0.5, 0.5, 0)
    view = h.poll(0.55)
    assert (
        view is not None
        and view.health is Health.LIVE
        and view.age_s is not None
        and abs(view.age_s - 0.05) < 1e-9
    )
    h.observe(1.0, 1.0, 0)
    assert h.poll(1.0 + NO_SIGNAL_AFTER_S - 0.01) is None
    view = h.poll(1.0 + NO_SIGNAL_AFTER_S)
    assert view is not None and view.health is Health.NO_SIGNAL and view.age_s == NO_SIGNAL_AFTER_S
    h.failed(3.0, Reason.REFUSED, "Connection refused")
    view = h.poll(3.0)
    assert view is not None and view.health is Health.NO_SIGNAL and view.reason is Reason.REFUSED
    h.reconnected()
    h.observe(5.0, 5.0, 2)
    view = h.poll(5.01)
    assert view is not None and view.health is Health.LIVE and view.reason is Reason.NONE
    assert view.reconnects == 1 and view.decode_errors == 2


def test_frames_with_the_same_picture_are_frozen() -> None:
    h = StreamHealth()
    h.start(0.0)
    for i in range(40):  # frames every 66 ms, the picture last changed at 0.2 s
        h.observe(0.2 + i * 0.066, 0.2, 0)
        h.poll(0.2 + i * 0.066)
    assert h.health is Health.FROZEN
    assert h.view().age_s is not None and h.view().age_s < 0.1  # frames are fresh: the picture is not


def test_a_camera_that_never_answers_is_unreachable_with_its_reason() -> None:
    h = StreamHealth()
    h.start(0.0)
    h.failed(0.3, Reason.AUTH, "401 Unauthorized")
    view = h.poll(0.3)
    assert view is not None and view.health is Health.UNREACHABLE and view.reason is Reason.AUTH
    h.stop()
    view = h.poll(10.0)
    assert view is not None and view.health is Health.OFF
    assert h.poll(11.0) is None


@given(
    st.lists(
        st.tuples(st.floats(0.0, 5.0), st.booleans(), st.sampled_from(list(Reason)), st.booleans()),
        max_size=60,
    )
)
def test_nothing_old_ever_looks_live(steps: list[tuple[float, bool, Reason, bool]]) -> None:
    """Whatever the decoder reports, a tile is LIVE only if its newest frame is younger than the
    limit and its picture changed within the limit."""
    h = StreamHealth()
    h.start(0.0)
    now = 0.0
    last_frame: float | None = None
    last_change: float | None = None
    for dt, frame, reason, changed in steps:
        now += dt
        if frame:
            last_frame = now
            if changed or last_change is None:
                last_change = now
            h.observe(last_frame, last_change, 0)
        elif reason is not Reason.NONE:
            h.failed(now, reason, "")
        h.poll(now)
        if h.health is Health.LIVE:
            assert last_frame is not None and now - last_frame < NO_SIGNAL_AFTER_S
            assert last_change is not None and now - last_change < FROZEN_AFTER_S
        if last_frame is not None and now - last_frame >= NO_SIGNAL_AFTER_S:
            assert h.health is Health.NO_SIGNAL


@given(st.integers(0, 2**31), st.integers(1, 30))
def test_backoff_doubles_to_its_cap_with_jitter_and_resets(seed: int, failures: int) -> None:
    b = reconnect_backoff(cap_s=8.0, rng=random.Random(seed))
    delays = [b.next_delay() for _ in range(failures)]
    for i, d in enumerate(delays):
        base = min(8.0, 0.25 * 2**i)
        assert 0.8 * base <= d <= 1.2 * base
    b.reset()
    assert b.next_delay() <= 0.3


def test_reasons_that_retrying_cannot_mend() -> None:
    assert not Reason.BAD_URL.retry and not Reason.CODEC.retry and not Reason.NO_CREDENTIAL.retry
    assert Reason.REFUSED.retry and Reason.TIMEOUT.retry and Reason.AUTH.retry


def test_lag_tracker_measures_how_far_behind_the_reader_is() -> None:
    from cockpit.video.health import IMPLAUSIBLE_LAG_S, LagTracker

    lag = LagTracker()
    assert lag.packet(100.0, 5000.2) == 0.0  # the stream's own delay is the floor
    assert abs(lag.packet(100.04, 5000.24)) < 1e-9  # on time
    assert abs(lag.packet(100.08, 5000.9) - 0.62) < 1e-9  # read 0.62 s late: behind
    assert lag.packet(100.12, 5000.1) == 0.0  # earlier than ever: a new floor
    assert lag.packet(90.0, 5000.2 + IMPLAUSIBLE_LAG_S) == 0.0  # the camera's clock jumped back
    lag.rebase(200.0, 6000.0)
    assert lag.packet(200.04, 6000.04) == 0.0


def test_the_age_shown_includes_how_far_behind_the_decoder_was() -> None:
    h = StreamHealth()
    h.start(0.0)
    h.observe(10.0, 10.0, 0, behind_s=0.8)
    h.poll(10.1)
    assert h.view().age_s is not None and abs(h.view().age_s - 0.9) < 1e-9


def test_a_failure_is_said_once_the_reason_then_what_the_detail_adds() -> None:
    from cockpit.video.health import reason_and_detail

    assert reason_and_detail(Reason.REFUSED, "Connection refused") == "connection refused"
    assert reason_and_detail(Reason.BAD_URL, "bad URL: Port out of range 0-65535") == (
        "bad URL: Port out of range 0-65535"
    )
    assert reason_and_detail(Reason.TIMEOUT, "no answer in 5 s") == "timed out: no answer in 5 s"
    assert reason_and_detail(Reason.NONE, "odd") == "odd"
