"""A synthetic city for the load: its areas, its centres and their scopes, and its message plan.

Why synthetic: the demo city (:mod:`cockpit.backend.city`) has four districts and no streets, and its
NATS bridge starts every stream afresh (a new epoch) because the simulation keeps no state. A city
platform keeps its streams, and has 41 districts and 1,031 streets (docs/domain: the three levels).

**Areas.** District ``dNN`` (41 by default) and street ``dNN-sMM`` (1,031, spread evenly over the
districts). An area code is what the protocol calls the message's *district* key (the subject's
``<district>`` token, §4.1): the finest area a message belongs to. A district's own messages (its
indicators) carry the district code, a street's carry the street code.

**Centres and their scopes** (as :func:`cockpit.app.run.site_subscriptions` scopes a centre, at area
granularity): the city centre subscribes to everything; a district centre to its own area and all
its streets; a street centre to its own area, and on ``events`` only the street-level ones.

**The plan.** Message ``n`` (0, 1, 2, …) is fully determined by ``n``: area ``n mod areas`` (so every
area reports evenly, about every 0.22 s at 4,900 msg/s), an ``event`` for about one message in 50
(level mostly ``street``; some ``district`` and ``city``), otherwise a ``sensor_batch`` of the area's
sensors. Its ``ts`` is the publish time in ms: the delivery latency is measured from it. A publisher
that restarts continues the plan at the next ``n``, so the stream holds each ``n`` exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import numpy as np

from cockpit.backend.gateway.layout import body_of, sensor_batch_body
from cockpit.protocol.messages import Filter, Level, SensorCatalog, SensorInfo, Stream

THEMES = ("traffic", "water", "flood", "fire", "safety")
EVENT_EVERY = 50
"""About one message in this many is an event."""
SENSOR_TTL_MS = 60_000
SUBSCRIBED_STREAMS = (Stream.EVENTS, Stream.DISPATCH, Stream.OVERLAYS, Stream.SENSORS)
"""What every centre subscribes to (all four, as a wall does; dispatch and overlays stay quiet here)."""

_ENCODER = msgspec.msgpack.Encoder()


@dataclass(frozen=True, slots=True)
class Centre:
    """One operation centre: its level and the areas it sees.

    Attributes:
        index: Position in :attr:`SyntheticCity.centres`.
        code: ``city``, a district code or a street code; the centre's operator and client id.
        level: Its level (§5.1).
        areas: The area codes it subscribes to; empty for the city centre (everything).
    """

    index: int
    code: str
    level: Level
    areas: tuple[str, ...]

    def subscriptions(self) -> dict[str, Filter]:
        """Stream name → filter: what this centre's wall asks for."""
        if self.level is Level.CITY:
            return {s.value: Filter() for s in SUBSCRIBED_STREAMS}
        area = Filter(districts=list(self.areas))
        events = (
            area if self.level is Level.DISTRICT else Filter(districts=list(self.areas), levels=["street"])
        )
        return {s.value: (events if s is Stream.EVENTS else area) for s in SUBSCRIBED_STREAMS}


@dataclass(frozen=True, slots=True)
class Planned:
    """Message ``n`` of the plan, ready to publish."""

    n: int
    stream: str
    area: str
    theme: str
    body: bytes
    levels: tuple[str, ...]


class SyntheticCity:
    """The city's areas, centres and message plan.

    Args:
        districts: District centres (41 in the city).
        streets: Street centres (1,031), spread evenly over the districts.
        sensors_per_area: Sensors in each area (one ``sensor_batch`` carries all of an area's values).
    """

    def __init__(self, districts: int = 41, streets: int = 1031, sensors_per_area: int = 8) -> None:
        if districts < 1 or streets < 0 or sensors_per_area < 1:
            raise ValueError("a city needs at least one district and one sensor per area")
        self.sensors_per_area = sensors_per_area
        self.districts = [f"d{d:02d}" for d in range(districts)]
        self.streets_of: dict[str, list[str]] = {d: [] for d in self.districts}
        for s in range(streets):
            d = self.districts[s % districts]
            self.streets_of[d].append(f"{d}-s{len(self.streets_of[d]):02d}")
        self.areas: list[str] = [*self.districts, *(s for d in self.districts for s in self.streets_of[d])]
        self.area_index = {a: i for i, a in enumerate(self.areas)}
        self.district_of = {a: a.split("-", 1)[0] for a in self.areas}
        centres = [Centre(0, "city", Level.CITY, ())]
        for d in self.districts:
            centres.append(Centre(len(centres), d, Level.DISTRICT, (d, *self.streets_of[d])))
        for d in self.districts:
            for street in self.streets_of[d]:
                centres.append(Centre(len(centres), street, Level.STREET, (street,)))
        self.centres = centres

    # --------------------------------------------------------------------------------- plan

    def sensor_ids(self, area: int) -> np.ndarray:
        """The ids of area ``area``'s sensors (1-based, contiguous per area)."""
        first = 1 + area * self.sensors_per_area
        return np.arange(first, first + self.sensors_per_area, dtype="<u4")

    def catalogs(self) -> list[Planned]:
        """One ``sensor_catalog`` per area, published before the plan's first message."""
        out = []
        for a, code in enumerate(self.areas):
            theme = THEMES[a % len(THEMES)]
            infos = [
                SensorInfo(
                    id=int(i),
                    name=f"{code}-{theme}-{k}",
                    kind=f"{theme}_level",
                    unit="",
                    district=code,
                    lon=106.0 + a * 1e-3,
                    lat=29.0 + k * 1e-3,
                    theme=theme,
                    warn=90.0,
                    alarm=95.0,
                )
                for k, i in enumerate(self.sensor_ids(a))
            ]
            catalog = SensorCatalog(stream=Stream.SENSORS, seq=0, prev=0, ts=0, sensors=infos)
            out.append(Planned(-1 - a, Stream.SENSORS, code, theme, body_of(catalog), ()))
        return out

    def message(self, n: int, ts: int) -> Planned:
        """Message ``n`` of the plan, stamped ``ts`` (the publish time, ms)."""
        a = n % len(self.areas)
        area = self.areas[a]
        theme = THEMES[a % len(THEMES)]
        mix = (n * 2654435761) >> 8  # a multiplicative hash: events fall on every area alike
        if mix % EVENT_EVERY == 0:
            level = self._event_level(area, mix // EVENT_EVERY)
            body = _ENCODER.encode(
                {
                    "t": "event",
                    "stream": Stream.EVENTS.value,
                    "ts": ts,
                    "id": f"ev-{area}-{(n // len(self.areas)) % 20}",
                    "type": f"{theme}_alarm",
                    "severity": 1 + mix % 4,
                    "time": ts,
                    "lon": 106.0 + a * 1e-3,
                    "lat": 29.0,
                    "district": area,
                    "state": "new",
                    "title": f"load event {n}",
                    "theme": theme,
                    "level": level,
                }
            )
            return Planned(n, Stream.EVENTS, area, theme, body, (level,))
        values = ((n + np.arange(self.sensors_per_area)) % 1000).astype("<f4") / np.float32(10)
        body = sensor_batch_body(ts, SENSOR_TTL_MS, self.sensor_ids(a).tobytes(), values.tobytes())
        return Planned(n, Stream.SENSORS, area, theme, body, ())

    def _event_level(self, area: str, k: int) -> str:
        if "-" not in area:  # a district's own event: district or city level
            return Level.CITY.value if k % 5 == 0 else Level.DISTRICT.value
        r = k % 20
        if r == 0:
            return Level.CITY.value
        if r < 4:
            return Level.DISTRICT.value
        return Level.STREET.value
