"""``cockpit-conformance`` against real servers on loopback: it passes the demo backend and the gateway
(a real nats-server), fails each deliberately broken server on the clause it breaks, and passes a
minimal district server written from docs/protocol.md alone (tests/conformance/district_server.py)."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cockpit.backend.gateway.server import Gateway, GatewayConfig
from cockpit.backend.server import DemoBackend
from cockpit.conformance.checks import Options, run_all
from cockpit.conformance.clauses import CLAUSES, Level
from cockpit.conformance.report import Report, Status
from cockpit.protocol.admission import Limits
from cockpit.protocol.jwt_tokens import Jwks, SiteVerifier
from tests.conformance import broken
from tests.conformance.district_server import DistrictServer
from tests.gateway.conftest import NatsServer
from tests.gateway.support import start_bridge
from tests.helpers import wait_until
from tests.security.support import PUBLIC, token

ROOT = Path(__file__).resolve().parents[2]
SLACK_MS = 1000
"""Timing slack for these runs: the machine may be loaded (no timing asserts in tests); the broken
servers' faults (seconds of silence) stay far outside it."""


async def run_cli(url: str, *args: str) -> dict[str, Any]:
    """The command, in its own process as a district team runs it (its timing is its own)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cockpit.conformance.cli", url, "--quiet", "--observe", "2", "--silent-wait", "3",
        "--slack-ms", str(SLACK_MS), "--json", "-", *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    out, err = await proc.communicate()
    report: dict[str, Any] = json.loads(out)
    for c in report["clauses"]:
        print(f"{c['section']:<6} {c['level']:<6} {c['status']:<4} {c['id']:<26} {c['evidence']}")
    assert report["exit_code"] == proc.returncode, err.decode()
    return report


def failed_in(report: dict[str, Any]) -> list[str]:
    return [c["id"] for c in report["clauses"] if c["level"] == "MUST" and c["status"] == "FAIL"]


async def check(url: str, **options: object) -> Report:
    """In this process (the broken servers: only that their clause fails is asserted)."""
    report = Report(url)
    opts = Options(url=url, observe_s=1.5, silent_wait_s=3.0, slack_ms=SLACK_MS, **options)  # type: ignore[arg-type]
    await run_all(opts, report)
    out = io.StringIO()
    report.write_lines(out)
    print("\n" + out.getvalue())
    return report


def failed_musts(report: Report) -> list[str]:
    return [r.clause.id for r in report.ordered() if r.clause.level is Level.MUST and r.status is Status.FAIL]


def test_every_clause_is_decided_and_the_demo_backend_passes_with_tokens_and_destructive_checks() -> None:
    async def body() -> dict[str, Any]:
        backend = broken.city()
        async with DemoBackend(backend, speed=4, verifier=SiteVerifier(Jwks(PUBLIC)), limits=Limits()) as demo:
            await wait_until(lambda: len(demo.city.state.events) >= 5, what="some events")
            return await run_cli(
                demo.url, "--token", token("li.wei", "supervisor"), "--viewer-token", token("zhang.min", "viewer"),
                "--destructive", "--strict",
            )  # fmt: skip

    report = asyncio.run(body())
    assert failed_in(report) == []
    assert {c["id"] for c in report["clauses"]} == set(CLAUSES), "every clause is decided"
    passed = {c["id"] for c in report["clauses"] if c["status"] == "PASS"}
    assert {"token.invalid", "command.applied-once", "resume.replay-exact", "flood.prompt-close"} <= passed
    assert report["exit_code"] == 0, "--strict: no MUST clause skipped either"


@pytest.mark.slow
def test_the_gateway_passes(nats_server: NatsServer) -> None:
    async def body() -> dict[str, Any]:
        bridge = await start_bridge(nats_server.url)
        gw = Gateway(GatewayConfig([nats_server.url], verifier=SiteVerifier(Jwks(PUBLIC))))
        await gw.start()
        try:
            await wait_until(lambda: len(bridge.city.state.events) >= 5, timeout=20, what="some events")
            return await run_cli(
                gw.url, "--token", token("li.wei", "supervisor"), "--viewer-token", token("zhang.min", "viewer"),
                "--destructive", "--strict",
            )  # fmt: skip
        finally:
            await gw.stop()
            await bridge.stop()

    report = asyncio.run(body())
    assert failed_in(report) == [] and report["exit_code"] == 0


@pytest.mark.parametrize("clause", sorted(broken.BROKEN))
def test_a_broken_server_fails_the_clause_it_breaks(clause: str) -> None:
    server_class, check_name = broken.BROKEN[clause]

    async def body() -> Report:
        async with server_class() as server:
            await wait_until(lambda: len(server.city.state.events) >= 3, what="some events")
            only = frozenset({check_name}) if check_name else frozenset({"none"})
            return await check(server.url, destructive=True, only=only)

    report = asyncio.run(body())
    result = report.results[clause]
    assert result.status is Status.FAIL, f"{clause}: {result.status} {result.evidence}"
    assert clause in failed_musts(report) and report.exit_code() == 1
    print(f"{clause}: FAIL as it must: {result.evidence}")


def test_a_minimal_district_server_written_from_the_document_passes() -> None:
    async def body() -> dict[str, Any]:
        async with DistrictServer() as server:
            await asyncio.sleep(1.0)
            return await run_cli(server.url, "--destructive")

    report = asyncio.run(body())
    assert failed_in(report) == [] and report["exit_code"] == 0


def test_the_command_line_prints_a_line_per_clause_and_writes_json(tmp_path: Path) -> None:
    async def serve_and_run() -> tuple[int, str, str]:
        async with DistrictServer() as server:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "cockpit.conformance.cli", server.url, "--quiet", "--observe", "1",
                "--json", str(tmp_path / "report.json"),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
            )  # fmt: skip
            out, err = await proc.communicate()
            return proc.returncode or 0, out.decode(), err.decode()

    code, out, err = asyncio.run(serve_and_run())
    assert code == 0, out + err
    lines = [line for line in out.splitlines() if line.startswith("§")]
    assert len(lines) == len(CLAUSES)
    assert any(line.split()[:3] == ["§4.3", "MUST", "PASS"] for line in lines)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["exit_code"] == 0 and len(report["clauses"]) == len(CLAUSES)
    assert {c["status"] for c in report["clauses"]} <= {"PASS", "SKIP", "FAIL"}
    assert all(c["section"].startswith("§") and c["level"] in ("MUST", "SHOULD") for c in report["clauses"])
