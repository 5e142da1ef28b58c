"""The drill report's arithmetic on a hand-made log, and its Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

from cockpit.record.drill_report import (
    DrillLog,
    EventSeen,
    InjectFired,
    TraineeAction,
    compute_report,
    to_html,
    to_markdown,
    write_report,
)
from cockpit.record.drill_script import DrillScript, ScenarioStart, Start, Targets


def script() -> DrillScript:
    return DrillScript(
        id="unit",
        title={"en": "Unit drill"},
        start=Start(scenario=ScenarioStart()),
        duration=600,
        targets=Targets(acknowledge=60, dispatch=120, close=300),
        report_themes=["flood"],
    )


def seen(
    t: float, eid: str, state: str, severity: int = 2, source: str = "", theme: str = "flood"
) -> EventSeen:
    return EventSeen(t, eid, "waterlogging", f"title {eid}", severity, "jiangbei", state, source, theme)


def log() -> DrillLog:
    return DrillLog(
        script(),
        started_at=1_700_000_000.0,
        events=[
            seen(0, "OLD", "new", source="g-1"),  # open at the start: appears at 0 s
            seen(10, "INJ", "new"),
            seen(40, "INJ", "acknowledged"),
            seen(200, "INJ", "dispatched"),
            seen(245, "INJ", "resolved"),
            seen(20, "BG", "new", severity=4),  # background: not measured
            seen(30, "FIRE", "new", severity=1, source="f-1", theme="fire"),  # another theme
            seen(50, "ACT", "new", severity=4),
            seen(51, "ACT", "dispatched", severity=4),  # dispatched straight away: acknowledged too
            seen(500, "LATE", "new", severity=2, source="g-2"),
        ],
        actions=[
            TraineeAction(40, "officer-1", "operator", "acknowledge", "INJ", "", "accepted"),
            TraineeAction(51, "officer-2", "operator", "dispatch", "ACT", "u-1", "accepted"),
            TraineeAction(60, "officer-2", "operator", "dispatch", "ACT", "u-1", "rejected", "unit_busy"),
            TraineeAction(200, "officer-1", "operator", "dispatch", "INJ", "u-2", "accepted"),
        ],
        injects=[
            InjectFired(10, "event", "railing washed away", "INJ", targets=Targets(acknowledge=20)),
            InjectFired(90, "unit_silent", "crew 1 silent", by_hand=True),
            InjectFired(95, "sensor_failure", "gauge x", error="no sensor 'x'"),
        ],
        end_t=560,
        finished=True,
    )


def test_times_are_measured_from_appearance_against_the_merged_targets() -> None:
    report = compute_report(log())
    rows = {r.event_id: r for r in report.rows}
    assert sorted(rows) == ["ACT", "INJ", "LATE", "OLD"]
    inj = rows["INJ"]
    assert (inj.origin, inj.label, inj.appeared) == ("inject", "railing washed away", 10)
    assert (inj.acknowledge.seconds, inj.acknowledge.target, inj.acknowledge.met) == (30, 20, False)
    assert (inj.dispatch.seconds, inj.dispatch.target, inj.dispatch.met) == (190, 120, False)
    assert (inj.close.seconds, inj.close.target, inj.close.met) == (235, 300, True)
    act = rows["ACT"]
    assert act.origin == "action" and act.acknowledge.seconds == 1 and act.dispatch.seconds == 1
    assert act.close.seconds is None and act.close.met is False  # 510 s without closure: missed
    old = rows["OLD"]
    assert old.origin == "alarm" and old.appeared == 0 and old.acknowledge.met is False
    late = rows["LATE"]  # 60 s old at the end, acknowledge target 60: not done and just due
    assert late.acknowledge.met is False and late.dispatch.met is None and late.close.met is None
    assert "pending" in late.dispatch.text() and "MISSED" in inj.acknowledge.text()
    met, total = report.targets_met()
    assert (met, total) == (3, 10)  # INJ closure, ACT acknowledge and dispatch
    assert "4 events measured, 3 of 10 targets met; 4 trainee actions, 3 injects" in report.summary()


def test_markdown_and_html_carry_every_row_and_the_timeline(tmp_path: Path) -> None:
    report = compute_report(log())
    md = to_markdown(report)
    assert "| INJ | railing washed away (inject) | 2 orange | jiangbei | 00:10.0 | 30 s / 20 s MISSED |" in md
    assert "| 01:30.0 | trainer (by hand) | inject unit_silent: crew 1 silent | applied |" in md
    # Actions name their event by what it is and a short reference (issue 15: ids broke the PDF).
    assert "| 01:00.0 | officer-2 (operator) | dispatch title ACT (ACT), unit u-1 | rejected (unit_busy) |" in md
    assert "failed: no sensor 'x'" in md
    page = to_html(report)
    assert page.count("<svg") == 2 and page.count("<tr>") == 1 + 4 + 1 + 7
    assert 'class="missed"' in page and 'class="met"' in page
    files = write_report(report, tmp_path / "out")
    assert [p.name for p in files] == ["report.md", "report.html"]
    assert files[0].read_text(encoding="utf-8") == md
