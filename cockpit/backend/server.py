"""The demo backend's websocket server: protocol v1 over a simulated city (docs/protocol.md).

The protocol is the server core's (:mod:`cockpit.protocol.server`), run by the one connection loop
(:mod:`cockpit.backend.connection`); this module is the demo's data source behind it: the
:class:`~cockpit.backend.streams.Hub`'s logs for live data and resumes, :meth:`City.snapshot` for
snapshots, :meth:`City.handle_command` for commands, and an :class:`AuditInbox` for audit records.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping

import websockets
from websockets.asyncio.server import Server, ServerConnection, serve

from cockpit.backend.audit import AuditInbox
from cockpit.backend.city import City
from cockpit.backend.connection import Connection, now_ms
from cockpit.backend.connection import serve as serve_connection
from cockpit.backend.streams import Hub, StreamLog
from cockpit.config.revocation import RevocationFile
from cockpit.protocol.admission import Admission, Limits, address_of
from cockpit.protocol.messages import (
    DEFAULT_HEARTBEAT_MS,
    DEFAULT_MAX_FRAME_BYTES,
    PLOT_COMMANDS,
    Command,
    CommandAck,
    CommandKind,
    SubscribeMode,
)
from cockpit.protocol.server import (
    CLOSE_OVERRUN,
    CLOSE_REFUSED,
    AuditReceived,
    CommandReceived,
    CommandRefused,
    Gate,
    ServerConfig,
    ServerEvent,
    ServerProtocol,
    SubscriptionRequested,
)
from cockpit.protocol.tokens import Claims, SiteSecret, TokenVerifier

log = logging.getLogger(__name__)

__all__ = ["CAPABILITIES", "CLOSE_OVERRUN", "CLOSE_REFUSED", "DemoBackend", "now_ms"]

CAPABILITIES = (
    "batch",
    "resume",
    "snapshot",
    "filters",
    "commands.dispatch",
    "commands.acknowledge",
    "commands.shelve",  # shelve and unshelve alarms (§7.5)
    "commands.levels",  # escalate and hand down (§7.6)
    "commands.plans",  # activate, approve and close plans (§7.7)
    "commands.plots",  # draw, edit and delete plots on the shared map (§7.10)
    "audit",  # keeps the cockpits' audit records (§7.8)
)

RESUME_LIMIT = 20_000
"""Most messages the demo replays for one resume: about 100 s of its sensor stream at the default
rate; a snapshot is smaller than a longer replay (§4.2)."""


class DemoBackend:
    """A websocket server for the simulated city.

    Args:
        city: The city to serve; keep it to restart a server on the same state (same epoch).
        heartbeat_ms: Heartbeat interval announced to clients.
        speed: Simulated seconds per real second.
        max_frame_bytes: Largest frame in either direction.
        server_id: Announced in the welcome.
        secret: The site secret: hellos must carry a token it signed (docs/protocol.md §3.1). None:
            trust the hello (tests, old demos). Ignored when ``verifier`` is given.
        verifier: Checks hello tokens (the site's public keys); None: ``secret`` decides.
        limits: Per-client flood limits (:mod:`cockpit.protocol.admission`); None: no limits.
        revocations: The token revocation list (``--revoked-file``): a revoked token is refused at
            the hello with ``token_revoked``, and a session whose token becomes revoked is closed.
        client_timeout_ms: Close a client silent for this long with 4002 (§6); 0: never.
        resume_limit: Most messages one resume replays; a client further behind (seq 0 against a
            long log, say) gets a snapshot instead (§4.2).
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
        verifier: TokenVerifier | None = None,
        limits: Limits | None = None,
        revocations: RevocationFile | None = None,
        client_timeout_ms: int = 30_000,
        resume_limit: int = RESUME_LIMIT,
    ) -> None:
        self.city = city
        self.hub: Hub = city.hub
        self.heartbeat_ms = heartbeat_ms
        self.speed = speed
        self.max_frame_bytes = max_frame_bytes
        self.server_id = server_id
        self.running = True  # the simulation advances while True
        self.stalled = False  # test hook: send nothing, not even heartbeats, while True
        self.clients: set[Connection] = set()
        self.client_closes: list[int | None] = []
        """The close code each ended connection's client sent (None: it sent none), in order."""
        self.audit = AuditInbox()
        """Audit records received from cockpits, once each, and the commands refused as forbidden."""
        if verifier is None and secret is not None:
            verifier = SiteSecret(secret)
        self.gate = Gate(verifier=verifier, revoked=self._why_revoked, limits=limits)
        self.config = ServerConfig(
            server_id=server_id,
            capabilities=CAPABILITIES,
            heartbeat_ms=heartbeat_ms,
            max_frame_bytes=max_frame_bytes,
            client_timeout_ms=client_timeout_ms,
            resume_limit=resume_limit,
        )
        self.revocations = revocations
        self.port = 0
        self._server: Server | None = None
        self._sim_task: asyncio.Task[None] | None = None
        self._revocation_task: asyncio.Task[None] | None = None

    @property
    def epoch(self) -> str:
        return self.hub.epoch

    @property
    def refusals(self) -> list[str]:
        """Handshake refusal and flood close codes, in order (for tests and the log)."""
        return self.gate.refusals

    @property
    def admission(self) -> Admission:
        """Connections counted per source address and operator (§3.3)."""
        return self.gate.admission

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
        else:
            for client in list(self.clients):  # 1001: the server is going away (§3.3)
                client.core.going_away()
                client.wake.set()
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

    # ---------------------------------------------------------------------------- the core's streams

    def epochs(self) -> Mapping[str, str]:
        return dict.fromkeys(self.hub.logs, self.hub.epoch)

    def log(self, stream: str) -> StreamLog:
        return self.hub.logs[stream]

    def district_of(self, command: Command) -> str:
        """The district a command acts in: its event's, found through the dispatch (``cancel``) or
        the plan (``approve_plan``, ``close_plan``) it names; ``""`` if unknown (the city rejects it)."""
        state = self.city.state
        event_id = command.event_id
        if command.kind in PLOT_COMMANDS:
            return self.city.plots.district_of(command)
        if command.kind == CommandKind.CANCEL:
            dispatch = state.dispatches.get(command.ref)
            event_id = dispatch.event_id if dispatch is not None else ""
        elif command.kind in (CommandKind.APPROVE_PLAN, CommandKind.CLOSE_PLAN):
            plan = state.plans.get(command.ref)
            event_id = plan.event_id if plan is not None else ""
        event = state.events.get(event_id) if event_id else None
        return event.district if event is not None else ""

    def new_protocol(self, address: str) -> ServerProtocol:
        """The server core for a new connection from ``address`` (the tools use it without sockets)."""
        return ServerProtocol(self.config, self, self.gate, address, now_ms())

    # ---------------------------------------------------------------------------- connections

    async def _serve(self, ws: ServerConnection) -> None:
        core = self.new_protocol(address_of(ws.remote_address))
        conn = Connection(ws, core, self.hub.waiter())
        self.clients.add(conn)
        try:
            await serve_connection(conn, self)
        finally:
            self.hub.drop_waiter(conn.wake)
            self.clients.discard(conn)
            rcvd = ws.protocol.close_rcvd
            self.client_closes.append(rcvd.code if rcvd is not None else None)

    def process(self, core: ServerProtocol) -> None:
        """Act on everything ``core`` reported, at once: the demo answers everything synchronously
        (the connection loop does the same, and docs/tools/gen_examples.py uses this without sockets)."""
        for event in core.events_received():
            if isinstance(event, SubscriptionRequested):
                self.answer_subscription(core, event)
            elif isinstance(event, CommandReceived):
                core.acknowledge(self.apply_command(core, event))
            else:
                self.on_event(core, event)

    async def on_subscription(self, core: ServerProtocol, request: SubscriptionRequested) -> None:
        self.answer_subscription(core, request)

    def answer_subscription(self, core: ServerProtocol, request: SubscriptionRequested) -> None:
        """Resume from the hub's log, or a snapshot of the city's state (§4.2, §4.3)."""
        if request.decision.mode is SubscribeMode.RESUME:
            core.resume(request.stream)
            return
        seq = self.hub.logs[request.stream].seq
        core.snapshot(request.stream, seq, self.city.snapshot(request.stream, request.filter), request.decision.reason)

    def on_command(self, core: ServerProtocol, received: CommandReceived, wake: asyncio.Event) -> None:
        core.acknowledge(self.apply_command(core, received))

    def apply_command(self, core: ServerProtocol, received: CommandReceived) -> CommandAck:
        """The city applies the command once (a repeated id gets ``duplicate``, §7.3)."""
        return self.city.handle_command(received.command, received.claims.role, received.claims.operator)

    def on_event(self, core: ServerProtocol, event: ServerEvent) -> None:
        if isinstance(event, AuditReceived):
            core.send(self.audit.receive(event.record))
        elif isinstance(event, CommandRefused) and event.ack.reason == "forbidden":
            # A forged frame's sender does not audit itself: the server records the refusal (§7.8).
            self.audit.refused(event.command, event.ack, event.claims.operator, event.claims.role)

    def _why_revoked(self, claims: Claims) -> str:
        """Why ``claims``' token is revoked (``""``: it is not). Looks at the list file first (one
        stat), so a hello always meets the newest list."""
        if self.revocations is None:
            return ""
        return self.revocations.why_revoked(claims)

    async def _follow_revocations(self, revocations: RevocationFile) -> None:
        """Every few seconds: re-read a changed revocation list and close the sessions it revokes."""
        async for _ in revocations.changes():
            for client in list(self.clients):
                client.core.check_revoked()
                if client.core.close_code is not None:
                    log.warning(
                        "closing the session of %s (%s) at %s: token revoked",
                        client.operator,
                        client.role,
                        address_of(client.ws.remote_address),
                    )
                    client.wake.set()
