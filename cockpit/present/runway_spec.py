"""Runway files: declarative screens in ``assets/runways/*.yaml`` (docs/runways.md).

A runway is a grid of panels bound to data. A new runway is a new file, with no code. Loading
validates the file and refuses a broken one with its path, line and reason
(:class:`RunwayError`); the caller shows that and starts the rest of the wall.

No Qt here: the wall builds widgets from these specs.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import yaml

from cockpit.model.yaml_lines import line_of as _line_of
from cockpit.model.yaml_lines import syntax_error


class PanelKind(enum.StrEnum):
    """What a panel shows."""

    MAP = "map"
    EVENTS = "events"
    TILES = "tiles"
    TREND = "trend"
    DISPATCH = "dispatch"
    INDICATOR = "indicator"
    VIDEO = "video"
    BARS = "bars"
    """Each sensor as a bar against its limits (disposal sites' load against the 50 % line)."""
    CARD = "card"
    """One event, large: its type, place and time and the facts it carries (plate, route, source)."""
    PROFILE = "profile"
    """Stations along a river by their ``river_km``, against their limits, and what drifts on it."""
    HISTORY = "history"
    """Days of the backend's history of the sensors picked (§5.11), spans out of range marked."""
    PLAN = "plan"
    """The running (or recommended) plan of the runway's event: its tasks, owners and deadlines."""
    LOOP = "loop"
    """The closed loop's five steps with counts, median times and late requests per period."""
    RANKING = "ranking"
    """Areas ranked by their five-colour rating."""
    TIMELINE = "timeline"
    """One event's closed loop from report to closure, step by step with times."""


SENSOR_KINDS_OF_PANELS = frozenset(
    {"tiles", "indicator", "trend", "bars", "profile", "history", "loop", "ranking"}
)
"""Panel kinds that show sensors and need a ``sensors`` selector."""


class Selector(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Which events or sensors a panel binds to (docs/runways.md, "Selectors").

    Each list is a choice (any of its entries); the lists together must all hold; an empty list
    does not restrict. Built-in runway files select by kind, theme, tag and backend-given group,
    never by a district's own codes or a sensor's name, so they work against any district's
    backend; ``districts`` and ``names`` are for a site's own runway files.
    """

    districts: list[str] = []
    themes: list[str] = []
    kinds: list[str] = []
    tags: list[str] = []
    """Sensors carrying any of these tags (protocol §5.2 ``SensorInfo.tags``)."""
    groups: list[str] = []
    """Sensors in any of these backend-given groups (protocol §5.2 ``SensorInfo.groups``)."""
    names: list[str] = []
    """Sensors by name, in this order: ties the file to one backend (a site's own files only)."""
    types: list[str] = []
    limit: int = 0


class VideoAlarms(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Which new alarms bring the cameras that see them into a video panel (docs/video.md)."""

    themes: list[str] = []
    types: list[str] = []
    districts: list[str] = []
    max_severity: int = 4
    """1: only red alarms; 4: every alarm."""
    cameras: int = 4
    """At most this many of an alarm's cameras."""


class Video(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A ``video`` panel: one camera or a grid of them, with pages (docs/video.md)."""

    grid: int = 1
    """1: one camera; 2, 3 or 4: a grid of that many cameras a side."""
    themes: list[str] = []
    districts: list[str] = []
    cameras: list[str] = []
    """Default cameras by id, in order; empty: every camera of the themes and districts."""
    alarms: VideoAlarms | None = None
    """Alarm-linked video; leave it out for none."""


class Panel(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """One panel: a kind, a place on the runway's grid and its data binding."""

    kind: PanelKind
    at: tuple[int, int, int, int]
    """Column, row, column span, row span on the runway's grid."""
    title: dict[str, str] = {}
    """Title per language (``en``, ``zh_CN``); empty for no title."""
    events: Selector | None = None
    sensors: Selector | None = None
    layers: list[str] = []
    """Map layers by name (see the map widget's layer names)."""
    overlays: list[str] = []
    """Dynamic overlay kinds sent by the backend to draw on a map."""
    focus: str = ""
    """For ``map`` panels: a layer (of ``layers``) whose extent the map shows; empty: the site's
    home extent. "Show the forest park" travels to every district that has such a layer, where a
    centre in degrees would not."""
    video: Video | None = None
    """For ``video`` panels: the grid, the default cameras and which alarms bring theirs."""
    columns: int = 0
    """For ``tiles`` panels: tiles per row (0: 1, 2 or 3 by count). One column of wide tiles puts
    title, value and state on one line, which suits a tall, narrow panel on a wall."""
    fields: list[str] = []
    """For ``card`` panels: which of the event's facts (``attrs`` keys) to show, in this order;
    empty: all it has."""
    key_fields: list[str] = []
    """For ``card`` panels: the facts shown at key size, read from the back of the room (a plate)."""
    days: int = 7
    """For ``history`` panels: how many days back the chart reaches (1..60)."""
    event_labels: str = "severe"
    """For ``map`` panels: which event markers carry their type's name: ``severe`` (red ones on a
    wall, red and orange at the console), ``all``, or ``none``."""


class Grid(msgspec.Struct, forbid_unknown_fields=True):
    columns: int = 12
    rows: int = 8


class Desk(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A runway's desk board: what its wall board leaves out, on a console tab of its own in desk
    type ("Traffic · details"; docs/runways.md, "Desk boards"). The same panel kinds, bindings and
    rules as the wall board's, on a grid of its own."""

    panels: list[Panel]
    grid: Grid = msgspec.field(default_factory=Grid)


class RunwaySpec(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A themed screen of the wall."""

    id: str
    title: dict[str, str]
    panels: list[Panel]
    theme: str = ""
    grid: Grid = msgspec.field(default_factory=Grid)
    center: tuple[float, float, float] | None = None
    """Map centre lon, lat and zoom for this runway's maps (a site's own files; built-in ones use a
    map panel's ``focus``); None: each map's focus layer, else the site's home extent."""
    desk: Desk | None = None
    """The desk board shown at the console for this runway (on a wall screen or not); None: none."""

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.id


DESK_SUFFIX = ".desk"
"""What a desk board's id adds to its runway's id: a runway id cannot hold a dot, so a desk board
never shares a name with a runway in the wall's cadence or in screenshots."""


def desk_board(spec: RunwaySpec) -> RunwaySpec | None:
    """The runway's desk board as a runway of its own (built by the same view-models and views as a
    wall board, shown in desk type at the console); None if the file has no ``desk``."""
    if spec.desk is None:
        return None
    return RunwaySpec(
        id=spec.id + DESK_SUFFIX,
        title=spec.title,
        panels=spec.desk.panels,
        theme=spec.theme,
        grid=spec.desk.grid,
        center=spec.center,
    )


class RunwayError(ValueError):
    """A runway file that cannot be used: says which file, which line and why."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


_ID = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")


def _check(spec: RunwaySpec) -> list[tuple[str, str]]:
    """Rules msgspec cannot express; returns (error path, reason) pairs."""
    problems: list[tuple[str, str]] = []
    if not _ID.match(spec.id):
        problems.append(("$.id", f"id {spec.id!r} must be lower-case letters, digits, '-' or '_'"))
    if "en" not in spec.title:
        problems.append(("$.title", "title needs at least an 'en' entry"))
    if not spec.panels:
        problems.append(("$.panels", "a runway needs at least one panel"))
    problems += _check_panels(spec.panels, spec.grid, "$")
    if spec.desk is not None:
        if not spec.desk.panels:
            problems.append(("$.desk.panels", "a desk board needs at least one panel (or leave 'desk' out)"))
        problems += [(w, f"desk board: {r}") for w, r in _check_panels(spec.desk.panels, spec.desk.grid, "$.desk")]
    return problems


def _check_panels(panels: Sequence[Panel], g: Grid, at: str) -> list[tuple[str, str]]:
    """The rules of one board's panels on its grid (``at``: the board's path, ``$`` or ``$.desk``)."""
    problems: list[tuple[str, str]] = []
    if not (1 <= g.columns <= 48 and 1 <= g.rows <= 48):
        problems.append((f"{at}.grid", f"grid of {g.columns}×{g.rows} is outside 1..48"))
    taken: dict[tuple[int, int], int] = {}
    for i, p in enumerate(panels):
        c, r, w, h = p.at
        if w < 1 or h < 1 or c < 0 or r < 0 or c + w > g.columns or r + h > g.rows:
            problems.append(
                (f"{at}.panels[{i}].at", f"panel at {list(p.at)} does not fit the {g.columns}×{g.rows} grid")
            )
            continue
        for cc in range(c, c + w):
            for rr in range(r, r + h):
                if (cc, rr) in taken:
                    other = panels[taken[(cc, rr)]]
                    problems.append(
                        (
                            f"{at}.panels[{i}].at",
                            f"this {p.kind.value} panel overlaps panel {taken[(cc, rr)] + 1} "
                            f"(the {other.kind.value} panel at {list(other.at)}; panels count from 1)",
                        )
                    )
                    break
                taken[(cc, rr)] = i
            else:
                continue
            break
        if p.event_labels not in ("severe", "all", "none"):
            problems.append((f"{at}.panels[{i}].event_labels", "event_labels is one of: severe, all, none"))
        if not 1 <= p.days <= 60:
            problems.append((f"{at}.panels[{i}].days", f"days {p.days} is outside 1..60"))
        if p.focus and p.focus not in p.layers:
            problems.append((f"{at}.panels[{i}].focus", f"focus {p.focus!r} must be one of the panel's layers"))
        if p.kind.value in SENSOR_KINDS_OF_PANELS and not _selects(p.sensors):
            problems.append(
                (
                    f"{at}.panels[{i}]",
                    f"a {p.kind.value} panel needs 'sensors' with kinds, tags, groups or names "
                    "(e.g. sensors: {kinds: [water_level], groups: [flood_watch]})",
                )
            )
        if p.kind is PanelKind.VIDEO and p.video is not None and p.video.grid not in (1, 2, 3, 4):
            problems.append((f"{at}.panels[{i}].video.grid", f"a video grid is 1, 2, 3 or 4 cameras a side, not {p.video.grid}"))
    return problems


def _selects(sel: Selector | None) -> bool:
    """Whether a sensor selector picks sensors by what they are, not all of a district's."""
    return sel is not None and bool(sel.kinds or sel.tags or sel.groups or sel.names or sel.themes)


_HINTS = {
    "unknown field `indicator`": (
        "an indicator panel shows the first sensor its 'sensors' selector picks: "
        "sensors: {kinds: [fire_risk], groups: [forest_park]} (a runway never names a sensor of one backend)"
    ),
}


def load_runway(path: Path) -> RunwaySpec:
    """Load and validate one runway file.

    Raises:
        RunwayError: the file cannot be read, is not YAML, or does not describe a valid runway.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RunwayError(path, None, f"cannot read: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line, reason = syntax_error(exc)
        raise RunwayError(path, line, reason) from exc
    except yaml.YAMLError as exc:
        raise RunwayError(path, None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RunwayError(path, 1, "a runway file must be a mapping with id, title and panels")
    try:
        spec = msgspec.convert(data, RunwaySpec)
    except msgspec.ValidationError as exc:
        message = str(exc)
        reason, _, where = message.partition(" - at `")
        where = where.rstrip("`")
        if "Invalid enum value" in reason and where.endswith(".kind"):
            reason += f"; a panel kind is one of: {', '.join(k.value for k in PanelKind)}"
        for clue, hint in _HINTS.items():
            if clue in reason:
                reason += f"; {hint}"
        raise RunwayError(path, _line_of(node, where or "$", reason), reason) from exc
    problems = _check(spec)
    if problems:
        where, reason = problems[0]
        raise RunwayError(path, _line_of(node, where), reason)
    return spec


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Runways that loaded, and the files that were refused with why."""

    runways: list[RunwaySpec]
    errors: list[RunwayError]
    overridden: list[tuple[str, Path]] = field(default_factory=list)
    """Runway ids a folder earlier in the list replaced, with the file that was not used."""
    paths: list[Path] = field(default_factory=list)
    """The file of each runway, in the same order (when loaded by :func:`load_runways`)."""


def load_runways(paths: Iterable[Path]) -> LoadResult:
    """Load every file; a broken one is reported, never fatal. Duplicate ids keep the first."""
    runways: list[RunwaySpec] = []
    errors: list[RunwayError] = []
    seen: dict[str, Path] = {}
    used: list[Path] = []
    for path in sorted(paths):
        try:
            spec = load_runway(path)
        except RunwayError as exc:
            errors.append(exc)
            continue
        if spec.id in seen:
            errors.append(
                RunwayError(path, None, f"runway id {spec.id!r} is already used by {seen[spec.id]}")
            )
            continue
        seen[spec.id] = path
        runways.append(spec)
        used.append(path)
    return LoadResult(runways, errors, paths=used)


def runway_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def load_runway_folders(folders: Sequence[Path]) -> LoadResult:
    """Load the runway files of several folders; a runway id in an earlier folder replaces the same
    id in a later one (a site's own folder first, then the built-in runways: docs/runways.md).

    A broken file is reported and never replaces anything: the built-in runway of the same id then
    shows, so a typo in a site's file does not leave a screen black. Duplicate ids within one folder
    are reported as :func:`load_runways` does.
    """
    runways: list[RunwaySpec] = []
    errors: list[RunwayError] = []
    overridden: list[tuple[str, Path]] = []
    taken: set[str] = set()
    for folder in folders:
        result = load_runways(runway_files(folder))
        errors += result.errors
        for spec, path in zip(result.runways, result.paths, strict=True):
            if spec.id in taken:
                overridden.append((spec.id, path))
                continue
            taken.add(spec.id)
            runways.append(spec)
    return LoadResult(runways, errors, overridden)
