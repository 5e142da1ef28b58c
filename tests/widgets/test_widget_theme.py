from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from widgets import theme


@pytest.fixture
def restore_app(qapp: QApplication) -> Iterator[QApplication]:
    # With a stylesheet set, style() is Qt's wrapper whose name() is "".
    style, sheet = qapp.style().name() or "fusion", qapp.styleSheet()
    palette, font = qapp.palette(), qapp.font()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_stylesheet_fills_every_placeholder() -> None:
    assert theme.STYLESHEET_PATH.is_file()
    qss = theme.stylesheet(1.5)
    assert "$" not in qss
    assert theme.BG_WINDOW in qss
    assert "width: 27px" in qss  # scroll bar width scales


def test_apply_theme_sets_style_palette_font(restore_app: QApplication) -> None:
    restore_app.setStyle("Windows")
    theme.apply_theme(restore_app, "Noto Sans CJK SC", 2.0)
    assert "QPushButton#dispatchButton" in restore_app.styleSheet()
    assert restore_app.palette().color(QPalette.ColorRole.Window).name() == theme.BG_WINDOW
    assert restore_app.font().family() == "Noto Sans CJK SC"
    assert restore_app.font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE * 2.0)
    restore_app.setStyleSheet("")
    assert restore_app.style().name().lower() == "fusion"


def test_apply_theme_rejects_bad_scale(restore_app: QApplication) -> None:
    with pytest.raises(ValueError):
        theme.apply_theme(restore_app, "Noto Sans CJK SC", 0.0)
