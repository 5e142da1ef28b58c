"""Issue 9, "Done when": the .deb installs into a clean Debian 12 root and the cockpit runs there.

The test builds the package with ``packaging/build-linux``, makes a fresh root from a cached
debootstrap image (Debian 12 minbase plus exactly the package's Depends, as an offline mirror would
provide them), installs it with ``dpkg -i`` inside a chroot, runs ``cockpit doctor`` and a headless
demo with screenshots, checks every bundled Qt plugin finds its libraries, upgrades to a newer
version over an edited site file, and removes and purges the package while recordings stay. Issue 19:
the wall service's unit is installed and enabled, and ``systemd-analyze verify`` accepts it in the root
(systemd cannot run there: the root is a chroot, this machine's PID 1 is not systemd).

It needs root (chroot, debootstrap) and, the first time, Debian's mirror (``COCKPIT_DEBIAN_MIRROR``);
the image is cached in ``~/.cache/cockpit-test`` (``COCKPIT_TEST_CACHE``), one root is unpacked per run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("COCKPIT_TEST_CACHE", Path.home() / ".cache" / "cockpit-test"))
MIRROR = os.environ.get("COCKPIT_DEBIAN_MIRROR", "http://deb.debian.org/debian")
SUITE = "bookworm"
PACKAGE = "cockpit-wall"
CHROOT_ENV = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8"]
QT_ENV = ["QT_QPA_PLATFORM=offscreen"]

timings: dict[str, float] = {}


def run(cmd: list[str], what: str, timeout: float = 900, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``; fail with its output if it fails; note how long it took under ``what``."""
    start = time.monotonic()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False, **kw
    )  # type: ignore[call-overload]
    timings[what] = timings.get(what, 0.0) + time.monotonic() - start
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc  # type: ignore[no-any-return]


def in_root(root: Path, *cmd: str, what: str, qt: bool = False) -> subprocess.CompletedProcess[str]:
    return run(["chroot", str(root), *CHROOT_ENV, *(QT_ENV if qt else []), *cmd], what, timeout=300)


def depends_of(deb: Path) -> list[str]:
    field = run(["dpkg-deb", "-f", str(deb), "Depends"], "read Depends").stdout
    return sorted({d.split("(")[0].strip() for d in field.split(",") if d.strip()})


def base_image(packages: list[str]) -> Path:
    """A tarball of a Debian 12 minbase root with ``packages``; made once per package list."""
    key = hashlib.sha256(f"{SUITE} {MIRROR} {' '.join(packages)}".encode()).hexdigest()[:12]
    image = CACHE / f"{SUITE}-minbase-{key}.tar"
    if image.exists():
        return image
    CACHE.mkdir(parents=True, exist_ok=True)
    work = CACHE / f"bootstrap-{key}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(packages)}", SUITE, str(work), MIRROR],
            "debootstrap (cache miss)",
        )
        partial = image.with_suffix(".partial")
        run(["tar", "-C", str(work), "-cf", str(partial), "."], "debootstrap (cache miss)")
        partial.rename(image)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return image


