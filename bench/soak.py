"""Soak: an accelerated 24-hour-equivalent run through the real wiring (issue 8, "Soak").

``python -m bench.soak`` (defaults: 100 M messages, 10 M Qt signal emits) starts two processes:

- a **firehose** backend: protocol v1 over a real loopback websocket; after the handshake and a
  snapshot of a real demo city, it streams frames of 200 sequenced messages (sensor batches of
  the city's sensors, updates of its events and units, cycling over fixed ids so that the model's
  size stays that of a real shift) as fast as the client takes them;
- the **cockpit**: :class:`cockpit.app.wiring.Cockpit` on a qasync loop, offscreen, with the wall's
  runway screens and console shown and its 16 ms frame timer painting. Messages go the real way:
  websocket → ``ClientSession`` → feed sink → ``Situation.apply`` → ``Wall.frame``. Between frames,
  bursts of real Qt signal emits go through the wiring's connections (event selection, the shared
  selection, the dispatch request, the flash timer), paced so that both targets end together.

The cockpit prints a sample (messages, emits, RSS) every few seconds; this process records them,
and the exit status says whether it crashed (PySide6 6.12 on Python 3.11 aborts with
``Fatal Python error: bool_dealloc`` after a few hundred emits: such a run ends with SIGABRT).
At 1,200 messages a second, 100 M messages is a 24-hour shift of a busy district backend.

``--quick``: 2 M messages and 200 k emits (tests/reliability/test_soak_short.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

FRAME_MESSAGES = 200
EVENT_EVERY = 400
"""One message in this many is an event update (a busy shift: a few a second at 1,200 msg/s)."""
UNIT_EVERY = 1000
SAMPLE_S = 5.0
PAGE = resource.getpagesize()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


# ------------------------------------------------------------------------------------- firehose


class Firehose:
    """Generates sequenced protocol messages from a real demo city's catalog, events and units."""

    def __init__(self, seed: int = 1) -> None:
        from cockpit.backend.city import City
        from cockpit.backend.streams import Hub
        from cockpit.protocol.messages import Event, Filter, SensorCatalog, Stream, Unit

        self.city = City(Hub(), seed=seed, rate=2000)
        self.city.advance(600.0)  # a city some minutes into its day: events, units, sensors
        self.epoch = self.city.hub.epoch
        self.seq = {s.value: self.city.hub.logs[s.value].seq for s in Stream}
        self.snapshots = {s.value: self.city.snapshot(s.value, Filter()) for s in Stream}
        # No recommended units: the soak's dispatch emits must not turn into real commands.
        self.events = [
            msgspec.structs.replace(m, recommended=[])
            for m in self.snapshots["events"]
            if isinstance(m, Event)
        ]
        self.snapshots["events"] = [
            msgspec.structs.replace(m, recommended=[]) if isinstance(m, Event) else m
            for m in self.snapshots["events"]
        ]
        self.units = [m for m in self.snapshots["dispatch"] if isinstance(m, Unit)]
        ids = [s.id for m in self.snapshots["sensors"] if isinstance(m, SensorCatalog) for s in m.sensors]
        self.sensor_ids = np.array(ids, dtype="<u4")
        self.rng = np.random.default_rng(seed)
        self.sent = 0

    def _next(self, stream: str) -> tuple[int, int]:
        prev = self.seq[stream]
        self.seq[stream] = prev + 1
        return prev + 1, prev

    def frame(self) -> list[msgspec.Struct]:
        from cockpit.protocol.messages import SensorBatch

        now = time.time_ns() // 1_000_000
        out: list[msgspec.Struct] = []
        picks = self.rng.integers(0, len(self.sensor_ids), size=(FRAME_MESSAGES, 4))
        values = self.rng.random((FRAME_MESSAGES, 4), dtype=np.float32) * 10
        for i in range(FRAME_MESSAGES):
            n = self.sent + i
            if n % EVENT_EVERY == 0 and self.events:
                seq, prev = self._next("events")
                ev = self.events[(n // EVENT_EVERY) % len(self.events)]
                state = "acknowledged" if (n // EVENT_EVERY) % 2 else "new"
                out.append(msgspec.structs.replace(ev, seq=seq, prev=prev, ts=now, state=state))
            elif n % UNIT_EVERY == 1 and self.units:
                seq, prev = self._next("dispatch")
                out.append(
                    msgspec.structs.replace(
                        self.units[(n // UNIT_EVERY) % len(self.units)], seq=seq, prev=prev, ts=now
                    )
                )
            else:
                seq, prev = self._next("sensors")
                out.append(
                    SensorBatch(
                        stream="sensors",
                        seq=seq,
                        prev=prev,
                        ts=now,
                        ttl_ms=600_000,
                        ids=self.sensor_ids[picks[i]].tobytes(),
                        values=values[i].tobytes(),
                    )
                )
        self.sent += FRAME_MESSAGES
        return out


async def serve(port: int) -> None:
    """Run the firehose backend until killed; prints ``PORT n`` when listening."""
    import websockets
    from websockets.asyncio.server import ServerConnection, serve

    from cockpit.protocol.codec import encode_frame
    from cockpit.protocol.server import Gate, ServerConfig, ServerProtocol, SubscriptionRequested

    hose = Firehose()

    class _Head:
        """A stream as the server core sees it: only its head (the pump sends the data itself)."""

        def __init__(self, stream: str) -> None:
            self.stream = stream

        @property
        def seq(self) -> int:
            return hose.seq[self.stream]

        @property
        def oldest(self) -> int:
            return hose.seq[self.stream] + 1

        def holds_after(self, seq: int) -> bool:
            return seq >= hose.seq[self.stream]

        def since(self, seq: int) -> list[Any]:
            return []

    class _Streams:
        def epochs(self) -> dict[str, str]:
            return dict.fromkeys(hose.seq, hose.epoch)

        def log(self, stream: str) -> _Head:
            return _Head(stream)

        def district_of(self, command: Any) -> str:
            return ""

    config = ServerConfig(
        "soak-firehose", ("batch", "snapshot"), heartbeat_ms=1000, max_frame_bytes=4 * 1024 * 1024, client_timeout_ms=0
    )

    async def pump(ws: ServerConnection) -> None:
        while True:
            await ws.send(encode_frame(hose.frame()))  # waits while the client is behind

    async def handler(ws: ServerConnection) -> None:
        now = time.time_ns() // 1_000_000
        core = ServerProtocol(config, _Streams(), Gate(), "soak", now)
        pumping: asyncio.Task[None] | None = None
        subscribed = False
        try:
            async for data in ws:
                now = time.time_ns() // 1_000_000
                core.receive_data(data if isinstance(data, bytes) else data.encode(), now)
                for ev in core.events_received():
                    if isinstance(ev, SubscriptionRequested):
                        subscribed = True
                        seq, items = hose.seq[ev.stream], hose.snapshots[ev.stream]
                        items = [msgspec.structs.replace(m, seq=seq) for m in items]
                        core.snapshot(ev.stream, seq, items, ev.decision.reason)
                for frame in core.data_to_send(now):
                    await ws.send(frame)
                if pumping is None and subscribed:
                    pumping = asyncio.create_task(pump(ws))
        except websockets.ConnectionClosed:
            pass  # the cockpit stopped: the run is over
        finally:
            if pumping is not None:
                pumping.cancel()

    async with serve(
        handler, "127.0.0.1", port, compression=None, max_size=4 * 1024 * 1024, ping_interval=None
    ) as server:
        print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
        parent = os.getppid()
        while os.getppid() == parent:  # the driver died (killed by a test timeout): stop too
            await asyncio.sleep(1.0)


# ------------------------------------------------------------------------------------- cockpit


def run_cockpit(url: str, messages: int, emits: int, screens: int, sample_s: float) -> None:
    """The cockpit side: prints ``SOAK {json}`` samples and a final ``SOAK-DONE {json}``."""
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity
    from cockpit.present.wall_layout import virtual_screens

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    c = Cockpit([url], Identity("soak", "soak-operator", "operator"))
    c.place(virtual_screens(screens))
    c.wall.show(full_screen=False)
    from cockpit.app.panels import DispatchPanelView, EventsPanelView
    from cockpit.present.runway_spec import PanelKind

    # The first runway with an event list, and the first with a dispatch panel.
    events_panel = next(p for v in c.wall.views.values() if isinstance(p := v.panel(PanelKind.EVENTS), EventsPanelView))
    runway = next(v for v in c.wall.views.values() if isinstance(v.panel(PanelKind.DISPATCH), DispatchPanelView))
    dispatch_view = runway.panel(PanelKind.DISPATCH)
    assert isinstance(dispatch_view, DispatchPanelView)
    events_view, banner = events_panel.list, runway.banner
    dispatch = dispatch_view.panel.dispatch_requested
    flash = c.flash_timer.timeout
    t0 = time.monotonic()
    emitted = 0

    def sample(kind: str) -> None:
        counters = c.feed.counters
        row: dict[str, Any] = {
            "t": round(time.monotonic() - t0, 2),
            "messages": counters.messages,
            "emits": emitted,
            "rss_mb": round(rss_mb(), 1),
            "frames": c.frames,
            "reconnects": counters.reconnects,
            "gaps": counters.gaps,
            "malformed": counters.malformed,
            "state": c.feed.state.value,
        }
        print(f"{kind} {json.dumps(row)}", flush=True)

    async def main() -> None:
        nonlocal emitted
        c.start()
        next_sample = time.monotonic() + sample_s
        ids: list[str] = []
        while c.feed.counters.messages < messages or emitted < emits:
            # Emits keep pace with messages, so that both end together.
            due = (
                emits
                if c.feed.counters.messages >= messages
                else emits * c.feed.counters.messages // messages
            )
            if not ids and c.situation.events:
                ids = list(c.situation.events)[:50]
            burst = 0
            while emitted < due and burst < 4000:
                eid = ids[burst % len(ids)] if ids else ""
                events_view.selection_changed.emit(eid)  # a str through a slot
                banner.alarm_clicked.emit(eid)  # a choice, through the shared selection
                dispatch.emit()  # no arguments; no recommended unit, so no command
                flash.emit()  # the flash timer's tick, to every runway
                emitted += 4
                burst += 4
            if time.monotonic() >= next_sample:
                next_sample += sample_s
                sample("SOAK")
            await asyncio.sleep(0.004)
        sample("SOAK-DONE")
        await c.stop()

    with contextlib.suppress(KeyboardInterrupt):
        loop.run_until_complete(main())


# ------------------------------------------------------------------------------------- driver


def soak(
    messages: int, emits: int, screens: int, sample_s: float, progress: Path | None = None
) -> dict[str, Any]:
    """Run the firehose and the cockpit as child processes; return the figures."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    me = [sys.executable, "-m", "bench.soak"]
    server = subprocess.Popen([*me, "--serve"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("PORT "):
            raise SystemExit(f"firehose did not start: {line!r}")
        url = f"ws://127.0.0.1:{int(line.split()[1])}"
        t0 = time.monotonic()
        cockpit = subprocess.Popen(
            [
                *me,
                "--cockpit",
                url,
                "--messages",
                str(messages),
                "--emits",
                str(emits),
                "--screens",
                str(screens),
                "--sample-s",
                str(sample_s),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        samples: list[dict[str, Any]] = []
        done: dict[str, Any] | None = None
        assert cockpit.stdout is not None
        for out in cockpit.stdout:
            kind, _, body = out.partition(" ")
            if kind in ("SOAK", "SOAK-DONE"):
                row = json.loads(body)
                samples.append(row)
                print(
                    f"  {row['t']:8.1f} s {row['messages']:>13,} msgs {row['emits']:>12,} emits "
                    f"{row['rss_mb']:8.1f} MB {row['state']}",
                    flush=True,
                )
                if kind == "SOAK-DONE":
                    done = row
                if progress is not None:  # a long run that is stopped early still has its figures
                    progress.write_text(json.dumps({"partial": done is None, "samples": samples}))
        code = cockpit.wait()
        stderr = cockpit.stderr.read() if cockpit.stderr else ""
    finally:
        server.kill()
        server.wait()
    seconds = time.monotonic() - t0
    last = done or (samples[-1] if samples else {})
    # RSS from after the warm-up (the first tenth of the messages: caches, the first snapshot, Qt's
    # first paints), so that growth measures a leak, not start-up.
    warm = next((s for s in samples if s["messages"] >= messages // 10), samples[0] if samples else {})
    rss_start, rss_end = warm.get("rss_mb", 0.0), last.get("rss_mb", 0.0)
    return {
        "crashed": code != 0,
        "exit_code": code,
        "stderr_tail": stderr[-2000:] if code != 0 else "",
        "messages": last.get("messages", 0),
        "emits": last.get("emits", 0),
        "seconds": round(seconds, 1),
        "messages_per_s": round(last.get("messages", 0) / seconds) if seconds else 0,
        "rss_first_mb": samples[0]["rss_mb"] if samples else 0.0,
        "rss_start_mb": rss_start,
        "rss_end_mb": rss_end,
        "rss_max_mb": max((s["rss_mb"] for s in samples), default=0.0),
        "rss_growth_pct": round(100 * (rss_end - rss_start) / rss_start, 1) if rss_start else 0.0,
        "reconnects": last.get("reconnects", 0),
        "gaps": last.get("gaps", 0),
        "malformed": last.get("malformed", 0),
        "frames_painted": last.get("frames", 0),
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=100_000_000)
    p.add_argument("--emits", type=int, default=10_000_000)
    p.add_argument("--quick", action="store_true", help="2 M messages and 200 k emits")
    p.add_argument("--screens", type=int, default=5, help="virtual screens of the wall")
    p.add_argument("--sample-s", type=float, default=SAMPLE_S)
    p.add_argument("--json", type=Path, help="write the figures here")
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--cockpit", metavar="URL", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        asyncio.run(serve(0))
        return
    if args.quick:
        args.messages, args.emits = 2_000_000, 200_000
    if args.cockpit:
        run_cockpit(args.cockpit, args.messages, args.emits, args.screens, args.sample_s)
        return
    figures = soak(args.messages, args.emits, args.screens, args.sample_s, args.json)
    summary = {k: v for k, v in figures.items() if k != "samples"}
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    if figures["crashed"]:
        raise SystemExit(f"the cockpit crashed (exit {figures['exit_code']})")


if __name__ == "__main__":
    main()
