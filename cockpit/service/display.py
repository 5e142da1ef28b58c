"""Screen blanking and power saving off while the wall runs, and back as they were after.

- **X11**: the X server's screen saver (``XSetScreenSaver`` timeout 0, no blanking) and DPMS
  (``DPMSDisable``), through libX11 and libXext with ctypes: the wall's display may be one the
  cockpit did not start (a desktop session), so it sets them itself rather than relying on the X
  server's command line. The earlier settings are put back on an orderly stop.
- **Windows**: ``SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED)``
  for as long as the wall runs (Windows drops it when the process ends).
- Wayland or no display: nothing can be done from a client; it is logged and reported.

No Qt: the app calls :func:`inhibit_blanking` once the wall is shown and ``restore()`` on the result
when it stops.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from typing import Any

log = logging.getLogger(__name__)

_DONT_PREFER_BLANKING = 0


class Inhibitor:
    """What was changed, and how to put it back."""

    def __init__(self, how: str) -> None:
        self.how = how
        """In words, for the log and ``cockpit status``: what is keeping the screens on."""

    def restore(self) -> None:
        """Put the earlier settings back (once)."""


class _X11Inhibitor(Inhibitor):
    def __init__(self, display_name: str) -> None:
        x11 = _load("X11", "libX11.so.6")
        self._x11 = x11
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        extra: dict[str, list[Any]] = {
            "XGetScreenSaver": [ctypes.POINTER(ctypes.c_int)] * 4,
            "XSetScreenSaver": [ctypes.c_int] * 4,
            "XSync": [ctypes.c_int],
        }
        for name in ("XGetScreenSaver", "XSetScreenSaver", "XFlush", "XCloseDisplay", "XSync"):
            getattr(x11, name).argtypes = [ctypes.c_void_p, *extra.get(name, [])]
        self._dpy = x11.XOpenDisplay(display_name.encode())
        if not self._dpy:
            raise OSError(f"cannot open X display {display_name!r}")
        saved = [ctypes.c_int() for _ in range(4)]
        x11.XGetScreenSaver(self._dpy, *[ctypes.byref(v) for v in saved])
        self._saver = [v.value for v in saved]  # timeout, interval, prefer_blanking, allow_exposures
        x11.XSetScreenSaver(self._dpy, 0, self._saver[1], _DONT_PREFER_BLANKING, self._saver[3])
        parts = ["X screen saver off"]
        self._dpms_was_on: bool | None = None
        self._ext: Any = None
        try:
            ext = _load("Xext", "libXext.so.6")
            ext.DPMSQueryExtension.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_int),
                ctypes.POINTER(ctypes.c_int),
            ]
            ext.DPMSInfo.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_ushort),
                ctypes.POINTER(ctypes.c_ubyte),
            ]
            ext.DPMSDisable.argtypes = ext.DPMSEnable.argtypes = [ctypes.c_void_p]
            event_base, error_base = ctypes.c_int(), ctypes.c_int()
            if ext.DPMSQueryExtension(self._dpy, ctypes.byref(event_base), ctypes.byref(error_base)):
                level, state = ctypes.c_ushort(), ctypes.c_ubyte()
                ext.DPMSInfo(self._dpy, ctypes.byref(level), ctypes.byref(state))
                self._dpms_was_on = bool(state.value)
                ext.DPMSDisable(self._dpy)
                self._ext = ext
                parts.append("DPMS off")
            else:
                parts.append("the X server has no DPMS")
        except OSError as exc:
            parts.append(f"DPMS left alone ({exc})")
        x11.XSync(self._dpy, 0)
        super().__init__(f"{', '.join(parts)} on {display_name}")

    def restore(self) -> None:
        if not self._dpy:
            return
        x11 = self._x11
        x11.XSetScreenSaver(self._dpy, *self._saver)
        if self._ext is not None and self._dpms_was_on:
            self._ext.DPMSEnable(self._dpy)
        x11.XSync(self._dpy, 0)
        x11.XCloseDisplay(self._dpy)
        self._dpy = None


class _WindowsInhibitor(Inhibitor):
    ES_CONTINUOUS = 0x80000000
    ES_SYSTEM_REQUIRED = 0x00000001
    ES_DISPLAY_REQUIRED = 0x00000002

    def __init__(self) -> None:
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        flags = self.ES_CONTINUOUS | self.ES_DISPLAY_REQUIRED | self.ES_SYSTEM_REQUIRED
        if not kernel32.SetThreadExecutionState(flags):
            raise OSError("SetThreadExecutionState failed")
        self._kernel32 = kernel32
        super().__init__("display and system kept awake (SetThreadExecutionState)")

    def restore(self) -> None:
        self._kernel32.SetThreadExecutionState(self.ES_CONTINUOUS)


def _load(name: str, fallback: str) -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library(name) or fallback)


def inhibit_blanking(platform_name: str) -> Inhibitor:
    """Keep the screens on for as long as the wall runs, as far as ``platform_name`` (Qt's) allows.

    Never raises: what could not be done is said in the result's ``how`` (and logged).
    """
    inhibitor: Inhibitor
    try:
        if sys.platform == "win32":
            inhibitor = _WindowsInhibitor()
        elif platform_name == "xcb" and os.environ.get("DISPLAY"):
            inhibitor = _X11Inhibitor(os.environ["DISPLAY"])
        else:
            inhibitor = Inhibitor(f"screen blanking left to the system (Qt platform {platform_name!r})")
    except (OSError, AttributeError) as exc:
        inhibitor = Inhibitor(f"screen blanking could not be switched off: {exc}")
        log.error("%s", inhibitor.how)
        return inhibitor
    log.info("kiosk: %s", inhibitor.how)
    return inhibitor
