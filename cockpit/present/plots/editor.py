"""The drawing tool's edit model: what the officer's mouse and keys mean, the undo stack, and the plot
commands they make (protocol §7.10). No Qt: the map widget reports positions
(:mod:`widgets.plot_tool`), and every intent here returns the command to send, or ``None``.

**Tools.** With no symbol chosen the tool *selects*: a click picks the plot under the pointer, whose
vertices become handles to drag; Delete removes it. With a symbol chosen it *draws*: a point symbol is
placed with one click; a line or an area takes a click per vertex and is finished by a double click,
Enter, or (an area) a click on its first corner. Positions snap to what is near the pointer: the
corners of other drawings, events and units, the backend's overlays (the fire spread), and the points
the shell hands in from the map's layers (water sources).

**Checked before sending.** A drawing that breaks the plot rules (:func:`cockpit.protocol.plots.check_body`:
a zone whose outline crosses itself, a point off the map, too many points) is not sent: the notice
says why and the sketch stays to be fixed. A vertex dragged to make such a shape springs back.

**Versions.** Every change is made on the version the officer sees: the plot's on the shared map,
or, while a change of the officer's is on its way, the version that change will make. So successive
changes chain, and a change that meets someone else's comes back as a draft (:mod:`.drafts`).

**Undo and redo** are the officer's own changes, done again backwards: undoing a new plot deletes it,
undoing a change puts the shape back, undoing a deletion restores the plot (§7.10: an edit made on the
version it was deleted at). Each is a command made on the version the officer's change produced, so
an undo never silently erases what another centre drew since: it would be refused and kept as a draft.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

import msgspec

from cockpit.model import Situation
from cockpit.model.plots import PlotRecord, Position, geometry_of, positions
from cockpit.present.commands import CommandBook
from cockpit.present.plots.shapes import nearest, shape_distance
from cockpit.present.plots.words import PlotWords
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.ids import uuid7
from cockpit.protocol.messages import Command, CommandKind, Geometry, PlotBody, PlotKind
from cockpit.protocol.plots import GEOMETRY_OF_KIND, LINE, POINT, POLYGON, PlotProblem, check_body


class Tool(enum.Enum):
    SELECT = "select"
    DRAW = "draw"


@dataclass(slots=True)
class Step:
    """One change of the officer's, for undo and redo."""

    plot_id: str
    before: PlotBody | None
    """The plot before the change (None: it did not exist)."""
    after: PlotBody | None
    """The plot after it (None: deleted)."""
    version: int
    """The version the plot has once the latest command of this step (doing or undoing) is applied."""
    command_id: str
    """That command."""


@dataclass(slots=True)
class _Pending:
    command_id: str
    version: int
    """The version the plot has once it is applied."""
    body: PlotBody | None
    """The plot as it will be (None: deleted)."""


@dataclass(slots=True)
class _Drag:
    plot_id: str
    index: int
    start: tuple[Position, ...]
    at: Position


@dataclass(slots=True)
class EditorView:
    """What the editor shows now, besides the shared plots."""

    sketch: tuple[Position, ...] = ()
    hover: Position | None = None
    dragging: tuple[str, int, Position] | None = None
    pending: dict[str, PlotBody | None] = field(default_factory=dict)
    """Plot id → the officer's change on its way (None: a deletion)."""
    waiting: dict[str, CommandStatus] = field(default_factory=dict)
    """Plot id → where the command of that change is (queued, sent, unanswered, sending stopped)."""


