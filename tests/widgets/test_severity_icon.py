from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from widgets.severity import (
    Severity,
    paint_severity_icon,
    severity_color,
    severity_name,
    severity_shape,
)


def test_levels_are_chinas_four_warning_levels() -> None:
    assert [int(s) for s in Severity] == [1, 2, 3, 4]
    assert [s.name for s in Severity] == ["RED", "ORANGE", "YELLOW", "BLUE"]


def test_colours_and_names_are_distinct(qapp: QApplication) -> None:
    assert len({severity_color(s).name() for s in Severity}) == 4
    assert [severity_name(s) for s in Severity] == ["Red", "Orange", "Yellow", "Blue"]


def test_shapes_are_distinct_not_just_colours() -> None:
    rect = QRectF(0, 0, 100, 100)
    probes = [(50, 4), (6, 94), (12, 12), (20, 20)]  # apex, bottom-left, corner, diagonal
    signatures = set()
    for s in Severity:
        path = severity_shape(s, rect)
        signatures.add(tuple(path.contains(QPointF(x, y)) for x, y in probes))
    assert len(signatures) == 4


def test_paint_icon_uses_severity_colour(qapp: QApplication) -> None:
    for s in Severity:
        img = QImage(64, 64, QImage.Format.Format_ARGB32)
        img.fill(QColor("black"))
        p = QPainter(img)
        paint_severity_icon(p, QRectF(0, 0, 64, 64), s)
        p.end()
        colours = {img.pixelColor(x, y).name() for x in range(64) for y in range(64)}
        assert severity_color(s).name() in colours, s
