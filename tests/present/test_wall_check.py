"""The wall's self-check, judged without Qt: sizes against the reading distance, cuts, overlaps."""

from __future__ import annotations

import json

import pytest

from cockpit.present.wall_check import ScreenTexts, dumps, judge, need_mm, problems
from cockpit.present.wall_layout import LayoutEntry, WallLayout, mm_per_px, wall_type
from widgets.values import TextItem, TextRole

LAYOUT = WallLayout(screens=[LayoutEntry("overview")])
"""The default wall: 8 m, 55" 16:9 panels."""


def item(text: str, role: TextRole, x: float, y: float, glyph: float, w: float = 100, h: float = 0, **kw: object) -> TextItem:
    return TextItem(text, role, x, y, w, h or glyph, glyph, **kw)  # type: ignore[arg-type]


def test_the_rule_of_thumb_in_millimetres_and_pixels() -> None:
    assert need_mm(LAYOUT, TextRole.KEY) == 40 and need_mm(LAYOUT, TextRole.SECONDARY) == 20
    assert need_mm(LAYOUT, TextRole.DETAIL) == 0
    assert mm_per_px(LAYOUT, 1080) == pytest.approx(0.634, abs=0.001)
    assert mm_per_px(LAYOUT, 2160) == pytest.approx(0.317, abs=0.001)


@pytest.mark.parametrize("height", [1080, 2160])
def test_wall_type_sizes_fonts_by_their_capitals_not_their_pixel_size(height: int) -> None:
    sizes = wall_type(LAYOUT, height, cap_ratio=0.74)
    assert sizes.key_glyph_px == pytest.approx(40 / mm_per_px(LAYOUT, height), rel=1e-6)
    assert sizes.secondary_glyph_px == pytest.approx(sizes.key_glyph_px / 2)
    # A font whose capitals are 0.74 of its size needs 1/0.74 of the glyph height, rounded up.
    assert sizes.key_px * 0.74 >= sizes.key_glyph_px and (sizes.key_px - 1) * 0.74 < sizes.key_glyph_px
    assert sizes.secondary_px * 0.74 >= sizes.secondary_glyph_px
    assert wall_type(LAYOUT, height, 0.74, scale=1.5).key_px == pytest.approx(sizes.key_px * 1.5, abs=1)


def test_judge_finds_small_elided_cut_overlapping_and_desk_text() -> None:
    per_px = mm_per_px(LAYOUT, 1080)
    key_px, sec_px = 40 / per_px, 20 / per_px
    screen = ScreenTexts(
        "overview",
        True,
        1920,
        1080,
        [
            item("Overview", TextRole.KEY, 10, 10, key_px),
            item("12:00:00", TextRole.KEY, 1500, 10, key_px - 2),  # a hair too small
            item("Live", TextRole.SECONDARY, 10, 200, sec_px),
            item("Wate…", TextRole.SECONDARY, 10, 300, sec_px, full="Water level"),
            item("cut", TextRole.SECONDARY, 10, 400, sec_px, clipped=True),
            item("off screen", TextRole.SECONDARY, 1900, 500, sec_px),
            item("A", TextRole.SECONDARY, 10, 600, sec_px),
            item("B", TextRole.SECONDARY, 60, 610, sec_px),  # overlaps A
            item("C", TextRole.SECONDARY, 161, 600, sec_px),  # beside B, touching nothing
            item("column header", TextRole.DETAIL, 10, 800, 10),
        ],
    )
    v = judge(LAYOUT, screen)
    assert [t.item.text for t in v.small] == ["12:00:00"]
    assert [t.item.text for t in v.elided] == ["Wate…"]
    assert [t.item.text for t in v.clipped] == ["cut", "off screen"]
    assert sorted(t.item.text for t in v.overlapping) == ["A", "B"]
    assert [t.item.text for t in v.detail] == ["column header"]
    assert not v.ok
    assert v.smallest_mm(TextRole.KEY) == pytest.approx(40 - 2 * per_px, abs=0.01)
    report = json.loads(dumps(LAYOUT, [v]))
    assert report["need_mm"] == {"key": 40.0, "secondary": 20.0} and report["ok"] is False
    (s,) = report["screens"]
    assert s["counts"] == {
        "texts": 10,
        "too_small": 1,
        "elided": 1,
        "clipped": 2,
        "overlapping": 2,
        "detail_on_wall": 1,
    }
    assert s["texts"][3]["full"] == "Water level"
    lines = problems([v])
    assert any("'12:00:00' is 39 mm high, needs 40 mm" in line for line in lines)
    assert any("overlaps 'B'" in line for line in lines)


def test_a_desk_window_is_reported_but_never_fails() -> None:
    v = judge(LAYOUT, ScreenTexts("console", False, 1920, 1080, [item("tiny", TextRole.DETAIL, 0, 0, 9)]))
    assert v.ok and not v.small and not v.detail
