#!/usr/bin/python3
"""The demo's RTSP camera server: GStreamer's gst-rtsp-server on loopback, run by Debian's python3.

This file runs under the *system* Python (``/usr/bin/python3``), which has PyGObject and GStreamer's
introspection data from Debian (python3-gi, python3-gst-1.0, gir1.2-gst-rtsp-server-1.0); the
cockpit's virtual environment has neither, and PyGObject does not install from PyPI without a
compiler and the GObject development headers. It imports nothing from the cockpit, and is driven
by :class:`cockpit.backend.cameras.rtsp.DemoCameraServer` over its standard input and output:

    stdin, first line   JSON configuration (host, port, user, password, mounts)
    stdin, later lines  JSON commands: {"cmd": "freeze"|"stall", "path": ..., "on": bool},
                        {"cmd": "stats"}, {"cmd": "stop"}
    stdout              "READY <port>", then "STATS <json>" and "OK <cmd>" answers

``gst_server.py make-clip OUT W H FPS KBPS FRAMES`` encodes a clip for the benchmark instead.

The password comes on standard input, never on the command line (``ps`` shows that to everyone).

A ``live`` mount encodes a moving test picture with x264 as a camera would, and writes the capture
time (CLOCK_MONOTONIC ms) into the luma plane just after capture, in the block code of
cockpit/video/stamp.py, so a test can read from the decoded pixels when each frame was made. A
``file`` mount streams a pre-encoded clip without re-encoding and logs when each frame was due.
"""

import json
import os
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
import numpy as np  # noqa: E402
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
BITS = 32


