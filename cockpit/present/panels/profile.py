"""A ``profile`` panel: a river from upstream to downstream, its stations' readings against their
limits, and what drifts on it (an oil slick) with its predicted arrival at its target, counting down.

Stations are the sensors the selector picks that carry ``river_km`` (protocol §5.2 ``attrs``), in
the river's order; one tagged ``intake`` is drawn as the intake. What drifts are the panel's events
(its ``events`` selector, within the runway's theme) that carry ``river_km``: ``eta_at`` (server ms)
is when they reach ``target_km`` (``target`` names it), and the panel counts down to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.model import Situation
from cockpit.model.thresholds import Limits
from cockpit.present.context import Context
from cockpit.present.frame import Frame
from cockpit.present.panels.facts import short_clock
from cockpit.present.panels.readings import fmt, reading
from cockpit.present.panels.scope import event_scope, events_matching, sensors_matching
from cockpit.present.runway_spec import Panel
from widgets.values import Drift, Mark, Severity, Station

MAX_STATIONS = 16
KM = "river_km"


@dataclass(frozen=True, slots=True)
class ProfileState:
    span: tuple[float, float]
    """The river's stretch shown, km from its upstream end."""
    marks: tuple[Mark, ...]
    unit: str
    stations: tuple[Station, ...]
    drifts: tuple[Drift, ...]
    empty: str = ""
    """Why nothing is drawn ("No station carries river_km"), or ""."""


def _km(value: str | float | None) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class ProfileModel:
    """One river profile.

    Args:
        spec: The runway file's panel (``sensors``: the stations; ``events``: what drifts).
        ctx: Shared presentation state.
        theme: The runway's theme (the drifting events are its own).
    """

    def __init__(self, spec: Panel, ctx: Context, theme: str = "") -> None:
        self.spec = spec
        self.ctx = ctx
        self.scope = event_scope(spec.events, theme)
        self.rows: list[tuple[int, float]] = []
        self.matched = 0
        """Sensors the selector picks, with a river_km or not (none yet: the catalog has not come)."""
        self.limits = Limits()
        self.unit = ""
        self.decimals = 1
        self._key = (-1, -1, -1)
        self._last: ProfileState | None = None

    def update(self, situation: Situation, frame: Frame) -> ProfileState | None:
        ch = frame.changes
        if not (frame.slow or ch.catalog or ch.names or ch.events or ch.replaced):
            return None
        self._bind(situation)
        state = self._state(situation, frame)
        if state == self._last:
            return None
        self._last = state
        return state

    def _bind(self, situation: Situation) -> None:
        table = situation.sensors
        key = (id(table), table.generation, situation.catalog.generation)
        if key == self._key:
            return
        self._key = key
        infos = table.infos
        rows = []
        matching = sensors_matching(situation, self.spec.sensors)
        self.matched = len(matching)
        for r in matching:
            km = _km(infos[r].attrs.get(KM))
            if km is not None:
                rows.append((r, km))
        rows.sort(key=lambda rk: rk[1])
        self.rows = rows[:MAX_STATIONS]
        first = infos[self.rows[0][0]] if self.rows else None
        self.limits = Limits.of(first) if first is not None else Limits()
        self.unit = first.unit if first is not None else ""
        self.decimals = self.ctx.names.decimals(first.kind) if first is not None else 1

    def _state(self, situation: Situation, frame: Frame) -> ProfileState:
        ctx, t, names = self.ctx, self.ctx.translate, self.ctx.names
        infos = situation.sensors.infos
        stations = []
        for row, km in self.rows:
            info = infos[row]
            r = reading(situation, frame, row, self.limits)
            stations.append(
                Station(km, names.own_name(info) or names.sensor(info, with_kind=False), r.value,
                        fmt(r.value, self.decimals), r.level, "intake" in info.tags)
            )  # fmt: skip
        drifts = []
        for ev in events_matching(situation, self.scope):
            at = _km(names.attr_value(ev.attrs, KM))
            if at is None:
                continue
            target = names.attr_value(ev.attrs, "target")
            target_km = _km(names.attr_value(ev.attrs, "target_km"))
            eta = names.attr_value(ev.attrs, "eta_at")
            countdown, caption = "", names.event_type(ev.type, ev.title)
            if isinstance(eta, int | float) and eta > 0:
                left = int(eta) - frame.server_now_ms
                where = str(target) if target else t("Profile", "its target")
                if left > 0:
                    countdown = ctx.words.duration(left)
                    caption = t("Profile", "{what} reaches {target} at {time}, in").format(
                        what=caption, target=where, time=short_clock(eta)
                    )
                else:
                    countdown = t("Profile", "due since {time}").format(time=short_clock(eta))
                    caption = t("Profile", "{what} at {target}").format(what=caption, target=where)
            drifts.append(
                Drift(ev.id, at, names.event_type(ev.type, ev.title), target_km, countdown, caption, Severity(int(ev.severity)))
            )
        kms = [km for _, km in self.rows] + [d.km for d in drifts]
        kms += [d.target_km for d in drifts if d.target_km is not None]
        span = (min(kms), max(kms)) if kms else (0.0, 1.0)
        marks = []
        for value, alarm, word in (
            (self.limits.warn, False, t("Profile", "warning {v}")),
            (self.limits.alarm, True, t("Profile", "alarm {v}")),
            (self.limits.low_warn, False, t("Profile", "low warning {v}")),
            (self.limits.low_alarm, True, t("Profile", "low alarm {v}")),
        ):
            if value is not None:
                marks.append(Mark(value, word.format(v=fmt(value, 0 if value == int(value) else 1, self.unit)), alarm))
        empty = (
            ""
            if self.rows
            else t("Profile", "No station with a place on the river (river_km)")
            if self.matched
            else t("Profile", "No data yet")
        )
        return ProfileState(span, tuple(marks), self.unit, tuple(stations), tuple(drifts), empty)

    def choose(self, event_id: str) -> None:
        """The officer clicked what drifts: that event is the one worked on."""
        self.ctx.selection.choose(event_id)
