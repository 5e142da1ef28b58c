"""A river's stations upstream → downstream, the intake, and what drifts counting down."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from widgets.river_profile import RiverProfileWidget
from widgets.values import Drift, Mark, Severity, Station, TileLevel

STATIONS = (
    Station(1.0, "Jingkou", 7.4, "7.4", TileLevel.NORMAL),
    Station(5.0, "Shuangbei", 7.1, "7.1", TileLevel.NORMAL),
    Station(9.0, "Ciqikou", 4.3, "4.3", TileLevel.WARNING),
    Station(13.0, "Shimen", 5.6, "5.6", TileLevel.NORMAL),
    Station(19.5, "Liangtuo intake", 7.0, "7.0", TileLevel.NORMAL, intake=True),
)
SLICK = Drift("E9", 9.6, "Oil slick", 19.5, "5 h 42 min", "Oil slick reaches Liangtuo intake at 02:13, in", Severity.RED)
MARKS = (Mark(5.0, "low warning 5 mg/L"), Mark(3.0, "low alarm 3 mg/L", alarm=True))


@pytest.fixture
def profile(qtbot: QtBot) -> RiverProfileWidget:
    w = RiverProfileWidget()
    qtbot.addWidget(w)
    w.resize(1100, 400)
    w.set_text_px(63, 32)
    w.set_profile((1.0, 19.5), MARKS, "mg/L", STATIONS, (SLICK,))
    return w


def test_the_countdown_is_at_key_size_and_every_station_is_named_with_its_value(profile: RiverProfileWidget) -> None:
    profile.grab()
    painted = {t.text: t for t in profile.painted()}
    assert painted["5 h 42 min"].key and painted["5 h 42 min"].px == 63
    assert "Oil slick reaches Liangtuo intake at 02:13, in" in painted
    for s in STATIONS:
        assert s.label in painted and s.text in painted, s.label
    assert "low warning 5 mg/L" in painted and "low alarm 3 mg/L" in painted
    assert all(t.fitted for t in profile.painted())


def test_upstream_is_left_and_the_slick_lies_between_its_neighbours(profile: RiverProfileWidget) -> None:
    profile.grab()
    xs = [profile.x_of(s.km) for s in STATIONS]
    assert xs == sorted(xs)
    assert profile.x_of(9.0) < profile.x_of(SLICK.km) < profile.x_of(13.0)


def test_labels_never_cover_each_other(profile: RiverProfileWidget) -> None:
    profile.grab()
    boxes = [(t.x, t.y, t.x + t.w, t.y + t.h) for t in profile.painted()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            assert not (overlap[0] > 1 and overlap[1] > 1), (a, b)


def test_clicking_the_slick_asks_for_its_event(profile: RiverProfileWidget, qtbot: QtBot) -> None:
    profile.grab()
    x = round(profile.x_of(SLICK.km))
    ys = range(0, profile.height(), 4)
    with qtbot.waitSignal(profile.drift_clicked, timeout=1000) as blocker:
        for y in ys:  # the slick sits on the river's band
            qtbot.mouseClick(profile, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
            if blocker.signal_triggered:
                break
    assert blocker.args == ["E9"]


def test_without_stations_it_says_why(qtbot: QtBot) -> None:
    w = RiverProfileWidget()
    qtbot.addWidget(w)
    w.resize(600, 300)
    w.set_profile((0.0, 1.0), (), "", (), (), "No station with a place on the river (river_km)")
    w.grab()
    assert w.painted_text() == "No station with a place on the river (river_km)"
