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
- **Audit records** (§7.8) are stored in the audit stream, one subject per chain and seq published
  only if that subject is empty, so JetStream keeps each record once; every copy is acknowledged
  once it is stored. Commands refused as ``forbidden`` are recorded there too.

The streams it offers are the four core ones and the optional ones (``cameras``, ``catalog``, ``series``) that
exist in JetStream (layout.py); one created while it runs is offered from then on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field

import msgspec
import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription as NatsSubscription
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from websockets.asyncio.server import Server, ServerConnection, serve

from cockpit.backend.audit import intact
from cockpit.backend.connection import Connection, now_ms
from cockpit.backend.connection import serve as serve_connection
from cockpit.backend.gateway.fanout import Fanout, Scope
from cockpit.backend.gateway.jetstream import (
    acks_bucket,
    ensure_layout,
    epochs_of,
    latest_bucket,
    stream_infos,
)
from cockpit.backend.gateway.layout import (
    ACKS_SUBJECT,
    AUDIT_STREAM,
    COMMANDS_STREAM,
    DATA_STREAMS,
    PREFIX,
    Retention,
    audit_subject,
    command_subject,
    levels_of,
    parse_data_subject,
    refusal_subject,
)
from cockpit.backend.gateway.publisher import RETRYABLE, CommandEnvelope
from cockpit.backend.gateway.view import (
    EntityView,
    Item,
    Ring,
    SensorView,
    StreamView,
    item_of,
    kv_key,
    make_view,
)
from cockpit.config.revocation import RevocationFile
from cockpit.protocol.admission import CLOSE_FLOOD, CLOSE_TOO_MANY, Limits, address_of
from cockpit.protocol.filters import unfiltered
from cockpit.protocol.messages import (
    DEFAULT_HEARTBEAT_MS,
    DEFAULT_MAX_FRAME_BYTES,
    PLOT_COMMANDS,
    Audit,
    AuditAck,
    Command,
    CommandAck,
    CommandKind,
    DataMessage,
    Dispatch,
    Filter,
    Stream,
    SubscribeMode,
)
from cockpit.protocol.plots import plot_id_of
from cockpit.protocol.server import (
    CLOSE_OVERRUN,
    CLOSE_REFUSED,
    AuditReceived,
    Closing,
    CommandReceived,
    CommandRefused,
    Decision,
    Gate,
    ServerConfig,
    ServerEvent,
    ServerProtocol,
    SubscriptionRequested,
    duplicate_of,
)
from cockpit.protocol.tokens import Claims, SiteSecret, TokenVerifier

log = logging.getLogger(__name__)

FANOUT_TICK_S = 0.02
"""Senders are woken at most this often: a tick's messages go out in one frame per client, instead
of a frame per message (issue 22)."""

__all__ = ["CAPABILITIES", "CLOSE_OVERRUN", "CLOSE_REFUSED", "Access", "Gateway", "GatewayConfig", "cancel"]

CAPABILITIES = (
    "batch",
    "resume",
    "snapshot",
    "filters",
    "commands.dispatch",
    "commands.acknowledge",
    "commands.shelve",  # every command kind goes to the command processor, which decides (§7)
    "commands.levels",
    "commands.plans",
    "commands.plots",
    "audit",  # records go to the audit stream, each kept once (§7.8)
    "gateway",
)

