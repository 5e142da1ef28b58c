"""The district's names and risk layer kept on disk: a wall started with its backend down starts
with them, marked with when they were received; the backend's snapshot replaces them."""

from __future__ import annotations

import time
from pathlib import Path

from cockpit.model import Situation
from cockpit.protocol.events import DataReceived, SnapshotReceived
from cockpit.protocol.messages import Catalog, CatalogEntry
from cockpit.record.district_cache import LAYERS_FILE, NAMES_FILE, DistrictCache
from tests.model.test_layers import points

NAMES = Catalog(
    stream="catalog", seq=1, prev=0, ts=1, entries=[CatalogEntry(kind="district", code="d7", names={"en": "Hill Town", "zh_CN": "山城"})]
)


def live() -> Situation:
    s = Situation()
    s.apply([SnapshotReceived("catalog", "e", 1, (NAMES,)), SnapshotReceived("layers", "e", 2, (points([5, 3, 9], kinds=["gas"], level=2),))])
    s.take_changes()
    return s


def test_names_and_layers_are_kept_and_read_back_marked_with_their_time(tmp_path: Path) -> None:
    cache = DistrictCache(tmp_path / "district")
    s = live()
    wall_ms = 1_767_258_000_000
    assert cache.maybe_save(s, wall_ms)
    cache.close()
    assert {p.name for p in (tmp_path / "district").iterdir()} == {NAMES_FILE, LAYERS_FILE}  # no temporary left

    restarted = Situation()
    assert DistrictCache(tmp_path / "district").load(restarted)
    assert restarted.catalog.name("district", "d7", "zh_CN") == "山城" and restarted.catalog.offered
    assert restarted.catalog.saved_at_ms == wall_ms and restarted.layers.saved_at_ms == wall_ms
    layer = restarted.layers.get("risk")
    assert layer is not None
    c = layer.columns()
    assert c.ids.tolist() == [3, 5, 9] and c.level.tolist() == [2, 2, 2] and [layer.kinds[k] for k in c.kind] == ["gas"] * 3
    # The backend answers: its snapshot replaces the kept copy, which is no longer "old".
    restarted.apply([SnapshotReceived("layers", "e2", 1, (points([1]),)), DataReceived((NAMES,))])
    assert restarted.layers.saved_at_ms == 0 and restarted.catalog.saved_at_ms == 0
    assert restarted.layers.layers["risk"].columns().ids.tolist() == [1]


def test_a_kept_copy_is_not_written_back_and_nothing_unchanged_is_written_twice(tmp_path: Path) -> None:
    cache = DistrictCache(tmp_path)
    s = live()
    assert cache.maybe_save(s, 1, force=True)
    cache.close()
    assert not cache.maybe_save(s, 2, force=True)  # unchanged
    s.apply([DataReceived((points([11], seq=3),))])
    assert not cache.maybe_save(s, 3)  # changed, but the last write is younger than SAVE_EVERY_S
    assert cache.maybe_save(s, 3, force=True)
    cache.close()
    restarted = Situation()
    reader = DistrictCache(tmp_path)
    assert reader.load(restarted)
    assert not reader.maybe_save(restarted, 4, force=True)  # the kept copy itself is never re-kept


def test_a_damaged_copy_is_ignored_and_the_wall_starts_without_it(tmp_path: Path) -> None:
    (tmp_path / NAMES_FILE).write_bytes(b"\x00garbage")
    (tmp_path / LAYERS_FILE).write_bytes(b"PK\x03\x04 not a zip")
    s = Situation()
    assert not DistrictCache(tmp_path).load(s)
    assert len(s.catalog) == 0 and not s.layers.layers


def test_a_folder_that_cannot_be_written_is_logged_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = DistrictCache(blocker / "district")  # a folder inside a file: cannot be made
    assert cache.maybe_save(live(), int(time.time() * 1000), force=True)
    cache.close()
    assert cache.saves == 0
