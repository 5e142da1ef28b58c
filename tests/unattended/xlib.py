"""Two things a window manager and a screen reader of the pointer do, through libX11 with ctypes:
ask a window to close (``WM_DELETE_WINDOW``, what Alt+F4 sends) and read the pointer's image."""

from __future__ import annotations

import ctypes
import ctypes.util


class XClientMessageEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessageEvent), ("pad", ctypes.c_long * 24)]


class XFixesCursorImage(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_short),
        ("y", ctypes.c_short),
        ("width", ctypes.c_ushort),
        ("height", ctypes.c_ushort),
        ("xhot", ctypes.c_ushort),
        ("yhot", ctypes.c_ushort),
        ("cursor_serial", ctypes.c_ulong),
        ("pixels", ctypes.POINTER(ctypes.c_ulong)),
        ("atom", ctypes.c_ulong),
        ("name", ctypes.c_char_p),
    ]


_x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
_x11.XOpenDisplay.restype = ctypes.c_void_p
_x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
_x11.XInternAtom.restype = ctypes.c_ulong
_x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
_x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(XEvent)]
_x11.XFlush.argtypes = _x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
_x11.XFree.argtypes = [ctypes.c_void_p]


def ask_to_close(display: str, window: int) -> None:
    """Send ``window`` the WM_PROTOCOLS/WM_DELETE_WINDOW client message a window manager sends."""
    dpy = _x11.XOpenDisplay(display.encode())
    assert dpy, display
    try:
        ev = XEvent()
        ev.xclient.type = 33  # ClientMessage
        ev.xclient.window = window
        ev.xclient.message_type = _x11.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.data[0] = _x11.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        ev.xclient.data[1] = 0  # CurrentTime
        _x11.XSendEvent(dpy, window, 0, 0, ctypes.byref(ev))
        _x11.XFlush(dpy)
    finally:
        _x11.XCloseDisplay(dpy)


def pointer_visible(display: str) -> bool:
    """Whether the pointer's current image has any pixel that is not fully transparent (XFixes)."""
    fixes = ctypes.CDLL(ctypes.util.find_library("Xfixes") or "libXfixes.so.3")
    fixes.XFixesGetCursorImage.restype = ctypes.POINTER(XFixesCursorImage)
    fixes.XFixesGetCursorImage.argtypes = [ctypes.c_void_p]
    dpy = _x11.XOpenDisplay(display.encode())
    assert dpy, display
    try:
        image = fixes.XFixesGetCursorImage(dpy)
        assert image, "XFixesGetCursorImage failed"
        c = image.contents
        visible = any((c.pixels[i] >> 24) & 0xFF for i in range(c.width * c.height))
        _x11.XFree(image)
        return visible
    finally:
        _x11.XCloseDisplay(dpy)
