"""A drill's sandbox: its own demo backend, the injects on their schedule, and the drill's log.

A drill never touches real units. :class:`DrillSandbox` starts a private demo city (simulated up to
the script's scenario second, or seeded with the situation at an instant of a recording) on a daemon thread
with its own asyncio loop, listening on a free loopback port of this machine, exactly like the
embedded demo backend (cockpit/app/embedded.py). The drill's cockpit builds its feed from
:meth:`DrillSandbox.feed_urls` alone, which refuses any other URL: a live backend's URL (from
``--backend`` or a site file) never reaches the drill's feed, so no drill command can reach it.

On the sandbox's loop a :class:`DrillDirector` applies the script's injects when the drill clock
reaches them (drill seconds: the scenario clock since the start; a pause stops it), applies the
trainer's injects by hand, and logs every event state, every command the trainees send (with who sent
it and the answer) and every inject, for the trainer console and the report
(:mod:`cockpit.record.drill_report`).

A script with ``cameras: true`` gets the demo cameras too: the sandbox publishes their catalog and
the demo's RTSP server streams them on loopback (cockpit/backend/cameras), so the drill's alarms
bring their cameras into the runways' video slots as the live wall's do; an event inject can name
the cameras that see it.

No Qt. The sandbox's controls are thread-safe: the Qt thread calls them, they run on the sandbox loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from cockpit.backend import injects
from cockpit.backend.cameras.demo import DemoCameras, serve_demo_cameras
from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend, now_ms
from cockpit.backend.streams import Hub
from cockpit.model.plots import PlotRecord
from cockpit.protocol.messages import PLOT_COMMANDS, Command, CommandAck, Event, Stream
from cockpit.record.drill_report import DrillLog, EventSeen, InjectFired, TraineeAction
from cockpit.record.drill_script import (
    DrillScript,
    EventInject,
    FailureMode,
    Inject,
    RecordingStart,
    SensorFailureInject,
    UnitSilentInject,
    WeatherInject,
    inject_kind,
)
from cockpit.record.drill_start import parse_instant, recorded_situation

log = logging.getLogger(__name__)

POLL_S = 0.05
"""How often the director looks at the drill clock and the event log (real seconds)."""
SERVER_ID = "drill-sandbox"


class DrillSandboxError(RuntimeError):
    """The sandbox did not start, or was asked to talk to a backend that is not itself."""


class SandboxCity(City):
    """The drill's city: it tells the director about every command it is given, and the answer."""

    def __init__(self, hub: Hub, *, seed: int, rate: float, event_rate: float) -> None:
        super().__init__(hub, seed=seed, rate=rate, event_rate=event_rate)
        self.director: DrillDirector | None = None

    def handle_command(self, command: Command, role: str, operator: str = "") -> CommandAck:
        ack = super().handle_command(command, role, operator)
        if self.director is not None:
            self.director.command_handled(command, role, operator, ack)
        return ack


