"""site.toml validation: every kind of mistake gets a message naming key, value and expectation."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.config import LANGUAGES, SiteConfig, SiteError, load_site, parse_site
from cockpit.config.site import FIELDS
from cockpit.protocol.messages import Level

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "packaging" / "site.example.toml"
SHIPPED = ROOT / "packaging" / "linux" / "site.toml"

CENTRE = '[centre]\ndistrict = "jiangbei"\nlevel = "district"\nname = "江北区"\n'


def errors_of(text: str, **kw: Any) -> list[str]:
    with pytest.raises(SiteError) as info:
        parse_site(text, **kw)
    assert info.value.errors, "a SiteError always lists its problems"
    assert str(info.value) == "\n".join(info.value.errors)
    return info.value.errors


def test_the_documented_example_loads_with_every_key_set() -> None:
    site = load_site(EXAMPLE, check_files=False)  # its CA and layout paths are the target machine's
    assert site.district == "lakeside" and site.level is Level.DISTRICT
    assert len(site.backend_urls) == 2 and all(u.startswith("wss://") for u in site.backend_urls)
    assert site.ca_file == Path("/etc/cockpit/ca.pem")
    assert site.language == "zh_CN" and site.layout == Path("/etc/cockpit/wall.yaml")
    assert (site.retention_days, site.disk_budget_gb) == (30, 200.0)
    assert site.camera_secrets == Path("/etc/cockpit/cameras.toml")
    example = EXAMPLE.read_text(encoding="utf-8")
    for field in FIELDS:  # the example documents every key there is (map.layers: as its tables)
        assert f"\n{field.key.split('.')[1]} = " in example or f"\n[{field.key}." in example, field.key
    assert [layer.name for layer in site.map.layers] == ["districts", "rivers"]
    assert site.map.home == (117.00, 36.55, 117.30, 36.75) and site.map.layers[0].table == "streets"


def test_the_shipped_site_file_is_valid_and_runs_the_demo() -> None:
    site = load_site(SHIPPED)
    assert site.is_demo and site.recording_dir == Path("/var/lib/cockpit/recordings")


def test_minimal_file_gets_the_defaults() -> None:
    site = parse_site(CENTRE)
    assert isinstance(site, SiteConfig)
    assert site.backend_urls == () and site.is_demo
    assert site.ca_file is None and site.layout is None and site.language is None
    assert site.allow_insecure is False and site.retention_days == 30


def test_bad_url_in_a_list_names_its_index() -> None:
    errors = errors_of(CENTRE + '[backend]\nurls = ["wss://a:1", "http://x"]\n')
    assert errors == ['site.toml: backend.urls[1] = "http://x": expected a ws:// or wss:// URL']


def test_plain_ws_to_another_machine_needs_allow_insecure() -> None:
    text = CENTRE + '[backend]\nurls = ["ws://10.1.2.3:8765", "ws://127.0.0.1:8765"]\n'
    [error] = errors_of(text)
    assert error.startswith('site.toml: backend.urls[0] = "ws://10.1.2.3:8765": expected a wss:// URL')
    assert "backend.allow_insecure = true" in error
    site = parse_site(text + "allow_insecure = true\n")
    assert site.allow_insecure and len(site.backend_urls) == 2


def test_duplicate_url_is_an_error() -> None:
    [error] = errors_of(CENTRE + '[backend]\nurls = ["wss://a:1", "wss://a:1"]\n')
    assert error == 'site.toml: backend.urls[1] = "wss://a:1": expected each URL once'


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('district = "Jiang Bei"', 'centre.district = "Jiang Bei": expected a district code as the backend'),
        ('level = "town"', 'centre.level = "town": expected the centre\'s level: one of "street", "district", "city"'),
        ('name = ""', 'centre.name = "": expected the centre\'s name: 1 to 100 characters'),
        ("level = 2", "centre.level = 2: expected the centre's level"),
    ],
)
def test_wrong_centre_values(line: str, message: str) -> None:
    key = line.split(" = ")[0]
    text = "\n".join(line if ln.startswith(f"{key} = ") else ln for ln in CENTRE.splitlines())
    [error] = errors_of(text)
    assert error.startswith(f"site.toml: {message}")


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        ("backend", "urls = \"wss://a:1\"", 'backend.urls = "wss://a:1": expected an array of ws:// or wss:// URLs'),
        ("backend", "allow_insecure = \"yes\"", 'backend.allow_insecure = "yes": expected true or false'),
        ("backend", "ca_file = 7", "backend.ca_file = 7: expected a file or folder path"),
        ("wall", 'language = "fr"', 'wall.language = "fr": expected a user-interface language: one of "zh_CN", "en"'),
        ("wall", "layout = []", "wall.layout = []: expected a file or folder path"),
        ("wall", 'layout = "~nosuchuser_x/w.yaml"', 'wall.layout = "~nosuchuser_x/w.yaml": expected a path whose ~user'),
        ("recording", "retention_days = 0", "recording.retention_days = 0: expected a whole number of days from 1 to 3650"),
        ("recording", "retention_days = 7.5", "recording.retention_days = 7.5: expected a whole number of days"),
        ("recording", "retention_days = true", "recording.retention_days = true: expected a whole number of days"),
        ("recording", "disk_budget_gb = -1", "recording.disk_budget_gb = -1: expected a number of GB greater than 0"),
        ("recording", "disk_budget_gb = inf", "recording.disk_budget_gb = inf: expected a number of GB"),
        ("recording", "disk_budget_gb = 1979-05-27", "recording.disk_budget_gb = 1979-05-27: expected a number of GB"),
    ],
)  # fmt: skip
def test_wrong_types_and_ranges(table: str, line: str, message: str) -> None:
    [error] = errors_of(f"{CENTRE}[{table}]\n{line}\n")
    assert error.startswith(f"site.toml: {message}")


def test_missing_required_keys_are_each_reported() -> None:
    errors = errors_of('[centre]\ndistrict = "jiangbei"\n')
    assert errors == [
        "site.toml: centre.level is missing: expected the centre's level: \"street\", \"district\" or \"city\"",
        "site.toml: centre.name is missing: expected a name",
    ]


def test_unknown_keys_are_errors_with_the_nearest_known_key() -> None:
    errors = errors_of(CENTRE + '[backend]\nurl = ["wss://a:1"]\n[recordings]\ndir = "/x"\n')
    assert 'site.toml: backend.url = ["wss://a:1"]: unknown key (did you mean backend.urls?)' in errors
    assert 'site.toml: recordings = {dir = "/x"}: unknown key (did you mean recording?)' in errors


def test_unknown_key_far_from_any_lists_the_known_ones() -> None:
    [error] = errors_of("zzz = 1\n" + CENTRE)
    assert error == "site.toml: zzz = 1: unknown key (known: centre, backend, wall, recording, map, auth, video)"
    [error] = errors_of(CENTRE + "zzz = 1\n")
    assert error == "site.toml: centre.zzz = 1: unknown key (known: centre.district, centre.level, centre.name)"


def test_a_table_given_as_a_value() -> None:
    [error] = errors_of('wall = "big"\n' + CENTRE)
    assert error == 'site.toml: wall = "big": expected a table [wall]'


def test_every_problem_is_reported_in_one_pass() -> None:
    text = '[centre]\ndistrict = "A"\nlevel = "town"\nname = "x"\n[backend]\nurls = ["ftp://a", "ws://8.8.8.8"]\n'
    errors = errors_of(text)
    assert [e.split(" = ")[0] for e in errors] == [
        "site.toml: centre.district",
        "site.toml: centre.level",
        "site.toml: backend.urls[0]",
        "site.toml: backend.urls[1]",
    ]


def test_long_values_are_shortened_in_messages() -> None:
    [error] = errors_of(CENTRE.replace('"江北区"', json.dumps("x" * 500)))
    assert "…" in error and len(error) < 200


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(CENTRE + "[backend\n")
    with pytest.raises(SiteError) as info:
        load_site(path)
    assert info.value.errors[0].startswith(f"{path}: not valid TOML:")
    assert "line 5" in info.value.errors[0]


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(CENTRE.encode("gb18030"))
    with pytest.raises(SiteError, match=r"not UTF-8 text \(byte \d+\): save the file as UTF-8"):
        load_site(path)
    with pytest.raises(SiteError, match="cannot read the site file"):
        load_site(tmp_path / "nope.toml")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_windows_byte_order_marks_are_honoured(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(CENTRE.encode(encoding))  # as Notepad and the NSIS installer write it
    assert load_site(path).name == "江北区"


def test_files_are_checked_relative_to_the_site_file(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(CENTRE + '[backend]\nca_file = "ca.pem"\n[wall]\nlayout = "wall.yaml"\n')
    with pytest.raises(SiteError) as info:
        load_site(path)
    assert info.value.errors[0].startswith(f'{path}: backend.ca_file = "{tmp_path}/ca.pem": expected a readable PEM')
    assert info.value.errors[1] == f'{path}: wall.layout = "{tmp_path}/wall.yaml": expected an existing file'
    (tmp_path / "ca.pem").write_text("garbage\n")
    with pytest.raises(SiteError, match="expected a readable PEM file of CA certificates"):
        load_site(path)
    site = load_site(path, check_files=False)
    assert site.ca_file == tmp_path / "ca.pem" and site.layout == tmp_path / "wall.yaml"


def test_the_sites_runway_folder_must_be_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(CENTRE + '[wall]\nrunways = "runways"\n')
    with pytest.raises(SiteError) as info:
        load_site(path)
    assert info.value.errors == [f'{path}: wall.runways = "{tmp_path}/runways": expected an existing folder']
    (tmp_path / "runways").mkdir()
    assert load_site(path).runways == tmp_path / "runways"


def test_languages_match_the_command_line_choices() -> None:
    from cockpit.app.main import LANGUAGES as CLI_LANGUAGES

    assert tuple(LANGUAGES) == tuple(CLI_LANGUAGES)


# ------------------------------------------------------------------------------------------ fuzz

KEYS = [f.key.split(".")[1] for f in FIELDS] + ["urls", "zz", ""]
TABLES = ["centre", "backend", "wall", "recording", "other"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
SCALARS = st.one_of(
    TEXT,
    st.sampled_from(["jiangbei", "district", "street", "zh_CN", "wss://a:1", "ws://1.2.3.4", "/tmp", "~nosuch/x", "~"]),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4), max_leaves=8)


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    return "[" + ", ".join(toml_value(x) for x in v) + "]"


DOCS = st.dictionaries(
    st.sampled_from(TABLES),
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6),
    max_size=5,
)


def toml_doc(doc: dict[str, dict[str, Any]]) -> str:
    return "".join(
        f"[{t}]\n" + "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in body.items())
        for t, body in doc.items()
    )


def _loads_or_clear_error(text: str) -> None:
    try:
        site = parse_site(text)
    except SiteError as exc:
        assert exc.errors
        for e in exc.errors:
            assert e.startswith("site.toml: ") and len(e) < 600, e
        return
    assert isinstance(site, SiteConfig) and site.level in set(Level)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_generated_site_files_load_or_fail_clearly(doc: dict[str, dict[str, Any]]) -> None:
    _loads_or_clear_error(toml_doc(doc))


@settings(max_examples=200)
@given(st.text())
def test_garbage_text_never_crashes_the_loader(text: str) -> None:
    _loads_or_clear_error(text)


@settings(max_examples=100)
@given(st.binary(max_size=200))
def test_garbage_bytes_never_crash_load_site(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "site.toml"
        path.write_bytes(data)
        try:
            load_site(path)
        except SiteError as exc:
            assert all(e.startswith(f"{path}: ") for e in exc.errors)
