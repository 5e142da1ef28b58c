"""The demo city publishing into NATS JetStream, so gateways can serve it (``cockpit-backend --nats``).

The city runs as in the demo backend and publishes into its :class:`~cockpit.backend.streams.Hub`;
a forwarder copies every hub message, in order, into JetStream (layout: gateway/layout.py) and
checkpoints the latest values into the KV bucket each second. Commands come from the commands stream
through a :class:`~cockpit.backend.gateway.publisher.CommandProcessor`.

The simulated city keeps no state on disk: a city that starts has lost the previous one's. So the
bridge starts the layout afresh (deleting streams that hold an older city's messages), which gives
every stream a new epoch, and stamps the city's hub with the new ``events`` epoch so that stale
commands are rejected by the city too (§7.1).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid

import nats
import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext

from cockpit.backend.city import City
from cockpit.backend.gateway.jetstream import ensure_layout, epochs, stream_configs
from cockpit.backend.gateway.layout import (
    ACKS_BUCKET,
    DATA_STREAMS,
    LATEST_BUCKET,
    OPTIONAL_STREAMS,
    Retention,
    body_of,
    sensor_batch_body,
)
from cockpit.backend.gateway.publisher import RETRYABLE, CommandProcessor, NatsPublisher
from cockpit.backend.gateway.server import cancel
from cockpit.protocol.messages import Command, CommandAck, SensorBatch

log = logging.getLogger(__name__)


class NatsBridgeError(RuntimeError):
    """The city published faster than NATS took it for longer than the hub's log holds."""


async def reset_layout(js: JetStreamContext, retention: Retention) -> None:
    """Delete the cockpit's streams and buckets if they hold anything, and create them anew."""
    for config in stream_configs(retention):
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await js.delete_stream(config.name or "")
    for bucket in (LATEST_BUCKET, ACKS_BUCKET):
        with contextlib.suppress(nats.js.errors.NotFoundError, nats.js.errors.BucketNotFoundError):
            await js.delete_key_value(bucket)
    await ensure_layout(js, retention, optional=OPTIONAL_STREAMS)


class NatsBridge:
    """Runs ``city`` and publishes it into NATS.

    Args:
        city: The simulated city.
        nats_urls: NATS servers.
        speed: Simulated seconds per real second.
        retention: Retention of the streams it creates.
    """

    def __init__(
        self, city: City, nats_urls: list[str], *, speed: float = 1.0, retention: Retention | None = None
    ) -> None:
        self.city = city
        self.nats_urls = nats_urls
        self.speed = speed
        self.retention = retention or Retention()
        self.running = True
        """The simulation advances while True."""
        self.nc: NatsClient | None = None
        self.publisher: NatsPublisher | None = None
        self.processor: CommandProcessor | None = None
        self.epochs: dict[str, str] = {}
        # Every stream the gateway layout has a JetStream stream for: the city's names and cameras
        # too, so that a wall on the gateways is the demo's wall (the hub's other streams, if any,
        # are the demo backend's alone until the layout has them).
        self._scanned = {name: 0 for name in city.hub.logs if name in DATA_STREAMS}
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.nc = await nats.connect(
            servers=self.nats_urls,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.25,
            error_cb=self._on_error,
        )
        js = self.nc.jetstream(timeout=5.0)
        await reset_layout(js, self.retention)
        self.epochs = await epochs(js)
        self.city.hub.epoch = self.epochs["events"]
        if self.city.time_origin_ms == 0:
            self.city.time_origin_ms = time.time_ns() // 1_000_000
        self.publisher = NatsPublisher(js, uuid.uuid4().hex[:12])
        self.processor = CommandProcessor(self.nc, self._apply)
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._simulate()),
            loop.create_task(self._forward()),
            loop.create_task(self._checkpoints()),
            loop.create_task(self.processor.run()),
        ]
        for task in self._tasks:
            task.add_done_callback(self._on_task_done)
        log.info(
            "city publishing into NATS %s (events epoch %s)", ",".join(self.nats_urls), self.city.hub.epoch
        )

    async def stop(self) -> None:
        for task in self._tasks:
            await cancel(task)
        self._tasks.clear()
        if self.nc is not None:
            with contextlib.suppress(*RETRYABLE):
                await self.nc.close()

    @property
    def caught_up(self) -> bool:
        """Whether every message the city published is in JetStream."""
        return all(self._scanned[n] == self.city.hub.logs[n].seq for n in self._scanned)

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("nats bridge task %s failed", task.get_coro(), exc_info=task.exception())

    async def _on_error(self, exc: Exception) -> None:
        log.warning("nats: %s", str(exc) or type(exc).__name__)

    def _apply(self, command: Command, role: str, operator: str) -> CommandAck:
        return self.city.handle_command(command, role, operator)

    async def _simulate(self) -> None:
        step = 1.0 / self.city.tick_hz
        last = time.monotonic()
        while True:
            await asyncio.sleep(step)
            now = time.monotonic()
            if self.running:
                self.city.advance((now - last) * self.speed)
            last = now

    async def _forward(self) -> None:
        """Copy the hub's messages into JetStream in order, each stream after the other."""
        assert self.publisher is not None
        waiter = self.city.hub.waiter()
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.05):
                        await waiter.wait()
                waiter.clear()
                for name in self._scanned:
                    stream_log = self.city.hub.logs[name]
                    if not stream_log.can_resume_after(self._scanned[name]):
                        raise NatsBridgeError(
                            f"{name}: NATS fell {stream_log.seq - self._scanned[name]} messages behind the "
                            "city, more than its log holds; restart the bridge (a new epoch)"
                        )
                    for entry in list(stream_log.since(self._scanned[name])):
                        m = entry.message
                        if isinstance(m, SensorBatch):
                            body = sensor_batch_body(m.ts, m.ttl_ms, m.ids, m.values)
                        else:
                            body = body_of(m)
                        await self.publisher.publish(
                            name, entry.district, entry.theme, body, entry.seq, entry.levels
                        )
                        self._scanned[name] = entry.seq
        finally:
            self.city.hub.drop_waiter(waiter)

    async def _checkpoints(self) -> None:
        assert self.publisher is not None
        while True:
            await asyncio.sleep(1.0)
            try:
                await self.publisher.checkpoint()
            except RETRYABLE as exc:
                log.warning("checkpoint failed (%s); next one in 1 s", str(exc) or type(exc).__name__)


async def run_bridge(city: City, nats_urls: list[str], speed: float, stop: asyncio.Event) -> None:
    """Run the bridge until ``stop`` is set."""
    bridge = NatsBridge(city, nats_urls, speed=speed)
    await bridge.start()
    print(
        f"cockpit-backend: city publishing into NATS {','.join(nats_urls)} (events epoch {city.hub.epoch})",
        flush=True,
    )
    await stop.wait()
    await bridge.stop()
