"""Helpers shared by the feed, backend and app tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from cockpit.backend.city import City
from tests.conftest import TIME_SCALE


async def wait_until(cond: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll ``cond`` on the loop until true; fail with ``what`` after ``timeout`` (scaled) seconds."""
    deadline = time.monotonic() + timeout * TIME_SCALE
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def city_digest(city: City) -> dict[str, object]:
    """The city's state in the shape of :meth:`cockpit.model.Situation.digest`."""
    st = city.state
    return {
        "events": {k: (v.state, v.severity, v.title) for k, v in st.events.items()},
        "units": {k: (v.status, v.event_id) for k, v in st.units.items()},
        "dispatches": {k: (v.state, v.unit_id) for k, v in st.dispatches.items()},
        "overlays": {k: (v.kind, v.label) for k, v in st.overlays.items()},
        "plots": {
            p.id: (p.version, p.kind, p.geometry.type, repr(p.geometry.coordinates)) for p in city.plots.register.active()
        },
        "sensors": {
            int(city.sensor_ids[i]): float(city.values[i])
            for i in range(len(city.sensors))
            if city.value_ts[i] != 0
        },
    }
