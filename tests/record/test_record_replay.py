"""Recording a real loopback session and replaying it through the same protocol core and model."""

from __future__ import annotations

import asyncio
import collections
from pathlib import Path

import pytest
from mcap.reader import make_reader

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
from cockpit.feed.client import FeedEvent
from cockpit.model import Situation
from cockpit.protocol.messages import Stream, Welcome
from cockpit.record import RecordingError
from cockpit.record.channels import CONTROL_TOPIC, SOURCE_METADATA, STATE_TOPIC, STREAM_TOPICS, join_runs
from cockpit.record.reader import Recording
from cockpit.record.recorder import Recorder, segments_in
from cockpit.record.replay import PlayState, ReplaySource
from cockpit.record.snapshot import StateMirror, StateSnapshot, take_snapshot
from tests.helpers import city_digest, wait_until

IDENTITY = Identity("test-cockpit", "officer-1", "operator")


class Live:
    """A demo backend, a feed recording into ``directory`` and a model fed as the app feeds it."""

    def __init__(self, directory: Path, **recorder_args: object) -> None:
        city = City(Hub(), seed=11, rate=600, event_rate=240, sensors_per_kind=4)
        self.backend = DemoBackend(city, heartbeat_ms=300, speed=4)
        self.model = Situation()
        self.mirror = StateMirror()
        self.feed: FeedClient | None = None
        self.recorder = Recorder(directory, state=self._state, **recorder_args)  # type: ignore[arg-type]

    def _state(self, welcome: Welcome | None, wall_ms: int) -> StateSnapshot | None:
        feed = self.feed
        if feed is None or feed.state is not ConnectionState.LIVE:
            return None
        return take_snapshot(self.mirror, self.model.sensors, feed.cursors, welcome, wall_ms)

    def _sink(self, events: list[FeedEvent]) -> None:
        self.model.apply(events)
        self.mirror.apply(events)

    async def start(self) -> FeedClient:
        await self.backend.start()
        self.feed = FeedClient(
            [self.backend.url],
            IDENTITY,
            self._sink,
            backoff=Backoff(base_s=0.05, cap_s=0.3),
            tap=self.recorder.tap,
        )
        self.feed.start()
        await wait_until(lambda: self.feed is not None and self.feed.state is ConnectionState.LIVE)
        return self.feed

    async def settle(self) -> None:
        """Freeze the city and wait until the feed has everything the backend has."""
        feed, backend = self.feed, self.backend
        assert feed is not None
        backend.running = False
        await wait_until(
            lambda: all(feed.cursors.get(s).seq == backend.hub.logs[s].seq for s in backend.hub.logs),
            what="caught up",
        )

    async def stop(self) -> None:
        assert self.feed is not None
        await self.feed.stop()
        await self.backend.stop()
        self.recorder.close()


def record_session(directory: Path, seconds: float, **recorder_args: object) -> Live:
    live = Live(directory, **recorder_args)

    async def body() -> None:
        await live.start()
        await asyncio.sleep(seconds)
        await live.settle()
        await live.stop()

    asyncio.run(body())
    return live


def replay_to_end(path: Path) -> tuple[Situation, ReplaySource]:
    model = Situation()
    recording = Recording(path)
    source = ReplaySource(recording, model.apply)
    source.seek(recording.start_ns)
    source.play()
    source.set_speed(60)
    for _ in range(100_000):
        if source.play_state is PlayState.ENDED:
            break
        source.advance(10.0)
    return model, source


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Live]:
    directory = tmp_path_factory.mktemp("rec")
    live = record_session(
        directory, 3.0, snapshot_every_s=0.5, segment_s=1.2, flush_every_s=0.2, source={"map": "demo"}
    )
    return directory, live


def test_every_segment_says_what_it_was_recorded_from(session: tuple[Path, Live]) -> None:
    # A replay of the demo city shows the demo's map: the recording says so in each segment
    # (any one may be played alone), read here with mcap itself.
    directory, _live = session
    files = sorted(directory.glob("*.mcap"))
    assert len(files) >= 2
    for path in files:
        with open(path, "rb") as f:
            found = [m.metadata for m in make_reader(f).iter_metadata() if m.name == SOURCE_METADATA]
        assert found == [{"map": "demo"}], path
    assert Recording(directory).source == {"map": "demo"}
    assert Recording(files[-1]).source == {"map": "demo"}


