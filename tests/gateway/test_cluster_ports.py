"""The test NATS cluster picks free ports, then its nodes bind them: another process may take one
in between (seen once in the fresh-clone suite: n3 'bind: address already in use', and the city
test errored after waiting 60 s). The cluster starts again on other ports instead."""

from __future__ import annotations

import socket
from pathlib import Path

from cockpit.backend.loadgen.cluster import NatsCluster


def test_a_cluster_whose_port_was_taken_starts_again_on_other_ports(tmp_path: Path) -> None:
    cluster = NatsCluster(tmp_path / "cluster", nodes=3)
    taken = cluster.nodes[2].port
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", taken))  # another process took n3's client port after it was chosen
    squatter.listen()
    try:
        cluster.start(timeout_s=60)
        assert all(node.running and node.healthy() for node in cluster.nodes)
        assert taken not in {node.port for node in cluster.nodes}
        assert "address already in use" in (tmp_path / "cluster" / "n3.log").read_text()
    finally:
        cluster.stop()
        squatter.close()
