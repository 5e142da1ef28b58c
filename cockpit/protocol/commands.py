"""The client's command queue, sans-I/O: every command from the click to the backend's answer (§7.4).

No socket, clock or loop: the caller passes the current time (wall-clock ms) into every call, sends
what :meth:`CommandQueue.take_to_send` returns through its session, and shows what
:meth:`CommandQueue.take_updates` reports. The rules it keeps:

- a command waits (``QUEUED``) while there is no connection and goes out after the next welcome,
  unless that welcome is in another ``events`` epoch (``EXPIRED``, never sent);
- one queued for longer than ``reconfirm_after_ms`` is ``HELD`` until the officer confirms or
  discards it, and the commands behind it wait;
- a sent command unanswered for ``timeout_ms`` is sent again with the same id (§7.3 makes that
  safe). A try counts only if the link was live for the whole of its wait: sends into a stalled or
  dropped link never count, so a stopped backend can never make a command look given up;
- after ``tries`` counted tries it is ``UNANSWERED``: **not final**. It stays in the queue and is
  sent again every ``unanswered_retry_ms`` until the backend answers (an ack, or the dispatch stream
  showing it, :meth:`CommandQueue.settled`), the epoch changes, or the officer stops it
  (:meth:`CommandQueue.abandon`, ``ABANDONED``: the outcome stays unknown, and the backend's word
  still decides it when it comes);
- only the backend's word makes a command ``ACCEPTED`` or ``REJECTED``.

Tested synchronously with fake time (tests/protocol/test_commands.py).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

import msgspec

from cockpit.protocol.messages import AckResult, Command, CommandAck, CommandKind, DataMessage, Dispatch, Plot

COMMAND_TIMEOUT_MS = 3000
COMMAND_TRIES = 3
UNANSWERED_RETRY_MS = 10_000
"""How often a command that has used its tries is sent again (same id) until the backend answers."""
RECONFIRM_AFTER_MS = 120_000


class CommandStatus(enum.Enum):
    """Where one command is: the one status the whole cockpit shows for it."""

    QUEUED = "queued"
    """Not sent yet: no connection. It goes out after the next welcome."""
    HELD = "held"
    """Queued so long that the officer must confirm it before it is sent."""
    SENT = "sent"
    """Sent, no answer yet."""
    UNANSWERED = "unanswered"
    """Sent ``tries`` times on a live link with no answer. Still being sent; the outcome is unknown."""
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    """Never sent: the backend came back in another epoch, so its target may be gone."""
    DISCARDED = "discarded"
    """Never sent: held, and the officer discarded it."""
    ABANDONED = "abandoned"
    """Sent, unanswered, and the officer stopped it being sent again: the outcome is unknown until
    the backend says otherwise."""

    @property
    def pending(self) -> bool:
        """Still on its way: another command of its kind for its target must not be sent."""
        return self in _PENDING

    @property
    def settled(self) -> bool:
        """The backend has answered it, or it was never sent: nothing will change it on its own."""
        return self in _SETTLED


_PENDING = frozenset({CommandStatus.QUEUED, CommandStatus.HELD, CommandStatus.SENT, CommandStatus.UNANSWERED})
_SETTLED = frozenset(
    {CommandStatus.ACCEPTED, CommandStatus.REJECTED, CommandStatus.EXPIRED, CommandStatus.DISCARDED}
)


@dataclass(frozen=True, slots=True)
class CommandUpdate:
    """A command's status changed (or it was sent again: ``tries`` changed)."""

    command: Command
    status: CommandStatus
    tries: int
    """Sends that waited their full time on a live link without an answer."""
    reason: str = ""
    """The backend's reason code, for ``REJECTED`` (§7.2)."""
    detail: str = ""


@dataclass(slots=True)
class _Entry:
    command: Command
    issued_ms: int
    """When it was issued or last confirmed: its age decides whether it is held."""
    status: CommandStatus = CommandStatus.QUEUED
    tries: int = 0
    sent_ms: int = 0
    """When it was last sent (0: not since the last connection)."""


