"""The console's drawing panel (标绘): the palette, the map with the shared plots and the officer's own
changes on it, the drafts, and the actions (finish, delete, undo, redo, trace, export).

It draws for the console's chosen event (the one selection) and refuses to when it may not: a replay,
a viewer, a backend without a ``plots`` stream, a closed event. Every intent returns the command to
send, or ``None``; :meth:`PlottingModel.update` returns what changed, once a frame.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.plot_export import geojson_text, to_kml
from cockpit.model.plots import Position, positions
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.i18n import Translate
from cockpit.present.panels.map import MapModel, MapState
from cockpit.present.plots.drafts import Draft, draft_rows, find_drafts
from cockpit.present.plots.editor import PlotEditor, Tool, plot_note
from cockpit.present.plots.shapes import body_shape, record_shape
from cockpit.present.plots.trace import traced_fire_line
from cockpit.present.plots.words import PALETTE, PlotWords
from cockpit.present.runway_spec import Panel, PanelKind, Selector
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.messages import Command, CommandKind, EventState, PlotKind, Stream
from cockpit.protocol.plots import GEOMETRY_OF_KIND
from widgets.plot_values import DraftRow, Handle, PaletteItem, PlotLook, PlotShape

CONSOLE_MAP = Panel(
    kind=PanelKind.MAP,
    at=(0, 0, 1, 1),
    layers=["districts", "forest_park", "water_sources", "hv_lines", "rivers", "pipelines"],
    overlays=["fire_spread", "inundation", "road_closure", "affected_area", "signal_plan"],
    events=Selector(),
)
"""What the drawing map shows under the plots: every open event, and every layer and overlay the
runways' maps use."""
FOCUS_ZOOM = 14.5
"""The drawing map's zoom on the chosen event: a few kilometres across, streets and ponds readable."""


@dataclass(frozen=True, slots=True)
class PlottingState:
    heading: str
    """What the drawings are for: "Drawing for Fire alarm · Lakeside (E01-000013)"."""
    why_not: str
    """Why nothing can be drawn now, in words; "" when the officer may draw."""
    palette: tuple[PaletteItem, ...]
    chosen: str
    """The symbol chosen ("": select)."""
    shapes: tuple[PlotShape, ...]
    handles: tuple[Handle, ...]
    drawing: bool
    """The tool draws: clicks place vertices (else they select)."""
    drafts: tuple[DraftRow, ...]
    notice: str
    label: str
    """The label field: the words of the next drawing (emptied once they went with one)."""
    can_undo: bool
    can_redo: bool
    can_delete: bool
    can_finish: bool
    can_trace: bool
    can_export: bool
    focus: tuple[float, float, float] | None
    """Centre the map here (lon, lat, zoom): only when the event drawn for changed."""


