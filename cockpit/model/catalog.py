"""The district's names for its own codes (protocol §5.8): what the wall calls a district, an event
type, a kind of sensor or unit, in the operator's language.

The backend sends them on the ``catalog`` stream; :class:`NameCatalog` keeps the newest entry of
every (kind, code). Whether the backend sent a catalog at all matters: one that did is the only
source of names (a code it does not name shows as the code), one that did not (an older backend)
gets the cockpit's fallback vocabulary (cockpit/present/names.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cockpit.protocol.messages import CatalogEntry, CatalogKind

LANGUAGE_FALLBACK = "en"
"""The language used where an entry has none in the wall's language."""


class NameCatalog:
    """Every (kind, code) the backend named, with its entry."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], CatalogEntry] = {}
        self.offered = False
        """The backend sent a catalog (a snapshot of the stream, however small), or one was read
        from disk: its names are the only ones the wall uses."""
        self.generation = 0
        """Counts changes, so views that derived names from it know when to do it again."""
        self.saved_at_ms = 0
        """When the catalog read from disk was last received live (wall-clock ms); 0 when live."""

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self._entries.values())

    def clear(self) -> None:
        self._entries.clear()
        self.generation += 1

    def apply(self, entries: Iterable[CatalogEntry]) -> None:
        """Add, replace or (``active: false``) withdraw entries."""
        for e in entries:
            key = (e.kind, e.code)
            if e.active:
                self._entries[key] = e
            else:
                self._entries.pop(key, None)
        self.offered = True
        self.saved_at_ms = 0
        self.generation += 1

    def get(self, kind: str, code: str) -> CatalogEntry | None:
        return self._entries.get((kind, code))

    def name(self, kind: str, code: str, lang: str) -> str:
        """The code's name in ``lang``, else in English, else in any language given; "" for none."""
        e = self._entries.get((kind, code))
        if e is None or not e.names:
            return ""
        return e.names.get(lang) or e.names.get(LANGUAGE_FALLBACK) or next(iter(e.names.values()))

    def centre(self, district: str, level: str) -> CatalogEntry | None:
        """The centre at ``level`` that serves ``district`` (the city centre serves every district)."""
        for e in self._entries.values():
            if e.kind == CatalogKind.CENTRE and e.level == level and (e.district == district or not e.district):
                return e
        return None
