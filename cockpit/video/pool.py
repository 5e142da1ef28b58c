"""The GUI process's side of decoding: worker processes, one ring per stream, health per stream.

:class:`DecoderPool` opens a stream on the least loaded worker (a main stream costs about six sub
streams, as measured in shared/recipes/rtsp-video), and once per wall frame the caller

1. :meth:`~DecoderPool.poll`\\ s it: worker events (opened, failed with a reason) and the rings'
   frame times go into each stream's :class:`~cockpit.video.health.StreamHealth`; the streams whose
   health changed come back;
2. :meth:`~DecoderPool.take`\\ s the newest frame of each visible tile, if there is a new one: one
   copy out of shared memory into the pool's buffer for that stream. Frames the GUI did not get to
   are overwritten in the ring, never queued.

A tile that is not on a screen is :meth:`~DecoderPool.close`\\ d: its decoder stops and disconnects.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import numpy as np

from cockpit.video import PoolError
from cockpit.video.health import Health, HealthView, Reason, StreamHealth, reason_and_detail
from cockpit.video.ring import FrameMeta, FrameRing
from cockpit.video.urls import (
    SUPPORTED_CODECS,
    CameraSecrets,
    check_url,
    has_userinfo,
    redact,
    strip_userinfo,
    with_credentials,
)

log = logging.getLogger(__name__)

MAIN_COST = 6.0
"""What a main stream (1080p25) costs to decode against a sub stream (360p15): 5.0 + 1.0 ms a frame
against 1.2 + 0.4 ms (shared/recipes/rtsp-video)."""


@dataclass(frozen=True, slots=True)
class Frame:
    """The newest frame of a stream: ``image`` (height × width × 4, BGRA) is valid until the next
    :meth:`DecoderPool.take` of the same key."""

    image: np.ndarray
    meta: FrameMeta


@dataclass(frozen=True, slots=True)
class StreamStats:
    frames: int
    decode_errors: int
    cpu_s: float
    """CPU time its decoder thread spent reading, decoding and converting."""
    skipped: int = 0
    """Packets dropped to catch up after falling behind (:data:`~cockpit.video.health.CATCH_UP_S`)."""


@dataclass(slots=True, eq=False)
class _Stream:
    key: str
    label: str
    box: tuple[int, int]
    cost: float
    generation: int
    health: StreamHealth
    ring: FrameRing | None = None
    worker: int = -1
    buffer: np.ndarray | None = None
    taken: int = 0
    secrets: list[str] = field(default_factory=list)
    fields: dict[str, object] = field(default_factory=dict)
    """What the worker was sent to open it (held to reopen it on a restarted worker)."""


class DecoderPool:
    """Decoder worker processes and the streams they decode.

    Args:
        workers: Worker processes (started when the first stream opens).
        secrets: The site's camera credentials.
        clock: Monotonic seconds; the decoders stamp frames with ``time.monotonic_ns``, so keep the
            default outside tests of the health rules.
    """

    def __init__(
        self,
        workers: int = 2,
        secrets: CameraSecrets | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.workers = max(1, workers)
        self.secrets = secrets or CameraSecrets()
        self._clock = clock
        self._procs: list[BaseProcess | None] = [None] * self.workers
        self._conns: list[Connection | None] = [None] * self.workers
        self._streams: dict[str, _Stream] = {}
        self._generation = 0
        self._closed = False

    # ------------------------------------------------------------------------------ streams

    @property
    def keys(self) -> frozenset[str]:
        """The streams being decoded (or waiting to be reopened)."""
        return frozenset(k for k, s in self._streams.items() if s.ring is not None)

    def open(
        self,
        key: str,
        url: str,
        *,
        box: tuple[int, int],
        credential: str = "",
        codec: str = "h264",
        main: bool = False,
        label: str = "",
    ) -> HealthView:
        """Start decoding ``url`` into frames that fit ``box`` (a tile's size), as stream ``key``.

        A stream already open under ``key`` is closed first. What cannot work is not sent to a
        worker: a bad URL, a codec the wall does not decode, a credential the site's secrets lack;
        the stream is then UNREACHABLE with that reason. Returns the stream's health now.

        Raises:
            PoolError: the pool was shut down.
        """
        if self._closed:
            raise PoolError("the decoder pool is shut down")
        self.close(key)
        self._generation += 1
        now = self._clock()
        health = StreamHealth()
        health.start(now)
        stream = _Stream(key, label or key, box, MAIN_COST if main else 1.0, self._generation, health)
        self._streams[key] = stream
        if has_userinfo(url):
            # §5.7: credentials never travel on the wire; a backend that sends them is wrong.
            log.warning(
                "camera %s: the catalog URL carries credentials; ignored, the site's secrets are used",
                stream.label,
            )
            url = strip_userinfo(url)
        why = check_url(url)
        if why:
            return self._refuse(stream, Reason.BAD_URL, why)
        if codec not in SUPPORTED_CODECS:
            return self._refuse(
                stream,
                Reason.CODEC,
                f"codec {codec} is not supported (this wall decodes {', '.join(SUPPORTED_CODECS)})",
            )
        cred = self.secrets.get(credential)
        if credential and cred is None:
            return self._refuse(
                stream, Reason.NO_CREDENTIAL, f"no credential {credential!r} in the camera secrets"
            )
        stream.secrets = [cred.password] if cred is not None else []
        w, h = max(2, box[0]) & ~1, max(2, box[1]) & ~1
        stream.ring = FrameRing.create(w, h)
        stream.worker = self._least_loaded()
        fields: dict[str, object] = {
            "key": key,
            "url": with_credentials(url, cred),
            "box": (w, h),
            "ring_name": stream.ring.name,
            "secrets": stream.secrets,
        }
        stream.fields = fields
        self._send(stream.worker, ("open", key, stream.generation, fields, w, h))
        log.info("camera %s: opening %s at %d×%d", stream.label, redact(url), w, h)
        return health.view()

    def close(self, key: str) -> None:
        """Stop decoding ``key`` (its tile left the screen or got another camera)."""
        stream = self._streams.pop(key, None)
        if stream is None:
            return
        if stream.ring is not None:
            self._send(stream.worker, ("close", key))
            stream.ring.close(unlink=True)
            stream.ring = None

    def close_all(self) -> None:
        for key in list(self._streams):
            self.close(key)

    def shutdown(self) -> None:
        """Close every stream and stop the workers."""
        self.close_all()
        self._closed = True
        for i, conn in enumerate(self._conns):
            if conn is not None:
                with contextlib.suppress(OSError, ValueError):
                    conn.send(("stop",))
            proc = self._procs[i]
            if proc is not None:
                proc.join(timeout=3)
                if proc.is_alive():
                    proc.terminate()
                    proc.join(timeout=2)
            if conn is not None:
                conn.close()
        self._procs = [None] * self.workers
        self._conns = [None] * self.workers

    # ------------------------------------------------------------------------------ per wall frame

    def poll(self, now: float | None = None) -> dict[str, HealthView]:
        """Take the workers' events and the rings' frame times; the streams whose health changed."""
        now = self._clock() if now is None else now
        self._check_workers()
        for i, conn in enumerate(self._conns):
            while conn is not None and conn.poll():
                try:
                    kind, key, generation, fields = conn.recv()
                except (EOFError, OSError):
                    self._conns[i] = None
                    break
                self._on_worker_event(kind, key, generation, fields, now)
        changed: dict[str, HealthView] = {}
        for key, s in self._streams.items():
            ring = s.ring
            if ring is not None:
                meta = ring.newest_meta()
                t_change = ring.t_change_ns
                s.health.observe(
                    meta.t_ready_ns / 1e9 if meta is not None else None,
                    t_change / 1e9 if t_change else None,
                    ring.decode_errors,
                    ring.behind_s,
                )
            view = s.health.poll(now)
            if view is not None:
                changed[key] = view
                self._tell(s, view)
        return changed

    def take(self, key: str) -> Frame | None:
        """The newest frame of ``key`` if it is newer than the last one taken, else None."""
        s = self._streams.get(key)
        if s is None or s.ring is None or s.ring.seq == s.taken:
            return None
        if s.buffer is None:
            s.buffer = np.zeros(s.ring.max_h * s.ring.max_w * 4, np.uint8)
        got = s.ring.read_into(s.buffer)
        if got is None:
            return None
        meta, image = got
        s.taken = meta.seq
        return Frame(image, meta)

    def health(self, key: str) -> HealthView:
        s = self._streams.get(key)
        return s.health.view() if s is not None else HealthView(Health.OFF)

    def stats(self, key: str) -> StreamStats:
        s = self._streams.get(key)
        if s is None or s.ring is None:
            return StreamStats(0, 0, 0.0)
        return StreamStats(int(s.ring.header[4]), s.ring.decode_errors, s.ring.cpu_ns / 1e9, s.ring.skipped)

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self._procs if p is not None and p.pid is not None]

    # ------------------------------------------------------------------------------ internals

    def _refuse(self, stream: _Stream, reason: Reason, detail: str) -> HealthView:
        stream.health.failed(self._clock(), reason, detail)
        view = stream.health.view()
        log.warning("camera %s: %s", stream.label, reason_and_detail(reason, detail))
        return view

    def _on_worker_event(
        self, kind: str, key: str, generation: int, fields: dict[str, object], now: float
    ) -> None:
        s = self._streams.get(key)
        if s is None or s.generation != generation:
            return  # about a stream closed or reopened since
        if kind == "failed":
            reason = Reason(str(fields["reason"]))
            detail = redact(str(fields.get("detail", "")), s.secrets)
            s.health.failed(now, reason, detail)
            retry = f"; retrying in {float(fields.get('delay', 0)):.1f} s" if fields.get("retry") else ""  # type: ignore[arg-type]
            log.warning("camera %s: %s%s", s.label, reason_and_detail(reason, detail), retry)
        elif kind == "opened":
            if s.health.reason is not Reason.NONE:
                s.health.reconnected()
            log.info(
                "camera %s: stream open (%s %s×%s)",
                s.label,
                fields.get("codec"),
                fields.get("width"),
                fields.get("height"),
            )

    def _tell(self, s: _Stream, view: HealthView) -> None:
        if view.health in (Health.NO_SIGNAL, Health.FROZEN):
            log.warning(
                "camera %s: %s (newest frame %.1f s old)", s.label, view.health.value, view.age_s or 0.0
            )
        elif view.health is Health.LIVE:
            log.info("camera %s: live", s.label)

    def _least_loaded(self) -> int:
        load = [0.0] * self.workers
        for s in self._streams.values():
            if s.ring is not None and s.worker >= 0:
                load[s.worker] += s.cost
        return min(range(self.workers), key=lambda i: load[i])

    def _send(self, worker: int, msg: tuple[object, ...]) -> None:
        conn = self._conns[worker]
        if conn is None or self._procs[worker] is None:
            conn = self._start_worker(worker)
        try:
            conn.send(msg)
        except (OSError, ValueError):
            log.error("decoder worker %d is gone; starting it again", worker)
            conn = self._start_worker(worker)
            conn.send(msg)

    def _start_worker(self, i: int) -> Connection:
        from cockpit.video.worker import main as worker_main

        ctx = multiprocessing.get_context("spawn")  # never fork a process running Qt threads
        ours, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=worker_main, args=(theirs,), name=f"cockpit-decoder-{i}", daemon=True)
        try:
            proc.start()
        except OSError as exc:
            raise PoolError(f"cannot start decoder worker {i}: {exc}") from exc
        theirs.close()
        self._procs[i], self._conns[i] = proc, ours
        return ours

    def _check_workers(self) -> None:
        """A worker that died takes its streams with it: start it again and reopen them."""
        for i, proc in enumerate(self._procs):
            if proc is None or proc.is_alive():
                continue
            log.error("decoder worker %d exited with code %s; restarting it", i, proc.exitcode)
            self._procs[i] = None
            conn = self._conns[i]
            if conn is not None:
                conn.close()
            self._conns[i] = None
            for s in self._streams.values():
                if s.worker == i and s.ring is not None:
                    s.health.failed(self._clock(), Reason.OTHER, "decoder process restarted")
                    # The ring stays; the new worker writes on from where the old one stopped.
                    self._send(i, ("open", s.key, s.generation, s.fields, s.ring.max_w, s.ring.max_h))
