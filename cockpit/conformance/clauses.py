"""The clauses of docs/protocol.md that ``cockpit-conformance`` checks, in the document's order.

Each clause is one testable sentence of the document: its section, MUST or SHOULD, and what is
checked. A clause that needs something the run was not given (a test token, ``--destructive``, a
stream the server does not offer) is reported SKIP with the reason.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final


class Level(enum.StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    section: str
    level: Level
    title: str


M, S = Level.MUST, Level.SHOULD

_LIST: Final = (
    Clause("frame.binary-arrays", "§2.1", M, "every frame is a binary MessagePack array of messages"),
    Clause("frame.batched", "§2.1", S, "messages that are ready together share a frame"),
    Clause("frame.limit", "§2.2", M, "no frame larger than the announced max_frame_bytes"),
    Clause(
        "frame.client-oversize",
        "§2.2",
        M,
        "a client frame over the limit is dropped or closed with 1009, nothing else",
    ),
    Clause("input.bad-frames", "§2.3", M, "bad frames and unknown types are dropped; the connection goes on"),
    Clause("hello.nothing-before", "§3", M, "nothing but hb before the welcome; one answer per hello"),
    Clause(
        "welcome.fields", "§3.2", M, "welcome: v 1, server_id, epochs, capabilities, server_time as typed"
    ),
    Clause("welcome.limits", "§3.2", M, "heartbeat_ms >= 50 and max_frame_bytes in 64 KiB..4 MiB"),
    Clause("welcome.clock", "§3.2", S, "server_time within 60 s of this machine's clock"),
    Clause("refused.version", "§3.3", M, "a hello with v 2 is refused with code 'version', then close 4003"),
    Clause("refused.prompt-close", "§3.3", M, "the close after a refusal comes at once, not after a silence"),
    Clause(
        "token.missing", "§3.3", M, "with tokens checked: a hello without a token is refused token_missing"
    ),
    Clause(
        "token.invalid",
        "§3.1",
        M,
        "a token with alg none, or signed by another key, is refused token_invalid",
    ),
    Clause("token.accepted", "§3.1", M, "the test token is accepted"),
    Clause(
        "subscribe.one-answer", "§4.2", M, "exactly one subscribed per subscription, with the stream's epoch"
    ),
    Clause(
        "subscribe.unknown-stream",
        "§4.1",
        M,
        "a subscription to a stream not offered is refused unknown_stream",
    ),
    Clause(
        "filter.districts",
        "§4.1",
        M,
        "a district filter gets only that district's events (snapshot and live)",
    ),
    Clause("filter.nothing", "§4.1", M, "a filter for a district that does not exist gets no event"),
    Clause("snapshot.framing", "§4.3", M, "snapshot: subscribed, begin S, data, end S with the right count"),
    Clause("snapshot.reason", "§4.2", S, "a snapshot says why (reason not empty)"),
    Clause(
        "data.stream-field",
        "§5.0",
        M,
        "every data message carries its type's stream, one that was subscribed",
    ),
    Clause(
        "data.prev-chain", "§5.0", M, "per stream: seq increasing, prev = the previous seq sent, from S on"
    ),
    Clause("sensors.columns", "§5.2", M, "sensor_batch columns: equal length, multiple of 4; ids < 2^26"),
    Clause(
        "sensors.catalog-first", "§5.2", M, "every sensor is described in a catalog before its first value"
    ),
    Clause("resume.after-cut", "§4.2", S, "a position held by the server is resumed after a cut"),
    Clause(
        "resume.replay-exact", "§4.2", M, "the replayed gap is exactly what was missed: no duplicate, no hole"
    ),
    Clause("resume.unknown-epoch", "§4.2", M, "an unknown epoch gets a snapshot"),
    Clause("resume.ahead", "§4.2", M, "a seq ahead of the server gets a snapshot"),
    Clause(
        "liveness.server-hb", "§6", M, "the server is never silent longer than heartbeat_ms after the welcome"
    ),
    Clause("liveness.idle-client", "§6", M, "a client silent for 3 intervals keeps its connection"),
    Clause("liveness.silent-close", "§6", M, "if the server closes a silent client, it does so with 4002"),
    Clause("command.ack", "§7.2", M, "a command gets exactly one command_ack with its id"),
    Clause(
        "command.duplicate",
        "§7.3",
        M,
        "a repeated id has no second effect: duplicate (or the same rejection)",
    ),
    Clause(
        "command.applied-once",
        "§7.3",
        M,
        "an accepted command sent again is answered duplicate, original accepted",
    ),
    Clause(
        "command.malformed", "§7.2", M, "a malformed command with a readable id gets rejected 'malformed'"
    ),
    Clause(
        "command.stale-epoch",
        "§7.1",
        M,
        "a command stamped with another events epoch is rejected stale_epoch",
    ),
    Clause("command.unknown-kind", "§7.2", M, "an unknown kind is rejected unknown_kind"),
    Clause("roles.viewer", "§7.9", M, "a viewer's command is rejected forbidden"),
    Clause("flood.close", "§3.3", S, "a client flooding frames is closed with 4008"),
    Clause("flood.prompt-close", "§6", M, "a flood's close comes at once, not after a silence"),
)

CLAUSES: Final[dict[str, Clause]] = {c.id: c for c in _LIST}
