"""A district's own city on the wall (issue 16): Qinghe, a test city that is not Chongqing, served
by a backend of its own, drawn from its own site file. The wall shows its names in both languages,
its GeoPackage layers and MBTiles basemap and its risk points, and nothing of the demo city; started
again with its backend down, it shows the last names and risk layer it kept, marked as old.

Real parts: the protocol server core on a real websocket, the real feed, real Qt widgets.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QWidget

from cockpit.app.panels import DispatchPanelView, MapPanelView, TilesPanelView
from cockpit.app.run import site_subscriptions
from cockpit.app.wiring import Cockpit
from cockpit.backend.demo_catalog import DISTRICTS as DEMO_DISTRICTS
from cockpit.backend.demo_catalog import demo_catalog
from cockpit.backend.risk_points import BOUNDS as DEMO_BOUNDS
from cockpit.backend.server import DemoBackend
from cockpit.feed import ConnectionState, Identity
from cockpit.present.wall_layout import virtual_screens
from tests.app.test_wall import dispose, run_on_qt_loop
from tests.helpers import wait_until
from tests.testcity.build import BASEMAP_RGB, BOUNDS
from tests.testcity.city import RISK_POINTS, TEST_CITY_NAMES, QingheCity, site
from widgets.alarm_banner import AlarmBannerWidget
from widgets.dispatch_button import DispatchPanel
from widgets.painted import PaintedWidget
from widgets.status_bar import ConnectionStatusWidget
from widgets.vital_tile import VitalSignTile

IDENTITY = Identity("qinghe-wall", "officer-3", "operator")

DEMO_WORDS = sorted(
    {n for e in demo_catalog() if e.kind in ("district", "centre") for n in e.names.values()}
    | {code for code in DEMO_DISTRICTS}
    | {"Chongqing", "重庆", "Gele Mountain", "歌乐山", "Yangtze", "长江", "Jialing", "嘉陵江"}
)
"""Words of the demo city: its districts and centres in both languages, their codes, its places."""


def wall_texts(root: QWidget) -> list[str]:
    """Every text the wall shows in its widgets: labels, buttons, table cells, tiles, banners, the
    dispatch block, the link status and what the painted panels (bars, cards, rankings...) painted."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            out += [str(m.index(r, c).data() or "") for r in range(m.rowCount()) for c in range(m.columnCount())]
        elif isinstance(w, VitalSignTile):
            out.append(w.title_text())
        elif isinstance(w, AlarmBannerWidget):
            out += w.line_texts()
        elif isinstance(w, DispatchPanel):
            out += [w.event_text(), w.button_text(), w.command_text()]
        elif isinstance(w, ConnectionStatusWidget):
            out.append(w.text())
        elif isinstance(w, PaintedWidget):  # issue 18's panels paint their own text
            out.append(w.painted_text())
    return [t for t in out if t]


def map_texts(view: MapPanelView) -> list[str]:
    m = view.map
    return [label for name in m.layer_names() for label in m.layer_labels(name)] + [mk.label for mk in m.markers()]


def build(url: str, lang: str, cache: Path) -> Cockpit:
    qinghe = site(url, cache.parent, lang=lang)
    c = Cockpit(
        [url],
        IDENTITY,
        lang,
        site_map=qinghe.map,
        cache_dir=cache,
        subscriptions=site_subscriptions(qinghe.level.value, qinghe.district),
    )
    c.place(virtual_screens(5, 1600, 900))
    c.wall.show(full_screen=False)
    return c


def overview_map(c: Cockpit) -> MapPanelView:
    view = next(p for p in c.wall.views["overview"].panels if isinstance(p, MapPanelView))
    return view


