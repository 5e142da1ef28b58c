"""Desk boards: what a wall board leaves out, on a console tab of its own (issue 15).

A runway file's ``desk`` holds panels on a grid of their own, validated as the wall board's are
(file, line, reason). Every built-in runway that leaves data out of its wall board carries it on
its desk board, bound to data the demo city really sends.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cockpit.backend.cameras.catalog import DEMO_CAMERAS
from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.present.panels.scope import event_scope, events_matching, sensors_matching
from cockpit.present.runway_spec import (
    DESK_SUFFIX,
    PanelKind,
    RunwayError,
    RunwaySpec,
    desk_board,
    load_runway,
    load_runways,
    runway_files,
)
from cockpit.protocol.messages import Filter, Stream
from tests.present.support import Feed
from tests.present.test_runway_spec import GOOD as WALL_BOARD

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "runways"

GOOD = WALL_BOARD + """\
desk:
  grid: {columns: 12, rows: 4}
  panels:
    - kind: tiles
      at: [0, 0, 6, 4]
      sensors: {kinds: [rain_gauge]}
    - kind: events
      at: [6, 0, 6, 4]
"""

DESK_RUNWAYS = {
    # runway: what its wall board leaves out (the file's comment said "not on this board")
    "traffic": "the other congestion areas and key roads' speeds",
    "water_quality": "the suspects for a section out of range and its week of dissolved oxygen",
    "street_party": "branch activities and grid workers on duty",
    "street_services": "service-centre visits",
    "street_safety": "red enterprises not yet inspected",
    "street_economy": "growth and vacancy",
    "waste": "the other disposal sites, the trucks' routes, the sites on a map",
    "flood": "the other cameras",
    "forest_fire": "the forest camera of a new fire alarm, fire risk, heat, wind, fire events",
    "water_supply": "the repair's progress, the other pressures, the burst alarms",
}


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "r.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_desk_board_is_a_runway_of_its_own_with_its_grid(tmp_path: Path) -> None:
    spec = load_runway(write(tmp_path, GOOD))
    assert spec.desk is not None and (spec.desk.grid.columns, spec.desk.grid.rows) == (12, 4)
    desk = desk_board(spec)
    assert desk is not None
    assert desk.id == "test" + DESK_SUFFIX and desk.title == spec.title
    assert [p.kind for p in desk.panels] == [PanelKind.TILES, PanelKind.EVENTS]
    assert (desk.grid.columns, desk.grid.rows) == (12, 4)
    assert desk.panels[0].sensors is not None and desk.panels[0].sensors.kinds == ["rain_gauge"]
    # A file without one has none; the grid defaults to the wall's 12 × 8.
    plain = load_runway(write(tmp_path, GOOD.split("desk:")[0]))
    assert plain.desk is None and desk_board(plain) is None
    default = load_runway(write(tmp_path, GOOD.replace("  grid: {columns: 12, rows: 4}\n", "").replace(", 4]", ", 8]")))
    assert default.desk is not None and (default.desk.grid.columns, default.desk.grid.rows) == (12, 8)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        # a panel past the desk's own grid (4 rows), though it would fit the wall's 8
        (GOOD.replace("at: [6, 0, 6, 4]", "at: [6, 0, 6, 8]"), 16, "desk board: panel at [6, 0, 6, 8] does not fit the 12×4 grid"),
        (GOOD.replace("at: [6, 0, 6, 4]", "at: [5, 0, 6, 4]"), 16, "desk board: this events panel overlaps panel 1"),
        (GOOD.replace("grid: {columns: 12, rows: 4}", "grid: {columns: 12, rows: 0}"), 10, "desk board: grid of 12×0 is outside 1..48"),
        (GOOD.replace("sensors: {kinds: [rain_gauge]}", "sensors: {limit: 3}"), 12, "desk board: a tiles panel needs 'sensors'"),
        (GOOD.replace("      sensors: {kinds: [rain_gauge]}", "      sensors: {kinds: [rain_gauge]}\n      colour: red"), 15, "unknown field `colour`"),
        (GOOD.replace("    - kind: events", "    - kind: pie"), 15, "a panel kind is one of"),
        (GOOD.split("  panels:\n    - kind: tiles")[0] + "  panels: []\n", 11, "a desk board needs at least one panel"),
        (GOOD.split("desk:")[0] + "desk:\n  grid: {columns: 12, rows: 4}\n", 10, "missing required field `panels`"),
    ],
)
def test_a_broken_desk_board_is_refused_with_file_line_and_reason(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RunwayError) as info:
        load_runway(path)
    err = info.value
    assert reason in err.reason, err.reason
    assert err.line == line, f"{err}"
    assert str(err).startswith(f"{path}:{line}: ")


def _built_in() -> dict[str, RunwaySpec]:
    loaded = load_runways(runway_files(ASSETS))
    assert loaded.errors == []
    return {r.id: r for r in loaded.runways}


def test_what_a_wall_board_leaves_out_is_on_its_desk_board_and_the_file_says_where() -> None:
    runways = _built_in()
    for rid in DESK_RUNWAYS:
        spec = runways[rid]
        text = (ASSETS / f"{rid}.yaml").read_text(encoding="utf-8")
        head = " ".join(line.lstrip("# ") for line in text.split("\nid:")[0].splitlines())
        assert "not on this" not in head and "are not on" not in head, (rid, head)
        tab = f"{spec.title['en']} · details"
        assert f'"{tab}"' in re.sub(r"\s+", " ", head), f"{rid}: the comment must name the tab {tab!r}"
        assert spec.desk is not None and spec.desk.panels, rid
        for p in spec.desk.panels:  # built-in files travel: never a district's name or a sensor's
            assert not p.title or ("en" in p.title and "zh_CN" in p.title), (rid, p.kind)
            for sel in (p.sensors, p.events):
                assert sel is None or not (sel.names or sel.districts), (rid, p.kind)
    # No built-in runway says something is "not on this board" any more.
    for path in runway_files(ASSETS):
        assert "not on this board" not in path.read_text(encoding="utf-8"), path


@pytest.fixture(scope="module")
def demo() -> Feed:
    """The demo city after its scenarios have run a while, as a wall would receive it: every
    stream's snapshot applied to a real Situation."""
    city = City(Hub(epoch="e", clock=lambda: 1), seed=1, rate=400, event_rate=30)
    city.advance(400)  # the storm, the fire, the slick, the waste alert and the burst are all up
    feed = Feed()
    for stream in (Stream.SENSORS, Stream.EVENTS, Stream.OVERLAYS):
        for message in city.snapshot(stream, Filter()):
            feed.apply(message)
    return feed


