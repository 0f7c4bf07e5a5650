"""Co-occurrence tables of the local picture (lens.picture.cooccurrence) without a database:
distinct persons per indicator pair and per phenomenon x indicator, through disclosure
control with noise from the cell key of exactly the persons behind each cell."""

from __future__ import annotations

from lens.insight import disclosure
from lens.picture import cooccurrence

SECRET = b"test secret"
INDICATORS = ("finances", "crime", "health", "travel")
PHENOMENA = ("fraud", "youth_groups")


def exact(persons) -> disclosure.Shown:
    keys = (disclosure.record_key(p, SECRET) for p in persons)
    return disclosure.publish_value(disclosure.Count(len(persons), disclosure.cell_key(keys)))


def test_a_pair_counts_each_person_once_with_noise_from_their_cell_key():
    indicators = {p: {"finances", "crime"} for p in range(40)}
    indicators |= {p: {"health", "travel"} for p in range(100, 125)}
    found = cooccurrence.of(indicators, {}, INDICATORS, PHENOMENA, SECRET)
    cells = found.by_pair.cells
    assert cells[("all", ("finances", "crime"))] == exact(range(40))
    assert cells[("all", ("health", "travel"))] == exact(range(100, 125))
    assert cells[("all", ("finances", "health"))] == 0
    assert found.by_pair.total == exact([*range(40), *range(100, 125)])


def test_the_noise_differs_between_groups_of_the_same_size():
    shown = set()
    for start in range(0, 4200, 42):
        indicators = {p: {"finances", "crime"} for p in range(start, start + 42)}
        found = cooccurrence.of(indicators, {}, INDICATORS, PHENOMENA, SECRET)
        shown.add(found.by_pair.cells[("all", ("finances", "crime"))])
    assert shown == {40, 50}  # 42 randomly rounded to tens, by the cell key


def test_a_small_pair_is_never_its_number():
    indicators = {p: {"finances", "crime"} for p in range(30)}
    indicators |= {p: {"finances", "crime", "travel"} for p in range(30, 33)}
    found = cooccurrence.of(indicators, {}, INDICATORS, PHENOMENA, SECRET)
    assert found.by_pair.cells[("all", ("finances", "travel"))] == disclosure.LESS_THAN_TEN
    for value in found.by_pair.cells.values():
        assert value in (0, disclosure.LESS_THAN_TEN, disclosure.SECONDARY) or value >= 10


def test_a_person_with_one_indicator_is_in_no_pair():
    found = cooccurrence.of({p: {"finances"} for p in range(50)}, {}, INDICATORS, PHENOMENA, SECRET)
    assert set(found.by_pair.cells.values()) == {0} and found.by_pair.total == 0


def test_phenomena_with_the_indicators_of_the_same_persons():
    indicators = {p: {"finances", "crime"} for p in range(20)}
    indicators |= {p: {"health"} for p in range(20, 35)}
    phenomena = {p: {"fraud"} for p in range(20)} | {p: {"youth_groups"} for p in range(30, 35)}
    found = cooccurrence.of(indicators, phenomena, INDICATORS, PHENOMENA, SECRET)
    cells = found.by_phenomenon.cells
    assert cells[("fraud", "finances")] == exact(range(20))
    assert cells[("fraud", "health")] == 0
    assert cells[("youth_groups", "health")] in (disclosure.LESS_THAN_TEN, disclosure.SECONDARY)
    assert cells[("youth_groups", "finances")] == 0
    rows = cooccurrence.phenomenon_rows(found, str.upper, str.title)
    # youth_groups has five persons: not listed at all, like a phenomenon with none
    assert [r["label"] for r in rows] == ["FRAUD"]
    # The same 20 persons: the same published value, then by label.
    assert [c["label"] for c in rows[0]["indicators"]] == ["Crime", "Finances"]


def test_pair_rows_list_only_ten_or_more_and_order_by_published_value_only():
    indicators = {p: {"finances", "crime"} for p in range(40)}
    indicators |= {p: {"health", "travel"} for p in range(100, 112)}
    indicators |= {p: {"crime", "travel"} for p in range(200, 203)}
    found = cooccurrence.of(indicators, {}, INDICATORS, PHENOMENA, SECRET)
    rows = cooccurrence.pair_rows(found, str)
    values = [r["value"] for r in rows]
    # the three with crime and travel are as absent as the pairs nobody has
    assert len(values) == 2 and all(isinstance(v, int) and v >= 10 for v in values)
    assert values == sorted(values, reverse=True)
    assert (rows[0]["first"], rows[0]["second"]) == ("finances", "crime")
