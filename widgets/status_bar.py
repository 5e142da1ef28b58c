"""Connection status strip: link state, data age and free counters text.

Translation context: ``ConnectionStatusWidget``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.values import LinkLevel as LinkLevel


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
        self._detail = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def set_status(self, label: str, level: LinkLevel, age_s: float | None, detail: str) -> None:
        """Show a new status.

        Args:
            label: Short state text, already translated, e.g. "Connected".
            level: Health, decides colour and icon.
            age_s: Age of the newest data in seconds, None if none has arrived.
            detail: Free text, e.g. counters ("1 204 msg/s · 0 errors"); may be empty.
        """
        if (label, level, age_s, detail) == (self._label, self._level, self._age_s, self._detail):
            return
        self._label, self._level, self._age_s, self._detail = label, level, age_s, detail
        self.updateGeometry()
        self.update()

    def level(self) -> LinkLevel:
        """Return the level shown."""
        return self._level

    def age_text(self) -> str:
        """Return the age part as shown, e.g. "data 0.4 s old" or "no data"."""
        if self._age_s is None:
            return QCoreApplication.translate("ConnectionStatusWidget", "no data")
        return QCoreApplication.translate("ConnectionStatusWidget", "data {age} old").format(
            age=_format_age(max(0.0, self._age_s))
        )

    def text(self) -> str:
        """Return all the text shown, parts separated by two spaces."""
        return "  ".join(part for part in (self._label, self.age_text(), self._detail) if part)

    def sizeHint(self) -> QSize:
        bold = theme.scaled_font(self.font(), 1.0, bold=True)
        fm = QFontMetricsF(self.font())
        h = fm.height()
        w = (
            h * 2.5
            + QFontMetricsF(bold).horizontalAdvance(self._label)
            + fm.horizontalAdvance(self.age_text())
            + fm.horizontalAdvance(self._detail)
            + h * 3
        )
        return QSize(round(w), round(h * 1.8))

    def minimumSizeHint(self) -> QSize:
        h = QFontMetricsF(self.font()).height()
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
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect())
        p.fillRect(rect, QColor(theme.BG_PANEL))
        fm = QFontMetricsF(self.font())
        h = fm.height()
        pad = h * 0.5
        accent = self._accent()
        abnormal = self._level is not LinkLevel.OK
        cy = rect.center().y()
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
        on_pill = QColor("#ffffff" if self._level in (LinkLevel.DOWN, LinkLevel.NOT_LIVE) else theme.TEXT_ON_LIGHT)

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

        p.setFont(bold)
        p.setPen(on_pill if abnormal else QColor(theme.TEXT))
        p.drawText(
            QRectF(x, rect.top(), label_w + 1, rect.height()), Qt.AlignmentFlag.AlignVCenter, self._label
        )
        x = pill.right() + pad

        p.setFont(self.font())
        age = self.age_text()
        age_w = fm.horizontalAdvance(age)
        p.setPen(QColor(theme.TEXT))
        p.drawText(QRectF(x, rect.top(), age_w + 1, rect.height()), Qt.AlignmentFlag.AlignVCenter, age)
        x += age_w + pad * 1.5

        remaining = rect.right() - pad - x
        if self._detail and remaining > h:
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(
                QRectF(x, rect.top(), remaining, rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                fm.elidedText(self._detail, Qt.TextElideMode.ElideRight, remaining),
            )
        p.end()