def test_every_desk_panel_binds_data_the_demo_city_sends(demo: Feed) -> None:
    situation = demo.situation
    kinds = {o.kind for o in situation.overlays.values()}
    camera_themes = {c.theme for c in DEMO_CAMERAS}
    bound = 0
    for rid, spec in _built_in().items():
        desk = desk_board(spec)
        if desk is None:
            continue
        for p in desk.panels:
            what = f"{rid} desk {p.kind.value} {p.title.get('en', '')}"
            if p.sensors is not None:
                rows = sensors_matching(situation, p.sensors)
                assert rows, f"{what}: its sensors selector picks no sensor of the demo city"
                if p.kind is PanelKind.TILES:  # no "No sensor" tile (it shows its limit's, else 4)
                    wanted = p.sensors.limit or 4
                    assert len(rows) >= wanted, f"{what}: {wanted} tiles, {len(rows)} sensors"
            if p.events is not None or p.kind in (PanelKind.EVENTS, PanelKind.CARD):
                events = events_matching(situation, event_scope(p.events, desk.theme))
                assert events, f"{what}: its events selector picks no open event of the demo city"
            missing = set(p.overlays) - kinds
            assert not missing, f"{what}: the demo city draws no {missing}"
            if p.video is not None:
                assert set(p.video.themes) <= camera_themes, f"{what}: no demo camera of {p.video.themes}"
            bound += 1
    assert bound >= 19
    assert set(DESK_RUNWAYS) <= {rid for rid, s in _built_in().items() if s.desk is not None}
