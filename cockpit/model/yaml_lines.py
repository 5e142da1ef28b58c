"""Where in a YAML file a problem is: the line of the node at a msgspec error path.

Every file the cockpit loads (runways, plans, drill scripts, SLA targets) reports its problems as
``file:line: reason``; this is the one place that maps msgspec's ``$.tasks[2].owner`` to a line.
"""

from __future__ import annotations

import re

import yaml

_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")


def line_of(node: yaml.Node | None, path: str, reason: str = "") -> int | None:
    """The 1-based line of the YAML node at a msgspec error path like ``$.tasks[2].owner``.

    For an unknown field, the line of that field's key.
    """
    if node is None:
        return None
    unknown = _UNKNOWN_FIELD.search(reason)
    if unknown:
        path = f"{path}.{unknown.group(1)}"
    line = node.start_mark.line + 1
    for m in _PATH_PART.finditer(path.removeprefix("$")):
        key, index = m.group(1), m.group(2)
        child: yaml.Node | None = None
        if key is not None and isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    child = v
                    break
        elif index is not None and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            child = node.value[int(index)]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


_UNCLOSED = {"flow sequence": "[", "flow mapping": "{"}


def syntax_error(exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """The line and reason of a YAML syntax error, as the author would look for it.

    PyYAML notices an unclosed ``[`` or ``{`` only where the next line begins, and reports that
    line: the bracket left open on line 7 was reported on line 8. For those, the line is where the
    bracket was opened.
    """
    context = exc.context or ""
    for kind, bracket in _UNCLOSED.items():
        if kind in context and exc.context_mark is not None and "expected ','" in (exc.problem or ""):
            closing = "]" if bracket == "[" else "}"
            line = exc.context_mark.line + 1
            return line, f"not valid YAML: the '{bracket}' on line {line} is not closed with '{closing}'"
    mark = exc.problem_mark
    return (mark.line + 1 if mark else None), f"not valid YAML: {exc.problem}"
