"""Root test configuration: headless Qt before any QApplication exists, and shared helpers."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ.setdefault("LANG", "C.UTF-8")

TIME_SCALE = float(os.environ.get("COCKPIT_TEST_TIME_SCALE", "1"))
"""Multiply waits by this on slow machines; the suite never asserts on speed."""
