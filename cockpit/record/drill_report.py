"""The drill report: how fast the duty officers answered each event, against the script's targets.

The sandbox logs what happened in drill seconds (the scenario clock since the drill started; a pause
stops it): every state each event was published in, every command the trainees sent with its answer,
every inject. :func:`compute_report` turns that log into, per event, the times to acknowledge, to
first dispatch and to closure, each against its target, and a timeline of the trainees' actions.
:func:`write_report` writes it as Markdown and as HTML with SVG plots (no other dependency).

Definitions (they are printed in the report too):

- an event *appears* when the sandbox first publishes it (events already open when the drill starts
  appear at 0 s);
- it is *acknowledged* when it first leaves ``new`` (an acknowledgement, or a dispatch straight away);
- it is *dispatched* when it first reaches ``dispatched`` (a unit accepted the job);
- it is *closed* when it first reaches ``resolved`` (the job is done) or ``closed``.

Measured events: every injected event, every event the trainees sent a command for, and every
sensor alarm of the script's ``report_severity`` or more severe.

No Qt.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.model.plot_export import to_svg
from cockpit.model.plots import PlotRecord
from cockpit.record.drill_script import DrillScript, Targets

NEW, DISPATCHED = "new", "dispatched"
CLOSED_STATES = ("resolved", "closed")
SEVERITY_WORDS = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}


@dataclass(frozen=True, slots=True)
class EventSeen:
    """One published state of an event, at drill second ``t``."""

    t: float
    event_id: str
    type: str
    title: str
    severity: int
    district: str
    state: str
    source: str = ""
    """The sensor that raised it, if any."""
    theme: str = ""


@dataclass(frozen=True, slots=True)
class TraineeAction:
    """One command a trainee's cockpit sent to the sandbox, and its answer."""

    t: float
    operator: str
    role: str
    kind: str
    event_id: str
    unit_id: str
    result: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class InjectFired:
    """An inject the sandbox applied (from the script, or by the trainer's hand)."""

    t: float
    kind: str
    label: str
    event_id: str = ""
    """The event it created, for ``event`` injects."""
    error: str = ""
    """Why it could not be applied; empty if it was."""
    by_hand: bool = False
    targets: Targets | None = None


@dataclass(slots=True)
class DrillLog:
    """Everything a drill recorded, in drill seconds."""

    script: DrillScript
    started_at: float = 0.0
    """Wall-clock (epoch seconds) when the drill started."""
    events: list[EventSeen] = field(default_factory=list)
    actions: list[TraineeAction] = field(default_factory=list)
    injects: list[InjectFired] = field(default_factory=list)
    end_t: float = 0.0
    """Drill seconds run so far (the end, once finished)."""
    finished: bool = False
    notes: list[str] = field(default_factory=list)
    """What the trainer should know about the drill's start (e.g. what a recording could not give)."""
    plots: list[PlotRecord] = field(default_factory=list)
    """What the trainees drew on the sandbox's shared map, as it stands (protocol §5.10)."""

    def copy(self) -> DrillLog:
        return DrillLog(
            self.script,
            self.started_at,
            list(self.events),
            list(self.actions),
            list(self.injects),
            self.end_t,
            self.finished,
            list(self.notes),
            list(self.plots),
        )


@dataclass(frozen=True, slots=True)
class Measure:
    """A response time against its target; None: it did not happen during the drill."""

    seconds: float | None
    target: float | None
    elapsed: float = math.inf
    """Drill seconds the event has been there (a running drill's targets may not be due yet)."""

    @property
    def met(self) -> bool | None:
        """True within target, False over it (or not done by it), None: no target or not yet due."""
        if self.target is None:
            return None
        if self.seconds is None:
            return None if self.elapsed < self.target else False
        return self.seconds <= self.target

    def text(self) -> str:
        value = "—" if self.seconds is None else f"{self.seconds:.0f} s"
        if self.target is None:
            return value
        mark = {True: "met", False: "MISSED", None: "pending"}[self.met]
        return f"{value} / {self.target:.0f} s {mark}"


