"""Vital-sign tiles: each sensor a selector picks (an indicator: the first one, shown large), its
value against its limits by the model's rule, grey with its age when not current (grey and
"PAUSED", without an age, while a drill's clock stands still)."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cockpit.model import Situation
from cockpit.model.thresholds import Level, Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame, Liveness
from cockpit.present.panels.scope import sensors_matching
from cockpit.present.runway_spec import Panel, PanelKind
from widgets.values import TileLevel

HISTORY_POINTS = 600
TILE_PERIOD_S = 0.25
"""Four times a second is as fast as a number can be read from across the room; repainting every
tile on every frame under load cost whole frames (bench/latency.py)."""

_TILE_LEVEL = {Level.NORMAL: TileLevel.NORMAL, Level.WARNING: TileLevel.WARNING, Level.ALARM: TileLevel.ALARM}


@dataclass(frozen=True, slots=True)
class TileBinding:
    """What a tile shows of its sensor (set when the catalog changes)."""

    title: str
    unit: str = ""
    decimals: int = 1
    limits: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Reading:
    value: float | None
    age_s: float
    level: TileLevel
    low: bool = False
    paused: bool = False
    """STALE only because the drill is paused: its clock stands still, so the value is not live but
    no older than when it was paused; the tile says "PAUSED", not an age."""


@dataclass(slots=True)
class _Tile:
    row: int | None = None
    limits: Limits = field(default_factory=Limits)
    history: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY_POINTS))
    history_dirty: bool = False


@dataclass(frozen=True, slots=True)
class TilesState:
    bindings: list[TileBinding] | None
    readings: list[Reading] | None
    histories: list[npt.NDArray[np.float64] | None] | None
    """Per tile, its new sparkline, or ``None`` for unchanged."""


class TilesModel:
    """A tiles panel (several sensors) or an indicator panel (the first sensor picked, shown large).

    Args:
        spec: The runway file's panel.
        ctx: Shared presentation state.
        count: Tiles to show; by default the selector's limit or names, else 4.
    """

    def __init__(self, spec: Panel, ctx: Context, count: int | None = None) -> None:
        self.spec = spec
        self.ctx = ctx
        sel = spec.sensors
        if spec.kind is PanelKind.INDICATOR:
            count = 1
        n = count or (sel.limit if sel and sel.limit else (len(sel.names) if sel and sel.names else 4))
        self.tiles = [_Tile() for _ in range(n)]
        self._last_paint = 0.0

    def update(self, situation: Situation, frame: Frame) -> TilesState | None:
        ch = frame.changes
        bindings = self._bind(situation) if ch.catalog or ch.names else None
        if frame.sample:
            self._sample(situation, frame)
        now = time.monotonic()
        if not (frame.slow or bindings is not None or (ch.sensors and now - self._last_paint >= TILE_PERIOD_S)):
            return None
        self._last_paint = now
        readings = [self._reading(t, situation, frame) for t in self.tiles]
        histories: list[npt.NDArray[np.float64] | None] = []
        for t in self.tiles:
            histories.append(np.fromiter(t.history, dtype=np.float64) if t.history_dirty else None)
            t.history_dirty = False
        return TilesState(bindings, readings, histories if any(h is not None for h in histories) else None)

    def _bind(self, situation: Situation) -> list[TileBinding]:
        infos = situation.sensors.infos
        rows = sensors_matching(situation, self.spec.sensors)
        # A titled panel of one kind ("Rain gauges") names only the place on each tile; of one
        # place ("Weather at the forest park"), only the kind: on a wall every character counts.
        shown = [infos[r] for r in rows[: len(self.tiles)]]
        titled = bool(self.spec.title)
        one_kind = titled and len({i.kind for i in shown}) == 1
        one_place = titled and len(shown) > 1 and len({(i.district, i.name.rsplit("-", 1)[-1]) for i in shown}) == 1
        out = []
        for i, tile in enumerate(self.tiles):
            row = rows[i] if i < len(rows) else None
            if tile.row != row:
                tile.history.clear()
                tile.history_dirty = True
            tile.row = row
            if row is None:
                tile.limits = Limits()
                out.append(TileBinding(self.ctx.translate("Tiles", "No sensor")))
                continue
            info = infos[row]
            tile.limits = Limits.of(info)
            out.append(
                TileBinding(
                    self.ctx.names.sensor(info, with_kind=not one_kind, with_place=not one_place),
                    info.unit,
                    self.ctx.names.decimals(info.kind),
                    tile.limits.lines(),
                )
            )
        return out

    @staticmethod
    def _reading(t: _Tile, situation: Situation, frame: Frame) -> Reading:
        table = situation.sensors
        if t.row is None or t.row >= len(table) or int(table.ts[t.row]) == 0:
            return Reading(None, 0.0, TileLevel.NO_DATA)
        ts = int(table.ts[t.row])
        value = float(table.values[t.row])
        age = max(0.0, (frame.server_now_ms - ts) / 1000)
        if frame.server_now_ms > int(table.stale_at[t.row]):
            return Reading(value, age, TileLevel.STALE)  # past its time to live (on the drill's clock too)
        if not frame.current:
            return Reading(value, age, TileLevel.STALE, paused=frame.wall.liveness is Liveness.DRILL_PAUSED)
        return Reading(value, age, _TILE_LEVEL[t.limits.level(value)], t.limits.is_low(value))

    def _sample(self, situation: Situation, frame: Frame) -> None:
        """Once a second each current value becomes a point of its tile's sparkline."""
        table = situation.sensors
        for t in self.tiles:
            if t.row is None or t.row >= len(table) or int(table.ts[t.row]) == 0:
                continue
            if frame.current and frame.server_now_ms <= int(table.stale_at[t.row]):
                t.history.append(float(table.values[t.row]))
                t.history_dirty = True
