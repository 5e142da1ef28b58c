"""Drill injects applied to a running :class:`~cockpit.backend.city.City`.

A trainer's drill throws four kinds of trouble at the duty officers; each is a change to the simulated
city, published through the city's hub like any other change, so the wall sees it exactly as it
would see the real thing:

- a new event (a call, a grid worker's photo): :func:`inject_event`;
- a sensor failure: the sensor stops reporting and goes stale, or keeps reporting a fault value
  (a zero pipe pressure raises a false burst alarm): :func:`fail_sensor`;
- a weather change: storm intensity drives rain gauges, water levels, inundation and closures; wind
  and temperature set the district indicators: :func:`change_weather`;
- a unit that does not respond: it is sent its dispatches but never acknowledges or moves, until
  an officer notices and calls it off: :func:`silence_unit`.

Only a drill's sandbox backend is ever given injects (cockpit/record/drill.py). No Qt.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import msgspec

from cockpit.backend.city import DISTRICTS, City
from cockpit.protocol.messages import Event, SensorInfo


class InjectError(ValueError):
    """An inject names something the city does not have (a sensor, a unit, a district)."""


def inject_event(
    city: City,
    *,
    type: str,
    theme: str,
    district: str,
    severity: int,
    title: str,
    near: str = "",
    attrs: Mapping[str, str | float] | None = None,
    cameras: Sequence[str] = (),
) -> Event:
    """Report a new event in ``district`` (at sensor ``near`` if given), with the facts ``attrs`` (a
    truck's plate, a request's channel), and return it as published.

    It is not picked up by the street centres' own handling: it waits for the officers. It names
    ``cameras`` as the cameras that see it; with none given, a city serving cameras names those its
    rule picks (:meth:`~cockpit.backend.city.City.cameras_for`).

    Raises:
        InjectError: the district, sensor or a camera is unknown (a camera is known only to a city
            that serves cameras).
    """
    if district not in {d.code for d in DISTRICTS}:
        raise InjectError(f"no district {district!r}")
    unknown = [c for c in cameras if c not in city.state.cameras]
    if unknown:
        served = "this city serves no cameras" if not city.state.cameras else "not in the camera catalog"
        raise InjectError(f"camera {', '.join(unknown)}: {served}")
    ev = city._new_event(type, theme, title, severity, district)
    if attrs:
        ev = msgspec.structs.replace(ev, attrs={**ev.attrs, **attrs})
    if near:
        sensor = _sensor(city, near)
        ev = msgspec.structs.replace(ev, lon=sensor.lon, lat=sensor.lat, source=sensor.name)
    if cameras:
        ev = msgspec.structs.replace(ev, cameras=list(cameras))
    city._put_event(ev)
    return city.state.events[ev.id]


def fail_sensor(city: City, name: str, fault: float | None = None) -> None:
    """Make sensor ``name`` fail: silent (its value goes stale) with no ``fault``, else reading it.

    Raises:
        InjectError: no sensor has that name.
    """
    row = _row(city, name)
    city.sensor_faults[row] = math.nan if fault is None else float(fault)


def repair_sensor(city: City, name: str) -> None:
    """Undo :func:`fail_sensor`: the sensor reports its true value again."""
    city.sensor_faults.pop(_row(city, name), None)


def change_weather(
    city: City, *, rain: float | None = None, wind: float | None = None, temperature: float | None = None
) -> None:
    """Set the weather; what is left ``None`` keeps its current setting (or the scenario's).

    Args:
        rain: Storm intensity, 0 dry to 1.5; overrides the scenario's storm phase.
        wind: m/s read by every district's wind indicator.
        temperature: °C read by every district's air-temperature indicator.
    """
    if rain is not None:
        city.weather["storm"] = float(rain)
    if wind is not None:
        city.weather["wind_speed"] = float(wind)
    if temperature is not None:
        city.weather["air_temperature"] = float(temperature)
    # Take effect at the next tick, not at the next full pass over the sensors.
    city._offset = city._scenario_offset(city.now)


def silence_unit(city: City, unit_id: str) -> None:
    """Make a unit stop answering: its dispatches stay at ``dispatched`` and it never moves.

    Raises:
        InjectError: no unit has that id.
    """
    if unit_id not in city.state.units:
        raise InjectError(f"no unit {unit_id!r}")
    city.silent_units.add(unit_id)


def revive_unit(city: City, unit_id: str) -> None:
    """Undo :func:`silence_unit`: the unit answers again and its stalled dispatches go on."""
    city.silent_units.discard(unit_id)


def _row(city: City, name: str) -> int:
    for row, info in enumerate(city.sensors):
        if info.name == name:
            return row
    raise InjectError(
        f"no sensor {name!r} (names are <district>-<kind>-<nnn>, e.g. jiangbei-water_level-001)"
    )


def _sensor(city: City, name: str) -> SensorInfo:
    return city.sensors[_row(city, name)]
