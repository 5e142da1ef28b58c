"""Writing a backend's data into NATS: what a district backend (or the demo city) does to be served
by gateways.

1. Publish each data message, in order, to its subject (:func:`~layout.data_subject`) with
   ``Nats-Msg-Id`` set, so a publish retried after a lost acknowledgement is stored once.
2. Now and then (:meth:`NatsPublisher.checkpoint`) write the latest value of every entity and
   sensor that changed to the KV bucket, then ``watermark.<stream>``: the seq up to which the
   bucket is complete. Gateways start from the bucket instead of replaying the whole history.

Commands come the other way: :class:`CommandProcessor` takes them from the commands stream (one
durable consumer; the stream has already dropped repeated ids), applies each, and stores and
announces the result for the gateway that is waiting for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import msgspec
import nats.errors
import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from cockpit.backend.gateway.jetstream import acks_bucket, latest_bucket
from cockpit.backend.gateway.layout import (
    ACKS_SUBJECT,
    COMMANDS_STREAM,
    DATA_STREAMS,
    LEVELS_HEADER,
    PREFIX,
    data_subject,
)
from cockpit.backend.gateway.view import StreamView, make_view
from cockpit.protocol.codec import stamp
from cockpit.protocol.messages import AckResult, Command, CommandAck

log = logging.getLogger(__name__)

RETRYABLE = (nats.errors.Error, nats.js.errors.Error, asyncio.TimeoutError, OSError)
"""Errors of a link to NATS that is down or restarting: wait and try again."""


class CommandEnvelope(msgspec.Struct, kw_only=True):
    """A command on the commands stream, with who sent it (the gateway checked the role)."""

    command: Command
    role: str
    operator: str = ""
    client_id: str = ""


class NatsPublisher:
    """Publishes data messages in order and keeps the KV bucket of latest values.

    Args:
        js: A JetStream context.
        run_id: Names this publisher's messages for dedupe (``Nats-Msg-Id`` = ``run_id-stream-n``).
    """

    def __init__(self, js: JetStreamContext, run_id: str) -> None:
        self.js = js
        self.run_id = run_id
        self.views: dict[str, StreamView] = {s: make_view(s) for s in DATA_STREAMS}
        self.published = 0
        self._kv: KeyValue | None = None

    async def publish(
        self, stream: str, district: str, theme: str, body: bytes, n: int, levels: tuple[str, ...] = ()
    ) -> int:
        """Store one message; retries until NATS takes it. Returns its seq (the protocol seq).

        ``levels``: for an event, the centre levels it is for (its level, and on the message that
        moved it, the level it left), so that level filters work (§4.1).
        """
        headers = {"Nats-Msg-Id": f"{self.run_id}-{stream}-{n}"}
        if levels:
            headers[LEVELS_HEADER] = ",".join(levels)
        subject = data_subject(stream, district, theme)
        delay = 0.05
        while True:
            try:
                ack = await self.js.publish(subject, body, headers=headers, timeout=2.0)
                break
            except RETRYABLE as exc:
                log.warning("publish to %s failed (%s); retrying", subject, str(exc) or type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(1.0, delay * 2)
        self.views[stream].apply(ack.seq, district, theme, stamp(body, ack.seq, 0))
        self.published += 1
        return ack.seq

    async def checkpoint(self) -> None:
        """Write what changed to the KV bucket, then each stream's watermark."""
        if self._kv is None:
            self._kv = await latest_bucket(self.js)
        for stream, view in self.views.items():
            dirty = view.take_dirty()
            if not dirty:
                continue
            # The entries and the seq they are complete up to are taken together, before any await:
            # the publisher goes on while the bucket is written.
            entries, mark = view.kv_entries(dirty), view.seq
            try:
                for key, value in entries.items():
                    if value is None:
                        with contextlib.suppress(nats.js.errors.KeyNotFoundError):
                            await self._kv.delete(key)
                    else:
                        await self._kv.put(key, value)
                await self._kv.put(f"watermark.{stream}", str(mark).encode())
            except RETRYABLE:
                view.dirty |= dirty  # try again at the next checkpoint
                raise


class CommandProcessor:
    """Applies commands from the commands stream and announces each result.

    Args:
        nc: The NATS connection.
        apply: Applies one command for a role and operator and returns its ack (idempotent by id).
    """

    def __init__(self, nc: NatsClient, apply: Callable[[Command, str, str], CommandAck]) -> None:
        self.nc = nc
        self.js = nc.jetstream()
        self.apply = apply
        self.processed = 0

    async def run(self) -> None:
        """Consume commands forever (a durable consumer: nothing is lost while this is down)."""
        kv = await acks_bucket(self.js)
        psub = await self.js.pull_subscribe(f"{PREFIX}.commands.>", durable="city", stream=COMMANDS_STREAM)
        decoder = msgspec.msgpack.Decoder(CommandEnvelope)
        while True:
            try:
                msgs = await psub.fetch(64, timeout=1.0)
            except (TimeoutError, nats.errors.TimeoutError):
                continue
            except RETRYABLE as exc:
                log.warning("command fetch failed (%s); retrying", str(exc) or type(exc).__name__)
                await asyncio.sleep(0.2)
                continue
            for msg in msgs:
                try:
                    env = decoder.decode(msg.data)
                except (msgspec.DecodeError, UnicodeDecodeError) as exc:
                    log.error("undecodable command on %s dropped: %s", msg.subject, exc)
                    await msg.ack()
                    continue
                ack = self.apply(env.command, env.role, env.operator)
                encoded = msgspec.msgpack.encode(ack)
                if ack.result != AckResult.DUPLICATE:  # keep the first outcome for later duplicates
                    await kv.put(env.command.id, encoded)
                await self.nc.publish(ACKS_SUBJECT, encoded)
                await msg.ack()
                self.processed += 1
