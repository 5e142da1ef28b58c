"""Stop signals become one callback on the loop, outside any other callback."""

from __future__ import annotations

import asyncio
import os
import signal

from cockpit.service.signals import QuitOnSignals, stop_signals


def test_sigterm_and_sigint_reach_the_loop_as_an_orderly_quit() -> None:
    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        got: list[str] = []
        done = asyncio.Event()

        def on_quit(name: str) -> None:
            got.append(name)
            if len(got) == 2:
                done.set()

        quit_ = QuitOnSignals(loop, on_quit)
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.sleep(0.05)
            os.kill(os.getpid(), signal.SIGINT)  # not KeyboardInterrupt: the quit callback
            await asyncio.wait_for(done.wait(), 5)
        finally:
            quit_.close()
        return got

    assert asyncio.run(scenario()) == ["SIGTERM", "SIGINT"]


def test_close_gives_the_signals_back() -> None:
    before = {s: signal.getsignal(s) for s in stop_signals()}

    async def scenario() -> None:
        QuitOnSignals(asyncio.get_running_loop(), lambda _n: None).close()

    asyncio.run(scenario())
    assert {s: signal.getsignal(s) for s in stop_signals()} == before
