"""The live situation: events, sensors, units and dispatches. No Qt, no transport.

Fed by protocol events (from the live feed or a recording), read by views once per frame.
"""

from cockpit.model.sensors import SensorTable
from cockpit.model.situation import ChangeSet, DispatchRecord, EventRecord, Situation, UnitRecord

__all__ = ["ChangeSet", "DispatchRecord", "EventRecord", "SensorTable", "Situation", "UnitRecord"]
