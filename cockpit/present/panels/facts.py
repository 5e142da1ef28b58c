"""The facts an event or a sensor carries (``attrs``, protocol §5.1 and §5.2), in words.

A key's name comes from the district's catalog (kind ``attribute``); its value in the wall's
language where the backend gives one (``route.zh_CN``). By the key's ending a value is a time
(``_at``: server ms, shown as the time of day, and how long until it when it is ahead), a
percentage (``_pct``) or a place along a river (``_km``); any other number is shown as a number.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from cockpit.present.context import Context

EventAttrs = Iterable[tuple[str, str | float]]


def keys_of(attrs: EventAttrs) -> list[str]:
    """The facts' keys, without their other-language copies (``route.zh_CN``), in order."""
    return [k for k, _ in attrs if "." not in k]


def clock(ms: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ms / 1000))


def short_clock(ms: float) -> str:
    return time.strftime("%H:%M", time.localtime(ms / 1000))


def fact_text(ctx: Context, key: str, value: str | float, now_ms: int) -> str:
    """One fact's value as the wall shows it."""
    if isinstance(value, str):
        return value
    if key.endswith("_at"):
        if value > now_ms + 60_000:
            left = ctx.words.duration(int(value - now_ms))
            return ctx.translate("Facts", "{time} (in {left})").format(time=short_clock(value), left=left)
        return clock(value)
    number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    if key.endswith("_pct"):
        return f"{number} %"
    if key.endswith("_km"):
        return ctx.translate("Facts", "km {n}").format(n=number)
    return number
