"""Which runway goes on which screen: the wall-layout file and screen matching (no Qt).

Screens are matched by what identifies the panel itself (name, manufacturer, model, serial), never
by list position, which changes when a cable is moved. A layout entry with no ``match`` takes the
next screen no other entry claimed, in left-to-right, top-to-bottom order. Runways that get no
screen go to the operator console, and so do the runways of a screen that is unplugged.

A layout may reserve the officers' desk monitor for the console (``console: {match: …}``): that
screen is taken out before any runway is placed, so no runway lands on it, not even one that lost its
own screen, and the console window is put on it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import yaml


@dataclass(frozen=True, slots=True)
class ScreenInfo:
    """One display as the operating system reports it."""

    name: str
    manufacturer: str
    model: str
    serial: str
    x: int
    y: int
    width: int
    height: int
    primary: bool = False
    """The operating system's primary screen (the one a desktop session puts its panel on)."""

    @property
    def key(self) -> str:
        """A stable identity for logs and the console: serial if known, else model and name."""
        return self.serial or f"{self.manufacturer} {self.model} {self.name}".strip()


class ScreenMatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """What a layout entry requires of its screen; every given field must match exactly."""

    name: str = ""
    manufacturer: str = ""
    model: str = ""
    serial: str = ""
    primary: bool = False
    """Only the operating system's primary screen (true); false does not care."""

    def accepts(self, s: ScreenInfo) -> bool:
        return (not self.primary or s.primary) and all(
            not want or want == have
            for want, have in (
                (self.name, s.name),
                (self.manufacturer, s.manufacturer),
                (self.model, s.model),
                (self.serial, s.serial),
            )
        )

    @property
    def empty(self) -> bool:
        return not (self.name or self.manufacturer or self.model or self.serial or self.primary)