class DrillDirector:
    """Runs a drill on the sandbox's loop: the clock, the injects, and the log.

    Args:
        city: The sandbox city, already at the drill's starting scenario second.
        backend: Its server (the director pauses it).
        script: The drill.
    """

    def __init__(self, city: SandboxCity, backend: DemoBackend, script: DrillScript) -> None:
        self.city = city
        self.backend = backend
        self.script = script
        self.start_clock = city.now
        self._pending: list[Inject] = list(script.injects)
        self._lock = threading.Lock()
        self._log = DrillLog(script, started_at=time.time())
        events = city.hub.logs[Stream.EVENTS]
        self._scanned = events.seq
        for ev in city.state.events.values():  # open at the start: they appear at 0 s
            if ev.state != "closed":
                self._seen(ev, 0.0)

    def note(self, text: str) -> None:
        """Something the trainer should know about the drill (logged, and kept in the drill's log)."""
        log.warning("drill %s: %s", self.script.id, text)
        with self._lock:
            self._log.notes.append(text)

    @property
    def t(self) -> float:
        """Drill seconds so far."""
        return max(0.0, self.city.now - self.start_clock)

    def snapshot(self) -> DrillLog:
        """A copy of the log so far (any thread)."""
        with self._lock:
            self._log.end_t = min(self.t, self.script.duration)
            return self._log.copy()

    @property
    def finished(self) -> bool:
        return self._log.finished

    def poll(self) -> None:
        """On the sandbox loop: fire injects that are due, log event changes, end on time."""
        if self._log.finished:
            return
        t = self.t
        while self._pending and self._pending[0].at <= t:
            self.fire(self._pending.pop(0), by_hand=False)
        self._scan_events()
        if t >= self.script.duration:
            self.backend.running = False  # the city holds still at the end; the wall stays live
            with self._lock:
                self._log.finished = True
                self._log.end_t = self.script.duration
            log.info("drill %s finished at %.0f s", self.script.id, t)

    def fire(self, inject: Inject, by_hand: bool) -> InjectFired:
        """Apply one inject now (on the sandbox loop) and log it; a failure is logged, not raised."""
        event_id, error = "", ""
        try:
            event_id = self._apply(inject)
        except injects.InjectError as exc:
            error = str(exc)
            log.error("drill inject %r failed: %s", inject.describe(), exc)
        fired = InjectFired(
            t=self.t,
            kind=inject_kind(inject),
            label=inject.describe(),
            event_id=event_id,
            error=error,
            by_hand=by_hand,
            targets=inject.targets if isinstance(inject, EventInject) else None,
        )
        with self._lock:
            self._log.injects.append(fired)
        self._scan_events()
        return fired

    def _apply(self, inject: Inject) -> str:
        city = self.city
        if isinstance(inject, EventInject):
            ev = injects.inject_event(
                city,
                type=inject.type,
                theme=inject.theme,
                district=inject.district,
                severity=inject.severity,
                title=inject.title,
                near=inject.near,
                attrs=inject.attrs,
                cameras=inject.cameras,
            )
            return ev.id
        if isinstance(inject, SensorFailureInject):
            fault = inject.value if inject.mode is FailureMode.FAULT else None
            injects.fail_sensor(city, inject.sensor, fault)
        elif isinstance(inject, WeatherInject):
            injects.change_weather(city, rain=inject.rain, wind=inject.wind, temperature=inject.temperature)
        elif isinstance(inject, UnitSilentInject):
            injects.silence_unit(city, inject.unit)
        return ""

    def command_handled(self, command: Command, role: str, operator: str, ack: CommandAck) -> None:
        """Called by the sandbox city for every command: one trainee action in the log."""
        result = ack.original if ack.result == "duplicate" else ack.result
        if ack.result == "duplicate":
            return  # a resend of the same click is not a new action
        action = TraineeAction(
            t=self.t,
            operator=operator,
            role=role,
            kind=command.kind,
            event_id=command.event_id,
            unit_id=command.unit_id,
            result=result,
            reason=ack.reason,
        )
        with self._lock:
            self._log.actions.append(action)
            if command.kind in PLOT_COMMANDS and result == "accepted":  # the drawing as it stands now
                self._log.plots = [PlotRecord.from_message(p) for p in self.city.plots.register.active()]
        self._scan_events()

    def _scan_events(self) -> None:
        events = self.city.hub.logs[Stream.EVENTS]
        if events.seq == self._scanned:
            return
        t = self.t
        if not events.can_resume_after(self._scanned):  # fell out of the log: take the state
            for ev in self.city.state.events.values():
                self._seen(ev, t)
        else:
            for entry in events.since(self._scanned):
                if isinstance(entry.message, Event):
                    self._seen(entry.message, t)
        self._scanned = events.seq

    def _seen(self, ev: Event, t: float) -> None:
        seen = EventSeen(
            t, ev.id, ev.type, ev.title, int(ev.severity), ev.district, str(ev.state), ev.source, ev.theme
        )
        with self._lock:
            self._log.events.append(seen)


def _start_from_recording(city: City, start: RecordingStart) -> list[str]:
    """Seed ``city`` with the situation at the start's instant; returns the notes for the trainer.

    Raises:
        RecordingError: the recording cannot give that situation (the message names file and why).
    """
    situation = recorded_situation(Path(start.path), parse_instant(start.at), city.hub.now_ms())
    unknown = city.load_situation(
        clock=start.clock,
        events=situation.events,
        units=situation.units,
        dispatches=situation.dispatches,
        overlays=situation.overlays,
        sensors=situation.sensors,
    )
    city.plots.load(situation.plots)  # the drawing as it stood: the trainees go on from it
    notes = [f"recording {start.path}: {problem}" for problem in situation.problems]
    if unknown:
        shown = ", ".join(sorted(unknown)[:10]) + (", …" if len(unknown) > 10 else "")
        notes.append(
            f"{len(unknown)} recorded sensors are not in the drill's city and were left out: {shown}"
        )
    log.info(
        "drill: started from %s at %s: %d open events, %d units, %d overlays, %d plots, %d sensor values",
        start.path,
        start.at,
        len(situation.events),
        len(situation.units),
        len(situation.overlays),
        len(situation.plots),
        len(situation.sensors) - len(unknown),
    )
    return notes


