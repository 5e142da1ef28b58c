"""What the wall's painted panels share: two type sizes, text laid out to fit, and a record of it.

A wall panel paints its own text at two sizes given in pixels: **key** (read from the back of the
room: the values, the plate, the countdown) and **detail** (read from a few metres: names, captions).
Text is never elided or cut: it wraps onto more lines, and what does not fit the panel's height is
left out whole and counted ("+2 more"). Every text painted is noted (:meth:`PaintedWidget.painted`)
with its box and whether it fitted, so tests, and the wall's self-check, can see what a panel shows
and that nothing was cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.text_report import glyph_px, wrapped_ink_box
from widgets.values import Severity, TextItem, TextRole, TileLevel

LEVEL_COLOURS: dict[TileLevel, str] = {
    TileLevel.NORMAL: theme.TEXT,
    TileLevel.WARNING: theme.SEVERITY_YELLOW,
    TileLevel.ALARM: theme.SEVERITY_RED,
    TileLevel.STALE: theme.STALE,
    TileLevel.NO_DATA: theme.TEXT_DISABLED,
}
"""Text and bar colours by level: calm for normal, colour only for what is wrong, grey when not live."""
SEVERITY_COLOURS: dict[Severity, str] = {
    Severity.RED: theme.SEVERITY_RED,
    Severity.ORANGE: theme.SEVERITY_ORANGE,
    Severity.YELLOW: theme.SEVERITY_YELLOW,
    Severity.BLUE: theme.SEVERITY_BLUE,
}
WRAP = int(Qt.TextFlag.TextWordWrap)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


@dataclass(frozen=True, slots=True)
class PaintedText:
    """One text as painted: what, where (widget pixels), at which size, and whether it fitted."""

    text: str
    x: float
    y: float
    w: float
    h: float
    px: float
    """The font's pixel size."""
    key: bool
    fitted: bool


class PaintedWidget(QWidget):
    """Base of the wall's painted panels: type sizes, fitted text, and the record of a paint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key_px = 0.0
        self._detail_px = 0.0
        self._painted: list[PaintedText] = []
        self._items: list[TextItem] = []
        self._left_out = 0
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    # -- public API ---------------------------------------------------------------------------

    def set_text_px(self, key_px: float, detail_px: float) -> None:
        """The two type sizes in pixels (the wall's, for its reading distance)."""
        if key_px <= 0 or detail_px <= 0:
            raise ValueError(f"type sizes must be positive, got {key_px}, {detail_px}")
        self._key_px, self._detail_px = key_px, detail_px
        self.update()

    def painted(self) -> list[PaintedText]:
        """Every text of the last paint, in widget pixels."""
        return list(self._painted)

    def text_items(self) -> list[TextItem]:
        """The last paint's texts as the wall's self-check reads them (``cockpit --wall-report``):
        key text at the key role, the rest secondary; a text that did not fit its room is a cut."""
        return list(self._items)

    def painted_text(self) -> str:
        """The texts of the last paint, one a line (tests read what the panel shows)."""
        return "\n".join(t.text for t in self._painted)

    def least_height(self, width: float) -> float:
        """The least height at ``width`` to show something whole: a line of detail type, room for
        "+2 more" (panels with a header row override this). A runway's grid hides a panel whose
        cell is lower than this, rather than cut its text."""
        return QFontMetricsF(self.detail_font()).height()

    def left_out(self) -> int:
        """How many rows the last paint had no room for (shown as "+n more")."""
        return self._left_out

    # -- for subclasses -----------------------------------------------------------------------

    def key_font(self, bold: bool = True) -> QFont:
        return self._font(self._key_px or self._base_px() * 1.8, bold)

    def detail_font(self, bold: bool = False) -> QFont:
        return self._font(self._detail_px or self._base_px(), bold)

    def _base_px(self) -> float:
        return float(self.fontInfo().pixelSize())

    def _font(self, px: float, bold: bool) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(6, round(px)))
        font.setBold(bold)
        return font

    def begin_paint(self, p: QPainter) -> QRectF:
        """Clear the record and the background; returns the room to paint in."""
        self._painted = []
        self._items = []
        self._left_out = 0
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.fillRect(self.rect(), QColor(theme.BG_PANEL))
        return QRectF(self.rect())

    def text_height(self, font: QFont, width: float, text: str) -> float:
        """The height ``text`` takes wrapped into ``width``."""
        if not text:
            return 0.0
        fm = QFontMetricsF(font)
        return fm.boundingRect(QRectF(0, 0, max(1.0, width), 1e6), LEFT | WRAP, text).height()

    def one_line_width(self, font: QFont, text: str) -> float:
        return QFontMetricsF(font).horizontalAdvance(text)

    def draw_text(
        self,
        p: QPainter,
        rect: QRectF,
        text: str,
        font: QFont,
        colour: str | QColor,
        flags: int = LEFT,
        key: bool = False,
        fitted: bool = True,
    ) -> QRectF:
        """Paint ``text`` wrapped into ``rect`` and note it; returns the box it took. ``fitted``
        False: the text stands in for content there was no room for ("Too small"), a cut."""
        if not text:
            return QRectF(rect.left(), rect.top(), 0, 0)
        fm = QFontMetricsF(font)
        box = fm.boundingRect(rect, flags | WRAP, text)
        p.setFont(font)
        p.setPen(QColor(colour))
        p.drawText(rect, flags | WRAP, text)
        fitted = fitted and box.width() <= rect.width() + 0.75 and box.height() <= rect.height() + 0.75
        self._painted.append(
            PaintedText(
                text, box.x(), box.y(), box.width(), box.height(), float(font.pixelSize()), key, fitted
            )
        )
        role = TextRole.KEY if key else TextRole.SECONDARY
        ink = wrapped_ink_box(font, rect, flags | WRAP, text)  # the report's box is the ink's
        self._items.append(
            TextItem(
                text, role, ink.x(), ink.y(), ink.width(), ink.height(), glyph_px(font, text), "", not fitted
            )
        )
        return box

    def note_left_out(
        self, p: QPainter, rect: QRectF, count: int, words: str, spare: QRectF | None = None
    ) -> None:
        """Say how many rows there was no room for ("+2 more"): at the bottom of ``rect`` where
        the rows left a line free, else right-aligned in ``spare`` (room left on a line above)."""
        self._left_out = count
        if count <= 0:
            return
        font = self.detail_font()
        h = QFontMetricsF(font).height()
        w = QFontMetricsF(font).horizontalAdvance(words) + 2
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom = QRectF(rect.right() - w, rect.bottom() - h, w, h)
        if not any(bottom.intersects(QRectF(t.x, t.y, t.w, t.h)) for t in self._painted):
            self.draw_text(p, bottom, words, font, theme.TEXT_DIM, right)
        elif spare is not None and spare.width() >= w:
            self.draw_text(
                p, QRectF(spare.right() - w, spare.top(), w, h), words, font, theme.TEXT_DIM, right
            )
