"""The wall's self-check: is every text on every screen legible from the room, whole and uncovered?

The Qt shell collects what each window painted (:class:`~widgets.values.TextItem`: text, role, ink
box, glyph height, shortened or cut) and this judges it against the wall layout, with no Qt:

- **size**: a key text's glyphs must be at least distance / 200 high on the panel, a secondary
  text's distance / 400 (40 and 20 mm at 8 m); detail text has no place on a wall screen;
- **whole**: nothing elided ("Wate…") or cut by its box or its window;
- **uncovered**: no text's ink overlaps another's.

``cockpit --wall-report FILE`` writes the verdict as JSON, per screen and per text;
``cockpit doctor`` runs the same against the site's wall layout.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cockpit.present.wall_layout import WallLayout, mm_per_px
from widgets.values import TextItem, TextRole

OVERLAP_MIN_PX2 = 4.0
"""Ink boxes touching over less than this many square pixels (antialiased edges) do not overlap."""


def need_mm(layout: WallLayout, role: TextRole) -> float:
    """The glyph height a role needs at the layout's reading distance (0 for detail: the desk's)."""
    d = layout.reading_distance_m * 1000
    if role is TextRole.KEY:
        return d / 200
    if role is TextRole.SECONDARY:
        return d / 400
    return 0.0


@dataclass(frozen=True, slots=True)
class ScreenTexts:
    """What one window painted: its texts in window coordinates.

    Attributes:
        name: The window ("overview", "console", …).
        on_wall: A wall screen (judged for the room) or a desk window (reported only).
        width: The window's width in logical pixels.
        height: Its height: the panel's height, for millimetres.
        items: Every visible text.
        notes: What the collector could not inspect, in words.
    """

    name: str
    on_wall: bool
    width: int
    height: int
    items: Sequence[TextItem]
    notes: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class TextVerdict:
    item: TextItem
    glyph_mm: float
    need_mm: float
    overlaps: tuple[int, ...]
    """Indices of the other texts on the screen whose ink this one's overlaps."""
    clipped: bool
    """Cut by its own box or by the window's edge."""

    @property
    def small(self) -> bool:
        return self.glyph_mm + 0.05 < self.need_mm


@dataclass(frozen=True, slots=True)
class ScreenVerdict:
    screen: ScreenTexts
    mm_per_px: float
    texts: list[TextVerdict] = field(default_factory=list)

    @property
    def small(self) -> list[TextVerdict]:
        return [t for t in self.texts if t.small] if self.screen.on_wall else []

    @property
    def elided(self) -> list[TextVerdict]:
        return [t for t in self.texts if t.item.elided]

    @property
    def clipped(self) -> list[TextVerdict]:
        return [t for t in self.texts if t.clipped]

    @property
    def overlapping(self) -> list[TextVerdict]:
        return [t for t in self.texts if t.overlaps]

    @property
    def detail(self) -> list[TextVerdict]:
        """Desk-sized text on a wall screen."""
        return [t for t in self.texts if t.item.role is TextRole.DETAIL] if self.screen.on_wall else []

    @property
    def ok(self) -> bool:
        if not self.screen.on_wall:
            return True
        return not (self.small or self.elided or self.clipped or self.overlapping or self.detail)

    def smallest_mm(self, role: TextRole) -> float | None:
        sizes = [t.glyph_mm for t in self.texts if t.item.role is role]
        return min(sizes) if sizes else None


def _overlap(a: TextItem, b: TextItem) -> float:
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return w * h if w > 0 and h > 0 else 0.0


