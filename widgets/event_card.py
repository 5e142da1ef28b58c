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
from widgets.values import Card, CardField


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

    def _field_layout(self, field: CardField, width: float, label_w: float, pad: float) -> tuple[bool, float]:
        """Whether a fact goes beside its label (the label on one line, the value on at most two)
        or under it across the card, and the height it takes."""
        dfm = QFontMetricsF(self.detail_font())
        value_font = self.key_font() if field.emphasis else self.detail_font(bold=True)
        value_w = width - label_w
        side = (
            self.one_line_width(self.detail_font(), field.label) <= label_w - pad
            and self.text_height(value_font, value_w, field.value) <= QFontMetricsF(value_font).lineSpacing() * 2 + 1.0
        )
        if side:
            return True, max(dfm.height(), self.text_height(value_font, value_w, field.value))
        label_h = self.text_height(self.detail_font(), width, field.label)
        return False, label_h + self.text_height(value_font, width, field.value)

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
        label_w = min(inner.width() * 0.25, max([self.one_line_width(detail, f.label) for f in card.fields] or [0.0]) + pad)
        rows = [self._field_layout(f, inner.width(), label_w, pad) for f in card.fields]
        y = max(title.bottom(), inner.top() + dfm.height())
        sub_inline = title.height() <= dfm.height() + 0.5 and (
            title.right() + gap + self.one_line_width(detail, card.subtitle) <= inner.right()
        )
        sub_h = 0.0 if sub_inline else self.text_height(detail, inner.width(), card.subtitle)
        # Where and when: on the title's line where there is the room; else on its own line, but
        # only if the facts still all fit (they come first: the plate, the route, the source).
        step = pad * 0.3  # between facts: a hair, the wall's rows are tight
        facts_h = sum(h + step for _, h in rows)
        sub_line = not sub_inline and y + sub_h + step + facts_h <= inner.bottom() + step + 0.5
        if sub_inline:
            sub = self.draw_text(p, QRectF(title.right() + gap, inner.top(), inner.right() - title.right() - gap, dfm.height()),
                                 card.subtitle, detail, theme.TEXT_DIM)  # fmt: skip
        elif sub_line:
            sub = self.draw_text(p, QRectF(inner.left(), y, inner.width(), sub_h), card.subtitle, detail, theme.TEXT_DIM)
            y = sub.bottom()
        else:
            sub = title
        spare = QRectF(sub.right() + gap, sub.top(), inner.right() - sub.right() - gap, dfm.height())
        y += step
        shown = 0
        for field, (side, h) in zip(card.fields, rows, strict=True):
            if y + h > inner.bottom() + 0.5:
                break
            value_font = self.key_font() if field.emphasis else bold
            if side:
                self.draw_text(p, QRectF(inner.left(), y, label_w - pad, h), field.label, detail, theme.TEXT_DIM)
                self.draw_text(p, QRectF(inner.left() + label_w, y, inner.width() - label_w, h), field.value, value_font, text,
                               key=field.emphasis)  # fmt: skip
            else:
                label_h = self.text_height(detail, inner.width(), field.label)
                self.draw_text(p, QRectF(inner.left(), y, inner.width(), label_h), field.label, detail, theme.TEXT_DIM)
                self.draw_text(p, QRectF(inner.left(), y + label_h, inner.width(), h - label_h), field.value, value_font, text,
                               key=field.emphasis)  # fmt: skip
            y += h + step
            shown += 1
        if not sub_inline and not sub_line and shown == len(card.fields):  # where and when, after the facts
            rest = QRectF(inner.left(), y, inner.width(), inner.bottom() - y)
            if sub_h <= rest.height() + 0.5:
                self.draw_text(p, rest, card.subtitle, detail, theme.TEXT_DIM)
        left = len(card.fields) - shown
        self.note_left_out(p, inner, left, QCoreApplication.translate("EventCard", "+{n} more").format(n=left), spare)
        p.end()
