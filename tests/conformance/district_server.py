"""A minimal district server written from docs/protocol.md alone: websockets and msgpack, nothing
from the cockpit. Two districts, one theme, an ``events`` stream and a ``sensors`` stream.

It implements what the document asks of a server, section by section: frames are arrays (§2.1),
split under the frame limit (§2.2); bad input is dropped (§2.3); hello → welcome, or refused
``version`` and close 4003 (§3); subscribe → resume or snapshot with the reason (§4.2, §4.3); the
filter rule (§4.1); the prev chain per subscription (§5.0); catalogs before values, columns of
uint32/float32 (§5.2); heartbeats when idle 0.75 intervals (§6); commands with the roles table, the
order of checks, ``malformed``, ``duplicate`` and ``stale_epoch`` (§7); it trusts the hello (no
tokens, §3.1: "a server without keys trusts the hello").
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import struct
import time
from typing import Any

import msgpack
import websockets
from websockets.asyncio.server import ServerConnection, serve

HEARTBEAT_MS = 400
MAX_FRAME = 1 << 20
DISTRICTS = ("north", "south")
OFFICER = {"acknowledge", "dispatch", "cancel", "close", "escalate", "hand_down", "activate_plan"}
RIGHTS = {
    "viewer": set(),
    "operator": OFFICER,
    "trainer": OFFICER,
    "supervisor": OFFICER | {"shelve", "unshelve", "approve_plan", "close_plan"},
}
KINDS = RIGHTS["supervisor"]


def now_ms() -> int:
    return int(time.time() * 1000)


class Log:
    """One stream: (seq, district, theme, message without seq/prev), all kept."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, str, str, dict[str, Any]]] = []

    @property
    def seq(self) -> int:
        return self.entries[-1][0] if self.entries else 0

    def publish(self, district: str, theme: str, message: dict[str, Any]) -> None:
        self.entries.append((self.seq + 1, district, theme, message))


def matches(f: dict[str, Any], district: str, theme: str) -> bool:
    """§4.1: an empty list or an empty key passes."""
    ds, ts = f.get("districts") or [], f.get("themes") or []
    return (not ds or not district or district in ds) and (not ts or not theme or theme in ts)


