"""The capture time written into a demo camera's picture, and reading it back from decoded pixels.

Two rows of 32 blocks at the top left of the luma plane: the bits of a 32-bit millisecond count in
the first row (light = 1), the same bits inverted in the second. A reader rejects a picture whose
two rows disagree, so a real camera's picture never yields a stamp by chance. Block size is
``width // 40`` pixels, so the stamp survives H.264 at the bitrates the demo uses.
(Measured in ``shared/recipes/rtsp-video``: no bad stamp in any run.)
"""

from __future__ import annotations

import numpy as np

BITS = 32
LIGHT, DARK = 235, 16


def block_size(width: int) -> int:
    return max(2, width // 40)


def write_stamp(luma: np.ndarray, value: int) -> None:
    """Write ``value`` (taken modulo 2³²) into a luma plane (rows × columns, uint8) in place."""
    b = block_size(luma.shape[1])
    bits = ((value & 0xFFFFFFFF) >> np.arange(BITS)) & 1
    row = np.repeat(np.where(bits == 1, LIGHT, DARK).astype(np.uint8), b)
    luma[:b, : BITS * b] = row
    luma[b : 2 * b, : BITS * b] = LIGHT + DARK - row


def read_stamp(luma: np.ndarray) -> int | None:
    """The stamp in a luma plane (rows × columns), or None if there is none (rows disagree)."""
    width = luma.shape[1]
    b = block_size(width)
    if luma.shape[0] < 2 * b or width < BITS * b:
        return None
    q = b // 4
    region = luma[: 2 * b, : BITS * b].reshape(2, b, BITS, b)[:, q : b - q, :, q : b - q]
    blocks = region.mean(axis=(1, 3))
    high0, high1 = blocks[0] > 128, blocks[1] > 128
    if np.any(high0 == high1) or np.any(np.abs(blocks[0] - blocks[1]) < 60):
        return None
    return int((high0.astype(np.uint64) << np.arange(BITS, dtype=np.uint64)).sum())


def stamp_age_ms(stamp: int, now_ms: int) -> int:
    """How old a stamp of the 32-bit ms clock is at ``now_ms`` on the same clock (wraps every 49 days)."""
    return (now_ms - stamp) & 0xFFFFFFFF