class PlotEditor:
    """The edit model of the console's drawing tool.

    Args:
        book: The command book: every plot command is made there.
        situation: The shared plots and their versions, events, units, overlays (for snapping).
        words: The plotting vocabulary.
        centre: This cockpit's centre, stamped on what it draws.
    """

    def __init__(self, book: CommandBook, situation: Situation, words: PlotWords, centre: str = "") -> None:
        self.book = book
        self.situation = situation
        self.words = words
        self.centre = centre
        self.kind: str = ""
        """The palette symbol chosen; "" selects."""
        self.label = ""
        """The label field: the words of the next plot drawn."""
        self.event_id = ""
        """The event drawings are made for (the console's chosen event)."""
        self.selected = ""
        self.notice = ""
        """The last thing the officer must read: why a drawing was not sent."""
        self.snap_points: list[Position] = []
        """Points of the map's own layers to snap to (water sources), from the shell."""
        self._sketch: list[Position] = []
        self._sketch_id = ""
        self._hover: Position | None = None
        self._drag: _Drag | None = None
        self._pending: dict[str, _Pending] = {}
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []
        self.generation = 0
        """Counts changes of what the editor shows."""

    # ------------------------------------------------------------------------------ state

    @property
    def tool(self) -> Tool:
        return Tool.DRAW if self.kind else Tool.SELECT

    def view(self) -> EditorView:
        drag = self._drag
        return EditorView(
            tuple(self._sketch),
            self._hover if self._sketch else None,
            (drag.plot_id, drag.index, drag.at) if drag is not None else None,
            {pid: p.body for pid, p in self._pending.items()},
            {pid: self._status(p.command_id) for pid, p in self._pending.items()},
        )

    def _status(self, command_id: str) -> CommandStatus:
        rec = self.book.records.get(command_id)
        return rec.status if rec is not None else CommandStatus.QUEUED

    def local(self, plot_id: str) -> PlotBody | None:
        """The plot as the officer sees it: his change on its way, else the shared map's."""
        pending = self._pending.get(plot_id)
        if pending is not None:
            return pending.body
        record = self.situation.plots.get(plot_id)
        return record.body(self.centre) if record is not None else None

    def version(self, plot_id: str) -> int:
        """The version a change of ``plot_id`` is made on now."""
        pending = self._pending.get(plot_id)
        if pending is not None:
            return pending.version
        record = self.situation.plots.get(plot_id)
        return record.version if record is not None else 0

    def settle(self) -> bool:
        """Once a frame: forget pending changes the shared map now shows, or that did not go in (the
        drafts show those); drop undo steps whose command did not go in. True if anything changed."""
        changed = False
        for pid, p in list(self._pending.items()):
            rec = self.book.records.get(p.command_id)
            status = rec.status if rec is not None else CommandStatus.REJECTED
            shown = self.situation.plots.get(pid)
            arrived = (shown is not None and shown.version >= p.version) or (p.body is None and shown is None)
            if status is CommandStatus.ACCEPTED:
                if not arrived:
                    continue
            elif not status.settled:
                # No answer yet (a stall, a cut link, sending stopped): never shown as failed. Once the
                # shared map has reached the version this change would give, it shows the change (or
                # someone else's, and a late answer to this one would come back a conflict: a draft).
                if shown is None or shown.version < p.version:
                    continue
                del self._pending[pid]
                changed = True
                continue
            del self._pending[pid]
            changed = True
            if status is not CommandStatus.ACCEPTED:
                self._forget_steps(p.command_id)
        if self.selected and self.local(self.selected) is None:
            self.selected = ""
            changed = True
        if changed:
            self.generation += 1
        return changed

    # ------------------------------------------------------------------------------ intents: tools

    def choose(self, kind: str) -> None:
        """The officer chose a palette symbol ("": the select tool). An unfinished sketch is dropped."""
        self.kind = kind if kind in set(PlotKind) else ""
        self._sketch.clear()
        self._hover = None
        self.selected = ""
        self.notice = ""
        self.generation += 1

    def set_label(self, text: str) -> None:
        self.label = text

    def set_event(self, event_id: str) -> None:
        """The event drawings are for; another event drops an unfinished sketch."""
        if event_id != self.event_id:
            self.event_id = event_id
            self._sketch.clear()
            self.selected = ""
            self.generation += 1

    # ------------------------------------------------------------------------------ intents: mouse

    def hover(self, lon: float, lat: float, tol: float = 0.0) -> None:
        """The pointer moved while drawing: the next segment follows it."""
        if self._sketch:
            self._hover = self._snap((lon, lat), tol)
            self.generation += 1

    def click(self, lon: float, lat: float, tol: float) -> Command | None:
        """A click on the map (press and release in place)."""
        self.notice = ""
        self.generation += 1
        at = (lon, lat)
        if self.tool is Tool.SELECT:
            self.selected = self._hit(at, tol)
            return None
        shape = GEOMETRY_OF_KIND[PlotKind(self.kind)]
        pos = self._snap(at, tol)
        if shape == POINT:
            return self._create(geometry_of(POINT, (pos,)))
        if shape == POLYGON and len(self._sketch) >= 3 and nearest(at, [self._sketch[0]], tol) is not None:
            return self.finish()  # a click on the first corner closes the area
        if not self._sketch:
            self._sketch_id = uuid7(time.time_ns() // 1_000_000)
        if not self._sketch or self._sketch[-1] != pos:
            self._sketch.append(pos)
        return None

    def double_click(self, lon: float, lat: float, tol: float) -> Command | None:
        """A double click: finishes a line or an area (its last vertex came with the first click)."""
        if self.tool is Tool.DRAW and self._sketch:
            return self.finish()
        return None

    def grab(self, plot_id: str, index: int) -> None:
        """The officer pressed on a vertex handle of the selected plot."""
        body = self.local(plot_id)
        if body is None:
            return
        vertices = positions(body.geometry.type, body.geometry.coordinates)
        if 0 <= index < len(vertices):
            self._drag = _Drag(plot_id, index, vertices, vertices[index])
            self.selected = plot_id
            self.generation += 1

    def drag(self, lon: float, lat: float, tol: float) -> None:
        if self._drag is not None:
            self._drag.at = self._snap((lon, lat), tol, exclude=(self._drag.plot_id, self._drag.index))
            self.generation += 1

    def drop(self, lon: float, lat: float, tol: float) -> Command | None:
        """The vertex is let go: the plot changes, if the shape is still allowed."""
        drag = self._drag
        if drag is None:
            return None
        self.drag(lon, lat, tol)
        self._drag = None
        self.generation += 1
        body = self.local(drag.plot_id)
        if body is None or drag.at == drag.start[drag.index]:
            return None
        moved = list(drag.start)
        moved[drag.index] = drag.at
        return self._edit(body, msgspec.structs.replace(body, geometry=geometry_of(body.geometry.type, tuple(moved))))

    # ------------------------------------------------------------------------------ intents: keys

    def finish(self) -> Command | None:
        """Enter: the line or area being drawn is done."""
        if self.tool is not Tool.DRAW or not self._sketch:
            return None
        shape = GEOMETRY_OF_KIND[PlotKind(self.kind)]
        command = self._create(geometry_of(shape, tuple(self._sketch)), self._sketch_id)
        if command is not None:
            self._sketch.clear()
            self._hover = None
        return command

    def cancel(self) -> None:
        """Escape: drop the sketch, else let go of the selection."""
        if self._sketch:
            self._sketch.clear()
            self._hover = None
        else:
            self.selected = ""
        self.notice = ""
        self.generation += 1

    def back(self) -> None:
        """Backspace: the last vertex of the sketch goes."""
        if self._sketch:
            self._sketch.pop()
            self.generation += 1

    def delete(self) -> Command | None:
        """Delete the selected plot."""
        body = self.local(self.selected) if self.selected else None
        if body is None:
            return None
        command = self._send(CommandKind.PLOT_DELETE, body.id, None, body.event_id, ref=body.id)
        if command is not None:
            self._record(body.id, body, None, command)
            self.selected = ""
        return command

    def relabel(self, text: str) -> Command | None:
        """Put ``text`` on the selected plot."""
        body = self.local(self.selected) if self.selected else None
        if body is None or body.label == text:
            return None
        return self._edit(body, msgspec.structs.replace(body, label=text))

    @property
    def sketching(self) -> bool:
        """A line or area is being drawn (or was refused and is still shown to be put right)."""
        return bool(self._sketch)

    def undo(self) -> Command | None:
        """Undo the officer's last step: the sketch's last vertex while one is drawn (a refused
        shape is still the sketch), else the last change sent to the shared map."""
        if self._sketch:
            self.back()
            return None
        if not self.undo_stack:
            return None
        step = self.undo_stack[-1]
        command = self._apply_step(step, step.after, step.before)
        if command is not None:
            self.undo_stack.pop()
            self.redo_stack.append(step)
        return command

    def redo(self) -> Command | None:
        if not self.redo_stack:
            return None
        step = self.redo_stack[-1]
        command = self._apply_step(step, step.before, step.after)
        if command is not None:
            self.redo_stack.pop()
            self.undo_stack.append(step)
        return command

    def create(self, body: PlotBody) -> Command | None:
        """Send a plot made elsewhere (a traced fire line) as the officer's own new drawing."""
        return self._submit_create(body)

    def reapply(self, body: PlotBody | None, plot_id: str, kind: str) -> Command | None:
        """A draft re-applied on the shared map as it is now: a change on the current version; a
        drawing whose plot is gone comes back as a new one; a deletion of what is gone is moot."""
        current = self.situation.plots.get(plot_id)
        if kind == CommandKind.PLOT_DELETE:
            if current is None:
                return None
            command = self._send(CommandKind.PLOT_DELETE, plot_id, None, current.event_id, ref=plot_id)
            if command is not None:
                self._record(plot_id, current.body(self.centre), None, command)
            return command
        if body is None:
            return None
        if current is not None:
            return self._edit(current.body(self.centre), msgspec.structs.replace(body, kind=current.kind))
        fresh = msgspec.structs.replace(body, id=uuid7(time.time_ns() // 1_000_000), centre=self.centre)
        return self._submit_create(fresh)

    # ------------------------------------------------------------------------------ details

    def _create(self, geometry: Geometry, plot_id: str = "") -> Command | None:
        body = PlotBody(
            id=plot_id or uuid7(time.time_ns() // 1_000_000), kind=self.kind, geometry=geometry,
            event_id=self.event_id, label=self.label.strip(), centre=self.centre,
        )  # fmt: skip
        return self._submit_create(body)

    def _submit_create(self, body: PlotBody) -> Command | None:
        if not body.event_id:
            self.notice = self.words.problem(PlotProblem("no_event", ""))
            return None
        if self._refused(body):
            return None
        command = self._send(CommandKind.PLOT_CREATE, body.id, body, body.event_id)
        if command is not None:
            self._record(body.id, None, body, command)
            self.selected = body.id if self.tool is Tool.SELECT else ""
            self.label = ""  # the label field's words went with this drawing
        return command

    def _edit(self, before: PlotBody, after: PlotBody) -> Command | None:
        if self._refused(after):
            return None
        command = self._send(CommandKind.PLOT_EDIT, after.id, after, after.event_id)
        if command is not None:
            self._record(after.id, before, after, command)
        return command

    def _refused(self, body: PlotBody) -> bool:
        problem = check_body(body)
        if problem is None:
            return False
        self.notice = self.words.problem(problem)
        self.generation += 1
        return True

    def _send(
        self, kind: CommandKind, plot_id: str, body: PlotBody | None, event_id: str, *, ref: str = "", base: int | None = None
    ) -> Command | None:
        version = self.version(plot_id) if base is None else base
        command = self.book.make(
            kind, event_id, plot=body, base=0 if kind == CommandKind.PLOT_CREATE else version, ref=ref
        )
        if command is None:
            self.notice = self.book.why_not(kind, event_id) or self.words.translate("Plots", "Not sent")
            self.generation += 1
            return None
        after = 1 if kind == CommandKind.PLOT_CREATE else version + 1
        self._pending[plot_id] = _Pending(command.id, after, body)
        self.generation += 1
        return command

    def _record(self, plot_id: str, before: PlotBody | None, after: PlotBody | None, command: Command) -> None:
        self.undo_stack.append(Step(plot_id, before, after, self._pending[plot_id].version, command.id))
        self.redo_stack.clear()

    def _apply_step(self, step: Step, now: PlotBody | None, wanted: PlotBody | None) -> Command | None:
        """The command that takes ``step``'s plot from ``now`` to ``wanted``, made on the step's version."""
        base = step.version
        if wanted is None:
            assert now is not None
            command = self._send(CommandKind.PLOT_DELETE, step.plot_id, None, now.event_id, ref=step.plot_id, base=base)
        else:
            if self._refused(wanted):
                return None
            command = self._send(CommandKind.PLOT_EDIT, step.plot_id, wanted, wanted.event_id, base=base)
        if command is not None:
            step.version, step.command_id = base + 1, command.id
        return command

    def _forget_steps(self, command_id: str) -> None:
        """A change that did not go in is the draft's now: undo and redo skip it."""
        self.undo_stack = [s for s in self.undo_stack if s.command_id != command_id]
        self.redo_stack = [s for s in self.redo_stack if s.command_id != command_id]

    def _shown_plots(self) -> list[tuple[str, str, tuple[Position, ...]]]:
        out: list[tuple[str, str, tuple[Position, ...]]] = []
        seen: set[str] = set()
        for pid, p in self._pending.items():
            seen.add(pid)
            if p.body is not None:
                out.append((pid, p.body.geometry.type, positions(p.body.geometry.type, p.body.geometry.coordinates)))
        for pid, rec in self.situation.plots.items():
            if pid not in seen:
                out.append((pid, rec.geometry_type, rec.vertices))
        return out

    def _hit(self, at: Position, tol: float) -> str:
        """The plot under the pointer: the nearest within ``tol`` (points before lines before areas)."""
        order = {POINT: 0, LINE: 1, POLYGON: 2}
        best = ""
        best_key = (tol, 3)
        for pid, gtype, vertices in self._shown_plots():
            d = shape_distance(at, gtype, vertices)
            key = (d, order.get(gtype, 3))
            if d <= tol and key < best_key:
                best, best_key = pid, key
        return best

    def _snap(self, at: Position, tol: float, exclude: tuple[str, int] | None = None) -> Position:
        """``at``, or what it is close to: a corner of a drawing, an event, a unit, an overlay's
        corner, a point of the map's layers."""
        if tol <= 0:
            return at
        candidates: list[Position] = list(self.snap_points)
        for pid, _, vertices in self._shown_plots():
            candidates.extend(v for i, v in enumerate(vertices) if exclude is None or (pid, i) != exclude)
        candidates.extend(self._sketch[:-1] if self._sketch else [])
        s = self.situation
        candidates.extend((e.lon, e.lat) for e in s.open_events())
        candidates.extend((u.lon, u.lat) for u in s.units.values())
        for o in s.overlays.values():
            candidates.extend(positions(o.geometry_type, o.coordinates))
        return nearest(at, candidates, tol) or at


def plot_note(record: PlotRecord, words: PlotWords) -> str:
    """Who drew it and its version, for the console: "v3 · li.wei (lakeside)"."""
    who = record.updated_by + (f" ({record.updated_centre})" if record.updated_centre else "")
    return words.translate("Plots", "v{version} · {who}").format(version=record.version, who=who)
