#!/usr/bin/env python3
"""Measure the local picture's disclosure control over every cell-answered view of a demo
database: what it hides, what an adversary learns from all views together, and its CPU.

    export DEBUG=1 DEMO_MODE=1 VAR_DIR=/tmp/var-x
    .venv/bin/lens migrate && .venv/bin/lens catalogue load && .venv/bin/lens demo
    .venv/bin/python scripts/probe_lattice.py \\
        [--method rounding|noise] [--types] [--one-way | --cooccurrence]

For each region and each year with data, the views area (the region, each municipality) x
period (the year, its quarters and months; with --types also each organisation type) are
read through lens.picture.cells.picture (the kept pictures of closed periods are not read:
this measures the method, not what was stored under an older one). Printed:
- hidden: of the true non-zero values of the persons tables (area x period) the share
  shown as "x", and of the true values of 10 or more the share shown as anything but a
  number (withheld views included);
- narrowed: the linked-tables audit over the union of those views' persons tables, per
  region and year (every value any view shows, every margin relation that holds in the true
  counts, lens.insight.audit.relations), the cells of 1-9 persons left with fewer than
  PROTECTION possible values, and the cells shown as two different numbers;
- CPU per picture read (time.process_time, one process).
`--method noise` puts back the method before December 2026 (-2..+2 noise, 10/20/40/20/10 %)
for the before/after comparison in docs/design/insight.md; `--method tens` rounds to tens.
`--random N` measures random regions instead (no database): three municipalities, a
quarter, 0-25 persons per municipality and month (one registration each), a secret per
region; the pages (the region and each municipality, the quarter and each month) published
each on its own, read together with lens.insight.audit; prints how many regions have a
1-9 cell narrowed below PROTECTION values.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lens.settings")

import django  # noqa: E402

django.setup()

from probe_unions import cooccurrence_union, knowledge, one_way_union, views  # noqa: E402

from lens.catalogue import services  # noqa: E402
from lens.insight import audit, disclosure  # noqa: E402
from lens.insight.areas import area_region  # noqa: E402
from lens.picture import cells, pending  # noqa: E402
from lens.picture.filters import Scope  # noqa: E402
from lens.picture.models import PictureCell  # noqa: E402

OLD_TABLE = ((0.1, -2), (0.3, -1), (0.7, 0), (0.9, 1), (1.0, 2))


def old_noise(count: disclosure.Count) -> int:
    digest = hashlib.sha256(f"{count.key}:{count.persons}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    return next(value for limit, value in OLD_TABLE if u < limit)


def use_old_method() -> None:
    disclosure.noise = old_noise
    disclosure.NOISE_BOUND = 2


def use_tens() -> None:
    rounding = disclosure.noise
    disclosure.noise = lambda count, base=10: rounding(count, base)
    disclosure.NOISE_BOUND = 9


def random_regions(n: int, seed: int) -> None:
    import random

    rng = random.Random(seed)
    areas_, months, quarter, region = ("A", "B", "C"), ("m4", "m5", "m6"), "q2", "*"
    sizes = [0, 0, 1, 2, 3, 5, 8, 9, 10, 11, 12, 13, 14, 15, 20, 25]
    failing = 0
    for _ in range(n):
        persons = {}
        for a in areas_:
            for m in months:
                for i in range(rng.choice(sizes)):
                    persons[f"{a}{m}{i}"] = {(a, m)}
        secret = rng.randbytes(6)
        index: dict = {}
        bounds: list = []
        truth: dict = {}
        var = lambda name, index=index: index.setdefault(name, len(index))  # noqa: E731
        for period in (quarter, *months):
            columns = months if period == quarter else (period,)
            for area in (region, *areas_):
                rows = areas_ if area == region else (area,)
                places = {
                    p: {(a, m) for a, m in w if m in columns and a in rows}
                    for p, w in persons.items()
                }
                table = disclosure.table_from_persons(places, rows, columns, secret)
                shown = disclosure.publish(table, total_elsewhere=True)
                pairs = [
                    ((r, c), table.cells[(r, c)], shown.cells[(r, c)])
                    for r in rows
                    for c in columns
                ]
                pairs += [((r, period), table.row_totals[r], shown.row_totals[r]) for r in rows]
                pairs += [
                    ((area, c), table.column_totals[c], shown.column_totals[c]) for c in columns
                ]
                pairs.append(((area, period), table.total, shown.total))
                for name, count, value in pairs:
                    i = var(name)
                    if i == len(bounds):
                        bounds.append((0, audit.INFINITY))
                    truth[i] = count.persons
                    lo, hi = disclosure.knowledge(value)
                    bounds[i] = (max(bounds[i][0], lo), min(bounds[i][1], hi))
        values = [truth[i] for i in range(len(index))]
        constraints = []
        for a in (region, *areas_):
            constraints += audit.relations(var((a, quarter)), [var((a, m)) for m in months], values)
        for p in (quarter, *months):
            constraints += audit.relations(var((region, p)), [var((a, p)) for a in areas_], values)
        found = audit.propagate(bounds, constraints)
        failing += any(
            0 < truth[i] < disclosure.THRESHOLD
            and min(hi, 9) - max(lo, 1) + 1 < disclosure.PROTECTION
            for i, (lo, hi) in enumerate(found)
        )
    print(f"random regions: {failing} of {n} with a 1-9 cell narrowed below 3 values")


def years_with_data(region: str) -> list[str]:
    periods = PictureCell.objects.filter(region=area_region(region), persons__gt=0)
    return sorted({p[:4] for p in periods.values_list("period", flat=True) if p})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", choices=["rounding", "noise", "tens"], default="rounding")
    parser.add_argument("--types", action="store_true")
    parser.add_argument("--random", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one-way", action="store_true")
    parser.add_argument("--cooccurrence", action="store_true")
    args = parser.parse_args()
    if args.method == "noise":
        use_old_method()
    if args.method == "tens":
        use_tens()
    if args.random:
        random_regions(args.random, args.seed)
        return
    catalogue, _rules = services.active()
    pending.catch_up()  # the demo's registrations counted into the cells
    if args.cooccurrence:
        for region in sorted(catalogue.regions):
            for year in years_with_data(region):
                found = cooccurrence_union(region, year, catalogue)
                print(
                    f"{region} {year} co-occurrence: {found['cells']} cells, {found['small']} "
                    f"of 1-9 persons, {found['narrowed']} narrowed below "
                    f"{disclosure.PROTECTION} values, {found['differ']} shown as two "
                    f"numbers; non-zero values shown as x: {found['nonzero_x']}/{found['nonzero']}"
                )
        return
    if args.one_way:
        types = list(catalogue.organisation_types) if args.types else []
        for region in sorted(catalogue.regions):
            for year in years_with_data(region):
                found = one_way_union(region, year, types, catalogue)
                print(
                    f"{region} {year} one-way: {found['cells']} cells, {found['small']} of "
                    f"1-9 persons, {found['narrowed']} narrowed below "
                    f"{disclosure.PROTECTION} values, {found['differ']} shown as two "
                    f"numbers; non-zero one-way values shown as x: "
                    f"{found['nonzero_x']}/{found['nonzero']}"
                )
        return
    captured: list = []
    publish = disclosure.publish

    def capturing(table, total_elsewhere=False):
        captured.append(table)
        return publish(table, total_elsewhere)

    disclosure.publish = capturing
    totals = defaultdict(int)
    cpu = 0.0
    reads = 0
    for region in sorted(catalogue.regions):
        years = sorted(
            set(
                PictureCell.objects.filter(region=area_region(region), persons__gt=0)
                .exclude(period="")
                .values_list("period", flat=True)
            )
        )
        years = sorted({p[:4] for p in years})
        types = list(catalogue.organisation_types) if args.types else []
        for year in years:
            known: dict = {}
            truth: dict = {}
            numbers: dict = defaultdict(set)
            constraints = []
            index: dict = {}

            def var(name, index=index):
                if name not in index:
                    index[name] = len(index)
                return index[name]

            for filters in views(region, year, types):
                captured.clear()
                started = time.process_time()
                found = cells.picture(Scope(region), filters, catalogue)
                cpu += time.process_time() - started
                reads += 1
                table = captured[0]
                _r, rows, keys, whole, _w = cells._layout(Scope(region), filters)
                kind = filters.organisation_type
                period = filters.period.code
                shown = found.by_area
                pairs = [
                    ((keys[r], c, kind), table.cells[(r, c)], shown.cells[(r, c)])
                    for r in rows
                    for c in table.columns
                ]
                pairs += [
                    ((keys[r], period, kind), table.row_totals[r], shown.row_totals[r])
                    for r in rows
                ]
                pairs += [
                    ((whole, c, kind), table.column_totals[c], shown.column_totals[c])
                    for c in table.columns
                ]
                pairs.append(((whole, period, kind), table.total, shown.total))
                for name, count, value in pairs:
                    i = var(name)
                    truth[i] = count.persons
                    lo, hi = knowledge(value)
                    old = known.get(i, (0, audit.INFINITY))
                    known[i] = (max(old[0], lo), min(old[1], hi))
                    if isinstance(value, int) and value:
                        numbers[i].add(value)
                    if count.persons:
                        totals["nonzero"] += 1
                        totals["nonzero_x"] += value == disclosure.SECONDARY
                    if count.persons >= disclosure.THRESHOLD:
                        totals["ten"] += 1
                        totals["ten_hidden"] += not isinstance(value, int)
                values = [0] * len(index)
                for i, n in truth.items():
                    values[i] = n
                for r in rows:
                    margin = var((keys[r], period, kind))
                    parts = [var((keys[r], c, kind)) for c in table.columns]
                    constraints += audit.relations(margin, parts, values)
                for c in table.columns:
                    margin = var((whole, c, kind))
                    constraints += audit.relations(
                        margin, [var((keys[r], c, kind)) for r in rows], values
                    )
                total = var((whole, period, kind))
                constraints += audit.relations(
                    total, [var((keys[r], period, kind)) for r in rows], values
                )
                constraints += audit.relations(
                    total, [var((whole, c, kind)) for c in table.columns], values
                )
            bounds = [known.get(i, (0, audit.INFINITY)) for i in range(len(index))]
            bounds = audit.propagate_queue(bounds, constraints)
            narrowed = 0
            for i, (lo, hi) in enumerate(bounds):
                n = truth.get(i, 0)
                assert lo <= n <= hi, (i, n, lo, hi)
                possible = min(hi, disclosure.THRESHOLD - 1) - max(lo, 1) + 1
                if 0 < n < disclosure.THRESHOLD and possible < disclosure.PROTECTION:
                    narrowed += 1
            small = sum(1 for n in truth.values() if 0 < n < disclosure.THRESHOLD)
            differ = sum(1 for v in numbers.values() if len(v) > 1)
            print(
                f"{region} {year}: {len(index)} cells, {small} of 1-9 persons, "
                f"{narrowed} narrowed below {disclosure.PROTECTION} values, {differ} shown as "
                f"two numbers"
            )
            totals["narrowed"] += narrowed
            totals["small"] += small
    print(
        f"method {args.method}: {reads} reads, CPU {1000 * cpu / reads:.1f} ms per read; "
        f"non-zero values hidden as x: {totals['nonzero_x']}/{totals['nonzero']} "
        f"({100 * totals['nonzero_x'] / max(1, totals['nonzero']):.1f} %); "
        f"values >= 10 not shown as a number: {totals['ten_hidden']}/{totals['ten']} "
        f"({100 * totals['ten_hidden'] / max(1, totals['ten']):.1f} %); "
        f"narrowed: {totals['narrowed']} of {totals['small']} small cells"
    )


if __name__ == "__main__":
    main()
