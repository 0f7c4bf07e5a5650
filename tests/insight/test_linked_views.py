"""Disclosure control across pages: the persons tables of every view of a region and a
quarter (the region by month; each municipality by month; the quarter and each of its
months), each published on its own as the pages do (lens.insight.disclosure.publish, the
view's total read from the parent page), read together: every value any page shows. Each
page's audit knows only its own page, so a value it hid as "x" may stand as a number on
another page (docs/design/insight.md, "Open: one pattern per region")."""

import random
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from lens.insight import audit
from lens.insight.disclosure import (
    LESS_THAN_TEN,
    NOISE_BOUND,
    PROTECTION,
    SECONDARY,
    THRESHOLD,
    knowledge,
    publish,
    table_from_persons,
)
from lens.picture import cooccurrence
from lens.picture.published import one_way

AREAS = ("GM01", "GM02", "GM03")
MONTHS = ("2026-04", "2026-05", "2026-06")
QUARTER = "2026-Q2"
REGION = "*"


@st.composite
def regions(draw):
    """Persons of one registration each (so every margin is an exact sum), a municipality
    and a month; groups of every size near the threshold; a secret of the draw's own."""
    counts = draw(
        st.lists(
            st.integers(min_value=0, max_value=25),
            min_size=len(AREAS) * len(MONTHS),
            max_size=len(AREAS) * len(MONTHS),
        )
    )
    places = [(a, m) for a in AREAS for m in MONTHS]
    persons = {}
    for (area, month), n in zip(places, counts, strict=True):
        for i in range(n):
            persons[f"{area}/{month}/{i}"] = {(area, month)}
    return persons, draw(st.binary(min_size=4, max_size=8))


def pages(persons, secret):
    """Every page's persons table as (cell name -> shown), the name (area, period)."""
    found = []
    for period in (QUARTER, *MONTHS):
        months = MONTHS if period == QUARTER else (period,)
        for area in (REGION, *AREAS):
            rows = AREAS if area == REGION else (area,)
            places = {
                p: {(a, m) for a, m in where if m in months and a in rows}
                for p, where in persons.items()
            }
            table = table_from_persons(places, rows, months, secret)
            shown = publish(table, total_elsewhere=True)
            page = {(r, c): v for (r, c), v in shown.cells.items()}
            page.update({(r, period): v for r, v in shown.row_totals.items()})
            page.update({(area, c): v for c, v in shown.column_totals.items()})
            page[(area, period)] = shown.total
            found.append(page)
    return found


def true(persons, name) -> int:
    """The true number of persons of the cell `name` (area, period; REGION and QUARTER
    for the margins)."""
    area, period = name
    return sum(
        1
        for where in persons.values()
        for a, m in where
        if area in (REGION, a) and period in (QUARTER, m)
    )


def union(found):
    """What all pages together say of each cell: a number where any shows one (the same on
    every page: the cell key), else "<10", else 0, else "x"."""
    merged = {}
    for page in found:
        for name, value in page.items():
            old = merged.get(name, SECONDARY)
            rank = lambda v: (isinstance(v, int) and v > 0, v == LESS_THAN_TEN, v == 0)  # noqa: E731
            if isinstance(old, int) and isinstance(value, int) and old and value:
                assert old == value, (name, old, value)
            if rank(value) > rank(old):
                merged[name] = value
            else:
                merged[name] = old
    return merged


