"""The union audits of `scripts/probe_lattice.py --one-way` and `--cooccurrence` on a demo
database (docs/design/insight.md, "The one-way tables too", "The co-occurrence tables
too"). Co-occurrence: per region and year, the indicator pairs (with "pp*", persons with at least
two indicators) and phenomenon x indicator (with its margins) of every view that answers
them (the region and each municipality, the year, all organisation types:
lens.picture.cooccurrence.answered), read together with every relation that holds in the
true counts (the maintained cells): areas into the region (with its "Onbekend", which no
page shows on its own), and within each table its cells into its margins."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from lens.insight import audit, disclosure
from lens.insight.areas import area_region, areas
from lens.picture import cells, cooccurrence
from lens.picture.filters import Filters, Period, Scope
from lens.picture.models import PictureCell
from lens.picture.published import UNKNOWN


def cooccurrence_union(region: str, year: str, catalogue) -> dict[str, int]:
    """Counts for the caller to print: cells, of 1-9 persons, narrowed, shown as two
    numbers, non-zero values shown as "x"."""
    cell_region = area_region(region)
    truth = {
        (a, p, k): n
        for a, p, k, n in PictureCell.objects.filter(
            region=cell_region, period=year, organisation_type=""
        ).values_list("area", "period", "kind", "persons")
    }
    indicators = list(catalogue.indicators)
    phenomena = list(catalogue.phenomena)
    pairs = ["pp:{}+{}".format(*sorted(p)) for p in combinations(indicators, 2)]
    table = [f"f:{p}/{i}" for p in phenomena for i in indicators]
    kinds = [*pairs, "pp*", *table, *(f"f*:{p}" for p in phenomena)]
    kinds += [*(f"fi:{i}" for i in indicators), "f**"]
    union = _Union(truth)
    see = union.see

    municipalities = [m.code for m in areas().municipalities_in(cell_region)]
    for area in ["", *municipalities]:
        filters = Filters(area=area, period=Period(year))
        found = cells.picture(Scope(region), filters, catalogue).together
        whole = cells._layout(Scope(region), filters)[3]
        for a, b in found.pairs:
            see(
                (whole, year, "pp:{}+{}".format(*sorted((a, b)))),
                found.by_pair.cells[(cooccurrence.ALL, (a, b))],
            )
        see((whole, year, "pp*"), found.by_pair.total)
        f = found.by_phenomenon
        for (p, i), value in f.cells.items():
            see((whole, year, f"f:{p}/{i}"), value)
        for p, value in f.row_totals.items():
            see((whole, year, f"f*:{p}"), value)
        for i, value in f.column_totals.items():
            see((whole, year, f"fi:{i}"), value)
        see((whole, year, "f**"), f.total)
    everywhere = [cells.REGION, *municipalities, UNKNOWN]
    names = sorted({(a, year, k) for a in everywhere for k in kinds} | set(union.known))
    index = {name: i for i, name in enumerate(names)}
    values = [truth.get(name, 0) for name in names]
    constraints = []
    for k in kinds:
        parts = [index[(m, year, k)] for m in [*municipalities, UNKNOWN]]
        constraints += audit.relations(index[(cells.REGION, year, k)], parts, values)
    for a in everywhere:
        at = lambda k, a=a: index[(a, year, k)]  # noqa: E731
        constraints += audit.relations(at("pp*"), [at(k) for k in pairs], values)
        for p in phenomena:
            row = [at(f"f:{p}/{i}") for i in indicators]
            constraints += audit.relations(at(f"f*:{p}"), row, values)
        for i in indicators:
            column = [at(f"f:{p}/{i}") for p in phenomena]
            constraints += audit.relations(at(f"fi:{i}"), column, values)
        constraints += audit.relations(at("f**"), [at(f"f*:{p}") for p in phenomena], values)
        constraints += audit.relations(at("f**"), [at(f"fi:{i}") for i in indicators], values)
    return union.audited(names, values, constraints)


class _Union:
    """What every view shows of each cell, gathered: the bounds the shown values give, the
    numbers shown, and the counts the caller prints (`counted(name)`: whether a cell's
    non-zero truth counts for the share shown as "x")."""

    def __init__(self, truth: dict, counted=lambda name: True):
        self.truth = truth
        self.counted = counted
        self.known: dict = {}
        self.numbers: dict = defaultdict(set)
        self.stats: dict[str, int] = defaultdict(int)

    def see(self, name, value) -> None:
        lo, hi = knowledge(value)
        old = self.known.get(name, (0, audit.INFINITY))
        self.known[name] = (max(old[0], lo), min(old[1], hi))
        if isinstance(value, int) and value:
            self.numbers[name].add(value)
        if self.counted(name) and self.truth.get(name, 0):
            self.stats["nonzero"] += 1
            self.stats["nonzero_x"] += value == disclosure.SECONDARY

    def audited(self, names: list, values: list[int], constraints: list) -> dict[str, int]:
        """The union audit over `names` (in this order, `values` their truth): the cells of
        1-9 persons left with fewer than PROTECTION possible values, and the cells shown as
        two different numbers."""
        stats = self.stats
        bounds = [self.known.get(name, (0, audit.INFINITY)) for name in names]
        bounds = audit.propagate_queue(bounds, constraints)
        for name, n, (lo, hi) in zip(names, values, bounds, strict=True):
            assert lo <= n <= hi, (name, n, lo, hi)
            if 0 < n < disclosure.THRESHOLD:
                stats["small"] += 1
                possible = min(hi, disclosure.THRESHOLD - 1) - max(lo, 1) + 1
                if possible < disclosure.PROTECTION:
                    stats["narrowed"] += 1
                    if stats["narrowed"] <= 5:
                        print("  narrowed:", name, n, (lo, hi), self.known.get(name))
        stats["differ"] = sum(1 for v in self.numbers.values() if len(v) > 1)
        stats["cells"] = len(names)
        return stats


def knowledge(shown) -> tuple[int, int]:
    if shown == disclosure.LESS_THAN_TEN:
        return (0, disclosure.THRESHOLD - 1)  # "<10" may be a 0 (zeros in context)
    return disclosure.knowledge(shown)


def views(region: str, year: str, types: list[str]):
    periods = [year] + [f"{year}-Q{q}" for q in range(1, 5)]
    periods += [f"{year}-{m:02d}" for m in range(1, 13)]
    municipalities = [m.code for m in areas().municipalities_in(area_region(region))]
    for area in ["", *municipalities]:
        for period in periods:
            for kind in ["", *types]:
                yield Filters(area=area, period=Period(period), organisation_type=kind)


def one_way_union(region: str, year: str, types: list[str], catalogue) -> dict[str, int]:
    """The union audit of the one-way tables (level, indicator, leefgebied, organisation
    type) of every view of a region and year (with `types`: each type too), read together
    with the persons tables' totals and rows: a cell is (area, period, type, kind) as
    lens.picture.maintain names it, the truth read from the cells; relations that hold in
    the truth (lens.insight.audit.relations): areas into the region (with its "Onbekend",
    which no page shows on its own), months into quarters into the year, a table's cells
    into its total, and types into all types. Returns the counts the caller prints."""
    cell_region = area_region(region)
    truth = {
        (a, p, t, k): n
        for a, p, t, k, n in PictureCell.objects.filter(region=cell_region).values_list(
            "area", "period", "organisation_type", "kind", "persons"
        )
    }
    levels = [f"l:{lv}" for lv in range(5)]
    indicators = [f"i:{i}" for i in catalogue.indicators]
    domains = [f"d:{d}" for d in catalogue.life_domains]
    all_types = list(catalogue.organisation_types)
    kinds = ["n", "i*", "d*", *levels, *indicators, *domains]
    union = _Union(truth, counted=lambda name: name[3] != "n")
    see = union.see

    municipalities = [m.code for m in areas().municipalities_in(cell_region)]
    for filters in views(region, year, types):
        found = cells.picture(Scope(region), filters, catalogue)
        _r, rows, keys, whole, _w = cells._layout(Scope(region), filters)
        t, p = filters.organisation_type, filters.period.code
        see((whole, p, t, "n"), found.by_area.total)
        for r in rows:
            see((keys[r], p, t, "n"), found.by_area.row_totals[r])
        for lv in range(5):
            see((whole, p, t, f"l:{lv}"), found.by_level.cells[("all", lv)])
        for table, codes, star in (
            (found.by_indicator, catalogue.indicators, "i"),
            (found.by_life_domain, catalogue.life_domains, "d"),
        ):
            see((whole, p, t, f"{star}*"), table.total)
            for code in codes:
                see((whole, p, t, f"{star}:{code}"), table.cells[("all", code)])
        for code in all_types if not t else [t]:
            see((whole, p, code, "n"), found.by_organisation_type.cells[("all", code)])
    names = set(union.known)
    periods = [year] + [f"{year}-Q{q}" for q in range(1, 5)]
    periods += [f"{year}-{m:02d}" for m in range(1, 13)]
    areas_ = [cells.REGION, *municipalities, UNKNOWN]
    for a in areas_:
        for p in periods:
            for t in ["", *types]:
                names.update((a, p, t, k) for k in kinds)
    index = {name: i for i, name in enumerate(sorted(names))}
    values = [truth.get(name, 0) for name in sorted(names)]
    constraints = []
    for p in periods:
        for t in ["", *types]:
            for k in kinds:
                parts = [index[(m, p, t, k)] for m in [*municipalities, UNKNOWN]]
                constraints += audit.relations(index[(cells.REGION, p, t, k)], parts, values)
    for a in areas_:
        for t in ["", *types]:
            for k in kinds:
                quarters = [index[(a, f"{year}-Q{q}", t, k)] for q in range(1, 5)]
                constraints += audit.relations(index[(a, year, t, k)], quarters, values)
                for q in range(1, 5):
                    months = [
                        index[(a, f"{year}-{m:02d}", t, k)] for m in range(3 * q - 2, 3 * q + 1)
                    ]
                    constraints += audit.relations(index[(a, f"{year}-Q{q}", t, k)], months, values)
        for p in periods:
            for t in ["", *types]:
                for total, parts in (("n", levels), ("i*", indicators), ("d*", domains)):
                    constraints += audit.relations(
                        index[(a, p, t, total)], [index[(a, p, t, k)] for k in parts], values
                    )
            if types:
                for k in kinds:
                    parts = [index[(a, p, t, k)] for t in types]
                    constraints += audit.relations(index[(a, p, "", k)], parts, values)
    return union.audited(sorted(names), values, constraints)
