"""What text a widget painted, measured as the wall's self-check needs it (``cockpit --wall-report``).

A widget that paints its own text draws it through a :class:`TextLog`, which also notes each text's
ink box, glyph height, role and whether it was shortened or cut; the widget's ``text_items()``
returns the notes of its last paint (:class:`widgets.values.TextItem`, no Qt). Glyph heights are
ink, not font sizes: Noto Sans capitals are 0.73 of the font's pixel size, its Chinese characters
about 0.9, and a text is as legible as the smaller of the kinds it holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QWidget

from widgets.values import TextItem, TextRole

TOLERANCE_PX = 0.75
"""Antialiasing spills a fraction of a pixel past any box: not a cut."""


def is_han(ch: str) -> bool:
    """A CJK ideograph, kana or full-width form: drawn taller than Latin capitals."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF01 <= o <= 0xFF5E or 0x20000 <= o <= 0x2FA1F


@lru_cache(maxsize=256)
def _class_heights(font_key: str, font: QFont) -> tuple[float, float]:
    fm = QFontMetricsF(font)
    return fm.tightBoundingRect("H").height(), fm.tightBoundingRect("国").height()


def glyph_px(font: QFont, text: str) -> float:
    """Ink height of ``text``'s capitals and digits in ``font``; of its Chinese characters if it has
    only those; the smaller of the two if it has both. Text with neither counts as capitals."""
    cap, han = _class_heights(font.key(), QFont(font))
    has_han = any(is_han(c) for c in text)
    has_latin = any(c.isalnum() and not is_han(c) for c in text)
    if has_han and not has_latin:
        return han
    if has_han:
        return min(cap, han)
    return cap


def ink_box(font: QFont, text: str, baseline_left: QPointF) -> QRectF:
    """The box ``text``'s ink covers when drawn with its baseline starting at ``baseline_left``."""
    return QFontMetricsF(font).tightBoundingRect(text).translated(baseline_left)


def wrapped_ink_box(font: QFont, rect: QRectF, flags: int, text: str) -> QRectF:
    """The ink box of ``text`` word-wrapped in ``rect``: its lines' box, trimmed above the first
    line's ink and below the last's (a line box is a third taller than a line's capitals)."""
    fm = QFontMetricsF(font)
    lines = fm.boundingRect(rect, int(flags) | int(Qt.TextFlag.TextWordWrap), text)
    n = max(1, round(lines.height() / fm.lineSpacing()))
    tight = fm.tightBoundingRect(text.replace("\n", " "))
    top = lines.top() + fm.ascent() + tight.top()
    return QRectF(lines.left(), top, lines.width(), (n - 1) * fm.lineSpacing() + tight.height())


def laid_out(font: QFont, rect: QRectF, flags: int, text: str) -> tuple[QRectF, QPointF]:
    """Where ``QPainter.drawText(rect, flags, text)`` puts a single line: its line box and baseline."""
    fm = QFontMetricsF(font)
    line = fm.boundingRect(rect, flags, text)
    return line, QPointF(line.left(), line.top() + fm.ascent())


def _within(inner: QRectF, outer: QRectF) -> bool:
    t = TOLERANCE_PX
    return (
        inner.left() >= outer.left() - t
        and inner.top() >= outer.top() - t
        and inner.right() <= outer.right() + t
        and inner.bottom() <= outer.bottom() + t
    )


class TextLog:
    """The texts of one paint: draw through it, then read :attr:`items` (or ``list(log)``)."""

    def __init__(self) -> None:
        self.items: list[TextItem] = []

    def clear(self) -> None:
        self.items = []

    def __iter__(self) -> Iterator[TextItem]:
        return iter(self.items)

    def note(
        self,
        font: QFont,
        text: str,
        role: TextRole,
        box: QRectF,
        room: QRectF | None = None,
        full: str = "",
    ) -> None:
        """Note a text drawn elsewhere (a path, an image) whose ink box is ``box``.

        Args:
            font: The font it was drawn in.
            text: The text as shown.
            role: How far away it must read.
            box: Its ink box.
            room: The room it was given; ink outside it is a cut.
            full: The whole text if ``text`` is a shortened form of it.
        """
        if not text.strip():
            return
        clipped = room is not None and not _within(box, room)
        self.items.append(
            TextItem(
                text,
                role,
                box.x(),
                box.y(),
                box.width(),
                box.height(),
                glyph_px(font, text),
                full if full and full != text else "",
                clipped,
            )
        )

    def draw(
        self, p: QPainter, rect: QRectF, flags: int, text: str, role: TextRole, full: str = ""
    ) -> QRectF:
        """``p.drawText(rect, flags, text)`` in the painter's font, noted. Returns the ink box.

        Word-wrapped text is noted by its lines' box, trimmed to the ink above and below.
        """
        font = p.font()
        flags = int(flags)
        p.drawText(rect, flags, text)
        if flags & int(Qt.TextFlag.TextWordWrap):
            box = wrapped_ink_box(font, rect, flags, text)
        else:
            _line, baseline = laid_out(font, rect, flags, text)
            box = ink_box(font, text, baseline)
        self.note(font, text, role, box, rect, full)
        return box

    def draw_at(
        self, p: QPainter, baseline_left: QPointF, text: str, role: TextRole, room: QRectF | None = None
    ) -> QRectF:
        """``p.drawText(baseline_left, text)``, noted. Returns the ink box."""
        p.drawText(baseline_left, text)
        box = ink_box(p.font(), text, baseline_left)
        self.note(p.font(), text, role, box, room)
        return box


ROLE_PROPERTY = "textRole"
"""The Qt property that gives a label or a button its role (``set_role``)."""


def set_role(widget: QWidget, role: TextRole) -> None:
    """Say how far away a label's or a button's text must read (default: secondary)."""
    widget.setProperty(ROLE_PROPERTY, role.value)


def role_of(widget: QWidget) -> TextRole:
    value = widget.property(ROLE_PROPERTY)
    try:
        return TextRole(value) if isinstance(value, str) else TextRole.SECONDARY
    except ValueError:
        return TextRole.SECONDARY
