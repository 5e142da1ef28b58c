"""Issue 22, "Done when": a reduced city (over 200 walls, each its centre's scope) on two gateways and
a three-node JetStream cluster loses one gateway, one NATS node and its publisher mid-stream, while two
more walls stop reading altogether, and no wall loses or repeats a message.

Robust on a loaded two-core machine: every wait has a generous deadline and nothing is timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.backend.loadgen.cluster import NatsCluster
from cockpit.backend.loadgen.scenario import Fault, ScenarioConfig, run_scenario
from tests.conftest import TIME_SCALE


@pytest.mark.slow
@pytest.mark.timeout(int(1200 * TIME_SCALE))
def test_a_city_of_walls_loses_a_gateway_a_nats_node_and_its_publisher_and_nothing_else(
    nats_cluster: NatsCluster, tmp_path: Path
) -> None:
    config = ScenarioConfig(
        districts=8,
        streets=200,  # 209 centres: a city, 8 districts, 200 streets
        rate=800.0,
        gateways=2,
        workers=2,
        steady_s=3.0,
        fault_gap_s=8.0,
        faults=(Fault.GATEWAY, Fault.NATS_NODE, Fault.PUBLISHER),
        ingest_s=0.0,
        start_timeout_s=120.0 * TIME_SCALE,
        settle_timeout_s=300.0 * TIME_SCALE,
        root=tmp_path / "run",
    )
    result = run_scenario(config, say=print, cluster=nats_cluster)
    m = result.metrics
    assert m["walls"] == 209
    assert m["expected_deliveries"] > 10_000, "the walls had a real load"
    assert m["gateway_walls_down"] > 50, "the killed gateway had walls, and they failed over"
    assert m["lost"] == 0, result.notes
    assert m["duplicated"] == 0
    assert m["later_snapshots"] == 0, "every wall resumed; none had to start again from a snapshot"
    assert m["gaps"] == 0
    assert m["publisher_missing"] == 0 and m["publisher_repeated"] == 0, "the restarted publisher"
    assert m["plan_messages"] > 0
    assert m["stuck_walls_held"] == 2, "two walls that never read were connected all along, stalling nothing"
