"""The demo backend's plots: kept per event, changed by plot commands, published on the ``plots`` stream
(docs/protocol.md §5.10, §7.10).

What a plot may be and how versions decide between concurrent edits is the protocol's rule
(:mod:`cockpit.protocol.plots`); this module is the demo's part: the event a plot belongs to must
exist and be open, the author is the connection's operator, and every accepted change is published.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cockpit.backend.streams import Hub
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import (
    AckResult,
    Command,
    CommandAck,
    CommandKind,
    Event,
    EventState,
    Filter,
    Plot,
    Stream,
)
from cockpit.protocol.plots import PlotRegister, Refusal, plot_id_of


class PlotDesk:
    """The plots of a demo city.

    Args:
        hub: Where accepted changes are published.
        events: The city's events by id (a plot's event decides its district and theme).
    """

    def __init__(self, hub: Hub, events: Callable[[], Mapping[str, Event]]) -> None:
        self.hub = hub
        self._events = events
        self.register = PlotRegister()

    def of_event(self, event_id: str) -> list[Plot]:
        """The event's plots, oldest first (deleted ones left out)."""
        return self.register.of_event(event_id)

    def snapshot(self, f: Filter) -> list[Plot]:
        """The plots not deleted that pass ``f`` (§4.3)."""
        return [p for p in self.register.active() if matches(f, p.district, p.theme)]

    def district_of(self, command: Command) -> str:
        """The district a plot command acts in: its event's (for a new plot) or its plot's."""
        plot = self.register.plots.get(plot_id_of(command))
        if plot is not None:
            return plot.district
        if command.plot is not None:
            ev = self._events().get(command.plot.event_id)
            return ev.district if ev is not None else ""
        return ""

    def apply(self, c: Command, operator: str) -> CommandAck:
        """Apply a plot command that passed the core's checks (role, geometry, §7.2)."""
        now = self.hub.now_ms()
        plot_id = plot_id_of(c)
        current = self.register.plots.get(plot_id)
        event_id = (
            current.event_id if current is not None else (c.plot.event_id if c.plot is not None else "")
        )
        ev = self._events().get(event_id)
        if ev is None:
            return _reject(c, "unknown_event", f"no event {event_id!r}")
        if ev.state == EventState.CLOSED:
            return _reject(c, "event_closed", f"event {ev.id} is closed: its plots are kept as they are")
        result: Plot | Refusal
        if c.kind == CommandKind.PLOT_CREATE:
            assert c.plot is not None  # check_plot
            result = self.register.create(c.plot, operator, now, ev.district, ev.theme)
        elif c.kind == CommandKind.PLOT_EDIT:
            assert c.plot is not None
            result = self.register.edit(c.plot, c.base, operator, now)
        else:
            centre = c.plot.centre if c.plot is not None else ""
            result = self.register.delete(plot_id, c.base, operator, centre, now)
        if isinstance(result, Refusal):
            return _reject(c, result.reason, result.detail)
        self.register.plots[result.id] = self.hub.publish(Stream.PLOTS, result, result.district, result.theme)
        return CommandAck(id=c.id, result=AckResult.ACCEPTED)

    def load(self, plots: list[Plot]) -> None:
        """Start from plots recorded elsewhere (a drill that starts from a recording)."""
        for plot in plots:
            self.register.plots[plot.id] = self.hub.publish(Stream.PLOTS, plot, plot.district, plot.theme)


def _reject(c: Command, reason: str, detail: str) -> CommandAck:
    return CommandAck(id=c.id, result=AckResult.REJECTED, reason=reason, detail=detail)