def stamp_luma(luma, value):
    """The same block code as cockpit/video/stamp.py (kept in step by tests/video/test_demo_cameras)."""
    b = max(2, luma.shape[1] // 40)
    bits = ((value & 0xFFFFFFFF) >> np.arange(BITS)) & 1
    row = np.repeat(np.where(bits == 1, 235, 16).astype(np.uint8), b)
    luma[:b, : BITS * b] = row
    luma[b : 2 * b, : BITS * b] = 251 - row


class MountState:
    """What the tests asked of one mount: frozen (repeat one picture) or stalled (send nothing)."""

    def __init__(self):
        self.frozen = False
        self.stalled = False
        self.saved = None


class Factory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, mount, state, frame_log):
        super().__init__()
        self.mount, self.state, self.frame_log = mount, state, frame_log
        w, h, fps = mount["width"], mount["height"], mount["fps"]
        kbps = mount.get("kbps", 800)
        if mount.get("file"):
            self.launch = (
                f"( filesrc location={mount['file']} ! qtdemux ! h264parse "
                f"! rtph264pay name=pay0 pt=96 config-interval=-1 )"
            )
            self.set_shared(False)
        else:
            pattern = mount.get("pattern", "smpte")
            if pattern in ("smpte", "smpte75", "bar", "checkers-8"):
                motion = "horizontal-speed=3"
            else:  # a ball moving over a dull green field, not over black
                motion = "animation-mode=running-time background-color=0xff3c5a32 foreground-color=0xffe8e0c8"
            if mount.get("codec", "h264") == "mjpeg":
                enc = "jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26"
            else:
                enc = (
                    f"x264enc tune=zerolatency speed-preset=ultrafast bitrate={kbps} key-int-max={fps} threads=1 "
                    f"! video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=-1"
                )
            self.launch = (
                f"( videotestsrc is-live=true pattern={pattern} {motion} "
                f"! video/x-raw,format=I420,width={w},height={h},framerate={fps}/1 ! identity name=stamp ! {enc} )"
            )
            self.set_shared(True)
        self.set_latency(0)
        self.connect("media-configure", self._on_configure)

    def do_create_element(self, url):
        return Gst.parse_launch(self.launch)

    def _on_configure(self, factory, media):
        el = media.get_element()
        if self.mount.get("file"):
            holder = [None]

            def on_prepared(m):
                p = m.get_element()
                while p.get_parent() is not None:
                    p = p.get_parent()
                holder[0] = p

            media.connect("prepared", on_prepared)
            pad = el.get_by_name("pay0").get_static_pad("sink")
            pad.add_probe(Gst.PadProbeType.BUFFER, self._send_probe(holder))
        else:
            el.get_by_name("stamp").get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, self._raw_probe)

    def _raw_probe(self, pad, info):
        st = self.state
        if st.stalled:
            return Gst.PadProbeReturn.DROP
        buf = info.get_buffer()
        mem = buf.peek_memory(0)
        ok, mi = mem.map(
            Gst.MapFlags.READ | Gst.MapFlags.WRITE
        )  # a buffer-level write map is refused from Python
        if not ok:
            return Gst.PadProbeReturn.OK
        try:
            data = np.frombuffer(mi.data, dtype=np.uint8)
            if st.frozen and st.saved is not None and st.saved.size == data.size:
                data[:] = st.saved  # the same picture again, stamp and all: a frozen encoder
            else:
                w, h = self.mount["width"], self.mount["height"]
                stamp_luma(data[: w * h].reshape(h, w), time.monotonic_ns() // 1_000_000)
                if st.frozen:
                    st.saved = data.copy()
                else:
                    st.saved = None
        finally:
            mem.unmap(mi)
        return Gst.PadProbeReturn.OK

    def _send_probe(self, holder):
        fps = self.mount["fps"]
        path = self.mount["path"]

        def probe(pad, info):
            buf = info.get_buffer()
            pipe = holder[0]
            if buf.pts != Gst.CLOCK_TIME_NONE and pipe is not None and self.frame_log is not None:
                n = round(buf.pts * fps / Gst.SECOND)
                ev = pad.get_sticky_event(Gst.EventType.SEGMENT, 0)
                rt = (
                    ev.parse_segment().to_running_time(Gst.Format.TIME, buf.pts)
                    if ev is not None
                    else buf.pts
                )
                self.frame_log.append((path, n, pipe.get_base_time() + rt))
            return Gst.PadProbeReturn.OK

        return probe


def make_clip(out, w, h, fps, kbps, frames):
    """Encode a camera-like H.264 clip (main profile, no B-frames, 2 s GOP, CBR) whose frames carry
    their index in the block code, for the benchmark's pre-encoded streams."""
    pipe = Gst.parse_launch(
        f"videotestsrc num-buffers={frames} pattern=smpte horizontal-speed=3 "
        f"! video/x-raw,format=I420,width={w},height={h},framerate={fps}/1 ! identity name=stamp "
        f"! x264enc bitrate={kbps} key-int-max={2 * fps} bframes=0 speed-preset=veryfast pass=cbr "
        f"! video/x-h264,profile=main ! mp4mux ! filesink location={out}"
    )
    count = [0]

    def probe(pad, info):
        mem = info.get_buffer().peek_memory(0)
        ok, mi = mem.map(Gst.MapFlags.READ | Gst.MapFlags.WRITE)
        if ok:
            stamp_luma(np.frombuffer(mi.data, np.uint8)[: w * h].reshape(h, w), count[0])
            mem.unmap(mi)
        count[0] += 1
        return Gst.PadProbeReturn.OK

    pipe.get_by_name("stamp").get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, probe)
    pipe.set_state(Gst.State.PLAYING)
    msg = pipe.get_bus().timed_pop_filtered(Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipe.set_state(Gst.State.NULL)
    if msg.type == Gst.MessageType.ERROR:
        say(f"FAILED {msg.parse_error()[0].message}")
        return 1
    say(f"MADE {out} {count[0]}")
    return 0


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    config = json.loads(sys.stdin.readline())
    server = GstRtspServer.RTSPServer()
    server.set_address(config.get("host", "127.0.0.1"))
    server.set_service(str(config.get("port", 0)))
    user, password = config.get("user", ""), config.get("password", "")
    if user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
        server.set_auth(auth)
    del password, config["password"]
    frame_log = [] if config.get("frame_log") else None
    states = {}
    mounts = server.get_mount_points()
    for m in config["mounts"]:
        states[m["path"]] = MountState()
        factory = Factory(m, states[m["path"]], frame_log)
        if user:
            factory.add_role_from_structure(
                Gst.Structure.from_string(
                    "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
                )[0]
            )
        mounts.add_factory(m["path"], factory)
    if server.attach(None) == 0:
        say("FAILED cannot listen")
        return 1
    loop = GLib.MainLoop()

    def finish():
        if frame_log is not None and config.get("frame_log"):
            with open(config["frame_log"], "w") as f:
                f.write("path,n,due_ns\n")
                for row in frame_log:
                    f.write("{},{},{}\n".format(*row))
        loop.quit()
        return False

    def handle(cmd):
        kind = cmd.get("cmd")
        if kind in ("freeze", "stall"):
            st = states.get(cmd.get("path", ""))
            if st is None:
                say(f"ERROR no mount {cmd.get('path')}")
                return False
            setattr(st, "frozen" if kind == "freeze" else "stalled", bool(cmd.get("on", True)))
            say(f"OK {kind}")
        elif kind == "stats":
            pool = server.get_session_pool()
            say("STATS " + json.dumps({"sessions": pool.get_n_sessions()}))
        elif kind == "stop":
            finish()
        return False

    def read_commands():
        for line in sys.stdin:
            line = line.strip()
            if line:
                GLib.idle_add(handle, json.loads(line))
        GLib.idle_add(finish)  # the controller went away: stop

    threading.Thread(target=read_commands, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: GLib.idle_add(finish))
    say(f"READY {server.get_bound_port()}")
    loop.run()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GST_DEBUG", "0")
    if sys.argv[1:2] == ["make-clip"]:
        out, *nums = sys.argv[2:]
        sys.exit(make_clip(out, *(int(v) for v in nums)))
    sys.exit(main())
