"""One city-scale run: a NATS cluster, the city's publisher, gateways, every centre's wall, faults.

:func:`run_scenario` (``cockpit-loadgen run``, ``cockpit-bench city`` and the slow test):

1. a NATS JetStream cluster on loopback (three nodes; streams R3);
2. the city's publisher at the city's rate (4,900 msg/s);
3. ``gateways`` gateway processes, and one more that no wall uses (what following the streams costs
   a gateway by itself);
4. the walls, one per centre, spread over worker processes; centre ``i`` connects first to gateway
   ``i mod G`` and fails over to the others in an order that spreads one gateway's walls evenly over
   the rest (as a site would hand out its URL lists);
5. a steady phase: latency, CPU per gateway;
6. the faults, each watched for ``fault_gap_s``: a gateway killed (SIGKILL; its walls fail over and
   resume), the NATS node that leads the sensors stream killed (and started again), the publisher
   killed and started again;
7. the publisher stopped, every wall caught up with the streams' heads, and every centre checked
   against what JetStream holds (:mod:`cockpit.backend.loadgen.published`).

Every wait has a deadline; a part that fails ends the run with a :class:`~cockpit.backend.loadgen.LoadgenError`
saying which, and everything started is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import multiprocessing as mp
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import nats
import numpy as np

from cockpit.backend.gateway.jetstream import ensure_layout
from cockpit.backend.gateway.layout import DATA_STREAMS, Retention
from cockpit.backend.gateway.publisher import RETRYABLE
from cockpit.backend.loadgen import LoadgenError
from cockpit.backend.loadgen.city import SyntheticCity
from cockpit.backend.loadgen.cluster import GatewayProcess, NatsCluster, PublisherProcess, proc_cpu_seconds
from cockpit.backend.loadgen.published import check, last_selected, plan_check, read_back
from cockpit.backend.loadgen.walls import WallSpec, now_ms, worker_main


class Fault(enum.StrEnum):
    GATEWAY = "gateway"
    NATS_NODE = "nats_node"
    PUBLISHER = "publisher"


@dataclass(slots=True)
class ScenarioConfig:
    """What to run (defaults: the whole city at its average rate)."""

    districts: int = 41
    streets: int = 1031
    rate: float = 4900.0
    gateways: int = 3
    nats_nodes: int = 3
    workers: int = 4
    ramp_per_s: float = 25.0
    """New walls a second per worker."""
    steady_s: float = 30.0
    fault_gap_s: float = 15.0
    faults: tuple[Fault, ...] = (Fault.GATEWAY, Fault.NATS_NODE, Fault.PUBLISHER)
    ingest_s: float = 10.0
    """Seconds the gateways run with no walls before the walls open: what following the streams
    costs a gateway by itself (every gateway pays it, whatever its walls)."""
    stuck_walls: int = 2
    """Walls that stop reading once subscribed, on gateways other than the one killed; they stay
    for the whole run and must stall nothing (not counted among the walls)."""
    heartbeat_ms: int = 1000
    gateway_args: tuple[str, ...] = ()
    start_timeout_s: float = 180.0
    settle_timeout_s: float = 240.0
    root: Path | None = None
    """Where the nodes' stores and the logs go (else a temporary folder, removed afterwards)."""


