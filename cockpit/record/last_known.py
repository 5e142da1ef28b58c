"""The last known situation, from the newest state snapshot in a recording folder.

After a restart (a crash, ``kill -9``, a power cut) the wall shows what it showed last, the events,
units, dispatches, overlays (the map's fire lines, flood areas) and sensor values, until the backend
answers with the situation as it is now, which replaces it. The link's status says it is not live
and every sensor value carries its age, so nothing old looks live. The recorder writes a snapshot
every 10 s (cockpit/record/recorder.py), so it is at most that much older than the crash.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cockpit.record import RecordingError
from cockpit.record.reader import Recording
from cockpit.record.snapshot import StateSnapshot

log = logging.getLogger(__name__)

SEGMENT_GLOB = "cockpit-*.mcap"
LOOK_AT = 3
"""Segments looked at, newest first (a crash can leave a short one with no snapshot yet)."""


def last_known_state(folder: Path) -> StateSnapshot | None:
    """The newest readable state snapshot among the newest segments in ``folder``, or None."""
    try:
        segments = sorted(folder.glob(SEGMENT_GLOB), reverse=True)[:LOOK_AT]
    except OSError:
        return None
    for path in segments:  # names start with the UTC start time: newest first
        try:
            recording = Recording(path, on_problem=lambda _text: None)
        except RecordingError as exc:
            log.info("last known state: %s skipped (%s)", path.name, exc)
            continue
        try:
            found = recording.snapshot_before(recording.end_ns)
        finally:
            recording.close()
        if found is not None:
            return found[1]
    return None
