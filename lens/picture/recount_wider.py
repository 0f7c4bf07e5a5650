"""The exact counts the publishing step (lens.picture.published.guarded, in_context)
needs besides the view's own, on the recount path: the view's context (its area over every
period, type and filter) and its wider views (one filter widened at a time). They never
leave the publishing step. Split from lens.picture.recount."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from itertools import combinations

from django.db.models.functions import TruncMonth

from lens.insight import disclosure
from lens.insight.areas import wijk_municipality
from lens.rules.model import Catalogue

from .filters import Filters, Period, Scope
from .published import (
    UNKNOWN,
    WITHHELD_AREA,
    WITHHELD_FILTER,
    WITHHELD_PERIOD,
    WITHHELD_TYPE,
    parent_periods,
)
from .recount_rows import as_date, registrations


def small_contexts(
    scope: Scope,
    filters: Filters,
    area_rows: list[str],
    by_wijk: bool,
    cluster_of: dict,
    as_of: datetime | None = None,
) -> tuple[set[str], bool, list, dict]:
    """The page's area rows whose context counts 1 to 9 persons, and whether the whole
    selection's does. The context of a row is the same area over every period,
    organisation type, indicator, leefgebied and phenomenon: filtered views of one small
    area must not tell, by their zeros, in which month or by which type its few persons
    were signalled. One query; its rows (cluster, record, organisation type, signals,
    phenomena) are the context's categories too (`context_counts`)."""
    context = Filters(area=filters.area, outside=filters.outside)
    persons: dict[str, set] = defaultdict(set)
    everyone: set = set()
    facts = []
    places: dict = defaultdict(set)  # person -> (area row, month): published.small_unfiltered
    for person_id, municipality, wijk, of, signals, phenomena, month in (
        registrations(scope, context, as_of)
        .annotate(month=TruncMonth("observed_on"))
        .values_list(
            "person_id",
            "municipality_code",
            "wijk_code",
            "organisation__organisation_type",
            "signals",
            "phenomena",
            "month",
        )
        .distinct()
        .order_by()
    ):
        person = cluster_of.get(person_id, person_id)
        area = wijk if by_wijk else municipality
        persons[area if area in area_rows else UNKNOWN].add(person)
        places[person].add((area if area in area_rows else UNKNOWN, as_date(month)))
        everyone.add(person)
        facts.append((person, person_id, of, signals, phenomena))
    small = {area for area, found in persons.items() if len(found) < disclosure.THRESHOLD}
    return small, 0 < len(everyone) < disclosure.THRESHOLD, facts, places


def context_counts(facts: list[tuple], levels: dict, catalogue: Catalogue) -> dict[str, int]:
    """The persons per category of the view's context (lens.picture.maintain's cell kinds:
    levels, indicators, leefgebieden, pairs, phenomenon x indicator; "t:code" per
    organisation type), from `small_contexts`' rows, for published.in_context."""
    kinds: dict[int, set] = defaultdict(set)
    level: dict[int, int] = {}
    inds: dict[int, set] = defaultdict(set)
    linked: dict[int, set] = defaultdict(set)
    for person, record, of, signals, phenomena in facts:
        level[person] = max(level.get(person, 0), levels.get(record) or 0)
        kinds[person].add(f"t:{of}")
        for code in catalogue.current_codes(signals or ()).signals:
            signal = catalogue.signals[code]
            inds[person].update(signal.indicators)
            kinds[person].update(f"d:{d}" for d in signal.life_domains)
        linked[person].update(phenomena or ())
    found: Counter = Counter()
    for person, at in level.items():
        mine = sorted(inds[person])
        found.update(kinds[person] | {f"l:{at}"} | {f"i:{i}" for i in mine})
        found.update(f"pp:{a}+{b}" for a, b in combinations(mine, 2))
        if mine and linked[person]:
            found.update({f"f*:{p}" for p in linked[person]} | {f"fi:{i}" for i in mine})
            found.update(f"f:{p}/{i}" for p in linked[person] for i in mine)
    return dict(found)


