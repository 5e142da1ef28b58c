"""Translation without Qt: the presentation layer is handed a function and calls it.

Every translatable text is written at its call site as ``translate("Context", "text")`` with string
literals, which Qt's ``pyside6-lupdate`` finds in any ``.translate(`` call (scripts/update-translations
includes ``cockpit/present``). The Qt shell passes ``QCoreApplication.translate``; plain-Python tests
pass :func:`untranslated`.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str, str], str]
"""``(context, source text) -> text in the user's language``."""


def untranslated(_context: str, text: str) -> str:
    """The source text as it is (English): for tests and tools without a catalogue."""
    return text


def QT_TRANSLATE_NOOP(_context: str, text: str) -> str:
    """Marks a text in a table for the catalogue (context and text); it is translated where shown."""
    return text