def test_recording_reads_back_with_mcap_and_counts_match_the_feed(session: tuple[Path, Live]) -> None:
    directory, live = session
    files = segments_in(directory)
    assert len(files) >= 2, "the session should have been split into several segments"
    frames: dict[int, list[bytes]] = collections.defaultdict(list)
    topics: collections.Counter[str] = collections.Counter()
    states = 0
    last_time = 0
    for path in files:
        with open(path, "rb") as f:
            reader = make_reader(f)
            summary = reader.get_summary()
            assert summary is not None, f"{path} was not finished"
            assert {c.message_encoding for c in summary.channels.values()} == {"msgpack"}
            for _schema, channel, message in reader.iter_messages(log_time_order=True):
                assert message.log_time > last_time, "log times strictly increase across segments"
                last_time = message.log_time
                topics[channel.topic] += 1
                if channel.topic == STATE_TOPIC:
                    states += 1
                else:
                    frames[message.sequence].append(message.data)
    assert live.feed is not None
    assert len(frames) == live.feed.counters.frames == live.recorder.frames
    import msgspec

    total = sum(len(msgspec.msgpack.decode(join_runs(runs))) for runs in frames.values())
    assert total == live.feed.counters.messages
    assert topics[CONTROL_TOPIC] > 0 and topics[STREAM_TOPICS[Stream.SENSORS]] > 0
    assert states >= 3


def test_replayed_model_equals_the_live_model(session: tuple[Path, Live]) -> None:
    directory, live = session
    model, source = replay_to_end(directory)
    source.recording.close()
    assert model.digest() == live.model.digest() == city_digest(live.backend.city)
    assert source.counters.gaps == 0 and source.counters.malformed == 0
    # The district's names (protocol §5.8) are recorded and replayed like any stream.
    assert model.names_digest() == live.model.names_digest() != {}
    assert model.names_digest()["district:jiangbei"] == [("en", "Jiangbei"), ("zh_CN", "江北")]


def test_seek_rebuilds_the_state_at_that_instant(session: tuple[Path, Live]) -> None:
    directory, _live = session
    recording = Recording(directory)
    middle = (recording.start_ns + recording.end_ns) // 2
    snapshots = recording.snapshot_times()
    assert any(t < middle for t in snapshots), "there must be a snapshot before the middle"
    # Reference: play from the start, without any snapshot, up to the middle.
    reference = Situation()
    source = ReplaySource(Recording(directory), reference.apply)
    source.seek(recording.start_ns)
    source.play()
    while source.position_ns < middle:
        source.advance((middle - source.position_ns) / 1e9)
    assert source.position_ns == middle
    # Under test: a seek from elsewhere (the end) back to the middle.
    seeked = Situation()
    other = ReplaySource(recording, seeked.apply)
    other.seek(recording.end_ns)
    other.seek(middle)
    assert seeked.digest() == reference.digest()
    assert seeked.names_digest() == reference.names_digest() != {}  # from the state snapshot
    assert other.position_ns == middle
    source.recording.close()
    recording.close()


def test_step_pause_speed_and_loop(session: tuple[Path, Live]) -> None:
    directory, _live = session
    model = Situation()
    source = ReplaySource(Recording(directory), model.apply)
    rec = source.recording
    source.seek(rec.start_ns)
    before = source.frames_played
    source.step()
    assert source.frames_played == before + 1 and source.play_state is PlayState.PAUSED
    source.advance(5.0)  # paused: nothing moves
    assert source.frames_played == before + 1
    with pytest.raises(ValueError, match="outside"):
        source.set_speed(120)
    source.set_speed(0.25)
    source.play()
    at = source.position_ns
    source.advance(0.4)
    assert source.position_ns == pytest.approx(at + 0.1e9, abs=2e6)
    start = rec.start_ns + (rec.end_ns - rec.start_ns) // 3
    end = start + 300_000_000
    source.set_loop(start, end)
    source.set_speed(4)
    for _ in range(20):
        source.advance(0.05)
        assert start <= source.position_ns <= end
    assert source.play_state is PlayState.PLAYING
    rec.close()


def test_a_folder_without_recordings_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match=r"no \.mcap files"):
        Recording(tmp_path)
    (tmp_path / "x.mcap").write_bytes(b"not an mcap file at all")
    with pytest.raises(RecordingError, match=r"x\.mcap: not an MCAP recording"):
        Recording(tmp_path)


def test_a_recording_whose_first_segment_is_gone_plays_from_its_first_snapshot(
    session: tuple[Path, Live], tmp_path: Path
) -> None:
    directory, live = session
    for path in segments_in(directory)[1:]:  # as after retention deleted the oldest segment
        (tmp_path / path.name).write_bytes(path.read_bytes())
    model, source = replay_to_end(tmp_path)
    source.recording.close()
    assert source.counters.malformed == 0, "data before any welcome must not be fed blind"
    assert model.digest() == live.model.digest()
