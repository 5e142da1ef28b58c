"""The Windows installer script compiles (makensis from Debian's nsis) around a stand-in bundle.

Only compilation is checked here: running the installer needs Windows (see
.github/workflows/windows.yml, which builds the real bundle and installer on windows-latest).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "windows" / "cockpit.nsi"


def test_installer_script_compiles_without_warnings(tmp_path: Path) -> None:
    bundle = tmp_path / "dist" / "cockpit"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "cockpit.exe").write_bytes(b"MZ stand-in for the PyInstaller executable")
    (bundle / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    out = tmp_path / "cockpit-0.1.0-setup.exe"
    proc = subprocess.run(
        ["makensis", "-V2", "-WX", "-DVERSION=0.1.0", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={out}", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_installer_script_refuses_to_build_without_a_bundle(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["makensis", "-V2", f"-DOUTFILE={tmp_path / 'x.exe'}", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0 and "BUNDLE_DIR" in proc.stdout + proc.stderr
