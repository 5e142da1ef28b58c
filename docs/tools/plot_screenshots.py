"""Screenshots of plotting: the forest-fire runway with a fire line, a fire zone, an evacuation route,
an assembly point, a water source and a command post drawn at the console, in one language.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/tools/plot_screenshots.py en
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/tools/plot_screenshots.py zh_CN

The drawings are made as an officer makes them: palette buttons and mouse clicks on the console's
drawing map (QTest, through the real widgets and wiring), sent to a demo backend over a real loopback
websocket, and shown by the wall from the ``plots`` stream. Writes
``docs/screenshots/plots-forest_fire-<lang>.png`` and ``docs/screenshots/plots-console-<lang>.png``.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import qasync
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cockpit.app.panels import MapPanelView
from cockpit.app.run import load_translators
from cockpit.app.wiring import Cockpit
from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import ConnectionState, Identity
from cockpit.present.runway_spec import PanelKind
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.messages import Stream
from widgets.theme import apply_theme

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
LABELS = {
    "en": {"line": "Fire front 14:05", "route": "To the school", "post": "Forward command"},
    "zh_CN": {"line": "火线 14:05", "route": "疏散至小学", "post": "前指"},
}


async def wait(cond: object, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if cond():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("timed out")


async def shoot(app: QApplication, lang: str) -> None:
    city = City(Hub(), seed=1, rate=1000, sensors_per_kind=6)
    city.time_origin_ms = time.time_ns() // 1_000_000 - 180_000
    city.advance(180.0)  # the forest-park fire has been burning for a while
    backend = DemoBackend(city, heartbeat_ms=500)
    await backend.start()
    c = Cockpit([backend.url], Identity("wall-spb-01", "li.wei", "operator"), lang=lang, centre="shapingba")
    c.place(virtual_screens(2, 1920, 1080))
    c.console.resize(1920, 1080)
    c.wall.show(full_screen=False)
    c.start()
    try:
        await wait(lambda: c.source.state is ConnectionState.LIVE and Stream.PLOTS in c.situation.epochs)
        fire = next(e for e in c.situation.events.values() if e.type == "fire")
        c.ctx.selection.choose(fire.id)
        view = c.plotting_view
        c.console.tabs.setCurrentWidget(view)
        await wait(lambda: fire.id in view.controls.heading.text())
        await asyncio.sleep(0.5)
        m = view.map
        words = LABELS[lang]
        # The alarm came from a farmhouse south of the park; the fire runs up into the park's south
        # side, which the forest-fire runway's map shows. The officer pans there to draw.
        lon, lat = 106.430, 29.552
        m.set_view(106.422, 29.565, 13.8)
        await asyncio.sleep(0.2)

        def click(dx: float, dy: float, double: bool = False) -> None:
            pos: QPoint = m.lonlat_to_widget(lon + dx, lat + dy).toPoint()
            QTest.mouseClick(m, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
            if double:
                QTest.mouseDClick(m, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)

        async def draw(kind: str, points: list[tuple[float, float]], label: str = "") -> None:
            before = len(c.situation.plots)
            QTest.mouseClick(view.controls.buttons[kind], Qt.MouseButton.LeftButton)
            if label:
                view.controls.label.setText(label)
                view.controls.label.textEdited.emit(label)
            await asyncio.sleep(0.1)
            for i, (dx, dy) in enumerate(points):
                click(dx, dy, double=len(points) > 1 and i == len(points) - 1)
            await wait(lambda: len(c.situation.plots) > before)

        zone = [(-0.012, 0.000), (0.010, -0.002), (0.016, 0.010), (0.002, 0.018), (-0.014, 0.011)]
        await draw("fire_zone", zone)
        await draw("fire_line", [(-0.020, 0.018), (-0.005, 0.026), (0.012, 0.026), (0.022, 0.017)], words["line"])
        await draw("evacuation_route", [(-0.018, 0.004), (-0.032, 0.010), (-0.038, 0.026)], words["route"])
        await draw("assembly_point", [(-0.040, 0.031)])
        await draw("water_source", [(0.022, 0.000)])
        await draw("command_post", [(-0.030, -0.004)], words["post"])
        QTest.mouseClick(view.controls.buttons[""], Qt.MouseButton.LeftButton)
        await asyncio.sleep(1.0)  # a few frames on every screen
        panel = c.wall.views["forest_fire"].panel(PanelKind.MAP)
        assert isinstance(panel, MapPanelView)
        missing = {p.id for p in c.situation.plots.values()} - set(panel.plots.visible())
        if missing:
            print(f"not on the forest-fire map: {missing}", file=sys.stderr)
        c.frame()
        window = c.wall.windows["forest_fire"]
        OUT.mkdir(parents=True, exist_ok=True)
        for name, widget in ((f"plots-forest_fire-{lang}", window), (f"plots-console-{lang}", c.console)):
            path = OUT / f"{name}.png"
            widget.grab().save(str(path))
            print(f"wrote {path}")
    finally:
        await c.stop()
        await backend.stop()
        c.close()


def main() -> int:
    lang = sys.argv[1] if len(sys.argv) > 1 else "en"
    app = QApplication(sys.argv[:1])
    apply_theme(app, "Noto Sans CJK SC", 1.0)
    translators = load_translators(app, lang)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(shoot(app, lang))
    del translators
    return 0


if __name__ == "__main__":
    sys.exit(main())
