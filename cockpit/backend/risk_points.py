"""The demo city's risk points: 330,000 invented points of 1,126 kinds, sent on the ``layers``
stream (protocol §5.9) like any district's (shared/domain.md: "330,000 risk points drawn on one
map; 1,126 kinds of risk"). Invented for the demo: not real risk data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from cockpit.protocol.messages import CatalogEntry, CatalogKind, LayerPoints, Stream

RISK_POINTS: Final = 330_000
"""Points of the demo's risk layer (the demo backend's; tests make smaller cities)."""
LAYER: Final = "risk_points"
"""The layer's code (the name runway files use: ``layers: [risk_points]``)."""
CHUNK: Final = 25_000
"""Points per message: 23 bytes a point, about 575 kB, well under the 1 MiB frame (§2.2)."""

# (lon, lat, spread in degrees, weight, district) of the point clusters: the demo districts'
# built-up areas.
CLUSTERS: Final[Sequence[tuple[float, float, float, float, str]]] = (
    (106.565, 29.557, 0.012, 0.16, "yuzhong"),
    (106.52, 29.553, 0.012, 0.10, "yuzhong"),
    (106.58, 29.60, 0.020, 0.16, "jiangbei"),
    (106.64, 29.605, 0.020, 0.10, "jiangbei"),
    (106.58, 29.52, 0.020, 0.14, "nanan"),
    (106.64, 29.53, 0.022, 0.08, "nanan"),
    (106.46, 29.555, 0.016, 0.14, "shapingba"),
    (106.43, 29.60, 0.020, 0.06, "shapingba"),
)
BOUNDS: Final = (106.38, 29.47, 106.70, 29.63)

CATEGORIES: Final[Sequence[tuple[str, str, str, int]]] = (
    ("gas_station", "Gas station", "加油加气站", 48),
    ("chemical_store", "Hazardous chemicals store", "危化品仓库", 64),
    ("gas_pipe", "Gas pipeline section", "燃气管段", 80),
    ("slope", "Landslide-prone slope", "地质灾害隐患点", 72),
    ("old_building", "Old building", "老旧房屋", 60),
    ("high_rise", "High-rise building", "高层建筑", 40),
    ("crowd_venue", "Crowded venue", "人员密集场所", 56),
    ("school", "School", "学校", 30),
    ("hospital", "Hospital", "医院", 24),
    ("construction", "Construction site", "建筑工地", 70),
    ("bridge", "Bridge", "桥梁", 44),
    ("tunnel", "Tunnel", "隧道", 36),
    ("underpass", "Underpass", "下穿通道", 20),
    ("river_bank", "River bank", "河岸", 40),
    ("reservoir", "Reservoir", "水库", 26),
    ("power_substation", "Substation", "变电站", 38),
    ("elevator", "Lift", "电梯", 90),
    ("warehouse", "Warehouse", "仓储场所", 60),
    ("market", "Market", "农贸市场", 42),
    ("forest_edge", "Forest edge", "林区边缘", 50),
    ("waste_site", "Waste disposal site", "渣土消纳场", 46),
    ("fireworks", "Fireworks outlet", "烟花爆竹销售点", 90),
)
"""22 categories of risk, split into classes: 1,126 kinds in all."""


def risk_kinds() -> list[tuple[str, str, str]]:
    """(code, English, Chinese) of every kind of risk."""
    return [
        (f"{code}_{i:02d}", f"{en} · class {i}", f"{zh}·{i}类")
        for code, en, zh, count in CATEGORIES
        for i in range(1, count + 1)
    ]


def risk_catalog() -> list[CatalogEntry]:
    """The kinds of risk, named for the catalog stream (§5.8)."""
    return [
        CatalogEntry(kind=CatalogKind.RISK_KIND.value, code=code, names={"en": en, "zh_CN": zh})
        for code, en, zh in risk_kinds()
    ]