@settings(max_examples=400, deadline=None)
@given(regions())
def test_no_page_minus_another_narrows_a_small_group(drawn):
    """The differencing attack of the issue ("two published queries subtracted from each
    other"), over every page at once: in an exact line (a quarter and its months, a region
    and its municipalities) whose margin some page shows as a number and one part another
    (or the same) page shows as a number, the parts no page shows as a number (hidden as
    "x" on every page that has them, or "<10") sum to the difference. Where that rest is a
    group of 1 to 9 persons, the two numbers must leave it at least PROTECTION values. By
    construction of the random rounding: each number is a multiple of 10 within 9 of the
    truth, so the difference is a multiple of 10 at least the group minus 18 and at most
    the group plus 18, which leaves at least 3 values at either end of 1-9; the -2..+2
    noise and its clipping at 10 failed it (a group of 1 or 2 between two numbers at the
    noise's extremes)."""
    persons, secret = drawn
    shown = union(pages(persons, secret))

    def bounds(value):
        return (max(THRESHOLD, value - NOISE_BOUND), value + NOISE_BOUND)

    lines = [((a, QUARTER), [(a, m) for m in MONTHS]) for a in (REGION, *AREAS)]
    lines += [((REGION, p), [(a, p) for a in AREAS]) for p in (QUARTER, *MONTHS)]
    numbers = {name for name, value in shown.items() if isinstance(value, int) and value}
    for margin, parts in lines:
        rest = [p for p in parts if p not in numbers and shown[p] != 0]
        given_parts = [p for p in parts if p in numbers]
        group = sum(true(persons, p) for p in rest)
        if margin not in numbers or len(given_parts) != 1 or not 0 < group < THRESHOLD:
            continue
        low = bounds(shown[margin])[0] - sum(bounds(shown[p])[1] for p in given_parts)
        high = bounds(shown[margin])[1] - sum(bounds(shown[p])[0] for p in given_parts)
        assert low <= group <= high  # the attack is sound
        possible = min(high, THRESHOLD - 1) - max(low, len(rest)) + 1
        assert possible >= PROTECTION, (margin, rest, group, low, high)


@settings(max_examples=600, deadline=None)
@given(regions())
def test_no_small_group_is_narrowed_by_all_pages_together(drawn):
    """Every page of the region and the quarter read together, every exact sum, bounds
    propagated to a fixed point (the linked-tables audit; lens.insight.audit, whose
    soundness tests/insight/test_disclosure.py checks against an adversary of its own):
    no cell of 1 to 9 persons keeps fewer than PROTECTION values. Not by construction (the
    bounds of the "<10" cells work together with the numbers); rounding to fives failed it
    (a "<10" of 9 pinned to 8 or 9, or of 1 to 1 or 2), the -2..+2 noise too, tens did not
    in any draw tried (docs/design/insight.md, "Across pages")."""
    persons, secret = drawn
    shown = union(pages(persons, secret))
    names = list(shown)
    index = {name: i for i, name in enumerate(names)}

    values = [true(persons, name) for name in names]
    constraints = []
    for a in (REGION, *AREAS):
        parts = [index[(a, m)] for m in MONTHS]
        constraints += audit.relations(index[(a, QUARTER)], parts, values)
    for p in (QUARTER, *MONTHS):
        parts = [index[(a, p)] for a in AREAS]
        constraints += audit.relations(index[(REGION, p)], parts, values)
    bounds = audit.propagate([knowledge(shown[name]) for name in names], constraints)
    for name, n, (low, high) in zip(names, values, bounds, strict=True):
        assert low <= n <= high, name
        if 0 < n < THRESHOLD:
            assert high - low + 1 >= PROTECTION, (name, shown[name], n, low, high)


# The one-way tables of the same linked views ------------------------------------------
# Each page also publishes, for its area and period, persons per advice level and per
# organisation type (their total the view's own count of persons, as on the pages) and
# per indicator (its total the persons with any indicator): lens.picture.published.one_way.
# Read together with the persons tables, over every page, with every relation that holds
# in the true counts: across areas (the region is its municipalities plus the "Onbekend"
# row, which has no page of its own), across months, and within a table (a person has one
# level; several types or indicators make the total at most their sum).
WITH_UNKNOWN = (*AREAS, "")
LEVELS = (0, 1, 2, 3, 4)
TYPES = ("school", "police", "youth_care", "gp")
INDICATORS = ("i1", "i2", "i3", "i4", "i5")
ONE_WAY = {"l": LEVELS, "t": TYPES, "i": INDICATORS}


