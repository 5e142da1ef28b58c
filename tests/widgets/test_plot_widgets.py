"""The plotting widgets: symbols that differ without their colour, the plot layer on a map, the drawing
tool's mouse and keys, and the palette's controls (offscreen, real widgets)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from widgets.map_view import MapView
from widgets.plot_controls import PlotControls
from widgets.plot_layer import PlotLayer
from widgets.plot_symbols import COLOURS, paint_plot
from widgets.plot_tool import PlotTool
from widgets.plot_values import DraftRow, Handle, PaletteItem, PlotLook, PlotShape

LINES = ["fire_line", "isolation_belt", "evacuation_route", "advance_arrow"]
POINTS = ["assembly_point", "command_post", "water_source", "road_block"]
MARKS = {"assembly_point": "A", "command_post": "C", "water_source": "W"}


def grey(shape: PlotShape, pts: list[QPointF]) -> np.ndarray:
    """``shape`` drawn in one colour (the same for every kind) and read back as grey levels."""
    image = QImage(220, 140, QImage.Format.Format_ARGB32)
    image.fill(QColor("#202020"))
    p = QPainter(image)
    paint_plot(p, shape, pts, 40.0, QFont())
    p.end()
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    raw = np.frombuffer(gray.constBits(), dtype=np.uint8, count=gray.sizeInBytes())
    return raw.reshape(gray.height(), gray.bytesPerLine())[:, : gray.width()].astype(np.int16)


@pytest.mark.parametrize(("kinds", "geometry"), [(LINES, "LineString"), (POINTS, "Point")])
def test_colour_is_never_the_only_difference_between_symbols(qapp: object, kinds: list[str], geometry: str) -> None:
    pts = [QPointF(20, 90), QPointF(110, 50), QPointF(200, 80)] if geometry == "LineString" else [QPointF(80, 90)]
    vertices = tuple((float(i), 0.0) for i in range(len(pts)))
    drawn = {
        kind: grey(PlotShape(kind, kind, geometry, vertices, colour="#888888", mark=MARKS.get(kind, "")), pts)
        for kind in kinds
    }
    for a, b in itertools.combinations(kinds, 2):
        differing = int(np.count_nonzero(np.abs(drawn[a] - drawn[b]) > 40))
        assert differing > 150, f"{a} and {b} differ only by colour ({differing} px differ in grey)"
    assert set(COLOURS) >= set(kinds)


def test_the_looks_are_told_apart(qapp: object) -> None:
    pts = [QPointF(20, 90), QPointF(110, 50), QPointF(200, 80)]
    vertices = ((0.0, 0.0), (1.0, 0.0), (2.0, 0.0))
    images = {look: grey(PlotShape("x", "fire_line", "LineString", vertices, look=look), pts) for look in PlotLook}
    for a, b in itertools.combinations(PlotLook, 2):
        assert np.count_nonzero(np.abs(images[a] - images[b]) > 30) > 100, (a, b)


def test_the_plot_layer_draws_what_is_in_view_under_the_markers(qtbot: QtBot) -> None:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.set_view(106.43, 29.56, 15.0)
    view.show()
    layer = PlotLayer(view)
    centre = view.lonlat_to_widget(106.43, 29.5583).toPoint()
    bare = view.grab().toImage().pixelColor(centre)
    inside = PlotShape("in", "fire_zone", "Polygon", ((106.425, 29.555), (106.435, 29.555), (106.43, 29.565)))
    far = PlotShape("far", "command_post", "Point", ((107.5, 30.5),), mark="C")
    layer.set_shapes([inside, far])
    assert layer.visible() == ["in"]
    colour = view.grab().toImage().pixelColor(centre)
    assert colour.red() > bare.red() + 20 and colour.red() > colour.green() + 20, "the zone is drawn, in its red"
    count = layer.paint_count
    layer.set_shapes([inside, far])  # the same plots: nothing to paint again
    view.grab()
    assert layer.paint_count == count
    layer.set_shapes([inside])
    view.grab()
    assert layer.paint_count == count + 1


def test_the_tool_reports_clicks_handles_and_keys_and_leaves_drags_to_the_map(qtbot: QtBot) -> None:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.set_view(106.43, 29.56, 15.0)
    view.show()
    tool = PlotTool(view)
    tool.set_drawing(True)
    at = QPoint(300, 200)
    with qtbot.waitSignal(tool.clicked) as clicked:
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    lon, lat, tol = clicked.args
    back = view.lonlat_to_widget(lon, lat)
    assert abs(back.x() - 300) < 1 and abs(back.y() - 200) < 1 and 0 < tol < 0.01
    before = view.view()
    QTest.mouseMove(view, QPoint(350, 250))  # no button: the map does not pan after a click
    assert view.view() == before
    with qtbot.assertNotEmitted(tool.clicked):  # a drag pans the map and is no click
        QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(100, 100))
        for x in range(110, 200, 10):
            QTest.mouseMove(view, QPoint(x, 120))
        QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 120))
    assert view.view() != before
    tool.set_drawing(False)
    h_lon, h_lat = view.widget_to_lonlat(QPointF(400, 150))
    tool.set_handles([Handle("p1", 2, h_lon, h_lat)])
    with qtbot.waitSignal(tool.vertex_grabbed) as grabbed:
        QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(404, 152))
    assert grabbed.args == ["p1", 2]
    fixed = view.view()
    with qtbot.waitSignal(tool.vertex_dragged):
        QTest.mouseMove(view, QPoint(450, 180))
    with qtbot.waitSignal(tool.vertex_dropped) as dropped:
        QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(460, 190))
    assert view.view() == fixed, "dragging a vertex does not pan"
    assert abs(view.lonlat_to_widget(dropped.args[0], dropped.args[1]).x() - 460) < 1
    for key, signal in (
        (Qt.Key.Key_Return, tool.finish_requested),
        (Qt.Key.Key_Escape, tool.cancel_requested),
        (Qt.Key.Key_Backspace, tool.back_requested),
        (Qt.Key.Key_Delete, tool.delete_requested),
    ):
        with qtbot.waitSignal(signal):
            QTest.keyClick(view, key)
    with qtbot.waitSignal(tool.undo_requested):
        QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(tool.redo_requested):
        QTest.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    tool.set_enabled(False)
    with qtbot.assertNotEmitted(tool.finish_requested):
        QTest.keyClick(view, Qt.Key.Key_Return)


def test_the_controls_say_why_not_and_name_the_draft_acted_on(qtbot: QtBot) -> None:
    c = PlotControls()
    qtbot.addWidget(c)
    items = [PaletteItem("fire_line", "Fire line"), PaletteItem("command_post", "Command post", "C")]
    c.set_palette(items, "")
    with qtbot.waitSignal(c.symbol_chosen) as chosen:
        qtbot.mouseClick(c.buttons["command_post"], Qt.MouseButton.LeftButton)
    assert chosen.args == ["command_post"]
    reason = "Your role (viewer) may not draw on the map"
    c.set_palette([PaletteItem(i.kind, i.name, i.mark, reason) for i in items], "")
    assert not c.buttons["fire_line"].isEnabled() and c.buttons["fire_line"].toolTip() == reason
    c.set_state("Drawing for Fire alarm", reason, "", "", can_finish=False, can_delete=False, can_undo=False,
                can_redo=False, can_trace=False, can_export=True)  # fmt: skip
    assert c.why_not.text() == reason and not c.undo.isEnabled() and c.undo.toolTip() == reason
    c.set_drafts([DraftRow("c1", "Change of Fire zone — not applied"), DraftRow("c2", "Deletion — gone", False)])
    c.drafts.setCurrentRow(1)
    assert not c.reapply.isEnabled() and c.discard.isEnabled()
    with qtbot.waitSignal(c.discard_requested) as discarded:
        qtbot.mouseClick(c.discard, Qt.MouseButton.LeftButton)
    assert discarded.args == ["c2"]
    c.drafts.setCurrentRow(0)
    with qtbot.waitSignal(c.reapply_requested) as reapplied:
        qtbot.mouseClick(c.reapply, Qt.MouseButton.LeftButton)
    assert reapplied.args == ["c1"]
    with qtbot.waitSignal(c.export_requested) as exported:
        qtbot.mouseClick(c.export_kml, Qt.MouseButton.LeftButton)
    assert exported.args == ["kml"]


def test_a_click_on_a_pennant_away_from_its_point_is_reported_at_the_point(qtbot: QtBot) -> None:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.set_view(106.43, 29.56, 15.0)
    view.show()
    layer = PlotLayer(view)
    layer.set_unit(40.0)
    layer.set_shapes([PlotShape("post", "command_post", "Point", ((106.43, 29.56),), mark="C")])
    view.grab()  # painted: the layer knows where the symbol is
    tool = PlotTool(view)
    tool.symbol_anchor = layer.anchor_at
    foot = view.lonlat_to_widget(106.43, 29.56)
    flag = QPoint(int(foot.x() + 20), int(foot.y() - 30))  # on the pennant, well away from the foot
    assert layer.anchor_at(QPointF(flag)) == foot
    assert layer.anchor_at(QPointF(foot.x() - 120, foot.y())) is None
    with qtbot.waitSignal(tool.clicked) as clicked:
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, flag)
    assert clicked.args[:2] == pytest.approx([106.43, 29.56], abs=2e-4)  # the pennant is ~1e-3 away
    tool.set_drawing(True)  # while drawing a click is where it is: a vertex placed there
    with qtbot.waitSignal(tool.clicked) as clicked:
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, flag)
    assert abs(view.lonlat_to_widget(clicked.args[0], clicked.args[1]).x() - flag.x()) < 1