def qinghe_names(lang: str) -> set[str]:
    """The test city's own words in ``lang`` (the catalog's)."""
    from tests.testcity.city import catalog

    return {e.names[lang] for e in catalog()}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_wall_shows_the_districts_names_map_and_risk_points_and_nothing_of_the_demo(
    qapp: QApplication, tmp_path: Path, lang: str
) -> None:
    async def body() -> None:
        backend = DemoBackend(QingheCity(), heartbeat_ms=300)  # type: ignore[arg-type]
        await backend.start()
        c = build(backend.url, lang, tmp_path / "district")
        try:
            c.start()
            await wait_until(lambda: c.feed is not None and c.feed.state is ConnectionState.LIVE, what="live")
            await wait_until(lambda: overview_map(c).map.risk_point_count() == RISK_POINTS, what="risk points drawn")
            await asyncio.sleep(1.2)  # every screen's slow moment has passed
            c.frame()

            texts = [t for view in c.wall.views.values() for t in wall_texts(view)] + wall_texts(c.console)
            joined = "\n".join(texts)
            maps = [p for view in c.wall.views.values() for p in view.panels if isinstance(p, MapPanelView)]
            labels = [t for m in maps for t in map_texts(m)]

            # The district's own words, in the wall's language: districts, event types, units, kinds.
            mine = qinghe_names(lang)
            shown = {n for n in mine if n in joined or n in labels}
            want = {
                "en": {"East Qinghe", "West Qinghe", "Beihu", "Canal overflow", "Gas leak", "Canal level", "Methane"},
                "zh_CN": {"清河东区", "清河西区", "北湖区", "运河漫溢", "燃气泄漏", "运河水位", "甲烷浓度"},
            }[lang]
            assert want <= shown, want - shown
            other = "zh_CN" if lang == "en" else "en"
            assert not {n for n in qinghe_names(other) - mine if n in labels}, "map labels in the other language"
            # A unit's own name (protocol §5.3), never one made from its kind and id.
            unit = {"en": "Hongqi pump team 7", "zh_CN": "红旗泵站抢险七队"}[lang]
            dispatch = c.console.dispatch  # the console serves the most severe event: Lock 5's overflow
            assert isinstance(dispatch, DispatchPanelView)
            assert unit in dispatch.panel.button_text(), dispatch.panel.button_text()
            assert "QH/PUMP/7" not in joined
            # An event type the catalog does not name shows the event's own title (§5.1).
            assert "Ice jam at Lock 3" in joined
            # The vital-sign tiles are the district's group, titled in its words.
            tiles = next(p for p in c.wall.views["overview"].panels if isinstance(p, TilesPanelView))
            titles = [t.title_text() for t in tiles.tiles]
            assert all(any(n in t for n in mine) for t in titles), titles

            # Its map: its GeoPackage layers and its MBTiles basemap, at its place.
            om = overview_map(c).map
            assert om.layer_names() == ["districts", "rivers"]
            assert om.basemap_path() is not None and om.basemap_path().name == "qinghe.mbtiles"
            lon, lat = om.view().center_lon, om.view().center_lat
            assert BOUNDS[0] < lon < BOUNDS[2] and BOUNDS[1] < lat < BOUNDS[3]
            # The basemap lies under the wards: with them and the points hidden, its teal fills the map.
            om.set_layer_visible("districts", False)
            om.set_layer_visible("risk_points", False)
            img = om.grab().toImage()
            om.set_layer_visible("districts", True)
            om.set_layer_visible("risk_points", True)
            samples = [img.pixelColor(x, y) for x in range(0, img.width(), 16) for y in range(0, img.height(), 16)]
            teal = sum(1 for px in samples if px.green() > px.red() + 30 and px.blue() > px.red() + 30)
            assert teal > len(samples) // 2, f"the basemap is not drawn ({teal} of {len(samples)} samples teal)"
            assert BASEMAP_RGB[1] > BASEMAP_RGB[0] + 30
            # Its risk points, every one inside the city; none of the demo's.
            layer = c.situation.layers.get("risk_points")
            assert layer is not None
            pts = layer.columns()
            assert len(pts) == RISK_POINTS
            assert pts.lon.min() > BOUNDS[0] and pts.lon.max() < BOUNDS[2]
            assert not (pts.lon.min() < DEMO_BOUNDS[2] and pts.lon.max() > DEMO_BOUNDS[0])

            # Nothing of the demo: no demo names, no demo polygons, no demo points, no demo extent.
            found = [w for w in DEMO_WORDS if w in joined or any(w in lab for lab in labels)]
            assert not found, found
            assert all("forest_park" not in m.map.layer_names() for m in maps)
            p = om.lonlat_to_widget(106.55, 29.55)  # Chongqing is far off the map
            assert not (0 <= p.x() <= om.width() and 0 <= p.y() <= om.height())
            assert c.console.unnamed.text() == ""  # every code the wall shows has the district's name
        finally:
            await c.stop()
            await backend.stop()
            dispose(c)

        # The same wall, its backend down: the names and risk layer it kept, marked as old.
        again = build(backend.url, lang, tmp_path / "district")
        try:
            again.start()
            await wait_until(lambda: overview_map(again).map.risk_point_count() == RISK_POINTS, what="kept layer drawn")
            await asyncio.sleep(1.2)
            again.frame()
            assert again.feed is not None and again.feed.state is not ConnectionState.LIVE
            om = overview_map(again)
            note = {"en": "Hazard sites as of", "zh_CN": "隐患点"}[lang]
            assert note in om.title.text() and om.title.styleSheet(), om.title.text()
            console = again.console.unnamed
            assert console.isVisible() and ("kept on disk" in console.text() or "本地保存" in console.text())
            texts = "\n".join(t for view in again.wall.views.values() for t in wall_texts(view))
            kept = {"en": "Canal overflow", "zh_CN": "运河漫溢"}[lang]
            assert kept in texts or again.situation.catalog.name("event_type", "canal_overflow", lang) == kept
            assert again.situation.catalog.name("district", "qh-east", lang) == {"en": "East Qinghe", "zh_CN": "清河东区"}[lang]
            assert not [w for w in DEMO_WORDS if w in texts]
        finally:
            await again.stop()
            dispose(again)

    run_on_qt_loop(qapp, body)


