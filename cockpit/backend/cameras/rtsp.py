"""Starts and drives the demo's RTSP camera server (gst_server.py beside this file).

The server is a separate process run by Debian's ``/usr/bin/python3``, which has GStreamer's
bindings (python3-gi); the cockpit's virtual environment stays a plain one. ``scripts/setup``
installs the Debian packages; :func:`unavailable` says what is missing when they are not there.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

SERVER_SCRIPT = Path(__file__).with_name("gst_server.py")
SYSTEM_PYTHON = os.environ.get("COCKPIT_GST_PYTHON", "/usr/bin/python3")
DEBIAN_PACKAGES = (
    "python3-gi",
    "python3-gst-1.0",
    "python3-numpy",
    "gir1.2-gst-rtsp-server-1.0",
    "gstreamer1.0-rtsp",
    "gstreamer1.0-plugins-base",
    "gstreamer1.0-plugins-good",
    "gstreamer1.0-plugins-ugly",
)
"""What the server needs from Debian (x264enc is in -ugly); ``scripts/setup`` installs them."""


class CameraServerError(RuntimeError):
    """The camera server could not start; says why."""


@dataclass(frozen=True, slots=True)
class Mount:
    """One stream the server offers, at ``rtsp://host:port<path>``."""

    path: str
    width: int
    height: int
    fps: int
    kbps: int = 800
    pattern: str = "smpte"
    codec: str = "h264"
    """``h264``, or ``mjpeg`` (a codec the wall refuses, for tests)."""
    file: str = ""
    """A pre-encoded H.264 MP4 to stream instead of encoding live (the benchmark's clips)."""


def unavailable() -> str:
    """Why the camera server cannot run here (``""``: it can)."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing"
    probe = (
        "import gi; gi.require_version('Gst','1.0'); gi.require_version('GstRtspServer','1.0');"
        "from gi.repository import Gst, GstRtspServer; Gst.init(None);"
        "import numpy;"
        "missing=[e for e in ('x264enc','rtph264pay','videotestsrc','qtdemux','h264parse') "
        "if Gst.ElementFactory.find(e) is None]; print(' '.join(missing))"
    )
    try:
        out = subprocess.run(
            [SYSTEM_PYTHON, "-c", probe], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run {SYSTEM_PYTHON}: {exc}"
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        return f"GStreamer's RTSP server is not installed ({last}); run scripts/setup"
    if out.stdout.strip():
        return f"GStreamer elements missing: {out.stdout.strip()}; run scripts/setup"
    return ""


def make_clip(path: Path, width: int, height: int, fps: int, kbps: int, frames: int) -> Path:
    """Encode a camera-like H.264 MP4 (x264, main profile, no B-frames, 2 s GOP, CBR) whose frames
    carry their index in the picture (cockpit/video/stamp.py); kept if it exists.

    Raises:
        CameraServerError: GStreamer failed.
    """
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    args = [str(v) for v in (width, height, fps, kbps, frames)]
    out = subprocess.run(
        [SYSTEM_PYTHON, str(SERVER_SCRIPT), "make-clip", str(part), *args],
        capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip
    if out.returncode != 0 or not part.exists():
        raise CameraServerError(f"cannot make {path.name}: {(out.stdout + out.stderr).strip()[-300:]}")
    part.rename(path)
    return path


@dataclass(slots=True)
class DemoCameraServer:
    """The RTSP server process and its mounts.

    Args:
        mounts: What it serves.
        user: Required user name (``""``: no authentication).
        password: Required password; given to the process on its standard input only.
        port: Port to listen on (0: a free one; see :attr:`port` after :meth:`start`).
        frame_log: For ``file`` mounts: a CSV the server writes at stop, each sent frame's due time.
    """

    mounts: Sequence[Mount]
    user: str = ""
    password: str = field(default="", repr=False)
    port: int = 0
    host: str = "127.0.0.1"
    frame_log: str = ""
    _proc: subprocess.Popen[str] | None = None
    _lines: list[str] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    @property
    def base_url(self) -> str:
        return f"rtsp://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = 20.0) -> str:
        """Start the server; returns its base URL.

        Raises:
            CameraServerError: it did not come up (the reason is in the message).
        """
        config = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "frame_log": self.frame_log,
            "mounts": [
                {
                    k: getattr(m, k)
                    for k in ("path", "width", "height", "fps", "kbps", "pattern", "codec", "file")
                }
                for m in self.mounts
            ],
        }
        try:
            self._proc = subprocess.Popen(
                [SYSTEM_PYTHON, str(SERVER_SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            )
        except OSError as exc:
            raise CameraServerError(f"cannot start {SYSTEM_PYTHON}: {exc}") from exc
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(config) + "\n")
        self._proc.stdin.flush()
        threading.Thread(target=self._read, args=(self._proc.stdout,), daemon=True).start()
        line = self._wait_for(("READY", "FAILED", "Traceback"), timeout)
        if not line.startswith("READY"):
            self.stop()
            raise CameraServerError(f"the camera server did not start: {line or 'no answer'}; {self._tail()}")
        self.port = int(line.split()[1])
        log.info(
            "demo cameras: RTSP server on %s (pid %d, %d streams)",
            self.base_url,
            self._proc.pid,
            len(self.mounts),
        )
        return self.base_url

    def freeze(self, path: str, on: bool = True) -> None:
        """Make ``path`` repeat its current picture (a frozen encoder), or move again."""
        self._command({"cmd": "freeze", "path": path, "on": on}, "OK freeze")

    def stall(self, path: str, on: bool = True) -> None:
        """Make ``path`` send nothing (a stalled camera, connection kept), or send again."""
        self._command({"cmd": "stall", "path": path, "on": on}, "OK stall")

    def sessions(self) -> int:
        """RTSP sessions open now (clients that are playing or setting up a stream)."""
        line = self._command({"cmd": "stats"}, "STATS")
        return int(json.loads(line.split(" ", 1)[1])["sessions"])

    def kill(self) -> None:
        """Kill the process at once, like a camera losing power."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait(timeout=5)
            self._close_pipes(proc)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop it cleanly (the frame log is written)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.write(json.dumps({"cmd": "stop"}) + "\n")
                proc.stdin.close()
            proc.wait(timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait(timeout=5)
        self._close_pipes(proc)

    def _close_pipes(self, proc: subprocess.Popen[str]) -> None:
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError, ValueError):
                    pipe.close()

    def __enter__(self) -> DemoCameraServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------------------ internals

    def _read(self, stdout: IO[str]) -> None:
        for line in stdout:
            with self._cond:
                self._lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._lines.append("EXITED")
            self._cond.notify_all()

    def _wait_for(self, prefixes: tuple[str, ...], timeout: float, start: int = 0) -> str:
        found = ""

        def ready() -> bool:
            nonlocal found
            for line in self._lines[start:]:
                if line.startswith((*prefixes, "EXITED")):
                    found = line
                    return True
            return False

        with self._cond:
            self._cond.wait_for(ready, timeout)
        return found

    def _command(self, cmd: dict[str, object], answer: str) -> str:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise CameraServerError("the camera server is not running")
        with self._cond:
            start = len(self._lines)
        proc.stdin.write(json.dumps(cmd) + "\n")
        proc.stdin.flush()
        line = self._wait_for((answer, "ERROR"), 10.0, start)
        if not line.startswith(answer):
            raise CameraServerError(f"camera server: {cmd['cmd']}: {line or 'no answer'}")
        return line

    def _tail(self) -> str:
        with self._cond:
            return " | ".join(self._lines[-5:])
