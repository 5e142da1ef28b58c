"""A map panel's live content: event markers, the backend's overlays, sensor dots and area ratings.

The static layers (districts, rivers, pipelines, risk points) are the shell's to load; this decides
what is drawn over them, frame by frame, and whether it may be drawn in live colours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cockpit.model import Situation
from cockpit.model.thresholds import Level, LimitColumns, Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.scope import event_scope, events_matching, sensors_matching
from cockpit.present.plots.shapes import record_shape
from cockpit.present.plots.words import PlotWords
from cockpit.present.runway_spec import Panel
from cockpit.protocol.messages import SensorInfo
from widgets.plot_values import PlotShape
from widgets.values import MapMarker, Severity

MAX_MARKERS = 400
MAX_DOTS = 300


@dataclass(frozen=True, slots=True)
class Dots:
    lon: list[float]
    lat: list[float]
    level: list[int]
    labels: list[str]


@dataclass(frozen=True, slots=True)
class OverlayShape:
    """One backend overlay as a GeoJSON feature, with its kind (the shell styles by kind)."""

    kind: str
    feature: dict[str, Any]


@dataclass(frozen=True, slots=True)
class MapState:
    markers: list[MapMarker] | None
    overlays: dict[str, OverlayShape | None] | None
    """Overlay id → its shape, or ``None`` to remove it."""
    dots: Dots | None
    ratings: dict[str, int] | None
    current: bool | None
    """Changed liveness: ``False`` greys the live layers and stops their flashing."""
    as_of: str = ""
    plots: list[PlotShape] | None = None
    """Every plot on the shared map (protocol §5.10), when they changed; the map draws those in view."""


@dataclass(frozen=True, slots=True)
class _DotRows:
    rows: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    limits: LimitColumns
    decimals: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[int], infos: Sequence[SensorInfo], decimals: Callable[[str], int]) -> _DotRows:
        return cls(
            np.array(rows, dtype=np.int64),
            np.array([infos[r].lon for r in rows], dtype=np.float64),
            np.array([infos[r].lat for r in rows], dtype=np.float64),
            LimitColumns([Limits.of(infos[r]) for r in rows]),
            np.array([decimals(infos[r].kind) for r in rows], dtype=np.int64),
        )


class MapModel:
    """What one map panel draws over its static layers.

    Args:
        spec: The runway file's panel (its events selector, overlays, sensors and layers).
        ctx: Shared presentation state.
        label_severity: Markers up to this severity carry their event's name (1 on a wall, where
            the names are key-size; 2 at the console).
    """

    def __init__(self, spec: Panel, ctx: Context, label_severity: int = 2) -> None:
        self.spec = spec
        self.ctx = ctx
        self.scope = event_scope(spec.events) if spec.events is not None else None
        self.label_severity = label_severity
        self._overlay_ids: set[str] = set()
        self._camera_ids: set[str] = set()
        self._first = True
        self._current: bool | None = None
        # Derived from the sensor catalog, kept until it changes (SensorTable.generation): matching
        # names over thousands of sensors every second cost whole frames (bench/latency.py).
        self._catalog_key: tuple[int, int, int] = (0, -1, -1)
        self._dots = _DotRows.of([], [], ctx.names.decimals)
        self._rating_rows: list[tuple[str, int]] = []
        self._plot_words = PlotWords(ctx.translate)

    def update(self, situation: Situation, frame: Frame) -> MapState | None:
        ch = frame.changes
        markers = overlays = dots = ratings = current = None
        if ch.events or ch.replaced or ch.names or self._first:
            markers = self._markers(situation)
        if ch.overlays or ch.replaced or ch.names or self._first:
            overlays = self._overlays(situation)
        if "cameras" in self.spec.layers and (ch.cameras or ch.replaced or self._first):
            overlays = {**(overlays or {}), **self._cameras(situation)}
        plots = None
        if ch.plots or ch.replaced or self._first:
            plots = [record_shape(p, self._plot_words) for p in situation.plots.values()]
        if self.spec.sensors is not None and (frame.sample or self._current != frame.current):
            dots = self._sensor_dots(situation, frame)
        if "ratings" in self.spec.layers and (ch.sensors or ch.catalog or self._first) and frame.slow:
            ratings = self._ratings(situation)
        if frame.current != self._current:
            current = self._current = frame.current
        self._first = False
        if markers is None and overlays is None and dots is None and ratings is None and current is None and plots is None:
            return None
        return MapState(markers, overlays, dots, ratings, current, frame.wall.as_of, plots)

    def _markers(self, situation: Situation) -> list[MapMarker]:
        if self.scope is None:
            return []
        names = self.ctx.names
        return [
            MapMarker(
                e.id,
                e.lon,
                e.lat,
                Severity(int(e.severity)),
                # Names only for the severe: a label per marker would bury the map (unless the
                # runway file asks for every marker's kind: the open requests by kind).
                names.event_type(e.type, e.title) if int(e.severity) <= self._labelled() else "",
                e.acknowledged,
            )
            for e in events_matching(situation, self.scope)[:MAX_MARKERS]
        ]

    def _labelled(self) -> int:
        """Markers up to this severity carry their event's name (the runway file's ``event_labels``)."""
        return {"all": 4, "none": 0}.get(self.spec.event_labels, self.label_severity)

    def _overlays(self, situation: Situation) -> dict[str, OverlayShape | None]:
        wanted = {o.id: o for o in situation.overlays.values() if o.kind in self.spec.overlays}
        out: dict[str, OverlayShape | None] = {oid: None for oid in self._overlay_ids - wanted.keys()}
        for oid, o in wanted.items():
            # The backend's label in the wall's language (§5.5); else its plain label is in the
            # backend's language (English in the demo): a Chinese wall names the kind instead.
            label = o.label_in(self.ctx.lang) or (
                o.label if self.ctx.lang == "en" and o.label else self.ctx.names.overlay_kind(o.kind, o.label)
            )
            out[oid] = OverlayShape(o.kind, {"type": "Feature", "properties": {"label": label}, "geometry": o.geojson()})
        self._overlay_ids = set(wanted)
        return out

    def _cameras(self, situation: Situation) -> dict[str, OverlayShape | None]:
        """The catalog's cameras as markers (the ``cameras`` layer; docs/protocol.md §5.7)."""
        wanted = {f"camera:{c.id}": c for c in situation.cameras.values()}
        out: dict[str, OverlayShape | None] = {cid: None for cid in self._camera_ids - wanted.keys()}
        for cid, c in wanted.items():
            feature = {
                "type": "Feature",
                "properties": {"label": f"▶ {c.name_in(self.ctx.lang)}"},
                "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
            }
            out[cid] = OverlayShape("camera", feature)
        self._camera_ids = set(wanted)
        return out

    def _bind_catalog(self, situation: Situation) -> None:
        table = situation.sensors
        key = (id(table), table.generation, situation.catalog.generation)
        if key == self._catalog_key:
            return
        self._catalog_key = key
        infos = table.infos
        rows = sensors_matching(situation, self.spec.sensors)[:MAX_DOTS] if self.spec.sensors is not None else []
        self._dots = _DotRows.of(rows, infos, self.ctx.names.decimals)
        self._rating_rows = [(info.district, row) for row, info in enumerate(infos) if info.kind == "rating"]

    def _sensor_dots(self, situation: Situation, frame: Frame) -> Dots:
        """Grey when normal or not current, yellow with its value on a warning, red on an alarm:
        the model's threshold rule for all dots at once."""
        self._bind_catalog(situation)
        table, d = situation.sensors, self._dots
        if not len(d.rows):
            return Dots([], [], [], [])
        sampled = np.flatnonzero(table.ts[d.rows] != 0)
        rows = d.rows[sampled]
        v = table.values[rows].astype(np.float64)
        level = d.limits.levels(v, sampled)
        if not frame.current:
            level[:] = Level.NORMAL
        else:
            level[frame.server_now_ms > table.stale_at[rows]] = Level.NORMAL
        labels = [f"{x:.{n}f}" for x, n in zip(v.tolist(), d.decimals[sampled].tolist(), strict=True)]
        return Dots(d.lon[sampled].tolist(), d.lat[sampled].tolist(), level.tolist(), labels)

    def _ratings(self, situation: Situation) -> dict[str, int]:
        self._bind_catalog(situation)
        table = situation.sensors
        ratings = {d: round(float(table.values[row])) for d, row in self._rating_rows if int(table.ts[row])}
        return {k: min(5, max(1, v)) for k, v in ratings.items()}

    # ---------------------------------------------------------------------------- intents

    def choose(self, event_id: str) -> None:
        """The officer clicked a marker."""
        self.ctx.selection.choose(event_id)
