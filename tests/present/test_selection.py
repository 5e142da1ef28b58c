"""One selection for the console and every screen, and one rule for "nobody chose"."""

from __future__ import annotations

from cockpit.present.selection import Selection, first_in_scope
from tests.present.support import Feed


def test_nobody_chose_means_the_most_severe_unacknowledged_then_newest() -> None:
    feed = Feed()
    feed.apply(
        feed.event("acked-1", severity=1, state="acknowledged", age_s=1),
        feed.event("new-1-old", severity=1, age_s=60),
        feed.event("new-2", severity=2),
    )
    first = first_in_scope(feed.situation.open_events())
    assert first is not None and first.id == "new-1-old"
    only_acked = first_in_scope(feed.situation.open_events(), lambda e: e.id == "acked-1")
    assert only_acked is not None and only_acked.id == "acked-1"


def test_a_choice_stays_until_another_and_scopes_fall_back_to_their_own_first() -> None:
    feed = Feed()
    feed.apply(feed.event("flood-1", severity=2, theme="flood"), feed.event("fire-1", severity=1, theme="fire"))
    sel = Selection()
    assert sel.target(feed.situation) == ("fire-1", False)
    assert sel.choose("flood-1") and not sel.choose("flood-1")
    g = sel.generation
    assert sel.target(feed.situation) == ("flood-1", True)
    assert sel.target(feed.situation, lambda e: e.theme == "fire") == ("fire-1", False)
    feed.apply(feed.event("flood-1", severity=2, theme="flood", state="closed"))
    assert sel.target(feed.situation) == ("flood-1", True), "a closed choice stays: its outcome is shown"
    assert sel.generation == g
    sel.clear()
    assert sel.target(feed.situation) == ("fire-1", False)
