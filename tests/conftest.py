"""Root test configuration: headless Qt before any QApplication exists, and shared helpers."""

from __future__ import annotations

import os
import sys
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


import gc  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Property tests check behaviour, never speed: hypothesis' default 200 ms deadline per example is a
# timed assert, and a loaded machine (other builds on its 2 cores) fails it with "unreliable timings".
settings.register_profile("cockpit", deadline=None)
settings.load_profile("cockpit")


@pytest.fixture(autouse=True)
def _collect_qt_garbage_on_the_main_thread() -> Iterator[None]:
    """After each test, delete what Qt was asked to delete and collect Python's cyclic garbage here,
    on the main thread. Otherwise a later test's backend thread (the embedded demo city, a drill
    sandbox) may be the one whose allocation triggers the collection, and a PySide object destroyed
    on that thread crashes the process (seen: a drill test, then the translation tests' translator,
    then the wall tests)."""
    yield
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
