"""Fuzzing the file loaders: runways, wall layouts, plans, drill scripts, the site file (issue 8).

Every loader found in the tree (:func:`tests.fuzz.targets.file_loaders`) gets random text,
YAML-ish text, byte- and line-mutated good files, and good files with their structure mutated
(a key dropped, a value of another type, an unknown key, a list item doubled). Each must either
load or be refused with the loader's own error naming the file, the line where it has one, and the
problem; nothing else may escape.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import FILE_FUZZ as FUZZ
from tests.fuzz.targets import FileLoader, check_file, file_loaders

LOADERS = file_loaders()
YAML_LOADERS = [n for n, f in LOADERS.items() if f.suffix == ".yaml"]
TOKENS = [
    "id",
    "title",
    "panels",
    "kind",
    "at",
    "screens",
    "en",
    "- ",
    "  ",
    ": ",
    "\n",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "&a",
    "*a",
    "!!python/object",
    "0x1F",
    "1e999",
    "-1",
    "~",
    "yes",
    "#",
    "|",
    ">",
    "?",
    "%",
    "@",
]
yamlish = st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=60).map("".join)


def test_every_loader_is_fuzzed() -> None:
    # The loaders this suite promises (issue 8); the others join as their modules appear.
    assert {"runway", "layout"} <= set(LOADERS), sorted(LOADERS)
    for loader in LOADERS.values():
        assert loader.seeds, f"{loader.name}: no good files to mutate"


def _seed_text(loader: FileLoader, i: int) -> bytes:
    return loader.seeds[i % len(loader.seeds)].read_bytes()


@pytest.mark.parametrize("name", sorted(LOADERS))
@FUZZ
@given(text=st.text(max_size=400) | yamlish)
def test_random_text_is_loaded_or_refused_clearly(name: str, text: str) -> None:
    check_file(LOADERS[name], text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("name", sorted(LOADERS))
@FUZZ
@given(data=st.data())
def test_byte_and_line_mutated_good_files_are_loaded_or_refused_clearly(
    name: str, data: st.DataObject
) -> None:
    loader = LOADERS[name]
    content = _seed_text(loader, data.draw(st.integers(0, 10)))
    lines = content.split(b"\n")
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["drop", "double", "swap", "flip", "indent"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines) - 1))
        if op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "double":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "flip" and lines[i]:
            k = data.draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + bytes([data.draw(st.integers(0, 255))]) + lines[i][k + 1 :]
        else:
            lines[i] = b"  " + lines[i]
    check_file(loader, b"\n".join(lines))


odd_values = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats()
    | st.text(max_size=8)
    | st.lists(st.integers(-5, 50), max_size=5)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=3)
)


def _places(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the document (dict keys and list indices)."""
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _places(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _places(v, (*path, i))
    return out


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutated_documents(draw: st.DrawFn, loader: FileLoader) -> Any:
    doc = yaml.safe_load(_seed_text(loader, draw(st.integers(0, 10))))
    for _ in range(draw(st.integers(1, 3))):
        places = _places(doc)
        path = draw(st.sampled_from(places))
        op = draw(st.sampled_from(["replace", "drop", "unknown", "double"]))
        if not path:
            if op == "replace":
                doc = draw(odd_values)
            continue
        parent, key = _at(doc, path[:-1]), path[-1]
        if op == "replace":
            parent[key] = draw(odd_values)
        elif op == "drop":
            del parent[key]
        elif op == "unknown" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(odd_values)
        elif op == "double" and isinstance(parent, list):
            parent.insert(key, parent[key])
    return doc


@pytest.mark.parametrize("name", YAML_LOADERS)
@FUZZ
@given(data=st.data())
def test_structurally_mutated_good_files_are_loaded_or_refused_clearly(
    name: str, data: st.DataObject
) -> None:
    loader = LOADERS[name]
    doc = data.draw(mutated_documents(loader))
    check_file(loader, yaml.safe_dump(doc, allow_unicode=True).encode())


@pytest.mark.parametrize("name", YAML_LOADERS)
@FUZZ
@given(key=st.from_regex(r"[a-z][a-z_]{2,12}", fullmatch=True), i=st.integers(0, 10))
def test_an_unknown_key_is_refused_by_name(name: str, key: str, i: int) -> None:
    loader = LOADERS[name]
    doc = yaml.safe_load(_seed_text(loader, i))
    if key in doc:
        return
    doc[key] = 1
    text = yaml.safe_dump(doc, sort_keys=False).encode()
    with pytest.raises(loader.error) as caught:
        loader.load(_write(loader, text))
    assert key in str(caught.value), f"{name}: the unknown key is not named: {caught.value}"
    line = getattr(caught.value, "line", None)
    if line is not None:
        assert text.split(b"\n")[line - 1].startswith(key.encode()), f"line {line} is not the key's"


@pytest.mark.parametrize("name", YAML_LOADERS)
@FUZZ
@given(i=st.integers(0, 10), which=st.integers(0, 100))
def test_a_missing_required_key_is_refused_by_name(name: str, i: int, which: int) -> None:
    loader = LOADERS[name]
    doc = yaml.safe_load(_seed_text(loader, i))
    key = sorted(doc)[which % len(doc)]
    del doc[key]
    try:
        loader.load(_write(loader, yaml.safe_dump(doc).encode()))
    except loader.error as exc:
        assert key in str(exc) or "missing" in str(exc) or "needs" in str(exc), f"{name} without {key}: {exc}"


def test_the_site_file_reports_every_bad_key_with_its_name() -> None:
    loader = LOADERS["site"]
    doc = tomllib.loads(_seed_text(loader, 0).decode())
    assert doc, "the example site file has settings"
    text = _seed_text(loader, 0) + b"\n[nonsense]\nflavour = 3\n"
    with pytest.raises(loader.error) as caught:
        loader.load(_write(loader, text))
    assert "nonsense" in str(caught.value)


def _write(loader: FileLoader, content: bytes) -> Any:
    from tests.fuzz.targets import _TMP

    path = _TMP / f"{loader.name}-case{loader.suffix}"
    path.write_bytes(content)
    return path
