"""Drill scripts: a trainer's exercise as a file in ``assets/drills/*.yaml`` (docs/operations.md, Drills).

A script says where the drill starts (a synthetic scenario of the demo city: seed, scenario clock,
speed; or the situation at an instant of a recording) and what the trainer throws at the duty officers, and when: a new event, a sensor failure, a
weather change, a unit that does not respond. It also sets the response targets the drill report
measures against, and whether the drill serves the demo cameras (``cameras: true``: the runways'
video slots show them, and an event can name the cameras that see it).

Loading validates the whole file and refuses a broken one with its path, line and reason
(:class:`DrillScriptError`), so a trainer finds the mistake before the exercise, not during it.

No Qt here: the trainer console and the sandbox both use these specs.
"""

from __future__ import annotations

import datetime
import enum
import re
from pathlib import Path
from typing import Any

import msgspec
import yaml

from cockpit.backend.cameras.catalog import DEMO_CAMERAS
from cockpit.backend.city import DISTRICTS, SENSOR_KINDS, UNIT_KINDS
from cockpit.backend.scenarios import scenario_sensor_kinds
from cockpit.model.yaml_lines import line_of as _line_of
from cockpit.model.yaml_lines import syntax_error
from cockpit.record import RecordingError
from cockpit.record.drill_start import RecordingInstantError, open_at, parse_instant

_DISTRICT_CODES = tuple(d.code for d in DISTRICTS)
_SENSOR_KINDS = tuple(k.kind for k in SENSOR_KINDS) + scenario_sensor_kinds()
_UNIT_KINDS = tuple(sorted({k for kinds in UNIT_KINDS.values() for k in kinds}))
_THEMES = tuple(UNIT_KINDS)
_CAMERA_IDS = tuple(c.id for c in DEMO_CAMERAS)
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")
_SENSOR_NAME = re.compile(r"^([a-z]+)-([a-z_]+)-(\d{3})$")
_UNIT_ID = re.compile(r"^([a-z]+)-([a-z_]+)-(\d+)$")

MAX_SPEED = 60.0
"""Fastest scenario clock a drill may run (the replay's top speed too)."""


class FailureMode(enum.StrEnum):
    """How a failed sensor shows its failure."""

    STALE = "stale"
    """It stops reporting: its value goes stale on the wall."""
    FAULT = "fault"
    """It keeps reporting, but a fault value (a stuck or zero reading)."""


