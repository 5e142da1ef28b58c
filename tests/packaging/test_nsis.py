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


def test_the_installer_makes_and_removes_the_wall_task() -> None:
    """Windows' wall service: a logon task running the supervisor in kiosk mode (issue 19). Running it
    needs Windows: .github/workflows/windows.yml installs with /KIOSKUSER and queries the task."""
    text = SCRIPT.read_text(encoding="utf-8")
    create = next(line for line in text.splitlines() if "schtasks.exe /Create" in line)
    assert '/TN "Cockpit wall" /SC ONLOGON /RU "$KioskUser" /IT' in create
    assert 'cockpit.exe\\" supervise -- --kiosk' in create
    assert 'schtasks.exe /Delete /F /TN "Cockpit wall"' in text
    assert '${GetOptions} $R0 "/KIOSKUSER=" $KioskUser' in text
