"""Runway files: the built-in ones load; broken ones are refused with file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.present.runway_spec import (
    PanelKind,
    RunwayError,
    load_runway,
    load_runway_folders,
    load_runways,
    runway_files,
)

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "runways"

GOOD = """\
id: test
title: {en: Test, zh_CN: 测试}
panels:
  - kind: events
    at: [0, 0, 6, 8]
  - kind: tiles
    at: [6, 0, 6, 8]
    sensors: {kinds: [water_level]}
"""


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_built_in_runways_load() -> None:
    result = load_runways(runway_files(ASSETS))
    assert result.errors == []
    ids = {r.id for r in result.runways}
    assert ids == {
        "overview", "forest_fire", "flood", "traffic", "water_supply",
        # issue 18: three more from the city's practice, and a street centre's four boards
        "waste", "water_quality", "citizen", "street_party", "street_economy", "street_services", "street_safety",
    }  # fmt: skip
    for r in result.runways:
        assert r.title_in("zh_CN") != r.title_in("en")
        for p in r.panels:  # every panel's title in both languages
            assert not p.title or ("en" in p.title and "zh_CN" in p.title), (r.id, p.kind)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            GOOD.replace("    at: [6, 0, 6, 8]", "    at: [6, 0, 6, 8]\n    colour: red"),
            8,
            "unknown field `colour`",
        ),
        (
            GOOD.replace("kind: tiles", "kind: pie_chart"),
            6,
            "'pie_chart'; a panel kind is one of: map, events",
        ),
        (
            GOOD.replace("at: [6, 0, 6, 8]", "at: [5, 0, 6, 8]"),
            7,
            "overlaps panel 1 (the events panel at [0, 0, 6, 8]",
        ),
        (GOOD.replace("at: [6, 0, 6, 8]", "at: [6, 0, 7, 8]"), 7, "does not fit the 12×8 grid"),
        (GOOD.replace("at: [0, 0, 6, 8]", "at: [0, 0, six, 8]"), 5, "Expected `int`, got `str`"),
        (GOOD.replace("id: test", "id: Test Runway!"), 1, "must be lower-case"),
        (GOOD.replace("title: {en: Test, zh_CN: 测试}", "title: {zh_CN: 测试}"), 2, "'en' entry"),
        (GOOD + "  - kind: [\n", 10, "not valid YAML"),
        # A missing ']' is named on its own line, not on the next one (issue 15).
        (GOOD.replace("at: [0, 0, 6, 8]", "at: [0, 0, 6, 8"), 5, "the '[' on line 5 is not closed with ']'"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        (GOOD.replace("id: test\n", ""), 1, "missing required field `id`"),
        (
            GOOD.replace("kind: tiles", "kind: indicator").replace("sensors: {kinds: [water_level]}", "indicator: x-001"),
            8,
            "unknown field `indicator`; an indicator panel shows the first sensor its 'sensors' selector picks",
        ),
        (GOOD.replace("sensors: {kinds: [water_level]}", "sensors: {limit: 2}"), 6, "needs 'sensors' with kinds, tags"),
        (GOOD.replace("kind: events", "kind: map\n    focus: forest"), 5, "focus 'forest' must be one of"),
    ],
)
def test_broken_file_is_refused_with_line_and_reason(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RunwayError) as info:
        load_runway(path)
    err = info.value
    assert err.path == path
    assert reason in err.reason, err.reason
    assert err.line == line, f"{err}"
    assert str(err).startswith(f"{path}:{line}: ")


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD.replace("kind: tiles", "kind: nope"), "b.yaml")
    write(tmp_path, GOOD, "c.yaml")  # same id as a.yaml
    result = load_runways(runway_files(tmp_path))
    assert [r.id for r in result.runways] == ["test"]
    assert [e.path.name for e in result.errors] == ["b.yaml", "c.yaml"]
    assert "already used" in result.errors[1].reason


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RunwayError, match="cannot read"):
        load_runway(path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_either_a_runway_or_a_runway_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_runway(path)
    except RunwayError as exc:
        assert exc.reason


def test_built_in_runways_travel_they_never_name_a_district_a_sensor_or_a_place() -> None:
    """A built-in runway works against any district's backend: its panels pick sensors by kind,
    tag and backend-given group, and its maps show the site's extent or a named layer's."""
    loaded = load_runways(runway_files(ASSETS))
    assert loaded.errors == [] and len(loaded.runways) >= 12, "issue 18's seven runways are checked too"
    for r in loaded.runways:
        assert r.center is None, r.id
        for p in r.panels:
            for sel in (p.sensors, p.events):
                assert sel is None or not (sel.names or sel.districts), (r.id, p.kind)
            if p.kind in (PanelKind.TILES, PanelKind.INDICATOR, PanelKind.TREND):
                assert p.sensors is not None, (r.id, p.kind)
            if p.sensors is not None:  # every kind that shows sensors (bars, profile, ranking, loop, ...)
                assert p.sensors.kinds or p.sensors.groups or p.sensors.tags, (r.id, p.kind)


def test_a_sites_folder_adds_runways_and_replaces_built_in_ones_by_id(tmp_path: Path) -> None:
    site, builtin = tmp_path / "site", tmp_path / "builtin"
    site.mkdir()
    builtin.mkdir()
    write(builtin, GOOD, "test.yaml")
    write(builtin, GOOD.replace("id: test", "id: other"), "other.yaml")
    write(site, GOOD.replace("title: {en: Test, zh_CN: 测试}", "title: {en: Ours, zh_CN: 我们的}"), "mine.yaml")
    write(site, GOOD.replace("id: test", "id: extra"), "extra.yaml")
    result = load_runway_folders([site, builtin])
    assert result.errors == []
    by_id = {r.id: r for r in result.runways}
    assert set(by_id) == {"test", "other", "extra"}
    assert by_id["test"].title_in("en") == "Ours"
    assert result.overridden == [("test", builtin / "test.yaml")]


def test_a_broken_site_file_is_refused_and_the_built_in_runway_shows(tmp_path: Path) -> None:
    site, builtin = tmp_path / "site", tmp_path / "builtin"
    site.mkdir()
    builtin.mkdir()
    write(builtin, GOOD, "test.yaml")
    write(site, GOOD.replace("kind: tiles", "kind: nope"), "test.yaml")
    result = load_runway_folders([site, builtin])
    assert [r.id for r in result.runways] == ["test"]
    assert [e.path for e in result.errors] == [site / "test.yaml"]
