"""The first wall window: link status, live events, vital signs and one-click dispatch.

Layout only. The presenter sets what it shows; :mod:`cockpit.app.wiring` connects its signals.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from widgets.dispatch_button import DispatchPanel
from widgets.event_list import EventListView
from widgets.status_bar import ConnectionStatusWidget
from widgets.vital_tile import VitalSignTile


def tr(text: str) -> str:
    return QCoreApplication.translate("WallWindow", text)


class WallWindow(QMainWindow):
    """One screen of the wall.

    Args:
        name: The runway name; screenshots are named after it.
        tiles: How many vital-sign tiles to lay out.
    """

    def __init__(self, name: str, tiles: int) -> None:
        super().__init__()
        self.name = name
        self.setObjectName(f"wall-{name}")
        central = QWidget()
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(16, 12, 16, 16)
        outer.setSpacing(12)

        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("wallTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        self.mode_badge = QLabel()
        self.mode_badge.setObjectName("modeBadge")
        self.mode_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        top.addWidget(self.mode_badge)
        self.clock = QLabel()
        self.clock.setObjectName("wallClock")
        self.clock.setFont(font)
        top.addWidget(self.clock)
        outer.addLayout(top)

        self.status = ConnectionStatusWidget()
        outer.addWidget(self.status)

        body = QHBoxLayout()
        body.setSpacing(16)
        left = QVBoxLayout()
        self.events_label = QLabel()
        self.events_label.setObjectName("sectionTitle")
        left.addWidget(self.events_label)
        self.events = EventListView()
        left.addWidget(self.events, 1)
        body.addLayout(left, 3)

        right = QVBoxLayout()
        self.vitals_label = QLabel()
        self.vitals_label.setObjectName("sectionTitle")
        right.addWidget(self.vitals_label)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.tiles: list[VitalSignTile] = []
        for i in range(tiles):
            tile = VitalSignTile()
            tile.setMinimumSize(260, 150)
            grid.addWidget(tile, i // 2, i % 2)
            self.tiles.append(tile)
        right.addLayout(grid, 1)
        self.dispatch = DispatchPanel()
        right.addWidget(self.dispatch)
        body.addLayout(right, 2)
        outer.addLayout(body, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("City operations · Overview"))
        self.setWindowTitle(tr("Cockpit · {name}").format(name=self.name))
        self.events_label.setText(tr("Live events"))
        self.vitals_label.setText(tr("Vital signs"))
