"""The picture's capture stamp and the shared-memory frame ring (cockpit/video/stamp.py, ring.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cockpit.backend.cameras.rtsp import SERVER_SCRIPT
from cockpit.video.ring import FrameRing
from cockpit.video.stamp import read_stamp, stamp_age_ms, write_stamp


@given(st.integers(0, 2**32 - 1), st.sampled_from([320, 640, 1280, 1920]))
def test_stamp_round_trip(value: int, width: int) -> None:
    luma = np.random.default_rng(value % 1000).integers(0, 256, (width * 9 // 16, width), dtype=np.uint8)
    write_stamp(luma, value)
    assert read_stamp(luma) == value


def test_the_demo_server_writes_the_same_code() -> None:
    """gst_server.py runs under Debian's python3 and imports gi: take its stamp writer alone."""
    import ast

    tree = ast.parse(SERVER_SCRIPT.read_text(encoding="utf-8"))
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "stamp_luma")
    scope: dict[str, object] = {"np": np, "BITS": 32}
    exec(compile(ast.Module([fn], []), str(SERVER_SCRIPT), "exec"), scope)
    luma = np.zeros((360, 640), np.uint8)
    scope["stamp_luma"](luma, 123456789)  # type: ignore[operator]
    assert read_stamp(luma) == 123456789


def test_a_picture_without_a_stamp_gives_none() -> None:
    rng = np.random.default_rng(1)
    for _ in range(50):
        assert read_stamp(rng.integers(0, 256, (360, 640), dtype=np.uint8)) is None
    assert read_stamp(np.full((360, 640), 128, np.uint8)) is None
    assert stamp_age_ms(2**32 - 10, 5) == 15  # the 32-bit clock wraps


def test_ring_keeps_the_newest_frame_and_never_tears() -> None:
    ring = FrameRing.create(64, 36)
    try:
        flat = np.zeros(64 * 36 * 4, np.uint8)
        assert ring.read_into(flat) is None
        for n in range(1, 8):
            ring.buffer_for_next(32, 18)[:] = n
            ring.publish(32, 18, 1000 * n, n if n % 2 else None, changed=n < 5)
        got = ring.read_into(flat)
        assert got is not None
        meta, image = got
        assert (meta.seq, meta.width, meta.height, meta.t_ready_ns, meta.stamp) == (7, 32, 18, 7000, 7)
        assert image.shape == (18, 32, 4) and image.flags.c_contiguous and (image == 7).all()
        assert ring.t_change_ns == 4000  # frames 5–7 repeated the picture
        ring.count_decode_error()
        ring.add_cpu(500)
        assert ring.decode_errors == 1 and ring.cpu_ns == 500
        other = FrameRing.attach(ring.name, 64, 36)
        assert other.seq == 7
        other.close()
    finally:
        ring.close(unlink=True)
