"""The live situation: events, sensors, units, dispatches and plans. No Qt, no transport.

Fed by protocol events (from the live feed or a recording), read by views once per frame.
"""

from cockpit.model.sensors import SensorTable
from cockpit.model.situation import (
    ChangeSet,
    DispatchRecord,
    EventRecord,
    PlanRecord,
    PlanTaskRecord,
    SeriesRecord,
    Situation,
    UnitRecord,
)

__all__ = [
    "ChangeSet",
    "DispatchRecord",
    "EventRecord",
    "PlanRecord",
    "PlanTaskRecord",
    "SensorTable",
    "SeriesRecord",
    "Situation",
    "UnitRecord",
]
