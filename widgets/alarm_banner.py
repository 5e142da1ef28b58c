"""Slim banner for the top of every wall screen: pinned unacknowledged high-severity alarms.

The caller decides what to pin (typically: unacknowledged alarms of levels 1 and 2, including
those that returned to normal but are still unacknowledged) and in which order; the banner shows
the first ``max_pinned`` of them, one line each, and "+k more" for the rest. Each line shows the
level as icon shape + numeral + name, the time, source, message and the state in words.

Active unacknowledged lines flash at 1 Hz, from the banner's own timer or, after
``set_external_flash(True)``, from a phase the application sets on every screen so that all
screens flash in step. Lines that returned to normal do not flash; they keep the list's RTN look
(hollow icon, dashed outline).

A flood notice ("ALARM FLOOD: 57 alarms in 10 min — grouped") is a separate, steady line in
inverted colours; the application decides when a flood is on.

Translation context: ``AlarmBannerWidget``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.alarm_list import (
    FLASH_INTERVAL_MS,
    AlarmDisplay,
    AlarmRow,
    display_of,
    display_text,
    paint_hollow_severity_icon,
)
from widgets.errors import DuplicateAlarmIdError, InvalidBannerSettingError
from widgets.severity import paint_severity_icon, severity_color, severity_name, severity_text_color
from widgets.text_report import TextLog
from widgets.values import TextItem, TextRole

_QWIDGETSIZE_MAX = 16777215
_LINE_FACTOR = 1.9
"""Line height in font heights: room for a bold icon readable from 10 m."""
_COMPACT_LINE_FACTOR = 1.45
"""Compact lines (a wall whose type is already sized for the distance) need less air."""
_TYPED_LINE_FACTOR = 1.32
"""A line's height in key font sizes when the wall sets the type (``set_type_sizes``)."""


_RENDERED: dict[tuple[object, ...], tuple[QImage, list[TextItem]]] = {}
"""What a banner showed (flash phase, size, font, lines, …) → its painting; see ``paintEvent``."""
_RENDERED_MAX = 8
"""A wall's banners show one or two looks at a time (both flash phases); a few sizes and fonts more."""


@dataclass(frozen=True, slots=True)
class _Line:
    """One painted line: what it is and where."""

    rect: QRectF
    row: AlarmRow | None
    """None for the flood and the "all calm" lines."""


