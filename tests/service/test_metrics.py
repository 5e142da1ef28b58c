"""The metrics endpoint: a real HTTP scrape of the Prometheus text format, bound to 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from cockpit.service import ServiceError
from cockpit.service.health import HealthSample
from cockpit.service.metrics import MetricsServer, parse_address


def test_addresses() -> None:
    assert parse_address("9464") == ("127.0.0.1", 9464)
    assert parse_address("0.0.0.0:9464") == ("0.0.0.0", 9464)
    assert parse_address("[::1]:9464") == ("::1", 9464)
    assert parse_address(":9464") == ("127.0.0.1", 9464)
    for bad in ("x", "host.example:9464", "1.2.3.4:99999", "1.2.3.4:"):
        with pytest.raises(ServiceError):
            parse_address(bad)


def test_scrape_reports_the_wall_health() -> None:
    now = time.time()
    s = HealthSample(
        time=now - 2, pid=1, started=now - 100, link="offline", offline_since=now - 60, data_age_s=61.5,
        frames=600, frame_p50_ms=16.6, frame_p99_ms=21.0, frame_max_ms=40.0, reconnects=7, outbox_commands=3,
        outbox_audits=2, outbox_command_limit=1000, outbox_audit_limit=50000, recording=True,
        recording_disk_bytes=123456, watchdog_restarts=1, unclean_exits=2, starts=4,
    )  # fmt: skip
    server = MetricsServer("127.0.0.1", 0, lambda: s)
    try:
        assert server.port > 0
        text = urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=5).read().decode()
    finally:
        server.close()
    values = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert values[("cockpit_link_up", ())] == 0
    assert values[("cockpit_link_state", (("state", "offline"),))] == 1
    assert values[("cockpit_link_state", (("state", "live"),))] == 0
    assert values[("cockpit_offline_seconds", ())] == pytest.approx(60, abs=5)
    assert values[("cockpit_data_age_seconds", ())] == 61.5
    assert values[("cockpit_frame_interval_seconds", (("quantile", "0.99"),))] == pytest.approx(0.021)
    assert values[("cockpit_reconnects_total", ())] == 7
    assert values[("cockpit_outbox_commands", ())] == 3
    assert values[("cockpit_outbox_commands_limit", ())] == 1000
    assert values[("cockpit_recording_disk_bytes", ())] == 123456
    assert values[("cockpit_watchdog_restarts_total", ())] == 1
    assert values[("cockpit_unclean_exits_total", ())] == 2
    assert values[("cockpit_health_sample_age_seconds", ())] == pytest.approx(2, abs=2)
    assert ("process_resident_memory_bytes", ()) in values


def test_a_port_in_use_is_a_clear_error() -> None:
    first = MetricsServer("127.0.0.1", 0, lambda: None)
    try:
        with pytest.raises(ServiceError, match=f"127.0.0.1:{first.port}"):
            MetricsServer("127.0.0.1", first.port, lambda: None)
    finally:
        first.close()


def test_a_wall_whose_metrics_port_is_taken_runs_on_and_says_so(tmp_path: Path) -> None:
    """A wall must never fail to show because of its metrics (exit 2 would stop systemd restarting it)."""
    taken = MetricsServer("127.0.0.1", 0, lambda: None)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "cockpit.app.main", "--demo", "--screens", "1", "--windowed", "--quit-after", "4",
             "--no-record", "--data-dir", str(tmp_path), "--metrics", str(taken.port)],
            capture_output=True, text=True, timeout=120, env=env, check=False,
        )  # fmt: skip
    finally:
        taken.close()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"metrics endpoint 127.0.0.1:{taken.port}" in proc.stderr
    assert "cockpit: first live frame at" in proc.stdout