@st.composite
def profiles(draw):
    """Persons of one registration each (area, month), a level, one or two organisation
    types and one to three indicators (from a drawn seed: drawing each through hypothesis
    took most of the time); a secret of the draw's own."""
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    persons = {}
    for area in WITH_UNKNOWN:
        for month in MONTHS:
            for i in range(draw(st.integers(min_value=0, max_value=14))):
                persons[f"{area}/{month}/{i}"] = (
                    area,
                    month,
                    {
                        "l": {rng.choice(LEVELS)},
                        "t": set(rng.sample(TYPES, rng.randint(1, 2))),
                        "i": set(rng.sample(INDICATORS, rng.randint(1, 3))),
                    },
                )
    return persons, draw(st.binary(min_size=4, max_size=8))


def linked_pages(persons, secret):
    """Every page's persons table and one-way tables as (area, period, kind, category) ->
    shown: kind "n" persons (category "", or the month of a persons table's cell), "l",
    "t", "i" a one-way table's cell, "i*" the indicator table's total."""
    found = []
    for period in (QUARTER, *MONTHS):
        months = MONTHS if period == QUARTER else (period,)
        for whole in (REGION, *AREAS):
            rows = WITH_UNKNOWN if whole == REGION else (whole,)
            here = {p: f for p, f in persons.items() if f[1] in months and f[0] in rows}
            places = {p: {(a, m)} for p, (a, m, _f) in here.items()}
            table = publish(table_from_persons(places, rows, months, secret), True)
            page = {(r, c, "n", ""): v for (r, c), v in table.cells.items()}
            page.update({(r, period, "n", ""): v for r, v in table.row_totals.items()})
            page.update({(whole, c, "n", ""): v for c, v in table.column_totals.items()})
            page[(whole, period, "n", "")] = table.total
            for kind, codes in ONE_WAY.items():
                shown = one_way(
                    {p: {("all", c) for c in f[kind]} for p, (_a, _m, f) in here.items()},
                    list(codes),
                    secret,
                    set(),
                    total_elsewhere=kind != "i",
                )
                page.update({(whole, period, kind, c): shown.cells[("all", c)] for c in codes})
                total = (whole, period, "n" if kind != "i" else "i*", "")
                if kind == "i" or page[total] == shown.total:
                    page[total] = shown.total
            found.append(page)
    return found


def may_be_zero(value) -> tuple[int, int]:
    """What a value says; a "<10" may be a 0 here (a 0 beside a small group is shown so)."""
    return (0, THRESHOLD - 1) if value == LESS_THAN_TEN else knowledge(value)


def linked_truth(persons, name) -> int:
    area, period, kind, category = name
    return sum(
        1
        for a, m, f in persons.values()
        if area in (REGION, a)
        and period in (QUARTER, m)
        and (kind in ("n", "i*") or category in f[kind])
    )


