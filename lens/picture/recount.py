"""The local picture counted over the current registrations (`recounted`): the fallback
for the filters the maintained cells do not answer (indicator, leefgebied, phenomenon, the
rest of the region), the closed periods' pictures as they stood (lens.picture.kept) and the
oracle the cells are tested against. One GROUP BY that collapses duplicates, the stored
clusters, the latest levels; the distinct counting per cell in Python, each cell, margin and
total on its own. Never a person: only published values (lens.insight.disclosure) leave.
Split from lens.picture.selectors, which answers a view and logs it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime
from itertools import combinations

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from lens.data.coordination import ClusterMember
from lens.data.registry import Person, PersonOutcome, Registration
from lens.insight import disclosure
from lens.insight.areas import area_region, areas, wijk_municipality
from lens.rules.model import Catalogue

from . import cooccurrence
from .filters import Filters, Period, Scope, shown_years
from .keys import secret
from .published import (
    LEVELS,
    SMALL,
    UNKNOWN,
    WITHHELD_AREA,
    WITHHELD_FILTER,
    WITHHELD_PERIOD,
    WITHHELD_TYPE,
    Picture,
    guarded,
    in_context,
    level_shares,
    one_way,
    parent_periods,
    signals_by_area,
    signals_shown,
    small_unfiltered_places,
)


def registrations(scope: Scope, filters: Filters, as_of: datetime | None = None):
    """The current registrations in the scope and the filters (a queryset); with `as_of`,
    the registrations as they stood then (Registration.objects.as_of)."""
    codes = [m.code for m in areas().municipalities_in(area_region(scope.region))]
    rows = Registration.objects.current() if as_of is None else Registration.objects.as_of(as_of)
    if scope.municipality:
        rows = rows.filter(municipality_code=scope.municipality)
    else:
        rows = rows.filter(
            Q(municipality_code__in=codes)
            | Q(municipality_code="", organisation__region=scope.region)
        )
    if filters.area.startswith("GM"):
        rows = rows.filter(municipality_code=filters.area)
    elif filters.area:
        rows = rows.filter(wijk_code=filters.area)
    if filters.outside:
        rows = rows.exclude(municipality_code=filters.outside)
    if filters.period.bounds:
        start, end = filters.period.bounds
        rows = rows.filter(observed_on__gte=start, observed_on__lt=end)
    if filters.organisation_type:
        rows = rows.filter(organisation__organisation_type=filters.organisation_type)
    return rows


def clusters(region: str) -> dict[int, int]:
    """Record pk -> cluster id (the smallest pk of its cluster: the stored clusters of
    lens.coordination.clusters, as the maintained cells count them), for the linked
    records of clusters with a record at the region's organisations; one query."""
    here = ClusterMember.objects.filter(person__organisation__region=region)
    return dict(
        ClusterMember.objects.filter(cluster_id__in=here.values("cluster_id")).values_list(
            "person_id", "cluster_id"
        )
    )


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
    small_rows, small_selection, in_context_rows, unfiltered = _small_contexts(
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
        places[person].add((area, filters.period.column(_as_date(row["month"]))))
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
        if cooccurrence.answered(filters.period.code, filters.organisation_type)
        else cooccurrence.not_answered(catalogue.indicators, catalogue.phenomena),
        small_selection=small_selection or by_level.total in SMALL,
        enough_persons=len(placed) >= disclosure.THRESHOLD,
        municipalities_with_data=len(municipalities),
    )
    if filters.outside:
        # The rest of the region: never shown as a view, only compared ("Wat zie ik nog
        # niet?", lens.picture.blind_spots), which tells whether each category is 0, "<10"
        # or a number there. Its zeros follow the rest's context like every view's: an
        # exact 0 in one month and "<10" in the next told when the rest's few persons of a
        # theme were signalled ("Nergens in de regio" against "Zelden of nooit").
        context = _context_counts(in_context_rows, levels, catalogue)
        return in_context(found, context, filters.organisation_type)
    rows_of: dict[str, set] = defaultdict(set)
    columns_of: dict[str, set] = defaultdict(set)
    in_cell = Counter(place for found_places in places.values() for place in found_places)
    for person, found_places in places.items():
        for area, column in found_places:
            rows_of[area].add(person)
            columns_of[column].add(person)
    parents, row_parents = _parents(
        scope, filters, catalogue, cluster_of, as_of, area_rows, by_wijk
    )
    return guarded(
        found,
        len(cluster_level),
        parents,
        {r: len(rows_of.get(r, ())) for r in area_rows},
        {c: len(columns_of.get(c, ())) for c in columns},
        {(r, c): in_cell.get((r, c), 0) for r in area_rows for c in columns},
        _context_counts(in_context_rows, levels, catalogue),
        filters.organisation_type,
        row_parents,
    )


def _small_contexts(
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
    phenomena) are the context's categories too (`_context_counts`)."""
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
        places[person].add((area if area in area_rows else UNKNOWN, _as_date(month)))
        everyone.add(person)
        facts.append((person, person_id, of, signals, phenomena))
    small = {area for area, found in persons.items() if len(found) < disclosure.THRESHOLD}
    return small, 0 < len(everyone) < disclosure.THRESHOLD, facts, places


def _context_counts(facts: list[tuple], levels: dict, catalogue: Catalogue) -> dict[str, int]:
    """The persons per category of the view's context (lens.picture.maintain's cell kinds:
    levels, indicators, leefgebieden, pairs, phenomenon x indicator; "t:code" per
    organisation type), from `_small_contexts`' rows, for published.in_context."""
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


def _parents(
    scope: Scope,
    filters: Filters,
    catalogue: Catalogue,
    cluster_of: dict,
    as_of: datetime | None = None,
    area_rows: list[str] | None = None,
    by_wijk: bool = False,
) -> tuple[list[tuple[str, int]], dict[str, list[int]]]:
    """The distinct persons of each wider view (one filter widened at a time: the parent
    areas, the parent periods, no organisation type, no indicator, leefgebied or
    phenomenon), for `guarded`: one query over the region's current registrations; the
    counts never leave the publishing step. And per area row, the persons of that row's
    own wider views but the areas (guarded's `row_parents`), from the same rows."""
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
    if not view:
        areas_up = []
    elif view.startswith("GM"):
        areas_up = [""]
    else:
        areas_up = [wijk_municipality(view), ""]

    def in_area(code: str, municipality: str, wijk: str) -> bool:
        if not code:
            return True
        return municipality == code if code.startswith("GM") else wijk == code

    def persons(area: str, period: Period, kind: str, chosen: Filters) -> dict[str, set]:
        """The persons of the view's area (`area`) per area row."""
        bounds = period.bounds
        found: dict[str, set] = defaultdict(set)
        for person, municipality, wijk, month, of, signals, phenomena in rows:
            if not in_area(area, municipality, wijk) or (kind and of != kind):
                continue
            day = _as_date(month)
            if bounds and not bounds[0] <= day < bounds[1]:
                continue
            if chosen.admits(signals, phenomena, catalogue):
                row = wijk if by_wijk else municipality
                found[row if row in (area_rows or ()) else UNKNOWN].add(
                    cluster_of.get(person, person)
                )
        return found

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
    return parents, row_parents


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
