"""Regenerate the worked examples of docs/protocol.md §9 from the reference code.

    .venv/bin/python docs/tools/gen_examples.py            # print §9 (Markdown) to stdout
    .venv/bin/python docs/tools/gen_examples.py --check    # exit 1 if docs/protocol.md's §9 differs
    .venv/bin/python docs/tools/gen_examples.py --write    # replace §9 in docs/protocol.md

Deterministic: the demo city with seed 1, a fixed epoch, a simulated clock starting at
2026-01-01T09:00:00Z (``Hub(clock=...)``; the server's ``now_ms`` is pinned too), fixed command
ids. No sockets: the server side is the server core (``ServerProtocol``) driven by ``DemoBackend``'s
own handlers, the client side a ``ClientSession``; every frame the server makes is fed to the
client, which must accept it without a problem.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import msgspec

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.events import CommandAcked, FrameProblem
from cockpit.protocol.filters import matches
from cockpit.protocol.ids import uuid7_time_ms
from cockpit.protocol.messages import (
    Catalog,
    Command,
    CommandKind,
    Event,
    Filter,
    Geometry,
    Heartbeat,
    Hello,
    LayerPoints,
    Overlay,
    PlotBody,
    SensorBatch,
    Stream,
    Subscribe,
    Subscription,
)
from cockpit.protocol.server import ServerProtocol
from cockpit.protocol.session import ClientSession

T0 = 1767258000000  # 2026-01-01T09:00:00Z
EPOCH = "7f3a9c2e41d0"
OLD_EPOCH = "5b0e8d1f9a27"  # an epoch the backend had before it lost its state (§9.6)
CMD_1 = "019b78cb-cacc-7f31-a7ab-27591db3a33e"  # UUIDv7 of 1767258180300
CMD_2 = "019b78cb-cd91-7a02-b5e3-8f1c44d07a19"  # UUIDv7 of 1767258181009
CMD_3 = "019b78cb-ce4f-7c6d-9e02-4b7a1f35c8d6"  # UUIDv7 of 1767258181199
PLOT_ID = "019b78cb-d0a1-7e43-8b0c-2f6d9a1e4c70"  # the plot of §9.14, made when Li Wei started drawing
CMD_PLOT = "019b78cb-d3c2-7a8e-9f14-6b2e0c7d5a31"
CMD_EDIT_A = "019b78cb-e7f0-7b12-a3d4-1c9e8f2b6a40"  # Li Wei's edit
CMD_EDIT_B = "019b78cb-e7f2-7c55-b8e1-0d3f7a9c2b58"  # Zhang Min's, at the same moment
JIANGBEI = Filter(districts=["jiangbei"], themes=["flood", "traffic"])
ROOT = Path(__file__).resolve().parents[2]

out: list[str] = []


def w(text: str = "") -> None:
    out.append(text)


def ms(t: float) -> int:
    return T0 + round(t * 1000)


# ------------------------------------------------------------------------------ display


def _show(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        return "<bin " + bytes(v).hex(" ") + ">"
    if isinstance(v, dict):
        return {k: _show(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_show(x) for x in v]
    return v


def dump(frame: bytes, show: int | None = None) -> None:
    """A frame as a hex dump (cut to ``show`` bytes) and decoded, one message a line."""
    w("```text")
    if show is None or show >= len(frame):
        w(f"hex ({len(frame)} bytes):")
        shown = frame
    else:
        w(f"hex ({len(frame)} bytes, first {show} shown):")
        shown = frame[:show]
    for i in range(0, len(shown), 24):
        w("  " + shown[i : i + 24].hex(" "))
    if len(shown) < len(frame):
        w(f"  … {len(frame) - len(shown)} more bytes")
    w("decoded:")
    w("  [")
    msgs = msgspec.msgpack.decode(frame)
    for i, m in enumerate(msgs):
        comma = "," if i < len(msgs) - 1 else ""
        w("    " + json.dumps(_show(m), ensure_ascii=False) + comma)
    w("  ]")
    w("```")


def one(frames: list[bytes]) -> bytes:
    assert len(frames) == 1, f"expected one frame, got {len(frames)}"
    return frames[0]


# ------------------------------------------------------------------------------ the run


class Clock:
    """The simulation's clock: wall-clock ms of the city's simulated time."""

    city: City | None = None

    def __call__(self) -> int:
        return self.city.ms() if self.city is not None else T0


def check_client(session: ClientSession, frame: bytes, now: int) -> list[Any]:
    session.receive_data(frame, now)
    events = session.events_received()
    problems = [e for e in events if isinstance(e, FrameProblem)]
    assert not problems, problems
    return events


def generate() -> str:
    clock = Clock()
    city = City(Hub(epoch=EPOCH, clock=clock), seed=1)
    city.time_origin_ms = T0
    clock.city = city
    city.advance(180.0)

    server_time = [ms(180.012)]  # the server's clock, passed to its core (the welcome's server_time)
    backend = DemoBackend(city)

    def core() -> ServerProtocol:
        return ServerProtocol(backend.config, backend, backend.gate, "example", server_time[0])

    conn = core()

    def server_in(frame: bytes) -> bytes:
        return server_in_other(backend, conn, frame, server_time[0])

    client = ClientSession(
        client_id="wall-jb-01",
        operator="Li Wei",
        role="operator",
        token="example-token",
        subscriptions={Stream.EVENTS: JIANGBEI},
    )

    w("## §9 Worked examples")
    w()
    w("These frames were produced by the reference code with `docs/tools/gen_examples.py`, which anyone")
    w("can rerun with the repository's `.venv` (`--check` compares its output with this section,")
    w("`--write` replaces it). The run is deterministic: the demo city (seed 1) with the fixed epoch")
    w(f"`{EPOCH}`, on a simulated clock (`Hub(clock=...)`) that starts at 2026-01-01T09:00:00Z (Unix ms")
    w(f"{T0}), run for three simulated minutes; fixed command ids; no sockets. The messages are")
    w("built by `ClientSession` and the server core `ServerProtocol` with `DemoBackend`'s handlers (`City.snapshot`,")
    w("`City.handle_command`), encoded with `cockpit.protocol.codec.encode_frame`, fed to a")
    w("`ClientSession` (which accepts each without a problem), and decoded for display with")
    w("`msgspec.msgpack.decode`. The example sensor batch of §9.5 was built by hand with 3 values (the")
    w("demo's batches are larger). Binary fields are shown as `<bin …>`. Long hex dumps are cut, as")
    w("marked.")
    w()
    w("The client is the wall `wall-jb-01` of operator Li Wei, subscribed to `events` for district")
    w("`jiangbei` and themes `flood` and `traffic`.")
    w()

    # §9.1 hello
    t_hello = ms(180.0)
    client.start(t_hello)
    hello = one(client.data_to_send(t_hello))
    assert isinstance(msgspec.msgpack.decode(hello, type=list[Hello])[0], Hello)
    w("### §9.1 hello")
    w()
    w(f"Sent at client time {t_hello}. Note the fixed prefix every frame has: `91` is an array of one")
    w("element, `87` a map of 7 keys, `a1 74` the key `t`.")
    w()
    dump(hello)
    w()

    # §9.2 welcome
    welcome = server_in(hello)
    t_welcome = ms(180.024)
    events = check_client(client, welcome, t_welcome)
    offset = events[0].clock_offset_ms
    w("### §9.2 welcome")
    w()
    w(f"Received at client time {t_welcome}: the client's clock offset is")
    w(f"{server_time[0]} − ({t_hello} + {t_welcome}) // 2 = {offset} ms. `epochs` lists the")
    w(f"{len(events[0].welcome.epochs)} streams this server offers; the client subscribes only to streams listed there (§4.1).")
    w()
    dump(welcome)
    w()

    # §9.3 subscribe + snapshot
    subscribe = one(client.data_to_send(t_welcome))
    snapshot = server_in(subscribe)
    check_client(client, snapshot, ms(180.05))
    pos = client.cursors.get(Stream.EVENTS)
    snap_seq = pos.seq
    snap_msgs = msgspec.msgpack.decode(snapshot)
    items = [m for m in snap_msgs if m["t"] == "event"]
    w("### §9.3 subscribe with a filter, answered by a snapshot")
    w()
    w("The first subscribe has no position (`epoch` and `seq` omitted):")
    w()
    dump(subscribe)
    w()
    w("The server cannot resume (`first subscription`) and sends the snapshot of the filtered stream")
    w(f"at seq {pos.seq} in one frame: {len(items)} events, `count` {len(items)}. Inside the snapshot each")
    w("event carries the seq it was last published with and `prev` 0; neither is checked (§4.3). After")
    w(f"`snapshot_end` the client's position for `events` is (`{pos.epoch}`, {pos.seq}).")
    cleared = [m for m in items if m["state"] == "new" and not m.get("active", True)]
    for m in cleared[:1]:
        w(f"Event `{m['id']}` ({m['type']}) has returned to normal but nobody has acknowledged it yet:")
        w("it is still `new`, with `active: false` (§5.1).")
    w()
    dump(snapshot, 96)
    w()

    # second connection, for §9.5: a dispatch subscription filtered to jiangbei
    dconn = core()
    server_in_other(
        backend, dconn, encode_frame([Hello(v=1, client_id="wall-jb-02", operator="Zhang Min", role="viewer")]), 0
    )
    subscribe_to(backend, dconn, Subscription(stream=Stream.DISPATCH, filter=Filter(districts=["jiangbei"])))
    dispatch_snap_seq = dconn.subs[Stream.DISPATCH].prev

    # §9.4 command + ack: 0.3 s later
    city.advance(0.3)
    conn.collect()
    for frame in conn.data_to_send(0):  # live events of those 0.3 s, if any
        check_client(client, frame, ms(180.3))
    t_cmd = ms(180.3)
    assert uuid7_time_ms(CMD_1) == t_cmd
    target = next(
        e
        for e in sorted(city.state.events.values(), key=lambda e: e.id)
        if matches(JIANGBEI, e.district, e.theme)
        and e.state == "new"
        and e.source
        and e.theme == "flood"
        and e.recommended
    )
    unit_id = target.recommended[0]
    cmd = Command(
        id=CMD_1,
        kind=CommandKind.DISPATCH,
        event_id=target.id,
        unit_id=unit_id,
        critical=True,
        epoch=client.cursors.get(Stream.EVENTS).epoch,  # as FeedClient.send_command stamps it
    )
    client.send_command(cmd)
    cmd_frame = one(client.data_to_send(t_cmd))
    ack = server_in(cmd_frame)
    acked = check_client(client, ack, t_cmd + 20)
    assert isinstance(acked[0], CommandAcked) and acked[0].ack.result == "accepted"
    w("### §9.4 command and command_ack")
    w()
    w(f"At {t_cmd} the operator dispatches the first recommended unit to the {target.type} event")
    w(f"`{target.id}`. The command id is a UUIDv7 whose first 48 bits, `{CMD_1.replace('-', '')[:12]}`, are")
    w(f"{t_cmd}. The feed stamps the command with the `events` epoch the wall was showing (§7.1).")
    w()
    dump(cmd_frame)
    w()
    dump(ack)
    w()

    # §9.5 the event update + a hand-built sensor batch in one frame
    ev_prev = client.cursors.get(Stream.EVENTS).seq
    conn.collect()
    live = msgspec.msgpack.decode(one(conn.data_to_send(0)), type=list[Event])  # what the sender would batch next
    assert len(live) == 1 and isinstance(live[0], Event), live
    names = ["jiangbei-water_level-001", "jiangbei-water_level-002", "jiangbei-rain_gauge-001"]
    infos = [city._sensor(n) for n in names]
    idx = [city.sensors.index(i) for i in infos]
    import numpy as np

    ids = np.array([i.id for i in infos], dtype="<u4")
    vals = np.round(city.values[idx].astype(np.float64), 2).astype("<f4")
    sensors_log = city.hub.logs[Stream.SENSORS]
    batch_prev = max(
        e.seq for e in sensors_log.since(sensors_log.first_seq - 1) if matches(JIANGBEI, e.district, e.theme)
    )
    batch = SensorBatch(
        stream=Stream.SENSORS,
        seq=sensors_log.seq + 1,
        prev=batch_prev,
        ts=t_cmd,
        ttl_ms=5000,
        ids=ids.tobytes(),
        values=vals.tobytes(),
    )
    frame95 = encode_frame([live[0], batch])
    w("### §9.5 a batched data frame: an event and a sensor batch")
    w()
    w("The dispatch changed the event's state; the server's next frame carries the update together with a")
    w("sensor batch (assuming the connection is also subscribed to `sensors`). The event has `prev`")
    if ev_prev == snap_seq:
        w(f"{ev_prev}: the last `events` message this subscription got was the snapshot at {ev_prev}. The")
    else:
        w(f"{ev_prev}: the last `events` message this subscription got had seq {ev_prev}. The")
    w(f"batch's `prev` {batch_prev} is the previous batch this subscription got (the last one in the")
    w(f"`sensors` log that passes the filter); seqs {batch_prev + 1} to {batch.seq - 1} were batches for")
    w("other districts or themes.")
    w()
    dump(frame95, 64)
    w()
    bm = encode_frame([batch])[1:]
    w(f"The `sensor_batch` message, as it appears at the end of that frame ({len(bm)} bytes):")
    w()
    w("```text")
    for i in range(0, len(bm), 24):
        w("  " + bm[i : i + 24].hex(" "))
    w("```")
    w()
    n = len(names)
    w(f"Column layout (`c4 {4 * n:02x}` = bin 8 of {4 * n} bytes, i.e. {n} values):")
    w()
    w("| i | `ids` bytes (uint32 LE) | id | `values` bytes (float32 LE) | value |")
    w("|---|---|---|---|---|")
    for i, info in enumerate(infos):
        v = float(vals[i])
        w(
            f"| {i} | `{ids[i : i + 1].tobytes().hex(' ')}` | {int(ids[i])} | "
            f"`{vals[i : i + 1].tobytes().hex(' ')}` | {v:.2f} ({info.unit}, `{info.name}`) |"
        )
    w()
    w(f"All three were sampled at `ts` {t_cmd} and are stale from {t_cmd + 5000} (`ts + ttl_ms`).")
    w()
    dconn.collect()
    dframe = one(dconn.data_to_send(0))
    dmsgs = msgspec.msgpack.decode(dframe)
    assert dmsgs[0]["t"] == "dispatch", dmsgs
    first_prev = dmsgs[0]["prev"]
    w("The same dispatch produced this frame for a `dispatch` subscription filtered to `jiangbei`,")
    w(f"whose snapshot was taken at seq {dispatch_snap_seq}: the `dispatch` message (state `accepted`) has")
    w("`prev`")
    if dmsgs[0]["seq"] - first_prev > 1:
        w(f"{first_prev} because seqs {first_prev + 1} to {dmsgs[0]['seq'] - 1} were for other districts;")
    else:
        w(f"{first_prev} (nothing else was published on `dispatch` in between);")
    w(f"the `unit` message chains on with `prev` {dmsgs[1]['prev']}.")
    w()
    dump(dframe, 48)
    w()

    # §9.6 duplicate, busy, stale epoch
    dup = server_in(cmd_frame)
    other = next(
        e
        for e in sorted(city.state.events.values(), key=lambda e: e.id)
        if e.id != target.id and e.state == "new" and e.district == "jiangbei"
    )
    assert uuid7_time_ms(CMD_2) == ms(181.009)
    busy_cmd = Command(id=CMD_2, kind=CommandKind.DISPATCH, event_id=other.id, unit_id=unit_id, epoch=EPOCH)
    busy = server_in(encode_frame([busy_cmd]))
    assert uuid7_time_ms(CMD_3) == ms(181.199)
    stale_cmd = Command(
        id=CMD_3, kind=CommandKind.DISPATCH, event_id=target.id, unit_id=unit_id, epoch=OLD_EPOCH
    )
    stale = server_in(encode_frame([stale_cmd]))
    w("### §9.6 duplicate and rejected acks")
    w()
    w("The same command sent again (for instance because the first ack was lost with the connection):")
    w()
    dump(dup)
    w()
    w(f"A second dispatch command (`{CMD_2}`, for event `{other.id}`) for the same unit, now busy:")
    w()
    dump(busy)
    w()
    w(f"A dispatch command stamped with the epoch `{OLD_EPOCH}`, which this backend no longer has")
    w("(it lost its state and started the current epoch): whatever `event_id` names now may be another")
    w("event, so the command is rejected before anything else is looked at (§7.2). The reference")
    w("client would not have sent it after the new welcome: it expires such commands (§7.4).")
    w()
    dump(stale)
    w()

    # §9.7 heartbeat
    hb_time = ms(181.0)
    conn.send(Heartbeat(ts=hb_time))
    w("### §9.7 heartbeat")
    w()
    dump(one(conn.data_to_send(0)))
    w()

    # §9.8 refused
    rconn = core()
    refused = server_in_other(
        backend, rconn, encode_frame([Hello(v=2, client_id="wall-x", operator="", role="viewer")]), 0
    )
    assert rconn.close_code == (4003, "refused")
    w("### §9.8 refused")
    w()
    w("A hello with `v: 2`; the server then closes with 4003.")
    w()
    dump(refused)
    w()

    # §9.9 resume after a reconnect
    client.close()
    pos = client.cursors.get(Stream.EVENTS)
    client2 = ClientSession(
        client_id="wall-jb-01",
        operator="Li Wei",
        role="operator",
        token="example-token",
        subscriptions={Stream.EVENTS: JIANGBEI},
        cursors=client.cursors,
        counters=client.counters,
    )
    server_time[0] = ms(182.012)
    client2.start(ms(182.0))
    conn2 = core()
    welcome2 = server_in_other(backend, conn2, one(client2.data_to_send(ms(182.0))), server_time[0])
    check_client(client2, welcome2, ms(182.024))
    resub = one(client2.data_to_send(ms(182.024)))
    resumed = server_in_other(backend, conn2, resub, 0)
    check_client(client2, resumed, ms(182.05))
    w("### §9.9 resume after a reconnect")
    w()
    w("After a reconnect the client subscribes with its position (the event update of §9.5 moved it")
    w(f"to {pos.seq}):")
    w()
    dump(resub)
    w()
    w(f"The server still holds everything after {pos.seq} in epoch `{pos.epoch}` and resumes; any messages")
    w(f"after {pos.seq} follow with the chain starting at `prev` {pos.seq}.")
    w()
    dump(resumed)
    w()

    # §9.10 the schematic session (static)
    w(SESSION.rstrip("\n"))
    w()

    # §9.11 overlays: the underpass closure ends
    oconn = core()
    server_in_other(
        backend, oconn, encode_frame([Hello(v=1, client_id="wall-jb-01", operator="Li Wei", role="operator")]), 0
    )
    osnap = subscribe_to(backend, oconn, Subscription(stream=Stream.OVERLAYS, filter=Filter(districts=["jiangbei"])))
    closure = city.state.overlays["closure-underpass"]
    oconn.collect()
    oconn.data_to_send(0)  # overlay updates up to 180.3 s
    while "closure-underpass" in city.state.overlays:
        oconn.collect()
        oconn.data_to_send(0)  # earlier updates (the inundation area changes every 5 s)
        city.advance(5.0)
    oconn.collect()
    oframe = one(oconn.data_to_send(0))
    omsgs = msgspec.msgpack.decode(oframe)
    ended = omsgs[-1]
    assert ended["id"] == "closure-underpass" and ended["active"] is False, ended
    ev_after = city.state.events[closure.event_id]
    osnap_msgs = msgspec.msgpack.decode(osnap)
    kinds = " and ".join(
        f"`{m['id']}` ({m['kind']}, a {m['geometry']['type']})" for m in osnap_msgs if m["t"] == "overlay"
    )
    w("### §9.11 overlays")
    w()
    w("An `overlays` subscription filtered to `jiangbei`, made at the same time as §9.3, gets a snapshot of")
    w(f"the overlays active there: {kinds}.")
    w("The road closure, as it appears in")
    w("that snapshot (`event_id` names the event the backend raised when it closed the road; the")
    w("coordinates are lon/lat in WGS 84, §5.5):")
    w()
    w("```text")
    w(json.dumps(_show(msgspec.to_builtins(closure)), ensure_ascii=False))
    w("```")
    w()
    history = [
        (e.message.ts, e.message.state)
        for e in city.hub.logs[Stream.EVENTS].since(0)
        if isinstance(e.message, Event) and e.message.id == closure.event_id
    ]
    steps = ", ".join(f"`{state}` at {(ts - T0) / 1000:.1f} s" for ts, state in history)
    t_end = (ended["ts"] - T0) / 1000
    w(f"The demo recomputes its overlays every 5 simulated seconds. At {t_end:.1f} s the storm has eased")
    w("and the closure is lifted: the frame for this subscription carries an update of the inundation")
    w("area and, last, the closure with `active: false`, which removes it (the other fields are sent")
    w(f"again, as always, §5.0). The `{ev_after.type}` event went {steps}")
    w("on the `events` stream: the street centre acknowledged it, and it closed when the closure")
    w("ended (§5.1, §5.5). The last message of that frame:")
    w()
    last = msgspec.msgpack.decode(oframe, type=list[Overlay])[-1]
    dump(encode_frame([last]))
    w()

    # §9.12 catalog: the district's names, and a unit's own names
    cconn = core()
    server_in_other(
        backend, cconn, encode_frame([Hello(v=1, client_id="wall-jb-01", operator="Li Wei", role="operator")]), 0
    )
    csnap = msgspec.msgpack.decode(subscribe_to(backend, cconn, Subscription(stream=Stream.CATALOG)))
    sent = [e for m in csnap if m["t"] == "catalog" for e in m["entries"]]
    kinds = sorted({e["kind"] for e in sent})
    picked = [
        next(e for e in sent if e["kind"] == kind and (kind != "centre" or e.get("level") == "district"))
        for kind in ("district", "event_type", "sensor_kind", "centre")
    ]
    head = next(m for m in csnap if m["t"] == "catalog")
    shown = msgspec.convert({**head, "entries": picked}, Catalog)
    w("### §9.12 catalog")
    w()
    w("A `catalog` subscription (no filter: names are the whole district's, §4.1) made at the same")
    w(f"time is answered by a snapshot of {len(sent)} entries in"
      f" {sum(1 for m in csnap if m['t'] == 'catalog')} message(s), of the kinds {', '.join(f'`{k}`' for k in kinds)}.")
    w("Four of them, one of each of the commonest kinds, as one message (the demo's messages carry up to")
    w("2 000 entries):")
    w()
    dump(encode_frame([shown]), show=96)
    w()
    unit = city.state.units["jiangbei-drainage_crew-2"]
    w("A unit carries its own names (§5.3): the wall shows `names` in its language, else `name`, and")
    w("never makes one up from `kind` and `id`:")
    w()
    w("```text")
    w(json.dumps(_show(msgspec.to_builtins(unit)), ensure_ascii=False))
    w("```")
    w()

    # §9.13 layers: a risk-layer snapshot filtered to jiangbei, then a change
    lconn = core()
    server_in_other(
        backend, lconn, encode_frame([Hello(v=1, client_id="wall-jb-01", operator="Li Wei", role="operator")]), 0
    )
    lframes = msgspec.msgpack.decode(
        subscribe_to(backend, lconn, Subscription(stream=Stream.LAYERS, filter=Filter(districts=["jiangbei"])))
    )
    points = [m for m in lframes if m["t"] == "layer_points"]
    n_points = sum(len(m["ids"]) // 4 for m in points)
    lconn.collect()
    lconn.data_to_send(0)
    before = city.hub.logs[Stream.LAYERS].seq
    while city.hub.logs[Stream.LAYERS].seq == before:
        city.advance(5.0)
    lconn.collect()
    changes = [m for m in msgspec.msgpack.decode(one(lconn.data_to_send(0))) if m.get("t") == "layer_points"]
    change = msgspec.convert(changes[0], LayerPoints)
    first_two = [change.kinds[int.from_bytes(change.kind[2 * i : 2 * i + 2], "little")] for i in range(2)]
    kinds = list(dict.fromkeys(first_two))
    shown = msgspec.structs.replace(
        change,
        ids=change.ids[:8],
        lon=change.lon[:16],
        lat=change.lat[:16],
        level=change.level[:2],
        kind=b"".join(kinds.index(k).to_bytes(2, "little") for k in first_two),
        kinds=kinds,
    )
    w("### §9.13 layers")
    w()
    w(f"A `layers` subscription filtered to `jiangbei` gets a snapshot of that district's risk points: {n_points}")
    w(f"points in {len(points)} `layer_points` message(s) (the demo's tests make a city of 20 000 points; the demo")
    w("backend has 330 000). Every 30 simulated seconds inspections re-rate some points; the next frame for this")
    w(f"subscription carried {len(change.ids) // 4} changed points of `jiangbei`. The first two of them, as one")
    w("message (`ids` uint32, `lon`/`lat` float64, `level` uint8, `kind` uint16 indices into `kinds`, all")
    w("little-endian; a point with an id the layer has replaces it):")
    w()
    dump(encode_frame([shown]), show=96)
    plots_example(backend, city, core)
    return reflow(out)


def plots_example(backend: DemoBackend, city: City, core: Any) -> None:
    """§9.14: a fire line drawn, then edited by two centres at once (§5.10, §7.10)."""
    fire = next(e for e in sorted(city.state.events.values(), key=lambda e: e.id) if e.type == "fire")
    hello_a = encode_frame([Hello(v=1, client_id="wall-spb-01", operator="Li Wei", role="operator")])
    hello_b = encode_frame([Hello(v=1, client_id="wall-city-03", operator="Zhang Min", role="operator")])
    a, b = core(), core()
    server_in_other(backend, a, hello_a, 0)
    server_in_other(backend, b, hello_b, 0)
    sub = Subscription(stream=Stream.PLOTS, filter=Filter(districts=[fire.district]))
    subscribe_to(backend, a, sub)
    subscribe_to(backend, b, sub)
    line = [[round(fire.lon - 0.004, 5), round(fire.lat - 0.001, 5)], [round(fire.lon, 5), round(fire.lat + 0.002, 5)],
            [round(fire.lon + 0.004, 5), round(fire.lat + 0.001, 5)]]  # fmt: skip
    body = PlotBody(
        id=PLOT_ID, kind="fire_line", geometry=Geometry(type="LineString", coordinates=line), event_id=fire.id,
        label="Fire line", centre="shapingba",
    )  # fmt: skip
    create = encode_frame([Command(id=CMD_PLOT, kind=CommandKind.PLOT_CREATE, plot=body, epoch=EPOCH)])
    ack = server_in_other(backend, a, create, 0)
    a.collect()
    drawn = one(a.data_to_send(0))
    w("### §9.14 plots: a fire line drawn, then edited by two centres at once")
    w()
    w(f"Li Wei, at the `{fire.district}` street centre, draws a fire line for the fire `{fire.id}`; his wall")
    w(f"and Zhang Min's at the city centre both subscribe to `plots` for `{fire.district}` (§5.10). The")
    w("plot's id was made by Li Wei's cockpit when he started drawing; the command carries the plot as")
    w("drawn (§7.10):")
    w()
    dump(create, show=96)
    w()
    w("It is accepted, and the plot arrives on the `plots` stream at version 1, with the author the")
    w("token names, on every subscription whose filter it passes (here, Li Wei's):")
    w()
    dump(ack)
    w()
    dump(drawn, show=48)
    w()
    b.collect()
    b.data_to_send(0)
    moved = [[line[0][0] - 0.001, line[0][1]], *line[1:]]
    bent = [*line[:-1], [line[-1][0] + 0.001, line[-1][1] + 0.001]]
    edit_b = Command(
        id=CMD_EDIT_B, kind=CommandKind.PLOT_EDIT, base=1, epoch=EPOCH,
        plot=msgspec.structs.replace(body, geometry=Geometry(type="LineString", coordinates=moved), centre="city"),
    )  # fmt: skip
    edit_a = Command(
        id=CMD_EDIT_A, kind=CommandKind.PLOT_EDIT, base=1, epoch=EPOCH,
        plot=msgspec.structs.replace(body, geometry=Geometry(type="LineString", coordinates=bent)),
    )  # fmt: skip
    ack_b = server_in_other(backend, b, encode_frame([edit_b]), 0)
    ack_a = server_in_other(backend, a, encode_frame([edit_a]), 0)
    a.collect()
    after = one(a.data_to_send(0))
    w("Both officers now move a vertex of version 1 at the same moment. Zhang Min's edit reaches the")
    w("backend first and makes version 2; Li Wei's, made on version 1 too, is refused with who changed")
    w("the plot. His cockpit keeps his edit as a draft he can re-apply on version 2 or discard; both walls")
    w("show version 2 (§7.10).")
    w()
    dump(ack_b)
    w()
    dump(ack_a)
    w()
    w("The frame Li Wei's wall gets next: version 2, by Zhang Min.")
    w()
    dump(after, show=48)




def reflow(lines: list[str]) -> str:
    """Join and rewrap prose paragraphs to 100 columns; code blocks, headings and tables as they are."""
    result: list[str] = []
    para: list[str] = []
    fenced = False

    def flush() -> None:
        if para:
            result.extend(textwrap.wrap(" ".join(para), 100, break_long_words=False, break_on_hyphens=False))
            para.clear()

    for line in lines:
        if line.startswith("```"):
            flush()
            fenced = not fenced
            result.append(line)
        elif fenced or not line or line.startswith(("#", "|")):
            flush()
            result.append(line)
        else:
            para.append(line)
    flush()
    return "\n".join(result) + "\n"


def server_in_other(backend: DemoBackend, conn: ServerProtocol, frame: bytes, now: int) -> bytes:
    """One frame in to a server core, the demo's answers, the one frame out."""
    conn.receive_data(frame, now)
    backend.process(conn)
    return one(conn.data_to_send(now))


