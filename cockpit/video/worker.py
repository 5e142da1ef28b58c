"""A decoder worker process: one thread per stream, frames out through shared memory.

The GUI process (:class:`~cockpit.video.pool.DecoderPool`) starts two of these with the ``spawn``
method (never ``fork``: the GUI process runs Qt threads) and talks to each over one pipe:

    GUI → worker   ("open", key, generation, StreamSpec fields, max_w, max_h) · ("close", key) · ("stop",)
    worker → GUI   ("opened" | "failed" | "stopped", key, generation, fields)

The generation tells the GUI which opening of a key an event is about, so a late event of a
stream it has since reopened is ignored.

Decoding in worker processes, not threads of the GUI process: the recipe measured the GUI's timer
falling from 25 to 20.6 Hz and paint p99 at 161 ms with 32 + 1 streams decoded on threads inside
it (the GIL), and no such effect with two worker processes (shared/recipes/rtsp-video).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)


def main(conn: Connection) -> None:
    """The worker's entry point: serve ``conn`` until told to stop or the GUI goes away."""
    import av.logging

    from cockpit.video.decoder import StreamDecoder, StreamSpec
    from cockpit.video.ring import FrameRing

    av.logging.set_level(None)  # FFmpeg's own log lines can name URLs; failures are reported by us
    # A dozen decoder threads take the GIL back after each call into FFmpeg; at the default 5 ms
    # switch interval a 25 fps main stream (40 ms a frame) can wait several of them in a row.
    sys.setswitchinterval(0.001)
    send_lock = threading.Lock()
    decoders: dict[str, tuple[StreamDecoder, FrameRing, threading.Thread]] = {}

    def reporter(key: str, generation: int) -> Any:
        def report(kind: str, fields: dict[str, object]) -> None:
            with send_lock, contextlib.suppress(OSError, EOFError, ValueError):
                conn.send((kind, key, generation, fields))

        return report

    def run(decoder: StreamDecoder, ring: FrameRing) -> None:
        try:
            decoder.run()
        finally:
            ring.close()

    def close(key: str) -> None:
        held = decoders.pop(key, None)
        if held is not None:
            held[0].stop()

    try:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                break  # the GUI process is gone
            if msg[0] == "stop":
                break
            if msg[0] == "close":
                close(msg[1])
            elif msg[0] == "open":
                _, key, generation, fields, max_w, max_h = msg
                close(key)
                try:
                    ring = FrameRing.attach(fields["ring_name"], max_w, max_h)
                except OSError:  # closed (and removed) by the GUI before this worker got to it
                    reporter(key, generation)("stopped", {})
                    continue
                decoder = StreamDecoder(StreamSpec(**fields), ring, reporter(key, generation))
                thread = threading.Thread(target=run, args=(decoder, ring), name=f"decode-{key}", daemon=True)
                decoders[key] = (decoder, ring, thread)
                thread.start()
    finally:
        for key in list(decoders):
            close(key)
