"""What the fault suite shares: an exactly-once sink, a backend on its own thread, settling."""

from __future__ import annotations

import array
import asyncio
import faulthandler
import fcntl
import termios
import threading
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import websockets

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.protocol.events import DataReceived, SnapshotReceived

IDENTITY = Identity("fault-suite", "officer-9", "operator", token="f4ult")
T = TypeVar("T")


@dataclass
class SeqSink:
    """Wraps a feed's sink and records, per stream, every seq handed to it (since its last snapshot).

    Counting here, at the FeedClient sink, is counting what the model is given: a seq seen twice
    was applied twice, a seq missing was lost.
    """

    inner: Callable[[list[FeedEvent]], None] | None = None
    seqs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    snapshots: list[SnapshotReceived] = field(default_factory=list)

    def __call__(self, events: list[FeedEvent]) -> None:
        for ev in events:
            if isinstance(ev, DataReceived):
                for m in ev.messages:
                    self.seqs[m.stream].append(m.seq)
            elif isinstance(ev, SnapshotReceived):
                self.snapshots.append(ev)
                self.seqs[ev.stream] = [ev.seq]
        if self.inner is not None:
            self.inner(events)

    def assert_exactly_once(self, backend: DemoBackend) -> int:
        """Every seq of every stream since the snapshot arrived once, in order. Returns how many."""
        total = 0
        for stream, stream_log in backend.hub.logs.items():
            seen = self.seqs[stream]
            assert seen, f"{stream}: nothing received"
            expected = list(range(seen[0], stream_log.seq + 1))
            if seen != expected:
                dup = len(seen) - len(set(seen))
                lost = sorted(set(expected) - set(seen))[:10]
                raise AssertionError(f"{stream}: {dup} duplicated, lost {lost}... ({len(seen)} seen)")
            total += len(seen) - 1
        return total


def make_city(seed: int = 5) -> City:
    return City(Hub(), seed=seed, rate=600, event_rate=240, sensors_per_kind=4)


def make_backend(city: City, heartbeat_ms: int = 300) -> DemoBackend:
    return DemoBackend(city, heartbeat_ms=heartbeat_ms, speed=4)


def caught_up(feed: FeedClient, backend: DemoBackend) -> bool:
    return feed.state is ConnectionState.LIVE and all(
        feed.cursors.get(s).seq == backend.hub.logs[s].seq and feed.cursors.get(s).epoch == backend.epoch
        for s in backend.hub.logs
    )


class LoopThread:
    """An asyncio loop on its own thread, for a backend (and proxy) that must not share the GUI
    thread's loop, as the embedded demo backend does not (cockpit/app/embedded.py)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fault-backend", daemon=True)
        self._thread.start()

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the thread's loop and await its result from another loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()


async def _backend_side(url: str, backend: DemoBackend | None) -> str:
    """On the backend's loop: does a plain asyncio client handshake, and does the loop watch its
    listening socket (in its selector, and in the kernel's epoll set)?"""
    try:
        async with websockets.connect(url, open_timeout=3, proxy=None, compression=None):
            probe = "a plain asyncio client's handshake succeeds"
    except Exception as exc:
        probe = f"a plain asyncio client fails too: {exc!r}"
    server = backend._server if backend is not None else None
    if server is None:
        return probe
    selector: Any = getattr(asyncio.get_running_loop(), "_selector", None)
    listening = [sock.fileno() for sock in server.sockets]
    watched = [fd for fd in listening if selector is not None and fd in selector.get_map()]
    in_kernel: object = "?"
    if selector is not None and hasattr(selector, "_selector"):
        try:
            with open(f"/proc/self/fdinfo/{selector._selector.fileno()}") as info:
                tfds = {int(line.split()[1]) for line in info if line.startswith("tfd:")}
            in_kernel = [fd for fd in listening if fd in tfds]
        except OSError as exc:
            in_kernel = repr(exc)
    return f"{probe}; backend listening on fds {listening}, in its selector {watched}, in epoll {in_kernel}"


async def where_stuck(lt: LoopThread, url: str, backend: DemoBackend | None = None) -> str:
    """Tell a stuck client loop from a stuck backend, for a failure message.

    A backend loop that does not answer at all is reported as such (with every thread's stack on
    stderr) instead of hanging the test in the diagnosis.
    """
    try:
        return await asyncio.wait_for(lt.run(_backend_side(url, backend)), 10)
    except TimeoutError:
        faulthandler.dump_traceback(all_threads=True)
        return "the backend's loop does not answer within 10 s: its thread is blocked (stacks on stderr)"


def qasync_sockets() -> str:
    """On a qasync loop: every fd it watches, whether Qt's notifier for it is enabled, and how many
    bytes wait unread in it. An enabled read notifier over unread bytes through a whole handshake
    timeout means the loop is not woken for that socket (a client-side hang, not the backend's)."""
    loop: Any = asyncio.get_running_loop()
    watched: list[str] = []
    for kind in ("read", "write"):
        for fd, notifier in (getattr(loop, f"_{kind}_notifiers", None) or {}).items():
            unread = array.array("i", [0])
            try:
                fcntl.ioctl(fd, termios.FIONREAD, unread)
                waiting = f"{unread[0]} bytes unread"
            except OSError as exc:
                waiting = exc.strerror or repr(exc)
            state = "enabled" if notifier.isEnabled() else "disabled"
            watched.append(f"{kind} fd {fd} {state}, {waiting}")
    return "qasync watches " + ("; ".join(watched) if watched else "nothing")
