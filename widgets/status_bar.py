"""Connection status strip: link state, data age and free counters text.

Translation context: ``ConnectionStatusWidget``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.text_report import TextLog
from widgets.values import LinkLevel as LinkLevel
from widgets.values import TextItem, TextRole


def _format_age(age_s: float) -> str:
    if age_s < 10:
        return QCoreApplication.translate("ConnectionStatusWidget", "{n} s").format(n=f"{age_s:.1f}")
    if age_s < 120:
        return QCoreApplication.translate("ConnectionStatusWidget", "{n} s").format(n=round(age_s))
    if age_s < 7200:
        return QCoreApplication.translate("ConnectionStatusWidget", "{n} min").format(n=round(age_s / 60))
    return QCoreApplication.translate("ConnectionStatusWidget", "{n} h").format(n=round(age_s / 3600))


class ConnectionStatusWidget(QWidget):
    """One-line status: ``[icon] LABEL   data 0.4 s old   detail``, painted.

    The level decides icon shape and colour (OK: muted circle; DEGRADED: orange triangle on an
    orange label; DOWN: red square on a red label); the label text carries the meaning too.
    The detail text is elided when space runs out; label and age never are.

    Signals:
        None. The widget only displays.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = ""
        self._level = LinkLevel.DOWN
        self._age_s: float | None = None
        self._shows_age = True
        self._detail = ""
        self._wrap = False
        self._role = TextRole.SECONDARY
        self._log = TextLog()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def set_status(
        self, label: str, level: LinkLevel, age_s: float | None, detail: str, shows_age: bool = True
    ) -> None:
        """Show a new status.

        Args:
            label: Short state text, already translated, e.g. "Connected".
            level: Health, decides colour and icon.
            age_s: Age of the newest data in seconds, None if none has arrived.
            detail: Free text, e.g. counters ("1 204 msg/s · 0 errors"); may be empty.
            shows_age: False where the data's age means nothing (a replay, a paused drill): no
                age is shown, never "no data" over data that is there.
        """
        new = (label, level, age_s, detail, shows_age)
        if new == (self._label, self._level, self._age_s, self._detail, self._shows_age):
            return
        self._label, self._level, self._age_s, self._detail, self._shows_age = new
        self.updateGeometry()
        self.update()

    def level(self) -> LinkLevel:
        """Return the level shown."""
        return self._level

    def age_text(self) -> str:
        """Return the age part as shown, e.g. "data 0.4 s old" or "no data" ("" when not shown)."""
        if not self._shows_age:
            return ""
        if self._age_s is None:
            return QCoreApplication.translate("ConnectionStatusWidget", "no data")
        return QCoreApplication.translate("ConnectionStatusWidget", "data {age} old").format(
            age=_format_age(max(0.0, self._age_s))
        )

    def text(self) -> str:
        """Return all the text shown, parts separated by two spaces."""
        return "  ".join(part for part in (self._label, self.age_text(), self._detail) if part)

    def set_wrap(self, wrap: bool) -> None:
        """Wrap the detail onto further lines instead of shortening it (a wall screen: nothing is
        cut there; the status takes the rows it needs, in :meth:`heightForWidth`)."""
        if wrap != self._wrap:
            self._wrap = wrap
            sp = self.sizePolicy()
            sp.setHeightForWidth(wrap)
            self.setSizePolicy(sp)
            self.updateGeometry()
            self.update()

    def text_items(self) -> list[TextItem]:
        """What the last paint drew (the wall's self-check)."""
        return list(self._log.items)

    def _head_width(self) -> float:
        """Where the detail starts: as :meth:`paintEvent` lays out the icon, label and age."""
        fm = QFontMetricsF(self.font())
        h = fm.height()
        pad = h * 0.5
        bold = theme.scaled_font(self.font(), 1.0, bold=True)
        label_w = QFontMetricsF(bold).horizontalAdvance(self._label)
        icon_side = h * 0.8
        return pad * 5.1 + icon_side + label_w + fm.horizontalAdvance(self.age_text())

    def _detail_lines(self, width: float) -> list[str]:
        """The detail split into lines that fit (at its " · " joints, then at spaces)."""
        fm = QFontMetricsF(self.font())
        pad = fm.height() * 0.5
        if not self._detail:
            return []
        first_room = width - self._head_width() - pad
        if fm.horizontalAdvance(self._detail) <= first_room:
            return [self._detail]
        room = max(1.0, width - 2 * pad)
        words: list[str] = []
        for n, part in enumerate(self._detail.split(" · ")):
            pieces = part.split(" ")
            if n:
                pieces[0] = "· " + pieces[0]
            words += pieces
        lines, line = [], ""
        for word in words:
            trial = f"{line} {word}" if line else word
            if line and fm.horizontalAdvance(trial) > room:
                lines.append(line)
                line = word
            else:
                line = trial
        if line:
            lines.append(line)
        return ["", *lines]  # the head's row, then the detail under it

    def _row_height(self) -> float:
        return QFontMetricsF(self.font()).height() * 1.5

    def heightForWidth(self, width: int) -> int:
        rows = max(1, len(self._detail_lines(width))) if self._wrap else 1
        return round(self._row_height() * rows + QFontMetricsF(self.font()).height() * 0.2)

    def hasHeightForWidth(self) -> bool:
        return self._wrap

    def sizeHint(self) -> QSize:
        fm = QFontMetricsF(self.font())
        h = fm.height()
        w = self._head_width() + (fm.horizontalAdvance(self._detail) + h * 0.5 + 1 if self._detail else 0.0)
        return QSize(round(w), self.heightForWidth(round(w)))

    def minimumSizeHint(self) -> QSize:
        h = QFontMetricsF(self.font()).height()
        if self._wrap:  # as narrow as its head; the detail then takes rows of its own
            return QSize(round(self._head_width()), round(self._row_height()))
        return QSize(round(h * 10), round(h * 1.8))

    def _accent(self) -> QColor:
        if self._level is LinkLevel.DOWN:
            return QColor(theme.ALARM)
        if self._level is LinkLevel.DEGRADED:
            return QColor(theme.WARNING)
        if self._level is LinkLevel.NOT_LIVE:
            return QColor(theme.NOT_LIVE)
        return QColor(theme.OK)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._log.clear()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect())
        p.fillRect(rect, QColor(theme.BG_PANEL))
        fm = QFontMetricsF(self.font())
        h = fm.height()
        pad = h * 0.5
        accent = self._accent()
        abnormal = self._level is not LinkLevel.OK
        row_h = self._row_height()
        lines = self._detail_lines(rect.width()) if self._wrap else []
        head = QRectF(rect.left(), rect.top(), rect.width(), row_h if self._wrap else rect.height())
        cy = head.center().y()
        x = rect.left() + pad

        bold = theme.scaled_font(self.font(), 1.0, bold=True)
        bfm = QFontMetricsF(bold)
        icon_side = h * 0.8
        label_w = bfm.horizontalAdvance(self._label)
        pill = QRectF(x - pad * 0.4, cy - h * 0.7, icon_side + pad * 1.4 + label_w + pad * 0.6, h * 1.4)
        if abnormal:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(accent)
            p.drawRoundedRect(pill, h * 0.2, h * 0.2)
        on_pill = QColor(
            "#ffffff" if self._level in (LinkLevel.DOWN, LinkLevel.NOT_LIVE) else theme.TEXT_ON_LIGHT
        )

        icon = QRectF(x, cy - icon_side / 2, icon_side, icon_side)
        path = QPainterPath()
        if self._level is LinkLevel.OK:
            path.addEllipse(icon.adjusted(1, 1, -1, -1))
            p.setPen(QPen(accent, max(1.5, h * 0.12)))
            p.setBrush(Qt.BrushStyle.NoBrush)
        elif self._level is LinkLevel.DEGRADED:
            path.addPolygon(
                QPolygonF(
                    [
                        QPointF(icon.center().x(), icon.top()),
                        QPointF(icon.right(), icon.bottom()),
                        QPointF(icon.left(), icon.bottom()),
                    ]
                )
            )
            path.closeSubpath()
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(on_pill)
        elif self._level is LinkLevel.NOT_LIVE:  # a hollow diamond: not the live city (replay, drill)
            c = icon.center()
            r = icon_side / 2
            path.addPolygon(
                QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()), QPointF(c.x(), c.y() + r), QPointF(c.x() - r, c.y())])
            )
            path.closeSubpath()
            p.setPen(QPen(on_pill, max(1.5, h * 0.12)))
            p.setBrush(Qt.BrushStyle.NoBrush)
        else:
            inset = icon_side * 0.1
            path.addRect(icon.adjusted(inset, inset, -inset, -inset))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(on_pill)
        p.drawPath(path)
        x = icon.right() + pad * 0.6

        middle = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        p.setFont(bold)
        p.setPen(on_pill if abnormal else QColor(theme.TEXT))
        self._log.draw(p, QRectF(x, head.top(), label_w + 1, head.height()), middle, self._label, self._role)
        x = pill.right() + pad

        p.setFont(self.font())
        age = self.age_text()
        if age:
            age_w = fm.horizontalAdvance(age)
            p.setPen(QColor(theme.TEXT))
            self._log.draw(p, QRectF(x, head.top(), age_w + 1, head.height()), middle, age, self._role)
            x += age_w + pad * 1.5

        p.setPen(QColor(theme.TEXT_DIM))
        if self._wrap:
            if lines and lines[0]:
                self._log.draw(
                    p,
                    QRectF(x, head.top(), rect.right() - pad - x + 1, head.height()),
                    middle,
                    lines[0],
                    self._role,
                )
            for n, line in enumerate(lines[1:], start=1):
                row = QRectF(rect.left() + pad, rect.top() + n * row_h, rect.width() - 2 * pad, row_h)
                self._log.draw(p, row, middle, line, self._role)
            p.end()
            return
        remaining = rect.right() - pad - x
        if self._detail and remaining > h:
            shown = fm.elidedText(self._detail, Qt.TextElideMode.ElideRight, remaining)
            self._log.draw(
                p, QRectF(x, rect.top(), remaining, rect.height()), middle, shown, self._role, self._detail
            )
        p.end()
