"""The gateway's real nats-server fixture, for the gateway's conformance run."""

from tests.gateway.conftest import nats_server

__all__ = ["nats_server"]
