"""``cockpit-gateway --nats URL --port P``: serve cockpits from NATS JetStream (docs/operations.md)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from cockpit.backend.gateway.layout import Retention
from cockpit.backend.gateway.server import Access, Gateway, GatewayConfig
from cockpit.config.revocation import RevocationFile
from cockpit.config.tokens import add_server_token_arguments, read_server_token_arguments
from cockpit.protocol.admission import Limits
from cockpit.protocol.tokens import TokenVerifier

DEFAULT_LIMITS = Limits()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cockpit-gateway",
        description="Serve protocol v1 cockpits from NATS JetStream; run several behind a load balancer.",
    )
    p.add_argument("--nats", required=True, help="NATS URL(s), comma-separated (a cluster's seed servers)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8766, help="port (0 picks a free one; default: %(default)s)")
    p.add_argument("--server-id", default="", help="name in the welcome (default: gateway-PORT)")
    p.add_argument("--heartbeat-ms", type=int, default=1000, help="heartbeat interval (default: %(default)s)")
    p.add_argument("--ring", type=int, default=100_000, help="messages per stream kept in memory for resume")
    p.add_argument(
        "--max-lag",
        type=int,
        default=20_000,
        help="events/dispatch/overlays messages a client may lag before it is closed (4001)",
    )
    p.add_argument(
        "--coalesce-after",
        type=int,
        default=2_000,
        help="sensor messages a client may lag before its sensors are coalesced to latest values",
    )
    p.add_argument(
        "--district",
        action="append",
        default=[],
        metavar="OPERATOR=D1,D2",
        help="restrict an operator to districts (repeat); others see the whole city",
    )
    p.add_argument(
        "--connections-per-address",
        type=int,
        default=DEFAULT_LIMITS.connections_per_address,
        metavar="N",
        help="concurrent connections allowed from one source address (default: %(default)s); raise it "
        "when a load balancer hides the walls' addresses",
    )
    p.add_argument(
        "--connections-per-operator",
        type=int,
        default=DEFAULT_LIMITS.connections_per_operator,
        metavar="N",
        help="concurrent connections allowed per operator token (default: %(default)s)",
    )
    add_server_token_arguments(p)
    p.add_argument("--replicas", type=int, default=1, help="JetStream replicas when creating streams")
    return p


def parse_access(grants: list[str]) -> Access:
    """``OPERATOR=D1,D2`` grants as an :class:`Access`.

    Raises:
        ValueError: a grant without ``=`` or without districts.
    """
    districts: dict[str, tuple[str, ...]] = {}
    for grant in grants:
        operator, sep, names = grant.partition("=")
        ds = tuple(d.strip() for d in names.split(",") if d.strip())
        if not sep or not operator or not ds:
            raise ValueError(f"--district {grant!r}: expected OPERATOR=DISTRICT[,DISTRICT…]")
        districts[operator] = ds
    return Access(districts)


def build_config(
    args: argparse.Namespace,
    access: Access,
    verifier: TokenVerifier | None = None,
    revocations: RevocationFile | None = None,
) -> GatewayConfig:
    """The gateway's configuration from its command line."""
    return GatewayConfig(
        nats_urls=[u.strip() for u in args.nats.split(",") if u.strip()],
        server_id=args.server_id or f"gateway-{args.port}",
        heartbeat_ms=args.heartbeat_ms,
        ring=args.ring,
        max_lag=args.max_lag,
        coalesce_after=args.coalesce_after,
        access=access,
        retention=Retention(replicas=args.replicas),
        verifier=verifier,
        revocations=revocations,
        limits=Limits(
            connections_per_address=args.connections_per_address,
            connections_per_operator=args.connections_per_operator,
        ),
    )


async def run(
    args: argparse.Namespace,
    access: Access,
    verifier: TokenVerifier | None = None,
    revocations: RevocationFile | None = None,
) -> None:
    config = build_config(args, access, verifier, revocations)
    gateway = Gateway(config)
    await gateway.start(args.host, args.port)
    print(f"cockpit-gateway: serving ws://{args.host}:{gateway.port} from {args.nats}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await gateway.stop()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    counts = (
        args.ring,
        args.max_lag,
        args.coalesce_after,
        args.connections_per_address,
        args.connections_per_operator,
    )
    if args.heartbeat_ms < 50 or min(counts) < 1:
        print(
            "cockpit-gateway: --heartbeat-ms must be >= 50; --ring, --max-lag, --coalesce-after and "
            "--connections-per-address/-operator >= 1",
            file=sys.stderr,
        )
        return 2
    try:
        access = parse_access(args.district)
        verifier, revocations = read_server_token_arguments(args)
    except ValueError as exc:  # TokenFileError and RevocationError are ValueErrors too
        print(f"cockpit-gateway: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(run(args, access, verifier, revocations))
    except OSError as exc:
        print(
            f"cockpit-gateway: cannot listen on {args.host}:{args.port} or reach {args.nats}: {exc}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
