"""Fuzz targets shared by the hypothesis tests (tests/fuzz/test_*.py) and atheris (scripts/fuzz).

Each ``check_*`` takes one input and fails (AssertionError) when a property is broken; any other
exception escaping from the code under test is a crash. The properties, for every input:

- it never raises anything but the loader's own error type;
- a refusal is specific: the message names the file (and the line where there is one) and a
  non-empty reason; a frame problem is one :class:`Problem` with a detail that says which;
- whatever is accepted survives a round trip.
"""

from __future__ import annotations

import importlib
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cockpit.protocol.codec import (
    DecodeIssue,
    Problem,
    decode_client_frame,
    decode_server_frame,
    encode_frame,
)
from cockpit.protocol.events import FrameProblem
from cockpit.protocol.messages import PROTOCOL_VERSION, Filter, Stream, Welcome
from cockpit.protocol.server import Gate, ServerConfig, ServerProtocol
from cockpit.protocol.session import ClientSession
from tests.protocol.memory_streams import MemoryLog, MemoryStreams

ROOT = Path(__file__).resolve().parents[2]
COUNTS: Counter[str] = Counter()
"""Inputs tried per target in this process (scripts/fuzz reports them)."""
LIMIT = 64 * 1024

# What each Problem's detail must say, so that a log line names the problem.
_DETAIL = {
    Problem.OVERSIZED: "exceeds limit",
    Problem.NOT_MSGPACK: "not MessagePack",
    Problem.NOT_A_LIST: "not a MessagePack array",
    Problem.UNKNOWN_TYPE: "unknown message type",
}


def assert_specific(issue: DecodeIssue) -> None:
    assert isinstance(issue.problem, Problem)
    assert issue.detail.strip(), f"{issue.problem} without a detail"
    if issue.problem in _DETAIL:
        assert _DETAIL[issue.problem] in issue.detail, issue
    if issue.problem is Problem.UNKNOWN_TYPE:
        assert issue.type and repr(issue.type) in issue.detail and issue.index >= 0
    if issue.problem is Problem.MALFORMED_MESSAGE:
        assert issue.index >= 0, "a malformed message names its place in the frame"


def check_frame(data: bytes) -> None:
    """Both decoders: never raise; every problem specific; what decodes re-encodes the same."""
    COUNTS["frame"] += 1
    for decode in (decode_server_frame, decode_client_frame):
        decoded = decode(data, LIMIT)
        for issue in decoded.issues:
            assert_specific(issue)
        if len(data) > LIMIT:
            assert [i.problem for i in decoded.issues] == [Problem.OVERSIZED] and not decoded.messages
        if decoded.messages:
            again = decode(encode_frame(decoded.messages), 1 << 30)
            assert again.issues == [] and again.messages == decoded.messages


def open_client_session() -> ClientSession:
    """A client session that has had its welcome, so frames take the full receive path."""
    session = ClientSession(
        client_id="fuzz",
        operator="fuzz",
        role="operator",
        token="t",
        subscriptions={s.value: Filter() for s in Stream},
    )
    session.start(1000)
    session.data_to_send(1000)
    welcome = Welcome(
        v=PROTOCOL_VERSION,
        server_id="fuzz",
        epochs={s.value: "e1" for s in Stream},
        capabilities=[],
        server_time=1000,
        heartbeat_ms=1000,
        max_frame_bytes=LIMIT,
    )
    session.receive_data(encode_frame([welcome]), 1001)
    session.events_received()
    session.data_to_send(1001)
    return session


def check_session(frames: list[bytes], session: ClientSession | None = None) -> None:
    """The client's receive path: never raises, and every dropped frame or message is both an
    event with a specific problem and one count in the counters (nothing fails silently)."""
    COUNTS["session"] += 1
    session = session or open_client_session()
    c = session.counters
    before = c.malformed + c.unknown + c.oversized
    problems = 0
    now = 2000
    for frame in frames:
        session.receive_data(frame, now)
        for ev in session.events_received():
            if isinstance(ev, FrameProblem):
                problems += 1
                assert isinstance(ev.problem, Problem) and ev.detail.strip()
        session.data_to_send(now)
        session.tick(now)
        now += 7
    assert c.malformed + c.unknown + c.oversized - before == problems
    server = ServerProtocol(
        ServerConfig("fuzz", max_frame_bytes=LIMIT), MemoryStreams({"events": MemoryLog()}), Gate(), "a", 0
    )
    for frame in frames:
        server.receive_data(frame, 1)
        server.events_received()
        server.data_to_send(1)


# ------------------------------------------------------------------------------------ file loaders


@dataclass(frozen=True)
class FileLoader:
    """A loader of one kind of file, its error type and the good files to mutate."""

    name: str
    load: Callable[[Path], object]
    error: type[Exception]
    seeds: tuple[Path, ...]
    suffix: str = ".yaml"


def _import(module: str, attr: str) -> object | None:
    """The attribute if the module exists: others are still writing some loaders."""
    try:
        found: object = getattr(importlib.import_module(module), attr)
        return found
    except (ImportError, AttributeError):
        return None


