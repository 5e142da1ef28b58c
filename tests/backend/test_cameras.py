"""The camera catalog on the ``cameras`` stream and events that name cameras (docs/protocol.md §5.7)."""

from __future__ import annotations

import msgspec

from cockpit.backend.cameras.catalog import CREDENTIAL, DEMO_CAMERAS
from cockpit.backend.city import City
from cockpit.backend.streams import Hub
from cockpit.model.situation import Situation
from cockpit.protocol.codec import decode_server_frame, encode_frames
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import Camera, Event, Filter, Stream


def city_with_cameras() -> City:
    city = City(Hub(epoch="e1"), seed=1, rate=200)
    city.add_cameras("rtsp://127.0.0.1:8554", credential=CREDENTIAL)
    return city


def test_the_catalog_is_published_snapshotted_and_filtered() -> None:
    city = city_with_cameras()
    assert city.hub.logs[Stream.CAMERAS].seq == len(DEMO_CAMERAS)
    every = city.snapshot(Stream.CAMERAS, Filter())
    assert [c.id for c in every] == [c.id for c in DEMO_CAMERAS]
    fire = city.snapshot(Stream.CAMERAS, Filter(themes=["fire"]))
    assert {c.id for c in fire} == {c.id for c in DEMO_CAMERAS if c.theme == "fire"}
    cam = every[0]
    assert isinstance(cam, Camera)
    assert cam.main_url == "rtsp://127.0.0.1:8554/cam-jb-underpass-n/main" and "@" not in cam.main_url
    assert cam.credential == CREDENTIAL and cam.names["en"] == "Underpass north portal"
    near = next(s for s in city.sensors if s.name == cam.watches[0])
    assert abs(cam.lon - near.lon) < 0.002 and abs(cam.lat - near.lat) < 0.002


def test_an_alarm_names_the_cameras_that_watch_its_sensor() -> None:
    city = city_with_cameras()
    city.advance(200.0)  # the storm floods the underpass: the water-level alarm fires
    flood = [e for e in city.state.events.values() if e.source == "jiangbei-water_level-001"]
    assert flood and flood[0].cameras[:2] == ["cam-jb-underpass-n", "cam-jb-underpass-s"]
    fire = [e for e in city.state.events.values() if e.source == "shapingba-fire_terminal-001"]
    assert fire and "cam-sp-watchtower" in fire[0].cameras


def test_a_city_without_cameras_sends_events_as_before() -> None:
    city = City(Hub(epoch="e1"), seed=1, rate=200)
    city.advance(200.0)
    assert all(e.cameras == [] for e in city.state.events.values())
    assert city.snapshot(Stream.CAMERAS, Filter()) == []
    raw = msgspec.msgpack.encode(next(iter(city.state.events.values())))
    assert b"cameras" not in raw  # omitted on the wire: an old client sees the same bytes


def test_cameras_round_trip_and_reach_the_model() -> None:
    city = city_with_cameras()
    messages = city.snapshot(Stream.CAMERAS, Filter())
    (frame,) = encode_frames(messages, 1 << 20)
    decoded = decode_server_frame(frame, 1 << 20)
    assert decoded.messages == messages and not decoded.issues
    model = Situation()
    model.apply([SnapshotReceived(Stream.CAMERAS, "e1", 12, tuple(messages))])
    assert set(model.cameras) == {c.id for c in DEMO_CAMERAS}
    assert model.cameras["cam-jb-underpass-n"].name_in("zh_CN") == "下穿道北口"
    assert model.cameras["cam-jb-underpass-n"].name_in("fr") == "下穿道北口"
    gone = msgspec.structs.replace(messages[0], active=False, seq=13, prev=12)
    model.take_changes()
    model.apply([DataReceived((gone,))])
    assert "cam-jb-underpass-n" not in model.cameras
    assert model.take_changes().cameras == {"cam-jb-underpass-n"}
    city.advance(60.0)
    ev = next(e for e in city.snapshot(Stream.EVENTS, Filter()) if isinstance(e, Event))
    model.apply([DataReceived((msgspec.structs.replace(ev, cameras=["cam-x"]),))])
    assert model.events[ev.id].cameras == ("cam-x",)


def test_the_catalog_reaches_a_cockpit_over_a_real_websocket_with_a_district_filter() -> None:
    import asyncio

    from cockpit.backend.server import DemoBackend
    from cockpit.feed import Backoff, ConnectionState, FeedClient, Identity
    from tests.helpers import wait_until

    city = city_with_cameras()
    model = Situation()

    async def body() -> None:
        backend = DemoBackend(city, heartbeat_ms=300)
        await backend.start()
        feed = FeedClient(
            [backend.url],
            Identity("test-cockpit", "officer-1", "operator"),
            model.apply,
            backoff=Backoff(base_s=0.05, cap_s=0.3),
            subscriptions={s.value: Filter(districts=["shapingba"]) for s in Stream},
        )
        feed.start()
        try:
            await wait_until(lambda: feed.state is ConnectionState.LIVE)
            assert Stream.CAMERAS in feed.cursors.positions
        finally:
            await feed.stop()
            await backend.stop()

    asyncio.run(body())
    assert set(model.cameras) == {c.id for c in DEMO_CAMERAS if c.district == "shapingba"}
