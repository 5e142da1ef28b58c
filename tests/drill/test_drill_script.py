"""Drill scripts: the shipped ones load; a broken one is refused with its file, line and reason."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.record.drill_script import (
    DrillScriptError,
    EventInject,
    FailureMode,
    SensorFailureInject,
    UnitSilentInject,
    WeatherInject,
    drill_files,
    inject_kind,
    load_drill,
)

DRILLS = Path(__file__).resolve().parents[2] / "assets" / "drills"

GOOD = """\
id: test
title: {en: Test drill}
start:
  scenario: {seed: 2, clock: 30, speed: 2}
duration: 300
targets: {acknowledge: 30}
injects:
  - at: 50
    kind: weather
    rain: 1.0
  - at: 10
    kind: event
    type: railing_damaged
    theme: flood
    district: jiangbei
    severity: 3
    title: Railing washed away
  - at: 20
    kind: sensor_failure
    sensor: jiangbei-water_level-002
    mode: fault
    value: 0.5
  - at: 30
    kind: unit_silent
    unit: jiangbei-drainage_crew-1
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "drill.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_shipped_drill_loads_and_covers_every_inject_kind() -> None:
    files = drill_files(DRILLS)
    assert {p.stem for p in files} >= {"flood", "water_main", "joint_enforcement", "underpass_recorded"}
    kinds = set()
    for path in files:
        script = load_drill(path, open_recording=False)  # recordings are not shipped
        assert script.id == path.stem
        assert (script.start.scenario is not None) != (script.start.recording is not None)
        assert script.injects
        assert [i.at for i in script.injects] == sorted(i.at for i in script.injects)
        kinds |= {inject_kind(i) for i in script.injects}
    assert kinds == {"event", "sensor_failure", "weather", "unit_silent"}
    flood = load_drill(DRILLS / "flood.yaml")
    assert flood.cameras, "the flood drill shows the underpass cameras"
    assert any(isinstance(i, EventInject) and i.cameras for i in flood.injects)


def test_a_good_script_loads_with_its_injects_in_time_order_and_targets_merged(tmp_path: Path) -> None:
    script = load_drill(write(tmp_path, GOOD))
    assert [type(i) for i in script.injects] == [
        EventInject,
        SensorFailureInject,
        UnitSilentInject,
        WeatherInject,
    ]
    failure = script.injects[1]
    assert isinstance(failure, SensorFailureInject) and failure.mode is FailureMode.FAULT
    assert script.scenario.seed == 2 and script.scenario.speed == 2
    # Targets left out of the script keep the defaults.
    assert script.targets.acknowledge == 30 and script.targets.dispatch == 180


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("    kind: weather", "    kind: hail"), 9, "an inject kind is one of: event, sensor_failure"),
        (("    rain: 1.0", "    rain: 1.0\n    snow: 3"), 11, "unknown field `snow`"),
        (("    severity: 3", "    severity: 7"), 16, "severity 7 must be 1 (red) to 4 (blue)"),
        (("    district: jiangbei", "    district: atlantis"), 15, "unknown district 'atlantis'"),
        (("jiangbei-water_level-002", "jiangbei-water-2"), 20, "is not a demo sensor name"),
        (("    mode: fault", "    mode: broken"), 21, "a failure mode is one of: stale, fault"),
        (("jiangbei-drainage_crew-1", "jiangbei-submarine-1"), 25, "is not a demo unit id"),
        (("  - at: 50", "  - at: 400"), 8, "at 400 s is outside the drill"),
        (("    rain: 1.0", "    rain: 3.0"), 10, "rain 3 is outside 0 (dry) to 1.5"),
        (("duration: 300", "duration: -5"), 5, "duration -5 s must be positive"),
        (("duration: 300", "duration: soon"), 5, "Expected `float`, got `str`"),
        (("{seed: 2, clock: 30, speed: 2}", "{seed: 2, speed: 500}"), 4, "speed 500 is outside (0, 60]"),
        (("targets: {acknowledge: 30}", "targets: {acknowledge: 0}"), 6, "target 0 s must be positive"),
        (("title: {en: Test drill}", "title: {zh_CN: 演练}"), 2, "title needs at least an 'en' entry"),
        (("    type: railing_damaged\n", ""), 11, "missing required field `type`"),
    ],
)
def test_a_broken_script_is_refused_with_file_line_and_reason(
    tmp_path: Path, change: tuple[str, str], line: int, reason: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(DrillScriptError) as info:
        load_drill(path)
    err = info.value
    assert err.path == path
    assert reason in err.reason
    assert err.line == line, str(err)
    assert str(err).startswith(f"{path}:{line}: ")


def test_a_recording_start_needs_a_path_and_an_instant_and_is_one_start_only(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("  scenario: {seed: 2, clock: 30, speed: 2}", "  recording: /x.mcap"))
    with pytest.raises(DrillScriptError) as info:
        load_drill(path)
    assert info.value.line == 4 and "a recording start is a mapping: path, at" in info.value.reason
    no_at = GOOD.replace("  scenario: {seed: 2, clock: 30, speed: 2}", "  recording: {path: /x.mcap}")
    with pytest.raises(DrillScriptError, match="missing required field `at`"):
        load_drill(write(tmp_path, no_at))
    both = GOOD.replace("  scenario:", "  recording: {path: /x.mcap, at: 0}\n  scenario:")
    with pytest.raises(DrillScriptError, match="exactly one of 'scenario' or 'recording'"):
        load_drill(write(tmp_path, both))


def test_a_drill_with_cameras_lets_its_events_name_demo_cameras_and_refuses_unknown_ones(
    tmp_path: Path,
) -> None:
    named = GOOD.replace("    title: Railing washed away\n", "    title: Railing washed away\n    cameras: [cam-jb-riverbank]\n")
    assert named != GOOD
    with_cameras = named.replace("duration: 300\n", "duration: 300\ncameras: true\n")
    script = load_drill(write(tmp_path, with_cameras))
    event = script.injects[0]
    assert script.cameras and isinstance(event, EventInject) and event.cameras == ["cam-jb-riverbank"]
    assert not load_drill(write(tmp_path, GOOD)).cameras  # off unless asked for
    with pytest.raises(DrillScriptError) as info:
        load_drill(write(tmp_path, named))  # cameras named, none served
    assert info.value.line == 18 and "set 'cameras: true'" in info.value.reason
    with pytest.raises(DrillScriptError) as info:
        load_drill(write(tmp_path, with_cameras.replace("cam-jb-riverbank", "cam-nowhere")))
    assert info.value.line == 19 and "unknown camera 'cam-nowhere'" in info.value.reason
    assert "cam-jb-underpass-n" in info.value.reason  # says which cameras there are


def test_not_yaml_not_a_mapping_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DrillScriptError) as info:
        load_drill(write(tmp_path, "id: x\ntitle: [unclosed\n"))
    assert info.value.line is not None and "not valid YAML" in info.value.reason
    with pytest.raises(DrillScriptError) as info:
        load_drill(write(tmp_path, "- just\n- a list\n"))
    assert info.value.line == 1 and "must be a mapping" in info.value.reason
    with pytest.raises(DrillScriptError, match="cannot read"):
        load_drill(tmp_path / "missing.yaml")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_either_loads_or_is_refused_with_a_drill_script_error(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_drill(path)
        except DrillScriptError as exc:
            assert str(exc).startswith(str(path))
