"""Which events and sensors a runway file's selector names (the runway file reference, docs)."""

from __future__ import annotations

from itertools import zip_longest

from cockpit.model import EventRecord, Situation
from cockpit.present.runway_spec import Selector
from cockpit.present.selection import Scope, everything


def event_scope(sel: Selector | None, theme: str = "") -> Scope:
    """The events a panel serves: its selector's, within its runway's theme (if it has one)."""
    if sel is None and not theme:
        return everything
    districts = set(sel.districts) if sel is not None else set()
    themes = set(sel.themes) if sel is not None and sel.themes else ({theme} if theme else set())
    types = set(sel.types) if sel is not None else set()

    def scope(e: EventRecord) -> bool:
        return (
            (not districts or e.district in districts)
            and (not themes or e.theme in themes)
            and (not types or e.type in types)
        )

    return scope


def events_matching(situation: Situation, scope: Scope) -> list[EventRecord]:
    """Open events in scope, most severe then newest first."""
    if scope is everything:
        return situation.open_events()
    return [e for e in situation.open_events() if scope(e)]


def sensors_matching(situation: Situation, sel: Selector | None) -> list[int]:
    """Rows of the sensor table the selector picks: in the selector's order for names, else in the
    catalog's order (a backend lists a group's sensors in the order it wants them shown)."""
    table = situation.sensors
    if sel is None:
        return []
    if sel.names:
        by_name = {info.name: row for row, info in enumerate(table.infos)}
        rows = [by_name[n] for n in sel.names if n in by_name]
    else:
        kinds, districts, themes = set(sel.kinds), set(sel.districts), set(sel.themes)
        tags, groups = set(sel.tags), set(sel.groups)
        rows = [
            row
            for row, info in enumerate(table.infos)
            if (not kinds or info.kind in kinds)
            and (not districts or info.district in districts)
            and (not themes or info.theme in themes)
            and (not tags or not tags.isdisjoint(info.tags))
            and (not groups or not groups.isdisjoint(info.groups))
        ]
        if len(sel.districts) > 1:  # take from each named district in turn, not all from the first
            by_district = [[r for r in rows if table.infos[r].district == d] for d in sel.districts]
            rows = [r for group in zip_longest(*by_district) for r in group if r is not None]
    return rows[: sel.limit] if sel.limit else rows