@settings(max_examples=10, deadline=None)
@given(profiles())
def test_no_small_group_is_narrowed_by_the_one_way_tables_of_all_pages(drawn):
    """The across-pages union audit of the area x period persons tables (above), now with
    every page's one-way tables: no cell of 1 to 9 persons keeps fewer than PROTECTION
    values, and a cell is the same number on every page (a municipality's level 4 on the
    region's quarter page and its own: the same persons, the same cell key)."""
    persons, secret = drawn
    shown = union(linked_pages(persons, secret))
    names = list(shown)
    index = {name: i for i, name in enumerate(names)}

    def var(name):
        if name not in index:  # the "Onbekend" row's one-way cells: no page shows them
            index[name] = len(names)
            names.append(name)
        return index[name]

    for kind, codes in (("n", ("",)), ("i*", ("",)), *ONE_WAY.items()):
        for c in codes:
            for p in (QUARTER, *MONTHS):
                var((REGION, p, kind, c))
                for a in WITH_UNKNOWN:
                    var((a, p, kind, c))
            for a in (REGION, *WITH_UNKNOWN):
                var((a, QUARTER, kind, c))
    values = [linked_truth(persons, name) for name in names]
    constraints = []
    for kind, codes in (("n", ("",)), ("i*", ("",)), *ONE_WAY.items()):
        for c in codes:
            for p in (QUARTER, *MONTHS):
                parts = [index[(a, p, kind, c)] for a in WITH_UNKNOWN]
                constraints += audit.relations(index[(REGION, p, kind, c)], parts, values)
            for a in (REGION, *WITH_UNKNOWN):
                parts = [index[(a, m, kind, c)] for m in MONTHS]
                constraints += audit.relations(index[(a, QUARTER, kind, c)], parts, values)
    for a in (REGION, *WITH_UNKNOWN):
        for p in (QUARTER, *MONTHS):
            for kind, codes in ONE_WAY.items():
                total = index[(a, p, "n" if kind != "i" else "i*", "")]
                parts = [index[(a, p, kind, c)] for c in codes]
                constraints += audit.relations(total, parts, values)
    known = [may_be_zero(shown[n]) if n in shown else (0, audit.INFINITY) for n in names]
    bounds = audit.propagate_queue(known, constraints)
    for name, n, (low, high) in zip(names, values, bounds, strict=True):
        assert low <= n <= high, name
        if 0 < n < THRESHOLD:
            assert high - low + 1 >= PROTECTION, (name, shown.get(name), n, low, high)


# The co-occurrence tables of the same linked views -------------------------------------
# Answered for all organisation types over every period or one year
# (lens.picture.cooccurrence.answered): per page the indicator pairs with their margin
# ("persons with at least two indicators") and phenomenon x indicator with its margins.
# Read together over the region, its municipalities (the "Onbekend" row has no page) and
# the periods (everything = the two years, one registration per person), with every
# relation that holds in the true counts.
YEARS = ("2025", "2026")
EVERY = ""
CO_INDICATORS = ("i1", "i2", "i3", "i4")
PHENOMENA = ("f1", "f2", "f3")


@st.composite
def co_profiles(draw):
    """Persons of one registration each (area, year), one to three indicators and zero to
    two linked phenomena (from a drawn seed); a secret of the draw's own."""
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    persons = {}
    for area in WITH_UNKNOWN:
        for year in YEARS:
            for i in range(draw(st.integers(min_value=0, max_value=14))):
                persons[f"{area}/{year}/{i}"] = (
                    area,
                    year,
                    set(rng.sample(CO_INDICATORS, rng.randint(1, 3))),
                    set(rng.sample(PHENOMENA, rng.randint(0, 2))),
                )
    return persons, draw(st.binary(min_size=4, max_size=8))


def co_names(area, period):
    """The cells of one view's co-occurrence tables: (area, period, kind, category)."""
    pairs = [(area, period, "pp", pair) for pair in combinations(CO_INDICATORS, 2)]
    cells = [(area, period, "f", (p, i)) for p in PHENOMENA for i in CO_INDICATORS]
    rows = [(area, period, "f*", p) for p in PHENOMENA]
    columns = [(area, period, "fi", i) for i in CO_INDICATORS]
    totals = [(area, period, "pp*", ""), (area, period, "f**", "")]
    return pairs + cells + rows + columns + totals


