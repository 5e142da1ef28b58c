"""Emergency plans (预案) as data files in ``assets/plans/*.yaml`` (docs/plans.md).

A plan turns one event into a checklist of agency tasks. It is selected by the event's type plus a
few conditions written in a small language (``pipe_diameter_mm < 500``, ``district in [d7]``;
no ``eval``), and each task names its owner agency, the kind of unit that does it, whether it is
mandatory, its deadline after activation and the tasks it waits for.

Loading validates each file and refuses a broken one with its path, line and reason
(:class:`PlanError`), like runway files: one bad plan never stops the others. No Qt here; the
demo backend runs plans (``cockpit/backend/plans_engine.py``) and the cockpit shows them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import msgspec
import yaml

from cockpit.model.yaml_lines import line_of, syntax_error
from cockpit.protocol.messages import Level

AGENCIES: Final[dict[str, tuple[str, str]]] = {
    "water_company": ("Water company", "水务集团"),
    "traffic_police": ("Traffic police", "交巡警"),
    "power_company": ("Power company", "供电公司"),
    "telecom": ("Telecom operators", "通信运营商"),
    "fire_brigade": ("Fire and rescue brigade", "消防救援队"),
    "grid_workers": ("Grid workers", "网格员"),
    "drainage": ("Drainage company", "排水公司"),
    "city_management": ("City management", "城市管理局"),
    "emergency_management": ("Emergency management bureau", "应急管理局"),
    "forestry": ("Forestry bureau", "林业局"),
    "health": ("Emergency medical centre (120)", "120急救中心"),
    "transport": ("Transport bureau", "交通局"),
    "ecology_environment": ("Ecology and environment bureau", "生态环境局"),
    "river_chief_office": ("River chief's office", "河长办"),
    "hotline_12345": ("12345 hotline centre", "12345热线中心"),
}
"""Owner agencies a task may name: code → (English, Chinese) name."""

LANGUAGES: Final = ("en", "zh_CN")
"""Every title is given in each of these."""

CORE_FACTS: Final = ("type", "severity", "district", "level", "theme")
"""Event fields a condition can test; any other name is looked up in the event's ``attrs``."""


class PlanError(ValueError):
    """A plan (or SLA) file that cannot be used: says which file, which line and why."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


# ------------------------------------------------------------------------------------------------
# The condition language


OPERATORS: Final = ("==", "!=", "<=", ">=", "<", ">", "not in", "in")
_ORDERING: Final = frozenset({"<", "<=", ">", ">="})
_MEMBERSHIP: Final = frozenset({"in", "not in"})

_CONDITION = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(==|!=|<=|>=|<|>|\bnot\s+in\b|\bin\b)\s*(.*?)\s*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_WORD = re.compile(r"^[A-Za-z0-9_.-]+$")
_QUOTED = re.compile(r"""^(?:"([^"]*)"|'([^']*)')$""")

Scalar = str | float


def _scalar(text: str) -> Scalar:
    text = text.strip()
    if _NUMBER.match(text):
        return float(text)
    quoted = _QUOTED.match(text)
    if quoted:
        return quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
    if _WORD.match(text):
        return text
    raise ValueError(f"{text!r} is not a number, a word or a quoted string")


@dataclass(frozen=True, slots=True)
class Condition:
    """One test of an event fact: ``<fact> <op> <value>``; see docs/plans.md."""

    fact: str
    op: str
    value: Scalar | tuple[Scalar, ...]
    text: str

    @classmethod
    def parse(cls, text: str) -> Condition:
        """Parse one condition; ``ValueError`` says what is wrong with it."""
        m = _CONDITION.match(text)
        if not m:
            raise ValueError(
                f"condition {text!r} is not '<fact> <op> <value>' with op one of {', '.join(OPERATORS)}"
            )
        fact, op, raw = m.group(1), " ".join(m.group(2).split()), m.group(3)
        if not raw:
            raise ValueError(f"condition {text!r} has no value after {op!r}")
        value: Scalar | tuple[Scalar, ...]
        if op in _MEMBERSHIP:
            if not (raw.startswith("[") and raw.endswith("]")):
                raise ValueError(f"condition {text!r}: {op!r} needs a list like [a, b]")
            items = [p for p in raw[1:-1].split(",") if p.strip()]
            if not items:
                raise ValueError(f"condition {text!r}: the list is empty")
            value = tuple(_scalar(p) for p in items)
        else:
            value = _scalar(raw)
            if op in _ORDERING and not isinstance(value, float):
                raise ValueError(f"condition {text!r}: {op!r} compares numbers, not {value!r}")
        cond = cls(fact, op, value, text.strip())
        cond._check_fact()
        return cond

    def _check_fact(self) -> None:
        values = self.value if isinstance(self.value, tuple) else (self.value,)
        if self.fact == "severity":
            if not all(isinstance(v, float) and v in (1, 2, 3, 4) for v in values):
                raise ValueError(f"condition {self.text!r}: severity is 1 (red) to 4 (blue)")
        elif self.fact == "level":
            levels = [lv.value for lv in Level]
            if self.op in _ORDERING or not all(v in levels for v in values):
                raise ValueError(
                    f"condition {self.text!r}: level is one of {', '.join(levels)}, "
                    "compared with ==, !=, in or not in"
                )

    def holds(self, facts: Mapping[str, Scalar]) -> bool:
        """Whether the event with these facts passes; a missing fact never passes (docs/plans.md)."""
        if self.fact not in facts:
            return False
        have = facts[self.fact]
        if self.op in _MEMBERSHIP:
            assert isinstance(self.value, tuple)
            found = any(_equal(have, v) for v in self.value)
            return found if self.op == "in" else not found
        assert not isinstance(self.value, tuple)
        if self.op == "==":
            return _equal(have, self.value)
        if self.op == "!=":
            return not _equal(have, self.value)
        number = _number(have)
        if number is None:
            return False
        limit = float(self.value)
        return {
            "<": number < limit,
            "<=": number <= limit,
            ">": number > limit,
            ">=": number >= limit,
        }[self.op]


