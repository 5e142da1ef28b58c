"""What a widget says it painted: glyph heights of ink, boxes, shortened and cut texts."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from widgets.text_report import TextLog, glyph_px, is_han
from widgets.values import TextRole

FONT = "Noto Sans CJK SC"


def font(px: int, bold: bool = False) -> QFont:
    f = QFont(FONT)
    f.setPixelSize(px)
    f.setBold(bold)
    return f


def test_glyph_height_is_the_ink_of_capitals_not_the_font_size(qapp: QApplication) -> None:
    cap = glyph_px(font(100), "HIGH ALARM")
    assert 70 <= cap <= 77, "Noto Sans capitals are about 0.74 of the pixel size"
    han = glyph_px(font(100), "城市运行")
    assert han > cap + 8, "Chinese characters are drawn taller than Latin capitals"
    # A text is as legible as the smaller of the kinds it holds.
    assert glyph_px(font(100), "4级 · 橙") == cap
    assert glyph_px(font(100), "—") == cap
    assert is_han("级") and not is_han("A") and not is_han("·")


def test_a_drawn_text_is_noted_with_its_ink_box_and_cut_when_its_room_is_too_small(qapp: QApplication) -> None:
    image = QImage(400, 200, QImage.Format.Format_ARGB32)
    p = QPainter(image)
    p.setFont(font(40))
    log = TextLog()
    box = log.draw(p, QRectF(10, 10, 380, 80), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), "NEW", TextRole.KEY)
    log.draw(p, QRectF(10, 100, 40, 80), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), "WIDE TEXT", TextRole.SECONDARY)
    log.draw_at(p, QPointF(10, 190), "shown", TextRole.SECONDARY, QRectF(0, 0, 400, 200))
    p.end()
    first, cut, third = log.items
    assert (first.text, first.role, first.clipped, first.elided) == ("NEW", TextRole.KEY, False, False)
    assert abs(first.h - first.glyph_px) <= 1.5, "the ink of capitals is as tall as their glyph height"
    assert QRectF(first.x, first.y, first.w, first.h) == box
    assert 10 <= first.x <= 14 and first.y > 10 and first.y + first.h < 90
    assert cut.clipped, "ink beyond its room is a cut"
    assert not third.clipped


def test_a_shortened_text_is_noted_as_elided(qapp: QApplication) -> None:
    image = QImage(100, 50, QImage.Format.Format_ARGB32)
    p = QPainter(image)
    p.setFont(font(20))
    log = TextLog()
    log.draw(p, QRectF(0, 0, 100, 50), 0, "Wate…", TextRole.SECONDARY, "Water level")
    log.draw(p, QRectF(0, 0, 100, 50), 0, "same", TextRole.SECONDARY, "same")
    p.end()
    assert log.items[0].elided and log.items[0].full == "Water level"
    assert not log.items[1].elided
