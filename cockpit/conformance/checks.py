"""The checks: each opens its own connections, does what a clause describes, and decides it.

A check that meets a server that does not do what it needs (no answer, an early close) fails the
clauses it covers with that as the evidence; the other checks still run.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from cockpit.conformance.probe import Frame, Probe, ProbeError, data_messages, now_ms
from cockpit.conformance.report import Report

DEFAULT_HEARTBEAT_MS = 1000
DEFAULT_MAX_FRAME_BYTES = 1 << 20
STREAM_OF_TYPE = {
    "event": "events",
    "sensor_catalog": "sensors",
    "sensor_batch": "sensors",
    "unit": "dispatch",
    "dispatch": "dispatch",
    "plan": "dispatch",
    "overlay": "overlays",
}
"""The v1 data types and their streams (§5.0); other types with a stream are judged by the stream only."""
NO_SUCH = "conformance-no-such"


@dataclass
class Options:
    """What the run was given (the command line)."""

    url: str
    token: str = ""
    """A token the server accepts (a duty officer's or a supervisor's); without one, hellos say
    ``role`` and the server must trust them."""
    viewer_token: str = ""
    destructive: bool = False
    """Floods, oversized client frames, a long silence, and a command that changes the server's state."""
    observe_s: float = 4.0
    silent_wait_s: float = 40.0
    ssl_context: ssl.SSLContext | None = None
    only: frozenset[str] = frozenset()
    """Run only these checks (by name) and the handshake; empty: all."""
    slack_ms: int = 0
    """Slack on timing clauses; 0: a quarter interval, at least 100 ms (:func:`tolerance`)."""