def test_the_test_city_is_not_the_demo() -> None:
    """The test data itself: other coordinates, other codes, its own names in both languages."""
    assert not set(DEMO_DISTRICTS) & {"qh-west", "qh-east", "qh-north"}
    assert not set(TEST_CITY_NAMES) & set(DEMO_WORDS)
    assert BOUNDS[0] > DEMO_BOUNDS[2] + 5  # hundreds of kilometres east of the demo


def test_a_wall_on_a_backend_never_gets_the_demo_map() -> None:
    """The demo's map is the embedded demo city's "site files", and only its: with --backend and
    no [map] of the site's own, the maps have no static layers at all."""
    from cockpit.app.wiring import map_config
    from cockpit.config.site import MapConfig, MapLayer, demo_map

    assert map_config(MapConfig(), demo=False) == MapConfig()
    assert map_config(MapConfig(), demo=True) == demo_map()
    own = MapConfig(layers=(MapLayer(name="districts", file=Path("x.gpkg"), style="district"),))
    assert map_config(own, demo=True) is own  # a site's own map wins even on the demo city


def test_without_a_map_of_its_own_the_wall_shows_the_backends_layer_where_it_is(qapp: QApplication, tmp_path: Path) -> None:
    async def body() -> None:
        backend = DemoBackend(QingheCity(), heartbeat_ms=300)  # type: ignore[arg-type]
        await backend.start()
        c = Cockpit([backend.url], IDENTITY, "en", cache_dir=tmp_path / "district")
        c.place(virtual_screens(5, 1600, 900))
        c.wall.show(full_screen=False)
        try:
            c.start()
            await wait_until(lambda: overview_map(c).map.risk_point_count() == RISK_POINTS, what="risk points drawn")
            om = overview_map(c).map
            assert om.layer_names() == [] and om.basemap_path() is None  # no demo polygons, no basemap
            view = om.view()
            assert BOUNDS[0] < view.center_lon < BOUNDS[2] and BOUNDS[1] < view.center_lat < BOUNDS[3]
        finally:
            await c.stop()
            await backend.stop()
            dispose(c)

    run_on_qt_loop(qapp, body)
