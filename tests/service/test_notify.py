"""sd_notify against a real AF_UNIX datagram socket, as systemd listens on one."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.service.notify import Notifier


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """The service manager's end: a datagram socket bound to a path, like $NOTIFY_SOCKET."""
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    yield sock, path
    sock.close()


def received(sock: socket.socket) -> dict[str, str]:
    return dict(line.split("=", 1) for line in sock.recv(4096).decode().splitlines())


def test_ready_status_and_stopping_arrive_as_key_value_lines(manager: tuple[socket.socket, str]) -> None:
    sock, path = manager
    n = Notifier(path)
    assert n.ready("wall up")
    assert received(sock) == {"READY": "1", "STATUS": "wall up"}
    assert n.status("live: ws://x")
    assert received(sock) == {"STATUS": "live: ws://x"}
    assert n.stopping()
    assert received(sock) == {"STOPPING": "1"}
    n.close()


def test_watchdog_pings_at_most_twice_a_period(manager: tuple[socket.socket, str]) -> None:
    sock, path = manager
    n = Notifier(path, watchdog_s=10.0)
    sent = [t for t in (0.0, 0.016, 1.0, 4.9, 5.0, 5.1, 9.99, 10.0, 12.0) if n.watchdog(t)]
    assert sent == [0.0, 5.0, 10.0]  # every frame may ask; one datagram per half period goes
    assert [received(sock) for _ in sent] == [{"WATCHDOG": "1"}] * 3
    n.close()


def test_abstract_socket_names_are_supported() -> None:
    name = f"cockpit-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    n = Notifier("@" + name)
    try:
        assert n.ready()
        assert received(sock) == {"READY": "1"}
    finally:
        n.close()
        sock.close()


def test_from_env_reads_the_watchdog_only_for_this_process(tmp_path: Path) -> None:
    path = str(tmp_path / "n")
    assert Notifier.from_env({}) is None  # not started by systemd
    n = Notifier.from_env({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"})
    other = Notifier.from_env({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"})
    mine = Notifier.from_env({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "500", "WATCHDOG_PID": str(os.getpid())})
    assert n is not None and other is not None and mine is not None
    for each in (n, other, mine):
        each.close()
    assert n.watchdog_s == 30.0
    assert other.watchdog_s is None  # the watchdog is another process's
    assert mine.watchdog_s == 0.0005
    assert Notifier.from_env({"NOTIFY_SOCKET": "relative/path"}) is None  # refused, logged


def test_a_manager_that_went_away_is_reported_not_raised(tmp_path: Path) -> None:
    n = Notifier(str(tmp_path / "nobody-listens"))
    assert not n.ready()
    assert not n.status("x")
    n.close()
    assert n.failures == 2 and n.sent == 0
