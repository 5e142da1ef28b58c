"""A drill's drawings stay in its sandbox and appear in its report (protocol §5.10): trainees draw a fire
line and a zone on the sandbox's shared map through the console's drawing panel; a live backend beside
it never hears of them; the report lists them and draws them, in HTML and in the PDF."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication

from cockpit.backend.city import City
from cockpit.backend.server import DemoBackend
from cockpit.backend.streams import Hub
from cockpit.feed import ConnectionState
from cockpit.protocol.commands import CommandStatus
from cockpit.protocol.messages import Stream
from cockpit.record.drill import DrillSandbox
from cockpit.record.drill_report import compute_report, drawings_picture, to_html, to_markdown
from cockpit.record.drill_script import load_drill
from tests.helpers import wait_until
from tests.reliability.test_plots_shared import ZONE, Centre

SCRIPT = """\
id: plots_in_the_sandbox
title: {en: Forest fire plotting}
start:
  scenario: {seed: 1, clock: 180, speed: 1, rate: 200, events_per_min: 6}
duration: 600
injects: []
"""


def drill_with_drawings(tmp_path: Path) -> DrillSandbox:
    path = tmp_path / "drill.yaml"
    path.write_text(SCRIPT, encoding="utf-8")
    sandbox = DrillSandbox(load_drill(path))
    sandbox.start()

    async def body() -> None:
        live = DemoBackend(City(Hub(), seed=2, rate=100, sensors_per_kind=2), server_id="live-district")
        await live.start()
        trainee = Centre(sandbox.feed_urls()[0], "trainee-3")
        trainee.feed.start()
        try:
            await wait_until(
                lambda: trainee.feed.state is ConnectionState.LIVE and Stream.PLOTS in trainee.situation.epochs,
                what="the trainee's wall on the sandbox",
            )
            trainee.ctx.selection.choose(trainee.fire())
            panel = trainee.panel
            panel.choose("fire_zone")
            for lon, lat in ZONE:
                panel.click(lon, lat, 0.0)
            zone = trainee.send(panel.finish())
            panel.choose("fire_line")
            panel.set_label("Fire line 09:05")
            for lon, lat in ((106.42, 29.562), (106.43, 29.564), (106.44, 29.563)):
                panel.click(lon, lat, 0.0)
            line = trainee.send(panel.finish())
            await wait_until(
                lambda: all(trainee.status(c) is CommandStatus.ACCEPTED for c in (zone, line)), what="both drawn"
            )
            await asyncio.sleep(0.3)  # anything on its way to the live backend would have arrived
            assert live.city.plots.register.plots == {} and not live.clients
        finally:
            await trainee.feed.stop()
            await live.stop()

    try:
        asyncio.run(body())
    finally:
        sandbox.stop()
    return sandbox


def test_a_drills_drawings_stay_in_the_sandbox_and_appear_in_its_report(tmp_path: Path) -> None:
    sandbox = drill_with_drawings(tmp_path)
    report = compute_report(sandbox.snapshot())
    # Both were drawn within the drill clock's same instant: the report orders them by time, then id.
    assert sorted((p.kind, p.label, p.author) for p in report.plots) == [
        ("fire_line", "Fire line 09:05", "trainee-3"),
        ("fire_zone", "", "trainee-3"),
    ]
    assert [a.kind for a in report.actions] == ["plot_create", "plot_create"]
    page = to_html(report)
    assert "<h2>Drawings on the map</h2>" in page and "Fire line 09:05" in page
    svg = drawings_picture(report)
    assert svg.startswith("<svg") and svg in page
    assert svg.count("<line") > 10, "the zone's hatching and the fire line's teeth, not just outlines"
    assert "Fire zone" in svg and "Fire line" in svg  # the legend
    md = to_markdown(report)
    assert "## Drawings on the map" in md and "| Fire line | Fire line 09:05 |" in md


def test_the_pdf_report_carries_the_picture_of_the_drawings(qapp: QApplication, tmp_path: Path) -> None:
    from cockpit.app.drill_pdf import svg_image, write_pdf

    sandbox = drill_with_drawings(tmp_path)
    report = compute_report(sandbox.snapshot())
    picture = svg_image(drawings_picture(report))
    assert picture.width() > 1000  # rendered by Qt's SVG renderer, at twice its size
    colours = {picture.pixel(x, y) for x in range(0, picture.width(), 5) for y in range(0, picture.height(), 5)}
    assert len(colours) > 6, "drawn in the symbols' colours"
    pdf = write_pdf(report, tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Subtype /Image") >= 2
