"""Qinghe's backend: a district backend written from docs/protocol.md, with its own codes and names.

It is served by the reference server loop (:class:`~cockpit.backend.server.DemoBackend`) around
the protocol's server core, as any district's data source would be: a :class:`~cockpit.backend.
streams.Hub` of sequenced stream logs, a snapshot of each stream, a command handler. Nothing of the
demo city is in it: other coordinates (117.0-117.3 E, 36.55-36.75 N), district codes ``qh-*``, its
own event types, sensor kinds, units, risk kinds, and names for all of them in Chinese and English.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cockpit.backend.streams import Hub
from cockpit.config.site import SiteConfig, parse_site
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import (
    AckResult,
    Catalog,
    CatalogEntry,
    Command,
    CommandAck,
    DataMessage,
    Dispatch,
    Event,
    Filter,
    LayerPoints,
    Plan,
    SensorBatch,
    SensorCatalog,
    SensorInfo,
    Stream,
    Unit,
)

HERE = Path(__file__).resolve().parent
RISK_POINTS = 5_000
DISTRICTS = {"qh-west": ("West Qinghe", "清河西区"), "qh-east": ("East Qinghe", "清河东区"), "qh-north": ("Beihu", "北湖区")}
EVENT_TYPES = {
    "canal_overflow": ("Canal overflow", "运河漫溢"),
    "gas_leak": ("Gas leak", "燃气泄漏"),
    "bridge_crack": ("Bridge crack", "桥梁裂缝"),
}
SENSOR_KINDS = {"canal_level": ("Canal level", "运河水位"), "methane": ("Methane", "甲烷浓度")}
UNIT_KINDS = {"pump_team": ("Pump team", "泵站抢险队"), "gas_crew": ("Gas emergency crew", "燃气抢险队")}
THEMES = {"flood": ("Canal watch", "运河防汛"), "gas": ("Gas safety", "燃气安全")}
GROUPS = {"vital_signs": ("Qinghe vital signs", "清河生命体征"), "flood_watch": ("Canal watch", "运河监测")}
RISK_KINDS = {
    "canal_bank": ("Canal bank", "运河堤岸"),
    "gas_valve": ("Gas valve chamber", "燃气阀室"),
    "old_bridge": ("Old bridge", "老旧桥梁"),
}
UNNAMED_TYPE = "ice_jam"
"""An event type the catalog does not name: the wall shows the event's own title."""

TEST_CITY_NAMES = [
    *[n for d in (DISTRICTS, EVENT_TYPES, SENSOR_KINDS, UNIT_KINDS, THEMES, GROUPS, RISK_KINDS) for pair in d.values() for n in pair],
    "Qinghe city operations centre",
    "清河市城市运行管理中心",
]


def _names(pair: tuple[str, str]) -> dict[str, str]:
    return {"en": pair[0], "zh_CN": pair[1]}


def catalog() -> list[CatalogEntry]:
    out = [
        CatalogEntry(kind=kind, code=code, names=_names(pair))
        for kind, table in (
            ("district", DISTRICTS),
            ("event_type", EVENT_TYPES),
            ("unit_kind", UNIT_KINDS),
            ("theme", THEMES),
            ("group", GROUPS),
            ("risk_kind", RISK_KINDS),
        )
        for code, pair in table.items()
    ]
    out += [CatalogEntry(kind="sensor_kind", code=c, names=_names(p), decimals=2) for c, p in SENSOR_KINDS.items()]
    out.append(CatalogEntry(kind="layer", code="risk_points", names={"en": "Hazard sites", "zh_CN": "隐患点"}))
    out.append(CatalogEntry(kind="centre", code="qh", names={"en": "Qinghe city operations centre", "zh_CN": "清河市城市运行管理中心"}, level="city"))
    out += [
        CatalogEntry(kind="centre", code=f"{d}-c", names={"en": f"{en} centre", "zh_CN": f"{zh}中心"}, level="district", district=d, parent="qh")
        for d, (en, zh) in DISTRICTS.items()
    ]
    return out


