"""The composition root: builds the cockpit and makes every signal connection, here and nowhere else.

Data flows one way: feed → model → (once per painted frame) the present layer's view-models → the
widgets' setters. Intent flows back: a widget's signal → a view-model's intent method, which returns
the command to send (or nothing) → :meth:`Cockpit.send` → the audit log and the feed. Every
``.connect()`` of the application is in this module, so the whole signal graph reads in one place
(:meth:`Cockpit._connect_signals` and the ``connect_*`` functions below).
"""

from __future__ import annotations

import gc
import logging
import ssl
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QFileDialog

from cockpit.app.audit_ui import AuditPresenter
from cockpit.app.console import ConsoleWindow
from cockpit.app.panels import (
    CardPanelView,
    DispatchPanelView,
    EventsPanelView,
    MapPanelView,
    ProfilePanelView,
    TimelinePanelView,
    VideoPanelView,
)
from cockpit.app.panels.map import layer_points
from cockpit.app.panels.plotting import PlottingPanelView
from cockpit.app.refused_view import RefusedView
from cockpit.app.replay_ui import ReplayControls, recording_text, screen_marking
from cockpit.app.runway_view import RunwayView
from cockpit.app.site_map import SiteMap
from cockpit.app.video_binder import VideoTileBinder
from cockpit.app.wall import Wall
from cockpit.audit.chain import AuditAction
from cockpit.audit.forward import Forwarder
from cockpit.audit.log import Actor, AuditError, AuditLog, action_for_command, command_details
from cockpit.config.site import MapConfig, demo_map
from cockpit.feed import FeedClient, FeedEvent, Identity, OutboxProblem
from cockpit.model import Situation
from cockpit.model.alarms import ConsoleScope
from cockpit.model.plans import PlanLibrary, load_builtin_plans
from cockpit.model.sla import SlaTargets, load_sla_targets
from cockpit.present.alarms import AlarmsPresenter
from cockpit.present.commands import CommandBook
from cockpit.present.console import ConsoleModel
from cockpit.present.context import Context
from cockpit.present.frame import Mode, ModeKind
from cockpit.present.panels.plans import plan_title
from cockpit.present.panels.plotting import PlottingModel
from cockpit.present.panels.video import VideoModel
from cockpit.present.runway import RunwayModel
from cockpit.present.runway_spec import desk_board, load_runway_folders
from cockpit.present.wall import WallPresenter
from cockpit.present.wall_layout import WallLayout, load_layout
from cockpit.protocol.link import ConnectionState
from cockpit.protocol.messages import Command, Filter, Welcome
from cockpit.protocol.session import Counters, Cursors
from cockpit.protocol.tokens import fingerprint
from cockpit.record.district_cache import DistrictCache
from cockpit.record.reader import Recording
from cockpit.record.recorder import Recorder, Retention
from cockpit.record.replay import PlayState, ReplaySource
from cockpit.record.snapshot import StateMirror, StateSnapshot, take_snapshot
from cockpit.video.pool import DecoderPool
from cockpit.video.tiles import VideoTiles
from cockpit.video.urls import CameraSecrets
from widgets.audit_view import AuditView
from widgets.map_view import RenderPacer

if TYPE_CHECKING:
    from cockpit.app.drill_mode import DrillSession
    from cockpit.app.login import LoginDialog
    from cockpit.app.trainer import TrainerWindow

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
RUNWAYS_DIR = ASSETS / "runways"
DEFAULT_LAYOUT = ASSETS / "walls" / "default.yaml"
STREET_LAYOUT = ASSETS / "walls" / "street.yaml"
"""A street centre's wall: its four boards (party building, economy, public services, safety and law)."""


def default_layout(level: str) -> Path:
    """The wall layout of a site that names none: a street centre's four boards, else the five
    runways of the default wall."""
    return STREET_LAYOUT if level == "street" else DEFAULT_LAYOUT


FRAME_MS = 16
"""The wall's steady frame period (60 Hz): the model is read once per frame, never per message."""
FLASH_MS = 500
"""All banners flash in step: one phase every 500 ms (1 Hz, under the 3 Hz limit)."""
CONSOLE = "\0console"
"""The console's name in the wall's cadence (runway ids cannot hold a NUL)."""


def qt_translate(context: str, text: str) -> str:
    """The present layer's translator: Qt's catalogue for the installed language."""
    return QCoreApplication.translate(context, text)


def tr(text: str) -> str:
    return QCoreApplication.translate("Cockpit", text)


def freeze_startup_heap() -> None:
    """Collect once, then exclude everything built so far from later garbage collections.

    The ~160,000 objects of a built wall (modules, widgets, map layers, the demo city) live as
    long as the process. A full collection stops every thread, the GUI thread included, and walked
    them all: 44-71 ms of CPU in the middle of a frame; frozen, 5 ms (docs/reliability.md).
    Call it once the wall is built, before it goes live.
    """
    gc.collect()
    gc.freeze()