class AlarmBannerWidget(QWidget):
    """High-contrast strip pinning unacknowledged high-severity alarms; painted directly.

    Signals:
        alarm_clicked(str): The user clicked a pinned alarm's line (its id). The banner does
            nothing else; the application typically selects the alarm in its list.
    """

    alarm_clicked = Signal(str)

    def __init__(self, max_pinned: int = 3, parent: QWidget | None = None) -> None:
        """Create an empty banner (showing the calm line).

        Args:
            max_pinned: How many alarms get their own line; the rest are counted as "+k more".
            parent: Parent widget.

        Raises:
            InvalidBannerSettingError: ``max_pinned`` is below 1.
        """
        super().__init__(parent)
        if max_pinned < 1:
            raise InvalidBannerSettingError(f"max_pinned must be at least 1, got {max_pinned}")
        self._max_pinned = max_pinned
        self._compact = False
        self._key_px = 0
        self._sec_px = 0
        self._log = TextLog()
        self._rows: list[AlarmRow] = []
        self._flood = False
        self._flood_count = 0
        self._flood_window_min = 10
        self._flood_groups = ""
        self._collapse_when_empty = False
        self._reserved_lines = 0
        self._external_flash = False
        self._flash_lit = False
        self._not_current = ""
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._apply_collapse()

    # -- public API ---------------------------------------------------------------------------

    def set_pinned(self, rows: Sequence[AlarmRow]) -> None:
        """Pin ``rows``, most important first; the first ``max_pinned`` get a line each.

        Args:
            rows: The alarms to pin (the caller selects unacknowledged high-severity ones).

        Raises:
            DuplicateAlarmIdError: Two rows share an id; the banner is left unchanged.
        """
        new_rows = list(rows)
        if len({row.id for row in new_rows}) != len(new_rows):
            counts = Counter(row.id for row in new_rows)
            dups = sorted(alarm_id for alarm_id, n in counts.items() if n > 1)
            raise DuplicateAlarmIdError(f"duplicate alarm ids: {dups!r}")
        if new_rows == self._rows:
            return
        self._rows = new_rows
        self._changed()

    def set_max_pinned(self, max_pinned: int) -> None:
        """Set how many alarms get their own line.

        Raises:
            InvalidBannerSettingError: ``max_pinned`` is below 1; the setting is unchanged.
        """
        if max_pinned < 1:
            raise InvalidBannerSettingError(f"max_pinned must be at least 1, got {max_pinned}")
        if max_pinned == self._max_pinned:
            return  # set twice a second by the wall; unchanged is not repainted
        self._max_pinned = max_pinned
        self._changed()

    def set_flood(self, active: bool, count: int, window_min: int = 10, groups: str = "") -> None:
        """Show or hide the alarm-flood notice (the application decides what a flood is).

        Args:
            active: Whether a flood is on.
            count: Alarms raised within the window.
            window_min: The window in minutes, shown in the notice.
            groups: The flood's largest groups in words ("Waterlogging ×5 Hill Town · …"); empty
                says only that the list groups them.

        Raises:
            InvalidBannerSettingError: ``count`` is negative or ``window_min`` below 1.
        """
        if count < 0 or window_min < 1:
            raise InvalidBannerSettingError(f"bad flood count {count} or window {window_min} min")
        if (active, count, window_min, groups) == (
            self._flood,
            self._flood_count,
            self._flood_window_min,
            self._flood_groups,
        ):
            return  # set twice a second by the wall; unchanged is not repainted
        self._flood = active
        self._flood_count = count
        self._flood_window_min = window_min
        self._flood_groups = groups
        self._changed()

    def set_not_current(self, note: str) -> None:
        """Mark the pinned alarms as not current (``note``: "as of 14:03:22 · not live"), or current
        again with "". Not current: the lines are grey, nothing flashes, and the calm line says the
        note instead of claiming all is well."""
        if note != self._not_current:
            self._not_current = note
            self._update_flash_timer()
            self._changed()

    def not_current(self) -> str:
        return self._not_current

    def set_reserved_lines(self, lines: int) -> None:
        """Keep room for ``lines`` lines whatever is shown, so the layout under the banner never
        moves: on a video wall, panels jumping as alarms come and go lose the officer's eye (and
        every map on the wall re-rendered at its new size in the same frame). 0: fit the lines shown.

        Raises:
            InvalidBannerSettingError: ``lines`` is negative.
        """
        if lines < 0:
            raise InvalidBannerSettingError(f"reserved lines must not be negative, got {lines}")
        if lines != self._reserved_lines:
            self._reserved_lines = lines
            self._changed()

    def set_collapse_when_empty(self, collapse: bool) -> None:
        """Collapse to zero height when nothing is pinned and no flood is on (default: False,
        the banner then shows a calm "No unacknowledged high-severity alarms" line)."""
        if collapse == self._collapse_when_empty:
            return  # the wall sets this twice a second; an unchanged banner is not repainted
        self._collapse_when_empty = collapse
        self._changed()

    def set_external_flash(self, external: bool) -> None:
        """Choose who drives the flash: the banner's own timer (False, default) or the caller
        through ``set_flash_phase`` (True), so that all screens flash in step."""
        self._external_flash = external
        self._update_flash_timer()

    def set_flash_phase(self, lit: bool) -> None:
        """Set the flash phase; ignored unless ``set_external_flash(True)`` was called."""
        if self._external_flash:
            self._set_lit(lit and self._has_flashing())

    @property
    def flash_phase(self) -> bool:
        """True while flashing lines show their severity colour."""
        return self._flash_lit

    def is_flashing(self) -> bool:
        """Return whether any shown line flashes (by the internal timer or the external phase)."""
        if self._external_flash:
            return self._has_flashing()
        return self._flash_timer.isActive()

    def pinned_ids(self) -> list[str]:
        """Return the ids of the alarms that have a line, top to bottom."""
        return [row.id for row in self._shown()]

    def more_count(self) -> int:
        """Return how many pinned alarms have no line of their own."""
        return max(0, len(self._rows) - self._max_pinned)

    def more_text(self) -> str:
        """Return the "+k more" text, or ``""`` when every pinned alarm has a line."""
        k = self.more_count()
        if k == 0:
            return ""
        return QCoreApplication.translate("AlarmBannerWidget", "+{n} more").format(n=k)

    def flood_text(self) -> str:
        """Return the flood notice, or ``""`` when no flood is on."""
        if not self._flood:
            return ""
        if self._flood_groups:
            return QCoreApplication.translate(
                "AlarmBannerWidget", "ALARM FLOOD: {n} alarms in {m} min — {groups}"
            ).format(n=self._flood_count, m=self._flood_window_min, groups=self._flood_groups)
        return QCoreApplication.translate(
            "AlarmBannerWidget", "ALARM FLOOD: {n} alarms in {m} min — grouped"
        ).format(n=self._flood_count, m=self._flood_window_min)

    def line_texts(self) -> list[str]:
        """Return the text of every line as shown, top to bottom (empty when collapsed)."""
        if self.is_collapsed():
            return []
        texts = [self.flood_text()] if self._flood else []
        texts += [" · ".join(self._line_parts(row)) for row in self._shown()]
        if not self._rows:
            texts.append(self._calm_text())
        return texts

    def is_collapsed(self) -> bool:
        """Return whether the banner is collapsed to zero height."""
        return self._collapse_when_empty and not self._rows and not self._flood

    def set_compact(self, compact: bool) -> None:
        """Compact lines for large wall type: what and where come first, the time without seconds
        and the state in one short word, so the message survives at distance-sized text."""
        if compact != self._compact:
            self._compact = compact
            self._changed()

    def is_compact(self) -> bool:
        return self._compact

    def set_type_sizes(self, key_px: int, secondary_px: int) -> None:
        """Wall type: the alarm lines, the flood line and "+k more" in ``key_px``, the calm line and
        the flood's groups in ``secondary_px`` (font pixel sizes; 0, 0: sizes from the font)."""
        if (key_px, secondary_px) != (self._key_px, self._sec_px):
            self._key_px, self._sec_px = max(0, key_px), max(0, secondary_px)
            self._changed()

    def text_items(self) -> list[TextItem]:
        """What the last paint drew (the wall's self-check)."""
        return list(self._log.items)

    def _fonts(self) -> tuple[QFont, QFont, QFont, QFont]:
        """Key bold, key regular, secondary bold, secondary regular."""
        base = QFont(self.font())
        if self._key_px:
            fonts = []
            for px, bold in (
                (self._key_px, True),
                (self._key_px, False),
                (self._sec_px, True),
                (self._sec_px, False),
            ):
                f = QFont(base)
                f.setPixelSize(px)
                f.setBold(bold)
                fonts.append(f)
            return fonts[0], fonts[1], fonts[2], fonts[3]
        return (
            theme.scaled_font(base, 1.15, bold=True),
            theme.scaled_font(base, 1.15),
            theme.scaled_font(base, 1.0, bold=True),
            theme.scaled_font(base, 1.1),
        )

    def _line_factor(self) -> float:
        return _COMPACT_LINE_FACTOR if self._compact else _LINE_FACTOR

    def _line_height(self) -> float:
        if self._key_px:
            # Ink of capitals is 0.74 of the font size, of Chinese 0.9: a line 1.3 × the size holds
            # either with air, and two fit where the font's own line height (1.45) would not.
            return self._key_px * _TYPED_LINE_FACTOR
        return QFontMetricsF(self.font()).height() * self._line_factor()

    def sizeHint(self) -> QSize:
        fh = QFontMetricsF(self.font()).height()
        return QSize(round(fh * 40), round(self._line_count() * self._line_height() + 2 * self._margin()))

    def minimumSizeHint(self) -> QSize:
        # Narrow enough for any screen at any type size: it never widens its window (a wall at
        # --scale 1.5 grew past its screen's 1,920 px).
        hint = self.sizeHint()
        return QSize(round(QFontMetricsF(self.font()).height() * 4), hint.height())

    # -- internals ----------------------------------------------------------------------------

    def _shown(self) -> list[AlarmRow]:
        return self._rows[: self._max_pinned]

    def _has_flashing(self) -> bool:
        if self._not_current:
            return False  # nothing old flashes as if it were happening now
        return any(display_of(row) is AlarmDisplay.UNACKED_ACTIVE for row in self._shown())

    def _line_count(self) -> int:
        if self.is_collapsed():
            return 0
        # The calm line stays during a flood of low-severity alarms: it is still true and useful.
        return max(self._reserved_lines, int(self._flood) + max(1, len(self._shown())))

    def _margin(self) -> float:
        return 0.0 if self.is_collapsed() else max(2.0, QFontMetricsF(self.font()).height() * 0.15)

    @staticmethod
    def _calm_text() -> str:
        return QCoreApplication.translate("AlarmBannerWidget", "No unacknowledged high-severity alarms")

    def _line_parts(self, row: AlarmRow) -> list[str]:
        if self._compact:
            display = display_of(row)
            short = {
                AlarmDisplay.UNACKED_ACTIVE: QCoreApplication.translate("AlarmBannerWidget", "NEW"),
                AlarmDisplay.UNACKED_CLEARED: QCoreApplication.translate("AlarmBannerWidget", "CLEARED"),
            }.get(display, display_text(display))
            hhmm = row.time_text[:5] if len(row.time_text) == 8 and row.time_text[2] == ":" else row.time_text
            return [str(int(row.severity)), hhmm, row.source, row.message, short]
        return [
            f"{int(row.severity)} {severity_name(row.severity)}",
            row.time_text,
            row.source,
            row.message,
            display_text(display_of(row)),
        ]

    def _changed(self) -> None:
        self._apply_collapse()
        self._update_flash_timer()
        self.updateGeometry()
        self.update()

    def _apply_collapse(self) -> None:
        self.setMaximumHeight(0 if self.is_collapsed() else _QWIDGETSIZE_MAX)

    def _set_lit(self, lit: bool) -> None:
        if lit != self._flash_lit:
            self._flash_lit = lit
            self.update()

    def _update_flash_timer(self) -> None:
        flashing = self._has_flashing()
        if self._external_flash:
            self._flash_timer.stop()
            if not flashing:
                self._set_lit(False)
            return
        if flashing:
            if not self._flash_timer.isActive():
                self._set_lit(True)  # start lit so a new alarm shows at once
                self._flash_timer.start()
        else:
            self._flash_timer.stop()
            self._set_lit(False)

    def _lines(self) -> list[_Line]:
        """Lay out the lines in widget coordinates (shared by painting and clicking)."""
        if self.is_collapsed():
            return []
        fh = QFontMetricsF(self.font()).height()
        m = self._margin()
        lh = self._line_height()
        width = self.width() - 2 * m
        more = self.more_text()
        more_w = QFontMetricsF(self._more_font()).horizontalAdvance(more)
        lines: list[_Line] = []
        y = m
        if self._flood:
            lines.append(_Line(QRectF(m, y, width, lh), None))
            y += lh
        alarm_w = width - (more_w + fh * 1.2 if more else 0.0)
        for row in self._shown():
            lines.append(_Line(QRectF(m, y, alarm_w, lh), row))
            y += lh
        if not self._rows:
            lines.append(_Line(QRectF(m, y, width, lh), None))
        return lines

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        # Every screen's banner repaints on each flash phase, and wall-sized text is past Qt's
        # glyph cache (drawn as paths, ~0.1 ms a string): each look is painted once into an image,
        # shared by the banners that show the same (every screen of a wall does), and copied from
        # it until anything the banner shows changes. Whatever _paint reads belongs in `shown`.
        if self.width() <= 0 or self.height() <= 0:
            return
        dpr = self.devicePixelRatioF()
        shown = (
            self._flash_lit,
            self.width(),
            self.height(),
            dpr,
            self.font().key(),
            self._key_px,
            self._sec_px,
            tuple(self._shown()),
            len(self._rows),
            self._flood,
            self._flood_count,
            self._flood_window_min,
            self._flood_groups,
            self._compact,
            self._collapse_when_empty,
            self._max_pinned,
            self._not_current,
        )
        hit = _RENDERED.get(shown)
        if hit is None:
            # A QImage, not a QPixmap: it may outlive the application (module state) harmlessly.
            image = QImage(
                round(self.width() * dpr),
                round(self.height() * dpr),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.setDevicePixelRatio(dpr)
            painter = QPainter(image)
            self._log.clear()
            self._paint(painter)
            painter.end()
            if len(_RENDERED) >= _RENDERED_MAX:
                del _RENDERED[next(iter(_RENDERED))]  # the oldest look
            hit = _RENDERED[shown] = (image, list(self._log.items))
        self._log.items = list(hit[1])
        p = QPainter(self)
        p.drawImage(0, 0, hit[0])
        p.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            _RENDERED.clear()  # the texts are translated when painted
        super().changeEvent(event)

    def _more_font(self) -> QFont:
        return self._fonts()[0] if self._key_px else theme.scaled_font(self.font(), 1.1, bold=True)

    def _paint(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect())
        p.fillRect(rect, QColor(theme.BG_WINDOW))
        base = QFont(self.font())
        fh = QFontMetricsF(base).height()
        lines = self._lines()
        for line in lines:
            if line.row is not None:
                self._paint_alarm_line(p, line.rect, line.row, fh)
            elif self._flood and line is lines[0]:
                self._paint_flood_line(p, line.rect, fh)
            else:
                self._paint_calm_line(p, line.rect, fh)
        more = self.more_text()
        if more and lines:
            alarm_lines = [ln for ln in lines if ln.row is not None]
            top = alarm_lines[0].rect.top()
            bottom = alarm_lines[-1].rect.bottom()
            left = alarm_lines[0].rect.right() + fh * 0.2
            box = QRectF(left, top, rect.width() - self._margin() - left, bottom - top)
            p.setPen(QPen(QColor(theme.TEXT), max(2.0, fh * 0.1)))
            p.setBrush(QColor(theme.BG_INPUT))
            p.drawRoundedRect(box.adjusted(1, 1, -1, -1), fh * 0.2, fh * 0.2)
            p.setFont(self._more_font())
            self._log.draw(p, box, int(Qt.AlignmentFlag.AlignCenter), more, TextRole.KEY)

    def _text(self, p: QPainter, font: QFont, rect: QRectF, x: float, text: str, role: TextRole) -> float:
        """One piece of a line at ``x``, capitals centred in ``rect``; returns its advance."""
        fm = QFontMetricsF(font)
        p.setFont(font)
        baseline = rect.center().y() + fm.capHeight() / 2
        self._log.draw_at(p, QPointF(x, baseline), text, role, rect)
        return fm.horizontalAdvance(text)

    def _paint_alarm_line(self, p: QPainter, rect: QRectF, row: AlarmRow, fh: float) -> None:
        display = display_of(row)
        colour = QColor(theme.STALE) if self._not_current else severity_color(row.severity)
        lit = self._flash_lit and display is AlarmDisplay.UNACKED_ACTIVE and not self._not_current
        inner = rect.adjusted(0, fh * 0.08, 0, -fh * 0.08)
        bw = max(2.0, fh * 0.14)
        if lit:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            text_colour = severity_text_color(row.severity)
        else:
            pen = QPen(colour, bw)
            if display is AlarmDisplay.UNACKED_CLEARED:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(QColor(theme.BG_PANEL))
            text_colour = QColor(theme.TEXT)
        frame = inner.adjusted(bw / 2, bw / 2, -bw / 2, -bw / 2)
        p.drawRoundedRect(frame, fh * 0.2, fh * 0.2)

        pad = fh * 0.35
        # As tall as the line allows: an orange diamond's numeral is half its icon, and must read
        # as secondary type (20 mm at 8 m) on the wall.
        icon_side = inner.height() * (0.9 if self._key_px else 0.78)
        icon = QRectF(inner.left() + pad, inner.center().y() - icon_side / 2, icon_side, icon_side)
        p.setFont(QFont(self.font()))
        if display is AlarmDisplay.UNACKED_CLEARED:
            paint_hollow_severity_icon(p, icon, row.severity, self._log)
        else:
            paint_severity_icon(p, icon, row.severity, self._log)

        level_text, time_text, source, message, state = self._line_parts(row)
        bold, normal, sec_bold, _sec = self._fonts()
        bfm = QFontMetricsF(bold)
        nfm = QFontMetricsF(normal)
        p.setPen(text_colour)
        x = icon.right() + pad
        right = inner.right() - pad
        role = TextRole.KEY

        # State on the right, always whole: it carries the meaning.
        state_font = QFont(bold)
        if display is AlarmDisplay.UNACKED_CLEARED:
            state_font.setItalic(True)
        state_w = QFontMetricsF(state_font).horizontalAdvance(state)
        self._text(p, state_font, rect, right - state_w, state, role)
        right -= state_w + pad * 2
        gap = pad * 1.5

        if self._compact:
            # The icon carries the numeral; then what, where and when, each whole or not at all:
            # the message first (from the back of the room it is what matters), then the place,
            # then the time, as far as they fit.
            room = right - x
            wm = bfm.horizontalAdvance(message)
            if wm > room and self._key_px:
                # Too long for one key-sized line: secondary type, on two rows if one is too short
                # (broken at the space that best balances them), set close in the line's height.
                sfm = QFontMetricsF(sec_bold)
                rows = [message]
                if sfm.horizontalAdvance(message) > room and " " in message:
                    spaces = [i for i, ch in enumerate(message) if ch == " "]
                    best = min(
                        spaces,
                        key=lambda i: max(sfm.horizontalAdvance(message[:i]), sfm.horizontalAdvance(message[i + 1 :])),
                    )
                    rows = [message[:best], message[best + 1 :]]
                step = sfm.capHeight() * 1.6
                first = rect.center().y() + sfm.capHeight() / 2 - step * (len(rows) - 1) / 2
                p.setFont(sec_bold)
                box = QRectF(x, rect.top(), room, rect.height())
                for n, text in enumerate(rows):
                    self._log.draw_at(p, QPointF(x, first + n * step), text, TextRole.SECONDARY, box)
                return
            x += self._text(p, bold, rect, x, message, role) + gap
            for text in (source, time_text):
                w = nfm.horizontalAdvance(text)
                if x + w > right:
                    break  # the time never stands in for a place that did not fit
                if text:
                    x += self._text(p, normal, rect, x, text, role) + gap
            return
        for text, font, fm in ((level_text, bold, bfm), (time_text, normal, nfm), (source, bold, bfm)):
            w = min(fm.horizontalAdvance(text), max(0.0, right - x))
            shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, w + 1)
            p.setFont(font)
            self._log.draw(
                p,
                QRectF(x, inner.top(), w + 1, inner.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                shown,
                role,
                text,
            )
            x += w + gap
        p.setFont(normal)
        w = max(0.0, right - x)
        self._log.draw(
            p,
            QRectF(x, inner.top(), w, inner.height()),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            nfm.elidedText(message, Qt.TextElideMode.ElideRight, w),
            role,
            message,
        )

    def _paint_flood_line(self, p: QPainter, rect: QRectF, fh: float) -> None:
        inner = rect.adjusted(0, fh * 0.08, 0, -fh * 0.08)
        # Inverted (light) strip with black/white hazard hatching at the left: unlike any
        # severity line, and not a severity colour.
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(theme.TEXT))
        p.drawRoundedRect(inner, fh * 0.2, fh * 0.2)
        hatch = QRectF(inner.left(), inner.top(), inner.height() * 2.2, inner.height())
        p.save()
        p.setClipRect(hatch)
        p.setPen(QPen(QColor(theme.TEXT_ON_LIGHT), inner.height() * 0.22))
        step = inner.height() * 0.5
        x = hatch.left() - hatch.height()
        while x < hatch.right():
            p.drawLine(QPointF(x, hatch.bottom()), QPointF(x + hatch.height(), hatch.top()))
            x += step
        p.restore()
        p.setPen(QColor(theme.TEXT_ON_LIGHT))
        text_rect = inner.adjusted(hatch.width() + fh * 0.5, 0, -fh * 0.5, 0)
        left = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        if not self._key_px:
            font = theme.scaled_font(self.font(), 1.2, bold=True)
            p.setFont(font)
            text = self.flood_text()
            shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
            self._log.draw(p, text_rect, left, shown, TextRole.KEY, text)
            return
        # Wall type: "ALARM FLOOD: 57 alarms in 10 min" in key type, then as many of the largest
        # groups as fit, whole, in two secondary rows beside it.
        bold, _n, _sb, sec = self._fonts()
        head = QCoreApplication.translate("AlarmBannerWidget", "ALARM FLOOD: {n} alarms in {m} min").format(
            n=self._flood_count, m=self._flood_window_min
        )
        x = text_rect.left() + self._text(p, bold, text_rect, text_rect.left(), head, TextRole.KEY) + fh * 0.6
        groups = [g for g in self._flood_groups.split(" · ") if g and g != "…"]
        sfm = QFontMetricsF(sec)
        row_h = text_rect.height() / 2
        rows: list[list[str]] = [[], []]
        r = 0
        for g in groups:
            trial = " · ".join([*rows[r], g])
            if sfm.horizontalAdvance(trial) <= text_rect.right() - x:
                rows[r].append(g)
            elif r == 0 and rows[0]:
                r = 1
                if sfm.horizontalAdvance(g) <= text_rect.right() - x:
                    rows[1].append(g)
                else:
                    break
            else:
                break
        shown_rows = [" · ".join(row) for row in rows if row]
        for i, line in enumerate(shown_rows):
            top = text_rect.top() + (row_h * i if len(shown_rows) == 2 else row_h / 2)
            self._text(p, sec, QRectF(x, top, text_rect.right() - x, row_h), x, line, TextRole.SECONDARY)

    def _paint_calm_line(self, p: QPainter, rect: QRectF, fh: float) -> None:
        inner = rect.adjusted(0, fh * 0.08, 0, -fh * 0.08)
        p.setPen(QPen(QColor(theme.BORDER), max(1.0, fh * 0.06)))
        p.setBrush(QColor(theme.BG_PANEL))
        p.drawRoundedRect(inner, fh * 0.2, fh * 0.2)
        # A calm tick, in the muted "OK" colour; when what is shown is not current, no tick (nothing
        # can be called calm): a grey dash.
        side = min(inner.height() * 0.5, fh)
        tick = QRectF(inner.left() + fh * 0.5, inner.center().y() - side / 2, side, side)
        pen = QPen(QColor(theme.STALE if self._not_current else theme.OK), max(2.0, fh * 0.12))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        if self._not_current:
            p.drawLine(QPointF(tick.left(), tick.center().y()), QPointF(tick.right(), tick.center().y()))
        else:
            p.drawPolyline(
                [
                    QPointF(tick.left(), tick.center().y()),
                    QPointF(tick.left() + side * 0.4, tick.bottom()),
                    QPointF(tick.right(), tick.top()),
                ]
            )
        font = self._fonts()[3]
        p.setFont(font)
        p.setPen(QColor(theme.TEXT_DIM))
        text_rect = inner.adjusted(tick.right() - inner.left() + fh * 0.5, 0, -fh * 0.5, 0)
        text = self._not_current or self._calm_text()
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        if self._key_px:  # never shortened on a wall: it wraps onto a second row of its line
            self._log.draw(p, text_rect, flags | int(Qt.TextFlag.TextWordWrap), text, TextRole.SECONDARY)
            return
        shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        self._log.draw(p, text_rect, flags, shown, TextRole.SECONDARY, text)

    # -- events -------------------------------------------------------------------------------

    def _on_flash_timer_timeout(self) -> None:
        self._set_lit(not self._flash_lit)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position()
            for line in self._lines():
                if line.row is not None and line.rect.contains(pos):
                    self.alarm_clicked.emit(line.row.id)
                    event.accept()
                    return
        super().mouseReleaseEvent(event)
