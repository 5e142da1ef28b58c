"""A map focused on a layer still shows the panel's own alarms (issue 16): the demo's forest-fire
battle map (``focus: forest_park``) with the fire alarms east and south of the park."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.app.embedded import EmbeddedBackend
from cockpit.app.panels import MapPanelView
from cockpit.app.site_map import SiteMap
from cockpit.app.wiring import Cockpit
from cockpit.config.site import demo_map
from cockpit.feed import ConnectionState
from cockpit.present.panels.map import MapModel, MapState, Reach
from cockpit.present.runway_spec import Panel, PanelKind
from cockpit.present.wall_layout import virtual_screens
from tests.app.test_wall import IDENTITY, dispose, run_on_qt_loop
from tests.helpers import wait_until
from tests.present.support import context


def test_the_forest_fire_map_takes_in_the_fire_alarms_outside_the_park(qapp: QApplication) -> None:
    backend = EmbeddedBackend(seed=1, rate=300)  # the demo starts at t = 175 s: the fire is burning
    url = backend.start()

    async def body() -> None:
        c = Cockpit([url], IDENTITY, "en", site_map=demo_map())
        c.place(virtual_screens(5, 1600, 900))
        c.wall.show(full_screen=False)
        try:
            c.start()
            await wait_until(lambda: c.feed is not None and c.feed.state is ConnectionState.LIVE, what="live")
            view = next(p for p in c.wall.views["forest_fire"].panels if isinstance(p, MapPanelView))
            m = view.map

            def fire() -> list[tuple[float, float]]:
                return [(e.lon, e.lat) for e in c.situation.open_events() if e.theme == "fire" and int(e.severity) <= 2]

            await wait_until(lambda: bool(fire()) and bool(m.markers()), what="the fire alarm on the map")
            await asyncio.sleep(0.5)
            c.frame()
            park = m.layer_bounds("forest_park")
            assert park is not None
            alarms = fire()
            outside = [
                (lon, lat) for lon, lat in alarms if not (park[0] <= lon <= park[2] and park[1] <= lat <= park[3])
            ]
            assert outside, ("an alarm lies outside the park", alarms, park)
            for lon, lat in [*alarms, (park[0], park[1]), (park[2], park[3])]:
                p = m.lonlat_to_widget(lon, lat)
                assert 0 <= p.x() <= m.width() and 0 <= p.y() <= m.height(), (lon, lat, p, m.size())
        finally:
            await c.stop()
            dispose(c)

    try:
        run_on_qt_loop(qapp, body)
    finally:
        backend.stop()


def test_a_focused_map_grows_to_take_in_a_far_alarm_and_returns_to_its_focus(qtbot: QtBot) -> None:
    """The view alone, with the model's reach given: an alarm 2.5 km south of the park is off a
    map fitted to the park, on it once the reach says so, and the view is the park again after."""
    spec = Panel(kind=PanelKind.MAP, at=(0, 0, 6, 5), layers=["forest_park"], focus="forest_park")
    view = MapPanelView(MapModel(spec, context()), "Battle map", SiteMap(demo_map(), "en"), None, "not live")
    qtbot.addWidget(view)
    view.resize(960, 540)
    view.show()
    qtbot.waitExposed(view)
    m = view.map
    farmhouse = (106.425, 29.5249)
    park = m.layer_bounds("forest_park")
    assert park is not None and farmhouse[1] < park[1] - 0.02

    def on_map(lon: float, lat: float) -> bool:
        p = m.lonlat_to_widget(lon, lat)
        return 0 <= p.x() <= m.width() and 0 <= p.y() <= m.height()

    def state(reach: Reach) -> MapState:
        return MapState(None, None, None, None, None, reach=reach)

    view.show_state(state(Reach(None)))
    assert on_map(park[0], park[1]) and not on_map(*farmhouse), "fitted to the park"
    view.show_state(state(Reach((*farmhouse, *farmhouse))))
    assert on_map(*farmhouse) and on_map(park[0], park[1]) and on_map(park[2], park[3])
    view.show_state(state(Reach(None)))
    assert not on_map(*farmhouse), "the alarm gone, the park again"


def test_a_map_whose_site_has_none_of_its_layers_says_so_in_its_title(qtbot: QtBot) -> None:
    """A site file without [map] on a district backend: the map draws markers on a blank ground.
    Its title says "no base map" (grey) rather than look like an empty city (officer review); a
    site with the layers has no such note."""
    from cockpit.config.site import MapConfig

    spec = Panel(kind=PanelKind.MAP, at=(0, 0, 6, 5), layers=["districts", "rivers", "ratings"])
    bare = MapPanelView(MapModel(spec, context()), "Events", SiteMap(MapConfig(), "en"), None, "not live")
    qtbot.addWidget(bare)
    bare.set_current(True, "")
    assert bare.title.isVisibleTo(bare) and bare.title.text() == "Events · no base map"
    full = MapPanelView(MapModel(spec, context()), "Events", SiteMap(demo_map(), "en"), None, "not live")
    qtbot.addWidget(full)
    full.set_current(True, "")
    assert full.title.text() == "Events"
    only_backend = Panel(kind=PanelKind.MAP, at=(0, 0, 6, 5), layers=["risk_points"])
    risk = MapPanelView(MapModel(only_backend, context()), "Risk", SiteMap(MapConfig(), "en"), None, "not live")
    qtbot.addWidget(risk)
    assert risk.site_note == "", "layers the backend sends are not the site's to give"
