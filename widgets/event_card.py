"""One event, large: its kind and severity, where, when and how far it is, and its facts.

"The alert with its plate, route and source": a severity icon (shape and numeral, never colour
alone) and the event's kind, a line of where and when, then the facts as label and value, the
first of them at key size when it is the one to read from the back (the plate); the rest is at the
detail size (the banner carries the event at key size across the wall). Long
values wrap; facts without room are left out whole and counted. Not current: all of it grey.

Translation context: ``EventCard``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.painted import SEVERITY_COLOURS, PaintedWidget
from widgets.severity import paint_severity_icon
from widgets.values import Card


class EventCardWidget(PaintedWidget):
    """Shows one :class:`~widgets.values.Card`, or a line saying why there is none.

    Signals:
        clicked(): the officer clicked the card (to work on its event).
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._card: Card | None = None
        self._placeholder = ""
        self._current = True
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_card(self, card: Card | None, placeholder: str = "") -> None:
        if (card, placeholder) != (self._card, self._placeholder):
            self._card, self._placeholder = card, placeholder
            self.update()

    def set_current(self, current: bool) -> None:
        """Not current: drawn grey, never in live colours."""
        if current != self._current:
            self._current = current
            self.update()

    def card(self) -> Card | None:
        return self._card

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self._card is not None:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        room = self.begin_paint(p)
        card = self._card
        detail = self.detail_font()
        dim = not self._current
        text = theme.STALE if dim else theme.TEXT
        if card is None:
            self.draw_text(p, room, self._placeholder or QCoreApplication.translate("EventCard", "No event"), detail, theme.TEXT_DIM)
            p.end()
            return
        bold = self.detail_font(bold=True)
        dfm = QFontMetricsF(detail)
        pad = dfm.height() * 0.35
        stripe = max(6.0, pad)
        p.fillRect(QRectF(room.left(), room.top(), stripe, room.height()), QColor(theme.STALE if dim else SEVERITY_COLOURS[card.severity]))
        inner = room.adjusted(stripe + pad, 0, 0, 0)
        icon = dfm.height() * 0.9
        paint_severity_icon(p, QRectF(inner.left(), inner.top() + (dfm.height() - icon) / 2, icon, icon), card.severity)
        title = self.draw_text(p, inner.adjusted(icon + pad, 0, 0, 0), card.title, bold, text)
        gap = dfm.height() * 0.5
        if title.height() <= dfm.height() + 0.5 and title.right() + gap + self.one_line_width(detail, card.subtitle) <= inner.right():
            # Where and when on the title's line, where there is the room: one more line for facts.
            sub = self.draw_text(p, QRectF(title.right() + gap, inner.top(), inner.right() - title.right() - gap, dfm.height()),
                                 card.subtitle, detail, theme.TEXT_DIM)  # fmt: skip
            y = inner.top() + dfm.height()
        else:
            y = max(title.bottom(), inner.top() + dfm.height())
            sub = self.draw_text(p, QRectF(inner.left(), y, inner.width(), inner.bottom() - y), card.subtitle, detail, theme.TEXT_DIM)
            y = sub.bottom()
        spare = QRectF(sub.right() + gap, sub.top(), inner.right() - sub.right() - gap, dfm.height())
        y += pad
        # The labels' column: as wide as the labels, at most a quarter of the card (a longer label
        # puts its fact under it).
        label_w = min(inner.width() * 0.25, max([self.one_line_width(detail, f.label) for f in card.fields] or [0.0]) + pad)
        shown = 0
        for field in card.fields:
            value_font = self.key_font() if field.emphasis else self.detail_font(bold=True)
            value_w = inner.width() - label_w
            side = (
                self.one_line_width(detail, field.label) <= label_w - pad
                and self.text_height(value_font, value_w, field.value) <= QFontMetricsF(value_font).height() * 2 + 0.5
            )
            if side:  # label and value side by side: the label on one line, the value on at most two
                h = max(dfm.height(), self.text_height(value_font, value_w, field.value))
            else:  # a long value under its label, the card's whole width
                label_h = self.text_height(detail, inner.width(), field.label)
                h = label_h + self.text_height(value_font, inner.width(), field.value)
            if y + h > inner.bottom() + 0.5:
                break
            if side:
                self.draw_text(p, QRectF(inner.left(), y, label_w - pad, h), field.label, detail, theme.TEXT_DIM)
                self.draw_text(p, QRectF(inner.left() + label_w, y, value_w, h), field.value, value_font, text, key=field.emphasis)
            else:
                self.draw_text(p, QRectF(inner.left(), y, inner.width(), label_h), field.label, detail, theme.TEXT_DIM)
                self.draw_text(p, QRectF(inner.left(), y + label_h, inner.width(), h - label_h), field.value, value_font, text,
                               key=field.emphasis)  # fmt: skip
            y += h + pad * 0.5
            shown += 1
        left = len(card.fields) - shown
        self.note_left_out(p, inner, left, QCoreApplication.translate("EventCard", "+{n} more").format(n=left), spare)
        p.end()
