"""The demo city's cameras: where they stand, what they watch, and the streams the demo serves.

Each scenario of docs/demo.md has cameras on it, as a centre would: the Jiangbei underpass that
floods in every storm, the forest park's watchtower and gate, the burst main in Nan'an, the
Yuzhong interchange. A camera stands a few tens of metres from the sensor it watches, so an alarm
from that sensor names it (docs/protocol.md §5.7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cockpit.backend.cameras.rtsp import Mount

SUB = (640, 360, 15, 500)
"""Sub stream: width, height, frames a second, kbit/s (what a camera's second stream serves)."""
MAIN = (1280, 720, 25, 2000)
"""Main stream of the demo cameras; 720p keeps live encoding of a few of them cheap on 2 cores."""
CREDENTIAL = "demo-cameras"
"""The name of the demo cameras' credential in the site's camera secrets."""


@dataclass(frozen=True, slots=True)
class DemoCamera:
    id: str
    name_en: str
    name_zh: str
    district: str
    theme: str
    watches: tuple[str, ...]
    """Sensor names it sees; it stands near the first."""
    offset: tuple[float, float] = (0.0004, 0.0003)
    """Lon/lat offset from the first sensor watched (about 40 m)."""
    pattern: str = "smpte"
    kind: str = "fixed"
    at: tuple[float, float] | None = None
    """Where it stands (lon, lat) when it watches no sensor (a roadside camera), else None."""


DEMO_CAMERAS: tuple[DemoCamera, ...] = (
    DemoCamera(
        "cam-jb-underpass-n", "Underpass north portal", "下穿道北口", "jiangbei", "flood",
        ("jiangbei-water_level-001", "jiangbei-rain_gauge-001"),
    ),
    DemoCamera(
        "cam-jb-underpass-s", "Underpass south portal", "下穿道南口", "jiangbei", "flood",
        ("jiangbei-water_level-001",), (-0.0005, -0.0003), "ball",
    ),
    DemoCamera(
        "cam-jb-riverbank", "Jialing riverbank", "嘉陵江堤岸", "jiangbei", "flood",
        ("jiangbei-water_level-002",), (0.0003, -0.0004), "smpte75",
    ),
    DemoCamera(
        "cam-yz-river", "Yuzhong river gauge", "渝中水位站", "yuzhong", "flood",
        ("yuzhong-water_level-001",), (0.0003, 0.0002), "ball",
    ),
    DemoCamera(
        "cam-sp-watchtower", "Gele Mountain watchtower", "歌乐山瞭望塔", "shapingba", "fire",
        ("shapingba-fire_terminal-001",), (0.0015, 0.001), "smpte", "watchtower",
    ),
    DemoCamera(
        "cam-sp-park-gate", "Forest park east gate", "森林公园东门", "shapingba", "fire",
        ("shapingba-fire_terminal-001", "shapingba-fire_terminal-002"), (-0.0006, 0.0004), "ball",
    ),
    DemoCamera(
        "cam-sp-farmhouse", "Farmhouse road", "农家乐路口", "shapingba", "fire",
        ("shapingba-fire_terminal-002",), (0.0004, -0.0005), "smpte75",
    ),
    DemoCamera(
        "cam-sp-pond", "Fish pond water source", "鱼塘取水点", "shapingba", "fire",
        ("shapingba-fire_terminal-003",), (-0.0004, -0.0006), "ball",
    ),
    DemoCamera(
        "cam-na-burst", "Nanping main burst site", "南坪爆管点", "nanan", "water",
        ("nanan-pipe_pressure-001",), (0.0004, 0.0002), "smpte",
    ),
    DemoCamera(
        "cam-na-junction", "Nanping junction", "南坪路口", "nanan", "water",
        ("nanan-pipe_pressure-001", "nanan-pipe_pressure-002"), (-0.0007, 0.0005), "ball",
    ),
    DemoCamera(
        "cam-yz-interchange", "Yuzhong interchange", "渝中立交", "yuzhong", "traffic",
        ("yuzhong-road_speed-001",), (0.0005, 0.0003), "smpte75",
    ),
    DemoCamera(
        "cam-yz-jiefangbei", "Jiefangbei square", "解放碑广场", "yuzhong", "traffic",
        ("yuzhong-road_speed-002",), (-0.0004, 0.0005), "ball",
    ),
    # The roadside camera that catches the overloaded waste truck (cockpit/backend/scenarios/waste.py).
    DemoCamera(
        "cam-jb-tongmao-3", "Tongmao Avenue camera 3", "通茂大道3号摄像机", "jiangbei", "waste",
        (), (0.0, 0.0), "smpte75", at=(106.618, 29.609),
    ),
)  # fmt: skip


def mounts(cameras: Sequence[DemoCamera] = DEMO_CAMERAS) -> list[Mount]:
    """The RTSP mounts that serve ``cameras``: ``/<id>/sub`` and ``/<id>/main``."""
    out = []
    for cam in cameras:
        out.append(Mount(f"/{cam.id}/sub", *SUB, pattern=cam.pattern))
        out.append(Mount(f"/{cam.id}/main", *MAIN, pattern=cam.pattern))
    return out
