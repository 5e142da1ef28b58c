"""``memory``: RSS after an accelerated soak through the real wiring (issue 7's ``memory`` suite).

The soak itself is :mod:`bench.soak` (a firehose backend and the real cockpit as child processes,
messages over a real loopback websocket, Qt signal emits through the wiring). The full run is the
24-hour equivalent (100 M messages, 10 M emits); ``--quick`` runs 2 M messages and 200 k emits.
"""

from __future__ import annotations

from bench.soak import soak


def run(quick: bool) -> dict[str, dict[str, float]]:
    messages, emits = (2_000_000, 200_000) if quick else (100_000_000, 10_000_000)
    r = soak(messages=messages, emits=emits, screens=1, sample_s=5.0 if quick else 30.0)
    return {
        "memory": {
            "messages": float(r["messages"]),
            "emits": float(r["emits"]),
            "rss_mb_start": float(r["rss_start_mb"]),
            "rss_mb_end": float(r["rss_end_mb"]),
            "growth_pct": float(r["rss_growth_pct"]),
            "crashed": float(bool(r["crashed"])),
        }
    }
