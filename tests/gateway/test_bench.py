"""Smoke-run the gateway benchmark: it must run and report every metric, not be fast."""

from __future__ import annotations

import pytest

from bench import city, gateway
from bench.main import SUITES


@pytest.mark.slow
def test_gateway_bench_reports_every_metric() -> None:
    result = gateway.run(quick=True)["gateway"]
    assert set(result) == {
        "nats_consume_msgs_per_s",
        "publish_msgs_per_s",
        "fanout_msgs_per_s",
        "fanout_clients",
        "resume_ms",
        "resume_jetstream_ms",
        "disk_bytes_per_msg",
    }
    assert all(v > 0 for v in result.values())


def test_city_bench_is_the_whole_city_with_every_fault() -> None:
    """The run itself is the slow test_city.py at a reduced size; here: the bench runs the real one."""
    assert SUITES["city"] is city.run
    config = city.config(quick=True)
    assert (config.districts, config.streets, config.rate) == (41, 1031, 4900.0)
    assert config.nats_nodes == 3 and config.gateways >= 2 and len(config.faults) == 3
