"""Which camera was on which video slot, and when: what a recording keeps of the video (not the video).

The app gives the recorder each change of a video panel's slots (:class:`VideoSlot`, from
:class:`cockpit.video.slots.SlotChange`) on the ``/cockpit/video`` channel, and the current slots
in every state snapshot; a replay hands them back (:attr:`cockpit.record.replay.ReplaySource.video_slots`),
so its video panels show each slot's camera by name, marked "video not recorded" (docs/recording.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec


class VideoSlot(msgspec.Struct, kw_only=True, omit_defaults=True, frozen=True):
    """Slot ``slot`` of video panel ``panel`` showed ``camera`` (``""``: nothing) from then on."""

    panel: str
    slot: int
    camera: str = ""
    name: str = ""
    """The camera's name then, so a replay can say it without the catalog."""
    why: str = "empty"
    """``default``, ``alarm``, ``pinned`` or ``empty`` (cockpit/video/slots.py)."""
    event: str = ""
    """For ``alarm``: the event whose alarm brought the camera."""


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(list[VideoSlot])


def encode_slots(slots: Sequence[VideoSlot]) -> bytes:
    return _ENCODER.encode(list(slots))


def decode_slots(data: bytes) -> list[VideoSlot]:
    """Raises:
    msgspec.DecodeError: not a list of video slots.
    """
    return _DECODER.decode(data)


def apply_slots(current: dict[tuple[str, int], VideoSlot], slots: Iterable[VideoSlot]) -> None:
    """Put ``slots`` into ``current`` (keyed by panel and slot); an empty slot is dropped."""
    for s in slots:
        if s.camera:
            current[(s.panel, s.slot)] = s
        else:
            current.pop((s.panel, s.slot), None)
