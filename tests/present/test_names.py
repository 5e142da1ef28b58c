"""Names from the backend (protocol §5.8): the district's words first, the event's own title next,
the fallback vocabulary only for a backend that sends no catalog, and the code itself, listed at
the console, when there is no name anywhere."""

from __future__ import annotations

from cockpit.model.alarms import ConsoleScope
from cockpit.model.plans import load_builtin_plans
from cockpit.model.sla import load_sla_targets
from cockpit.present.alarms import AlarmsPresenter
from cockpit.present.console import ConsoleModel
from cockpit.present.names import Names
from cockpit.present.panels.tiles import TilesModel
from cockpit.present.runway_spec import Panel, PanelKind, Selector
from cockpit.protocol.events import SnapshotReceived
from cockpit.protocol.messages import Catalog, CatalogEntry
from tests.present.support import NOW, Feed, context, sensor

HILL = [
    CatalogEntry(kind="district", code="d7", names={"en": "Hill Town", "zh_CN": "山城"}),
    CatalogEntry(kind="event_type", code="gas_leak", names={"en": "Gas leak", "zh_CN": "燃气泄漏"}),
    CatalogEntry(kind="sensor_kind", code="methane", names={"en": "Methane", "zh_CN": "甲烷"}, decimals=3),
    CatalogEntry(kind="level", code="street", names={"en": "township centre", "zh_CN": "镇街中心"}),
    CatalogEntry(kind="district", code="d8", names={"en": "Only English"}),
]


def hill_feed() -> Feed:
    feed = Feed(names=False)
    feed.situation.apply([SnapshotReceived("catalog", "ep", 1, (Catalog(stream="catalog", seq=1, prev=0, ts=NOW, entries=HILL),))])
    return feed


def test_the_backends_names_in_the_walls_language_else_english() -> None:
    situation = hill_feed().situation
    en = Names(lambda _c, s: s, situation.catalog, "en")
    zh = Names(lambda _c, s: s, situation.catalog, "zh_CN")
    assert (en.district("d7"), zh.district("d7")) == ("Hill Town", "山城")
    assert (en.event_type("gas_leak", "title"), zh.event_type("gas_leak")) == ("Gas leak", "燃气泄漏")
    assert zh.district("d8") == "Only English"
    assert (en.level("street"), en.level("city")) == ("township centre", "city centre")
    assert en.decimals("methane") == 3


def test_a_backend_with_a_catalog_is_the_only_source_codes_it_does_not_name_show_as_codes() -> None:
    names = Names(lambda _c, s: s, hill_feed().situation.catalog, "en")
    # "fire" is in the fallback vocabulary, but this backend sends names: its word or the code.
    assert names.event_type("fire") == "fire"
    assert names.event_type("fire", "Fire at the mill") == "Fire at the mill"  # the event's own title (§5.1)
    assert names.sensor_kind("water_level") == "water_level"
    assert names.decimals("water_level") == 1


def test_a_backend_without_a_catalog_gets_the_fallback_vocabulary_but_never_place_names() -> None:
    situation = Feed(names=False).situation
    assert not situation.catalog.offered
    en = Names(lambda _c, s: s, situation.catalog, "en")
    zh = Names(lambda _c, s: s, situation.catalog, "zh_CN")
    assert (en.event_type("fire"), zh.event_type("fire")) == ("Fire alarm", "火警")
    assert en.event_type("fire", "Fire at the mill") == "Fire at the mill"  # its title before the fallback
    assert en.decimals("pipe_pressure") == 2
    assert en.district("jiangbei") == "jiangbei"  # a place is never guessed


def test_units_carry_their_own_names_per_language() -> None:
    feed = hill_feed()
    unit = feed.unit("hq-7")
    feed.apply(unit)
    record = feed.situation.units["hq-7"]
    assert Names(lambda _c, s: s, feed.situation.catalog, "zh_CN").unit(record) == unit.names["zh_CN"]
    assert Names(lambda _c, s: s, feed.situation.catalog, "en").unit(record) == unit.name


def test_withdrawn_and_changed_names_rebind_the_tiles() -> None:
    feed = hill_feed()
    ctx = context(situation=feed.situation)
    model = TilesModel(Panel(kind=PanelKind.TILES, at=(0, 0, 4, 2), title={"en": "Gas"}, sensors=Selector(kinds=["methane"])), ctx)
    feed.apply(feed.catalog(sensor(1, "d7-m-001", kind="methane", district="d7", unit="%LEL")))
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.bindings is not None
    assert state.bindings[0].title == "Hill Town" and state.bindings[0].decimals == 3
    feed.apply(
        Catalog(
            stream="catalog", seq=2, prev=1, ts=NOW,
            entries=[CatalogEntry(kind="district", code="d7", names={"en": "Hill"}), CatalogEntry(kind="sensor_kind", code="methane", active=False)],
        )
    )  # fmt: skip
    state = model.update(feed.situation, feed.frame())
    assert state is not None and state.bindings is not None
    assert state.bindings[0].title == "Hill" and state.bindings[0].decimals == 1


def test_the_console_lists_the_codes_shown_as_codes() -> None:
    feed = hill_feed()
    ctx = context(situation=feed.situation)
    alarms = AlarmsPresenter(ConsoleScope("console"), ctx.book, ctx.translate)
    console = ConsoleModel(ctx, alarms, "op", load_builtin_plans(), load_sla_targets())
    feed.apply(
        feed.event("e1", district="d7", type="gas_leak"),
        feed.event("e2", district="d9", type="chemical_spill"),
        feed.catalog(sensor(1, "x", kind="methane", district="d7"), sensor(2, "y", kind="radon", district="d7")),
    )
    text = console.update_unnamed(feed.situation, feed.frame())
    assert text == "Shown as codes (no name from the backend): district d9; event type chemical_spill; sensor kind radon"
    assert console.update_unnamed(feed.situation, feed.frame()) is None  # unchanged: nothing to show again
    feed.apply(Catalog(stream="catalog", seq=2, prev=1, ts=NOW, entries=[CatalogEntry(kind="district", code="d9", names={"en": "Nine"})]))
    text = console.update_unnamed(feed.situation, feed.frame())
    assert text is not None and "d9" not in text and "radon" in text