class DistrictServer:
    def __init__(self) -> None:
        self.epoch = secrets.token_hex(6)
        self.logs = {"events": Log(), "sensors": Log()}
        self.events: dict[str, dict[str, Any]] = {}  # latest event by id (with its seq)
        self.values: dict[int, tuple[float, int]] = {}  # sensor id -> (value, ts)
        self.catalog: dict[str, list[dict[str, Any]]] = {}  # district -> sensor infos
        self.acks: dict[str, dict[str, Any]] = {}
        self.url = ""
        self._tasks: list[asyncio.Task[None]] = []
        self._server: Any = None

    # -------------------------------------------------------------------------- the district's data

    def _event(self, n: int) -> None:
        district = DISTRICTS[n % 2]
        ev = {
            "t": "event", "stream": "events", "ts": now_ms(), "id": f"D-{n}", "type": "pump_failure",
            "severity": 2, "time": now_ms(), "lon": 104.0 + n / 1000, "lat": 30.6, "district": district,
            "state": "new", "title": f"Pump {n} failed", "theme": "water",
        }  # fmt: skip
        self.logs["events"].publish(district, "water", ev)
        self.events[ev["id"]] = {**ev, "seq": self.logs["events"].seq}

    def _update_event(self, ev: dict[str, Any], **changes: Any) -> None:
        new = {k: v for k, v in ev.items() if k != "seq"} | changes | {"ts": now_ms()}
        self.logs["events"].publish(new["district"], "water", new)
        self.events[new["id"]] = {**new, "seq": self.logs["events"].seq}

    def _catalogs(self) -> None:
        for d_index, district in enumerate(DISTRICTS):
            infos = [
                {"id": d_index * 10 + i, "name": f"{district}-pressure-{i}", "kind": "pipe_pressure", "unit": "MPa",
                 "district": district, "lon": 104.0, "lat": 30.6, "theme": "water", "warn": 0.6, "alarm": 0.7}
                for i in range(5)
            ]  # fmt: skip
            self.catalog[district] = infos
            self.logs["sensors"].publish(district, "water", {"t": "sensor_catalog", "stream": "sensors", "ts": now_ms(), "sensors": infos})

    def _batch(self, tick: int) -> None:
        ts = now_ms()
        for district in DISTRICTS:
            ids = [s["id"] for s in self.catalog[district]]
            vals = [0.4 + ((i + tick) % 7) / 50 for i in ids]
            for i, v in zip(ids, vals, strict=True):
                self.values[i] = (v, ts)
            batch = {
                "t": "sensor_batch", "stream": "sensors", "ts": ts, "ttl_ms": 5000,
                "ids": struct.pack(f"<{len(ids)}I", *ids), "values": struct.pack(f"<{len(vals)}f", *vals),
            }  # fmt: skip
            self.logs["sensors"].publish(district, "water", batch)

    async def _simulate(self) -> None:
        self._catalogs()
        tick = 0
        while True:
            tick += 1
            self._batch(tick)
            if tick % 5 == 1:
                self._event(tick)
            await asyncio.sleep(0.1)

    def snapshot(self, stream: str, f: dict[str, Any]) -> list[dict[str, Any]]:
        """§4.3: the state now, for the filter; seq is the entity's last, prev 0."""
        seq = self.logs[stream].seq
        if stream == "events":
            return [{**e, "prev": 0} for e in self.events.values() if matches(f, e["district"], "water")]
        out: list[dict[str, Any]] = []
        for district in DISTRICTS:
            if not matches(f, district, "water"):
                continue
            out.append({"t": "sensor_catalog", "stream": "sensors", "seq": seq, "prev": 0, "ts": now_ms(), "sensors": self.catalog[district]})
        for district in DISTRICTS:
            ids = [s["id"] for s in self.catalog[district] if s["id"] in self.values] if matches(f, district, "water") else []
            if ids:
                ts = self.values[ids[0]][1]
                out.append({
                    "t": "sensor_batch", "stream": "sensors", "seq": seq, "prev": 0, "ts": ts, "ttl_ms": 5000,
                    "ids": struct.pack(f"<{len(ids)}I", *ids),
                    "values": struct.pack(f"<{len(ids)}f", *(self.values[i][0] for i in ids)),
                })  # fmt: skip
        return out

    # -------------------------------------------------------------------------- life

    async def __aenter__(self) -> DistrictServer:
        self._server = await serve(self._connection, "127.0.0.1", 0, compression=None, max_size=MAX_FRAME, ping_interval=None)
        self.url = f"ws://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        self._tasks.append(asyncio.create_task(self._simulate()))
        return self

    async def __aexit__(self, *exc: object) -> None:
        for t in self._tasks:
            t.cancel()
        self._server.close()
        await self._server.wait_closed()

    # -------------------------------------------------------------------------- one connection

    async def _connection(self, ws: ServerConnection) -> None:
        conn = Connection(self, ws)
        sender = asyncio.create_task(conn.send_loop())
        try:
            async for data in ws:
                if conn.closing is None:
                    conn.receive(data if isinstance(data, bytes) else data.encode())
                    conn.wake.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await sender