@dataclass(slots=True)
class CityResult:
    """The figures of a run, by name (see :func:`run_scenario`), and details for a reader."""

    metrics: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def url_order(i: int, urls: list[str]) -> list[str]:
    """Centre ``i``'s gateway list: first ``i mod G``; the others rotated so that the walls of one
    gateway fail over evenly to all the rest."""
    g = len(urls)
    first = i % g
    rest = [urls[(first + 1 + k) % g] for k in range(g - 1)]
    if rest:
        r = (i // g) % len(rest)
        rest = rest[r:] + rest[:r]
    return [urls[first], *rest]


class _Workers:
    """The wall worker processes and their pipes."""

    def __init__(self, city: SyntheticCity, config: ScenarioConfig, urls: list[str]) -> None:
        ctx = mp.get_context("spawn")
        self.procs: list[BaseProcess] = []
        self.pipes: list[Connection] = []
        n = max(1, config.workers)
        for w in range(n):
            specs = [WallSpec(c.index, url_order(c.index, urls)) for c in city.centres[w::n]]
            stuck = (
                [urls[1 + k % (len(urls) - 1)] for k in range(config.stuck_walls)]
                if w == 0 and len(urls) > 1
                else []
            )
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(
                target=worker_main,
                args=(theirs, (config.districts, config.streets), specs, config.ramp_per_s, stuck),
                name=f"walls-{w}",
                daemon=True,
            )
            proc.start()
            theirs.close()
            self.procs.append(proc)
            self.pipes.append(mine)

    def ask(self, *request: Any, timeout_s: float = 120.0) -> list[Any]:
        for pipe in self.pipes:
            pipe.send(request)
        answers = []
        for pipe, proc in zip(self.pipes, self.procs, strict=True):
            if not pipe.poll(timeout_s):
                raise LoadgenError(
                    f"wall worker {proc.name} did not answer {request[0]!r} in {timeout_s:g} s"
                )
            answers.append(pipe.recv())
        return answers

    def status(self) -> dict[str, Any]:
        total: dict[str, Any] = {"walls": 0, "live": 0, "per_url": {}, "refused": [], "stuck_open": 0}
        for s in self.ask("status"):
            total["walls"] += s["walls"]
            total["live"] += s["live"]
            total["stuck_open"] += s["stuck_open"]
            total["refused"] += s["refused"]
            for url, n in s["per_url"].items():
                total["per_url"][url] = total["per_url"].get(url, 0) + n
        return total

    def cpu_seconds(self) -> float:
        return sum(proc_cpu_seconds(p.pid or 0) for p in self.procs)

    def stop(self) -> None:
        with contextlib.suppress(LoadgenError, OSError, EOFError):
            self.ask("stop", timeout_s=20.0)
        for proc in self.procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        for pipe in self.pipes:
            pipe.close()


@contextlib.contextmanager
def _folder(root: Path | None) -> Iterator[Path]:
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
        yield root
    else:
        with tempfile.TemporaryDirectory(prefix="cockpit-city-") as tmp:
            yield Path(tmp)


def _wait(what: str, done: Callable[[], bool], timeout_s: float, every_s: float = 0.25) -> float:
    """Poll ``done`` until true; the seconds it took. Raises LoadgenError at the deadline."""
    t0 = time.monotonic()
    while not done():
        if time.monotonic() - t0 > timeout_s:
            raise LoadgenError(f"{what}: not after {timeout_s:g} s")
        time.sleep(every_s)
    return time.monotonic() - t0


async def _sensors_leader(urls: list[str]) -> str:
    nc = await nats.connect(servers=urls)
    try:
        info = await nc.jetstream().stream_info(DATA_STREAMS["sensors"])
        return (info.cluster.leader if info.cluster else "") or ""
    finally:
        await nc.close()


async def _create_layout(urls: list[str], replicas: int, timeout_s: float) -> None:
    """Create the streams (replicated) before anyone uses them; a fresh cluster may need a moment."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            nc = await nats.connect(servers=urls)
            try:
                await ensure_layout(nc.jetstream(timeout=10.0), Retention(replicas=replicas))
                return
            finally:
                await nc.close()
        except RETRYABLE as exc:
            if time.monotonic() > deadline:
                raise LoadgenError(f"cannot create the streams on {urls}: {exc!r}") from exc
            await asyncio.sleep(0.5)


def _start(service: GatewayProcess | PublisherProcess, timeout_s: float, attempts: int = 3) -> None:
    """Start ``service``; again if it gave up (a gateway exits when NATS does not answer at start,
    as a loaded cluster may not, and its service manager starts it again)."""
    for attempt in range(attempts):
        try:
            service.start(timeout_s)
            return
        except LoadgenError:
            if attempt == attempts - 1:
                raise
            time.sleep(1.0)


def _percentiles(values: np.ndarray) -> tuple[float, float, float]:
    if not len(values):
        return float("nan"), float("nan"), float("nan")
    p50, p99 = np.percentile(values, [50, 99])
    return float(p50), float(p99), float(values.max())


def run_scenario(
    config: ScenarioConfig, say: Callable[[str], None] = print, cluster: NatsCluster | None = None
) -> CityResult:
    """Run the whole scenario; the figures (see the module docstring).

    Args:
        config: What to run.
        say: Called with a line of progress now and then.
        cluster: A running NATS cluster to use (the tests' fixture); else one is started and stopped.
    """
    city = SyntheticCity(config.districts, config.streets)
    result = CityResult()
    m = result.metrics
    own_cluster = cluster is None
    nodes = config.nats_nodes if cluster is None else len(cluster.nodes)
    replicas = min(3, nodes)
    with _folder(config.root) as root:
        if cluster is None:
            cluster = NatsCluster(root / "nats", config.nats_nodes)
        gateways: list[GatewayProcess] = []
        publisher: PublisherProcess | None = None
        workers: _Workers | None = None
        try:
            m["load_avg_start"] = os.getloadavg()[0]
            say(f"city: {len(city.centres)} centres, {len(city.areas)} areas on {nodes} NATS nodes")
            if own_cluster:
                cluster.start(config.start_timeout_s)
            asyncio.run(_create_layout(cluster.urls, replicas, config.start_timeout_s))
            publisher = PublisherProcess(
                cluster.urls, config.rate, config.districts, config.streets, replicas, root / "publisher.log"
            )
            _start(publisher, config.start_timeout_s)
            gw_args = [
                "--replicas",
                str(replicas),
                "--heartbeat-ms",
                str(config.heartbeat_ms),
                *config.gateway_args,
            ]
            for g in range(config.gateways):
                gw = GatewayProcess(cluster.urls, *gw_args, log=root / f"gateway-{g}.log")
                _start(gw, config.start_timeout_s)
                gateways.append(gw)
            if config.ingest_s > 0:
                say(
                    f"city: {config.gateways} gateways following the streams with no walls for {config.ingest_s:g} s"
                )
                time.sleep(min(2.0, config.ingest_s))  # past their start-up
                c0, w0 = [g.cpu_seconds() for g in gateways], time.monotonic()
                time.sleep(config.ingest_s)
                c1, w1 = [g.cpu_seconds() for g in gateways], time.monotonic()
                m["gateway_ingest_cpu_pct"] = 100 * float(
                    np.mean([(b - a) / (w1 - w0) for a, b in zip(c0, c1, strict=True)])
                )
            say(
                f"city: {config.gateways} gateways up; opening {len(city.centres)} walls in {config.workers} workers"
            )
            t_open = time.monotonic()
            workers = _Workers(city, config, [g.url for g in gateways])
            total = len(city.centres)
            _wait(
                f"all {total} walls live",
                lambda: workers.status()["live"] == total if workers else False,
                config.start_timeout_s + total / max(1.0, config.ramp_per_s * config.workers),
                every_s=1.0,
            )
            m["walls_all_live_s"] = time.monotonic() - t_open
            say(
                f"city: all {total} walls live after {m['walls_all_live_s']:.1f} s; steady for {config.steady_s:g} s"
            )

            # ------------------------------------------------------------------ steady
            status = workers.status()
            t0, cpu0 = now_ms(), [g.cpu_seconds() for g in gateways]
            others0 = (
                sum(proc_cpu_seconds(n.proc.pid) for n in cluster.nodes if n.proc),
                publisher.cpu_seconds(),
                workers.cpu_seconds(),
            )
            time.sleep(config.steady_s)
            t1, cpu1 = now_ms(), [g.cpu_seconds() for g in gateways]
            span = (t1 - t0) / 1000
            ingest = m.get("gateway_ingest_cpu_pct", float("nan")) / 100
            others1 = (
                sum(proc_cpu_seconds(n.proc.pid) for n in cluster.nodes if n.proc),
                publisher.cpu_seconds(),
                workers.cpu_seconds(),
            )
            per_gw = []
            for g, gw in enumerate(gateways):
                clients = status["per_url"].get(gw.url, 0)
                frac = (cpu1[g] - cpu0[g]) / span
                m[f"gateway{g}_clients"] = clients
                m[f"gateway{g}_cpu_pct"] = 100 * frac
                if clients:
                    per_gw.append((frac, clients))
            m["gateway_cpu_pct_per_1000_clients"] = 100 * float(
                np.mean([f / (c / 1000) for f, c in per_gw]) if per_gw else np.nan
            )
            m["gateway_fanout_cpu_pct_per_1000_clients"] = 100 * float(
                np.mean([(f - ingest) / (c / 1000) for f, c in per_gw]) if per_gw else np.nan
            )
            m["nats_cpu_pct"] = 100 * (others1[0] - others0[0]) / span
            m["publisher_cpu_pct"] = 100 * (others1[1] - others0[1]) / span
            m["walls_cpu_pct"] = 100 * (others1[2] - others0[2]) / span

            # ------------------------------------------------------------------ faults
            marks: dict[Fault, int] = {}
            for fault in config.faults:
                if fault is Fault.GATEWAY:
                    say("city: killing gateway 0 (SIGKILL)")
                    marks[fault] = now_ms()
                    gateways[0].kill()
                    _wait(
                        "every wall live again after the gateway was killed",
                        lambda: workers.status()["live"] == total if workers else False,
                        config.settle_timeout_s,
                        every_s=0.5,
                    )
                elif fault is Fault.NATS_NODE:
                    leader = asyncio.run(_sensors_leader(cluster.urls)) if nodes > 1 else "n1"
                    index = next((i for i, n in enumerate(cluster.nodes) if n.name == leader), 0)
                    say(f"city: killing NATS node {cluster.nodes[index].name} (leads the sensors stream)")
                    marks[fault] = now_ms()
                    cluster.kill(index)
                    time.sleep(config.fault_gap_s)
                    say(f"city: starting NATS node {cluster.nodes[index].name} again")
                    cluster.restart(index, config.start_timeout_s)
                    continue
                elif fault is Fault.PUBLISHER:
                    say("city: killing the publisher (SIGKILL) and starting it again")
                    marks[fault] = now_ms()
                    publisher.kill()
                    publisher = PublisherProcess(
                        cluster.urls,
                        config.rate,
                        config.districts,
                        config.streets,
                        replicas,
                        root / "publisher.log",
                    )
                    _start(publisher, config.start_timeout_s)
                time.sleep(config.fault_gap_s)

            # ------------------------------------------------------------------ settle and check
            m["stuck_walls"] = config.stuck_walls
            m["stuck_walls_held"] = workers.status()["stuck_open"]
            said = publisher.stop()
            result.notes.append(said.strip())
            published = asyncio.run(read_back(cluster.urls, city))
            heads = published.heads
            targets = last_selected(city, published)
            say(f"city: publisher stopped at {heads}; waiting for every wall to catch up")
            try:
                _wait(
                    "every wall holding the last message it subscribes to",
                    lambda: sum(workers.ask("caught_up", targets)) == total if workers else False,
                    config.settle_timeout_s,
                    every_s=1.0,
                )
            except LoadgenError as exc:
                behind = [w for answer in workers.ask("laggards", targets) for w in answer]
                raise LoadgenError(f"{exc}; heads {heads}; e.g. {behind[:5]}") from exc
            reports = workers.ask("report", timeout_s=300.0)
            _score(result, city, published, reports, (t0, t1), marks, config)
            sensors = published.streams.get("sensors")
            store = cluster.nodes[0].store / "jetstream" / "$G" / "streams" / DATA_STREAMS["sensors"]
            if sensors is not None and len(sensors.seq) and store.exists():
                stored = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
                m["disk_bytes_per_msg"] = stored / len(sensors.seq)  # one replica's file store
            plan_total, plan_missing, plan_repeated = plan_check(published)
            m["plan_messages"] = plan_total
            m["publisher_missing"] = plan_missing
            m["publisher_repeated"] = plan_repeated
            m["load_avg_end"] = os.getloadavg()[0]
        finally:
            if workers is not None:
                workers.stop()
            for gw in gateways:
                gw.stop()
            if publisher is not None:
                publisher.stop()
            if own_cluster:
                cluster.stop()
    return result


def _score(
    result: CityResult,
    city: SyntheticCity,
    published: Any,
    reports: list[dict[str, Any]],
    steady: tuple[int, int],
    marks: dict[Fault, int],
    config: ScenarioConfig,
) -> None:
    m = result.metrics
    lost = duplicated = expected = gaps = resnapshots = dups_session = 0
    outages: list[tuple[int, int, int]] = []
    for report in reports:
        for w in report["walls"]:
            centre = city.centres[w["centre"]]
            verdict = check(centre, city, published, w["first_snapshot"], w["seqs"])
            lost += verdict.lost
            duplicated += verdict.duplicated
            expected += verdict.expected
            gaps += w["gaps"]
            resnapshots += w["resnapshots"]
            dups_session += w["duplicates"]
            if verdict.lost and len(result.notes) < 10:
                result.notes.append(f"{centre.code} lost {verdict.lost}, e.g. {verdict.lost_examples}")
            outages.extend((centre.index, down, up) for down, up in w["outages"])
    m["walls"] = sum(len(r["walls"]) for r in reports)
    m["expected_deliveries"] = expected
    m["lost"] = lost
    m["duplicated"] = duplicated + dups_session
    m["gaps"] = gaps
    m["later_snapshots"] = resnapshots

    centre = np.concatenate([r["lat_centre"] for r in reports])
    recv = np.concatenate([r["lat_recv"] for r in reports])
    lat = np.concatenate([r["lat_ms"] for r in reports]).astype(np.int64)
    t0, t1 = steady
    window = (recv >= t0) & (recv < t1)
    span = (t1 - t0) / 1000
    m["deliveries_per_s"] = float(window.sum()) / span
    m["publish_rate"] = float((window & (centre == 0)).sum()) / span  # the city centre gets everything
    p50, p99, worst = _percentiles(lat[window])
    m["latency_p50_ms"], m["latency_p99_ms"], m["latency_max_ms"] = p50, p99, worst
    pub = recv - lat
    for fault, at in marks.items():
        name = fault.value
        after = recv >= at
        span_s = config.fault_gap_s
        during = after & (recv < at + int(span_s * 1000))
        _, fp99, fmax = _percentiles(lat[during])
        m[f"{name}_latency_p99_ms"], m[f"{name}_latency_max_ms"] = fp99, fmax
        # When did every wall again receive a message published after the fault?
        fresh = pub >= at
        first = np.full(len(city.centres), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, centre[fresh], recv[fresh])
        m[f"{name}_all_walls_fed_s"] = float(first.max() - at) / 1000 if len(first) else float("nan")
        hit = [(c, down, up) for c, down, up in outages if at - 1000 <= down <= at + span_s * 1000]
        m[f"{name}_walls_down"] = len({c for c, _, _ in hit})
        m[f"{name}_all_live_again_s"] = max((up - at for _, _, up in hit), default=0) / 1000
