"""The local picture's "Aandeel (ongeveer)" per level (lens.picture.published.level_shares):
the published numbers are rounded on their own, so the rounded total can be smaller than
the sum of the rounded levels; the shares shown never add up to more than 100% and a
hidden number gives no share (outside probe: 20 and 20 of a total of 30 showed 65% and
65%). Synthetic figures; no database."""

from __future__ import annotations

import itertools

from lens.insight.disclosure import Published
from lens.picture.published import level_shares
from lens.picture.tables import about_share


def by_level(cells: dict[int, object], total: object) -> Published:
    return Published(
        cells={("all", level): value for level, value in cells.items()},
        row_totals={"all": total},
        column_totals={level: value for level, value in cells.items()},
        total=total,
    )


def test_the_probe_case_adds_up_to_at_most_100():
    shares = level_shares(by_level({1: 0, 2: 20, 3: 20}, 30))
    assert shares == {1: None, 2: 50, 3: 50}
    assert [about_share(shares[level]) for level in (1, 2, 3)] == ["\u2013", "50%", "50%"]


def test_shares_never_add_up_to_more_than_100():
    over = []
    values = (0, 10, 20, 30, 40, "<10", "x")
    for a, b, c in itertools.product(values, repeat=3):
        for total in (10, 20, 30, 40, 60, 90, 120):
            shares = level_shares(by_level({1: a, 2: b, 3: c}, total))
            shown = [share for share in shares.values() if share is not None]
            if sum(shown) > 100 or any(share % 5 for share in shown):
                over.append((a, b, c, total, shares))
    assert not over, over[:5]


def test_a_hidden_number_or_total_gives_no_share():
    assert level_shares(by_level({1: "<10", 2: 20, 3: "x"}, 40)) == {1: None, 2: 50, 3: None}
    assert level_shares(by_level({1: 20, 2: 20}, "x")) == {1: None, 2: None}


def test_shares_of_a_consistent_table_are_to_the_nearest_five():
    assert level_shares(by_level({1: 10, 2: 30, 3: 60}, 100)) == {1: 10, 2: 30, 3: 60}
    assert level_shares(by_level({1: 10, 2: 10, 3: 10}, 30)) == {1: 35, 2: 35, 3: 30}
