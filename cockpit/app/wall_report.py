"""Collects every visible text of the wall's windows for the self-check (``cockpit --wall-report``).

Widgets that paint their own text (the banner, tiles, map labels, the status line, the wall's event
list, the trend chart) say what they painted through ``text_items()`` (``widgets/text_report.py``);
labels and buttons are measured here from their font, text and room. Everything is put in window
coordinates and cut to what the window shows, then judged without Qt
(:mod:`cockpit.present.wall_check`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QWidget,
)

from cockpit.app.wall import Wall
from cockpit.present.wall_check import ScreenTexts, ScreenVerdict, dumps, judge, problems
from widgets.text_report import glyph_px, ink_box, laid_out, role_of, wrapped_ink_box
from widgets.values import TextItem, TextRole

log = logging.getLogger(__name__)

TOLERANCE_PX = 0.75


@runtime_checkable
class ReportsText(Protocol):
    """A widget that paints its own text and says what it painted at its last paint."""

    def text_items(self) -> list[TextItem]: ...


def _visible_rect(widget: QWidget, window: QWidget) -> QRectF:
    """The part of ``widget`` its ancestors leave visible, in window coordinates."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return QRectF(rect.intersected(window.rect()))


def _inside(box: QRectF, room: QRectF) -> bool:
    t = TOLERANCE_PX
    return (
        box.left() >= room.left() - t
        and box.top() >= room.top() - t
        and box.right() <= room.right() + t
        and box.bottom() <= room.bottom() + t
    )


def _plain(label: QLabel) -> str:
    text = label.text()
    fmt = label.textFormat()
    if fmt is Qt.TextFormat.RichText or (fmt is Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def label_item(label: QLabel) -> TextItem | None:
    """A label's text as painted: its ink box in the label, and whether its room cuts it."""
    text = _plain(label)
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    font = label.font()
    room = QRectF(label.contentsRect()).adjusted(
        label.margin(), label.margin(), -label.margin(), -label.margin()
    )
    flags = int(label.alignment())
    fm = QFontMetricsF(font)
    wrapped = "\n" in text or (label.wordWrap() and fm.horizontalAdvance(text) > room.width() + TOLERANCE_PX)
    if wrapped:
        flags |= int(Qt.TextFlag.TextWordWrap)
        box = fm.boundingRect(room, flags, text)
        # Qt breaks lines at spaces; a word longer than the room still overflows it.
        too_wide = any(fm.horizontalAdvance(word) > room.width() + TOLERANCE_PX for word in text.split())
        clipped = too_wide or box.height() > room.height() + TOLERANCE_PX
        box = wrapped_ink_box(font, room, flags, text)
        if not clipped:
            box = box.intersected(room)
    else:
        _line, baseline = laid_out(font, room, flags, text)
        box = ink_box(font, text, baseline)
        # Laid out in the label's contents; cut only by the label itself (its padding is room for
        # ink that leans out, an italic "p" one pixel left of its advance).
        clipped = not _inside(box, QRectF(label.rect()))
    return TextItem(
        text, role_of(label), box.x(), box.y(), box.width(), box.height(), glyph_px(font, text), "", clipped
    )


def button_item(button: QAbstractButton) -> TextItem | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text.strip():
        return None
    font = button.font()
    option = QStyleOptionButton()
    option.initFrom(button)
    room = QRectF(button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button))
    if room.isEmpty():
        room = QRectF(button.rect())
    if "\n" in text:  # lines one font height apart, the block centred: the first's ink top to the last's
        fm = QFontMetricsF(font)
        lines = text.split("\n")
        block = fm.boundingRect(room, int(Qt.AlignmentFlag.AlignCenter), text)
        first, last = fm.tightBoundingRect(lines[0]), fm.tightBoundingRect(lines[-1])
        top = block.top() + fm.ascent() + first.top()
        bottom = block.top() + (len(lines) - 1) * fm.lineSpacing() + fm.ascent() + last.bottom()
        width = max(fm.tightBoundingRect(line).width() for line in lines)
        box = QRectF(room.center().x() - width / 2, top, width, bottom - top)
        text = " ".join(lines)
    else:
        _line, baseline = laid_out(font, room, int(Qt.AlignmentFlag.AlignCenter), text)
        box = ink_box(font, text, baseline)
    clipped = not _inside(box, room)
    return TextItem(
        text, role_of(button), box.x(), box.y(), box.width(), box.height(), glyph_px(font, text), "", clipped
    )


