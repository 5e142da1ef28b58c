"""Decode one RTSP stream with PyAV (FFmpeg) into a :class:`~cockpit.video.ring.FrameRing`.

Runs on a thread of a decoder worker process (cockpit/video/worker.py), one thread per stream: PyAV
releases the GIL while it reads, decodes and converts, and the recipe this follows measured 32 sub
streams and one main stream held on two such processes here (shared/recipes/rtsp-video). Each
frame is converted to BGRA at the tile's size in the worker (swscale, one reformatter per stream),
so the GUI draws it 1:1.

The decoder reconnects by itself with :func:`~cockpit.video.health.reconnect_backoff`, and says why a stream
failed as a :class:`~cockpit.video.health.Reason`; every text it reports has the URL's credentials
cut out (:func:`~cockpit.video.urls.redact`): FFmpeg's errors name the URL they failed to open.
"""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import av
import av.error
import numpy as np
from av.codec.context import Flags
from av.video.reformatter import Interpolation, VideoReformatter

from cockpit.video.health import CATCH_UP_S, LagTracker, Reason, reconnect_backoff
from cockpit.video.ring import FrameRing
from cockpit.video.stamp import read_stamp
from cockpit.video.urls import SUPPORTED_CODECS, redact

OPEN_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 2.5
"""No packet for this long: the stream is dropped and opened again (a stalled camera)."""
CHANGE_THRESHOLD = 0.3
"""Mean absolute difference (0–255) of a 1/8-subsampled luma plane above which a frame counts as a
new picture. A frozen encoder repeats the picture and an H.264 encoder refining a static picture
moves it by less; a moving scene or a camera's clock overlay moves it by more."""

Report = Callable[[str, dict[str, object]], None]
"""How the decoder tells its worker what happened: an event name and its fields."""


@dataclass(slots=True)
class StreamSpec:
    """What to decode and where to put it."""

    key: str
    url: str
    """With credentials put in: never logged, never sent anywhere but to FFmpeg."""
    box: tuple[int, int]
    """The tile's size: frames are scaled to fit it, keeping their aspect ratio."""
    ring_name: str
    secrets: list[str] = field(default_factory=list)
    """Strings to cut out of every report (the password)."""
    codecs: tuple[str, ...] = SUPPORTED_CODECS


def classify(exc: BaseException) -> Reason:
    """Why opening or reading a stream failed, from PyAV's exception."""
    if isinstance(exc, av.error.HTTPUnauthorizedError | av.error.HTTPForbiddenError | PermissionError):
        return Reason.AUTH
    if isinstance(exc, av.error.HTTPNotFoundError | av.error.FileNotFoundError):
        return Reason.NOT_FOUND
    if isinstance(exc, av.error.ProtocolNotFoundError | av.error.DemuxerNotFoundError):
        return Reason.BAD_URL
    if isinstance(exc, av.error.DecoderNotFoundError):
        return Reason.CODEC
    if isinstance(exc, ConnectionRefusedError):
        return Reason.REFUSED
    if isinstance(exc, TimeoutError | av.error.ExitError):
        return Reason.TIMEOUT
    if isinstance(exc, av.error.EOFError | EOFError):
        return Reason.ENDED
    code = getattr(exc, "errno", None)
    if code == errno.ECONNREFUSED:
        return Reason.REFUSED
    if code in (errno.ETIMEDOUT, errno.EAGAIN):
        return Reason.TIMEOUT
    if code in (errno.ECONNRESET, errno.EPIPE, errno.EIO, errno.ENETUNREACH, errno.EHOSTUNREACH):
        return Reason.NETWORK
    if code == errno.EINVAL and "Invalid argument" in str(exc):
        return Reason.BAD_URL
    return Reason.OTHER


