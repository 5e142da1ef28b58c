"""The demo city's scenarios beyond its original four (docs/demo.md, shared/domain.md scenarios 5–7).

Each scenario is one module with one idea: construction-waste trucks (``waste``), water quality
(``water_quality``), the 12345 citizen requests' closed loop (``citizen``) and a street centre's
four boards with its three-colour enterprises (``street``). A scenario declares its sensors, and on
the city's scenario clock (simulated seconds ``t``) says their values, raises and moves its events
and draws its overlays through the city (:class:`ScenarioHost`), which publishes everything on the
protocol's streams like any other change.

Deterministic, and apart from the city's own random sequence: a scenario draws from a generator
seeded with the city's seed and its own name, so adding one never moves an existing scenario's
events, sensors or units.
"""

from cockpit.backend.scenarios.base import Scenario, ScenarioHost, SensorSpec, SeriesSpec
from cockpit.backend.scenarios.citizen import CitizenRequests
from cockpit.backend.scenarios.street import StreetBoards
from cockpit.backend.scenarios.waste import WasteTrucks
from cockpit.backend.scenarios.water_quality import WaterQuality


def all_scenarios(seed: int) -> list[Scenario]:
    """The scenarios of the demo city, in the order their sensors are numbered."""
    return [WasteTrucks(seed), WaterQuality(seed), CitizenRequests(seed), StreetBoards(seed)]


def scenario_sensor_kinds() -> tuple[str, ...]:
    """Every kind of sensor the later scenarios add (drill scripts may name their sensors)."""
    return tuple(sorted({spec.kind for sc in all_scenarios(0) for spec in sc.specs}))


__all__ = [
    "CitizenRequests",
    "Scenario",
    "ScenarioHost",
    "SensorSpec",
    "SeriesSpec",
    "StreetBoards",
    "WasteTrucks",
    "WaterQuality",
    "all_scenarios",
    "scenario_sensor_kinds",
]