@dataclass(slots=True)
class RiskPoints:
    """The demo's risk layer: columns of every point, and the district each lies in."""

    ids: npt.NDArray[np.uint32]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    level: npt.NDArray[np.uint8]
    kind: npt.NDArray[np.uint16]
    district: npt.NDArray[np.int64]
    """Index into :attr:`districts`."""
    districts: tuple[str, ...]
    kinds: list[str]

    @classmethod
    def generate(cls, n: int, seed: int) -> RiskPoints:
        """``n`` deterministic invented points: 85 % in clusters around the districts' built-up
        areas, the rest spread over the city; levels 0..3 with probabilities 70/20/8/2 %."""
        rng = np.random.default_rng([seed, 330])
        lon0, lat0, lon1, lat1 = BOUNDS
        weights = np.array([c[3] for c in CLUSTERS])
        n_cluster = int(n * 0.85)
        which = rng.choice(len(CLUSTERS), size=n_cluster, p=weights / weights.sum())
        centres = np.array([(c[0], c[1]) for c in CLUSTERS])
        spread = np.array([c[2] for c in CLUSTERS])
        lon = np.empty(n)
        lat = np.empty(n)
        lon[:n_cluster] = centres[which, 0] + rng.normal(0.0, 1.0, n_cluster) * spread[which] * 1.15
        lat[:n_cluster] = centres[which, 1] + rng.normal(0.0, 1.0, n_cluster) * spread[which]
        lon[n_cluster:] = rng.uniform(lon0, lon1, n - n_cluster)
        lat[n_cluster:] = rng.uniform(lat0, lat1, n - n_cluster)
        out = (lon < lon0) | (lon > lon1) | (lat < lat0) | (lat > lat1)
        lon[out] = rng.uniform(lon0, lon1, int(out.sum()))
        lat[out] = rng.uniform(lat0, lat1, int(out.sum()))
        districts = tuple(dict.fromkeys(c[4] for c in CLUSTERS))
        # Each point's district: the one of its nearest cluster centre.
        near = np.argmin(np.hypot(lon[:, None] - centres[None, :, 0], lat[:, None] - centres[None, :, 1]), axis=1)
        of_cluster = np.array([districts.index(c[4]) for c in CLUSTERS])
        kinds = [code for code, _en, _zh in risk_kinds()]
        return cls(
            ids=np.arange(1, n + 1, dtype=np.uint32),
            lon=np.round(lon, 6),
            lat=np.round(lat, 6),
            level=rng.choice(4, size=n, p=[0.70, 0.20, 0.08, 0.02]).astype(np.uint8),
            kind=rng.integers(0, len(kinds), size=n).astype(np.uint16),
            district=of_cluster[near],
            districts=districts,
            kinds=kinds,
        )

    def messages(self, rows: npt.NDArray[np.int64], ts: int, seq: int = 0) -> list[LayerPoints]:
        """``rows`` as ``layer_points`` messages, one district each, :data:`CHUNK` points at most."""
        out = []
        for d, name in enumerate(self.districts):
            mine = rows[self.district[rows] == d]
            for lo in range(0, len(mine), CHUNK):
                part = mine[lo : lo + CHUNK]
                used, local = np.unique(self.kind[part], return_inverse=True)  # only the kinds it has
                out.append(
                    LayerPoints(
                        stream=Stream.LAYERS,
                        seq=seq,
                        prev=0,
                        ts=ts,
                        layer=LAYER,
                        ids=self.ids[part].astype("<u4").tobytes(),
                        lon=self.lon[part].astype("<f8").tobytes(),
                        lat=self.lat[part].astype("<f8").tobytes(),
                        level=self.level[part].tobytes(),
                        kind=local.astype("<u2").tobytes(),
                        kinds=[self.kinds[int(k)] for k in used],
                        district=name,
                    )
                )
        return out

    def relevel(self, rng: np.random.Generator, count: int) -> npt.NDArray[np.int64]:
        """Inspections change the level of ``count`` points; returns their rows."""
        if not len(self.ids):
            return np.empty(0, np.int64)
        rows = np.unique(rng.integers(0, len(self.ids), size=count)).astype(np.int64)
        self.level[rows] = rng.choice(4, size=len(rows), p=[0.55, 0.25, 0.15, 0.05]).astype(np.uint8)
        return rows


def synthetic_points(
    n: int, seed: int = 0
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    """``(lon, lat, level)`` of ``n`` invented risk points (benchmarks and widget tests)."""
    points = RiskPoints.generate(n, seed)
    return points.lon, points.lat, points.level
