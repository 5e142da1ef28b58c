"""Run the wall with a memory probe inside it: what grows, Python or C++, a leak or the allocator.

``python -m bench.memprobe OUT.jsonl [--every S] [--tracemalloc] [--trim] -- COCKPIT-ARGS…`` runs
``cockpit COCKPIT-ARGS…`` in this process and appends one JSON line to OUT every ``--every`` seconds:

- ``rss`` and its kinds from ``/proc/self/smaps_rollup`` (anonymous memory against mapped files);
- glibc's ``mallinfo2``: the heap's bytes in use (``uordblks``), free but held (``fordblks``), in
  mmapped blocks (``hblkhd``), and the arena count: growth in ``fordblks`` with ``uordblks`` flat
  is fragmentation, not a leak;
- Python: ``sys.getallocatedblocks()``, the gc-tracked objects counted by type (the 25 largest
  counts, and every type whose count changed since the previous sample);
- Qt, counted on the GUI thread: widgets (``QApplication.allWidgets``), every ``QObject`` under the
  application and the top-level windows;
- with ``--tracemalloc``: the Python heap traced by line, and the 20 lines that grew most since the
  first sample after ``--baseline`` seconds (the warm-up);
- with ``--trim``: ``malloc_trim(0)`` after each sample and the RSS after it, so what the allocator
  only keeps shows apart from what the program holds.

A diagnostic for ``bench.wall_soak --probe``; it changes what it measures (tracemalloc costs CPU and
memory), so the soak's own figures come from a run without it.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import ctypes.util
import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"
        )
    ]  # fmt: skip


_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
_libc.mallinfo2.restype = _MallInfo2
_libc.malloc_trim.argtypes = [ctypes.c_size_t]

MIB = 1024 * 1024


def mallinfo() -> dict[str, float]:
    """glibc's heap figures in MiB (main arena plus the others, mmapped blocks apart)."""
    m = _libc.mallinfo2()
    return {
        "heap_used_mib": m.uordblks / MIB,
        "heap_free_mib": m.fordblks / MIB,
        "heap_arena_mib": m.arena / MIB,
        "mmapped_mib": m.hblkhd / MIB,
        "mmapped_blocks": float(m.hblks),
    }


def smaps() -> dict[str, float]:
    """RSS and its kinds (``/proc/self/smaps_rollup``) in MiB."""
    out: dict[str, float] = {}
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Anonymous", "Shared_Clean", "Private_Clean", "Private_Dirty", "Swap"):
                out[key.lower() + "_mib"] = int(rest.split()[0]) / 1024
    return out


def arenas() -> int:
    """How many malloc arenas the process has (anonymous 64 MiB-aligned heaps in its maps)."""
    n = 0
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 5 and parts[1].startswith("rw"):  # anonymous
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                if lo % (64 * MIB) == 0 and hi - lo <= 64 * MIB:
                    n += 1
    return n


class Probe:
    """Samples the process every ``every`` seconds from a thread of its own (Qt counts on the GUI thread)."""

    def __init__(self, out: Path, every: float, baseline: float, trace: bool, trim: bool) -> None:
        self.out, self.every, self.baseline, self.trace, self.trim = out, every, baseline, trace, trim
        self.started = time.monotonic()
        self.base_snapshot: tracemalloc.Snapshot | None = None
        self.last_types: collections.Counter[str] = collections.Counter()
        self._qt_helper: Any = None
        self._qt_result: dict[str, float] = {}
        self._qt_done = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="memprobe", daemon=True).start()

    def _qt_counts(self) -> dict[str, float]:
        from PySide6.QtCore import QCoreApplication, QObject, Signal
        from PySide6.QtWidgets import QApplication

        app = QCoreApplication.instance()
        if app is None:
            return {}
        if self._qt_helper is None:

            class Helper(QObject):
                asked = Signal()

                def __init__(helper, probe: Probe) -> None:
                    super().__init__()
                    helper.probe = probe

                def _on_asked(helper) -> None:
                    tops = QApplication.topLevelWidgets() if isinstance(app, QApplication) else []
                    objs = len(app.findChildren(QObject)) + sum(1 + len(w.findChildren(QObject)) for w in tops)
                    helper.probe._qt_result = {
                        "qt_widgets": float(len(QApplication.allWidgets())),
                        "qt_top_levels": float(len(tops)),
                        "qt_objects": float(objs),
                    }
                    helper.probe._qt_done.set()

            h = Helper(self)
            h.moveToThread(app.thread())
            h.asked.connect(h._on_asked)  # queued: the helper lives on the GUI thread
            self._qt_helper = h
        self._qt_done.clear()
        self._qt_helper.asked.emit()
        self._qt_done.wait(30)
        return dict(self._qt_result)

    def _sample(self) -> dict[str, Any]:
        t = time.monotonic() - self.started
        row: dict[str, Any] = {"t": round(t, 1), "wall_time": time.time()}
        row.update(smaps())
        row.update(mallinfo())
        row["arenas"] = arenas()
        row["py_blocks"] = sys.getallocatedblocks()
        types = collections.Counter(type(o).__qualname__ for o in gc.get_objects())
        row["py_objects"] = sum(types.values())
        row["types_top"] = dict(types.most_common(25))
        if self.last_types:
            row["types_changed"] = {
                k: types[k] - self.last_types[k] for k in set(types) | set(self.last_types)
                if types[k] != self.last_types[k]
            }  # fmt: skip
        self.last_types = types
        row.update(self._qt_counts())
        if self.trace and tracemalloc.is_tracing():
            snap = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, __file__)]
            )
            row["traced_mib"] = tracemalloc.get_traced_memory()[0] / MIB
            if self.base_snapshot is None and t >= self.baseline:
                self.base_snapshot = snap
            elif self.base_snapshot is not None:
                row["grew"] = [
                    {"where": str(s.traceback), "kib": round(s.size_diff / 1024, 1), "count": s.count_diff}
                    for s in snap.compare_to(self.base_snapshot, "lineno")[:20]
                ]
        if self.trim:
            _libc.malloc_trim(0)
            row["rss_after_trim_mib"] = smaps()["rss_mib"]
        return row

    def _run(self) -> None:
        while True:
            time.sleep(self.every)
            try:
                row = self._sample()
            except Exception as exc:  # a diagnostic never kills the wall
                row = {"t": time.monotonic() - self.started, "error": repr(exc)}
            with self.out.open("a") as f:
                f.write(json.dumps(row) + "\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ours, cockpit_args = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    p = argparse.ArgumentParser(prog="python -m bench.memprobe", description=__doc__.split("\n")[0])
    p.add_argument("out", type=Path, help="append one JSON line per sample here")
    p.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    p.add_argument("--baseline", type=float, default=600.0, help="tracemalloc's baseline after S seconds")
    p.add_argument("--tracemalloc", action="store_true", help="trace the Python heap by line")
    p.add_argument("--trim", action="store_true", help="malloc_trim(0) after each sample")
    args = p.parse_args(ours)
    if args.tracemalloc:
        tracemalloc.start(int(os.environ.get("MEMPROBE_FRAMES", "1")))
    Probe(args.out, args.every, args.baseline, args.tracemalloc, args.trim).start()
    from cockpit.app.main import main as cockpit_main

    return cockpit_main(cockpit_args)


if __name__ == "__main__":
    sys.exit(main())
