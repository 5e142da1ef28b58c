"""The gateway's real nats-server fixture, for the gateway's token and flood tests."""

from tests.gateway.conftest import nats_server

__all__ = ["nats_server"]
