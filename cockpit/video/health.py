"""Stream health: what a tile may claim about its picture, with time passed in (docs/video.md).

Nothing old may look live. From what the decoder reports (the time of the newest frame and the time
its content last changed, errors with their reason) :class:`StreamHealth` says which of
:class:`Health` a stream is in. The thresholds are 1.5 s: a stopped, stalled or frozen stream is
marked within 2 s at a 25–50 Hz wall (measured by the tests in tests/video), and a camera whose
only motion is a once-a-second clock overlay is not called frozen.

:func:`reconnect_backoff` is the reconnect schedule the decoder follows after a failure.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

from cockpit.protocol.link import Backoff

NO_SIGNAL_AFTER_S = 1.5
"""No new frame for this long: NO SIGNAL."""
FROZEN_AFTER_S = 1.5
"""New frames, all the same picture, for this long: FROZEN."""


class Health(enum.Enum):
    """What a tile shows about its stream."""

    OFF = "off"
    """Not decoding: the tile is not on a screen, or has no camera."""
    CONNECTING = "connecting"
    """Opening the stream; no frame yet."""
    LIVE = "live"
    NO_SIGNAL = "no_signal"
    """It had pictures and has had none for :data:`NO_SIGNAL_AFTER_S`; reconnecting by itself."""
    FROZEN = "frozen"
    """Frames still arrive but the picture has not changed for :data:`FROZEN_AFTER_S`."""
    UNREACHABLE = "unreachable"
    """It never gave a picture since it was opened, and says why (:class:`Reason`)."""


class Reason(enum.Enum):
    """Why a camera cannot be reached or its stream stopped."""

    NONE = "none"
    BAD_URL = "bad_url"
    REFUSED = "refused"
    AUTH = "auth"
    TIMEOUT = "timeout"
    NOT_FOUND = "not_found"
    CODEC = "codec"
    NO_CREDENTIAL = "no_credential"
    ENDED = "ended"
    """The server ended the stream."""
    NETWORK = "network"
    OTHER = "other"

    @property
    def retry(self) -> bool:
        """Whether trying again can help (a bad URL, a missing credential or codec cannot)."""
        return self not in (Reason.BAD_URL, Reason.CODEC, Reason.NO_CREDENTIAL)


REASON_TEXT: dict[Reason, str] = {
    Reason.NONE: "",
    Reason.BAD_URL: "bad URL",
    Reason.REFUSED: "connection refused",
    Reason.AUTH: "not authorised (user or password rejected)",
    Reason.TIMEOUT: "timed out",
    Reason.NOT_FOUND: "stream not found on the camera",
    Reason.CODEC: "unsupported codec",
    Reason.NO_CREDENTIAL: "credential missing from the site's camera secrets",
    Reason.ENDED: "stream ended",
    Reason.NETWORK: "network error",
    Reason.OTHER: "error",
}


def detail_beyond(reason: Reason, detail: str) -> str:
    """What ``detail`` adds to ``reason``'s words: PyAV's words often repeat them ("Connection
    refused" after "connection refused"), and a check's begin with them ("bad URL: no host")."""
    words, extra = REASON_TEXT[reason], detail.strip()
    if words and extra.lower().startswith(words.lower()):
        extra = extra[len(words) :].lstrip(" :")
    return extra


def reason_and_detail(reason: Reason, detail: str) -> str:
    """``reason`` in words, then what ``detail`` adds to them: "connection refused", never
    "connection refused: Connection refused"."""
    words, extra = REASON_TEXT[reason], detail_beyond(reason, detail)
    return f"{words}: {extra}" if words and extra else words or extra


@dataclass(frozen=True, slots=True)
class HealthView:
    """One stream's health at one instant, for a tile and the console."""

    health: Health
    reason: Reason = Reason.NONE
    detail: str = ""
    """The decoder's words for the last failure (credentials already cut out)."""
    age_s: float | None = None
    """Age of the newest frame (the one shown): since it was decoded, plus how far behind its
    stream the decoder was then; None before the first."""
    decode_errors: int = 0
    reconnects: int = 0
    still_s: float | None = None
    """How long the picture has not changed (what FROZEN means); None before the first frame."""


class StreamHealth:
    """The health of one stream of one tile, fed from the decoder and polled once per wall frame.

    Call :meth:`start` when the tile starts decoding, :meth:`failed` when the decoder reports a
    failure, :meth:`observe` with the frame times it publishes, and :meth:`poll` once per wall
    frame; :meth:`poll` returns the new :class:`HealthView` when the health changed, else None.
    """

    def __init__(self) -> None:
        self.health = Health.OFF
        self.reason = Reason.NONE
        self.detail = ""
        self.decode_errors = 0
        self.reconnects = 0
        self._last_frame: float | None = None
        self._last_change: float | None = None
        self._behind = 0.0
        self._now = 0.0
        self._reported: tuple[Health, Reason] = (Health.OFF, Reason.NONE)

    def start(self, now: float) -> None:
        """The tile starts decoding (a new camera or stream): nothing known yet."""
        self.health = Health.CONNECTING
        self.reason, self.detail = Reason.NONE, ""
        self._last_frame = self._last_change = None
        self._now = now

    def stop(self) -> None:
        """The tile stopped decoding (off screen or emptied)."""
        self.health = Health.OFF
        self._last_frame = self._last_change = None

    def failed(self, now: float, reason: Reason, detail: str = "") -> None:
        """The decoder could not open or lost the stream; it retries by itself if it can."""
        self.reason, self.detail = reason, detail
        self._now = now

    def reconnected(self) -> None:
        """The decoder opened the stream again after a failure."""
        self.reconnects += 1

    def observe(
        self, last_frame: float | None, last_change: float | None, decode_errors: int, behind_s: float = 0.0
    ) -> None:
        """The decoder's newest frame time and last content change (same clock as ``now``), and how
        far behind its stream it was when it decoded that frame (:class:`LagTracker`)."""
        self._behind = behind_s
        if last_frame is not None and (self._last_frame is None or last_frame > self._last_frame):
            self._last_frame = last_frame
            self.reason, self.detail = Reason.NONE, ""
        if last_change is not None:
            self._last_change = last_change
        self.decode_errors = decode_errors

    def poll(self, now: float) -> HealthView | None:
        """Work out the health at ``now``; the new view if it changed, else None."""
        self._now = now
        if self.health is not Health.OFF:
            self.health = self._judge(now)
        if (self.health, self.reason) == self._reported:
            return None
        self._reported = (self.health, self.reason)
        return self.view()

    def _judge(self, now: float) -> Health:
        if self._last_frame is None:
            return Health.UNREACHABLE if self.reason is not Reason.NONE else Health.CONNECTING
        if now - self._last_frame >= NO_SIGNAL_AFTER_S:
            return Health.NO_SIGNAL
        if self._last_change is not None and now - self._last_change >= FROZEN_AFTER_S:
            return Health.FROZEN
        return Health.LIVE

    def view(self) -> HealthView:
        age = None if self._last_frame is None else max(0.0, self._now - self._last_frame) + self._behind
        still = None if self._last_change is None else max(0.0, self._now - self._last_change)
        return HealthView(
            self.health, self.reason, self.detail, age, self.decode_errors, self.reconnects, still
        )


CATCH_UP_S = 0.5
"""A decoder this far behind its stream (it could not keep up: a loaded machine) drops packets up to
the next key frame instead of showing ever older pictures as if they were live."""
IMPLAUSIBLE_LAG_S = 5.0
"""A lag beyond this is a jump of the stream's clock, not a slow decoder: measure from it anew."""


class LagTracker:
    """How far behind real time a stream's packets are read, from their timestamps (time passed in).

    The smallest (arrival − timestamp) offset seen is the stream's own delay; anything above it is
    time the reader is behind. A camera's clock is its own, so only differences count.
    """

    def __init__(self) -> None:
        self._floor: float | None = None

    def packet(self, pts_s: float, now_s: float) -> float:
        """A packet stamped ``pts_s`` was read at ``now_s``; how far behind the reader is."""
        offset = now_s - pts_s
        if self._floor is None or offset < self._floor:
            self._floor = offset
        behind = offset - self._floor
        if behind > IMPLAUSIBLE_LAG_S:
            self._floor = offset
            behind = 0.0
        return behind

    def rebase(self, pts_s: float, now_s: float) -> None:
        """Take this packet as on time (after catching up left it still "behind": the floor was
        from a clock jump)."""
        self._floor = now_s - pts_s


def reconnect_backoff(cap_s: float = 8.0, rng: random.Random | None = None) -> Backoff:
    """A camera's reconnect delays: 0.25 s doubling to ``cap_s``, each ±20 % so cameras do not
    retry in step; a frame coming through resets it.

    Args:
        cap_s: The longest wait (before jitter).
        rng: Where the jitter comes from (seed it in tests).
    """
    return Backoff(base_s=0.25, cap_s=cap_s, low=0.8, high=1.2, rng=rng or random.Random())
