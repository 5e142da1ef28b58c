"""A painted tile for one live measurement: title, big value, state label, sparkline.

Translation context: ``VitalSignTile``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.text_report import TextLog
from widgets.values import TextItem, TextRole
from widgets.values import TileLevel as TileLevel


def _format_age(age_s: float) -> str:
    if age_s < 10:
        return QCoreApplication.translate("VitalSignTile", "{n} s").format(n=f"{age_s:.1f}")
    if age_s < 120:
        return QCoreApplication.translate("VitalSignTile", "{n} s").format(n=round(age_s))
    if age_s < 7200:
        return QCoreApplication.translate("VitalSignTile", "{n} min").format(n=round(age_s / 60))
    return QCoreApplication.translate("VitalSignTile", "{n} h").format(n=round(age_s / 3600))


class VitalSignTile(QWidget):
    """Tile showing one measurement; painted directly so hundreds of tiles stay cheap.

    Normal readings are calm grey and white. Warning and alarm add a coloured border and a
    coloured label with text ("HIGH ALARM", "LOW WARNING"), so the state never depends on colour
    alone. A stale reading turns grey, gets a dashed border and shows "STALE 12 s"; it never
    looks live. A reading held by a paused clock (a paused drill) is grey the same way and says
    "PAUSED": its age would only count how long the pause has lasted. All text sizes are relative to the widget's font.

    Signals:
        None. The tile only displays.
    """

    def __init__(
        self,
        title: str = "",
        unit: str = "",
        decimals: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        """Create an empty tile (level NO_DATA).

        Args:
            title: Name of the measurement, already translated.
            unit: Unit text, e.g. ``"m³/s"``.
            decimals: Digits after the decimal point.
            parent: Parent widget.
        """
        super().__init__(parent)
        self._value_scale = 2.6
        self._key_px = 0
        self._sec_px = 0
        self._log = TextLog()
        self._title_elided = False
        self._title = title
        self._unit = unit
        self._decimals = decimals
        self._value: float | None = None
        self._age_s = 0.0
        self._low = False
        self._paused = False
        self._limit_lines: tuple[float, ...] = ()
        self._history: npt.NDArray[np.float64] = np.empty(0, dtype=np.float64)
        self._history_version = 0
        self._spark: tuple[tuple[object, ...], QImage | None] | None = None
        """(what was drawn: history version, place, look; the drawing): see _paint_sparkline."""
        self._level = TileLevel.NO_DATA
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    # -- public API ---------------------------------------------------------------------------

    def title_elided(self) -> bool:
        """Whether the last paint had to cut the title short (tests of wall layouts check this)."""
        return self._title_elided

    def set_value_scale(self, scale: float) -> None:
        """Height of the value's digits relative to the tile's font (default 2.6); a wall sets it
        so the value reads from the back of the room."""
        if scale <= 0:
            raise ValueError(f"value scale must be positive, got {scale}")
        self._value_scale = scale
        self.update()

    def set_type_sizes(self, key_px: int, secondary_px: int) -> None:
        """Wall type: the value in ``key_px`` (bold), the title, unit and state in ``secondary_px``
        (font pixel sizes). Nothing is shortened then: a title too long for a row takes two, and a
        tile too small for its text reports the cut (``text_items``). 0, 0: sizes from the font."""
        if (key_px, secondary_px) != (self._key_px, self._sec_px):
            self._key_px, self._sec_px = max(0, key_px), max(0, secondary_px)
            self.update()

    def text_items(self) -> list[TextItem]:
        """What the last paint drew (the wall's self-check)."""
        return list(self._log.items)

    def typed_height(self, width: float) -> float:
        """The height a wall-typed tile needs at ``width`` for its title, value and state, whatever
        its state and with a value a digit longer than now (the sparkline takes what is left);
        0 without wall type."""
        if not self._key_px:
            return 0.0
        stacked, one_row = self._typed_needs(width)
        return min(stacked, one_row) if one_row is not None else stacked

    def _typed_needs(self, width: float) -> tuple[float, float | None]:
        """The stacked layout's height at ``width``, and the one-row layout's if it fits the width."""
        value_font, unit_font, title_font, state_font = self._typed_fonts()
        sec = float(self._sec_px)
        border_w = max(2.0, sec * 0.22)
        pad = sec * 0.3
        inner_w = width - 2 * (border_w + pad)
        tfm, vfm, ufm, sfm = (QFontMetricsF(f) for f in (title_font, value_font, unit_font, state_font))
        title_rows = 1 if tfm.horizontalAdvance(self._title) <= inner_w else 2
        states = [self.tr_state(w) for w in ("HIGH ALARM", "LOW ALARM", "HIGH WARNING", "LOW WARNING", "NO DATA")]
        states.append(self.tr_state("STALE {age}").format(age=self.tr_state("{n} min").format(n=88)))
        states.append(self.tr_state("PAUSED"))
        label_w = max(sfm.horizontalAdvance(t) for t in states) + 2 * pad
        digits = "".join("8" if c.isdigit() else c for c in self.value_text()) + "8"
        value_w = vfm.horizontalAdvance(digits) + pad + (ufm.horizontalAdvance(self._unit) if self._unit else 0.0)
        beside = value_w + pad * 2 + label_w <= inner_w
        height = border_w * 2 + pad * 1.5 + title_rows * sec * 1.25 + pad * 0.5 + vfm.capHeight() * 1.45
        stacked = height + (0.0 if beside else pad * 0.3 + sec * 1.3)
        one_row = tfm.horizontalAdvance(self._title) + pad * 2 + value_w + pad * 2 + label_w <= inner_w
        return stacked, (self._one_row_height() if one_row else None)

    def _one_row_height(self) -> float:
        """A wall tile with title, value and state on one line: the value's line and the frame."""
        sec = float(self._sec_px)
        value_font, unit_font, title_font, _state = self._typed_fonts()
        cap = QFontMetricsF(value_font).capHeight()
        # The title and the unit stand on the value's baseline: their descenders ("Quay gauge") too.
        descent = max(QFontMetricsF(title_font).descent(), QFontMetricsF(unit_font).descent())
        return 2 * max(2.0, sec * 0.22) + sec * 0.3 * 1.5 + max(cap * 1.45, cap + 2 * descent)

    def typed_width(self) -> float:
        """The narrowest a wall-typed tile can be with its value and unit whole (the title wraps)."""
        value_font, unit_font, title_font, _state = self._typed_fonts()
        sec = float(self._sec_px)
        pad = sec * 0.3
        digits = "".join("8" if c.isdigit() else c for c in self.value_text()) + "8"
        words = max((QFontMetricsF(title_font).horizontalAdvance(w) for w in self._title.split()), default=0.0)
        value_w = QFontMetricsF(value_font).horizontalAdvance(digits) + pad + QFontMetricsF(unit_font).horizontalAdvance(self._unit)
        return max(words, value_w) + 2 * (max(2.0, sec * 0.22) + pad)

    @staticmethod
    def tr_state(text: str) -> str:
        return QCoreApplication.translate("VitalSignTile", text)

    def _typed_fonts(self) -> tuple[QFont, QFont, QFont, QFont]:
        """Value (key, bold), unit (secondary), title (secondary), state (secondary, bold)."""
        base = QFont(self.font())
        out = []
        for px, bold in (
            (self._key_px, True),
            (self._sec_px, False),
            (self._sec_px, False),
            (self._sec_px, True),
        ):
            f = QFont(base)
            f.setPixelSize(px)
            f.setBold(bold)
            out.append(f)
        return out[0], out[1], out[2], out[3]

    def title_text(self) -> str:
        return self._title

    def set_title(self, title: str) -> None:
        """Set the measurement's name (already translated)."""
        self._title = title
        self.update()

    def set_unit(self, unit: str, decimals: int | None = None) -> None:
        """Set the unit text and, optionally, the number of decimals shown."""
        self._unit = unit
        if decimals is not None:
            self._decimals = decimals
        self.update()

    def set_reading(
        self, value: float | None, age_s: float, level: TileLevel, low: bool = False, paused: bool = False
    ) -> None:
        """Show a new reading and where it stands (the caller applies the threshold rule).

        Args:
            value: The measurement, or None if there is none.
            age_s: Seconds since the reading was taken; shown when stale.
            level: What the reading means: NO_DATA (also forced for None/NaN), STALE (not live:
                grey with its age whatever its value), ALARM, WARNING or NORMAL.
            low: An ALARM or WARNING is against a low limit ("LOW ALARM").
            paused: A STALE reading held by a clock that stands still (a paused drill): grey,
                saying "PAUSED" instead of an age.
        """
        shown = (self.value_text(), self._level, self.status_text())
        self._value = value
        self._age_s = max(0.0, age_s)
        self._level = TileLevel.NO_DATA if value is None or math.isnan(value) else level
        self._low = low
        self._paused = paused
        # Repaint only what changed on screen (a value's digits, its state, a stale age): wall
        # type is drawn as paths, and readings repeat more often than they change.
        if (self.value_text(), self._level, self.status_text()) != shown:
            self.update()

    def set_limit_lines(self, limits: tuple[float, ...]) -> None:
        """The sensor's limits, drawn faintly across the sparkline for context."""
        if limits != self._limit_lines:
            self._limit_lines = limits
            self.update()

    def set_history(self, values: npt.ArrayLike) -> None:
        """Set the sparkline data, oldest first; NaN marks gaps and is skipped.

        Args:
            values: One-dimensional sequence of numbers; copied.
        """
        self._history = np.array(values, dtype=np.float64).ravel()
        self._history_version += 1
        self.update()

    def level(self) -> TileLevel:
        """Return the level currently shown."""
        return self._level

    def status_text(self) -> str:
        """Return the state label shown on the tile ("" when normal)."""
        low = self._low
        if self._level is TileLevel.ALARM:
            if low:
                return QCoreApplication.translate("VitalSignTile", "LOW ALARM")
            return QCoreApplication.translate("VitalSignTile", "HIGH ALARM")
        if self._level is TileLevel.WARNING:
            if low:
                return QCoreApplication.translate("VitalSignTile", "LOW WARNING")
            return QCoreApplication.translate("VitalSignTile", "HIGH WARNING")
        if self._level is TileLevel.STALE:
            if self._paused:
                return QCoreApplication.translate("VitalSignTile", "PAUSED")
            return QCoreApplication.translate("VitalSignTile", "STALE {age}").format(
                age=_format_age(self._age_s)
            )
        if self._level is TileLevel.NO_DATA:
            return QCoreApplication.translate("VitalSignTile", "NO DATA")
        return ""

    def value_text(self) -> str:
        """Return the value as shown (without unit); a dash when there is none."""
        if self._value is None or math.isnan(self._value):
            return "—"
        return f"{self._value:.{self._decimals}f}"

    def sizeHint(self) -> QSize:
        h = QFontMetricsF(self.font()).height()
        return QSize(round(h * 14), round(h * 7.6))

    def minimumSizeHint(self) -> QSize:
        h = QFontMetricsF(self.font()).height()
        return QSize(round(h * 8), round(h * 5.5))

    # -- internals ----------------------------------------------------------------------------

    def _accent(self) -> QColor | None:
        if self._level is TileLevel.ALARM:
            return QColor(theme.ALARM)
        if self._level is TileLevel.WARNING:
            return QColor(theme.WARNING)
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        self._log.clear()
        if self._key_px:
            self._paint_typed()
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        base = QFont(self.font())
        fh = QFontMetricsF(base).height()
        pad = max(4.0, fh * 0.3)
        rect = QRectF(self.rect())
        p.fillRect(rect, QColor(theme.BG_WINDOW))

        accent = self._accent()
        level = self._level
        dim = level in (TileLevel.STALE, TileLevel.NO_DATA)
        border_w = max(2.0, fh * (0.22 if accent is not None else 0.08))
        frame = rect.adjusted(border_w / 2, border_w / 2, -border_w / 2, -border_w / 2)
        pen = QPen(accent if accent is not None else QColor(theme.BORDER), border_w)
        if level is TileLevel.STALE:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QColor(theme.BG_PANEL))
        p.drawRoundedRect(frame, fh * 0.25, fh * 0.25)

        inner = rect.adjusted(border_w + pad, border_w + pad * 0.6, -border_w - pad, -border_w - pad)
        text_main = QColor(theme.STALE if dim else theme.TEXT)

        # Row 1: title. Row 2: big value + unit, with the state label to the right of it when it
        # fits (else the label moves up to the title row); the value shrinks to fit the width.
        status = self.status_text()
        label_font = theme.scaled_font(base, 1.0, bold=True)
        label_fm = QFontMetricsF(label_font)
        label_w = label_fm.horizontalAdvance(status) + pad * 1.5 if status else 0.0
        label_h = fh * 1.3

        value_font = theme.scaled_font(base, self._value_scale, bold=True)
        unit_font = theme.scaled_font(base, 1.1)
        value = self.value_text()
        gap = pad * 0.6
        needed = QFontMetricsF(value_font).horizontalAdvance(value) + (
            gap + QFontMetricsF(unit_font).horizontalAdvance(self._unit)
        )
        beside = inner.width() - (label_w + pad if status else 0.0)
        full_value_h = pad * 0.3 + QFontMetricsF(value_font).capHeight() * 1.3
        fits_below = inner.height() >= 2 * fh + full_value_h + pad * 0.3
        # The state goes beside the value if both fit whole; under it if the tile is tall enough;
        # beside a slightly smaller value; else up on the title's row.
        label_inline = (
            not status or beside >= needed or (not fits_below and needed > 0 and beside / needed >= 0.6)
        )
        room = beside if label_inline else inner.width()
        if needed > room > 0:
            value_font = theme.scaled_font(value_font, room / needed)
            unit_font = theme.scaled_font(unit_font, room / needed)
        vfm = QFontMetricsF(value_font)

        if self._paint_one_row(p, inner, base, value_font, unit_font, status, label_w, label_h, fh, pad, dim):
            p.end()
            return
        # Digits have no descenders and need no room for accents: the value's box is its cap
        # height plus a little, not the font's full line (half again as tall in Noto Sans CJK).
        value_h = pad * 0.3 + vfm.capHeight() * 1.3
        # A tile tall enough puts the state under the value (rows one line high), so the title
        # keeps its whole row; otherwise the state shares the title's row.
        label_below = bool(status) and not label_inline and inner.height() >= 2 * fh + value_h + pad * 0.3
        if label_below:
            label_h = fh
        below_h = label_h + pad * 0.3 if label_below else 0.0
        # A title too long for its row takes two lines where the tile has the height for it.
        bfm = QFontMetricsF(base)
        title_room = inner.width() - (
            label_w + pad if status and not label_inline and not label_below else 0.0
        )
        two_lines = (
            bfm.horizontalAdvance(self._title) > title_room
            and inner.height() >= 2 * fh + max(label_h, fh) + value_h + below_h
        )
        row1 = QRectF(inner.left(), inner.top(), inner.width(), fh * 2 if two_lines else label_h)
        title_w = row1.width()
        value_bottom = row1.bottom() + value_h
        if status and not label_inline and not label_below:
            label_w = min(label_w, row1.width() * 0.6)
            title_w -= label_w + pad
            self._paint_label(
                p, QRectF(row1.right() - label_w, row1.top(), label_w, label_h), status, fh, pad
            )
        p.setFont(base)
        p.setPen(QColor(theme.TEXT_DIM))
        if two_lines:
            p.drawText(
                QRectF(row1.left(), row1.top(), title_w, row1.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
                self._title,
            )
        else:
            p.drawText(
                QRectF(row1.left(), row1.top(), title_w, row1.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                bfm.elidedText(self._title, Qt.TextElideMode.ElideRight, max(0.0, title_w)),
            )
        self._title_elided = not two_lines and bfm.horizontalAdvance(self._title) > title_w + 0.5

        baseline = row1.bottom() + pad * 0.3 + vfm.capHeight() * 1.15
        p.setFont(value_font)
        p.setPen(text_main)
        p.drawText(QPointF(inner.left(), baseline), value)
        if self._unit:
            p.setFont(unit_font)
            p.setPen(QColor(theme.STALE if dim else theme.TEXT_DIM))
            p.drawText(QPointF(inner.left() + vfm.horizontalAdvance(value) + gap, baseline), self._unit)
        if label_below:
            label_w = min(label_w, inner.width())
            below = QRectF(inner.left(), value_bottom + pad * 0.3, label_w, label_h)
            self._paint_label(p, below, status, fh, pad)
            baseline = below.bottom() - vfm.descent()
        if status and label_inline:
            middle = baseline - vfm.capHeight() / 2
            self._paint_label(
                p,
                QRectF(inner.right() - label_w, middle - label_h / 2, label_w, label_h),
                status,
                fh,
                pad,
            )

        # Row 3: sparkline in the remaining space.
        spark = QRectF(inner.left(), baseline + vfm.capHeight() * 0.15 + pad * 0.5, inner.width(), 0.0)
        spark.setBottom(inner.bottom())
        if spark.height() >= fh * 0.8:
            self._paint_sparkline(p, spark, dim, fh)
        p.end()

    def _frame(self, p: QPainter, fh: float) -> tuple[QRectF, float, bool]:
        """Background, border (coloured, dashed when stale); returns the inside, the border width
        and whether the tile is dimmed."""
        rect = QRectF(self.rect())
        p.fillRect(rect, QColor(theme.BG_WINDOW))
        accent = self._accent()
        level = self._level
        dim = level in (TileLevel.STALE, TileLevel.NO_DATA)
        border_w = max(2.0, fh * (0.22 if accent is not None else 0.08))
        frame = rect.adjusted(border_w / 2, border_w / 2, -border_w / 2, -border_w / 2)
        pen = QPen(accent if accent is not None else QColor(theme.BORDER), border_w)
        if level is TileLevel.STALE:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QColor(theme.BG_PANEL))
        p.drawRoundedRect(frame, fh * 0.25, fh * 0.25)
        return rect, border_w, dim

    def _paint_typed(self) -> None:
        """Wall type: title (one or two rows), the value large with its unit, the state beside it
        or under it, the sparkline in what is left. Nothing is shortened."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        value_font, unit_font, title_font, state_font = self._typed_fonts()
        sec = float(self._sec_px)
        rect, border_w, dim = self._frame(p, sec)
        pad = sec * 0.3
        inner = rect.adjusted(border_w + pad, border_w + pad * 0.5, -border_w - pad, -border_w - pad)
        tfm, vfm, ufm, sfm = (QFontMetricsF(f) for f in (title_font, value_font, unit_font, state_font))
        log = self._log
        stacked, one_row = self._typed_needs(rect.width())
        if rect.height() < stacked - 0.5 and one_row is not None and self._paint_typed_one_row(p, inner, dim):
            p.end()
            return

        # Title: one row, or two where it is too long for one (wrapped at spaces, never cut short).
        p.setFont(title_font)
        p.setPen(QColor(theme.TEXT_DIM))
        row = sec * 1.25
        two = tfm.horizontalAdvance(self._title) > inner.width()
        title_box = QRectF(inner.left(), inner.top(), inner.width(), row * (2 if two else 1))
        if self._title:
            rows = [self._title]
            if two and " " in self._title:  # broken at the space that best balances the two rows
                spaces = [i for i, ch in enumerate(self._title) if ch == " "]
                best = min(
                    spaces,
                    key=lambda i: max(tfm.horizontalAdvance(self._title[:i]), tfm.horizontalAdvance(self._title[i + 1 :])),
                )
                rows = [self._title[:best], self._title[best + 1 :]]
            for n, text in enumerate(rows):
                baseline = title_box.top() + n * row + (row + tfm.capHeight()) / 2
                log.draw_at(p, QPointF(inner.left(), baseline), text, TextRole.SECONDARY, title_box)
        y = title_box.bottom() + pad * 0.5

        # Value and unit on one baseline; the state beside them if it fits, else under them.
        value = self.value_text()
        status = self.status_text()
        value_w = vfm.horizontalAdvance(value)
        unit_w = ufm.horizontalAdvance(self._unit) if self._unit else 0.0
        label_w = sfm.horizontalAdvance(status) + 2 * pad if status else 0.0
        label_h = sec * 1.3
        value_h = vfm.capHeight() * 1.45
        beside = value_w + pad + unit_w + pad * 2 + label_w <= inner.width()
        value_room = QRectF(inner.left(), y, inner.width(), value_h)
        baseline = y + (value_h + vfm.capHeight()) / 2
        p.setFont(value_font)
        p.setPen(QColor(theme.STALE if dim else theme.TEXT))
        log.draw_at(p, QPointF(inner.left(), baseline), value, TextRole.KEY, value_room)
        if self._unit:
            p.setFont(unit_font)
            p.setPen(QColor(theme.STALE if dim else theme.TEXT_DIM))
            log.draw_at(
                p, QPointF(inner.left() + value_w + pad, baseline), self._unit, TextRole.SECONDARY, value_room
            )
        y = value_room.bottom()
        if status:
            if beside:
                box = QRectF(
                    inner.right() - label_w, baseline - vfm.capHeight() / 2 - label_h / 2, label_w, label_h
                )
            else:
                box = QRectF(inner.left(), y + pad * 0.3, min(label_w, max(label_w, inner.width())), label_h)
                y = box.bottom()
            self._paint_typed_label(p, box, status, state_font, sec)
        spark = QRectF(inner.left(), y + pad, inner.width(), inner.bottom() - y - pad)
        if spark.height() >= sec * 0.8:
            self._paint_sparkline(p, spark, dim, sec * 1.4)
        p.end()

    def _paint_typed_one_row(self, p: QPainter, inner: QRectF, dim: bool) -> bool:
        """A low, wide wall tile: title, value with unit, and state on one line. False if they do
        not fit its width whole (then the stacked layout reports what it cuts)."""
        value_font, unit_font, title_font, state_font = self._typed_fonts()
        sec = float(self._sec_px)
        pad = sec * 0.3
        tfm, vfm, ufm, sfm = (QFontMetricsF(f) for f in (title_font, value_font, unit_font, state_font))
        value, status = self.value_text(), self.status_text()
        title_w = tfm.horizontalAdvance(self._title)
        value_w = vfm.horizontalAdvance(value) + (pad + ufm.horizontalAdvance(self._unit) if self._unit else 0.0)
        label_w = sfm.horizontalAdvance(status) + 2 * pad if status else 0.0
        if title_w + pad * 2 + value_w + pad * 2 + label_w > inner.width():
            return False
        baseline = inner.center().y() + vfm.capHeight() / 2
        log = self._log
        p.setFont(title_font)
        p.setPen(QColor(theme.TEXT_DIM))
        log.draw_at(p, QPointF(inner.left(), baseline), self._title, TextRole.SECONDARY, inner)
        x = inner.left() + title_w + pad * 2
        p.setFont(value_font)
        p.setPen(QColor(theme.STALE if dim else theme.TEXT))
        log.draw_at(p, QPointF(x, baseline), value, TextRole.KEY, inner)
        if self._unit:
            p.setFont(unit_font)
            p.setPen(QColor(theme.STALE if dim else theme.TEXT_DIM))
            log.draw_at(p, QPointF(x + vfm.horizontalAdvance(value) + pad, baseline), self._unit, TextRole.SECONDARY, inner)
        if status:
            h = sec * 1.3
            box = QRectF(inner.right() - label_w, baseline - vfm.capHeight() / 2 - h / 2, label_w, h)
            self._paint_typed_label(p, box, status, state_font, sec)
        return True

    def _paint_typed_label(self, p: QPainter, rect: QRectF, text: str, font: QFont, sec: float) -> None:
        accent = self._accent()
        if accent is not None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(accent)
            colour = QColor("#ffffff" if self._level is TileLevel.ALARM else theme.TEXT_ON_LIGHT)
        else:
            p.setPen(QPen(QColor(theme.STALE), max(1.0, sec * 0.08)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            colour = QColor(theme.TEXT_DIM)
        p.drawRoundedRect(rect, sec * 0.25, sec * 0.25)
        p.setFont(font)
        p.setPen(colour)
        self._log.draw(p, rect, int(Qt.AlignmentFlag.AlignCenter), text, TextRole.SECONDARY)

    def _paint_one_row(
        self,
        p: QPainter,
        inner: QRectF,
        base: QFont,
        value_font: QFont,
        unit_font: QFont,
        status: str,
        label_w: float,
        label_h: float,
        fh: float,
        pad: float,
        dim: bool,
    ) -> bool:
        """A wide, low tile (a wall column of tiles): title, value and state on one line, when
        two rows do not fit its height but one row fits its width. False if it does not apply."""
        vfm, ufm, bfm = QFontMetricsF(value_font), QFontMetricsF(unit_font), QFontMetricsF(base)
        value = self.value_text()
        if inner.height() >= label_h + pad * 0.3 + vfm.capHeight() * 1.3:
            return False
        gap = pad * 0.6
        value_w = vfm.horizontalAdvance(value) + (
            gap + ufm.horizontalAdvance(self._unit) if self._unit else 0.0
        )
        title_w = bfm.horizontalAdvance(self._title)
        if title_w + value_w + label_w + 3 * pad > inner.width():
            return False
        mid = inner.center().y()
        p.setFont(base)
        p.setPen(QColor(theme.TEXT_DIM))
        p.drawText(
            QRectF(inner.left(), inner.top(), title_w + 1, inner.height()),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            self._title,
        )
        x = inner.left() + title_w + 2 * pad
        baseline = mid + vfm.capHeight() / 2
        p.setFont(value_font)
        p.setPen(QColor(theme.STALE if dim else theme.TEXT))
        p.drawText(QPointF(x, baseline), value)
        if self._unit:
            p.setFont(unit_font)
            p.setPen(QColor(theme.STALE if dim else theme.TEXT_DIM))
            p.drawText(QPointF(x + vfm.horizontalAdvance(value) + gap, baseline), self._unit)
        if status:
            self._paint_label(
                p, QRectF(inner.right() - label_w, mid - label_h / 2, label_w, label_h), status, fh, pad
            )
        return True

    def _paint_label(self, p: QPainter, rect: QRectF, text: str, fh: float, pad: float) -> None:
        """Paint the state label: filled in the accent colour when abnormal, outlined otherwise."""
        accent = self._accent()
        if accent is not None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(accent)
            colour = QColor("#ffffff" if self._level is TileLevel.ALARM else theme.TEXT_ON_LIGHT)
        else:
            p.setPen(QPen(QColor(theme.STALE), max(1.0, fh * 0.06)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            colour = QColor(theme.TEXT_DIM)
        p.drawRoundedRect(rect, fh * 0.2, fh * 0.2)
        font = theme.scaled_font(self.font(), 1.0, bold=True)
        p.setFont(font)
        p.setPen(colour)
        p.drawText(
            rect,
            Qt.AlignmentFlag.AlignCenter,
            QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - pad),
        )

    def _paint_sparkline(self, p: QPainter, rect: QRectF, dim: bool, fh: float) -> None:
        # The history changes once a second, the value up to four times: the sparkline is drawn
        # once per history into an image and copied from it. A thick antialiased line through 600
        # points costs 1-4 ms, most of a tile's paint once the history is full.
        dpr = self.devicePixelRatioF()
        key = (self._history_version, rect.getRect(), dim, fh, dpr, self._limit_lines)
        if self._spark is None or self._spark[0] != key:
            self._spark = (key, self._render_sparkline(rect, dim, fh, dpr))
        image = self._spark[1]
        if image is not None:
            m = self._spark_margin(fh)
            p.drawImage(QPointF(rect.left() - m, rect.top() - m), image)

    @staticmethod
    def _spark_margin(fh: float) -> int:
        """Room around the sparkline's box for the line's width and the last point's dot."""
        return math.ceil(max(2.0, fh * 0.15, fh * 0.05)) + 2

    def _render_sparkline(self, rect: QRectF, dim: bool, fh: float, dpr: float) -> QImage | None:
        poly, lo, hi = self._sparkline(rect)
        if poly is None:
            return None
        m = self._spark_margin(fh)
        image = QImage(
            math.ceil((rect.width() + 2 * m) * dpr),
            math.ceil((rect.height() + 2 * m) * dpr),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.GlobalColor.transparent)
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.translate(m - rect.left(), m - rect.top())

        def to_y(v: float) -> float:
            return rect.bottom() - (v - lo) / (hi - lo) * rect.height()

        # Limits inside the plotted range as faint dashed lines, for context.
        limit_pen = QPen(QColor(theme.TEXT_DISABLED), max(1.0, fh * 0.05), Qt.PenStyle.DashLine)
        p.setPen(limit_pen)
        for limit in self._limit_lines:
            if lo < limit < hi:
                y = to_y(limit)
                p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))

        line = QColor(theme.STALE if dim else theme.TEXT_DIM)
        p.setPen(QPen(line, max(1.5, fh * 0.1)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolyline(poly)
        last = poly.last()
        r = max(2.0, fh * 0.15)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(theme.STALE if dim else theme.TEXT))
        p.drawEllipse(last, r, r)
        p.end()
        return image

    def _sparkline(self, rect: QRectF) -> tuple[QPolygonF | None, float, float]:
        """The history as a polyline in ``rect`` and the value range it spans; None: too few points."""
        data = self._history
        finite = np.isfinite(data)
        if np.count_nonzero(finite) < 2:
            return None, 0.0, 1.0
        xs = np.nonzero(finite)[0].astype(np.float64)
        ys = data[finite]
        n_px = max(2, int(rect.width()))
        if ys.size > 2 * n_px:
            # Peak downsampling: min and max per pixel column keep spikes visible.
            buckets = np.array_split(np.arange(ys.size), n_px)
            idx = np.concatenate(
                [np.sort([b[np.argmin(ys[b])], b[np.argmax(ys[b])]]) for b in buckets if b.size]
            )
            xs, ys = xs[idx], ys[idx]
        lo, hi = float(ys.min()), float(ys.max())
        if hi - lo < 1e-12:
            lo, hi = lo - 1.0, hi + 1.0
        margin = (hi - lo) * 0.08
        lo, hi = lo - margin, hi + margin
        span_x = float(data.size - 1) or 1.0
        px = rect.left() + xs / span_x * rect.width()
        py = rect.bottom() - (ys - lo) / (hi - lo) * rect.height()
        return QPolygonF([QPointF(x, y) for x, y in zip(px.tolist(), py.tolist(), strict=True)]), lo, hi
