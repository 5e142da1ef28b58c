"""The architecture's walls, enforced with import-linter (pyproject.toml [tool.importlinter]), and the
composition root: every ``.connect(`` of the application in one module."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports() -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is not installed (scripts/setup --test installs it)"
    return subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept() -> None:
    proc = lint_imports()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
    for name in (
        "Layers: each package imports only those below it",
        "Everything but the Qt shell is free of Qt, directly or through another module",
        "The presentation layer speaks the widgets' value vocabulary only",
        "Widgets know nothing of the cockpit",
        "Protocol is sans-I/O",
        "Model and presentation do not know the transport",
    ):
        assert name in " ".join(proc.stdout.split()), f"contract {name!r} is missing"


def test_no_indirect_import_holes_in_the_qt_fence() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    fence = text[text.index("Everything but the Qt shell is free of Qt") :]
    fence = fence[: fence.index("[[tool.importlinter.contracts]]")]
    assert "allow_indirect_imports" not in fence


def connect_calls(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
    )


def test_every_connect_of_the_application_is_in_the_composition_root() -> None:
    """Like qutebrowser's ``_connect_signals``: the whole signal graph reads in one place."""
    stray = {
        str(path.relative_to(ROOT)): n
        for path in sorted((ROOT / "cockpit").rglob("*.py"))
        if path.name != "wiring.py" and (n := connect_calls(path))
        and ("PySide6" in path.read_text(encoding="utf-8"))
    }
    assert not stray, f".connect( outside cockpit/app/wiring.py: {stray}"
    assert connect_calls(ROOT / "cockpit" / "app" / "wiring.py") >= 30