class CommandQueue:
    """Unanswered commands in the order they were issued, and what to do with each (§7.4).

    Args:
        timeout_ms: Send again after this long without an answer.
        tries: Counted tries before the command is reported ``UNANSWERED``.
        unanswered_retry_ms: How often an unanswered command is sent again after that.
        reconfirm_after_ms: A queued command older than this is held; ``None``: never.
    """

    def __init__(
        self,
        *,
        timeout_ms: int = COMMAND_TIMEOUT_MS,
        tries: int = COMMAND_TRIES,
        unanswered_retry_ms: int = UNANSWERED_RETRY_MS,
        reconfirm_after_ms: int | None = RECONFIRM_AFTER_MS,
    ) -> None:
        self.timeout_ms = timeout_ms
        self.tries = tries
        self.unanswered_retry_ms = unanswered_retry_ms
        self.reconfirm_after_ms = reconfirm_after_ms
        self._entries: dict[str, _Entry] = {}
        self._open = False
        self._live = False
        self._unlive_ms = 0
        """The last moment the link was not live: a try whose wait began before it does not count."""
        self._epoch = ""
        self._to_send: list[Command] = []
        self._updates: list[CommandUpdate] = []

    # ---------------------------------------------------------------------------- the officer

    def submit(self, command: Command, now_ms: int) -> Command:
        """Queue ``command`` (stamped with the epoch the wall shows if it has none); returns it as
        queued. A command id already in the queue is ignored. Then call :meth:`take_to_send`."""
        if command.id in self._entries:
            return self._entries[command.id].command
        if not command.epoch and self._epoch:
            command = msgspec.structs.replace(command, epoch=self._epoch)
        entry = self._entries[command.id] = _Entry(command, now_ms)
        self._update(entry)
        self._release(now_ms)
        return command

    def restore(self, commands: Iterable[tuple[Command, int]]) -> None:
        """Commands kept on disk by a previous run, with when each was issued; reported ``QUEUED``."""
        for command, issued_ms in commands:
            if command.id not in self._entries:
                self._update(self._entries.setdefault(command.id, _Entry(command, issued_ms)))

    def confirm(self, command_id: str, now_ms: int) -> bool:
        """The officer confirmed a ``HELD`` command: send it now (its age counts from now)."""
        entry = self._entries.get(command_id)
        if entry is None or entry.status is not CommandStatus.HELD:
            return False
        entry.status, entry.issued_ms = CommandStatus.QUEUED, now_ms
        self._update(entry)
        self._release(now_ms)
        return True

    def discard(self, command_id: str, now_ms: int) -> bool:
        """The officer discarded a ``HELD`` command: it is never sent; the ones behind it go on."""
        entry = self._entries.get(command_id)
        if entry is None or entry.status is not CommandStatus.HELD:
            return False
        self._finish(entry, CommandStatus.DISCARDED)
        self._release(now_ms)
        return True

    def abandon(self, command_id: str) -> bool:
        """The officer stopped an ``UNANSWERED`` command being sent again; its outcome stays unknown."""
        entry = self._entries.get(command_id)
        if entry is None or entry.status is not CommandStatus.UNANSWERED:
            return False
        self._finish(entry, CommandStatus.ABANDONED)
        return True

    # ---------------------------------------------------------------------------- the link

    def link_opened(self, epoch: str, now_ms: int) -> None:
        """A welcome arrived in ``epoch`` (the ``events`` epoch; "" if none): expire the commands of
        another epoch, then release the queue. Call :meth:`take_to_send` next."""
        self._open = True
        self.set_live(True, now_ms)
        for entry in list(self._entries.values()):
            if entry.command.epoch and epoch and entry.command.epoch != epoch:
                self._finish(entry, CommandStatus.EXPIRED)
        self._epoch = epoch or self._epoch
        self._release(now_ms)

    def link_closed(self, now_ms: int) -> None:
        """The connection is gone: sent commands wait for the next welcome, to be sent again then
        without counting a try (the cut send never had its full wait)."""
        self._open = False
        self.set_live(False, now_ms)
        self._to_send.clear()
        for entry in self._entries.values():
            if entry.status is CommandStatus.SENT:
                entry.status, entry.sent_ms = CommandStatus.QUEUED, 0
                self._update(entry)
            elif entry.status is CommandStatus.UNANSWERED:
                entry.sent_ms = 0

    def set_live(self, live: bool, now_ms: int) -> None:
        """Whether data is arriving (§6). Time spent not live does not count against a try."""
        if not live:
            self._unlive_ms = now_ms
        elif not self._live:
            self._unlive_ms = max(self._unlive_ms, now_ms)  # live from now on
        self._live = live

    def acked(self, ack: CommandAck) -> None:
        """The backend answered: the command is ``ACCEPTED`` or ``REJECTED`` (a duplicate ack carries
        the first answer) and leaves the queue."""
        entry = self._entries.get(ack.id)
        if entry is None:
            return
        result = ack.original if ack.result == AckResult.DUPLICATE else ack.result
        status = CommandStatus.ACCEPTED if result == AckResult.ACCEPTED else CommandStatus.REJECTED
        self._finish(entry, status, ack.reason, ack.detail)

    def settled(self, command_id: str) -> None:
        """The backend's streams show the command took effect (a ``dispatch`` under its id, §5.4),
        although its ack was lost: it is ``ACCEPTED`` and leaves the queue."""
        entry = self._entries.get(command_id)
        if entry is not None:
            self._finish(entry, CommandStatus.ACCEPTED)

    def observe(self, messages: Iterable[DataMessage]) -> None:
        """Data from the backend: a ``dispatch`` under a queued command's id settles it (§5.4); so
        does a ``plot`` with the id a queued ``plot_create`` made (§7.10: the cockpit makes a new
        plot's id, so the plot on the stream is that create's effect)."""
        if not self._entries:
            return
        for m in messages:
            if isinstance(m, Dispatch) and m.command_id in self._entries:
                self.settled(m.command_id)
            elif isinstance(m, Plot):
                for entry in list(self._entries.values()):
                    c = entry.command
                    if c.kind == CommandKind.PLOT_CREATE and c.plot is not None and c.plot.id == m.id:
                        self.settled(c.id)

    def tick(self, now_ms: int) -> None:
        """Send again what waited its time; mark ``UNANSWERED`` what used its tries. Call
        :meth:`take_to_send` and :meth:`take_updates` next."""
        if not self._open:
            return
        if not self._live:
            self._unlive_ms = now_ms
            return
        for entry in self._entries.values():
            if entry.status is CommandStatus.SENT and now_ms - entry.sent_ms >= self.timeout_ms:
                if entry.sent_ms >= self._unlive_ms:  # a full wait on a live link: the try counts
                    entry.tries += 1
                if entry.tries >= self.tries:
                    entry.status = CommandStatus.UNANSWERED
                self._send(entry, now_ms)
            elif entry.status is CommandStatus.UNANSWERED and now_ms - entry.sent_ms >= self.unanswered_retry_ms:
                self._send(entry, now_ms)

    def next_deadline(self) -> int | None:
        """The earliest time :meth:`tick` has work (wall ms), or ``None``."""
        times = [
            e.sent_ms + (self.timeout_ms if e.status is CommandStatus.SENT else self.unanswered_retry_ms)
            for e in self._entries.values()
            if e.status in (CommandStatus.SENT, CommandStatus.UNANSWERED) and e.sent_ms
        ]
        return min(times) if times else None

    # ---------------------------------------------------------------------------- outputs

    def take_to_send(self) -> list[Command]:
        """Commands to put on the connection now, in order; the caller sends each once."""
        out, self._to_send = self._to_send, []
        return out

    def take_updates(self) -> list[CommandUpdate]:
        """What changed since the last call, in order."""
        out, self._updates = self._updates, []
        return out

    @property
    def epoch(self) -> str:
        """The ``events`` epoch of the last welcome (commands are stamped with it)."""
        return self._epoch

    def status(self, command_id: str) -> CommandStatus | None:
        """Where a command still in the queue is; ``None`` once it has left it."""
        entry = self._entries.get(command_id)
        return entry.status if entry is not None else None

    def pending(self) -> list[Command]:
        """Commands still in the queue (held and unanswered ones included), in the order issued."""
        return [e.command for e in self._entries.values()]

    def __len__(self) -> int:
        return len(self._entries)

    # ---------------------------------------------------------------------------- internals

    def _update(self, entry: _Entry, reason: str = "", detail: str = "") -> None:
        self._updates.append(CommandUpdate(entry.command, entry.status, entry.tries, reason, detail))

    def _finish(self, entry: _Entry, status: CommandStatus, reason: str = "", detail: str = "") -> None:
        entry.status = status
        del self._entries[entry.command.id]
        self._update(entry, reason, detail)

    def _send(self, entry: _Entry, now_ms: int) -> None:
        entry.sent_ms = now_ms
        if entry.status is not CommandStatus.UNANSWERED:
            entry.status = CommandStatus.SENT
        self._to_send.append(entry.command)
        self._update(entry)

    def _release(self, now_ms: int) -> None:
        """Send queued commands in order, stopping at one that must be confirmed first: a later
        command may depend on it (a cancel on its dispatch)."""
        if not self._open:
            return
        for entry in list(self._entries.values()):
            if entry.status is CommandStatus.HELD:
                return
            if entry.status is CommandStatus.UNANSWERED and not entry.sent_ms:
                self._send(entry, now_ms)  # sent again after a reconnect, still unanswered
                continue
            if entry.status is not CommandStatus.QUEUED:
                continue
            limit = self.reconfirm_after_ms
            if limit is not None and now_ms - entry.issued_ms > limit:
                entry.status = CommandStatus.HELD
                self._update(entry)
                return
            self._send(entry, now_ms)