class Targets(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Response targets in drill seconds from the event's appearance; None: not measured against."""

    acknowledge: float | None = None
    dispatch: float | None = None
    close: float | None = None

    def merged(self, defaults: Targets) -> Targets:
        """These targets, each missing one taken from ``defaults``."""
        return Targets(
            acknowledge=self.acknowledge if self.acknowledge is not None else defaults.acknowledge,
            dispatch=self.dispatch if self.dispatch is not None else defaults.dispatch,
            close=self.close if self.close is not None else defaults.close,
        )


DEFAULT_TARGETS = Targets(acknowledge=60.0, dispatch=180.0, close=900.0)


class ScenarioStart(msgspec.Struct, forbid_unknown_fields=True):
    """Start on the demo backend's simulated city (docs/demo.md)."""

    seed: int = 1
    clock: float = 0.0
    """Scenario-clock second the drill starts at (the storm, the burst and the fire follow it)."""
    speed: float = 1.0
    """Simulated seconds per real second."""
    rate: float = 2000.0
    """Sensor updates per simulated second."""
    events_per_min: float = 6.0
    """Background events (grid workers, 12345 hotline) per simulated minute; 0 for none."""


class RecordingStart(ScenarioStart, forbid_unknown_fields=True, kw_only=True):
    """Start on the situation recorded at one instant of a recording (cockpit/record/drill_start.py).

    The sandbox city takes that situation and simulates on from scenario second ``clock``.
    """

    path: str
    """A segment file or a folder of segments, relative to the script or absolute; once loaded,
    the absolute path."""
    at: float | str
    """Seconds or ``[HH:]MM:SS`` from the recording's start, or an ISO time."""


class Start(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Where the drill starts: exactly one of ``scenario`` or ``recording``."""

    scenario: ScenarioStart | None = None
    recording: RecordingStart | None = None


class _InjectBase(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    at: float
    """Drill seconds after the start (the scenario clock while running; a pause stops it)."""
    name: str = ""
    """How the trainer and the report call this inject; defaults to a description."""


class EventInject(_InjectBase, tag="event", tag_field="kind", kw_only=True):
    """A new event reported to the centre (a call, a grid worker's photo, a camera)."""

    type: str
    theme: str
    district: str
    severity: int
    title: str
    near: str = ""
    """A sensor name to put the event at; empty: somewhere in the district."""
    attrs: dict[str, str | float] = {}
    """Facts the event carries (protocol §5.1 ``attrs``): a truck's plate, a request's channel."""
    cameras: list[str] = []
    """Demo cameras that see it (ids of cockpit/backend/cameras/catalog.py), for the wall's video
    slot; empty: the cameras the city's rule picks (those watching ``near``, else the nearest).
    Needs the script's ``cameras: true``."""
    targets: Targets | None = None
    """Targets for this event; missing ones come from the script's ``targets``."""

    def describe(self) -> str:
        return self.name or f"{self.title} ({self.district})"


class SensorFailureInject(_InjectBase, tag="sensor_failure", tag_field="kind", kw_only=True):
    """A field sensor fails: its value stops (goes stale) or reads a fault."""

    sensor: str
    mode: FailureMode = FailureMode.STALE
    value: float = 0.0
    """The reading of a ``fault`` sensor."""

    def describe(self) -> str:
        return self.name or f"{self.sensor} fails ({self.mode.value})"


class WeatherInject(_InjectBase, tag="weather", tag_field="kind", kw_only=True):
    """The weather changes; each field left out keeps following the scenario."""

    rain: float | None = None
    """Storm intensity 0 (dry) to 1.5 (beyond the scenario's worst); gauges, water levels,
    inundation and closures follow it."""
    wind: float | None = None
    """Wind speed in m/s the district wind indicators read."""
    temperature: float | None = None
    """Air temperature in °C the district indicators read."""

    def describe(self) -> str:
        if self.name:
            return self.name
        parts = [
            f"{label} {value:g}"
            for label, value in (("rain", self.rain), ("wind", self.wind), ("temperature", self.temperature))
            if value is not None
        ]
        return "weather: " + ", ".join(parts)


class UnitSilentInject(_InjectBase, tag="unit_silent", tag_field="kind", kw_only=True):
    """A unit stops answering: it is sent its dispatches but never acknowledges or moves."""

    unit: str

    def describe(self) -> str:
        return self.name or f"{self.unit} does not respond"


Inject = EventInject | SensorFailureInject | WeatherInject | UnitSilentInject
INJECT_KINDS = ("event", "sensor_failure", "weather", "unit_silent")


def inject_kind(inject: Inject) -> str:
    """The ``kind`` an inject is written with in a script."""
    return str(type(inject).__struct_config__.tag)


class DrillScript(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A drill: where it starts, how long it runs, what is injected and the targets."""

    id: str
    title: dict[str, str]
    start: Start
    duration: float
    """Drill seconds until the drill ends and its report is written."""
    description: dict[str, str] = {}
    targets: Targets = msgspec.field(default_factory=Targets)
    """Default targets for every measured event; one left out is taken from DEFAULT_TARGETS."""
    report_severity: int = 2
    """Sensor alarms of this level or more severe (1 red … 4 blue) are measured, besides every
    injected event and every event the trainees act on."""
    report_themes: list[str] = []
    """Themes whose sensor alarms are measured (``flood``, ``water``…); empty: every theme."""
    cameras: bool = False
    """Serve the demo cameras for this drill: the sandbox publishes their catalog and streams
    them over RTSP on loopback, and its events name the cameras that see them (docs/video.md)."""
    injects: list[Inject] = []

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.id

    @property
    def scenario(self) -> ScenarioStart:
        """Seed, scenario clock, speed and rates of the sandbox city (of either start)."""
        sc = self.start.scenario or self.start.recording
        assert sc is not None  # loading refuses a script without a start
        return sc


class DrillScriptError(ValueError):
    """A drill script that cannot be used: says which file, which line and why."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


def _check_inject(i: int, inj: Inject, duration: float) -> list[tuple[str, str]]:
    """Rules for one inject that msgspec cannot express; (error path, reason) pairs."""
    at = f"$.injects[{i}]"
    problems: list[tuple[str, str]] = []
    if not 0 <= inj.at <= duration:
        problems.append((f"{at}.at", f"at {inj.at:g} s is outside the drill (0 to duration {duration:g} s)"))
    if isinstance(inj, EventInject):
        if inj.district not in _DISTRICT_CODES:
            problems.append(
                (f"{at}.district", f"unknown district {inj.district!r}; one of {_DISTRICT_CODES}")
            )
        if inj.theme not in _THEMES:
            problems.append((f"{at}.theme", f"unknown theme {inj.theme!r}; one of {_THEMES}"))
        if not 1 <= inj.severity <= 4:
            problems.append((f"{at}.severity", f"severity {inj.severity} must be 1 (red) to 4 (blue)"))
        if inj.near:
            problems += [(f"{at}.near", p) for p in _sensor_name_problems(inj.near)]
        for j, cam in enumerate(inj.cameras):
            if cam not in _CAMERA_IDS:
                problems.append(
                    (f"{at}.cameras[{j}]", f"unknown camera {cam!r}; a demo camera is one of {_CAMERA_IDS}")
                )
    elif isinstance(inj, SensorFailureInject):
        problems += [(f"{at}.sensor", p) for p in _sensor_name_problems(inj.sensor)]
    elif isinstance(inj, WeatherInject):
        if inj.rain is None and inj.wind is None and inj.temperature is None:
            problems.append((at, "a weather inject needs rain, wind or temperature"))
        if inj.rain is not None and not 0 <= inj.rain <= 1.5:
            problems.append((f"{at}.rain", f"rain {inj.rain:g} is outside 0 (dry) to 1.5"))
        if inj.wind is not None and not 0 <= inj.wind <= 70:
            problems.append((f"{at}.wind", f"wind {inj.wind:g} m/s is outside 0 to 70"))
        if inj.temperature is not None and not -40 <= inj.temperature <= 55:
            problems.append((f"{at}.temperature", f"temperature {inj.temperature:g} °C is outside -40 to 55"))
    else:
        m = _UNIT_ID.match(inj.unit)
        if not m or m.group(1) not in _DISTRICT_CODES or m.group(2) not in _UNIT_KINDS:
            problems.append(
                (
                    f"{at}.unit",
                    f"unit {inj.unit!r} is not a demo unit id <district>-<kind>-<n>, "
                    f"e.g. {_DISTRICT_CODES[0]}-{_UNIT_KINDS[0]}-1 (kinds: {', '.join(_UNIT_KINDS)})",
                )
            )
    return problems


def _sensor_name_problems(name: str) -> list[str]:
    m = _SENSOR_NAME.match(name)
    if not m or m.group(1) not in _DISTRICT_CODES or m.group(2) not in _SENSOR_KINDS:
        return [
            f"sensor {name!r} is not a demo sensor name <district>-<kind>-<nnn>, "
            f"e.g. {_DISTRICT_CODES[0]}-{_SENSOR_KINDS[0]}-001 (kinds: {', '.join(_SENSOR_KINDS)})"
        ]
    return []


def _check(script: DrillScript) -> list[tuple[str, str]]:
    """Rules msgspec cannot express; returns (error path, reason) pairs, in file order."""
    problems: list[tuple[str, str]] = []
    if not _ID.match(script.id):
        problems.append(("$.id", f"id {script.id!r} must be lower-case letters, digits, '-' or '_'"))
    if "en" not in script.title:
        problems.append(("$.title", "title needs at least an 'en' entry"))
    start = script.start
    if (start.scenario is None) == (start.recording is None):
        problems.append(("$.start", "start needs exactly one of 'scenario' or 'recording'"))
    else:
        at = "$.start.scenario" if start.scenario is not None else "$.start.recording"
        sc = script.scenario
        if start.recording is not None:
            if not start.recording.path.strip():
                problems.append((f"{at}.path", "path must name a recording file or folder"))
            try:
                parse_instant(start.recording.at)
            except ValueError as exc:
                problems.append((f"{at}.at", str(exc)))
        if sc.clock < 0:
            problems.append((f"{at}.clock", f"clock {sc.clock:g} s must not be negative"))
        if not 0 < sc.speed <= MAX_SPEED:
            problems.append((f"{at}.speed", f"speed {sc.speed:g} is outside (0, {MAX_SPEED:g}]"))
        if sc.rate <= 0:
            problems.append((f"{at}.rate", f"rate {sc.rate:g} must be positive"))
        if sc.events_per_min < 0:
            problems.append((f"{at}.events_per_min", "events_per_min must not be negative"))
    if script.duration <= 0:
        problems.append(("$.duration", f"duration {script.duration:g} s must be positive"))
    if not 1 <= script.report_severity <= 4:
        problems.append(("$.report_severity", "report_severity must be 1 (red) to 4 (blue)"))
    for field in ("acknowledge", "dispatch", "close"):
        value = getattr(script.targets, field)
        if value is not None and value <= 0:
            problems.append((f"$.targets.{field}", f"target {value:g} s must be positive"))
    for i, theme in enumerate(script.report_themes):
        if theme not in _THEMES:
            problems.append((f"$.report_themes[{i}]", f"unknown theme {theme!r}; one of {_THEMES}"))
    names: dict[str, int] = {}
    for i, inj in enumerate(script.injects):
        problems += _check_inject(i, inj, script.duration)
        if isinstance(inj, EventInject) and inj.cameras and not script.cameras:
            problems.append(
                (f"$.injects[{i}].cameras", "the event names cameras but the drill has none: set 'cameras: true'")
            )
        if inj.name and inj.name in names:
            problems.append(
                (f"$.injects[{i}].name", f"name {inj.name!r} is already used by inject {names[inj.name] + 1}")
            )
        names.setdefault(inj.name, i)
    return problems


def load_drill(path: Path, *, open_recording: bool = True) -> DrillScript:
    """Load and validate one drill script.

    A recording start's path is made absolute (it is relative to the script) and, with
    ``open_recording``, the recording is opened to check the drill can start at its instant.

    Raises:
        DrillScriptError: the file cannot be read, is not YAML, or does not describe a valid drill;
            or its recording is missing, unreadable, or has no state snapshot before the instant.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DrillScriptError(path, None, f"cannot read: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line, reason = syntax_error(exc)
        raise DrillScriptError(path, line, reason) from exc
    except yaml.YAMLError as exc:
        raise DrillScriptError(path, None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DrillScriptError(path, 1, "a drill script must be a mapping with id, title, start and duration")
    _times_as_text(data)
    try:
        script = msgspec.convert(data, DrillScript)
    except msgspec.ValidationError as exc:
        reason, _, where = str(exc).partition(" - at `")
        where = where.rstrip("`")
        if where.endswith(".kind") and reason.startswith("Invalid value"):
            reason += f"; an inject kind is one of: {', '.join(INJECT_KINDS)}"
        elif where == "$.start.recording" and reason.startswith("Expected"):
            reason += "; a recording start is a mapping: path, at (and seed, clock, speed, rate…)"
        elif where.endswith(".mode"):
            reason += f"; a failure mode is one of: {', '.join(m.value for m in FailureMode)}"
        raise DrillScriptError(path, _line_of(node, where or "$", reason), reason) from exc
    problems = _check(script)
    if problems:
        where, reason = problems[0]
        raise DrillScriptError(path, _line_of(node, where), reason)
    if script.start.recording is not None:
        _check_recording(path, node, script.start.recording, open_recording)
    script.targets = script.targets.merged(DEFAULT_TARGETS)  # a target left out keeps its default
    script.injects.sort(key=lambda inj: inj.at)  # stable: equal times keep the file's order
    return script


def _times_as_text(data: dict[str, Any]) -> None:
    """YAML reads an unquoted ``at: 2026-06-18T14:05:00`` as a datetime: take it as its ISO text."""
    start = data.get("start")
    recording = start.get("recording") if isinstance(start, dict) else None
    if isinstance(recording, dict) and isinstance(recording.get("at"), datetime.date):
        recording["at"] = recording["at"].isoformat()


def _check_recording(path: Path, node: yaml.Node | None, start: RecordingStart, open_it: bool) -> None:
    """Make the recording's path absolute and, with ``open_it``, check the drill can start in it."""
    recording = Path(start.path).expanduser()
    start.path = str(recording if recording.is_absolute() else (path.parent / recording).resolve())
    if not open_it:
        return
    try:
        opened, _ = open_at(Path(start.path), parse_instant(start.at))
    except RecordingInstantError as exc:
        raise DrillScriptError(path, _line_of(node, "$.start.recording.at"), f"recording {exc}") from exc
    except RecordingError as exc:
        raise DrillScriptError(path, _line_of(node, "$.start.recording.path"), f"recording {exc}") from exc
    opened.close()


def drill_files(folder: Path) -> list[Path]:
    """The drill scripts in ``folder``, by name."""
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