def subscribe_to(backend: DemoBackend, conn: ServerProtocol, sub: Subscription) -> bytes:
    return server_in_other(backend, conn, encode_frame([Subscribe(streams=[sub])]), 0)


SESSION = """\
### §9.10 A whole session

Schematic: the message order is the reference implementation's; the seq numbers are illustrative,
but their chaining is exact (a test checks it): within each stream, a message's `prev` is the seq of
the message before it on that subscription, and the first message after a snapshot at S, or a
resume at S, has `prev` S (§5.0). Here the `dispatch` snapshot was taken at 56, so the first live
`dispatch` message has `prev` 56, whatever the `events` stream is at.

```text
cockpit (client)                                            district backend (server)
 |                                                                     |
 |== WebSocket open ==================================================>|
 |-- [hello v=1 client_id operator role token client_time] ----------->|
 |<- [welcome v=1 epochs{events:E, sensors:E, dispatch:E, overlays:E}  |
 |    server_time heartbeat_ms=1000 max_frame_bytes=1048576] ----------|
 |   clock_offset = server_time - midpoint(hello, welcome)             |
 |   subscribe only to wanted streams listed in epochs (§4.1)          |
 |-- [subscribe events{f} sensors{f} dispatch{f} overlays{f}           |
 |    (no positions)] ------------------------------------------------>|
 |<- [subscribed events snapshot seq=28, snapshot_begin 28,            |
 |    event…, snapshot_end 28 count=5,                                 |
 |    subscribed sensors snapshot seq=3600, snapshot_begin 3600, …] ---|   may span frames
 |<- [… sensor_catalog…, sensor_batch…, snapshot_end 3600 count=n,     |
 |    subscribed dispatch snapshot seq=56, …, snapshot_end 56,         |
 |    subscribed overlays snapshot seq=9, overlay…, snapshot_end 9] ---|
 |   each stream: replace state atomically; position = (E, S); LIVE   |
 |<- [sensor_batch seq=3604 prev=3600, sensor_batch seq=3607 prev=3604]|   batched live data
 |<- [hb] -------------------------------------------------------------|   server idle 0.75 s
 |-- [hb] ------------------------------------------------------------>|   client idle 1 s
 |-- [command id=U dispatch event unit epoch=E] ---------------------->|
 |<- [command_ack id=U accepted] --------------------------------------|
 |<- [event seq=29 prev=28 dispatched, dispatch seq=57 prev=56 accepted,|
 |    unit seq=58 prev=57 dispatched, sensor_batch seq=3612 prev=3607] |
 |                                                                     |
 |   ×× network drops; ack for command V (sent just before) is lost ×× |
 |   client: OFFLINE, V back to queued, retry in 0.1–0.2 s             |
 |                                                                     |
 |== WebSocket open ==================================================>|
 |-- [hello …] ------------------------------------------------------->|
 |<- [welcome … epochs{…:E}] ------------------------------------------|
 |-- [subscribe events{f} E/29, sensors{f} E/3612, dispatch{f} E/58,   |
 |    overlays{f} E/9, command id=V epoch=E (resent, same id)] ------->|
 |<- [subscribed events resume 29, subscribed sensors resume 3612,     |
 |    subscribed dispatch resume 58, subscribed overlays resume 9,     |
 |    command_ack id=V duplicate original=accepted] -------------------|
 |<- [dispatch seq=59 prev=58 …, sensor_batch seq=3631 prev=3612, …] --|   replayed gap, then live
 |                                                                     |
 |   (if the server had lost the log: epochs{…:E2} in the welcome;     |
 |    a queued command stamped E is expired, not sent (§7.4);          |
 |    subscribed … snapshot reason="epoch E is gone; …" + snapshot)    |
```
"""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = p.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="compare with docs/protocol.md")
    g.add_argument("--write", action="store_true", help="replace §9 in docs/protocol.md")
    args = p.parse_args()
    text = generate()
    if not (args.check or args.write):
        sys.stdout.write(text)
        return 0
    doc = ROOT / "docs" / "protocol.md"
    current = doc.read_text(encoding="utf-8")
    start = current.index("## §9 Worked examples")
    end = current.index("---\n\n## §10")
    if args.check:
        if current[start:end] != text + "\n":
            print("docs/protocol.md §9 differs from the generated examples", file=sys.stderr)
            return 1
        return 0
    doc.write_text(current[:start] + text + "\n" + current[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
