"""The gateway: protocol v1 websockets served from NATS JetStream (docs/operations.md, gateway).

One gateway process holds, per stream, a view of the latest state and a ring of recent messages,
both fed by one ordered JetStream consumer (the *tail*). Nothing in it is its own: seqs are
JetStream sequences and epochs come from the streams' creation times, so any number of gateways
serve the same cockpits and a client moves between them and resumes.

Per client:

- **Resume** (§4.2) from the ring when it still holds the client's position; otherwise from a
  temporary ordered consumer started at that sequence; otherwise (the stream no longer holds it, or
  another epoch) a snapshot, with the reason.
- **Snapshot** from the view at its seq; the ring's later messages follow with no gap.
- **Backpressure**: the sensor lane coalesces (a client that lags gets the latest value of each
  sensor, not every value); the events, dispatch and overlays lanes never drop: a client that lags
  more than ``max_lag`` messages is closed with 4001 (``overrun: resume``) and resumes from
  JetStream when it comes back (§4.4).
- **Commands** (§7) are checked (role, district, epoch), published to the commands stream with
  ``Nats-Msg-Id`` = command id, and answered with the processor's result; JetStream drops a repeated
  id and the client gets ``duplicate`` with the first outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

import msgspec
import nats
import nats.errors
import nats.js.errors
import websockets
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription as NatsSubscription
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from websockets.asyncio.server import Server, ServerConnection, serve

from cockpit.backend.fairness import (
    CLOSE_FLOOD,
    CLOSE_TOO_MANY,
    TOO_MANY_CONNECTIONS,
    Admission,
    Limits,
    Meter,
    TokenError,
    address_of,
    identify,
)
from cockpit.backend.gateway.jetstream import acks_bucket, ensure_layout, epochs, latest_bucket
from cockpit.backend.gateway.layout import (
    ACKS_SUBJECT,
    COMMANDS_STREAM,
    DATA_STREAMS,
    PREFIX,
    Retention,
    command_subject,
    frames_of,
    levels_of,
    parse_data_subject,
    stamp,
)
from cockpit.backend.gateway.publisher import RETRYABLE, CommandEnvelope
from cockpit.backend.gateway.view import EntityView, Ring, SensorView, StreamView, item_of, kv_key, make_view
from cockpit.backend.streams import matches
from cockpit.config.revocation import RevocationFile
from cockpit.protocol.messages import (
    DEFAULT_HEARTBEAT_MS,
    DEFAULT_MAX_FRAME_BYTES,
    PROTOCOL_VERSION,
    AckResult,
    Command,
    CommandAck,
    CommandKind,
    Dispatch,
    Filter,
    Heartbeat,
    Role,
    SnapshotBegin,
    SnapshotEnd,
    Stream,
    Subscribed,
    SubscribeMode,
    Subscription,
    Welcome,
)
from cockpit.protocol.session import (
    ClientProblem,
    CommandReceived,
    HelloReceived,
    ServerSession,
    SubscribeReceived,
)
from cockpit.protocol.tokens import TOKEN_REVOKED, Claims

log = logging.getLogger(__name__)

CLOSE_OVERRUN = 4001
"""Close code: too far behind on a lane that never drops; reconnect and resume (§4.4)."""
CLOSE_REFUSED = 4003
CAPABILITIES = [
    "batch",
    "resume",
    "snapshot",
    "filters",
    "commands.dispatch",
    "commands.acknowledge",
    "commands.shelve",  # every command kind goes to the command processor, which decides (§7)
    "commands.levels",
    "commands.plans",
    "gateway",
]
COMMANDERS = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.TRAINER})
NO_DISTRICT = "~none~"
"""A district no message has: what a filter becomes when nothing it asks for is allowed."""

_ENCODER = msgspec.msgpack.Encoder()
_ACK = msgspec.msgpack.Decoder(CommandAck)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


async def cancel(task: asyncio.Task[None]) -> None:
    """Cancel ``task`` and wait for it to end, cancelling again if a library swallowed the first
    cancellation (Python 3.11's ``wait_for``, used inside nats-py, can)."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.5)
    if not task.cancelled() and task.exception() is not None:
        log.error("task %s failed", task.get_name(), exc_info=task.exception())


def stream_seq(msg: Msg) -> int:
    """A JetStream message's stream sequence, read straight from its reply subject (the common
    ``$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`` form) when it can be:
    nats-py's general metadata parser costs more than the rest of a message's handling."""
    reply = msg.reply
    if reply and reply.count(".") == 8:
        return int(reply.split(".", 6)[5])
    return int(msg.metadata.sequence.stream)


@dataclass(frozen=True, slots=True)
class Access:
    """Who may see and act on what, beyond the role (§3.1).

    ``districts`` maps an operator name to the districts that operator may see and command; an
    operator not listed sees the whole city. A listed operator's every subscription is narrowed to
    those districts (whatever its filter asks) and its commands on other districts are refused
    (``forbidden``). Viewers never command, whatever this says.
    """

    districts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def restrict(self, operator: str, f: Filter) -> Filter:
        allowed = self.districts.get(operator)
        if allowed is None:
            return f
        wanted = [d for d in (f.districts or allowed) if d in allowed]
        return msgspec.structs.replace(f, districts=wanted or [NO_DISTRICT])

    def allows(self, operator: str, district: str) -> bool:
        allowed = self.districts.get(operator)
        return allowed is None or not district or district in allowed


@dataclass(slots=True)
class GatewayConfig:
    """Settings of one gateway process (the command line's options)."""

    nats_urls: list[str]
    server_id: str = "gateway"
    heartbeat_ms: int = DEFAULT_HEARTBEAT_MS
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES
    ring: int = 100_000
    """Messages per stream kept in memory for resume and fan-out."""
    max_lag: int = 20_000
    """Events, dispatch or overlays messages a client may lag before it is closed with 4001."""
    coalesce_after: int = 2_000
    """Sensor messages a client may lag before its sensor lane is coalesced to latest values."""
    resume_limit: int = 1_000_000
    """Most messages replayed from JetStream for one resume; further behind takes a snapshot."""
    command_timeout_s: float = 2.5
    access: Access = field(default_factory=Access)
    retention: Retention = field(default_factory=Retention)
    secret: bytes | None = None
    """The site secret (``--secret-file``): hellos must carry a token it signed, whose operator, role
    and districts are used (docs/protocol.md §3.1). None: trust the hello."""
    limits: Limits | None = field(default_factory=Limits)
    """Per-client flood limits (:mod:`cockpit.backend.fairness`); None: none."""
    revocations: RevocationFile | None = None
    """The token revocation list (``--revoked-file``): revoked tokens are refused with
    ``token_revoked``, and sessions whose token becomes revoked are closed within seconds."""


@dataclass(slots=True)
class GatewayStats:
    clients: int = 0
    connections: int = 0
    sent_messages: int = 0
    resumed_ring: int = 0
    resumed_jetstream: int = 0
    snapshots: int = 0
    coalesced: int = 0
    overruns: int = 0
    commands: int = 0
    duplicates: int = 0
    refused_commands: int = 0
    refused_hellos: int = 0
    revoked_sessions: int = 0
    """Welcomed sessions closed because their token was revoked."""
    floods: int = 0
    """Connections closed with 4008 or 4029 (docs/protocol.md §3.3)."""
    kv_entries: int = 0
    """Latest values loaded from the KV bucket at start."""


@dataclass(slots=True)
class _Sub:
    filter: Filter
    unfiltered: bool
    prev: int
    scanned: int


@dataclass(slots=True, eq=False)
class _Client:
    ws: ServerConnection
    session: ServerSession
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    role: str = ""
    operator: str = ""
    welcomed: bool = False
    subs: dict[str, _Sub] = field(default_factory=dict)
    frames: list[bytes] = field(default_factory=list)  # whole frames from the session (a refusal)
    out: list[bytes] = field(default_factory=list)  # encoded messages, sent before lane data
    last_tx: float = 0.0
    shed: bool = False
    access: Access | None = None
    """The token's districts, when it names any; else the gateway's ``--district`` grants."""
    counted_operator: str = ""
    claims: Claims | None = None
    """The token's claims (with a secret): re-checked when the revocation list changes."""


class _Tail:
    """One JetStream stream followed in order into a view and a ring."""

    def __init__(self, gateway: Gateway, stream: str, ring: int) -> None:
        self.gateway = gateway
        self.stream = stream
        self.name = DATA_STREAMS[stream]
        self.view: StreamView = make_view(stream)
        self.ring = Ring(ring)
        self.js_first = 1
        self.js_last = 0
        self.sub: NatsSubscription | None = None
        self.progress_at = time.monotonic()

    async def start(self) -> None:
        """(Re)start the ordered consumer right after what the view holds."""
        await self.stop()
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=self.view.seq + 1
        )
        js = self.gateway.js
        self.sub = await js.subscribe(
            f"{PREFIX}.{self.stream}.>",
            stream=self.name,
            ordered_consumer=True,
            config=config,
            cb=self._on_msg,
            idle_heartbeat=1.0,
        )
        self.progress_at = time.monotonic()

    async def stop(self) -> None:
        if self.sub is not None:
            with contextlib.suppress(*RETRYABLE):
                await self.sub.unsubscribe()
            self.sub = None

    async def _on_msg(self, msg: Msg) -> None:
        seq = stream_seq(msg)
        if seq <= self.view.seq:
            return  # delivered again after a consumer reset
        _, district, theme = parse_data_subject(msg.subject)
        item = item_of(seq, district, theme, msg.data, self.ring.seq, levels_of(msg.headers))
        try:
            self.view.apply(seq, district, theme, item.wire)
        except (msgspec.DecodeError, ValueError) as exc:
            log.error("%s seq %d on %s is not a data message; skipped: %s", self.name, seq, msg.subject, exc)
            self.view.seq = seq
            return
        self.ring.append(item)
        self.progress_at = time.monotonic()
        self.gateway._on_new(self.stream)


