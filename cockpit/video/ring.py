"""One stream's newest frames in shared memory: a triple buffer a worker writes and the GUI reads.

Layout (all little-endian uint64 words, then the pixels)::

    header   seq · t_change_ns · decode_errors · cpu_ns · frames · skipped · behind_ms · reserved
    meta[3]  width · height · t_ready_ns · stamp+1 (0: no stamp)      one per buffer
    pixels   3 × max_width × max_height × 4 bytes (BGRA, QImage.Format_RGB32 order)

The writer puts frame ``n`` into buffer ``n % 3`` and then publishes ``seq = n``. A reader copies
the buffer of the ``seq`` it read and checks ``seq`` again: if the writer got two frames further
meanwhile the copy may be torn, and it reads again (a sequence lock). The GUI never waits on the
writer and no queue grows: an unread frame is simply overwritten by a newer one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from multiprocessing import shared_memory

import numpy as np

_HEADER = 8
_META = 4
_BUFFERS = 3

SEQ, T_CHANGE, DECODE_ERRORS, CPU_NS, FRAMES, SKIPPED, BEHIND_MS = range(7)


def ring_bytes(max_w: int, max_h: int) -> int:
    """Bytes of shared memory a ring for frames up to ``max_w`` × ``max_h`` needs."""
    return 8 * (_HEADER + _BUFFERS * _META) + _BUFFERS * max_w * max_h * 4


@dataclass(frozen=True, slots=True)
class FrameMeta:
    """What came with one frame."""

    seq: int
    width: int
    height: int
    t_ready_ns: int
    """``time.monotonic_ns()`` when the worker had it ready."""
    stamp: int | None
    """The capture stamp written into the picture (demo cameras), if it had one (cockpit/video/stamp.py)."""


class FrameRing:
    """A view of one ring in shared memory.

    Args:
        shm: The segment (:func:`create` makes one, :func:`attach` opens it by name).
        max_w: Widest frame it holds.
        max_h: Tallest frame it holds.
    """

    def __init__(self, shm: shared_memory.SharedMemory, max_w: int, max_h: int) -> None:
        self.shm = shm
        self.max_w, self.max_h = max_w, max_h
        words = _HEADER + _BUFFERS * _META
        self.header = np.ndarray((_HEADER,), np.uint64, shm.buf, 0)
        self.meta = np.ndarray((_BUFFERS, _META), np.uint64, shm.buf, 8 * _HEADER)
        size = max_w * max_h * 4
        self._pixels = [np.ndarray((size,), np.uint8, shm.buf, 8 * words + i * size) for i in range(_BUFFERS)]

    @classmethod
    def create(cls, max_w: int, max_h: int) -> FrameRing:
        shm = shared_memory.SharedMemory(create=True, size=ring_bytes(max_w, max_h))
        ring = cls(shm, max_w, max_h)
        ring.header[:] = 0
        ring.meta[:] = 0
        return ring

    @classmethod
    def attach(cls, name: str, max_w: int, max_h: int) -> FrameRing:
        r"""Open a ring another process made. Its creator unlinks it; this process only maps it.

        (Attaching registers the segment with the resource tracker again, which a ``spawn``\ ed
        worker shares with the GUI process: a no-op, the GUI's unlink unregisters it once.)
        """
        return cls(shared_memory.SharedMemory(name=name), max_w, max_h)

    @property
    def name(self) -> str:
        return self.shm.name

    # ------------------------------------------------------------------------------ writer side

    def buffer_for_next(self, width: int, height: int) -> np.ndarray:
        """The pixels (height × width × 4) the next frame is to be written into."""
        n = int(self.header[SEQ]) + 1
        return self._pixels[n % _BUFFERS][: width * height * 4].reshape(height, width, 4)

    def publish(self, width: int, height: int, t_ready_ns: int, stamp: int | None, changed: bool) -> None:
        """Make the frame written into :meth:`buffer_for_next` the newest."""
        n = int(self.header[SEQ]) + 1
        m = self.meta[n % _BUFFERS]
        m[0], m[1], m[2], m[3] = width, height, t_ready_ns, 0 if stamp is None else stamp + 1
        if changed or self.header[T_CHANGE] == 0:
            self.header[T_CHANGE] = t_ready_ns
        self.header[FRAMES] += 1
        self.header[SEQ] = n  # last: readers see the frame only once it is whole

    def count_decode_error(self) -> None:
        self.header[DECODE_ERRORS] += 1

    def count_skipped(self) -> None:
        """A packet dropped to catch up with the stream (the decoder had fallen behind)."""
        self.header[SKIPPED] += 1

    def set_behind(self, seconds: float) -> None:
        self.header[BEHIND_MS] = int(max(0.0, seconds) * 1000)

    def add_cpu(self, ns: int) -> None:
        self.header[CPU_NS] += max(0, ns)

    # ------------------------------------------------------------------------------ reader side

    @property
    def seq(self) -> int:
        return int(self.header[SEQ])

    @property
    def t_change_ns(self) -> int:
        return int(self.header[T_CHANGE])

    @property
    def decode_errors(self) -> int:
        return int(self.header[DECODE_ERRORS])

    @property
    def cpu_ns(self) -> int:
        return int(self.header[CPU_NS])

    @property
    def skipped(self) -> int:
        return int(self.header[SKIPPED])

    @property
    def behind_s(self) -> float:
        return int(self.header[BEHIND_MS]) / 1000

    def newest_meta(self) -> FrameMeta | None:
        n = self.seq
        if n == 0:
            return None
        m = self.meta[n % _BUFFERS]
        stamp = int(m[3])
        return FrameMeta(n, int(m[0]), int(m[1]), int(m[2]), stamp - 1 if stamp else None)

    def read_into(self, flat: np.ndarray) -> tuple[FrameMeta, np.ndarray] | None:
        """Copy the newest frame into ``flat`` (uint8, at least max_w × max_h × 4 long).

        Returns its meta and the frame as a C-contiguous height × width × 4 view of ``flat``, or
        None if there is no frame yet or the writer kept overtaking the copy.
        """
        for _ in range(3):
            meta = self.newest_meta()
            if meta is None:
                return None
            n = meta.width * meta.height * 4
            out = flat[:n]
            np.copyto(out, self._pixels[meta.seq % _BUFFERS][:n])
            if self.seq - meta.seq < 2:  # the writer did not reach this buffer again
                return meta, out.reshape(meta.height, meta.width, 4)
        return None

    def close(self, unlink: bool = False) -> None:
        """Unmap (and, for the creator, remove) the segment."""
        del self._pixels, self.header, self.meta
        with contextlib.suppress(BufferError):  # a numpy view is still alive; the OS frees it at exit
            self.shm.close()
        if unlink:
            with contextlib.suppress(FileNotFoundError):
                self.shm.unlink()
