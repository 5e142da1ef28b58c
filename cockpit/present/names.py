"""Display names for the codes that arrive on the wire, in the operator's language.

The backend's words come first: the district's catalog (protocol §5.8), then what a message says of
itself (an event's ``title``, a unit's ``name``). A backend that sends no catalog at all (an older
one) gets the cockpit's fallback vocabulary for common codes (event types, kinds of sensor, unit and
overlay: :data:`cockpit.backend.demo_catalog.VOCABULARY`), never a place name. A code with no name
anywhere shows as the code, and the console lists it (:meth:`Names.unnamed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cockpit.backend.demo_catalog import DECIMALS, VOCABULARY
from cockpit.model import Situation, UnitRecord
from cockpit.model.catalog import NameCatalog
from cockpit.present.i18n import QT_TRANSLATE_NOOP, Translate
from cockpit.protocol.messages import CatalogKind, SensorInfo
from cockpit.protocol.session import Counters

_LEVELS: dict[str, str] = {
    "street": QT_TRANSLATE_NOOP("Names", "street centre"),
    "district": QT_TRANSLATE_NOOP("Names", "district centre"),
    "city": QT_TRANSLATE_NOOP("Names", "city centre"),
}
"""The protocol's three levels (§5.1) in the cockpit's own words, unless the district names them."""
_ROLES: dict[str, str] = {
    "viewer": QT_TRANSLATE_NOOP("Names", "viewer"),
    "operator": QT_TRANSLATE_NOOP("Names", "duty officer"),
    "supervisor": QT_TRANSLATE_NOOP("Names", "supervisor"),
    "trainer": QT_TRANSLATE_NOOP("Names", "trainer"),
}
DEFAULT_DECIMALS = 1
_VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {k.value: v for k, v in VOCABULARY.items()}

_KIND_WORDS: dict[str, str] = {
    CatalogKind.DISTRICT: QT_TRANSLATE_NOOP("Names", "district"),
    CatalogKind.EVENT_TYPE: QT_TRANSLATE_NOOP("Names", "event type"),
    CatalogKind.SENSOR_KIND: QT_TRANSLATE_NOOP("Names", "sensor kind"),
    CatalogKind.UNIT_KIND: QT_TRANSLATE_NOOP("Names", "unit kind"),
    CatalogKind.OVERLAY_KIND: QT_TRANSLATE_NOOP("Names", "overlay kind"),
    CatalogKind.THEME: QT_TRANSLATE_NOOP("Names", "theme"),
    CatalogKind.LEVEL: QT_TRANSLATE_NOOP("Names", "level"),
    CatalogKind.GROUP: QT_TRANSLATE_NOOP("Names", "group"),
    CatalogKind.LAYER: QT_TRANSLATE_NOOP("Names", "layer"),
    CatalogKind.ATTRIBUTE: QT_TRANSLATE_NOOP("Names", "attribute"),
}


def _si(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    return str(n)


@dataclass(slots=True)
class _Unnamed:
    key: tuple[int, int, int] = (-1, -1, -1)
    codes: list[tuple[str, str]] = field(default_factory=list)


class Names:
    """Codes in words for one wall.

    Args:
        translate: The translator (:mod:`cockpit.present.i18n`), for the cockpit's own words.
        catalog: The district's names (the situation's); ``None``: the fallback vocabulary only.
        lang: The wall's language (``en``, ``zh_CN``): which of the backend's names to show.
    """

    def __init__(self, translate: Translate, catalog: NameCatalog | None = None, lang: str = "en") -> None:
        self.translate = translate
        self.catalog = catalog
        self.lang = lang
        self._unnamed = _Unnamed()

    def lookup(self, kind: str, code: str) -> str:
        """The backend's name for the code, else the fallback vocabulary's (only for a backend that
        sends no catalog); "" when neither has one."""
        cat = self.catalog
        if cat is not None:
            name = cat.name(kind, code, self.lang)
            if name:
                return name
            if cat.offered:
                return ""
        return self._fallback(kind, code)

    def _fallback(self, kind: str, code: str) -> str:
        words = _VOCABULARY.get(kind, {}).get(code)
        if words is None:
            return ""
        return words[1] if self.lang == "zh_CN" else words[0]

    def _name(self, kind: str, code: str, own: str = "") -> str:
        """The name of a code: the catalog's, else the message's own words, else the fallback's,
        else the code itself."""
        cat = self.catalog
        name = cat.name(kind, code, self.lang) if cat is not None else ""
        if name:
            return name
        if own:
            return own
        if cat is None or not cat.offered:
            name = self._fallback(kind, code)
        return name or code

    def district(self, code: str) -> str:
        return self._name(CatalogKind.DISTRICT, code)

    def event_type(self, code: str, title: str = "") -> str:
        """An event type's name; the event's own title where the catalog has none (§5.1)."""
        return self._name(CatalogKind.EVENT_TYPE, code, title)

    def overlay_kind(self, code: str, label: str = "") -> str:
        return self._name(CatalogKind.OVERLAY_KIND, code, label)

    def sensor_kind(self, code: str) -> str:
        return self._name(CatalogKind.SENSOR_KIND, code)

    def theme(self, code: str) -> str:
        return self._name(CatalogKind.THEME, code)

    def decimals(self, kind: str) -> int:
        """Digits after the point for a sensor kind: the catalog's, else the fallback's, else 1."""
        cat = self.catalog
        e = cat.get(CatalogKind.SENSOR_KIND, kind) if cat is not None else None
        if e is not None and e.decimals is not None:
            return max(0, min(6, e.decimals))
        if cat is None or not cat.offered:
            return DECIMALS.get(kind, DEFAULT_DECIMALS)
        return DEFAULT_DECIMALS

    def sensor(self, info: SensorInfo, with_kind: bool = True, with_place: bool = True) -> str:
        """ "Rainfall · Hill Town 3": kind, district and the sensor's number where there are several;
        "Dissolved oxygen · River section 2" where the backend names the sensor itself (§5.2).

        Without the kind ("Hill Town 3") where the panel's title already names it, or without the
        place where it names that: on a wall every character counts.
        """
        where = self.own_name(info)
        if not where:
            number = info.name.rsplit("-", 1)[-1].lstrip("0")
            suffix = f" {number}" if number.isdigit() and number != "1" else ""
            where = f"{self.district(info.district)}{suffix}"
        if not with_place:
            return self.sensor_kind(info.kind)
        return f"{self.sensor_kind(info.kind)} · {where}" if with_kind else where

    def own_name(self, info: SensorInfo) -> str:
        """The sensor's own name in the wall's language (a station, a site, a street), else in
        English, else any it has; "" when the backend names it only by kind and place (§5.2)."""
        names = info.names
        if not names:
            return ""
        return names.get(self.lang) or names.get("en") or next(iter(names.values()))

    def attribute(self, code: str) -> str:
        """The name of a fact an event or a sensor carries (``plate``, ``river_km``, §5.8)."""
        return self._name(CatalogKind.ATTRIBUTE, code)

    def attr_value(self, attrs: Iterable[tuple[str, str | float]] | dict[str, str | float], code: str) -> str | float | None:
        """The value of fact ``code`` in the wall's language: ``<code>.<lang>`` where the backend
        gives one (§5.1), else ``<code>``; None when it is not there."""
        table = attrs if isinstance(attrs, dict) else dict(attrs)
        value = table.get(f"{code}.{self.lang}")
        return value if value is not None else table.get(code)

    def level(self, level: str) -> str:
        cat = self.catalog
        name = cat.name(CatalogKind.LEVEL, level, self.lang) if cat is not None else ""
        if name:
            return name
        source = _LEVELS.get(level)
        return self.translate("Names", source) if source else level

    def role(self, role: str) -> str:
        source = _ROLES.get(role)
        return self.translate("Names", source) if source else role

    def unit(self, unit: UnitRecord) -> str:
        """The unit's own name, in the wall's language where the backend gave one (§5.3)."""
        return unit.name_in(self.lang)

    def counters(self, c: Counters) -> str:
        return self.translate("Names", "msgs {m} · malformed {bad} · gaps {gaps} · reconnects {rc}").format(
            m=_si(c.messages), bad=c.malformed + c.oversized + c.unknown, gaps=c.gaps, rc=c.reconnects
        )

    # ---------------------------------------------------------------------------- unnamed codes

    def unnamed(self, situation: Situation) -> list[tuple[str, str]]:
        """(kind, code) of every code the wall shows that has no name anywhere, so shows as the code:
        districts and types of open events, districts and kinds of sensors. Worked out again only
        when the events, the sensors or the names changed."""
        cat = self.catalog
        key = (id(situation.open_events()), situation.sensors.generation, cat.generation if cat is not None else 0)
        if key == self._unnamed.key:
            return self._unnamed.codes
        wanted: set[tuple[str, str]] = set()
        for e in situation.open_events():
            wanted.add((CatalogKind.DISTRICT, e.district))
            if not e.title:
                wanted.add((CatalogKind.EVENT_TYPE, e.type))
        for info in situation.sensors.infos:
            wanted.add((CatalogKind.DISTRICT, info.district))
            wanted.add((CatalogKind.SENSOR_KIND, info.kind))
        codes = sorted((str(k), c) for k, c in wanted if c and not self.lookup(k, c))
        self._unnamed = _Unnamed(key, codes)
        return codes

    def unnamed_text(self, codes: Iterable[tuple[str, str]]) -> str:
        """ "Shown as codes (no name from the backend): district 5001; event type gas_leak" """
        parts = [f"{self.translate('Names', _KIND_WORDS.get(k, k))} {c}" for k, c in codes]
        if not parts:
            return ""
        shown = "; ".join(parts[:8]) + (f"; +{len(parts) - 8}" if len(parts) > 8 else "")
        return self.translate("Names", "Shown as codes (no name from the backend): {codes}").format(codes=shown)
