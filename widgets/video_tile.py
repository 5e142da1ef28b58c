"""A live camera tile: the newest frame, the camera's name, the frame's age, and the truth about it.

Plain values in: :meth:`VideoTileWidget.set_image` (a BGRA numpy array, drawn without a copy),
:meth:`~VideoTileWidget.set_caption`, :meth:`~VideoTileWidget.set_status` with a :class:`TileLook`.
Signals out: the tile's size and whether it is on a screen, so its owner decodes the right stream at
the right size, and nothing for tiles nobody sees; and a click.

A tile that is not live never looks live: NO SIGNAL and FROZEN dim the last picture under a
banner with its age; an unreachable camera says why; a replay says the video was not recorded.

Translation context: ``VideoTileWidget`` (texts come from the owner, already translated).
"""

from __future__ import annotations

import enum

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHideEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.text_report import TextLog
from widgets.values import TextItem, TextRole


class TileLook(enum.Enum):
    """What a tile shows over (or instead of) its picture."""

    EMPTY = "empty"
    """No camera on this slot."""
    CONNECTING = "connecting"
    LIVE = "live"
    NO_SIGNAL = "no_signal"
    FROZEN = "frozen"
    UNREACHABLE = "unreachable"
    NOT_RECORDED = "not_recorded"
    """A replay: the slot's camera is known, its video was not recorded."""


_BANNER = {
    TileLook.NO_SIGNAL: theme.ALARM,
    TileLook.FROZEN: theme.WARNING,
    TileLook.UNREACHABLE: theme.ALARM,
    TileLook.NOT_RECORDED: theme.STALE,
    TileLook.CONNECTING: theme.TEXT_DIM,
    TileLook.EMPTY: theme.TEXT_DISABLED,
}


_WRAP_CENTRE = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
_WRAP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)


