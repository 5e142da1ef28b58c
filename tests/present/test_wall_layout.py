"""Screens are matched by identity, never position; unplugged screens' runways move."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from cockpit.present.wall_layout import (
    ConsoleEntry,
    LayoutEntry,
    LayoutError,
    ScreenInfo,
    ScreenMatch,
    WallLayout,
    assign,
    load_layout,
    reading_order,
    virtual_screens,
)

RUNWAYS = ["overview", "forest_fire", "flood", "traffic", "water_supply"]


def screen(name: str, serial: str, x: int, y: int = 0) -> ScreenInfo:
    return ScreenInfo(name, "Samsung", "QM55B", serial, x, y, 3840, 2160)


def test_matching_is_by_identity_not_position() -> None:
    layout = WallLayout(
        screens=[
            LayoutEntry("flood", ScreenMatch(serial="S-3")),
            LayoutEntry("overview"),
            LayoutEntry("traffic"),
        ]
    )
    a = [screen("DP-1", "S-1", 0), screen("DP-2", "S-2", 3840), screen("DP-3", "S-3", 7680)]
    first = assign(layout, a, RUNWAYS)
    # The cables are swapped: the OS now lists the panels in another order with other names.
    b = [screen("DP-3", "S-2", 3840), screen("DP-1", "S-3", 7680), screen("DP-2", "S-1", 0)]
    second = assign(layout, b, RUNWAYS)
    assert first.on_screen["flood"].serial == second.on_screen["flood"].serial == "S-3"
    assert first.on_screen["overview"].x == 0 and second.on_screen["overview"].x == 0
    assert set(first.on_console) == {"forest_fire", "water_supply"}


def test_unplugged_screen_sends_its_runway_to_a_free_screen_or_the_console() -> None:
    layout = load_layout(Path(__file__).resolve().parents[2] / "assets" / "walls" / "default.yaml")
    six = virtual_screens(6)
    before = assign(layout, six, RUNWAYS)
    assert len(before.on_screen) == 5 and len(before.unused) == 1
    gone = before.on_screen["flood"]
    after = assign(layout, [s for s in six if s != gone], RUNWAYS)
    assert "flood" in after.on_screen and after.on_screen["flood"] != gone  # the spare screen took it
    fewer = assign(layout, six[:3], RUNWAYS)
    assert fewer.on_console == ["traffic", "water_supply"]


def test_reading_order_is_rows_then_columns() -> None:
    s = virtual_screens(4)  # a 2×2 wall
    shuffled = [s[3], s[1], s[2], s[0]]
    assert [x.name for x in reading_order(shuffled)] == ["virtual-1", "virtual-2", "virtual-3", "virtual-4"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("screens: []\n", "at least one screen"),
        ("screens:\n  - runway: overview\n    match: {colour: red}\n", "unknown field `colour`"),
        ("screens:\n  - runway: overview\nfont_scale: 20\n", "font_scale"),
        ("[1, 2", "cannot read"),
        ("screens:\n  - runway: overview\nconsole: {match: {}}\n", "console.match must name the desk monitor"),
        ("screens:\n  - runway: overview\nconsole: {}\n", "missing required field `match`"),
    ],
)
def test_bad_layout_is_refused_with_reason(tmp_path: Path, text: str, reason: str) -> None:
    p = tmp_path / "wall.yaml"
    p.write_text(text)
    with pytest.raises(LayoutError, match=reason):
        load_layout(p)


def test_wall_moves_a_runway_to_the_console_tab_and_back(qapp: QApplication) -> None:
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity

    c = Cockpit(["ws://127.0.0.1:9"], Identity("t", "o", "viewer"))
    try:
        c.wall.place(virtual_screens(5))
        base = c.wall.console.tabs.count()  # the console's own tabs (wall, alarm KPIs)
        assert set(c.wall.windows) == set(RUNWAYS)
        # The five on screens are not console tabs; the built-in runways the default wall gives no
        # screen (issue 18's) are (docs/runways.md).
        assert all(c.wall.console.tabs.indexOf(c.wall.views[r]) == -1 for r in RUNWAYS)
        assert all(c.wall.console.tabs.indexOf(v) >= 0 for r, v in c.wall.views.items() if r not in RUNWAYS)
        c.wall.place(virtual_screens(4))  # one screen unplugged
        assert "water_supply" not in c.wall.windows
        assert c.wall.console.tabs.count() == base + 1
        assert c.wall.console.tabs.indexOf(c.wall.views["water_supply"]) >= 0
        c.wall.place(virtual_screens(5))  # plugged back in
        assert "water_supply" in c.wall.windows and c.wall.console.tabs.count() == base
        assert c.wall.windows["water_supply"].centralWidget() is c.wall.views["water_supply"]
        assert not c.wall.views["water_supply"].isHidden()
    finally:
        c.wall.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_spanning_mode_tiles_one_large_display(qapp: QApplication) -> None:
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity

    layout = WallLayout(screens=[LayoutEntry(r) for r in RUNWAYS[:4]], spanning=True)
    c = Cockpit(["ws://127.0.0.1:9"], Identity("t", "o", "viewer"), layout=layout)
    try:
        display = ScreenInfo("HDMI-1", "Barco", "UniSee", "W1", 0, 0, 7680, 4320)
        a = c.wall.place([display])
        assert c.wall.windows == {} and c.wall.span is not None
        assert c.wall.span.geometry().width() == 7680
        cells = {rid: (s.x, s.y, s.width, s.height) for rid, s in a.on_screen.items()}
        assert cells == {
            "overview": (0, 0, 3840, 2160),
            "forest_fire": (3840, 0, 3840, 2160),
            "flood": (0, 2160, 3840, 2160),
            "traffic": (3840, 2160, 3840, 2160),
        }
        assert c.wall.views["flood"].parent() is c.wall.span.host
        assert c.wall.views["flood"].geometry().topLeft().y() == 2160
        # The fifth, and the built-in runways the layout names nowhere (issue 18's), go to the console.
        assert "water_supply" in a.on_console and not set(a.on_console) & set(RUNWAYS[:4])
    finally:
        c.wall.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_layout_naming_a_missing_runway_says_so(qapp: QApplication) -> None:
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity

    layout = WallLayout(screens=[LayoutEntry("overview"), LayoutEntry("floood")])
    c = Cockpit(["ws://127.0.0.1:9"], Identity("t", "o", "viewer"), layout=layout)
    try:
        assert any("floood" in p and "no runway file" in p for p in c.wall.problems)
        assert "floood" in c.wall.console.problems.text()
    finally:
        c.wall.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_no_screen_stays_black_while_a_runway_has_none() -> None:
    layout = WallLayout(screens=[LayoutEntry("overview"), LayoutEntry("floood")])
    a = assign(layout, virtual_screens(3), RUNWAYS)
    assert len(a.on_screen) == 3 and a.unused == []
    assert a.on_screen["overview"].name == "virtual-1"
    assert a.on_console == ["traffic", "water_supply"]


def test_a_street_centre_gets_its_four_boards_by_default() -> None:
    from cockpit.app.wiring import DEFAULT_LAYOUT, STREET_LAYOUT, default_layout

    assert default_layout("street") == STREET_LAYOUT
    assert default_layout("district") == default_layout("city") == DEFAULT_LAYOUT
    boards = [e.runway for e in load_layout(STREET_LAYOUT).screens]
    assert boards == ["street_party", "street_economy", "street_services", "street_safety"]


def test_the_desk_monitor_is_the_consoles_and_never_a_runways() -> None:
    desk = ScreenInfo("DP-9", "Dell", "U2723QE", "D-1", 0, 0, 2560, 1440)  # left of the wall: first in reading order
    wall = [screen("DP-1", "S-1", 2560), screen("DP-2", "S-2", 6400)]
    layout = WallLayout(
        screens=[LayoutEntry("flood", ScreenMatch(serial="S-2")), LayoutEntry("overview"), LayoutEntry("traffic")],
        console=ConsoleEntry(ScreenMatch(model="U2723QE")),
    )
    a = assign(layout, [*wall, desk], RUNWAYS)
    assert a.console_screen is desk
    assert a.on_screen == {"flood": wall[1], "overview": wall[0]}  # not the desk, though it comes first
    assert a.on_console == ["forest_fire", "traffic", "water_supply"] and a.unused == []
    # A wall panel unplugged: its runway goes to the console, not to the free-looking desk monitor.
    lost = assign(layout, [wall[0], desk], RUNWAYS)
    assert lost.console_screen is desk and "flood" in lost.on_console and desk not in lost.on_screen.values()
    # The desk monitor unplugged: nothing reserved, the wall as before.
    assert assign(layout, wall, RUNWAYS).console_screen is None
    # Without a console entry the same screen is a wall screen like any other (as before).
    plain = assign(WallLayout(screens=layout.screens), [*wall, desk], RUNWAYS)
    assert plain.console_screen is None and plain.on_screen["overview"] is desk


def test_the_desk_monitor_can_be_named_as_the_primary_screen(tmp_path: Path) -> None:
    p = tmp_path / "wall.yaml"
    p.write_text("screens:\n  - runway: overview\n  - runway: flood\nconsole:\n  match: {primary: true}\n")
    layout = load_layout(p)
    screens = [screen("DP-1", "S-1", 0), ScreenInfo("eDP-1", "BOE", "0x0a1b", "", 3840, 0, 1920, 1080, primary=True)]
    a = assign(layout, screens, RUNWAYS)
    assert a.console_screen is screens[1] and a.on_screen == {"overview": screens[0]}
    assert assign(layout, [screen("DP-1", "S-1", 0)], RUNWAYS).console_screen is None  # no primary: none


def test_wall_puts_the_console_on_the_desk_monitor_and_follows_its_resolution(qapp: QApplication) -> None:
    from cockpit.app.wiring import Cockpit
    from cockpit.feed import Identity

    layout = WallLayout(screens=[LayoutEntry(r) for r in RUNWAYS[:2]], console=ConsoleEntry(ScreenMatch(name="desk")))
    c = Cockpit(["ws://127.0.0.1:9"], Identity("t", "o", "viewer"), layout=layout)
    try:
        desk = ScreenInfo("desk", "Dell", "P2422H", "", 3840, 0, 1920, 1080)
        c.wall.place([*virtual_screens(2), desk])
        assert set(c.wall.windows) == {"overview", "forest_fire"}
        g = c.wall.console.geometry()
        assert (g.x(), g.y(), g.width(), g.height()) == (3840, 0, 1920, 1080)
        rows = [c.wall.console.table.item(i, 0).text() for i in range(c.wall.console.table.rowCount())]
        assert any("desk monitor" in r or "桌面" in r for r in rows), rows
        assert c.wall.console.summary.text().startswith("Runways on the wall: 2 (screens: 2)")  # the desk is not the wall's
        # A resolution change on a wall screen: the same screen, smaller. Its window follows, and the
        # runway's text is sized for the new height.
        before_px = c.wall.views["forest_fire"].fontInfo().pixelSize()
        small = [virtual_screens(2)[0], ScreenInfo("virtual-2", "cockpit", "virtual", "V002", 1920, 0, 1280, 720), desk]
        c.wall.place(small)
        w = c.wall.windows["forest_fire"].geometry()
        assert (w.x(), w.width(), w.height()) == (1920, 1280, 720)
        assert c.wall.windows["forest_fire"].screen_info.height == 720
        assert c.wall.views["forest_fire"].fontInfo().pixelSize() < before_px
        # And on the desk monitor: the console is fitted to it again.
        c.wall.place([*virtual_screens(2), ScreenInfo("desk", "Dell", "P2422H", "", 3840, 0, 1280, 720)])
        g = c.wall.console.geometry()
        assert (g.x(), g.width(), g.height()) == (3840, 1280, 720)
    finally:
        c.wall.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