def uuid7() -> str:
    """A UUIDv7 command id (RFC 9562), as a cockpit makes them (§7.1)."""
    ms = now_ms()
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | ((rand >> 68) & 0xFFF) << 64 | 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def tolerance(hb: int, slack_ms: int = 0) -> int:
    """Slack on timing measurements: the network and this tool's own loop add some (documented)."""
    return slack_ms or max(100, hb // 4)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


@dataclass
class Observation:
    """One connection subscribed to every offered stream, and what it saw."""

    probe: Probe
    streams: list[str]
    filters: dict[str, dict[str, Any]] = field(default_factory=dict)
    start: int = 0  # the frame index the subscribe's answers start at

    def positions(self) -> dict[str, tuple[str, int]]:
        """The position in each stream after everything applied: (epoch, last seq)."""
        epochs = (self.probe.welcome or {}).get("epochs", {})
        out: dict[str, tuple[str, int]] = {}
        for stream, (snapshot_seq, live) in _streams_seen(self.probe.frames[self.start :]).items():
            seq = live[-1]["seq"] if live else snapshot_seq
            if seq is not None:
                out[stream] = (epochs.get(stream, ""), seq)
        return out


def _streams_seen(frames: list[Frame]) -> dict[str, tuple[int | None, list[dict[str, Any]]]]:
    """Per stream: the snapshot's or resume's seq, and the live data messages after it."""
    out: dict[str, tuple[int | None, list[dict[str, Any]]]] = {}
    in_snapshot: set[str] = set()
    for f in frames:
        for m in f.messages or []:
            if not isinstance(m, dict):
                continue
            t = m.get("t")
            stream = m.get("stream")
            if t == "subscribed" and isinstance(stream, str):
                out[stream] = (m.get("seq") if _is_int(m.get("seq")) else None, [])
                if m.get("mode") == "snapshot":
                    in_snapshot.add(stream)
            elif t == "snapshot_end" and isinstance(stream, str):
                in_snapshot.discard(stream)
            elif "seq" in m and isinstance(stream, str) and stream in out and stream not in in_snapshot:
                out[stream][1].append(m)
    return out


def _synced(stream: str) -> Callable[[Any], bool]:
    def match(m: Any) -> bool:
        return (
            isinstance(m, dict)
            and m.get("stream") == stream
            and (m.get("t") == "snapshot_end" or (m.get("t") == "subscribed" and m.get("mode") == "resume"))
        )

    return match


class Run:
    """One conformance run against one server."""

    def __init__(self, options: Options, report: Report) -> None:
        self.options = options
        self.report = report
        self.welcome: dict[str, Any] = {}
        self.main: Observation | None = None
        self.probes: list[Probe] = []

    # ---------------------------------------------------------------------------------- helpers

    @property
    def heartbeat_ms(self) -> int:
        hb = self.welcome.get("heartbeat_ms", DEFAULT_HEARTBEAT_MS)
        return hb if _is_int(hb) and hb >= 50 else DEFAULT_HEARTBEAT_MS

    @property
    def max_frame_bytes(self) -> int:
        limit = self.welcome.get("max_frame_bytes", DEFAULT_MAX_FRAME_BYTES)
        return limit if _is_int(limit) else DEFAULT_MAX_FRAME_BYTES

    @property
    def epochs(self) -> dict[str, str]:
        epochs = self.welcome.get("epochs")
        return dict(epochs) if isinstance(epochs, dict) else {}

    async def probe(self) -> Probe:
        p = Probe(self.options.url, self.options.ssl_context, self.heartbeat_ms)
        self.probes.append(p)
        await p.open()
        return p

    async def welcomed(self, role: str = "operator", token: str | None = None) -> Probe:
        """A connection past the handshake, as a duty officer (the test token) unless told otherwise.

        Raises:
            ProbeError: the server refused it.
        """
        p = await self.probe()
        answer = await p.hello(self.options.token if token is None else token, role)
        if answer.get("t") != "welcome":
            raise ProbeError(f"refused: {answer.get('code')}: {answer.get('detail')}")
        return p

    async def subscribe(self, p: Probe, subs: list[dict[str, Any]]) -> int:
        start = len(p.frames)
        await p.send({"t": "subscribe", "streams": subs})
        return start

    async def snapshot_done(self, p: Probe, streams: list[str], start: int, timeout_s: float = 20.0) -> None:
        """Wait until every stream's subscribed (resume) or snapshot_end has arrived."""
        for s in streams:
            await p.wait_for(_synced(s), timeout_s, start, f"the {s} snapshot")

    async def command(self, p: Probe, command: dict[str, Any], timeout_s: float = 5.0) -> dict[str, Any]:
        start = len(p.frames)
        await p.send(command)
        ack: dict[str, Any] = await p.wait_for(
            lambda m: isinstance(m, dict) and m.get("t") == "command_ack" and m.get("id") == command["id"],
            timeout_s,
            start,
            f"the command_ack of {command['id']}",
        )
        return ack

    async def close_all(self) -> None:
        for p in self.probes:
            if p.closed is None:
                await p.close()


# ------------------------------------------------------------------------------------ the checks


async def handshake_and_observe(run: Run) -> None:
    """§2–§6 on one connection subscribed to everything, plus an idle one for heartbeats."""
    r = run.report
    p = await run.probe()
    answer = await p.hello(run.options.token)
    before = [m for f in p.frames for m in (f.messages or [])]
    answers = [m for m in before if isinstance(m, dict) and m.get("t") in ("welcome", "refused")]
    extra = [
        m.get("t") if isinstance(m, dict) else m
        for m in before
        if m not in answers and not (isinstance(m, dict) and m.get("t") == "hb")
    ]
    if answer.get("t") == "refused":
        why = f"refused: {answer.get('code')}: {answer.get('detail')}"
        if run.options.token:
            r.failed("token.accepted", f"the test token was {why}")
        raise ProbeError(
            f"the hello was {why}" + ("" if run.options.token else " (give a test token with --token)")
        )
    run.welcome = w = answer
    if run.options.token:
        r.passed("token.accepted", "welcomed with the test token")
    else:
        r.skipped("token.accepted", "no --token given")
    problems = []
    if w.get("v") != 1 or not _is_int(w.get("v")):
        problems.append(f"v is {w.get('v')!r}")
    if not isinstance(w.get("server_id"), str):
        problems.append("server_id is not a string")
    epochs = w.get("epochs")
    if (
        not isinstance(epochs, dict)
        or not epochs
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in epochs.items())
    ):
        problems.append(f"epochs is not a non-empty {{str: str}}: {epochs!r}")
    caps = w.get("capabilities")
    if not isinstance(caps, list) or not all(isinstance(c, str) for c in caps):
        problems.append("capabilities is not a list of strings")
    if not _is_int(w.get("server_time")):
        problems.append("server_time is not an int")
    for key in ("heartbeat_ms", "max_frame_bytes"):
        if key in w and not _is_int(w[key]):
            problems.append(f"{key} is not an int")
    r.check(
        "welcome.fields",
        not problems,
        "; ".join(problems) or f"server_id {w.get('server_id')!r}, epochs {epochs}, capabilities {caps}",
    )
    hb, limit = w.get("heartbeat_ms", 1000), w.get("max_frame_bytes", DEFAULT_MAX_FRAME_BYTES)
    r.check(
        "welcome.limits",
        _is_int(hb) and hb >= 50 and _is_int(limit) and 65536 <= limit <= 4194304,
        f"heartbeat_ms {hb}, max_frame_bytes {limit}",
    )
    if _is_int(w.get("server_time")):
        skew = w["server_time"] - now_ms()
        r.check(
            "welcome.clock", abs(skew) <= 60_000, f"server_time is {skew:+d} ms from this machine's clock"
        )
    p.heartbeat_ms = run.heartbeat_ms

    # An idle connection next to it: only heartbeats keep it alive (§6).
    idle = await run.welcomed()
    idle_from = time.monotonic()

    streams: list[str] = [s for s in ("events", "sensors", "dispatch", "overlays") if s in run.epochs]
    streams += [s for s in run.epochs if s not in streams]
    obs = Observation(p, streams)
    obs.start = await run.subscribe(p, [{"stream": s} for s in streams])
    run.main = obs
    await asyncio.sleep(run.options.observe_s)
    await run.snapshot_done(p, streams, obs.start)
    await asyncio.sleep(0.5)

    frames = p.frames
    welcomes = [m for m in p.messages() if isinstance(m, dict) and m.get("t") == "welcome"]
    r.check(
        "hello.nothing-before",
        len(answers) == 1 and not extra and len(welcomes) == 1,
        f"before the answer: {extra or 'only hb'}; answers to the one hello: {len(welcomes)} welcome",
    )
    _judge_frames(run, frames)
    _judge_subscriptions(run, obs)
    _judge_data(run, obs)
    _judge_heartbeats(run, [(p, frames, answer_at(p)), (idle, idle.frames, idle_from)])


