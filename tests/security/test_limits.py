"""The flood limits as pure parts: token buckets on frames and bytes, and connection counts."""

from __future__ import annotations

import time

import pytest

from cockpit.protocol.admission import Admission, Bucket, Limits, Meter, address_of
from cockpit.protocol.messages import Hello
from cockpit.protocol.server import Gate
from cockpit.protocol.tokens import TOKEN_MISSING, TokenError
from tests.security.support import VERIFIER, token


def test_a_bucket_allows_its_burst_then_its_rate() -> None:
    b = Bucket(rate=10, burst=5)
    assert [b.take(1, 0.0) for _ in range(6)] == [True] * 5 + [False]
    assert b.take(1, 0.1) and not b.take(1, 0.1)  # 0.1 s at 10/s: one more
    assert b.take(5, 10.0) and not b.take(6, 20.0)  # refills to the burst, never beyond


def test_a_meter_closes_on_frames_or_bytes_whichever_is_exceeded_first() -> None:
    limits = Limits(frames_per_s=100, frames_burst=3, bytes_per_s=1000, bytes_burst=2000)
    m = Meter(limits)
    assert [m.admit(10, 0.0) for _ in range(3)] == ["", "", ""]
    assert m.admit(10, 0.0) == "flood: over 100 frames/s"
    big = Meter(limits)
    assert big.admit(1500, 0.0) == "" and big.admit(1500, 0.0) == "flood: over 1000 bytes/s"
    assert big.admit(1500, 2.0) == ""  # a well-behaved client after a pause passes again


def test_admission_counts_connections_per_address_and_operator_and_releases_them() -> None:
    a = Admission(Limits(connections_per_address=2, connections_per_operator=1))
    assert a.enter_address("10.0.0.1") and a.enter_address("10.0.0.1") and not a.enter_address("10.0.0.1")
    assert a.enter_address("10.0.0.2")
    a.leave_address("10.0.0.1")
    assert a.enter_address("10.0.0.1")
    assert a.enter_operator("li.wei") and not a.enter_operator("li.wei") and a.enter_operator("wang.fang")
    a.leave_operator("li.wei")
    a.leave_operator("wang.fang")
    assert not a.operators and a.enter_operator("li.wei")
    assert address_of(("127.0.0.1", 5555)) == "127.0.0.1" and address_of(("::1", 1, 0, 0)) == "::1"


def test_identify_trusts_the_token_with_a_secret_and_the_hello_without() -> None:
    hello = Hello(v=1, client_id="c", operator="boss", role="supervisor", token=token("li.wei", "viewer"))
    checked, trusting = Gate(verifier=VERIFIER), Gate()
    now = int(time.time())
    assert (checked.identify(hello, now).operator, checked.identify(hello, now).role) == ("li.wei", "viewer")
    assert (trusting.identify(hello, now).operator, trusting.identify(hello, now).role) == ("boss", "supervisor")
    with pytest.raises(TokenError) as err:
        checked.identify(Hello(v=1, client_id="c", operator="boss", role="supervisor"), now)
    assert err.value.code == TOKEN_MISSING
