"""The published local picture (what lens.picture.selectors and lens.picture.cells both
return) and the publishing steps they share: every figure through lens.insight.disclosure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from lens.insight import disclosure

from . import cooccurrence

SMALL = (disclosure.LESS_THAN_TEN, disclosure.SECONDARY)
UNKNOWN = ""  # the area row of registrations without a municipality (or wijk)
LEVELS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Picture:
    area_rows: tuple[str, ...]  # municipality or wijk codes, UNKNOWN last
    by_area: disclosure.Published  # area x trend column
    signals_by_area: dict[str, disclosure.Shown]
    columns: tuple[str, ...]  # the trend's columns
    by_indicator: disclosure.Published
    by_life_domain: disclosure.Published
    by_organisation_type: disclosure.Published
    by_level: disclosure.Published
    level_shares: dict[int, int | None]  # percent in steps of 5 (level_shares), when shown
    together: cooccurrence.CoOccurrence
    # The view's selection (its areas, every period and type) counts 1 to 9 persons: its
    # breakdowns show no zeros and the page lists no co-occurrence (zeros_in_context).
    small_selection: bool
    # For comparisons only (lens.picture.blind_spots), never shown: whether at least
    # THRESHOLD persons in the view live in a known municipality, and in how many.
    enough_persons: bool
    municipalities_with_data: int
    # Why the whole view is withheld (one of WITHHELD_*), "" when it is shown: its
    # complement within a wider view with the same filters counts 1 to 9 persons (`guarded`).
    withheld: str = ""
    # The view's signals, the "Totaal" row beside `signals_by_area` (`signals_shown` of the
    # view's exact sum, keyed by all its persons: the same number as this area's row on
    # the wider area's page). A view kept as published before it existed shows "x".
    signals_total: disclosure.Shown = disclosure.SECONDARY


# The wider views a view is compared with (`guarded`): the parent area, the parent period,
# the same view without its organisation type, or without an indicator, leefgebied or
# phenomenon filter.
WITHHELD_AREA = "area"
WITHHELD_PERIOD = "period"
WITHHELD_TYPE = "type"
WITHHELD_FILTER = "filter"


def parent_periods(code: str) -> list[str]:
    """The periods a period lies in: a month in its quarter, year and everything; a quarter
    in its year and everything; a year in everything."""
    if not code:
        return []
    if len(code) == 4:
        return [""]
    year = code[:4]
    if "Q" in code:
        return [year, ""]
    quarter = f"{year}-Q{(int(code[5:]) - 1) // 3 + 1}"
    return [quarter, year, ""]


def _every(published: disclosure.Published, value: disclosure.Shown) -> disclosure.Published:
    return disclosure.Published(
        cells=dict.fromkeys(published.cells, value),
        row_totals=dict.fromkeys(published.row_totals, value),
        column_totals=dict.fromkeys(published.column_totals, value),
        total=value,
    )


def _blanked(found: Picture, value: disclosure.Shown, withheld: str = "") -> Picture:
    together = replace(
        found.together,
        by_pair=_every(found.together.by_pair, value),
        by_phenomenon=_every(found.together.by_phenomenon, value),
    )
    return replace(
        found,
        by_area=_every(found.by_area, value),
        signals_by_area=dict.fromkeys(found.signals_by_area, disclosure.SECONDARY),
        signals_total=disclosure.SECONDARY,
        by_indicator=_every(found.by_indicator, value),
        by_life_domain=_every(found.by_life_domain, value),
        by_organisation_type=_every(found.by_organisation_type, value),
        by_level=_every(found.by_level, value),
        level_shares=dict.fromkeys(found.level_shares),
        together=together,
        small_selection=True,
        withheld=withheld,
    )


def context_names(published: disclosure.Published, table: str) -> dict[tuple, str]:
    """The cell kind (lens.picture.maintain's names; "t:code" for an organisation type) of
    each value of a published breakdown, for `in_context`."""
    if table == "pairs":
        return {
            name: "pp:{}+{}".format(*sorted(c))
            for c in published.column_totals
            for name in (("cell", (cooccurrence.ALL, c)), ("column", c))
        }
    if table == "f":
        names = {("cell", (p, i)): f"f:{p}/{i}" for p, i in published.cells}
        names.update({("row", p): f"f*:{p}" for p in published.row_totals})
        names.update({("column", i): f"fi:{i}" for i in published.column_totals})
        return names
    return {
        name: f"{table}:{c}"
        for c in published.column_totals
        for name in (("cell", ("all", c)), ("column", c))
    }


def in_context(found: Picture, context: Mapping[str, int], kind: str = "") -> Picture:
    """Every breakdown's zeros where the same category counts 1 to 9 persons in the view's
    context (the same area over every period and filter: `context`, kind -> persons) shown
    as "<10" (disclosure.zeros_in_context): read across filtered views (an indicator, an
    organisation type, a quarter), a 0 at a small group's level, type or theme told what
    the few never had, who never registered them and when they were signalled (outside
    probe, December 2026). In a view of one organisation type (`kind`) the other types are
    0 by the filter itself, about nobody: they stay 0."""

    def masked(published: disclosure.Published, table: str) -> disclosure.Published:
        names = context_names(published, table)
        small = [
            name
            for name, of in names.items()
            if 0 < context.get(of, 0) < disclosure.THRESHOLD
            and not (kind and table == "t" and of != f"t:{kind}")
        ]
        return disclosure.zeros_in_context(published, (), small) if small else published

    together = found.together
    if together.shown:
        together = replace(
            together,
            by_pair=masked(together.by_pair, "pairs"),
            by_phenomenon=masked(together.by_phenomenon, "f"),
        )
    by_level = masked(found.by_level, "l")
    return replace(
        found,
        by_indicator=masked(found.by_indicator, "i"),
        by_life_domain=masked(found.by_life_domain, "d"),
        by_organisation_type=masked(found.by_organisation_type, "t"),
        by_level=by_level,
        level_shares=level_shares(by_level),
        together=together,
    )


def guarded(
    found: Picture,
    persons: int,
    parents: Iterable[tuple[str, int]],
    rows: Mapping[str, int],
    columns: Mapping[str, int],
    cells: Mapping[tuple[str, str], int] | None = None,
    context: Mapping[str, int] | None = None,
    kind: str = "",
    row_parents: Mapping[str, Iterable[int]] | None = None,
    cell_parents: Mapping[tuple[str, str], Iterable[int]] | None = None,
    column_parents: Mapping[str, Iterable[int]] | None = None,
) -> Picture:
    """The published picture as it may leave the publishing step, from exact counts that
    never leave it (docs/design/insight.md, "Small views and nested views"):

    1. `persons`, the view's own distinct persons, is below THRESHOLD: every person count
       of every table is "<10" and every signal count "x", so no table tells 0 from 1-9
       where the total is "<10". A view of 0 persons keeps its zeros only when its total
       is shown as 0 and no parent holds 1 to 9 persons (else it is "<10" throughout too).
    2. A parent (reason, persons of the wider view with the same other filters) holds 1 to
       9 persons more than the view: the whole view is withheld ("x" everywhere, with the
       reason), so that the view and its parent cannot be differenced into a small group.
       A parent with exactly the same persons (0 more) is harmless.
    3. A row (area) or column (period) of the area table whose complement within the view
       is 1 to 9 persons is shown as "x" (its cells, its total, its signals): the same
       difference within one table.
    4. A cell (area x period) whose complement within its row is 1 to 9 persons (`cells`,
       exact) is shown as "x": the row is the view of that one area (a municipality on the
       region's page), where rule 3 hides that period; shown here, the row's total minus
       the cell would give the group back (outside probe, stop 21).
    5. A row (area) whose own view with the same filters would be withheld by 2. (its
       `row_parents`: the persons of that area in the view's parent periods, without its
       organisation type, without its indicator, leefgebied or phenomenon filter; exact)
       is shown as "x" like 3.: the region's page would otherwise show the very pair that
       the municipality's page withholds (Tilburg in 2026 beside Tilburg over every period;
       outside tester, December 2026).
    6. A cell (area x period column) or a column total (the view's area in that period)
       whose own view with the same filters would be withheld by 2. (`cell_parents`,
       `column_parents`: its persons in the column's parent periods, e.g. a month's
       quarter on the year's page, in the parent areas, without the organisation type,
       without an indicator, leefgebied or phenomenon filter; exact) is "x"; one of 0 with
       such a parent is "<10", as its own page shows it (1.). The period counterpart of 5.:
       the year's page showed July as a number beside the quarter's, the pair that July's
       own page withholds.

    After 1 and 2, `in_context` (the zeros of every breakdown against the view's
    `context`, exact counts per category; `kind`, the view's organisation type)."""
    parents = list(parents)
    nested = [reason for reason, n in parents if 0 < n - persons < disclosure.THRESHOLD]
    if persons == 0 and not nested and found.by_area.total == 0:
        return found  # nothing here, nor a few persons next to it: every 0 is harmless
    if persons < disclosure.THRESHOLD:
        return _blanked(found, disclosure.LESS_THAN_TEN)
    if nested:
        return _blanked(found, disclosure.SECONDARY, nested[0])
    found = in_context(found, context or {}, kind)
    near = lambda n: 0 < persons - n < disclosure.THRESHOLD  # noqa: E731
    hidden_rows = {r for r, n in rows.items() if near(n)}
    hidden_rows |= {
        r
        for r, wider in (row_parents or {}).items()
        if any(0 < n - rows.get(r, 0) < disclosure.THRESHOLD for n in wider)
    }
    hidden_columns = {c for c, n in columns.items() if near(n)}
    hidden_cells = {
        (r, c)
        for (r, c), n in (cells or {}).items()
        if 0 < rows.get(r, 0) - n < disclosure.THRESHOLD
    }
    own_cells = _own_view(cells or {}, cell_parents or {})
    hidden_cells |= {at for at, value in own_cells.items() if value == disclosure.SECONDARY}
    own_columns = _own_view(columns, column_parents or {})
    hidden_columns |= {c for c, value in own_columns.items() if value == disclosure.SECONDARY}
    if not (hidden_rows or hidden_columns or hidden_cells or own_cells or own_columns):
        return found
    x = disclosure.SECONDARY
    area = found.by_area
    by_area = disclosure.Published(
        cells={
            (r, c): x
            if r in hidden_rows or c in hidden_columns or (r, c) in hidden_cells
            else _small_zero(value, (r, c) in own_cells)
            for (r, c), value in area.cells.items()
        },
        row_totals={r: x if r in hidden_rows else v for r, v in area.row_totals.items()},
        column_totals={
            c: x if c in hidden_columns else _small_zero(v, c in own_columns)
            for c, v in area.column_totals.items()
        },
        total=area.total,
    )
    signals = {r: x if r in hidden_rows else v for r, v in found.signals_by_area.items()}
    return replace(found, by_area=by_area, signals_by_area=signals)


def _own_view[K](persons: Mapping[K, int], wider: Mapping[K, Iterable[int]]) -> dict:
    """The values whose own view `guarded` would not show as counted (rule 6): "x" where
    the view has 10 or more persons and a wider view 1 to 9 more (rule 2), "<10" where it
    has none and a wider view 1 to 9 (rule 1); 1 to 9 persons are "<10" already."""
    found = {}
    for at, parents in wider.items():
        n = persons.get(at, 0)
        if 0 < n < disclosure.THRESHOLD:
            continue
        if any(0 < m - n < disclosure.THRESHOLD for m in parents):
            found[at] = disclosure.SECONDARY if n else disclosure.LESS_THAN_TEN
    return found


def _small_zero(value: disclosure.Shown, small: bool) -> disclosure.Shown:
    return disclosure.LESS_THAN_TEN if small and value == 0 else value


def small_unfiltered(
    cells: Mapping[tuple[str, str], int],
    rows: Mapping[str, int],
    columns: Mapping[str, int],
    total: int,
) -> list[tuple]:
    """The values of a filtered view's area table (an organisation type, indicator,
    leefgebied or phenomenon) whose unfiltered counterpart (the same area and period over
    every type and filter: the exact persons given) counts 1 to 9, for
    disclosure.zeros_in_context: a year column of 0 under `type=police` beside a "<10" in
    the same year unfiltered told that the year's few were not registered by the police
    (the "year-column zeros", outside probe)."""
    few = lambda n: 0 < n < disclosure.THRESHOLD  # noqa: E731
    names: list[tuple] = [("cell", at) for at, n in cells.items() if few(n)]
    names += [("row", r) for r, n in rows.items() if few(n)]
    names += [("column", c) for c, n in columns.items() if few(n)]
    return names + [("total", None)] * few(total)


def small_unfiltered_places(places: dict, filters, columns: list[str]) -> list[tuple]:
    """`small_unfiltered` from the persons of the view's context (person -> its (area row,
    month) pairs, over every type and filter; lens.picture.recount), within the view's
    period (`filters`, lens.picture.filters.Filters): for a view with a type, indicator,
    leefgebied or phenomenon only."""
    if not (
        filters.organisation_type or filters.indicator or filters.life_domain or filters.phenomenon
    ):
        return []
    bounds = filters.period.bounds
    cells: dict = defaultdict(set)
    for person, found in places.items():
        for area, month in found:
            if not bounds or bounds[0] <= month < bounds[1]:
                cells[(area, filters.period.column(month))].add(person)
    rows: dict = defaultdict(set)
    by_column: dict = defaultdict(set)
    for (area, column), found in cells.items():
        rows[area] |= found
        by_column[column] |= found
    return small_unfiltered(
        {at: len(found) for at, found in cells.items() if at[1] in columns},
        {r: len(found) for r, found in rows.items()},
        {c: len(found) for c, found in by_column.items() if c in columns},
        len(set().union(*rows.values())),
    )


def level_shares(by_level: disclosure.Published) -> dict[int, int | None]:
    """Percent per level, in steps of 5 (tables.about_share: a share of numbers rounded to
    tens is approximate), when the level's number and the total are shown; None otherwise.
    The published numbers are rounded on their own, so the rounded total can be smaller
    than the sum of the rounded levels (20 and 20 of 30: 65% and 65%). A share is therefore
    taken of the larger of the published total and the sum of the published levels, and
    the steps are handed out by largest remainder: the shares shown never add up to more
    than 100%. Only published numbers are used: a hidden one stays hidden."""
    total = by_level.total
    shown = {
        level: value
        for (_row, level), value in by_level.cells.items()
        if isinstance(value, int) and value
    }
    if not (isinstance(total, int) and total and shown):
        return {level: None for (_row, level) in by_level.cells}
    whole = max(total, sum(shown.values()))
    exact = {level: 100 * value / whole / STEP for level, value in shown.items()}
    steps = {level: int(share) for level, share in exact.items()}
    left = min(round(sum(exact.values())), 100 // STEP) - sum(steps.values())
    for level in sorted(exact, key=lambda at: steps[at] - exact[at])[: max(left, 0)]:
        steps[level] += 1
    return {
        level: steps[level] * STEP if level in shown else None for (_r, level) in by_level.cells
    }


STEP = 5  # a level's share is shown to the nearest 5 percent


def one_way(
    persons: dict[int, set],
    columns: list[str],
    key: bytes,
    small: set[str],
    total_elsewhere: bool = False,
) -> disclosure.Published:
    """A one-way table; `total_elsewhere` when its total is the view's own count of persons
    (disclosure.publish)."""
    table = disclosure.table_from_persons(persons, ["all"], columns, key)
    return disclosure.zeros_in_context(disclosure.publish(table, total_elsewhere), small)


def signals_by_area(
    signals: dict[str, disclosure.Count], persons: dict[str, disclosure.Shown]
) -> dict[str, disclosure.Shown]:
    """The signal counts per area row. A hidden one alone could be found back by taking the
    others from the total of the same area in a wider view (the municipality on the
    region's page), so when exactly one row with persons is hidden, the largest shown one
    is hidden with it."""
    shown = {area: signals_shown(count, persons[area]) for area, count in signals.items()}
    hidden = [a for a, value in shown.items() if value == disclosure.SECONDARY]
    visible = [a for a, value in shown.items() if isinstance(value, int) and value > 0]
    if len(hidden) == 1 and visible:
        shown[max(visible, key=lambda a: (shown[a], a))] = disclosure.SECONDARY
    return shown


def signals_shown(signals: disclosure.Count, persons: disclosure.Shown) -> disclosure.Shown:
    """Signals are plain sums, shown only beside a shown number of persons: next to "<10"
    or "x" persons they would say something about a small group. Their noise comes from the
    cell key of the persons behind them: with a fixed key anyone who knows the method could
    take the noise off again."""
    if persons == 0:
        return 0
    if not isinstance(persons, int):
        return disclosure.SECONDARY
    # Randomly rounded to tens like every number: a signal count is a plain sum, and the
    # same area's count on a wider or a narrower view (a wijk alone, the municipality on the
    # region's page) let a hidden neighbour's count be taken back by subtraction.
    return disclosure.publish_value(signals)
