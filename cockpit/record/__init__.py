"""Recording and replay (MCAP); see docs/recording.md. No Qt.

- :mod:`~cockpit.record.recorder`: the feed's frame tap writes every received frame to MCAP segments,
  with periodic state snapshots, and applies retention.
- :mod:`~cockpit.record.recover`: finishes a segment a crash left unfinished.
- :mod:`~cockpit.record.reader`: reads a segment or a folder of them, chunk by chunk.
- :mod:`~cockpit.record.replay`: a replay source with the live feed's interface, driving the same
  protocol core and model.

Exceptions::

    RecordError
     └── RecordingError   a recording cannot be played (the message names the file and why)
"""


class RecordError(Exception):
    """Base of the recording package's errors."""


class RecordingError(RecordError):
    """A recording cannot be opened or played; the message names the file and what is wrong."""