@dataclass(frozen=True, slots=True)
class EventRow:
    """One measured event."""

    event_id: str
    label: str
    severity: int
    district: str
    origin: str
    """``inject``, ``alarm`` or ``action`` (only the trainees' commands brought it in)."""
    appeared: float
    acknowledge: Measure
    dispatch: Measure
    close: Measure

    @property
    def measures(self) -> tuple[Measure, Measure, Measure]:
        return (self.acknowledge, self.dispatch, self.close)


@dataclass(frozen=True, slots=True)
class DrillReport:
    """The computed report of one drill run."""

    drill_id: str
    title: str
    started_at: float
    end_t: float
    finished: bool
    rows: list[EventRow]
    actions: list[TraineeAction]
    injects: list[InjectFired]
    notes: list[str] = field(default_factory=list)
    """What the trainer should know about the drill's start (from :attr:`DrillLog.notes`)."""
    plots: list[PlotRecord] = field(default_factory=list)
    """What the trainees drew on the map (from :attr:`DrillLog.plots`)."""

    def targets_met(self) -> tuple[int, int]:
        """(met, measured) over every measure that has a target."""
        marks = [m.met for row in self.rows for m in row.measures if m.met is not None]
        return sum(1 for m in marks if m), len(marks)

    def summary(self) -> str:
        """One line for the trainer console."""
        met, total = self.targets_met()
        ended = "finished" if self.finished else "stopped"
        return (
            f"{self.title}: {ended} at {self.end_t:.0f} s; {len(self.rows)} events measured, "
            f"{met} of {total} targets met; {len(self.actions)} trainee actions, {len(self.injects)} injects"
        )


def compute_report(log: DrillLog) -> DrillReport:
    """Per event, the response times against targets, and the actions' timeline."""
    script = log.script
    seen: dict[str, list[EventSeen]] = {}
    for ev in log.events:
        seen.setdefault(ev.event_id, []).append(ev)
    injected = {f.event_id: f for f in log.injects if f.event_id}
    acted = {a.event_id for a in log.actions if a.event_id}
    rows: list[EventRow] = []
    for event_id, states in seen.items():
        first = states[0]
        fired = injected.get(event_id)
        if fired is not None:
            origin = "inject"
        elif event_id in acted:
            origin = "action"
        elif (
            first.source
            and first.severity <= script.report_severity
            and (not script.report_themes or first.theme in script.report_themes)
        ):
            origin = "alarm"
        else:
            continue
        targets = (fired.targets if fired is not None and fired.targets else Targets()).merged(script.targets)
        appeared = first.t
        elapsed = log.end_t - appeared
        rows.append(
            EventRow(
                event_id=event_id,
                label=fired.label if fired is not None else (first.title or first.type),
                severity=first.severity,
                district=first.district,
                origin=origin,
                appeared=appeared,
                acknowledge=Measure(
                    _first_after(states, appeared, lambda s: s != NEW), targets.acknowledge, elapsed
                ),
                dispatch=Measure(
                    _first_after(states, appeared, lambda s: s == DISPATCHED), targets.dispatch, elapsed
                ),
                close=Measure(
                    _first_after(states, appeared, lambda s: s in CLOSED_STATES), targets.close, elapsed
                ),
            )
        )
    rows.sort(key=lambda r: (r.appeared, r.event_id))
    return DrillReport(
        drill_id=script.id,
        title=script.title_in("en"),
        started_at=log.started_at,
        end_t=log.end_t,
        finished=log.finished,
        rows=rows,
        actions=sorted(log.actions, key=lambda a: a.t),
        injects=sorted(log.injects, key=lambda f: f.t),
        notes=list(log.notes),
        plots=sorted(log.plots, key=lambda p: (p.created, p.id)),
    )


def _first_after(states: Sequence[EventSeen], appeared: float, wanted: Callable[[str], bool]) -> float | None:
    for s in states:
        if wanted(s.state):
            return max(0.0, s.t - appeared)
    return None


# ---------------------------------------------------------------------------------- Markdown


