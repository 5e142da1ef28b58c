"""Fan-out by scope: what each distinct subscription selects, found and stamped once for all the
clients that share it, and framed once for those that are in step (issue 22).

A city's gateway serves centres, each subscribed with its own area's filter. Matching every new
message against every client's filter costs clients × messages: 358 walls × 4,900 msg/s was a whole
core in the profile, before anything was sent. Here a message costs a handful of steps, whatever
the number of clients:

- **Area logs.** Each stream's messages are also filed by their district key (the area), so what a
  filter with districts selects after a position is a merge of a few short lists, not a scan of
  the stream (:meth:`Fanout.select`).
- **Scopes.** Each distinct (stream, filter) is a :class:`Scope`. A message is routed on arrival to
  the scopes that select it: those with no district list, and those listing its area (the city's,
  its district's, its street's). The scope keeps it stamped with ``prev`` = the scope's previous
  message (§5.0), so a client of the scope takes the bytes as they are; only the first message
  after a client's subscribe may need another ``prev``.
- **Shared frames.** Clients of a scope woken at the same position get the same frames
  (:meth:`Scope.frames_after`): encoded and joined once, sent to each.
- **Wakes.** Only the clients of scopes that received something are woken (:meth:`Fanout.take_dirty`).

Nothing here does I/O; the gateway's tail routes each message (:meth:`Fanout.route`) and its
senders read (:mod:`cockpit.backend.gateway.server`).
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field

from cockpit.backend.gateway.view import Item
from cockpit.protocol.codec import frames_of, stamp
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import Filter

ScopeKey = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
TRIM_EVERY = 4096
"""Appends between two trims of a log to the stream ring's window (amortised)."""


def scope_key(stream: str, f: Filter) -> ScopeKey:
    """Filters that select the same messages share a key (order and repeats do not matter)."""
    return (
        stream,
        tuple(sorted(set(f.districts))),
        tuple(sorted(set(f.themes))),
        tuple(sorted(set(f.levels))),
    )


def _seq_of(item: Item) -> int:
    return item.seq


class _Log:
    """Items in seq order, trimmed now and then to those the stream ring still holds."""

    __slots__ = ("_appends", "after", "items", "seqs")

    def __init__(self, after: int) -> None:
        self.items: list[Item] = []
        self.seqs: list[int] = []
        self.after = after
        """Every item of this log after this seq is held."""
        self._appends = 0

    def append(self, item: Item, oldest: int) -> None:
        self.items.append(item)
        self.seqs.append(item.seq)
        self._appends += 1
        if self._appends >= TRIM_EVERY:
            self._appends = 0
            self.trim(oldest)

    def trim(self, oldest: int) -> None:
        """Drop items older than ``oldest`` (the stream ring's first seq)."""
        cut = bisect_right(self.seqs, oldest - 1)
        if cut:
            self.after = max(self.after, self.seqs[cut - 1])
            del self.items[:cut], self.seqs[:cut]

    def holds_after(self, seq: int) -> bool:
        return seq >= self.after

    def since(self, seq: int) -> list[Item]:
        return self.items[bisect_right(self.seqs, seq) :]

    def count_between(self, after: int, upto: int) -> int:
        """Items with ``after < seq <= upto``."""
        return max(0, bisect_right(self.seqs, upto) - bisect_right(self.seqs, after))


@dataclass(slots=True)
class _Frames:
    after: int
    upto: int
    prev: int
    frames: list[bytes]
    last: int
    count: int


@dataclass(slots=True, eq=False)
class Scope:
    """The clients of one (stream, filter) and the messages it selected since it was made.

    Attributes:
        stream: The stream.
        filter: The (already restricted) filter.
        log: What it selected, each stamped with ``prev`` = the scope's previous message.
        members: The clients (any hashable) that use it.
    """

    stream: str
    filter: Filter
    log: _Log
    everything: bool
    members: set[Hashable] = field(default_factory=set)
    prev: int = 0
    dirty: bool = False
    _cache: _Frames | None = None

    def accepts(self, item: Item) -> bool:
        return self.everything or matches(self.filter, item.district, item.theme, item.levels)

    def add(self, item: Item, oldest: int) -> None:
        """Keep ``item`` (it passes the filter), stamped in this scope's chain."""
        if item.prev != self.prev:
            item = Item(
                item.seq,
                item.district,
                item.theme,
                item.body,
                self.prev,
                stamp(item.body, item.seq, self.prev),
                item.levels,
            )
        self.log.append(item, oldest)
        self.prev = item.seq
        self.dirty = True

    def holds_after(self, seq: int) -> bool:
        return self.log.holds_after(seq)

    def pending(self, seq: int, upto: int) -> int:
        """Messages of this scope after ``seq``, up to ``upto``."""
        return self.log.count_between(seq, upto)

    def since(self, seq: int) -> list[Item]:
        return self.log.since(seq)

    def frames_after(self, after: int, upto: int, prev: int, max_bytes: int) -> _Frames | None:
        """The frames of everything after ``after`` (up to ``upto``, the stream's newest seq) for a
        client whose previous message was ``prev``; the same objects for every client that asks at
        the same position. None if the client is not in this scope's chain (its first message needs
        its own ``prev``)."""
        cache = self._cache
        if cache is not None and cache.after == after and cache.upto == upto and cache.prev == prev:
            return cache
        items = self.log.since(after)
        if items and items[0].prev != prev:
            return None
        wires = [i.wire for i in items]
        cache = _Frames(
            after, upto, prev, frames_of(wires, max_bytes), items[-1].seq if items else prev, len(items)
        )
        self._cache = cache
        return cache


