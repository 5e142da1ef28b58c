"""The district's names and point layers, kept on disk (protocol §5.8, §5.9).

A wall started while its backend is down still shows the district's words and its last risk layer,
marked as old ("risk points as of 12-07 14:03, kept on disk"), instead of codes and an empty map.
The backend's snapshot replaces both as soon as it answers.

Two files in the cockpit's data folder: ``names.msgpack`` (the catalog's entries) and
``layers.npz`` (every point layer's columns, about 7.6 MB for 330,000 points). Each is written to a
temporary file and renamed over the old one, so a crash mid-write leaves the previous copy. Writes
run on a thread of their own: the merged columns are never changed in place
(cockpit/model/layers.py), so the thread reads them while the wall goes on.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from cockpit.model import Situation
from cockpit.model.layers import PointColumns, PointLayer
from cockpit.protocol.messages import CatalogEntry

log = logging.getLogger(__name__)

VERSION = 1
SAVE_EVERY_S = 15.0
"""A changed layer is written at most this often (and once more when the cockpit stops)."""
NAMES_FILE = "names.msgpack"
LAYERS_FILE = "layers.npz"


class _Names(msgspec.Struct):
    v: int
    saved_at_ms: int
    entries: list[CatalogEntry]


def _write_atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class DistrictCache:
    """Reads and writes the kept copy in ``folder``.

    Args:
        folder: The cockpit's data folder for this backend (created when first written).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[str] = []
        self._seen: tuple[int, tuple[tuple[str, int], ...]] | None = None
        self._saved_at = 0.0
        self._thread: threading.Thread | None = None
        self.saves = 0
        """Completed writes (tests, diagnostics)."""

    # ------------------------------------------------------------------------------ read

    def load(self, situation: Situation) -> bool:
        """Put the kept names and layers into ``situation``, marked with when they were received;
        False when there is nothing (or nothing readable) kept. Never raises: a damaged copy is
        logged and left for the backend's snapshot to replace."""
        loaded = False
        names = self.folder / NAMES_FILE
        if names.is_file():
            try:
                kept = msgspec.msgpack.decode(names.read_bytes(), type=_Names)
                if kept.v == VERSION:
                    situation.catalog.apply(kept.entries)
                    situation.catalog.saved_at_ms = kept.saved_at_ms
                    situation.take_changes()
                    loaded = True
            except (OSError, msgspec.DecodeError) as exc:
                log.warning("kept names %s not used: %s", names, exc)
        layers = self.folder / LAYERS_FILE
        if layers.is_file():
            try:
                with open(layers, "rb") as f, np.load(f, allow_pickle=False) as z:
                    meta = json.loads(bytes(z["meta"]).decode())
                    if meta.get("v") == VERSION:
                        for i, item in enumerate(meta["layers"]):
                            columns = PointColumns(
                                z[f"ids{i}"].astype(np.uint32),
                                z[f"lon{i}"].astype(np.float64),
                                z[f"lat{i}"].astype(np.float64),
                                z[f"level{i}"].astype(np.uint8),
                                z[f"kind{i}"].astype(np.int32),
                            )
                            layer = situation.layers.layers.setdefault(item["code"], PointLayer(item["code"]))
                            layer.restore(columns, list(item["kinds"]))
                        situation.layers.saved_at_ms = int(meta["saved_at_ms"])
                        loaded = True
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                log.warning("kept layers %s not used: %s", layers, exc)
        if loaded:
            # What was read is what is on disk: nothing to write until the backend sends more.
            self._seen = _generations(situation)
        return loaded

    # ------------------------------------------------------------------------------ write

    def maybe_save(self, situation: Situation, wall_ms: int, *, force: bool = False) -> bool:
        """Write the names and layers when they changed, were received live, and the last write
        is :data:`SAVE_EVERY_S` old (``force``: whenever changed, e.g. at stop). Returns whether a
        write was started."""
        if situation.catalog.saved_at_ms or situation.layers.saved_at_ms:
            return False  # still the kept copy: nothing new to keep
        seen = _generations(situation)
        if seen == self._seen or (self._thread is not None and self._thread.is_alive()):
            return False
        now = time.monotonic()
        if not force and now - self._saved_at < SAVE_EVERY_S:
            return False
        self._seen, self._saved_at = seen, now
        entries = list(situation.catalog)
        layers = [(code, layer.columns(), list(layer.kinds)) for code, layer in situation.layers.layers.items()]
        self._thread = threading.Thread(
            target=self._write, args=(entries, layers, wall_ms), name="district-cache", daemon=True
        )
        self._thread.start()
        return True

    def _write(self, entries: list[CatalogEntry], layers: list[tuple[str, PointColumns, list[str]]], wall_ms: int) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if entries:
                data = msgspec.msgpack.encode(_Names(VERSION, wall_ms, entries))
                _write_atomic(self.folder / NAMES_FILE, lambda f: f.write(data))
            if layers:
                arrays: dict[str, np.ndarray] = {}
                described: list[dict[str, Any]] = []
                meta = {"v": VERSION, "saved_at_ms": wall_ms, "layers": described}
                for i, (code, c, kinds) in enumerate(layers):
                    described.append({"code": code, "kinds": kinds})
                    arrays.update({f"ids{i}": c.ids, f"lon{i}": c.lon, f"lat{i}": c.lat, f"level{i}": c.level, f"kind{i}": c.kind})
                arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
                _write_atomic(self.folder / LAYERS_FILE, lambda f: np.savez(f, **arrays))  # type: ignore[arg-type]
            self.saves += 1
        except OSError as exc:  # a full disk must not stop the wall; it is logged
            log.error("cannot keep the district's names and layers in %s: %s", self.folder, exc)

    def close(self, situation: Situation | None = None) -> None:
        """Write once more if anything changed, and wait for the writer."""
        if situation is not None:
            if self._thread is not None:
                self._thread.join()
            self.maybe_save(situation, time.time_ns() // 1_000_000, force=True)
        if self._thread is not None:
            self._thread.join()


def _generations(situation: Situation) -> tuple[int, tuple[tuple[str, int], ...]]:
    return situation.catalog.generation, tuple((c, lay.generation) for c, lay in situation.layers.layers.items())
