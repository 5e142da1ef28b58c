"""The opt-in metrics endpoint, in the Prometheus text format (``cockpit --metrics [HOST:]PORT``).

Off unless asked for; bound to 127.0.0.1 unless a host is given (a centre's IT scrapes it through
its own agent, or opens it on purpose). Served by ``prometheus_client`` (the Prometheus project's own
client library) on its thread: a scrape reads the newest :class:`~cockpit.service.health.HealthSample`
the GUI thread published and never touches the GUI thread, so a hung wall still answers, with a
``cockpit_health_sample_age_seconds`` that grows.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable, Iterator
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_wsgi_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from cockpit.service import ServiceError
from cockpit.service.health import HealthSample

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
LINK_STATES = ("connecting", "resyncing", "live", "stale", "offline")


def parse_address(text: str) -> tuple[str, int]:
    """``PORT``, ``HOST:PORT`` or ``[V6]:PORT`` → (host, port); the host defaults to 127.0.0.1.

    Raises:
        ServiceError: not an address and port.
    """
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = DEFAULT_HOST, text
    host = host.strip("[]") or DEFAULT_HOST
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ServiceError(f"--metrics {text!r}: expected PORT or HOST:PORT (port 0-65535)")
    if host != "localhost":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise ServiceError(f"--metrics {text!r}: {host!r} is not an IP address") from None
    return host, int(port)


class HealthCollector(Collector):
    """Turns the newest health sample into metric families at each scrape."""

    def __init__(
        self, latest: Callable[[], HealthSample | None], clock: Callable[[], float] = time.time
    ) -> None:
        self.latest = latest
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        s = self.latest()
        if s is None:
            return
        now = self.clock()
        yield _gauge(
            "cockpit_health_sample_age_seconds",
            "Seconds since the GUI thread last published its health (grows while it is hung).",
            now - s.time,
        )
        state = GaugeMetricFamily(
            "cockpit_link_state", "The link to the backend: 1 for the current state.", labels=["state"]
        )
        for name in LINK_STATES:
            state.add_metric([name], 1.0 if s.link == name else 0.0)
        yield state
        yield _gauge("cockpit_link_up", "1 while the link is live.", 1.0 if s.link == "live" else 0.0)
        if s.offline_since is not None:
            yield _gauge(
                "cockpit_offline_since_timestamp_seconds",
                "When the link last stopped being live.",
                s.offline_since,
            )
            yield _gauge(
                "cockpit_offline_seconds", "How long the link has not been live.", now - s.offline_since
            )
        if s.data_age_s is not None:
            yield _gauge(
                "cockpit_data_age_seconds", "Age of the newest sensor value on the wall.", s.data_age_s
            )
        if s.first_live_frame_s is not None:
            yield _gauge(
                "cockpit_first_live_frame_seconds",
                "Seconds from the process start to the first live frame.",
                s.first_live_frame_s,
            )
        frames = CounterMetricFamily("cockpit_frames", "Frames the wall has painted.")
        frames.add_metric([], float(s.frames))
        yield frames
        if s.frame_p99_ms is not None and s.frame_p50_ms is not None and s.frame_max_ms is not None:
            interval = GaugeMetricFamily(
                "cockpit_frame_interval_seconds",
                "Interval between frames over the last minute.",
                labels=["quantile"],
            )
            interval.add_metric(["0.5"], s.frame_p50_ms / 1000)
            interval.add_metric(["0.99"], s.frame_p99_ms / 1000)
            interval.add_metric(["1"], s.frame_max_ms / 1000)
            yield interval
        yield _counter("cockpit_reconnects", "Reconnections to the backend since the start.", s.reconnects)
        yield _gauge(
            "cockpit_outbox_commands", "Commands in the outbox, not yet answered.", s.outbox_commands
        )
        yield _gauge(
            "cockpit_outbox_audit_records",
            "Audit records not yet acknowledged by the backend.",
            s.outbox_audits,
        )
        yield _gauge(
            "cockpit_outbox_commands_limit",
            "Most commands the outbox holds (docs/operations.md).",
            s.outbox_command_limit,
        )
        yield _gauge(
            "cockpit_outbox_audit_records_limit", "Most audit records the outbox holds.", s.outbox_audit_limit
        )
        yield _gauge("cockpit_recording_up", "1 while recording.", 1.0 if s.recording else 0.0)
        yield _gauge(
            "cockpit_recording_disk_bytes",
            "Bytes of recordings in the recording folder.",
            s.recording_disk_bytes,
        )
        yield _counter(
            "cockpit_watchdog_restarts",
            "Runs of this wall ended by its watchdog (a hung GUI thread).",
            s.watchdog_restarts,
        )
        yield _counter(
            "cockpit_unclean_exits",
            "Runs of this wall that ended without stopping in order.",
            s.unclean_exits,
        )
        yield _counter("cockpit_starts", "Starts of this wall (on this data folder).", s.starts)
        yield _gauge("cockpit_start_time_seconds", "When this run started.", s.started)


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=float(value))


def _counter(name: str, doc: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, value=float(value))


class MetricsServer:
    """Serves ``/metrics`` on its own thread until :meth:`close`.

    Raises:
        ServiceError: the address cannot be bound.
    """

    def __init__(self, host: str, port: int, latest: Callable[[], HealthSample | None]) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(HealthCollector(latest))
        ProcessCollector(registry=self.registry)  # memory, CPU and open files, on Linux
        try:
            server, self._thread = start_wsgi_server(port, addr=host, registry=self.registry)
        except OSError as exc:
            raise ServiceError(f"metrics endpoint {host}:{port}: {exc.strerror or exc}") from exc
        self._server: WSGIServer = server
        self.host = host
        self.port = int(server.server_port)
        log.info("metrics at http://%s:%d/metrics", host if ":" not in host else f"[{host}]", self.port)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
