"""An X server with several monitors for benchmarks and tests (recipes/multi-monitor-x).

- :class:`XvfbMonitors`: Xvfb with ``-noreset`` and ``xrandr --setmonitor``: one QScreen per
  monitor; monitors can be added and removed while it runs (hot-plug).
- :class:`XorgDummy`: Xorg with the dummy video driver: real RandR outputs DUMMY0..DUMMY15 that
  ``xrandr --output DUMMYn --mode WxH`` / ``--off`` plug and unplug (needs root).

Both pick a free display number, wait until the server answers, and stop only the process they
started. scripts/setup installs Xvfb, xrandr (x11-xserver-utils) and the dummy driver.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

XORG = "/usr/lib/xorg/Xorg"
DUMMY_CONF = """\
Section "ServerFlags"
    Option "AutoAddDevices" "false"
    Option "AutoAddGPU" "false"
    Option "DontVTSwitch" "true"
EndSection
Section "Device"
    Identifier "dummy"
    Driver "dummy"
    VideoRam 512000
EndSection
Section "Monitor"
    Identifier "monitor"
    HorizSync 5.0 - 1000.0
    VertRefresh 5.0 - 200.0
    Modeline "1920x1080" 148.50 1920 2008 2052 2200 1080 1084 1089 1125 +hsync +vsync
    Modeline "1280x800" 83.50 1280 1352 1480 1680 800 803 809 831 -hsync +vsync
EndSection
Section "Screen"
    Identifier "screen"
    Device "dummy"
    Monitor "monitor"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Virtual 9600 1080
    EndSubSection
EndSection
"""


def free_display(start: int = 60) -> int:
    """A display number with no X socket or lock file."""
    for n in range(start, start + 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def xrandr(display: str, *args: str, check: bool = True) -> str:
    proc = subprocess.run(
        ["xrandr", "-display", display, *args], capture_output=True, text=True, timeout=30, check=False
    )
    if check and proc.returncode != 0:
        raise RuntimeError(f"xrandr {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def monitors(display: str) -> list[str]:
    """The monitors the server lists (``xrandr --listmonitors``), by name."""
    lines = xrandr(display, "--listmonitors").splitlines()[1:]
    return [line.split()[1].lstrip("+*") for line in lines if line.strip()]


class _Server:
    def __init__(self) -> None:
        self.number = free_display()
        self.display = f":{self.number}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.mkstemp(prefix=f"x{self.number}-", suffix=".log")[1])

    def _wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"X server {self.display} exited: {self.log.read_text()[-2000:]}")
            if subprocess.run(["xrandr", "-display", self.display, "-q"], capture_output=True, check=False).returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"X server {self.display} did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        for path in (self.log, self.log.with_suffix(".xorg.log"), self.log.with_suffix(".xorg.log.old")):
            with contextlib.suppress(OSError):
                path.unlink()

    def env(self) -> dict[str, str]:
        return dict(os.environ, DISPLAY=self.display, QT_QPA_PLATFORM="xcb")

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class XvfbMonitors(_Server):
    """Xvfb ``-noreset`` of ``width`` × ``height`` split into ``count`` side-by-side monitors."""

    def __init__(self, count: int, width: int = 1920, height: int = 1080) -> None:
        super().__init__()
        self.width, self.height = width, height
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                ["Xvfb", self.display, "-screen", "0", f"{width * count}x{height}x24", "-noreset", "-nolisten", "tcp"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_ready()
        for i in range(count):
            self.add(f"M{i}", i)

    def add(self, name: str, slot: int) -> None:
        """Plug a monitor in at horizontal slot ``slot``."""
        mm_w, mm_h = self.width * 254 // 960, self.height * 254 // 960  # 96 dpi
        target = "screen" if slot == 0 and "screen" in monitors(self.display) else "none"
        xrandr(
            self.display,
            "--setmonitor",
            name,
            f"{self.width}/{mm_w}x{self.height}/{mm_h}+{slot * self.width}+0",
            target,
        )

    def remove(self, name: str) -> None:
        """Unplug monitor ``name``."""
        xrandr(self.display, "--delmonitor", name)


class XorgDummy(_Server):
    """Xorg with the dummy driver, ``count`` outputs switched on side by side at 1920×1080."""

    MODE = "1920x1080"

    def __init__(self, count: int) -> None:
        if not os.path.exists(XORG) or shutil.which("xrandr") is None:
            raise RuntimeError("Xorg's dummy driver or xrandr is missing: run scripts/setup --test")
        super().__init__()
        self.conf = Path(tempfile.mkstemp(prefix="xorg-dummy-", suffix=".conf")[1])
        self.conf.write_text(DUMMY_CONF)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [XORG, self.display, "-noreset", "-nolisten", "tcp", "-config", str(self.conf),
                 "-logfile", str(self.log.with_suffix(".xorg.log"))],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()
        for i in range(count):
            self.plug(i)
        for i in range(count, 16):
            xrandr(self.display, "--output", f"DUMMY{i}", "--off", check=False)

    def plug(self, i: int) -> None:
        """Switch output DUMMY``i`` on, right of the one before it."""
        with contextlib.suppress(RuntimeError):
            xrandr(self.display, "--addmode", f"DUMMY{i}", self.MODE)
        args = ["--output", f"DUMMY{i}", "--mode", self.MODE]
        if i:
            args += ["--right-of", f"DUMMY{i - 1}"]
        xrandr(self.display, *args)

    def unplug(self, i: int) -> None:
        xrandr(self.display, "--output", f"DUMMY{i}", "--off")

    def set_mode(self, i: int, mode: str) -> None:
        """Change output DUMMY``i``'s resolution (``1280x800``, any mode ``xrandr -q`` lists for it),
        as a panel's own menu or a driver after a reconnect does; its position stays."""
        xrandr(self.display, "-q")  # probes the outputs: until then the server knows only the modes in use
        xrandr(self.display, "--output", f"DUMMY{i}", "--mode", mode)

    def stop(self) -> None:
        super().stop()
        with contextlib.suppress(OSError):
            self.conf.unlink()
