"""The drawing panel's controls: the palette of plotting symbols, the label field, the actions, the
notice and the drafts. Plain values in, intent signals out (Translation context: ``PlotControls``).

Every control the officer may not use is disabled with the reason as its tooltip, never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets.plot_symbols import symbol_icon
from widgets.plot_values import DraftRow, PaletteItem

ICON_PX = 40
SELECT = ""
"""The palette's select tool (no symbol)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("PlotControls", text)


class PlotControls(QWidget):
    """Signals:
    symbol_chosen(str): A palette symbol (its kind), or "" for the select tool.
    label_edited(str): The label field changed.
    relabel_requested(): Put the label on the selected drawing.
    finish_requested(), cancel_requested(), delete_requested(), undo_requested(), redo_requested()
    trace_requested(): Trace the projected fire spread into a fire line.
    export_requested(str): ``geojson`` or ``kml``.
    reapply_requested(str), discard_requested(str): A draft (the refused command's id).
    """

    symbol_chosen = Signal(str)
    label_edited = Signal(str)
    relabel_requested = Signal()
    finish_requested = Signal()
    cancel_requested = Signal()
    delete_requested = Signal()
    undo_requested = Signal()
    redo_requested = Signal()
    trace_requested = Signal()
    export_requested = Signal(str)
    reapply_requested = Signal(str)
    discard_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.why_not = QLabel()
        self.why_not.setObjectName("plotWhyNot")
        self.why_not.setWordWrap(True)
        self.why_not.setStyleSheet("color: #e0b341;")
        layout.addWidget(self.why_not)

        palette = QWidget()
        grid = QGridLayout(palette)
        grid.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        select = self._tool_button(SELECT, tr("Select / move"))
        grid.addWidget(select, 0, 0)
        self._palette_grid = grid
        layout.addWidget(palette)

        row = QHBoxLayout()
        self.label = QLineEdit()
        self.label.setPlaceholderText(tr("Label of the next drawing"))
        self.label.setMaxLength(200)
        self.label.textEdited.connect(self.label_edited)
        row.addWidget(self.label, 1)
        self.relabel = QPushButton(tr("Put on selected"))
        self.relabel.clicked.connect(self.relabel_requested)
        row.addWidget(self.relabel)
        layout.addLayout(row)

        actions = QGridLayout()
        self.finish = self._action(tr("Finish (Enter)"), self.finish_requested)
        self.cancel = self._action(tr("Cancel (Esc)"), self.cancel_requested)
        self.delete = self._action(tr("Delete (Del)"), self.delete_requested)
        self.undo = self._action(tr("Undo"), self.undo_requested, QKeySequence.StandardKey.Undo)
        self.redo = self._action(tr("Redo"), self.redo_requested, QKeySequence.StandardKey.Redo)
        self.trace = self._action(tr("Trace fire line from the spread"), self.trace_requested)
        self.export_geojson = QPushButton(tr("Export GeoJSON"))
        self.export_geojson.clicked.connect(lambda: self.export_requested.emit("geojson"))
        self.export_kml = QPushButton(tr("Export KML"))
        self.export_kml.clicked.connect(lambda: self.export_requested.emit("kml"))
        for i, button in enumerate(
            (self.finish, self.cancel, self.delete, self.undo, self.redo, self.trace, self.export_geojson, self.export_kml)
        ):
            actions.addWidget(button, i // 2, i % 2)
        layout.addLayout(actions)

        self.notice = QLabel()
        self.notice.setObjectName("plotNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #ff6b5e; font-weight: bold;")
        layout.addWidget(self.notice)

        drafts_title = QLabel(tr("Drafts: your changes that did not go in"))
        layout.addWidget(drafts_title)
        self.drafts = QListWidget()
        self.drafts.setWordWrap(True)
        layout.addWidget(self.drafts, 1)
        row = QHBoxLayout()
        self.reapply = QPushButton(tr("Re-apply"))
        self.reapply.clicked.connect(lambda: self._on_draft_action(self.reapply_requested))
        self.discard = QPushButton(tr("Discard"))
        self.discard.clicked.connect(lambda: self._on_draft_action(self.discard_requested))
        row.addWidget(self.reapply)
        row.addWidget(self.discard)
        layout.addLayout(row)
        self.drafts.currentRowChanged.connect(self._on_drafts_current_row_changed)
        self._draft_rows: list[DraftRow] = []
        self._on_drafts_current_row_changed(-1)

    # ------------------------------------------------------------------------------ building

    def _tool_button(self, kind: str, name: str, mark: str = "") -> QToolButton:
        button = QToolButton()
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setText(name)
        button.setIconSize(QSize(ICON_PX, ICON_PX))
        if kind:
            button.setIcon(symbol_icon(kind, mark, ICON_PX * 2, self.font()))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        button.setObjectName(f"plot_{kind or 'select'}")
        button.clicked.connect(lambda _=False, k=kind: self.symbol_chosen.emit(k))
        self.group.addButton(button)
        self.buttons[kind] = button
        return button

    def _action(self, text: str, signal: SignalInstance, key: QKeySequence.StandardKey | None = None) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(signal)
        if key is not None:
            button.setShortcut(QKeySequence(key))
        return button

    # ------------------------------------------------------------------------------ states

    def set_palette(self, items: Sequence[PaletteItem], chosen: str) -> None:
        """The palette's symbols (built once; later calls update names and reasons) and the one chosen."""
        for i, item in enumerate(items, start=1):
            button = self.buttons.get(item.kind)
            if button is None:
                button = self._tool_button(item.kind, item.name, item.mark)
                self._palette_grid.addWidget(button, i // 4, i % 4)
            button.setText(item.name)
            button.setEnabled(not item.why_not)
            button.setToolTip(item.why_not or item.name)
        active = self.buttons.get(chosen)
        if active is not None and not active.isChecked():
            active.setChecked(True)

    def set_state(
        self,
        heading: str,
        why_not: str,
        notice: str,
        label: str,
        *,
        can_finish: bool,
        can_delete: bool,
        can_undo: bool,
        can_redo: bool,
        can_trace: bool,
        can_export: bool,
    ) -> None:
        self.heading.setText(heading)
        self.why_not.setText(why_not)
        self.why_not.setVisible(bool(why_not))
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        if self.label.text() != label and not self.label.hasFocus():
            self.label.setText(label)
        self.buttons[SELECT].setEnabled(True)
        for button, ok in (
            (self.finish, can_finish),
            (self.cancel, True),
            (self.delete, can_delete),
            (self.undo, can_undo),
            (self.redo, can_redo),
            (self.trace, can_trace),
            (self.export_geojson, can_export),
            (self.export_kml, can_export),
            (self.relabel, can_delete),
        ):
            button.setEnabled(ok)
            button.setToolTip(why_not if why_not and not ok else "")

    def set_drafts(self, rows: Sequence[DraftRow]) -> None:
        rows = list(rows)
        if rows == self._draft_rows:
            return
        current = self._draft_rows[self.drafts.currentRow()].id if 0 <= self.drafts.currentRow() < len(self._draft_rows) else ""
        self._draft_rows = rows
        self.drafts.blockSignals(True)
        self.drafts.clear()
        for row in rows:
            self.drafts.addItem(QListWidgetItem(row.text))
        index = next((i for i, r in enumerate(rows) if r.id == current), 0 if rows else -1)
        self.drafts.setCurrentRow(index)
        self.drafts.blockSignals(False)
        self._on_drafts_current_row_changed(index)

    def draft_ids(self) -> list[str]:
        return [r.id for r in self._draft_rows]

    # ------------------------------------------------------------------------------ slots

    def _on_drafts_current_row_changed(self, row: int) -> None:
        ok = 0 <= row < len(self._draft_rows)
        self.reapply.setEnabled(ok and self._draft_rows[row].can_reapply)
        self.discard.setEnabled(ok)

    def _on_draft_action(self, signal: SignalInstance) -> None:
        row = self.drafts.currentRow()
        if 0 <= row < len(self._draft_rows):
            signal.emit(self._draft_rows[row].id)
