"""The plotting vocabulary in the officer's language: the palette's symbols, the letters drawn in them,
why a drawing cannot be sent, and why the backend did not take it."""

from __future__ import annotations

from cockpit.present.i18n import Translate
from cockpit.protocol.messages import PlotKind
from cockpit.protocol.plots import MAX_LABEL, MAX_VERTICES, PlotProblem

PALETTE: tuple[PlotKind, ...] = (
    PlotKind.FIRE_LINE,
    PlotKind.FIRE_ZONE,
    PlotKind.ISOLATION_BELT,
    PlotKind.EVACUATION_ROUTE,
    PlotKind.ADVANCE_ARROW,
    PlotKind.ASSEMBLY_POINT,
    PlotKind.COMMAND_POST,
    PlotKind.WATER_SOURCE,
    PlotKind.ROAD_BLOCK,
    PlotKind.TEXT,
)
"""The palette's order: lines and areas first, then points."""


class PlotWords:
    """Args:
    translate: The translator.
    """

    def __init__(self, translate: Translate) -> None:
        self.translate = translate

    def kind(self, kind: str) -> str:
        """A symbol's name: "Fire line"."""
        t = self.translate
        names: dict[str, str] = {
            PlotKind.FIRE_LINE: t("Plots", "Fire line"),
            PlotKind.FIRE_ZONE: t("Plots", "Fire zone"),
            PlotKind.ISOLATION_BELT: t("Plots", "Isolation belt"),
            PlotKind.EVACUATION_ROUTE: t("Plots", "Evacuation route"),
            PlotKind.ASSEMBLY_POINT: t("Plots", "Assembly point"),
            PlotKind.COMMAND_POST: t("Plots", "Command post"),
            PlotKind.WATER_SOURCE: t("Plots", "Water source"),
            PlotKind.ROAD_BLOCK: t("Plots", "Road block"),
            PlotKind.ADVANCE_ARROW: t("Plots", "Advance arrow"),
            PlotKind.TEXT: t("Plots", "Free text"),
        }
        return names.get(kind, kind)

    def mark(self, kind: str) -> str:
        """The letter drawn inside a point symbol, so that it reads without its colour."""
        t = self.translate
        marks: dict[str, str] = {
            PlotKind.ASSEMBLY_POINT: t("PlotMarks", "A"),
            PlotKind.COMMAND_POST: t("PlotMarks", "C"),
            PlotKind.WATER_SOURCE: t("PlotMarks", "W"),
        }
        return marks.get(kind, "")

    def problem(self, p: PlotProblem) -> str:
        """Why a drawing cannot be sent, in words, with what to do."""
        t = self.translate
        where = f"{p.at[0]:.5f}, {p.at[1]:.5f}" if p.at is not None else ""
        words = {
            "self_crossing": t("Plots", "The outline crosses itself near {where}: move a corner so it does not"),
            "too_many_vertices": t("Plots", "{n} points is too many: a drawing has at most {max}"),
            "too_few_vertices": t("Plots", "Not enough points: a line needs 2, an area 3 corners"),
            "out_of_range": t("Plots", "Point {n} is off the map (longitude −180…180, latitude −90…90)"),
            "not_a_position": t("Plots", "A point is not a position on the map"),
            "not_closed": t("Plots", "The outline is not closed"),
            "wrong_geometry": t("Plots", "This symbol is drawn as another shape"),
            "unknown_kind": t("Plots", "The palette has no such symbol"),
            "no_event": t("Plots", "Choose the event this drawing belongs to"),
            "no_plot": t("Plots", "Nothing to send"),
            "label_too_long": t("Plots", "The label is too long ({n} characters; at most {max})"),
            "label_required": t("Plots", "Free text needs its words: type them in the label field first"),
            "bad_colour": t("Plots", "The colour is not valid"),
            "bad_scale": t("Plots", "The size is out of range"),
        }.get(p.code)
        if words is None:
            return p.detail
        limit = MAX_LABEL if p.code == "label_too_long" else MAX_VERTICES
        return words.format(where=where, n=f"{p.count:,}", max=f"{limit:,}")

    def action(self, kind: str) -> str:
        """What a plot command did, for a draft's line: "your change of the fire line"."""
        t = self.translate
        return {
            "plot_create": t("Plots", "New {what}"),
            "plot_edit": t("Plots", "Change of {what}"),
            "plot_delete": t("Plots", "Deletion of {what}"),
        }.get(kind, "{what}")