def judge(layout: WallLayout, screen: ScreenTexts) -> ScreenVerdict:
    """Judge one window's texts against the layout's reading distance and panel."""
    per_px = mm_per_px(layout, screen.height)
    items = list(screen.items)
    overlaps: list[list[int]] = [[] for _ in items]
    order = sorted(range(len(items)), key=lambda i: items[i].x)
    for n, i in enumerate(order):  # sweep along x: a wall screen has a few hundred texts
        a = items[i]
        for j in order[n + 1 :]:
            b = items[j]
            if b.x >= a.x + a.w:
                break
            if _overlap(a, b) > OVERLAP_MIN_PX2:
                overlaps[i].append(j)
                overlaps[j].append(i)
    t = 0.75
    verdicts = [
        TextVerdict(
            item,
            item.glyph_px * per_px,
            need_mm(layout, item.role),
            tuple(sorted(overlaps[k])),
            item.clipped
            or item.x < -t
            or item.y < -t
            or item.x + item.w > screen.width + t
            or item.y + item.h > screen.height + t,
        )
        for k, item in enumerate(items)
    ]
    return ScreenVerdict(screen, per_px, verdicts)


def to_json(layout: WallLayout, verdicts: Sequence[ScreenVerdict]) -> dict[str, Any]:
    """The report as written by ``--wall-report``."""
    screens = []
    for v in verdicts:
        s = v.screen
        screens.append(
            {
                "window": s.name,
                "on_wall": s.on_wall,
                "size": [s.width, s.height],
                "mm_per_px": round(v.mm_per_px, 4),
                "ok": v.ok,
                "counts": {
                    "texts": len(v.texts),
                    "too_small": len(v.small),
                    "elided": len(v.elided),
                    "clipped": len(v.clipped),
                    "overlapping": len(v.overlapping),
                    "detail_on_wall": len(v.detail),
                },
                "smallest_mm": {
                    role.value: round(mm, 1) for role in TextRole if (mm := v.smallest_mm(role)) is not None
                },
                "notes": list(s.notes),
                "texts": [
                    {
                        "text": t.item.text,
                        "role": t.item.role.value,
                        "box": [
                            round(t.item.x, 1),
                            round(t.item.y, 1),
                            round(t.item.w, 1),
                            round(t.item.h, 1),
                        ],
                        "glyph_px": round(t.item.glyph_px, 1),
                        "glyph_mm": round(t.glyph_mm, 1),
                        "need_mm": round(t.need_mm, 1),
                        **({"full": t.item.full} if t.item.elided else {}),
                        "elided": t.item.elided,
                        "clipped": t.clipped,
                        "overlaps": list(t.overlaps),
                    }
                    for t in v.texts
                ],
            }
        )
    return {
        "reading_distance_m": layout.reading_distance_m,
        "panel_diagonal_in": layout.panel_diagonal_in,
        "need_mm": {role.value: need_mm(layout, role) for role in (TextRole.KEY, TextRole.SECONDARY)},
        "ok": all(v.ok for v in verdicts),
        "screens": screens,
    }


def dumps(layout: WallLayout, verdicts: Sequence[ScreenVerdict]) -> str:
    return json.dumps(to_json(layout, verdicts), ensure_ascii=False, indent=1)


def problems(verdicts: Sequence[ScreenVerdict], limit: int = 6) -> list[str]:
    """What is wrong, in words, a few examples per screen (for the log and ``cockpit doctor``)."""
    out = []
    for v in verdicts:
        if v.ok:
            continue
        name = v.screen.name
        for t in v.small[:limit]:
            out.append(
                f"{name}: {t.item.role.value} text {t.item.text!r} is {t.glyph_mm:.0f} mm high, needs {t.need_mm:.0f} mm"
            )
        for t in v.elided[:limit]:
            out.append(f"{name}: {t.item.full!r} is shortened to {t.item.text!r}")
        for t in v.clipped[:limit]:
            out.append(f"{name}: {t.item.text!r} is cut off")
        for t in v.overlapping[:limit]:
            others = ", ".join(repr(v.texts[j].item.text) for j in t.overlaps[:3])
            out.append(f"{name}: {t.item.text!r} overlaps {others}")
        for t in v.detail[:limit]:
            out.append(f"{name}: {t.item.text!r} is desk-sized text on a wall screen")
    return out
