"""A map panel's live content: event markers, the backend's overlays, sensor dots and area ratings.

The static layers (districts, rivers, pipelines, risk points) are the shell's to load; this decides
what is drawn over them, frame by frame, and whether it may be drawn in live colours.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
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
from cockpit.protocol.messages import CatalogKind, SensorInfo
from widgets.plot_values import PlotShape
from widgets.values import MapMarker, Severity

MAX_MARKERS = 400
MAX_DOTS = 300
REACH_SEVERITY = 2
"""Events up to this severity (red and orange alarms) are ones a map must show: its view grows to
take them in (:class:`Reach`)."""

Extent = tuple[float, float, float, float]
"""``(west, south, east, north)`` in WGS 84 degrees."""


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


POINTS_PERIOD_S = 10.0
"""A changed point layer is drawn again at most this often: re-preparing 330,000 points costs
30-90 ms, and a risk inventory changes by a few points at a time (the first layer shows at once)."""


@dataclass(frozen=True, slots=True)
class PointsState:
    """The backend's point layer a map draws (§5.9)."""

    layer: str
    generation: int
    lon: np.ndarray
    lat: np.ndarray
    level: np.ndarray
    note: str
    """"" for the live layer; for one kept on disk, since when ("risk points as of 12-07 14:03")."""


@dataclass(frozen=True, slots=True)
class Reach:
    """Where the panel's own alarms and the backend's shapes about them lie: a map focused on a
    layer ("the forest park") must still show the fire alarm at a farmhouse 2.5 km south of it."""

    extent: Extent | None
    """``None``: the panel has no alarm and no shape now; the view is its focus (or home) alone."""


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
    points: PointsState | None = None
    reach: Reach | None = None
    """Changed reach (``None``: unchanged); the view fits its focus and this together."""
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
        self._points_seen: tuple[str, int, int] = ("", -1, 0)
        self._points_at = -POINTS_PERIOD_S
        self._reach: Extent | None = None
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
        points = self._points(situation, frame) if (ch.layers or frame.slow) else None
        reach = self._reach_of(situation) if (markers is not None or overlays is not None) else None
        self._first = False
        if (
            markers is None
            and overlays is None
            and dots is None
            and ratings is None
            and current is None
            and points is None
            and reach is None
            and plots is None
        ):
            return None
        return MapState(markers, overlays, dots, ratings, current, frame.wall.as_of, points, reach, plots)

    def _reach_of(self, situation: Situation) -> Reach | None:
        """The extent of the panel's open alarms (severity up to :data:`REACH_SEVERITY`) and of its
        overlay kinds, when it changed since the last frame that said."""
        points: list[tuple[float, float]] = []
        if self.scope is not None:
            points.extend(
                (e.lon, e.lat)
                for e in events_matching(situation, self.scope)[:MAX_MARKERS]
                if int(e.severity) <= REACH_SEVERITY
            )
        for o in situation.overlays.values():
            if o.kind in self.spec.overlays:
                points.extend(_positions(o.coordinates))
        extent = _extent(points)
        if extent == self._reach and not self._first:
            return None
        self._reach = extent
        return Reach(extent)

    def _points(self, situation: Situation, frame: Frame) -> PointsState | None:
        """The first of the panel's layers the backend sends as points, when it changed (at most
        every :data:`POINTS_PERIOD_S`, at once the first time or when kept-on-disk turns live)."""
        layers = situation.layers
        layer = next((lay for name in self.spec.layers if (lay := layers.get(name)) is not None), None)
        if layer is None:
            return None
        key = (layer.code, layer.generation, layers.saved_at_ms)
        if key == self._points_seen:
            return None
        now = time.monotonic()
        fresh = key[0] != self._points_seen[0] or key[2] != self._points_seen[2] or self._points_seen[1] < 0
        if not fresh and now - self._points_at < POINTS_PERIOD_S:
            return None
        self._points_seen, self._points_at = key, now
        c = layer.columns()
        note = ""
        if layers.saved_at_ms:
            when = time.strftime("%m-%d %H:%M", time.localtime(layers.saved_at_ms / 1000))
            name = self.ctx.names.lookup(CatalogKind.LAYER, layer.code) or layer.code
            note = self.ctx.translate("Map", "{layer} as of {when}, kept on disk").format(layer=name, when=when)
        return PointsState(layer.code, layer.generation, c.lon, c.lat, c.level, note)

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


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    """Every ``[lon, lat, ...]`` position of a GeoJSON geometry's coordinates, however nested."""
    if isinstance(coordinates, (list, tuple)) and coordinates:
        first = coordinates[0]
        if isinstance(first, (int, float)):
            if len(coordinates) >= 2 and isinstance(coordinates[1], (int, float)):
                yield float(coordinates[0]), float(coordinates[1])
            return
        for c in coordinates:
            yield from _positions(c)


def _extent(points: Iterable[tuple[float, float]]) -> Extent | None:
    """The box around the finite positions; ``None`` for none."""
    ok = [(lon, lat) for lon, lat in points if np.isfinite(lon) and np.isfinite(lat)]
    if not ok:
        return None
    lons, lats = [p[0] for p in ok], [p[1] for p in ok]
    return min(lons), min(lats), max(lons), max(lats)


def covering(base: Extent | None, reach: Extent | None, margin: float = 0.1, least: float = 0.01) -> Extent | None:
    """The view a map fits: its base (the focus layer or the site's home) grown to take in the
    reach, with ``margin`` of the box's size around it so nothing sits on the edge. A reach inside
    the base leaves the base as it is; a reach alone is shown at least ``least`` degrees wide."""
    if reach is None:
        return base
    if base is not None and (
        base[0] <= reach[0] and base[1] <= reach[1] and reach[2] <= base[2] and reach[3] <= base[3]
    ):
        return base
    if base is None:
        w, s, e, n = reach
    else:
        w, s, e, n = min(base[0], reach[0]), min(base[1], reach[1]), max(base[2], reach[2]), max(base[3], reach[3])
    dx = max(e - w, least) * (0.5 + margin)
    dy = max(n - s, least) * (0.5 + margin)
    cx, cy = (w + e) / 2, (s + n) / 2
    return cx - dx, cy - dy, cx + dx, cy + dy
