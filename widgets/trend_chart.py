"""A trend chart that reads from across the room: few ticks, large labels, each limit named on its own line.

A general plotting widget on a wall panel 200-300 px high fits its axes by shrinking their text
and overprinting their ticks ("1.8" over "1.6"). This one is painted for the wall: three value
ticks at most, their labels in the type it is given, the unit beside the top value tick, the time
axis as "−2 min" and "now" (or what its right edge is when that is not now: a replay's recorded
time, a paused drill), every series named above the plot (in as many rows as leave a plot, the rest
said as "+2 more", never dropped unsaid), and each warning or alarm limit as a dashed line named at
the right in its own row, nudged apart when two limits lie close. It draws once per
change of data into an image (curves of a few hundred points each) and says what text it drew
(``text_items``).

Translation context: ``TrendChart``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.text_report import TextLog
from widgets.values import TextItem, TextRole

COLOURS = ("#c9ced6", "#7fa7c9", "#b9a36a", "#8fb39a", "#b48aa8", "#8a9099")
"""Series colours: calm, told apart by hue and named in the legend."""


@dataclass(frozen=True, slots=True)
class Limit:
    """A warning or alarm limit drawn across the chart."""

    value: float
    label: str
    alarm: bool


def nice_ticks(lo: float, hi: float, most: int = 3) -> list[float]:
    """At most ``most`` round values spanning ``[lo, hi]`` (1, 2 or 5 times a power of ten apart)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * power
        first = math.ceil(lo / step) * step
        ticks = []
        v = first
        while v <= hi + step * 1e-9:
            ticks.append(round(v, 10))
            v += step
        if len(ticks) <= most:
            return ticks
    return [lo, hi]


def tick_text(value: float, ticks: Sequence[float]) -> str:
    """A tick's label with as many decimals as the ticks need to differ."""
    for decimals in range(6):
        if all(abs(round(v, decimals) - v) < 1e-9 for v in ticks):
            return f"{value:.{decimals}f}"
    return f"{value:g}"