def runway_folders(builtin: Path | None, site: Path | None) -> list[Path]:
    """Where runway files come from: the site's own folder (``wall.runways``) first, whose files
    add runways or replace a built-in one of the same id, then ``builtin`` (``--runways``, else the
    built-in runways)."""
    return ([site] if site is not None else []) + [builtin or RUNWAYS_DIR]


def map_config(site: MapConfig, demo: bool) -> MapConfig:
    """The site's map; on the embedded demo city with no map of the site's own, the demo's. A wall
    on a district's backend never shows the demo's map (docs/operations.md, "Bringing your map")."""
    if demo and not site.layers and site.basemap is None:
        return demo_map()
    return site


@cache
def builtin_plans() -> PlanLibrary:
    return load_builtin_plans()


@cache
def builtin_sla() -> SlaTargets:
    return load_sla_targets()


class Source(Protocol):
    """What the cockpit needs of its data source: the live feed and a replay share it."""

    state: ConnectionState
    url: str
    counters: Counters
    cursors: Cursors
    last_rx_wall_ms: int
    epoch_changed_at: int
    refused: str

    def start(self) -> None: ...

    async def stop(self) -> None: ...

    def send_command(self, command: Command) -> None: ...

    @property
    def outbox(self) -> list[Command]: ...


class WallServiceSlots(Protocol):
    """What :meth:`Cockpit.attach_service` connects (cockpit/app/service.py, ``WallService``)."""

    def on_frame(self) -> None: ...

    def on_windows_shown(self) -> None: ...


