"""The trainer console (pytest-qt) and a scripted drill run end to end through the real wall."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from cockpit.app.drill_mode import DrillSession
from cockpit.app.trainer import TrainerWindow
from cockpit.app.wiring import connect_trainer
from cockpit.feed import ConnectionState, FeedClient, Identity
from cockpit.present.wall_layout import virtual_screens
from cockpit.protocol.messages import EventState
from cockpit.record.drill_report import DrillLog, InjectFired, TraineeAction, compute_report
from cockpit.record.drill_script import (
    EventInject,
    FailureMode,
    SensorFailureInject,
    UnitSilentInject,
    WeatherInject,
    load_drill,
)
from tests.helpers import wait_until

DRILL = """\
id: {id}
title: {{en: "{title}"}}
start:
  scenario: {{seed: {seed}, clock: 420, speed: 5, rate: 300, events_per_min: 0}}
duration: {duration}
targets: {{acknowledge: 30, dispatch: 60, close: 120}}
report_themes: [flood]
injects:
  - {{at: 1, kind: event, name: car trapped, type: vehicle_trapped, theme: flood, district: jiangbei,
      severity: 1, title: Car trapped in the underpass}}
  - {{at: 2, kind: weather, rain: 1.2}}
"""


def write_drill(folder: Path, did: str, title: str, duration: float, seed: int = 6) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{did}.yaml"
    path.write_text(DRILL.format(id=did, title=title, duration=duration, seed=seed), encoding="utf-8")
    return path


def run_on_qt_loop(app: QApplication, body: Callable[[], Awaitable[None]]) -> None:
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(body())
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def window(qtbot: QtBot, drills: list[tuple[Path, str]]) -> TrainerWindow:
    w = TrainerWindow(
        drills,
        lambda: ["jiangbei-water_level-001", "nanan-pipe_pressure-002"],
        lambda: ["u-1"],
        lambda: [("flood", "jiangbei"), ("fire", "shapingba")],  # the sandbox's catalog, as the drill gives it
    )
    connect_trainer(w)  # as the composition root does
    qtbot.addWidget(w)
    return w


def test_the_console_builds_each_inject_kind_from_its_controls(qtbot: QtBot, tmp_path: Path) -> None:
    w = window(qtbot, [(tmp_path / "a.yaml", "A")])
    built = {}
    for i in range(w.kind.count()):
        w.kind.setCurrentIndex(i)
        assert w.target.count() > 0
        built[w.kind.currentData()] = w.build_inject()
    event = built["event"]
    assert isinstance(event, EventInject) and (event.theme, event.district, event.severity) == (
        "flood",
        "jiangbei",  # the first target the drill's catalog gave, not a compiled district
        2,
    )
    stale, fault = built["sensor_failure"], built["sensor_fault"]
    assert isinstance(stale, SensorFailureInject) and stale.mode is FailureMode.STALE
    assert isinstance(fault, SensorFailureInject) and fault.mode is FailureMode.FAULT
    assert stale.sensor == "jiangbei-water_level-001"
    assert isinstance(built["weather"], WeatherInject) and built["weather"].rain == 1.2
    assert isinstance(built["unit_silent"], UnitSilentInject) and built["unit_silent"].unit == "u-1"
    w.kind.setCurrentIndex(w.kind.findData("unit_silent"))
    with qtbot.waitSignal(w.inject_requested) as blocker:
        qtbot.mouseClick(w.inject_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [UnitSilentInject(at=0, unit="u-1")]
    w.target.setEditText("")
    with qtbot.assertNotEmitted(w.inject_requested):
        qtbot.mouseClick(w.inject_button, Qt.MouseButton.LeftButton)
    assert "Pick a target" in w.problem.text()


def test_start_and_pause_are_asked_for_and_the_log_fills_the_tables(qtbot: QtBot, tmp_path: Path) -> None:
    path = write_drill(tmp_path, "one", "Drill one", 100)
    w = window(qtbot, [(path, "Drill one"), (tmp_path / "two.yaml", "Drill two")])
    w.picker.setCurrentIndex(1)
    with qtbot.waitSignal(w.start_requested) as blocker:
        qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [str(tmp_path / "two.yaml")]
    with qtbot.waitSignal(w.pause_requested) as blocker:
        qtbot.mouseClick(w.pause_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [True] and w.pause_button.text() == "Resume"
    with qtbot.waitSignal(w.pause_requested) as blocker:
        qtbot.mouseClick(w.pause_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [False]
    script = load_drill(path)
    w.show_drill(script, path, "en")
    assert w.banner.text() == "DRILL · Drill one" and w.picker.currentIndex() == 0
    log = DrillLog(
        script,
        actions=[
            TraineeAction(65, "officer-9", "operator", "dispatch", "E1", "u-1", "rejected", "unit_busy")
        ],
        injects=[InjectFired(3, "weather", "storm", by_hand=True)],
        end_t=70,
    )
    w.show_log(log, compute_report(log))
    w.show_log(log, compute_report(log))  # the same log again adds nothing
    assert w.action_table.rowCount() == 1
    cells = [w.action_table.item(0, c).text() for c in range(6)]
    assert cells == ["01:05", "officer-9", "dispatch", "E1", "u-1", "rejected (unit_busy)"]
    assert w.injects.count() == 1 and "storm (by hand)" in w.injects.item(0).text()
    assert "01:10 of 01:40 · running" in w.state.text()


@pytest.mark.slow
def test_a_scripted_drill_runs_end_to_end_and_writes_its_report(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    drills = tmp_path / "drills"
    first = write_drill(drills, "first", "First drill", 60)
    write_drill(drills, "second", "Second drill", 600, seed=8)
    session = DrillSession(
        first,
        Identity("drill-desk", "trainee-5", "operator"),
        "en",
        report_root=tmp_path / "reports",
        drills_dir=drills,
    )
    cockpit, trainer = session.cockpit, session.trainer
    cockpit.place(virtual_screens(2, 1280, 720))
    cockpit.wall.show(full_screen=False)
    trainer.show()

    async def body() -> None:
        session.start()
        sit = cockpit.situation
        await wait_until(lambda: cockpit.feed.state is ConnectionState.LIVE, what="live")
        # Every screen and the console carry the DRILL band, whole (it once lost the word DRILL).
        await wait_until(
            lambda: all(v.mode_marking.text() == "DRILL · sandbox" for v in cockpit.wall.views.values()),
            what="the DRILL band",
        )
        await wait_until(lambda: any(f.event_id for f in session.sandbox.snapshot().injects), what="inject")
        eid = next(f.event_id for f in session.sandbox.snapshot().injects if f.event_id)
        await wait_until(lambda: eid in sit.events, what="the injected event on the wall")
        # The trainee acknowledges from the console's alarm list and dispatches with one click.
        console = cockpit.console
        console.alarms.acknowledge_requested.emit(eid, 0)
        await wait_until(lambda: sit.events[eid].state is EventState.ACKNOWLEDGED, what="acknowledged")
        console.alarms.row_clicked.emit(eid)  # the trainee picks it
        button = console.dispatch.panel.findChild(QPushButton, "dispatchButton")
        assert button is not None
        await wait_until(lambda: console.dispatch.model.event_id == eid and button.isEnabled(), what="ready")
        await asyncio.sleep(0.6)  # read before clicking
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: sit.events[eid].state is EventState.DISPATCHED, what="dispatched")
        # The trainer silences a unit by hand and pauses; the console shows it all.
        trainer.refresh_targets()
        trainer.kind.setCurrentIndex(trainer.kind.findData("unit_silent"))
        trainer.target.setCurrentIndex(trainer.target.findText("yuzhong-grid_worker-1"))
        qtbot.mouseClick(trainer.inject_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: trainer.injects.count() == 3, what="the hand inject listed")
        listed = [trainer.injects.item(i).text() for i in range(3)]
        assert sum("yuzhong-grid_worker-1 does not respond (by hand)" in t for t in listed) == 1
        city = session.sandbox.director.city if session.sandbox.director else None
        assert city is not None and "yuzhong-grid_worker-1" in city.silent_units
        await wait_until(lambda: trainer.action_table.rowCount() == 2, what="the actions listed")
        kinds = [trainer.action_table.item(r, 2).text() for r in range(2)]
        assert kinds == ["Acknowledge", "Dispatch"], "in words, never codes"
        events = {trainer.action_table.item(r, 3).text() for r in range(2)}
        assert eid not in events and all(" · " in e for e in events), "the event by name and place, not its id"
        assert {trainer.action_table.item(r, 1).text() for r in range(2)} == {"trainee-5"}
        qtbot.mouseClick(trainer.pause_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: session.sandbox.paused, what="paused")
        await wait_until(lambda: "paused" in trainer.state.text(), what="console says paused")
        # A paused drill says so on every screen, never "Live".
        await wait_until(
            lambda: all(v.status.text().startswith("Drill paused") for v in cockpit.wall.views.values()),
            what="every screen says the drill is paused",
        )
        qtbot.mouseClick(trainer.pause_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: not session.sandbox.paused, what="resumed")
        # The drill runs to its end (60 drill seconds) and its report is written and summarised.
        await wait_until(lambda: session.report is not None, timeout=40, what="the report")
        assert session.report is not None
        row = next(r for r in session.report.rows if r.event_id == eid)
        assert row.acknowledge.seconds is not None and row.dispatch.seconds is not None
        assert row.acknowledge.seconds <= row.dispatch.seconds
        md = session.report_files[0].read_text(encoding="utf-8")
        assert f"| {eid} | car trapped (inject) | 1 red |" in md and "trainee-5 (operator) | dispatch" in md
        assert str(session.report_files[0]) in trainer.summary.text()
        assert [p.name for p in session.report_files] == ["report.md", "report.html", "report.pdf"]
        assert session.report_files[2].read_bytes().startswith(b"%PDF")
        # The trainer starts another drill: a fresh sandbox on the same port; the wall reloads.
        old_url = session.sandbox.url
        trainer.picker.setCurrentIndex(trainer.picker.findText("Second drill"))
        qtbot.mouseClick(trainer.start_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: session.script.id == "second", timeout=30, what="the second drill")
        assert isinstance(cockpit.feed, FeedClient)
        assert session.sandbox.url == old_url and cockpit.feed.urls == [old_url]
        await wait_until(
            lambda: (
                cockpit.feed.state is ConnectionState.LIVE
                and cockpit.feed.epoch_changed_at > 0
                and eid not in sit.events
            ),
            timeout=30,
            what="the wall reloaded from the new sandbox",
        )
        assert all(v.mode_marking.text().startswith("DRILL") for v in cockpit.wall.views.values())
        band = cockpit.wall.console.menuWidget()
        assert isinstance(band, QLabel) and band.text().startswith("DRILL")
        assert trainer.action_table.rowCount() == 0 and trainer.banner.text() == "DRILL · Second drill"
        await session.stop()

    try:
        run_on_qt_loop(qapp, body)
    finally:
        session.dispose()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


def test_the_pdf_report_is_a_pdf_with_the_plots_rendered(qapp: QApplication, tmp_path: Path) -> None:
    from cockpit.app.drill_pdf import svg_image, write_pdf
    from cockpit.record.drill_report import response_plot

    path = write_drill(tmp_path, "one", "Drill one", 100)
    log = DrillLog(
        load_drill(path),
        actions=[TraineeAction(5, "officer-9", "operator", "acknowledge", "E1", "", "accepted")],
        end_t=50,
    )
    report = compute_report(log)
    image = svg_image(response_plot(report))  # no rows: no plot, a blank placeholder
    assert (image.width(), image.height()) == (1, 1)
    from tests.drill.test_drill_report import log as sample_log

    plot = svg_image(response_plot(compute_report(sample_log())))
    assert plot.width() > 800  # drawn, at twice its size, with its bars in colour
    assert len({plot.pixel(x, y) for x in range(0, plot.width(), 7) for y in range(0, plot.height(), 7)}) > 4
    pdf = write_pdf(report, tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/Title" in data and len(data) > 2000


def test_the_drill_box_names_the_running_drill_whatever_path_started_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cockpit --drill assets/drills/flood.yaml` listed the drills by absolute path and the box
    kept the first one ("12345 drill") beside the flood drill's banner (officer review)."""
    one = write_drill(tmp_path, "one", "Drill one", 100)
    two = write_drill(tmp_path, "two", "Drill two", 100)
    w = window(qtbot, [(one, "Drill one"), (two, "Drill two")])
    monkeypatch.chdir(tmp_path)
    w.show_drill(load_drill(two), Path("two.yaml"), "en")
    assert w.picker.currentText() == "Drill two"
    elsewhere = write_drill(tmp_path / "elsewhere", "three", "Drill three", 100)
    w.show_drill(load_drill(elsewhere), elsewhere, "en")
    assert w.picker.currentText() == "Drill three", "a drill file that was not listed is listed now"
