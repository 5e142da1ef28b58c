"""The plain values the plotting widgets are given (no Qt): what to draw, and how it stands.

The cockpit's presentation layer builds them (like :mod:`widgets.values`); the widgets draw them
(:mod:`widgets.plot_symbols`, :mod:`widgets.plot_layer`) and report the officer's mouse
(:mod:`widgets.plot_tool`) without knowing what a command is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

Position = tuple[float, float]
"""(lon, lat) in WGS 84 degrees."""


class PlotLook(enum.Enum):
    """How a plot stands, which decides how it is drawn besides its symbol."""

    DRAWN = "drawn"
    """On the shared map: what every wall shows."""
    SENDING = "sending"
    """The officer's own change, on its way (console only): drawn as it will be, with a dashed halo."""
    DRAFT = "draft"
    """The officer's change that did not go in (refused, or not sent): a dashed ghost over the plot
    as it now is, until re-applied or discarded (console only)."""
    SKETCH = "sketch"
    """Being drawn now (console only): thin, with its corners marked."""


@dataclass(frozen=True, slots=True)
class PlotShape:
    """One plot to draw.

    Attributes:
        id: Its id (a draft's is ``draft:<command id>``; the sketch's ``sketch``).
        kind: The kind of symbol (``fire_line``, ``fire_zone``, …); an unknown kind is drawn plain.
        geometry: ``Point``, ``LineString`` or ``Polygon``.
        vertices: The positions; a polygon's outline without its closing repeat.
        label: The words drawn with it (already in the wall's language where they are the cockpit's).
        mark: The letter drawn inside a point symbol (集, 指, 水 on a Chinese wall).
        colour: ``#rrggbb`` or ``""`` for the symbol's own.
        scale: Line width and icon size relative to the standard.
        look: How it stands.
        selected: Show its vertices as handles the officer can drag.
        note: A second, smaller line under the label (the console: who drew it, the version).
    """

    id: str
    kind: str
    geometry: str
    vertices: tuple[Position, ...]
    label: str = ""
    mark: str = ""
    colour: str = ""
    scale: float = 1.0
    look: PlotLook = PlotLook.DRAWN
    selected: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Handle:
    """A vertex the officer may grab and drag (the selected plot's)."""

    plot_id: str
    index: int
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class PaletteItem:
    """One symbol of the palette, with its name and whether (and why not) it can be drawn now."""

    kind: str
    name: str
    mark: str = ""
    why_not: str = ""


@dataclass(frozen=True, slots=True)
class DraftRow:
    """A change of the officer's that did not go in, kept until re-applied or discarded."""

    id: str
    """The refused command's id."""
    text: str
    """What it was and why it did not go in, in words."""
    can_reapply: bool = True