def _clock(t: float) -> str:
    return f"{int(t) // 60:02d}:{t % 60:04.1f}"


def event_ref(event_id: str) -> str:
    """A short reference to an event for people ("#3f2a1c"): a 36-character id in a table column
    squeezed every other column until words broke mid-word in the PDF."""
    return "#" + event_id.replace("-", "")[-6:] if len(event_id) > 16 else event_id


def _event_words(report: DrillReport, event_id: str) -> str:
    """An event as the report names it: what it is and its short reference."""
    label = next((r.label for r in report.rows if r.event_id == event_id), "")
    return f"{label} ({event_ref(event_id)})" if label else event_ref(event_id)


def _timeline(report: DrillReport) -> list[tuple[float, str, str, str]]:
    """(t, who, what, result) for every inject and action, in time order."""
    items: list[tuple[float, str, str, str]] = []
    for f in report.injects:
        who = "trainer (by hand)" if f.by_hand else "script"
        what = f"inject {f.kind}: {f.label}" + (f" → {event_ref(f.event_id)}" if f.event_id else "")
        items.append((f.t, who, what, f"failed: {f.error}" if f.error else "applied"))
    for a in report.actions:
        target = _event_words(report, a.event_id) + (f", unit {a.unit_id}" if a.unit_id else "")
        result = a.result + (f" ({a.reason})" if a.reason else "")
        items.append((a.t, f"{a.operator} ({a.role})", f"{a.kind} {target}".strip(), result))
    items.sort(key=lambda i: i[0])
    return items


