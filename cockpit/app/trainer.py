"""The trainer console: pick a drill, start and pause it, inject by hand, watch the trainees.

It only shows what it is given and emits what the trainer asks for (attributes down, messages up);
:mod:`cockpit.app.drill_mode` connects it to the drill's sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cockpit.record.drill_report import DrillLog, DrillReport, InjectFired, TraineeAction
from cockpit.record.drill_script import (
    DrillScript,
    EventInject,
    FailureMode,
    Inject,
    SensorFailureInject,
    UnitSilentInject,
    WeatherInject,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Trainer", text)


def clock_text(t: float) -> str:
    """Drill seconds as mm:ss."""
    return f"{int(t) // 60:02d}:{int(t) % 60:02d}"


def kind_names() -> dict[str, str]:
    return {
        "event": tr("New event"),
        "sensor_failure": tr("Sensor fails (goes stale)"),
        "sensor_fault": tr("Sensor reads a fault (zero)"),
        "weather": tr("Weather change"),
        "unit_silent": tr("Unit does not respond"),
    }


def weather_presets() -> list[tuple[str, WeatherInject]]:
    return [
        (tr("Heavy rain (storm 1.2)"), WeatherInject(at=0, rain=1.2)),
        (tr("Rain stops (storm 0)"), WeatherInject(at=0, rain=0.0)),
        (tr("Gale (wind 18 m/s)"), WeatherInject(at=0, wind=18.0)),
        (tr("Heat (40 °C)"), WeatherInject(at=0, temperature=40.0)),
    ]


class TrainerWindow(QMainWindow):
    """The trainer's console for one drill at a time.

    Args:
        drills: Drill script files to pick from, with their titles.
        lang: Language of drill titles.
        sensor_names: Gives the sensors the wall knows now (targets for a sensor failure).
        unit_ids: Gives the units the wall knows now (targets for a silent unit).
        event_targets: Gives the (theme, district) pairs a hand-made event can be reported for:
            the codes the drill's backend names (its catalog), never a compiled list.

    Signals:
        start_requested(str): start the drill in this file from its beginning.
        pause_requested(bool): True to pause the drill clock, False to resume it.
        inject_requested(object): apply this :data:`Inject` now.
    """

    start_requested = Signal(str)
    pause_requested = Signal(bool)
    inject_requested = Signal(object)

    def __init__(
        self,
        drills: Sequence[tuple[Path, str]],
        sensor_names: Callable[[], list[str]],
        unit_ids: Callable[[], list[str]],
        event_targets: Callable[[], list[tuple[str, str]]] = list,
        describe: Callable[[str, str], tuple[str, str]] = lambda event_id, unit_id: (event_id, unit_id),
        kind_text: Callable[[str], str] = lambda kind: kind,
        result_text: Callable[[str, str], str] = lambda result, reason: (
            f"{result} ({reason})" if reason else result
        ),
    ) -> None:
        super().__init__()
        self.setObjectName("trainer")
        self.setWindowTitle(tr("Cockpit · trainer console (DRILL)"))
        self._sensor_names, self._unit_ids, self._event_targets = sensor_names, unit_ids, event_targets
        self._describe, self._kind_text, self._result_text = describe, kind_text, result_text
        self._paused = False
        host = QWidget()
        self.setCentralWidget(host)
        outer = QVBoxLayout(host)

        self.banner = QLabel(tr("DRILL"))
        self.banner.setObjectName("drillBanner")
        self.banner.setStyleSheet(
            "background: #b36b00; color: white; font-weight: bold; font-size: 20px; padding: 6px;"
        )
        outer.addWidget(self.banner)

        control = QGroupBox(tr("Drill"))
        grid = QGridLayout(control)
        self.picker = QComboBox()
        for path, title in drills:
            self.picker.addItem(title, str(Path(path).resolve()))
        grid.addWidget(QLabel(tr("Drill script")), 0, 0)
        grid.addWidget(self.picker, 0, 1)
        self.start_button = QPushButton(tr("Start from the beginning"))
        grid.addWidget(self.start_button, 0, 2)
        self.pause_button = QPushButton(tr("Pause"))
        grid.addWidget(self.pause_button, 0, 3)
        self.state = QLabel()
        self.state.setObjectName("drillState")
        grid.addWidget(self.state, 1, 0, 1, 4)
        outer.addWidget(control)

        by_hand = QGroupBox(tr("Inject by hand"))
        row = QHBoxLayout(by_hand)
        self.kind = QComboBox()
        for key, name in kind_names().items():
            self.kind.addItem(name, key)
        row.addWidget(self.kind)
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.setMinimumWidth(260)
        row.addWidget(self.target, 1)
        self.severity = QSpinBox()
        self.severity.setRange(1, 4)
        self.severity.setValue(2)
        self.severity.setPrefix(tr("level "))
        row.addWidget(self.severity)
        self.inject_button = QPushButton(tr("Inject now"))
        row.addWidget(self.inject_button)
        outer.addWidget(by_hand)

        actions_title = QLabel(tr("Trainees' actions"))
        actions_title.setObjectName("sectionTitle")
        outer.addWidget(actions_title)
        self.action_table = QTableWidget(0, 6)
        self.action_table.setHorizontalHeaderLabels(
            [tr("Time"), tr("Operator"), tr("Command"), tr("Event"), tr("Unit"), tr("Result")]
        )
        self.action_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.action_table.verticalHeader().setVisible(False)
        outer.addWidget(self.action_table, 3)

        injects_title = QLabel(tr("Injects"))
        injects_title.setObjectName("sectionTitle")
        outer.addWidget(injects_title)
        self.injects = QListWidget()
        outer.addWidget(self.injects, 1)

        self.summary = QLabel()
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        self.problem.setStyleSheet("color: #ff6b5e; font-weight: bold;")
        self.problem.setWordWrap(True)
        outer.addWidget(self.problem)
        self.kind_chosen(0)

    # ----------------------------------------------------------------------------- attributes down

    def show_drill(self, script: DrillScript, path: Path, lang: str) -> None:
        """A drill (re)started: its title on the banner, its file picked, the tables emptied."""
        self.banner.setText(tr("DRILL · {title}").format(title=script.title_in(lang)))
        index = self.picker.findData(str(Path(path).resolve()))  # "assets/drills/x.yaml" names the listed file
        if index < 0:  # a drill file from elsewhere: listed, so the box never names another drill
            self.picker.addItem(script.title_in(lang), str(Path(path).resolve()))
            index = self.picker.count() - 1
        self.picker.setCurrentIndex(index)
        self.action_table.setRowCount(0)
        self.injects.clear()
        self.summary.clear()
        self.problem.clear()
        self.set_paused(False)

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText(tr("Resume") if paused else tr("Pause"))

    def show_log(self, log: DrillLog, report: DrillReport) -> None:
        """The drill so far: its clock, new actions and injects, and the running report summary."""
        if log.finished:
            state = tr("finished")
        elif self._paused:
            state = tr("paused")
        else:
            state = tr("running")
        self.state.setText(
            tr("Drill clock {t} of {end} · {state}").format(
                t=clock_text(log.end_t), end=clock_text(log.script.duration), state=state
            )
        )
        self.pause_button.setEnabled(not log.finished)
        for action in log.actions[self.action_table.rowCount() :]:
            self._add_action(action)
        for fired in log.injects[self.injects.count() :]:
            self.injects.addItem(self._inject_text(fired))
        met, total = report.targets_met()
        self.summary.setText(
            tr("{events} events measured · {met} of {total} targets met so far · {actions} actions").format(
                events=len(report.rows), met=met, total=total, actions=len(report.actions)
            )
        )

    def show_report(self, report: DrillReport, files: Sequence[Path]) -> None:
        """The drill's report was written: say where, with its summary."""
        met, total = report.targets_met()
        where = ", ".join(str(p) for p in files)
        self.summary.setText(
            tr(
                "Report: {events} events, {met} of {total} targets met, {actions} actions. Written to {where}"
            ).format(events=len(report.rows), met=met, total=total, actions=len(report.actions), where=where)
        )

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def _add_action(self, a: TraineeAction) -> None:
        row = self.action_table.rowCount()
        self.action_table.insertRow(row)
        # In words, as the officer saw them: never an event id, a unit id or a reason code.
        event, unit = self._describe(a.event_id, a.unit_id)
        result = self._result_text(a.result, a.reason)
        for col, text in enumerate(
            (clock_text(a.t), a.operator, self._kind_text(a.kind), event, unit, result)
        ):
            self.action_table.setItem(row, col, QTableWidgetItem(text))
        self.action_table.scrollToBottom()

    def _inject_text(self, f: InjectFired) -> str:
        who = tr("by hand") if f.by_hand else tr("script")
        text = f"{clock_text(f.t)}  {f.label} ({who})"
        if f.event_id:
            text += f" → {self._describe(f.event_id, '')[0]}"
        if f.error:
            text += "  " + tr("FAILED: {error}").format(error=f.error)
        return text

    # ----------------------------------------------------------------------------- messages up

    def start_clicked(self) -> None:
        path = self.picker.currentData()
        if path:
            self.start_requested.emit(str(path))

    def pause_clicked(self) -> None:
        self.set_paused(not self._paused)
        self.pause_requested.emit(self._paused)

    def kind_chosen(self, _index: int) -> None:
        """Offer the targets the chosen kind can act on."""
        kind = self.kind.currentData()
        self.target.clear()
        self.severity.setVisible(kind == "event")
        if kind == "event":
            for theme, district in self._event_targets():
                self.target.addItem(f"{theme} · {district}", (theme, district))
        elif kind in ("sensor_failure", "sensor_fault"):
            for name in self._sensor_names():
                self.target.addItem(name, name)
        elif kind == "weather":
            for label, inject in weather_presets():
                self.target.addItem(label, inject)
        elif kind == "unit_silent":
            for uid in self._unit_ids():
                self.target.addItem(uid, uid)

    def refresh_targets(self) -> None:
        """Re-read sensors and units (the wall may have learnt them since the window opened)."""
        self.kind_chosen(self.kind.currentIndex())

    def inject_clicked(self) -> None:
        inject = self.build_inject()
        if inject is None:
            self.show_problem(tr("Pick a target for the inject first."))
            return
        self.problem.clear()
        self.inject_requested.emit(inject)

    def build_inject(self) -> Inject | None:
        """The inject the controls describe now, or None without a target."""
        kind = self.kind.currentData()
        data = self.target.currentData()
        text = self.target.currentText().strip()
        if not text:
            return None
        if kind == "event":
            if not isinstance(data, tuple):
                return None
            theme, district = data
            return EventInject(
                at=0,
                type="trainer_report",
                theme=theme,
                district=district,
                severity=self.severity.value(),
                title=tr("Report from the trainer ({theme}, {district})").format(
                    theme=theme, district=district
                ),
            )
        if kind in ("sensor_failure", "sensor_fault"):
            mode = FailureMode.STALE if kind == "sensor_failure" else FailureMode.FAULT
            return SensorFailureInject(at=0, sensor=text, mode=mode)
        if kind == "weather":
            return data if isinstance(data, WeatherInject) else None
        if kind == "unit_silent":
            return UnitSilentInject(at=0, unit=text)
        return None
