"""UUIDv7 command ids (RFC 9562 §5.7): time-ordered, unique without coordination (docs/protocol.md §7.1)."""

from __future__ import annotations

import os
import uuid


def uuid7(unix_ms: int) -> str:
    """Return a new UUIDv7 string for the given Unix time in milliseconds.

    The caller passes the time so this module keeps no clock.
    """
    rand = int.from_bytes(os.urandom(10), "big")
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= (rand >> 68) << 64 & (0xFFF << 64)  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return str(uuid.UUID(int=value))


def uuid7_time_ms(value: str) -> int:
    """The millisecond timestamp inside a UUIDv7.

    Raises:
        ValueError: ``value`` is not a UUIDv7.
    """
    u = uuid.UUID(value)
    if u.version != 7:
        raise ValueError(f"{value} is not a UUIDv7")
    return u.int >> 80
