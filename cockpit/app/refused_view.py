"""What a wall screen shows when its runway's file was refused: which runway, and why, in wall type.

A black panel looks broken and says nothing to the room; the console's list of problems is at the
desk. The screen the layout gave the runway says it itself: the runway's name in key type, the
file, line and reason in secondary type (wrapped, never cut).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cockpit.present.runway_spec import RunwayError
from cockpit.present.wall_layout import WallType
from widgets import theme
from widgets.text_report import set_role
from widgets.values import TextRole


def tr(text: str) -> str:
    return QCoreApplication.translate("RefusedView", text)


class RefusedView(QWidget):
    """The screen of a runway whose file could not be used.

    Args:
        runway: The runway's id (its file's name, when the file cannot say).
        error: Why the file was refused.
    """

    def __init__(self, runway: str, error: RunwayError) -> None:
        super().__init__()
        self.runway = runway
        self.setObjectName(f"refused-{runway}")
        layout = self.box = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.title = QLabel(tr("Runway “{id}” is not shown").format(id=runway))
        self.title.setObjectName("refusedTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet(f"color: {theme.ALARM};")
        set_role(self.title, TextRole.KEY)
        where = f"{error.path.name}, " + (tr("line {n}").format(n=error.line) if error.line else "")
        self.reason = QLabel(f"{where.rstrip(', ')}: {error.reason}")
        self.reason.setObjectName("refusedReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = QLabel(tr("Correct the runway file; the console lists every problem."))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {theme.TEXT_DIM};")
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def apply_wall_type(self, sizes: WallType) -> None:
        """The name in key type, the reason and the hint in secondary type."""
        for label, px, bold in ((self.title, sizes.key_px, True), (self.reason, sizes.secondary_px, False), (self.hint, sizes.secondary_px, False)):
            label.ensurePolished()
            font = QFont(label.font())
            font.setPixelSize(px)
            font.setBold(bold)
            label.setFont(font)
        m = round(sizes.secondary_px * 0.6)
        self.box.setContentsMargins(m, m, m, m)
        self.box.setSpacing(round(sizes.secondary_px * 0.5))