def to_markdown(report: DrillReport) -> str:
    """The report as Markdown."""
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(report.started_at))
    met, total = report.targets_met()
    lines = [
        f"# Drill report: {report.title}",
        "",
        f"- Drill: `{report.drill_id}`, started {started}, "
        f"{'finished' if report.finished else 'stopped'} after {report.end_t:.0f} s of drill time",
        f"- {len(report.rows)} events measured; {met} of {total} targets met",
        f"- {len(report.actions)} trainee actions; {len(report.injects)} injects",
        *(f"- Note: {_md(note)}" for note in report.notes),
        "",
        "## Response per event",
        "",
        "Times count from the event's appearance (drill seconds): acknowledged = first left `new`; "
        "dispatched = first reached `dispatched`; closed = first reached `resolved` or `closed`.",
        "",
        "| event | what | level | district | appeared | acknowledge | first dispatch | closure |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        level = f"{r.severity} {SEVERITY_WORDS.get(r.severity, '')}".strip()
        lines.append(
            f"| {event_ref(r.event_id)} | {_md(r.label)} ({r.origin}) | {level} | {r.district} | {_clock(r.appeared)} | "
            f"{r.acknowledge.text()} | {r.dispatch.text()} | {r.close.text()} |"
        )
    lines += ["", "## Timeline", "", "| time | who | what | result |", "|---|---|---|---|"]
    for t, who, what, result in _timeline(report):
        lines.append(f"| {_clock(t)} | {_md(who)} | {_md(what)} | {_md(result)} |")
    if report.plots:
        lines += ["", "## Drawings on the map", "", "| drawing | label | event | drawn by | version |", "|---|---|---|---|---|"]
        for p in report.plots:
            lines.append(f"| {_md(plot_name(p.kind))} | {_md(p.label)} | {p.event_id} | {_md(p.author)} | {p.version} |")
    return "\n".join(lines) + "\n"


PLOT_NAMES = {
    "fire_line": "Fire line", "fire_zone": "Fire zone", "isolation_belt": "Isolation belt",
    "evacuation_route": "Evacuation route", "assembly_point": "Assembly point", "command_post": "Command post",
    "water_source": "Water source", "road_block": "Road block", "advance_arrow": "Advance arrow", "text": "Free text",
}  # fmt: skip
"""The palette's names in the report's language (English, like the rest of the report)."""


def plot_name(kind: str) -> str:
    return PLOT_NAMES.get(kind, kind)


def drawings_picture(report: DrillReport) -> str:
    """An SVG of what the trainees drew on the map (SVG Tiny: the PDF export renders it too)."""
    return to_svg(report.plots, name=plot_name)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# ---------------------------------------------------------------------------------- HTML


_STYLE = """
body { font-family: 'Noto Sans CJK SC', sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
td, th { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }
td.time { white-space: nowrap; }
.met { color: #1b7f3b; } .missed { color: #b3261e; font-weight: bold; }
"""
_BAR_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f")


def response_plot(report: DrillReport) -> str:
    """An SVG: per event, three bars (acknowledge, dispatch, closure) and a tick at each target."""
    rows = report.rows
    if not rows:
        return "<p>No events were measured.</p>"
    scale_max = max(
        [1.0]
        + [m.seconds for r in rows for m in r.measures if m.seconds is not None]
        + [m.target for r in rows for m in r.measures if m.target is not None]
    )
    left, width, row_h = 320, 460, 42  # room for "Waterlogging at the Lakeside underpass #19d677"
    height = 40 + row_h * len(rows)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" height="{height}">']
    for k, name in enumerate(("acknowledge", "first dispatch", "closure")):
        parts.append(
            f'<rect x="{left + 150 * k}" y="6" width="12" height="12" fill="{_BAR_COLOURS[k]}"/>'
            f'<text x="{left + 150 * k + 16}" y="17" font-size="12">{name}</text>'
        )
    for i, r in enumerate(rows):
        y = 30 + i * row_h
        parts.append(
            f'<text x="4" y="{y + 20}" font-size="11">{html.escape(r.label)} {event_ref(r.event_id)}</text>'
        )
        for k, m in enumerate(r.measures):
            by = y + 4 + k * 11
            if m.seconds is not None:
                w = max(1.0, width * m.seconds / scale_max)
                parts.append(
                    f'<rect x="{left}" y="{by}" width="{w:.1f}" height="9" fill="{_BAR_COLOURS[k]}">'
                    f"<title>{m.text()}</title></rect>"
                )
            if m.target is not None:
                tx = left + width * m.target / scale_max
                colour = {True: "#1b7f3b", False: "#b3261e", None: "#888888"}[m.met]
                parts.append(
                    f'<line x1="{tx:.1f}" y1="{by - 1}" x2="{tx:.1f}" y2="{by + 10}" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
    parts.append(
        f'<text x="{left}" y="{height - 4}" font-size="11">0 s</text>'
        f'<text x="{left + width - 40}" y="{height - 4}" font-size="11">{scale_max:.0f} s</text></svg>'
    )
    return "".join(parts)


def timeline_plot(report: DrillReport) -> str:
    """An SVG timeline: injects above the axis, the trainees' actions below it."""
    end = max([report.end_t, 1.0] + [a.t for a in report.actions] + [f.t for f in report.injects])
    left, width = 20, 760
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" height="90">']
    parts.append(f'<line x1="{left}" y1="45" x2="{left + width}" y2="45" stroke="#555"/>')
    for f in report.injects:
        x = left + width * f.t / end
        parts.append(
            f'<path d="M{x:.1f},40 l-5,-10 l10,0 z" fill="#b3261e"><title>{html.escape(f.label)}</title></path>'
        )
    for a in report.actions:
        x = left + width * a.t / end
        colour = "#1b7f3b" if a.result == "accepted" else "#888"
        parts.append(
            f'<circle cx="{x:.1f}" cy="56" r="4" fill="{colour}">'
            f"<title>{html.escape(f'{a.operator}: {a.kind} {event_ref(a.event_id)}')}</title></circle>"
        )
    parts.append(
        f'<text x="{left}" y="82" font-size="11">0 s</text>'
        f'<text x="{left + width - 40}" y="82" font-size="11">{end:.0f} s</text>'
        f'<text x="{left + 60}" y="16" font-size="11">▼ injects</text>'
        f'<text x="{left + 160}" y="16" font-size="11">● trainee actions</text></svg>'
    )
    return "".join(parts)


def _cell(m: Measure) -> str:
    css = "" if m.met is None else (' class="met"' if m.met else ' class="missed"')
    return f"<td{css}>{html.escape(m.text())}</td>"


PLOT_IMAGES = ("drill-plot:response", "drill-plot:timeline")
"""Image names :func:`to_html` uses instead of inline SVG when asked (for renderers without SVG)."""
DRAWINGS_IMAGE = "drill-plot:drawings"
"""The same for the picture of the drawings (:func:`drawings_picture`)."""
PLOT_IMAGE_WIDTH = 620
"""Their width in the page's layout units: an A4 page's text width in Qt's rich text."""


def to_html(report: DrillReport, inline_svg: bool = True) -> str:
    """The report as a standalone HTML page with SVG plots.

    Args:
        report: The report.
        inline_svg: False puts ``<img src>`` of :data:`PLOT_IMAGES` where the plots go; the caller
            supplies those images (the PDF export renders the SVG itself).
    """
    response, timeline = (
        (response_plot(report), timeline_plot(report))
        if inline_svg
        else tuple(f'<img src="{name}" width="{PLOT_IMAGE_WIDTH}">' for name in PLOT_IMAGES)
    )
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(report.started_at))
    esc = html.escape
    out = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Drill report: {esc(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Drill report: {esc(report.title)}</h1>",
        f"<p>{esc(report.summary())}. Started {started}.</p>",
        *(f"<p>Note: {esc(note)}</p>" for note in report.notes),
        "<h2>Response per event</h2>",
        "<p>Times count from the event's appearance, in drill seconds; a tick marks each target "
        "(green met, red missed).</p>",
        response,
        # Tables as wide as the page (Qt's rich text otherwise shrinks them to their narrowest and
        # breaks words mid-word: "Susp ecte d"); times never wrap.
        '<table width="100%" cellspacing="0" cellpadding="4"><tr><th>event</th><th>level</th>'
        "<th>district</th><th>appeared</th><th>acknowledge</th><th>first dispatch</th><th>closure</th></tr>",
    ]
    for r in report.rows:
        out.append(
            f"<tr><td>{esc(r.label)} ({r.origin}) {event_ref(r.event_id)}</td>"
            f"<td>{r.severity} {SEVERITY_WORDS.get(r.severity, '')}</td><td>{esc(r.district)}</td>"
            f'<td class="time">{_clock(r.appeared)}</td>{_cell(r.acknowledge)}{_cell(r.dispatch)}{_cell(r.close)}</tr>'
        )
    out += ["</table>", "<h2>Timeline</h2>", timeline]
    out.append('<table width="100%" cellspacing="0" cellpadding="4"><tr><th>time</th><th>who</th><th>what</th><th>result</th></tr>')
    for t, who, what, result in _timeline(report):
        out.append(
            f'<tr><td class="time">{_clock(t)}</td><td>{esc(who)}</td><td>{esc(what)}</td><td>{esc(result)}</td></tr>'
        )
    out.append("</table>")
    if report.plots:
        picture = drawings_picture(report) if inline_svg else f'<img src="{DRAWINGS_IMAGE}" width="{PLOT_IMAGE_WIDTH}">'
        out += [
            "<h2>Drawings on the map</h2>",
            "<p>What the trainees drew on the sandbox's shared map (fire lines, zones, routes, posts), as it "
            "stood at the end; it never left the sandbox.</p>",
            picture,
            "<table><tr><th>drawing</th><th>label</th><th>event</th><th>drawn by</th><th>version</th></tr>",
        ]
        for p in report.plots:
            out.append(
                f"<tr><td>{esc(plot_name(p.kind))}</td><td>{esc(p.label)}</td><td>{esc(p.event_id)}</td>"
                f"<td>{esc(p.author)}</td><td>{p.version}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(report: DrillReport, folder: Path) -> list[Path]:
    """Write ``report.md`` and ``report.html`` into ``folder`` (created); returns the paths.

    Raises:
        OSError: the folder or a file cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    md, page = folder / "report.md", folder / "report.html"
    md.write_text(to_markdown(report), encoding="utf-8")
    page.write_text(to_html(report), encoding="utf-8")
    return [md, page]
