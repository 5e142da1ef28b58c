"""Live camera video for the wall, with no Qt (docs/video.md).

Decoding runs in worker processes (:mod:`cockpit.video.worker`) that write the newest frame of each
stream into shared memory (:mod:`cockpit.video.ring`); the GUI process takes the newest frame of each
visible tile once per wall frame through :class:`cockpit.video.pool.DecoderPool`. The rules that say
what a tile shows live here too, sans-I/O with time passed in: stream health (live, no signal,
frozen, why a camera cannot be reached, :mod:`cockpit.video.health`), which stream a tile decodes
and which camera goes on which slot (:mod:`cockpit.video.slots`).

Exceptions::

    VideoError
     ├── SecretsError      the camera secrets file cannot be used
     └── PoolError         the decoder pool is closed or cannot start a worker
"""

from __future__ import annotations


class VideoError(Exception):
    """Base of every exception this package raises."""


class SecretsError(VideoError):
    """The camera secrets file cannot be read or is not valid; says which file and why."""


class PoolError(VideoError):
    """The decoder pool cannot do what was asked (closed, or a worker did not start)."""
