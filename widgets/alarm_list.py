"""Alarm list for the wall: ISA-18.2 style alarm states, each with its own look.

An alarm carries independent flags (active or cleared, acknowledged or not, shelved, suppressed,
out of service); ``display_of`` derives the one ``AlarmDisplay`` a row is drawn with:

=================  ============================================  ================================
Display            When (first match wins)                       Look
=================  ============================================  ================================
OUT_OF_SERVICE     ``out_of_service``                            grey row, muted icon, text
SUPPRESSED         ``suppressed``                                grey row, muted icon, text
SHELVED            ``shelved``                                   grey row, muted icon, text
UNACKED_ACTIVE     active, not acknowledged                      flashes in the severity colour
ACKED_ACTIVE       active, acknowledged                          steady severity tint
UNACKED_CLEARED    cleared (returned to normal), not ack'd       hollow icon, dashed outline, "RTN"
ACKED_CLEARED      cleared, acknowledged                         dim text (the caller may remove it)
=================  ============================================  ================================

Every row shows its level as icon shape + numeral + name and its state as text, so nothing relies
on colour or motion alone. Shelved, suppressed and out-of-service alarms stay listed and counted in
the summary line: nothing disappears silently.

Translation context: ``AlarmListView``.
"""

from __future__ import annotations

import enum
import itertools
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from widgets import theme
from widgets._table import AckTableView, fill_column, runs
from widgets.errors import DuplicateAlarmIdError
from widgets.severity import (
    paint_severity_icon,
    severity_color,
    severity_name,
    severity_shape,
    severity_text_color,
)
from widgets.text_report import TextLog
from widgets.values import AlarmDisplay as AlarmDisplay
from widgets.values import AlarmRow as AlarmRow
from widgets.values import Severity, TextRole

ACK_SETTLE_MS = 500
"""A click on Acknowledge within this long of its target changing by itself (a new alarm on top
while nobody chose) does nothing: it was aimed at what the button said before."""
"""A click on the one-click acknowledge button this soon after it changed does nothing."""
FLASH_INTERVAL_MS = 500
"""Length of one flash phase: 1 flash per second, well under the 3 Hz limit (WCAG 2.3.1)."""

BG_OUT_OF_SERVICE = "#3b3f44"
"""Grey row background of shelved, suppressed and out-of-service alarms (distinct from the
alternating row greys; ``theme.TEXT_DIM`` on it is about 4.6:1)."""

_ACKED_TINT = 0.30
"""How much severity colour an acknowledged active row's background gets (0..1)."""

_MAX_DIFF_BLOCKS = 64
"""Above this many separate insert/remove blocks a model reset is cheaper for the view."""


GREY_DISPLAYS = frozenset({AlarmDisplay.SHELVED, AlarmDisplay.SUPPRESSED, AlarmDisplay.OUT_OF_SERVICE})
"""Displays drawn grey: the alarm is deliberately out of the operator's attention."""


def display_of(row: AlarmRow) -> AlarmDisplay:
    """How ``row`` is drawn: what its owner says (the cockpit's model decides it, ISA-18.2)."""
    return row.display


def display_text(display: AlarmDisplay) -> str:
    """Return the translated state text shown in a row's State column."""
    # Literal strings so that lupdate finds them.
    if display is AlarmDisplay.UNACKED_ACTIVE:
        return QCoreApplication.translate("AlarmListView", "UNACKNOWLEDGED")
    if display is AlarmDisplay.ACKED_ACTIVE:
        return QCoreApplication.translate("AlarmListView", "Acknowledged")
    if display is AlarmDisplay.UNACKED_CLEARED:
        return QCoreApplication.translate("AlarmListView", "RTN – unacknowledged")
    if display is AlarmDisplay.ACKED_CLEARED:
        return QCoreApplication.translate("AlarmListView", "Cleared")
    if display is AlarmDisplay.SHELVED:
        return QCoreApplication.translate("AlarmListView", "Shelved")
    if display is AlarmDisplay.SUPPRESSED:
        return QCoreApplication.translate("AlarmListView", "Suppressed")
    return QCoreApplication.translate("AlarmListView", "Out of service")


def state_text(row: AlarmRow, display: AlarmDisplay) -> str:
    """The State column: the display state in words; a shelved alarm says when its shelf ends
    (``row.note``, "shelved until 15:30"), so nobody has to open it to know when it comes back."""
    if display is AlarmDisplay.SHELVED and row.note:
        return row.note[:1].upper() + row.note[1:]
    return display_text(display)


def _summary_part(display: AlarmDisplay, n: int) -> str:
    if display is AlarmDisplay.UNACKED_ACTIVE:
        return QCoreApplication.translate("AlarmListView", "{n} unacknowledged").format(n=n)
    if display is AlarmDisplay.UNACKED_CLEARED:
        return QCoreApplication.translate("AlarmListView", "{n} returned to normal, unacknowledged").format(
            n=n
        )
    if display is AlarmDisplay.ACKED_ACTIVE:
        return QCoreApplication.translate("AlarmListView", "{n} acknowledged").format(n=n)
    if display is AlarmDisplay.ACKED_CLEARED:
        return QCoreApplication.translate("AlarmListView", "{n} cleared").format(n=n)
    if display is AlarmDisplay.SHELVED:
        return QCoreApplication.translate("AlarmListView", "{n} shelved").format(n=n)
    if display is AlarmDisplay.SUPPRESSED:
        return QCoreApplication.translate("AlarmListView", "{n} suppressed").format(n=n)
    return QCoreApplication.translate("AlarmListView", "{n} out of service").format(n=n)


