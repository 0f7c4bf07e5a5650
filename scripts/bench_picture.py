#!/usr/bin/env python3
"""Benchmark: the app's own read path of the local picture (lens.picture.selectors.picture
over the maintained cells of lens.picture.maintain) beside DuckDB answering the same
tables over the same data as raw signal rows in Parquet, in the same run. A script, not a
timed test (tests/insight/test_bench_picture.py runs it tiny on SQLite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_aggregates_bench \
        .venv/bin/python scripts/bench_picture.py --persons 100000

The database is thrown away: a SQLite file in a temporary directory, or the PostgreSQL
database named in DATABASE_URL, dropped and created again (its name must contain
"bench"). Data: N synthetic persons (10% with a second, linked record at another
organisation), about 5 registrations of about 4 signals each over 2024-2026, in the real
municipalities and wijken of catalogue/areas/, inserted in bulk; then `bulk.rebuild`
(the same as `lens picture rebuild`) builds the cells. Each view is the whole published
picture the page shows (area x period, indicators, leefgebieden, organisation types,
levels, indicator pairs, phenomena x indicators, with disclosure control); DuckDB computes
the same distinct counts (cells and margins) from the raw rows, without disclosure. First,
the page views (scripts/bench_picture_pages.py: what one request of the page computes,
with the blind spots and the filtered views on the recount path); `--pages-only` times
only those. The registrations are inserted by COPY on PostgreSQL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench_db  # noqa: E402 (beside this script)
from bench_db import percentile  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20, help="runs per view (20)")
    parser.add_argument("--upserts", type=int, default=50, help="registrations maintained")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--check", action="store_true", help="also compare with a recount")
    parser.add_argument(
        "--pages-only", action="store_true", help="time only the page views (bench_picture_pages)"
    )
    args = parser.parse_args()
    return bench_db.run_throwaway("bench_picture_", run, args)


def run(args, workdir: Path) -> int:
    import bench_picture_data as data
    import duckdb
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from lens.catalogue import services
    from lens.picture import bulk, cells, maintain, selectors
    from lens.picture.filters import Filters, Period, Scope
    from lens.picture.models import PictureCell

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("catalogue", "load", verbosity=0)
    catalogue, _ruleset = services.active()
    raw = workdir / "raw.csv"
    made = data.generate(catalogue, args.persons, args.seed, raw)
    print(
        f"data: {made['persons']} persons ({made['records']} records), "
        f"{made['registrations']} registrations, {made['signals']} signals, "
        f"{made['rows']} raw rows (signal x indicator) on {connection.vendor}; "
        f"inserted in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    step = max(1, made["persons"] // 10)

    def progress(done: int, total: int) -> None:
        if done % step < 5000 or done == total:
            print(f"  rebuild: {done}/{total} persons", flush=True)

    built = bulk.rebuild(progress=progress)
    print(
        f"rebuild: {built['persons']} persons, {built['cells']} cells in {built['seconds']:.0f} s",
        flush=True,
    )
    families: dict[str, int] = {}
    for kind, number in PictureCell.objects.values_list("kind").annotate(n=Count("pk")):
        family = kind.split(":")[0].rstrip("*") or "*"
        families[family] = families.get(family, 0) + number
    print(
        "cells by kind: "
        + ", ".join(
            f"{k} {v} ({v / max(1, built['cells']):.0%})" for k, v in sorted(families.items())
        ),
        flush=True,
    )
    db = duckdb.connect()
    db.execute(
        f"COPY (SELECT * FROM read_csv('{raw}', header=true)) TO '{workdir}/raw.parquet' "
        "(FORMAT parquet)"
    )
    db.execute(f"CREATE VIEW raw AS SELECT * FROM '{workdir}/raw.parquet'")
    year = str(date.today().year)
    views = [
        ("region, all periods by year", Scope("midden_brabant"), Filters()),
        (
            "municipality by wijk x month, 1 year",
            Scope("midden_brabant", "GM0855"),
            Filters(period=Period(year)),
        ),
        (
            "the same, one organisation type",
            Scope("midden_brabant", "GM0855"),
            Filters(period=Period(year), organisation_type="school"),
        ),
        (
            "region by municipality x month, 1 quarter",
            Scope("midden_brabant"),
            Filters(period=Period(f"{year}-Q1")),
        ),
        (
            "one wijk, 1 month",
            Scope("midden_brabant"),
            Filters(area="WK085510", period=Period(f"{year}-01")),
        ),
    ]
    import bench_picture_pages as pages

    pages.measure(db, data, catalogue, args.repeat)
    for label, scope, filters in [] if args.pages_only else views:
        app, read, duck = [], [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            cells.read(scope, filters)
            read.append(1000 * (time.perf_counter() - t))
            t = time.perf_counter()
            selectors.picture(scope, filters, catalogue)
            app.append(1000 * (time.perf_counter() - t))
            t = time.perf_counter()
            data.duckdb_view(db, scope, filters)
            duck.append(1000 * (time.perf_counter() - t))
        ratio = percentile(read, 0.95) / max(percentile(duck, 0.95), 1e-6)
        print(
            f"{label}: app p50 {statistics.median(read):.1f} ms p95 "
            f"{percentile(read, 0.95):.1f} ms | DuckDB raw p50 {statistics.median(duck):.1f} ms "
            f"p95 {percentile(duck, 0.95):.1f} ms | ratio {ratio:.2f}x | published page "
            f"p50 {statistics.median(app):.1f} ms p95 {percentile(app, 0.95):.1f} ms",
            flush=True,
        )
    if not args.pages_only:
        times = data.maintain_some(catalogue, args.upserts, args.seed)
        print(
            f"maintenance: {len(times)} registrations applied, p50 "
            f"{statistics.median(times):.1f} ms p95 {percentile(times, 0.95):.1f} ms",
            flush=True,
        )
    if args.check:
        _facts, expected = maintain.recount()
        same_cells = maintain.stored_cells() == {c: v for c, v in expected.items() if any(v)}
        same_views = all(
            cells.picture(s, f, catalogue) == selectors.recounted(s, f, catalogue)
            for _l, s, f in views
        )
        print(
            f"check: cells equal a recount: {'yes' if same_cells else 'NO'}; "
            f"views equal the recount path: {'yes' if same_views else 'NO'}"
        )
        if not (same_cells and same_views):
            return 1
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
