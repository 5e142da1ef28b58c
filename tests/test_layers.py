"""The architecture's walls, enforced with import-linter (pyproject.toml [tool.importlinter])."""

from __future__ import annotations

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
        "Core layers import no Qt",
        "Widgets know nothing of the cockpit",
        "Protocol is sans-I/O",
        "Model does not know the transport",
    ):
        assert name in proc.stdout, f"contract {name!r} is missing"