_SUMMARY_ORDER = (
    AlarmDisplay.UNACKED_ACTIVE,
    AlarmDisplay.UNACKED_CLEARED,
    AlarmDisplay.ACKED_ACTIVE,
    AlarmDisplay.ACKED_CLEARED,
    AlarmDisplay.SHELVED,
    AlarmDisplay.SUPPRESSED,
    AlarmDisplay.OUT_OF_SERVICE,
)


def summary_of(counts: dict[AlarmDisplay, int]) -> str:
    """Return the summary line for ``counts``, e.g. ``"6 alarms: 3 unacknowledged · 1 shelved"``.

    Every non-zero state is named, so a shelved or suppressed alarm is never silently absent.
    """
    total = sum(counts.values())
    if total == 0:
        return QCoreApplication.translate("AlarmListView", "No alarms")
    # No-break spaces inside a part: a wrapped summary breaks only between parts.
    parts = [_summary_part(d, counts[d]).replace(" ", "\u00a0") for d in _SUMMARY_ORDER if counts.get(d, 0)]
    head = (
        QCoreApplication.translate("AlarmListView", "1 alarm:")
        if total == 1
        else QCoreApplication.translate("AlarmListView", "{n} alarms:").format(n=total)
    )
    return head + " " + " · ".join(parts)


class AlarmColumn(enum.IntEnum):
    """Columns of the list, left to right."""

    SEVERITY = 0
    TIME = 1
    SOURCE = 2
    MESSAGE = 3
    STATE = 4
    ACKED_BY = 5


def _header_text(column: AlarmColumn) -> str:
    if column is AlarmColumn.SEVERITY:
        return QCoreApplication.translate("AlarmListView", "Level")
    if column is AlarmColumn.TIME:
        return QCoreApplication.translate("AlarmListView", "Time")
    if column is AlarmColumn.SOURCE:
        return QCoreApplication.translate("AlarmListView", "Source")
    if column is AlarmColumn.MESSAGE:
        return QCoreApplication.translate("AlarmListView", "Alarm")
    if column is AlarmColumn.STATE:
        return QCoreApplication.translate("AlarmListView", "State")
    return QCoreApplication.translate("AlarmListView", "Ack by")


def _flags_text(row: AlarmRow) -> str:
    """Return the underlying flags in words (tooltip, row panel): nothing hidden by precedence."""
    parts = [
        QCoreApplication.translate("AlarmListView", "active")
        if row.active
        else QCoreApplication.translate("AlarmListView", "returned to normal"),
        QCoreApplication.translate("AlarmListView", "acknowledged by {who}").format(who=row.acked_by)
        if row.acknowledged and row.acked_by
        else QCoreApplication.translate("AlarmListView", "acknowledged")
        if row.acknowledged
        else QCoreApplication.translate("AlarmListView", "unacknowledged"),
    ]
    if row.shelved:
        parts.append(QCoreApplication.translate("AlarmListView", "shelved"))
    if row.suppressed:
        parts.append(QCoreApplication.translate("AlarmListView", "suppressed"))
    if row.out_of_service:
        parts.append(QCoreApplication.translate("AlarmListView", "out of service"))
    parts.append(QCoreApplication.translate("AlarmListView", "occurrence {n}").format(n=row.occurrence))
    # The list separator is the language's own (Chinese uses "、" or "，", not ", ").
    return QCoreApplication.translate("AlarmListView", ", ").join(parts)


def _blend(top: QColor, bottom: QColor, alpha: float) -> QColor:
    return QColor(
        round(top.red() * alpha + bottom.red() * (1 - alpha)),
        round(top.green() * alpha + bottom.green() * (1 - alpha)),
        round(top.blue() * alpha + bottom.blue() * (1 - alpha)),
    )


