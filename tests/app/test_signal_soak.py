"""100,000+ Qt signal emits through the real wiring, with refcounts of True and None watched.

PySide6 6.12.0 on Python 3.11 aborts with ``Fatal Python error: bool_dealloc`` after a few hundred
``Signal.emit()`` calls: it drops references to ``True``/``False``/``None`` that it never took. A
bad upgrade must fail here, not on a wall. The emits run in a child process so an abort is seen as
a failed test with its message, not as a crashed test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

EMITS = 120_000
TEST_RUNWAYS = Path(__file__).parent / "runways"
"""A runway with the events list and dispatch panel the emits go through (tests/app/runways)."""

CHILD = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity
    from cockpit.protocol.events import DataReceived
    from cockpit.protocol.messages import Event

    from cockpit.present.wall_layout import virtual_screens
    from pathlib import Path
    runways = Path({str(TEST_RUNWAYS)!r})
    c = Cockpit(["ws://127.0.0.1:9"], Identity("soak", "op", "operator"), runways_dir=runways)
    c.place(virtual_screens(5))
    from cockpit.present.runway_spec import PanelKind
    view = c.wall.views["overview"]
    events = view.panel(PanelKind.EVENTS).list
    dispatch = view.panel(PanelKind.DISPATCH).panel
    ev = Event(stream="events", seq=1, prev=0, ts=1, id="E1", type="fire", severity=1, time=1,
               lon=0.0, lat=0.0, district="yuzhong", state="new")
    c.situation.apply([DataReceived((ev,))])
    c.frame()

    def burst(n):
        for i in range(n):
            events.selection_changed.emit("E1" if i % 2 else "")      # str through a slot
            view.banner.alarm_clicked.emit("E1")                       # the shared selection
            dispatch.dispatch_requested.emit()                         # no args
            c.frame_timer.timeout.emit()                                # the frame tick
        app.processEvents()

    burst(1000)  # warm up caches before measuring
    true0, none0, false0 = sys.getrefcount(True), sys.getrefcount(None), sys.getrefcount(False)
    n = {EMITS} // 4
    burst(n)
    true1, none1, false1 = sys.getrefcount(True), sys.getrefcount(None), sys.getrefcount(False)
    print("emits", 4 * n, "true", true1 - true0, "none", none1 - none0, "false", false1 - false0)
    """
)


def test_signal_emits_survive_and_refcounts_stay_stable() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, f"signal soak died ({proc.returncode}):\n{proc.stderr[-3000:]}"
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("emits"))
    fields = line.split()
    emits = int(fields[1])
    drift = {fields[i]: int(fields[i + 1]) for i in range(2, len(fields), 2)}
    assert emits >= 100_000
    # A reference bug would move these by about one per emit; small drift is ordinary caching.
    for name, d in drift.items():
        assert abs(d) < 500, f"refcount of {name} drifted by {d} over {emits} emits"