def _number(v: Scalar) -> float | None:
    if isinstance(v, float | int):
        return float(v)
    try:
        n = float(v)
    except ValueError:
        return None
    return n if math.isfinite(n) else None


def _equal(have: Scalar, want: Scalar) -> bool:
    if isinstance(want, float):
        number = _number(have)
        return number is not None and number == want
    return str(have) == want


def event_facts(
    type_: str, severity: int, district: str, level: str, theme: str, attrs: Mapping[str, Scalar]
) -> dict[str, Scalar]:
    """The facts conditions see: an event's attrs plus its core fields (which attrs cannot hide)."""
    facts: dict[str, Scalar] = dict(attrs)
    facts.update(type=type_, severity=float(severity), district=district, level=level, theme=theme)
    return facts


# ------------------------------------------------------------------------------------------------
# The file format


class TaskSpec(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """One task of a plan."""

    id: str
    title: dict[str, str]
    owner: str
    """The agency that does it (:data:`AGENCIES`)."""
    unit: str
    """The kind of unit that does it (e.g. ``water_repair``, ``traffic_police``)."""
    deadline: str
    """Time after activation it must be done by: ``90s``, ``20m``, ``2h``, ``1h30m``."""
    mandatory: bool = True
    after: list[str] = []
    """Tasks that must be done before this one is dispatched."""

    @property
    def deadline_s(self) -> int:
        return parse_duration(self.deadline)

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]


