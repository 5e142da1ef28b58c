"""Shared parts of the security tests: the site's keys, tokens, and a feed that records what it saw.

Tokens are JWTs signed with :data:`KEY`; the servers get :data:`VERIFIER`, the public keys and (as
during the migration, docs/operations.md) the legacy ck1 secret, so the older ck1 tests still run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, CommandUpdate, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol import jwt_tokens
from cockpit.protocol.admission import Limits
from cockpit.protocol.events import CommandAcked, DataReceived
from cockpit.protocol.jwt_tokens import Jwks, SiteVerifier
from cockpit.protocol.messages import CommandAck
from cockpit.protocol.tokens import Claims, TokenVerifier, new_token_id

SECRET = b"0123456789abcdef0123456789abcdef-test-site"
"""The legacy ck1 site secret (migration)."""
KEY = jwt_tokens.new_private_key("ES256")
"""The site's private signing key: only the token issuer has it."""
PUBLIC = {"keys": [jwt_tokens.public_of(KEY)]}
"""The site's public keys (JWKS): what servers get."""
VERIFIER = SiteVerifier(Jwks(PUBLIC), legacy_secret=SECRET)


def token(operator: str = "officer-1", role: str = "operator", districts: tuple[str, ...] = (), hours: float = 1) -> str:
    now = int(time.time())
    return jwt_tokens.issue(KEY, Claims(operator, role, districts, now, now + int(hours * 3600), new_token_id()))


def expired_token(operator: str = "officer-1", role: str = "operator") -> str:
    now = int(time.time())
    return jwt_tokens.issue(KEY, Claims(operator, role, (), now - 7200, now - 3600, new_token_id()))


@dataclass
class Sink:
    """Feeds a model and remembers when each data frame arrived, and every ack."""

    model: Situation = field(default_factory=Situation)
    arrivals: list[float] = field(default_factory=list)
    acks: list[CommandAck] = field(default_factory=list)
    progress: list[CommandUpdate] = field(default_factory=list)

    def __call__(self, events: list[FeedEvent]) -> None:
        self.model.apply(events)
        for ev in events:
            if isinstance(ev, DataReceived):
                self.arrivals.append(time.monotonic())
            elif isinstance(ev, CommandAcked):
                self.acks.append(ev.ack)
            elif isinstance(ev, CommandUpdate):
                self.progress.append(ev)

    def largest_gap(self) -> float:
        return max((b - a for a, b in zip(self.arrivals, self.arrivals[1:], strict=False)), default=0.0)


def make_backend(verifier: TokenVerifier | None = VERIFIER, limits: Limits | None = None, seed: int = 5) -> DemoBackend:
    city = City(Hub(), seed=seed, rate=600, event_rate=240, sensors_per_kind=4)
    return DemoBackend(city, heartbeat_ms=300, speed=4, verifier=verifier, limits=limits)


def make_feed(url: str, sink: Sink, tok: str, operator: str = "officer-1", role: str = "operator") -> FeedClient:
    return FeedClient(
        [url], Identity("wall-sec", operator, role, token=tok), sink, backoff=Backoff(base_s=0.05, cap_s=0.3)
    )