def describe(exc: BaseException, secrets: list[str]) -> str:
    """The failure in words, credentials cut out, without the URL PyAV appends."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return redact(str(text), secrets)


class StreamDecoder:
    """Opens, decodes and reopens one stream until :meth:`stop`.

    Args:
        spec: The stream.
        ring: Where frames go.
        report: Called (from this decoder's thread) with ``opened``, ``failed`` and ``stopped`` events.
    """

    def __init__(self, spec: StreamSpec, ring: FrameRing, report: Report) -> None:
        self.spec = spec
        self.ring = ring
        self._report = report
        self._stop = threading.Event()
        self._backoff = reconnect_backoff()
        self._prev_luma: np.ndarray | None = None
        self._container: av.container.InputContainer | None = None

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Decode until stopped, or until a failure retrying cannot mend (bad URL, codec)."""
        try:
            while not self._stop.is_set():
                reason, detail = self._session()
                if self._stop.is_set():
                    break
                delay = self._backoff.next_delay() if reason.retry else 0.0
                self._report(
                    "failed",
                    {"reason": reason.value, "detail": detail, "retry": reason.retry, "delay": delay},
                )
                if not reason.retry:
                    break
                self._stop.wait(delay)
        finally:
            self._report("stopped", {})

    def _session(self) -> tuple[Reason, str]:
        """One connection: open, decode until it ends; why it ended."""
        secrets = self.spec.secrets
        try:
            container = av.open(
                self.spec.url,
                options={
                    "rtsp_transport": "tcp",
                    "fflags": "nobuffer",
                    "timeout": str(int(READ_TIMEOUT_S * 1e6)),
                },
                timeout=(OPEN_TIMEOUT_S, READ_TIMEOUT_S),
            )
        except Exception as exc:
            return classify(exc), describe(exc, secrets)
        try:
            if not container.streams.video:
                return Reason.CODEC, "the stream has no video"
            vs = container.streams.video[0]
            codec = vs.codec_context.name
            if codec not in self.spec.codecs:
                return (
                    Reason.CODEC,
                    f"codec {codec} is not supported (this wall decodes {', '.join(self.spec.codecs)})",
                )
            vs.thread_type = "SLICE"
            vs.thread_count = 1
            vs.codec_context.flags |= Flags.low_delay
            self._report(
                "opened", {"codec": codec, "width": vs.codec_context.width, "height": vs.codec_context.height}
            )
            return self._decode(container, vs)
        except Exception as exc:
            return classify(exc), describe(exc, secrets)
        finally:
            container.close()

    def _decode(
        self, container: av.container.InputContainer, vs: av.video.stream.VideoStream
    ) -> tuple[Reason, str]:
        reformatter = VideoReformatter()
        cpu0 = time.thread_time_ns()
        lag = LagTracker()
        behind = 0.0
        skipping = caught_up = False
        for packet in container.demux(vs):
            if self._stop.is_set():
                return Reason.NONE, ""
            pts_s = (
                float(packet.pts * packet.time_base) if packet.pts is not None and packet.time_base else None
            )
            if pts_s is not None:
                behind = lag.packet(pts_s, time.monotonic())
            # Fallen behind (the machine could not keep up): drop to the next key frame rather than
            # show ever older pictures as live. Dropping whole GOP tails is safe for H.264.
            if skipping and packet.is_keyframe:
                skipping, caught_up = False, True
            elif skipping or (behind > CATCH_UP_S and not packet.is_keyframe and packet.size):
                skipping = True
                self.ring.count_skipped()
                continue
            if caught_up and pts_s is not None:
                caught_up = False
                if behind > CATCH_UP_S:  # still "behind" at a key frame read at once: a clock jump
                    lag.rebase(pts_s, time.monotonic())
                    behind = 0.0
            self.ring.set_behind(behind)
            try:
                frames = vs.codec_context.decode(packet)
            except av.error.InvalidDataError:
                self.ring.count_decode_error()
                continue
            for frame in frames:
                self._publish(frame, reformatter)
                self._backoff.reset()
            cpu1 = time.thread_time_ns()
            self.ring.add_cpu(cpu1 - cpu0)
            cpu0 = cpu1
        return Reason.ENDED, "the camera ended the stream"

    def _publish(self, frame: av.VideoFrame, reformatter: VideoReformatter) -> None:
        plane = frame.planes[0]
        luma = np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)[
            : frame.height, : frame.width
        ]
        stamp = read_stamp(luma)
        small = luma[::8, ::8].astype(np.int16)
        prev = self._prev_luma
        changed = (
            prev is None or prev.shape != small.shape or float(np.abs(small - prev).mean()) > CHANGE_THRESHOLD
        )
        if changed:
            self._prev_luma = small
        w, h = fit(self.spec.box, frame.width, frame.height)
        bgra = reformatter.reformat(
            frame, width=w, height=h, format="bgra", interpolation=Interpolation.BILINEAR, threads=1
        ).to_ndarray()
        np.copyto(self.ring.buffer_for_next(w, h), bgra[:h, :w])
        self.ring.publish(w, h, time.monotonic_ns(), stamp, changed)


def fit(box: tuple[int, int], src_w: int, src_h: int) -> tuple[int, int]:
    """The largest size with the source's aspect ratio that fits ``box`` (even, at least 2×2)."""
    bw, bh = max(2, box[0]), max(2, box[1])
    if src_w <= 0 or src_h <= 0:
        return bw & ~1, bh & ~1
    scale = min(bw / src_w, bh / src_h)
    return max(2, int(src_w * scale) & ~1), max(2, int(src_h * scale) & ~1)
