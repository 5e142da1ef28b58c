"""The frame every runway panel sits in: a title over one widget, sized by the runway's grid."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from widgets import theme
from widgets.painted import PaintedWidget

DETAIL_RATIO = 0.5
"""Details are half the key elements' height: 20 mm, legible from 4 m, when the keys read from 8 m."""


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
        self.title.setVisible(bool(title))
        layout.addWidget(self.title)
        layout.addWidget(content, 1)
        self.content = content
        self._current = True
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
        self.title.setStyleSheet(f"color: {theme.STALE}; font-style: italic;" if old else "")

    def apply_text_size(self, px: float) -> None:
        """Widgets follow the view's (detail) font; panels with key elements override this. ``px``
        is the key-element height for the reading distance."""


class PaintedPanelView(PanelFrame):
    """A panel whose widget paints its own text at the wall's two sizes (widgets/painted.py)."""

    def __init__(self, kind: str, title: str, content: PaintedWidget) -> None:
        super().__init__(kind, title, content)
        self.painted = content

    def apply_text_size(self, px: float) -> None:
        self.painted.set_text_px(px, max(8.0, round(px * DETAIL_RATIO)))

    def set_current(self, current: bool, as_of: str) -> None:
        super().set_current(current, as_of)
        setter = getattr(self.painted, "set_current", None)
        if setter is not None:
            setter(current)  # not current: the panel's content grey, never in live colours