class DrillSandbox:
    """The drill's private demo backend on a daemon thread, with its director.

    Args:
        script: The drill (its start sets seed, clock, speed and rate; a ``start.recording``
            also the situation the city starts from, cockpit/record/drill_start.py).
        port: Loopback port; 0 picks a free one. A restart reuses the port, so the cockpit's feed
            simply reconnects (and reloads, the new sandbox being in a new epoch).
        cameras: The demo cameras, already serving, for a script with ``cameras: true`` (the drill
            session keeps one camera server for all its drills); None: the sandbox starts its own
            and stops it with itself. A script without cameras publishes none either way.
    """

    def __init__(self, script: DrillScript, port: int = 0, cameras: DemoCameras | None = None) -> None:
        self.script = script
        self.port = port
        self.cameras = cameras
        """The demo cameras this drill publishes (their credential is for the drill's wall)."""
        self._own_cameras = False
        self.url = ""
        self.error: BaseException | None = None
        self.director: DrillDirector | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._backend: DemoBackend | None = None
        self._thread = threading.Thread(target=self._main, name="drill-sandbox", daemon=True)

    # ---------------------------------------------------------------------------- lifecycle

    def start(self, timeout: float = 60.0) -> str:
        """Start, wait until it listens, and return its websocket URL.

        Raises:
            DrillSandboxError: it did not come up.
        """
        self._thread.start()
        if not self._ready.wait(timeout) or self.error is not None or not self.url:
            raise DrillSandboxError(f"drill sandbox did not start: {self.error!r}")
        return self.url

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):  # its loop has already closed
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        if self._own_cameras and self.cameras is not None:
            self.cameras.stop()

    def feed_urls(self, requested: Sequence[str] = ()) -> list[str]:
        """The only URLs a drill's feed may use: this sandbox's own.

        Args:
            requested: URLs someone wants the drill to use; each must be this sandbox.

        Raises:
            DrillSandboxError: the sandbox is not running, or a requested URL is another backend.
        """
        if not self.url:
            raise DrillSandboxError("the drill sandbox is not running")
        for url in requested:
            if not self.owns(url):
                raise DrillSandboxError(
                    f"a drill talks only to its own sandbox ({self.url}); refusing {url}: "
                    "drill commands must never reach a live backend"
                )
        return [self.url]

    def owns(self, url: str) -> bool:
        """Whether ``url`` is this sandbox (loopback, this port, while it runs)."""
        parts = urlsplit(url)
        return (
            bool(self.url)
            and parts.scheme == "ws"
            and parts.hostname in ("127.0.0.1", "localhost")
            and parts.port == urlsplit(self.url).port
        )

    # ---------------------------------------------------------------------------- controls

    @property
    def paused(self) -> bool:
        return self._backend is not None and not self._backend.running

    def pause(self) -> None:
        """Stop the drill clock: the city, its dispatches and the injects hold still."""
        self._call(self._set_running, False)

    def resume(self) -> None:
        self._call(self._set_running, True)

    def inject(self, inject: Inject) -> None:
        """Apply ``inject`` now, by the trainer's hand."""
        self._call(self._inject_now, inject)

    def snapshot(self) -> DrillLog:
        """The drill's log so far (any thread)."""
        if self.director is None:
            raise DrillSandboxError("the drill sandbox is not running")
        return self.director.snapshot()

    @property
    def finished(self) -> bool:
        return self.director is not None and self.director.finished

    def _call(self, fn: object, *args: object) -> None:
        assert callable(fn)
        if self._loop is None:
            raise DrillSandboxError("the drill sandbox is not running")
        self._loop.call_soon_threadsafe(fn, *args)

    def _set_running(self, running: bool) -> None:
        if self._backend is not None and self.director is not None and not self.director.finished:
            self._backend.running = running

    def _inject_now(self, inject: Inject) -> None:
        if self.director is not None:
            self.director.fire(inject, by_hand=True)

    # ---------------------------------------------------------------------------- thread

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the starter, never silent
            self.error = exc
            log.exception("drill sandbox failed")
            self._ready.set()

    def _publish_cameras(self, city: City) -> list[str]:
        """Start (unless given) and publish the demo cameras of a script that wants them; a
        machine that cannot serve them runs the drill without, and the trainer is told why."""
        if not self.script.cameras:
            return []
        if self.cameras is None:
            self.cameras, self._own_cameras = serve_demo_cameras(), True
        if self.cameras.publish(city):
            return []
        return [f"the drill runs without its cameras: {self.cameras.error or 'the camera server stopped'}"]

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        sc = self.script.scenario
        city = SandboxCity(Hub(), seed=sc.seed, rate=sc.rate, event_rate=sc.events_per_min)
        # The scenario clock starts at the script's second, so the drill opens on that situation.
        city.time_origin_ms = now_ms() - int(sc.clock * 1000)
        notes = self._publish_cameras(city)  # first: the alarms before the start name their cameras
        recorded = self.script.start.recording
        notes += _start_from_recording(city, recorded) if recorded is not None else []
        if recorded is None and sc.clock > 0:
            city.advance(sc.clock)
        backend = DemoBackend(city, speed=sc.speed, server_id=SERVER_ID)
        director = DrillDirector(city, backend, self.script)
        for text in notes:
            director.note(text)
        city.director = director
        self._backend, self.director = backend, director
        await backend.start("127.0.0.1", self.port)
        self.port = backend.port
        self.url = backend.url
        self._ready.set()
        log.info("drill %s: sandbox at %s (seed %d, clock %g s)", self.script.id, self.url, sc.seed, sc.clock)
        try:
            while not self._stop.is_set():
                director.poll()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), POLL_S)
        finally:
            await backend.stop()