class PlottingModel:
    """Args:
    ctx: Shared presentation state (the book, the selection, the language).
    situation: The model.
    centre: This cockpit's centre, stamped on what it draws.
    """

    def __init__(self, ctx: Context, situation: Situation, centre: str = "") -> None:
        self.ctx = ctx
        self.words = PlotWords(ctx.translate)
        self.editor = PlotEditor(ctx.book, situation, self.words, centre)
        self.map = MapModel(CONSOLE_MAP, ctx, label_severity=2)
        self.dismissed: set[str] = set()
        self._drafts: list[Draft] = []
        self._seen: tuple[object, ...] = ()
        self._focused = ""
        self._picked = False  # the last click picked a drawing

    # ---------------------------------------------------------------------------- per frame

    def update_map(self, situation: Situation, frame: Frame) -> MapState | None:
        return self.map.update(situation, frame)

    def update(self, situation: Situation, frame: Frame) -> PlottingState | None:
        ed = self.editor
        self._sync_event()
        ed.settle()
        ch = frame.changes
        key = (ed.generation, self.ctx.book.generation, ed.event_id, len(self.dismissed), frame.current)
        if key == self._seen and not (ch.plots or ch.events or ch.replaced or ch.names):
            return None
        self._seen = key
        self._drafts = find_drafts(self.ctx.book, self.dismissed)
        why_not = self.why_not(situation)
        focus = None
        ev = situation.events.get(ed.event_id)
        if ev is not None and ed.event_id != self._focused:
            self._focused = ed.event_id
            focus = (ev.lon, ev.lat, FOCUS_ZOOM)
        palette = tuple(
            PaletteItem(k.value, self.words.kind(k), self.words.mark(k), why_not) for k in PALETTE
        )
        selected = ed.local(ed.selected) if ed.selected else None
        return PlottingState(
            heading=self._heading(situation),
            why_not=why_not,
            palette=palette,
            chosen=ed.kind,
            shapes=tuple(self.shapes(situation)),
            handles=tuple(self._handles()),
            drawing=ed.tool is Tool.DRAW and not why_not,
            drafts=tuple(draft_rows(self._drafts, situation, self.words, lambda e: self.why_not(situation, e))),
            notice=ed.notice,
            label=ed.label,
            can_undo=(bool(ed.undo_stack) or ed.sketching) and not why_not,
            can_redo=bool(ed.redo_stack) and not why_not,
            can_delete=selected is not None and not why_not,
            can_finish=bool(ed.view().sketch) and not why_not,
            can_trace=not why_not and any(o.kind == "fire_spread" for o in situation.overlays.values()),
            can_export=bool(situation.plots_for(ed.event_id)),
            focus=focus,
        )

    def why_not(self, situation: Situation, event_id: str | None = None) -> str:
        """Why the officer may not draw now, for ``event_id`` (default: the chosen event), in words;
        "" when he may."""
        t = self.ctx.translate
        book = self.ctx.book
        why = book.why_not(CommandKind.PLOT_CREATE)
        if why:
            return why
        if Stream.PLOTS not in situation.epochs:
            return t("Plots", "This backend does not share drawings (it offers no plots stream)")
        ev = situation.events.get(self.editor.event_id if event_id is None else event_id)
        if ev is None:
            if event_id is not None:
                return t("Plots", "its event is not on this wall now")
            return t("Plots", "Choose the event to draw for: click it in a list or on a map")
        if ev.state is EventState.CLOSED:
            return t("Plots", "The event is closed: its drawings are kept as they are")
        return ""

    def shapes(self, situation: Situation) -> list[PlotShape]:
        """Every plot as this console shows it: the shared ones, the officer's changes on their way,
        his drafts, and the sketch."""
        ed, words = self.editor, self.words
        view = ed.view()
        out: list[PlotShape] = []
        for pid, rec in situation.plots.items():
            if pid in view.pending:
                continue
            note = plot_note(rec, words)
            shape = record_shape(rec, words, selected=pid == ed.selected, note=note)
            if view.dragging is not None and view.dragging[0] == pid:
                shape = _dragged(shape, view.dragging[1], view.dragging[2])
            out.append(shape)
        for pid, body in view.pending.items():
            if body is None:
                continue
            note = _waiting_note(view.waiting.get(pid, CommandStatus.QUEUED), ed.words.translate)
            shape = body_shape(body, words, PlotLook.SENDING, selected=pid == ed.selected, note=note)
            if view.dragging is not None and view.dragging[0] == pid:
                shape = _dragged(shape, view.dragging[1], view.dragging[2])
            out.append(shape)
        for d in self._drafts:
            if d.body is not None:
                out.append(body_shape(d.body, words, PlotLook.DRAFT, shape_id=f"draft:{d.command_id}", note=ed.words.translate("Plots", "draft: not applied")))
        if view.sketch and ed.kind:
            vertices = view.sketch + ((view.hover,) if view.hover is not None else ())
            geometry = GEOMETRY_OF_KIND[PlotKind(ed.kind)]
            if geometry == "Polygon" and len(vertices) < 3:
                geometry = "LineString"
            out.append(PlotShape("sketch", ed.kind, geometry, vertices, label=ed.label, look=PlotLook.SKETCH))
        return out

    # ---------------------------------------------------------------------------- intents

    def choose(self, kind: str) -> None:
        self._hold()
        self.editor.choose(kind)

    def choose_event(self, event_id: str) -> None:
        """The officer clicked an event's marker on the drawing map: while drawing, that click placed
        a vertex (it is the drawing's); when it picked a drawing on top of the marker, the drawing is
        what he meant (the map reports the marker after the tool reported the click); otherwise the
        event is chosen, as anywhere on the wall."""
        if self.editor.tool is Tool.SELECT and not self._picked:
            self.ctx.selection.choose(event_id)

    def set_label(self, text: str) -> None:
        self.editor.set_label(text)

    def click(self, lon: float, lat: float, tol: float) -> Command | None:
        self._picked = False
        if not self._may():
            return None
        command = self.editor.click(lon, lat, tol)
        self._picked = self.editor.tool is Tool.SELECT and bool(self.editor.selected)
        return command

    def double_click(self, lon: float, lat: float, tol: float) -> Command | None:
        return self.editor.double_click(lon, lat, tol) if self._may() else None

    def hover(self, lon: float, lat: float, tol: float) -> None:
        self.editor.hover(lon, lat, tol)

    def grab(self, plot_id: str, index: int) -> None:
        if self._may():
            self.editor.grab(plot_id, index)

    def drag(self, lon: float, lat: float, tol: float) -> None:
        self.editor.drag(lon, lat, tol)

    def drop(self, lon: float, lat: float, tol: float) -> Command | None:
        return self.editor.drop(lon, lat, tol)

    def finish(self) -> Command | None:
        return self.editor.finish() if self._may() else None

    def cancel(self) -> None:
        self.editor.cancel()

    def back(self) -> None:
        self.editor.back()

    def delete(self) -> Command | None:
        return self.editor.delete() if self._may() else None

    def relabel(self) -> Command | None:
        return self.editor.relabel(self.editor.label.strip()) if self._may() else None

    def undo(self) -> Command | None:
        return self.editor.undo() if self._may() else None

    def redo(self) -> Command | None:
        return self.editor.redo() if self._may() else None

    def trace(self) -> Command | None:
        """Trace the fire-spread overlay into a fire line for the chosen event."""
        if not self._may():
            return None
        ed = self.editor
        label = ed.label.strip() or self.ctx.translate("Plots", "Fire line (traced from the projected spread)")
        body = traced_fire_line(self.situation, ed.event_id, label, ed.centre)
        if body is None:
            ed.notice = self.ctx.translate("Plots", "No projected fire spread to trace near this event")
            ed.generation += 1
            return None
        return ed.create(body)

    def reapply(self, command_id: str) -> Command | None:
        """Re-apply a draft on the shared map as it is now."""
        draft = next((d for d in self._drafts if d.command_id == command_id), None)
        if draft is None:
            return None
        why = self.why_not(self.situation, draft.event_id)
        if why:  # the button says so too (DraftRow.can_reapply); never a click that does nothing
            self.editor.notice = self.ctx.translate("Plots", "Not re-applied: {why}").format(why=why)
            self.editor.generation += 1
            return None
        command = self.editor.reapply(draft.body, draft.plot_id, draft.kind)
        self.dismissed.add(command_id)
        if command is None and draft.kind != CommandKind.PLOT_DELETE:
            self.dismissed.discard(command_id)
        return command

    def discard(self, command_id: str) -> None:
        """The officer discarded a draft."""
        self.dismissed.add(command_id)
        self.editor.generation += 1

    def set_snap_points(self, points: list[Position]) -> None:
        self.editor.snap_points = points

    def export(self, fmt: str) -> tuple[str, str]:
        """The chosen event's plots as a file: (suggested name, text). ``fmt``: ``geojson`` or ``kml``."""
        situation = self.situation
        event_id = self.editor.event_id
        plots = situation.plots_for(event_id)
        stem = f"plots-{event_id or 'none'}"
        if fmt == "kml":
            title = self._heading(situation)
            return f"{stem}.kml", to_kml(plots, title, self.words.kind)
        return f"{stem}.geojson", geojson_text(plots)

    # ---------------------------------------------------------------------------- details

    @property
    def situation(self) -> Situation:
        return self.editor.situation

    def _sync_event(self) -> None:
        """Draw for the console's chosen event (the one selection's rule for "nobody chose")."""
        target, _ = self.ctx.selection.target(self.situation)
        self.editor.set_event(target or "")

    def _may(self) -> bool:
        self._hold()
        return not self.why_not(self.situation)

    def _hold(self) -> None:
        """The officer acts on the drawing for the event nobody chose (the console's first): that is
        his choice now. Else a newer, graver event would take the drawing over, and the map with it,
        between two clicks of a fire line."""
        self._sync_event()
        target, chosen = self.ctx.selection.target(self.situation)
        if target and not chosen:
            self.ctx.selection.choose(target)

    def _heading(self, situation: Situation) -> str:
        t = self.ctx.translate
        event_id = self.editor.event_id
        if not event_id:
            return t("Plots", "Drawing: no event chosen")
        return t("Plots", "Drawing for {event} ({id})").format(
            event=self.ctx.book.event_text(situation, event_id), id=event_id
        )

    def _handles(self) -> list[Handle]:
        ed = self.editor
        if ed.tool is not Tool.SELECT or not ed.selected:
            return []
        body = ed.local(ed.selected)
        if body is None:
            return []
        return [Handle(body.id, i, lon, lat) for i, (lon, lat) in enumerate(positions(body.geometry.type, body.geometry.coordinates))]


def _waiting_note(status: CommandStatus, t: Translate) -> str:
    """What the officer's change on its way says beside it: never "failed" while the outcome is open."""
    if status is CommandStatus.QUEUED:
        return t("Plots", "waiting for the link…")
    if status is CommandStatus.UNANSWERED:
        return t("Plots", "no answer yet: still sending")
    if status is CommandStatus.ABANDONED:
        return t("Plots", "no answer: outcome unknown")
    return t("Plots", "sending…")


def _dragged(shape: PlotShape, index: int, at: Position) -> PlotShape:
    vertices = list(shape.vertices)
    if 0 <= index < len(vertices):
        vertices[index] = at
    return dataclasses.replace(shape, vertices=tuple(vertices))
