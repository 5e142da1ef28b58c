"""Replay: a recording played through the same protocol core and model as the live feed.

:class:`ReplaySource` has the surface of :class:`cockpit.feed.FeedClient` that the app uses
(``start``/``stop``, ``state``, ``counters``, ``send_command``, one ``sink`` called with lists of
feed events), so the wall cannot tell the two apart except by the REPLAY marking the app puts on
every screen. Recorded frames go through a real :class:`ClientSession`, exactly as they did live:
the same decoding, sequence checks and snapshots, the same events into the same ``Situation``.

A seek rebuilds the state at the target from the nearest state snapshot before it and replays only
the frames between the two (docs/recording.md). The controls (play, pause, speed, step, loop, seek)
are plain methods; :meth:`ReplaySource.advance` moves playback on by elapsed wall time, so tests
drive it deterministically and the app's loop drives it every 16 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from cockpit.feed.client import FeedEvent
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.commands import CommandStatus, CommandUpdate
from cockpit.protocol.events import Connected, SnapshotReceived
from cockpit.protocol.link import ConnectionState
from cockpit.protocol.messages import Command, Filter, Stream, Subscribed, SubscribeMode, Welcome
from cockpit.protocol.session import ClientSession, Counters, Cursors, Position, SessionState
from cockpit.record.channels import join_runs, message_types
from cockpit.record.reader import RecordedFrame, RecordedItem, RecordedState, RecordedVideo, Recording
from cockpit.record.snapshot import StateSnapshot, decode_snapshot, snapshot_events
from cockpit.record.video import VideoSlot, apply_slots, decode_slots

log = logging.getLogger(__name__)

MIN_SPEED = 0.25
MAX_SPEED = 60.0
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
TICK_S = 0.016
TICK_BUDGET_S = 0.010
"""Most of a 16 ms frame a tick may spend feeding frames; past it playback lags, the wall paints."""


class PlayState(enum.Enum):
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Loop:
    start_ns: int
    end_ns: int


class ReplaySource:
    """Plays ``recording`` into ``sink`` as the live feed would.

    Args:
        recording: What to play.
        sink: Called with the feed events of each tick (the app's ``Cockpit._on_feed_events``).
        on_clock: Called every tick with the clock offset (ms) that makes the model's server clock
            show the replayed instant: sensor ages and staleness are those of that instant.
    """

    def __init__(
        self,
        recording: Recording,
        sink: Callable[[list[FeedEvent]], None],
        on_clock: Callable[[int], None] | None = None,
    ) -> None:
        self.recording = recording
        self.sink = sink
        self.on_clock = on_clock
        self.url = f"replay:{recording.path}"
        self.state = ConnectionState.OFFLINE
        self.detail = "not started"
        self.cursors = Cursors()
        self.counters = Counters()
        self.last_rx_wall_ms = 0
        self.epoch_changed_at = 0
        self.refused = ""
        """Never set: a recording cannot refuse (the live feed's surface, for the wall's status line)."""
        self.play_state = PlayState.PAUSED
        self.speed = 1.0
        self.loop: Loop | None = None
        self.position_ns = recording.start_ns
        self.lagging = False
        """Playback could not keep up with the speed in the last tick (it slows, the wall paints)."""
        self.frames_played = 0
        self.video_slots: dict[tuple[str, int], VideoSlot] = {}
        """(panel, slot) → the camera it showed at the replayed instant (its video is not recorded)."""
        self._server_offset_ms = 0
        self._session = self._new_session(self.position_ns)
        self._items = recording.items(self.position_ns)
        self._next: RecordedItem | None = None
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------------------ FeedClient surface

    def start(self) -> None:
        """Play from the start of the recording, ticking on the running loop."""
        self.state, self.detail = ConnectionState.LIVE, f"replay of {self.recording.name}"
        self.seek(self.recording.start_ns)
        self.play()
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="replay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.recording.close()

    def send_command(self, command: Command) -> None:
        """Nothing is sent from a replay: the command is closed at once, visibly, never queued."""
        log.warning("replay: command %s (%s) not sent: this is a replay", command.id, command.kind)
        self.sink([CommandUpdate(command, CommandStatus.EXPIRED, 0, detail="replay: nothing is sent")])

    @property
    def outbox(self) -> list[Command]:
        return []

    # ------------------------------------------------------------------------------ controls

    def play(self) -> None:
        if self.play_state is PlayState.ENDED:
            self.seek(self.loop.start_ns if self.loop else self.recording.start_ns)
        self.play_state = PlayState.PLAYING

    def pause(self) -> None:
        if self.play_state is PlayState.PLAYING:
            self.play_state = PlayState.PAUSED

    def set_speed(self, speed: float) -> None:
        """Raises:
        ValueError: ``speed`` is outside 0.25× to 60×.
        """
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"replay speed {speed}× is outside {MIN_SPEED}× to {MAX_SPEED:g}×")
        self.speed = speed

    def set_loop(self, start_ns: int, end_ns: int) -> None:
        """Play ``start_ns`` to ``end_ns`` over and over; playback jumps into it now if outside.

        Raises:
            ValueError: the selection is empty or outside the recording.
        """
        start_ns = max(start_ns, self.recording.start_ns)
        end_ns = min(end_ns, self.recording.end_ns)
        if end_ns <= start_ns:
            raise ValueError("a loop needs a selection with its end after its start, inside the recording")
        self.loop = Loop(start_ns, end_ns)
        if not start_ns <= self.position_ns < end_ns:
            self.seek(start_ns)

    def clear_loop(self) -> None:
        self.loop = None

    def step(self) -> None:
        """Pause and play exactly the next recorded frame."""
        self.pause()
        events: list[FeedEvent] = []
        while True:
            item = self._peek()
            if item is None:
                self.play_state = PlayState.ENDED
                break
            self._next = None
            if isinstance(item, RecordedFrame):
                self._feed(item, events)
                self.position_ns = item.log_ns
                break
        self._emit(events)

    def seek(self, at_ns: int) -> None:
        """Rebuild the state at ``at_ns`` from the nearest snapshot before it, then play on from there."""
        rec = self.recording
        at_ns = min(max(at_ns, rec.start_ns), rec.end_ns)
        events: list[FeedEvent] = []
        self.video_slots = {}
        found = rec.snapshot_before(at_ns)
        if found is not None:
            t, snapshot = found
            self._restore(snapshot, t, events)
            start = t + 1
        else:  # before the first snapshot: from the start, on an empty model
            self.cursors = Cursors()
            self._session = self._new_session(rec.start_ns)
            events.extend(SnapshotReceived(s.value, "", 0, ()) for s in Stream)
            start = rec.start_ns
        self._items = rec.items(start)
        self._next = None
        while (item := self._peek()) is not None and item.log_ns <= at_ns:
            self._next = None
            if isinstance(item, RecordedFrame):
                self._feed(item, events)
            elif isinstance(item, RecordedVideo):
                self._video(item)
        self.position_ns = at_ns
        if self.play_state is PlayState.ENDED:
            self.play_state = PlayState.PAUSED
        self._emit(events)

    # ------------------------------------------------------------------------------ playing

    def advance(self, elapsed_s: float) -> None:
        """Move playback on by ``elapsed_s`` of wall time at the current speed."""
        if self.play_state is not PlayState.PLAYING:
            self._tell_clock()
            return
        target = self.position_ns + int(elapsed_s * self.speed * 1e9)
        loop = self.loop
        if loop is not None and target >= loop.end_ns:
            target = loop.end_ns
        events: list[FeedEvent] = []
        started = time.perf_counter()
        self.lagging = False
        while True:
            item = self._peek()
            if item is None:
                self.play_state = PlayState.ENDED
                self.position_ns = self.recording.end_ns
                break
            if item.log_ns > target:
                self.position_ns = target
                break
            self._next = None
            if isinstance(item, RecordedFrame):
                self._feed(item, events)
            elif isinstance(item, RecordedVideo):
                self._video(item)
            elif self._session.state is not SessionState.OPEN:
                self._resume_from(item, events)
            self.position_ns = item.log_ns
            if time.perf_counter() - started > TICK_BUDGET_S:
                self.lagging = True  # too much for one frame: the rest waits for the next tick
                break
        self._emit(events)
        if (loop is not None and self.position_ns >= loop.end_ns) or (
            self.play_state is PlayState.ENDED and loop is not None
        ):
            self.seek(loop.start_ns)
            self.play_state = PlayState.PLAYING
        self._tell_clock()

    async def _run(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            now = time.monotonic()
            try:
                self.advance(now - last)
            except Exception:  # a replay bug must not kill the loop; it is logged loudly
                log.exception("replay failed at %d", self.position_ns)
                self.pause()
            last = now

    # ------------------------------------------------------------------------------ internals

    def _peek(self) -> RecordedItem | None:
        if self._next is None:
            self._next = next(self._items, None)
        return self._next

    def _new_session(self, at_ns: int) -> ClientSession:
        session = ClientSession(
            client_id="replay",
            operator="replay",
            role="viewer",
            token="",
            subscriptions={s.value: Filter() for s in Stream},
            cursors=self.cursors,
            counters=self.counters,
        )
        session.start(at_ns // 1_000_000)
        return session

    def _restore(self, snapshot: StateSnapshot, at_ns: int, events: list[FeedEvent]) -> None:
        """Bring a fresh session to where the live one was when the snapshot was taken."""
        now_ms = at_ns // 1_000_000
        self.cursors = Cursors({s: Position(e, q) for s, (e, q) in snapshot.cursors.items()})
        session = self._new_session(at_ns)
        epochs = {s.value: snapshot.cursors.get(s.value, ("", 0))[0] for s in Stream}
        welcome = snapshot.welcome or Welcome(
            v=1, server_id="recording", epochs=epochs, capabilities=[], server_time=now_ms
        )
        session.receive_data(encode_frame([welcome]), now_ms)
        offered = [s.value for s in Stream if s.value in welcome.epochs]
        answers = [
            Subscribed(
                stream=s,
                epoch=self.cursors.get(s).epoch,
                mode=SubscribeMode.RESUME,
                seq=self.cursors.get(s).seq,
            )
            for s in offered
        ]
        session.receive_data(encode_frame(answers), now_ms)
        session.events_received()  # the synthetic handshake's events are not news to the model
        session.data_to_send(now_ms)
        self._session = session
        self._server_offset_ms = snapshot.clock_offset_ms
        self.video_slots = {}
        apply_slots(self.video_slots, snapshot.video)
        events.extend(snapshot_events(snapshot))

    def _video(self, item: RecordedVideo) -> None:
        try:
            apply_slots(self.video_slots, decode_slots(item.data))
        except Exception as exc:  # a damaged message costs only itself
            self.recording.problem(f"video slot changes at {item.log_ns} are damaged ({exc})")

    def _resume_from(self, item: RecordedState, events: list[FeedEvent]) -> None:
        """A recording that starts mid-connection (its first segments deleted, say) has no welcome
        to start from: its first state snapshot is where playing can begin."""
        try:
            snapshot = decode_snapshot(item.data)
        except Exception as exc:
            self.recording.problem(f"state snapshot at {item.log_ns} is damaged ({exc})")
            return
        self._restore(snapshot, item.log_ns, events)

    def _feed(self, frame: RecordedFrame, events: list[FeedEvent]) -> None:
        now_ms = frame.log_ns // 1_000_000
        data = join_runs(list(frame.runs))
        reconnected = frame.control and self._session.state is not SessionState.HANDSHAKE
        if reconnected and "welcome" in message_types(data):  # the live feed reconnected here: so do we
            self._session.close()
            self._session = self._new_session(frame.log_ns)
        self._session.receive_data(data, now_ms)
        for ev in self._session.events_received():
            if isinstance(ev, Connected):
                self._server_offset_ms = ev.clock_offset_ms
            events.append(ev)
        self._session.data_to_send(now_ms)  # subscribes and heartbeats go nowhere in a replay
        self.frames_played += 1
        self.last_rx_wall_ms = time.time_ns() // 1_000_000

    def _emit(self, events: list[FeedEvent]) -> None:
        if events:
            try:
                self.sink(events)
            except Exception:  # a sink bug must not kill the replay; it is logged loudly
                log.exception("replay sink failed on %d events", len(events))
        self._tell_clock()

    def server_now_ms(self) -> int:
        """The backend's clock at the replayed instant."""
        return self.position_ns // 1_000_000 + self._server_offset_ms

    def _tell_clock(self) -> None:
        if self.on_clock is not None:
            self.on_clock(self.server_now_ms() - time.time_ns() // 1_000_000)