def _site_loader() -> Callable[[Path], object] | None:
    load_site = _import("cockpit.config.site", "load_site")
    if load_site is None:
        return None

    def load(path: Path) -> object:
        return load_site(path, check_files=False)  # type: ignore[operator]

    return load


def _drill_loader() -> Callable[[Path], object] | None:
    load_drill = _import("cockpit.record.drill_script", "load_drill")
    if load_drill is None:
        return None

    def load(path: Path) -> object:
        # The script, not the recording it may name: seeds may point at a recording made elsewhere.
        return load_drill(path, open_recording=False)  # type: ignore[operator]

    return load


def file_loaders() -> dict[str, FileLoader]:
    """Every file loader that exists in this tree, by name."""
    found: dict[str, FileLoader] = {}
    specs = [
        ("runway", "cockpit.present.runway_spec", "load_runway", "RunwayError", "assets/runways/*.yaml", ".yaml"),
        ("layout", "cockpit.present.wall_layout", "load_layout", "LayoutError", "assets/walls/*.yaml", ".yaml"),
        ("plan", "cockpit.model.plans", "load_plan", "PlanError", "assets/plans/*.yaml", ".yaml"),
        (
            "drill",
            "cockpit.record.drill_script",
            "load_drill",
            "DrillScriptError",
            "assets/drills/*.yaml",
            ".yaml",
        ),
        ("site", "cockpit.config.site", "", "SiteError", "packaging/*.toml", ".toml"),
    ]
    for name, module, func, error, seeds, suffix in specs:
        load = (
            _site_loader()
            if name == "site"
            else _drill_loader()
            if name == "drill"
            else _import(module, func)
        )
        err = _import(module, error)
        if load is None or not isinstance(err, type):
            continue
        found[name] = FileLoader(name, load, err, tuple(sorted(ROOT.glob(seeds))), suffix)  # type: ignore[arg-type]
    return found


_TMP = Path(tempfile.mkdtemp(prefix="cockpit-fuzz-"))


def check_file(loader: FileLoader, content: bytes) -> object | None:
    """Load ``content`` as a file: a result, or the loader's error naming the file and the problem."""
    COUNTS[loader.name] += 1
    path = _TMP / f"{loader.name}{loader.suffix}"
    path.write_bytes(content)
    try:
        return loader.load(path)
    except loader.error as exc:
        message = str(exc)
        assert str(path) in message, f"the message does not name the file: {message!r}"
        reason = message.split(f"{path}", 1)[1].lstrip(":0123456789 ")
        assert reason.strip(), f"no reason given: {message!r}"
        line = getattr(exc, "line", None)
        if line is not None:
            assert 1 <= line <= content.count(b"\n") + 2, f"line {line} is not in the file"
        return None


# -------------------------------------------------------------------------------------- recordings


def make_recording(folder: Path, frames: int = 60) -> Path:
    """A small, finished MCAP recording of real protocol frames (a welcome, events, sensors)."""
    from cockpit.protocol.messages import Event, Heartbeat, SensorBatch
    from cockpit.record.recorder import Recorder

    recorder = Recorder(folder)
    welcome = Welcome(
        v=PROTOCOL_VERSION,
        server_id="fuzz",
        epochs={s.value: "e1" for s in Stream},
        capabilities=[],
        server_time=1_700_000_000_000,
        heartbeat_ms=1000,
        max_frame_bytes=LIMIT,
    )
    t = 1_700_000_000_000
    recorder.tap(encode_frame([welcome]), t)
    for i in range(1, frames):
        ev = Event(
            stream="events",
            seq=i,
            prev=i - 1,
            ts=t + i,
            id=f"E{i % 7}",
            type="fire",
            severity=1 + i % 4,
            time=t + i,
            lon=106.5,
            lat=29.5,
            district="yuzhong",
            state="new",
            title=f"event {i}",
        )
        batch = SensorBatch(
            stream="sensors", seq=i, prev=i - 1, ts=t + i, ttl_ms=1000, ids=b"\x01\0\0\0", values=b"\0\0\x80?"
        )
        recorder.tap(encode_frame([ev, batch, Heartbeat(ts=t + i)]), t + 100 * i)
    recorder.close()
    files = sorted(folder.glob("*.mcap"))
    assert files, "the recorder wrote no segment"
    return files[0]


def check_recording(content: bytes) -> None:
    """A damaged recording opens and plays what it can, or is refused with RecordingError naming
    the file; every problem met on the way is reported in words."""
    from cockpit.record import RecordingError
    from cockpit.record.reader import Recording

    COUNTS["recording"] += 1
    path = _TMP / "fuzz.mcap"
    path.write_bytes(content)
    try:
        recording = Recording(path)
    except RecordingError as exc:
        assert str(path) in str(exc) and str(exc).split(str(path), 1)[1].strip(": "), str(exc)
        return
    try:
        items = list(recording.items(recording.start_ns))
        recording.density()
        recording.snapshot_before(recording.end_ns)
        # Not asserted yet: that an opened recording plays something or says why not. A corrupted
        # summary (end before start) opens with no problem and plays nothing (docs/reliability.md).
        assert isinstance(items, list)
        for problem in recording.problems:
            assert problem.strip()
    finally:
        recording.close()
