"""A NATS JetStream cluster and gateway processes on loopback, for tests, benchmarks and trials.

:class:`NatsCluster` starts ``nats-server`` nodes (three by default) that route to each other on free
loopback ports, each with its own JetStream store, from a generated configuration file per node
(``<root>/<name>.conf``; the production equivalent is in docs/operations.md). It is ready when every
node is healthy and the JetStream meta group has a leader that sees all nodes as current: only then
can replicated (R3) streams be created. A node can be killed (SIGKILL) and started again on the same
ports and store, as a machine that crashes and reboots.

:class:`GatewayProcess` runs ``cockpit-gateway`` in its own process, so it can be killed outright,
and reads its CPU time from ``/proc`` (Linux).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cockpit.backend.loadgen import LoadgenError

log = logging.getLogger(__name__)

NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"
CLUSTER_NAME = "cockpit"


def free_port() -> int:
    """A TCP port free on loopback now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get_json(url: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            data: dict[str, object] = json.loads(r.read())
            return data
    except (OSError, ValueError):
        return None


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (from ``/proc/<pid>/stat``; 0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)


class PortTaken(LoadgenError):
    """A node could not listen: a port chosen free was taken before it bound it."""


class NatsNode:
    """One ``nats-server`` with JetStream; a cluster member when it has routes.

    Args:
        name: The server name (unique in the cluster).
        root: Folder for its configuration, store and log.
        cluster_port: Its route port (0: a standalone server).
        routes: The route ports of every member (its own included, as nats-server allows).
    """

    def __init__(self, name: str, root: Path, cluster_port: int = 0, routes: list[int] | None = None) -> None:
        if not os.access(NATS_SERVER, os.X_OK):
            raise LoadgenError(f"{NATS_SERVER} not found: install nats-server (scripts/setup --test)")
        self.name = name
        self.root = root
        self.port = free_port()
        self.monitor_port = free_port()
        self.cluster_port = cluster_port
        self.routes = routes or []
        self.store = root / f"{name}-store"
        self.config = root / f"{name}.conf"
        self.log = root / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def write_config(self) -> None:
        lines = [
            f"server_name: {self.name}",
            f"listen: 127.0.0.1:{self.port}",
            f"http: 127.0.0.1:{self.monitor_port}",
            f'jetstream {{ store_dir: "{self.store}" }}',
        ]
        if self.cluster_port:
            routes = ", ".join(f"nats-route://127.0.0.1:{p}" for p in self.routes)
            lines.append(
                f"cluster {{ name: {CLUSTER_NAME}, listen: 127.0.0.1:{self.cluster_port}, routes: [{routes}] }}"
            )
        self.config.write_text("\n".join(lines) + "\n")

    def launch(self) -> None:
        """Start the process (not waiting for it to be healthy)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.write_config()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [NATS_SERVER, "-c", str(self.config)], stdout=log, stderr=subprocess.STDOUT
            )

    def healthy(self) -> bool:
        health = _get_json(f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true")
        return health is not None and health.get("status") == "ok"

    def jsz(self) -> dict[str, object] | None:
        return _get_json(f"http://127.0.0.1:{self.monitor_port}/jsz")

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """An abrupt loss (SIGKILL): no goodbye to clients or the cluster."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None


class NatsCluster:
    """``nodes`` nats-server processes clustered on loopback (1: a standalone server).

    Args:
        root: Folder for the nodes' configurations, stores and logs.
        nodes: How many (3 for a cluster that survives the loss of one).
    """

    def __init__(self, root: Path, nodes: int = 3) -> None:
        if nodes < 1:
            raise ValueError("a cluster needs at least one node")
        self.root = root
        self.nodes = self._new_nodes(nodes)

    def _new_nodes(self, nodes: int) -> list[NatsNode]:
        ports = [free_port() for _ in range(nodes)] if nodes > 1 else [0]
        return [NatsNode(f"n{i + 1}", self.root, ports[i], ports if nodes > 1 else None) for i in range(nodes)]

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def start(self, timeout_s: float = 30.0) -> None:
        """Start every node and wait until JetStream is usable across the cluster.

        Raises:
            LoadgenError: not ready within ``timeout_s`` (the message names the node and its log).
        """
        for attempt in range(3):
            for node in self.nodes:
                node.launch()
            try:
                self.wait_ready(timeout_s)
                return
            except PortTaken as exc:
                # A port chosen free was taken by another process before the node bound it (a
                # machine running other tests): the whole cluster again, on new ports, fresh stores.
                if attempt == 2:
                    raise
                log.warning("%s; starting the cluster again on other ports", exc)
                self.stop()
                for node in self.nodes:
                    shutil.rmtree(node.store, ignore_errors=True)
                self.nodes = self._new_nodes(len(self.nodes))

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        """Wait until the running nodes are healthy and the meta group has a leader seeing them current."""
        deadline = time.monotonic() + timeout_s
        while True:
            problem = self._not_ready()
            if not problem:
                return
            if time.monotonic() > deadline:
                raise LoadgenError(f"NATS cluster not ready after {timeout_s:g} s: {problem}")
            time.sleep(0.1)

    def _not_ready(self) -> str:
        running = [n for n in self.nodes if n.proc is not None]
        for node in running:
            if not node.running:
                if "address already in use" in node.log.read_text(errors="replace"):
                    raise PortTaken(f"{node.name} could not listen: a port was taken; see {node.log}")
                return f"{node.name} exited; see {node.log}"
            if not node.healthy():
                return f"{node.name} not healthy yet; see {node.log}"
        if len(self.nodes) == 1:
            return ""
        leaders = set()
        for node in running:
            meta = (node.jsz() or {}).get("meta_cluster")
            leader = meta.get("leader") if isinstance(meta, dict) else None
            if not leader:
                return f"{node.name}: no JetStream meta leader yet"
            leaders.add(str(leader))
            if leader == node.name:  # only the leader lists its peers and whether they are current
                replicas = meta.get("replicas") if isinstance(meta, dict) else None
                current = [r for r in replicas or [] if isinstance(r, dict) and r.get("current")]
                if len(current) < len(running) - 1:
                    return f"{node.name} (meta leader): {len(current)} of {len(running) - 1} peers current"
        if len(leaders) != 1 or not leaders <= {n.name for n in running}:
            return f"nodes disagree on the meta leader: {sorted(leaders)}"
        return ""

    def kill(self, index: int) -> None:
        self.nodes[index].kill()

    def restart(self, index: int, timeout_s: float = 30.0) -> None:
        """Start a killed node again on its ports and store, and wait for the cluster."""
        self.nodes[index].launch()
        self.wait_ready(timeout_s)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


class ServiceProcess:
    """A Python service in its own process, ready when it prints a line containing ``ready``.

    Args:
        args: Its command line after the interpreter.
        ready: A word of the line it prints when it is ready.
        log: File for its log (stderr; else discarded).
    """

    def __init__(self, args: list[str], ready: str, log: Path | None = None) -> None:
        self.args = [sys.executable, *args]
        self.ready = ready
        self.log = log
        self.proc: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid if self.proc is not None else 0

    def start(self, timeout_s: float = 60.0) -> None:
        """Start it and wait for its ready line.

        Raises:
            LoadgenError: it exited or did not say it was ready in time.
        """
        err = self.log.open("ab") if self.log is not None else None
        try:
            self.proc = subprocess.Popen(
                self.args,
                stdout=subprocess.PIPE,
                stderr=err if err is not None else subprocess.DEVNULL,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        finally:
            if err is not None:
                err.close()
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout_s
        line = ""
        while time.monotonic() < deadline and self.proc.poll() is None:
            line = self.proc.stdout.readline()
            if self.ready in line:
                return
        self.kill()
        raise LoadgenError(f"{' '.join(self.args[1:4])} did not start: {line!r} (log: {self.log})")

    def cpu_seconds(self) -> float:
        return proc_cpu_seconds(self.pid) if self.proc is not None else 0.0

    def kill(self) -> None:
        """An abrupt loss (SIGKILL): no closing handshakes, no goodbyes."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait(10)
            self._close()

    def stop(self, timeout_s: float = 10.0) -> str:
        """SIGTERM, then what it printed after its ready line."""
        said = ""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout_s)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
            if self.proc.stdout is not None:
                said = self.proc.stdout.read()
            self._close()
        return said

    def _close(self) -> None:
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        self.proc = None


class GatewayProcess(ServiceProcess):
    """``cockpit-gateway`` in its own process, on a free port.

    Args:
        nats_urls: Every NATS node (the gateway fails over between them).
        extra: More command-line options.
        log: File for its log.
    """

    def __init__(self, nats_urls: list[str], *extra: str, log: Path | None = None) -> None:
        self.port = free_port()
        args = ["-m", "cockpit.backend.gateway.main", "--nats", ",".join(nats_urls), "--port", str(self.port)]
        super().__init__([*args, *extra], "serving", log)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


class PublisherProcess(ServiceProcess):
    """The city's publisher (:mod:`cockpit.backend.loadgen.publisher`) in its own process."""

    def __init__(
        self,
        nats_urls: list[str],
        rate: float,
        districts: int,
        streets: int,
        replicas: int,
        log: Path | None = None,
    ) -> None:
        args = [
            "-m",
            "cockpit.backend.loadgen.publisher",
            "--nats",
            ",".join(nats_urls),
            "--rate",
            str(rate),
            "--districts",
            str(districts),
            "--streets",
            str(streets),
            "--replicas",
            str(replicas),
        ]
        super().__init__(args, "publishing", log)
