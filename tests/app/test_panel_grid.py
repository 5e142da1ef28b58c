"""The runway's panel grid at a type size beyond the design: panels that cannot show their text
whole step aside, the ones kept grow into the room, and a grid with room for none says so."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cockpit.app.runway_view import PanelGrid


class Panel(QWidget):
    """A panel that needs ``least`` pixels of height to show its text whole."""

    def __init__(self, name: str, least: int) -> None:
        super().__init__()
        self.setObjectName(name)
        self.least = least

    def wall_min_height(self, width: int) -> int:
        return self.least


def grid_of(qtbot: QtBot, *panels: tuple[Panel, tuple[int, int, int, int]], height: int = 400) -> PanelGrid:
    grid = PanelGrid(columns=2, rows=2, spacing=0)
    qtbot.addWidget(grid)
    for panel, at in panels:
        grid.add(panel, at)
    grid.resize(800, height)
    grid.show()
    qtbot.waitExposed(grid)
    return grid


def test_at_the_designs_size_every_panel_keeps_its_cells(qtbot: QtBot) -> None:
    a, b, c = Panel("a", 150), Panel("b", 150), Panel("c", 150)
    grid = grid_of(qtbot, (a, (0, 0, 2, 1)), (b, (0, 1, 1, 1)), (c, (1, 1, 1, 1)))
    assert all(p.isVisible() for p in (a, b, c)) and not grid.no_room.isVisible()
    assert (a.geometry().height(), b.geometry().width(), c.geometry().x()) == (200, 400, 400)


def test_a_first_panel_too_tall_for_the_whole_grid_steps_aside_and_the_next_one_stays(qtbot: QtBot) -> None:
    # The first panel needs more than the whole grid (a trend's legend and axes at --scale 1.5);
    # the map after it fits: it is kept and grows into the grid, not hidden with the first.
    trend, map_, tiles = Panel("trend", 500), Panel("map", 250), Panel("tiles", 450)
    grid = grid_of(qtbot, (trend, (0, 0, 2, 1)), (map_, (0, 1, 1, 1)), (tiles, (1, 1, 1, 1)))
    assert [p.isVisible() for p in (trend, map_, tiles)] == [False, True, False]
    assert map_.geometry().height() == 400 and map_.geometry().width() == 800
    assert not grid.no_room.isVisible()


def test_a_grid_with_room_for_no_panel_says_so(qtbot: QtBot) -> None:
    a, b = Panel("a", 500), Panel("b", 900)
    grid = grid_of(qtbot, (a, (0, 0, 1, 2)), (b, (1, 0, 1, 2)))
    assert not a.isVisible() and not b.isVisible()
    assert grid.no_room.isVisible() and grid.no_room.text() == "No room for the panels at this type size"
    grid.resize(800, 1000)  # a larger screen: the panels come back, the note goes
    qtbot.waitUntil(lambda: a.isVisible() and b.isVisible())
    assert not grid.no_room.isVisible()