class PlanSpec(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A plan: what selects it and its tasks."""

    id: str
    title: dict[str, str]
    event_types: list[str]
    tasks: list[TaskSpec]
    when: list[str] = []
    """Conditions, all of which must hold (docs/plans.md)."""
    dual_approval: bool = False
    """A supervisor other than the activating officer must approve before any task is dispatched."""
    priority: int = 0
    """When several plans match, higher first."""

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(Condition.parse(c) for c in self.when)

    def selects(self, facts: Mapping[str, Scalar]) -> bool:
        """Whether this plan applies to an event with these facts (:func:`event_facts`)."""
        return facts.get("type") in self.event_types and all(c.holds(facts) for c in self.conditions)

    def task(self, task_id: str) -> TaskSpec:
        return next(t for t in self.tasks if t.id == task_id)


_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,60}$")


def parse_duration(text: str) -> int:
    """Seconds in ``1h30m``, ``20m``, ``90s``; ``ValueError`` for anything else or zero."""
    m = _DURATION.match(text.replace(" ", ""))
    if not m or not text.strip():
        raise ValueError(f"duration {text!r} is not like 90s, 20m, 2h or 1h30m")
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    total = 3600 * h + 60 * mi + s
    if total <= 0:
        raise ValueError(f"duration {text!r} must be longer than zero")
    return total


S = TypeVar("S", bound=msgspec.Struct)


def load_yaml_struct(path: Path, kind: type[S], what: str) -> tuple[S, yaml.Node | None]:
    """Read ``path`` as YAML into ``kind``; :class:`PlanError` with the line on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(path, None, f"cannot read: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line, reason = syntax_error(exc)
        raise PlanError(path, line, reason) from exc
    except yaml.YAMLError as exc:
        raise PlanError(path, None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PlanError(path, 1, f"{what} must be a mapping")
    try:
        return msgspec.convert(data, kind), node
    except msgspec.ValidationError as exc:
        reason, _, where = str(exc).partition(" - at `")
        where = where.rstrip("`") or "$"
        raise PlanError(path, line_of(node, where, reason), f"{reason} (at {where})") from exc


def _check_title(title: dict[str, str], where: str) -> list[tuple[str, str]]:
    missing = [lang for lang in LANGUAGES if not title.get(lang, "").strip()]
    return [(where, f"title needs {', '.join(missing)}")] if missing else []


def _check(spec: PlanSpec) -> list[tuple[str, str]]:
    """Rules msgspec cannot express; (error path, reason) pairs in file order."""
    problems: list[tuple[str, str]] = []
    if not _ID.match(spec.id):
        problems.append(("$.id", f"id {spec.id!r} must be lower-case letters, digits or '_'"))
    problems += _check_title(spec.title, "$.title")
    if not spec.event_types:
        problems.append(("$.event_types", "a plan needs at least one event type"))
    for i, text in enumerate(spec.when):
        try:
            Condition.parse(text)
        except ValueError as exc:
            problems.append((f"$.when[{i}]", str(exc)))
    if not spec.tasks:
        problems.append(("$.tasks", "a plan needs at least one task"))
    seen: dict[str, int] = {}
    for i, t in enumerate(spec.tasks):
        at = f"$.tasks[{i}]"
        if not _ID.match(t.id):
            problems.append((f"{at}.id", f"task id {t.id!r} must be lower-case letters, digits or '_'"))
        if t.id in seen:
            problems.append((f"{at}.id", f"task id {t.id!r} is already used by task {seen[t.id] + 1}"))
        seen.setdefault(t.id, i)
        problems += _check_title(t.title, f"{at}.title")
        if t.owner not in AGENCIES:
            problems.append((f"{at}.owner", f"unknown agency {t.owner!r}; one of: {', '.join(AGENCIES)}"))
        if not _ID.match(t.unit):
            problems.append((f"{at}.unit", f"unit kind {t.unit!r} must be lower-case letters, digits or '_'"))
        try:
            parse_duration(t.deadline)
        except ValueError as exc:
            problems.append((f"{at}.deadline", str(exc)))
    ids = {t.id for t in spec.tasks}
    for i, t in enumerate(spec.tasks):
        for j, dep in enumerate(t.after):
            if dep == t.id:
                problems.append((f"$.tasks[{i}].after[{j}]", f"task {t.id!r} cannot wait for itself"))
            elif dep not in ids:
                problems.append((f"$.tasks[{i}].after[{j}]", f"task {t.id!r} waits for unknown task {dep!r}"))
    if not problems:
        cycle = _cycle(spec.tasks)
        if cycle:
            i = next(k for k, t in enumerate(spec.tasks) if t.id == cycle[0])
            problems.append(
                (f"$.tasks[{i}].after", f"tasks wait for each other in a circle: {' → '.join(cycle)}")
            )
    return problems


def _cycle(tasks: list[TaskSpec]) -> list[str]:
    """One dependency cycle as task ids (first repeated at the end), or [] if there is none."""
    after = {t.id: t.after for t in tasks}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(tid: str) -> list[str]:
        state[tid] = 1
        path.append(tid)
        for dep in after[tid]:
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[tid] = 2
        return []

    for t in tasks:
        if t.id not in state:
            found = visit(t.id)
            if found:
                return found
    return []


def load_plan(path: Path) -> PlanSpec:
    """Load and validate one plan file.

    Raises:
        PlanError: the file cannot be read, is not YAML, or is not a valid plan.
    """
    spec, node = load_yaml_struct(path, PlanSpec, "a plan file")
    problems = _check(spec)
    if problems:
        where, reason = problems[0]
        raise PlanError(path, line_of(node, where), reason)
    return spec


@dataclass(frozen=True, slots=True)
class PlanLibrary:
    """The plans that loaded, by id, and the files that were refused with why."""

    plans: dict[str, PlanSpec]
    errors: list[PlanError]

    def select(self, facts: Mapping[str, Scalar]) -> list[PlanSpec]:
        """Plans that apply to an event with these facts, highest priority first, then by id."""
        found = [p for p in self.plans.values() if p.selects(facts)]
        found.sort(key=lambda p: (-p.priority, p.id))
        return found


def load_plans(paths: Iterable[Path]) -> PlanLibrary:
    """Load every file; a broken one is reported, never fatal. A repeated plan id keeps the first."""
    plans: dict[str, PlanSpec] = {}
    where: dict[str, Path] = {}
    errors: list[PlanError] = []
    for path in sorted(paths):
        try:
            spec = load_plan(path)
        except PlanError as exc:
            errors.append(exc)
            continue
        if spec.id in plans:
            errors.append(PlanError(path, None, f"plan id {spec.id!r} is already used by {where[spec.id]}"))
            continue
        plans[spec.id] = spec
        where[spec.id] = path
    return PlanLibrary(plans, errors)


def plan_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


ASSETS_PLANS: Final = Path(__file__).resolve().parent.parent.parent / "assets" / "plans"
"""The built-in plans."""


def load_builtin_plans() -> PlanLibrary:
    return load_plans(plan_files(ASSETS_PLANS))
