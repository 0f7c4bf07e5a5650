"""The signals total of a view (the "Totaal" row of the signals column) over every page of a
region and a quarter read together: the region and each municipality, the quarter and each
of its months, each page publishing its rows' signals and its total as the pages do
(lens.picture.published: `signals_by_area`, and `signals_shown` of the view's exact sum
keyed by all its persons). The signals of an area with 1 to 9 persons are hidden ("x") on
every page; with every exact sum (the areas add up to the region, the months to the
quarter: signals are plain sums) and every number any page shows, propagated to a fixed
point (lens.insight.audit), none of them may be narrowed to fewer than PROTECTION values,
and a cell is the same number on every page (the region's Dongen row is Dongen's total)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from lens.insight import audit
from lens.insight.disclosure import (
    LESS_THAN_TEN,
    NOISE_BOUND,
    PROTECTION,
    SECONDARY,
    THRESHOLD,
    Count,
    cell_key,
    record_key,
)
from lens.picture.published import signals_by_area, signals_shown

AREAS = ("GM01", "GM02", "GM03", "")  # "" the area row "Onbekend"
MONTHS = ("2026-04", "2026-05", "2026-06")
QUARTER = "2026-Q2"
REGION = "*"


@st.composite
def regions(draw):
    """Persons per area and month (0-14, so groups of 1-9 beside numbers), each with 1-6
    signals, and a secret of the draw's own."""
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    persons = {}
    for area in AREAS:
        for month in MONTHS:
            for i in range(draw(st.integers(min_value=0, max_value=14))):
                persons[f"{area}/{month}/{i}"] = (area, month, rng.randint(1, 6))
    return persons, draw(st.binary(min_size=4, max_size=8))


def persons_shown(n: int):
    """The persons count beside a signal count as the page shows it (its threshold; the
    rounding does not matter to `signals_shown`, only whether it is a number)."""
    return 0 if n == 0 else LESS_THAN_TEN if n < THRESHOLD else n


def pages(persons, secret):
    """Every page's signals (rows and total) as (area, period) -> shown."""
    found = []
    for period in (QUARTER, *MONTHS):
        months = MONTHS if period == QUARTER else (period,)
        for whole in (REGION, *AREAS[:-1]):
            rows = AREAS if whole == REGION else (whole,)
            here = {p: f for p, f in persons.items() if f[1] in months and f[0] in rows}

            def count(members):
                return Count(
                    sum(persons[p][2] for p in members),
                    cell_key(record_key(p, secret) for p in members),
                )

            of_row = {r: [p for p, f in here.items() if f[0] == r] for r in rows}
            shown = signals_by_area(
                {r: count(m) for r, m in of_row.items()},
                {r: persons_shown(len(m)) for r, m in of_row.items()},
            )
            page = {(r, period): v for r, v in shown.items()}
            page[(whole, period)] = signals_shown(count(here), persons_shown(len(here)))
            found.append(page)
    return found


def truth(persons, name) -> tuple[int, int]:
    """The true persons and signals of a cell (area, period)."""
    area, period = name
    chosen = [s for a, m, s in persons.values() if area in (REGION, a) and period in (QUARTER, m)]
    return len(chosen), sum(chosen)


def knowledge(shown) -> tuple[int, int]:
    if shown == LESS_THAN_TEN:
        return (1, THRESHOLD - 1)
    if shown == SECONDARY:
        return (0, audit.INFINITY)
    if shown == 0:
        return (0, 0)
    return (max(THRESHOLD, shown - NOISE_BOUND), shown + NOISE_BOUND)


@settings(max_examples=100, deadline=None)
@given(regions())
def test_no_hidden_signal_count_is_narrowed_by_all_pages_and_their_totals(drawn):
    persons, secret = drawn
    numbers: dict = {}
    bounds: dict = {}
    for page in pages(persons, secret):
        for name, shown in page.items():
            lo, hi = bounds.get(name, (0, audit.INFINITY))
            new_lo, new_hi = knowledge(shown)
            bounds[name] = (max(lo, new_lo), min(hi, new_hi))
            if isinstance(shown, int) and shown:
                numbers.setdefault(name, set()).add(shown)
    # One cell, one number on every page (the area's row on the region's page and the
    # area's own total are the same persons and signals).
    assert all(len(shown) == 1 for shown in numbers.values()), numbers
    names = list(bounds)
    index = {name: i for i, name in enumerate(names)}
    constraints = []
    for area in (REGION, *AREAS):
        if (area, QUARTER) in index:
            terms = ((index[(area, QUARTER)], 1), *((index[(area, m)], -1) for m in MONTHS))
            constraints.append(audit.Constraint(terms, 0, 0))
    for period in (QUARTER, *MONTHS):
        parts = ((index[(a, period)], -1) for a in AREAS)
        constraints.append(audit.Constraint(((index[(REGION, period)], 1), *parts), 0, 0))
    found = audit.propagate([bounds[name] for name in names], constraints)
    for name, (lo, hi) in zip(names, found, strict=True):
        people, signals = truth(persons, name)
        assert lo <= signals <= hi, (name, signals, lo, hi)  # the attack is sound
        if 0 < people < THRESHOLD:
            # at least one signal per person: the adversary may know that much
            possible = hi - max(lo, people) + 1
            assert possible >= PROTECTION, (name, people, signals, lo, hi)
