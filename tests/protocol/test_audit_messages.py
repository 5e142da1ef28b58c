"""Audit records on the wire (docs/protocol.md §7.8), through the sans-I/O sessions: bytes in, events out."""

from __future__ import annotations

import pytest

from cockpit.audit.chain import AuditRecord, digest
from cockpit.protocol.codec import decode_client_frame, encode_frame
from cockpit.protocol.events import AuditAcked
from cockpit.protocol.messages import Audit, AuditAck, Hello
from cockpit.protocol.server import AuditReceived, Gate, ServerConfig, ServerProtocol, Welcomed
from tests.protocol.memory_streams import MemoryLog, MemoryStreams
from tests.protocol.test_session import T0, open_session, sent


def record(seq: int = 1) -> Audit:
    body = {
        "seq": seq,
        "time": "2026-11-22T20:51:23.123Z",
        "operator": "op",
        "role": "operator",
        "centre": "district",
        "action": "dispatch",
        "details": {"event_id": "E1", "unit_id": "U1", "critical": True, "occurrence": 2},
        "prev": "0" * 64,
    }
    return Audit(chain="c" * 32, hash=digest(body), **body)  # type: ignore[arg-type]


def test_the_client_sends_an_audit_record_and_reports_its_ack() -> None:
    s = open_session()
    sent(s)  # the subscribe
    s.events_received()
    s.send_audit(record(7))
    (out,) = sent(s)
    assert out == record(7)
    s.receive_data(encode_frame([AuditAck(chain="c" * 32, seq=7)]), T0 + 20)
    assert s.events_received() == [AuditAcked(AuditAck(chain="c" * 32, seq=7))]


def test_an_audit_record_cannot_go_out_before_the_welcome() -> None:
    from cockpit.protocol.messages import Filter
    from cockpit.protocol.session import ClientSession

    s = ClientSession(
        client_id="c", operator="o", role="operator", token="", subscriptions={"events": Filter()}
    )
    with pytest.raises(RuntimeError):
        s.send_audit(record())


def test_the_server_core_hands_over_audit_records_intact() -> None:
    server = ServerProtocol(
        ServerConfig("s", capabilities=("audit",)), MemoryStreams({"events": MemoryLog()}), Gate(), "a", 0
    )
    hello = Hello(v=1, client_id="c", operator="op", role="operator")
    server.receive_data(encode_frame([hello, record(1), record(2)]), 1)
    events = server.events_received()
    assert isinstance(events[0], Welcomed)
    received = [e.record for e in events[1:] if isinstance(e, AuditReceived)]
    assert received == [record(1), record(2)]
    as_record = AuditRecord(**{f: getattr(received[0], f) for f in Audit.__struct_fields__})
    assert as_record.intact, "the hash survives the MessagePack round trip"


def test_audit_messages_decode_as_client_messages() -> None:
    decoded = decode_client_frame(encode_frame([record(3)]), 1 << 20)
    assert decoded.issues == [] and decoded.messages == [record(3)]