class Gateway:
    """Serves protocol v1 clients from NATS JetStream.

    Args:
        config: Settings.
    """

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self.stats = GatewayStats()
        self.clients: set[_Client] = set()
        self.epochs: dict[str, str] = {}
        self.port = 0
        self.nc: NatsClient | None = None
        self._js: JetStreamContext | None = None
        self.tails: dict[str, _Tail] = {s: _Tail(self, s, config.ring) for s in DATA_STREAMS}
        self._server: Server | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._waiting: dict[str, list[asyncio.Future[CommandAck]]] = {}
        self._wake_pending = False
        self.admission = Admission(config.limits or Limits())

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("gateway not started")
        return self._js

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------------------- life

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Connect to NATS, load the latest values, follow the streams, then listen."""
        self.nc = await nats.connect(
            servers=self.config.nats_urls,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.25,
            error_cb=self._on_nats_error,
            disconnected_cb=self._on_nats_disconnected,
            reconnected_cb=self._on_nats_reconnected,
        )
        self._js = self.nc.jetstream(timeout=5.0)
        await ensure_layout(self.js, self.config.retention)
        self.epochs = await epochs(self.js)
        await self._bootstrap()
        await self.nc.subscribe(ACKS_SUBJECT, cb=self._on_ack)
        for tail in self.tails.values():
            await tail.start()
        await self._catch_up(5.0)
        self._server = await serve(
            self._serve,
            host,
            port,
            compression=None,
            max_size=self.config.max_frame_bytes,
            ping_interval=None,
            close_timeout=5,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._tasks.append(asyncio.create_task(self._watch()))
        if self.config.revocations is not None:
            self._tasks.append(asyncio.create_task(self._follow_revocations(self.config.revocations)))
        log.info("gateway %s on ws://%s:%d", self.config.server_id, host, self.port)

    async def stop(self) -> None:
        for task in self._tasks:
            await cancel(task)
        self._tasks.clear()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for tail in self.tails.values():
            await tail.stop()
        if self.nc is not None:
            with contextlib.suppress(*RETRYABLE):
                await self.nc.close()

    async def _bootstrap(self) -> None:
        """Load the KV bucket of latest values (layout: publisher.py).

        The watermarks are read first, then the keys: every key a publisher wrote before its
        watermark is then in the listing, and anything newer the tail brings again (the newest seq
        wins per entity).
        """
        kv = await latest_bucket(self.js, self.config.retention)
        marks: dict[str, int] = {}
        for stream in self.tails:
            with contextlib.suppress(nats.js.errors.KeyNotFoundError):
                marks[stream] = int((await kv.get(f"watermark.{stream}")).value or b"0")
        if not marks:
            return
        try:
            keys = await kv.keys()
        except nats.js.errors.NoKeysError:
            keys = []
        for stream, mark in marks.items():
            tail = self.tails[stream]
            for key in keys:
                if key.startswith(f"{stream}."):
                    with contextlib.suppress(nats.js.errors.KeyNotFoundError):
                        value = (await kv.get(key)).value
                        if value:
                            tail.view.load(key, value)
                            self.stats.kv_entries += 1
            info = await self.js.stream_info(tail.name)
            if info.state.messages and info.state.first_seq > mark + 1:
                log.warning(
                    "%s: messages %d to %d expired before the bucket held them",
                    tail.name,
                    mark + 1,
                    info.state.first_seq - 1,
                )
            # The bucket holds everything up to the watermark; the stream holds what follows.
            tail.view.seq = (
                max(mark, info.state.first_seq - 1) if info.state.messages else info.state.last_seq
            )
            tail.ring.seq = tail.view.seq
            log.info("%s: latest values loaded up to seq %d", tail.name, tail.view.seq)

    async def _catch_up(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        for tail in self.tails.values():
            info = await self.js.stream_info(tail.name)
            while tail.view.seq < info.state.last_seq and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

    async def _watch(self) -> None:
        """Once a second: notice a stream created anew (new epoch) and a tail that stopped."""
        while True:
            await asyncio.sleep(1.0)
            try:
                now_epochs = await epochs(self.js)
                for stream, tail in self.tails.items():
                    info = await self.js.stream_info(tail.name)
                    tail.js_first, tail.js_last = info.state.first_seq, info.state.last_seq
                    if now_epochs[stream] != self.epochs.get(stream):
                        await self._new_epoch(stream, now_epochs[stream])
                    elif tail.js_last > tail.view.seq and time.monotonic() - tail.progress_at > 3.0:
                        log.warning(
                            "%s: tail stalled at %d of %d; restarting it",
                            tail.name,
                            tail.view.seq,
                            tail.js_last,
                        )
                        await tail.start()
            except RETRYABLE as exc:
                log.warning("gateway watch: %s", exc or type(exc).__name__)

    async def _new_epoch(self, stream: str, epoch: str) -> None:
        log.warning(
            "%s was created anew: epoch %s → %s; clients take snapshots",
            DATA_STREAMS[stream],
            self.epochs.get(stream),
            epoch,
        )
        self.epochs[stream] = epoch
        tail = _Tail(self, stream, self.config.ring)
        await self.tails[stream].stop()
        self.tails[stream] = tail
        await tail.start()
        for client in list(self.clients):
            self._shed(client, "epoch changed: resume")

    # ------------------------------------------------------------------------------- NATS events

    async def _on_nats_error(self, exc: Exception) -> None:
        log.warning("nats: %s", exc or type(exc).__name__)

    async def _on_nats_disconnected(self) -> None:
        log.warning("nats: disconnected; reconnecting")

    async def _on_nats_reconnected(self) -> None:
        log.info("nats: reconnected")

    async def _on_ack(self, msg: Msg) -> None:
        try:
            ack = _ACK.decode(msg.data)
        except (msgspec.DecodeError, UnicodeDecodeError):
            log.error("undecodable command result on %s", msg.subject)
            return
        for fut in self._waiting.pop(ack.id, []):
            if not fut.done():
                fut.set_result(ack)

    def _on_new(self, stream: str) -> None:
        """A tail appended to ``stream``: wake the senders once, after this burst of messages.

        Waking per message would make every sender send one message a frame; one wake per burst of
        JetStream deliveries lets each client's frame carry the whole burst.
        """
        if not self._wake_pending:
            self._wake_pending = True
            asyncio.get_running_loop().call_soon(self._wake_all)

    def _wake_all(self) -> None:
        """Wake every sender; shed a client that lags too far on a lane that never drops."""
        self._wake_pending = False
        limit = self.config.max_lag
        heads = {name: tail.ring.seq for name, tail in self.tails.items() if name != Stream.SENSORS}
        for client in self.clients:
            if not client.shed:
                for name, sub in client.subs.items():
                    if name in heads and heads[name] - sub.scanned > limit:
                        self._shed(client, "overrun: resume")
                        break
            client.wake.set()

    def _shed(self, client: _Client, reason: str) -> None:
        client.shed = True
        if reason.startswith("overrun"):
            self.stats.overruns += 1
        log.info("closing a client with %d (%s)", CLOSE_OVERRUN, reason)
        asyncio.get_running_loop().create_task(client.ws.close(CLOSE_OVERRUN, reason))

    # ------------------------------------------------------------------------------- clients

    async def _serve(self, ws: ServerConnection) -> None:
        address = address_of(ws.remote_address)
        if self.config.limits is not None and not self.admission.enter_address(address):
            self.stats.floods += 1
            await ws.close(CLOSE_TOO_MANY, "too many connections from this address")
            return
        try:
            await self._serve_admitted(ws)
        finally:
            if self.config.limits is not None:
                self.admission.leave_address(address)

    async def _serve_admitted(self, ws: ServerConnection) -> None:
        client = _Client(ws, ServerSession(self.config.max_frame_bytes))
        meter = Meter(self.config.limits) if self.config.limits is not None else None
        self.clients.add(client)
        self.stats.connections += 1
        self.stats.clients = len(self.clients)
        sender = asyncio.create_task(self._send_loop(client))
        try:
            async for data in ws:
                flood = meter.admit(len(data)) if meter is not None else ""
                if flood:
                    self.stats.floods += 1
                    log.warning("closing %s (%s): %s", client.operator or "a client", CLOSE_FLOOD, flood)
                    await ws.close(CLOSE_FLOOD, flood)
                    break
                client.session.receive_data(data if isinstance(data, bytes) else data.encode())
                await self._handle(client)
                client.frames.extend(client.session.data_to_send())
                client.wake.set()
                if client.session.closed:
                    break
                await asyncio.sleep(0)  # a client whose frames are all buffered must not hog the loop
            if client.session.closed:
                await sender  # it sends the refusal, then closes with 4003
        except websockets.ConnectionClosed:
            pass
        finally:
            await cancel(sender)
            self.clients.discard(client)
            self.stats.clients = len(self.clients)
            if client.counted_operator:
                self.admission.leave_operator(client.counted_operator)

    async def _handle(self, client: _Client) -> None:
        for event in client.session.events_received():
            if isinstance(event, HelloReceived):
                if not self._admit(client, event):
                    return
                self._queue(
                    client,
                    Welcome(
                        v=PROTOCOL_VERSION,
                        server_id=self.config.server_id,
                        epochs=dict(self.epochs),
                        capabilities=CAPABILITIES,
                        server_time=now_ms(),
                        heartbeat_ms=self.config.heartbeat_ms,
                        max_frame_bytes=self.config.max_frame_bytes,
                    ),
                )
                client.welcomed = True
            elif isinstance(event, SubscribeReceived):
                for sub in event.subscriptions:
                    await self._subscribe(client, sub)
                    client.wake.set()
            elif isinstance(event, CommandReceived):
                asyncio.get_running_loop().create_task(self._command(client, event.command))
            elif isinstance(event, ClientProblem):
                log.warning("client frame dropped: %s: %s", event.problem.value, event.detail)

    def _admit(self, client: _Client, event: HelloReceived) -> bool:
        """Who the client is comes from its token (docs/protocol.md §3.1); refuse a bad token or an
        operator over its connection limit (§3.3)."""
        try:
            claims = identify(event.hello, self.config.secret)
            revoked = self._revoked(claims)
            if revoked:
                raise TokenError(TOKEN_REVOKED, revoked)
        except TokenError as exc:
            self.stats.refused_hellos += 1
            log.warning("refused a hello from %s: %s", address_of(client.ws.remote_address), exc)
            client.session.refuse(exc.code, exc.detail)
            return False
        limits = self.config.limits
        if limits is not None:
            if not self.admission.enter_operator(claims.operator):
                self.stats.refused_hellos += 1
                client.session.refuse(
                    TOO_MANY_CONNECTIONS,
                    f"{claims.operator} already has {limits.connections_per_operator} connections",
                )
                return False
            client.counted_operator = claims.operator
        client.role, client.operator = claims.role, claims.operator
        client.claims = claims if self.config.secret is not None else None
        if claims.districts:
            client.access = Access({claims.operator: claims.districts})
        return True

    def _revoked(self, claims: Claims) -> str:
        """Why ``claims``' token is revoked (the refusal's detail); ``""`` if it is not. Looks at the
        list file first (one stat), so a hello always meets the newest list."""
        revocations = self.config.revocations
        if revocations is None or self.config.secret is None:
            return ""
        return revocations.why_revoked(claims)

    async def _follow_revocations(self, revocations: RevocationFile) -> None:
        """Every few seconds: re-read a changed revocation list and close the sessions it revokes."""
        async for _ in revocations.changes():
            for client in list(self.clients):
                why = self._revoked(client.claims) if client.claims and not client.session.closed else ""
                if why:
                    self.stats.revoked_sessions += 1
                    log.warning("closing the session of %s (%s): %s", client.operator, client.role, why)
                    # The sender sends the refusal, nothing after it, then closes with 4003.
                    client.session.refuse(TOKEN_REVOKED, why)
                    client.shed, client.out = True, []
                    client.frames.extend(client.session.data_to_send())
                    client.wake.set()

    def _queue(self, client: _Client, *messages: msgspec.Struct) -> None:
        client.out.extend(_ENCODER.encode(m) for m in messages)
        client.wake.set()

    async def _subscribe(self, client: _Client, sub: Subscription) -> None:
        name = sub.stream
        client.subs.pop(name, None)  # the old subscription sends nothing more (§4.1)
        tail = self.tails[name]
        f = (client.access or self.config.access).restrict(client.operator, sub.filter)
        unfiltered = not f.districts and not f.themes and not f.levels
        epoch = self.epochs[name]
        reason = ""
        if not sub.epoch:
            reason = "first subscription"
        elif sub.epoch != epoch:
            reason = f"epoch {sub.epoch} is gone; the current one is {epoch}"
        else:
            if sub.seq > tail.view.seq:  # another gateway was further on: wait for this one's tail
                deadline = time.monotonic() + 2.0
                while sub.seq > tail.view.seq and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
            if sub.seq > tail.view.seq:
                reason = f"seq {sub.seq} is ahead of this gateway (newest {tail.view.seq})"
            elif tail.ring.holds_after(sub.seq):
                self._resume(client, name, f, unfiltered, sub.seq, [])
                self.stats.resumed_ring += 1
                return
            elif sub.seq + 1 < tail.js_first:
                reason = f"seq {sub.seq} is no longer held (oldest {tail.js_first}); cannot resume"
            elif tail.view.seq - sub.seq > self.config.resume_limit:
                reason = f"seq {sub.seq} is more than {self.config.resume_limit} messages behind"
            else:
                replayed = await self._replay(tail, sub.seq)
                if replayed is not None:
                    self._resume(client, name, f, unfiltered, sub.seq, replayed)
                    self.stats.resumed_jetstream += 1
                    return
                reason = f"seq {sub.seq} could not be replayed from JetStream"
        self._snapshot(client, name, f, unfiltered, reason)

    def _resume(
        self,
        client: _Client,
        name: str,
        f: Filter,
        unfiltered: bool,
        seq: int,
        replayed: list[tuple[int, str, str, bytes, tuple[str, ...]]],
    ) -> None:
        epoch = self.epochs[name]
        self._queue(client, Subscribed(stream=name, epoch=epoch, mode=SubscribeMode.RESUME, seq=seq))
        prev = scanned = seq
        for rseq, district, theme, body, levels in replayed:
            if unfiltered or matches(f, district, theme, levels):
                client.out.append(stamp(body, rseq, prev))
                prev = rseq
            scanned = rseq
        client.subs[name] = _Sub(f, unfiltered, prev, scanned)

    def _snapshot(self, client: _Client, name: str, f: Filter, unfiltered: bool, reason: str) -> None:
        tail, epoch = self.tails[name], self.epochs[name]
        seq = tail.view.seq
        items = tail.view.snapshot(f)
        self._queue(
            client,
            Subscribed(stream=name, epoch=epoch, mode=SubscribeMode.SNAPSHOT, seq=seq, reason=reason),
            SnapshotBegin(stream=name, epoch=epoch, seq=seq),
            *items,
            SnapshotEnd(stream=name, epoch=epoch, seq=seq, count=len(items)),
        )
        client.subs[name] = _Sub(f, unfiltered, seq, seq)
        self.stats.snapshots += 1

    async def _replay(
        self, tail: _Tail, after: int
    ) -> list[tuple[int, str, str, bytes, tuple[str, ...]]] | None:
        """Messages after ``after`` from a temporary ordered consumer, until the ring holds the rest."""
        out: list[tuple[int, str, str, bytes, tuple[str, ...]]] = []
        last = after
        done = asyncio.Event()

        async def take(msg: Msg) -> None:
            nonlocal last
            seq = stream_seq(msg)
            if done.is_set() or seq <= last:
                return
            _, district, theme = parse_data_subject(msg.subject)
            out.append((seq, district, theme, msg.data, levels_of(msg.headers)))
            last = seq
            if tail.ring.holds_after(last) or len(out) > self.config.resume_limit:
                done.set()

        config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=after + 1)
        try:
            psub = await self.js.subscribe(
                f"{PREFIX}.{tail.stream}.>", stream=tail.name, ordered_consumer=True, config=config, cb=take
            )
        except RETRYABLE as exc:
            log.warning("resume of %s from JetStream failed: %s", tail.name, exc)
            return None
        try:
            if not tail.ring.holds_after(last):
                async with asyncio.timeout(10.0):
                    await done.wait()
        except TimeoutError:
            log.warning("resume of %s from JetStream stalled at %d", tail.name, last)
            return None
        finally:
            with contextlib.suppress(*RETRYABLE):
                await psub.unsubscribe()
        if len(out) > self.config.resume_limit:
            return None
        return out

    # ------------------------------------------------------------------------------- sending

    async def _send_loop(self, client: _Client) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):  # the reader sees it too and cleans up
            await self._send_forever(client)

    async def _send_forever(self, client: _Client) -> None:
        beat = self.config.heartbeat_ms / 1000.0
        limit = self.config.max_frame_bytes
        while True:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(beat / 4):
                    await client.wake.wait()
            client.wake.clear()
            frames, client.frames = client.frames, []
            out, client.out = client.out, []
            if client.welcomed and not client.shed:
                self._collect(client, out)
            if (
                not frames
                and not out
                and client.welcomed
                and time.monotonic() - client.last_tx >= 0.75 * beat
            ):
                out.append(_ENCODER.encode(Heartbeat(ts=now_ms())))
            for frame in frames + frames_of(out, limit):
                await client.ws.send(frame)
                client.last_tx = time.monotonic()
            if client.session.closed:
                await client.ws.close(CLOSE_REFUSED, "refused")
                return

    def _collect(self, client: _Client, out: list[bytes]) -> None:
        """Append the client's new lane data to ``out``."""
        for name, sub in client.subs.items():
            tail = self.tails[name]
            ring = tail.ring
            if sub.scanned >= ring.seq:
                continue
            behind = ring.seq - sub.scanned
            if name == Stream.SENSORS and (
                behind > self.config.coalesce_after or not ring.holds_after(sub.scanned)
            ):
                assert isinstance(tail.view, SensorView)
                for m in tail.view.catch_up(sub.filter, sub.scanned):
                    out.append(_ENCODER.encode(msgspec.structs.replace(m, prev=sub.prev)))
                    sub.prev = m.seq
                sub.scanned = tail.view.seq
                self.stats.coalesced += 1
                continue
            if not ring.holds_after(sub.scanned):
                if not client.shed:
                    self._shed(client, "overrun: resume")
                return
            n = len(out)
            for item in ring.since(sub.scanned):
                if sub.unfiltered or matches(sub.filter, item.district, item.theme, item.levels):
                    out.append(item.wire if item.prev == sub.prev else stamp(item.body, item.seq, sub.prev))
                    sub.prev = item.seq
            sub.scanned = ring.seq
            self.stats.sent_messages += len(out) - n

    # ------------------------------------------------------------------------------- commands

    async def _command(self, client: _Client, cmd: Command) -> None:
        self.stats.commands += 1
        ack = self._check(client, cmd)
        if ack is None:
            ack = await self._submit(client, cmd)
        if ack is not None:
            self._queue(client, ack)

    def _district_of(self, cmd: Command) -> str:
        events = self.tails[Stream.EVENTS].view
        event_id = cmd.event_id
        if cmd.kind == CommandKind.CANCEL:
            dispatch = self.tails[Stream.DISPATCH].view
            assert isinstance(dispatch, EntityView)
            held = dispatch.entities.get(kv_key(Stream.DISPATCH, "dispatch", cmd.ref))
            event_id = held[2].event_id if held is not None and isinstance(held[2], Dispatch) else ""
        assert isinstance(events, EntityView)
        held_event = events.entities.get(kv_key(Stream.EVENTS, event_id)) if event_id else None
        return held_event[0] if held_event is not None else ""

    def _check(self, client: _Client, cmd: Command) -> CommandAck | None:
        """Refuse here what must never reach the city: a viewer's command, another district's, or
        one issued in an epoch that is gone (§7.1, §7.2)."""

        def reject(reason: str, detail: str) -> CommandAck:
            self.stats.refused_commands += 1
            return CommandAck(id=cmd.id, result=AckResult.REJECTED, reason=reason, detail=detail)

        if client.role not in COMMANDERS:
            return reject("forbidden", f"role {client.role!r} may not send commands")
        events_epoch = self.epochs.get(Stream.EVENTS, "")
        if cmd.epoch and cmd.epoch != events_epoch:
            return reject("stale_epoch", f"issued in epoch {cmd.epoch}; this backend is in {events_epoch}")
        district = self._district_of(cmd)
        if not (client.access or self.config.access).allows(client.operator, district):
            return reject("forbidden", f"{client.operator} may not act in district {district}")
        return None

    async def _submit(self, client: _Client, cmd: Command) -> CommandAck | None:
        """Publish with ``Nats-Msg-Id`` = id and wait for the processor's result (None: no answer
        in time; the client sends again with the same id, which changes nothing)."""
        fut: asyncio.Future[CommandAck] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(cmd.id, []).append(fut)
        env = CommandEnvelope(
            command=cmd,
            role=client.role,
            operator=client.operator,
            client_id=client.session.hello.client_id if client.session.hello else "",
        )
        try:
            pub = await self.js.publish(
                command_subject(self._district_of(cmd)),
                msgspec.msgpack.encode(env),
                headers={"Nats-Msg-Id": cmd.id},
                stream=COMMANDS_STREAM,
                timeout=2.0,
            )
            if pub.duplicate:
                self.stats.duplicates += 1
                first = await self._first_ack(cmd.id, fut)
                if first is None:
                    return None
                return CommandAck(
                    id=cmd.id,
                    result=AckResult.DUPLICATE,
                    reason=first.reason,
                    detail="this command id was already handled",
                    original=first.result,
                )
            async with asyncio.timeout(self.config.command_timeout_s):
                return await fut
        except (*RETRYABLE, TimeoutError) as exc:
            log.warning(
                "command %s: no result yet (%s); the client will send it again",
                cmd.id,
                exc or type(exc).__name__,
            )
            return None
        finally:
            waiting = self._waiting.get(cmd.id, [])
            if fut in waiting:
                waiting.remove(fut)
            if not waiting:
                self._waiting.pop(cmd.id, None)

    async def _first_ack(self, command_id: str, fut: asyncio.Future[CommandAck]) -> CommandAck | None:
        kv = await acks_bucket(self.js, self.config.retention)
        try:
            entry = await kv.get(command_id)
            if entry.value:
                return _ACK.decode(entry.value)
        except nats.js.errors.KeyNotFoundError:
            pass
        # The first copy is still being applied: its result is announced to every gateway.
        async with asyncio.timeout(self.config.command_timeout_s):
            return await fut
