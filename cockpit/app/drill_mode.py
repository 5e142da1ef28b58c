"""Drill mode (``cockpit --drill SCRIPT``): a sandbox, a cockpit wired to it alone, the trainer console.

The drill's cockpit is built here and nowhere else, and its feed's URLs come only from
:meth:`DrillSandbox.feed_urls`: no ``--backend`` URL and no site file's backend is ever handed to
it, so a drill's commands cannot reach a live backend whatever the configuration says. Every
screen carries the DRILL marking. The report is written when the drill ends, when the trainer
starts another drill, and when the cockpit quits.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Sequence
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QObject, QTimer

from cockpit.app.drill_pdf import write_pdf
from cockpit.app.trainer import TrainerWindow
from cockpit.app.wiring import ASSETS, RUNWAYS_DIR, Cockpit, connect_drill, map_config, runway_folders
from cockpit.backend.cameras.catalog import CREDENTIAL
from cockpit.backend.cameras.demo import USER, DemoCameras, new_password, serve_demo_cameras
from cockpit.config.site import MapConfig, demo_map
from cockpit.feed import FeedClient, Identity
from cockpit.present.frame import Mode, ModeKind
from cockpit.present.wall_layout import WallLayout
from cockpit.protocol.messages import CatalogKind
from cockpit.record.drill import DrillSandbox, DrillSandboxError
from cockpit.record.drill_report import DrillReport, compute_report, write_report
from cockpit.record.drill_script import (
    DrillScript,
    DrillScriptError,
    EventInject,
    SensorFailureInject,
    UnitSilentInject,
    WeatherInject,
    drill_files,
    load_drill,
)
from cockpit.video.urls import CameraSecrets, Credential

log = logging.getLogger(__name__)

DRILLS_DIR = ASSETS / "drills"
REFRESH_MS = 500
"""The trainer console shows the drill's log this often."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Trainer", text)


def default_report_root() -> Path:
    return platformdirs.user_data_path("cockpit") / "drill-reports"


def drill_session(
    args: argparse.Namespace, identity: Identity, lang: str, layout: WallLayout | None
) -> DrillSession:
    """What ``cockpit --drill`` builds from its command line.

    ``args.backend`` (from ``--backend`` or the site file) is never given to the drill: it is only
    named in a warning. The session's cockpit is built on the sandbox's own URL alone.

    Raises:
        DrillScriptError: the script is refused.
        DrillSandboxError: the sandbox did not start.
    """
    if args.backend:
        log.warning("drill: ignoring backend URLs %s; drill commands go only to the sandbox", args.backend)
    folders = runway_folders(args.runways, args.site_config.runways)
    report_root = args.report or default_report_root()
    record_dir = None if args.no_record else report_root / "recordings"
    site_map = map_config(args.site_config.map, demo=True)  # the sandbox is the demo city
    return DrillSession(
        args.drill, identity, lang, folders, layout, report_root, record_dir=record_dir, site_map=site_map
    )