def answer_at(p: Probe) -> float:
    for f in p.frames:
        if any(isinstance(m, dict) and m.get("t") == "welcome" for m in f.messages or []):
            return f.at
    return p.frames[0].at if p.frames else time.monotonic()


def _judge_frames(run: Run, frames: list[Frame]) -> None:
    r = run.report
    bad = [f for f in frames if f.messages is None or f.text]
    r.check(
        "frame.binary-arrays",
        not bad,
        f"{len(frames)} frames, {len(bad)} not a binary MessagePack array"
        + (f" (first: {bad[0].size} bytes{', text' if bad[0].text else ''})" if bad else ""),
    )
    largest = max((f.size for f in frames), default=0)
    over = [f.size for f in frames if f.size > run.max_frame_bytes]
    r.check(
        "frame.limit",
        not over,
        f"largest frame {largest} bytes, announced max_frame_bytes {run.max_frame_bytes}"
        + (f"; {len(over)} over it" if over else ""),
    )
    multi = sum(1 for f in frames if f.messages and len(f.messages) > 1)
    messages = sum(len(f.messages or []) for f in frames)
    if multi:
        r.passed(
            "frame.batched", f"{multi} of {len(frames)} frames carried several messages ({messages} in all)"
        )
    elif messages >= 40:
        r.failed("frame.batched", f"{messages} messages came one a frame")
    else:
        r.skipped("frame.batched", f"too little traffic to tell ({messages} messages)")


def _judge_subscriptions(run: Run, obs: Observation) -> None:
    r = run.report
    msgs = [m for m in obs.probe.messages(obs.start) if isinstance(m, dict)]
    answers = [m for m in msgs if m.get("t") == "subscribed"]
    per: dict[str, list[dict[str, Any]]] = {}
    for a in answers:
        per.setdefault(str(a.get("stream")), []).append(a)
    wrong = [
        f"{s}: {len(per.get(s, []))} subscribed"
        for s in obs.streams
        if len(per.get(s, [])) != 1 or per[s][0].get("epoch") != run.epochs.get(s)
    ]
    r.check(
        "subscribe.one-answer", not wrong, "; ".join(wrong) or f"one subscribed for each of {obs.streams}"
    )
    problems: list[str] = []
    reasons: list[str] = []
    for s in obs.streams:
        problems += _snapshot_problems(msgs, s)
        for a in per.get(s, []):
            if a.get("mode") == "snapshot" and not a.get("reason"):
                reasons.append(s)
    r.check(
        "snapshot.framing",
        not problems,
        "; ".join(problems) or f"snapshots of {obs.streams} framed and counted",
    )
    r.check(
        "snapshot.reason", not reasons, f"no reason for {reasons}" if reasons else "every snapshot says why"
    )


def _snapshot_problems(msgs: list[dict[str, Any]], stream: str) -> list[str]:
    state, seq, count, problems = "", 0, 0, []
    for m in msgs:
        t = m.get("t")
        if m.get("stream") != stream:
            continue
        if t == "subscribed":
            state, seq = ("subscribed" if m.get("mode") == "snapshot" else "live"), m.get("seq", 0)
        elif t == "snapshot_begin":
            if state != "subscribed" or m.get("seq") != seq:
                problems.append(
                    f"{stream}: snapshot_begin seq {m.get('seq')} after subscribed seq {seq} ({state or 'none'})"
                )
            state, count = "inside", 0
        elif t == "snapshot_end":
            if state != "inside":
                problems.append(f"{stream}: snapshot_end without snapshot_begin")
            elif m.get("seq") != seq or m.get("count") != count:
                problems.append(
                    f"{stream}: snapshot_end seq {m.get('seq')} count {m.get('count')}, expected seq {seq} count {count}"
                )
            state = "live"
        elif "seq" in m:
            if state == "subscribed":
                problems.append(f"{stream}: a {t} between subscribed and snapshot_begin")
            elif state == "inside":
                count += 1
                if _is_int(m.get("seq")) and _is_int(seq) and m["seq"] > seq:
                    problems.append(f"{stream}: a {t} with seq {m['seq']} inside the snapshot at {seq}")
    if state in ("subscribed", "inside"):
        problems.append(f"{stream}: the snapshot did not end")
    return problems