_ACK = msgspec.msgpack.Decoder(CommandAck)
_ENCODER = msgspec.msgpack.Encoder()
WRONG_LAST_SEQUENCE = 10071
"""JetStream's error code for a publish whose expected last subject sequence did not match: the
audit record's subject already holds it."""
AUDIT_STORE_S = 10.0
"""How long a gateway tries to store an audit record before it leaves it to the cockpit's next try."""


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
    """Who may see and act on what, beyond the role (§3.1), for tokens that name no districts.

    ``districts`` maps an operator name to the districts that operator may see and command; an
    operator not listed sees the whole city. The server core narrows a listed operator's every
    subscription to those districts (whatever its filter asks) and refuses its commands on other
    districts (``forbidden``). Viewers never command, whatever this says.
    """

    districts: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
    and districts are used (docs/protocol.md §3.1). None: trust the hello (unless ``verifier``)."""
    verifier: TokenVerifier | None = None
    """Checks hello tokens (the site's public keys); None: ``secret`` decides."""
    limits: Limits | None = field(default_factory=Limits)
    """Per-client flood limits (:mod:`cockpit.protocol.admission`); None: none."""
    client_timeout_ms: int = 30_000
    """Close a client silent for this long with 4002 (§6); 0: never."""
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
    resumed_ahead: int = 0
    """Resumes at a seq this gateway's tail had not reached yet (a wall from a gateway further on)."""
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
    audit_copies: int = 0
    """Audit records received, repeats included; each acknowledged once stored."""
    audit_stored: int = 0
    """Audit records this gateway stored first (a repeat, through any gateway, is not stored again)."""
    audit_damaged: int = 0
    """Audit records whose hash did not match their content on arrival (stored as they came)."""


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

    # The server core's view of this stream (cockpit.protocol.server.StreamLog): the ring in memory,
    # and JetStream behind it for resumes the ring no longer holds.

    @property
    def seq(self) -> int:
        return self.ring.seq

    @property
    def oldest(self) -> int:
        return self.js_first

    def holds_after(self, seq: int) -> bool:
        return self.ring.holds_after(seq)

    def since(self, seq: int) -> list[Item]:
        return self.ring.since(seq)

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
        self.gateway.fanout.route(self.stream, item, self.ring.first_seq)
        self.progress_at = time.monotonic()
        self.gateway._on_new(self.stream)


class _SensorTail(_Tail):
    """The sensors stream: a client that lags gets the latest value of each sensor, not every value
    it missed (:class:`cockpit.protocol.server.Coalescing`)."""

    def __init__(self, gateway: Gateway, stream: str, ring: int) -> None:
        super().__init__(gateway, stream, ring)
        self.coalesce_after = gateway.config.coalesce_after

    def catch_up(self, f: Filter, after: int) -> tuple[list[DataMessage], int]:
        view = self.view
        assert isinstance(view, SensorView)
        self.gateway.stats.coalesced += 1
        return view.catch_up(f, after), view.seq


def _tail(gateway: Gateway, stream: str, ring: int) -> _Tail:
    return _SensorTail(gateway, stream, ring) if stream == Stream.SENSORS else _Tail(gateway, stream, ring)


class Gateway:
    """Serves protocol v1 clients from NATS JetStream.

    Args:
        config: Settings.
    """

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self.stats = GatewayStats()
        self.clients: set[Connection] = set()
        self.epochs: dict[str, str] = {}
        self.port = 0
        self.nc: NatsClient | None = None
        self._js: JetStreamContext | None = None
        self.tails: dict[str, _Tail] = {s: _tail(self, s, config.ring) for s in DATA_STREAMS}
        self.fanout = Fanout(DATA_STREAMS)
        self._marks: dict[str, int] = {}
        """Each stream's newest seq at the last wake."""
        self._tick_from: dict[str, int] = {}
        """Each stream's newest seq at the wake before: what a client lacks up to there is its
        backlog; what came since is the tick it is being sent now, however many messages."""
        self._server: Server | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._waiting: dict[str, list[asyncio.Future[CommandAck]]] = {}
        self._pending: set[asyncio.Task[None]] = set()
        """Audit stores and refusal records under way (kept referenced until they end)."""
        self._wake_pending = False
        verifier = config.verifier
        if verifier is None and config.secret is not None:
            verifier = SiteSecret(config.secret)
        self.gate = Gate(
            verifier=verifier,
            revoked=self._why_revoked,
            limits=config.limits,
            grants=config.access.districts,
        )
        self.core_config = ServerConfig(
            server_id=config.server_id,
            capabilities=CAPABILITIES,
            heartbeat_ms=config.heartbeat_ms,
            max_frame_bytes=config.max_frame_bytes,
            client_timeout_ms=config.client_timeout_ms,
            resume_limit=config.resume_limit,
        )
        self.stalled = False  # the data source's test hook (cockpit.backend.connection): never set here

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
        self.epochs = epochs_of(await stream_infos(self.js))
        await self._bootstrap()
        await self.nc.subscribe(ACKS_SUBJECT, cb=self._on_ack)
        for tail in self.offered():
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
        for task in [*self._tasks, *self._pending]:
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

    def offered(self) -> list[_Tail]:
        """The tails of the streams this gateway offers (those in :attr:`epochs`)."""
        return [t for s, t in self.tails.items() if s in self.epochs]

    async def _bootstrap(self) -> None:
        """Load the KV bucket of latest values (layout: publisher.py).

        The watermarks are read first, then the keys: every key a publisher wrote before its
        watermark is then in the listing, and anything newer the tail brings again (the newest seq
        wins per entity).
        """
        kv = await latest_bucket(self.js, self.config.retention)
        marks: dict[str, int] = {}
        for stream in self.epochs:
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
        for tail in self.offered():
            info = await self.js.stream_info(tail.name)
            while tail.view.seq < info.state.last_seq and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

    async def _watch(self) -> None:
        """Once a second: notice a stream created anew (new epoch) or for the first time (an optional
        one), one deleted, and a tail that stopped; every ten seconds, say where each tail is (the log
        is how an operator sees a gateway fall behind)."""
        beat = 0
        while True:
            await asyncio.sleep(1.0)
            beat += 1
            try:
                infos = await stream_infos(self.js)
                now_epochs = epochs_of(infos)
                for stream in [s for s in self.epochs if s not in now_epochs]:
                    await self._withdraw(stream)
                for stream, info in infos.items():
                    tail = self.tails[stream]
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
                log.warning("gateway watch: %s", str(exc) or type(exc).__name__)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is None or task.cancelling():
                    raise
                # nats-py cancels a request's future when its connection drops: not ours to die of.
                log.warning("gateway watch: a NATS request was cancelled; going on")
            except Exception:  # the watch must outlive anything; a dead watch leaves a dead tail dead
                log.exception("gateway watch failed; going on")
            if beat % 10 == 0:
                log.info(
                    "gateway: %d clients, %d scopes; tails %s",
                    len(self.clients),
                    len(self.fanout.scopes),
                    ", ".join(f"{t.stream} {t.view.seq}/{t.js_last}" for t in self.offered()),
                )

    async def _new_epoch(self, stream: str, epoch: str) -> None:
        """A stream created anew (its history lost) or, for an optional one, created at all: follow
        it from its start, and close every client (4001) so that it resubscribes: a snapshot of a
        recreated stream, and the new stream offered in its next welcome (§3.2)."""
        if stream in self.epochs:
            log.warning(
                "%s was created anew: epoch %s → %s; clients take snapshots",
                DATA_STREAMS[stream],
                self.epochs[stream],
                epoch,
            )
        else:
            log.warning(
                "%s exists now: offering the %s stream (epoch %s)", DATA_STREAMS[stream], stream, epoch
            )
        self.epochs[stream] = epoch
        tail = _tail(self, stream, self.config.ring)
        await self.tails[stream].stop()
        self.tails[stream] = tail
        self.fanout.reset(stream)
        for client in self.clients:
            streams = client.core.streams
            if isinstance(streams, _Streams):
                streams.views.pop(stream, None)
        await tail.start()
        for client in list(self.clients):
            self._shed(client, "epoch changed: resume")

    async def _withdraw(self, stream: str) -> None:
        """An optional stream was deleted: new clients are no longer offered it. Clients that have
        it keep what they hold (nothing new comes) until they reconnect."""
        log.warning(
            "%s no longer exists: the %s stream is not offered any more", DATA_STREAMS[stream], stream
        )
        self.epochs.pop(stream, None)
        await self.tails[stream].stop()

    # ------------------------------------------------------------------------------- NATS events

    async def _on_nats_error(self, exc: Exception) -> None:
        log.warning("nats: %s", str(exc) or type(exc).__name__)

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
        """A tail appended to ``stream``: wake the senders at the end of this tick (FANOUT_TICK_S),
        so that each client's frame carries the tick's messages."""
        if not self._wake_pending:
            self._wake_pending = True
            asyncio.get_running_loop().call_later(FANOUT_TICK_S, self._wake_all)

    def _wake_all(self) -> None:
        """Wake the senders of the clients whose scopes received messages (the others have nothing
        new); shed a client whose backlog on a lane that never drops is over ``max_lag``."""
        self._wake_pending = False
        limit = self.config.max_lag
        self._tick_from, self._marks = self._marks, {s: t.ring.seq for s, t in self.tails.items()}
        for scope in self.fanout.take_dirty():
            check = scope.stream != Stream.SENSORS
            for member in scope.members:
                assert isinstance(member, Connection)
                sub = member.core.subs.get(scope.stream)
                if (
                    check
                    and sub is not None
                    and member.core.close_code is None
                    and self.backlog(scope.stream, scope, sub.filter, sub.scanned) > limit
                ):
                    self._shed(member, "overrun: resume")
                member.wake.set()

    def backlog(self, stream: str, scope: Scope | None, f: Filter, after: int) -> int:
        """Messages a subscriber of ``f`` at ``after`` lacks, up to the tick before this one: from
        its scope when the scope holds them, else the area logs (just after a resume), else the
        stream's count."""
        upto = self._tick_from.get(stream, 0)
        if scope is not None and scope.holds_after(after):
            return scope.pending(after, upto)
        selected = None if unfiltered(f) else self.fanout.select(stream, f, after)
        if selected is not None:
            return sum(1 for item in selected if item.seq <= upto)
        return max(0, upto - after)

    def _shed(self, client: Connection, reason: str) -> None:
        if client.core.close_code is not None:
            return
        client.core.overrun(reason)  # counted in on_event, with the core's own overruns
        client.wake.set()

    # ------------------------------------------------------------------------------- the core's streams

    def log(self, stream: str) -> _Tail:
        return self.tails[stream]

    def district_of(self, command: Command) -> str:
        """The district a command acts in: its event's (through the dispatch a ``cancel`` names); for a
        plot command, its plot's, or for a new plot its event's (§7.10). A plot deleted or not known
        here gives ``""``: the command goes on and the district's backend answers it."""
        events = self.tails[Stream.EVENTS].view
        event_id = command.event_id
        if command.kind in PLOT_COMMANDS:
            plots = self.tails.get(Stream.PLOTS)
            held_plot = (
                plots.view.entities.get(kv_key(Stream.PLOTS, "plot", plot_id_of(command)))
                if plots is not None and isinstance(plots.view, EntityView)
                else None
            )
            if held_plot is not None:
                return held_plot[0]
            event_id = command.plot.event_id if command.plot is not None else ""
        if command.kind == CommandKind.CANCEL:
            dispatch = self.tails[Stream.DISPATCH].view
            assert isinstance(dispatch, EntityView)
            held = dispatch.entities.get(kv_key(Stream.DISPATCH, "dispatch", command.ref))
            event_id = held[2].event_id if held is not None and isinstance(held[2], Dispatch) else ""
        assert isinstance(events, EntityView)
        held_event = events.entities.get(kv_key(Stream.EVENTS, event_id)) if event_id else None
        return held_event[0] if held_event is not None else ""

    # ------------------------------------------------------------------------------- clients

    async def _serve(self, ws: ServerConnection) -> None:
        streams = _Streams(self)
        core = ServerProtocol(self.core_config, streams, self.gate, address_of(ws.remote_address), now_ms())
        conn = Connection(ws, core, asyncio.Event())
        streams.conn = conn
        self.clients.add(conn)
        self.stats.connections += 1
        self.stats.clients = len(self.clients)
        try:
            await serve_connection(conn, self)
        finally:
            self.clients.discard(conn)
            streams.leave_all()
            self.stats.clients = len(self.clients)

    def on_event(self, core: ServerProtocol, event: ServerEvent) -> None:
        if isinstance(event, AuditReceived):
            self.stats.audit_copies += 1
            self._spawn(self._store_audit(core, event.record))
        elif isinstance(event, CommandRefused):
            self.stats.commands += 1
            self.stats.refused_commands += 1
            if event.ack.reason == "forbidden":
                # A forged frame's sender does not audit itself: the gateway records the refusal (§7.8).
                self._spawn(self._record_refusal(event))
        elif isinstance(event, Closing):
            if event.code in (CLOSE_FLOOD, CLOSE_TOO_MANY):
                self.stats.floods += 1
            elif event.code == CLOSE_OVERRUN and event.reason.startswith("overrun"):
                # Shed here for its backlog, or by the core when the ring no longer holds its place.
                self.stats.overruns += 1
            elif event.code == CLOSE_REFUSED and core.claims is None:
                self.stats.refused_hellos += 1

    def _spawn(self, coro: Coroutine[None, None, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _store_audit(self, core: ServerProtocol, record: Audit) -> None:
        """Keep ``record`` once in the audit stream and acknowledge this copy when it is held (§7.8).

        The publish expects the record's subject to be empty: JetStream refuses a second copy
        atomically (whichever gateway it came through), and that refusal means "already held", so
        the copy is acknowledged too. If NATS does not take it within :data:`AUDIT_STORE_S`, no
        ``audit_ack`` is sent: the cockpit keeps the record and sends it again after its next welcome.
        """
        if not intact(record):
            self.stats.audit_damaged += 1
            log.warning(
                "audit record %s/%d arrived damaged: its hash does not match", record.chain, record.seq
            )
        headers = {
            "Nats-Msg-Id": f"audit-{record.chain}-{record.seq}",
            "Nats-Expected-Last-Subject-Sequence": "0",
        }
        subject = audit_subject(record.chain, record.seq)
        deadline = time.monotonic() + AUDIT_STORE_S
        while True:
            try:
                ack = await self.js.publish(
                    subject, _ENCODER.encode(record), headers=headers, stream=AUDIT_STREAM, timeout=2.0
                )
                if not ack.duplicate:
                    self.stats.audit_stored += 1
                break
            except nats.js.errors.APIError as exc:
                if exc.err_code == WRONG_LAST_SEQUENCE:
                    break  # held already: a copy stored earlier, maybe through another gateway
                failure: Exception = exc
            except RETRYABLE as exc:
                failure = exc
            if time.monotonic() > deadline:
                log.warning(
                    "audit record %s/%d not stored (%s); the cockpit will send it again",
                    record.chain,
                    record.seq,
                    str(failure) or type(failure).__name__,
                )
                return
            await asyncio.sleep(0.2)
        core.send(AuditAck(chain=record.chain, seq=record.seq))
        streams = core.streams
        if isinstance(streams, _Streams) and streams.conn is not None:
            streams.conn.wake.set()

    async def _record_refusal(self, event: CommandRefused) -> None:
        """Record a command refused as forbidden in the audit stream (best effort: it is a log)."""
        command, claims = event.command, event.claims
        body = _ENCODER.encode(
            {
                "t": "refused_command",
                "command_id": command.id,
                "kind": command.kind,
                "event_id": command.event_id,
                "operator": claims.operator,
                "role": claims.role,
                "detail": event.ack.detail,
                "server_id": self.config.server_id,
                "time": now_ms(),
            }
        )
        log.warning(
            "audit: refused %s command %s (event %r) from operator %r with role %r: %s",
            command.kind,
            command.id,
            command.event_id,
            claims.operator,
            claims.role,
            event.ack.detail,
        )
        try:
            await self.js.publish(
                refusal_subject(self.district_of(command)),
                body,
                headers={"Nats-Msg-Id": f"refused-{command.id}"},
                stream=AUDIT_STREAM,
                timeout=2.0,
            )
        except RETRYABLE as exc:
            log.warning(
                "refused command %s not recorded in NATS: %s", command.id, str(exc) or type(exc).__name__
            )

    def _why_revoked(self, claims: Claims) -> str:
        """Why ``claims``' token is revoked (``""``: it is not). Looks at the list file first (one
        stat), so a hello always meets the newest list."""
        revocations = self.config.revocations
        return revocations.why_revoked(claims) if revocations is not None else ""

    async def _follow_revocations(self, revocations: RevocationFile) -> None:
        """Every few seconds: re-read a changed revocation list and close the sessions it revokes."""
        async for _ in revocations.changes():
            for client in list(self.clients):
                if client.core.close_code is not None:
                    continue
                client.core.check_revoked()
                if client.core.close_code is not None:
                    self.stats.revoked_sessions += 1
                    log.warning("closing the session of %s (%s): token revoked", client.operator, client.role)
                    client.wake.set()

    async def on_subscription(self, core: ServerProtocol, request: SubscriptionRequested) -> None:
        """Resume from the ring, or from JetStream behind it, or a snapshot from the view (§4.2)."""
        name, tail = request.stream, self.tails[request.stream]
        decision = request.decision
        if (
            decision.mode is SubscribeMode.SNAPSHOT
            and request.epoch == self.epochs.get(name)
            and request.seq > tail.seq
            and await self._held_in_jetstream(tail, request.seq)
        ):
            # Another gateway was further on (a wall failing over from it). JetStream holds its
            # position, so this gateway's tail will get there: resume at once, and the wall gets
            # what follows its seq as soon as the tail has it. A snapshot here (this gateway's older
            # state) would send the wall back in time: every message since repeated (issue 22).
            core.resume(name)
            self._join(core, name)
            self.stats.resumed_ahead += 1
            return
        if decision.mode is SubscribeMode.RESUME:
            if tail.ring.holds_after(request.seq):
                core.resume(name)
                self._join(core, name)
                self.stats.resumed_ring += 1
                return
            replayed = await self._replay(tail, request.seq)
            if replayed is not None:
                core.resume(name, replayed)
                self._join(core, name)
                self.stats.resumed_jetstream += 1
                return
            decision = Decision(
                SubscribeMode.SNAPSHOT, f"seq {request.seq} could not be replayed from JetStream"
            )
        tail = self.tails[name]
        core.snapshot(name, tail.view.seq, tail.view.snapshot(request.filter), decision.reason)
        self._join(core, name)
        self.stats.snapshots += 1

    async def _held_in_jetstream(self, tail: _Tail, seq: int) -> bool:
        """Whether JetStream's stream has reached ``seq`` (a seq another gateway delivered): from the
        last watch first, else asked now."""
        if seq <= tail.js_last:
            return True
        try:
            info = await self.js.stream_info(tail.name)
        except RETRYABLE as exc:
            log.warning("%s: stream info failed (%s)", tail.name, str(exc) or type(exc).__name__)
            return False
        tail.js_last = max(tail.js_last, info.state.last_seq)
        return seq <= info.state.last_seq

    def _join(self, core: ServerProtocol, stream: str) -> None:
        """Put the subscription the core just made into its scope (the filter as the core narrowed
        it), leaving the one of its previous subscription."""
        streams, sub = core.streams, core.subs.get(stream)
        if isinstance(streams, _Streams) and sub is not None:
            streams.join(stream, sub.filter)

    async def _replay(self, tail: _Tail, after: int) -> list[Item] | None:
        """Messages after ``after`` from a temporary ordered consumer, until the ring holds the rest."""
        out: list[Item] = []
        last = after
        done = asyncio.Event()

        async def take(msg: Msg) -> None:
            nonlocal last
            seq = stream_seq(msg)
            if done.is_set() or seq <= last:
                return
            _, district, theme = parse_data_subject(msg.subject)
            out.append(item_of(seq, district, theme, msg.data, 0, levels_of(msg.headers)))
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

    # ------------------------------------------------------------------------------- commands

    def on_command(self, core: ServerProtocol, received: CommandReceived, wake: asyncio.Event) -> None:
        """Publish the command (the core has checked role, district and epoch) and send the
        processor's answer when it comes (§7)."""
        self.stats.commands += 1

        async def submit() -> None:
            ack = await self._submit(
                received.command, received.claims, core.hello.client_id if core.hello else ""
            )
            if ack is not None:
                core.acknowledge(ack)
                wake.set()

        asyncio.get_running_loop().create_task(submit())

    async def _submit(self, cmd: Command, claims: Claims, client_id: str) -> CommandAck | None:
        """Publish with ``Nats-Msg-Id`` = id and wait for the processor's result (None: no answer
        in time; the client sends again with the same id, which changes nothing)."""
        fut: asyncio.Future[CommandAck] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(cmd.id, []).append(fut)
        env = CommandEnvelope(command=cmd, role=claims.role, operator=claims.operator, client_id=client_id)
        try:
            pub = await self.js.publish(
                command_subject(self.district_of(cmd)),
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
                return duplicate_of(first)
            async with asyncio.timeout(self.config.command_timeout_s):
                return await fut
        except (*RETRYABLE, TimeoutError) as exc:
            log.warning(
                "command %s: no result yet (%s); the client will send it again",
                cmd.id,
                str(exc) or type(exc).__name__,
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


class _Streams:
    """The gateway's streams as one client's server core reads them: each stream through the
    client's scope (:class:`_ClientLog`) once it has subscribed."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self.conn: Connection | None = None
        self.views: dict[str, _ClientLog] = {}

    def epochs(self) -> dict[str, str]:
        return self._gateway.epochs

    def log(self, stream: str) -> _Tail | _ClientLog:
        return self.views.get(stream) or self._gateway.tails[stream]

    def district_of(self, command: Command) -> str:
        return self._gateway.district_of(command)

    def join(self, stream: str, f: Filter) -> None:
        gateway = self._gateway
        old = self.views.pop(stream, None)
        if old is not None:
            gateway.fanout.leave(old.scope, self.conn)
        tail = gateway.tails[stream]
        scope = gateway.fanout.join(stream, f, self.conn, tail.ring.seq)
        view = _ClientSensorLog if isinstance(tail, _SensorTail) else _ClientLog
        self.views[stream] = view(gateway, tail, scope)

    def leave_all(self) -> None:
        for view in self.views.values():
            self._gateway.fanout.leave(view.scope, self.conn)
        self.views.clear()


class _ClientLog:
    """One client's view of a stream for the server core (:class:`cockpit.protocol.server.StreamLog`):
    what it lacks comes from its scope, already filtered and stamped (the core's filter check passes
    every one), else from the area logs, else from the ring; its backlog counts its own messages."""

    def __init__(self, gateway: Gateway, tail: _Tail, scope: Scope) -> None:
        self.gateway = gateway
        self.tail = tail
        self.scope = scope

    @property
    def seq(self) -> int:
        return self.tail.ring.seq

    @property
    def oldest(self) -> int:
        return self.tail.js_first

    def holds_after(self, seq: int) -> bool:
        return self.tail.ring.holds_after(seq)

    def since(self, seq: int) -> list[Item]:
        scope = self.scope
        if scope.holds_after(seq):
            return scope.since(seq)
        selected = None if scope.everything else self.gateway.fanout.select(scope.stream, scope.filter, seq)
        return list(selected) if selected is not None else self.tail.since(seq)

    def backlog(self, after: int) -> int:
        return self.gateway.backlog(self.scope.stream, self.scope, self.scope.filter, after)


class _ClientSensorLog(_ClientLog):
    """The sensors stream through a client's scope: coalesced when its own backlog is too long."""

    @property
    def coalesce_after(self) -> int:
        return self.gateway.config.coalesce_after

    def catch_up(self, f: Filter, after: int) -> tuple[list[DataMessage], int]:
        tail = self.tail
        assert isinstance(tail, _SensorTail)
        return tail.catch_up(f, after)
