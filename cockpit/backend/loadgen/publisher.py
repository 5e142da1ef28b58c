"""The city's publisher: the synthetic city's plan published into JetStream at the city's rate.

``python -m cockpit.backend.loadgen.publisher --nats URLS --rate 4900`` (the scenario runs it in its
own process, so it can be killed and started again).

**Nothing lost or repeated across a restart or a NATS node loss.** Message ``n`` is published with
``Nats-Msg-Id: city-<n>``. Publishing goes in ticks: each tick's messages are sent pipelined and all
their acknowledgements awaited; on the first that fails (or does not come within ``ack_timeout_s``),
publishing goes back to that ``n`` and sends it and everything after it again; JetStream's dedupe
window drops what it already stored. A publisher that starts reads the newest ``n`` in the streams and
goes back :data:`RESTART_OVERLAP` messages before it for the same reason: whatever the previous one
had in flight is either stored once or stored now.

The pace: message ``n`` is due at ``start + (n - first) / rate``; each tick sends what is due, at most
:data:`BURST_S` seconds' worth, so a publisher that fell behind (a NATS outage, a slow tick on a busy
machine) catches up within a few ticks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time

import nats
import nats.errors
import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import PubAck

from cockpit.backend.gateway.jetstream import ensure_layout
from cockpit.backend.gateway.layout import DATA_STREAMS, LEVELS_HEADER, Retention, data_subject
from cockpit.backend.gateway.publisher import RETRYABLE
from cockpit.backend.loadgen.city import Planned, SyntheticCity
from cockpit.protocol.messages import Stream

log = logging.getLogger(__name__)

MSG_ID_PREFIX = "city-"
RESTART_OVERLAP = 4096
"""Messages republished before the newest one found at start (more than can be in flight)."""
BURST_S = 0.1
"""Most a publisher that fell behind publishes, as a multiple of the rate."""
TICK_S = 0.01


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def msg_id(n: int) -> str:
    return f"{MSG_ID_PREFIX}{n}" if n >= 0 else f"{MSG_ID_PREFIX}catalog{-1 - n}"


def plan_number(msg_id_value: str) -> int | None:
    """The plan's ``n`` of a ``Nats-Msg-Id`` (None for a catalog or another publisher's message)."""
    tail = msg_id_value.removeprefix(MSG_ID_PREFIX)
    return int(tail) if tail != msg_id_value and tail.isdigit() else None


async def newest_planned(js: JetStreamContext) -> int:
    """The greatest plan ``n`` in the streams the plan writes (-1: none yet)."""
    newest = -1
    for stream in (Stream.SENSORS, Stream.EVENTS):
        name = DATA_STREAMS[stream]
        info = await js.stream_info(name)
        seq = info.state.last_seq
        # The newest messages could be catalogs: look a little way back for a planned one.
        for s in range(seq, max(info.state.first_seq, seq - 64) - 1, -1):
            if s <= 0:
                break
            with contextlib.suppress(nats.js.errors.NotFoundError):
                msg = await js.get_msg(name, s)
                n = plan_number((msg.headers or {}).get("Nats-Msg-Id", ""))
                if n is not None:
                    newest = max(newest, n)
                    break
    return newest


class CityPublisher:
    """Publishes the plan of ``city`` from ``first`` on, paced at ``rate`` messages a second.

    Args:
        js: A JetStream context.
        city: The synthetic city.
        rate: Messages a second.
        ack_timeout_s: How long a tick waits for its acknowledgements before sending them again.
    """

    def __init__(
        self, js: JetStreamContext, city: SyntheticCity, rate: float, ack_timeout_s: float = 2.0
    ) -> None:
        self.js = js
        self.city = city
        self.rate = rate
        self.ack_timeout_s = ack_timeout_s
        self.next_n = 0
        """The first plan message not yet known to be stored."""
        self.retries = 0
        """Ticks sent again after a failed or missing acknowledgement."""
        self.duplicates = 0
        """Acknowledgements that said JetStream had the message already (dedupe at work)."""

    async def publish_catalogs(self) -> None:
        await self._publish_all(self.city.catalogs())

    async def run(self, first: int, paced_from: int | None = None) -> None:
        """Publish forever from message ``first``: at once up to ``paced_from`` (what a previous
        publisher may have had in flight), then paced at the rate."""
        self.next_n = first
        paced_from = first if paced_from is None else max(first, paced_from)
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        burst = max(100, int(self.rate * BURST_S))
        while True:
            due = paced_from + int((loop.time() - t0) * self.rate)
            if self.next_n < due:
                # The overlap at once (mostly dropped by dedupe), then the pace, catching up by bursts.
                upto = paced_from if self.next_n < paced_from else min(due, self.next_n + burst)
                stamp = now_ms()
                planned = [self.city.message(k, stamp) for k in range(self.next_n, upto)]
                failed = await self._publish(planned)
                if failed is None:
                    self.next_n = upto
                else:
                    self.retries += 1
                    self.next_n = failed
                    await asyncio.sleep(0.1)
            await asyncio.sleep(TICK_S)

    async def _publish_all(self, planned: list[Planned]) -> None:
        """Publish ``planned`` until every one is acknowledged (repeats are dropped by dedupe)."""
        while await self._publish(planned) is not None:
            self.retries += 1
            await asyncio.sleep(0.1)

    async def _publish(self, planned: list[Planned]) -> int | None:
        """Send ``planned`` pipelined and await every acknowledgement; the ``n`` of the first that
        failed (and everything after it must be sent again), or None."""
        futures: list[asyncio.Future[PubAck]] = []
        try:
            for p in planned:
                headers = {"Nats-Msg-Id": msg_id(p.n)}
                if p.levels:
                    headers[LEVELS_HEADER] = ",".join(p.levels)
                fut = await self.js.publish_async(
                    data_subject(p.stream, p.area, p.theme), p.body, headers=headers
                )
                futures.append(fut)
        except RETRYABLE as exc:
            log.warning("publish failed (%s); sending again", str(exc) or type(exc).__name__)
        if not futures:
            return planned[0].n if planned else None
        done, pending = await asyncio.wait(futures, timeout=self.ack_timeout_s)
        for fut in pending:
            fut.cancel()
        for p, fut in zip(planned, futures, strict=False):
            if fut not in done or fut.cancelled() or fut.exception() is not None:
                why = "no acknowledgement" if fut not in done or fut.cancelled() else repr(fut.exception())
                log.warning("message %d not acknowledged (%s); sending again from it", p.n, why)
                return p.n
            if getattr(fut.result(), "duplicate", None):
                self.duplicates += 1
        if len(futures) < len(planned):
            return planned[len(futures)].n
        return None


async def run(urls: list[str], city: SyntheticCity, rate: float, replicas: int, stop: asyncio.Event) -> None:
    nc = await nats.connect(servers=urls, max_reconnect_attempts=-1, reconnect_time_wait=0.25)
    js = nc.jetstream(timeout=5.0)
    publisher = CityPublisher(js, city, rate)
    while True:  # a cluster that is electing leaders answers late: try again, as a service would
        try:
            await ensure_layout(js, Retention(replicas=replicas))
            newest = await newest_planned(js)
            if newest < 0:
                await publisher.publish_catalogs()
            break
        except RETRYABLE as exc:
            log.warning("JetStream not ready (%s); trying again", str(exc) or type(exc).__name__)
            await asyncio.sleep(0.5)
    first = max(0, newest + 1 - RESTART_OVERLAP)
    print(f"cockpit-loadgen publisher: publishing from message {first} at {rate:g}/s", flush=True)
    task = asyncio.create_task(publisher.run(first, newest + 1))
    await stop.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    print(
        f"cockpit-loadgen publisher: stopped before message {publisher.next_n} "
        f"({publisher.retries} ticks sent again, {publisher.duplicates} dropped by dedupe)",
        flush=True,
    )
    with contextlib.suppress(*RETRYABLE):
        await nc.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="cockpit-loadgen-publisher", description="Publish the synthetic city.")
    p.add_argument("--nats", required=True, help="NATS URLs, comma-separated")
    p.add_argument("--rate", type=float, default=4900.0, help="messages a second (default: %(default)s)")
    p.add_argument("--districts", type=int, default=41)
    p.add_argument("--streets", type=int, default=1031)
    p.add_argument("--replicas", type=int, default=1, help="JetStream replicas when creating streams")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    city = SyntheticCity(args.districts, args.streets)

    async def body() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run([u for u in args.nats.split(",") if u], city, args.rate, args.replicas, stop)

    asyncio.run(body())
    return 0


if __name__ == "__main__":
    sys.exit(main())