class TrendChart(QWidget):
    """Curves over a fixed time window, against labelled limits (see the module docstring)."""

    def __init__(self, window_s: float = 120.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window_s = window_s
        self._names: list[str] = []
        self._heading = ""
        self._unit = ""
        self._limits: list[Limit] = []
        self._series: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = []
        self._px = 0
        self._log = TextLog()
        self._dim = False
        self._end: tuple[str, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    # -- public API ---------------------------------------------------------------------------

    def set_type_size(self, px: int) -> None:
        """The pixel size of every text on the chart (the wall's secondary type); 0: the font's."""
        if px != self._px:
            self._px = max(0, px)
            self.update()

    def set_series(self, names: Sequence[str], unit: str, limits: Sequence[Limit], heading: str = "") -> None:
        """What is plotted: the series' names (legend), the unit (axis) and the limits; ``heading``:
        what every series is ("Water level"), said once before their names."""
        self._names, self._unit, self._limits, self._heading = list(names), unit, list(limits), heading
        self._series = []
        self.update()

    def set_data(self, series: Sequence[tuple[npt.ArrayLike, npt.ArrayLike]]) -> None:
        """Per series: seconds before now (≤ 0) and values (NaN: a gap, drawn as a gap)."""
        self._series = [(np.asarray(t, dtype=np.float64), np.asarray(y, dtype=np.float64)) for t, y in series]
        self.update()

    def set_end_label(self, *texts: str) -> None:
        """What the time axis's right edge is: none for "now" (live); else a replay's recorded time
        ("21:02:40") or a paused drill's clock ("paused 21:02:40"), already translated, longest
        first: the first that fits under the plot beside "−2 min" is drawn (the last if none does)."""
        if texts != self._end:
            self._end = texts
            self.update()

    def end_labels(self) -> tuple[str, ...]:
        """The time axis's right-edge labels, longest first ("now" when live)."""
        return self._end or (QCoreApplication.translate("TrendChart", "now"),)

    def set_dim(self, dim: bool) -> None:
        """Grey curves: what is shown is not current."""
        if dim != self._dim:
            self._dim = dim
            self.update()

    def text_items(self) -> list[TextItem]:
        """What the last paint drew (the wall's self-check)."""
        return list(self._log.items)

    def least_height(self, width: float) -> float:
        """The least height that shows the legend, a plot a line and a half high and the time labels at
        this width (a lower chart paints no plot: the wall steps it aside instead)."""
        fm = QFontMetricsF(self._font())
        line_h, pad = fm.capHeight() * 1.9, fm.capHeight() * 0.4
        rows = max(1, len(self._legend(fm, width, 2)[0]))
        return rows * line_h + pad + line_h / 2 + line_h * 1.5 + line_h + pad

    def _legend(self, fm: QFontMetricsF, width: float, most_rows: int) -> tuple[list[list[tuple[str, str]]], str]:
        """The legend in at most ``most_rows`` rows of (name, colour), each name whole, and what is
        said of the series left out ("+2 more"; "" when every series is named). A chart draws a
        curve for every series: none may be drawn unnamed and unsaid."""
        pad, swatch = fm.capHeight() * 0.4, fm.capHeight() * 1.4

        def entry_w(name: str) -> float:
            return swatch + pad + fm.horizontalAdvance(name) + pad * 2

        rows: list[list[tuple[str, str]]] = [[]]
        x, placed = (fm.horizontalAdvance(self._heading) + pad * 2 if self._heading else 0.0), 0
        for i, name in enumerate(self._names):
            w = entry_w(name)
            if (rows[-1] or x) and x + w > width:
                if len(rows) >= most_rows:
                    break
                rows.append([])
                x = 0.0
            rows[-1].append((name, COLOURS[i % len(COLOURS)]))
            x += w
            placed += 1
        if placed == len(self._names):
            return rows, ""
        # Room for "+n more" at the end of the last row: names leave it, the last first.
        while True:
            more = QCoreApplication.translate("TrendChart", "+{n} more").format(n=len(self._names) - placed)
            used = sum(entry_w(name) for name, _ in rows[-1])
            if len(rows) == 1 and self._heading:
                used += fm.horizontalAdvance(self._heading) + pad * 2
            if not rows[-1] or used + fm.horizontalAdvance(more) <= width:
                return rows, more
            rows[-1].pop()
            placed -= 1

    def sizeHint(self) -> QSize:
        h = QFontMetricsF(self._font()).height()
        return QSize(round(h * 16), round(h * 7))

    # -- internals ----------------------------------------------------------------------------

    def _font(self, bold: bool = False) -> QFont:
        font = QFont(self.font())
        if self._px:
            font.setPixelSize(self._px)
        font.setBold(bold)
        return font

    def _range(self) -> tuple[float, float]:
        # Only the readings there are: a series may be empty or all gaps (a sensor that never reported).
        finite = [y[np.isfinite(y)] for _, y in self._series]
        values = [float(v) for y in finite if y.size for v in (y.min(), y.max())]
        if not values:
            values = [lim.value for lim in self._limits] or [0.0, 1.0]
        # Every limit in view: how far the values are from the warning and the alarm is what the
        # room reads off a trend.
        lo, hi = min([*values, *(lim.value for lim in self._limits)]), max([*values, *(lim.value for lim in self._limits)])
        if hi - lo < 1e-9:
            lo, hi = lo - 1.0, hi + 1.0
        margin = (hi - lo) * 0.08
        return lo - margin, hi + margin

    def paintEvent(self, event: QPaintEvent) -> None:
        self._log.clear()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect())
        p.fillRect(rect, QColor(theme.BG_PANEL))
        font, bold = self._font(), self._font(True)
        fm = QFontMetricsF(font)
        line_h = fm.capHeight() * 1.9
        pad = fm.capHeight() * 0.4

        # Legend: every series' name, whole, in two rows (what least_height allows for), or more
        # while the plot keeps three lines' height; any left out are said as "+n more".
        p.setFont(font)
        swatch = fm.capHeight() * 1.4
        fixed = pad + line_h / 2 + line_h * 3 + line_h + pad
        rows, more = self._legend(fm, rect.width(), max(2, int((rect.height() - fixed) // line_h)))
        y = rect.top()
        for r, row in enumerate(rows):
            if not row and not more and not (r == 0 and self._heading):
                continue
            x = rect.left()
            cy = y + line_h / 2
            if r == 0 and self._heading:
                p.setPen(QColor(theme.TEXT))
                self._log.draw_at(p, QPointF(x, cy + fm.capHeight() / 2), self._heading, TextRole.SECONDARY, rect)
                x += fm.horizontalAdvance(self._heading) + pad * 2
            for name, hue in row:
                p.setPen(QPen(QColor(hue), max(2.0, fm.capHeight() * 0.18)))
                p.drawLine(QPointF(x, cy), QPointF(x + swatch, cy))
                p.setPen(QColor(hue))
                self._log.draw_at(p, QPointF(x + swatch + pad, cy + fm.capHeight() / 2), name, TextRole.SECONDARY, rect)
                x += swatch + pad + fm.horizontalAdvance(name) + pad * 2
            if more and r == len(rows) - 1:
                p.setPen(QColor(theme.TEXT_DIM))
                self._log.draw_at(p, QPointF(x, cy + fm.capHeight() / 2), more, TextRole.SECONDARY, rect)
            y += line_h
        top = y + pad

        # Plot area: value labels on the left, limit labels on the right, time labels under it.
        lo, hi = self._range()
        ticks = nice_ticks(lo, hi, 3)
        tick_texts = [tick_text(v, ticks) for v in ticks]
        # The unit goes on the value axis, beside its top tick ("2.5 m"): room for it on any of them.
        unit = f" {self._unit}" if self._unit else ""
        axis_w = max((fm.horizontalAdvance(t + unit) for t in tick_texts), default=0.0) + pad
        limit_w = max((QFontMetricsF(bold).horizontalAdvance(lim.label) for lim in self._limits), default=0.0)
        plot = QRectF(rect.left() + axis_w + pad, top + line_h / 2, 0, 0)
        plot.setRight(rect.right() - (limit_w + pad * 2 if limit_w else pad))
        plot.setBottom(rect.bottom() - line_h - pad)
        if plot.height() < line_h or plot.width() < line_h:
            p.end()
            return

        def to_y(v: float) -> float:
            return plot.bottom() - (v - lo) / (hi - lo) * plot.height()

        # Ticks at least a label and a half apart: a low plot keeps fewer, never overprinted ones.
        kept: list[tuple[float, str]] = []
        for v, text in zip(ticks, tick_texts, strict=True):
            if not kept or abs(to_y(kept[-1][0]) - to_y(v)) >= fm.capHeight() * 1.8:
                kept.append((v, text))
        ticks, tick_texts = [v for v, _ in kept], [t for _, t in kept]
        if tick_texts and unit:
            tick_texts[-1] += unit
        p.setPen(QPen(QColor(theme.BORDER), 1))
        p.drawRect(plot)
        grid = QPen(QColor(theme.BORDER), 1, Qt.PenStyle.DotLine)
        for v, text in zip(ticks, tick_texts, strict=True):
            ty = to_y(v)
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), ty), QPointF(plot.right(), ty))
            p.setPen(QColor(theme.TEXT_DIM))
            p.setFont(font)
            w = fm.horizontalAdvance(text)
            self._log.draw_at(p, QPointF(plot.left() - pad - w, ty + fm.capHeight() / 2), text, TextRole.SECONDARY, rect)
        # Time: the window's start and its right edge ("now" only when it is now).
        minutes = self._window_s / 60
        start = QCoreApplication.translate("TrendChart", "−{n} min").format(n=f"{minutes:g}")
        base = plot.bottom() + pad + fm.capHeight()
        p.setPen(QColor(theme.TEXT_DIM))
        self._log.draw_at(p, QPointF(plot.left(), base), start, TextRole.SECONDARY, rect)
        # Under the plot's right edge, never into "−2 min" nor under the limits' names: the longest
        # form that fits ("paused 21:02:40", else "paused").
        room = plot.width() - fm.horizontalAdvance(start) - pad * 3
        labels = self.end_labels()
        end = next((t for t in labels if fm.horizontalAdvance(t) <= room), labels[-1])
        self._log.draw_at(p, QPointF(plot.right() - fm.horizontalAdvance(end), base), end, TextRole.SECONDARY, rect)

        # Limits: dashed lines; their names at the right, one row each, nudged apart if close.
        shown = sorted((lim for lim in self._limits if lo <= lim.value <= hi), key=lambda lim: -lim.value)
        label_y: list[float] = []
        for lim in shown:
            cy = min(max(to_y(lim.value), plot.top() + line_h / 2), plot.bottom() - line_h / 2)
            if label_y and cy < label_y[-1] + line_h:
                cy = label_y[-1] + line_h
            label_y.append(cy)
        overflow = (label_y[-1] + line_h / 2 - rect.bottom()) if label_y else 0.0
        if overflow > 0:
            label_y = [v - overflow for v in label_y]
        for lim, cy in zip(shown, label_y, strict=True):
            colour = QColor(theme.SEVERITY_RED if lim.alarm else theme.SEVERITY_YELLOW)
            ly = to_y(lim.value)
            p.setPen(QPen(colour, max(2.0, fm.capHeight() * 0.12), Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), ly), QPointF(plot.right(), ly))
            if abs(cy - ly) > 1:
                p.drawLine(QPointF(plot.right(), ly), QPointF(plot.right() + pad, cy))
            p.setPen(colour)
            p.setFont(bold)
            self._log.draw_at(p, QPointF(plot.right() + pad * 1.5, cy + fm.capHeight() / 2), lim.label, TextRole.SECONDARY, rect)

        # Curves, clipped to the plot; gaps stay gaps.
        p.save()
        p.setClipRect(plot)
        width = max(2.0, fm.capHeight() * 0.14)
        for i, (t, yv) in enumerate(self._series):
            colour = QColor(theme.STALE if self._dim else COLOURS[i % len(COLOURS)])
            p.setPen(QPen(colour, width))
            keep = t >= -self._window_s
            t, yv = t[keep], yv[keep]
            finite = np.isfinite(yv)
            if not finite.any():
                continue
            breaks = np.flatnonzero(~finite)
            start_i = 0
            for stop in [*breaks.tolist(), len(yv)]:
                seg_t, seg_y = t[start_i:stop], yv[start_i:stop]
                if seg_t.size >= 2:
                    xs = plot.right() + seg_t / self._window_s * plot.width()
                    ys = plot.bottom() - (seg_y - lo) / (hi - lo) * plot.height()
                    p.drawPolyline(QPolygonF([QPointF(a, b) for a, b in zip(xs.tolist(), ys.tolist(), strict=True)]))
                start_i = stop + 1
        p.restore()
        p.end()