class VideoTileWidget(QWidget):
    """One camera tile.

    Signals:
        resized(int, int): The tile's drawable size changed (decode at this size).
        visibility_changed(bool): The tile went on or off a screen (decode only while on).
        clicked(): The officer clicked the tile.
    """

    resized = Signal(int, int)
    visibility_changed = Signal(bool)
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self._image: QImage | None = None
        self._array: np.ndarray | None = None  # keeps the pixels alive while the QImage wraps them
        self._caption = ""
        self._look = TileLook.EMPTY
        self._headline = ""
        self._detail = ""
        self._age = ""
        self._painted = 0
        self._key_px = 0
        self._sec_px = 0
        self._log = TextLog()
        self._caption_shown = True

    # ------------------------------------------------------------------------------ values in

    def set_image(self, image: np.ndarray | None) -> None:
        """Show ``image`` (height × width × 4, uint8, BGRA, C-contiguous rows); None clears it.

        The array is drawn as it is, not copied: its owner must not change it until the next call.
        """
        if image is None:
            self._image = self._array = None
        else:
            h, w = image.shape[:2]
            self._array = image
            self._image = QImage(image.data, w, h, image.strides[0], QImage.Format.Format_RGB32)
        self.update()

    def set_caption(self, caption: str) -> None:
        """The camera's name, shown at the bottom left."""
        if caption != self._caption:
            self._caption = caption
            self.setToolTip(caption)
            self.update()

    def set_status(self, look: TileLook, headline: str = "", detail: str = "", age: str = "") -> None:
        """What the tile says about its picture.

        Args:
            look: Live, no signal, frozen, …
            headline: The banner's words (e.g. ``NO SIGNAL``); empty for a live tile.
            detail: A second line: why a camera is unreachable, how long it has been frozen.
            age: The age of the frame shown (e.g. ``0.1 s``), at the bottom right.
        """
        if (look, headline, detail, age) != (self._look, self._headline, self._detail, self._age):
            self._look, self._headline, self._detail, self._age = look, headline, detail, age
            self.update()

    def set_type_sizes(self, key_px: int, secondary_px: int) -> None:
        """Wall type (font pixel sizes): the banner's headline (a state word, bold), its detail, the
        caption and the age in ``secondary_px``; they wrap rather than being cut, and a tile too low
        for the headline and the caption shows the headline. ``key_px`` is kept for a later key
        element. 0, 0: sizes from the tile (a desk)."""
        if (key_px, secondary_px) != (self._key_px, self._sec_px):
            self._key_px, self._sec_px = max(0, key_px), max(0, secondary_px)
            self.update()

    def text_items(self) -> list[TextItem]:
        """What the last paint drew (the wall's self-check, ``cockpit --wall-report``)."""
        return list(self._log.items)

    # ------------------------------------------------------------------------------ read back

    @property
    def look(self) -> TileLook:
        return self._look

    @property
    def caption(self) -> str:
        return self._caption

    @property
    def headline(self) -> str:
        return self._headline

    @property
    def detail(self) -> str:
        return self._detail

    @property
    def age_text(self) -> str:
        return self._age

    @property
    def has_image(self) -> bool:
        return self._image is not None

    @property
    def paints(self) -> int:
        """How many times the tile was painted (for the benchmark)."""
        return self._painted

    def on_screen(self) -> bool:
        """Whether any part of the tile can be seen now."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    # ------------------------------------------------------------------------------ Qt events

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit(event.size().width(), event.size().height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.visibility_changed.emit(True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.visibility_changed.emit(False)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._painted += 1
        self._log.clear()
        p = QPainter(self)
        r = self.rect()
        p.fillRect(r, QColor("#000000"))
        img = self._image
        if img is not None:
            if img.width() == r.width() or img.height() == r.height():
                p.drawImage((r.width() - img.width()) // 2, (r.height() - img.height()) // 2, img)
            else:
                size = img.size().scaled(r.size(), Qt.AspectRatioMode.KeepAspectRatio)
                target = QRect(
                    (r.width() - size.width()) // 2,
                    (r.height() - size.height()) // 2,
                    size.width(),
                    size.height(),
                )
                p.drawImage(target, img)
        self._caption_shown = True
        if self._look is not TileLook.LIVE:
            self._paint_banner(p, r, img is not None)
        if self._caption_shown:
            self._paint_caption(p, r)
        p.end()

    def _paint_banner(self, p: QPainter, r: QRect, dim: bool) -> None:
        if dim:
            p.fillRect(r, QColor(0, 0, 0, 150))  # the old picture stays visible, plainly not live
        colour = QColor(_BANNER.get(self._look, theme.TEXT_DIM))
        big = QFont(self.font())
        big.setBold(True)
        # On a wall the headline is a state word, like a tile's "STALE": secondary type, in bold.
        big.setPixelSize(self._sec_px or max(12, min(r.height() // 7, r.width() // 12)))
        p.setFont(big)
        band = QRect(r.left(), r.center().y() - big.pixelSize(), r.width(), big.pixelSize() * 2)
        detail_rect: QRectF | None = None
        if self._key_px:  # wall type: the headline and the detail above the caption, never under it
            above = QRectF(r.adjusted(8, 4, -8, 0))
            head_h = QFontMetricsF(big).boundingRect(above, _WRAP_CENTRE, self._headline).height()
            # The caption only where the headline leaves it room: what is wrong comes first.
            self._caption_shown = head_h + self._caption_height(r) + 8 <= r.height()
            if self._caption_shown:
                above.setBottom(r.bottom() - self._caption_height(r) - 4)
            small = QFont(self.font())
            small.setPixelSize(self._sec_px)
            detail_h = (
                QFontMetricsF(small).boundingRect(QRectF(above), _WRAP_CENTRE, self._detail).height()
                if self._detail
                else 0.0
            )
            if head_h + detail_h > above.height():
                detail_h = 0.0  # the why is at the console; the tile says what is wrong
            top = above.top() + max(0.0, (above.height() - head_h - detail_h) / 2)
            band = QRectF(above.left(), top, above.width(), head_h).toAlignedRect()
            if detail_h:
                detail_rect = QRectF(above.left(), top + head_h, above.width(), detail_h)
        if self._look in (TileLook.NO_SIGNAL, TileLook.FROZEN, TileLook.UNREACHABLE):
            frame = QColor(colour)
            p.setPen(frame)
            p.drawRect(r.adjusted(1, 1, -2, -2))
            p.drawRect(r.adjusted(2, 2, -3, -3))  # a border too: colour is never the only signal
        p.setPen(colour)
        self._log.draw(
            p,
            QRectF(band),
            _WRAP_CENTRE if self._key_px else int(Qt.AlignmentFlag.AlignCenter),
            self._headline,
            TextRole.SECONDARY,
        )
        if self._key_px:
            if detail_rect is not None:
                small = QFont(self.font())
                small.setPixelSize(self._sec_px)
                p.setFont(small)
                p.setPen(QColor(theme.TEXT))
                self._log.draw(p, detail_rect, _WRAP_CENTRE, self._detail, TextRole.SECONDARY)
        elif self._detail:
            small = QFont(self.font())
            small.setPixelSize(max(10, big.pixelSize() // 2))
            p.setFont(small)
            p.setPen(QColor(theme.TEXT))
            below = QRect(r.left() + 8, band.bottom(), r.width() - 16, small.pixelSize() * 3)
            p.drawText(
                below,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                self._detail,
            )

    def _caption_height(self, r: QRect) -> float:
        """The caption bar's height in wall type (the camera's name wrapped, the age beside it or
        on a line of its own); 0 without a caption."""
        if not self._caption and not self._age:
            return 0.0
        f = QFont(self.font())
        f.setPixelSize(self._sec_px)
        fm = QFontMetricsF(f)
        width = r.width() - 16
        age_w = fm.horizontalAdvance(self._age) + fm.averageCharWidth() if self._age else 0.0
        lines = fm.boundingRect(QRectF(0, 0, width, 1e6), _WRAP_LEFT, self._caption).height()
        beside = fm.horizontalAdvance(self._caption) + age_w <= width
        return (lines if beside or not self._age else lines + fm.height()) + f.pixelSize() * 0.4

    def _paint_caption(self, p: QPainter, r: QRect) -> None:
        if not self._caption and not self._age:
            return
        f = QFont(self.font())
        f.setPixelSize(self._sec_px or max(11, min(22, r.height() // 14)))
        p.setFont(f)
        fm = QFontMetricsF(f)
        h = int(f.pixelSize() * 1.6)
        left = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        if self._sec_px:  # wall type: the name wraps, and the age takes a line of its own if need be
            width = r.width() - 16
            age_w = fm.horizontalAdvance(self._age) + fm.averageCharWidth() if self._age else 0.0
            lines = fm.boundingRect(QRectF(0, 0, width, 1e6), _WRAP_LEFT, self._caption).height()
            beside = fm.horizontalAdvance(self._caption) + age_w <= width
            h = int((lines if beside or not self._age else lines + fm.height()) + f.pixelSize() * 0.4)
            left = _WRAP_LEFT | int(Qt.AlignmentFlag.AlignBottom)
        bar = QRect(r.left(), r.bottom() - h + 1, r.width(), h)
        p.fillRect(bar, QColor(0, 0, 0, 170))
        p.setPen(QColor(theme.TEXT))
        inner = bar.adjusted(8, 0, -8, 0)
        if self._sec_px and self._age and not beside:
            inner.setBottom(int(inner.bottom() - fm.height()))
        self._log.draw(p, QRectF(inner), left, self._caption, TextRole.SECONDARY)
        if self._age:
            p.setPen(
                QColor(theme.TEXT if self._look is TileLook.LIVE else _BANNER.get(self._look, theme.TEXT_DIM))
            )
            room = QRectF(bar.adjusted(8, 0, -8, 0))
            self._log.draw(
                p,
                room,
                int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight)
                if self._sec_px
                else int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                self._age,
                TextRole.SECONDARY,
            )
