"""A real ``nats-server`` with JetStream on loopback, a free port and a temporary store, per test;
and a three-node JetStream cluster (``nats_cluster``) for the tests that lose a node."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.backend.loadgen.cluster import NatsCluster
from tests.conftest import TIME_SCALE

NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class NatsServer:
    """One nats-server process; :meth:`restart` keeps its port and store (its streams survive)."""

    def __init__(self, store: Path) -> None:
        if not os.access(NATS_SERVER, os.X_OK):
            raise RuntimeError(f"{NATS_SERVER} not found: install the Debian package (scripts/setup --test)")
        self.store = store
        self.port = free_port()
        self.monitor_port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = store.parent / f"nats-{self.port}.log"

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        args = [
            NATS_SERVER,
            "-js",
            "-a",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-m",
            str(self.monitor_port),
            "-sd",
            str(self.store),
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10 * TIME_SCALE
        health = f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true"
        while True:
            try:
                with urllib.request.urlopen(health, timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nats-server did not become healthy; see {self.log}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "jetstream")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def nats_cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    """Three nats-server nodes routed to each other on free loopback ports, each with its own store,
    ready when JetStream's meta group has a leader that sees every node (R3 streams can be made)."""
    cluster = NatsCluster(tmp_path / "cluster", nodes=3)
    try:
        cluster.start(timeout_s=60 * TIME_SCALE)
        yield cluster
    finally:
        cluster.stop()
