"""Palette constants and the application-wide dark theme.

The look follows high-performance HMI practice: calm dark greys for everything normal, colour only
for abnormal states (the four severity colours, warning, alarm). Constants are ``#rrggbb`` strings
so they can be used both in QSS and with ``QColor``.

``apply_theme`` must be called once, after the ``QApplication`` exists and before the widgets are
shown. Widgets size their text relative to their own font, so the ``scale`` given here scales the
whole user interface.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
"""The repository's ``assets`` directory."""

STYLESHEET_PATH = ASSETS_DIR / "themes" / "dark.qss"
"""The QSS template used by ``apply_theme`` (``$name`` placeholders, see ``stylesheet``)."""

BASE_POINT_SIZE = 14.0
"""Application font size in points at ``scale == 1``; sized for reading at 5-10 m on a wall."""

# Greys: the normal state of everything.
BG_WINDOW = "#1c1e21"
BG_PANEL = "#24272b"
BG_ROW_ALT = "#292c31"
BG_INPUT = "#2e3237"
BG_SELECTED = "#3d4c5e"
BORDER = "#3a3f45"
SELECTION_OUTLINE = "#dde6f0"
TEXT = "#e8eaed"
TEXT_DIM = "#a4aab2"
TEXT_DISABLED = "#6b7178"
TEXT_ON_LIGHT = "#111315"

# China's four warning levels (1 is the most severe).
SEVERITY_RED = "#e0342b"
SEVERITY_ORANGE = "#f08a1c"
SEVERITY_YELLOW = "#f2d21b"
SEVERITY_BLUE = "#2f7fe0"

# Process and link states.
OK = "#8fb39a"
"""Muted green-grey: healthy, deliberately unremarkable."""
STALE = "#7d838a"
NOT_LIVE = "#b0127a"
"""Magenta: not the live city (replay, drill). No severity, link or theme colour uses it."""
"""Grey for values that are no longer live."""
WARNING = SEVERITY_ORANGE
ALARM = SEVERITY_RED


def stylesheet(scale: float = 1.0) -> str:
    """Return the application stylesheet with palette constants and sizes filled in.

    Args:
        scale: UI scale factor; paddings and scroll bar widths grow with it.

    Returns:
        The QSS text of ``STYLESHEET_PATH`` with every ``$name`` placeholder substituted.

    Raises:
        OSError: The QSS file cannot be read.
        KeyError: The QSS file uses an unknown placeholder.
    """
    values = {
        "bg_window": BG_WINDOW,
        "bg_panel": BG_PANEL,
        "bg_row_alt": BG_ROW_ALT,
        "bg_input": BG_INPUT,
        "bg_selected": BG_SELECTED,
        "border": BORDER,
        "selection_outline": SELECTION_OUTLINE,
        "text": TEXT,
        "text_dim": TEXT_DIM,
        "text_disabled": TEXT_DISABLED,
        "text_on_light": TEXT_ON_LIGHT,
        "alarm": ALARM,
        "warning": WARNING,
        "ok": OK,
        "pad_s": str(round(4 * scale)),
        "pad_m": str(round(8 * scale)),
        "pad_l": str(round(16 * scale)),
        "scrollbar": str(round(18 * scale)),
        "radius": str(round(4 * scale)),
    }
    return Template(STYLESHEET_PATH.read_text(encoding="utf-8")).substitute(values)


def dark_palette() -> QPalette:
    """Return the dark ``QPalette`` used with the Fusion style."""
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: BG_WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BG_PANEL,
        QPalette.ColorRole.AlternateBase: BG_ROW_ALT,
        QPalette.ColorRole.ToolTipBase: BG_INPUT,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: TEXT_DIM,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: BG_INPUT,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: TEXT,
        QPalette.ColorRole.Light: BORDER,
        QPalette.ColorRole.Midlight: BORDER,
        QPalette.ColorRole.Mid: BG_INPUT,
        QPalette.ColorRole.Dark: BG_WINDOW,
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: BG_SELECTED,
        QPalette.ColorRole.HighlightedText: TEXT,
        QPalette.ColorRole.Link: TEXT,
    }
    for role, hex_colour in colours.items():
        pal.setColor(role, QColor(hex_colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(TEXT_DISABLED))
    return pal


def apply_theme(app: QApplication, font_family: str, scale: float) -> None:
    """Apply the Fusion style, the dark palette, the app font and the stylesheet to ``app``.

    Args:
        app: The running application.
        font_family: Font family for all text, e.g. ``"Noto Sans CJK SC"``.
        scale: UI scale factor (1.0 = ``BASE_POINT_SIZE`` points); must be positive.

    Raises:
        ValueError: ``scale`` is not positive.
        OSError: The stylesheet cannot be read.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    font = QFont(font_family)
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    app.setFont(font)
    app.setStyleSheet(stylesheet(scale))


def scaled_font(font: QFont, factor: float, *, bold: bool | None = None) -> QFont:
    """Return a copy of ``font`` ``factor`` times as large (point- or pixel-sized fonts).

    Args:
        font: The font to copy, usually the widget's own font.
        factor: Size multiplier.
        bold: If not None, set the copy's boldness.

    Returns:
        The scaled copy.
    """
    scaled = QFont(font)
    if scaled.pointSizeF() > 0:
        scaled.setPointSizeF(max(1.0, scaled.pointSizeF() * factor))
    else:
        scaled.setPixelSize(max(1, round(scaled.pixelSize() * factor)))
    if bold is not None:
        scaled.setBold(bold)
    return scaled
