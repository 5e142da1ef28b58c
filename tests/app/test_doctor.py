"""``cockpit doctor`` against a real demo backend on loopback, a TLS front and a closed port."""

from __future__ import annotations

import asyncio
import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.app.doctor import (
    Finding,
    Status,
    check_backends,
    check_disk,
    check_fonts,
    check_screens,
    check_site,
    check_wall_type,
    report,
    skew_finding,
    wall_type_finding,
)
from cockpit.app.embedded import EmbeddedBackend
from cockpit.config import SiteConfig, parse_site
from tests.feed.test_live import make_backend
from tests.tls import Pki, TlsFront, make_pki

CENTRE = '[centre]\ndistrict = "jiangbei"\nlevel = "district"\nname = "江北区"\n'


def site_with(urls: list[str], extra: str = "") -> SiteConfig:
    quoted = ", ".join(f'"{u}"' for u in urls)
    return parse_site(f"{CENTRE}[backend]\nurls = [{quoted}]\n{extra}")


def closed_port() -> int:
    with socket.socket() as s:  # bound, never listening: connections are refused
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def by_check(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def test_reachable_backend_is_ok_and_the_clock_agrees() -> None:
    async def body() -> list[Finding]:
        backend = make_backend()
        await backend.start()
        try:
            return await check_backends(site_with([backend.url]))
        finally:
            await backend.stop()

    findings = asyncio.run(body())
    [backend] = by_check(findings, "backend")
    assert backend.status is Status.OK and "protocol v1 handshake with demo-backend" in backend.message
    [clock] = by_check(findings, "clock")
    assert clock.status is Status.OK  # same machine, same clock


def test_unreachable_backend_fails_with_a_fix() -> None:
    url = f"ws://127.0.0.1:{closed_port()}"
    findings = asyncio.run(check_backends(site_with([url]), timeout_s=2))
    [backend] = by_check(findings, "backend")
    assert backend.status is Status.FAIL
    assert backend.message == f"{url}: connection refused"
    assert "listening" in backend.fix
    assert by_check(findings, "clock")[0].status is Status.WARN


def test_one_dead_failover_url_is_a_warning_when_another_answers() -> None:
    dead = f"ws://127.0.0.1:{closed_port()}"

    async def body() -> list[Finding]:
        backend = make_backend()
        await backend.start()
        try:
            return await check_backends(site_with([backend.url, dead]), timeout_s=2)
        finally:
            await backend.stop()

    live, gone = by_check(asyncio.run(body()), "backend")
    assert live.status is Status.OK
    assert gone.status is Status.WARN and gone.message.startswith(dead)
    assert "failover to it would not work" in gone.message


def _check_through_tls(pki: Pki, ca: Path, host: str = "localhost") -> list[Finding]:
    async def body() -> list[Finding]:
        backend = make_backend()
        await backend.start()
        front = TlsFront(pki, backend.port, host="127.0.0.1" if host == "localhost" else host)
        await front.start()
        try:
            return await check_backends(site_with([front.url(host)], f'ca_file = "{ca}"\n'), timeout_s=3)
        finally:
            await front.stop()
            await backend.stop()

    return asyncio.run(body())


def test_wss_with_the_site_ca_is_verified(pki: Pki) -> None:
    [backend] = by_check(_check_through_tls(pki, pki.ca), "backend")
    assert backend.status is Status.OK
    assert "TLSv1.3" in backend.message and "certificate for localhost verified" in backend.message


def test_wss_signed_by_another_ca_fails_and_names_the_ca_file(pki: Pki) -> None:
    [backend] = by_check(_check_through_tls(pki, pki.other_ca), "backend")
    assert backend.status is Status.FAIL
    assert "certificate is not trusted" in backend.message
    assert "backend.ca_file" in backend.fix


def test_wss_to_a_name_not_in_the_certificate_fails(pki: Pki) -> None:
    [backend] = by_check(_check_through_tls(pki, pki.ca, host="127.0.0.2"), "backend")
    assert backend.status is Status.FAIL and "not trusted" in backend.message


@pytest.mark.parametrize(
    ("skew_ms", "status", "words"),
    [(150, Status.OK, "within 150 ms"), (-5_000, Status.WARN, "5.0 s ahead of"), (90_000, Status.FAIL, "90.0 s behind")],
)
def test_clock_skew_thresholds(skew_ms: int, status: Status, words: str) -> None:
    finding = skew_finding(skew_ms, "wss://x")
    assert finding.status is status and words in finding.message
    assert status is Status.OK or "NTP" in finding.fix


def test_invalid_site_file_fails_with_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(CENTRE.replace('"district"', '"county"'))
    finding, site = check_site(path)
    assert site is None and finding.status is Status.FAIL
    assert f'{path}: centre.level = "county": expected' in finding.message


def test_no_site_file_warns_and_uses_the_demo(tmp_path: Path) -> None:
    finding, site = check_site(None, default=tmp_path / "site.toml")
    assert finding.status is Status.WARN and site is not None and site.is_demo


def test_disk_budget_larger_than_the_disk_warns(tmp_path: Path) -> None:
    ok = check_disk(site_with([], f'[recording]\ndir = "{tmp_path}/rec"\ndisk_budget_gb = 0.001\n'))
    assert ok.status is Status.OK and "GB free" in ok.message
    big = check_disk(site_with([], f'[recording]\ndir = "{tmp_path}/rec"\ndisk_budget_gb = 999999\n'))
    assert big.status is Status.WARN and "retention will delete recordings sooner" in big.message


def test_screens_fonts_and_layout(qapp: object, tmp_path: Path) -> None:
    findings = check_screens(None)
    assert findings[0].check == "screens" and findings[0].status is Status.OK
    assert "1 screen(s)" in findings[0].message  # the offscreen platform's one screen
    layout = by_check(findings, "layout")
    assert layout[0].status is Status.WARN and "tabs in the console" in layout[0].message
    assert check_fonts().status is Status.OK  # fonts-noto-cjk is installed by scripts/setup
    (tmp_path / "wall.yaml").write_text("screens: []\n")
    bad = check_screens(site_with([], f'[wall]\nlayout = "{tmp_path}/wall.yaml"\n'))
    assert by_check(bad, "layout")[0].status is Status.FAIL


def test_report_prints_fixes_and_exits_1_on_any_fail() -> None:
    out = io.StringIO()
    code = report([Finding("a", Status.OK, "fine"), Finding("bb", Status.WARN, "hmm", "do x")], out)
    assert code == 0 and "warn  bb  hmm\n" in out.getvalue() and "fix: do x" in out.getvalue()
    out = io.StringIO()
    assert report([Finding("a", Status.FAIL, "two\nlines", "do y")], out) == 1
    assert out.getvalue().endswith("0 ok, 0 warn, 1 fail\n")


def _doctor(site: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(Path(sys.executable).parent / "cockpit"), "doctor", "--site", str(site), "--timeout", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,  # the wall self-check runs a headless cockpit of its own
    )


@pytest.mark.slow
def test_cockpit_doctor_command_passes_on_a_live_backend_and_fails_on_a_dead_one(tmp_path: Path) -> None:
    embedded = EmbeddedBackend(rate=100)
    url = embedded.start()
    try:
        site = tmp_path / "site.toml"
        site.write_text(f'{CENTRE}[backend]\nurls = ["{url}"]\n[recording]\ndir = "{tmp_path}/rec"\ndisk_budget_gb = 0.01\n')
        good = _doctor(site)
    finally:
        embedded.stop()
    assert good.returncode == 0, good.stdout + good.stderr
    assert f"ok    backend  {url}: protocol v1 handshake" in good.stdout
    assert "ok    clock" in good.stdout and "ok    fonts" in good.stdout and "0 fail" in good.stdout

    site.write_text(site.read_text().replace(url, f"ws://127.0.0.1:{closed_port()}"))
    bad = _doctor(site)
    assert bad.returncode == 1
    assert "fail  backend" in bad.stdout and "connection refused" in bad.stdout
    assert "fix: is the backend running" in bad.stdout


def test_the_wall_report_as_a_finding() -> None:
    ok_screen = {
        "window": "overview",
        "on_wall": True,
        "smallest_mm": {"key": 40.6, "secondary": 20.3},
        "counts": {"too_small": 0, "elided": 0, "clipped": 0, "overlapping": 0, "detail_on_wall": 0},
        "texts": [],
    }
    data = {"ok": True, "need_mm": {"key": 40.0, "secondary": 20.0}, "reading_distance_m": 8.0, "panel_diagonal_in": 55.0, "screens": [ok_screen]}
    good = wall_type_finding(data, Path("wall.yaml"), 1920, 1080)
    assert good.status is Status.OK and "key text ≥ 41 mm (needs 40)" in good.message
    cut = {"text": "Wate", "elided": False, "clipped": True, "overlaps": [], "glyph_mm": 30.0, "need_mm": 20.0}
    bad_screen = {**ok_screen, "window": "flood", "counts": {**ok_screen["counts"], "clipped": 1}, "texts": [cut]}
    bad = wall_type_finding({**data, "ok": False, "screens": [ok_screen, bad_screen]}, Path("wall.yaml"), 1920, 1080)
    assert bad.status is Status.FAIL and "flood: 1 cut (e.g. 'Wate')" in bad.message and "console" in bad.fix


@pytest.mark.slow
def test_the_doctor_runs_the_wall_self_check_on_the_default_wall(qapp: object) -> None:
    (finding,) = check_wall_type(None)
    assert finding.status is Status.OK, finding.message
    assert "5 screens of 1920×1080 read from 8 m on 55\" panels" in finding.message