@pytest.fixture
def fresh_root(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "root"
    root.mkdir()
    yield root
    shutil.rmtree(root, ignore_errors=True)  # a root is ~700 MB; nothing is mounted in it


def not_blank(png: Path) -> bool:
    """A window that painted: antialiased text and panels give many colours on a sparse grid of
    samples (a runway whose data has not come yet gives about 20; an unpainted window one or two)."""
    image = QImage(str(png))
    if image.isNull() or image.width() < 200:
        return False
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}
    return len(colours) > 8


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_deb_installs_runs_upgrades_and_keeps_site_file_and_recordings(tmp_path: Path, fresh_root: Path) -> None:
    assert os.geteuid() == 0, "this test needs root for chroot and debootstrap (CI runs as root)"
    started = time.monotonic()
    out = tmp_path / "debs"
    run([str(ROOT / "packaging" / "build-linux"), "--out", str(out), "--version", "0.1.0+t1"], "build (PyInstaller + deb)")
    run(
        [str(ROOT / "packaging" / "build-linux"), "--out", str(out), "--version", "0.1.0+t2", "--reuse-bundle"],
        "repackage as the newer version",
    )
    old, new = sorted(out.glob("*.deb"))
    assert old.name.startswith(f"{PACKAGE}_0.1.0+t1_") and new.name.startswith(f"{PACKAGE}_0.1.0+t2_")

    # A wall machine has systemd (the package recommends it): the root gets it too, so that
    # systemd-analyze can check the wall service's unit there.
    image = base_image(sorted({*depends_of(old), "systemd"}))
    run(["tar", "-C", str(fresh_root), "-xf", str(image)], "unpack a fresh root")
    for deb in (old, new):
        shutil.copy(deb, fresh_root / "tmp" / deb.name)

    # Install: dpkg alone, no network. Depends must already be satisfied by the root.
    in_root(fresh_root, "dpkg", "-i", f"/tmp/{old.name}", what="dpkg -i")
    for path in ("usr/bin/cockpit", "usr/share/applications/cockpit.desktop",
                 "usr/share/icons/hicolor/scalable/apps/cockpit.svg", "etc/cockpit/site.toml"):  # fmt: skip
        assert (fresh_root / path).is_file(), path
    conffiles = in_root(fresh_root, "dpkg-query", "-W", "-f=${Conffiles}", PACKAGE, what="dpkg-query").stdout
    assert "/etc/cockpit/site.toml" in conffiles
    recordings = fresh_root / "var/lib/cockpit/recordings"
    assert recordings.is_dir() and recordings.stat().st_mode & 0o2775 == 0o2775

    # Issue 19: the wall service is installed, enabled for boot, and systemd accepts its unit.
    unit = "lib/systemd/system/cockpit-wall.service"
    assert (fresh_root / unit).is_file() and os.access(fresh_root / "usr/lib/cockpit-wall/kiosk-session", os.X_OK)
    wants = fresh_root / "etc/systemd/system/graphical.target.wants/cockpit-wall.service"
    assert wants.is_symlink() and os.readlink(wants).endswith("/cockpit-wall.service")
    enabled = in_root(fresh_root, "systemctl", "is-enabled", "cockpit-wall.service", what="systemctl is-enabled")
    assert enabled.stdout.strip() == "enabled"
    verify = in_root(fresh_root, "systemd-analyze", "verify", f"/{unit}", what="systemd-analyze verify")
    assert "cockpit-wall" not in verify.stdout + verify.stderr, verify.stdout + verify.stderr  # no complaint
    kiosk = in_root(fresh_root, "getent", "passwd", "cockpit-wall", what="getent").stdout
    assert kiosk.split(":")[5] == "/var/lib/cockpit/wall" and kiosk.strip().endswith("/usr/sbin/nologin")
    data = fresh_root / "var/lib/cockpit/wall"
    assert data.is_dir() and data.stat().st_uid == int(kiosk.split(":")[2])
    assert "/etc/default/cockpit-wall" in in_root(
        fresh_root, "dpkg-query", "-W", "-f=${Conffiles}", PACKAGE, what="dpkg-query"
    ).stdout

    # Every bundled Qt plugin finds its libraries: Depends is complete.
    plugins = "/usr/lib/cockpit-wall/_internal/PySide6/Qt/plugins"
    ldd = in_root(fresh_root, "sh", "-c", f"for f in {plugins}/*/*.so; do ldd $f | sed \"s|^|$f: |\"; done", what="ldd")
    missing = [line for line in ldd.stdout.splitlines() if "not found" in line]
    assert not missing, "\n".join(missing)

    doctor = in_root(fresh_root, "cockpit", "doctor", what="cockpit doctor", qt=True)
    assert "ok    site     /etc/cockpit/site.toml" in doctor.stdout
    assert "ok    fonts    Noto Sans CJK SC" in doctor.stdout
    assert "protocol v1 handshake" in doctor.stdout and doctor.stdout.rstrip().endswith("0 fail")

    in_root(
        fresh_root, "cockpit", "--demo", "--lang", "zh_CN", "--screenshot", "/tmp/shots", "--quit-after", "6",
        what="cockpit --demo --screenshot", qt=True,
    )  # fmt: skip
    shots = sorted(p.name for p in (fresh_root / "tmp/shots").glob("*.png"))
    # One screen: the overview on it, every other built-in runway as a console tab, and the console.
    runways = sorted(p.stem for p in (ROOT / "assets/runways").glob("*.yaml"))
    tabs = [f"console-{r}.png" for r in runways if r != "overview"]
    tabs += [  # each runway's desk board (issue 15): a tab of its own
        f"console-{p.stem}.desk.png" for p in (ROOT / "assets/runways").glob("*.yaml") if "\ndesk:" in p.read_text()
    ]
    assert shots == sorted(["overview.png", "console.png", *tabs]), shots
    shutil.copytree(fresh_root / "tmp/shots", tmp_path / "shots")  # kept by pytest, to look at
    blank = [s for s in shots if not not_blank(fresh_root / "tmp/shots" / s)]
    assert not blank, f"blank screenshots: {blank}"

    # Upgrade over an edited site file: the edit is kept (a conffile), the new version runs with it.
    site = fresh_root / "etc/cockpit/site.toml"
    edited = site.read_text().replace('district = "demo"', 'district = "jiangbei"')
    assert edited != site.read_text()
    site.write_text(edited)
    (recordings / "2026-11-22T08-00.mcap").write_bytes(b"\x89MCAP0\r\n recorded shift")
    in_root(fresh_root, "dpkg", "-i", f"/tmp/{new.name}", what="upgrade (dpkg -i newer)")
    version = in_root(fresh_root, "dpkg-query", "-W", "-f=${Version}", PACKAGE, what="dpkg-query").stdout
    assert version == "0.1.0+t2"
    assert wants.is_symlink()  # still enabled after the upgrade
    assert site.read_text() == edited
    doctor = in_root(fresh_root, "cockpit", "doctor", what="cockpit doctor", qt=True)
    assert "district centre jiangbei" in doctor.stdout

    # Remove, then purge: the program goes, the recordings stay.
    in_root(fresh_root, "dpkg", "-r", PACKAGE, what="dpkg -r / --purge")
    assert not (fresh_root / "usr/bin/cockpit").exists() and site.read_text() == edited
    in_root(fresh_root, "dpkg", "--purge", PACKAGE, what="dpkg -r / --purge")
    assert not site.exists()
    assert not wants.exists() and not (fresh_root / unit).exists()  # the service is forgotten
    assert data.is_dir()  # the wall's audit log and outbox stay: the centre's records
    assert (recordings / "2026-11-22T08-00.mcap").read_bytes().endswith(b"recorded shift")

    shutil.rmtree(out)  # 2 × 85 MB; kept only when the test fails, for a look
    timings["whole test"] = time.monotonic() - started
    print("\n".join(f"{k}: {v:.1f} s" for k, v in timings.items()))  # shown with -s; never asserted