class Connection:
    def __init__(self, server: DistrictServer, ws: ServerConnection) -> None:
        self.server, self.ws = server, ws
        self.out: list[dict[str, Any]] = []
        self.role = ""
        self.welcomed = False
        self.subs: dict[str, dict[str, Any]] = {}  # stream -> {filter, prev, scanned}
        self.closing: int | None = None
        self.last_tx = time.monotonic()
        self.wake = asyncio.Event()

    def refuse(self, code: str, detail: str) -> None:
        self.out = [{"t": "refused", "code": code, "detail": detail}]
        self.closing = 4003

    def receive(self, data: bytes) -> None:
        try:
            frame = msgpack.unpackb(data, raw=False)
        except Exception:  # §2.3: not MessagePack: dropped
            return
        if not isinstance(frame, list):
            return  # not_a_list
        for m in frame:
            if self.closing is not None:
                return
            if not isinstance(m, dict) or not isinstance(m.get("t"), str):
                continue
            t = m["t"]
            if t == "hello":
                self.hello(m)
            elif not self.welcomed or t == "hb":
                continue
            elif t == "subscribe" and isinstance(m.get("streams"), list):
                self.subscribe(m["streams"])
            elif t == "command":
                self.command(m)

    def hello(self, m: dict[str, Any]) -> None:
        if self.welcomed:
            return
        if m.get("v") != 1:
            self.refuse("version", f"client speaks v{m.get('v')}; this server speaks v1")
            return
        self.role, self.welcomed = str(m.get("role", "")), True
        self.out.append({
            "t": "welcome", "v": 1, "server_id": "district-minimal",
            "epochs": dict.fromkeys(self.server.logs, self.server.epoch),
            "capabilities": ["batch", "resume", "snapshot", "filters"],
            "server_time": now_ms(), "heartbeat_ms": HEARTBEAT_MS, "max_frame_bytes": MAX_FRAME,
        })  # fmt: skip

    def subscribe(self, subs: list[Any]) -> None:
        if any(not isinstance(s, dict) or s.get("stream") not in self.server.logs for s in subs):
            self.refuse("unknown_stream", "no such stream")
            return
        for s in subs:
            stream, f = s["stream"], s.get("filter") or {}
            log = self.server.logs[stream]
            epoch, seq = s.get("epoch", ""), s.get("seq", 0)
            if epoch == self.server.epoch and 0 < seq <= log.seq:
                self.out.append({"t": "subscribed", "stream": stream, "epoch": epoch, "mode": "resume", "seq": seq, "reason": ""})
                self.subs[stream] = {"filter": f, "prev": seq, "scanned": seq}
                continue
            reason = "first subscription" if not epoch else f"cannot resume {epoch}/{seq}"
            at = log.seq
            items = self.server.snapshot(stream, f)
            self.out += [
                {"t": "subscribed", "stream": stream, "epoch": self.server.epoch, "mode": "snapshot", "seq": at, "reason": reason},
                {"t": "snapshot_begin", "stream": stream, "epoch": self.server.epoch, "seq": at},
                *items,
                {"t": "snapshot_end", "stream": stream, "epoch": self.server.epoch, "seq": at, "count": len(items)},
            ]
            self.subs[stream] = {"filter": f, "prev": at, "scanned": at}

    def command(self, m: dict[str, Any]) -> None:
        cid = m.get("id")
        if not isinstance(cid, str) or not cid:
            return  # §7.2: no readable id, no ack
        kind, event_id, epoch = m.get("kind"), m.get("event_id", ""), m.get("epoch", "")
        if not isinstance(kind, str) or not isinstance(event_id, str) or not isinstance(epoch, str):
            self.out.append({"t": "command_ack", "id": cid, "result": "rejected", "reason": "malformed", "detail": "kind, event_id and epoch are strings"})
            return
        if cid in self.server.acks:
            first = self.server.acks[cid]
            self.out.append({"t": "command_ack", "id": cid, "result": "duplicate", "reason": first["reason"], "original": first["result"]})
            return
        ack = self.apply(cid, kind, event_id, epoch)
        self.server.acks[cid] = ack
        self.out.append(ack)

    def apply(self, cid: str, kind: str, event_id: str, epoch: str) -> dict[str, Any]:
        def reject(reason: str) -> dict[str, Any]:
            return {"t": "command_ack", "id": cid, "result": "rejected", "reason": reason}

        rights = RIGHTS.get(self.role, set())
        if (kind in KINDS and kind not in rights) or not rights:
            return reject("forbidden")
        if epoch and epoch != self.server.epoch:
            return reject("stale_epoch")
        if kind not in KINDS:
            return reject("unknown_kind")
        ev = self.server.events.get(event_id)
        if ev is None:
            return reject("unknown_event")
        if kind == "acknowledge":
            if ev["state"] == "new":
                self.server._update_event(ev, state="acknowledged")
            return {"t": "command_ack", "id": cid, "result": "accepted", "reason": ""}
        return reject("not_supported")

    def collect(self) -> None:
        for stream, sub in self.subs.items():
            for seq, district, theme, message in self.server.logs[stream].entries[sub["scanned"]:]:
                if matches(sub["filter"], district, theme):
                    self.out.append({**message, "seq": seq, "prev": sub["prev"]})
                    sub["prev"] = seq
                sub["scanned"] = seq

    async def send_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(HEARTBEAT_MS / 4000):
                    await self.wake.wait()
            self.wake.clear()
            if self.closing is None and self.welcomed:
                self.collect()
                if not self.out and time.monotonic() - self.last_tx >= 0.75 * HEARTBEAT_MS / 1000:
                    self.out.append({"t": "hb", "ts": now_ms()})
            out, self.out = self.out, []
            frame: list[bytes] = []
            size = 5
            for m in out:  # §2.2: split under the limit
                b = msgpack.packb(m, use_bin_type=True)
                if frame and size + len(b) > MAX_FRAME:
                    await self.ws.send(b"\xdd" + len(frame).to_bytes(4, "big") + b"".join(frame))
                    frame, size = [], 5
                frame.append(b)
                size += len(b)
            if frame:
                await self.ws.send(b"\xdd" + len(frame).to_bytes(4, "big") + b"".join(frame))
                self.last_tx = time.monotonic()
            if self.closing is not None:
                await self.ws.close(self.closing, "refused")
                return