class Cockpit:
    """The whole cockpit: model, feed, presentation, wall, console and their connections.

    Args:
        urls: Backend websocket URLs.
        identity: Who is at the console.
        lang: Language of runway titles.
        runways_dir: Folder of runway files, or folders: a runway id in an earlier folder replaces
            the same id in a later one (:func:`runway_folders`).
        layout: Wall layout; the default puts the five built-in runways on the first screens.
        record_dir: Record every received frame into this folder (docs/recording.md); None: do not.
        retention: How long recordings are kept.
        replay: Play this recording instead of a live feed; commands are disabled.
        audit_path: The hash-chained audit log of every operator action (docs/architecture.md,
            "Audit log"); None: none (tests).
        outbox_path: Keep unanswered commands here across restarts; None: in memory only.
        centre: Which centre this cockpit is, for the audit trail.
        subscriptions: Stream name → filter for this centre (docs/protocol.md §4.1); None: all.
        console_scope: Which alarms the console is annunciated (the site's centre).
        camera_secrets: The site's camera credentials (``video.secrets_file``; docs/video.md).
        site_map: The site's map data (``[map]``); None: no static map layers.
        cache_dir: Keep the district's names and risk layer here, and start with them (protocol
            §5.8, §5.9); None: do not keep them.
        centre_name: The centre's name, stamped on what it draws on the shared map (default: ``centre``).
    """

    def __init__(
        self,
        urls: Sequence[str],
        identity: Identity,
        lang: str = "en",
        runways_dir: Path | Sequence[Path] = RUNWAYS_DIR,
        layout: WallLayout | None = None,
        allow_insecure: bool = False,
        ssl_context: ssl.SSLContext | None = None,
        record_dir: Path | None = None,
        retention: Retention | None = None,
        replay: Recording | None = None,
        audit_path: Path | None = None,
        outbox_path: Path | None = None,
        centre: str = "",
        subscriptions: dict[str, Filter] | None = None,
        console_scope: ConsoleScope | None = None,
        camera_secrets: CameraSecrets | None = None,
        site_map: MapConfig | None = None,
        cache_dir: Path | None = None,
        centre_name: str = "",
    ) -> None:
        self.identity = identity
        self.situation = Situation()
        self.forwarder: Forwarder | None = None
        self.service: WallServiceSlots | None = None
        self.cache: DistrictCache | None = None
        if cache_dir is not None and replay is None:
            self.cache = DistrictCache(cache_dir)
            if self.cache.load(self.situation):
                log.info("started with the names and layers kept in %s", cache_dir)
        self._replace_pending = False
        """A re-placement is due at the next turn of the event loop (screens changed)."""
        self.problems: list[str] = []
        """Things the officer must know that are not about the city: shown on the console in red."""
        self._refused = ""  # the backend's refusal now among the problems (docs/protocol.md §3.3)
        self.audit: AuditLog | None = None
        audit_problem = ""
        if audit_path is not None:
            try:
                self.audit = AuditLog(audit_path, Actor(identity.operator, identity.role, centre))
                self.problems += self.audit.problems
            except AuditError as exc:  # the wall runs on; the officer is told actions are not audited
                audit_problem = tr("audit log not written: {error}").format(error=exc)
                self.problems.append(audit_problem)
                log.error("audit log: %s", exc)
        self.mirror = StateMirror()
        self.recorder: Recorder | None = None
        self.record_error = ""
        self.replay: ReplaySource | None = None
        self.feed: FeedClient | None = None
        self.source: Source
        if replay is not None:
            self.replay = ReplaySource(replay, self._on_feed_events, on_clock=self._on_replay_clock)
            self.source = self.replay
        else:
            if record_dir is not None:
                try:
                    # A replay of the demo city shows the demo's map, as the wall did (no site file).
                    shown = {"map": "demo"} if site_map is not None and site_map == demo_map() else {}
                    self.recorder = Recorder(
                        record_dir, retention=retention, state=self._recording_state, source=shown
                    )
                except OSError as exc:  # the wall runs on, and says it is not recording
                    self.record_error = tr("cannot record into {dir}: {error}").format(
                        dir=record_dir, error=exc
                    )
                    log.error("%s", self.record_error)
            self.feed = FeedClient(
                urls,
                identity,
                self._on_feed_events,
                allow_insecure=allow_insecure,
                ssl_context=ssl_context,
                tap=self.recorder.tap if self.recorder is not None else None,
                outbox_path=outbox_path,
                subscriptions=subscriptions,
            )
            self.source = self.feed

        # ---- the presentation layer (no Qt): one book, one selection, one wall state
        blocked = qt_translate("Cockpit", "replay: nothing is sent") if replay is not None else ""
        self.book = CommandBook(identity.role, qt_translate, blocked, self.situation, lang)
        # One decoder pool and one set of camera tiles for every video panel of the wall; a replay
        # decodes nothing (its video was not recorded).
        self.video_pool = DecoderPool(secrets=camera_secrets) if replay is None else None
        self.video_tiles = VideoTiles(self.video_pool, lang)
        self.camera_problems: dict[str, str] = {}
        """Camera name → what is wrong with it now (no signal, frozen, unreachable, decode errors)."""
        self.ctx = Context(lang, qt_translate, self.book, video=self.video_tiles)
        self.alarms = AlarmsPresenter(
            console_scope or ConsoleScope("console", levels=frozenset({"district", "city"})),
            self.book,
            qt_translate,
        )
        self.console_model = ConsoleModel(
            self.ctx, self.alarms, identity.operator, builtin_plans(), builtin_sla()
        )

        def titled(plan_type: str) -> str:
            return plan_title(builtin_plans(), plan_type, lang)

        loaded = load_runway_folders([runways_dir] if isinstance(runways_dir, Path) else runways_dir)
        for error in loaded.errors:
            log.error("runway refused: %s", error)
        for rid, path in loaded.overridden:
            log.info("runway %s: the site's file replaces %s", rid, path)
        self.runways = {r.id: RunwayModel(r, self.ctx, titled, plans=builtin_plans()) for r in loaded.runways}
        # Each runway's desk board (what its wall board leaves out): a console tab of its own in desk
        # type, whether or not the runway has a screen (docs/runways.md, "Desk boards").
        self.desks = {
            d.id: RunwayModel(d, self.ctx, titled, on_wall=False, plans=builtin_plans(), desk=True)
            for r in loaded.runways
            if (d := desk_board(r)) is not None
        }
        layout = layout or load_layout(DEFAULT_LAYOUT)
        problems = [str(e) for e in loaded.errors]
        refused = {e.path.stem for e in loaded.errors}
        for entry in layout.screens:
            if entry.runway not in self.runways:
                why = (
                    tr("its file was refused")
                    if entry.runway in refused
                    else tr("no runway file has that id")
                )
                problem = tr("wall layout: runway {id} is not shown: {why}").format(id=entry.runway, why=why)
                problems.append(problem)
                log.error("%s", problem)
        self.presenter = WallPresenter(
            self.situation,
            self.source,
            self.alarms,
            [*self.runways, *self.desks, CONSOLE],
            builtin_sla(),
            qt_translate,
            self._recording_text,
        )

        # ---- the Qt shell: windows lay out and show states
        self.site_map = SiteMap(site_map or MapConfig(), lang)
        problems += self.site_map.problems
        views = {rid: RunwayView(model, self.site_map) for rid, model in self.runways.items()}
        self.desk_views = {did: RunwayView(model, self.site_map) for did, model in self.desks.items()}
        self.console = ConsoleWindow(self.console_model)
        # A runway the layout places but whose file was refused: its screen says why, in wall type.
        errors = {e.path.stem: e for e in loaded.errors}
        refused_views = {
            e.runway: RefusedView(e.runway, errors[e.runway])
            for e in layout.screens
            if e.runway not in self.runways and e.runway in errors
        }
        self.wall = Wall(views, self.console, layout, problems, refused_views)
        self.video_binder = VideoTileBinder(self.video_tiles)
        self.video_models: list[VideoModel] = []
        for view in [*views.values(), *self.desk_views.values()]:
            for panel in view.panels:
                if isinstance(panel, VideoPanelView):
                    self.video_models.append(panel.model)
                    for key, tile in zip(panel.model.tile_keys, panel.tiles, strict=True):
                        self.video_binder.bind(key, tile)
        # One pacer for every map on the wall: when their content changes together, they re-render
        # in successive frames instead of all in one late frame (widgets/map_view.py, RenderPacer).
        self.map_pacer = RenderPacer()
        for view in [*views.values(), *self.desk_views.values()]:
            for panel in view.panels:
                if isinstance(panel, MapPanelView):
                    panel.map.set_render_pacer(self.map_pacer)
        self.audit_view = AuditView()
        self.audit_presenter = AuditPresenter(self.audit_view, self.audit, audit_problem)
        self.console.tabs.addTab(self.audit_view, tr("Audit trail"))
        # Drawing on the shared map (protocol §5.10): the console's own tab, a map like the wall's.
        self.plotting = PlottingModel(self.ctx, self.situation, centre_name or centre)
        self.plotting.set_snap_points(layer_points(self.site_map))
        self.plotting_view = PlottingPanelView(self.plotting, self.site_map, qt_translate("Panels", "not live"))
        self.plotting_view.map.set_render_pacer(self.map_pacer)
        self.console.tabs.addTab(self.plotting_view, tr("Plotting"))
        for view in self.desk_views.values():
            self.console.add_desk(view)
        self.frame_timer = QTimer(self.console)
        self.frame_timer.setInterval(FRAME_MS)
        self.flash_timer = QTimer(self.console)
        self.flash_timer.setInterval(FLASH_MS)
        self.frames = 0
        self.first_live_frame_at = 0.0
        """Wall-clock time of the first frame that showed live sensor data (startup benchmark)."""
        self._flash = False
        self.replay_controls: ReplayControls | None = None
        if self.replay is not None:
            self.replay_controls = ReplayControls(self.console, self.replay)
        self._connect_signals()

        if self.feed is not None and self.audit is not None:
            # The operator and role are the token's (app/login.py); of the token, only its fingerprint.
            login = {"login_fingerprint": fingerprint(identity.token)} if identity.token else {}
            self.audit.login(self.audit.actor, client_id=identity.client_id, **login)
            self.forwarder = Forwarder(self.audit, self.feed)  # at least once, deduped there
            self.forwarder.start()
        self._show_problems()

    # ------------------------------------------------------------------------------ the graph

    def _connect_signals(self) -> None:
        """Every connection of the cockpit's own windows, in one place."""
        self.frame_timer.timeout.connect(self.frame)
        self.flash_timer.timeout.connect(self._on_flash_timer_timeout)
        situation = self.situation
        for view in [*self.wall.views.values(), *self.desk_views.values()]:
            view.banner.alarm_clicked.connect(self.ctx.selection.choose)
            for panel in view.panels:
                self._connect_panel(panel)
        console = self.console
        self._connect_panel(console.events)
        self._connect_panel(console.dispatch)
        console.alarms.selection_changed.connect(self.ctx.selection.choose)
        console.alarms.row_clicked.connect(self.ctx.selection.choose)
        console.alarms.acknowledge_requested.connect(
            lambda event_id, occurrence: self.send(self.alarms.acknowledge(event_id, occurrence))
        )
        console.alarms.shelve_requested.connect(self._on_alarms_shelve_requested)
        console.shelve_form.shelve_requested.connect(self._on_shelve_form_shelve_requested)
        console.shelve_form.cancelled.connect(console.close_shelve_form)
        console.board.cancel_requested.connect(
            lambda command_id: self.send(self.console_model.board.cancel(situation, command_id))
        )
        console.board.send_held_requested.connect(self._on_board_send_held_requested)
        console.board.discard_held_requested.connect(self._on_board_discard_held_requested)
        console.board.stop_requested.connect(self._on_board_stop_requested)
        console.plan_view.action_requested.connect(lambda key: self.send(self.console_model.plans.act(key)))
        self.audit_view.verify_requested.connect(self.audit_presenter.verify)
        self.audit_presenter.verified.connect(self.audit_presenter.show_verdict)
        if self.replay_controls is not None:
            connect_replay_controls(self.replay_controls)
        self._connect_plotting()

    def _connect_plotting(self) -> None:
        """The drawing panel: its controls and the drawing tool on its map, to the view-model's
        intents; every command they make goes through :meth:`send` (audited, then the feed)."""
        view, model, send = self.plotting_view, self.plotting, self.send
        c, tool = view.controls, view.tool
        c.symbol_chosen.connect(model.choose)
        c.label_edited.connect(model.set_label)
        c.relabel_requested.connect(lambda: send(model.relabel()))
        c.finish_requested.connect(lambda: send(model.finish()))
        c.cancel_requested.connect(model.cancel)
        c.delete_requested.connect(lambda: send(model.delete()))
        c.undo_requested.connect(lambda: send(model.undo()))
        c.redo_requested.connect(lambda: send(model.redo()))
        c.trace_requested.connect(lambda: send(model.trace()))
        c.reapply_requested.connect(lambda command_id: send(model.reapply(command_id)))
        c.discard_requested.connect(model.discard)
        c.export_requested.connect(self._on_plot_controls_export_requested)
        tool.clicked.connect(lambda lon, lat, tol: send(model.click(lon, lat, tol)))
        tool.double_clicked.connect(lambda lon, lat, tol: send(model.double_click(lon, lat, tol)))
        tool.hovered.connect(model.hover)
        tool.vertex_grabbed.connect(model.grab)
        tool.vertex_dragged.connect(model.drag)
        tool.vertex_dropped.connect(lambda lon, lat, tol: send(model.drop(lon, lat, tol)))
        tool.finish_requested.connect(lambda: send(model.finish()))
        tool.cancel_requested.connect(model.cancel)
        tool.back_requested.connect(model.back)
        tool.delete_requested.connect(lambda: send(model.delete()))
        tool.undo_requested.connect(lambda: send(model.undo()))
        tool.redo_requested.connect(lambda: send(model.redo()))
        view.map.marker_clicked.connect(model.choose_event)

    def _on_plot_controls_export_requested(self, fmt: str) -> None:
        name, text = self.plotting.export(fmt)
        path, _ = QFileDialog.getSaveFileName(self.console, tr("Export the drawings"), str(Path.home() / name))
        if not path:
            return
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:  # the officer is told; nothing else depends on it
            self.problems.append(tr("export not written: {error}").format(error=exc))
            self._show_problems()

    def _connect_panel(self, panel: object) -> None:
        situation = self.situation
        if isinstance(panel, EventsPanelView):
            model = panel.model
            panel.list.selection_changed.connect(model.choose)
            panel.list.row_clicked.connect(model.choose)
            panel.list.acknowledge_requested.connect(
                lambda event_id, m=model: self.send(m.acknowledge(situation, event_id))
            )
        elif isinstance(panel, MapPanelView):
            panel.map.marker_clicked.connect(panel.model.choose)
        elif isinstance(panel, VideoPanelView):
            video = panel.model
            panel.pin_requested.connect(lambda tile, cid, m=video: self._on_video_pin_requested(m, tile, cid))
            panel.unpin_requested.connect(lambda tile, m=video: self._on_video_unpin_requested(m, tile))
            panel.next_page_requested.connect(video.next_page)
            for i, tile in enumerate(panel.tiles):
                tile.customContextMenuRequested.connect(lambda at, i=i, p=panel: p.tile_menu(i, at))
        elif isinstance(panel, DispatchPanelView):
            dispatch = panel.model
            panel.panel.dispatch_requested.connect(lambda m=dispatch: self.send(m.dispatch(situation)))
            panel.panel.action_requested.connect(lambda key, m=dispatch: self.send(m.act(situation, key)))
        elif isinstance(panel, CardPanelView):
            panel.card.clicked.connect(panel.model.choose)
        elif isinstance(panel, TimelinePanelView):
            panel.timeline.clicked.connect(panel.model.choose)
        elif isinstance(panel, ProfilePanelView):
            panel.profile.drift_clicked.connect(panel.model.choose)

    def connect_screens(self, app: QGuiApplication) -> None:
        """Re-place runways when a screen is added or removed (hot-plug) or changes its resolution
        or position (``xrandr --mode``, a panel's own menu, a driver after a reconnect)."""
        app.screenAdded.connect(self._on_app_screen_added)
        app.screenRemoved.connect(self._on_app_screens_changed)
        for screen in app.screens():
            screen.geometryChanged.connect(self._on_screen_geometry_changed)

    def _on_app_screen_added(self, screen: QScreen) -> None:
        screen.geometryChanged.connect(self._on_screen_geometry_changed)  # dropped with the screen
        self._on_app_screens_changed(screen)

    def _on_screen_geometry_changed(self, _geometry: QRect) -> None:
        self._on_app_screens_changed(None)

    def _on_app_screens_changed(self, _screen: QScreen | None) -> None:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and not self._replace_pending:
            # After Qt has finished with the screen: placing during its own signal is too early. A
            # burst (several outputs changed by one xrandr call) is placed once.
            self._replace_pending = True
            QTimer.singleShot(0, self.console, lambda: self._on_replace_due(app))

    def _on_replace_due(self, app: QGuiApplication) -> None:
        self._replace_pending = False
        self.place_on(app.screens())

    def place_on(self, screens: Sequence[QScreen]) -> None:
        self.wall.replace_on(screens)
        self._placed()
        if self.service is not None:  # kiosk mode guards the new windows
            self.service.on_windows_shown()

    def _placed(self) -> None:
        """What the placement decides for the view-models (attributes down): a runway on a wall
        screen gets the wall's short dispatch block and names only level-1 events on its maps; one
        in a console tab gets the desk's."""
        on_wall = self.wall.assignment.on_screen
        for rid, model in self.runways.items():
            for panel in model.panels:
                if hasattr(panel, "on_wall"):
                    panel.on_wall = rid in on_wall
                if hasattr(panel, "label_severity"):
                    panel.label_severity = 1 if rid in on_wall else 2

    def place(self, screens: Sequence[object]) -> None:
        """Place the runways on screen descriptors (:class:`~cockpit.present.wall_layout.ScreenInfo`)."""
        self.wall.place(screens)  # type: ignore[arg-type]
        self._placed()

    # ------------------------------------------------------------------------------ per frame

    def frame(self) -> None:
        """One painted frame: the model's changes once, the wall's state once, every screen shown."""
        self.frames += 1
        self._sync_mode()
        tick = self.presenter.frame(time.time_ns() // 1_000_000, time.monotonic())
        situation = self.situation
        clock = time.strftime("%H:%M:%S")  # every screen's clock turns in the same frame
        for rid, view in [*self.wall.views.items(), *self.desk_views.items()]:
            frame = tick.frame_for(rid)
            for panel in view.panels:
                state = panel.model.update(situation, frame)
                if state is not None or isinstance(panel, MapPanelView):
                    panel.show_state(state)  # type: ignore[arg-type]
            view.set_clock(clock)
            if frame.slow:
                view.show_wall(tick.wall)
        frame = tick.frame_for(CONSOLE)
        cm, console = self.console_model, self.console
        alarms = cm.update_alarms(situation, frame)
        if alarms is not None:
            console.show_alarms(alarms)
        events = cm.events.update(situation, frame)
        if events is not None:
            console.events.show_state(events)
        dispatch = cm.dispatch.update(situation, frame)
        if dispatch is not None:
            console.dispatch.show_state(dispatch)
        plan = cm.plans.update(situation, frame)
        if plan is not None:
            console.show_plan(plan)
        rows = cm.board.update(situation, frame)
        if rows is not None:
            console.board.set_rows(rows)
        if frame.slow:
            console.show_wall(tick.wall)
        unnamed = cm.update_unnamed(situation, frame)
        if unnamed is not None:
            console.show_unnamed(unnamed)
        self.plotting_view.show_map(self.plotting.update_map(situation, frame))
        plotting = self.plotting.update(situation, frame)
        if plotting is not None:
            self.plotting_view.show_state(plotting)
        self._video_frame()
        if frame.slow and self.cache is not None:
            self.cache.maybe_save(situation, time.time_ns() // 1_000_000)
        if frame.current and tick.changes.sensors and not self.first_live_frame_at:
            self.first_live_frame_at = time.time()
            log.info("first live frame painted")

    def _video_frame(self) -> None:
        """The camera tiles: newest frames onto visible tiles, slot changes to the recorder, camera
        trouble to the console."""
        if not self.video_models or (not self.situation.cameras and self.replay is None):
            return  # no camera catalog (a backend without cameras): nothing to decode or show
        self.video_binder.frame()
        changes = [c for m in self.video_models for c in m.take_slot_changes()]  # taken even unrecorded:
        if self.recorder is not None:  # a wall without a recorder kept them all, for ever
            self.recorder.note_video(changes, time.time_ns() // 1_000_000)
        told = self.video_tiles.take_console()
        for name, what in told:
            if what == "live":
                self.camera_problems.pop(name, None)
            else:
                self.camera_problems[name] = what
        if told:
            self._show_problems()

    def _on_video_pin_requested(self, model: VideoModel, tile: int, camera_id: str) -> None:
        now = self.situation.server_now(time.time_ns() // 1_000_000)
        model.pin(tile, camera_id, now)
        self._audit(
            "camera_pinned", {"panel": model.panel.config.panel_id, "tile": tile, "camera": camera_id}
        )

    def _on_video_unpin_requested(self, model: VideoModel, tile: int) -> None:
        model.unpin(tile, self.situation.server_now(time.time_ns() // 1_000_000))
        self._audit("camera_unpinned", {"panel": model.panel.config.panel_id, "tile": tile})

    def _sync_mode(self) -> None:
        replay = self.replay
        if replay is not None:
            for video in self.video_models:
                video.recorded = replay.video_slots
            self.presenter.mode = replay_mode(replay)
            self.presenter.marking = screen_marking(replay)

    def set_mode(self, mode: Mode, marking: str) -> None:
        """A drill or replay says what it is (attributes down from its controller)."""
        self.presenter.mode = mode
        self.presenter.marking = marking

    def _on_flash_timer_timeout(self) -> None:
        self._flash = not self._flash
        for view in [*self.wall.views.values(), *self.desk_views.values()]:
            view.set_flash_phase(self._flash)

    # ------------------------------------------------------------------------------ intents

    def send(self, command: Command | None) -> None:
        """Send a command a view-model made (``None``: it decided nothing may go now)."""
        if command is None:
            return
        log.info(
            "command %s %s event=%s unit=%s", command.id, command.kind, command.event_id, command.unit_id
        )
        self._audit(action_for_command(command), command_details(command))
        self.source.send_command(command)

    def _on_alarms_shelve_requested(self, event_id: str) -> None:
        target = self.console_model.shelve_target(self.situation, event_id)
        if target:
            self.console.open_shelve_form(event_id, target, self.alarms.why_not_shelve())

    def _on_shelve_form_shelve_requested(self, reason: str, minutes: int) -> None:
        event_id = self.console.close_shelve_form()
        if event_id:
            now = self.situation.server_now(time.time_ns() // 1_000_000)
            self.send(self.alarms.shelve(event_id, reason, minutes, now))

    def _on_board_send_held_requested(self, command_id: str) -> None:
        if self.feed is not None and self.feed.confirm(command_id):
            self._audit(AuditAction.COMMAND_CONFIRMED, {"command_id": command_id})

    def _on_board_discard_held_requested(self, command_id: str) -> None:
        if self.feed is not None and self.feed.discard(command_id):
            self._audit(AuditAction.COMMAND_DISCARDED, {"command_id": command_id})

    def _on_board_stop_requested(self, command_id: str) -> None:
        if self.feed is not None and self.feed.abandon(command_id):
            self._audit(AuditAction.COMMAND_ABANDONED, {"command_id": command_id})

    # ------------------------------------------------------------------------------ feed

    def _on_feed_events(self, events: list[FeedEvent]) -> None:
        # Per feed frame, not per message: the model applies batches; the wall paints on its own
        # frame timer.
        self.situation.apply(events)
        if self.feed is not None and self.feed.refused != self._refused:
            self._show_refusal(self.feed.refused)
        outbox = [e.detail for e in events if isinstance(e, OutboxProblem)]
        if outbox:
            self.problems += [tr("outbox: {detail}").format(detail=d) for d in outbox]
            self._show_problems()
        if self.recorder is not None:
            self.mirror.apply(events)
        self.book.apply(events)

    def _on_replay_clock(self, offset_ms: int) -> None:
        self.situation.clock_offset_ms = offset_ms

    def _recording_text(self) -> str:
        if self.replay is not None:
            return ""  # the REPLAY band says what this is
        if self.recorder is None:
            return f"⚠ {self.record_error}" if self.record_error else tr("○ not recording")
        return recording_text(self.recorder.status)

    def _recording_state(self, welcome: Welcome | None, wall_ms: int) -> StateSnapshot | None:
        """The model's state for a recording snapshot; only when every stream is live (consistent)."""
        if self.feed is None or self.feed.state is not ConnectionState.LIVE:
            return None
        snapshot = take_snapshot(
            self.mirror,
            self.situation.sensors,
            self.feed.cursors,
            welcome,
            wall_ms,
            self.situation.clock_offset_ms,
        )
        snapshot.video = [s for m in self.video_models for s in m.current_slots()]
        return snapshot

    # ------------------------------------------------------------------------------ audit, problems

    def _audit(self, action: str, details: dict[str, object]) -> None:
        if self.audit is None:
            return
        try:
            self.audit.record(action, details)
        except AuditError as exc:  # a full disk must not stop a dispatch; it must be seen
            problem = tr("audit log not written: {error}").format(error=exc)
            if problem not in self.problems:
                self.problems.append(problem)
                self._show_problems()
            log.error("audit: %s", exc)

    def _show_refusal(self, refused: str) -> None:
        """Put the backend's refusal on the console in words (a bad token needs the officer to log in
        again), replacing the previous one; a welcome clears it."""
        words = self.ctx.words
        if self._refused:
            old = words.refusal(self._refused)
            self.problems = [p for p in self.problems if p != old]
        self._refused = refused
        if refused:
            self.problems.append(words.refusal(refused))
            log.error("backend refused this cockpit: %s", refused)
        self._show_problems()

    def add_problem(self, text: str) -> None:
        """Something the officer must know (shown on the console in red), once."""
        if text not in self.problems:
            self.problems.append(text)
            self._show_problems()

    def _show_problems(self) -> None:
        cameras = [
            tr("camera {name}: {what}").format(name=n, what=w)
            for n, w in sorted(self.camera_problems.items())
        ]
        self.console.show_problems([*self.wall.problems, *self.problems, *cameras])

    # ------------------------------------------------------------------------------ life

    def start(self) -> None:
        """Start the source and the frame timers (on the running qasync loop)."""
        self.source.start()
        self.presenter.restart_cadence(time.monotonic())
        self.frame_timer.start()
        self.flash_timer.start()

    def attach_service(self, service: WallServiceSlots) -> None:
        """Let the service (cockpit/app/service.py) see every frame and every placement of the wall."""
        self.service = service
        self.frame_timer.timeout.connect(service.on_frame)

    async def stop(self, going_away: bool = False) -> None:
        """Stop in order: frames, the source (a normal close to the backend: 1001 ``going_away``
        when the system stops the cockpit, else 1000), then the files. Each file is finished even if
        something before it failed (a SIGTERM must never leave one unfinished)."""
        self.frame_timer.stop()
        self.flash_timer.stop()
        try:
            if self.feed is not None:
                await self.feed.stop(going_away=going_away)
            else:
                await self.source.stop()
        finally:
            try:
                if self.recorder is not None:
                    self.recorder.close()  # finish the open segment: nothing to recover next time
            finally:
                try:
                    if self.cache is not None:
                        self.cache.close(self.situation)  # what a restart without a backend shows
                finally:
                    try:
                        if self.feed is not None:
                            self.feed.close_outbox()
                    finally:
                        try:
                            if self.audit is not None:
                                self.audit.close()
                        finally:
                            self.close_video()

    def close_video(self) -> None:
        """Stop every decoder and the decoder processes."""
        self.video_tiles.close()
        if self.video_pool is not None:
            self.video_pool.shutdown()

    def close(self) -> None:
        """Stop the timers and close every window (tests and drills, on the Qt thread)."""
        self.frame_timer.stop()
        self.flash_timer.stop()
        self.close_video()
        self.wall.close()


def replay_mode(replay: ReplaySource) -> Mode:
    """What the wall must say about a replay, this frame."""
    return Mode(
        ModeKind.REPLAY,
        paused=replay.play_state is PlayState.PAUSED,
        ended=replay.play_state is PlayState.ENDED,
        position_ms=replay.position_ns // 1_000_000,
        speed=replay.speed,
    )


def connect_replay_controls(controls: ReplayControls) -> None:
    """The replay panel's buttons, speed, timeline and refresh timer."""
    panel = controls.panel
    panel.play_button.clicked.connect(panel.toggle_play)
    panel.step_button.clicked.connect(panel.step)
    panel.speed.currentIndexChanged.connect(panel.choose_speed)
    panel.loop_button.clicked.connect(panel.clear_loop)
    panel.timeline.seek_requested.connect(panel.seek)
    panel.timeline.selection_changed.connect(panel.set_loop)
    controls.timer.timeout.connect(controls.refresh)


def connect_app(app: QGuiApplication, quit_requested: Callable[[], None]) -> None:
    """The application's own signals: closing the last window quits in order (through ``done``)."""
    app.lastWindowClosed.connect(quit_requested)


def connect_login(dialog: LoginDialog) -> None:
    """The login dialog's buttons, and its "whose token is this" line as the token is typed."""
    dialog.buttons.accepted.connect(dialog.accept)
    dialog.buttons.rejected.connect(dialog.reject)
    dialog.token_edit.textChanged.connect(dialog.show_whose)


def connect_trainer(trainer: TrainerWindow) -> None:
    """The trainer console's own controls: its buttons ask, its inject form follows the kind chosen."""
    trainer.start_button.clicked.connect(trainer.start_clicked)
    trainer.pause_button.clicked.connect(trainer.pause_clicked)
    trainer.kind.currentIndexChanged.connect(trainer.kind_chosen)
    trainer.inject_button.clicked.connect(trainer.inject_clicked)


def connect_drill(session: DrillSession) -> None:
    """The trainer console, its asks to the drill, and the drill's refresh timer."""
    trainer = session.trainer
    connect_trainer(trainer)
    trainer.start_requested.connect(session.start_drill)
    trainer.pause_requested.connect(session.pause)
    trainer.inject_requested.connect(session.inject)
    session.timer.timeout.connect(session.refresh)
