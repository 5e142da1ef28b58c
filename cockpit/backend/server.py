"""The demo backend's websocket server: protocol v1 over a simulated city (docs/protocol.md).

Each connection gets a :class:`~cockpit.protocol.session.ServerSession`, a reader that answers the
client, and a sender that pushes every new matching message from the :class:`Hub`'s logs in batched
frames. A sender that falls out of the log's window closes the connection with
:data:`CLOSE_OVERRUN`; the client reconnects and takes a snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

import msgspec
import websockets
from websockets.asyncio.server import Server, ServerConnection, serve

from cockpit.backend.audit import AuditInbox
from cockpit.backend.city import City
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
from cockpit.backend.streams import Hub, matches
from cockpit.config.revocation import RevocationFile
from cockpit.protocol.messages import (
    DEFAULT_HEARTBEAT_MS,
    DEFAULT_MAX_FRAME_BYTES,
    PROTOCOL_VERSION,
    AckResult,
    Command,
    CommandAck,
    CommandKind,
    DataMessage,
    Filter,
    Heartbeat,
    SnapshotBegin,
    SnapshotEnd,
    Subscribed,
    SubscribeMode,
    Subscription,
    Welcome,
)
from cockpit.protocol.session import (
    AuditReceived,
    ClientProblem,
    CommandReceived,
    HelloReceived,
    ServerSession,
    SubscribeReceived,
)
from cockpit.protocol.tokens import TOKEN_REVOKED, Claims

log = logging.getLogger(__name__)

CLOSE_OVERRUN = 4001
"""Close code: the client fell further behind than the log holds; reconnect and resume (§4.4)."""
CLOSE_REFUSED = 4003
"""Close code after a ``refused`` message (§3.3)."""

CAPABILITIES = [
    "batch",
    "resume",
    "snapshot",
    "filters",
    "commands.dispatch",
    "commands.acknowledge",
    "commands.shelve",  # shelve and unshelve alarms (§7.5)
    "commands.levels",  # escalate and hand down (§7.6)
    "commands.plans",  # activate, approve and close plans (§7.7)
    "audit",  # keeps the cockpits' audit records (§7.8)
]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(slots=True)
class _Sub:
    filter: Filter
    prev: int  # the seq of the last message this client was sent: its next message's prev
    scanned: int  # the last seq of the log looked at for this client


@dataclass(slots=True, eq=False)
class _Client:
    ws: ServerConnection
    session: ServerSession
    role: str = ""
    operator: str = ""
    """Who sits at this connection's console (from the hello): recorded as ``acked_by`` etc."""
    subs: dict[str, _Sub] = field(default_factory=dict)
    last_tx: float = 0.0
    districts: tuple[str, ...] = ()
    """The districts the token allows (empty: the whole city); subscriptions and commands keep to them."""
    counted_operator: str = ""
    claims: Claims | None = None
    """The token's claims (with a secret): re-checked when the revocation list changes."""