def collect(window: QWidget, name: str, on_wall: bool, height: int | None = None) -> ScreenTexts:
    """Every visible text of ``window``, in its coordinates.

    Call after the window painted (``window.grab()`` paints it): painted widgets report their last
    paint.
    """
    items: list[TextItem] = []
    notes: list[str] = []
    reported: list[QWidget] = []
    widgets = [window, *window.findChildren(QWidget)]
    if on_wall:
        notes += left_out(widgets, window)
    for widget in widgets:
        if widget is not window and not widget.isVisibleTo(window):
            continue
        if any(r.isAncestorOf(widget) for r in reported):
            continue  # a widget that reports its own text speaks for its children too
        visible = _visible_rect(widget, window)
        if visible.isEmpty():
            continue
        origin = QPointF(widget.mapTo(window, QPoint(0, 0)))
        own: list[TextItem] = []
        if isinstance(widget, ReportsText):
            own = widget.text_items()
            reported.append(widget)
        elif isinstance(widget, QLabel):
            item = label_item(widget)
            own = [item] if item is not None else []
        elif isinstance(widget, QAbstractButton):
            item = button_item(widget)
            own = [item] if item is not None else []
        elif isinstance(widget, QAbstractItemView | QTabBar) and on_wall:
            notes.append(
                f"{widget.objectName() or type(widget).__name__}: a {type(widget).__name__} on a wall screen is not inspected"
            )
        elif (
            type(widget).__module__.startswith("pyqtgraph")
            and on_wall
            and type(widget).__name__ == "PlotWidget"
        ):
            notes.append(f"{widget.objectName() or 'a chart'}: pyqtgraph text is not inspected")
        for item in own:
            moved = item.moved(origin.x(), origin.y())
            box = QRectF(moved.x, moved.y, moved.w, moved.h)
            if not item.clipped and not _inside(box, visible):
                moved = TextItem(
                    moved.text,
                    moved.role,
                    moved.x,
                    moved.y,
                    moved.w,
                    moved.h,
                    moved.glyph_px,
                    moved.full,
                    True,
                )
            items.append(moved)
    return ScreenTexts(name, on_wall, window.width(), height or window.height(), items, notes)


def left_out(widgets: Sequence[QWidget], window: QWidget) -> list[str]:
    """What the runway file asks for that the screen does not show at its type size: panels that
    stepped aside and tiles left out. At the design's own scale a wall runway shows all of it."""
    from cockpit.app.panels.base import PaintedPanelView, PanelFrame
    from cockpit.app.panels.tiles import TilesPanelView

    out = []
    for widget in widgets:
        if not isinstance(widget, PanelFrame):
            continue
        parent = widget.parentWidget()
        name = widget.base_title or widget.objectName()
        if parent is not None and parent.isVisibleTo(window) and not widget.isVisibleTo(window):
            out.append(f"{name}: no room at this type size (not shown)")
        elif (
            isinstance(widget, TilesPanelView)
            and widget.isVisibleTo(window)
            and widget.shown < len(widget.tiles)
        ):
            out.append(
                f"{name}: shows {widget.shown} of its {len(widget.tiles)} tiles (no room for the rest)"
            )
        elif (
            isinstance(widget, PaintedPanelView)
            and widget.isVisibleTo(window)
            and widget.painted.left_out() > 0
            and len(widget.painted.painted()) <= 1
        ):  # nothing but "+4 more": the panel is too low for even one of its rows
            out.append(f"{name}: shows none of its rows, only how many there are")
    return out


def wall_texts(wall: Wall) -> list[ScreenTexts]:
    """What every window of the wall shows: each runway on a screen, then the console."""
    out: list[ScreenTexts] = []
    # The last frame's texts may have changed a label's size (the SLA badge, a title's age): let the
    # layouts settle first, as they do before the next paint on the wall.
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.processEvents()
    for rid in wall.assignment.on_screen:
        view: QWidget = wall.views.get(rid) or wall.refused[rid]
        window: QWidget = wall.windows.get(rid, view)
        window.grab()  # paints it: every painted widget's report is of this moment
        out.append(collect(window, rid, on_wall=True))
    wall.console.grab()
    out.append(collect(wall.console, "console", on_wall=False))
    return out


def write_report(path: Path, wall: Wall) -> list[ScreenVerdict]:
    """Judge every window and write the report to ``path`` (JSON); returns the verdicts."""
    verdicts = [judge(wall.layout, s) for s in wall_texts(wall)]
    path.write_text(dumps(wall.layout, verdicts), encoding="utf-8")
    for line in problems(verdicts):
        log.warning("wall report: %s", line)
    return verdicts


def summary(verdicts: Sequence[ScreenVerdict]) -> str:
    """One line per window: its texts, the smallest key and secondary glyphs, what is wrong."""
    lines = []
    for v in verdicts:
        s = v.screen
        key, sec = v.smallest_mm(TextRole.KEY), v.smallest_mm(TextRole.SECONDARY)
        sizes = ", ".join(
            f"{label} ≥ {mm:.0f} mm" for label, mm in (("key", key), ("secondary", sec)) if mm is not None
        )
        wrong = (
            f"{len(v.small)} too small, {len(v.elided)} elided, {len(v.clipped)} cut, "
            f"{len(v.overlapping)} overlapping, {len(v.detail)} desk-sized"
        )
        lines.append(f"{s.name}: {len(v.texts)} texts ({sizes}); " + ("ok" if v.ok else wrong))
    return "\n".join(lines)
