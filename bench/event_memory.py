"""What a closed event costs the wall's memory, through the whole cockpit (offscreen).

``python -m bench.event_memory [--events N] [--keep K]`` builds the default wall, raises and closes
N events (20 per painted frame, 5 s of server time apart) after 2,000 to warm up, and reports the
Python heap (tracemalloc) and the resident memory they added, per event, with the situation keeping
at most K closed events (default: ``Situation.MAX_CLOSED_EVENTS``; ``--keep 0`` lifts the bound, as
before issue 19). The lines that grew most say where it went.

Found by ``bench.wall_soak --probe``: the situation kept every event the feed ever sent.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.event_memory", description=__doc__.split("\n")[0])
    p.add_argument("--events", type=int, default=5000, help="events raised and closed after the warm-up")
    p.add_argument("--keep", type=int, help="closed events kept (0: no bound)")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    import cockpit.model.situation as situation_module
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity
    from cockpit.present.wall_layout import ScreenInfo
    from cockpit.protocol.events import DataReceived
    from cockpit.protocol.messages import Event

    if args.keep is not None:
        situation_module.MAX_CLOSED_EVENTS = args.keep or sys.maxsize
    c = Cockpit(["ws://127.0.0.1:9"], Identity("bench", "officer", "viewer"))
    c.wall.place([ScreenInfo(f"v{i}", "bench", "virtual", f"S{i}", i * 1920, 0, 1920, 1080) for i in range(5)])
    seq = 0
    now = int(time.time() * 1000)

    def frame(first: int, n: int) -> None:
        nonlocal seq, now
        now += 5000
        msgs = []
        for i in range(first, first + n):
            for state in ("new", "closed"):
                seq += 1
                msgs.append(
                    Event(
                        stream="events", seq=seq, prev=seq - 1, ts=now, id=f"bench-{i:07d}", type="water_main_burst",
                        severity=2, time=now, lon=106.5, lat=29.5, district="lakeside", state=state,
                        title=f"Water-main burst {i}", theme="water", source=f"lakeside-pipe_pressure-{i % 50:03d}",
                        active=state == "new",
                    )
                )  # fmt: skip
        c.situation.apply([DataReceived(tuple(msgs))])
        c.frame()

    def rss_mib() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    for k in range(0, 2000, 20):
        frame(k, 20)
    gc.collect()
    tracemalloc.start()
    before, rss0 = tracemalloc.take_snapshot(), rss_mib()
    for k in range(2000, 2000 + args.events, 20):
        frame(k, 20)
    gc.collect()
    grown = tracemalloc.take_snapshot().compare_to(before, "lineno")
    heap = sum(s.size_diff for s in grown)
    bound = situation_module.MAX_CLOSED_EVENTS
    print(
        f"{args.events} events raised and closed, {len(c.situation.events)} kept "
        f"(closed ones kept: {'no bound' if bound == sys.maxsize else bound}): "
        f"Python heap {heap / 2**20:+.2f} MiB = {heap / args.events:.0f} B an event; "
        f"RSS {rss_mib() - rss0:+.1f} MiB"
    )
    for s in grown[:8]:
        print("  ", s)
    c.wall.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
