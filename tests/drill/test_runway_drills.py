"""One drill per runway of issue 18: each starts on the scenario it trains and its injects act.

The drills run on the demo city's scenario clock (docs/demo.md); each must put the runway's own
story in front of the trainees (the camera's alert, the oil slick, the 12345 requests) and every
inject must change the city as written, injected events carrying the facts the runways show.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.backend import injects
from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.record.drill_script import (
    EventInject,
    SensorFailureInject,
    UnitSilentInject,
    WeatherInject,
    load_drill,
)

DRILLS = Path(__file__).resolve().parents[2] / "assets" / "drills"
STORIES = {"waste_trucks": "waste_shedding", "water_quality": "oil_slick", "citizen_requests": "noise_complaint"}


@pytest.mark.parametrize("drill", sorted(STORIES))
def test_the_drill_brings_its_runways_story_and_every_inject_acts(drill: str) -> None:
    script = load_drill(DRILLS / f"{drill}.yaml", open_recording=False)
    start = script.start.scenario
    assert start is not None
    city = City(Hub(), seed=start.seed, rate=300, sensors_per_kind=3, event_rate=start.events_per_min)
    city.time_origin_ms = 1_800_000_000_000
    city.advance(start.clock)
    t = 0.0
    injected = []
    for inject in script.injects:
        city.advance(inject.at - t)
        t = inject.at
        if isinstance(inject, EventInject):
            ev = injects.inject_event(city, type=inject.type, theme=inject.theme, district=inject.district,
                                      severity=inject.severity, title=inject.title, near=inject.near, attrs=inject.attrs)  # fmt: skip
            assert ev.theme in script.report_themes  # measured by the drill's report
            assert dict(ev.attrs).items() >= inject.attrs.items()
            injected.append(ev.id)
        elif isinstance(inject, SensorFailureInject):
            injects.fail_sensor(city, inject.sensor, None if inject.mode.value == "stale" else inject.value)
            assert any(city.sensors[r].name == inject.sensor for r in city.sensor_faults)
        elif isinstance(inject, UnitSilentInject):
            injects.silence_unit(city, inject.unit)
            assert inject.unit in city.silent_units
        elif isinstance(inject, WeatherInject):
            injects.change_weather(city, rain=inject.rain, wind=inject.wind, temperature=inject.temperature)
    city.advance(max(0.0, min(script.duration, 300.0) - t))
    story = [e for e in city.state.events.values() if e.type == STORIES[drill] and e.id not in injected]
    assert story, f"{drill}: the runway's own story never came"
    assert script.report_themes and all(theme in {"waste", "water_quality", "citizen"} for theme in script.report_themes)
