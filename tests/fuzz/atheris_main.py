"""Coverage-guided fuzzing with atheris (libFuzzer) of the same targets as the hypothesis tests.

One target per process: ``python -m tests.fuzz.atheris_main TARGET [libFuzzer options]``, e.g.
``-runs=100000``. Targets: ``frame`` (both frame decoders), ``session`` (the client and server
receive paths; the input is split into frames at ``\\xff\\xfe``), and one per file loader
(``runway``, ``layout``, ``plan``, ``drill``, ``site``) and ``recording`` (MCAP segments). Good inputs (valid frames, the shipped
files) seed the corpus. ``scripts/fuzz`` runs them all and counts the inputs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-untyped]

# The parsers too: coverage inside PyYAML is what leads libFuzzer into odd YAML.
with atheris.instrument_imports(include=["cockpit", "yaml", "tomllib", "mcap"]):
    import cockpit.record.reader
    import cockpit.record.recorder  # noqa: F401
    from cockpit.protocol.codec import encode_frame
    from cockpit.protocol.messages import CommandAck, Event, Heartbeat, SensorBatch
    from tests.fuzz import targets

    LOADERS = targets.file_loaders()

SEP = b"\xff\xfe"


def _frame_seeds() -> list[bytes]:
    ev = Event(
        stream="events",
        seq=2,
        prev=1,
        ts=5,
        id="E1",
        type="fire",
        severity=1,
        time=5,
        lon=106.5,
        lat=29.5,
        district="yuzhong",
        state="new",
        title="fire",
    )
    batch = SensorBatch(
        stream="sensors", seq=3, prev=2, ts=6, ttl_ms=1000, ids=b"\x01\0\0\0", values=b"\0\0\x80?"
    )
    return [
        encode_frame([Heartbeat(ts=1)]),
        encode_frame([ev, batch]),
        encode_frame([CommandAck(id="c1", result="accepted")]),
        encode_frame([ev, Heartbeat(ts=7)]) + SEP + encode_frame([batch]),
    ]


def main() -> None:
    name = sys.argv[1]
    libfuzzer_args = [sys.argv[0], *sys.argv[2:]]
    corpus = Path(tempfile.mkdtemp(prefix=f"cockpit-fuzz-{name}-"))
    if name == "frame":
        seeds = _frame_seeds()

        def one(data: bytes) -> None:
            targets.check_frame(data)

    elif name == "session":
        seeds = _frame_seeds()

        def one(data: bytes) -> None:
            targets.check_session(data.split(SEP))

    elif name == "recording":
        seeds = [targets.make_recording(corpus.parent / f"{corpus.name}-rec").read_bytes()]

        def one(data: bytes) -> None:
            targets.check_recording(data)

    else:
        if name not in LOADERS:
            raise SystemExit(
                f"unknown target {name!r}; one of: frame, session, recording, {', '.join(LOADERS)}"
            )
        loader = LOADERS[name]
        seeds = [p.read_bytes() for p in loader.seeds]

        def one(data: bytes) -> None:
            targets.check_file(loader, data)

    for i, seed in enumerate(seeds):
        (corpus / f"seed{i}").write_bytes(seed)
    atheris.Setup([*libfuzzer_args, str(corpus)], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
