"""One event, large: its facts as label and value, the key ones at key size, a click chooses it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from widgets.event_card import EventCardWidget
from widgets.values import Card, CardField, Severity

ALERT = Card(
    "E01-000022",
    "Truck shedding soil (camera)",
    "Jiangbei · 10:02:13 · New",
    Severity.ORANGE,
    (
        CardField("Plate", "渝A·5K327", emphasis=True),
        CardField("Route", "Guanyinqiao → Tieshanping"),
        CardField("Source", "Guanyinqiao metro Line 18 site"),
        CardField("Sent to city management", "10:02:53"),
    ),
    acknowledged=False,
)


@pytest.fixture
def card(qtbot: QtBot) -> EventCardWidget:
    w = EventCardWidget()
    qtbot.addWidget(w)
    w.resize(900, 420)
    w.set_text_px(63, 32)
    w.set_card(ALERT)
    return w


def test_the_card_shows_the_event_and_every_fact_with_the_plate_at_key_size(card: EventCardWidget) -> None:
    card.grab()
    painted = {t.text: t for t in card.painted()}
    for text in ("Truck shedding soil (camera)", "Jiangbei · 10:02:13 · New", "Plate", "Route", "Source",
                 "Guanyinqiao → Tieshanping", "Guanyinqiao metro Line 18 site", "10:02:53"):  # fmt: skip
        assert text in painted, text
    assert painted["渝A·5K327"].key and painted["渝A·5K327"].px == 63
    assert not painted["Route"].key and painted["Route"].px == 32
    assert all(t.fitted for t in card.painted()) and card.left_out() == 0


def test_facts_without_room_are_left_out_whole_and_counted(card: EventCardWidget) -> None:
    card.resize(900, 200)
    card.grab()
    assert card.left_out() > 0
    assert f"+{card.left_out()} more" in card.painted_text()
    assert all(t.fitted for t in card.painted())


def test_a_long_value_goes_under_its_label_and_wraps_never_cut(card: EventCardWidget) -> None:
    long = "Shuangbei WWTP, km 6.8: outfall COD 56 mg/L over its limit of 50 since three and a half days"
    card.set_card(Card("E1", "Dissolved oxygen out of range", "Shapingba", Severity.ORANGE, (CardField("Suspect 1", long),)))
    card.resize(600, 420)
    card.grab()
    value = next(t for t in card.painted() if t.text == long)
    label = next(t for t in card.painted() if t.text == "Suspect 1")
    assert value.y >= label.y + label.h - 1 and value.h > 40 and value.fitted


def test_no_card_says_why(card: EventCardWidget) -> None:
    card.set_card(None, "No open event")
    card.grab()
    assert card.painted_text() == "No open event"


def test_a_click_asks_for_the_event_only_when_there_is_one(card: EventCardWidget, qtbot: QtBot) -> None:
    with qtbot.waitSignal(card.clicked, timeout=1000):
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    card.set_card(None, "No open event")
    with qtbot.assertNotEmitted(card.clicked):
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