class _AlarmTableModel(QAbstractTableModel):
    """Table model over a list of ``AlarmRow``; updates by diffing on ids."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AlarmRow] = []
        self._displays: list[AlarmDisplay] = []
        self._index_of: dict[str, int] = {}
        self._flash_lit = False
        self._flash_span: tuple[int, int] | None = None

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AlarmColumn)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        r = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display_text(r, AlarmColumn(index.column()))
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(r)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(r)
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self._rows[r]
            return f"{row.source}: {row.message} ({_flags_text(row)})"
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header_text(AlarmColumn(section))
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- our interface ------------------------------------------------------------------------

    def _display_text(self, r: int, column: AlarmColumn) -> str:
        row = self._rows[r]
        if column is AlarmColumn.SEVERITY:
            return severity_name(row.severity)
        if column is AlarmColumn.TIME:
            return row.time_text
        if column is AlarmColumn.SOURCE:
            return row.source
        if column is AlarmColumn.MESSAGE:
            return row.message
        if column is AlarmColumn.STATE:
            return state_text(row, self._displays[r])
        return row.acked_by if row.acknowledged else ""

    def text_at(self, r: int, column: AlarmColumn) -> str:
        """The text row ``r`` shows in ``column``."""
        return self._display_text(r, column)

    def row_at(self, r: int) -> AlarmRow:
        return self._rows[r]

    def display_at(self, r: int) -> AlarmDisplay:
        return self._displays[r]

    def row_of(self, alarm_id: str) -> int | None:
        return self._index_of.get(alarm_id)

    def counts(self) -> dict[AlarmDisplay, int]:
        return dict(Counter(self._displays))

    def is_lit(self, r: int) -> bool:
        """Whether row ``r`` currently shows its full severity colour."""
        return self._flash_lit and self._displays[r] is AlarmDisplay.UNACKED_ACTIVE

    def background(self, r: int) -> QColor:
        display = self._displays[r]
        severity = self._rows[r].severity
        plain = QColor(theme.BG_ROW_ALT if r % 2 else theme.BG_PANEL)
        if display is AlarmDisplay.UNACKED_ACTIVE:
            return severity_color(severity) if self._flash_lit else plain
        if display is AlarmDisplay.ACKED_ACTIVE:
            return _blend(severity_color(severity), QColor(theme.BG_PANEL), _ACKED_TINT)
        if display in GREY_DISPLAYS:
            return QColor(BG_OUT_OF_SERVICE)
        # Cleared rows: plain background; UNACKED_CLEARED adds a dashed outline in the delegate.
        return plain

    def foreground(self, r: int) -> QColor:
        display = self._displays[r]
        if self.is_lit(r):
            return severity_text_color(self._rows[r].severity)
        if display is AlarmDisplay.ACKED_CLEARED or display in GREY_DISPLAYS:
            return QColor(theme.TEXT_DIM)
        return QColor(theme.TEXT)

    @property
    def flash_lit(self) -> bool:
        return self._flash_lit

    def has_flashing(self) -> bool:
        return self._flash_span is not None

    def set_flash_lit(self, lit: bool) -> None:
        if lit == self._flash_lit:
            return
        self._flash_lit = lit
        if self._flash_span is not None:
            first, last = self._flash_span
            self.dataChanged.emit(
                self.index(first, 0),
                self.index(last, len(AlarmColumn) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    def set_rows(self, rows: Sequence[AlarmRow]) -> None:
        """Replace the rows, emitting the smallest practical set of model change signals.

        Raises:
            DuplicateAlarmIdError: Two rows share an id; the model is left unchanged.
        """
        new_rows = list(rows)
        new_index_of = {row.id: i for i, row in enumerate(new_rows)}
        if len(new_index_of) != len(new_rows):
            counts = Counter(row.id for row in new_rows)
            dups = sorted(alarm_id for alarm_id, n in counts.items() if n > 1)
            raise DuplicateAlarmIdError(f"duplicate alarm ids: {dups!r}")

        if not self._apply_diff(new_rows, new_index_of):
            self.beginResetModel()
            self._rows = new_rows
            self._displays = [display_of(row) for row in new_rows]
            self._index_of = new_index_of
            self.endResetModel()
        flashing = [i for i, d in enumerate(self._displays) if d is AlarmDisplay.UNACKED_ACTIVE]
        self._flash_span = (flashing[0], flashing[-1]) if flashing else None

    def _apply_diff(self, new_rows: list[AlarmRow], new_index_of: dict[str, int]) -> bool:
        old_rows = self._rows
        removed = [i for i, row in enumerate(old_rows) if row.id not in new_index_of]
        survivors_new_pos = [new_index_of[row.id] for row in old_rows if row.id in new_index_of]
        if any(b <= a for a, b in itertools.pairwise(survivors_new_pos)):
            return False  # reordered
        inserted = [i for i, row in enumerate(new_rows) if row.id not in self._index_of]
        remove_runs = list(runs(removed))
        insert_runs = list(runs(inserted))
        if len(remove_runs) + len(insert_runs) > _MAX_DIFF_BLOCKS:
            return False
        if (removed or inserted) and len(removed) == len(old_rows):
            return False  # nothing survives: a reset is simpler and as cheap

        root = QModelIndex()
        for first, last in reversed(remove_runs):
            self.beginRemoveRows(root, first, last)
            del self._rows[first : last + 1]
            del self._displays[first : last + 1]
            self.endRemoveRows()
        for first, last in insert_runs:
            self.beginInsertRows(root, first, last)
            self._rows[first:first] = new_rows[first : last + 1]
            self._displays[first:first] = [display_of(row) for row in new_rows[first : last + 1]]
            self.endInsertRows()
        # Ids now match new_rows position by position; report changed contents.
        changed = [i for i, (a, b) in enumerate(zip(self._rows, new_rows, strict=True)) if a != b]
        self._rows = new_rows
        self._displays = [display_of(row) for row in new_rows]
        self._index_of = new_index_of
        last_col = len(AlarmColumn) - 1
        for first, last in runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_col))
        return True


def paint_state_glyph(painter: QPainter, rect: QRectF, display: AlarmDisplay, colour: QColor) -> bool:
    """Paint the small glyph of a grey display state (shelf, suppressed, out of service).

    Args:
        painter: An active painter; its state is saved and restored.
        rect: Where to paint; the glyph uses the largest centred square.
        display: The state; only the grey states have a glyph.
        colour: Line colour.

    Returns:
        True if a glyph was painted.
    """
    if display not in GREY_DISPLAYS:
        return False
    side = min(rect.width(), rect.height())
    sq = QRectF(0.0, 0.0, side, side)
    sq.moveCenter(rect.center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(colour, max(1.5, side / 9))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if display is AlarmDisplay.SHELVED:
        # A box standing on a shelf board.
        y = sq.top() + side * 0.78
        painter.drawLine(QPointF(sq.left(), y), QPointF(sq.right(), y))
        painter.drawLine(QPointF(sq.left() + side * 0.1, y), QPointF(sq.left() + side * 0.1, sq.bottom()))
        painter.drawLine(QPointF(sq.right() - side * 0.1, y), QPointF(sq.right() - side * 0.1, sq.bottom()))
        painter.drawRect(QRectF(sq.left() + side * 0.25, sq.top() + side * 0.3, side * 0.5, side * 0.42))
    elif display is AlarmDisplay.SUPPRESSED:
        # A bell-less "muted" sign: circle with a diagonal bar.
        inner = sq.adjusted(side * 0.1, side * 0.1, -side * 0.1, -side * 0.1)
        painter.drawEllipse(inner)
        painter.drawLine(
            inner.bottomLeft() + QPointF(side * 0.12, -side * 0.12),
            inner.topRight() + QPointF(-side * 0.12, side * 0.12),
        )
    else:
        # Out of service: a plug-like square with a cross.
        inner = sq.adjusted(side * 0.12, side * 0.12, -side * 0.12, -side * 0.12)
        painter.drawRect(inner)
        painter.drawLine(inner.topLeft(), inner.bottomRight())
        painter.drawLine(inner.bottomLeft(), inner.topRight())
    painter.restore()
    return True


def paint_hollow_severity_icon(painter: QPainter, rect: QRectF, severity: Severity, log: TextLog | None = None) -> None:
    """Paint ``severity``'s shape as an outline in its colour, numeral in its colour (RTN look);
    ``log`` notes the numeral (the wall's self-check)."""
    side = min(rect.width(), rect.height())
    if side <= 0:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    colour = severity_color(severity)
    lw = max(1.5, side / 8)
    inset = lw / 2
    path = severity_shape(severity, rect.adjusted(inset, inset, -inset, -inset))
    painter.setPen(QPen(colour, lw))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    sq = QRectF(0.0, 0.0, side, side)
    sq.moveCenter(rect.center())
    text_rect = QRectF(sq)
    size_factor = 0.55
    if severity is Severity.RED:
        # Keep the numeral clear of the thick base line.
        text_rect = QRectF(sq.left(), sq.top() + side * 0.3, side, side * 0.5)
        size_factor = 0.5
    elif severity is Severity.ORANGE:
        size_factor = 0.45
    font = QFont(painter.font())
    font.setWeight(QFont.Weight.Black)
    font.setPixelSize(max(1, round(side * size_factor)))
    painter.setFont(font)
    if log is not None:
        log.draw(painter, text_rect, int(Qt.AlignmentFlag.AlignCenter), str(int(severity)), TextRole.SECONDARY)
    else:
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, str(int(severity)))
    painter.restore()