SENSORS = [
    SensorInfo(id=1, name="QH-LOCK-3", kind="canal_level", unit="m", district="qh-east", lon=117.14, lat=36.63,
               theme="flood", warn=4.0, alarm=4.5, groups=["vital_signs", "flood_watch"]),
    SensorInfo(id=2, name="QH-LOCK-5", kind="canal_level", unit="m", district="qh-west", lon=117.05, lat=36.62,
               theme="flood", warn=4.0, alarm=4.5, groups=["flood_watch"]),
    SensorInfo(id=3, name="QH-GAS-11", kind="methane", unit="%LEL", district="qh-north", lon=117.20, lat=36.71,
               theme="gas", warn=10.0, alarm=20.0, groups=["vital_signs"]),
    SensorInfo(id=4, name="QH-GAS-12", kind="methane", unit="%LEL", district="qh-east", lon=117.24, lat=36.60,
               theme="gas", warn=10.0, alarm=20.0, groups=["vital_signs"]),
]  # fmt: skip


@dataclass
class State:
    events: dict[str, Event] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    dispatches: dict[str, Dispatch] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)


class QingheCity:
    """Qinghe's data, as the server loop asks for it (``hub``, ``snapshot``, ``handle_command``)."""

    tick_hz = 2.0

    def __init__(self, hub: Hub | None = None) -> None:
        self.hub = hub or Hub()
        self.time_origin_ms = time.time_ns() // 1_000_000  # its events happen now
        self.now = 0.0
        self.state = State()
        self.catalog = catalog()
        self.values = np.array([3.2, 4.7, 6.0, 3.0], dtype="<f4")  # Lock 5 over its alarm level
        rng = np.random.default_rng(117)
        self.risk_ids = np.arange(1, RISK_POINTS + 1, dtype="<u4")
        self.risk_lon = rng.uniform(117.01, 117.29, RISK_POINTS)
        self.risk_lat = rng.uniform(36.56, 36.74, RISK_POINTS)
        self.risk_level = rng.choice(4, RISK_POINTS, p=[0.6, 0.25, 0.1, 0.05]).astype(np.uint8)
        self.risk_kind = rng.integers(0, len(RISK_KINDS), RISK_POINTS).astype("<u2")
        self._acks: dict[str, CommandAck] = {}
        self._publish_start()

    def ms(self) -> int:
        return self.time_origin_ms + round(self.now * 1000)

    def _publish_start(self) -> None:
        hub = self.hub
        hub.publish(Stream.CATALOG, Catalog(stream=Stream.CATALOG, seq=0, prev=0, ts=0, entries=self.catalog), "", "")
        for d in DISTRICTS:
            mine = [s for s in SENSORS if s.district == d]
            if mine:
                hub.publish_catalog(d, "", mine)
        for msg in self._risk_messages(np.arange(RISK_POINTS)):
            hub.publish(Stream.LAYERS, msg, "", "")
        for uid, name, zh, kind, d, lon, lat in (
            ("QH/PUMP/7", "Hongqi pump team 7", "红旗泵站抢险七队", "pump_team", "qh-east", 117.15, 36.62),
            ("QH/GAS/2", "Gas emergency crew 2", "燃气抢险二队", "gas_crew", "qh-north", 117.21, 36.70),
        ):
            unit = Unit(stream=Stream.DISPATCH, seq=0, prev=0, ts=0, id=uid, name=name, names={"en": name, "zh_CN": zh},
                        kind=kind, district=d, status="available", lon=lon, lat=lat)  # fmt: skip
            self.state.units[uid] = hub.publish(Stream.DISPATCH, unit, d, "")
        for eid, etype, sev, d, lon, lat, title, theme, rec in (
            ("QH-E1", "canal_overflow", 1, "qh-west", 117.05, 36.62, "Lock 5 level over limit", "flood", ["QH/PUMP/7"]),
            ("QH-E2", "gas_leak", 2, "qh-north", 117.20, 36.71, "Methane at valve chamber 11", "gas", ["QH/GAS/2"]),
            ("QH-E3", UNNAMED_TYPE, 3, "qh-east", 117.18, 36.64, "Ice jam at Lock 3", "flood", []),
        ):
            ev = Event(stream=Stream.EVENTS, seq=0, prev=0, ts=0, id=eid, type=etype, severity=sev, time=self.ms(),
                       lon=lon, lat=lat, district=d, state="new", title=title, theme=theme, recommended=rec,
                       level="district")  # fmt: skip
            self.state.events[eid] = self.hub.publish(Stream.EVENTS, ev, d, theme, ("district",))

    def _risk_messages(self, rows: np.ndarray, seq: int = 0) -> list[LayerPoints]:
        return [
            LayerPoints(
                stream=Stream.LAYERS, seq=seq, prev=0, ts=self.ms(), layer="risk_points",
                ids=self.risk_ids[rows].tobytes(), lon=self.risk_lon[rows].astype("<f8").tobytes(),
                lat=self.risk_lat[rows].astype("<f8").tobytes(), level=self.risk_level[rows].tobytes(),
                kind=self.risk_kind[rows].tobytes(), kinds=list(RISK_KINDS),
            )
        ]  # fmt: skip

    def advance(self, seconds: float) -> None:
        """Sensor values once a simulated second (the rest of the city holds still)."""
        end = self.now + seconds
        while int(self.now) < int(end):
            self.now = float(int(self.now) + 1)
            for d in DISTRICTS:
                rows = [i for i, s in enumerate(SENSORS) if s.district == d]
                if rows:
                    self.hub.publish_sensors(
                        d, "", self.hub.now_ms(), 5000, np.array([SENSORS[i].id for i in rows], "<u4").tobytes(), self.values[rows].tobytes()
                    )
        self.now = end

    def snapshot(self, stream: str, f: Filter) -> list[DataMessage]:
        seq = self.hub.logs[stream].seq
        if stream == Stream.EVENTS:
            return [e for e in self.state.events.values() if matches(f, e.district, e.theme, (e.level,))]
        if stream == Stream.DISPATCH:
            return [u for u in self.state.units.values() if matches(f, u.district, "")]
        if stream == Stream.SENSORS:
            infos = [s for s in SENSORS if matches(f, s.district, s.theme)]
            out: list[DataMessage] = [SensorCatalog(stream=stream, seq=seq, prev=0, ts=self.ms(), sensors=infos)] if infos else []
            ids = np.array([s.id for s in infos], "<u4")
            if len(ids):
                out.append(SensorBatch(stream=stream, seq=seq, prev=0, ts=self.hub.now_ms(), ttl_ms=5000,
                                       ids=ids.tobytes(), values=self.values[ids - 1].tobytes()))  # fmt: skip
            return out
        if stream == Stream.CATALOG:
            return [Catalog(stream=stream, seq=seq, prev=0, ts=self.ms(), entries=self.catalog)]
        if stream == Stream.LAYERS:
            return list(self._risk_messages(np.arange(RISK_POINTS), seq))
        return []

    def handle_command(self, command: Command, role: str, operator: str = "") -> CommandAck:
        ack = self._acks.get(command.id)
        if ack is not None:
            return CommandAck(id=command.id, result=AckResult.DUPLICATE, original=ack.result)
        ack = self._acks[command.id] = CommandAck(id=command.id, result=AckResult.ACCEPTED)
        return ack


def site(backend_url: str, folder: Path, *, lang: str = "en") -> SiteConfig:
    """Qinghe's site file, as its IT would write it, with the backend at ``backend_url``."""
    text = (HERE / "site.toml").read_text(encoding="utf-8").replace("BACKEND_URL", backend_url).replace("LANG", lang)
    return parse_site(text, "tests/testcity/site.toml", HERE)