def _judge_data(run: Run, obs: Observation) -> None:
    r = run.report
    msgs = data_messages(obs.probe.frames[obs.start :])
    wrong = [
        f"{m.get('t')} on stream {m.get('stream')!r}"
        for m in msgs
        if m.get("stream") not in obs.streams
        or (m.get("t") in STREAM_OF_TYPE and STREAM_OF_TYPE[str(m.get("t"))] != m.get("stream"))
    ]
    r.check(
        "data.stream-field",
        not wrong,
        f"{len(wrong)} wrong, e.g. {wrong[:3]}"
        if wrong
        else f"{len(msgs)} data messages, each on its stream",
    )
    chain = chain_problems(obs.probe.frames[obs.start :])
    seen = _streams_seen(obs.probe.frames[obs.start :])
    live = sum(len(v[1]) for v in seen.values())
    r.check(
        "data.prev-chain",
        not chain,
        "; ".join(chain[:4]) or f"{live} live messages chained on {sorted(seen)}",
    )
    _judge_sensors(run, msgs)


def chain_problems(frames: list[Frame]) -> list[str]:
    """Where a stream's live messages break §5.0: seq not increasing, or prev not the previous seq."""
    problems = []
    for stream, (start, live) in _streams_seen(frames).items():
        pos = start
        for m in live:
            seq, prev = m.get("seq"), m.get("prev")
            if not isinstance(seq, int) or not isinstance(prev, int) or pos is None:
                problems.append(f"{stream}: seq/prev not integers ({seq!r}, {prev!r})")
                break
            if seq <= pos:
                problems.append(f"{stream}: seq {seq} again after {pos} (a duplicate)")
                break
            if prev != pos:
                problems.append(f"{stream}: seq {seq} has prev {prev}, the previous message sent was {pos}")
                break
            pos = seq
    return problems


def _judge_sensors(run: Run, msgs: list[dict[str, Any]]) -> None:
    r = run.report
    sensors = [m for m in msgs if m.get("stream") == "sensors"]
    if "sensors" not in run.epochs or not sensors:
        for c in ("sensors.columns", "sensors.catalog-first"):
            r.skipped(c, "no sensor data seen")
        return
    described: set[int] = set()
    bad_columns: list[str] = []
    undescribed: set[int] = set()
    values = 0
    for m in sensors:
        if m.get("t") == "sensor_catalog":
            for info in m.get("sensors") or []:
                if isinstance(info, dict) and _is_int(info.get("id")):
                    described.add(info["id"])
        elif m.get("t") == "sensor_batch":
            ids, vals = m.get("ids"), m.get("values")
            if (
                not isinstance(ids, bytes)
                or not isinstance(vals, bytes)
                or len(ids) != len(vals)
                or len(ids) % 4
            ):
                bad_columns.append(
                    f"seq {m.get('seq')}: {len(ids) if isinstance(ids, bytes) else ids!r}/{len(vals) if isinstance(vals, bytes) else vals!r} bytes"
                )
                continue
            for i in range(0, len(ids), 4):
                sid = int.from_bytes(ids[i : i + 4], "little")
                values += 1
                if sid >= 1 << 26:
                    bad_columns.append(f"seq {m.get('seq')}: id {sid} ≥ 2^26")
                if sid not in described:
                    undescribed.add(sid)
    r.check(
        "sensors.columns",
        not bad_columns,
        "; ".join(bad_columns[:3]) or f"{values} values in well-formed columns",
    )
    r.check(
        "sensors.catalog-first",
        not undescribed,
        f"{len(undescribed)} sensors had values before any catalog, e.g. {sorted(undescribed)[:5]}"
        if undescribed
        else f"{len(described)} sensors described before their values",
    )


def _judge_heartbeats(run: Run, seen: list[tuple[Probe, list[Frame], float]]) -> None:
    hb = run.heartbeat_ms
    worst, where = 0.0, ""
    for p, frames, since in seen:
        times = (
            [since]
            + [f.at for f in frames if f.at >= since]
            + [min(time.monotonic(), p.closed.at if p.closed else time.monotonic())]
        )
        for a, b in itertools.pairwise(times):
            if b - a > worst:
                worst, where = b - a, ("idle connection" if p is not seen[0][0] else "subscribed connection")
    limit = hb + tolerance(hb, run.options.slack_ms)
    run.report.check(
        "liveness.server-hb",
        worst * 1000 <= limit,
        f"longest silence {worst * 1000:.0f} ms on the {where} (heartbeat_ms {hb}; allowed {limit} with this tool's slack)",
    )


