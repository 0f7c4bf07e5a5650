"""The local picture read from the maintained cells (lens.picture.maintain): two queries
per view, whatever the number of persons or signals, and the same published output as
counting over the registrations (lens.picture.selectors.recounted, the test oracle).

Answered here: every combination of area (region, municipality, wijk), period ("", year,
quarter, month) and organisation type. Not answered (the caller counts over the
registrations instead): the indicator, leefgebied and phenomenon filters, which select
registrations and so change every other count of a person, and `outside` (the rest of the
region for "Wat zie ik nog niet?").
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from lens.insight import disclosure
from lens.insight.areas import area_region, areas, wijk_municipality
from lens.rules.model import Catalogue

from . import cooccurrence
from .filters import Filters, Scope, shown_years
from .maintain import REGION
from .models import PictureCell
from .published import (
    LEVELS,
    SMALL,
    UNKNOWN,
    WITHHELD_AREA,
    WITHHELD_PERIOD,
    WITHHELD_TYPE,
    Picture,
    guarded,
    level_shares,
    parent_periods,
    signals_by_area,
    signals_shown,
    small_unfiltered,
)

NONE = disclosure.Count(0, 0)
FIRST_YEAR = 1900


def answers(filters: Filters) -> bool:
    return not (filters.indicator or filters.life_domain or filters.phenomenon or filters.outside)


def _layout(scope: Scope, filters: Filters) -> tuple[str, list[str], dict[str, str], str, bool]:
    """The region of the cells, the page's area rows, the cell area of each row, the cell
    area of the whole view, and whether the rows are wijken."""
    table = areas()
    if filters.area and not filters.area.startswith("GM"):
        municipality = wijk_municipality(filters.area)
        rows = [filters.area]
        keys = {filters.area: f"{municipality}/{filters.area}"}
        whole, by_wijk = keys[filters.area], True
    elif scope.municipality or filters.area:
        municipality = scope.municipality or filters.area
        rows = [d.code for d in table.districts_of(municipality)] + [UNKNOWN]
        keys = {row: f"{municipality}/{row}" for row in rows}
        whole, by_wijk = municipality, True
    else:
        municipality = ""
        rows = [m.code for m in table.municipalities_in(area_region(scope.region))] + [UNKNOWN]
        keys = {row: row for row in rows}
        whole, by_wijk = REGION, False
    found = table.municipalities.get(municipality)
    region = found.region if found else area_region(scope.region)
    return region, rows, keys, whole, by_wijk


def parent_areas(whole: str) -> list[str]:
    """The cell areas a view's area lies in: a wijk ("GM/WK") in its municipality and the
    region, a municipality in the region."""
    if whole == REGION:
        return []
    if "/" in whole:
        return [whole.split("/")[0], REGION]
    return [REGION]


type Counts = dict[tuple[str, str, str, str], tuple[disclosure.Count, int]]


def read(scope: Scope, filters: Filters) -> Counts:
    """The cells a view needs, in two queries through the cells' unique index (every
    column an equality or a short list): (area, period, organisation type, kind) ->
    (persons with their cell key, signals)."""
    region, _rows, keys, whole, _by_wijk = _layout(scope, filters)
    period, kind = filters.period.code, filters.organisation_type
    if period:  # the view's, its parents, its columns and their parents (guarded, 6.)
        columns = filters.period.columns([])
        periods = [period, *parent_periods(period), *columns]
        periods += sorted({p for c in columns for p in parent_periods(c)} - set(periods))
    else:  # every year an observation can have (not in the future, after 1900)
        periods = ["", *(str(y) for y in range(FIRST_YEAR, date.today().year + 1))]
    counts: Counts = {}
    # 1. persons per area row and for the whole view, per period (rows, columns, context)
    first = PictureCell.objects.filter(
        region=region,
        kind="n",
        area__in=[*keys.values(), whole, *parent_areas(whole)],
        period__in=periods,
        organisation_type__in=sorted({kind, ""}),
    )
    # 2. every kind for the whole view in its period and in its context (every period and
    # type: published.in_context), and persons per organisation type in both
    second = PictureCell.objects.filter(
        region=region, area=whole, period__in=sorted({period, ""})
    ).filter(Q(organisation_type__in=sorted({kind, ""})) | Q(kind="n"))
    for cells in (first, second):
        for c in cells.values_list(
            "area", "period", "organisation_type", "kind", "persons", "cell_key", "signals"
        ):
            counts[c[:4]] = (disclosure.Count(c[4], c[5]), c[6])
    return counts


def picture(scope: Scope, filters: Filters, catalogue: Catalogue) -> Picture:
    _region, area_rows, keys, whole, by_wijk = _layout(scope, filters)
    period, kind = filters.period.code, filters.organisation_type
    counts = read(scope, filters)

    def count(area: str, at: str, of: str = kind, what: str = "n") -> disclosure.Count:
        return counts.get((area, at, of, what), (NONE, 0))[0]

    def here(what: str) -> disclosure.Count:
        return count(whole, period, kind, what)

    # The scope's own years (its whole area, every type): the same columns for every view.
    top = scope.municipality or REGION
    first = min(
        (
            int(at)
            for (area, at, of, what), (c, _s) in counts.items()
            if area == top and len(at) == 4 and of == "" and what == "n" and c.persons
        ),
        default=None,
    )
    columns = filters.period.columns(shown_years(date.today(), first))
    by_area = disclosure.publish(
        disclosure.Table(
            rows=tuple(area_rows),
            columns=tuple(columns),
            cells={(r, c): count(keys[r], c) for r in area_rows for c in columns},
            row_totals={r: count(keys[r], period) for r in area_rows},
            column_totals={c: count(whole, c) for c in columns},
            total=here("n"),
        ),
        total_elsewhere=True,
    )
    context = {r: count(keys[r], "", "").persons for r in area_rows}
    small_rows = {r for r, n in context.items() if 0 < n < disclosure.THRESHOLD}
    small_selection = 0 < count(whole, "", "").persons < disclosure.THRESHOLD
    selection = {"all"} if small_selection else set()
    small = []
    if kind:  # beside the same cells of every type (published.small_unfiltered)
        small = small_unfiltered(
            {(r, c): count(keys[r], c, "").persons for r in area_rows for c in columns},
            {r: count(keys[r], period, "").persons for r in area_rows},
            {c: count(whole, c, "").persons for c in columns},
            count(whole, period, "").persons,
        )
    by_area = disclosure.zeros_in_context(by_area, small_rows, small)

    def one_way(
        codes: list, cell, total: disclosure.Count, persons: bool = False
    ) -> disclosure.Published:
        table = disclosure.Table(
            rows=("all",),
            columns=tuple(codes),
            cells={("all", c): cell(c) for c in codes},
            row_totals={"all": total},
            column_totals={c: cell(c) for c in codes},
            total=total,
        )
        return disclosure.zeros_in_context(disclosure.publish(table, persons), selection)

    def of_type(code: str) -> disclosure.Count:
        return count(whole, period, code) if not kind or code == kind else NONE

    by_level = one_way(list(LEVELS), lambda lv: here(f"l:{lv}"), here("n"), persons=True)
    signals = {
        r: disclosure.Count(counts.get((keys[r], period, kind, "n"), (NONE, 0))[1], key)
        for r in area_rows
        for key in [count(keys[r], period).key]
    }
    signals_total = disclosure.Count(
        counts.get((whole, period, kind, "n"), (NONE, 0))[1], here("n").key
    )
    if by_wijk:
        municipalities = int(here("n").persons > 0)
    else:
        municipalities = sum(1 for r in area_rows if r and count(keys[r], period).persons)
    found = Picture(
        area_rows=tuple(area_rows),
        by_area=by_area,
        signals_by_area=signals_by_area(signals, by_area.row_totals),
        signals_total=signals_shown(signals_total, by_area.total),
        columns=tuple(columns),
        by_indicator=one_way(list(catalogue.indicators), lambda i: here(f"i:{i}"), here("i*")),
        by_life_domain=one_way(list(catalogue.life_domains), lambda d: here(f"d:{d}"), here("d*")),
        by_organisation_type=one_way(
            list(catalogue.organisation_types), of_type, here("n"), persons=True
        ),
        by_level=by_level,
        level_shares=level_shares(by_level),
        together=cooccurrence.of_counts(here, catalogue.indicators, catalogue.phenomena)
        if cooccurrence.answered(period, kind)
        else cooccurrence.not_answered(catalogue.indicators, catalogue.phenomena),
        small_selection=small_selection or by_level.total in SMALL,
        enough_persons=here("p").persons >= disclosure.THRESHOLD,
        municipalities_with_data=municipalities,
    )
    parents = [(WITHHELD_AREA, count(a, period).persons) for a in parent_areas(whole)]
    parents += [(WITHHELD_PERIOD, count(whole, p).persons) for p in parent_periods(period)]
    if kind:
        parents.append((WITHHELD_TYPE, count(whole, period, "").persons))
    return guarded(
        found,
        here("n").persons,
        parents,
        {r: count(keys[r], period).persons for r in area_rows},
        {c: count(whole, c).persons for c in columns},
        {(r, c): count(keys[r], c).persons for r in area_rows for c in columns},
        context_of(counts, whole),
        kind,
        {  # each row's own view's wider views (published.guarded, 5.): read by query 1
            r: [count(keys[r], p).persons for p in parent_periods(period)]
            + ([count(keys[r], period, "").persons] if kind else [])
            for r in area_rows
        },
        *own_views(count, keys, whole, columns, kind),
    )


def own_views(count, keys: dict[str, str], whole: str, columns: list[str], kind: str):
    """Per cell and per column of the area table, the persons of its own view's wider
    views (published.guarded, 6.): the column's parent periods, the parent areas, without
    the organisation type; all read by query 1."""

    def wider(area: str, column: str, ups: list[str]) -> list[int]:
        found = [count(area, p).persons for p in parent_periods(column)]
        found += [count(a, column).persons for a in ups]
        return found + ([count(area, column, "").persons] if kind else [])

    ups = parent_areas(whole)
    cells = {
        (r, c): wider(key, c, [whole, *ups] if key != whole else ups)
        for r, key in keys.items()
        for c in columns
    }
    return cells, {c: wider(whole, c, ups) for c in columns}


def context_of(counts: Counts, whole: str) -> dict[str, int]:
    """The persons per cell kind of the view's context (its area over every period and
    type; "t:code" per organisation type), for published.in_context."""
    found = {
        what: c.persons
        for (area, at, of, what), (c, _s) in counts.items()
        if area == whole and at == "" and of == ""
    }
    found.update(
        {
            f"t:{of}": c.persons
            for (area, at, of, what), (c, _s) in counts.items()
            if area == whole and at == "" and of and what == "n"
        }
    )
    return found
