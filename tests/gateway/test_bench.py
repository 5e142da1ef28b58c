"""Smoke-run the gateway benchmark: it must run and report every metric, not be fast."""

from __future__ import annotations

import pytest

from bench import gateway


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
