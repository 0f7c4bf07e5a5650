"""The local picture counted over the current registrations (`recounted`): the fallback
for the filters the maintained cells do not answer (indicator, leefgebied, phenomenon, the
rest of the region), the closed periods' pictures as they stood (lens.picture.kept) and the
oracle the cells are tested against. One GROUP BY that collapses duplicates, the stored
clusters, the latest levels; the distinct counting per cell in Python, each cell, margin and
total on its own. Never a person: only published values (lens.insight.disclosure) leave.
Split from lens.picture.selectors, which answers a view and logs it; the rows it reads
are in recount_rows, the exact counts of the wider views and the context in recount_wider.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth

from lens.data.registry import Person, PersonOutcome
from lens.insight import disclosure
from lens.insight.areas import area_region, areas
from lens.rules.model import Catalogue

from . import cooccurrence
from .filters import Filters, Scope, shown_years
from .keys import secret
from .published import (
    LEVELS,
    SMALL,
    UNKNOWN,
    Picture,
    guarded,
    level_shares,
    one_way,
    signals_by_area,
    signals_shown,
    small_unfiltered_places,
)
from .recount_rows import as_date, clusters, registrations
from .recount_wider import context_counts, small_contexts, wider_views

__all__ = ["clusters", "recounted", "registrations"]


def recounted(
    scope: Scope, filters: Filters, catalogue: Catalogue, as_of: datetime | None = None
) -> Picture:
    """The picture counted over the current registrations of the scope and filters, each
    cell, margin and total on its own: the fallback for the filters the cells do not
    answer, and the oracle the cells are tested against. Its cost grows with the
    registrations in the view. With `as_of`: the registrations and levels as they stood
    then (a closed period, lens.picture.kept)."""
    grouped = (
        registrations(scope, filters, as_of)
        .annotate(month=TruncMonth("observed_on"))
        .values(
            "person_id",
            "organisation__organisation_type",
            "municipality_code",
            "wijk_code",
            "month",
            "signals",
            "phenomena",
        )
        .annotate(times=Count("id"))
        .order_by()
    )
    rows = [r for r in grouped if filters.admits(r["signals"], r["phenomena"], catalogue)]
    cluster_of = clusters(scope.region)
    # A municipality or one wijk chosen: the rows are wijken (a wijk's registrations carry it)
    by_wijk = bool(scope.municipality or filters.area)
    table = areas()
    if filters.area and not filters.area.startswith("GM"):
        area_rows = [filters.area]
    elif by_wijk:
        municipality = scope.municipality or filters.area
        area_rows = [d.code for d in table.districts_of(municipality)] + [UNKNOWN]
    else:
        area_rows = [m.code for m in table.municipalities_in(area_region(scope.region))]
        area_rows.append(UNKNOWN)
    small_rows, small_selection, in_context_rows, unfiltered = small_contexts(
        scope, filters, area_rows, by_wijk, cluster_of, as_of
    )
    outcomes = PersonOutcome.objects.all()
    if as_of is not None:
        outcomes = outcomes.filter(computed_at__lt=as_of)
    records = {r["person_id"] for r in rows} | {r for _c, r, *_ in in_context_rows}
    levels = dict(
        Person.objects.filter(pk__in=records or [0])
        .annotate(level=outcomes.latest_value("level"))
        .values_list("pk", "level")
    )
    # The scope's own years (its whole area, every type): the same columns for every view.
    first = registrations(scope, Filters(), as_of).dates("observed_on", "year").first()
    columns = filters.period.columns(shown_years(date.today(), first.year if first else None))

    places: dict[int, set] = defaultdict(set)
    indicators: dict[int, set] = defaultdict(set)
    domains: dict[int, set] = defaultdict(set)
    types: dict[int, set] = defaultdict(set)
    linked: dict[int, set] = defaultdict(set)
    municipalities: set[str] = set()
    placed: set[int] = set()
    cluster_level: dict[int, int] = {}
    signals_per_area: dict[str, int] = defaultdict(int)
    persons_per_area: dict[str, set] = defaultdict(set)
    for row in rows:
        person = cluster_of.get(row["person_id"], row["person_id"])
        area = row["wijk_code"] if by_wijk else row["municipality_code"]
        area = area if area in area_rows else UNKNOWN
        places[person].add((area, filters.period.column(as_date(row["month"]))))
        codes = catalogue.current_codes(row["signals"])  # retired codes as their replacement
        signals_per_area[area] += (len(codes.signals) + len(codes.dropped)) * row["times"]
        persons_per_area[area].add(person)
        for code in codes.signals:
            signal = catalogue.signals[code]
            indicators[person].update(("all", i) for i in signal.indicators)
            domains[person].update(("all", d) for d in signal.life_domains)
        types[person].add(("all", row["organisation__organisation_type"]))
        linked[person].update(row["phenomena"] or ())
        if row["municipality_code"]:
            municipalities.add(row["municipality_code"])
            placed.add(person)
        level = levels.get(row["person_id"]) or 0
        cluster_level[person] = max(cluster_level.get(person, 0), level)

    key = secret()
    selection = {"all"} if small_selection else set()
    by_area = disclosure.zeros_in_context(
        disclosure.publish(
            disclosure.table_from_persons(places, area_rows, columns, key), total_elsewhere=True
        ),
        small_rows,
        small_unfiltered_places(unfiltered, filters, columns),
    )
    by_level = disclosure.zeros_in_context(
        disclosure.publish(
            disclosure.table_from_persons(
                {p: {("all", level)} for p, level in cluster_level.items()}, ["all"], LEVELS, key
            ),
            total_elsewhere=True,
        ),
        selection,
    )
    found = Picture(
        area_rows=tuple(area_rows),
        by_area=by_area,
        signals_by_area=signals_by_area(
            {
                area: disclosure.Count(
                    signals_per_area.get(area, 0),
                    disclosure.cell_key(
                        disclosure.record_key(p, key) for p in persons_per_area.get(area, ())
                    ),
                )
                for area in area_rows
            },
            by_area.row_totals,
        ),
        signals_total=signals_shown(
            disclosure.Count(
                sum(signals_per_area.values()),
                disclosure.cell_key(disclosure.record_key(p, key) for p in places),
            ),
            by_area.total,
        ),
        columns=tuple(columns),
        by_indicator=one_way(indicators, list(catalogue.indicators), key, selection),
        by_life_domain=one_way(domains, list(catalogue.life_domains), key, selection),
        by_organisation_type=one_way(
            types, list(catalogue.organisation_types), key, selection, total_elsewhere=True
        ),
        by_level=by_level,
        level_shares=level_shares(by_level),
        together=cooccurrence.of(
            {p: {code for _all, code in found} for p, found in indicators.items()},
            linked,
            catalogue.indicators,
            catalogue.phenomena,
            key,
        )
        # The rest of the region (`outside`) is only compared by blind_spots, on the one-way
        # tables: its co-occurrence was counted and never shown (a quarter of a
        # municipality page's time), so it is not counted: withheld, as a view it does not
        # answer.
        if cooccurrence.answered(filters.period.code, filters.organisation_type)
        and not filters.outside
        else cooccurrence.not_answered(catalogue.indicators, catalogue.phenomena),
        small_selection=small_selection or by_level.total in SMALL,
        enough_persons=len(placed) >= disclosure.THRESHOLD,
        municipalities_with_data=len(municipalities),
    )
    rows_of: dict[str, set] = defaultdict(set)
    columns_of: dict[str, set] = defaultdict(set)
    in_cell = Counter(place for found_places in places.values() for place in found_places)
    for person, found_places in places.items():
        for area, column in found_places:
            rows_of[area].add(person)
            columns_of[column].add(person)
    parents, row_parents, cell_parents, column_parents = wider_views(
        scope, filters, catalogue, cluster_of, as_of, area_rows, by_wijk, columns
    )
    # The rest of the region (`filters.outside`) too: never shown as a view, only compared
    # ("Wat zie ik nog niet?"), but its statuses (0, "<10", a number) beside the region's
    # figures are a view nested in the region, whose difference is the municipality.
    return guarded(
        found,
        len(cluster_level),
        parents,
        {r: len(rows_of.get(r, ())) for r in area_rows},
        {c: len(columns_of.get(c, ())) for c in columns},
        {(r, c): in_cell.get((r, c), 0) for r in area_rows for c in columns},
        context_counts(in_context_rows, levels, catalogue),
        filters.organisation_type,
        row_parents,
        cell_parents,
        column_parents,
    )