class DemoBackend:
    """A websocket server for the simulated city.

    Args:
        city: The city to serve; keep it to restart a server on the same state (same epoch).
        heartbeat_ms: Heartbeat interval announced to clients.
        speed: Simulated seconds per real second.
        max_frame_bytes: Largest frame in either direction.
        server_id: Announced in the welcome.
        secret: The site secret: hellos must carry a token it signed, and the token's operator, role
            and districts are used (docs/protocol.md §3.1). None: trust the hello (tests, old demos).
        limits: Per-client flood limits (:mod:`cockpit.backend.fairness`); None: no limits.
        revocations: The token revocation list (``--revoked-file``): a revoked token is refused at
            the hello with ``token_revoked``, and a session whose token becomes revoked is closed.
    """

    def __init__(
        self,
        city: City,
        *,
        heartbeat_ms: int = DEFAULT_HEARTBEAT_MS,
        speed: float = 1.0,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        server_id: str = "demo-backend",
        secret: bytes | None = None,
        limits: Limits | None = None,
        revocations: RevocationFile | None = None,
    ) -> None:
        self.city = city
        self.hub: Hub = city.hub
        self.heartbeat_ms = heartbeat_ms
        self.speed = speed
        self.max_frame_bytes = max_frame_bytes
        self.server_id = server_id
        self.running = True  # the simulation advances while True
        self.stalled = False  # test hook: send nothing, not even heartbeats, while True
        self.clients: set[_Client] = set()
        self.audit = AuditInbox()
        """Audit records received from cockpits, once each, and the commands refused as forbidden."""
        self.secret = secret
        self.limits = limits
        self.admission = Admission(limits or Limits())
        self.refusals: list[str] = []
        """Handshake refusal and flood close codes, in order (for tests and the log)."""
        self.revocations = revocations
        self.port = 0
        self._server: Server | None = None
        self._sim_task: asyncio.Task[None] | None = None
        self._revocation_task: asyncio.Task[None] | None = None
        self._closing: set[asyncio.Task[None]] = set()
        """Revoked sessions being closed (a slow client must not hold up the next check)."""

    @property
    def epoch(self) -> str:
        return self.hub.epoch

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen (port 0 picks a free one; see :attr:`port`) and start the simulation."""
        if self.city.time_origin_ms == 0:
            self.city.time_origin_ms = now_ms()
        self._server = await serve(
            self._serve,
            host,
            port,
            compression=None,  # deflate cut batched throughput fourfold here
            max_size=self.max_frame_bytes,
            ping_interval=None,  # protocol heartbeats do this job (§6)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._sim_task = asyncio.create_task(self._simulate())
        if self.revocations is not None:
            self._revocation_task = asyncio.create_task(self._follow_revocations(self.revocations))
        log.info("demo backend on ws://%s:%d epoch %s", host, self.port, self.epoch)

    async def stop(self, abort: bool = False) -> None:
        """Stop serving. ``abort`` drops connections without a closing handshake, like a crash."""
        for task in (self._sim_task, self._revocation_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._revocation_task = None
        if self._server is None:
            return
        if abort:
            # Stop listening now: close() below only schedules it, and a handshake finishing before
            # that task runs opened a connection nobody aborted, which wait_closed() then waited for
            # forever (issue 8). From here on websockets answers handshakes with 503.
            self._server.server.close()
            for ws in self._server.connections | {client.ws for client in self.clients}:
                ws.transport.abort()
        self._server.close(close_connections=not abort)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> DemoBackend:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def send_raw(self, data: bytes) -> None:
        """Test hook: send ``data`` as one frame to every client, bypassing the protocol."""
        for client in list(self.clients):
            with contextlib.suppress(websockets.ConnectionClosed):
                await client.ws.send(data)

    # ---------------------------------------------------------------------------- simulation

    async def _simulate(self) -> None:
        step = 1.0 / self.city.tick_hz
        last = time.monotonic()
        while True:
            await asyncio.sleep(step)
            now = time.monotonic()
            if self.running:
                self.city.advance((now - last) * self.speed)
            last = now

    # ---------------------------------------------------------------------------- connections

    async def _serve(self, ws: ServerConnection) -> None:
        address = address_of(ws.remote_address)
        if self.limits is not None and not self.admission.enter_address(address):
            self.refusals.append("too_many_from_address")
            await ws.close(CLOSE_TOO_MANY, "too many connections from this address")
            return
        try:
            await self._serve_admitted(ws)
        finally:
            if self.limits is not None:
                self.admission.leave_address(address)

    async def _serve_admitted(self, ws: ServerConnection) -> None:
        client = _Client(ws, ServerSession(self.max_frame_bytes))
        meter = Meter(self.limits) if self.limits is not None else None
        self.clients.add(client)
        sender = asyncio.create_task(self._send_loop(client))
        try:
            async for data in ws:
                flood = meter.admit(len(data)) if meter is not None else ""
                if flood:
                    self.refusals.append("flood")
                    log.warning("closing %s (%s): %s", client.operator or "a client", CLOSE_FLOOD, flood)
                    await ws.close(CLOSE_FLOOD, flood)
                    break
                if isinstance(data, str):
                    client.session.receive_data(data.encode())
                else:
                    client.session.receive_data(data)
                self._handle(client)
                await self._flush(client)
                if client.session.closed:
                    await ws.close(CLOSE_REFUSED, "refused")
                    break
                await asyncio.sleep(0)  # a client whose frames are all buffered must not hog the loop
        except websockets.ConnectionClosed:
            pass
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await sender
            self.clients.discard(client)
            if client.counted_operator:
                self.admission.leave_operator(client.counted_operator)

    def _handle(self, client: _Client) -> None:
        for event in client.session.events_received():
            if isinstance(event, HelloReceived):
                if not self._admit(client, event):
                    return
                client.session.send(
                    Welcome(
                        v=PROTOCOL_VERSION,
                        server_id=self.server_id,
                        epochs={name: self.hub.epoch for name in self.hub.logs},
                        capabilities=CAPABILITIES,
                        server_time=now_ms(),
                        heartbeat_ms=self.heartbeat_ms,
                        max_frame_bytes=self.max_frame_bytes,
                    )
                )
            elif isinstance(event, SubscribeReceived):
                for sub in event.subscriptions:
                    self._subscribe(client, sub)
            elif isinstance(event, CommandReceived):
                ack = self._outside_districts(client, event.command) or self.city.handle_command(
                    event.command, client.role, client.operator
                )
                if ack.result == "rejected" and ack.reason == "forbidden":
                    self.audit.refused(event.command, ack, client.operator, client.role)
                client.session.send(ack)
            elif isinstance(event, AuditReceived):
                client.session.send(self.audit.receive(event.record))
            elif isinstance(event, ClientProblem):
                log.warning("client frame dropped: %s: %s", event.problem.value, event.detail)

    def _admit(self, client: _Client, event: HelloReceived) -> bool:
        """Take who the client is from its token (or its hello, without a secret); refuse if the
        token does not hold or the operator has too many connections (docs/protocol.md §3.3)."""
        try:
            claims = identify(event.hello, self.secret)
            revoked = self._revoked(claims)
            if revoked:
                raise TokenError(TOKEN_REVOKED, revoked)
        except TokenError as exc:
            self.refusals.append(exc.code)
            log.warning("refused a hello from %s: %s", address_of(client.ws.remote_address), exc)
            client.session.refuse(exc.code, exc.detail)
            return False
        client.claims = claims if self.secret is not None else None
        if self.limits is not None:
            if not self.admission.enter_operator(claims.operator):
                self.refusals.append(TOO_MANY_CONNECTIONS)
                client.session.refuse(
                    TOO_MANY_CONNECTIONS,
                    f"{claims.operator} already has {self.limits.connections_per_operator} connections",
                )
                return False
            client.counted_operator = claims.operator
        client.role, client.operator, client.districts = claims.role, claims.operator, claims.districts
        return True

    def _revoked(self, claims: Claims) -> str:
        """Why ``claims``' token is revoked (the refusal's detail); ``""`` if it is not. Looks at the
        list file first (one stat), so a hello always meets the newest list."""
        if self.revocations is None or self.secret is None:
            return ""
        return self.revocations.why_revoked(claims)

    async def _follow_revocations(self, revocations: RevocationFile) -> None:
        """Every few seconds: re-read a changed revocation list and close the sessions it revokes."""
        async for _ in revocations.changes():
            for client in list(self.clients):
                closing = asyncio.create_task(self._close_if_revoked(client))
                self._closing.add(closing)
                closing.add_done_callback(self._closing.discard)

    async def _close_if_revoked(self, client: _Client) -> None:
        """Refuse (§3.3, ``token_revoked``) and close a welcomed session whose token is revoked now."""
        if client.claims is None or client.session.closed:
            return
        why = self._revoked(client.claims)
        if not why:
            return
        self.refusals.append(TOKEN_REVOKED)
        log.warning(
            "closing the session of %s (%s) at %s: %s",
            client.claims.operator,
            client.claims.role,
            address_of(client.ws.remote_address),
            why,
        )
        client.session.refuse(TOKEN_REVOKED, why)
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._flush(client)
            await client.ws.close(CLOSE_REFUSED, "refused")

    def _outside_districts(self, client: _Client, command: Command) -> CommandAck | None:
        """Reject (``forbidden``, as the gateway does) a command on a district the token does not
        name; None if the token covers the whole city or the command's district."""
        if not client.districts:
            return None
        district = self._district_of(command)
        if not district or district in client.districts:
            return None
        return CommandAck(
            id=command.id,
            result=AckResult.REJECTED,
            reason="forbidden",
            detail=f"{client.operator} may not act in district {district}",
        )

    def _district_of(self, command: Command) -> str:
        """The district a command acts in: its event's, found through the dispatch (``cancel``) or
        the plan (``approve_plan``, ``close_plan``) it names; ``""`` if unknown (the city rejects it)."""
        state = self.city.state
        event_id = command.event_id
        if command.kind == CommandKind.CANCEL:
            dispatch = state.dispatches.get(command.ref)
            event_id = dispatch.event_id if dispatch is not None else ""
        elif command.kind in (CommandKind.APPROVE_PLAN, CommandKind.CLOSE_PLAN):
            plan = state.plans.get(command.ref)
            event_id = plan.event_id if plan is not None else ""
        event = state.events.get(event_id) if event_id else None
        return event.district if event is not None else ""

    def _subscribe(self, client: _Client, sub: Subscription) -> None:
        if client.districts:  # the token's districts bound what the client may see
            wanted = [d for d in (sub.filter.districts or client.districts) if d in client.districts]
            sub = msgspec.structs.replace(
                sub, filter=msgspec.structs.replace(sub.filter, districts=wanted or ["~none~"])
            )
        stream_log = self.hub.logs[sub.stream]
        if sub.epoch == self.hub.epoch and stream_log.can_resume_after(sub.seq):
            client.subs[sub.stream] = _Sub(sub.filter, sub.seq, sub.seq)
            client.session.send(
                Subscribed(stream=sub.stream, epoch=self.hub.epoch, mode=SubscribeMode.RESUME, seq=sub.seq)
            )
            return
        if not sub.epoch:
            reason = "first subscription"
        elif sub.epoch != self.hub.epoch:
            reason = f"epoch {sub.epoch} is gone; the current one is {self.hub.epoch}"
        elif sub.seq > stream_log.seq:
            reason = f"seq {sub.seq} is ahead of this server (newest {stream_log.seq})"
        else:
            reason = f"seq {sub.seq} is no longer held (oldest {stream_log.first_seq})"
        seq = stream_log.seq
        items = self.city.snapshot(sub.stream, sub.filter)
        client.subs[sub.stream] = _Sub(sub.filter, seq, seq)
        epoch = self.hub.epoch
        client.session.send(
            Subscribed(stream=sub.stream, epoch=epoch, mode=SubscribeMode.SNAPSHOT, seq=seq, reason=reason),
            SnapshotBegin(stream=sub.stream, epoch=epoch, seq=seq),
            *items,
            SnapshotEnd(stream=sub.stream, epoch=epoch, seq=seq, count=len(items)),
        )

    async def _flush(self, client: _Client) -> None:
        if self.stalled:
            return
        for frame in client.session.data_to_send():
            await client.ws.send(frame)
            client.last_tx = time.monotonic()

    async def _send_loop(self, client: _Client) -> None:
        waiter = self.hub.waiter()
        beat = self.heartbeat_ms / 1000.0
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter.wait(), beat / 4)
                waiter.clear()
                if self.stalled:
                    continue
                if not self._collect(client):
                    await client.ws.close(CLOSE_OVERRUN, "overrun: resume")
                    return
                # Idle for three quarters of an interval: beat, so silence never reaches one whole
                # interval and the client's stale limit (1.5 intervals) is never hit by mistake.
                if (
                    client.session.pending == 0
                    and client.session.hello is not None
                    and (time.monotonic() - client.last_tx >= 0.75 * beat)
                ):
                    client.session.send(Heartbeat(ts=now_ms()))
                await self._flush(client)
        finally:
            self.hub.drop_waiter(waiter)

    def _collect(self, client: _Client) -> bool:
        """Queue every new message for the client's live subscriptions; False if it overran."""
        for name, sub in client.subs.items():
            stream_log = self.hub.logs[name]
            if sub.scanned >= stream_log.seq:
                continue
            if not stream_log.can_resume_after(sub.scanned):
                return False
            out: list[DataMessage] = []
            for entry in stream_log.since(sub.scanned):
                if matches(sub.filter, entry.district, entry.theme, entry.levels):
                    # prev chains the messages this client gets, skipping those its filter drops.
                    out.append(msgspec.structs.replace(entry.message, prev=sub.prev))
                    sub.prev = entry.seq
            sub.scanned = stream_log.seq
            if out:
                client.session.send(*out)
        return True
