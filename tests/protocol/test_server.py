"""The server core, synchronously: bytes in, events and bytes out, time passed in (docs/protocol.md §3–§7)."""

from __future__ import annotations

import time
from typing import Any

import msgspec
import pytest

from cockpit.protocol.admission import Limits
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.messages import Command, Filter, Heartbeat, Hello, Subscribe, Subscription
from cockpit.protocol.server import (
    CLOSE_FLOOD,
    CLOSE_OVERRUN,
    CLOSE_REFUSED,
    CLOSE_SILENT,
    CLOSE_TOO_MANY,
    CommandReceived,
    CommandRefused,
    Gate,
    ServerConfig,
    ServerProtocol,
    SubscriptionRequested,
    Welcomed,
)
from cockpit.protocol.tokens import (
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKEN_MISSING,
    TOKEN_REVOKED,
    Claims,
    SiteSecret,
    issue,
)
from tests.protocol.memory_streams import MemoryLog, MemoryStreams, event

T0 = int(time.time() * 1000)  # tokens are checked against it
SECRET = b"0123456789abcdef0123456789abcdef-test"
CONFIG = ServerConfig("test", capabilities=("batch",), heartbeat_ms=1000, client_timeout_ms=5000)


def streams() -> MemoryStreams:
    s = MemoryStreams({"events": MemoryLog(), "dispatch": MemoryLog()})
    for n in range(1, 7):
        district = "jiangbei" if n % 2 else "yuzhong"
        s.logs["events"].publish(event(f"E{n}", district), district, "flood")
        s.districts[f"E{n}"] = district
    return s


def core(
    s: MemoryStreams | None = None, gate: Gate | None = None, config: ServerConfig = CONFIG, address: str = "a"
) -> ServerProtocol:
    return ServerProtocol(config, s or streams(), gate or Gate(), address, T0)


def out(c: ServerProtocol, now: int = T0) -> list[dict[str, Any]]:
    """Everything the core queued, decoded (frames joined)."""
    return [m for f in c.data_to_send(now) for m in msgspec.msgpack.decode(f)]


def hello(role: str = "operator", token: str = "", v: int = 1) -> bytes:
    return encode_frame([Hello(v=v, client_id="c", operator="li.wei", role=role, token=token)])


def welcomed(c: ServerProtocol, role: str = "operator", token: str = "") -> dict[str, Any]:
    c.receive_data(hello(role, token), T0)
    (w,) = out(c)
    assert w["t"] == "welcome"
    assert isinstance(c.events_received()[-1], Welcomed)
    return w


def subscribe(c: ServerProtocol, *subs: Subscription) -> list[SubscriptionRequested]:
    c.receive_data(encode_frame([Subscribe(streams=list(subs))]), T0)
    return [e for e in c.events_received() if isinstance(e, SubscriptionRequested)]


def tok(role: str = "operator", districts: tuple[str, ...] = (), exp: int | None = None, iat: int | None = None) -> str:
    now = int(time.time())
    iat = now if iat is None else iat
    return issue(SECRET, Claims("li.wei", role, districts, iat, exp or now + 3600, "t1"))


# ------------------------------------------------------------------------------------ handshake


def test_hello_gets_a_welcome_with_the_epochs_and_nothing_goes_before_it() -> None:
    c = core()
    c.receive_data(encode_frame([Subscribe(streams=[Subscription(stream="events")])]), T0)
    assert out(c) == [] and c.problems == 1  # not before the hello (§3.1)
    c.receive_data(encode_frame([Heartbeat(ts=1)]), T0)
    assert c.problems == 1  # a heartbeat is ignored, not a problem
    w = welcomed(c)
    assert w["epochs"] == {"events": "e1", "dispatch": "e1"} and w["server_time"] == T0
    assert w["heartbeat_ms"] == 1000 and w["max_frame_bytes"] == 1 << 20


