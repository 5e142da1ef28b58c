"""What was published, read back from JetStream, and each centre checked against it.

:func:`read_back` follows every data stream from its first message with an ordered consumer and keeps,
per message, its seq, its area and whether it is a street-level event: enough to say which messages
each centre's filter selects. :func:`check` then compares a centre's received seqs with that set since
its first snapshot: a seq it should have had and did not is **lost**, one it had twice is
**duplicated**. :func:`plan_check` does the same for the publisher: every plan number from 0 to the
newest must be in the streams exactly once (a restarted publisher neither skips nor repeats one).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import nats
import numpy as np
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy

from cockpit.backend.gateway.layout import CORE_STREAMS, PREFIX, levels_of, parse_data_subject
from cockpit.backend.loadgen.city import Centre, SyntheticCity
from cockpit.backend.loadgen.publisher import plan_number
from cockpit.protocol.messages import Level, Stream


@dataclass(slots=True)
class StreamRecord:
    """One stream's messages: parallel arrays in seq order."""

    seq: np.ndarray
    area: np.ndarray
    """Index into the city's areas (-1: an area the city does not have)."""
    street: np.ndarray
    """True for an event held at street level (what a street centre's events filter selects)."""
    plan: np.ndarray
    """The plan number from ``Nats-Msg-Id`` (-1: a catalog or another publisher's message)."""


@dataclass(slots=True)
class Published:
    streams: dict[str, StreamRecord] = field(default_factory=dict)

    @property
    def heads(self) -> dict[str, int]:
        return {str(s): int(r.seq[-1]) if len(r.seq) else 0 for s, r in self.streams.items()}


def _stream_seq(msg: Msg) -> int:
    reply = msg.reply  # $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.…: cheaper than metadata
    if reply and reply.count(".") == 8:
        return int(reply.split(".", 6)[5])
    return int(msg.metadata.sequence.stream)


async def read_back(urls: list[str], city: SyntheticCity, timeout_s: float = 120.0) -> Published:
    """Every message of every data stream, as :class:`StreamRecord` arrays."""
    nc = await nats.connect(servers=urls, max_reconnect_attempts=-1, reconnect_time_wait=0.25)
    js = nc.jetstream(timeout=10.0)
    out = Published()
    try:
        for stream, name in CORE_STREAMS.items():
            info = await js.stream_info(name)
            last, count = info.state.last_seq, info.state.messages
            seqs: list[int] = []
            areas: list[int] = []
            street: list[bool] = []
            plans: list[int] = []
            done = asyncio.Event()
            if count == 0:
                done.set()

            async def take(
                msg: Msg,
                seqs: list[int] = seqs,
                areas: list[int] = areas,
                street: list[bool] = street,
                plans: list[int] = plans,
                done: asyncio.Event = done,
                last: int = last,
            ) -> None:
                seq = _stream_seq(msg)
                if seqs and seq <= seqs[-1]:
                    return
                _, area, _ = parse_data_subject(msg.subject)
                seqs.append(seq)
                areas.append(city.area_index.get(area, -1))
                street.append(Level.STREET.value in levels_of(msg.headers))
                n = plan_number((msg.headers or {}).get("Nats-Msg-Id", ""))
                plans.append(-1 if n is None else n)
                if seq >= last:
                    done.set()

            sub = await js.subscribe(
                f"{PREFIX}.{stream}.>",
                stream=name,
                ordered_consumer=True,
                cb=take,
                deliver_policy=DeliverPolicy.ALL,
                pending_msgs_limit=1_000_000,
            )
            try:
                async with asyncio.timeout(timeout_s):
                    await done.wait()
            finally:
                await sub.unsubscribe()
            out.streams[str(stream)] = StreamRecord(
                np.array(seqs, dtype=np.int64),
                np.array(areas, dtype=np.int32),
                np.array(street, dtype=bool),
                np.array(plans, dtype=np.int64),
            )
    finally:
        await nc.close()
    return out


@dataclass(frozen=True, slots=True)
class Verdict:
    """One centre against what was published."""

    expected: int
    received: int
    lost: int
    duplicated: int
    lost_examples: tuple[tuple[str, int], ...] = ()


def selected(centre: Centre, city: SyntheticCity, stream: str, record: StreamRecord) -> np.ndarray:
    """Which of ``record``'s messages ``centre``'s filter selects (a boolean mask)."""
    if not centre.areas:
        return np.ones(len(record.seq), dtype=bool)
    mine = np.array([city.area_index[a] for a in centre.areas], dtype=np.int32)
    mask = np.isin(record.area, mine)
    filters = centre.subscriptions()[stream]
    if stream == Stream.EVENTS and filters.levels == [Level.STREET.value]:
        mask &= record.street
    return mask


def check(
    centre: Centre,
    city: SyntheticCity,
    published: Published,
    first_snapshot: dict[str, int],
    seqs: dict[str, np.ndarray],
) -> Verdict:
    """``centre``'s received seqs per stream against the published ones its filter selects, after
    its first snapshot. A later snapshot (marked by a negative seq) counts what it skipped as lost."""
    expected = received = lost = duplicated = 0
    examples: list[tuple[str, int]] = []
    for stream, record in published.streams.items():
        if stream not in centre.subscriptions():
            continue
        start = first_snapshot.get(stream)
        got = seqs.get(stream, np.zeros(0, dtype=np.int64))
        got = got[got > 0]
        if start is None:  # never subscribed: everything after its first message counts
            start = int(got[0]) - 1 if len(got) else int(record.seq[-1]) if len(record.seq) else 0
        want = record.seq[selected(centre, city, stream, record) & (record.seq > start)]
        unique = np.unique(got)
        missing = np.setdiff1d(want, unique, assume_unique=True)
        expected += len(want)
        received += len(got)
        lost += len(missing)
        duplicated += len(got) - len(unique)
        examples.extend((stream, int(s)) for s in missing[:3])
    return Verdict(expected, received, lost, duplicated, tuple(examples[:5]))


def last_selected(city: SyntheticCity, published: Published) -> dict[int, dict[str, int]]:
    """Centre index → stream → the seq of the last message its filter selects (absent: none)."""
    out: dict[int, dict[str, int]] = {}
    for centre in city.centres:
        mine = out[centre.index] = {}
        for stream, record in published.streams.items():
            if stream in centre.subscriptions():
                seqs = record.seq[selected(centre, city, stream, record)]
                if len(seqs):
                    mine[stream] = int(seqs[-1])
    return out


def plan_check(published: Published) -> tuple[int, int, int]:
    """``(messages in the plan so far, missing, repeated)`` over every stream the plan writes."""
    plans = np.concatenate([r.plan for r in published.streams.values()] or [np.zeros(0, dtype=np.int64)])
    plans = plans[plans >= 0]
    if not len(plans):
        return 0, 0, 0
    unique = np.unique(plans)
    total = int(unique[-1]) + 1
    return total, total - len(unique), len(plans) - len(unique)
