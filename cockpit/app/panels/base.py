"""The frame every runway panel sits in: a title over one widget, sized by the runway's grid."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from cockpit.present.wall_layout import WallType
from widgets import theme
from widgets.painted import PaintedWidget

CURRENT_TITLE = f"color: {theme.TEXT};"
STALE_TITLE = f"color: {theme.STALE}; font-style: italic; padding: 0px 3px;"
"""Italic leans out of its advance (a "p" 1 px left of the label at wall type): the padding keeps
its ink inside the label, which cuts whatever lies outside it."""


class PanelFrame(QWidget):
    """A titled frame around one widget.

    The runway file's grid decides the panel's size, not its content: a panel never pushes the
    window off its screen (its content is designed to fit; tests check nothing clips).
    """

    def __init__(self, kind: str, title: str, content: QWidget) -> None:
        super().__init__()
        self.setObjectName(f"panel-{kind}")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.base_title = title
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        # Styled from the start: the first style sheet a label gets resets its font, later ones do not
        # (the wall sizes the title's font once; its colour changes with the data's age).
        self.title.setStyleSheet(CURRENT_TITLE)
        self.title.setVisible(bool(title))
        layout.addWidget(self.title)
        layout.addWidget(content, 1)
        self.content = content
        self._current = True
        self.wall_sizes: WallType | None = None
        self._as_of = ""
        self.note = ""
        """Something old the panel shows although the link is live (a layer kept on disk)."""

    def set_note(self, note: str) -> None:
        """Add (or, with "", remove) a note to the title, in grey: what the panel shows that is old."""
        if note != self.note:
            self.note = note
            self.set_current(self._current, self._as_of)

    def set_current(self, current: bool, as_of: str) -> None:
        """A panel whose data is not current says so in its title, in grey (never in live colours)."""
        if not self.base_title and not self.note:
            return
        self._current, self._as_of = current, as_of
        text = self.base_title if current or not as_of else f"{self.base_title} · {as_of}"
        if self.note:
            text = f"{text} · {self.note}" if text else self.note
        self.title.setVisible(bool(text))
        if text != self.title.text():
            self.title.setText(text)
        old = not current or bool(self.note)
        style = STALE_TITLE if old else CURRENT_TITLE
        if style != self.title.styleSheet():
            self.title.setStyleSheet(style)

    def wall_min_height(self, width: int) -> int:
        """The least height this panel needs at ``width`` to show its text whole at wall type
        (0 before it has wall type); the runway's grid hides a panel whose cell is lower."""
        if self.wall_sizes is None:
            return 0
        layout = self.layout()
        spacing = layout.spacing() if layout is not None else 0
        title = (
            self.title.heightForWidth(width) + spacing
            if self.title.isVisibleTo(self) and self.title.text()
            else 0
        )
        return title + self.content_min_height(width)

    def content_min_height(self, width: int) -> int:
        """The least height of the panel's content at wall type (panels override this)."""
        return 0

    def apply_wall_type(self, sizes: WallType) -> None:
        """Wall type: the title and the content's own text follow the view's (secondary) font;
        panels with key elements extend this. The title wraps rather than being cut."""
        self.wall_sizes = sizes
        self.title.setWordWrap(True)
        layout = self.layout()
        if layout is not None:
            layout.setSpacing(max(4, round(sizes.secondary_px * 0.2)))


class PaintedPanelView(PanelFrame):
    """A panel whose widget paints its own text at the wall's two sizes (widgets/painted.py)."""

    def __init__(self, kind: str, title: str, content: PaintedWidget) -> None:
        super().__init__(kind, title, content)
        self.painted = content

    def apply_wall_type(self, sizes: WallType) -> None:
        # Key text (values, the plate, the countdown) at the key size; names and captions secondary.
        super().apply_wall_type(sizes)
        self.painted.set_text_px(sizes.key_px, sizes.secondary_px)

    def content_min_height(self, width: int) -> int:
        margins = self.contentsMargins()
        return math.ceil(self.painted.least_height(width - margins.left() - margins.right()))

    def set_current(self, current: bool, as_of: str) -> None:
        super().set_current(current, as_of)
        setter = getattr(self.painted, "set_current", None)
        if setter is not None:
            setter(current)  # not current: the panel's content grey, never in live colours
