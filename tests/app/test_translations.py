"""The Simplified Chinese catalogue: complete, consistent with the source, compiled, and loadable.

When one of these fails after a code change, run ``scripts/update-translations``, translate whatever
it reports as untranslated in ``assets/i18n/cockpit_zh_CN.ts``, run it again and commit both files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

REPO = Path(__file__).resolve().parents[2]
I18N = REPO / "assets" / "i18n"
TS = I18N / "cockpit_zh_CN.ts"
QM = I18N / "cockpit_zh_CN.qm"
SCRIPT = REPO / "scripts" / "update-translations"
BIN = Path(sys.executable).parent

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def messages(ts: Path) -> Iterator[tuple[str, str, ET.Element | None]]:
    """Yield ``(context, source, translation element)`` for every message in ``ts``."""
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message.findtext("source") or "", message.find("translation")


def source_keys(ts: Path) -> set[tuple[str, str]]:
    return {(ctx, src) for ctx, src, _ in messages(ts)}


def test_every_message_is_translated() -> None:
    bad = [
        (ctx, src)
        for ctx, src, tr in messages(TS)
        if tr is None
        or tr.get("type") in ("unfinished", "obsolete", "vanished")
        or not (tr.text or "").strip()
    ]
    assert not bad, f"untranslated in {TS.name}: {bad}"


def test_no_message_lacks_a_context() -> None:
    # lupdate files tr() calls outside a class under the empty context, which never matches at run
    # time; scripts/update-translations moves those made through a translate wrapper to its context.
    stray = [src for ctx, src, _ in messages(TS) if not ctx]
    assert not stray, f"messages with no context (they would show in English): {stray}"


def test_translations_keep_the_placeholders() -> None:
    bad = []
    for ctx, src, tr in messages(TS):
        text = "" if tr is None else tr.text or ""
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(src)):
            bad.append((ctx, src, text))
    assert not bad, f"placeholders differ between source and translation: {bad}"


def test_translations_are_chinese() -> None:
    # Everything on the wall has Chinese words, except names that are just a placeholder or symbol.
    latin_only = [
        (ctx, src, tr.text)
        for ctx, src, tr in messages(TS)
        if tr is not None and not CJK.search(tr.text or "") and PLACEHOLDER.sub("", src).strip(" ·→:()—,")
    ]
    assert not latin_only, f"translations without Chinese text: {latin_only}"


def test_committed_qm_is_compiled_from_the_committed_ts(tmp_path: Path) -> None:
    fresh = tmp_path / QM.name
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm", str(fresh)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert QM.read_bytes() == fresh.read_bytes(), "run scripts/update-translations and commit the .qm"


@pytest.fixture
def zh_translator(qapp: QCoreApplication) -> Iterator[QTranslator]:
    app = qapp
    translator = QTranslator()
    assert translator.load(str(QM)), f"cannot load {QM}"
    assert app.installTranslator(translator)
    try:
        yield translator
    finally:
        app.removeTranslator(translator)


@pytest.mark.parametrize(
    ("context", "source", "expected"),
    [
        ("Words", "Live", "实时"),  # through the presentation layer's translator, context spelled out
        ("Dispatch", "Ready", "就绪"),  # likewise, t("Dispatch", …) through a local name
        ("Names", "district centre", "区级中心"),  # QT_TRANSLATE_NOOP
        ("Names", "event type", "事件类型"),  # (place and event names come from the backend, §5.8)
        ("Severity", "Red", "红色"),  # QCoreApplication.translate in widgets/
        ("DispatchPanel", "Send {unit} →", "派遣 {unit} →"),
    ],
)
def test_the_qm_translates_at_run_time(
    zh_translator: QTranslator, context: str, source: str, expected: str
) -> None:
    assert QCoreApplication.translate(context, source) == expected


def test_the_qm_has_every_message(zh_translator: QTranslator) -> None:
    missing = [(ctx, src) for ctx, src, _ in messages(TS) if QCoreApplication.translate(ctx, src) == src]
    assert not missing, f"not translated at run time: {missing}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Extract the strings from the current source again, as scripts/update-translations does."""
    out = tmp_path_factory.mktemp("i18n")
    proc = subprocess.run(
        [str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        env=dict(os.environ, COCKPIT_VENV_BIN=str(BIN)),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning" not in proc.stderr, proc.stderr
    return out / TS.name


def test_every_string_in_the_source_is_in_the_catalogue(extracted: Path) -> None:
    missing = sorted(source_keys(extracted) - source_keys(TS))
    assert not missing, (
        f"new strings not in {TS.name}; run scripts/update-translations and translate: {missing}"
    )


def test_the_catalogue_has_no_strings_the_source_lost(extracted: Path) -> None:
    stale = sorted(source_keys(TS) - source_keys(extracted))
    assert not stale, f"strings no longer in the source; run scripts/update-translations: {stale}"
