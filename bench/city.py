"""City: every centre of a city on the NATS JetStream gateways, with faults (issue 22).

One run of :func:`cockpit.backend.loadgen.scenario.run_scenario` with the city's defaults: a three-node
JetStream cluster (R3 streams), the city's publisher at 4,900 msg/s, three gateway processes (first
10 s with no walls: what following the streams costs a gateway by itself), 1,073 walls (1 city, 41 district and 1,031
street centres, each with its scope) in four processes; then a gateway killed, the NATS node leading
the sensors stream killed and started again, and the publisher killed and started again. Everything
on loopback on this machine.

Metrics (all from the same run):

- ``latency_p50_ms`` / ``latency_p99_ms``: publish → wall delivery in the steady phase;
- ``lost`` / ``duplicated``: over the whole run, every wall against what JetStream holds;
- ``gateway_cpu_pct_per_1000_clients``: a gateway's CPU (% of one core) per 1,000 walls;
  ``gateway_ingest_cpu_pct``: a gateway with no walls yet (following the streams alone), and
  ``gateway_fanout_cpu_pct_per_1000_clients`` the rest per 1,000 walls;
- ``gateway_all_live_again_s``: from the kill until the last of its walls is live on another gateway;
- ``nats_node_all_walls_fed_s`` / ``publisher_all_walls_fed_s``: from the kill (restart) until every
  wall has received a message published after it;
- and the rest (per-gateway CPU and walls, NATS, publisher and wall CPU, load average).

``COCKPIT_BENCH_CITY_ROOT=DIR`` keeps the NATS stores and every process's log there.
"""

from __future__ import annotations

import os
from pathlib import Path

from cockpit.backend.loadgen.scenario import ScenarioConfig, run_scenario


def config(quick: bool = False) -> ScenarioConfig:
    root = os.environ.get("COCKPIT_BENCH_CITY_ROOT")
    return ScenarioConfig(
        steady_s=15.0 if quick else 60.0,
        fault_gap_s=10.0 if quick else 20.0,
        root=Path(root) if root else None,
    )


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    result = run_scenario(config(quick), say=lambda line: print(line, flush=True))
    for note in result.notes:
        print(f"city: {note}", flush=True)
    return {"city": result.metrics}


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=2))
