"""The load tool's parts, without a network: the synthetic city and its scopes, the plan, the
failover lists, the walls' addresses, and the lost/duplicated check against what was published."""

from __future__ import annotations

from collections import Counter

import msgspec
import numpy as np

from cockpit.backend.loadgen.city import SyntheticCity
from cockpit.backend.loadgen.published import Published, StreamRecord, check, last_selected, plan_check
from cockpit.backend.loadgen.publisher import msg_id, plan_number
from cockpit.backend.loadgen.scenario import url_order
from cockpit.backend.loadgen.walls import local_address
from cockpit.protocol.codec import stamp
from cockpit.protocol.filters import matches
from cockpit.protocol.messages import DATA_TYPES, DataMessage, Event, Level, SensorBatch

DECODE = msgspec.msgpack.Decoder(DataMessage)  # type: ignore[arg-type]


def test_the_city_has_its_three_levels_of_centres_each_scoped_to_its_area() -> None:
    city = SyntheticCity()
    levels = Counter(c.level for c in city.centres)
    assert levels == {Level.CITY: 1, Level.DISTRICT: 41, Level.STREET: 1031}
    assert len(city.areas) == 41 + 1031 == len(set(city.areas))
    city_centre, district, street = city.centres[0], city.centres[1], city.centres[-1]
    assert all(not f.districts and not f.levels for f in city_centre.subscriptions().values())
    assert district.areas[0] == district.code and len(district.areas) in (26, 27)
    assert all(a.startswith(district.code + "-") for a in district.areas[1:])
    subs = street.subscriptions()
    assert subs["sensors"].districts == [street.code] and subs["events"].levels == ["street"]
    assert subs["dispatch"].districts == [street.code] and not subs["dispatch"].levels
    # Every street belongs to exactly one district centre.
    owners = Counter(a for c in city.centres if c.level is Level.DISTRICT for a in c.areas[1:])
    assert set(owners) == {c.code for c in city.centres if c.level is Level.STREET}
    assert set(owners.values()) == {1}


def test_the_plan_is_fixed_by_n_and_each_message_is_a_valid_protocol_message() -> None:
    city = SyntheticCity(districts=3, streets=10)
    kinds = Counter()
    for n in range(2000):
        p = city.message(n, ts=1_700_000_000_000 + n)
        assert p == city.message(n, ts=1_700_000_000_000 + n)
        assert p.area == city.areas[n % len(city.areas)]
        msg = DECODE.decode(stamp(p.body, seq=n + 1, prev=n))
        assert isinstance(msg, DATA_TYPES) and msg.seq == n + 1 and msg.prev == n
        assert msg.ts == 1_700_000_000_000 + n, "the publish stamp the latency is measured from"
        kinds[type(msg).__name__] += 1
        if isinstance(msg, Event):
            assert p.levels == (msg.level,) and msg.district == p.area
        else:
            assert isinstance(msg, SensorBatch) and len(msg.ids) == 4 * city.sensors_per_area
    assert 20 <= kinds["Event"] <= 80, kinds  # about one in 50
    assert len(city.catalogs()) == len(city.areas)
    assert plan_number(msg_id(12)) == 12 and plan_number(msg_id(-1)) is None


def test_failover_lists_spread_one_gateways_walls_over_all_the_others() -> None:
    urls = ["g0", "g1", "g2", "g3"]
    orders = [url_order(i, urls) for i in range(1073)]
    assert all(sorted(o) == urls for o in orders)
    assert set(Counter(o[0] for o in orders).values()) <= {268, 269}
    second = Counter(o[1] for o in orders if o[0] == "g0")
    assert set(second) == {"g1", "g2", "g3"} and max(second.values()) - min(second.values()) <= 1


def test_every_wall_has_its_own_loopback_address() -> None:
    addresses = [local_address(i) for i in range(5000)]
    assert len(set(addresses)) == 5000
    assert all(a.startswith("127.") for a in addresses)


def _published(city: SyntheticCity, n: int) -> Published:
    """``n`` sensor messages over the city's areas in turn, seqs 1..n, plan numbers 0..n-1."""
    seq = np.arange(1, n + 1, dtype=np.int64)
    area = (seq - 1) % len(city.areas)
    record = StreamRecord(seq, area.astype(np.int32), np.zeros(n, dtype=bool), seq - 1)
    return Published({"sensors": record})


def test_the_check_finds_lost_and_duplicated_messages_since_the_first_snapshot() -> None:
    city = SyntheticCity(districts=2, streets=4)
    published = _published(city, 60)
    street = next(c for c in city.centres if c.level is Level.STREET)
    want = [
        int(s)
        for s in published.streams["sensors"].seq
        if matches(street.subscriptions()["sensors"], city.areas[(s - 1) % 6], "")
    ]
    assert last_selected(city, published)[street.index]["sensors"] == want[-1]
    first = want[1] - 1  # snapshot just before its second message
    exact = check(street, city, published, {"sensors": first}, {"sensors": np.array(want[1:])})
    assert (exact.expected, exact.lost, exact.duplicated) == (len(want) - 1, 0, 0)
    holes = check(
        street, city, published, {"sensors": first}, {"sensors": np.array([*want[1:4], want[3], *want[5:]])}
    )
    assert holes.lost == 1 and holes.duplicated == 1 and holes.lost_examples == (("sensors", want[4]),)
    # A later snapshot (marked negative) that jumped over messages: they were never delivered.
    jumped = check(
        street, city, published, {"sensors": first}, {"sensors": np.array([want[1], -want[3], want[4]])}
    )
    assert jumped.lost == len(want) - 1 - 2
    city_centre = city.centres[0]
    everything = check(city_centre, city, published, {"sensors": 0}, {"sensors": np.arange(1, 61)})
    assert (everything.expected, everything.lost) == (60, 0)


def test_the_plan_check_finds_a_skipped_or_repeated_message_number() -> None:
    city = SyntheticCity(districts=2, streets=4)
    published = _published(city, 10)
    assert plan_check(published) == (10, 0, 0)
    published.streams["sensors"].plan[3] = 4  # 3 missing, 4 twice
    assert plan_check(published) == (10, 1, 1)
