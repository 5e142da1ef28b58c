"""Plain-Python fixtures for the presentation layer: a real Situation fed with protocol messages,
frames as the wall presenter makes them, and a command book with the English words."""

from __future__ import annotations

import time

import numpy as np

from cockpit.backend.demo_catalog import demo_catalog, unit_names
from cockpit.model import Situation
from cockpit.present.commands import CommandBook
from cockpit.present.context import Context
from cockpit.present.frame import Frame, LinkLine, Liveness, WallState
from cockpit.present.i18n import untranslated
from cockpit.protocol.commands import CommandStatus, CommandUpdate
from cockpit.protocol.events import DataReceived
from cockpit.protocol.messages import (
    Catalog,
    Command,
    CommandAck,
    DataMessage,
    Dispatch,
    Event,
    Geometry,
    Overlay,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    Unit,
)
from widgets.values import LinkLevel

NOW = 1_700_000_000_000
"""Server ms of the test's "now"; events and samples are placed around it."""
TTL = 10_000


class Feed:
    """A Situation and the protocol messages that build it, with seq/prev kept per stream."""

    def __init__(self, names: bool = True) -> None:
        self.situation = Situation()
        self._seq: dict[str, int] = {}
        if names:  # the demo backend's names, as it sends them (protocol §5.8)
            self.apply(Catalog(stream="catalog", **self._stamp("catalog"), ts=NOW, entries=demo_catalog()))
            self.situation.take_changes()

    def _stamp(self, stream: str) -> dict[str, int]:
        prev = self._seq.get(stream, 0)
        self._seq[stream] = prev + 1
        return {"seq": prev + 1, "prev": prev}

    def apply(self, *messages: DataMessage) -> None:
        self.situation.apply([DataReceived(tuple(messages))])

    def event(
        self,
        id: str,
        *,
        severity: int = 3,
        state: str = "new",
        theme: str = "flood",
        district: str = "jiangbei",
        type: str = "waterlogging",
        age_s: int = 0,
        active: bool = True,
        recommended: tuple[str, ...] = (),
        lon: float = 106.55,
        lat: float = 29.56,
        level: str = "district",
    ) -> Event:
        return Event(
            stream="events",
            **self._stamp("events"),
            ts=NOW,
            id=id,
            type=type,
            severity=severity,
            time=NOW - age_s * 1000,
            lon=lon,
            lat=lat,
            district=district,
            state=state,
            theme=theme,
            recommended=list(recommended),
            active=active,
            level=level,
        )

    def catalog(self, *infos: SensorInfo) -> SensorCatalog:
        return SensorCatalog(stream="sensors", **self._stamp("sensors"), ts=NOW, sensors=list(infos))

    def batch(self, values: dict[int, float], *, ts: int = NOW, ttl_ms: int = TTL) -> SensorBatch:
        ids = np.array(list(values), dtype="<u4").tobytes()
        vals = np.array(list(values.values()), dtype="<f4").tobytes()
        return SensorBatch(
            stream="sensors", **self._stamp("sensors"), ts=ts, ttl_ms=ttl_ms, ids=ids, values=vals
        )

    def unit(self, id: str, *, status: str = "available", event_id: str = "") -> Unit:
        """A drainage crew of Jiangbei, named as the demo backend names its units (§5.3)."""
        number = id.rsplit("-", 1)[-1]
        names = unit_names("drainage_crew", int(number) if number.isdigit() else 1, "jiangbei")
        return Unit(
            stream="dispatch",
            **self._stamp("dispatch"),
            ts=NOW,
            id=id,
            name=names["en"],
            names=names,
            kind="drainage_crew",
            district="jiangbei",
            status=status,
            lon=106.55,
            lat=29.57,
            event_id=event_id,
        )

    def dispatch(self, command_id: str, event_id: str, unit_id: str, state: str) -> Dispatch:
        return Dispatch(
            stream="dispatch",
            **self._stamp("dispatch"),
            ts=NOW,
            command_id=command_id,
            event_id=event_id,
            unit_id=unit_id,
            state=state,
        )

    def overlay(self, id: str, kind: str, *, active: bool = True, label: str = "") -> Overlay:
        ring = [[106.50, 29.50], [106.52, 29.50], [106.52, 29.52], [106.50, 29.52], [106.50, 29.50]]
        return Overlay(
            stream="overlays",
            **self._stamp("overlays"),
            ts=NOW,
            id=id,
            kind=kind,
            active=active,
            geometry=Geometry(type="Polygon", coordinates=[ring]),
            label=label,
        )

    def frame(
        self,
        *,
        live: bool = True,
        now: int = NOW + 1000,
        sample: bool = True,
        slow: bool = True,
        liveness: Liveness | None = None,
    ) -> Frame:
        """The next painted frame: the changes since the last one, the link live or not."""
        state = liveness or (Liveness.LIVE if live else Liveness.OFFLINE)
        as_of = "" if state.current else f"as of {time.strftime('%H:%M:%S', time.localtime(NOW / 1000))}"
        wall = WallState(state, LinkLine("Live", LinkLevel.OK, 0.1, ""), now, as_of=as_of)
        return Frame(self.situation.take_changes(), wall, sample, slow)


def sensor(
    id: int,
    name: str,
    *,
    kind: str = "rain_gauge",
    district: str = "jiangbei",
    unit: str = "mm/h",
    warn: float | None = None,
    alarm: float | None = None,
    lon: float = 106.55,
    lat: float = 29.56,
    groups: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> SensorInfo:
    return SensorInfo(
        id=id,
        name=name,
        kind=kind,
        unit=unit,
        district=district,
        lon=lon,
        lat=lat,
        warn=warn,
        alarm=alarm,
        groups=list(groups),
        tags=list(tags),
    )


RAIN = [
    sensor(1, "jiangbei-rain_gauge-001"),
    sensor(2, "jiangbei-rain_gauge-002"),
    sensor(3, "jiangbei-rain_gauge-003"),
    sensor(4, "yuzhong-rain_gauge-001", district="yuzhong"),
    sensor(5, "yuzhong-rain_gauge-002", district="yuzhong"),
    sensor(6, "nanan-rain_gauge-001", district="nanan"),
]
LEVELS = [
    sensor(10, "jiangbei-water_level-001", kind="water_level", unit="m", warn=2.0, alarm=3.0, tags=("underpass",)),
    sensor(11, "jiangbei-water_level-002", kind="water_level", unit="m", warn=2.0, alarm=4.0, groups=("watch",)),
    sensor(12, "yuzhong-water_level-001", kind="water_level", unit="m", district="yuzhong", warn=1.5),
]


def context(role: str = "operator", blocked: str = "", situation: Situation | None = None) -> Context:
    """The shared presentation state of one cockpit, in English."""
    return Context("en", untranslated, CommandBook(role, untranslated, blocked, situation))


def answer(ctx: Context, command: Command, result: str, reason: str = "") -> None:
    """The backend's ack of ``command``, as the queue reports it to the book."""
    status = CommandStatus.ACCEPTED if result == "accepted" else CommandStatus.REJECTED
    ack = CommandAck(id=command.id, result=result, reason=reason)
    assert ctx.book.apply([CommandUpdate(command, status, 1, ack.reason, ack.detail)])


def names_of(situation: Situation, rows: list[int | None]) -> list[str | None]:
    return [None if r is None else situation.sensors.infos[r].name for r in rows]