class Fanout:
    """The scopes and area logs of a gateway's streams.

    Args:
        streams: The stream names.
    """

    def __init__(self, streams: Iterable[str]) -> None:
        self.scopes: dict[ScopeKey, Scope] = {}
        self._everywhere: dict[str, list[Scope]] = {s: [] for s in streams}
        self._by_area: dict[str, dict[str, list[Scope]]] = {s: {} for s in self._everywhere}
        self._areas: dict[str, dict[str, _Log]] = {s: {} for s in self._everywhere}
        self._oldest: dict[str, int] = {s: 1 for s in self._everywhere}
        self._dirty: list[Scope] = []
        self.routed = 0
        """Deliveries into scopes so far (a message in three scopes counts three)."""

    # ------------------------------------------------------------------------------ scopes

    def join(self, stream: str, f: Filter, member: Hashable, head: int) -> Scope:
        """The scope of ``(stream, f)`` with ``member`` in it; a new scope holds what arrives after
        ``head`` (the stream's newest seq now)."""
        key = scope_key(stream, f)
        scope = self.scopes.get(key)
        if scope is None:
            everything = not f.districts and not f.themes and not f.levels
            scope = self.scopes[key] = Scope(stream, f, _Log(head), everything, prev=head)
            if f.districts:
                for d in set(f.districts):
                    self._by_area[stream].setdefault(d, []).append(scope)
            else:
                self._everywhere[stream].append(scope)
        scope.members.add(member)
        return scope

    def leave(self, scope: Scope, member: Hashable) -> None:
        """Take ``member`` out; a scope nobody uses is dropped."""
        scope.members.discard(member)
        if scope.members or self.scopes.get(scope_key(scope.stream, scope.filter)) is not scope:
            return
        del self.scopes[scope_key(scope.stream, scope.filter)]
        if scope.filter.districts:
            by_area = self._by_area[scope.stream]
            for d in set(scope.filter.districts):
                held = by_area.get(d, [])
                if scope in held:
                    held.remove(scope)
                if not held:
                    by_area.pop(d, None)
        else:
            self._everywhere[scope.stream].remove(scope)

    def reset(self, stream: str, head: int = 0) -> None:
        """Forget ``stream``'s scopes and area logs (it was created anew: a new epoch)."""
        for key in [k for k in self.scopes if k[0] == stream]:
            del self.scopes[key]
        self._everywhere[stream] = []
        self._by_area[stream] = {}
        self._areas[stream] = {}
        self._oldest[stream] = head + 1

    # ------------------------------------------------------------------------------ messages

    def route(self, stream: str, item: Item, oldest: int) -> None:
        """File a new message of ``stream`` (in seq order) by area and into the scopes that select it.

        ``oldest``: the stream ring's first seq (what is older may be dropped).
        """
        self._oldest[stream] = oldest
        area = self._areas[stream].get(item.district)
        if area is None:
            area = self._areas[stream][item.district] = _Log(self._area_start(stream))
        area.append(item, oldest)
        if item.district:
            candidates: Iterable[Scope] = (
                *self._everywhere[stream],
                *self._by_area[stream].get(item.district, ()),
            )
        else:  # an empty key passes every filter on it (§4.1)
            candidates = [s for s in self.scopes.values() if s.stream == stream]
        for scope in candidates:
            if scope.accepts(item):
                if not scope.dirty:
                    self._dirty.append(scope)
                scope.add(item, oldest)
                self.routed += 1

    def _area_start(self, stream: str) -> int:
        """After which seq a new area log holds everything of its area: an area's log is made with
        its first message, so the area had none in the window the stream ring holds."""
        return self._oldest[stream] - 1

    def take_dirty(self) -> list[Scope]:
        """The scopes that received messages since the last call (their clients should be woken)."""
        dirty, self._dirty = self._dirty, []
        for scope in dirty:
            scope.dirty = False
        return dirty

    def select(self, stream: str, f: Filter, after: int) -> Iterator[Item] | None:
        """What ``f`` selects of ``stream`` after seq ``after``, from the area logs, in seq order;
        None if they do not hold it all (or ``f`` names no districts: scan the stream instead)."""
        if not f.districts:
            return None
        logs = self._areas[stream]
        if after < self._area_start(stream):
            return None
        parts = []
        for d in {*f.districts, ""}:  # an empty district key passes every district filter (§4.1)
            log = logs.get(d)
            if log is None:
                continue
            if not log.holds_after(after):
                return None
            parts.append(log.since(after))
        merged: Iterator[Item] = (
            heapq.merge(*parts, key=_seq_of) if len(parts) > 1 else iter(parts[0] if parts else [])
        )
        if not f.themes and not f.levels:
            return merged
        return (i for i in merged if matches(f, i.district, i.theme, i.levels))