class LayoutEntry(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    runway: str
    match: ScreenMatch = msgspec.field(default_factory=ScreenMatch)


class ConsoleEntry(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The officers' desk monitor: the console's screen, never a runway's."""

    match: ScreenMatch


class WallLayout(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A wall-layout file (``assets/walls/*.yaml`` or the site's own)."""

    screens: list[LayoutEntry]
    console: ConsoleEntry | None = None
    """The desk monitor reserved for the console, by what identifies it (none: every screen is the
    wall's, and the console goes wherever no runway is)."""
    spanning: bool = False
    """One window across the largest display, for wall controllers that present the whole wall as
    one large display; ``tiles`` splits it into the panels the runways are laid on."""
    tiles: tuple[int, int] = (0, 0)
    """Columns and rows of the spanning display (0, 0: two rows when more than three runways)."""
    font_scale: float = 1.0
    """A multiplier on the legible size computed from the reading distance (1.0: just legible)."""
    reading_distance_m: float = 8.0
    """How far the officers sit from the wall."""
    panel_diagonal_in: float = 55.0
    panel_resolution: tuple[int, int] = (1920, 1080)
    """Each panel's resolution in logical pixels (1920×1080 for a 4K panel at 200 % scaling): what
    ``cockpit doctor`` and ``--screens`` lay the wall out on when the panels are not connected."""
    """The diagonal of one 16:9 panel, in inches."""
    size_for_distance: bool = True
    """Size every screen's type for ``reading_distance_m``: key elements (titles, pinned alarms,
    tile values, the dispatch button, district names and red-event labels) distance / 200 high,
    details half that (docs/architecture.md, "Wall type"). False keeps desk-sized text, e.g. for a
    small wall seen from a few metres."""


class LayoutError(ValueError):
    """A wall-layout file that cannot be used, with its path and why."""


def load_layout(path: Path) -> WallLayout:
    """Read and validate a wall-layout file.

    Raises:
        LayoutError: unreadable, not YAML, or not a valid layout.
    """
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LayoutError(f"{path}: cannot read the wall layout: {exc}") from exc
    try:
        layout = msgspec.convert(data, WallLayout)
    except msgspec.ValidationError as exc:
        raise LayoutError(f"{path}: {exc}") from exc
    if not layout.screens:
        raise LayoutError(f"{path}: a wall layout needs at least one screen entry")
    if layout.console is not None and layout.console.match.empty:
        raise LayoutError(
            f"{path}: console.match must name the desk monitor (name, manufacturer, model, serial, "
            "or primary: true); without it every screen could be the desk's"
        )
    if not 1.0 <= layout.reading_distance_m <= 50 or not 20 <= layout.panel_diagonal_in <= 200:
        raise LayoutError(
            f"{path}: reading_distance_m must be 1..50 and panel_diagonal_in 20..200, "
            f"got {layout.reading_distance_m} and {layout.panel_diagonal_in}"
        )
    w, h = layout.panel_resolution
    if not (320 <= w <= 16384 and 240 <= h <= 16384):
        raise LayoutError(f"{path}: panel_resolution {w}×{h} is outside 320×240..16384×16384")
    if not 0.25 <= layout.font_scale <= 8:
        raise LayoutError(f"{path}: font_scale {layout.font_scale} is outside 0.25..8")
    return layout


def mm_per_px(layout: WallLayout, logical_height_px: int) -> float:
    """Millimetres per logical pixel row on the layout's panel.

    A 16:9 panel of diagonal d is d·9/√337 high; spread over its logical pixel rows (1080 on a 4K
    panel at 200 % scaling, 2160 on one at 100 %).
    """
    panel_mm = layout.panel_diagonal_in * 25.4 * 9 / math.hypot(16, 9)
    return panel_mm / max(1, logical_height_px)


def legible_text_px(layout: WallLayout, logical_height_px: int) -> float:
    """Glyph height, in the screen's logical pixels, that reads from the layout's distance.

    The rule of thumb for control rooms: characters at least distance / 200 high (40 mm at 8 m,
    about 17 minutes of arc). This is the height of the ink of capitals and digits, not a font
    size (see :func:`wall_type`). ``font_scale`` multiplies it.
    """
    return layout.reading_distance_m * 1000 / 200 / mm_per_px(layout, logical_height_px) * layout.font_scale


def text_height_mm(layout: WallLayout, text_px: float, logical_height_px: int) -> float:
    """How tall ``text_px`` logical pixels are on the layout's panel, in millimetres."""
    return text_px * mm_per_px(layout, logical_height_px)


@dataclass(frozen=True, slots=True)
class WallType:
    """The type sizes of one wall screen, from the layout's distance and panel (docs/architecture.md,
    "Wall type").

    Attributes:
        key_px: Font pixel size of key text (titles, the clock, pinned alarms, tile values, the
            dispatch button, district names and red-event labels): glyphs distance / 200 high.
        secondary_px: Font pixel size of secondary text (states, captions, list rows, chart
            ticks): glyphs distance / 400 high.
        key_glyph_px: The glyph height key text needs, in pixels.
        secondary_glyph_px: The glyph height secondary text needs.
        mm_per_px: Millimetres per pixel on this screen's panel.
    """

    key_px: int
    secondary_px: int
    key_glyph_px: float
    secondary_glyph_px: float
    mm_per_px: float
    screen_height: int = 0
    """The screen's (or spanning cell's) height in logical pixels."""

    def glyph_mm(self, glyph_px: float) -> float:
        return glyph_px * self.mm_per_px


def wall_type(layout: WallLayout, logical_height_px: int, cap_ratio: float, scale: float = 1.0) -> WallType:
    """The font sizes that give key and secondary text their glyph heights on this screen.

    Args:
        layout: The wall layout (reading distance, panel diagonal, ``font_scale``).
        logical_height_px: The screen's (or spanning cell's) height in logical pixels.
        cap_ratio: Ink height of the wall font's capitals per pixel of font size (0.74 for Noto
            Sans CJK SC; the shell measures it): a 63 px glyph needs an 86 px font.
        scale: The operator's ``--scale`` on top of the layout's ``font_scale``.
    """
    key_glyph = legible_text_px(layout, logical_height_px) * scale
    secondary_glyph = key_glyph / 2
    ratio = max(0.3, cap_ratio)
    return WallType(
        key_px=max(8, math.ceil(key_glyph / ratio)),
        secondary_px=max(6, math.ceil(secondary_glyph / ratio)),
        key_glyph_px=key_glyph,
        secondary_glyph_px=secondary_glyph,
        mm_per_px=mm_per_px(layout, logical_height_px),
        screen_height=logical_height_px,
    )


def reading_order(screens: Sequence[ScreenInfo]) -> list[ScreenInfo]:
    """Screens left to right, then top to bottom (rows by their top edge)."""
    return sorted(screens, key=lambda s: (s.y // max(1, s.height // 2), s.x))


@dataclass(frozen=True, slots=True)
class Assignment:
    """The outcome of matching a layout to the screens present."""

    on_screen: dict[str, ScreenInfo]
    """Runway id → its screen."""
    on_console: list[str]
    """Runways with no screen: shown in the operator console."""
    unused: list[ScreenInfo]
    """Screens no runway took."""
    console_screen: ScreenInfo | None = None
    """The desk monitor the layout reserves for the console, if one is connected."""


def desk_screen(layout: WallLayout, screens: Sequence[ScreenInfo]) -> ScreenInfo | None:
    """The first screen, in reading order, that the layout's ``console`` entry accepts."""
    if layout.console is None:
        return None
    return next((s for s in reading_order(screens) if layout.console.match.accepts(s)), None)


def assign(layout: WallLayout, screens: Sequence[ScreenInfo], runways: Sequence[str]) -> Assignment:
    """Put each known runway of the layout on a screen.

    The desk monitor the layout reserves for the console is taken out first. Entries with a ``match`` claim the first free screen they accept; then entries without one take
    the free screens in reading order; then loaded runways the layout does not place fill any screen
    still free, so no screen stays black. Runways the layout names but that did not load go nowhere
    (the caller has already reported them); whatever is left without a screen goes to the console.
    """
    desk = desk_screen(layout, screens)
    free = [s for s in reading_order(screens) if s is not desk]
    placed: dict[str, ScreenInfo] = {}
    entries = [e for e in layout.screens if e.runway in runways]
    for entry in entries:
        if entry.match.empty or entry.runway in placed:
            continue
        screen = next((s for s in free if entry.match.accepts(s)), None)
        if screen is not None:
            placed[entry.runway] = screen
            free.remove(screen)
    for entry in entries:
        if entry.match.empty and entry.runway not in placed and free:
            placed[entry.runway] = free.pop(0)
    # A black panel on a wall looks broken: loaded runways the layout does not place (or whose
    # entry failed) take the screens still free before anything goes to the console.
    for runway in runways:
        if runway not in placed and free:
            placed[runway] = free.pop(0)
    console = [r for r in runways if r not in placed]
    return Assignment(placed, console, free, desk)


def span_cells(display: ScreenInfo, n: int, tiles: tuple[int, int] = (0, 0)) -> list[ScreenInfo]:
    """Split one large display into the cells of a spanning wall, in reading order."""
    cols, rows = tiles
    if cols <= 0 or rows <= 0:
        rows = 1 if n <= 3 else 2
        cols = max(1, -(-n // rows))
    w, h = display.width // cols, display.height // rows
    return [
        ScreenInfo(
            name=f"{display.name}#{i + 1}",
            manufacturer=display.manufacturer,
            model=display.model,
            serial=f"{display.serial}#{i + 1}" if display.serial else "",
            x=display.x + (i % cols) * w,
            y=display.y + (i // cols) * h,
            width=w,
            height=h,
        )
        for i in range(cols * rows)
    ]


def virtual_screens(n: int, width: int = 1920, height: int = 1080, columns: int = 0) -> list[ScreenInfo]:
    """N virtual screens tiling one large one (for Xvfb, offscreen tests and screenshots).

    Xvfb cannot fake several monitors (RandR and Xinerama both gave one screen here), so
    ``--screens N`` lays the wall out on descriptors like these.
    """
    if n < 1:
        raise ValueError("at least one screen")
    cols = columns or min(n, 2 if n == 4 else n)
    return [
        ScreenInfo(
            name=f"virtual-{i + 1}",
            manufacturer="cockpit",
            model="virtual",
            serial=f"V{i + 1:03d}",
            x=(i % cols) * width,
            y=(i // cols) * height,
            width=width,
            height=height,
        )
        for i in range(n)
    ]