async def refusal(run: Run) -> None:
    """§3.3: another version is refused, and the close follows at once."""
    r = run.report
    p = await run.probe()
    answer = await p.hello(v=2)
    refused_at = p.frames[-1].at if p.frames else time.monotonic()
    closed = await p.wait_closed(5 + DEFAULT_HEARTBEAT_MS / 1000)
    r.check(
        "refused.version",
        answer.get("t") == "refused"
        and answer.get("code") == "version"
        and closed is not None
        and closed.code == 4003,
        f"answer {answer.get('t')} code {answer.get('code')!r}, then {p.close_text()}",
    )
    if closed is None:
        r.failed("refused.prompt-close", "no close within 6 s of the refusal")
        return
    wait_ms = (closed.at - refused_at) * 1000
    limit = DEFAULT_HEARTBEAT_MS + tolerance(DEFAULT_HEARTBEAT_MS, run.options.slack_ms)
    r.check(
        "refused.prompt-close",
        wait_ms <= limit,
        f"close {closed.code} {wait_ms:.0f} ms after the refusal (before a welcome the interval is {DEFAULT_HEARTBEAT_MS} ms)",
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def forged_tokens(token: str) -> dict[str, str]:
    """The test token's claims, unsigned (``alg: none``) and signed by a key the site does not have."""
    header_b64, claims_b64, _ = token.split(".")
    header = json.loads(_unb64(header_b64))
    claims = json.loads(_unb64(claims_b64))
    unsigned = _b64(json.dumps({**header, "alg": "none"}).encode()) + "." + claims_b64 + "."
    import jwt  # PyJWT: an independent signer for the forgery
    from cryptography.hazmat.primitives.asymmetric import ec

    other = jwt.encode(
        claims,
        ec.generate_private_key(ec.SECP256R1()),
        algorithm="ES256",
        headers={"kid": header.get("kid", "")},
    )
    return {"alg none": unsigned, "another key": other}


async def tokens(run: Run) -> None:
    r = run.report
    if not run.options.token:
        for c in ("token.missing", "token.invalid"):
            r.skipped(c, "no --token given: this run does not know whether the server checks tokens")
        return
    p = await run.probe()
    answer = await p.hello("")
    r.check(
        "token.missing",
        answer.get("code") == "token_missing",
        f"a hello without a token got {answer.get('t')} {answer.get('code', '')}",
    )
    if run.options.token.count(".") != 2 or run.options.token.startswith("ck1."):
        r.skipped("token.invalid", "the test token is not a JWT")
        return
    results = []
    for what, forged in forged_tokens(run.options.token).items():
        q = await run.probe()
        answer = await q.hello(forged)
        results.append((what, answer.get("t"), answer.get("code", "")))
    r.check(
        "token.invalid",
        all(code == "token_invalid" for _, _, code in results),
        "; ".join(f"{what}: {t} {code}" for what, t, code in results),
    )


async def unknown_stream(run: Run) -> None:
    p = await run.welcomed()
    start = await run.subscribe(p, [{"stream": f"{NO_SUCH}-stream"}])
    answer = await p.wait_for(
        lambda m: isinstance(m, dict) and m.get("t") in ("refused", "subscribed"), 5, start, "an answer"
    )
    closed = await p.wait_closed(3)
    run.report.check(
        "subscribe.unknown-stream",
        answer.get("t") == "refused"
        and answer.get("code") == "unknown_stream"
        and closed is not None
        and closed.code == 4003,
        f"{answer.get('t')} {answer.get('code', '')}, then {p.close_text()}",
    )


async def filters(run: Run) -> None:
    r = run.report
    obs = run.main
    if "events" not in run.epochs or obs is None:
        for c in ("filter.districts", "filter.nothing"):
            r.skipped(c, "the server offers no events stream")
        return
    districts = sorted(
        {
            str(m["district"])
            for m in data_messages(obs.probe.frames)
            if m.get("t") == "event" and m.get("district")
        }
    )
    if not districts:
        r.skipped("filter.districts", "no event with a district seen to filter on")
    else:
        d = districts[0]
        p = await run.welcomed()
        start = await run.subscribe(p, [{"stream": "events", "filter": {"districts": [d]}}])
        await run.snapshot_done(p, ["events"], start)
        await asyncio.sleep(min(2.0, run.options.observe_s))
        events = [m for m in data_messages(p.frames[start:]) if m.get("t") == "event"]
        others = [m for m in events if m.get("district") not in ("", d)]
        r.check(
            "filter.districts",
            not others,
            f"filter {d!r}: {len(events)} events, {len(others)} of other districts"
            + (f" (e.g. {others[0].get('district')!r})" if others else ""),
        )
    p = await run.welcomed()
    start = await run.subscribe(p, [{"stream": "events", "filter": {"districts": [f"{NO_SUCH}-district"]}}])
    await run.snapshot_done(p, ["events"], start)
    await asyncio.sleep(min(2.0, run.options.observe_s))
    events = [m for m in data_messages(p.frames[start:]) if m.get("t") == "event" and m.get("district")]
    r.check("filter.nothing", not events, f"a filter for no real district got {len(events)} events")


async def resume(run: Run) -> None:
    """§4.2: cut a connection, come back with its positions; compare the replay with a witness."""
    r = run.report
    subs = [{"stream": s} for s in run.epochs]
    witness = await run.welcomed()
    w_start = await run.subscribe(witness, subs)
    cut = await run.welcomed()
    c_start = await run.subscribe(cut, subs)
    await run.snapshot_done(witness, list(run.epochs), w_start)
    await run.snapshot_done(cut, list(run.epochs), c_start)
    await asyncio.sleep(1.5)
    positions = Observation(cut, list(run.epochs), start=c_start).positions()
    cut.abort()
    await asyncio.sleep(1.0)
    back = await run.welcomed()
    b_start = await run.subscribe(
        back, [{"stream": s, "epoch": e, "seq": seq} for s, (e, seq) in positions.items()]
    )
    await run.snapshot_done(back, list(positions), b_start)
    await asyncio.sleep(1.5)
    answers = {
        m["stream"]: m for m in back.messages(b_start) if isinstance(m, dict) and m.get("t") == "subscribed"
    }
    snapshots = {s: a.get("reason", "") for s, a in answers.items() if a.get("mode") != "resume"}
    resumed = [s for s, a in answers.items() if a.get("mode") == "resume"]
    r.check(
        "resume.after-cut",
        not snapshots and bool(resumed),
        f"resumed {resumed}" + (f"; snapshots instead: {snapshots}" if snapshots else ""),
    )
    if not resumed:
        r.skipped("resume.replay-exact", "nothing was resumed")
        return
    seen_w = _streams_seen(witness.frames[w_start:])
    seen_b = _streams_seen(back.frames[b_start:])
    problems = chain_problems(back.frames[b_start:])
    compared = 0
    for s in resumed:
        w_from, w_live = seen_w.get(s, (None, []))
        _, b_live = seen_b.get(s, (None, []))
        p_seq = positions[s][1]
        w_seqs = [m["seq"] for m in w_live]
        b_seqs = [m["seq"] for m in b_live]
        if any(seq <= p_seq for seq in b_seqs):
            problems.append(f"{s}: the replay repeats seq {min(b_seqs)} (position {p_seq})")
            continue
        lo = max(p_seq, w_from or 0)
        hi = min(w_seqs[-1] if w_seqs else lo, b_seqs[-1] if b_seqs else lo)
        want = [q for q in w_seqs if lo < q <= hi]
        got = [q for q in b_seqs if lo < q <= hi]
        if want != got:
            missing = sorted(set(want) - set(got))[:5]
            problems.append(
                f"{s}: replay after {p_seq} differs from what a connected client got (missing {missing})"
            )
        compared += len(want)
    r.check(
        "resume.replay-exact",
        not problems,
        "; ".join(problems[:3])
        or f"{compared} messages replayed and live after the cut, as a connected client got them",
    )


async def positions_refused(run: Run) -> None:
    """§4.2: an unknown epoch, and a seq ahead of the server, get snapshots."""
    r = run.report
    stream = next(iter(run.epochs), "")
    if not stream:
        raise ProbeError("the server offers no stream")
    for clause, epoch, seq in (
        ("resume.unknown-epoch", f"{NO_SUCH}-epoch", 5),
        ("resume.ahead", run.epochs[stream], 1 << 40),
    ):
        p = await run.welcomed()
        start = await run.subscribe(p, [{"stream": stream, "epoch": epoch, "seq": seq}])
        answer = await p.wait_for(
            lambda m: isinstance(m, dict) and m.get("t") == "subscribed", 10, start, "subscribed"
        )
        r.check(
            clause,
            answer.get("mode") == "snapshot" and answer.get("epoch") == run.epochs[stream],
            f"{stream} at {epoch}/{seq}: {answer.get('mode')} ({answer.get('reason', '')!r})",
        )


async def commands(run: Run) -> None:
    r = run.report
    p = await run.welcomed()
    events_epoch = run.epochs.get("events", "")
    odd = {"t": "command", "id": uuid7(), "kind": f"{NO_SUCH}-kind", "event_id": f"{NO_SUCH}-event"}
    if events_epoch:
        odd["epoch"] = events_epoch
    first = await run.command(p, odd)
    await asyncio.sleep(1.0)
    acks = [
        m
        for m in p.messages()
        if isinstance(m, dict) and m.get("t") == "command_ack" and m.get("id") == odd["id"]
    ]
    r.check("command.ack", len(acks) == 1, f"{len(acks)} command_ack for one command")
    r.check(
        "command.unknown-kind",
        first.get("reason") == "unknown_kind",
        f"{first.get('result')} {first.get('reason')!r}",
    )
    again = await run.command(p, odd)
    r.check(
        "command.duplicate",
        (again.get("result") == "duplicate" and again.get("original") == first.get("result"))
        or (again.get("result") == "rejected" and first.get("result") == "rejected"),
        f"the same id again: {again.get('result')} (original {again.get('original', '')!r}, reason {again.get('reason', '')!r})",
    )
    malformed_id = uuid7()
    try:
        bad = await run.command(p, {"t": "command", "id": malformed_id, "kind": 7}, timeout_s=3)
        r.check(
            "command.malformed",
            bad.get("result") == "rejected" and bad.get("reason") == "malformed",
            f"{bad.get('result')} {bad.get('reason')!r}",
        )
    except ProbeError as exc:
        r.failed("command.malformed", f"a command with kind 7 (not a string): {exc}")
    stale = {
        "t": "command",
        "id": uuid7(),
        "kind": "acknowledge",
        "event_id": f"{NO_SUCH}-event",
        "epoch": f"{NO_SUCH}-epoch",
    }
    ack = await run.command(p, stale)
    r.check(
        "command.stale-epoch",
        ack.get("reason") == "stale_epoch",
        f"{ack.get('result')} {ack.get('reason')!r}",
    )
    await applied_once(run, p)


async def applied_once(run: Run, p: Probe) -> None:
    r = run.report
    if not run.options.destructive:
        r.skipped("command.applied-once", "changes the server's state: only with --destructive")
        return
    obs = run.main
    candidates = [
        m
        for m in data_messages(obs.probe.frames if obs else [])
        if m.get("t") == "event" and m.get("state") == "new"
    ]
    if not candidates:
        r.skipped("command.applied-once", "no new event to acknowledge")
        return
    event = candidates[-1]
    command = {"t": "command", "id": uuid7(), "kind": "acknowledge", "event_id": event["id"]}
    if run.epochs.get("events"):
        command["epoch"] = run.epochs["events"]
    first = await run.command(p, command)
    if first.get("result") != "accepted":
        r.skipped(
            "command.applied-once",
            f"acknowledging {event['id']} was {first.get('result')} {first.get('reason')!r}",
        )
        return
    again = await run.command(p, command)
    r.check(
        "command.applied-once",
        again.get("result") == "duplicate" and again.get("original") == "accepted",
        f"acknowledge {event['id']} twice with one id: accepted, then {again.get('result')} (original {again.get('original', '')!r})",
    )


async def viewer(run: Run) -> None:
    r = run.report
    if run.options.token and not run.options.viewer_token:
        r.skipped("roles.viewer", "no --viewer-token given")
        return
    try:
        p = await run.welcomed("viewer", run.options.viewer_token)
    except ProbeError as exc:
        r.failed("roles.viewer", f"a viewer could not connect: {exc}")
        return
    obs = run.main
    events = [m for m in data_messages(obs.probe.frames if obs else []) if m.get("t") == "event"]
    command = {
        "t": "command",
        "id": uuid7(),
        "kind": "acknowledge",
        "event_id": events[-1]["id"] if events else f"{NO_SUCH}-event",
    }
    if run.epochs.get("events"):
        command["epoch"] = run.epochs["events"]
    ack = await run.command(p, command)
    r.check(
        "roles.viewer",
        ack.get("result") == "rejected" and ack.get("reason") == "forbidden",
        f"a viewer's acknowledge: {ack.get('result')} {ack.get('reason')!r}",
    )


async def bad_frames(run: Run) -> None:
    p = await run.welcomed()
    await p.send_raw(b"\xc1 not msgpack")
    await p.send_raw(b"\x81\xa1t\xa2hb")  # a map, not an array
    await p.send({"t": f"{NO_SUCH}-type", "x": 1})
    await p.send({"t": "subscribe"})  # a known type without its fields
    command = {"t": "command", "id": uuid7(), "kind": f"{NO_SUCH}-kind"}
    try:
        ack = await run.command(p, command)
        run.report.check(
            "input.bad-frames",
            p.closed is None and ack.get("id") == command["id"],
            f"after 4 bad frames the connection is {p.close_text()} and a command was answered",
        )
    except ProbeError as exc:
        run.report.failed("input.bad-frames", f"after 4 bad frames: {exc}")


async def idle_client(run: Run) -> None:
    p = await run.welcomed()
    p.beating = False
    silence = 3 * run.heartbeat_ms / 1000 + 0.3
    await asyncio.sleep(silence)
    try:
        ack = await run.command(p, {"t": "command", "id": uuid7(), "kind": f"{NO_SUCH}-kind"})
        run.report.check(
            "liveness.idle-client", ack.get("t") == "command_ack", f"silent for {silence:.1f} s, still served"
        )
    except ProbeError as exc:
        run.report.failed("liveness.idle-client", f"silent for {silence:.1f} s: {exc}")


async def silent_close(run: Run) -> None:
    r = run.report
    if not run.options.destructive:
        r.skipped("liveness.silent-close", "waits a long silence: only with --destructive")
        return
    p = await run.welcomed()
    p.beating = False
    closed = await p.wait_closed(run.options.silent_wait_s)
    if closed is None:
        r.passed(
            "liveness.silent-close",
            f"not closed in {run.options.silent_wait_s:g} s of silence (a server MAY keep it)",
        )
    else:
        r.check("liveness.silent-close", closed.code == 4002, f"closed with {closed.code} {closed.reason!r}")


async def client_oversize(run: Run) -> None:
    r = run.report
    if not run.options.destructive:
        r.skipped("frame.client-oversize", "sends an oversized frame: only with --destructive")
        return
    p = await run.welcomed()
    await p.send({"t": "hb", "ts": now_ms(), "pad": "x" * (run.max_frame_bytes + 1024)})
    await asyncio.sleep(1.0)
    if p.closed is not None:
        r.check("frame.client-oversize", p.closed.code == 1009, f"closed with {p.closed.code}")
        return
    try:
        await run.command(p, {"t": "command", "id": uuid7(), "kind": f"{NO_SUCH}-kind"})
        r.passed("frame.client-oversize", "dropped; the connection goes on")
    except ProbeError as exc:
        r.failed("frame.client-oversize", str(exc))


async def flood(run: Run) -> None:
    r = run.report
    if not run.options.destructive:
        for c in ("flood.close", "flood.prompt-close"):
            r.skipped(c, "floods the server: only with --destructive")
        return
    p = await run.welcomed()
    frame = b"\x91\x82\xa1t\xa2hb\xa2ts\x01"  # [{"t": "hb", "ts": 1}]
    deadline = time.monotonic() + 10
    sent = 0
    with contextlib.suppress(ProbeError):
        while p.closed is None and time.monotonic() < deadline:
            await p.send_raw(frame)
            sent += 1
            if sent % 20 == 0:
                await asyncio.sleep(0)
    closed = await p.wait_closed(5)
    if closed is None:
        r.failed("flood.close", f"{sent} frames in 10 s, still open")
        r.skipped("flood.prompt-close", "no close")
        return
    r.check(
        "flood.close", closed.code == 4008, f"closed with {closed.code} {closed.reason!r} after {sent} frames"
    )
    last = max((f.at for f in p.frames), default=closed.at)
    silence_ms = (closed.at - last) * 1000
    limit = run.heartbeat_ms + tolerance(run.heartbeat_ms, run.options.slack_ms)
    r.check(
        "flood.prompt-close",
        silence_ms <= limit,
        f"the close came {silence_ms:.0f} ms after the last frame (heartbeat_ms {run.heartbeat_ms})",
    )


CHECKS: list[tuple[Callable[[Run], Awaitable[None]], tuple[str, ...]]] = [
    (refusal, ("refused.version", "refused.prompt-close")),
    (tokens, ("token.missing", "token.invalid")),
    (
        handshake_and_observe,
        (
            "token.accepted",
            "welcome.fields",
            "welcome.limits",
            "welcome.clock",
            "hello.nothing-before",
            "frame.binary-arrays",
            "frame.limit",
            "frame.batched",
            "subscribe.one-answer",
            "snapshot.framing",
            "snapshot.reason",
            "data.stream-field",
            "data.prev-chain",
            "sensors.columns",
            "sensors.catalog-first",
            "liveness.server-hb",
        ),
    ),
    (unknown_stream, ("subscribe.unknown-stream",)),
    (filters, ("filter.districts", "filter.nothing")),
    (resume, ("resume.after-cut", "resume.replay-exact")),
    (positions_refused, ("resume.unknown-epoch", "resume.ahead")),
    (
        commands,
        (
            "command.ack",
            "command.unknown-kind",
            "command.duplicate",
            "command.malformed",
            "command.stale-epoch",
            "command.applied-once",
        ),
    ),
    (viewer, ("roles.viewer",)),
    (bad_frames, ("input.bad-frames",)),
    (idle_client, ("liveness.idle-client",)),
    (client_oversize, ("frame.client-oversize",)),
    (flood, ("flood.close", "flood.prompt-close")),
    (silent_close, ("liveness.silent-close",)),
]


async def run_all(options: Options, report: Report, progress: Callable[[str], None] | None = None) -> None:
    """Every check in turn; a check that cannot go on fails its remaining clauses with why."""
    run = Run(options, report)
    for check, clauses in CHECKS:
        if options.only and check.__name__ not in options.only and check is not handshake_and_observe:
            continue
        if progress is not None:
            progress(check.__name__)
        try:
            await check(run)
        except (ProbeError, OSError, ValueError, KeyError, TypeError) as exc:
            for c in clauses:
                report.failed(
                    c, f"{type(exc).__name__}: {exc}" if not isinstance(exc, ProbeError) else str(exc)
                )
            if check is handshake_and_observe:
                for _, rest in CHECKS:
                    for c in rest:
                        report.skipped(c, "not run: the handshake failed")
                break
        finally:
            await run.close_all()
            run.probes.clear()
