"""Root test configuration: headless Qt before any QApplication exists, and shared helpers."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The cockpits the tests start (in process or as `cockpit` commands) keep their audit log, outbox,
# recordings and settings in a folder of this run, never in the user's own (platformdirs reads these).
_HOME = tempfile.mkdtemp(prefix="cockpit-tests-")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_STATE_HOME"] = os.path.join(_HOME, "state")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ.setdefault("LANG", "C.UTF-8")

TIME_SCALE = float(os.environ.get("COCKPIT_TEST_TIME_SCALE", "1"))
"""Multiply waits by this on slow machines; the suite never asserts on speed."""
