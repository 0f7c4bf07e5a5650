"""Disclosure control across pages: the union of the persons tables of every view of a
region and a quarter (the region by month; each municipality by month; the quarter and each
of its months), each published on its own as the pages do (lens.insight.disclosure.publish,
the view's total read from the parent page), attacked together: every value any page shows,
every exact sum (areas to the region, months to the quarter). Each page's audit knows only
its own page, so a value it hid as "x" may stand as a number on another page; the method
must leave every 1-9 group at least PROTECTION possible values all the same. Before the
random rounding (docs/design/insight.md, "Disclosure control", step 2) the -2..+2 noise and
its clipping at 10 let two numbers on two pages pin a group of 1 or 2."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lens.insight.disclosure import (
    LESS_THAN_TEN,
    PROTECTION,
    SECONDARY,
    THRESHOLD,
    publish,
    table_from_persons,
)

from .test_disclosure import adversary

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
            st.integers(min_value=0, max_value=25), min_size=len(AREAS) * len(MONTHS),
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
def test_no_small_group_is_narrowed_by_all_pages_together(drawn):
    persons, secret = drawn
    shown = union(pages(persons, secret))

    def true(name):
        area, period = name
        return sum(
            1
            for where in persons.values()
            for a, m in where
            if area in (REGION, a) and period in (QUARTER, m)
        )

    truth = {name: true(name) for name in shown}
    groups = [((a, QUARTER), [(a, m) for m in MONTHS]) for a in (REGION, *AREAS)]
    groups += [((REGION, p), [(a, p) for a in AREAS]) for p in (QUARTER, *MONTHS)]
    low, high = adversary(truth, shown, groups)
    for name, value in shown.items():
        assert low[name] <= truth[name] <= high[name], name
        if 0 < truth[name] < THRESHOLD:
            assert high[name] - low[name] + 1 >= PROTECTION, (name, value, low[name], high[name])
