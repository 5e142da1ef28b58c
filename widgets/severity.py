"""China's four warning levels: colour, icon shape and translated name.

A severity is never shown by colour alone: ``paint_severity_icon`` draws a distinct shape per level
with the level's numeral inside, and ``severity_name`` gives the text.

=====  ========  ===============
Level  Colour    Shape
=====  ========  ===============
1      red       triangle (apex up)
2      orange    diamond
3      yellow    square
4      blue      circle
=====  ========  ===============

Translation context: ``Severity``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

from widgets import theme
from widgets.text_report import TextLog
from widgets.values import Severity as Severity
from widgets.values import TextRole

_COLOURS: dict[Severity, str] = {
    Severity.RED: theme.SEVERITY_RED,
    Severity.ORANGE: theme.SEVERITY_ORANGE,
    Severity.YELLOW: theme.SEVERITY_YELLOW,
    Severity.BLUE: theme.SEVERITY_BLUE,
}

_TEXT_ON: dict[Severity, str] = {
    Severity.RED: "#ffffff",
    Severity.ORANGE: theme.TEXT_ON_LIGHT,
    Severity.YELLOW: theme.TEXT_ON_LIGHT,
    Severity.BLUE: "#ffffff",
}

_OUTLINE = "#0b0c0e"
"""Dark outline so an icon stays visible on a row flashing in its own colour."""


def severity_color(severity: Severity) -> QColor:
    """Return the fill colour of ``severity``."""
    return QColor(_COLOURS[severity])


def severity_text_color(severity: Severity) -> QColor:
    """Return a text colour readable on top of ``severity_color(severity)``."""
    return QColor(_TEXT_ON[severity])


def severity_name(severity: Severity) -> str:
    """Return the translated colour name of ``severity`` ("Red", "Orange", ...)."""
    # Literal strings so that lupdate finds them.
    if severity is Severity.RED:
        return QCoreApplication.translate("Severity", "Red")
    if severity is Severity.ORANGE:
        return QCoreApplication.translate("Severity", "Orange")
    if severity is Severity.YELLOW:
        return QCoreApplication.translate("Severity", "Yellow")
    return QCoreApplication.translate("Severity", "Blue")


def severity_shape(severity: Severity, rect: QRectF) -> QPainterPath:
    """Return the outline of ``severity``'s icon, fitted into the square centred in ``rect``.

    Args:
        severity: The level whose shape to build.
        rect: The area to fit; the shape uses the largest centred square.

    Returns:
        A closed path in the coordinates of ``rect``.
    """
    side = min(rect.width(), rect.height())
    sq = QRectF(0.0, 0.0, side, side)
    sq.moveCenter(rect.center())
    path = QPainterPath()
    if severity is Severity.RED:
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(sq.center().x(), sq.top()),
                    QPointF(sq.right(), sq.bottom()),
                    QPointF(sq.left(), sq.bottom()),
                ]
            )
        )
        path.closeSubpath()
    elif severity is Severity.ORANGE:
        c = sq.center()
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(c.x(), sq.top()),
                    QPointF(sq.right(), c.y()),
                    QPointF(c.x(), sq.bottom()),
                    QPointF(sq.left(), c.y()),
                ]
            )
        )
        path.closeSubpath()
    elif severity is Severity.YELLOW:
        inset = side * 0.08
        path.addRect(sq.adjusted(inset, inset, -inset, -inset))
    else:
        path.addEllipse(sq.adjusted(side * 0.02, side * 0.02, -side * 0.02, -side * 0.02))
    return path


def paint_severity_icon(
    painter: QPainter, rect: QRectF, severity: Severity, log: TextLog | None = None, numeral: bool = True
) -> None:
    """Paint ``severity``'s shape, filled with its colour, with its numeral inside.

    The painter's state is saved and restored. The numeral uses the painter's current font family
    in bold, sized to the icon.

    Args:
        painter: An active painter.
        rect: Where to paint; the icon is the largest centred square.
        severity: The level to paint.
        log: Notes the numeral as secondary text (the wall's self-check), if given.
        numeral: Draw the level's numeral (False: an icon too small for a legible numeral, beside
            text that names the event; the shape and colour still tell the level).
    """
    side = min(rect.width(), rect.height())
    if side <= 0:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = severity_shape(severity, rect)
    painter.setPen(QPen(QColor(_OUTLINE), max(1.0, side / 14.0)))
    painter.setBrush(severity_color(severity))
    painter.drawPath(path)

    if not numeral:
        painter.restore()
        return
    sq = QRectF(0.0, 0.0, side, side)
    sq.moveCenter(rect.center())
    text_rect = QRectF(sq)
    size_factor = 0.62
    if severity is Severity.RED:
        # The triangle's room is at the bottom.
        text_rect = QRectF(sq.left(), sq.top() + side * 0.32, side, side * 0.68)
        size_factor = 0.56
    elif severity is Severity.ORANGE:
        size_factor = 0.5
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(1, round(side * size_factor)))
    painter.setFont(font)
    painter.setPen(severity_text_color(severity))
    if log is not None:
        log.draw(painter, text_rect, int(Qt.AlignmentFlag.AlignCenter), str(int(severity)), TextRole.SECONDARY)
    else:
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, str(int(severity)))
    painter.restore()