def co_pages(persons, secret):
    """Every page's co-occurrence tables as (area, period, kind, category) -> shown."""
    found = []
    for period in (EVERY, *YEARS):
        for whole in (REGION, *AREAS):
            rows = WITH_UNKNOWN if whole == REGION else (whole,)
            here = {p: f for p, f in persons.items() if period in (EVERY, f[1]) and f[0] in rows}
            together = cooccurrence.of(
                {p: f[2] for p, f in here.items()},
                {p: f[3] for p, f in here.items()},
                CO_INDICATORS,
                PHENOMENA,
                secret,
            )
            page = {
                (whole, period, "pp", pair): together.by_pair.cells[(cooccurrence.ALL, pair)]
                for pair in together.pairs
            }
            page[(whole, period, "pp*", "")] = together.by_pair.total
            table = together.by_phenomenon
            page.update({(whole, period, "f", at): v for at, v in table.cells.items()})
            page.update({(whole, period, "f*", p): v for p, v in table.row_totals.items()})
            page.update({(whole, period, "fi", i): v for i, v in table.column_totals.items()})
            page[(whole, period, "f**", "")] = table.total
            found.append(page)
    return found


def co_truth(persons, name) -> int:
    area, period, kind, category = name
    found = 0
    for a, y, indicators, linked in persons.values():
        if area not in (REGION, a) or period not in (EVERY, y):
            continue
        if kind == "pp":
            found += set(category) <= indicators
        elif kind == "pp*":
            found += len(indicators) >= 2
        elif kind == "f":
            found += category[0] in linked and category[1] in indicators
        elif kind == "f*":
            found += category in linked
        elif kind == "fi":
            found += bool(linked) and category in indicators
        else:
            found += bool(linked)
    return found


@settings(max_examples=10, deadline=None)
@given(co_profiles())
def test_no_small_group_is_narrowed_by_the_cooccurrence_tables_of_all_pages(drawn):
    """The union audit of the co-occurrence tables: no cell of 1 to 9 persons keeps fewer
    than PROTECTION values, read over every page (region, municipalities; everything and
    each year), and each cell is the same number on every page."""
    persons, secret = drawn
    shown = union(co_pages(persons, secret))
    names = [n for p in (EVERY, *YEARS) for a in (REGION, *WITH_UNKNOWN) for n in co_names(a, p)]
    index = {name: i for i, name in enumerate(names)}
    values = [co_truth(persons, name) for name in names]
    constraints = []
    for template in co_names(REGION, EVERY):
        _a, _p, kind, category = template
        for p in (EVERY, *YEARS):  # the region is its areas, "Onbekend" included
            parts = [index[(a, p, kind, category)] for a in WITH_UNKNOWN]
            constraints += audit.relations(index[(REGION, p, kind, category)], parts, values)
        for a in (REGION, *WITH_UNKNOWN):  # everything is its years
            parts = [index[(a, y, kind, category)] for y in YEARS]
            constraints += audit.relations(index[(a, EVERY, kind, category)], parts, values)
    for a in (REGION, *WITH_UNKNOWN):
        for p in (EVERY, *YEARS):
            pairs = [index[(a, p, "pp", pair)] for pair in combinations(CO_INDICATORS, 2)]
            constraints += audit.relations(index[(a, p, "pp*", "")], pairs, values)
            for ph in PHENOMENA:
                row = [index[(a, p, "f", (ph, i))] for i in CO_INDICATORS]
                constraints += audit.relations(index[(a, p, "f*", ph)], row, values)
            for i in CO_INDICATORS:
                column = [index[(a, p, "f", (ph, i))] for ph in PHENOMENA]
                constraints += audit.relations(index[(a, p, "fi", i)], column, values)
            total = index[(a, p, "f**", "")]
            constraints += audit.relations(
                total, [index[(a, p, "f*", ph)] for ph in PHENOMENA], values
            )
            constraints += audit.relations(
                total, [index[(a, p, "fi", i)] for i in CO_INDICATORS], values
            )
    known = [may_be_zero(shown[n]) if n in shown else (0, audit.INFINITY) for n in names]
    bounds = audit.propagate_queue(known, constraints)
    for name, n, (low, high) in zip(names, values, bounds, strict=True):
        assert low <= n <= high, name
        if 0 < n < THRESHOLD:
            assert high - low + 1 >= PROTECTION, (name, shown.get(name), n, low, high)
