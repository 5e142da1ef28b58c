"""The real entry points end to end: ``cockpit-backend --nats`` → NATS → ``cockpit-gateway`` → a wall."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest

from cockpit.backend.city import City
from cockpit.backend.gateway.main import build_config, build_parser, parse_access
from cockpit.backend.gateway.main import main as gateway_main
from cockpit.backend.streams import Hub
from cockpit.feed import ConnectionState
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import AckResult, Command, CommandKind
from tests.conftest import TIME_SCALE
from tests.gateway.conftest import NatsServer
from tests.gateway.support import ROOT, GatewayProcess, Recorder, make_feed
from tests.helpers import wait_until


def test_gateway_command_line_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert gateway_main(["--nats", "nats://127.0.0.1:1", "--district", "officer-jb"]) == 2
    assert "expected OPERATOR=DISTRICT" in capsys.readouterr().err
    assert gateway_main(["--nats", "nats://127.0.0.1:1", "--heartbeat-ms", "10"]) == 2
    assert parse_access(["a=jiangbei, yuzhong", "b=nanan"]).districts == {
        "a": ("jiangbei", "yuzhong"),
        "b": ("nanan",),
    }
    assert gateway_main(["--nats", "nats://127.0.0.1:1", "--connections-per-address", "0"]) == 2
    assert "--connections-per-address" in capsys.readouterr().err


def test_gateway_connection_limits_come_from_the_command_line() -> None:
    """Behind a load balancer every wall arrives from the balancer's address: the installer raises
    the per-address limit instead of having walls refused with 4029."""
    args = build_parser().parse_args(["--nats", "nats://a:4222", "--connections-per-address", "5000"])
    limits = build_config(args, parse_access([])).limits
    assert limits is not None
    assert limits.connections_per_address == 5000
    assert limits.connections_per_operator == 64


@pytest.mark.slow
def test_city_to_nats_to_gateway_to_wall_through_the_real_commands(nats_server: NatsServer) -> None:
    async def body() -> None:
        city = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cockpit.backend.main",
                "--nats",
                nats_server.url,
                "--rate",
                "600",
                "--speed",
                "4",
                "--events-per-min",
                "240",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        gw = GatewayProcess(nats_server.url)
        rec = Recorder()
        feed = make_feed([gw.url], rec)
        try:
            assert city.stdout is not None
            line = await asyncio.wait_for(asyncio.to_thread(city.stdout.readline), 30 * TIME_SCALE)
            assert "publishing into NATS" in line, line
            await gw.start()
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, timeout=20, what="live")
            await wait_until(
                lambda: any(e.recommended and e.state.value == "new" for e in rec.model.events.values()),
                timeout=30,
                what="a new event with a recommended unit",
            )
            source = City(Hub(), seed=1, rate=600, event_rate=240)  # what cockpit-backend runs
            assert set(rec.model.units) == set(source.state.units) and rec.model.sensors.digest()
            ev = next(e for e in rec.model.events.values() if e.recommended and e.state.value == "new")
            cmd = Command(
                id=uuid7(int(time.time() * 1000)),
                kind=CommandKind.DISPATCH,
                event_id=ev.id,
                unit_id=ev.recommended[0],
            )
            feed.send_command(cmd)
            await wait_until(lambda: bool(rec.acks), what="the city's answer")
            assert rec.acks[0].result in (AckResult.ACCEPTED, AckResult.REJECTED)  # the unit may be taken
            if rec.acks[0].result == AckResult.ACCEPTED:
                await wait_until(lambda: cmd.id in rec.model.dispatches, what="the dispatch on the wall")
        finally:
            await feed.stop()
            gw.stop()
            city.terminate()
            city.wait(10)
            if city.stdout is not None:
                city.stdout.close()
        assert city.returncode == 0

    asyncio.run(body())
