"""Issue 16: no demo district code, name or place outside the demo backend, its assets and tests.

A district installs the same cockpit: what it ships beyond the demo (the application, its widgets,
the built-in runways, walls, plans and translations, the installers and the benches) must not
know the demo city. The demo's own parts are ``cockpit/backend/`` (the demo city and the sandbox
it drills on), ``assets/geo/`` (its map) and ``assets/drills/`` (its drills).
"""

from __future__ import annotations

import re
from pathlib import Path

from cockpit.backend.demo_catalog import DISTRICTS

ROOT = Path(__file__).resolve().parent.parent

SHIPPED = [
    "cockpit",
    "widgets",
    "bench",
    "packaging",
    "scripts",
    "assets/runways",
    "assets/walls",
    "assets/plans",
    "assets/themes",
    "assets/i18n",
    "assets/sla.yaml",
]
DEMO_PARTS = [ROOT / "cockpit" / "backend"]
TEXT = {"", ".py", ".yaml", ".yml", ".toml", ".ts", ".nsi", ".sh", ".json", ".txt", ".cfg", ".desktop", ".service", ".in"}

DEMO_WORDS = re.compile(
    "|".join(
        [rf"\b{re.escape(code)}\b" for code in DISTRICTS]
        + [re.escape(zh) for _en, zh in DISTRICTS.values()]
        + [r"\bchongqing\b", "重庆", r"\bjiefangbei\b", "解放碑"]
    ),
    re.IGNORECASE,
)


def shipped_files() -> list[Path]:
    out: list[Path] = []
    for name in SHIPPED:
        top = ROOT / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        out += [
            p
            for p in files
            if p.suffix in TEXT
            and "__pycache__" not in p.parts
            and not any(p.is_relative_to(d) for d in DEMO_PARTS)
        ]
    return out


def test_the_pattern_finds_the_demo_city() -> None:
    for text in ("jiangbei-water_level-001", "district in [nanan]", "江北区", "Chongqing's bounds", "解放碑街道"):
        assert DEMO_WORDS.search(text), text
    for text in ("qh-east", "lakeside", "Hill Town", "nanana"):
        assert not DEMO_WORDS.search(text), text


def test_no_demo_district_outside_the_demo_backend_its_assets_and_tests() -> None:
    files = shipped_files()
    assert len(files) > 100 and ROOT / "assets" / "runways" / "forest_fire.yaml" in files
    found = []
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if m := DEMO_WORDS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {m.group(0)!r} in {line.strip()[:100]}")
    assert not found, "\n".join(found)
