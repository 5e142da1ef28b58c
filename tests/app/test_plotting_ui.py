"""Plotting through the real widgets (offscreen) against a real demo backend over a real websocket: an
officer draws a fire line and a fire zone with the mouse on the console's drawing map, moves a vertex
of the zone and undoes it; the forest-fire runway's map on the wall shows the result."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.app.panels import MapPanelView
from cockpit.app.wiring import Cockpit
from cockpit.audit.chain import verify_file
from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.config.site import demo_map
from cockpit.feed import ConnectionState, Identity
from cockpit.model.plots import PlotRecord
from cockpit.present.runway_spec import PanelKind
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.messages import Stream
from tests.app.test_wall import dispose, run_on_qt_loop
from tests.helpers import wait_until
from widgets.plot_values import PlotLook

pytestmark = pytest.mark.slow


def near(a: tuple[float, float], b: tuple[float, float], tol: float = 0.0008) -> bool:
    return math.hypot(a[0] - b[0], a[1] - b[1]) <= tol


def test_an_officer_draws_edits_and_undoes_with_the_mouse_and_the_wall_shows_it(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    made: list[Cockpit] = []

    async def body() -> None:
        city = City(Hub(), seed=1, rate=200, sensors_per_kind=2)
        city.advance(180.0)  # the forest-park fire is burning
        backend = DemoBackend(city, heartbeat_ms=300)
        await backend.start()
        c = Cockpit(
            [backend.url], Identity("plot-ui", "li.wei", "operator"), audit_path=tmp_path / "audit.jsonl",
            centre="shapingba", site_map=demo_map(),  # the forest park the runway's map focuses on
        )  # fmt: skip
        made.append(c)
        c.place(virtual_screens(2, 1600, 900))
        c.wall.show(full_screen=False)
        try:
            await draw(c, city, qtbot)
        finally:
            await c.stop()
            await backend.stop()

    try:
        run_on_qt_loop(qapp, body)
    finally:
        for c in made:
            dispose(c)


async def draw(c: Cockpit, city: City, qtbot: QtBot) -> None:
    c.start()
    await wait_until(lambda: c.source.state is ConnectionState.LIVE and Stream.PLOTS in c.situation.epochs, what="live")
    fire = next(e for e in c.situation.events.values() if e.type == "fire")
    c.ctx.selection.choose(fire.id)
    view = c.plotting_view
    c.console.tabs.setCurrentWidget(view)
    c.console.resize(1500, 900)
    await wait_until(lambda: view.map.width() > 400 and fire.id in view.controls.heading.text(), what="the drawing map")
    await asyncio.sleep(0.2)  # a few frames: the map is centred on the fire
    m = view.map
    assert near((m.view().center_lon, m.view().center_lat), (fire.lon, fire.lat), 1e-6)
    # The alarm is at a farmhouse south of the forest park; the officer pans to the park's edge,
    # which the forest-fire runway's map shows.
    m.set_view(106.425, 29.566, 14.5)
    base = (106.425, 29.560)
    await asyncio.sleep(0.05)
    view_before = m.view()

    def pos(lon: float, lat: float) -> QPoint:
        return m.lonlat_to_widget(lon, lat).toPoint()

    # A fire line: three clicks, Enter.
    line = [(base[0] - 0.010, base[1]), (base[0] - 0.004, base[1] + 0.003), (base[0] + 0.002, base[1] + 0.004)]
    qtbot.mouseClick(view.controls.buttons["fire_line"], Qt.MouseButton.LeftButton)
    await asyncio.sleep(0.05)
    assert view.tool.drawing
    for lon, lat in line:
        qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=pos(lon, lat))
    QTest.keyClick(m, Qt.Key.Key_Return)
    await wait_until(lambda: any(p.kind == "fire_line" for p in c.situation.plots.values()), what="the fire line")
    drawn = next(p for p in c.situation.plots.values() if p.kind == "fire_line")
    assert len(drawn.vertices) == 3 and all(near(a, b) for a, b in zip(drawn.vertices, line, strict=True))

    # A fire zone: four clicks, the last a double click.
    zone = [
        (base[0] - 0.010, base[1] + 0.008), (base[0] + 0.000, base[1] + 0.008),
        (base[0] + 0.000, base[1] + 0.014), (base[0] - 0.010, base[1] + 0.014),
    ]  # fmt: skip
    qtbot.mouseClick(view.controls.buttons["fire_zone"], Qt.MouseButton.LeftButton)
    await asyncio.sleep(0.05)
    for lon, lat in zone[:-1]:
        qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=pos(lon, lat))
    qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=pos(*zone[-1]))
    qtbot.mouseDClick(m, Qt.MouseButton.LeftButton, pos=pos(*zone[-1]))
    await wait_until(lambda: any(p.kind == "fire_zone" for p in c.situation.plots.values()), what="the zone")
    z = next(p for p in c.situation.plots.values() if p.kind == "fire_zone")
    assert len(z.vertices) == 4 and all(near(a, b) for a, b in zip(z.vertices, zone, strict=True))
    assert z.author == "li.wei" and z.centre == "shapingba" and z.version == 1
    QTest.mouseMove(m, QPoint(20, 20))  # the pointer leaves for the palette: clicks never left the map panning
    QTest.mouseMove(m, QPoint(300, 200))
    assert m.view() == view_before, "the map stays where the officer put it"

    # Select the zone, drag its third corner away, let go: version 2.
    qtbot.mouseClick(view.controls.buttons[""], Qt.MouseButton.LeftButton)
    centre = (sum(x for x, _ in zone) / 4, sum(y for _, y in zone) / 4)
    qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=pos(*centre))
    await wait_until(lambda: len(view.tool._handles) == 4, what="the zone's handles")
    start = pos(*z.vertices[2])
    target = (z.vertices[2][0] + 0.006, z.vertices[2][1] + 0.003)
    end = pos(*target)
    QTest.mousePress(m, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for k in range(1, 6):
        QTest.mouseMove(m, (QPointF(start) + (QPointF(end) - QPointF(start)) * (k / 5)).toPoint())
        await asyncio.sleep(0.02)
    QTest.mouseRelease(m, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)

    def zone_now() -> PlotRecord | None:
        return c.situation.plots.get(z.id)

    await wait_until(lambda: (zone_now() or z).version == 2, what="the moved corner")
    moved = zone_now()
    assert moved is not None and near(moved.vertices[2], target) and moved.vertices[:2] == z.vertices[:2]
    await wall_shows(c, moved, drawn)

    # Undo: the corner goes back, as version 3.
    qtbot.mouseClick(view.controls.undo, Qt.MouseButton.LeftButton)
    await wait_until(lambda: (zone_now() or z).version == 3, what="the undo")
    undone = zone_now()
    assert undone is not None and undone.vertices == z.vertices
    await wall_shows(c, undone, drawn)
    assert city.plots.register.plots[z.id].version == 3

    # The console shows no draft and nothing pending; the audit log holds every drawing, as drawn.
    await asyncio.sleep(0.1)
    shapes = view.plots.shapes()
    assert {s.look for s in shapes} == {PlotLook.DRAWN} and view.controls.draft_ids() == []
    audit = (c.audit.path if c.audit is not None else None)
    assert audit is not None and verify_file(audit).ok
    text = audit.read_text(encoding="utf-8")
    assert text.count('"action":"plot_create"') == 2 and text.count('"action":"plot_edit"') == 2


async def wall_shows(c: Cockpit, *plots: PlotRecord) -> None:
    """The forest-fire runway's map on the wall draws ``plots`` as they are now."""
    runway = c.wall.views["forest_fire"]
    panel = runway.panel(PanelKind.MAP)
    assert isinstance(panel, MapPanelView)

    def shown() -> bool:
        by_id = {s.id: s for s in panel.plots.shapes()}
        return all(p.id in by_id and by_id[p.id].vertices == p.vertices for p in plots)

    await wait_until(shown, what="the wall's map shows the plots")
    assert set(panel.plots.visible()) >= {p.id for p in plots}, "the forest-fire map covers them"
    assert panel.plots.paint_count > 0