_PLAIN_BACKGROUND = frozenset(
    {AlarmDisplay.UNACKED_ACTIVE, AlarmDisplay.UNACKED_CLEARED, AlarmDisplay.ACKED_CLEARED}
)


class _AlarmRowDelegate(QStyledItemDelegate):
    """Paints a whole cell: background, severity icon (filled/hollow/muted), glyph, text."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        model = cast(_AlarmTableModel, index.model())
        r = index.row()
        row = model.row_at(r)
        display = model.display_at(r)
        rect = QRect(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lit = model.is_lit(r)
        bg = model.background(r)
        if selected and not lit and display in _PLAIN_BACKGROUND:
            # Tinted and grey rows keep their background; the outline below marks the selection.
            bg = QColor(theme.BG_SELECTED)
        painter.save()
        painter.fillRect(rect, bg)

        column = AlarmColumn(index.column())
        font = QFont(option.font)
        unacked = display in (AlarmDisplay.UNACKED_ACTIVE, AlarmDisplay.UNACKED_CLEARED)
        if unacked and column in (AlarmColumn.MESSAGE, AlarmColumn.STATE, AlarmColumn.SEVERITY):
            font.setBold(True)
        if display is AlarmDisplay.UNACKED_CLEARED and column is AlarmColumn.STATE:
            font.setItalic(True)
        painter.setFont(font)
        fm = QFontMetrics(font)
        pad = max(4, fm.height() // 3)
        text_rect = rect.adjusted(pad, 0, -pad, 0)
        icon_side = round(rect.height() * 0.72)
        icon = QRectF(rect.left() + pad, rect.top() + (rect.height() - icon_side) / 2, icon_side, icon_side)

        if column is AlarmColumn.SEVERITY:
            if display is AlarmDisplay.UNACKED_CLEARED:
                paint_hollow_severity_icon(painter, icon, row.severity)
            else:
                if display in GREY_DISPLAYS or display is AlarmDisplay.ACKED_CLEARED:
                    painter.setOpacity(0.6)
                paint_severity_icon(painter, icon, row.severity)
                painter.setOpacity(1.0)
            text_rect.setLeft(round(icon.right()) + pad)
        elif column is AlarmColumn.STATE and paint_state_glyph(painter, icon, display, model.foreground(r)):
            text_rect.setLeft(round(icon.right()) + pad)

        painter.setPen(model.foreground(r))
        text = str(model.data(index, Qt.ItemDataRole.DisplayRole))
        elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, text_rect.width()))
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided)

        lw = max(2, fm.height() // 8)
        if display is AlarmDisplay.UNACKED_ACTIVE and column is AlarmColumn.SEVERITY:
            # Solid bar in the severity colour, visible in the dark flash phase too.
            painter.fillRect(
                QRect(rect.left(), rect.top(), lw * 3, rect.height()), severity_color(row.severity)
            )
        if display is AlarmDisplay.UNACKED_CLEARED:
            # Dashed outline in the severity colour: "needs you, but the condition is gone".
            pen = QPen(severity_color(row.severity), lw, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            half = lw / 2
            top = rect.top() + half
            bottom = rect.bottom() + 1 - half
            painter.drawLine(QPointF(rect.left(), top), QPointF(rect.right() + 1, top))
            painter.drawLine(QPointF(rect.left(), bottom), QPointF(rect.right() + 1, bottom))
            if column is AlarmColumn.SEVERITY:
                painter.drawLine(QPointF(rect.left() + half, top), QPointF(rect.left() + half, bottom))
            if column == len(AlarmColumn) - 1:
                painter.drawLine(
                    QPointF(rect.right() + 1 - half, top), QPointF(rect.right() + 1 - half, bottom)
                )
        if selected:
            # Outline instead of fill so a selected row still visibly flashes.
            outline = QColor(theme.SELECTION_OUTLINE)
            painter.fillRect(QRect(rect.left(), rect.top(), rect.width(), lw), outline)
            painter.fillRect(QRect(rect.left(), rect.bottom() - lw + 1, rect.width(), lw), outline)
            if column is AlarmColumn.SEVERITY:
                painter.fillRect(QRect(rect.left(), rect.top(), lw * 2, rect.height()), outline)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(fm.horizontalAdvance(str(index.data())) + fm.height(), round(fm.height() * 1.7))


class AlarmListView(QWidget):
    """Alarm list with a summary line on top and an action panel for the selected alarm below.

    Only ``UNACKED_ACTIVE`` rows flash, driven by one shared timer that runs only while such
    rows exist (or by the caller through ``set_flash_phase`` after ``set_external_flash(True)``,
    so that several views flash in step). See the module docstring for every state's look.

    The view does not know the operator and does not change rows by itself: it emits the
    operator's intent and the owner records who acknowledged, then calls ``set_rows``.

    Signals:
        selection_changed(str): The selected alarm id changed (by the user, by ``select_alarm``
            or because ``set_rows`` removed it); ``""`` when nothing is selected.
        row_clicked(str): The user clicked this alarm's row (even the one already selected: a
            click is a choice).
        acknowledge_requested(str, int): The user asked to acknowledge an unacknowledged alarm:
            its id and the occurrence shown when they asked (double-click, Space, Ack button).
            The owner should ignore the request if the alarm has fired again since.
        shelve_requested(str): The user asked to shelve this (not yet shelved) alarm.
    """

    selection_changed = Signal(str)
    row_clicked = Signal(str)
    acknowledge_requested = Signal(str, int)
    shelve_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = _AlarmTableModel(self)
        self._not_current = ""  # set_not_current
        self._ack_why_not = ""  # set_permissions
        self._floors: dict[AlarmColumn, int] = {}  # _apply_metrics: the least widths of fitted columns
        self._shelve_why_not = ""

        self._summary = QLabel(self)
        self._summary.setObjectName("alarmSummary")
        self._summary.setTextFormat(Qt.TextFormat.PlainText)
        self._summary.setWordWrap(True)

        self._table = AckTableView(
            lambda: self._not_current or QCoreApplication.translate("AlarmListView", "No alarms"), self
        )
        self._table.setObjectName("alarmTable")
        self._table.setModel(self._model)
        self._table.setItemDelegate(_AlarmRowDelegate(self._table))
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setShowGrid(False)
        self._table.setWordWrap(False)
        self._table.setCornerButtonEnabled(False)
        self._table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._table.verticalHeader().hide()
        self._table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self._table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The alarm's text takes the room the other columns leave, never less than its widest text
        # (fill_column, kept by _fit_columns on new rows and when the viewport resizes).
        self._message_need = 0

        # The selected row's panel: what is selected, in words, and the two actions. There is one
        # Acknowledge, for the selected row, and it names that alarm: a second button for "the top
        # alarm" acted on another alarm than the one the officer saw selected (officer review).
        self._detail = QLabel(self)
        self._detail.setObjectName("alarmDetail")
        self._detail.setTextFormat(Qt.TextFormat.PlainText)
        self._detail.setWordWrap(True)
        self._ack_button = QPushButton(QCoreApplication.translate("AlarmListView", "Acknowledge"), self)
        self._ack_button.setObjectName("alarmAckButton")
        self._ack_target: tuple[str, int] | None = None
        self._ack_moved = 0.0  # when the target last changed without the officer choosing it
        self._shelve_button = QPushButton(QCoreApplication.translate("AlarmListView", "Shelve"), self)
        self._shelve_button.setObjectName("alarmShelveButton")
        panel = QHBoxLayout()
        panel.setContentsMargins(0, 0, 0, 0)
        panel.addWidget(self._detail, 1)
        panel.addWidget(self._ack_button)
        panel.addWidget(self._shelve_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._summary)
        layout.addWidget(self._table, 1)
        layout.addLayout(panel)

        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)
        self._external_flash = False

        self._updating = False
        self._last_selected: str | None = None
        self._table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self._table.doubleClicked.connect(self._on_table_double_clicked)
        self._table.clicked.connect(self._on_table_clicked)
        self._table.ack_key_pressed.connect(self._on_table_ack_key_pressed)
        self._ack_button.clicked.connect(self._on_ack_button_clicked)
        # Rows never move under the pointer: while it is over the list, rows arriving above the
        # one under it scroll the list by as much, so the row stays where the officer aims.
        self._table.viewport().setMouseTracking(True)
        self._table.viewport().installEventFilter(self)
        self._hovered: str | None = None
        self._shelve_button.clicked.connect(self._on_shelve_button_clicked)
        self._apply_metrics()
        self._update_summary()
        self._update_panel()

    # -- public API ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[AlarmRow]) -> None:
        """Show ``rows`` in the given order (the caller sorts).

        Unchanged rows are not repainted; rows whose relative order is unchanged keep their
        place, so the selection (by id) and the scroll position survive.

        Args:
            rows: The complete list of alarms to show, including shelved, suppressed and
                out-of-service ones (they are listed grey and counted).

        Raises:
            DuplicateAlarmIdError: Two rows share an id; the list is left unchanged.
        """
        before = self._last_selected
        anchor = self._hover_anchor()
        self._updating = True
        try:
            self._model.set_rows(rows)
            self._fit_columns()
            if anchor is not None:
                self._keep_under_pointer(*anchor)
            if before is not None:
                r = self._model.row_of(before)
                if r is None:
                    self._table.selectionModel().clear()
                elif not self._table.selectionModel().isRowSelected(r, QModelIndex()):
                    self._select_row(r, scroll=False)
        finally:
            self._updating = False
        self._update_flash_timer()
        self._update_summary()
        self._sync_selection()
        self._update_panel(by_officer=False)

    def _hover_anchor(self) -> tuple[str, int] | None:
        """The alarm under the pointer and its row's top in the viewport, if the pointer is there."""
        if self._hovered is None:
            return None
        r = self._model.row_of(self._hovered)
        if r is None:
            return None
        return self._hovered, self._table.rowViewportPosition(r)

    def _keep_under_pointer(self, alarm_id: str, y: int) -> None:
        r = self._model.row_of(alarm_id)
        if r is None:
            return
        bar = self._table.verticalScrollBar()
        bar.setValue(bar.value() + self._table.rowViewportPosition(r) - y)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table.viewport():
            if event.type() == QEvent.Type.Resize:
                fill_column(self._table, AlarmColumn.MESSAGE, self._message_need)
            if event.type() == QEvent.Type.MouseMove:
                index = self._table.indexAt(event.position().toPoint())  # type: ignore[attr-defined]
                self._hovered = self._model.row_at(index.row()).id if index.isValid() else None
            elif event.type() == QEvent.Type.Leave:
                self._hovered = None
        return False

    def ack_target(self) -> str | None:
        """The alarm the Acknowledge button acknowledges (the selected one, named on the button),
        or None when it cannot be clicked for any alarm."""
        return self._ack_target[0] if self._ack_target is not None else None

    def selected_alarm_id(self) -> str | None:
        """Return the id of the selected alarm, or None."""
        rows = self._table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._model.row_at(rows[0].row()).id

    def select_alarm(self, alarm_id: str | None) -> bool:
        """Select (and scroll to) alarm ``alarm_id``; None clears the selection.

        Returns:
            True if the alarm is listed (or None was given); False if not, and then the
            selection is unchanged.
        """
        r = None if alarm_id is None else self._model.row_of(alarm_id)
        if alarm_id is not None and r is None:
            return False
        self._updating = True  # not the officer's click: the panel below is told so
        try:
            if r is None:
                self._table.selectionModel().clear()
            else:
                self._select_row(r, scroll=True)
        finally:
            self._updating = False
        self._sync_selection()
        self._update_panel(by_officer=False)
        return True

    def row_count(self) -> int:
        """Return the number of rows shown."""
        return self._model.rowCount()

    def alarm_ids(self) -> list[str]:
        """Return the ids of the rows in display order."""
        return [self._model.row_at(r).id for r in range(self._model.rowCount())]

    def display_of_row(self, alarm_id: str) -> AlarmDisplay | None:
        """Return how alarm ``alarm_id`` is drawn, or None if it is not listed."""
        r = self._model.row_of(alarm_id)
        return None if r is None else self._model.display_at(r)

    def state_text_of_row(self, alarm_id: str) -> str | None:
        """Return the State column text of alarm ``alarm_id``, or None if it is not listed."""
        r = self._model.row_of(alarm_id)
        return None if r is None else state_text(self._model.row_at(r), self._model.display_at(r))

    def row_background(self, alarm_id: str) -> QColor | None:
        """Return the background colour alarm ``alarm_id`` has now, ignoring selection."""
        r = self._model.row_of(alarm_id)
        return None if r is None else self._model.background(r)

    def counts(self) -> dict[AlarmDisplay, int]:
        """Return how many rows are in each display state (states with none are absent)."""
        return self._model.counts()

    def summary_text(self) -> str:
        """Return the summary line shown above the list (with plain spaces)."""
        return self._summary.text().replace("\u00a0", " ")

    @property
    def flash_phase(self) -> bool:
        """True while flashing rows show their severity colour ("lit")."""
        return self._model.flash_lit

    def is_flashing(self) -> bool:
        """Return whether any row flashes (the internal timer runs, or the phase is external)."""
        if self._external_flash:
            return self._model.has_flashing()
        return self._flash_timer.isActive()

    def set_external_flash(self, external: bool) -> None:
        """Choose who drives the flash: the internal timer (False, default) or the caller.

        With ``True`` the internal timer stops and ``set_flash_phase`` sets the phase, so that
        every view on every screen can flash in step from one application timer.
        """
        self._external_flash = external
        self._update_flash_timer()

    def set_flash_phase(self, lit: bool) -> None:
        """Set the flash phase; ignored unless ``set_external_flash(True)`` was called."""
        if self._external_flash:
            self._model.set_flash_lit(lit and self._model.has_flashing())

    # -- internals ----------------------------------------------------------------------------

    def _select_row(self, r: int, *, scroll: bool) -> None:
        index = self._model.index(r, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self._table.selectionModel().setCurrentIndex(index, flags)
        if scroll:
            self._table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _sync_selection(self) -> None:
        current = self.selected_alarm_id()
        if current != self._last_selected:
            self._last_selected = current
            self.selection_changed.emit(current or "")

    def _update_flash_timer(self) -> None:
        if self._external_flash:
            self._flash_timer.stop()
            if not self._model.has_flashing():
                self._model.set_flash_lit(False)
            return
        if self._model.has_flashing() and not self._not_current:  # nothing old flashes as new
            if not self._flash_timer.isActive():
                # Start lit so a new alarm shows at once.
                self._model.set_flash_lit(True)
                self._flash_timer.start()
        else:
            self._flash_timer.stop()
            self._model.set_flash_lit(False)

    def set_not_current(self, reason: str) -> None:
        """Say the list may be incomplete (e.g. the link is down), or ``""`` once it is current.

        An empty list then reads ``reason``, not "No alarms": an all-clear nobody can make while
        no data arrives. Rows already shown stay, with ``reason`` after the summary.
        """
        if reason != self._not_current:
            self._not_current = reason
            self._update_summary()
            self._update_flash_timer()
            self._table.viewport().update()

    def _update_summary(self) -> None:
        counts = self._model.counts()
        if self._not_current and not sum(counts.values()):
            self._summary.setText(self._not_current)
        elif self._not_current:
            self._summary.setText(f"{summary_of(counts)} · {self._not_current}")
        else:
            self._summary.setText(summary_of(counts))

    def _selected_row(self) -> AlarmRow | None:
        alarm_id = self.selected_alarm_id()
        r = None if alarm_id is None else self._model.row_of(alarm_id)
        return None if r is None else self._model.row_at(r)

    def _update_panel(self, *, by_officer: bool = True) -> None:
        """Show the selected row in words and name it on Acknowledge.

        Args:
            by_officer: The officer chose the row (a click, a key): the button may be clicked at
                once. Otherwise (new rows, the console's selection) a click in the next
                :data:`ACK_SETTLE_MS` does nothing when the target changed.
        """
        row = self._selected_row()
        target = (row.id, row.occurrence) if row is not None and not row.acknowledged else None
        if target != self._ack_target:
            self._ack_target = target
            self._ack_moved = 0.0 if by_officer else time.monotonic()
        if row is None:
            self._detail.setText(QCoreApplication.translate("AlarmListView", "No alarm selected"))
            self._ack_button.setText(QCoreApplication.translate("AlarmListView", "Acknowledge"))
            self._ack_button.setEnabled(False)
            self._shelve_button.setEnabled(False)
            return
        self._ack_button.setText(
            QCoreApplication.translate("AlarmListView", "Acknowledge {message} · {source}").format(
                message=row.message, source=row.source
            )
        )
        self._detail.setText(
            QCoreApplication.translate("AlarmListView", "{level} {n} · {source}: {message} — {flags}").format(
                level=severity_name(row.severity),
                n=int(row.severity),
                source=row.source,
                message=row.message,
                flags=_flags_text(row),
            )
        )
        if row.note:
            self._detail.setText(f"{self._detail.text()} · {row.note}")
        self._ack_button.setEnabled(not row.acknowledged and not self._ack_why_not)
        self._shelve_button.setEnabled(not row.shelved and not self._shelve_why_not)

    def set_permissions(self, acknowledge_why_not: str, shelve_why_not: str) -> None:
        """Why the officer may not acknowledge or shelve now ("" when they may). A reason disables
        the button (and the double-click and key that acknowledge) and becomes its tooltip: a
        button is never enabled for an action that cannot succeed."""
        if (acknowledge_why_not, shelve_why_not) == (self._ack_why_not, self._shelve_why_not):
            return
        self._ack_why_not, self._shelve_why_not = acknowledge_why_not, shelve_why_not
        self._ack_button.setToolTip(acknowledge_why_not)
        self._shelve_button.setToolTip(shelve_why_not)
        self._update_panel(by_officer=False)

    def acknowledge_enabled(self) -> bool:
        """Whether the Acknowledge button can be clicked now."""
        return self._ack_button.isEnabled()

    def shelve_enabled(self) -> bool:
        """Whether the Shelve button can be clicked now."""
        return self._shelve_button.isEnabled()

    def _request_ack(self, r: int) -> None:
        row = self._model.row_at(r)
        if not row.acknowledged and not self._ack_why_not:
            self.acknowledge_requested.emit(row.id, row.occurrence)

    def _apply_metrics(self) -> None:
        fm = QFontMetrics(self.font())
        h = fm.height()
        self._table.verticalHeader().setDefaultSectionSize(round(h * 1.7))
        pad = 2 * max(4, h // 3)
        icon = round(h * 1.7 * 0.72)
        name_w = max(fm.horizontalAdvance(severity_name(s)) for s in Severity)
        bold = QFont(self.font())
        bold.setBold(True)
        bfm = QFontMetrics(bold)
        state_w = max(
            *(bfm.horizontalAdvance(display_text(d)) for d in AlarmDisplay),
            fm.horizontalAdvance(QCoreApplication.translate("AlarmListView", "Shelved until 88:88")),
        )
        widths = {
            AlarmColumn.SEVERITY: icon + bfm.horizontalAdvance("M") + name_w + 2 * pad,
            AlarmColumn.TIME: fm.horizontalAdvance("88:88:88") + pad,
            AlarmColumn.SOURCE: fm.horizontalAdvance("M" * 7) + pad,  # widened to its widest source
            AlarmColumn.STATE: icon + state_w + 2 * pad,
            AlarmColumn.ACKED_BY: fm.horizontalAdvance("M" * 6) + pad,
        }
        header = self._table.horizontalHeader()
        for column, width in widths.items():
            header.resizeSection(column, max(width, fm.horizontalAdvance(_header_text(column)) + pad))
        self._floors = {c: header.sectionSize(c) for c in (AlarmColumn.SOURCE, AlarmColumn.ACKED_BY)}
        self._fit_columns()
        self._summary.setFont(theme.scaled_font(self.font(), 1.0, bold=True))
        margin = max(4, h // 3)
        self._summary.setContentsMargins(margin, margin // 2, margin, margin // 2)
        self._detail.setContentsMargins(margin, 0, margin, 0)

    def _fit_columns(self) -> None:
        """Source and Ack-by as wide as their widest value, never narrower than for a usual one:
        "district …" left the officer guessing who acknowledged. The Alarm column stretches into
        what is left."""
        fm = QFontMetrics(self.font())
        pad = 2 * max(4, fm.height() // 3) + 2  # the delegate's padding on both sides, and a pixel each
        header = self._table.horizontalHeader()
        for column, floor in self._floors.items():
            values = {self._model.text_at(r, column) for r in range(self._model.rowCount())}
            width = max(floor, max((fm.horizontalAdvance(v) + pad for v in values), default=0))
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        bold = QFont(self.font())
        bold.setBold(True)  # unacknowledged alarms are bold: measure every one so
        bfm = QFontMetrics(bold)
        messages = {self._model.text_at(r, AlarmColumn.MESSAGE) for r in range(self._model.rowCount())}
        self._message_need = max((bfm.horizontalAdvance(m) + pad for m in messages), default=0)
        fill_column(self._table, AlarmColumn.MESSAGE, self._message_need)

    # -- slots --------------------------------------------------------------------------------

    def _on_flash_timer_timeout(self) -> None:
        self._model.set_flash_lit(not self._model.flash_lit)

    def _on_table_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        if not self._updating:
            self._sync_selection()
            self._update_panel()

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self._model.row_at(index.row())
            if self._ack_target is not None and self._ack_target[0] == row.id:
                self._ack_moved = 0.0  # the officer clicked the row the button names: they chose it
            self.row_clicked.emit(row.id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._request_ack(index.row())

    def _on_table_ack_key_pressed(self, r: int) -> None:
        self._request_ack(r)

    def _on_ack_button_clicked(self) -> None:
        if self._ack_target is None or self._ack_why_not:
            return
        if (time.monotonic() - self._ack_moved) * 1000 < ACK_SETTLE_MS:
            return  # the button changed by itself a moment ago: the click was aimed at what it said
        r = self._model.row_of(self._ack_target[0])
        if r is not None:
            self._request_ack(r)

    def _on_shelve_button_clicked(self) -> None:
        row = self._selected_row()
        if row is not None and not row.shelved and not self._shelve_why_not:
            self.shelve_requested.emit(row.id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_metrics()