@pytest.mark.parametrize(
    ("token", "code"),
    [("", TOKEN_MISSING), ("ck1.x.y", TOKEN_INVALID), ("expired", TOKEN_EXPIRED)],
)
def test_a_bad_token_is_refused_with_its_code_then_4003(token: str, code: str) -> None:
    if token == "expired":
        token = tok(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    gate = Gate(verifier=SiteSecret(SECRET))
    c = core(gate=gate)
    c.receive_data(hello(token=token), T0)
    assert [m["code"] for m in out(c)] == [code]
    assert c.close_code == (CLOSE_REFUSED, "refused") and gate.refusals == [code]


def test_the_token_decides_who_speaks_and_a_revoked_one_is_refused_then_or_later() -> None:
    revoked: set[str] = set()
    gate = Gate(verifier=SiteSecret(SECRET), revoked=lambda c: "gone" if c.token_id in revoked else "")
    c = core(gate=gate)
    welcomed(c, role="supervisor", token=tok("viewer"))
    assert (c.operator, c.role) == ("li.wei", "viewer")
    revoked.add("t1")
    c.check_revoked()
    assert [m["code"] for m in out(c)] == [TOKEN_REVOKED] and c.close_code == (CLOSE_REFUSED, "refused")
    again = core(gate=gate)
    again.receive_data(hello(token=tok()), T0)
    assert [m["code"] for m in out(again)] == [TOKEN_REVOKED]


def test_version_and_connection_limits() -> None:
    c = core()
    c.receive_data(hello(v=2), T0)
    assert [m["code"] for m in out(c)] == ["version"] and c.close_code is not None
    gate = Gate(limits=Limits(connections_per_address=1, connections_per_operator=1))
    first, second = core(gate=gate), core(gate=gate)
    assert first.close_code is None and second.close_code == (CLOSE_TOO_MANY, "too many connections from this address")
    other = core(gate=gate, address="b")
    welcomed(first)
    other.receive_data(hello(), T0)
    assert [m["code"] for m in out(other)] == ["too_many_connections"]
    first.connection_lost()
    second.connection_lost()
    assert not gate.admission.operators and gate.admission.addresses == {"b": 1}


def test_a_flood_closes_with_4008_at_once_dropping_what_was_queued() -> None:
    gate = Gate(limits=Limits(frames_per_s=10, frames_burst=3))
    c = core(gate=gate)
    welcomed(c)
    c.send(Heartbeat(ts=1))
    for _ in range(3):
        c.receive_data(encode_frame([Heartbeat(ts=1)]), T0)
    assert c.close_code == (CLOSE_FLOOD, "flood: over 10 frames/s") and c.data_to_send(T0) == []


# ------------------------------------------------------------------------------------ subscriptions


def test_resume_or_snapshot_with_the_reason() -> None:
    s = streams()
    c = core(s, config=ServerConfig("t", resume_limit=3))
    welcomed(c)
    cases = [
        (Subscription(stream="events"), "first subscription"),
        (Subscription(stream="events", epoch="old", seq=3), "epoch old is gone; the current one is e1"),
        (Subscription(stream="events", epoch="e1", seq=9), "seq 9 is ahead of this server (newest 6)"),
        (Subscription(stream="events", epoch="e1", seq=0), "seq 0 is more than 3 messages behind"),
    ]
    for sub, reason in cases:
        (req,) = subscribe(c, sub)
        assert (req.decision.mode, req.decision.reason) == ("snapshot", reason)
        c.snapshot(req.stream, 6, [], req.decision.reason)
    s.logs["events"].forget_before(4)
    (req,) = subscribe(c, Subscription(stream="events", epoch="e1", seq=1))
    assert req.decision.reason == "seq 1 is no longer held (oldest 4)"
    c.snapshot("events", 6, [], req.decision.reason)
    (req,) = subscribe(c, Subscription(stream="events", epoch="e1", seq=3))
    assert req.decision.mode == "resume"


def test_a_resume_replays_the_filtered_messages_with_prev_chained_through_the_filter() -> None:
    c = core()
    welcomed(c)
    (req,) = subscribe(c, Subscription(stream="events", filter=Filter(districts=["jiangbei"]), epoch="e1", seq=1))
    c.resume(req.stream)
    c.collect()
    msgs = out(c)
    assert msgs[0] == {"t": "subscribed", "stream": "events", "epoch": "e1", "mode": "resume", "seq": 1, "reason": ""}
    assert [(m["seq"], m["prev"]) for m in msgs[1:]] == [(3, 1), (5, 3)]  # 2, 4, 6 are yuzhong's


def test_a_snapshot_is_framed_and_live_data_chains_on_from_its_seq() -> None:
    s = streams()
    c = core(s)
    welcomed(c)
    (req,) = subscribe(c, Subscription(stream="events", filter=Filter(districts=["yuzhong"])))
    items = [msgspec.structs.replace(event("E2", "yuzhong"), seq=2)]
    c.snapshot(req.stream, 6, items, req.decision.reason)
    s.logs["events"].publish(event("E7", "jiangbei"), "jiangbei", "flood")
    s.logs["events"].publish(event("E8", "yuzhong"), "yuzhong", "flood")
    c.collect()
    msgs = out(c)
    assert [m["t"] for m in msgs] == ["subscribed", "snapshot_begin", "event", "snapshot_end", "event"]
    assert msgs[3]["count"] == 1 and msgs[3]["seq"] == 6
    assert (msgs[4]["seq"], msgs[4]["prev"]) == (8, 6)


def test_a_token_with_districts_narrows_every_filter() -> None:
    c = core(gate=Gate(verifier=SiteSecret(SECRET)))
    welcomed(c, token=tok(districts=("jiangbei",)))
    (a,) = subscribe(c, Subscription(stream="events", filter=Filter(districts=["yuzhong"])))
    assert a.filter.districts == ["~none~"]
    c.snapshot("events", 6, [], "")
    (b,) = subscribe(c, Subscription(stream="events"))
    assert b.filter.districts == ["jiangbei"]


def test_an_unknown_stream_is_refused() -> None:
    c = core()
    welcomed(c)
    c.receive_data(msgspec.msgpack.encode([{"t": "subscribe", "streams": [{"stream": "nope"}]}]), T0)
    assert [m["code"] for m in out(c)] == ["unknown_stream"] and c.close_code is not None


def test_a_client_that_fell_out_of_the_log_is_closed_with_4001() -> None:
    s = streams()
    c = core(s)
    welcomed(c)
    (req,) = subscribe(c, Subscription(stream="events", epoch="e1", seq=6))
    c.resume(req.stream)
    out(c)
    for n in range(7, 12):
        s.logs["events"].publish(event(f"E{n}"), "jiangbei", "flood")
    s.logs["events"].forget_before(9)
    c.collect()
    assert c.close_code == (CLOSE_OVERRUN, "overrun: resume") and out(c) == []


# ------------------------------------------------------------------------------------ liveness


def test_heartbeat_after_three_quarters_idle_and_a_silent_client_is_closed() -> None:
    c = core()
    welcomed(c)
    c.tick(T0 + 700)
    assert out(c, T0 + 700) == []
    c.tick(T0 + 750)
    assert out(c, T0 + 750) == [{"t": "hb", "ts": T0 + 750}]
    assert c.next_deadline() == T0 + 1500
    c.tick(T0 + 5001)
    assert c.close_code is not None and c.close_code[0] == CLOSE_SILENT


# ------------------------------------------------------------------------------------ commands


def command(c: ServerProtocol, frame: bytes) -> tuple[list[dict[str, Any]], list[Any]]:
    c.receive_data(frame, T0)
    return out(c), c.events_received()


def test_commands_are_checked_in_order_and_the_rest_go_to_the_data_source() -> None:
    c = core()
    welcomed(c, role="viewer")
    acks, events = command(c, encode_frame([Command(id="v1", kind="dispatch", event_id="E1")]))
    assert acks[0]["reason"] == "forbidden" and isinstance(events[0], CommandRefused)
    acks, _ = command(c, encode_frame([Command(id="v1", kind="dispatch", event_id="E1")]))
    assert (acks[0]["result"], acks[0]["original"], acks[0]["reason"]) == ("duplicate", "rejected", "forbidden")

    c = core()
    welcomed(c, role="operator")
    acks, _ = command(c, encode_frame([Command(id="o1", kind="shelve", event_id="E1")]))
    assert acks[0]["reason"] == "forbidden" and "supervisor" in acks[0]["detail"]
    acks, _ = command(c, encode_frame([Command(id="o2", kind="dispatch", event_id="E1", epoch="old")]))
    assert acks[0]["reason"] == "stale_epoch"
    acks, _ = command(c, encode_frame([Command(id="o3", kind="teleport", event_id="E1")]))
    assert acks[0]["reason"] == "unknown_kind"
    acks, events = command(c, encode_frame([Command(id="o4", kind="dispatch", event_id="E1", epoch="e1")]))
    assert acks == [] and isinstance(events[0], CommandReceived) and events[0].claims.role == "operator"


def test_a_command_in_another_district_is_forbidden() -> None:
    c = core(gate=Gate(grants={"li.wei": ("jiangbei",)}))
    welcomed(c)
    acks, _ = command(c, encode_frame([Command(id="d1", kind="acknowledge", event_id="E2")]))
    assert acks[0]["reason"] == "forbidden" and "yuzhong" in acks[0]["detail"]
    acks, events = command(c, encode_frame([Command(id="d2", kind="acknowledge", event_id="E1")]))
    assert acks == [] and isinstance(events[0], CommandReceived)


def test_a_malformed_command_with_a_readable_id_gets_an_ack_with_the_reason() -> None:
    c = core()
    welcomed(c)
    frame = msgspec.msgpack.encode([{"t": "command", "id": "m1", "kind": 7}, {"t": "command", "kind": "close"}])
    acks, _ = command(c, frame)
    assert [(a["id"], a["result"], a["reason"]) for a in acks] == [("m1", "rejected", "malformed")]
    assert c.problems == 2 and c.close_code is None
