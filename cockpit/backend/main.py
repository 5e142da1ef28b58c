"""``cockpit-backend``: the demo backend on its own (docs/operations.md)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from cockpit.backend.city import City
from cockpit.backend.risk_points import RISK_POINTS
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.config.revocation import RevocationFile
from cockpit.config.tokens import add_server_token_arguments, read_server_token_arguments
from cockpit.protocol.admission import Limits
from cockpit.protocol.tokens import TokenVerifier


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cockpit-backend",
        description="Demo backend: a seeded simulated city served over protocol v1 websockets.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8765, help="port (0 picks a free one; default: %(default)s)")
    p.add_argument("--seed", type=int, default=1, help="simulation seed (default: %(default)s)")
    p.add_argument(
        "--rate", type=float, default=2000.0, help="sensor updates per second (default: %(default)s)"
    )
    p.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second")
    p.add_argument("--epoch", default=None, help="stream epoch (default: a new random one)")
    p.add_argument("--heartbeat-ms", type=int, default=1000, help="heartbeat interval (default: %(default)s)")
    p.add_argument("--events-per-min", type=float, default=6.0, help="background events per minute")
    add_server_token_arguments(p)
    p.add_argument("--nats", default="", help="publish into NATS JetStream (URLs, comma-separated)")
    p.add_argument(
        "--cameras",
        metavar="SECRETS_FILE",
        default="",
        help="serve the demo cameras over RTSP on loopback (needs GStreamer, scripts/setup) and write "
        "their credential, made for this run, to SECRETS_FILE (mode 0600) for the cockpit's "
        "video.secrets_file (docs/video.md)",
    )
    return p


async def run(
    args: argparse.Namespace, verifier: TokenVerifier | None = None, revocations: RevocationFile | None = None
) -> None:
    city = City(
        Hub(epoch=args.epoch), seed=args.seed, rate=args.rate, event_rate=args.events_per_min, risk_points=RISK_POINTS
    )
    cameras = None
    if args.cameras:
        from cockpit.backend.cameras.demo import start_demo_cameras

        cameras = start_demo_cameras(city)
        if cameras.server is not None:
            write_camera_secrets(args.cameras, cameras.credential, cameras.user, cameras.password)
            print(
                f"cockpit-backend: demo cameras on {cameras.server.base_url} (credential in {args.cameras})",
                flush=True,
            )
        else:
            print(f"cockpit-backend: no demo cameras: {cameras.error}", file=sys.stderr, flush=True)
    if args.nats:  # city → NATS; cockpit-gateway serves the cockpits (docs/operations.md)
        from cockpit.backend.nats_bridge import run_bridge

        stopping = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stopping.set)
        try:
            await run_bridge(city, args.nats.split(","), args.speed, stopping)
        finally:
            if cameras is not None:
                cameras.stop()
        return
    backend = DemoBackend(
        city,
        heartbeat_ms=args.heartbeat_ms,
        speed=args.speed,
        verifier=verifier,
        limits=Limits(),
        revocations=revocations,
    )
    await backend.start(args.host, args.port)
    print(f"cockpit-backend: serving {backend.url} (epoch {backend.epoch}, seed {args.seed})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await backend.stop()
    if cameras is not None:
        cameras.stop()


def write_camera_secrets(path: str, credential: str, user: str, password: str) -> None:
    """Write a camera secrets file (docs/video.md) readable by its owner only."""
    import json
    import os

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"[credential.{credential}]\nuser = {json.dumps(user)}\npassword = {json.dumps(password)}\n")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.rate <= 0 or args.speed <= 0 or args.heartbeat_ms < 50:
        print("cockpit-backend: --rate and --speed must be > 0 and --heartbeat-ms >= 50", file=sys.stderr)
        return 2
    try:
        verifier, revocations = read_server_token_arguments(args)
    except ValueError as exc:  # the key, secret or revocation file, named with what is wrong
        print(f"cockpit-backend: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(run(args, verifier, revocations))
    except OSError as exc:
        print(f"cockpit-backend: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
