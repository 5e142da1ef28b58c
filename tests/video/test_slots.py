"""Alarm-linked video and pins (cockpit/video/slots.py), with the demo city's real alarms."""

from __future__ import annotations

from cockpit.backend.cameras.catalog import CREDENTIAL
from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.model.situation import EventRecord, Situation
from cockpit.protocol.events import SnapshotReceived
from cockpit.protocol.messages import EventState, Filter, Severity, Stream
from cockpit.video.slots import SlotChange, SlotWhy, VideoRule, VideoSlots


def record(
    eid: str,
    cameras: tuple[str, ...],
    *,
    theme: str = "flood",
    state: EventState = EventState.NEW,
    severity: int = 2,
) -> EventRecord:
    return EventRecord(
        eid,
        "waterlogging",
        Severity(severity),
        0,
        106.5,
        29.6,
        "jiangbei",
        state,
        "t",
        theme,
        "",
        (),
        1,
        cameras=cameras,
    )


def test_an_alarm_from_the_city_brings_its_cameras_into_the_video_slot() -> None:
    city = City(Hub(epoch="e1"), seed=1, rate=200)
    city.add_cameras("rtsp://127.0.0.1:8554", credential=CREDENTIAL)
    model = Situation()
    slots = VideoSlots(
        4, VideoRule(themes=("flood",), max_severity=2), defaults=["cam-jb-riverbank", "cam-yz-river"]
    )
    assert [e.camera_id for e in slots.entries] == ["cam-jb-riverbank", "cam-yz-river", None, None]
    city.advance(200.0)  # the storm: the underpass water level passes its alarm limit
    model.apply([SnapshotReceived(Stream.EVENTS, "e1", 1, tuple(city.snapshot(Stream.EVENTS, Filter())))])
    changed = model.take_changes().events
    assert slots.on_events((model.events[e] for e in changed), 5000)
    top = slots.entries[:2]
    assert [(e.camera_id, e.why) for e in top] == [
        ("cam-jb-underpass-n", SlotWhy.ALARM),
        ("cam-jb-underpass-s", SlotWhy.ALARM),
    ]
    assert model.events[top[0].event_id].source in ("jiangbei-water_level-001", "jiangbei-rain_gauge-001")
    assert slots.entries[2].camera_id == "cam-jb-riverbank"  # the defaults move down, not out
    log = slots.take_changes()
    assert SlotChange(5000, 0, "cam-jb-underpass-n", SlotWhy.ALARM, top[0].event_id) in log


def test_pins_hold_and_closing_the_alarm_gives_the_slots_back() -> None:
    slots = VideoSlots(2, VideoRule(), defaults=["d1", "d2"])
    slots.take_changes()
    slots.pin(1, "p1", 10)
    slots.on_events([record("E1", ("c1", "c2", "c3"))], 20)
    assert [(e.camera_id, e.why) for e in slots.entries] == [("c1", SlotWhy.ALARM), ("p1", SlotWhy.PINNED)]
    slots.on_events([record("E2", ("c9",))], 30)  # a newer alarm goes first
    assert slots.entries[0].camera_id == "c9"
    slots.on_events([record("E2", ("c9",), state=EventState.CLOSED)], 40)
    assert slots.entries[0].camera_id == "c1"
    slots.on_events([record("E1", ("c1",), state=EventState.RESOLVED)], 50)
    slots.unpin(1, 60)
    assert [(e.camera_id, e.why) for e in slots.entries] == [("d1", SlotWhy.DEFAULT), ("d2", SlotWhy.DEFAULT)]
    assert [c.at_ms for c in slots.take_changes()] == [10, 20, 30, 40, 50, 60]


def test_the_rule_decides_which_alarms_count() -> None:
    slots = VideoSlots(1, VideoRule(themes=("fire",), max_severity=1))
    assert not slots.on_events([record("E1", ("c1",))], 0)  # flood
    assert not slots.on_events([record("E2", ("c1",), theme="fire", severity=2)], 0)  # orange
    assert not slots.on_events([record("E3", (), theme="fire", severity=1)], 0)  # no camera sees it
    assert slots.on_events([record("E4", ("c1",), theme="fire", severity=1)], 0)
    assert not VideoSlots(1).on_events([record("E5", ("c1",))], 0)  # no rule: no alarm-linked video