class DrillSession(QObject):
    """One drill at a time: its sandbox, the trainees' cockpit on it, and the trainer console.

    Args:
        script_path: The drill to start with.
        identity: Who sits at the trainees' cockpit.
        lang: Language of titles.
        runways_dir: Runway files.
        layout: Wall layout.
        report_root: Each run's report goes into a new folder under it.
        drills_dir: The drills the trainer can pick from.
        record_dir: Record the drill's feed here (the debrief replays it; never among the live
            recordings); None: not recorded.
        site_map: The map the trainees' wall draws (the demo city's: the sandbox is the demo city).

    Raises:
        DrillScriptError: the script is refused.
        DrillSandboxError: the sandbox did not start.
    """

    def __init__(
        self,
        script_path: Path,
        identity: Identity,
        lang: str = "en",
        runways_dir: Path | Sequence[Path] = RUNWAYS_DIR,
        layout: WallLayout | None = None,
        report_root: Path | None = None,
        drills_dir: Path = DRILLS_DIR,
        record_dir: Path | None = None,
        site_map: MapConfig | None = None,
    ) -> None:
        super().__init__()
        self.lang = lang
        self.report_root = report_root or default_report_root()
        self.script_path = script_path
        self.script: DrillScript = load_drill(script_path)
        self._camera_password = new_password()
        self.cameras: DemoCameras | None = None
        """The demo cameras, started for the first drill that wants them and kept for the next."""
        self.sandbox = DrillSandbox(self.script, cameras=self._cameras_for(self.script))
        try:
            self.sandbox.start()
        except DrillSandboxError:
            self._stop_cameras()
            raise
        # The only URLs this cockpit will ever have: the sandbox's own.
        self.cockpit = Cockpit(
            self.sandbox.feed_urls(),
            identity,
            lang,
            runways_dir,
            layout,
            record_dir=record_dir,
            site_map=site_map or demo_map(),
            camera_secrets=CameraSecrets({CREDENTIAL: Credential(USER, self._camera_password)}),
        )
        feed = self.cockpit.feed
        if not isinstance(feed, FeedClient) or not all(self.sandbox.owns(u) for u in feed.urls):
            self.sandbox.stop()  # never reached: a guard against a future change to the wiring
            raise DrillSandboxError("the drill's cockpit is not wired to its sandbox alone")
        self._mark_screens()
        self.report: DrillReport | None = None
        self.report_files: list[Path] = []
        self._restarting = False
        self._restart_task: asyncio.Future[None] | None = None
        drills = self._drill_choices(drills_dir, script_path)
        words = self.cockpit.ctx.words
        self.trainer = TrainerWindow(
            drills,
            self._sensor_names,
            self._unit_ids,
            self._event_targets,
            describe=self._describe,
            kind_text=words.kind,
            result_text=lambda result, reason: (
                words.rejection(reason) if result == "rejected" else words.command_status_word(result)
            ),
        )
        self.trainer.show_drill(self.script, script_path, lang)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        connect_drill(self)

    def _cameras_for(self, script: DrillScript) -> DemoCameras | None:
        """The demo cameras for ``script``, started if it wants them and they are not serving."""
        if script.cameras and (self.cameras is None or not self.cameras.running):
            self.cameras = serve_demo_cameras(self._camera_password)
        return self.cameras if script.cameras else None

    def _stop_cameras(self) -> None:
        if self.cameras is not None:
            self.cameras.stop()

    def _mark_screens(self) -> None:
        """The DRILL band on every screen and the console, and whether the drill's clock runs."""
        marking = tr("DRILL PAUSED") if self.sandbox.paused else tr("DRILL · sandbox")
        self.cockpit.set_mode(Mode(ModeKind.DRILL, paused=self.sandbox.paused), marking)

    def _drill_choices(self, folder: Path, current: Path) -> list[tuple[Path, str]]:
        """Every drill in ``folder`` that loads, by title; the current one first if it is elsewhere."""
        choices: list[tuple[Path, str]] = []
        paths = drill_files(folder) if folder.is_dir() else []
        if current.resolve() not in [p.resolve() for p in paths]:
            paths.insert(0, current)
        for path in paths:
            try:
                # A missing recording is named when the drill is started, not while listing.
                title = load_drill(path, open_recording=False).title_in(self.lang)
            except DrillScriptError as exc:
                log.error("drill refused: %s", exc)
                continue
            choices.append((path, title))
        return choices

    def _sensor_names(self) -> list[str]:
        return [info.name for info in self.cockpit.situation.sensors.infos]

    def _describe(self, event_id: str, unit_id: str) -> tuple[str, str]:
        """An event and a unit as the trainees' wall names them."""
        situation, ctx = self.cockpit.situation, self.cockpit.ctx
        unit = situation.units.get(unit_id)
        return ctx.book.event_text(situation, event_id), (
            ctx.names.unit(unit) if unit is not None else unit_id
        )

    def _unit_ids(self) -> list[str]:
        return sorted(self.cockpit.situation.units)

    def _event_targets(self) -> list[tuple[str, str]]:
        """Every theme and district the sandbox names in its catalog (protocol §5.8)."""
        catalog = self.cockpit.situation.catalog
        themes = sorted(e.code for e in catalog if e.kind == CatalogKind.THEME)
        districts = sorted(e.code for e in catalog if e.kind == CatalogKind.DISTRICT)
        return [(theme, district) for theme in themes for district in districts]

    # --------------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Start the cockpit's feed and frame timers and the console's refresh (on the qasync loop)."""
        self.cockpit.start()
        self.timer.start()

    async def stop(self) -> None:
        """Write the report of the drill as it stands, then stop the cockpit and the sandbox."""
        self.timer.stop()
        self.finish_report()
        await self.cockpit.stop()
        await asyncio.to_thread(self.sandbox.stop)
        await asyncio.to_thread(self._stop_cameras)
        self.trainer.close()

    def dispose(self) -> None:
        """Close and delete every window now, on the Qt thread (never left to a garbage collection
        that might run on another thread)."""
        self.timer.stop()
        self.cockpit.close()
        for view in self.cockpit.wall.views.values():  # also those never placed on a screen
            view.deleteLater()
        self.trainer.close()
        self.trainer.deleteLater()
        self.deleteLater()

    def refresh(self) -> None:
        """Show the drill's log on the console; write the report once the drill has ended."""
        if self._restarting:
            return
        try:
            snapshot = self.sandbox.snapshot()
        except DrillSandboxError:
            return
        self.trainer.show_log(snapshot, compute_report(snapshot))
        if snapshot.finished and self.report is None:
            self.finish_report()
        elif self.report is not None:  # show_log's "so far" must not hide where the report went
            self.trainer.show_report(self.report, self.report_files)

    def finish_report(self) -> list[Path]:
        """Write this run's report (once) and show its summary; returns the files written."""
        if self.report is not None or self.sandbox.director is None:
            return self.report_files
        self.report = compute_report(self.sandbox.snapshot())
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.report.started_at))
        folder = self.report_root / f"{self.script.id}-{stamp}"
        try:
            self.report_files = write_report(self.report, folder)
            self.report_files.append(write_pdf(self.report, folder / "report.pdf"))
        except OSError as exc:
            log.error("drill report not written to %s: %s", folder, exc)
            self.trainer.show_problem(
                tr("The report could not be written to {folder}: {error}").format(folder=folder, error=exc)
            )
            return []
        log.info("drill report: %s", ", ".join(str(p) for p in self.report_files))
        self.trainer.show_report(self.report, self.report_files)
        return self.report_files

    # --------------------------------------------------------------------------- the trainer's asks

    def pause(self, paused: bool) -> None:
        """The trainer paused (or resumed) the drill: its clock, and what every screen says."""
        if paused:
            self.sandbox.pause()
        else:
            self.sandbox.resume()
        self.cockpit.set_mode(
            Mode(ModeKind.DRILL, paused=paused), tr("DRILL PAUSED") if paused else tr("DRILL · sandbox")
        )

    def inject(self, inject: object) -> None:
        if isinstance(inject, EventInject | SensorFailureInject | WeatherInject | UnitSilentInject):
            self.sandbox.inject(inject)

    def start_drill(self, path: str) -> None:
        if self._restarting:
            return
        try:
            script = load_drill(Path(path))
        except DrillScriptError as exc:
            self.trainer.show_problem(str(exc))
            return
        self._restart_task = asyncio.ensure_future(self.restart(script, Path(path)))

    async def restart(self, script: DrillScript, path: Path) -> None:
        """End the running drill (its report is written) and start ``script`` on a fresh sandbox.

        The new sandbox listens on the same loopback port, so the cockpit's feed reconnects to it and
        reloads everything (the sandbox is a new epoch); the feed never gets another URL.
        """
        self._restarting = True
        try:
            self.finish_report()
            port = self.sandbox.port
            await asyncio.to_thread(self.sandbox.stop)
            cameras = await asyncio.to_thread(self._cameras_for, script)
            sandbox = DrillSandbox(script, port=port, cameras=cameras)
            try:
                await asyncio.to_thread(sandbox.start)
            except DrillSandboxError as exc:
                self.trainer.show_problem(str(exc))
                return
            self.sandbox, self.script, self.script_path = sandbox, script, path
            self.report, self.report_files = None, []
            self.trainer.show_drill(script, path, self.lang)
            self._mark_screens()
            log.info("drill restarted: %s", script.id)
        finally:
            self._restarting = False