def wider_views(
    scope: Scope,
    filters: Filters,
    catalogue: Catalogue,
    cluster_of: dict,
    as_of: datetime | None = None,
    area_rows: list[str] | None = None,
    by_wijk: bool = False,
    columns: Sequence[str] = (),
) -> tuple[list[tuple[str, int]], dict[str, list[int]], dict, dict]:
    """The distinct persons of each wider view (one filter widened at a time: the parent
    areas, the parent periods, no organisation type, no indicator, leefgebied or
    phenomenon), for `guarded`: one query over the region's current registrations; the
    counts never leave the publishing step. And per area row, the persons of that row's
    own wider views but the areas (guarded's `row_parents`), and per cell and column of the
    area table the persons of its own view's wider views (guarded's `cell_parents` and
    `column_parents`, rule 6), from the same rows."""
    rows = list(
        registrations(Scope(scope.region), Filters(), as_of)
        .annotate(month=TruncMonth("observed_on"))
        .values_list(
            "person_id",
            "municipality_code",
            "wijk_code",
            "month",
            "organisation__organisation_type",
            "signals",
            "phenomena",
        )
        .distinct()
        .order_by()
    )
    view = filters.area or scope.municipality
    if filters.outside:  # the rest of the region ("-GM..."), within the region
        view, areas_up = f"-{filters.outside}", [""]
    elif not view:
        areas_up = []
    elif view.startswith("GM"):
        areas_up = [""]
    else:
        areas_up = [wijk_municipality(view), ""]

    def in_area(code: str, municipality: str, wijk: str) -> bool:
        if not code:
            return True
        if code.startswith("-"):
            return municipality != code[1:]
        return municipality == code if code.startswith("GM") else wijk == code

    @cache
    def monthly(area: str, kind: str, chosen: Filters) -> dict[str, dict[date, set]]:
        """The persons of the view's area (`area`) per area row and month."""
        found: dict[str, dict[date, set]] = defaultdict(lambda: defaultdict(set))
        for person, municipality, wijk, month, of, signals, phenomena in rows:
            if not in_area(area, municipality, wijk) or (kind and of != kind):
                continue
            if chosen.admits(signals, phenomena, catalogue):
                row = wijk if by_wijk else municipality
                row = row if row in (area_rows or ()) else UNKNOWN
                found[row][as_date(month)].add(cluster_of.get(person, person))
        return found

    def persons(area: str, period: Period, kind: str, chosen: Filters) -> dict[str, set]:
        """The persons of the view's area (`area`) per area row."""
        bounds = period.bounds
        return {
            row: set().union(
                *(s for m, s in months.items() if not bounds or bounds[0] <= m < bounds[1])
            )
            for row, months in monthly(area, kind, chosen).items()
        }

    def count(area: str, period: Period, kind: str, chosen: Filters) -> int:
        return len(set().union(*persons(area, period, kind, chosen).values()))

    period, kind = filters.period, filters.organisation_type
    wider = [(Period(p), kind, filters) for p in parent_periods(period.code)]
    wider += [(period, "", filters)] if kind else []
    wider += [
        (period, kind, replace(filters, **{name: ""}))
        for name in ("indicator", "life_domain", "phenomenon")
        if getattr(filters, name)
    ]
    by_row = [persons(view, *w) for w in wider]
    row_parents = {r: [len(found.get(r, ())) for found in by_row] for r in area_rows or ()}
    parents = [(WITHHELD_AREA, count(a, period, kind, filters)) for a in areas_up]
    parents += [
        (WITHHELD_PERIOD, count(view, Period(p), kind, filters))
        for p in parent_periods(period.code)
    ]
    if kind:
        parents.append((WITHHELD_TYPE, count(view, period, "", filters)))
    for name in ("indicator", "life_domain", "phenomenon"):
        if getattr(filters, name):
            wider = replace(filters, **{name: ""})
            parents.append((WITHHELD_FILTER, count(view, period, kind, wider)))
    # Rule 6: each cell's and column's own view (area row or the view's area, one column)
    # against its wider views: the column's parent periods, the parent areas, no type, no
    # indicator, leefgebied or phenomenon filter.
    widened = [("", filters)] if kind else []
    widened += [
        (kind, replace(filters, **{name: ""}))
        for name in ("indicator", "life_domain", "phenomenon")
        if getattr(filters, name)
    ]

    @cache
    def within(area: str, at: str, of: str, chosen: Filters, row: str | None) -> int:
        bounds = Period(at).bounds
        by_row = monthly(area, of, chosen)
        months = [by_row.get(row, {})] if row is not None else by_row.values()
        return len(
            set().union(
                *(
                    found
                    for of_row in months
                    for m, found in of_row.items()
                    if not bounds or bounds[0] <= m < bounds[1]
                )
            )
        )

    def wider_of(row: str | None, column: str) -> list[int]:
        def n(area: str, at: str, of: str, chosen: Filters, row: str | None = row) -> int:
            return within(area, at, of, chosen, row)

        found = [n(view, p, kind, filters) for p in parent_periods(column)]
        ups = areas_up if row is None else [view, *areas_up]
        found += [n(a, column, kind, filters, None) for a in ups]
        return found + [n(view, column, of, chosen) for of, chosen in widened]

    cell_parents = {(r, c): wider_of(r, c) for r in area_rows or () for c in columns}
    column_parents = {c: wider_of(None, c) for c in columns}
    return parents, row_parents, cell_parents, column_parents
