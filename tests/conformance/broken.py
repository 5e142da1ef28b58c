"""Deliberately broken servers: the demo backend with one rule of docs/protocol.md broken each.

Each is what a district team might get wrong; ``cockpit-conformance`` must fail the clause that says so.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from cockpit.backend.city import City
from cockpit.backend.connection import now_ms
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Entry, Hub, StreamLog
from cockpit.protocol.codec import frames_of
from cockpit.protocol.messages import AckResult, CommandAck, Refused, Role, SubscribeMode
from cockpit.protocol.server import (
    CLOSE_REFUSED,
    CommandReceived,
    ServerProtocol,
    SubscriptionRequested,
)

_ENCODER = msgspec.msgpack.Encoder()


def city(sensors_per_kind: int = 4) -> City:
    return City(Hub(), seed=5, rate=600, event_rate=240, sensors_per_kind=sensors_per_kind)


class _Backend(DemoBackend):
    core_class: type[ServerProtocol] = ServerProtocol

    def __init__(self, sensors_per_kind: int = 4, **kwargs: object) -> None:
        super().__init__(city(sensors_per_kind), heartbeat_ms=300, speed=4, **kwargs)  # type: ignore[arg-type]

    def new_protocol(self, address: str) -> ServerProtocol:
        return self.core_class(self.config, self, self.gate, address, now_ms())


class ReplaysADuplicate(_Backend):
    """A resume replays the client's last message again before the gap."""

    def answer_subscription(self, core: ServerProtocol, request: SubscriptionRequested) -> None:
        super().answer_subscription(core, request)
        if request.decision.mode is SubscribeMode.RESUME and request.seq > 0:
            for entry in self.hub.logs[request.stream].since(request.seq - 1):
                core.send(msgspec.structs.replace(entry.message, prev=request.seq))
                break


class _Skewed:
    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.seq, self.district, self.theme, self.levels = entry.seq, entry.district, entry.theme, entry.levels

    def encode(self, prev: int) -> bytes:
        return self.entry.encode(prev - 1 if self.seq % 5 == 0 and prev > 0 else prev)


class _SkewedLog:
    def __init__(self, log: StreamLog) -> None:
        self.log = log

    @property
    def seq(self) -> int:
        return self.log.seq

    @property
    def oldest(self) -> int:
        return self.log.oldest

    def holds_after(self, seq: int) -> bool:
        return self.log.holds_after(seq)

    def since(self, seq: int) -> Iterable[_Skewed]:
        return (_Skewed(e) for e in self.log.since(seq))


class BreaksThePrevChain(_Backend):
    """Every fifth message's prev is one too low."""

    def log(self, stream: str) -> _SkewedLog:  # type: ignore[override]
        return _SkewedLog(self.hub.logs[stream])


class _NoHeartbeat(ServerProtocol):
    def tick(self, now_ms: int) -> None:
        return None


class SendsNoHeartbeat(_Backend):
    core_class = _NoHeartbeat


class AppliesDuplicatesTwice(_Backend):
    """Forgets command ids: a resent command is applied again."""

    def apply_command(self, core: ServerProtocol, received: CommandReceived) -> CommandAck:
        self.city._acks.pop(received.command.id, None)
        return super().apply_command(core, received)


class _NoChecks(ServerProtocol):
    def _on_command(self, command):  # type: ignore[no-untyped-def]
        assert self.claims is not None
        self._events.append(CommandReceived(command, self.claims))


class AcceptsAViewersCommand(_Backend):
    """Checks no role."""

    core_class = _NoChecks

    def apply_command(self, core: ServerProtocol, received: CommandReceived) -> CommandAck:
        if received.claims.role == Role.VIEWER:
            return CommandAck(id=received.command.id, result=AckResult.ACCEPTED)
        return super().apply_command(core, received)


class _BigFrames(ServerProtocol):
    def data_to_send(self, now_ms: int) -> list[bytes]:
        if not self._out:
            return []
        out, self._out = self._out, []
        self._last_tx = now_ms
        return frames_of(out, 4 << 20)  # announced 64 KiB, sends up to 4 MiB


class ExceedsItsFrameLimit(_Backend):
    core_class = _BigFrames

    def __init__(self) -> None:
        super().__init__(sensors_per_kind=60, max_frame_bytes=65536)


class _SilentBeforeClose(ServerProtocol):
    refused_at = 0

    def refuse(self, code: str, detail: str) -> None:
        if self.close_code is None and not self.refused_at:
            self._out = [_ENCODER.encode(Refused(code=code, detail=detail))]
            self.refused_at = -1

    def tick(self, now_ms: int) -> None:
        if self.refused_at == -1:
            self.refused_at = now_ms
        elif self.refused_at and now_ms - self.refused_at > 4000:
            self._close(CLOSE_REFUSED, "refused")
        elif not self.refused_at:
            super().tick(now_ms)


class SilentBeforeAClose(_Backend):
    """Sends the refusal, then nothing for 4 s, then the close."""

    core_class = _SilentBeforeClose


BROKEN = {
    "resume.replay-exact": (ReplaysADuplicate, "resume"),
    "data.prev-chain": (BreaksThePrevChain, ""),
    "liveness.server-hb": (SendsNoHeartbeat, ""),
    "command.applied-once": (AppliesDuplicatesTwice, "commands"),
    "roles.viewer": (AcceptsAViewersCommand, "viewer"),
    "frame.limit": (ExceedsItsFrameLimit, ""),
    "refused.prompt-close": (SilentBeforeAClose, "refusal"),
}
"""The clause each broken server must fail, its class, and the check that finds it."""
